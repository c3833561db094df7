"""Cases cut along one variable whose breakpoints are expressions in the
others (Huber's |y_k - yhat_k| <= delta cuts yhat_k at y_k - delta, y_k,
y_k + delta): the steps of the Huber and smooth L1 derivations that pass a
sum of cases and collapse its Kronecker delta.

The truth of every claim comes from SymPy at explicit sizes, never from the
tool: N = 1..3, each free index at every value in 1..N, the sum written out
term by term, derivatives taken by sympy.diff of the written-out form, and
both sides compared exactly at rational points (random ones, and points on
every boundary between cases). A true claim must be proved; a wrong variant
(wrong index, missing 1/N, a sign flipped in a case, a wrong condition)
must not be (refuted or unknown)."""

import itertools
import random

import pytest
import sympy
from sympy import Abs, IndexedBase, KroneckerDelta, Piecewise, Sum, Symbol, sign

from symderive.api import derived
from symderive.evidence import Proved, Verdict
from symderive.prover import ProofContext, prove_equal
from symderive.regions import symbolic_breakpoints
from symderive.runner import Task, run_tasks

N = Symbol("N", integer=True, positive=True)
i, j, k = (Symbol(name, integer=True, positive=True) for name in "ijk")
y, yhat = IndexedBase("y", real=True), IndexedBase("y_hat", real=True)
delta, beta = Symbol("delta", positive=True), Symbol("beta", positive=True)
x, u, w = Symbol("x", real=True), Symbol("u", real=True), Symbol("w", real=True)
FREE_INDICES = (i, j, k)
SECONDS = 10


def _r(index):
    return y[index] - yhat[index]


def _only(value, condition):
    return Piecewise((value, condition), (0, True))


def _huber_collapse_sides(threshold=delta >= Abs(_r(k))):
    """sum_i [huber'(r_i) delta_ik] / N and the case form at k the literature writes."""
    d = KroneckerDelta(i, k)
    summed = Sum(Piecewise(((yhat[i] - y[i]) * d, delta >= Abs(_r(i))), (-delta * d, _r(i) >= 0), (delta * d, True)),
                 (i, 1, N)) / N
    at_k = Piecewise((yhat[k] - y[k], threshold), (delta * sign(yhat[k] - y[k]), True)) / N
    return summed, at_k


HUBER = Sum(Piecewise(((yhat[i] - y[i]) ** 2 / 2, delta >= Abs(_r(i))), (delta * (Abs(_r(i)) - delta / 2), True)),
            (i, 1, N)) / N
SUMMED, AT_K = _huber_collapse_sides()
SMOOTH_SUMMED = Sum(Piecewise(((yhat[i] - y[i]) * KroneckerDelta(i, k) / beta, beta > Abs(_r(i))),
                              (-KroneckerDelta(i, k), _r(i) >= 0), (KroneckerDelta(i, k), True)), (i, 1, N)) / N
SMOOTH_AT_K = Piecewise(((yhat[k] - y[k]) / beta, beta > Abs(_r(k))), (sign(yhat[k] - y[k]), True)) / N
TOTAL = Sum(yhat[i], (i, 1, N))  # holds yhat_k: the cut treats it as another symbol, a stronger claim
THREE_CASES = Piecewise((yhat[k] - y[k], delta >= Abs(_r(k))), (-delta, _r(k) >= 0), (delta, True)) / N
# SymPy's derivative of |r| written out: the condition on |r| read as two half-planes
EXPANDED = Piecewise((yhat[k] - y[k], ((y[k] >= yhat[k]) | (delta >= yhat[k] - y[k]))
                      & ((y[k] < yhat[k]) | (delta >= y[k] - yhat[k]))), (-delta, _r(k) >= 0), (delta, True)) / N

