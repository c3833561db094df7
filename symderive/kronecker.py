"""Sums with a Kronecker delta: sum_{j=lo}^{hi} delta_{jk} f(j) = f(k) if
lo <= k <= hi, else 0.

The identity holds for every integer k; which case applies is decided from
the *vector range*, the convention every derivation of a vector of length
n uses: a free index lies in 1..n (z_1, ..., z_n). So
sum_{j=1}^{n} delta_{jk} e^{z_j} is e^{z_k}; sum_{j=2}^{n} delta_{jk} e^{z_j}
is e^{z_k} only where k >= 2 (0 at k = 1); sum_{j=0}^{n-1} delta_{jk} f_j
is 0 at k = n; sum_{j=k+1}^{n} delta_{jk} f_j is 0. A condition the range
does not decide stays in the result as a Piecewise (f(k) where it holds,
else 0). With no single length symbol in the claim, nothing is assumed
beyond the index's declaration (k positive). An index bound by an
enclosing sum is summed in only where that sum's limits put its whole run
inside the range (sum_{m=1}^{B} x_m sum_{k=1}^{B} delta_km g_k is
sum_{m=1}^{B} x_m g_m); with m run to another length M the sum stays.

Only a term with the delta as a factor is summed this way: the summand's
products of sums are multiplied out, but a delta inside a function
(e^{delta_jk}, a derivative's body) stays where it is, since that term is
not 0 where j != k.

With several lengths (a batch of N samples of n features), a free index
has the range of the axis it indexes: j in W_{ij} runs over 1..n when some
sum in the claim runs W's second axis from 1 to n, and no other sum runs it
elsewhere (a matrix has one shape throughout). An index whose axes say
nothing, or say different things, is assumed nothing.

A declared shape (X in R^{B x M}, post/shapes.py) gives a free index the
length of the axis it indexes, B for i in x_{ij}, whatever the sums run
that axis to: sum_{m=1}^{M} delta_{mi} f_m keeps its guard [i <= M] then.

The numeric search of the prover gives free indices the values 1..n too,
so the convention is one for proofs and counterexamples alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy

from symderive.sum_scope import bound_apart, limits_as_counts  # noqa: F401 (their home before sum_scope)
from symderive.sum_scope import scope_inside as _scope_inside, span as _span, unbound as _unbound


@dataclass(frozen=True)
class IndexRange:
    """Free indices run over base..top: 1..n. With several lengths,
    ``length`` is None and ``axes`` gives each index read from its axes
    its own length: ((j, n), (s, N))."""

    length: sympy.Symbol | None
    base: int
    axes: tuple[tuple[sympy.Symbol, sympy.Symbol], ...] = ()

    @property
    def top(self) -> sympy.Expr:
        return self.length - 1 + self.base

    def length_of(self, index: sympy.Symbol) -> sympy.Symbol | None:
        return dict(self.axes).get(index, self.length)

    def all_lengths(self) -> set:
        return {length for _, length in self.axes} | ({self.length} if self.length is not None else set())


def _sums(expr: sympy.Basic) -> list:
    return list(expr.atoms(sympy.Sum, sympy.Product)) if isinstance(expr, sympy.Basic) else []


def lengths(expr: sympy.Basic) -> set:
    """The integer symbols of the sums' upper limits (n in sum_{j=1}^{n-1})."""
    found, bound = set(), set()
    for node in _sums(expr):  # one walk of the tree for both
        for index, _, upper in node.limits:
            found |= {s for s in upper.free_symbols if s.is_integer}
            bound.add(index)
    return found - bound


def bound_indices(expr: sympy.Basic) -> set:
    bound = set()
    for node in _sums(expr):
        bound |= {limit[0] for limit in node.limits}
    return bound


def vector_range(expr: sympy.Basic, declared=()) -> IndexRange | None:
    """``_vector_range``, memoised where its arguments can key a memo: the
    prover, the rules and the numeric search each read a claim's range."""
    try:
        return _memoised_vector_range(expr, declared)
    except TypeError:  # unhashable: a mutable Matrix, declared lengths as a dict
        return _vector_range(expr, declared)


@lru_cache(maxsize=4096)
def _memoised_vector_range(expr, declared):
    return _vector_range(expr, declared)


