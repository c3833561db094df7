"""Sums and products, and sums written with ``…``.

``\\sum_{j=1}^{n}`` likewise applies to the rest of the product; without an
upper limit the upper limit is ``n`` (``scope.indices['n']``, else a positive
integer symbol n); ``\\sum_{j}`` starts at 1; ``\\sum e^{t_k}``, with no
index written, sums over the index all elements of the summand share;
``\\sum_{k \\neq i} a_k`` is the whole sum
minus the left-out term: ``Sum(a_k, (k, 1, n)) - a_i``. The index is
``scope.indices[name]`` or ``Symbol(name, integer=True)``.

How far ``\\sum`` reaches. Its summand is the rest of the product it opens
(``\\sum_i y_i \\log p_i``); a reader also takes into the sum the terms after
it that use its index, joined by ``+``, ``-`` (the sign taken relative to
the summand), ``\\cdot``, ``\\times``, ``\\odot``, ``*`` or ``/``:
``-\\sum_i y_i \\log p_i + (1 - y_i)\\log(1 - p_i)`` is
``-Sum(y_i log p_i + (1 - y_i) log(1 - p_i))`` and
``\\frac{1}{N}\\sum_{n=1}^{N} (\\hat y_n - y_n)^2 + \\lambda w^2`` is
``Sum((\\hat y_n - y_n)^2)/N + \\lambda w^2``: whatever stands before ``\\sum``
multiplies the whole sum, and the first term that does not use the index
ends it. This changes what is read, so it is done only where the other
reading would leave the index free with nothing to give it a value: never
for a letter the scope declares free (``Scope.declared_free``: a
derivation's ``z_k`` declares k), never in a subscript or a limit, never
for ``\\prod``; a sum whose index is not written (``\\sum X_i \\cdot (\\hat{y}_i - y_i)``)
reaches over terms using the index its summand is written with; and ``display`` reads
a display again without it when the letter is free anywhere else in the
display (``\\frac{\\partial L}{\\partial z_i} = \\sum_i .. + y_i``, a trailing
condition ``i \\neq k``), where the author may mean that free i.

``a_1 + a_2 + \\dots + a_n`` is ``Sum(a_j, (j, 1, n))`` when the last term
with the upper symbol replaced by j reproduces every written term (first at
index 1, or 0); terms after the last one the pattern names are added to the
sum (``a_1 + \\dots + a_n - b``).
"""

from __future__ import annotations

import sympy

from ..errors import LatexSyntaxError
from . import calculus, limits, names, vectors
from .calculus import PrefixOperator
from .cursor import Span
from .grammar import Grammar
from .opaque import SUM_NAME, opaque_value
from .tokens import Token

DUMMY_NAMES = ("j", "k", "m", "l", "i", "r", "s")


# -- sums and products -----------------------------------------------------------

def parse_big_operator(p: Grammar) -> PrefixOperator | sympy.Basic:
    """``\\sum_{j=1}^{n}`` / ``\\prod``; the body is the rest of the product.
    A ``\\sum`` with no summand is a name (``bare_sum``)."""
    command = p.next()
    after_command = p.mark()
    spans: dict[str, Span] = {}
    while p.peek().kind == "op" and p.peek().value in ("_", "^") and p.peek().value not in spans:
        key = p.next().value
        spans[key] = p.take_span(f"\\{command.value} limit")
    named = bare_sum(p, command, spans, after_command) if command.value == "sum" else None
    if named is not None:
        return named
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
    return PrefixOperator(build, command, label, {name: index}, scoped=command.value == "sum")


def bare_sum(p: Grammar, command: Token, spans: dict, after_command: tuple) -> sympy.Basic | None:
    """``\\frac{e_j}{\\sum}``, ``\\sum^2``, ``\\sum'``, ``(e_j/\\sum_k)``, ``\\sum - e_j``:
    a \\sum with nothing to sum is the name of the sum the post is about
    (``opaque``: a value never refuted until the post defines it). Only a
    bare \\sum, one with a one-letter index (``\\sum_k``), or one raised to a
    power (``\\sum^2``, read as the name squared) is a name; a sign after a
    \\sum with limits starts its summand (``\\sum_k -y_k \\log p_k``).
    None otherwise, the cursor where it was."""
    if "_" in spans and ("^" in spans or spans["_"].end - spans["_"].start != 1):
        return None
    before_primes = p.mark()
    primes = 0
    while "^" not in spans and p.accept("op", "'"):
        primes += 1
    if not primes and not ends_without_summand(p, spans):
        return None
    value = opaque_value(p, SUM_NAME + "'" * primes, command, definable=not primes)
    if value is None:
        p.reset(before_primes)
        return None
    if "^" in spans:
        p.reset(after_command)  # \sum^2: the name squared, the power read after it as after any name
    return value


def ends_without_summand(p: Grammar, spans: dict) -> bool:
    """Nothing to sum follows: a relation, the end of a group, ``\\times``; or
    a sign after a bare \\sum in a display that names the sum elsewhere
    (``\\frac{e_j' \\sum - e_j \\sum'}{\\sum^2}``), where it is a binary minus:
    ``\\sum -y_i \\log p_i`` alone stays the sum of -y_i log p_i."""
    if p.at_sign():
        return not spans and names_a_sum(p.tokens)
    return not p.starts_factor(p.peek(), False)


