"""Indices written up, as tensor notation does: ``O^{ib} = A^{ij} V^{jb}``.

A display that writes a name with a superscript of two or more letters and
nothing else (``A^{ij}``, ``\\partial V^{mn}``, ``A^{ij'}``) uses the notation
of tensor algebra; no power is written so (``x^{ab}`` for x to the ab is no
calculus post's way). In such a display:

* a name with a superscript of letters (two or more, primes allowed) is the
  entry at those indices: ``A^{ij}`` is A_{ij};
* ``\\delta^j_m`` (one letter up, one down) is Kronecker's delta;
* ``\\text{softmax}_j(S^{ij})`` is the softmax over j, ``e^{S_ij} / \\sum_{j'} e^{S_ij'}``;
* an index written twice in one product and not free in the first part of
  the display is summed, Einstein's convention: ``A^{ij} V^{jb}`` is
  ``\\sum_j A_{ij} V_{jb}``. An index the first part leaves free is never
  summed (for ``\\partial A^{ij} / \\partial S^{mn}`` the j of
  ``\\delta^i_m A^{ij} (\\delta^j_n - A^{in})`` is that entry's j), and an
  index written more than twice in one product, not free, has no reading:
  the display stays unreadable.

A summed index runs from 1 to a size of its own (``N_j``), never to a
letter the display uses as an index (its n may be one, as in V^{mn}).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import sympy

from .grammar import Grammar
from .tokens import Token
from .upper_indices import NOT_BASES, index_letters


def index_symbol(p: Grammar, letter: str) -> sympy.Basic:
    """The index a letter names: a sum's own (``\\sum_{j'}``), the scope's, else an integer."""
    if letter in p.locals:
        return p.locals[letter]
    found = p.scope.indices.get(letter)
    return found if found is not None else sympy.Symbol(letter, integer=True)


def entry(p: Grammar, base: sympy.Basic) -> sympy.Basic | None:
    """``A^{ij}`` at the cursor's caret, consumed: the entry A_{ij}; None otherwise."""
    if not (p.tensor_indices and p.at("op", "^") and p.at("op", "{", ahead=1)):
        return None
    if not isinstance(base, (sympy.Symbol, sympy.IndexedBase)) or str(base) in NOT_BASES:
        return None
    brace = p.index_of(1)
    letters = index_letters(p.tokens, brace, p.closing)
    if letters is None or len(letters) < 2:
        return None
    caret = p.next()
    close = p.closing[brace]
    p.pos, p.last_end = close + 1, p.tokens[close].end
    name = str(base.label if isinstance(base, sympy.IndexedBase) else base)
    stem = p.scope.indexed.get(name) or sympy.IndexedBase(name, real=True)
    return p.build(sympy.Indexed, stem, *(index_symbol(p, letter) for letter in letters), at=caret)


def mixed_delta(p: Grammar, lower: Token, at: Token) -> sympy.Basic | None:
    """``\\delta^j_m`` (read subscript first, see ``script_order``): with the
    one letter down at ``lower`` and one letter up after the cursor's caret,
    Kronecker's delta, the caret and its letter consumed; None otherwise."""
    if not (p.tensor_indices and lower.kind == "letter" and p.at("op", "^")):
        return None
    if p.peek(1).kind == "letter":
        p.next()
        upper = p.next().value
    else:
        letters = index_letters(p.tokens, p.index_of(1), p.closing)
        if letters is None or len(letters) != 1:
            return None
        close = p.closing[p.index_of(1)]
        p.pos, p.last_end = close + 1, p.tokens[close].end
        upper = letters[0]
    return p.build(sympy.KroneckerDelta, index_symbol(p, upper), index_symbol(p, lower.value), at=at)


# -- Einstein's convention -------------------------------------------------------

def summed(p: Grammar, parts: list) -> list:
    """The parts with every index written twice in a product summed (module
    docstring); the free indices are those the first part writes once."""
    written = [part for part in parts if part.expr is not None]
    if not written:
        return parts
    free = {index for index, count in occurrences(written[0].expr).items() if count == 1}
    return [part if part.expr is None else replace(part, expr=convention(p, part.expr, free))
            for part in parts]


