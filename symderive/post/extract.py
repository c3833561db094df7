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

import bisect
import re
from dataclasses import dataclass

from ..errors import Origin, SymderiveError

# Limits: the posts of the import corpus have under 8 kB and 60 math blocks.
# Each block may cost a proof, so a hostile post is refused up front.
MAX_POST_BYTES = 1_000_000
MAX_MATH_BLOCKS = 2_000

ENVIRONMENTS = ("equation", "align", "alignat", "gather", "eqnarray", "multline", "flalign",
                "displaymath", "math")
_ENV = "|".join(ENVIRONMENTS)
@dataclass(frozen=True)
class Delimiter:
    """A kind of block: the pattern that opens it and the one that closes it."""

    group: str
    opener: re.Pattern
    closer: re.Pattern


@dataclass(frozen=True)
class Found:
    """A block found: its kind, the span of its content and of the whole."""

    group: str
    start: int
    end: int
    outer_start: int
    outer_end: int
    name: str | None
    unclosed: str | None = None  # the opener, when nothing closes it


class _Closers:
    """Where each closer of a text is, found once per pattern, by name:
    ``first(d, name, pos)`` is the first closer of ``d`` at or after pos."""

    def __init__(self, text: str):
        self.text = text
        self.index: dict[str, dict] = {}

    def first(self, delimiter: Delimiter, name: str | None, pos: int) -> re.Match | None:
        if delimiter.closer.pattern not in self.index:
            table: dict = {}
            for match in delimiter.closer.finditer(self.text):
                key = match.groupdict().get("name")
                starts, matches = table.setdefault(key, ([], []))
                starts.append(match.start())
                matches.append(match)
            self.index[delimiter.closer.pattern] = table
        starts, matches = self.index[delimiter.closer.pattern].get(name, ((), ()))
        at = bisect.bisect_left(starts, pos)
        return matches[at] if at < len(matches) else None


def scan_blocks(text: str, delimiters, inline: re.Pattern | None = None, unclosed: re.Pattern | None = None):
    """Every block of ``text`` delimited by one of ``delimiters`` (tried in
    order at each position, leftmost first), without overlaps; ``inline``
    is tried last, its "dollar" group being the content. With ``unclosed``
    (a lone opener of inline math), an opener that never closes is a block
    of group "unclosed" ending at the opener."""
    closers, position = _Closers(text), 0
    for candidate in CANDIDATE.finditer(text):
        at = candidate.start()
        if at < position:
            continue
        found = _block_at(text, at, delimiters, inline, closers, unclosed)
        if found is not None:
            position = max(found.outer_end, at + 1)
            yield found


def _block_at(text: str, at: int, delimiters, inline, closers: _Closers, lone=None) -> Found | None:
    unclosed = None
    for delimiter in delimiters:
        opened = delimiter.opener.match(text, at)
        if opened is None:
            continue
        name = opened.groupdict().get("name")
        closed = closers.first(delimiter, name, opened.end())
        if closed is None:
            unclosed = unclosed or opened
            continue
        groups = closed.groupdict()
        start = opened.start("body") if "body" in opened.re.groupindex else opened.end()
        end = closed.end("stop") if groups.get("stop") is not None else closed.start()
        outer_end = closed.end("close") if groups.get("close") is not None else closed.end()
        return Found(delimiter.group, start, end, at, outer_end, name)
    if inline is not None:
        single = inline.match(text, at)
        if single is not None:
            return Found("dollar", single.start("dollar"), single.end("dollar"), at, single.end(), None)
        if unclosed is None and lone is not None:
            unclosed = lone.match(text, at)
    if unclosed is not None and lone is not None:  # the reader sees math that never ends: reported, never dropped
        opener = unclosed.group(0).strip()
        return Found("unclosed", unclosed.end(), unclosed.end(), at, unclosed.end(), None, opener)
    return None


