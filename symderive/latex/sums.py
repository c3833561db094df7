"""Sums and products, and sums written with ``…``.

``\\sum_{j=1}^{n}`` likewise applies to the rest of the product; without an
upper limit the upper limit is ``n`` (``scope.indices['n']``, else a positive
integer symbol n); ``\\sum_{j}`` starts at 1; ``\\sum e^{t_k}``, with no
index written, sums over the index all elements of the summand share;
``\\sum_{k \\neq i} a_k`` is the whole sum
minus the left-out term: ``Sum(a_k, (k, 1, n)) - a_i``. The index is
``scope.indices[name]`` or ``Symbol(name, integer=True)``.

``a_1 + a_2 + \\dots + a_n`` is ``Sum(a_j, (j, 1, n))`` when the last term
with the upper symbol replaced by j reproduces every written term (first at
index 1, or 0).
"""

from __future__ import annotations

import sympy

from . import limits, names
from .calculus import PrefixOperator
from .cursor import Span
from .grammar import Grammar
from .tokens import Token

DUMMY_NAMES = ("j", "k", "m", "l", "i", "r", "s")


# -- sums and products -----------------------------------------------------------

def parse_big_operator(p: Grammar) -> PrefixOperator:
    """``\\sum_{j=1}^{n}`` / ``\\prod``; the body is the rest of the product."""
    command = p.next()
    spans: dict[str, Span] = {}
    while p.peek().kind == "op" and p.peek().value in ("_", "^") and p.peek().value not in spans:
        key = p.next().value
        spans[key] = p.take_span(f"\\{command.value} limit")
    if "_" not in spans:
        return loose_operator(p, command, spans)
    with p.mode(index_mode=True):
        name, lower, excluded = p.within(spans["_"], lambda: read_index(p, command))
        upper = p.within(spans["^"], p.parse_expression) if "^" in spans else default_upper(p)
    problem = limits.too_many_terms(lower, upper)
    if problem:
        raise p.error(problem, command)
    index = p.scope.indices.get(name) or sympy.Symbol(name, integer=True)
    constructor = sympy.Sum if command.value == "sum" else sympy.Product

    def build(q: Grammar, body: sympy.Basic) -> sympy.Basic:
        whole = q.build(constructor, body, (index, lower, upper), at=command)
        if excluded is None:
            return whole
        left_out = q.build(body.xreplace, {index: excluded}, at=command)
        return q.arithmetic(sympy.Add, [whole, q.negate(left_out, command)], command)

    label = p.text[command.offset:p.last_end]
    return PrefixOperator(build, command, label, {name: index})


def loose_operator(p: Grammar, command: Token, spans: dict[str, Span]) -> PrefixOperator:
    """``\\sum e^{t_k}``: no index written; it is the index every element of
    the summand shares (k; in ``\\sum w_{ij} x_j``, j), from 1 to the upper
    limit, or to n."""
    with p.mode(index_mode=True):
        upper = p.within(spans["^"], p.parse_expression) if "^" in spans else default_upper(p)
    constructor = sympy.Sum if command.value == "sum" else sympy.Product

    def build(q: Grammar, body: sympy.Basic) -> sympy.Basic:
        index = shared_index(body)
        if index is None:
            raise q.error(f"cannot tell the index of this \\{command.value}: write it, as in "
                          f"\\{command.value}_{{k}}", command)
        return q.build(constructor, body, (index, sympy.Integer(1), upper), at=command)

    return PrefixOperator(build, command, p.text[command.offset:p.last_end])


def shared_index(body: sympy.Basic) -> sympy.Symbol | None:
    """The one integer symbol that indexes every element in ``body``."""
    elements = body.atoms(sympy.Indexed) if isinstance(body, sympy.Basic) else set()
    shared = None
    for element in elements:
        symbols = {s for index in element.indices for s in index.free_symbols if s.is_integer}
        shared = symbols if shared is None else shared & symbols
    if not shared or len(shared) != 1:
        return None
    return next(iter(shared))


def read_index(p: Grammar, command: Token) -> tuple[str, sympy.Basic, sympy.Basic | None]:
    """``j=1``, ``j`` or ``k \\neq i`` (a sum leaving out one term)."""
    token = p.next()
    if token.kind not in ("letter", "cmd") or (token.kind == "cmd" and token.value not in names.GREEK):
        raise p.error(f"\\{command.value} needs an index name, found {p.describe(token)}", token)
    excluded = None
    relation = p.peek()
    if p.accept("rel", "\\neq"):
        if command.value != "sum":
            raise p.error(f"\\{command.value} over {token.value} \\neq .. is not supported", relation)
        excluded = p.parse_expression()
    lower = p.parse_expression() if p.accept("rel", "=") else sympy.Integer(1)
    return token.value, lower, excluded


def default_upper(p: Grammar) -> sympy.Basic:
    return p.scope.indices.get("n") or sympy.Symbol("n", integer=True, positive=True)


# -- sums written with an ellipsis --------------------------------------------------

def ellipsis_sum(p: Grammar, terms: list, split: int, token: Token) -> sympy.Basic:
    before, after = terms[:split], terms[split:]
    if not before or not after:
        raise p.error("cannot read '…': write terms before and after it, as in a_1 + \\dots + a_n", token)
    index = dummy_index(p, terms)
    first_symbols = before[0].free_symbols
    candidates = sorted((s for s in after[-1].free_symbols
                         if isinstance(s, sympy.Symbol) and s not in first_symbols), key=str)
    for upper in candidates:
        body = after[-1].xreplace({upper: index})
        for lower in (sympy.Integer(1), sympy.Integer(0)):
            if fits(body, index, before, after, lower, upper):
                return p.build(sympy.Sum, body, (index, lower, upper), at=token)
    raise p.error("cannot infer the terms hidden by '…': expected a_1 + a_2 + … + a_n "
                  "(the last term names the upper limit)", token)


def fits(body, index, before, after, lower, upper) -> bool:
    heads = all(body.xreplace({index: lower + t}) == term for t, term in enumerate(before))
    tails = all(body.xreplace({index: upper - r}) == term for r, term in enumerate(reversed(after)))
    return heads and tails


def dummy_index(p: Grammar, terms: list) -> sympy.Symbol:
    used = {str(s) for term in terms for s in term.free_symbols}
    for name in DUMMY_NAMES:
        if name not in used:
            return p.scope.indices.get(name) or sympy.Symbol(name, integer=True)
    return sympy.Dummy("j", integer=True)
