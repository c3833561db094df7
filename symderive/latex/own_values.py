"""A function's entry times a parenthesis of its own entries:
``\\sigma_i(\\delta_{ij} - \\sigma_j)``, ``\\sigma_i(1_{i=j} - \\sigma_j)``, the
softmax Jacobian as posts write it. With σ a function, ``\\sigma_i`` followed
by a parenthesis would be an application of an undeclared ``sigma_i``; a
reader sees the value σ_i times a difference that holds σ_j, another value
of the same function (no function is applied to its own values this way).

Read so only when the parenthesis holds the same name as a value (not
applied: ``f_2(f_1(x))`` is a composition and stays as before) and a sign at
its top level (a sum or difference, not a lone argument).
"""

from __future__ import annotations

import sympy

from .grammar import Grammar
from .vocabulary import Occurrence, subscript_text

SIGNS = ("+", "-")


def entry_times(p: Grammar, occurrence: Occurrence) -> sympy.Basic | None:
    """The value ``sigma_i`` (the parenthesis is left to multiply it), or
    None when the notation is not this one; nothing is consumed."""
    if occurrence.subscript is None or occurrence.primes or not p.at("op", "("):
        return None
    span = occurrence.subscript
    if any(t.kind in ("letter", "cmd") and t.value in p.locals for t in p.tokens[span.start:span.end]):
        return None  # \sum_i \sigma_i(..): varies with the sum's index, left as before
    text = subscript_text(p, span)
    inner = parenthesis(p, p.index_of())
    if text is None or inner is None or not (own_value_inside(p, occurrence.name, *inner)
                                             and sign_at_top(p, *inner)):
        return None
    return sympy.Symbol(f"{occurrence.name}_{text}", real=True)


def parenthesis(p: Grammar, opener: int) -> tuple[int, int] | None:
    """The token range inside the parenthesis opened at ``opener``."""
    depth = 0
    for index in range(opener, p.limits[-1]):
        token = p.tokens[index]
        if token.kind == "op" and token.value == "(":
            depth += 1
        elif token.kind == "op" and token.value == ")":
            depth -= 1
            if depth == 0:
                return opener + 1, index
    return None


def own_value_inside(p: Grammar, name: str, start: int, end: int) -> bool:
    """Whether the name is written in ``start..end``, subscripted and not applied."""
    tokens = p.tokens
    for index in range(start, end - 1):
        token = tokens[index]
        if token.kind in ("letter", "cmd") and token.value == name and tokens[index + 1].kind == "op" \
                and tokens[index + 1].value == "_":
            after = index + 2
            if after < end and tokens[after].kind == "op" and tokens[after].value == "{":
                after = p.closing.get(after, after)
            following = tokens[after + 1] if after + 1 < end else None
            if following is None or not (following.kind == "op" and following.value == "("):
                return True
    return False


def sign_at_top(p: Grammar, start: int, end: int) -> bool:
    """A ``+``/``-`` after the first token, outside any group or parenthesis."""
    depth = 0
    for index in range(start, end):
        token = p.tokens[index]
        if token.kind == "op" and token.value in ("(", "{", "["):
            depth += 1
        elif token.kind == "op" and token.value in (")", "}", "]"):
            depth -= 1
        elif depth == 0 and index > start and token.kind == "op" and token.value in SIGNS:
            return True
    return False
