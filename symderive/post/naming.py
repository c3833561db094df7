"""A new name on the right of a chain names the part of the left it stands in
for: in ``L = -\\sum_j y_j \\log p_j = -\\sum_j \\ell_j`` the author defines
``\\ell_j = y_j \\log p_j``. The part is read off by walking both sides
together; only a side that is the other one with that part put in its place
names it, so a relation that differs anywhere else stays a claim.
"""

from __future__ import annotations

import sympy


def filled(pattern: sympy.Basic, expr: sympy.Basic, hole: sympy.Basic) -> sympy.Basic | None:
    """What ``expr`` has where ``pattern`` has ``hole`` (written once), when
    everything else is the same; else None."""
    if pattern == hole:
        return expr
    if type(pattern) is not type(expr) or len(pattern.args) != len(expr.args):
        return None
    holed = [a for a in pattern.args if a.has(hole)]
    if len(holed) != 1:
        return None
    if isinstance(pattern, (sympy.Add, sympy.Mul)):  # the same terms or factors, in any order
        rest = list(expr.args)
        for arg in pattern.args:
            if arg is not holed[0]:
                if arg not in rest:
                    return None
                rest.remove(arg)
        return filled(holed[0], rest[0], hole)
    pairs = list(zip(pattern.args, expr.args))
    if any(a != b for a, b in pairs if a is not holed[0]):
        return None
    return next(filled(a, b, hole) for a, b in pairs if a is holed[0])


def part_named(vector: str, lhs, rhs) -> tuple[sympy.Indexed, sympy.Expr] | None:
    """(entry, body) when ``rhs`` is ``lhs`` with one entry of the new
    ``vector`` (written once, with one index letter) in place of ``body``."""
    if not all(isinstance(e, sympy.Expr) for e in (lhs, rhs)):
        return None
    entries = [e for e in rhs.atoms(sympy.Indexed) if str(e.base) == vector]
    if len(entries) != 1 or len(entries[0].indices) != 1 or not entries[0].indices[0].is_Symbol:
        return None
    entry = entries[0]
    if rhs.count(entry) != 1:
        return None
    body = filled(rhs, lhs, entry)
    if body is None or body.has(entry.base) or body == entry:
        return None
    return entry, body