TRUE_CLAIMS = {
    "huber-kronecker-through-the-cases": (SUMMED, AT_K),
    "huber-derivative-of-the-sum": (sympy.Derivative(HUBER, yhat[k]), AT_K),
    "huber-three-cases-as-sign": (THREE_CASES, AT_K),
    "huber-conditions-expanded": (EXPANDED, THREE_CASES),
    "huber-strict-threshold (C1 at |r| = delta)": (SUMMED, _huber_collapse_sides(delta > Abs(_r(k)))[1]),
    "smooth-l1-kronecker-through-the-cases": (SMOOTH_SUMMED, SMOOTH_AT_K),
    "two-variables-relu-of-a-difference": (_only(x - u, x > u), sympy.Max(x - u, 0)),
    "entries-of-one-vector-at-two-indices": (_only(1, yhat[k] > yhat[j]) + _only(1, yhat[j] >= yhat[k]), sympy.S.One),
    "an-entry-against-the-sum-of-its-vector": (_only(yhat[k] - TOTAL, yhat[k] > TOTAL), sympy.Max(yhat[k] - TOTAL, 0)),
}

WRONG_CLAIMS = {
    "huber-wrong-index (i for k)": (SUMMED, AT_K.subs(k, i)),
    "huber-missing-1/N": (SUMMED, AT_K * N),
    "huber-sign-flipped-in-a-case": (SUMMED, AT_K.subs(sign(yhat[k] - y[k]), sign(y[k] - yhat[k]))),
    "huber-condition-without-abs": (SUMMED, _huber_collapse_sides(delta >= _r(k))[1]),
    "huber-condition-2-delta": (SUMMED, _huber_collapse_sides(2 * delta >= Abs(_r(k)))[1]),
    "huber-three-cases-sign-flipped": (THREE_CASES.subs(-delta, delta), AT_K),
    "smooth-l1-sign-flipped": (SMOOTH_SUMMED, SMOOTH_AT_K.subs(sign(yhat[k] - y[k]), sign(y[k] - yhat[k]))),
    "two-variables-shifted-condition": (_only(x - u, x > u), _only(x - u, x > u + 1)),
    "two-variables-other-bound": (_only(1, x > u), _only(1, x > w)),
    "entries-equal-at-j-equal-k": (_only(1, yhat[k] > yhat[j]) + _only(1, yhat[j] > yhat[k]), sympy.S.One),
    "an-entry-at-least-the-sum-of-its-vector": (_only(1, yhat[k] >= TOTAL), sympy.S.One),
    "an-entry-against-the-sum-shifted": (_only(yhat[k] - TOTAL, yhat[k] > TOTAL), sympy.Max(yhat[k] - TOTAL, 1)),
}


# -- the oracle: SymPy at explicit sizes ---------------------------------------

def _written_out(expr, size, indices):
    """expr at N = size and the free indices at the given values, every sum
    written out term by term, then derivatives taken (sympy.diff)."""
    concrete = expr.xreplace({N: sympy.Integer(size)})
    concrete = concrete.replace(lambda e: isinstance(e, Sum), lambda e: e.doit())  # before i is given a value
    return concrete.xreplace(indices).doit()


def _points(entries, rng):
    """Rational values for the entries and symbols: random ones, and ones
    putting yhat_m on each boundary of its case (y_m +- delta, y_m)."""
    names = sorted(entries, key=sympy.default_sort_key)
    for trial in range(60):
        scale = {delta: sympy.Rational(rng.randint(1, 40), 10), beta: sympy.Rational(rng.randint(1, 40), 10)}
        point = dict(scale)
        for name in names:
            if name not in point:
                point[name] = sympy.Rational(rng.randint(-400, 400), 100)
        hats = [n for n in names if isinstance(n, sympy.Indexed) and n.base == yhat]
        if hats and trial % 3 == 0:
            chosen = rng.choice(hats)
            threshold = scale[delta] if rng.random() < 0.5 else scale[beta]
            point[chosen] = point[y[chosen.indices[0]]] + rng.choice([-threshold, 0, threshold])
        yield point


