"""Braces and stacked notes over math: the math stays, the note is prose.

``\\underbrace{X}_{\\text{gate}}`` and ``\\overbrace{X}^{..}`` are X, and the
brace's label becomes an ``Annotation``; ``\\underset{note}{X}`` and
``\\overset{note}{X}`` are X with the note as an annotation.
"""

from __future__ import annotations


import sympy

from .cursor import Span
from .grammar import Grammar


BRACES = {"underbrace": "_", "overbrace": "^"}
STACKED = frozenset({"underset", "overset", "stackrel"})


def label_text(p: Grammar, span: Span) -> str:
    """A label as words: the content of a lone ``\\text{..}``, else its LaTeX."""
    inner = p.tokens[span.start:span.end]
    if len(inner) == 1 and inner[0].kind in ("text", "roman"):
        return inner[0].value.strip()
    if not inner:
        return ""
    return p.text[inner[0].offset:inner[-1].end].strip()


def parse_brace(p: Grammar) -> sympy.Basic:
    """``\\underbrace{X}_{label}``: X; the label is an annotation."""
    command = p.next()
    value = p.argument(f"\\{command.value}", p.parse_expression)
    marker = BRACES[command.value]
    if p.at("op", marker):
        p.next()
        label = label_text(p, p.take_span(f"the label of \\{command.value}"))
        if label:
            p.annotate(command, label)
    return value


def parse_stacked(p: Grammar) -> sympy.Basic:
    """``\\underset{note}{X}``: X; the note is an annotation."""
    command = p.next()
    label = label_text(p, p.take_span(f"\\{command.value}"))
    if label:
        p.annotate(command, label)
    return p.argument(f"\\{command.value}", p.parse_expression)


COMMANDS = {**dict.fromkeys(BRACES, parse_brace), **dict.fromkeys(STACKED, parse_stacked)}
