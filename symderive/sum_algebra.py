"""The algebra of finite sums and products a reader does without naming a
derivative rule, as rewrites to one canonical shape:

- linearity: sum_i (f_i + g_i) = sum_i f_i + sum_i g_i and
  sum_i c f_i = c sum_i f_i for c free of i, one limit at a time from the
  innermost of a sum of several (sympy's nest: its first limit is innermost);
- a product of a product: prod_i (f_i g_i) = prod_i f_i prod_i g_i;
- a sum of a term free of its index is the term times the number of terms,
  hi - lo + 1, only where that number is known to be >= 0 (so the identity
  holds whatever convention an empty or reversed range follows); otherwise
  the count stays a sum of 1;
- Kronecker deltas summed over their index (kronecker.py), which keeps the
  range: f(k) only where lo <= k <= hi, a case split where that is undecided;
- stated sums (``sum_i y_i = 1`` for a one-hot y), only when the caller
  passes them: they are facts about the data, not identities;
- every bound index renamed by its depth, so that sum_i y_i and sum_j y_j
  are one expression.

Every rewrite except the stated sums is an identity for every value of the
free symbols: the sums are finite and nothing is evaluated numerically.
"""

from __future__ import annotations

from functools import lru_cache

import sympy

from .kronecker import collapse_kronecker_sums
from .normal_form import canonical_sum, one_fraction

__all__ = ["bound_name", "canonical_indices", "merge_sums", "split_sums", "stated_sums", "sum_normal_form"]

_EXPAND_LIMIT = 200  # operations in a summand beyond which it is not expanded (cost; the sum stays whole)


_BOUND_PREFIX = "_sum_index_"


def bound_name(depth: int) -> sympy.Symbol:
    """The index of a sum nested ``depth`` sums deep, as canonical_sum names a top-level one."""
    return sympy.Symbol(f"{_BOUND_PREFIX}{depth}", integer=True)


def _count(lower, upper):
    """hi - lo + 1 where it is known to be >= 0, else None."""
    count = sympy.expand(upper - lower + 1)
    return count if count.is_nonnegative else None


def _terms(function):
    """The summand as a list of terms, expanded while it stays small."""
    if sympy.count_ops(function) > _EXPAND_LIMIT:
        return [function]
    expanded = sympy.expand(function, deep=False, power_base=False, power_exp=False, log=False)
    return list(sympy.Add.make_args(expanded))


def _split_sum(function, limit):
    """sum over ``limit`` of ``function`` by linearity; a summand that is
    itself a sum joins it as one more limit (sympy's nest)."""
    index, lower, upper = limit
    total = []
    for term in _terms(function):
        factor, rest = term.as_independent(index, as_Add=False)
        if rest == 1:
            count = _count(lower, upper)
            total.append(factor * (count if count is not None else sympy.Sum(sympy.Integer(1), limit)))
        else:
            total.append(factor * sympy.Sum(rest, limit))
    return sympy.Add(*total)


def _split_product(function, limit):
    """prod over ``limit`` of a product as the product of its factors'
    products (a factor free of the index stays a product: c^count needs
    the count's sign)."""
    return sympy.Mul(*(sympy.Product(factor, limit) for factor in sympy.Mul.make_args(function)))


@lru_cache(maxsize=8192)
def split_sums(expr):
    """``expr`` with every sum split by linearity, one limit at a time
    from the innermost, and every product by factors. (Memoised: the sums
    of a derivation's definitions recur in every line.)"""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return expr
    if _is_binding(expr):
        split = _split_sum if isinstance(expr, sympy.Sum) else _split_product
        result = split_sums(expr.function)
        for limit in expr.limits:
            result = split(result, limit)
        return result
    args = [split_sums(a) for a in expr.args]
    return expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr


def stated_sums(assumptions: dict) -> dict:
    """The stated sums (canonical sum -> value) in the shape ``split_sums``
    leaves them: sum_i 2 y_i = 2 is sum_i y_i = 1."""
    shaped = {}
    for key, value in assumptions.items():
        split = split_sums(key)
        coefficient, single = split.as_coeff_Mul() if split.is_Mul else (sympy.Integer(1), split)
        if isinstance(single, sympy.Sum) and coefficient != 0:
            shaped[canonical_sum(single)] = value / coefficient
    return shaped


def _substitute(expr, stated: dict):
    if not stated or not expr.has(sympy.Sum):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.Sum) and canonical_sum(e) in stated,
                        lambda e: stated[canonical_sum(e)])


@lru_cache(maxsize=4096)
def canonical_indices(expr):
    """Every bound index renamed by how deep its sum is nested (outermost
    0), the same name canonical_sum gives a top-level sum's index. Each is
    first made a fresh symbol, so that no renaming can capture an index of
    an enclosing sum (sum_a sum_b W_ab x_b must not become W_bb)."""
    if _named_by_depth(expr, 0):
        return expr  # renaming each index to a fresh name and back would rebuild the same tree
    taken = expr.atoms(sympy.Symbol) if isinstance(expr, sympy.Basic) else set()
    if not any(symbol.name.startswith(_BOUND_PREFIX) for symbol in taken):
        # no depth name is in use: renaming outermost first cannot capture (an index
        # shadowed by an inner sum is renamed with it, and the inner sum renames it again)
        return _by_depth(expr, 0)
    return _by_depth(_fresh(expr, _unused_names(taken)), 0)