def names_a_sum(tokens) -> bool:
    """Whether some \\sum of the display is surely a name: primed, or
    followed (after at most a digit power) by the end of a group, a
    relation, a row's end or ``\\times``, with nothing to sum."""
    for index, token in enumerate(tokens):
        if not (token.kind == "cmd" and token.value == "sum"):
            continue
        after = tokens[index + 1:index + 4]
        if after[:2] and after[0].value == "^" and after[1].kind == "digit":
            after = after[2:]
        if not after or after[0].value == "'" or after[0].kind in NO_SUMMAND_KINDS or after[0].value in ("}", ")", "&"):
            return True
    return False


NO_SUMMAND_KINDS = frozenset({"rel", "rowsep", "end", "mul", "div"})


def extend_operand(p: Grammar, operator: PrefixOperator, operand: sympy.Basic) -> sympy.Basic:
    """The summand with the terms after it that use the sum's index (see the
    module docstring); the cursor moves past the terms taken."""
    index = next(iter(operator.locals.values()), None) or shared_index(operand)  # \\sum X_i: the summand's
    if index is None:
        return operand
    name = str(index)
    if not p.extend_sums or p.index_mode or name in p.scope.declared_free():
        return operand
    while True:
        token = p.peek()
        if p.at_sign() and p.peek(1).kind != "ellipsis":
            read = p.parse_term
        elif token.kind in ("div", "mul"):
            read = lambda: p.parse_signed(p.parse_product)  # noqa: E731 - one factor after \\cdot or /
        else:
            break
        piece = trial(p, name, index, read)
        if piece is None:
            break
        if token.kind == "div":
            operand = calculus.divide(p, operand, piece, at=token)
        elif token.value in vectors.PRODUCTS:  # \sum_i x_i \odot y_i: entries, a product
            operand = vectors.PRODUCTS[token.value](p, operand, piece, token)
        elif token.kind == "mul":
            operand = p.arithmetic(sympy.Mul, [operand, piece], token)
        else:
            operand = p.arithmetic(sympy.Add, [operand, piece if token.value == "+" else p.negate(piece, token)],
                                   token)
        p.extended_sums.append(name)
    return operand


def trial(p: Grammar, name: str, index: sympy.Symbol, read) -> sympy.Basic | None:
    """The operator and the piece after it read with the index bound, if the
    piece uses the index; else None and the cursor where it was."""
    mark = p.mark()
    noted = (len(p.vectors_as_numbers), len(p.bare_functions))
    p.next()
    try:
        with p.mode(locals={**p.locals, name: index}):
            piece = read()
    except LatexSyntaxError:
        piece = None
    if isinstance(piece, sympy.Basic) and index in piece.free_symbols:
        return piece
    p.reset(mark)
    del p.vectors_as_numbers[noted[0]:], p.bare_functions[noted[1]:]
    return None


def loose_operator(p: Grammar, command: Token, spans: dict[str, Span]) -> PrefixOperator:
    """``\\sum e^{t_k}``: no index written; it is the index every element of
    the summand shares (k; in ``\\sum w_{ij} x_j``, j), from 1 to the upper
    limit, or to n."""
    with p.mode(index_mode=True):
        upper = p.within(spans["^"], p.parse_expression) if "^" in spans else default_upper(p)
    constructor = sympy.Sum if command.value == "sum" else sympy.Product

    def build(q: Grammar, body: sympy.Basic) -> sympy.Basic:
        index = shared_index(body)
        if index is None and (whole := bare_vector(body)) is not None:
            index = dummy_index(q, [body])  # \sum e^{z}: the entries of the one vector written bare
            body = body.xreplace({whole: sympy.Indexed(whole, index)})
        if index is None:
            raise q.error(f"cannot tell the index of this \\{command.value}: write it, as in "
                          f"\\{command.value}_{{k}}", command)
        return q.build(constructor, body, (index, sympy.Integer(1), upper), at=command)

    return PrefixOperator(build, command, p.text[command.offset:p.last_end], scoped=command.value == "sum")


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


def bare_vector(body: sympy.Basic) -> sympy.IndexedBase | None:
    """``\\sum e^{z}`` with z a vector the post writes with entries (z_a, z_b)
    but bare here, and no entry in the summand: the sum runs over z's entries.
    None when the summand writes an entry or two vectors bare."""
    if not isinstance(body, sympy.Basic) or body.atoms(sympy.Indexed):
        return None
    bare = body.atoms(sympy.IndexedBase)
    return next(iter(bare)) if len(bare) == 1 else None


