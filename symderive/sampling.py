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

import sympy
from sympy import Rational

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
        if isinstance(node, (sympy.Max, sympy.Min)):
            found += [a - b for a, b in itertools.combinations(node.args, 2)]
        elif isinstance(node, (sympy.Heaviside, sympy.Abs, sympy.sign)):
            found.append(node.args[0])
        elif isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                found += [r.lhs - r.rhs for r in condition.atoms(sympy.core.relational.Relational)]
    return found


def on_a_boundary(expr: sympy.Basic, point: dict) -> bool:
    for boundary in boundaries(expr):
        value = boundary.subs(point)
        if value.is_number and value == 0:
            return True
    return False


def kinks(expr: sympy.Expr, variable: sympy.Symbol) -> set[sympy.Expr]:
    """Points where a piecewise part of ``expr`` switches, in ``variable``."""
    found: set[sympy.Expr] = set()
    for node in sympy.preorder_traversal(expr):
        candidates = []
        if isinstance(node, (sympy.Max, sympy.Min)):
            candidates = [a - b for a, b in itertools.combinations(node.args, 2)]
        elif isinstance(node, (sympy.Heaviside, sympy.Abs, sympy.sign)):
            candidates = [node.args[0]]
        elif isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                for relation in condition.atoms(sympy.core.relational.Relational):
                    candidates.append(relation.lhs - relation.rhs)
        for candidate in candidates:
            if candidate.has(variable) and candidate.is_polynomial(variable):
                if sympy.degree(candidate, variable) == 1:
                    root = sympy.solve(candidate, variable)
                    found.update(r for r in root if r.is_number)
    return found


def real_points(variable: sympy.Symbol, expr: sympy.Expr, condition) -> list[sympy.Expr]:
    """Sample values for ``variable``: the nice points and both sides of every
    kink, excluding the kinks and points outside ``condition``."""
    breaks = kinks(expr, variable)
    points = list(REAL_POINTS)
    for k in sorted(breaks, key=sympy.default_sort_key):
        points += [k + Rational(1, 7), k - Rational(1, 7), k + Rational(1, 1000), k - Rational(1, 1000)]
    points = [p for p in points if p not in breaks and _allowed(variable, p)]
    if condition not in (True, sympy.true) and condition.free_symbols == {variable}:
        points = [p for p in points if condition.subs(variable, p) is sympy.true]
    return points


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


def vector_value(position: int) -> sympy.Expr:
    return VECTOR_VALUES[position % len(VECTOR_VALUES)] + Rational(position // len(VECTOR_VALUES), 5)
