"""Scripts in either order: ``x^2_i`` is ``x_i^2``, ``J^T_x`` is ``J_x^T``.

TeX sets a superscript and a subscript on the same base the same way
whichever is written first, so a reader sees one thing; the parser reads
the subscript first (a name with its index, then its power or label). The
tokens of ``^ A _ B``, each script one token or one brace group, are put in
the order ``_ B ^ A`` before parsing; every token keeps its offset, so an
error still points at the character written. Not over ``e``: ``e^{z}_j``
is the j-th entry of e^z (the reading stays an error).
"""

from __future__ import annotations

from typing import Protocol


class Token(Protocol):
    """What the reordering reads of a token (``tokens.Token``, defined above this layer's user)."""

    kind: str
    value: str


def subscript_first(tokens: list[Token]) -> list[Token]:
    """``tokens`` with every ``^ A _ B`` on one base reordered ``_ B ^ A``."""
    items = list(tokens)
    index = 1
    while index < len(items):
        if is_op(items[index], "^") and not after_subscript(items, index) and not is_power_of_e(items[index - 1]):
            sup_end = argument_end(items, index + 1)
            if sup_end is not None and sup_end < len(items) and is_op(items[sup_end], "_"):
                sub_end = argument_end(items, sup_end + 1)
                if sub_end is not None and not (sub_end < len(items) and is_op(items[sub_end], "^")):
                    items[index:sub_end] = items[sup_end:sub_end] + items[index:sup_end]
                    index = sub_end
                    continue
        index += 1
    return items


def is_power_of_e(base: Token) -> bool:
    """``e^{z}_j`` is the j-th entry of e^z to a reader, not e_j to the z: left as written."""
    return (base.kind, base.value) in (("letter", "e"), ("cmd", "exp"))


def is_op(token: Token, value: str) -> bool:
    return token.kind == "op" and token.value == value


def after_subscript(items: list[Token], index: int) -> bool:
    """Whether the ``^`` at ``index`` already follows a subscript (``x_i^2_j``: left as written)."""
    back = index - 1
    if is_op(items[back], "}"):
        depth = 0
        while back >= 0:
            depth += is_op(items[back], "}") - is_op(items[back], "{")
            if depth == 0:
                break
            back -= 1
    return back >= 1 and is_op(items[back - 1], "_")


def argument_end(items: list[Token], start: int) -> int | None:
    """The index after the script argument starting at ``start`` (one token or a brace group)."""
    if start >= len(items) or (items[start].kind == "op" and items[start].value in ("^", "_", "}")):
        return None
    if not is_op(items[start], "{"):
        return start + 1
    depth = 0
    for index in range(start, len(items)):
        depth += is_op(items[index], "{") - is_op(items[index], "}")
        if depth == 0:
            return index + 1
    return None
