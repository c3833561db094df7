"""Matrices and tuples: equal when their shapes agree and every entry is
proved equal (by the prover handed in); a shape or an entry that differs
refutes."""

from __future__ import annotations

import itertools

import sympy

from .evidence import Proved, Refuted, Unknown


def matrix_shapes(a, b, context, prove):
    """Matrices: different shapes refute; same shapes reduce to entry
    (i, k) for symbolic i, k. Identity: matrices of one shape are equal iff
    every entry is; holds for every shape and index in range."""
    if not (_is_matrix(a) or _is_matrix(b)):
        return None
    shape_a, shape_b = _shape(a), _shape(b)
    shape_a, shape_b = tuple(map(_as_expr, shape_a)), tuple(map(_as_expr, shape_b))
    lengths = sorted(set().union(*(s.free_symbols for s in shape_a + shape_b)), key=str)
    for values in itertools.product((1, 2, 3), repeat=len(lengths)):
        point = dict(zip(lengths, values))
        concrete_a = tuple(s.subs(point) for s in shape_a)
        concrete_b = tuple(s.subs(point) for s in shape_b)
        if concrete_a != concrete_b:
            return Refuted(
                point=tuple((str(k), str(v)) for k, v in point.items()),
                lhs_value=_explicit(a, point),
                rhs_value=_explicit(b, point),
                method="matrix shapes differ",
            )
    if isinstance(a, sympy.MatrixBase) or isinstance(b, sympy.MatrixBase):
        return _explicit_entries(a, b, context, prove)
    i, k = sympy.symbols("_row _col", integer=True, positive=True)
    return prove(_entry(a, i, k), _entry(b, i, k), context)


def _explicit_entries(a, b, context, prove):
    """An explicit matrix against a matrix of the same concrete shape: every
    entry proved equal proves; one refuted entry refutes (at its point);
    else unknown. A shape with a symbolic length cannot be written out."""
    if not all(isinstance(size, (int, sympy.Integer)) for size in _shape(a) + _shape(b)):
        return Unknown("an explicit matrix against one of symbolic size")
    a, b = _written_out(a), _written_out(b)
    open_entries = []
    for row, col in itertools.product(range(a.shape[0]), range(a.shape[1])):
        verdict = prove(a[row, col], b[row, col], context)
        if isinstance(verdict, Refuted):
            return Refuted(verdict.point, verdict.lhs_value, verdict.rhs_value,
                           method=f"entry ({row + 1}, {col + 1}) differs: {verdict.method}")
        if not isinstance(verdict, Proved):
            open_entries.append((row + 1, col + 1))
    if open_entries:
        return Unknown(f"matrix entries {open_entries} neither proved nor refuted")
    return Proved("every matrix entry proved equal")


def _written_out(expr):
    return expr if isinstance(expr, sympy.MatrixBase) else (
        expr.as_explicit() if _is_matrix(expr) else sympy.Matrix([[expr]]))


def tuples(a, b, context, prove):
    """Pairs and lists ((x, y) = (1, 1/2)): equal when they have the same
    length and every entry is proved equal; a differing entry refutes.
    Identity: tuples are equal iff their entries are; holds everywhere."""
    if not (isinstance(a, sympy.Tuple) or isinstance(b, sympy.Tuple)):
        return None
    if not (isinstance(a, sympy.Tuple) and isinstance(b, sympy.Tuple)) or len(a) != len(b):
        return Unknown("a tuple compared with something of another length or kind")
    verdicts = [prove(p, q, context) for p, q in zip(a, b)]
    for kind in (Refuted, Unknown):
        found = next((v for v in verdicts if isinstance(v, kind)), None)
        if found is not None:
            return found  # an entry's own values: the tuples have none as a whole
    return Proved("entry by entry")


def _is_matrix(expr) -> bool:
    return isinstance(expr, (sympy.MatrixExpr, sympy.MatrixBase))


def _as_expr(size):
    return sympy.Integer(size) if isinstance(size, int) else size


def _shape(expr):
    return tuple(expr.shape) if _is_matrix(expr) else (1, 1)


def _entry(expr, i, k):
    if isinstance(expr, sympy.MatrixBase):
        return sympy.Integer(0) if expr.shape != (1, 1) else expr[0, 0]
    if _is_matrix(expr):
        return expr[i - 1, k - 1]
    return expr


def _explicit(expr, point):
    if _is_matrix(expr):
        return sympy.sstr(expr.subs(point).as_explicit().tolist())
    return sympy.sstr(expr.subs(point))
