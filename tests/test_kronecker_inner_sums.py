"""A delta free of an inner sum's indices is a factor of its term:
sum_b sum_h delta_bi g_bh is sum_h g_ih, the delta taken out of the sum
over h before the sum over b is collapsed. A delta that compares the inner
index (delta_hi inside the sum over h) stays where it is. The oracle is the
explicit sum at concrete lengths with random entries, never the collapse."""

from __future__ import annotations

import random

import pytest
import sympy

from symderive.kronecker import collapse_kronecker_sums

B, H = sympy.symbols("B H", integer=True, positive=True)
b, h, i, j = sympy.symbols("b h i j", integer=True, positive=True)
g, x = sympy.IndexedBase("g"), sympy.IndexedBase("x")
delta = sympy.KroneckerDelta

INNER = {
    "delta outside the inner sum": sympy.Sum(sympy.Sum(delta(b, i) * g[b, h] * x[b, j], (h, 1, H)), (b, 1, B)),
    "beside another term": sympy.Sum(delta(b, i) * x[b, j] + sympy.Sum(-delta(b, i) * g[b, h], (h, 1, H)), (b, 1, B)),
    "over a quotient": sympy.Sum(sympy.Sum(delta(b, i) * g[b, h] / (1 + x[b, h] ** 2), (h, 1, H)), (b, 1, B)),
}
WRONG = {  # a lost delta, a swapped index: never what the collapse gives
    "lost delta": lambda i_: sum(g[i_, hh] * x[bb, j] for hh in range(1, 3) for bb in range(1, 4)),
    "swapped index": lambda i_: sum(g[hh, i_] * x[i_, j] for hh in range(1, 3)),
}


def explicit(expr, lengths: dict, entries: dict):
    return expr.xreplace(lengths).doit().xreplace(entries)


def entries_for(expr, lengths, seed=0):
    rng = random.Random(seed)
    concrete = expr.xreplace(lengths).doit()
    return {e: sympy.Rational(rng.randint(-40, 40), rng.randint(1, 7))
            for e in sorted(concrete.atoms(sympy.Indexed), key=str)}


@pytest.mark.parametrize("expr", INNER.values(), ids=INNER.keys())
def test_a_delta_outside_an_inner_sum_is_summed_in(expr):
    collapsed = collapse_kronecker_sums(expr)
    assert not collapsed.has(sympy.KroneckerDelta)
    for row in (1, 2, 3):
        lengths = {B: 3, H: 2, i: row, j: 2}
        entries = entries_for(expr, lengths, seed=row)
        assert sympy.simplify(explicit(collapsed, lengths, entries) - explicit(expr, lengths, entries)) == 0


@pytest.mark.parametrize("wrong", WRONG.values(), ids=WRONG.keys())
def test_a_wrong_collapse_differs_from_the_explicit_sum(wrong):
    """The oracle tells a lost delta and a swapped index apart from the sum."""
    expr = INNER["delta outside the inner sum"]
    lengths = {B: 3, H: 2, i: 2, j: 2}
    entries = entries_for(expr, lengths, seed=5)
    written = wrong(2).xreplace(entries)
    assert sympy.simplify(written - explicit(expr, lengths, entries)) != 0
    assert sympy.simplify(explicit(collapse_kronecker_sums(expr), lengths, entries) - written) != 0


def test_a_delta_that_compares_the_inner_index_stays_inside():
    expr = sympy.Sum(sympy.Sum(delta(h, i) * g[b, h], (h, 1, H)) * x[b, j], (b, 1, B))
    collapsed = collapse_kronecker_sums(expr)
    lengths = {B: 3, H: 2, i: 2, j: 1}
    entries = entries_for(expr, lengths, seed=2)
    assert sympy.simplify(explicit(collapsed, lengths, entries) - explicit(expr, lengths, entries)) == 0
