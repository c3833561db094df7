"""Regions of one real variable, read exactly and cheaply.

A case split asks, for every branch of a Piecewise, whether the branch's
region has an interior; only then is there something to prove. SymPy's
``as_set`` answers that but goes through the inequality solver (periodicity,
simplify), which made it the single largest cost of verifying the library.
The conditions derivations produce are almost always linear in the variable
with numeric bounds (x > 0, -3 < x <= 3, Not(x > 6)); those are read here
directly into intervals, and anything else is left to ``as_set``.
"""

from __future__ import annotations

import sympy
from sympy.core.relational import Relational

_OPEN = {sympy.StrictGreaterThan, sympy.StrictLessThan}


def linear_set(condition: sympy.Basic, variable: sympy.Symbol) -> sympy.Set | None:
    """The subset of the reals where ``condition`` holds, when every relation
    in it is linear in ``variable`` with numeric coefficients; else None."""
    if condition is sympy.true or condition is True:
        return sympy.S.Reals
    if condition is sympy.false or condition is False:
        return sympy.S.EmptySet
    if isinstance(condition, (sympy.And, sympy.Or)):
        parts = [linear_set(arg, variable) for arg in condition.args]
        if any(part is None for part in parts):
            return None
        combine = sympy.Intersection if isinstance(condition, sympy.And) else sympy.Union
        return combine(*parts)
    if isinstance(condition, sympy.Not):
        inner = linear_set(condition.args[0], variable)
        return None if inner is None else sympy.Complement(sympy.S.Reals, inner)
    if isinstance(condition, Relational):
        return _relation_set(condition, variable)
    return None


def _relation_set(relation: Relational, variable: sympy.Symbol) -> sympy.Set | None:
    difference = sympy.expand(relation.lhs - relation.rhs)
    constant, rest = difference.as_independent(variable, as_Add=True)
    slope, monomial = rest.as_coeff_Mul()
    if monomial != variable or not slope.is_Rational or slope == 0 or not constant.is_number:
        return None
    if not constant.is_real:
        return None
    point = -constant / slope  # relation: slope * (variable - point) <op> 0
    kind = type(relation)
    if isinstance(relation, sympy.Eq):
        return sympy.FiniteSet(point)
    if isinstance(relation, sympy.Ne):
        return sympy.Complement(sympy.S.Reals, sympy.FiniteSet(point))
    above = isinstance(relation, (sympy.StrictGreaterThan, sympy.GreaterThan)) == (slope > 0)
    is_open = kind in _OPEN
    if above:
        return sympy.Interval(point, sympy.oo, left_open=is_open)
    return sympy.Interval(-sympy.oo, point, right_open=is_open)


def has_no_interior(region: sympy.Basic) -> bool:
    """A region with no interior in one real variable (empty, or isolated
    points): nothing to prove there; the value of a derivative at a kink is a
    convention, reported apart."""
    if region is sympy.false:
        return True
    symbols = region.free_symbols
    if len(symbols) != 1:
        return False
    variable = next(iter(symbols))
    if not variable.is_real or variable.is_integer:
        return False
    found = linear_set(region, variable)
    if found is None:
        try:
            found = region.as_set()
        except (NotImplementedError, TypeError, ValueError):
            return False
    return found.is_empty or isinstance(found, sympy.FiniteSet)
