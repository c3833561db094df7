"""Matrices written with an ellipsis: the general entry read off the corners.

::

    \\begin{bmatrix} a_{11} & \\cdots & a_{1n} \\\\ \\vdots & \\ddots & \\vdots \\\\
                     a_{n1} & \\cdots & a_{nn} \\end{bmatrix}

has a row of ellipses (the rows it hides) and, in its other rows, one
ellipsis (the columns it hides). The written entries sit at known places:
rows before the gap at 1, 2, ...; rows after it at R, R - 1, ... counted
from the end, and likewise the columns. The matrix is
``FunctionMatrix(R, C, Lambda((row, col), body))`` when one body fits every
written entry: the first entry, with each numeric index of an indexed name
made to follow the row, the column, or neither. Sizes R and C are read from
the indices of the last row and column. When no one body fits, a square
matrix may have one body on its diagonal and another off it
(``s_1(1 - s_1)`` on the diagonal, ``-s_1 s_n`` off it): each grown from
its first written entry and fitting every written entry of its kind, each
kind written twice at least. Nothing else is guessed: otherwise there is no
general entry and the caller reports it.
"""

from __future__ import annotations

import itertools

import sympy

ROW = sympy.Symbol("row", integer=True, nonnegative=True)
COLUMN = sympy.Symbol("col", integer=True, nonnegative=True)
MAX_SLOTS = 6  # numeric indices in the first entry: 3**6 ways to read them at most
ROLES = ("row", "column", "fixed")


def positions(count_before: int, count_after: int, size: sympy.Basic | None) -> list:
    """Where the written rows (or columns) sit: 1, 2, ... before the gap,
    ..., size - 1, size after it (1-based)."""
    before = [sympy.Integer(t + 1) for t in range(count_before)]
    if size is None:
        return before
    return before + [size - (count_after - 1 - t) for t in range(count_after)]


def split_at_gap(items: list) -> tuple[list, list, bool]:
    """Items before and after the one gap (None); no gap: all before."""
    gaps = [index for index, item in enumerate(items) if item is None]
    if not gaps:
        return items, [], False
    if gaps != list(range(gaps[0], gaps[-1] + 1)):
        raise ValueError("more than one gap")
    return items[:gaps[0]], items[gaps[-1] + 1:], True


def written_entries(rows: list[list]):
    """A function of the sizes giving ((row, column), value) for every
    written entry; whether rows and columns have a gap; how many rows and
    columns are written."""
    row_marks = [None if all(entry is None for entry in row) else row for row in rows]
    top, bottom, row_gap = split_at_gap(row_marks)
    layouts = [split_at_gap(row) for row in top + bottom]
    if len({(len(before), len(after), gap) for before, after, gap in layouts}) != 1:
        raise ValueError("the written rows do not line up")
    left, right, column_gap = layouts[0]

    def place(sizes):
        size_r, size_c = sizes
        row_places = positions(len(top), len(bottom), size_r if row_gap else None)
        column_places = positions(len(left), len(right), size_c if column_gap else None)
        if not column_gap:
            column_places = positions(len(left), 0, None)
        entries = []
        for row_place, (before, after, _) in zip(row_places, layouts):
            for column_place, value in zip(column_places, before + after):
                entries.append(((row_place, column_place), value))
        return entries

    return place, row_gap, column_gap, len(top) + len(bottom), len(left) + len(right)


def slots(first: sympy.Basic) -> list[tuple[sympy.Indexed, int]]:
    """The numeric indices of indexed names in the first entry."""
    found = []
    for element in sorted(first.atoms(sympy.Indexed), key=sympy.default_sort_key):
        for position, index in enumerate(element.indices):
            if index.is_Integer:
                found.append((element, position))
    return found


def body_for(first: sympy.Basic, roles: dict, origin: tuple[int, int] = (1, 1)) -> callable:
    """The entry at (r, c), 1-based, when each slot follows its role (``first`` sits at ``origin``)."""

    def body(r, c):
        replacements = {}
        for element in first.atoms(sympy.Indexed):
            indices = list(element.indices)
            for position, index in enumerate(indices):
                role = roles.get((element, position), "fixed")
                shift = {"row": r - origin[0], "column": c - origin[1], "fixed": 0}[role]
                indices[position] = index + shift
            replacements[element] = element.base[tuple(indices)]
        return first.xreplace(replacements)

    return body


