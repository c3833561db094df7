"""Find the math of a post and the prose around it, with positions.

A post is Markdown (``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]``, fenced
``math``/``latex`` blocks), LaTeX (``equation``, ``align``, ``gather``,
``eqnarray``, ``multline`` and their starred forms, ``\\[..\\]``, ``$$``) or
plain text holding those delimiters. Each math block keeps the prose that
came before it (since the previous block) for rule hints, conditions and
"Let" definitions, and the number of the section it is in: a Markdown
heading, a LaTeX ``\\section``, or a short numbered line ("2. Tanh").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Origin

ENVIRONMENTS = ("equation", "align", "alignat", "gather", "eqnarray", "multline", "flalign",
                "displaymath", "math")
_ENV = "|".join(ENVIRONMENTS)
MATH = re.compile(
    r"(?P<fence_open>^[ \t]*(?:```|~~~)[ \t]*(?:math|latex|tex)[ \t]*\n)(?P<fence>.*?)^[ \t]*(?:```|~~~)[ \t]*$"
    rf"|\\begin\{{(?P<envname>(?:{_ENV})\*?)\}}(?:\{{[^}}]*\}})?(?P<env>.*?)\\end\{{(?P=envname)\}}"
    r"|\\\[(?P<bracket>.*?)\\\]"
    r"|\$\$(?P<dollars>.*?)\$\$"
    r"|(?<![\\$])\$(?P<envdollar>\s*\\begin\{(?P<inner>\w+\*?)\}.*?\\end\{(?P=inner)\})\s*\$"
    r"|\\\((?P<paren>.*?)\\\)"
    r"|(?<![\\$\w])\$(?P<dollar>[^$\n]+?)\$(?!\d)",
    re.S | re.M,
)
DISPLAY = {"fence", "env", "bracket", "dollars", "envdollar"}
ALIGNED = {"align", "alignat", "eqnarray", "flalign"}
HEADING = re.compile(r"^(?:#{1,6}\s+\S|\\(?:sub)*section\*?\{|\d{1,2}\.\s+[A-Z][\w\- ]{0,30}$)")
CODE_FENCE = re.compile(r"^[ \t]*(```|~~~)(?![ \t]*(?:math|latex|tex)\b).*?^[ \t]*\1[ \t]*$", re.S | re.M)


@dataclass(frozen=True)
class MathBlock:
    """The LaTeX of one math span of a post, where it starts, whether it is
    displayed, the prose since the previous block, and its section."""

    text: str
    origin: Origin
    display: bool
    prose_before: str
    section: int


def _wrap_environment(name: str, body: str) -> str:
    """Aligned environments become ``aligned`` so the parser reads rows."""
    base = name.rstrip("*")
    if base in ALIGNED or "\\\\" in body:
        return body  # the parser reads rows with & and \\ directly
    return body


COLOR = re.compile(r"\\(?:text)?color\s*\{[^{}]*\}")
EMPTY_ROW = re.compile(r"\\\\(\s*(?:\\text\s*\{[^{}]*\}\s*)?)(?=\\\\|\s*\\end\{)")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def tidy_math(text: str) -> str:
    """Colour commands, empty rows and rows of prose only (``\\\\ \\text{...} \\\\``)
    are blanked with spaces, so every position in the text stays where it was."""
    text = COLOR.sub(_blank, text)
    while True:
        tidied = EMPTY_ROW.sub(_blank, text)
        if tidied == text:
            return text
        text = tidied


def _blank_code(text: str) -> str:
    """Code blocks that are not math are blanked (same length) so their
    dollar signs are not taken for math."""
    return CODE_FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _sections(text: str) -> list[int]:
    """Offsets where a new section starts."""
    starts, offset = [], 0
    for line in text.splitlines(keepends=True):
        if HEADING.match(line.strip()):
            starts.append(offset)
        offset += len(line)
    return starts


def find_blocks(text: str, file: str = "<post>") -> list[MathBlock]:
    """Every math block of the post, in order."""
    scan = _blank_code(text)
    origin = Origin(file, 1, 1)
    section_starts = _sections(scan)
    blocks, previous_end = [], 0
    for match in MATH.finditer(scan):
        group = next(g for g in ("fence", "env", "bracket", "dollars", "envdollar", "paren", "dollar")
                     if match.group(g) is not None)
        body = match.group(group)
        if group == "env":
            body = _wrap_environment(match.group("envname"), body)
        start = match.start(group)
        section = sum(1 for s in section_starts if s <= match.start())
        prose = text[previous_end:match.start()]
        previous_end = match.end()
        if not body.strip():
            continue
        blocks.append(MathBlock(tidy_math(body), origin.shifted(text, start), group in DISPLAY, prose, section))
    return blocks
