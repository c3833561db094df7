"""``\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}`` to a SymPy matrix.

``matrix``, ``bmatrix``, ``pmatrix``, ``Bmatrix``, ``smallmatrix`` (and
their starred forms, and an ``array`` inside ``\\left( .. \\right)``: see
``tokens``): the brackets differ, the value is the same ``ImmutableMatrix``
of the parsed entries (rows by ``\\\\``, entries by ``&``, a trailing
``\\\\`` ignored). ``vmatrix`` and ``Vmatrix`` are the determinant of that
matrix, expanded up to 3x3, else an unevaluated ``Determinant``. Rows of
different lengths are an error. A matrix written with an ellipsis
(``\\cdots``, ``\\vdots``, ``\\ddots``, ``\\dots``, ``...``) has no fixed size
and is an error. Any other environment goes to ``cases``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy

from . import cases

if TYPE_CHECKING:
    from .parser import Parser

MATRIX_ENVIRONMENTS = frozenset({"matrix", "bmatrix", "pmatrix", "Bmatrix", "smallmatrix"})
DETERMINANTS = frozenset({"vmatrix", "Vmatrix"})
ELLIPSIS_NAMES = frozenset({"vdots", "ddots", "iddots", "adots"})
# Up to 3x3 (six terms) a determinant is written out, as a reader expands it;
# a larger one stays an unevaluated Determinant.
EXPANDED_DETERMINANT = 3


def parse_environment(p: "Parser") -> sympy.Basic:
    begin = p.peek()
    if begin.value in DETERMINANTS:
        matrix = parse_matrix(p)
        if not matrix.is_square:
            raise p.error(f"the determinant of a {matrix.rows}x{matrix.cols} matrix: it must be square", begin)
        if matrix.rows <= EXPANDED_DETERMINANT:
            return p.build(matrix.det, method="berkowitz", at=begin)
        return p.build(sympy.Determinant, matrix, at=begin)
    if begin.value in MATRIX_ENVIRONMENTS:
        return parse_matrix(p)
    return cases.parse_environment(p)


def matching_end(p: "Parser") -> int:
    """Index of the ``end`` token that closes the ``begin`` at the cursor."""
    depth = 0
    for index in range(p.index_of(), p.limits[-1]):
        kind = p.tokens[index].kind
        depth += {"begin": 1, "end": -1}.get(kind, 0)
        if kind == "end" and depth == 0:
            return index
    raise p.error(f"\\begin{{{p.peek().value}}} is never closed", p.peek())


def reject_ellipsis(p: "Parser", start: int, end: int) -> None:
    for token in p.tokens[start:end]:
        if token.kind == "ellipsis" or (token.kind == "cmd" and token.value in ELLIPSIS_NAMES):
            raise p.error("a matrix with an ellipsis has no fixed size", token)


def parse_matrix(p: "Parser") -> sympy.Basic:
    begin = p.peek()
    reject_ellipsis(p, p.index_of(), matching_end(p))
    p.next()
    rows: list[list[sympy.Basic]] = [[]]
    with p.mode(amp_stops=p.amp_stops + 1, abs_depth=0):
        while not p.at("end"):
            if p.accept("rowsep"):
                rows.append([])
                continue
            entry = p.peek()
            value = p.parse_expression()
            if not isinstance(value, sympy.Expr) or value.is_Matrix:
                raise p.error("a matrix entry must be an expression", entry)
            rows[-1].append(value)
            if not (p.accept("op", "&") or p.at("rowsep") or p.at("end")):
                found = p.peek()
                raise p.error(f"expected '&', '\\\\' or \\end{{{begin.value}}}, found {p.describe(found)}",
                              found)
        p.next()
    if rows and not rows[-1]:
        rows.pop()
    if not rows or any(not row for row in rows):
        raise p.error(f"empty row in {begin.value}", begin)
    if len({len(row) for row in rows}) != 1:
        raise p.error(f"the rows of this {begin.value} have different lengths", begin)
    return p.build(sympy.ImmutableMatrix, rows, at=begin)