def size_candidates(entries_at, first_indices) -> set:
    """Sizes that would put a written index where it is: for an index e in an
    entry t places before the end, size = e - v + 1 + t for a first index v."""
    found = set()
    for offset, value in entries_at:
        for element in value.atoms(sympy.Indexed):
            for index in element.indices:
                if index.free_symbols:
                    found.update(index - v + 1 + offset for v in first_indices)
    return found


def general_matrix(rows: list[list]) -> sympy.Basic | None:
    """The FunctionMatrix a matrix with ellipses (None entries) stands for,
    or None when no general entry fits the written ones."""
    try:
        place, row_gap, column_gap, row_count, column_count = written_entries(rows)
    except ValueError:
        return None
    first = rows[0][0]
    if first is None:
        return None
    found = slots(first)
    if not found or len(found) > MAX_SLOTS:
        return None
    first_indices = {element.indices[position] for element, position in found}
    symbolic = [row for row in rows if any(entry is not None for entry in row)]
    tail_rows = [(t, entry) for t, row in enumerate(reversed(symbolic)) for entry in row if entry is not None]
    tail_columns = [(t, entry) for row in symbolic
                    for t, entry in enumerate(reversed([e for e in row if e is not None]))]
    sizes_r = size_candidates(tail_rows, first_indices) if row_gap else {sympy.Integer(row_count)}
    sizes_c = size_candidates(tail_columns, first_indices) if column_gap else {sympy.Integer(column_count)}
    for choice in itertools.product(ROLES, repeat=len(found)):
        body = body_for(first, dict(zip(found, choice)))
        for size_r, size_c in itertools.product(sorted(sizes_r, key=str), sorted(sizes_c, key=str)):
            if all(body(r, c) == value for (r, c), value in place((size_r, size_c))):
                entry = sympy.Lambda((ROW, COLUMN), body(ROW + 1, COLUMN + 1))
                return sympy.FunctionMatrix(size_r, size_c, entry)
    return diagonal_apart(rows, place, sizes_r & sizes_c)


def fitting_body(seed: sympy.Basic, origin: tuple[int, int], entries: list) -> callable | None:
    """The first body grown from ``seed`` at ``origin`` (its slots following
    the row, the column or neither) that gives every ``((r, c), value)`` of ``entries``."""
    found = slots(seed)
    if not found or len(found) > MAX_SLOTS:
        return None
    for choice in itertools.product(ROLES, repeat=len(found)):
        body = body_for(seed, dict(zip(found, choice)), origin)
        if all(body(r, c) == value for (r, c), value in entries):
            return body
    return None


def diagonal_apart(rows: list[list], place, sizes) -> sympy.Basic | None:
    """A square matrix whose diagonal follows one body and the rest another
    (``s_1(1 - s_1)`` on the diagonal, ``-s_1 s_2`` off it, the softmax
    Jacobian): each body grown from its first written entry (the corner, and
    the one beside it) must give every written entry of its kind, and each
    kind must be written at least twice (a lone entry shows no pattern)."""
    beside = rows[0][1] if len(rows[0]) > 1 else None
    if beside is None:
        return None
    for size in sorted(sizes, key=str):
        written = place((size, size))
        diagonal = [item for item in written if item[0][0] == item[0][1]]
        off = [item for item in written if item[0][0] != item[0][1]]
        if min(len(diagonal), len(off)) < 2:
            continue
        on_body, off_body = fitting_body(rows[0][0], (1, 1), diagonal), fitting_body(beside, (1, 2), off)
        if on_body is None or off_body is None:
            continue
        entry = sympy.Piecewise((on_body(ROW + 1, COLUMN + 1), sympy.Eq(ROW, COLUMN)),
                                (off_body(ROW + 1, COLUMN + 1), True))
        return sympy.FunctionMatrix(size, size, sympy.Lambda((ROW, COLUMN), entry))
    return None
