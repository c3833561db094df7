"""The atoms of the grammar: numbers, brackets, braces, ``|x|``,
``\\left .. \\right``, ``\\boxed`` and ``\\infty``; ``Parser`` dispatches
to them from its tables."""

from __future__ import annotations

import sympy

from . import calculus, names, superscripts, vectors
from .grammar import Grammar
from .limits import MAX_DIGITS
from .tokens import Token

OPENERS = {"(": (")", "]"), "[": ("]", ")"), "\\{": ("\\}",)}


def run_of_digits(p: Grammar) -> str:
    digits, last = "", None
    while p.at("digit") and (last is None or p.peek().offset == last.end):
        last = p.next()
        digits += last.value
    return digits


def parse_number(p: Grammar) -> sympy.Basic:
    """Digits, optionally ``.digits``: an exact Integer or Rational."""
    first = p.peek()
    whole, fraction = run_of_digits(p), ""
    point, after = p.peek(), p.peek(1)
    if (point.kind == "op" and point.value == "." and point.offset == p.last_end
            and after.kind == "digit" and after.offset == point.end):
        p.next()
        fraction = run_of_digits(p)
    if len(whole) + len(fraction) > MAX_DIGITS:
        raise p.error(f"number too long ({len(whole) + len(fraction)} digits)", first)
    if not fraction:
        return sympy.Integer(int(whole))
    return sympy.Rational(int(whole + fraction), 10 ** len(fraction))


def parse_delimited(p: Grammar) -> sympy.Basic:
    """``( )``, ``[ ]``, ``\\{ \\}``: grouping, or a tuple ``(a, b)``."""
    opener = p.next()
    with p.mode(abs_depth=0):
        items = p.parse_items()
    closer = p.peek()
    closers = OPENERS[opener.value]
    fits = closer.kind == "op" and (closer.value == closers[0]
                                     or (closer.value in closers and len(items) == 2))
    if not fits:
        raise p.error(f"expected '{closers[0]}' to close {p.describe(opener)} at "
                         f"{p.origin_at(opener.offset)}, found {p.describe(closer)}", closer)
    p.next()
    return items[0] if len(items) == 1 else sympy.Tuple(*items)


def parse_braces(p: Grammar) -> sympy.Basic | PrefixOperator:
    if names.is_braced_name(p):
        return names.parse_name_factor(p)
    over = over_in_group(p)
    if over is not None:
        return calculus.parse_over(p, over)
    return p.argument("group", p.parse_expression)


def over_in_group(p: Grammar) -> int | None:
    """Where ``\\over`` splits the brace group at the cursor, if it does."""
    index = p.index_of() + 1
    close = p.closing[p.index_of()]
    while index < close:
        token = p.tokens[index]
        if token.kind == "op" and token.value == "{":
            index = p.closing[index]
        elif token.kind == "cmd" and token.value == "over":
            return index
        index += 1
    return None


def parse_abs(p: Grammar) -> sympy.Basic:
    opener = p.next()
    with p.mode(abs_depth=p.abs_depth + 1):
        inner = p.parse_expression()
    p.expect("op", "|", "'|'", opener)
    return p.build(sympy.Abs, inner, at=opener)


def parse_left(p: Grammar) -> sympy.Basic:
    """``\\left( ... \\right)``; ``\\left|x\\right|`` is ``|x|``; ``.`` is
    an invisible delimiter."""
    left = p.next()
    if p.peek().kind == "cmd" and p.peek().value in superscripts.ROUNDING:
        return superscripts.parse_rounding(p, left)
    if p.at("op", vectors.NORM):
        return vectors.parse_norm(p, left)
    delimiter = p.next()
    if delimiter.kind != "op" or delimiter.value not in ("(", "[", "\\{", "|", "."):
        raise p.error(f"\\left needs a delimiter, found {p.describe(delimiter)}", delimiter)
    determinant = delimiter.value == "|" and p.at("begin", "vmatrix")
    with p.mode(abs_depth=0):
        items = p.parse_items()
    p.expect("cmd", "right", "\\right", left)
    closer = p.next()
    if closer.kind != "op" or closer.value not in (")", "]", "\\}", "|", "."):
        raise p.error(f"\\right needs a delimiter, found {p.describe(closer)}", closer)
    if len(items) > 1:
        return sympy.Tuple(*items)
    if delimiter.value == "|" and not determinant:
        return p.build(sympy.Abs, items[0], at=delimiter)
    return items[0]  # ``\left| \begin{array} .. \right|`` is the determinant itself


def parse_boxed(p: Grammar) -> sympy.Basic:
    p.next()
    return p.argument("\\boxed", p.parse_expression)


def parse_infinity(p: Grammar) -> sympy.Basic:
    p.next()
    return sympy.oo
