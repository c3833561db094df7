"""A cursor over tokens, with bounded regions and error construction.

Parsing a TeX argument (``{...}`` or one token) is parsing a region of the
token list: the cursor gets a limit, and everything past it reads as the end
of input. Regions nest, so ``\\frac{a}{b^{c}}`` needs no sub-lexers and every
token keeps its offset in the original text.

``&`` is a column separator only inside ``cases``; elsewhere it is layout
and the cursor skips it (``amp_stops`` counts the cases being read).
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, TypeVar

import sympy

from ..errors import LatexSyntaxError, Origin
from .acronyms import named_runs
from .entries import subscript_letters
from .limits import MAX_NESTING
from .model import Annotation
from .scope import Scope
from .upper_indices import written_up
from .tokens import Token, tokenize

T = TypeVar("T")
SINGLE_TOKEN_ARGUMENTS = frozenset({"digit", "letter", "cmd", "text", "roman"})
# A fraction written as the argument of another command takes its own
# arguments along: ``\sqrt\frac{2}{\pi}`` is sqrt(2/pi) and ``e^\frac{x}{2}``
# is exp(x/2), as MathJax draws them and a reader takes them.
ARGUMENT_COUNTS = dict.fromkeys(("frac", "dfrac", "tfrac", "cfrac"), 2)


@dataclass(frozen=True)
class Span:
    """Tokens ``start``..``end`` (exclusive); ``after`` is where the cursor
    goes once the span is consumed (past a closing brace, if any)."""

    start: int
    end: int
    after: int


def primed_letters(tokens: tuple[Token, ...]) -> frozenset[str]:
    """The letters written bare with a prime (``u'``, not ``h'(x)``): there
    the author uses them as functions, as in ``(u/v)' = (v u' - u v')/v^2``."""
    found = set()
    for index, token in enumerate(tokens[:-1]):
        after = index + 1
        while after < len(tokens) and tokens[after].kind == "op" and tokens[after].value == "'":
            after += 1
        applied = after < len(tokens) and tokens[after].value in ("(", "left")
        if (token.kind == "letter" and after > index + 1 and tokens[index + 1].offset == token.end
                and not applied):
            found.add(token.value)
    return frozenset(found)


LABEL_TOKENS = frozenset({"letter", "digit"})


def label_bases(tokens: tuple[Token, ...], closing: dict) -> frozenset[str]:
    """The names differentiated in with a letter superscript (a denominator
    ``}{\\partial z^l}``, ``/ \\partial W^{l+1}``): there the superscript is a
    label (a layer), and so it is wherever the display writes the name with
    one (``z^l = W^l a^{l-1} + b^l``); braces around the variable change
    nothing (``\\partial{A^{O}}``). A numerator's ``d x^n`` marks nothing:
    ``\\frac{d x^n}{dx}`` is a power."""
    found = set()
    for index in range(2, len(tokens) - 3):
        head = tokens[index]
        braced = tokens[index + 1].kind == "op" and tokens[index + 1].value == "{"  # \partial{A^{O}}: the same
        at = index + 2 if braced else index + 1
        if at + 2 >= len(tokens):
            continue
        name, caret = tokens[at], tokens[at + 1]
        before = tokens[index - 2:index]
        if not (before[1].kind == "div" or [t.value for t in before] == ["}", "{"]):
            continue
        if not ((head.kind == "cmd" and head.value == "partial") or (head.kind in ("letter", "roman")
                                                                     and head.value.strip() == "d")):
            continue
        if name.kind not in ("letter", "cmd") or not (caret.kind == "op" and caret.value == "^"):
            continue
        if is_letter_label(tokens, at + 2, closing):
            found.add(name.value)
    return frozenset(found)


def label_letters(tokens: tuple[Token, ...], closing: dict, bases: frozenset) -> frozenset[str]:
    """The letters of the labels on ``bases`` (l of ``z^l``, L and l of
    ``a^L``, ``a^{l-1}``): a layer's letter, which labels any name it is put on."""
    return frozenset(t.value for index, token in enumerate(tokens[:-2])
                     if token.value in bases and tokens[index + 1].kind == "op" and tokens[index + 1].value == "^"
                     and is_letter_label(tokens, index + 2, closing)
                     for t in exponent_tokens(tokens, index + 2, closing) if t.kind == "letter")


