"""Newton's dot on a function the post defines, applied to a name whose dot
the display also writes: ``\\dot{FL}(p) = \\dot p\\,[\\dots]`` is the rate of
FL along p, FL'(p)·ṗ (the chain rule in the hidden variable the dots
differentiate in). Without ``\\dot p`` in the display the dot may mean the
derivative in the argument itself (f'(x)), so ``\\dot{f}(x)`` stays unread.
"""

from __future__ import annotations

from typing import Callable

import sympy

from .functions import call_arguments
from .grammar import Grammar
from .vocabulary import GREEK, Occurrence, lookup_function

DOT = "_dot"


def rate_of_function(p: Grammar, occurrence: Occurrence,
                     value_of: Callable[[str], sympy.Basic]) -> sympy.Basic | None:
    """``\\dot{F}(a)`` with F a scope function and ``\\dot a`` written in the
    display: ``Derivative(F(a), a) * a_dot`` (``value_of`` reads the name
    ``a_dot`` as the parser would); None, with nothing consumed, otherwise."""
    if not occurrence.name.endswith(DOT) or occurrence.subscript is not None or occurrence.primes:
        return None
    function = lookup_function(p.scope, occurrence.name[:-len(DOT)])
    if function is None or not (p.at("op", "(") or p.at("cmd", "left")):
        return None
    mark = p.mark()
    with p.mode(whole_vectors=True):
        arguments = call_arguments(p)
    if not arguments or len(arguments) != 1 or not isinstance(arguments[0], sympy.Symbol) \
            or not dot_written(p, str(arguments[0])):
        p.reset(mark)
        return None
    argument = arguments[0]
    applied = p.build(function, argument, at=occurrence.token)
    slope = p.build(sympy.Derivative, applied, argument, evaluate=False, at=occurrence.token)
    return p.build(sympy.Mul, slope, value_of(f"{argument}{DOT}"), at=occurrence.token)


def dot_written(p: Grammar, name: str) -> bool:
    """Whether the display writes ``\\dot a`` or ``\\dot{a}`` for the one-letter (or Greek) name ``a``."""
    if not (len(name) == 1 or name in GREEK):
        return False
    tokens = p.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.kind == "cmd" and token.value == "dot":
            after = tokens[index + 1]
            if after.kind == "op" and after.value == "{" and index + 3 < len(tokens) \
                    and tokens[index + 3].kind == "op" and tokens[index + 3].value == "}":
                after = tokens[index + 2]
            if after.kind in ("letter", "cmd") and after.value == name:
                return True
    return False
