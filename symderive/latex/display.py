"""Display equations: relation chains laid out in rows, and the public API.

Rows (``\\\\``) of ``array``/``aligned``/``align`` continue one chain when
they start with a relation (``&=& c``); a row with its own left side starts
a new chain; a row whose first column is empty and which starts with ``+``
or ``-`` continues the previous part (a long right side broken over lines).
A relation that ends a row whose next row starts with a relation
(``a \\Rightarrow \\\\ \\Rightarrow b``), or that ends the display
(``a = b =``), has an empty right side. A row holding
only prose (``\\text{..}``) is an annotation. ``\\boxed{..}`` around the
whole display is dropped. See ``model`` for the shape of the result.
"""

from __future__ import annotations

import re
import sys
from typing import Callable, TypeVar

import sympy

from ..errors import LatexSyntaxError, Origin
from .model import Annotation, Display, Part
from . import limits, names, parentheses, tensor
from .parser import Parser
from .scope import Scope
from .lexicon import LAYOUT_ENVIRONMENTS

T = TypeVar("T")
RECURSION_HEADROOM = 8000
SIMPLE = r"(?:[A-Za-z]|\\[A-Za-z]+)(?:_(?:[A-Za-z0-9]|\{[A-Za-z0-9]+\}))?"
NUMBER = r"-?\s*\d+(?:\.\d+)?(?:\s*/\s*\d+)?"  # ``x > -1``, ``x \geq 0.5``, ``x < 1/2``
CONDITION_RELATION = r"(?:=|<|>|\\neq\b|\\ne\b|\\not\s*=|\\leq?\b|\\geq?\b)"
CONDITION_WORD = r"\\text\s*\{\s*(?:for|if|when|where)\s*\}"
SEPARATOR = r"(?:,|\\q?quad\b|\\[,;:]|~)"
# ``..., \quad i \neq k`` / ``\text{ for } i = k`` / ``\quad (i \neq k)`` at the end.
TRAILING_CONDITION = re.compile(
    rf"(?:\s*{SEPARATOR})*\s*(?:{SEPARATOR}|{CONDITION_WORD})(?:\s*{CONDITION_WORD})?\s*"
    rf"(?P<open>\(\s*)?(?P<condition>{SIMPLE}\s*{CONDITION_RELATION}\s*(?:{SIMPLE}|{NUMBER}))"
    rf"(?(open)\s*\))\s*[.,]?(?P<tail>(?:\s*\\end\s*\{{[A-Za-z*]+\}})*\s*)$")
# ``~~~~~~ (4.1)`` at the very end: an equation number typed by hand.
TRAILING_TAG = re.compile(r"(?:(?:~|\\qquad|\\quad|\\hfill|\\[,;: ])\s*)+(\(\s*\d+(?:\.\d+)*[a-z]?\s*\))\s*$")


def parse_expression(text: str, scope: Scope, origin: Origin = Origin()) -> sympy.Basic:
    """One expression (no relation) from LaTeX; tags and prose are dropped."""
    body, _ = strip_trailing_tag(text, origin)

    def parse(p: Parser) -> sympy.Basic:
        value = p.parse_whole_expression()
        return None if sum_reach_in_doubt(p, [value], None) else value

    return read_or_mend(body, scope, origin, parse, lambda a, b: a == b)


def parse_display(text: str, scope: Scope, origin: Origin = Origin()) -> Display:
    """One display equation: chains of relations, annotations aside."""
    body, tag = strip_trailing_tag(text, origin)
    body, condition = strip_trailing_condition(body, origin)

    def parse(p: Parser) -> Display | None:
        parts = read_parts(p)
        parts = tensor.summed(p, parts) if p.tensor_indices else parts
        if sum_reach_in_doubt(p, [part.expr for part in parts], condition):
            return None
        notes = p.annotations + [Annotation(t.text, p.origin_at(t.offset)) for t in p.tags] + tag
        notes += [condition] if condition else []
        notes.sort(key=lambda note: (note.origin.line, note.origin.column))
        transposed = tuple(dict.fromkeys(p.vectors_as_numbers))
        if condition is None:
            return Display(tuple(parts), tuple(notes), vectors_as_numbers=transposed)
        return Display(tuple(parts), tuple(notes), condition.text, condition.origin, transposed)

    return read_or_mend(body, scope, origin, parse, same_reading)


