"""Points at which to evaluate two expressions to look for a counterexample.

Numbers found here may refute a step, never prove one. Points cover every
region of piecewise expressions (both sides of each kink, never the kink
itself), respect the region a case is restricted to, and give indices and
symbolic lengths small concrete values so sums can be expanded.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterator

import mpmath
import sympy
from sympy import Rational

from ..case_functions import BY_ORDER, BY_SIGN

# Nice points first: a counterexample at x = 0 reads better than at x = 7/3.
REAL_POINTS = tuple(
    Rational(p) for p in ("0", "1", "-1", "1/2", "-1/2", "2", "-2", "1/3", "-3/2", "3", "-5/2", "7/3")
)
VECTOR_VALUES = tuple(Rational(p) for p in ("1/2", "-1", "2", "1/3", "-1/4", "3/2", "0", "-2"))
LENGTHS = (3, 4, 2)


@dataclass(frozen=True)
class Point:
    """An assignment of exact values to symbols, plus values for sums' lengths."""

    values: dict

    def describe(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((str(k), str(v)) for k, v in self.values.items()))


def boundaries(expr: sympy.Basic) -> list[sympy.Expr]:
    """Expressions that are zero where a piecewise part of ``expr`` switches
    (x - lambda for a kink at x = lambda): points where one is zero are not
    sampled, since a derivative's value there is a convention."""
    found = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, BY_ORDER):
            found += [a - b for a, b in itertools.combinations(node.args, 2)]
        elif isinstance(node, BY_SIGN):
            found.append(node.args[0])
        elif isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                found += [r.lhs - r.rhs for r in condition.atoms(sympy.core.relational.Relational)]
    return found


def on_a_boundary(expr: sympy.Basic, point: dict, region=sympy.true) -> bool:
    """Whether ``point`` is where a piecewise part of ``expr`` switches, or on
    the edge of ``region`` (y s = 1 for the case y s >= 1): the branches a
    case split compares there hold the value a convention gives."""
    edges = [] if region in (True, sympy.true) else [
        r.lhs - r.rhs for r in region.atoms(sympy.core.relational.Relational)
        if not isinstance(r, (sympy.Eq, sympy.Ne))]
    for boundary in boundaries(expr) + edges:
        value = boundary.subs(point)
        if value.is_number and value == 0:
            return True
    return False


def _switching(node) -> list:
    """Expressions that are zero where ``node`` switches branch."""
    if isinstance(node, BY_ORDER):
        return [a - b for a, b in itertools.combinations(node.args, 2)]
    if isinstance(node, BY_SIGN):
        return [node.args[0]]
    if isinstance(node, (sympy.Piecewise, sympy.And, sympy.Or, sympy.Not, sympy.core.relational.Relational)):
        relations = node.atoms(sympy.core.relational.Relational)
        return [r.lhs - r.rhs for r in relations if not isinstance(r, (sympy.Eq, sympy.Ne))]
    return []


def _polynomial(candidate, variable):
    if not candidate.has(variable) or not candidate.is_polynomial(variable):
        return None
    try:
        polynomial = sympy.Poly(candidate, variable)
    except sympy.PolynomialError:
        return None
    return polynomial if all(c.is_number for c in polynomial.all_coeffs()) else None


def kinks(expr: sympy.Basic, variable: sympy.Symbol) -> set[sympy.Expr]:
    """Exact points where a piecewise part of ``expr`` (or a condition)
    switches, in ``variable``: the roots of linear switching expressions."""
    found: set[sympy.Expr] = set()
    for node in sympy.preorder_traversal(expr):
        for candidate in _switching(node):
            polynomial = _polynomial(candidate, variable)
            if polynomial is not None and polynomial.degree() == 1:
                low, high = polynomial.all_coeffs()[1], polynomial.all_coeffs()[0]
                root = -low / high
                if root.is_real:
                    found.add(root)
    return found


WINDOW = 6  # where jumps of floor and ceiling are looked for: -6 <= x <= 6
MAX_BREAKS = 48


def approximate_breaks(expr: sympy.Basic, variable: sympy.Symbol) -> list[sympy.Rational]:
    """Rational points near where ``expr`` switches but no exact linear root
    says so: real roots of polynomial switching expressions of higher degree
    (x^2 < 30 switches near 5.477), and the jumps of floor and ceiling of a
    linear argument inside the window. Points around them are sampled, not
    the points themselves, so an approximation is enough."""
    found = []
    for node in sympy.preorder_traversal(expr):
        for candidate in _switching(node):
            polynomial = _polynomial(candidate, variable)
            if polynomial is not None and 1 < polynomial.degree() <= 8:
                try:
                    roots = polynomial.nroots(n=20)
                except (sympy.polys.polyerrors.PolynomialError, mpmath.libmp.NoConvergence):
                    continue
                found += [Rational(str(r)) for r in roots if r.is_real]
        if isinstance(node, (sympy.floor, sympy.ceiling)):
            polynomial = _polynomial(node.args[0], variable)
            if polynomial is not None and polynomial.degree() == 1:
                slope, offset = polynomial.all_coeffs()
                if slope.is_Rational and offset.is_Rational:
                    ends = sorted((slope * -WINDOW + offset, slope * WINDOW + offset))
                    jumps = range(int(sympy.ceiling(ends[0])), int(sympy.floor(ends[1])) + 1)
                    found += [(m - offset) / slope for m in jumps[:MAX_BREAKS]]  # a range: sliced lazily
    return found[:MAX_BREAKS]


