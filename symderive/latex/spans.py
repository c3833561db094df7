"""Finding the math in prose: ``\\[..\\]``, ``$$..$$``, ``\\(..\\)``, ``$..$``.

Used to read blog posts and notes: each span keeps the origin of its first
character so errors inside it point into the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Origin

MATH = re.compile(
    r"\\\[(?P<bracket>.*?)\\\]"
    r"|\$\$(?P<dollars>.*?)\$\$"
    r"|\\\((?P<paren>.*?)\\\)"
    r"|(?<![\\$])\$(?P<dollar>[^$]+?)\$",
    re.S,
)
DISPLAY_GROUPS = ("bracket", "dollars")


@dataclass(frozen=True)
class MathSpan:
    """The LaTeX between math delimiters, where it starts, and whether the
    delimiters were display (``\\[``, ``$$``) or inline (``\\(``, ``$``)."""

    text: str
    origin: Origin
    display: bool


def find_math(text: str, origin: Origin = Origin()) -> list[MathSpan]:
    spans = []
    for match in MATH.finditer(text):
        group = match.lastgroup
        spans.append(MathSpan(match.group(group), origin.shifted(text, match.start(group)),
                              group in DISPLAY_GROUPS))
    return spans
