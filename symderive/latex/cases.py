"""``\\begin{cases} value & condition \\\\ ... \\end{cases}`` to Piecewise.

A condition is one relation or a chain (``0 < x < 1``), optionally after
the words ``\\text{if }``/``for``/``when``/``where`` or a comma; the
condition may be typed inside the prose (``\\text{if $x$ > 0}``,
``\\text{if x > 0}``: see ``tokens``) or follow the value after ``,``,
``;`` or ``\\quad`` instead of ``&``; several
are joined by ``,`` or ``\\text{and}`` (And) / ``\\text{or}`` (Or).
``\\text{otherwise}`` (or ``else``) is True. Relations: ``=`` is Eq,
``\\neq`` Ne, ``<``, ``>``, ``\\leq``, ``\\geq`` the inequalities.
"""

from __future__ import annotations


import sympy

from .lexicon import CASES_ENVIRONMENTS
from .tokens import Token
from .grammar import Grammar


CONDITIONS = {
    "=": sympy.Eq, "\\neq": sympy.Ne, "<": sympy.Lt, ">": sympy.Gt,
    "\\leq": sympy.Le, "\\geq": sympy.Ge,
}
PREFIX_WORDS = frozenset({"", "if", "for", "when", "where", "for all"})
OTHERWISE_WORDS = frozenset({"otherwise", "else", "elsewhere", "otherwise.", "else."})
CONNECTIVES = {"and": sympy.And, "or": sympy.Or}


def parse_environment(p: Grammar) -> sympy.Basic:
    begin = p.peek()
    if begin.value not in CASES_ENVIRONMENTS:
        raise p.error(f"unsupported environment {begin.value!r} (only cases is understood inside math)", begin)
    return parse_cases(p)


def parse_cases(p: Grammar) -> sympy.Basic:
    begin = p.next()
    pieces = []
    with p.mode(amp_stops=p.amp_stops + 1, abs_depth=0):
        while not p.at("end"):
            pieces.append(read_row(p))
            if not p.accept("rowsep") and not p.at("end"):
                raise p.error(f"expected '\\\\' or \\end{{{begin.value}}}, found {p.describe(p.peek())}",
                              p.peek())
        p.next()
    if not pieces:
        raise p.error("empty cases environment", begin)
    return p.build(sympy.Piecewise, *pieces, at=begin)


def read_row(p: Grammar) -> tuple[sympy.Basic, sympy.Basic]:
    """``value & condition``; the condition may also follow a comma, a
    semicolon or a wide space (``x^2, x > 0``; ``0; x \\leq 0``;
    ``2x \\quad x > 0``) or prose (``0 \\text{ otherwise}``)."""
    value = p.parse_expression()
    separated = False
    while p.at("op", ",") or p.at("op", ";") or p.at("op", "&"):
        p.next()
        separated = True
    if not separated and not p.at("text"):
        found = p.peek()
        raise p.error(f"expected '&' and a condition after a value of cases, found {p.describe(found)}", found)
    return value, read_condition(p)


def word(p: Grammar) -> str | None:
    token = p.peek()
    return token.value.strip().lower() if token.kind == "text" else None


def skip_prefixes(p: Grammar) -> None:
    while word(p) in PREFIX_WORDS or p.at("op", ",") or p.at("op", "&"):
        p.next()


def read_condition(p: Grammar) -> sympy.Basic:
    skip_prefixes(p)
    if word(p) in OTHERWISE_WORDS:
        p.next()
        p.skip_trailing_punctuation()
        return sympy.true
    condition = read_relations(p)
    while True:
        p.skip_trailing_punctuation()
        # ``x \leq 0, & \alpha > 0``: a further column is one more condition
        joined = p.at("op", ",") or p.at("op", "&")
        connective = CONNECTIVES.get(word(p) or "", sympy.And if joined else None)
        if connective is None:
            return condition
        p.next()
        skip_prefixes(p)
        condition = p.build(connective, condition, read_relations(p))


def read_relations(p: Grammar) -> sympy.Basic:
    """``x > 0`` or ``0 < x \\leq 1`` (a chain is the And of its links)."""
    first = p.peek()
    left = p.parse_expression()
    links = []
    while p.at("rel"):
        token = p.next()
        links.append(link(p, token, left, right := p.parse_expression()))
        left = right
    if not links:
        raise p.error("a condition of cases needs a relation, as in x > 0", first)
    return links[0] if len(links) == 1 else p.build(sympy.And, *links, at=first)


def link(p: Grammar, token: Token, left, right) -> sympy.Basic:
    builder = CONDITIONS.get(token.value)
    if builder is None:
        raise p.error(f"{p.describe(token)} cannot be used in a condition", token)
    return p.build(builder, left, right, at=token)