def labels_in(texts) -> tuple[frozenset, frozenset]:
    """The labelled names and the label letters of several displays (a
    post's); among the names, ``sigma^2`` for a square the post defines
    (see ``squared_names``)."""
    bases, letters, squared, applied = set(), set(), set(), set()
    for text in texts:
        try:
            tokens = tokenize(text)
        except LatexSyntaxError:
            continue
        found = label_bases(tokens.items, tokens.closing)
        bases |= found
        letters |= label_letters(tokens.items, tokens.closing, found)
        squared |= squared_names(tokens.items, tokens.closing)
        applied |= {t.value for t, after in zip(tokens.items, tokens.items[1:])
                    if t.kind == "cmd" and after.value in ("(", "left")}
    return frozenset(bases | {f"{name}^2" for name in squared - applied}), frozenset(letters)


def squared_names(tokens: tuple[Token, ...], closing: dict) -> frozenset[str]:
    """Greek names whose square is the left side of a definition
    (``\\sigma^2 = \\frac{1}{m}\\sum_i (x_i - \\mu)^2``, a variance): the square
    is the quantity the post names, and ``\\sigma^2`` reads as one name
    wherever it is written (``\\sqrt{\\sigma^2 + \\epsilon}``, ``\\partial
    \\sigma^2``). Not for a name the post applies (``\\sigma(x)^2``)."""
    found = set()
    for index, token in enumerate(tokens[:-3]):
        if token.kind != "cmd" or not (tokens[index + 1].kind == "op" and tokens[index + 1].value == "^"):
            continue
        if index > 0 and tokens[index - 1].kind != "rowsep" and tokens[index - 1].value not in ("&", "{"):
            continue  # a square inside an expression, not the left side
        end = index + 2
        if tokens[end].value == "{":
            if closing.get(end) != end + 2:
                continue
            end += 1
        if tokens[end].value != "2":
            continue
        after = closing.get(index + 2, index + 2) + 1
        while after < len(tokens) and tokens[after].value == "&":
            after += 1
        if after < len(tokens) and tokens[after].kind == "rel" and tokens[after].value == "=":
            found.add(token.value)
    return frozenset(found)


def is_letter_label(tokens: tuple[Token, ...], index: int, closing: dict) -> bool:
    """Whether the superscript at ``index`` (after the caret) is one letter,
    with digits and signs: ``l``, ``L``, ``{l+1}``, ``{L-1}``; not ``2``, nor
    a transpose ``T``, nor two letters (``O^{ib}``: indices written up, as
    tensor notation does, whose entries a label would make unrelated names)."""
    inner = exponent_tokens(tokens, index, closing)
    return (bool(inner) and all(t.kind in LABEL_TOKENS or (t.kind == "op" and t.value in "+-") for t in inner)
            and sum(t.kind == "letter" for t in inner) == 1 and [t.value for t in inner] != ["T"])


def exponent_tokens(tokens: tuple[Token, ...], index: int, closing: dict) -> list[Token]:
    if index >= len(tokens):
        return []
    if tokens[index].kind == "op" and tokens[index].value == "{":
        return list(tokens[index + 1:closing.get(index, index)])
    return [tokens[index]]


def limit_letters(tokens: tuple[Token, ...], closing: dict) -> frozenset[str]:
    """The letters of the upper limits of sums and products (n of
    ``\\sum_{i=1}^{n}``, N of ``\\prod^{N}``): a count, so the display's other
    n (the mean's ``\\frac{1}{n}\\sum_{i=1}^{n} x_i``) is that same integer
    symbol, not a real one of the same name (see ``names.resolve``)."""
    found = set()
    for index, token in enumerate(tokens):
        at = index + 1
        while token.kind == "cmd" and token.value in ("sum", "prod") and at + 1 < len(tokens) \
                and tokens[at].kind == "op" and tokens[at].value in ("_", "^"):
            if tokens[at].value == "^":
                found |= {t.value for t in exponent_tokens(tokens, at + 1, closing) if t.kind == "letter"}
            opened = tokens[at + 1].kind == "op" and tokens[at + 1].value == "{"
            at = closing.get(at + 1, at + 1) + 1 if opened else at + 2
    return frozenset(found)