def read_index(p: Grammar, command: Token) -> tuple[str, sympy.Basic, sympy.Basic | None]:
    """``j=1``, ``j``, ``j'`` or ``k \\neq i`` (a sum leaving out one term)."""
    token = p.next()
    if token.kind not in ("letter", "cmd") or (token.kind == "cmd" and token.value not in names.GREEK):
        raise p.error(f"\\{command.value} needs an index name, found {p.describe(token)}", token)
    primes = 0
    while p.accept("op", "'"):  # \sum_{j'}: an index of its own beside j
        primes += 1
    excluded = None
    relation = p.peek()
    if p.accept("rel", "\\neq"):
        if command.value != "sum":
            raise p.error(f"\\{command.value} over {token.value} \\neq .. is not supported", relation)
        excluded = p.parse_expression()
    lower = p.parse_expression() if p.accept("rel", "=") else sympy.Integer(1)
    return token.value + "'" * primes, lower, excluded


def default_upper(p: Grammar) -> sympy.Basic:
    return p.scope.indices.get("n") or sympy.Symbol("n", integer=True, positive=True)


# -- sums written with an ellipsis --------------------------------------------------

def between_zeros(terms: list, split: int) -> bool:
    """``0 + \\dots + 0``: the terms a '…' hides between two written zeros are
    zeros, however many (``\\frac{1}{n}(0 + \\dots + 0 + 1 + 0 + \\dots + 0)``
    is 1/n); the '…' adds nothing to the sum."""
    return 0 < split < len(terms) and terms[split - 1] == 0 and terms[split] == 0


def ellipsis_sum(p: Grammar, terms: list, split: int, token: Token) -> sympy.Basic:
    found, rest = fitted_terms(p, terms[:split], terms[split:], dummy_index(p, terms), token)
    return p.arithmetic(sympy.Add, [found, *rest], token)


def fitted_terms(p: Grammar, before: list, after: list, index, token: Token) -> tuple[sympy.Sum, list]:
    """The sum ``before + … + after`` stands for, and the terms written
    after the last one its pattern names (``a_1 + … + a_n - b``: ``[-b]``)."""
    if not before or not after:
        raise p.error("cannot read '…': write terms before and after it, as in a_1 + \\dots + a_n", token)
    for cut in range(len(after), 0, -1):
        found = fitted_sum(p, index, before, after[:cut], token)
        if found is not None:
            return found, after[cut:]
    raise p.error("cannot infer the terms hidden by '…': expected a_1 + a_2 + … + a_n "
                  "(the last term names the upper limit)", token)


def ellipsis_sum_with_middle(p: Grammar, terms: list, first: tuple, second: tuple) -> sympy.Basic:
    """``p_i y_1 + p_i y_2 + \\dots + (p_i - y_i) + \\dots + p_i y_n``: the terms
    of a pattern over 1..n, the one at index i written out between the two
    ``…`` (a special case the author slips in): the whole sum, less the
    pattern's term at i, plus the term written. When the written term is the
    pattern's own (``x_1 + \\dots + x_i + \\dots + x_n``) that is the plain sum.
    The term between must be one term naming one index symbol (its place);
    otherwise the reading is not certain, and it is an error."""
    (split, token), (resume, second_token) = first, second
    middle = terms[split:resume]
    index = dummy_index(p, terms)
    found, rest = fitted_terms(p, terms[:split], terms[resume:], index, token)
    body, (bound, _, upper) = found.function, found.limits[0]
    places = {s for term in middle for s in term.free_symbols if s.is_Symbol and s.is_integer} - {upper}
    if len(middle) != 1 or len(places) != 1:
        raise p.error("cannot read the term between two '…': write one term with its index, the i-th of "
                      "the sum, as in a_1 + \\dots + b_i + \\dots + a_n", second_token)
    written_out = body.xreplace({bound: places.pop()})
    return p.arithmetic(sympy.Add, [found, p.negate(written_out, token), middle[0], *rest], token)


def fitted_sum(p: Grammar, index, before: list, after: list, token: Token):
    """``Sum(body, (index, lower, upper))`` when the last term with the upper
    symbol replaced by the index reproduces every written term (the first at
    index 1, or 0); else None."""
    first_symbols = before[0].free_symbols
    candidates = sorted((s for s in after[-1].free_symbols
                         if isinstance(s, sympy.Symbol) and s not in first_symbols), key=str)
    for upper in candidates:
        body = after[-1].xreplace({upper: index})
        for lower in (sympy.Integer(1), sympy.Integer(0)):
            if fits(body, index, before, after, lower, upper):
                return p.build(sympy.Sum, body, (index, lower, upper), at=token)
    return None


def fits(body, index, before, after, lower, upper) -> bool:
    heads = all(body.xreplace({index: lower + t}) == term for t, term in enumerate(before))
    tails = all(body.xreplace({index: upper - r}) == term for r, term in enumerate(reversed(after)))
    return heads and tails


def dummy_index(p: Grammar, terms: list) -> sympy.Symbol:
    """An index letter no term writes: every symbol counts, also those a
    derivative is taken in (SymPy leaves the j of d e^{x_1}/d x_j out of
    free_symbols; a dummy j would then differentiate in the summand's own index)."""
    used = {str(s) for term in terms for s in term.atoms(sympy.Symbol)}
    for name in DUMMY_NAMES:
        if name not in used:
            return p.scope.indices.get(name) or sympy.Symbol(name, integer=True)
    return sympy.Dummy("j", integer=True)
