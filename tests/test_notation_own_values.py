"""A function's entry times a parenthesis of its own entries
(latex/own_values.py): with σ a function of the post,
``\\sigma_i(\\delta_{ij} - \\sigma_j)`` is σ_i·(δ_ij − σ_j), not σ_i applied;
``f_2(f_1(x))`` (a composition) and ``\\sigma_i(x)`` stay as before.

Oracle: the product built by hand, compared at random points
(``test_notation.same_value``); wrong variants refuted through ``check``.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_expression
from symderive.post.check import check_post
from test_notation import same_value

x = Symbol("x", real=True)
i, j = (Symbol(c, integer=True) for c in "ij")
s_i, s_j = Symbol("sigma_i", real=True), Symbol("sigma_j", real=True)
SCOPE = Scope(variables={"x": x}, default_variable=x, indices={"i": i, "j": j},
              functions={"sigma": sympy.Function("sigma"), "f": sympy.Function("f")})


@pytest.mark.parametrize("tex, built", [
    (r"\sigma_i(\delta_{ij} - \sigma_j)", s_i * (sympy.KroneckerDelta(i, j) - s_j)),
    (r"\sigma_i(1 - \sigma_i)", s_i * (1 - s_i)),
    (r"\sigma_{i}(\sigma_{j} + 2)", s_i * (s_j + 2)),
])
def test_an_entry_times_its_own_entries(tex, built):
    assert same_value(parse_expression(tex, SCOPE), built)


@pytest.mark.parametrize("tex", [r"f_2(f_1(x))", r"\sigma_i(x)", r"\sigma_i(x + 1)", r"\sigma_i(\sigma_j)"])
def test_an_application_stays_as_before(tex):
    with pytest.raises(LatexSyntaxError):
        parse_expression(tex, SCOPE)


STEPS = {
    r"\sigma_i - \sigma_i \sigma_j": True,
    r"\sigma_i + \sigma_i \sigma_j": False,
    r"\sigma_i - \sigma_j": False,
}


@pytest.mark.parametrize("rhs", sorted(STEPS))
def test_a_step_through_the_product(rhs):
    truth = same_value(parse_expression(rhs, SCOPE), s_i * (1 - s_j))
    assert truth == STEPS[rhs]
    post = (r"$$\sigma(x) = \frac{1}{1 + e^{-x}}$$" + "\n\n"
            + f"$$\\sigma_i(1 - \\sigma_j) = {rhs}$$\n")
    report = check_post(post, "own.md", timeout=10)
    assert not report.unreadable, report.unreadable
    assert [step.verdict for step in report.claims()][-1] == ("proved" if truth else "refuted")
