"""Superscripts that label a name: ``x^{(i)}``, ``u^{(L+1)}``, ``a^{[l]}``.

A superscript that is all one bracketed group is a label (sample i, layer
l), never a power. ``u^{(L+1)}`` is the name ``u^(L+1)``; labelled by an
index (of a sum being read, or of the scope), ``x^{(i)}`` is the i-th
element of the family ``x^()``, so a sum over samples sums different ones.
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from .cursor import exponent_tokens, is_letter_label
from .vocabulary import BUILTIN_FUNCTIONS, CONSTANTS, Occurrence, undeclared
from .grammar import Grammar


LABEL_BRACKETS = {"(": ")", "[": "]"}


def superscript_label(p: Grammar, name: str) -> str | None:
    """``x^{(i)}``, ``u^{(L+1)}``, ``a^{[l]}``: a superscript that is all one
    bracketed group labels the name (sample i, layer l); it is not a power.
    Consumed and returned as ``(L+1)``, spaces dropped. Constants and
    builtin functions take no label: ``e^{(x)}`` is a power."""
    if name in CONSTANTS or name in BUILTIN_FUNCTIONS:
        return None
    if not (p.at("op", "^") and p.at("op", "{", ahead=1)):
        return None
    brace = p.index_of(1)
    close = p.closing[brace]
    first, last = p.tokens[brace + 1], p.tokens[close - 1]
    if close - brace < 3 or first.kind != "op" or LABEL_BRACKETS.get(first.value) != last.value:
        return None
    depth = 0
    for token in p.tokens[brace + 1:close]:
        if token.kind == "op" and token.value in "()[]":
            depth += 1 if token.value in "([" else -1
            if depth == 0 and token is not last:
                return None  # ``x^{(a)(b)}``: not one group
    p.pos, p.last_end = close + 1, p.tokens[close].end
    return "".join(p.text[first.offset:last.end].split())


def letter_label(p: Grammar, name: str) -> str | None:
    """``z^l``, ``a^{L-1}``, ``W^{l+1}`` over a name the display or the post
    differentiates in with a letter superscript (``\\partial z^l``): a layer
    label, read as ``z^{(l)}``; so is any letter superscript made only of
    those labels' letters (``b^l`` beside ``\\partial z^l``). ``a^2``,
    ``e^{x}``, ``x^n`` stay powers: a digit exponent is never a label, nor
    one of letters no such label uses."""
    if name in CONSTANTS or name in BUILTIN_FUNCTIONS or name in p.scope.functions or not p.at("op", "^"):
        return None
    if name == "delta" and p.tensor_indices:
        return None  # \delta^j_m among indices written up: Kronecker's delta (see tensor)
    caret = p.index_of()
    if caret + 1 >= p.limits[-1] or not is_letter_label(p.tokens, caret + 1, p.closing):
        return None
    inner = exponent_tokens(p.tokens, caret + 1, p.closing)
    letters = {t.value for t in inner if t.kind == "letter"}
    if name not in p.label_bases and not letters <= p.label_letters:
        return None
    end = p.closing[caret + 1] if p.tokens[caret + 1].value == "{" else caret + 1
    if name == "delta" and end + 1 < p.limits[-1] and p.tokens[end + 1].value == "_":
        return None  # \delta^j_m: Kronecker's delta with one index up (\delta^L alone: a layer's error)
    p.pos, p.last_end = end + 1, p.tokens[end].end
    return "(" + "".join(p.text[inner[0].offset:inner[-1].end].split()) + ")"


def squared(p: Grammar, name: str) -> str | None:
    """``\\sigma^2`` where the post defines that square (a variance, see
    ``cursor.squared_names``): the one name ``sigma^2``, consumed."""
    if f"{name}^2" not in p.label_bases or not p.at("op", "^"):
        return None
    caret = p.index_of()
    inner = exponent_tokens(p.tokens, caret + 1, p.closing)
    if [t.value for t in inner] != ["2"]:
        return None
    end = p.closing[caret + 1] if p.tokens[caret + 1].value == "{" else caret + 1
    p.pos, p.last_end = end + 1, p.tokens[end].end
    return f"{name}^2"


def superscript_primes(p: Grammar) -> int:
    """``f^{'}``, ``f^{\\prime}``, ``f^\\prime``, ``f^{''}``: primes written
    as a superscript, as TeX itself reads ``f'``. Consumed; 0 if none."""
    if not p.at("op", "^"):
        return 0
    caret = p.index_of()
    first = p.tokens[caret + 1] if caret + 1 < p.limits[-1] else None
    if first is None:
        return 0
    if first.kind == "op" and first.value == "{":
        close = p.closing[caret + 1]
        inner = p.tokens[caret + 2:close]
    else:
        close, inner = caret + 1, [first]
    if not inner or not all(is_prime(token) for token in inner):
        return 0
    p.pos, p.last_end = close + 1, p.tokens[close].end
    return len(inner)


def is_prime(token) -> bool:
    return (token.kind == "op" and token.value == "'") or (token.kind == "cmd" and token.value == "prime")


def labelled(p: Grammar, occurrence: Occurrence, label: str) -> Occurrence:
    """``u^{(L+1)}`` is the name ``u^(L+1)``; ``x^{(i)}`` with i an index (of
    a sum being read, or of the scope) is the i-th element of ``x^()``, so
    that ``\\sum_{i=1}^{m} x^{(i)}`` sums m different samples."""
    inner = label[1:-1]
    if inner in p.locals or inner in p.scope.indices:
        index = p.locals.get(inner, p.scope.indices.get(inner))
        if isinstance(index, sympy.Symbol) and index.is_integer:
            base = f"{occurrence.name}^{label[0]}{label[-1]}"
            return replace(occurrence, name=base, label_index=index)
    return replace(occurrence, name=f"{occurrence.name}^{label}")


def sample(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    """``x^{(i)}``, ``x^{(i)}_j``: an element of the labelled family ``x^()``."""
    if occurrence.primes:
        raise undeclared(p, occurrence, occurrence.shown)
    indices = [occurrence.label_index]
    if occurrence.subscript is not None:
        with p.mode(index_mode=True):
            indices += p.within(occurrence.subscript, p.parse_items)
    base = sympy.IndexedBase(occurrence.name, real=True)
    return p.build(sympy.Indexed, base, *indices, at=occurrence.token)
