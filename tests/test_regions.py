"""regions.linear_set against SymPy's own as_set, and regions.as_piecewise
against SymPy's own rewrite and the functions' values (the independent oracles)."""

import pytest
import sympy

from symderive.regions import as_piecewise, has_no_interior, linear_set

x = sympy.Symbol("x", real=True)
lam = sympy.Symbol("lambda", positive=True)

CONDITIONS = [
    x > 0, x >= 0, x < 0, x <= -3, 2 * x - 1 >= 0, -x > 2, 3 > x,
    (x > -3) & (x < 3), (x >= 6) | (x <= 0), sympy.Not(x > 6),
    (x <= 0) & sympy.Not(x < 0), (x > 0) & (x < 0), sympy.Eq(x, 1), sympy.Ne(x, 1),
    (x > 0) & sympy.Not(sympy.Or(x > 0, x <= -1)), x > sympy.sqrt(2), sympy.Rational(1, 3) * x < 1,
]


@pytest.mark.parametrize("condition", CONDITIONS, ids=str)
def test_linear_set_matches_as_set(condition):
    assert linear_set(condition, x) == condition.as_set()


@pytest.mark.parametrize("condition", [x**2 > 1, sympy.sin(x) > 0, x > lam], ids=str)
def test_nonlinear_is_left_to_sympy(condition):
    assert linear_set(condition, x) is None


@pytest.mark.parametrize("condition, expected", [
    ((x <= 0) & (x >= 0), True), ((x > 0) & (x <= 0), True), (x > 0, False),
    ((x**2 <= 0), True), (x**2 > 1, False), (sympy.false, True), (x > lam, False),
])
def test_has_no_interior(condition, expected):
    assert has_no_interior(condition) is expected


alpha = sympy.Symbol("alpha", positive=True)
z = sympy.Symbol("z")  # no assumptions: Abs of it is not split by sign
CASES = [
    sympy.Max(0, x), sympy.Min(6, x + 3), sympy.Min(6, sympy.Max(0, x + 3)), sympy.Max(-1, sympy.Min(1, x)),
    sympy.Max(0, x, 2 * x), sympy.Abs(x - 1), sympy.Abs(2 - 3 * x), x / (1 + sympy.Abs(x)),
    sympy.Max(0, x) + alpha * sympy.Min(0, x), x * sympy.Min(6, sympy.Max(0, x + 3)) / 6,
    sympy.Max(0, sympy.Min(1, x / 6 + sympy.Rational(1, 2))), sympy.Max(x, alpha * x), sympy.Heaviside(x) * x,
    sympy.sign(x - 2) + sympy.Max(x**2, 1), sympy.Min(x, sympy.exp(x)), sympy.Abs(sympy.Max(x, -2)),
]
POINTS = [sympy.Rational(k, 4) for k in range(-40, 41)]


@pytest.mark.parametrize("expr", CASES, ids=str)
def test_as_piecewise_has_the_same_values(expr):
    cases = as_piecewise(expr)
    assert not cases.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside, sympy.sign)
    for point in POINTS:
        values = {symbol: point for symbol in (x,)} | {alpha: sympy.Rational(17, 10)}
        assert sympy.N(expr.subs(values) - cases.subs(values), 30) == 0, point


@pytest.mark.parametrize("expr", CASES, ids=str)
def test_as_piecewise_agrees_with_sympys_rewrite(expr):
    ours, theirs = as_piecewise(expr), expr.rewrite(sympy.Piecewise)
    for point in POINTS[::4]:
        values = {x: point, alpha: sympy.Rational(17, 10)}
        assert sympy.N(ours.subs(values) - theirs.subs(values), 30) == 0, point


def test_as_piecewise_conditions_hold_no_piecewise_and_read_as_bounds():
    cases = as_piecewise(sympy.Min(6, sympy.Max(0, x + 3)))
    for relation in cases.atoms(sympy.core.relational.Relational):
        assert not relation.has(sympy.Piecewise)
        assert relation.lhs == x and relation.rhs.is_number  # x >= 3, not x + 3 >= 6
    assert as_piecewise(x**2 + 1) == x**2 + 1
    assert as_piecewise(sympy.Abs(z)) == sympy.Abs(z).rewrite(sympy.Piecewise)  # not split by sign
