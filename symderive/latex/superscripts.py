"""What follows a factor besides a power: ``e^-x`` (a signed exponent
without braces), transposes (``w^T``, ``W^\\top``), primes on an expression
(``(1 + e^{-x})'``); and the rounding brackets ``\\lfloor x \\rfloor``,
``\\lceil x \\rceil``, which are functions.
"""

from __future__ import annotations


import sympy

from .tokens import Token
from .grammar import Grammar


TRANSPOSE_COMMANDS = frozenset({"top", "intercal"})
ROUNDING = {"lfloor": ("rfloor", sympy.floor), "lceil": ("rceil", sympy.ceiling)}


def transpose_ahead(p: Grammar, base: sympy.Basic) -> bool:
    """``w^T``, ``W^{\\top}``, ``x^\\intercal``, ``A^{\\mathsf{T}}``: a
    transpose, not a power; consumed if so. A bare letter T is a transpose
    only over a name the scope does not make a number (not ``e^T``,
    ``2^T``) and when T itself is not a declared name."""
    caret = p.index_of()
    group = p.tokens[caret + 1] if caret + 1 < p.limits[-1] else None
    if group is None:
        return False
    if group.kind == "op" and group.value == "{":
        inner = p.tokens[caret + 2:p.closing[caret + 1]]
        after = p.closing[caret + 1] + 1
    else:
        inner, after = [group], caret + 2
    if len(inner) != 1 or not marks_transpose(p, inner[0], base):
        return False
    p.pos, p.last_end = after, p.tokens[after - 1].end
    return True


def marks_transpose(p: Grammar, token: Token, base: sympy.Basic) -> bool:
    if token.kind == "cmd" and token.value in TRANSPOSE_COMMANDS:
        return True
    letter_t = (token.kind == "letter" or token.kind == "roman") and token.value.strip() == "T"
    if not letter_t:
        return False
    if token.kind == "roman":
        return True
    return (not p.scope.binds("T") and "T" not in p.locals and isinstance(base, sympy.Expr)
            and not base.is_number)


def parse_exponent(p: Grammar) -> sympy.Basic:
    """The superscript; ``e^-x`` is read as a reader takes it, ``e^{-x}``
    (a sign and then one TeX argument)."""
    sign = p.peek()
    if sign.kind == "op" and sign.value in "+-" and at_argument(p, 1):
        p.next()
        value = p.argument("superscript", p.parse_expression)
        return p.negate(value, sign) if sign.value == "-" else value
    return p.argument("superscript", p.parse_expression)


def at_argument(p: Grammar, ahead: int) -> bool:
    token = p.peek(ahead)
    return token.kind in ("digit", "letter", "cmd") or (token.kind == "op" and token.value == "{")


def primed_expression(p: Grammar, base: sympy.Basic) -> sympy.Basic:
    """``(1 + \\exp(-x))'``: the derivative of the expression in the
    default variable, as ``f'`` is for a function."""
    first = p.peek()
    order = 0
    while p.accept("op", "'"):
        order += 1
    variable = p.scope.default_variable
    if variable is None or not isinstance(base, sympy.Expr):
        raise p.error(f"unexpected {p.describe(first)}: a prime needs a function or a "
                      "default variable", first)
    return p.build(sympy.Derivative, base, (variable, order), evaluate=False, at=first)


def parse_rounding(p: Grammar, left: Token | None = None) -> sympy.Basic:
    """``\\lfloor x \\rfloor`` is floor(x), ``\\lceil x \\rceil`` ceiling(x);
    also between ``\\left`` and ``\\right``."""
    opener = p.next()
    closer, function = ROUNDING[opener.value]
    with p.mode(abs_depth=0):
        inner = p.parse_expression()
    if left is not None:
        p.expect("cmd", "right", "\\right", left)
    p.expect("cmd", closer, f"\\{closer}", opener)
    return p.build(function, inner, at=opener)