def _named_by_depth(expr, depth: int) -> bool:
    """Whether every bound index already has the name of its depth."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return True
    if _is_binding(expr):
        deepest = depth + len(expr.limits) - 1  # sympy's first limit is the innermost
        return (all(limit[0] == bound_name(deepest - position) for position, limit in enumerate(expr.limits))
                and all(_named_by_depth(bound, depth) for limit in expr.limits for bound in limit[1:])
                and _named_by_depth(expr.function, deepest + 1))
    return all(_named_by_depth(arg, depth) for arg in expr.args)


def _unused_names(taken: set):
    """Integer symbols _fresh_0, _fresh_1, ... not in ``taken``. Plain symbols,
    not Dummies: SymPy caches what it derives about a symbol, and a new Dummy
    for every sum would make every later product ask again."""
    position = 0
    while True:
        name = sympy.Symbol(f"_fresh_{position}", integer=True)
        position += 1
        if name not in taken:
            yield name


def _is_binding(expr) -> bool:
    return isinstance(expr, (sympy.Sum, sympy.Product)) and all(len(limit) == 3 for limit in expr.limits)


def _fresh(expr, names):
    """Every bound index a new name (from ``names``, none in the expression), innermost first."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return expr
    args = [_fresh(a, names) for a in expr.args]
    expr = expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr
    if _is_binding(expr):
        return expr.xreplace({limit[0]: next(names) for limit in expr.limits})
    return expr


def _by_depth(expr, depth: int):
    """Fresh bound indices named by depth, outermost first."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return expr
    if _is_binding(expr):
        deepest = depth + len(expr.limits) - 1  # sympy's first limit is the innermost
        renamed = expr.xreplace({limit[0]: bound_name(deepest - position)
                                 for position, limit in enumerate(expr.limits)})
        limits = [(index, _by_depth(lower, depth), _by_depth(upper, depth)) for index, lower, upper in renamed.limits]
        return expr.func(_by_depth(renamed.function, deepest + 1), *limits)
    args = [_by_depth(a, depth) for a in expr.args]
    return expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr


@lru_cache(maxsize=4096)
def _canonical_summand(function):
    """The summand as one canonical fraction (cancel of together), so that
    equal summands written apart (h x y - (1 - y) h x / (1 - h) ...) meet.
    (Memoised: a summand recurs in every line of a derivation.)"""
    if sympy.count_ops(function) > _EXPAND_LIMIT or function.has(sympy.Piecewise):
        return function
    try:
        return one_fraction(function)
    except (sympy.PolynomialError, TypeError, ValueError, RecursionError):
        return function


def _sum_factor(term):
    """(coefficient, the sum) when ``term`` is a sum times factors, else None."""
    sums = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.Sum)]
    if len(sums) != 1:
        return None
    return term / sums[0], sums[0]


@lru_cache(maxsize=8192)
def merge_sums(expr):
    """The sums over the same limits in one Add merged (sum f + c sum g =
    sum (f + c g), c free of the index), the summand made one canonical
    fraction, then split again: two equal combinations of sums get one
    shape. Bound indices must already be canonical (the limits are the key).
    (Memoised, as split_sums.)"""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum):
        return expr
    args = [merge_sums(a) for a in expr.args]
    expr = expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr
    if isinstance(expr, sympy.Sum):
        return split_sums(sympy.Sum(_canonical_summand(expr.function), *expr.limits))
    if not expr.is_Add:
        return expr
    groups: dict = {}
    others = []
    for term in expr.args:
        found = _sum_factor(term)
        if found is None:
            others.append(term)
        else:
            coefficient, single = found
            groups[single.limits] = groups.get(single.limits, 0) + coefficient * single.function
    merged = [split_sums(sympy.Sum(_canonical_summand(summand), *limits)) for limits, summand in groups.items()]
    return sympy.Add(*others, *merged)


def sum_normal_form(expr, stated: dict | None = None, within="infer"):
    """``expr`` in the canonical shape: sums split, deltas summed within
    their ranges (``within``: the free indices' range, as kronecker.py reads
    it; by default from ``expr``), the ``stated`` sums (from
    ``stated_sums``) substituted, bound indices renamed. Equal shapes mean equal expressions (given the
    stated sums); unequal shapes decide nothing."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return expr
    return _sum_normal_form(expr, tuple((stated or {}).items()), within)


@lru_cache(maxsize=2048)
def _sum_normal_form(expr, stated: tuple, within):
    """sum_normal_form with the stated sums as (sum, value) pairs (hashable:
    memoised, since a line recurs as one step's claim and the next step's
    previous line, and the rules and the prover each shape it)."""
    shaped = split_sums(expr)
    collapsed = collapse_kronecker_sums(shaped, within)
    if collapsed != shaped:
        shaped = split_sums(collapsed)
    shaped = canonical_indices(merge_sums(canonical_indices(shaped)))
    return _substitute(shaped, dict(stated))