def _vector_range(expr: sympy.Basic, declared=()) -> IndexRange | None:
    """The range of the claim's free indices, 1..n with one length symbol n;
    with several, each free index its axes' length where they agree; None
    when nothing is known. A declared length wins over what the sums say:
    ``declared`` gives (index, length) pairs, and an index written as
    ``Idx(i, (1, B))`` carries its own (see post/shapes.py)."""
    declared = dict(declared) | _carried(expr)
    found = lengths(expr)
    if len(found) == 1:
        return IndexRange(next(iter(found)), 1, _sorted(declared))
    if not found:
        return IndexRange(None, 1, _sorted(declared)) if declared else None
    axes = dict(_axis_lengths(expr, found)) | declared
    return IndexRange(None, 1, _sorted(axes)) if axes else None


def _carried(expr: sympy.Basic) -> dict:
    """{index: length} for each free ``Idx`` over 1..length of expr."""
    if not isinstance(expr, sympy.Basic):
        return {}
    return {idx: idx.upper for idx in expr.atoms(sympy.Idx) if idx.lower == 1 and idx.upper is not None}


def _sorted(axes: dict) -> tuple:
    return tuple(sorted(axes.items(), key=lambda pair: sympy.default_sort_key(pair[0])))


def _axis_lengths(expr: sympy.Basic, found: set) -> tuple:
    """(index, length) for each free index whose axes agree on one length.
    An axis's length is read from the sums that run an index over it from 1
    to a length symbol; a delta_{bk} with b run over 1..N puts k on b's axes
    and on one of length N (a delta compares indices of one axis). Two
    lengths among an index's axes, and nothing is assumed of it."""
    runs: dict = {}
    partners: dict = {}  # k -> the axes of the bound indices a delta compares it with
    for node in _sums(expr):
        for index, lower, upper in node.limits:
            filled = _axes_filled(index, node.function)
            for delta in node.function.atoms(sympy.KroneckerDelta):
                if index in delta.args:
                    for other in set(delta.args) - {index}:
                        partners.setdefault(other, set()).update(filled | {("delta", index, lower, upper)})
                        if lower == 1 and upper in found:
                            runs.setdefault(("delta", index, lower, upper), set()).add(upper)
            if lower == 1 and upper in found:
                for key in filled:
                    runs.setdefault(key, set()).add(upper)
    bound = bound_indices(expr)
    free = {s for s in expr.free_symbols if s.is_integer and s not in found and s not in bound}
    axes = []
    for index in sorted(free, key=sympy.default_sort_key):
        keys = _axes_filled(index, expr) | partners.get(index, set())
        known = set().union(*(runs.get(key, set()) for key in keys))
        if len(known) == 1:
            axes.append((index, next(iter(known))))
    return tuple(axes)


def _axes_filled(index: sympy.Symbol, expr: sympy.Basic) -> set:
    """(base, axis) for every entry of expr with ``index`` at that axis."""
    return {(entry.base, axis) for entry in expr.atoms(sympy.Indexed)
            for axis, position in enumerate(entry.indices) if position == index}


def _at_least(difference: sympy.Expr, value: sympy.Expr, within: IndexRange | None, free: set):
    """Whether difference >= 0 (True, False, or None: undecided), where
    ``value`` is the delta's other index. When value's only free symbols
    are one free index k (and the length), base <= k <= top is used:
    k = base + p, n = p + q + 1 with p, q >= 0 integers."""
    if within is not None:
        indices = [s for s in value.free_symbols if s not in within.all_lengths()]
        if len(indices) <= 1 and not (set(indices) - free) and all(s.is_integer for s in indices):
            p, q = sympy.symbols("_p _q", integer=True, nonnegative=True)
            length = within.length_of(indices[0]) if indices else None
            if length is not None:
                replace = {length: p + q + 1, indices[0]: within.base + p}
            else:  # only n >= 1 is known of each length
                replace = {known: sympy.Symbol(f"_q{position}", integer=True, nonnegative=True) + 1
                           for position, known in enumerate(sorted(within.all_lengths(), key=str))}
            difference = sympy.expand(difference.xreplace(replace))
    decided = sympy.Ge(difference, 0)
    return bool(decided) if decided in (sympy.true, sympy.false) else None