def read_or_mend(text: str, scope: Scope, origin: Origin, parse: Callable[[Parser], T | None],
                 same: Callable[[T, T], bool]) -> T:
    """``read_twice``, or when a parenthesis is stray, the one reading every
    mending of it gives (``parentheses``); else the first error stands."""
    try:
        return read_twice(text, scope, origin, parse)
    except LatexSyntaxError:
        mended = parentheses.read_mended(text, origin, lambda t: read_twice(t, scope, origin, parse), same)
        if mended is None:
            raise
        return mended


def same_reading(one: Display, other: Display) -> bool:
    """The same relations between the same expressions (where they sit aside)."""
    return ([(part.relation, part.expr) for part in one.parts] == [(part.relation, part.expr) for part in other.parts]
            and one.condition == other.condition and one.vectors_as_numbers == other.vectors_as_numbers)


def read_twice(text: str, scope: Scope, origin: Origin, parse: Callable[[Parser], T | None]) -> T:
    """``parse``, or when it declines (a sum's reach in doubt), ``parse``
    again with every sum ending at its summand (see ``sums``)."""
    found = run(text, scope, origin, parse)
    if found is not None:
        return found

    def plainly(p: Parser) -> T | None:
        p.extend_sums = False
        return parse(p)

    return run(text, scope, origin, plainly)


def sum_reach_in_doubt(p: Parser, values: list, condition: Annotation | None) -> bool:
    """Whether a sum took later terms into its scope (``sums.extend_operand``)
    while its index letter is free elsewhere in the display: in another part,
    in the same part outside the sum, or in the trailing condition."""
    letters = set(p.extended_sums)
    if not letters:
        return False
    free = set().union(*(free_letters(value) for value in values if isinstance(value, sympy.Basic)))
    said = set(re.findall(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])", condition.text)) if condition else set()
    return bool(letters & (free | said))


def free_letters(expr: sympy.Basic) -> set[str]:
    """The names free in ``expr`` and the letters of their subscripts; an
    index a sum binds is not free (SymPy lists ``a[i]`` inside a sum over i
    among the free symbols, so the sums are walked here)."""
    if isinstance(expr, (sympy.Sum, sympy.Product)):
        bound = {str(limit[0]) for limit in expr.limits}
        inner = free_letters(expr.function) - bound
        return inner.union(*(free_letters(bound_) for limit in expr.limits for bound_ in limit[1:]))
    if isinstance(expr, sympy.Symbol):
        return written_indices(str(expr))
    return set().union(*(free_letters(arg) for arg in expr.args if isinstance(arg, sympy.Basic)))


def written_indices(name: str) -> set[str]:
    """The name, and the letters of its subscript (``y_i`` read as one name, ``w_ij``)."""
    head, _, subscript = name.rpartition("_")
    return {name} | (set(subscript) if head and subscript.isalpha() else set())


def strip_trailing_tag(text: str, origin: Origin) -> tuple[str, list[Annotation]]:
    match = TRAILING_TAG.search(text)
    if match is None:
        return text, []
    tag = Annotation(re.sub(r"\s+", "", match.group(1)), origin.shifted(text, match.start(1)))
    return text[:match.start()], [tag]


def strip_trailing_condition(text: str, origin: Origin) -> tuple[str, Annotation | None]:
    """``a = b, \\quad i \\neq k``: the condition becomes an annotation; the
    text keeps its length (blanked) so every offset stays where it was."""
    match = TRAILING_CONDITION.search(text)
    if match is None or not text[:match.start()].strip():
        return text, None
    closed = re.findall(r"\\end\s*\{([A-Za-z*]+)\}", match.group("tail"))
    if any(name not in LAYOUT_ENVIRONMENTS for name in closed):
        return text, None  # inside ``cases``: the condition belongs to a piece
    condition = re.sub(r"\s+", " ", match.group("condition"))
    note = Annotation(condition, origin.shifted(text, match.start("condition")))
    cut = match.start("tail")
    blanked = text[:match.start()] + re.sub(r"[^\n]", " ", text[match.start():cut]) + text[cut:]
    return blanked, note


def run(text: str, scope: Scope, origin: Origin, parse: Callable[[Parser], T]) -> T:
    """Parse with room for deep recursion; any failure is a LatexSyntaxError.

    Depth is bounded by the parser itself (about 200 nested groups); the
    recursion limit is raised for the duration so that bound is reachable.
    Length is bounded before anything is read (``limits``).
    """
    too_long = limits.text_too_long(text)
    if too_long:
        raise LatexSyntaxError(too_long, origin.shifted(text, limits.MAX_LATEX_CHARS))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, RECURSION_HEADROOM))
    parser = None
    try:
        parser = Parser(text, scope, origin)
        return parse(parser)
    except LatexSyntaxError:
        raise
    except RecursionError:
        raise LatexSyntaxError("expression nested too deeply", where(parser, text, origin)) from None
    except Exception as exc:  # noqa: BLE001 - the API promises one exception type
        raise LatexSyntaxError(f"cannot read this LaTeX: {exc}", where(parser, text, origin)) from None
    finally:
        sys.setrecursionlimit(limit)


