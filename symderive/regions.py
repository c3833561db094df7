"""Regions of one real variable, read exactly and cheaply.

A case split asks, for every branch of a Piecewise, whether the branch's
region has an interior; only then is there something to prove. SymPy's
``as_set`` answers that but goes through the inequality solver (periodicity,
simplify), which is slow. The conditions derivations produce are almost always linear in the variable
with numeric bounds (x > 0, -3 < x <= 3, Not(x > 6)); those are read here
directly into intervals, and anything else is left to ``as_set``.
"""

from __future__ import annotations

from functools import cmp_to_key

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


def _linear(difference: sympy.Expr, variable: sympy.Symbol) -> tuple | None:
    """(slope, point) with difference = slope * (variable - point), a
    rational slope and a real numeric point; None when it is not of that form."""
    constant, rest = sympy.expand(difference).as_independent(variable, as_Add=True)
    slope, monomial = rest.as_coeff_Mul()
    if monomial != variable or not slope.is_Rational or slope == 0 or not constant.is_number:
        return None
    if not constant.is_real:
        return None
    return slope, -constant / slope


def _relation_set(relation: Relational, variable: sympy.Symbol) -> sympy.Set | None:
    linear = _linear(relation.lhs - relation.rhs, variable)
    if linear is None:
        return None
    slope, point = linear  # relation: slope * (variable - point) <op> 0
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


def real_variable(symbols) -> sympy.Symbol | None:
    """The one real (not integer) variable among ``symbols``, if there is
    exactly one symbol and it is such a variable."""
    if len(symbols) != 1:
        return None
    variable = next(iter(symbols))
    return variable if variable.is_real and not variable.is_integer else None


def has_no_interior(region: sympy.Basic) -> bool:
    """A region with no interior in one real variable (empty, or isolated
    points): nothing to prove there; the value of a derivative at a kink is a
    convention, reported apart. False when not read: "may have an interior"
    only costs a proof attempt."""
    if region is sympy.false:
        return True
    _, found = _region_set(region)
    return found is not None and bool(found.is_empty or isinstance(found, sympy.FiniteSet))


def _region_set(region: sympy.Basic):
    """(variable, the set of its values in the region) for a region of one
    real variable: intervals read directly when the bounds are linear,
    SymPy's as_set for polynomial conditions; the set is None for anything
    else (sin(x) >= 0 and the like: as_set searches for a period without
    bound on time or memory)."""
    variable = real_variable(region.free_symbols)
    if variable is None:
        return None, None
    found = linear_set(region, variable)
    if found is not None:
        return variable, found
    if not all(_is_polynomial(r, variable) for r in region.atoms(Relational)):
        return variable, None
    try:
        return variable, region.as_set()
    except (NotImplementedError, TypeError, ValueError):
        return variable, None


def is_empty(region: sympy.Basic) -> bool:
    """Whether a region of one real variable is certainly empty (read as in
    ``has_no_interior``, within the variable's own sign: a positive symbol
    lies in (0, oo)); False when not decided."""
    if region is sympy.false:
        return True
    variable, found = _region_set(region)
    if found is None:
        return False
    if variable.is_positive:
        found = sympy.Intersection(found, sympy.Interval.open(0, sympy.oo))
    elif variable.is_nonnegative:
        found = sympy.Intersection(found, sympy.Interval(0, sympy.oo))
    return found.is_empty is True


def _is_polynomial(relation: Relational, variable: sympy.Symbol) -> bool:
    difference = relation.lhs - relation.rhs
    return difference.is_polynomial(variable) and all(
        c.is_number for c in sympy.Poly(difference, variable).all_coeffs())


def breakpoints(exprs, variable: sympy.Symbol) -> list | None:
    """The sorted points where a condition inside ``exprs`` can change truth,
    when every relation there is linear in ``variable`` alone with numeric
    bounds; else None."""
    points = set()
    for expr in exprs:
        for relation in expr.atoms(Relational):
            if relation.free_symbols != {variable}:
                return None
            found = _relation_set(relation, variable)
            if found is None:
                return None
            boundary = found.boundary
            if not isinstance(boundary, sympy.FiniteSet) or not all(p.is_real for p in boundary):
                return None
            points |= set(boundary)
    return sorted(points, key=lambda p: float(p))


def symbolic_breakpoints(exprs, variable) -> list | None:
    """The points where a condition inside ``exprs`` can change truth as
    ``variable`` alone moves, the other symbols held at any values their
    assumptions allow: each relation linear in ``variable`` with a rational
    slope (or free of it) puts one point, an expression in the other
    symbols; the points in the order every admissible value gives them
    (y - delta < y < y + delta for a positive delta). None when a relation
    is not linear in ``variable`` or two points have no decided order."""
    points: list = []
    for expr in exprs:
        for relation in expr.atoms(Relational):
            linear = _linear_in(relation.lhs - relation.rhs, variable)
            if linear is None:
                return None
            if linear is _CONSTANT:
                continue
            point = linear
            if all(_order(point, known) is not None and _order(point, known) != 0 for known in points):
                points.append(point)
            elif not any(_order(point, known) == 0 for known in points):
                return None
    return sorted(points, key=cmp_to_key(_order))


