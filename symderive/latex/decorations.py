"""Step 2 of reading a name (see ``names``): primes and one subscript, in
either order; ``g_{\\text{logistic}}`` joined into the one name
``g_logistic`` when that name is a scope function.
"""

from __future__ import annotations

from dataclasses import replace

from . import labels
from .grammar import Grammar
from .vocabulary import Occurrence, lookup_function, subscript_text


def read_decorations(p: Grammar, occurrence: Occurrence) -> Occurrence:
    primes, subscript = occurrence.primes, occurrence.subscript
    while True:
        if subscript is None and not primes and (square := labels.squared(p, occurrence.name)) is not None:
            occurrence = replace(occurrence, name=square)  # sigma^2 of a variance the post defines
            continue
        label = labels.superscript_label(p, occurrence.name) or labels.letter_label(p, occurrence.name)
        if label is not None and label[1:-1].isdigit() and lookup_function(p.scope, occurrence.name):
            primes += int(label[1:-1])  # f^{(2)}(x): the second derivative
        elif label is not None:
            occurrence = labels.labelled(p, occurrence, label)
        elif p.accept("op", "'"):
            primes += 1
        elif (count := labels.superscript_primes(p)):
            primes += count
        elif p.at("op", "_"):
            underscore = p.next()
            if subscript is not None:
                raise p.error("double subscript: use braces, as in x_{ij}", underscore)
            subscript = p.take_span("subscript")
        else:
            return replace(occurrence, primes=primes, subscript=subscript)


def join_subscript(p: Grammar, occurrence: Occurrence) -> Occurrence:
    """``g_{\\text{logistic}}`` is the name ``g_logistic`` if that is declared."""
    if occurrence.subscript is None:
        return occurrence
    text = subscript_text(p, occurrence.subscript)
    joined = f"{occurrence.name}_{text}"
    if text and lookup_function(p.scope, joined) is not None:
        return replace(occurrence, name=joined, subscript=None)
    return occurrence