def where(parser: Parser | None, text: str, origin: Origin) -> Origin:
    if parser is None:
        return origin
    return parser.origin_at(parser.peek().offset)


# -- rows and parts --------------------------------------------------------------

def read_parts(p: Parser) -> list[Part]:
    """The parts of the display; ``\\boxed{a = b}`` around it all is dropped,
    and so are braces around it all (``\\color{red}{a = b}``: the colour
    vanishes with its argument, the braces group nothing)."""
    start = p.index_of()
    brace = start + 1
    if (p.at("cmd", "boxed") and p.at("op", "{", ahead=1) and brace < len(p.tokens)
            and p.closing.get(brace) == p.limits[-1] - 1):
        p.next()
        return p.within(p.take_span("\\boxed"), lambda: read_parts(p))
    if p.at("op", "{") and p.closing.get(start) == p.limits[-1] - 1:
        return p.within(p.take_span("group"), lambda: read_parts(p))
    if p.at_end():
        raise p.error("empty display", p.peek())
    parts: list[Part] = []
    row_start = True
    while not p.at_end():
        if p.accept("rowsep") or (parts and at_next_equation(p)):
            row_start = True
            continue
        if row_start and names.is_annotation(p, p.peek()):
            token = p.next()
            p.annotate(token, names.annotation_text(token))
            names.reject_prose_call(p, token)
            continue
        if len(parts) >= limits.MAX_PARTS:
            raise p.error(f"display too long (more than {limits.MAX_PARTS} parts joined by relations)",
                          p.peek())
        step_into_row(p, parts, row_start)
        row_start = False
    return parts


def at_next_equation(p: Parser) -> bool:
    """``sinh(x) = .., \\quad cosh(x) = ..``: a comma between two relations
    separates equations, as a row break does; consumed if so."""
    if not (p.at("op", ",") and p.peek(1).kind not in ("eof", "rowsep")):
        return False
    p.next()
    return True


def relation_ends_row(p: Parser) -> bool:
    """``a = b \\Rightarrow \\\\ \\Rightarrow c``: the relation at the end of a
    row is a connective when the next non-empty row starts with a relation,
    or when nothing follows (``= b =`` dangling at the end of the display)."""
    ahead = 0
    if p.peek().kind not in ("rowsep", "eof"):
        return False
    while p.peek(ahead).kind == "rowsep" or names.is_annotation(p, p.peek(ahead)):
        ahead += 1
    return p.peek(ahead).kind in ("rel", "eof")


def step_into_row(p: Parser, parts: list[Part], row_start: bool) -> None:
    """One relation and its right side, or a left side, or a continuation."""
    empty_first_column = p.tokens[p.pos].kind == "op" and p.tokens[p.pos].value == "&"
    token = p.peek()
    if token.kind == "rel":
        p.next()
        if not parts:
            parts.append(Part(None, None, p.origin_at(token.offset), ""))
        if any(part.expr is not None for part in parts) and relation_ends_row(p):
            parts.append(Part(token.value, None, p.origin_at(token.offset), ""))
        else:
            parts.append(read_part(p, token.value))
    elif row_start and empty_first_column and p.at_sign() and parts and parts[-1].expr is not None:
        parts[-1] = continue_part(p, parts[-1])
    elif row_start:
        parts.append(read_part(p, None))
    else:
        raise p.error(f"unexpected {p.describe(token)}", token)


def read_part(p: Parser, relation: str | None) -> Part:
    token = p.peek()
    if token.kind in ("eof", "rowsep", "rel"):
        raise p.error(f"expected an expression after {relation}, found {p.describe(token)}", token)
    expr = p.parse_expression()
    text = p.text[token.offset:p.last_end].strip()
    p.skip_trailing_punctuation()
    return Part(relation, expr, p.origin_at(token.offset), text)


def continue_part(p: Parser, part: Part) -> Part:
    rest = read_part(p, part.relation)
    text = f"{part.text} {rest.text}"
    return Part(part.relation, p.build(sympy.Add, part.expr, rest.expr), part.origin, text)