_CONSTANT = object()


def _linear_in(difference: sympy.Expr, variable) -> sympy.Expr | object | None:
    """The point where difference = slope * (variable - point) is 0, for a
    rational slope and a real point free of ``variable``; _CONSTANT when
    the difference does not hold ``variable``; else None."""
    if not difference.has(variable):
        return _CONSTANT
    constant, rest = sympy.expand(difference).as_independent(variable, as_Add=True)
    slope, monomial = rest.as_coeff_Mul()
    if monomial != variable or not slope.is_Rational or slope == 0 or constant.has(variable):
        return None
    if constant.is_real is not True:
        return None
    return -constant / slope


def _order(left, right) -> int | None:
    """-1, 0 or 1 as left is below, at or above right for every admissible
    value of their symbols; None when the assumptions do not decide."""
    difference = sympy.expand(left - right)
    if difference.is_zero:
        return 0
    if difference.is_positive:
        return 1
    if difference.is_negative:
        return -1
    return None


def symbolic_intervals(points: list, variable) -> list[tuple[sympy.Basic, sympy.Expr]]:
    """(condition, an interior point) for each open interval the ordered
    points cut the line into, the interior point an expression in the
    points' symbols (a midpoint, or one beyond the last point)."""
    if not points:
        return [(sympy.true, sympy.Integer(0))]
    bounds = [(None, points[0])] + list(zip(points, points[1:])) + [(points[-1], None)]
    found = []
    for low, high in bounds:
        if low is None:
            found.append((variable < high, high - 1))
        elif high is None:
            found.append((variable > low, low + 1))
        else:
            found.append((sympy.And(variable > low, variable < high), (low + high) / 2))
    return found


def open_intervals(points: list, variable: sympy.Symbol) -> list[tuple[sympy.Basic, sympy.Expr]]:
    """(condition, an interior point) for each open interval the points cut
    the real line into. Between two neighbouring points every linear
    relation keeps its truth value, so a condition true at the interior
    point is true on the whole interval."""
    if not points:
        return [(sympy.true, sympy.Integer(0))]
    bounds = [(None, points[0])] + list(zip(points, points[1:])) + [(points[-1], None)]
    found = []
    for low, high in bounds:
        if low is None:
            found.append((variable < high, sympy.floor(high) - 1))
        elif high is None:
            found.append((variable > low, sympy.ceiling(low) + 1))
        else:
            found.append((sympy.And(variable > low, variable < high), (low + high) / 2))
    return found


def as_piecewise(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with Max, Min and Abs (and Heaviside and sign, by SymPy)
    written as Piecewise, innermost first, so that every region has a body.

    The conditions compare the arguments directly: Max(a, b, c) is a where
    a >= b and a >= c, else b where b >= c, else c. A Piecewise argument is
    first folded outwards (Min(6, (0 if x <= -3 else x + 3)) is a Piecewise
    of Mins), so no condition holds a Piecewise (SymPy's own rewrite puts
    nested cases into its conditions and reads them with the slow ``as_set``)."""
    if expr.has(sympy.Max, sympy.Min, sympy.Abs):
        expr = _cases_of(expr)
    if expr.has(sympy.Heaviside, sympy.sign):
        expr = expr.rewrite(sympy.Piecewise)
    return expr


def _cases_of(node: sympy.Basic) -> sympy.Basic:
    if not node.args or not node.has(sympy.Max, sympy.Min, sympy.Abs):
        return node
    args = [_cases_of(arg) for arg in node.args]
    if not isinstance(node, (sympy.Max, sympy.Min, sympy.Abs)):
        return node.func(*args)
    if any(isinstance(arg, sympy.Piecewise) for arg in args):
        folded = sympy.piecewise_fold(node.func(*args, evaluate=False))
        if isinstance(folded, sympy.Piecewise):
            return sympy.Piecewise(*((_cases_of(body), condition) for body, condition in folded.args))
    if isinstance(node, sympy.Abs):
        (arg,) = args
        if not arg.is_extended_real:
            return sympy.Abs(arg).rewrite(sympy.Piecewise)
        return sympy.Piecewise((arg, _compared(arg, sympy.GreaterThan, sympy.Integer(0))), (-arg, True))
    order = sympy.GreaterThan if isinstance(node, sympy.Max) else sympy.LessThan
    cases = [(arg, sympy.And(*(_compared(arg, order, other) for other in args[at + 1:])))
             for at, arg in enumerate(args[:-1])]
    return sympy.Piecewise(*cases, (args[-1], True))


def _compared(left, order, right) -> sympy.Basic:
    """left >= right (or <=), as ``variable <op> bound`` when the difference
    is linear in one real variable: Min(6, x + 3) is 6 where x >= 3."""
    relation = order(left, right)
    if not isinstance(relation, Relational):
        return relation  # decided already (True or False)
    variable = real_variable(relation.free_symbols)
    linear = None if variable is None else _linear(left - right, variable)
    if linear is None:
        return relation
    slope, point = linear  # slope * (variable - point) <op> 0
    flipped = {sympy.GreaterThan: sympy.LessThan, sympy.LessThan: sympy.GreaterThan}[order]
    return (order if slope > 0 else flipped)(variable, point)
