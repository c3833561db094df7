"""Primes: after an expression, on a declared function, and on a letter the
post declares nowhere (corpus post 19: ``(u/v)' = (vu' - uv')/v^2``).

The truth of each claim comes from the oracle of ``test_notation``
(``doit`` and 40-digit evaluation at random points); for rules stated for
all functions, the oracle tries concrete functions in place of u and v.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Derivative, Function, Symbol

from symderive.latex import parse_display
from symderive.post.check import check_post
from symderive.post.names import infer_scope
from test_notation import holds, run_class, same_value

x = Symbol("x", real=True)
E = sympy.exp
u, v = Function("u"), Function("v")

# -- 1. primes after an expression, and repeated primes on a declared function ----------------

f = Function("f")
PRIMES = {
    "prime-after-a-product": ("", r"(x^2 \sin x)'", Derivative(x**2 * sympy.sin(x), x),
                              [(r"2x \sin x + x^2 \cos x", 2 * x * sympy.sin(x) + x**2 * sympy.cos(x)),
                               (r"2x \cos x", 2 * x * sympy.cos(x))]),
    "prime-after-left-right": ("", r"\left(\frac{1}{1+e^{-x}}\right)'", Derivative(1 / (1 + E(-x)), x),
                               [(r"\frac{e^{-x}}{(1+e^{-x})^2}", E(-x) / (1 + E(-x))**2),
                                (r"\frac{-e^{-x}}{(1+e^{-x})^2}", -E(-x) / (1 + E(-x))**2)]),
    "double-prime-on-a-function": ("Let $f(x) = x^3 e^x$.", r"f''(x)", Derivative(x**3 * E(x), (x, 2)),
                                   [(r"(6x + 6x^2 + x^3) e^x", (6 * x + 6 * x**2 + x**3) * E(x)),
                                    (r"(3x^2 + x^3) e^x", (3 * x**2 + x**3) * E(x))]),
}


@pytest.mark.parametrize("case", sorted(PRIMES))
def test_primes(case):
    run_class(PRIMES, case)


# -- 2. a primed letter declared nowhere is an unknown function of the variable -------------------

def concrete_functions(expr):
    """u and v replaced by two concrete functions (a rule for all functions
    must hold for these; a wrong one fails for them)."""
    t = Symbol("t")
    return expr.replace(u, sympy.Lambda(t, sympy.sin(t) + 2)).replace(v, sympy.Lambda(t, E(t / 3) + t**2))


RULES = {
    # claim: (lhs, rhs) in SymPy with u, v unknown functions of x
    r"\left(\dfrac{u}v\right)'=\dfrac{vu'-uv'}{v^2}": (
        Derivative(u(x) / v(x), x), (v(x) * u(x).diff(x) - u(x) * v(x).diff(x)) / v(x)**2),
    r"(uv)' = u'v + uv'": (Derivative(u(x) * v(x), x), u(x).diff(x) * v(x) + u(x) * v(x).diff(x)),
    r"\left(\dfrac{u}v\right)'=\dfrac{vu'+uv'}{v^2}": (
        Derivative(u(x) / v(x), x), (v(x) * u(x).diff(x) + u(x) * v(x).diff(x)) / v(x)**2),
    r"(uv)' = u'v'": (Derivative(u(x) * v(x), x), u(x).diff(x) * v(x).diff(x)),
    r"(u^2)' = 2u'": (Derivative(u(x)**2, x), 2 * u(x).diff(x)),
}


@pytest.mark.parametrize("claim", sorted(RULES))
def test_a_primed_undeclared_letter_is_a_function(claim):
    """True rules are proved; wrong ones are never proved (an unknown
    function gives no point to refute at, so they may stay unknown)."""
    lhs, rhs = RULES[claim]
    truth = holds(concrete_functions(lhs), concrete_functions(rhs))
    left, right = parse_display(claim, infer_scope([claim])).parts  # the display is read as a whole
    assert same_value(concrete_functions(left.expr), concrete_functions(lhs))
    assert same_value(concrete_functions(right.expr), concrete_functions(rhs))
    report = check_post(f"$${claim}$$\n", "rule.md", timeout=10)
    verdicts = [step.verdict for step in report.claims()]
    assert not report.unreadable and len(verdicts) == 1
    if truth:
        assert verdicts == ["proved"], claim
    else:
        assert verdicts != ["proved"], claim


@pytest.mark.parametrize("rhs_tex, rhs", [("2x", 2 * x), ("3x", 3 * x), ("x^2", x**2)])
def test_a_letter_the_post_defines_keeps_its_definition(rhs_tex, rhs):
    """``u = x^2`` defines u: u' is the derivative of x^2 (proved or
    refuted), not that of an unknown function (which would stay unknown)."""
    report = check_post(f"$$u = x^2$$\n\n$$u' = {rhs_tex}$$\n", "defined.md", timeout=10)
    expected = "proved" if holds(Derivative(x**2, x), rhs) else "refuted"
    assert [step.verdict for step in report.claims()] == [expected]