def nested(method: Callable[..., T]) -> Callable[..., T]:
    """Count recursion so that absurd nesting is a syntax error, not a crash."""

    @functools.wraps(method)
    def wrapper(self: "Cursor", *args, **kwargs):
        self.nesting += 1
        try:
            if self.nesting > MAX_NESTING:
                raise self.error("expression nested too deeply (more than 200 levels)", self.peek())
            return method(self, *args, **kwargs)
        finally:
            self.nesting -= 1

    return wrapper


class Cursor:
    """Token access, regions, modes and errors; the grammar lives in Parser."""

    def __init__(self, text: str, scope: Scope, origin: Origin):
        tokens = tokenize(text, origin)
        self.text, self.scope, self.origin = text, scope, origin
        self.tokens, self.closing, self.tags = tokens.items, tokens.closing, tokens.tags
        self.pos = 0
        self.limits = [len(self.tokens)]
        self.last_end = 0
        self.annotations: list[Annotation] = []
        self.locals: dict[str, sympy.Basic] = {}
        self.index_mode = False
        self.amp_stops = 0
        self.abs_depth = 0
        self.nesting = 0
        self.bare_functions: list = []  # functions read bare (σ for σ(x)), in order
        self.primed_letters = primed_letters(self.tokens)
        self.limit_letters = limit_letters(self.tokens, self.closing)  # n of \sum^{n}: see names.resolve
        self.capital_names = named_runs(self.tokens, self.closing)  # NLL, MSE: see acronyms
        self.vectors_as_numbers: list[str] = []  # see model.Display.vectors_as_numbers
        self.extend_sums = True  # see sums.extend_operand
        self.whole_vectors = False  # reading a function's arguments or a differential: see entries
        self.subscript_letters = subscript_letters(self.tokens)
        self.tensor_indices = written_up(self.tokens, self.closing)  # A^{ij}: see tensor
        own = label_bases(self.tokens, self.closing)  # z^l: see labels.letter_label
        self.label_bases = own | scope.labelled
        self.label_letters = label_letters(self.tokens, self.closing, own) | scope.label_letters
        self.extended_sums: list[str] = []  # the index of each sum whose scope ran over later terms

    # -- reading ------------------------------------------------------------

    def _visible(self, index: int) -> int:
        while (index < self.limits[-1] and self.amp_stops == 0
               and self.tokens[index].kind == "op" and self.tokens[index].value == "&"):
            index += 1
        return index

    def index_of(self, ahead: int = 0) -> int:
        index = self._visible(self.pos)
        for _ in range(ahead):
            index = self._visible(index + 1)
        return index

    def peek(self, ahead: int = 0) -> Token:
        index = self.index_of(ahead)
        if index < self.limits[-1]:
            return self.tokens[index]
        limit = self.limits[-1]
        offset = self.tokens[limit].offset if limit < len(self.tokens) else len(self.text)
        return Token("eof", "", offset, offset)

    def next(self) -> Token:
        token = self.peek()
        if token.kind != "eof":
            self.pos = self.index_of() + 1
            self.last_end = token.end
        return token

    def at(self, kind: str, value: str | None = None, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token.kind == kind and (value is None or token.value == value)

    def accept(self, kind: str, value: str | None = None) -> Token | None:
        return self.next() if self.at(kind, value) else None

    def expect(self, kind: str, value: str, what: str, opener: Token | None = None) -> Token:
        if self.at(kind, value):
            return self.next()
        found = self.peek()
        where = f" to close {self.describe(opener)} at {self.origin_at(opener.offset)}" if opener else ""
        raise self.error(f"expected {what}{where}, found {self.describe(found)}", found)

    def at_end(self) -> bool:
        return self.peek().kind == "eof"

    def expect_end(self) -> None:
        token = self.peek()
        if token.kind != "eof":
            raise self.error(f"unexpected {self.describe(token)}", token)

    # -- regions ------------------------------------------------------------

    def span(self, what: str) -> Span:
        """The TeX argument at the cursor: a brace group or one token."""
        index, token = self.index_of(), self.peek()
        if token.kind == "op" and token.value == "{":
            return Span(index + 1, self.closing[index], self.closing[index] + 1)
        if token.kind not in SINGLE_TOKEN_ARGUMENTS:
            raise self.error(f"{what} needs an argument, found {self.describe(token)}", token)
        end = index + 1
        if token.kind == "cmd":
            for _ in range(ARGUMENT_COUNTS.get(token.value, 0)):
                end = self.end_of_argument(end)
        return Span(index, end, end)

    def end_of_argument(self, index: int) -> int:
        """Where the TeX argument starting at token ``index`` ends; past the
        limit, the command it belongs to will report the missing argument."""
        if index >= self.limits[-1]:
            return index
        token = self.tokens[index]
        if token.kind == "op" and token.value == "{":
            return self.closing[index] + 1
        return index + 1

    def take_span(self, what: str) -> Span:
        """The argument at the cursor, consumed (the cursor moves past it)."""
        span = self.span(what)
        self.pos = span.after
        if span.after > 0:
            self.last_end = self.tokens[span.after - 1].end
        return span

    def unwrapped(self, span: Span) -> Span:
        """``{{dx}}`` reads as ``{dx}``: braces around a whole argument group
        only, and never change its meaning."""
        while (span.end - span.start >= 2 and self.tokens[span.start].kind == "op"
               and self.tokens[span.start].value == "{" and self.closing.get(span.start) == span.end - 1):
            span = Span(span.start + 1, span.end - 1, span.after)
        return span

    def within(self, span: Span, parse: Callable[[], T], strict: bool = True) -> T:
        """Parse the tokens of ``span`` aside; the cursor does not move."""
        saved_pos, saved_abs, saved_end = self.pos, self.abs_depth, self.last_end
        self.limits.append(span.end)
        self.pos, self.abs_depth = span.start, 0
        try:
            result = parse()
            if strict:
                self.expect_end()
            return result
        finally:
            self.limits.pop()
            self.pos, self.abs_depth, self.last_end = saved_pos, saved_abs, saved_end

    def argument(self, what: str, parse: Callable[[], T]) -> T:
        return self.within(self.take_span(what), parse)

    @contextmanager
    def mode(self, **changes) -> Iterator[None]:
        """Temporarily change parser state (index mode, locals, ...)."""
        saved = {name: getattr(self, name) for name in changes}
        for name, value in changes.items():
            setattr(self, name, value)
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(self, name, value)

    def mark(self) -> tuple:
        return self.pos, len(self.limits), len(self.annotations), self.last_end

    def reset(self, mark: tuple) -> None:
        self.pos, depth, notes, self.last_end = mark
        del self.limits[depth:]
        del self.annotations[notes:]

    # -- errors and origins -------------------------------------------------

    def origin_at(self, offset: int) -> Origin:
        return self.origin.shifted(self.text, offset)

    def error(self, message: str, token: Token) -> LatexSyntaxError:
        return LatexSyntaxError(message, self.origin_at(token.offset))

    def describe(self, token: Token) -> str:
        if token.kind == "eof":
            limit = self.limits[-1]
            if limit < len(self.tokens):
                return f"'{self.source(self.tokens[limit])}' (end of group)"
            return "end of input"
        return f"'{self.source(token)}'"

    def source(self, token: Token) -> str:
        return self.text[token.offset:token.end]

    def annotate(self, token: Token, text: str) -> None:
        self.annotations.append(Annotation(text.strip(), self.origin_at(token.offset)))

    def build(self, constructor: Callable[..., T], *args, at: Token | None = None, **kwargs) -> T:
        """Call a SymPy constructor; its complaints become syntax errors here.

        SymPy raises assorted exception types for ill-typed input (a tuple
        in a sum, a function of a matrix); each one means "this LaTeX does not
        denote an expression", so all are reported at the token in question.
        """
        try:
            return constructor(*args, **kwargs)
        except LatexSyntaxError:
            raise
        except Exception as exc:  # noqa: BLE001 - boundary to a third-party library
            name = getattr(constructor, "__name__", str(constructor))
            raise self.error(f"cannot build {name} here: {exc}", at or self.peek()) from None
