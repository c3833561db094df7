"""The indicator of a condition: 1 where the condition holds, 0 elsewhere.

Spellings: ``1_{i=j}``, ``\\mathbf{1}_{i=k}``, ``\\mathbb{1}_{i \\neq j}``,
``\\mathbb{1}\\{i = j\\}``, ``\\mathbf 1(m_{ij} > 0)``, ``\\mathbb{1}[x \\leq 0]``.

* Between two indices, ``i = j`` is ``KroneckerDelta(i, j)`` and
  ``i \\neq j`` is ``1 - KroneckerDelta(i, j)``.
* A comparison of numbers (``<``, ``>``, ``\\leq``, ``\\geq``) is
  ``Piecewise((1, m > 0), (0, True))``, as ``cases`` reads it.
* An equality of numbers (``1_{x = 0}``) is an error: it is 1 on a set no
  check at points ever meets, so a step could only be proved by missing it.

A styled 1 with no condition after it stays the vector of ones
(``functions.one_matrix``); a plain 1 is an indicator only with a
subscript, where a number has no other meaning.
"""

from __future__ import annotations

import sympy

from .cursor import Span
from .functions import one_matrix
from .grammar import Grammar
from .tokens import Token
from .vocabulary import Occurrence

INDEX_RELATIONS = {"=": lambda i, j: sympy.KroneckerDelta(i, j),
                   "\\neq": lambda i, j: 1 - sympy.KroneckerDelta(i, j)}
COMPARISONS = {"<": sympy.StrictLessThan, ">": sympy.StrictGreaterThan,
               "\\leq": sympy.LessThan, "\\geq": sympy.GreaterThan}
# the brackets a condition is written in after \mathbb{1}, with their closers
BRACKETS = {"(": ")", "[": "]", "\\{": "\\}"}


def relation_in(p: Grammar, span: Span) -> Token | None:
    """The one relation a condition is written with, outside any group."""
    found, depth = [], 0
    for token in p.tokens[span.start:span.end]:
        if token.kind == "op" and token.value in ("{", "(", "[", "\\{"):
            depth += 1
        elif token.kind == "op" and token.value in ("}", ")", "]", "\\}"):
            depth -= 1
        elif token.kind == "rel" and depth == 0:
            found.append(token)
    if len(found) != 1 or found[0].value not in {**INDEX_RELATIONS, **COMPARISONS}:
        return None
    return found[0]


def bracketed_condition(p: Grammar) -> Span | None:
    """``(m > 0)``, ``[i = j]`` or ``\\{i = j\\}`` at the cursor, holding a
    condition; None (cursor unmoved) otherwise."""
    opener = p.peek()
    if opener.kind != "op" or opener.value not in BRACKETS:
        return None
    start = p.index_of()
    depth, index = 0, start
    while index < p.limits[-1]:
        token = p.tokens[index]
        if token.kind == "op" and token.value == opener.value:
            depth += 1
        elif token.kind == "op" and token.value == BRACKETS[opener.value]:
            depth -= 1
            if depth == 0:
                span = Span(start + 1, index, index + 1)
                return span if relation_in(p, span) is not None else None
        elif token.kind == "op" and token.value == "{":
            index = p.closing.get(index, index)
        index += 1
    return None


def indicator(p: Grammar, span: Span, at: Token) -> sympy.Basic:
    """The indicator of the condition written in ``span`` (see the module docstring)."""
    relation = relation_in(p, span)
    if relation is None:
        raise p.error("an indicator needs one condition, as in 1_{i=j} or \\mathbb{1}(x > 0)", at)
    if relation.value in INDEX_RELATIONS:
        with p.mode(index_mode=True):
            left, right = p.within(span, lambda: sides(p))
        if not (left.is_integer and right.is_integer):
            raise p.error(f"1_{{a {relation.value} b}} is read between indices; here {left} and {right} "
                          "are numbers: write the condition with <, >, \\leq or \\geq", at)
        return p.build(INDEX_RELATIONS[relation.value], left, right, at=at)
    left, right = p.within(span, lambda: sides(p))
    condition = p.build(COMPARISONS[relation.value], left, right, at=at)
    return p.build(sympy.Piecewise, (sympy.Integer(1), condition), (sympy.Integer(0), True), at=at)


def sides(p: Grammar) -> tuple[sympy.Basic, sympy.Basic]:
    left = p.parse_expression()
    p.next()  # the relation, found by relation_in
    return left, p.parse_expression()


def take_bracketed(p: Grammar, span: Span) -> None:
    """Move the cursor past the brackets of ``span``."""
    p.pos, p.last_end = span.after, p.tokens[span.after - 1].end


def ones_or_indicator(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    """A styled 1: the indicator of the condition in its subscript or in the
    brackets after it (``\\mathbf{1}_{i=k}``, ``\\mathbb{1}(m > 0)``), else the
    vector of ones."""
    if occurrence.subscript is not None:
        return indicator(p, occurrence.subscript, occurrence.token)
    bracketed = bracketed_condition(p)
    if bracketed is None:
        return one_matrix(p, occurrence)
    take_bracketed(p, bracketed)
    return indicator(p, bracketed, occurrence.token)
