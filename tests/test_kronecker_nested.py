"""A Kronecker delta whose other index an enclosing sum runs:
sum_{m} x_m sum_{k=1}^{B} delta_km g_k is sum_m x_m g_m when m's whole run
lies inside 1..B, and stays as written when it may not (sum_{m=1}^{M} of it
is sum_{m=1}^{min(M,B)} x_m g_m). The oracle is the explicit sum at concrete
lengths with random entries, never the collapse itself."""

from __future__ import annotations

import random

import pytest
import sympy

from symderive.evidence import Verdict
from symderive.kronecker import collapse_kronecker_sums
from symderive.post.check import check_post

B, M = sympy.symbols("B M", integer=True, positive=True)
k, m, j, i = sympy.symbols("k m j i", integer=True, positive=True)
x, g = sympy.IndexedBase("x"), sympy.IndexedBase("g")
delta = sympy.KroneckerDelta


def explicit(expr, lengths: dict, seed: int = 0):
    """expr at concrete lengths, every entry a random rational, each sum written out."""
    rng = random.Random(seed)
    concrete = expr.xreplace(lengths).doit()
    entries = {entry: sympy.Rational(rng.randint(-50, 50), rng.randint(1, 9))
               for entry in sorted(concrete.atoms(sympy.Indexed), key=str)}
    return concrete.xreplace(entries), entries


def agrees(expr, lengths: dict, seed: int = 0) -> bool:
    """The collapsed expr and the original, both summed out, take one value."""
    original, entries = explicit(expr, lengths, seed)
    collapsed = collapse_kronecker_sums(expr).xreplace(lengths).doit().xreplace(entries)
    return sympy.simplify(collapsed - original) == 0


COLLAPSED = {
    "same range": sympy.Sum(x[m, j] * sympy.Sum(delta(k, m) * g[k, i], (k, 1, B)), (m, 1, B)),
    "outer run shorter": sympy.Sum(x[m] * sympy.Sum(delta(k, m) * g[k], (k, 1, B)), (m, 1, B - 1)),
    "outer run starts later": sympy.Sum(x[m] * sympy.Sum(delta(m, k) * g[k], (k, 1, B)), (m, 2, B)),
    "shifted delta inside": sympy.Sum(x[m] * sympy.Sum(delta(k, m + 1) * g[k], (k, 1, B)), (m, 1, B - 1)),
    "one sum, two limits": sympy.Sum(delta(k, m) * g[k] * x[m], (k, 1, B), (m, 1, B)),
}

KEPT = {
    "outer length other": sympy.Sum(x[m, j] * sympy.Sum(delta(k, m) * g[k, i], (k, 1, B)), (m, 1, M)),
    "outer run starts below": sympy.Sum(x[m] * sympy.Sum(delta(k, m) * g[k], (k, 1, B)), (m, 0, B)),
    "shifted past the end": sympy.Sum(x[m] * sympy.Sum(delta(k, m + 1) * g[k], (k, 1, B)), (m, 1, B)),
    "two limits, other length": sympy.Sum(delta(k, m) * g[k] * x[m], (k, 1, B), (m, 1, M)),
    "inner runs inside outer": sympy.Sum(x[m] * sympy.Sum(delta(k, m) * g[k], (k, 1, B - 1)), (m, 1, B)),
}


@pytest.mark.parametrize("expr", COLLAPSED.values(), ids=COLLAPSED.keys())
def test_an_enclosed_index_is_summed_in(expr):
    assert not collapse_kronecker_sums(expr).has(sympy.KroneckerDelta)


@pytest.mark.parametrize("expr", KEPT.values(), ids=KEPT.keys())
def test_an_index_possibly_outside_is_not_summed_in(expr):
    assert collapse_kronecker_sums(expr).has(sympy.KroneckerDelta)


@pytest.mark.parametrize("size", [(1, 1), (2, 3), (3, 2), (4, 4)])
@pytest.mark.parametrize("expr", [*COLLAPSED.values(), *KEPT.values()], ids=[*COLLAPSED, *KEPT])
def test_the_collapse_keeps_the_value(expr, size):
    assert agrees(expr, {B: size[0], M: size[1], i: 1, j: 2}, seed=sum(size))


def test_the_collapsed_sum_is_the_one_over_the_enclosing_range():
    expr = COLLAPSED["same range"]
    assert collapse_kronecker_sums(expr) == sympy.Sum(x[m, j] * g[m, i], (m, 1, B))


def test_a_longer_outer_run_would_be_wrong_to_collapse():
    """The control for KEPT: at M > B the naive collapse sum_{m=1}^{M} x_m g_m differs."""
    naive = sympy.Sum(x[m, j] * g[m, i], (m, 1, M))
    original, entries = explicit(KEPT["outer length other"], {B: 2, M: 4, i: 1, j: 2}, seed=3)
    assert naive.xreplace({M: 4, i: 1, j: 2}).doit().xreplace(entries) != original


HEAD = ("The weights $W \\in R^{N \\times M}$ and the input $X \\in R^{B \\times M}$.\n\n"
        "$$y_{ij} = \\sum_{k=1}^{M} w_{jk} x_{ik} + b_j$$\n\n")
CHAIN = {
    "batch sum": ("\\sum_{m=1}^B \\frac{\\partial L}{\\partial y_{mi}} x_{mj}", Verdict.PROVED),
    "sum to the feature length": ("\\sum_{m=1}^M \\frac{\\partial L}{\\partial y_{mi}} x_{mj}", Verdict.REFUTED),
    "i and j swapped": ("\\sum_{m=1}^B \\frac{\\partial L}{\\partial y_{mj}} x_{mi}", Verdict.REFUTED),
    "a factor 2": ("2 \\sum_{m=1}^B \\frac{\\partial L}{\\partial y_{mi}} x_{mj}", Verdict.REFUTED),
}


@pytest.mark.parametrize("claim, verdict", CHAIN.values(), ids=CHAIN.keys())
def test_a_weight_gradient_through_an_undefined_loss(claim, verdict):
    post = HEAD + "$$\\frac{\\partial L}{\\partial w_{ij}} = " + claim + "$$\n"
    assert [step.verdict for step in check_post(post).claims()] == [verdict]