def real_points(variable: sympy.Symbol, expr: sympy.Expr, condition) -> list[sympy.Expr]:
    """Sample values for ``variable``: the nice points, both sides of every
    kink, and a point inside every interval between the breakpoints found
    (kinks, case bounds, zeros of sgn and Abs arguments, roots of polynomial
    conditions, floor and ceiling jumps), so that a branch wrong only on
    [5, 6) or [1/2, 3/5) is seen; never a kink itself, never a point
    outside ``condition``."""
    region = condition if condition not in (True, sympy.true) else sympy.true
    breaks = kinks(sympy.Tuple(expr, region), variable)
    points = list(REAL_POINTS)
    for k in sorted(breaks, key=sympy.default_sort_key):
        points += [k + Rational(1, 7), k - Rational(1, 7), k + Rational(1, 1000), k - Rational(1, 1000)]
    near = approximate_breaks(sympy.Tuple(expr, region), variable)
    for k in near:
        points += [k + Rational(1, 1000), k - Rational(1, 1000)]
    ordered = sorted(set(near) | {b for b in breaks if b.is_Rational} | {_rational(b) for b in breaks},
                     key=float)
    points += [(low + high) / 2 for low, high in zip(ordered, ordered[1:])]
    if ordered:
        points += [ordered[0] - 1, ordered[-1] + 1]
    points = [p for p in dict.fromkeys(points) if p not in breaks and _allowed(variable, p)]
    if region is not sympy.true and region.free_symbols == {variable}:
        points = [p for p in points if _holds(region, variable, p)]
    return points


def _rational(value) -> Rational:
    return value if value.is_Rational else Rational(str(value.evalf(20)))


def _holds(condition, variable, value) -> bool:
    """Whether ``condition`` is true at variable = value (False when SymPy
    cannot decide, or the condition has no value there: 1/x > 0 at 0)."""
    try:
        return condition.subs(variable, value) is sympy.true
    except (TypeError, ValueError):
        return False


def _allowed(symbol: sympy.Symbol, value) -> bool:
    """A value the symbol's assumptions allow (a parameter declared positive
    is never given -1: SymPy may already have simplified with its sign)."""
    if symbol.is_positive and not value > 0:
        return False
    if symbol.is_nonnegative and value < 0:
        return False
    if symbol.is_negative and not value < 0:
        return False
    if symbol.is_nonpositive and value > 0:
        return False
    return True


def index_assignments(integers: list[sympy.Symbol], lengths: list[sympy.Symbol], condition,
                      first: int = 1) -> Iterator[dict]:
    """Concrete values for free index symbols and symbolic lengths (n): the
    indices run over the vector range, first..first + n - 1 (1..n, or
    0..n-1 for a 0-based claim), as far as their declarations allow."""
    for n_value in LENGTHS:
        base = {n: n_value for n in lengths}
        ranges = [[v for v in range(first, first + n_value) if _allowed(symbol, v)] for symbol in integers]
        for values in itertools.product(*ranges):
            assignment = dict(base)
            assignment.update(zip(integers, values))
            if condition not in (True, sympy.true) and condition.free_symbols <= set(assignment):
                if condition.subs(assignment) is not sympy.true:
                    continue
            yield assignment


def vector_value(position, label=None) -> sympy.Expr:
    """The value of the entry at ``position`` (an index, or a tuple of
    indices: W_{ij}) of the vector named ``label``: the same table for every
    vector, each name moved by its own thirteenths (a function of the name
    alone, so both sides of a step, concretised apart, agree; z, the usual
    softmax input, not moved). p_i and y_i given equal values would hide
    p_i - y_i written as y_i - p_i; a shift, unlike a rotation of the table,
    moves no entry onto 0, where theta_0 would hide a sign flip of theta_0."""
    position = _flat(position)
    offset = Rational((sum(map(ord, str(label))) + 8) % 13, 13) if label is not None else 0
    return VECTOR_VALUES[position % len(VECTOR_VALUES)] + Rational(position // len(VECTOR_VALUES), 5) + offset


def _flat(position) -> int:
    """One number per tuple of indices below 8: (1, 1) and (1, 2) apart, the
    first index read from the table as a single index is."""
    if isinstance(position, tuple):
        flat = 0
        for index in reversed(position):
            flat = flat * len(VECTOR_VALUES) + int(index)
        return flat
    return int(position)


def scalar_vectors(expr: sympy.Basic) -> dict:
    """Vectors named but never indexed (sigmoid(z) for a vector z, theta^T x)
    mapped to their label, a real symbol to sample: read elementwise, as a
    product or as a dot product alike, a vector of length 1 is its one entry,
    so a point found for the symbol is a point for such a vector. A vector
    also indexed somewhere (x and x_i) is left alone: x may be the vector
    whose entries the x_i are; so is every vector of an expression with a
    sum or a product, whose range may be the vector's length."""
    if expr.has(sympy.Sum, sympy.Product):
        return {}
    indexed = {node.base for node in expr.atoms(sympy.Indexed)}
    return {base: base.label for base in expr.atoms(sympy.IndexedBase)
            if base not in indexed and isinstance(base.label, sympy.Symbol)}
