"""regions.linear_set against SymPy's own as_set (the independent oracle)."""

import pytest
import sympy

from symderive.regions import has_no_interior, linear_set

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
