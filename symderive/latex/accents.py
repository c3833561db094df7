"""Accents: ``\\hat{y}``, ``\\hat y`` are the name ``y_hat`` (``\\bar`` ``x_bar``,
``\\tilde``, ``\\dot`` ... likewise); a letter font is a name of its own
(``\\mathcal{L}`` is ``L_cal``); ``\\mathbb{1}`` is the indicator (or ones).
An accent over a whole name is one decorated name as well: over a bold
name (``\\hat{\\mathbf{p}}`` is ``p_hat``, bold, so maybe a vector) or over a
run of letters (``\\bar{\\mathbf{dq}}`` is ``dq_bar``, ``\\dot{FL}`` ``FL_dot``).
Apart from ``names`` so that a new accent reading is a change here.
"""

from __future__ import annotations

from .grammar import Grammar
from .tokens import Token
from .vocabulary import ACCENT_COMMANDS, GREEK, STYLE_COMMANDS, Occurrence

# a bold name under a letter font is a font of its own, not an accent (\mathcal{\mathbf{L}} is not read)
_OVER_WHOLE_NAMES = frozenset(ACCENT_COMMANDS) - {"mathcal", "mathscr", "mathfrak", "mathbb"}


def read_accented(p: Grammar, command: Token) -> Occurrence:
    """``\\hat{y}``, ``\\hat y``, ``\\bar{\\sigma}``: the name ``y_hat`` ...;
    ``\\hat{\\mathbf{p}}`` the bold name ``p_hat``, ``\\dot{FL}`` ``FL_dot``."""
    span = p.take_span(f"\\{command.value}")
    inner = list(p.tokens[span.start:span.end])
    styled = False
    if command.value in _OVER_WHOLE_NAMES and inner and inner[0].kind == "cmd" and inner[0].value in STYLE_COMMANDS:
        styled = True
        if len(inner) == 1:  # \hat\mathbf{p}: the style's argument follows
            more = p.take_span(f"\\{inner[0].value}")
            inner = list(p.tokens[more.start:more.end])
        else:
            inner = _unbraced(inner[1:])
    token = inner[0] if len(inner) == 1 else None
    if command.value == "mathbb" and token is not None and (token.kind, token.value) == ("digit", "1"):
        return Occurrence("1", command, styled=True)  # \mathbb{1}: the indicator (or ones)
    if token is not None and (token.kind == "letter" or (token.kind == "cmd" and token.value in GREEK)):
        return Occurrence(f"{token.value}_{ACCENT_COMMANDS[command.value]}", command, styled=styled)
    if command.value in _OVER_WHOLE_NAMES and len(inner) > 1 and all(t.kind == "letter" for t in inner):
        word = "".join(t.value for t in inner)  # \bar{\mathbf{dq}}, \dot{FL}: one name, as code names it
        return Occurrence(f"{word}_{ACCENT_COMMANDS[command.value]}", command, styled=styled)
    raise p.error(f"\\{command.value} expects a single letter or a name, as in \\{command.value}{{y}}, "
                  f"\\{command.value}{{\\mathbf{{y}}}} or \\{command.value}{{FL}}", command)


def _unbraced(tokens: list) -> list:
    """``{dq}`` of ``\\mathbf {dq}``: the letters inside one pair of braces."""
    if len(tokens) >= 2 and (tokens[0].kind, tokens[0].value) == ("op", "{") and (
            tokens[-1].kind, tokens[-1].value) == ("op", "}"):
        return tokens[1:-1]
    return tokens
