"""A sum over a primed index (latex/sums.py ``read_index``, names, subscripts):
``\\sum_{j'} e^{z_{j'}}`` binds j', an index of its own beside j, and
``A_{jj'}`` is A[j, j'] (letters side by side, each with its primes, are
separate indices). A primed index no sum binds (``x_{k'}``) stays an error.

Oracle: explicit sums at n = 3 built by hand, and sympy.diff of log-sum-exp;
wrong variants refuted through ``check``.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import IndexedBase, Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_expression
from symderive.post.check import check_post

j, n = Symbol("j", integer=True), Symbol("n", integer=True, positive=True)
x, A = IndexedBase("x", real=True), IndexedBase("A", real=True)
SCOPE = Scope(indexed={"x": x, "A": A}, indices={"j": j, "n": n})


def explicit(expr: sympy.Basic, size: int = 3) -> sympy.Basic:
    return expr.subs(n, size).doit()


@pytest.mark.parametrize("tex, built", [
    (r"\sum_{j'=1}^{n} x_{j'}", lambda: x[1] + x[2] + x[3]),
    (r"\sum_{j'=1}^{n} A_{jj'} x_{j'}", lambda: A[j, 1] * x[1] + A[j, 2] * x[2] + A[j, 3] * x[3]),
    (r"\sum_{j'=1}^{n} A_{j j'} x_{j'}", lambda: A[j, 1] * x[1] + A[j, 2] * x[2] + A[j, 3] * x[3]),
    (r"\sum_{j' \neq j} x_{j'}", lambda: x[1] + x[2] + x[3] - x[j]),
    (r"\sum_{k''=1}^{n} x_{k''}^2", lambda: x[1] ** 2 + x[2] ** 2 + x[3] ** 2),
])
def test_a_primed_index_is_bound_by_its_sum(tex, built):
    assert sympy.expand(explicit(parse_expression(tex, SCOPE)) - built()) == 0


def test_unprimed_letters_side_by_side_are_still_indices():
    assert parse_expression(r"A_{ij}", SCOPE).indices[1] == j


@pytest.mark.parametrize("tex", [r"x_{j'}", r"\sum_{k} x_{k'}"])
def test_a_primed_index_no_sum_binds_stays_an_error(tex):
    with pytest.raises(LatexSyntaxError):
        parse_expression(tex, SCOPE)


LSE = r"\frac{\partial}{\partial z_j} \log \sum_{j'=1}^{n} e^{z_{j'}}"
Z = sympy.symbols("z1:4", real=True)
TOTAL = sum(sympy.exp(v) for v in Z)
STEPS = {  # each right side built by hand at n = 3, j = 1
    r"\frac{e^{z_j}}{\sum_{j'=1}^{n} e^{z_{j'}}}": sympy.exp(Z[0]) / TOTAL,
    r"\frac{1}{\sum_{j'=1}^{n} e^{z_{j'}}}": 1 / TOTAL,
    r"\frac{e^{z_j}}{\sum_{j'=1}^{n} e^{2 z_{j'}}}": sympy.exp(Z[0]) / sum(sympy.exp(2 * v) for v in Z),
}


@pytest.mark.parametrize("rhs", sorted(STEPS))
def test_log_sum_exp_over_a_primed_index(rhs):
    """Truth at n = 3, j = 1 by sympy.diff of log(e^z1 + e^z2 + e^z3)."""
    truth = sympy.simplify(sympy.diff(sympy.log(TOTAL), Z[0]) - STEPS[rhs]) == 0
    report = check_post(f"$${LSE} = {rhs}$$\n", "primed.md", timeout=20)
    assert not report.unreadable, report.unreadable
    assert [step.verdict for step in report.claims()] == ["proved" if truth else "refuted"]