def _solved(delta: sympy.KroneckerDelta, index: sympy.Symbol) -> sympy.Expr | None:
    """The value of ``index`` where delta is 1, when one side is index + c
    and the other is free of index; else None."""
    first, second = delta.args[:2]
    if index in second.free_symbols:
        first, second = second, first
    if index in second.free_symbols:
        return None
    shift = first - index
    return None if index in shift.free_symbols else second - shift


def _collapse(node: sympy.Sum, within: IndexRange | None, free: set, enclosing: tuple = ()) -> sympy.Expr | None:
    """``enclosing``: (index, lower, upper) of each sum around node, innermost last."""
    if not isinstance(node, sympy.Sum):
        return None
    if len(node.limits) > 1:
        return _collapse_one_of(node, within, free, enclosing)
    index, lower, upper = node.limits[0]
    collapsed = []
    rest = []
    for term in _distributed(node.function):
        deltas = [d for d in term.atoms(sympy.KroneckerDelta) if index in d.free_symbols]
        usable = [d for d in deltas if _is_factor(d, term) and _solved(d, index) is not None
                  and _spanned(_solved(d, index), lower, upper, within, free, enclosing)]
        if not usable or not all(_is_factor(d, term) for d in deltas):
            rest.append(term)  # delta_jk inside a function (e^{delta_jk}) is not 0 where j != k
            continue
        # of several deltas (delta_cj delta_jk), the one whose other index the range places
        ranked = sorted(usable, key=lambda d: _placed(_solved(d, index), lower, upper, within, free, enclosing),
                        reverse=True)
        delta = ranked[0]
        other = _solved(delta, index)  # delta_{j+1,k} is 1 at j = k - 1
        least, greatest = _span(other, free, enclosing)
        above = _at_least(least - lower, least, within, free)
        below = _at_least(upper - greatest, greatest, within, free)
        value = term.subs(delta, 1).subs(index, other)
        if above is False or below is False:
            collapsed.append(sympy.Integer(0))
        elif above and below:
            collapsed.append(value)
        else:
            inside = sympy.And(*(relation for relation, known in ((sympy.Ge(other, lower), above),
                                                                   (sympy.Le(other, upper), below))
                                 if not known))
            collapsed.append(sympy.Piecewise((value, inside), (0, True)))
    if not collapsed:
        return None
    remainder = sympy.Sum(sympy.Add(*rest), *node.limits) if rest else sympy.Integer(0)
    return sympy.Add(*collapsed) + remainder


def _placed(other, lower, upper, within, free, enclosing=()) -> bool:
    span = _span(other, free, enclosing)
    return span is not None and bool(_at_least(span[0] - lower, span[0], within, free)) \
        and bool(_at_least(upper - span[1], span[1], within, free))


def _spanned(other, lower, upper, within, free, enclosing) -> bool:
    """Whether the delta's other index may be summed in: a free one always
    (its range decides the cases); one an enclosing sum runs only when its
    whole run lies inside lower..upper. Where that is not known, some of
    its values may fall outside (sum_{m=1}^{M} sum_{k=1}^{B} delta_km g_k
    is sum_{m=1}^{min(M,B)} g_m), and the sum stays as written."""
    if other.free_symbols <= free:
        return True
    return lower.is_integer is True and _placed(other, lower, upper, within, free, enclosing)


def _distributed(expr: sympy.Expr) -> list:
    """The terms of expr with products of sums (and whole powers of sums)
    multiplied out, the arguments of functions and derivatives left as
    written: a delta inside them is no factor of the term."""
    if expr.is_Add:
        return [term for part in expr.args for term in _distributed(part)]
    if expr.is_Mul:
        terms = [sympy.Integer(1)]
        for factor in expr.args:
            terms = [left * right for left in terms for right in _distributed(factor)]
        return terms
    if expr.is_Pow and expr.base.is_Add and expr.exp.is_Integer and 1 < expr.exp <= 4:
        return _distributed(sympy.expand(expr, deep=False))
    if isinstance(expr, sympy.Sum) and expr.function.is_Mul:
        # sum_h delta_bi g_h is delta_bi sum_h g_h: a delta free of the sum's indices is a factor of the term
        bound = {limit[0] for limit in expr.limits}
        outside = [f for f in expr.function.args if isinstance(f, sympy.KroneckerDelta) and not f.free_symbols & bound]
        if outside:
            return [sympy.Mul(*outside) * sympy.Sum(expr.function / sympy.Mul(*outside), *expr.limits)]
    if isinstance(expr, sympy.Piecewise):
        shared = _shared_delta(expr)
        if shared is not None:
            return [shared * sympy.Piecewise(*((value / shared, condition) for value, condition in expr.args))]
    return [expr]


