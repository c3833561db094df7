"""A cancel stroke over signed terms: ``a \\cancel{- b c}`` is typeset
"a −bc" struck through, which a reader reads as a − bc. Without its
braces the sign is the binary one the reader sees; with them it would be
unary, and the terms a factor (a·(−bc)).

A stroke whose text starts with a sign is opened, unless it stands as a
script (``x^\\cancel{-2+1}``, an exponent whatever it holds) or is never
closed; any other stroke keeps its braces, and is read as before.
"""

from __future__ import annotations

import re

_STROKE = re.compile(r"\\(?:b|x)?cancel\s*\{(?=\s*[+-])")
_SCRIPT_BEFORE = re.compile(r"[\^_]\s*\Z")


def open_signed_strokes(text: str) -> str:
    """``text`` with each stroke over signed terms replaced by its text,
    padded with spaces to the same length (offsets stay those of the text)."""
    pieces, last = [], 0
    for stroke in _STROKE.finditer(text):
        if stroke.start() < last or _SCRIPT_BEFORE.search(text, 0, stroke.start()):
            continue
        close = _closing(text, stroke.end())
        if close is None:
            continue
        pieces += [text[last:stroke.start()], " " * (stroke.end() - stroke.start()), text[stroke.end():close], " "]
        last = close + 1
    return "".join(pieces) + text[last:]


def _closing(text: str, start: int) -> int | None:
    """The offset of the brace that closes the group opened before ``start``."""
    depth = 1
    for at in range(start, len(text)):
        if text[at] == "\\":
            continue
        if text[at] == "{" and text[at - 1] != "\\":
            depth += 1
        elif text[at] == "}" and text[at - 1] != "\\":
            depth -= 1
            if depth == 0:
                return at
    return None