def occurrences(expr) -> Counter:
    """How often each index is written in ``expr``, a sum's own index left out;
    for a sum of terms, the indices of its terms (the most written); a
    square's indices twice."""
    if isinstance(expr, sympy.Indexed):
        return Counter(i for i in expr.indices if isinstance(i, sympy.Symbol))
    if isinstance(expr, sympy.KroneckerDelta):
        return Counter(i for i in expr.args if isinstance(i, sympy.Symbol))
    if isinstance(expr, sympy.Derivative):
        found = occurrences(expr.expr)
        for variable, _ in expr.variable_count:
            found += occurrences(variable)
        return found
    if isinstance(expr, sympy.Sum):
        bound = {limit[0] for limit in expr.limits}
        return Counter({k: v for k, v in occurrences(expr.function).items() if k not in bound})
    if isinstance(expr, sympy.Add):
        found = Counter()
        for term in expr.args:
            found |= occurrences(term)
        return found
    if isinstance(expr, sympy.Pow):  # (A^{ij} V^{jb})^2 is A_ij^2 V_jb^2 to SymPy: j written four times
        times = int(expr.exp) if expr.exp.is_Integer and expr.exp > 0 else 1
        return Counter({index: count * times for index, count in occurrences(expr.base).items()})
    found = Counter()
    for arg in getattr(expr, "args", ()):
        if isinstance(arg, sympy.Basic):
            found += occurrences(arg)
    return found


def convention(p: Grammar, expr, free: set):
    """``expr`` with Einstein's sums written out; a repeated index anywhere
    else (inside a power, a function's argument, one entry A^{ii}) is an error."""
    if isinstance(expr, sympy.Add):
        return sympy.Add(*(convention(p, term, free) for term in expr.args))
    if isinstance(expr, sympy.Mul):
        factors = list(expr.args)
        inner = []
        for k, factor in enumerate(factors):
            others = set().union(*(occurrences(f) for j, f in enumerate(factors) if j != k))
            inner.append(convention(p, factor, free | others) if isinstance(factor, sympy.Add) else factor)
        product = sympy.Mul(*inner)
        return over_repeated(p, product, occurrences(product), free)
    repeated = sorted(str(index) for index, count in occurrences(expr).items() if index not in free and count > 1)
    if repeated:
        raise p.error(f"cannot tell whether the index {repeated[0]}, written twice here, is summed: "
                      f"write the sum", p.peek())
    return expr


def over_repeated(p: Grammar, product, counts: Counter, free: set):
    """The product summed over each index it writes twice, not free."""
    repeated = sorted((index for index, count in counts.items() if index not in free and count > 1), key=str)
    for index in repeated:
        if counts[index] > 2:
            raise p.error(f"the index {index} is written {counts[index]} times in one product: "
                          f"no sum over it is meant (Einstein's convention writes it twice)", p.peek())
        size = sympy.Symbol(f"N_{index}", integer=True, positive=True)
        product = sympy.Sum(product, (index, sympy.Integer(1), size))
    return product


# -- softmax over one index ------------------------------------------------------

SOFTMAX_WORDS = frozenset({"softmax"})


def indexed_softmax(p: Grammar) -> sympy.Basic | None:
    """``\\text{softmax}_j(S^{ij})`` among indices written up: the softmax
    over j, ``e^{S_ij} / \\sum_{j'} e^{S_ij'}``, consumed; None (the cursor
    unmoved) for anything else. The argument must write the index."""
    token = p.peek()
    if not (p.tensor_indices and token.kind in ("text", "roman") and token.value.strip() in SOFTMAX_WORDS
            and p.at("op", "_", ahead=1)):
        return None
    mark = p.mark()
    p.next(), p.next()
    letters = [p.next().value] if p.at("letter") else index_letters(p.tokens, p.index_of(), p.closing)
    if letters is not None and p.at("op", "{"):
        close = p.closing[p.index_of()]
        p.pos, p.last_end = close + 1, p.tokens[close].end
    opener = p.accept("op", "(")
    if letters is None or len(letters) != 1 or opener is None:
        p.reset(mark)
        return None
    argument = p.parse_expression()
    p.expect("op", ")", "')'", opener)
    index = index_symbol(p, letters[0])
    if index not in argument.free_symbols:
        raise p.error(f"softmax over {letters[0]} of an argument that does not write {letters[0]}", token)
    other = sympy.Symbol(f"{letters[0]}'", integer=True)
    size = sympy.Symbol(f"N_{letters[0]}", integer=True, positive=True)
    total = sympy.Sum(sympy.exp(argument.xreplace({index: other})), (other, sympy.Integer(1), size))
    return p.build(sympy.Mul, sympy.exp(argument), sympy.Pow(total, -1), at=token)