# The delimiters of math, tried in this order at each position: leftmost
# block first, then the first kind that closes. A block's content runs from
# its opener (or the opener's "body" group) to the first closer after the
# opener (or to the closer's "stop" group); a closer must repeat the "name"
# the opener captured. One regular expression with lazy ``.*?`` groups said
# the same, but took quadratic time on openers that never close (``\[``
# repeated 50,000 times: a minute); here each closer is a bisection in a
# list of closer positions made once per text, so reading is linear.
MATH_DELIMITERS = (
    Delimiter("fence", re.compile(r"^[ \t]*(?:```|~~~)[ \t]*(?:math|latex|tex)[ \t]*\n", re.M),
              re.compile(r"^[ \t]*(?:```|~~~)[ \t]*$", re.M)),
    # ``\begin{alignat}{2}``: with its argument if that closes, else without
    Delimiter("env", re.compile(rf"\\begin\{{(?P<name>(?:{_ENV})\*?)\}}\{{[^}}]{{0,200}}\}}"),
              re.compile(r"\\end\{(?P<name>\w+\*?)\}")),
    Delimiter("env", re.compile(rf"\\begin\{{(?P<name>(?:{_ENV})\*?)\}}"),
              re.compile(r"\\end\{(?P<name>\w+\*?)\}")),
    Delimiter("bracket", re.compile(r"\\\["), re.compile(r"\\\]")),
    Delimiter("dollars", re.compile(r"\$\$"), re.compile(r"(?=(?P<close>\$\$))")),
    Delimiter("envdollar", re.compile(r"(?<![\\$])\$(?P<body>\s*\\begin\{(?P<name>\w+\*?)\})"),
              re.compile(r"(?P<stop>\\end\{(?P<name>\w+\*?)\})\s*\$")),
    Delimiter("paren", re.compile(r"\\\("), re.compile(r"\\\)")),
)
# ``$..$`` on one line: its lazy content stops at the next ``$`` anyway, so
# the scan from each ``$`` is short and one pattern suffices.
INLINE_DOLLAR = re.compile(r"(?<![\\$\w])\$(?P<dollar>[^$\n]+?)\$(?!\d)")
# A ``$`` that opens math that never closes; not one after a word or before
# a digit or a space (money, ``$5``; a closing dollar), which opens none.
LONE_DOLLAR = re.compile(r"(?<![\\$\w])\$(?![\d$\s])")
# Code blocks that are not math: ``` or ~~~ up to the same fence.
CODE_DELIMITERS = (
    Delimiter("code", re.compile(r"^[ \t]*(?P<name>```|~~~)(?![ \t]*(?:math|latex|tex)\b)", re.M),
              re.compile(r"^[ \t]*(?P<name>```|~~~)[ \t]*$", re.M)),
)
CANDIDATE = re.compile(r"^|[\\$]", re.M)  # where any block can start
DISPLAY = {"fence", "env", "bracket", "dollars", "envdollar"}
ALIGNED = {"align", "alignat", "eqnarray", "flalign"}
HEADING = re.compile(r"^(?:#{1,6}\s+\S|\\(?:sub)*section\*?\{|\d{1,2}\.\s+[A-Z][\w\- ]{0,30}$)")


@dataclass(frozen=True)
class MathBlock:
    """The LaTeX of one math span of a post, where it starts, whether it is
    displayed, the prose since the previous block, and its section."""

    text: str
    origin: Origin
    display: bool
    prose_before: str
    section: int
    unclosed: str | None = None  # the delimiter that opened this math and never closes
    words_after: str = ""  # the prose right after it, up to the end of its line


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


# Markdown inline code on one line, single backticks (`$..$`); only when it
# holds a math delimiter, so a LaTeX opening quote `like this' is never
# touched. Each failed attempt stops at the next backtick: linear time.
INLINE_CODE = re.compile(r"(?<!`)`(?!`)(?P<code>[^`\n]+)`(?!`)")
_MATH_SIGNS = ("$", "\\(", "\\[")


def _blank_code(text: str) -> str:
    """Code blocks and inline code that are not math are blanked (same
    length) so their dollar signs are not taken for math."""
    pieces, kept = [], 0
    for block in scan_blocks(text, CODE_DELIMITERS):
        pieces.append(text[kept:block.outer_start])
        pieces.append(re.sub(r"[^\n]", " ", text[block.outer_start:block.outer_end]))
        kept = block.outer_end
    pieces.append(text[kept:])
    return INLINE_CODE.sub(_blank_inline, "".join(pieces))


def _blank_inline(match: re.Match) -> str:
    if any(sign in match.group("code") for sign in _MATH_SIGNS):
        return " " * len(match.group(0))
    return match.group(0)


def _sections(text: str) -> list[int]:
    """Offsets where a new section starts."""
    starts, offset = [], 0
    for line in text.splitlines(keepends=True):
        if HEADING.match(line.strip()):
            starts.append(offset)
        offset += len(line)
    return starts


def check_size(text: str, file: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_POST_BYTES:
        raise SymderiveError(f"post larger than {MAX_POST_BYTES} bytes ({size})", Origin(file, 1, 1))


def find_blocks(text: str, file: str = "<post>") -> list[MathBlock]:
    """Every math block of the post, in order; a post over MAX_POST_BYTES or
    with more than MAX_MATH_BLOCKS blocks is a SymderiveError."""
    check_size(text, file)
    scan = _blank_code(text)
    origin = Origin(file, 1, 1)
    section_starts = _sections(scan)
    blocks, previous_end = [], 0
    for found in scan_blocks(scan, MATH_DELIMITERS, INLINE_DOLLAR, LONE_DOLLAR):
        body = scan[found.start:found.end]
        if len(blocks) == MAX_MATH_BLOCKS:  # unclosed openers count too: each is a block a reader sees
            raise SymderiveError(f"too many math blocks (the limit is {MAX_MATH_BLOCKS})",
                                 origin.shifted(text, found.outer_start))
        if found.unclosed is not None:
            blocks.append(MathBlock(scan[found.outer_start:found.outer_start + 60].split("\n")[0],
                                    origin.shifted(text, found.outer_start), True, text[previous_end:found.outer_start],
                                    bisect.bisect_right(section_starts, found.outer_start), found.unclosed))
            previous_end = found.outer_end
            continue
        if found.group == "env":
            body = _wrap_environment(found.name, body)
        start = found.start
        section = bisect.bisect_right(section_starts, found.outer_start)
        prose = text[previous_end:found.outer_start]
        previous_end = found.outer_end
        if not body.strip():
            continue
        after = scan[found.outer_end:].split("\n", 1)[0]
        blocks.append(MathBlock(tidy_math(body), origin.shifted(text, start), found.group in DISPLAY, prose,
                                section, words_after=after))
    return blocks
