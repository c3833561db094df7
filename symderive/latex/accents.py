"""Accents: ``\\hat{y}``, ``\\hat y`` are the name ``y_hat`` (``\\bar`` ``x_bar``,
``\\tilde``, ``\\dot`` ... likewise); a letter font is a name of its own
(``\\mathcal{L}`` is ``L_cal``); ``\\mathbb{1}`` is the indicator (or ones).
Apart from ``names`` so that a new accent reading is a change here.
"""

from __future__ import annotations

from .grammar import Grammar
from .tokens import Token
from .vocabulary import ACCENT_COMMANDS, GREEK, Occurrence


def read_accented(p: Grammar, command: Token) -> Occurrence:
    """``\\hat{y}``, ``\\hat y``, ``\\bar{\\sigma}``: the name ``y_hat`` ..."""
    span = p.take_span(f"\\{command.value}")
    inner = p.tokens[span.start:span.end]
    token = inner[0] if len(inner) == 1 else None
    if command.value == "mathbb" and token is not None and (token.kind, token.value) == ("digit", "1"):
        return Occurrence("1", command, styled=True)  # \mathbb{1}: the indicator (or ones)
    if token is None or not (token.kind == "letter" or (token.kind == "cmd" and token.value in GREEK)):
        raise p.error(f"\\{command.value} expects a single letter, as in \\{command.value}{{y}}", command)
    return Occurrence(f"{token.value}_{ACCENT_COMMANDS[command.value]}", command)