def _shared_delta(cases: sympy.Piecewise):
    """The one delta that is a factor of every branch, or None. Taken out of
    the cases, the term is 0 where the delta is and unchanged where it is 1
    (d|y_i - t_i|/dy_k: -delta_ik where y_i <= t_i, delta_ik elsewhere)."""
    shared = None
    for value, _ in cases.args:
        found = {f for f in sympy.Mul.make_args(value) if isinstance(f, sympy.KroneckerDelta)}
        shared = found if shared is None else shared & found
    return next(iter(shared)) if shared and len(shared) == 1 else None


def _is_factor(delta: sympy.KroneckerDelta, term: sympy.Expr) -> bool:
    """Whether the term is delta (or a positive power of it) times factors:
    then the term is 0 wherever delta is, and delta may be set to 1."""
    return any(factor == delta or (factor.is_Pow and factor.base == delta and factor.exp.is_Integer
                                   and factor.exp > 0)
               for factor in sympy.Mul.make_args(term))


def _collapse_one_of(node: sympy.Sum, within: IndexRange | None, free: set,
                     enclosing: tuple = ()) -> sympy.Expr | None:
    """A sum over several indices collapsed in one of them: a limit whose
    bounds and index are free of the other limits' indices may be summed
    first (finite sums over fixed ranges commute), inside the others."""
    for position, (index, lower, upper) in enumerate(node.limits):
        others = node.limits[:position] + node.limits[position + 1:]
        their_indices = {limit[0] for limit in others}
        their_bounds = set().union(*(sympy.Tuple(*limit[1:]).free_symbols for limit in others))
        if index in their_bounds or (sympy.Tuple(lower, upper).free_symbols & their_indices):
            continue
        around = enclosing + tuple(tuple(limit) for limit in reversed(others))
        inner = _collapse(sympy.Sum(node.function, (index, lower, upper)), within, free, around)
        if inner is not None:
            return sympy.Sum(inner, *others) if inner != 0 else sympy.Integer(0)
    return None


def collapse_kronecker_sums(expr: sympy.Expr, within: IndexRange | None | str = "infer") -> sympy.Expr:
    """``_collapse_kronecker_sums``, memoised where its arguments can key a
    memo: a line is collapsed as it is evaluated, as its rules apply and
    as the prover and the sum normal form read it."""
    try:
        return _memoised_collapse(expr, within)
    except TypeError:  # unhashable: a mutable Matrix
        return _collapse_kronecker_sums(expr, within)


@lru_cache(maxsize=4096)
def _memoised_collapse(expr, within):
    return _collapse_kronecker_sums(expr, within)


def _collapse_kronecker_sums(expr: sympy.Expr, within: IndexRange | None | str = "infer") -> sympy.Expr:
    """Every sum over j of delta_{jk} * f(j) replaced by f(k) where k is in
    the sum's range, 0 where it is not, and a Piecewise where the vector
    range (``within``; by default read from ``expr``, declared lengths
    included) does not decide."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.KroneckerDelta) or not expr.has(sympy.Sum):
        return expr
    if within == "infer":
        within = vector_range(expr)
    free = expr.free_symbols - bound_indices(expr)
    collapsed = {}  # each sum collapsed once in each scope

    def walk(node, enclosing):
        """Like ``replace``, bottom up, knowing the sums around each node."""
        if not node.args:
            return node
        inside = _scope_inside(node, enclosing)
        args = tuple(walk(arg, inside if position == 0 else _unbound(node, enclosing))
                     for position, arg in enumerate(node.args))
        rebuilt = node.func(*args) if args != node.args else node
        if not isinstance(rebuilt, sympy.Sum):
            return rebuilt
        if (rebuilt, enclosing) not in collapsed:
            collapsed[rebuilt, enclosing] = _collapse(rebuilt, within, free, enclosing)
        result = collapsed[rebuilt, enclosing]
        return rebuilt if result is None else result

    return walk(expr, ())
