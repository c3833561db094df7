"""Newton's dot on a function the post defines (latex/newton_dot.py):
``\\dot{FL}(p)`` beside ``\\dot p`` is FL'(p)·ṗ, the rate of FL along p; a
dotted function without the dot of its argument in the display stays as
it was read before.

Oracle: sympy.diff of the post's function times the symbol p_dot; wrong
variants are refuted through ``check``.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol

from symderive.latex import Scope, parse_display
from symderive.post.check import check_post
from test_notation import same_value

p, p_dot, gamma = Symbol("p", real=True), Symbol("p_dot", real=True), Symbol("gamma", real=True)
FL = -(1 - p) ** gamma * sympy.log(p)
CE = -sympy.log(p)
POST = "$$FL(p) = -(1-p)^\\gamma \\log(p)$$\n\n$$CE(p) = -\\log(p)$$\n\n"
SCOPE = Scope(variables={"p": p, "gamma": gamma})


def verdicts(display: str) -> list[str]:
    report = check_post(POST + f"$${display}$$\n", "dots.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return [step.verdict for step in report.claims()]


RATES = {
    r"\dot p [\gamma(1-p)^{\gamma -1} \log(p) -\frac{(1-p)^\gamma}{p}]": ("FL", True),
    r"\dot p [\gamma(1-p)^{\gamma -1} \log(p) +\frac{(1-p)^\gamma}{p}]": ("FL", False),
    r"[\gamma(1-p)^{\gamma -1} \log(p) -\frac{(1-p)^\gamma}{p}] + \dot p": ("FL", False),
    r"(1-p)^\gamma \dot{CE}(p) + \gamma \dot p (1-p)^{\gamma -1} \log(p)": ("FL", True),
    r"(1-p)^\gamma \dot{CE}(p) - \gamma \dot p (1-p)^{\gamma -1} \log(p)": ("FL", False),
    r"-\frac{\dot p}{p}": ("CE", True),
    r"\frac{\dot p}{p}": ("CE", False),
}


@pytest.mark.parametrize("rhs", sorted(RATES))
def test_the_rate_of_a_defined_function_along_its_dotted_argument(rhs):
    name, truth = RATES[rhs]
    body = {"FL": FL, "CE": CE}[name]
    rate = sympy.diff(body, p) * p_dot
    values = {"\\dot{CE}(p)": sympy.diff(CE, p) * p_dot}
    written = rhs.replace("\\dot{CE}(p)", "C").replace("\\dot p", "P")
    read = parse_display(f"a = {written}", Scope(variables={"p": p, "gamma": gamma, "C": Symbol("C", real=True),
                                                            "P": p_dot})).parts[1].expr
    read = read.subs(Symbol("C", real=True), values["\\dot{CE}(p)"])
    assert same_value(read, rate) == truth
    assert verdicts(f"\\dot{{{name}}}(p) = {rhs}") == ["proved" if truth else "refuted"]


def test_the_dotted_function_reads_as_its_derivative_times_the_rate():
    scope = Scope(variables={"p": p}, functions={"F": sympy.Function("F")})
    value = parse_display(r"\dot{F}(p) = \dot p", scope).parts[0].expr
    assert value == sympy.Derivative(sympy.Function("F")(p), p) * p_dot


def test_without_the_dot_of_the_argument_the_dot_is_not_read_as_a_rate():
    """``\\dot{F}(p) = 2p``: the dot may mean F'(p); nothing here reads it as F'(p)·ṗ."""
    scope = Scope(functions={"F": sympy.Function("F")})
    value = parse_display(r"\dot{F}(p) = 2 p", scope).parts[0].expr
    assert not value.has(sympy.Derivative)
