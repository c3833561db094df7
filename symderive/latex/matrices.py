"""``\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}`` to a SymPy matrix.

``matrix``, ``bmatrix``, ``pmatrix``, ``Bmatrix``, ``smallmatrix`` (and
their starred forms, and an ``array`` inside ``\\left( .. \\right)``: see
``tokens``): the brackets differ, the value is the same ``ImmutableMatrix``
of the parsed entries (rows by ``\\\\``, entries by ``&``, a trailing
``\\\\`` ignored). ``vmatrix`` and ``Vmatrix`` are the determinant of that
matrix, expanded up to 3x3, else an unevaluated ``Determinant``. Rows of
different lengths are an error. A matrix written with ellipses
(``\\cdots``, ``\\vdots``, ``\\ddots``, ``\\dots``, ``...`` as entries) has a
symbolic size and a general entry read off the written ones (``patterns``),
or is an error. Any other environment goes to ``cases``.
"""

from __future__ import annotations


import sympy

from . import cases, patterns
from .grammar import Grammar


MATRIX_ENVIRONMENTS = frozenset({"matrix", "bmatrix", "pmatrix", "Bmatrix", "smallmatrix"})
DETERMINANTS = frozenset({"vmatrix", "Vmatrix"})
ELLIPSIS_NAMES = frozenset({"vdots", "ddots", "iddots", "adots"})
# Up to 3x3 (six terms) a determinant is written out, as a reader expands it;
# a larger one stays an unevaluated Determinant.
EXPANDED_DETERMINANT = 3


def parse_environment(p: Grammar) -> sympy.Basic:
    begin = p.peek()
    if begin.value in DETERMINANTS:
        matrix = parse_matrix(p)
        if not matrix.is_square:
            raise p.error(f"the determinant of a {matrix.rows}x{matrix.cols} matrix: it must be square",
                          begin)
        if matrix.rows <= EXPANDED_DETERMINANT:
            return p.build(matrix.det, method="berkowitz", at=begin)
        return p.build(sympy.Determinant, matrix, at=begin)
    if begin.value in MATRIX_ENVIRONMENTS:
        return parse_matrix(p)
    return cases.parse_environment(p)


def matching_end(p: Grammar) -> int:
    """Index of the ``end`` token that closes the ``begin`` at the cursor."""
    depth = 0
    for index in range(p.index_of(), p.limits[-1]):
        kind = p.tokens[index].kind
        depth += {"begin": 1, "end": -1}.get(kind, 0)
        if kind == "end" and depth == 0:
            return index
    raise p.error(f"\\begin{{{p.peek().value}}} is never closed", p.peek())


def at_lone_ellipsis(p: Grammar) -> bool:
    """``\\cdots``, ``\\vdots``, ``\\ddots`` standing for entries (alone between
    '&' and '\\\\'), not inside an entry's own sum."""
    token, following = p.peek(), p.peek(1)
    is_dots = token.kind == "ellipsis" or (token.kind == "cmd" and token.value in ELLIPSIS_NAMES)
    ends_entry = following.kind in ("rowsep", "end") or (following.kind == "op" and following.value == "&")
    return is_dots and ends_entry


def parse_matrix(p: Grammar) -> sympy.Basic:
    begin = p.peek()
    matching_end(p)
    p.next()
    rows: list[list[sympy.Basic | None]] = [[]]
    with p.mode(amp_stops=p.amp_stops + 1, abs_depth=0):
        while not p.at("end"):
            if p.accept("rowsep"):
                if rows[-1]:  # a break right after a break (Markdown's escaped \\\\): one break
                    rows.append([])
                continue
            entry = p.peek()
            if at_lone_ellipsis(p) or p.at("op", "&"):
                if not p.at("op", "&"):
                    p.next()
                rows[-1].append(None)  # dots, or the blank beside them in a row of dots
                p.accept("op", "&")
                continue
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
    if any(entry is None for row in rows for entry in row):
        return with_ellipsis(p, rows, begin)
    if len({len(row) for row in rows}) != 1:
        raise p.error(f"the rows of this {begin.value} have different lengths", begin)
    return p.build(sympy.ImmutableMatrix, rows, at=begin)


def with_ellipsis(p: Grammar, rows: list, begin) -> sympy.Basic:
    """A matrix written with ``\\cdots``, ``\\vdots``, ``\\ddots``: see ``patterns``."""
    if len(rows) > 1 and len({len(row) for row in rows}) != 1 and not any(
            all(entry is None for entry in row) for row in rows):
        raise p.error(f"the rows of this {begin.value} have different lengths", begin)
    general = patterns.general_matrix(rows)
    if general is None:
        raise p.error("cannot infer the entries hidden by the dots of this matrix: no general entry "
                      "fits the written ones (index every entry, as in a_{11} & \\cdots & a_{1n})", begin)
    return general
