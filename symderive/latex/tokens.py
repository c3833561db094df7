"""Tokenizer: LaTeX math text to a flat list of tokens with exact offsets.

The parser never looks at raw text again, so every token carries the offset
of its first character and the offset just past it; errors point there.

Decisions taken here, once, so the parser sees one spelling of each thing:

* digits and letters are one token each (``x^23`` is ``x^2 3`` as in TeX);
  the parser joins adjacent ones into numbers and function words;
* Unicode dashes and the minus sign are ``-``, curly and prime quotes ``'``;
  a norm's bars (``\\|``, ``\\lVert``, ``\\Vert``, U+2016) are ``‖``;
* spacing (``\\,``, ``~``, ``\\quad`` ...), delimiter sizes (``\\big`` ...),
  ``\\displaystyle``, ``\\limits`` and ``\\label{..}`` produce no token, nor
  do cancel strokes (``\\cancel{a}`` is ``{a}``, ``\\cancelto{0}{a}`` is ``{a}``);
* ``\\text{..}``, ``\\mathrm{..}``, ``\\operatorname{..}`` keep their raw
  content as one token, because their content is words, not math;
* environments that only lay out a chain of relations (``array``,
  ``aligned``, ``align`` ...) vanish; ``cases`` and matrices stay, and so
  does an ``array`` opened right after ``\\left(``, ``\\left[``, ``\\left|``
  (a matrix, a determinant) or ``\\left\\{`` (cases); ``bmatrix*`` is
  ``bmatrix``;
* ``\\tag{..}`` is collected aside, as a tag, not a token;
* ``\\not=`` is the relation ``\\neq`` (any other ``\\not`` is an error),
  ``\\newline`` is a row separator like ``\\\\``, and ``\\color{red}``
  (``\\textcolor{red}``) vanishes with its colour argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import LatexSyntaxError, Origin
from .script_order import subscript_first
from .strokes import open_signed_strokes
from .lexicon import (SKIPPED_COMMANDS, SKIPPED_WITH_ARGUMENT, STARRED_COMMANDS, TEXT_COMMANDS,
    ROMAN_COMMANDS, OLD_FONTS, OLD_FONT_WORD, INLINE_GROUPS, LAYOUT_ENVIRONMENTS, SPEC_ENVIRONMENTS,
    CASES_ENVIRONMENTS, STARRED_MATRICES, PLAIN_MATRICES, ARRAY_AFTER_LEFT, CASES_SEPARATORS,
    PROSE_WORD, LEADING_WORD, RELATION_COMMANDS, MUL_COMMANDS, ELLIPSIS_COMMANDS, DELIMITER_ALIASES,
    SPACING_SYMBOLS, SINGLE_CHARACTERS, TWO_CHARACTER_RELATIONS, WHITESPACE, OPTION, ROW_SPACING)


@dataclass(frozen=True)
class Token:
    """One lexical item: ``kind`` says how the parser treats it, ``value`` is
    its normalized spelling, ``offset``/``end`` its span in the source text."""

    kind: str
    value: str
    offset: int
    end: int


@dataclass(frozen=True)
class Tag:
    """An equation tag ``\\tag{4.1}``: kept apart from the math."""

    text: str
    offset: int


@dataclass(frozen=True)
class Tokens:
    """The tokens of a text, where each ``{`` closes, and the tags found."""

    items: tuple[Token, ...]
    closing: dict[int, int]
    tags: tuple[Tag, ...]


class _Lexer:
    """Walks the text once; one method per kind of lead character."""

    def __init__(self, text: str, origin: Origin):
        self.text = text
        self.origin = origin
        self.i = 0
        self.tokens: list[Token] = []
        self.tags: list[Tag] = []
        self.environments: list[tuple[str, int]] = []

    def error(self, message: str, offset: int) -> LatexSyntaxError:
        return LatexSyntaxError(message, self.origin.shifted(self.text, offset))

    def emit(self, kind: str, value: str, start: int, end: int) -> None:
        self.tokens.append(Token(kind, value, start, end))

    def run(self) -> list[Token]:
        while self.i < len(self.text):
            self.step()
        if self.environments:
            name, offset, _ = self.environments[-1]
            raise self.error(f"\\begin{{{name}}} is never closed (missing \\end{{{name}}})", offset)
        return self.tokens

    def step(self) -> None:
        ch = self.text[self.i]
        start = self.i
        if ch in WHITESPACE:
            self.i += 1
        elif ch == "%":
            newline = self.text.find("\n", start)
            self.i = len(self.text) if newline < 0 else newline
        elif ch == "\\":
            self.command()
        elif ch.isascii() and ch.isdigit():
            self.i += 1
            self.emit("digit", ch, start, self.i)
        elif ch.isascii() and ch.isalpha():
            self.i += 1
            self.emit("letter", ch, start, self.i)
        elif self.text.startswith("...", start):
            self.i += 3
            self.emit("ellipsis", "...", start, self.i)
        elif self.text[start:start + 2] in TWO_CHARACTER_RELATIONS:
            self.i += 2
            self.emit("rel", TWO_CHARACTER_RELATIONS[self.text[start:start + 2]], start, self.i)
        elif ch in "<>":
            self.i += 1
            self.emit("rel", ch, start, self.i)
        elif ch in SINGLE_CHARACTERS:
            self.i += 1
            self.emit(*SINGLE_CHARACTERS[ch], start, self.i)
        else:
            raise self.error(f"unexpected character {ch!r}", start)

    def command(self) -> None:
        start = self.i
        match = re.compile(r"\\([A-Za-z]+\*?|.)", re.S).match(self.text, start)
        if match is None:  # a Markdown source escapes its closing delimiter (\\(a = b \\)): the first '\\'
            self.i = len(self.text)
            return
        self.i = match.end()
        name = match.group(1)
        if name.endswith("*"):
            name = name[:-1]
            if name not in STARRED_COMMANDS:
                self.i -= 1
        if len(name) == 1 and not name.isalpha():
            self.symbol_command(name, start)
        else:
            self.named_command(name, start)

    def symbol_command(self, name: str, start: int) -> None:
        if name in SPACING_SYMBOLS:
            return
        if name == "\\":
            spacing = ROW_SPACING.match(self.text, self.i)
            if spacing:
                self.i = spacing.end()
            self.emit("rowsep", "\\\\", start, self.i)
        elif name in "{}":
            self.emit("op", "\\" + name, start, self.i)
        elif name == "|":
            self.emit("op", "‖", start, self.i)
        elif name == "_" and self.joins_word(start):
            self.underscored_word(start)
        else:
            raise self.error(f"unknown command \\{name}", start)

    def joins_word(self, start: int) -> bool:
        """``leaky\\_relu``: an escaped underscore between two words."""
        before = self.tokens[-1] if self.tokens else None
        return (before is not None and before.kind == "letter" and before.end == start
                and self.i < len(self.text) and self.text[self.i].isascii() and self.text[self.i].isalpha())

    def underscored_word(self, start: int) -> None:
        """The letters before ``\\_`` and after it are one roman word, the
        name ``leaky_relu``, as ``\\mathrm{leaky\\_relu}`` would be."""
        first = len(self.tokens)
        while first > 0 and self.tokens[first - 1].kind == "letter" and (
                first == len(self.tokens) or self.tokens[first - 1].end == self.tokens[first].offset):
            first -= 1
        head = "".join(token.value for token in self.tokens[first:])
        offset = self.tokens[first].offset
        del self.tokens[first:]
        tail = re.compile(r"[A-Za-z0-9]+").match(self.text, self.i)
        self.i = tail.end()
        self.emit("roman", f"{head}_{tail.group()}", offset, self.i)

    def named_command(self, name: str, start: int) -> None:
        handler = self.NAMED.get(name)
        if handler is not None:
            handler(self, name, start)
        elif name in CASES_SEPARATORS and self.in_cases() and not self.row_has_column():
            self.emit("op", "&", start, self.i)
        elif name in SKIPPED_COMMANDS:
            return
        elif name in RELATION_COMMANDS:
            self.emit("rel", RELATION_COMMANDS[name], start, self.i)
        elif name in MUL_COMMANDS:
            self.emit("mul", MUL_COMMANDS[name], start, self.i)
        elif name in ELLIPSIS_COMMANDS:
            self.emit("ellipsis", "...", start, self.i)
        elif name in DELIMITER_ALIASES:
            value = DELIMITER_ALIASES[name]
            self.emit("op", value, start, self.i)
        else:
            self.emit("cmd", name, start, self.i)

    # -- commands whose argument is read raw -------------------------------

    def raw_argument(self, name: str, start: int) -> tuple[str, int]:
        """The content of ``{...}`` after a command (or one character, as in
        ``\\mathrm e``) and the offset where that content starts."""
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1
        if self.i >= len(self.text):
            raise self.error(f"\\{name} needs an argument", start)
        if self.text[self.i] != "{":
            self.i += 1
            return self.text[self.i - 1], self.i - 1
        return self.braced(name, self.i)

    def braced(self, name: str, brace: int) -> tuple[str, int]:
        depth, j = 0, brace
        while j < len(self.text):
            ch = self.text[j]
            if ch == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if depth == 0:
                self.i = j + 1
                return self.text[brace + 1:j], brace + 1
            j += 1
        raise self.error(f"unclosed '{{' in the argument of \\{name}", brace)

    def text_command(self, name: str, start: int) -> None:
        kind = "text" if name in TEXT_COMMANDS else "roman"
        content, offset = self.raw_argument(name, start)
        if kind == "text" and self.in_cases() and not PROSE_WORD.fullmatch(content.strip()):
            self.condition_text(content, offset)
        else:
            self.emit_roman(content, start, self.i) if kind == "roman" else self.emit(kind, content, start, self.i)

    def emit_roman(self, word: str, start: int, end: int) -> None:
        """``\\mathrm{dx}``, ``{\\rm dy}``: the differential d and a letter, as ``\\mathrm{d}x``."""
        split = re.fullmatch("d[a-df-zA-Z]", word) is not None
        self.emit("roman", "d" if split else word, start, end - split)
        self.emit("letter", word[1], end - 1, end) if split else None

    def in_cases(self) -> bool:
        return bool(self.environments) and self.environments[-1][2] in CASES_ENVIRONMENTS

    def row_has_column(self) -> bool:
        """Whether the current row of the innermost environment has a '&'."""
        for token in reversed(self.tokens):
            if token.kind in ("rowsep", "begin"):
                return False
            if token.kind == "op" and token.value == "&":
                return True
        return False

    def condition_text(self, content: str, offset: int) -> None:
        """``\\text{if $x$ > 0}``, ``\\text{for } ...``, ``\\text{if x > 0}`` in
        cases: the words stay prose, the math (between dollars, or text with
        no word in it, as ``> 0``) is read as math, so the condition is
        ``x > 0`` as a reader takes it."""
        after, position = self.i, offset
        for number, piece in enumerate(content.split("$")):
            if number % 2:
                self.lex_range(position, position + len(piece))
            else:
                self.prose_or_math(piece, position)
            position += len(piece) + 1
        self.i = after

    def prose_or_math(self, piece: str, offset: int) -> None:
        lead = LEADING_WORD.match(piece)
        if lead and lead.end() > 0 and not PROSE_WORD.search(piece, lead.end()):
            self.emit("text", piece[:lead.end()], offset, offset + lead.end())
            self.lex_range(offset + lead.end(), offset + len(piece))
        elif PROSE_WORD.search(piece):
            if piece.strip():
                self.emit("text", piece, offset, offset + len(piece))
        else:
            self.lex_range(offset, offset + len(piece))

    def lex_range(self, start: int, end: int) -> None:
        self.i = start
        while self.i < end:
            self.step()

    def old_style_font(self, name: str, start: int) -> None:
        """``{\\rm erf}``: a plain-TeX font switch before a roman word (``\\mathrm{erf}``)."""
        word = OLD_FONT_WORD.match(self.text, self.i)
        if word is None:
            return
        self.i = word.end()
        self.emit_roman(word.group(1), start, self.i)

    def inline_group(self, name: str, start: int) -> None:
        """``\\eqalign{a &= b \\cr ...}``: plain TeX's aligned rows; the
        braces only delimit the rows, which are read as those of ``aligned``."""
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1
        if not self.text.startswith("{", self.i):
            raise self.error(f"\\{name} needs its rows in braces", start)
        content, offset = self.braced(name, self.i)
        after = self.i
        self.lex_range(offset, offset + len(content))
        self.i = after

    def skip_argument(self, name: str, start: int) -> None:
        self.raw_argument(name, start)

    def negated(self, name: str, start: int) -> None:
        """``\\not=`` is ``\\neq``; other negations are not understood."""
        follower = re.compile(r"\s*(=|\\in\b|\\[A-Za-z]+|.)", re.S).match(self.text, self.i)
        if follower is None or follower.group(1) != "=":
            shown = follower.group(1) if follower else ""
            raise self.error(f"\\not{shown} is not understood (only \\not= is)", start)
        self.i = follower.end()
        self.emit("rel", "\\neq", start, self.i)

    def newline(self, name: str, start: int) -> None:
        self.emit("rowsep", "\\\\", start, self.i)

    def tag(self, name: str, start: int) -> None:
        content, _ = self.raw_argument(name, start)
        self.tags.append(Tag(f"({content.strip()})", start))

    def begin(self, name: str, start: int) -> None:
        environment, _ = self.raw_argument(name, start)
        environment = environment.strip()
        meaning = self.environment_meaning(environment)
        self.environments.append((environment, start, meaning))
        if environment in SPEC_ENVIRONMENTS:
            self.skip_column_spec(start)
        elif environment in STARRED_MATRICES:
            self.skip_option()
        if meaning is not None:
            self.emit("begin", meaning, start, self.i)

    def environment_meaning(self, environment: str) -> str | None:
        """What the parser is told the environment is; None for layout."""
        after_left = (len(self.tokens) >= 2 and self.tokens[-2].kind == "cmd"
                      and self.tokens[-2].value == "left")
        if environment == "array" and after_left and self.tokens[-1].value in ARRAY_AFTER_LEFT:
            return ARRAY_AFTER_LEFT[self.tokens[-1].value]
        if environment in PLAIN_MATRICES and after_left and self.tokens[-1].value == "\\{":
            return "cases"  # ``\left\{\begin{matrix*}[l] x & x > 0 \\ ..``: cases drawn as a matrix
        if environment in LAYOUT_ENVIRONMENTS:
            return None
        return environment.rstrip("*") if environment in STARRED_MATRICES else environment

    def skip_option(self) -> None:
        option = OPTION.match(self.text, self.i)
        self.i = option.end() if option else self.i

    def skip_column_spec(self, start: int) -> None:
        """``\\begin{array}[t]{rcl}``: the placement and the column spec."""
        self.skip_option()
        self.raw_argument("begin", start)

    def end(self, name: str, start: int) -> None:
        environment, _ = self.raw_argument(name, start)
        environment = environment.strip()
        if not self.environments:
            raise self.error(f"\\end{{{environment}}} without a matching \\begin", start)
        opened, _, meaning = self.environments.pop()
        if opened != environment:
            raise self.error(f"\\end{{{environment}}} does not match \\begin{{{opened}}}", start)
        if meaning is not None:
            self.emit("end", meaning, start, self.i)

    NAMED = {
        **dict.fromkeys(TEXT_COMMANDS | ROMAN_COMMANDS, text_command),
        **dict.fromkeys(SKIPPED_WITH_ARGUMENT, skip_argument),
        "tag": tag, "begin": begin, "end": end, "not": negated, "newline": newline, "cr": newline,
        **dict.fromkeys(OLD_FONTS, old_style_font), **dict.fromkeys(INLINE_GROUPS, inline_group),
    }


def match_braces(tokens: list[Token], text: str, origin: Origin) -> dict[int, int]:
    """Index of the ``}`` that closes each ``{``; unbalanced braces are an
    error here, before parsing, so the message can point at the culprit."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.kind != "op" or token.value not in "{}":
            continue
        if token.value == "{":
            stack.append(index)
        elif not stack:
            raise LatexSyntaxError("unexpected '}' (no matching '{')", origin.shifted(text, token.offset))
        else:
            closing[stack.pop()] = index
    if stack:
        raise LatexSyntaxError("unclosed '{' (missing '}')", origin.shifted(text, tokens[stack[-1]].offset))
    return closing


def tokenize(text: str, origin: Origin = Origin()) -> Tokens:
    """All tokens of ``text`` (LaTeX math), with brace pairs and tags."""
    lexer = _Lexer(open_signed_strokes(text), origin)
    items = subscript_first(lexer.run())
    return Tokens(tuple(items), match_braces(items, text, origin), tuple(lexer.tags))