def true_at_explicit_sizes(lhs, rhs) -> bool:
    rng = random.Random(17)
    free = [index for index in FREE_INDICES if index in lhs.free_symbols | rhs.free_symbols]
    for size in (1, 2, 3):
        for values in itertools.product(range(1, size + 1), repeat=len(free)):
            indices = {index: sympy.Integer(v) for index, v in zip(free, values)}
            left, right = _written_out(lhs, size, indices), _written_out(rhs, size, indices)
            entries = {a for a in (left - right).atoms(sympy.Indexed)}
            entries |= {s for s in (left - right).free_symbols if not isinstance(s, sympy.Indexed)} - {y, yhat}
            entries |= {y[m] for m in range(1, size + 1)} | {yhat[m] for m in range(1, size + 1)}
            for point in _points(entries, rng):
                difference = left.xreplace(point) - right.xreplace(point)
                assert difference.is_Rational, difference  # evaluated exactly, every case decided
                if difference != 0:
                    return False
    return True


def _verdict(lhs, rhs):
    """The prover's verdict under a hard time limit (a timeout is no proof),
    on the claim as a derivation's step reaches it: derivatives evaluated."""
    lhs, rhs = (side.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.doit()) for side in (lhs, rhs))
    outcome = run_tasks([Task(prove_equal, (lhs, rhs, ProofContext(sympy.true, 5)), SECONDS)])[0]
    return outcome.value if outcome.status == "ok" else None


@pytest.mark.parametrize("name", TRUE_CLAIMS)
def test_a_true_claim_is_proved(name):
    lhs, rhs = TRUE_CLAIMS[name]
    assert true_at_explicit_sizes(lhs, rhs), "the oracle says this claim is false: the test is wrong"
    verdict = _verdict(lhs, rhs)
    assert isinstance(verdict, Proved), verdict


@pytest.mark.parametrize("name", WRONG_CLAIMS)
def test_a_wrong_claim_is_not_proved(name):
    lhs, rhs = WRONG_CLAIMS[name]
    assert not true_at_explicit_sizes(lhs, rhs), "the oracle says this claim is true: the variant is not wrong"
    assert not isinstance(_verdict(lhs, rhs), Proved)


def test_the_oracle_sees_the_boundaries():
    """A claim false only on a boundary between cases (|r| = delta, a
    different value there) is false to the oracle."""
    moved = Piecewise((yhat[k] - y[k], delta > Abs(_r(k))), (0, True)) / N
    assert not true_at_explicit_sizes(Piecewise((yhat[k] - y[k], delta >= Abs(_r(k))), (0, True)) / N, moved)


# -- the breakpoints -------------------------------------------------------------

def test_breakpoints_in_the_other_symbols_are_ordered_by_their_assumptions():
    cases = Piecewise((1, (yhat[k] - y[k] <= delta) & (y[k] - yhat[k] <= delta)), (0, _r(k) >= 0), (2, True))
    points = symbolic_breakpoints([cases], yhat[k])
    assert points == [y[k] - delta, y[k], y[k] + delta]


def test_breakpoints_without_a_decided_order_are_refused():
    assert symbolic_breakpoints([_only(1, x > u) + _only(1, x > w)], x) is None
    assert symbolic_breakpoints([_only(1, x ** 2 > u)], x) is None  # not linear in x
    assert symbolic_breakpoints([_only(1, u * x > 1)], x) is None  # a slope of unknown sign


# -- the derivations -----------------------------------------------------------

@pytest.mark.parametrize("name", ["huber", "smooth_l1"])
def test_the_case_losses_derive_verified_with_every_step_proved(name):
    toml, report = derived(name)
    assert report.status == "verified", [(s.index, s.verdict, s.evidence) for s in report.steps]
    assert all(s.verdict is Verdict.PROVED for s in report.steps)
    assert "rule = \"cases\"" in toml and "rule = \"kronecker\"" in toml
