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
beyond the index's declaration (k positive); an index bound by an
enclosing sum is never assumed to be in range (that sum's own limits say
where it is).

The numeric search of the prover gives free indices the values 1..n too,
so the convention is one for proofs and counterexamples alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy


@dataclass(frozen=True)
class IndexRange:
    """Free indices run over base..top: 1..n."""

    length: sympy.Symbol
    base: int

    @property
    def top(self) -> sympy.Expr:
        return self.length - 1 + self.base


def _sums(expr: sympy.Basic) -> list:
    return list(expr.atoms(sympy.Sum, sympy.Product)) if isinstance(expr, sympy.Basic) else []


def lengths(expr: sympy.Basic) -> set:
    """The integer symbols of the sums' upper limits (n in sum_{j=1}^{n-1})."""
    found = set()
    for node in _sums(expr):
        for _, _, upper in node.limits:
            found |= {s for s in upper.free_symbols if s.is_integer}
    return found - bound_indices(expr)


def bound_indices(expr: sympy.Basic) -> set:
    bound = set()
    for node in _sums(expr):
        bound |= {limit[0] for limit in node.limits}
    return bound


def vector_range(expr: sympy.Basic) -> IndexRange | None:
    """The range of the claim's free indices, 1..n; None unless there is
    exactly one length symbol n."""
    found = lengths(expr)
    if len(found) != 1:
        return None
    return IndexRange(next(iter(found)), 1)


def _at_least(difference: sympy.Expr, value: sympy.Expr, within: IndexRange | None, free: set):
    """Whether difference >= 0 (True, False, or None: undecided), where
    ``value`` is the delta's other index. When value's only free symbols
    are one free index k (and the length), base <= k <= top is used:
    k = base + p, n = p + q + 1 with p, q >= 0 integers."""
    if within is not None:
        indices = [s for s in value.free_symbols if s != within.length]
        if len(indices) <= 1 and not (set(indices) - free) and all(s.is_integer for s in indices):
            p, q = sympy.symbols("_p _q", integer=True, nonnegative=True)
            replace = {within.length: p + q + 1}
            if indices:
                replace[indices[0]] = within.base + p
            else:
                replace = {within.length: q + 1}  # only n >= 1 is known
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


def _collapse(node: sympy.Sum, within: IndexRange | None, free: set) -> sympy.Expr | None:
    if not isinstance(node, sympy.Sum) or len(node.limits) != 1:
        return None
    index, lower, upper = node.limits[0]
    terms = sympy.Add.make_args(sympy.expand(node.function))
    collapsed = []
    rest = []
    for term in terms:
        deltas = [d for d in term.atoms(sympy.KroneckerDelta) if index in d.free_symbols]
        if len(deltas) != 1 or not term.is_Mul and term != deltas[0]:
            rest.append(term)
            continue
        delta = deltas[0]
        other = _solved(delta, index)  # delta_{j+1,k} is 1 at j = k - 1
        if other is None or not other.free_symbols <= free:
            rest.append(term)  # the other index is bound by an enclosing sum: its range is that sum's
            continue
        above = _at_least(other - lower, other, within, free)
        below = _at_least(upper - other, other, within, free)
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


def collapse_kronecker_sums(expr: sympy.Expr, within: IndexRange | None | str = "infer") -> sympy.Expr:
    """Every sum over j of delta_{jk} * f(j) replaced by f(k) where k is in
    the sum's range, 0 where it is not, and a Piecewise where the vector
    range (``within``; by default read from ``expr``) does not decide."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.KroneckerDelta) or not expr.has(sympy.Sum):
        return expr
    if within == "infer":
        within = vector_range(expr)
    free = expr.free_symbols - bound_indices(expr)
    return expr.replace(
        lambda e: isinstance(e, sympy.Sum) and _collapse(e, within, free) is not None,
        lambda e: _collapse(e, within, free),
    )
