"""A parenthesis typed twice or left out, read only when its place does not matter.

``\\frac{2}{N} (x_i - \\mu) )`` has a ``)`` that closes nothing, and
``\\frac{\\partial (1 - h(x))}{\\partial \\theta}`` written
``\\partial (1 - h(x)`` a ``(`` that nothing closes. A careful reader reads
such a display when every way to mend it means the same thing: dropping
the stray parenthesis, or writing its partner at any place of its
stretch where the text then reads (for a ``)``, before any token from the
start of the stretch; for a ``(``, after any token up to its end). A
stretch is the math between two relations, column or row separators, the
braces of a group, or a ``\\left``/``\\right`` pair, which no parenthesis
crosses. When two mendings read differently (``- [a b - c d) e]``: is it
``(a b - c d) e`` or ``a b - c d e``?) the display stays unreadable.

The mended text keeps every offset: the stray parenthesis becomes a blank,
and that reading (which every other mending matched) is the one returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from ..errors import LatexSyntaxError, Origin
from .tokens import Token, tokenize

T = TypeVar("T")
MAX_MENDINGS = 80  # places tried for the partner; a longer stretch stays unreadable
BOUNDARY_OPS = ("&",)
OPENING_GROUPS = ("{",)
SIGNS = ("+", "-")
NAME_KINDS = ("letter", "cmd", "roman")
SCRIPTS = ("^", "_", "'")
OPERAND_ENDS = (")", "}", "]", "|", "!", "'")
CLOSING_GROUPS = ("}",)


@dataclass(frozen=True)
class Stray:
    """A parenthesis without its partner: ``index`` of its token, and the
    token indices ``start``..``end`` (exclusive) of its stretch."""

    index: int
    start: int
    end: int
    opening: bool


def read_mended(text: str, origin: Origin, read: Callable[[str], T],
                same: Callable[[T, T], bool]) -> T | None:
    """``read`` of ``text`` with its one stray parenthesis dropped, when every
    other mending reads the same (``same``); None when ``text`` has no such
    parenthesis, or its mendings disagree, or none reads."""
    try:
        tokens = tokenize(text, origin).items
    except LatexSyntaxError:
        return None
    stray = lone_stray(tokens)
    if stray is None:
        return None
    token = tokens[stray.index]
    dropped = attempt(read, text[:token.offset] + " " + text[token.end:])
    if dropped is None:
        return None
    places = mendings(text, tokens, stray)
    if len(places) > MAX_MENDINGS:
        return None
    for mended in places:
        other = attempt(read, mended)
        if other is not None and not same(dropped, other):
            return None
    return dropped


def attempt(read: Callable[[str], T], text: str) -> T | None:
    try:
        return read(text)
    except LatexSyntaxError:
        return None


def mendings(text: str, tokens: tuple[Token, ...], stray: Stray) -> list[str]:
    """The text with the stray parenthesis's partner written at each place of
    its stretch, outside the groups within it: before a unit for a ``(``,
    after one for a ``)``; never inside a name with its scripts or between a
    function and its argument, nor before a binary sign for a ``(``."""
    if stray.opening:
        places = [tokens[last].end for _, last in units(tokens, stray.index + 1, stray.end)
                  if not binds_next(tokens, last)]
        return [text[:at] + ")" + text[at:] for at in places]
    places = [tokens[first].offset for first, _ in units(tokens, stray.start, stray.index)
              if not binary_sign(tokens, first, stray.start)
              and not (first > stray.start and binds_next(tokens, first - 1))]
    return [text[:at] + "(" + text[at:] for at in places]


def units(tokens: tuple[Token, ...], start: int, end: int) -> list[tuple[int, int]]:
    """The first and last token index of each token or whole group (``{..}``,
    ``\\left(..\\right)``) of ``start``..``end``."""
    found, depth, first = [], 0, start
    for index in range(start, end):
        token = tokens[index]
        if is_opening_group(token):
            depth, first = depth + 1, index if depth == 0 else first
        elif is_closing_group(token):
            depth -= 1
            if depth == 0:
                found.append((first, index + 1 if token.kind == "cmd" else index))
        elif depth == 0 and not after_left_right(tokens, index):
            found.append((index, index))
    return [(first, last) for first, last in found if last < end]


def binds_next(tokens: tuple[Token, ...], index: int) -> bool:
    """Whether the token after ``index`` binds to what ends there: a script or
    prime (``x^{(i)}``, ``h_\\theta``), or the ``(`` of a function written
    against its name (``h(x)``); no parenthesis goes between them."""
    if index + 1 >= len(tokens):
        return False
    token, after = tokens[index], tokens[index + 1]
    if after.kind == "op" and after.value in SCRIPTS:
        return True
    return (after.kind == "op" and after.value == "(" and after.offset == token.end
            and (token.kind in NAME_KINDS or (token.kind == "op" and token.value == "}")))


def binary_sign(tokens: tuple[Token, ...], index: int, start: int) -> bool:
    """A ``+``/``-`` after an operand: a ``(`` before it would make it a sign
    (``x_i (- \\mu)``), a change no reader takes for a lost parenthesis."""
    token = tokens[index]
    if not (token.kind == "op" and token.value in SIGNS) or index == start:
        return False
    before = tokens[index - 1]
    return before.kind != "op" or before.value in OPERAND_ENDS


def lone_stray(tokens: tuple[Token, ...]) -> Stray | None:
    """The one stray parenthesis of ``tokens``, if exactly one stretch has
    exactly one; None otherwise (none, or more than one to mend)."""
    found = [stray for stretch in stretches(tokens) for stray in strays(tokens, *stretch)]
    return found[0] if len(found) == 1 else None


def stretches(tokens: tuple[Token, ...], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` token ranges no parenthesis may cross: split at
    relations, ``&`` and row breaks; a group or ``\\left``..``\\right`` inside
    is a stretch of its own (and left out of the one around it, see ``strays``)."""
    end = len(tokens) if end is None else end
    found: list[tuple[int, int]] = []
    first = index = start
    while index < end:
        token = tokens[index]
        if token.kind in ("rel", "rowsep") or (token.kind == "op" and token.value in BOUNDARY_OPS):
            found.append((first, index))
            first = index + 1
        elif is_opening_group(token):
            inner = index + (2 if token.kind == "cmd" else 1)
            closing = group_end(tokens, index, end)
            found.extend(stretches(tokens, inner, closing))
            index = closing
        index += 1
    found.append((first, end))
    return [(a, b) for a, b in found if a < b]


def group_end(tokens: tuple[Token, ...], index: int, end: int) -> int:
    """The index of the token closing the group opened at ``index`` (``end`` if none)."""
    depth = 0
    for at in range(index, end):
        if is_opening_group(tokens[at]):
            depth += 1
        elif is_closing_group(tokens[at]):
            depth -= 1
            if depth == 0:
                return at
    return end


def is_opening_group(token: Token) -> bool:
    return (token.kind == "op" and token.value in OPENING_GROUPS) or (
        token.kind == "cmd" and token.value == "left")


def is_closing_group(token: Token) -> bool:
    return (token.kind == "op" and token.value in CLOSING_GROUPS) or (
        token.kind == "cmd" and token.value == "right")


def strays(tokens: tuple[Token, ...], start: int, end: int) -> list[Stray]:
    """The parentheses of the stretch (nested stretches excluded) without a partner."""
    open_at: list[int] = []
    found: list[Stray] = []
    depth = 0
    for index in range(start, end):
        token = tokens[index]
        if is_opening_group(token):
            depth += 1
        elif is_closing_group(token):
            depth -= 1
        elif depth == 0 and token.kind == "op" and token.value == "(" and not after_left_right(tokens, index):
            open_at.append(index)
        elif depth == 0 and token.kind == "op" and token.value == ")" and not after_left_right(tokens, index):
            if open_at:
                open_at.pop()
            else:
                found.append(Stray(index, start, end, opening=False))
    return found + [Stray(index, start, end, opening=True) for index in open_at]


def after_left_right(tokens: tuple[Token, ...], index: int) -> bool:
    return index > 0 and tokens[index - 1].kind == "cmd" and tokens[index - 1].value in ("left", "right")
