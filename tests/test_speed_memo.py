"""The memoised normal forms give what the computation they replace gives,
whatever was computed before them in the same process (a worker verifies
file after file with its memos warm):

- ``normal_form.together`` is ``sympy.together`` node by node: the same
  tree for every input, SymPy's own function the oracle;
- a sum named once keeps, in the memo, which of its names vary with an
  enclosing sum's index: an outer sum over j of an inner sum up to j is
  named alike cold and warm, and the inner sum is never taken for a
  constant of j (the mathematics: sum_{j} x_j sum_{l<=j} x_l is not
  (sum_j x_j) times one inner sum);
- ``canonical_indices`` leaves an expression whose indices already carry
  their depth names as it is, and otherwise renames as the fresh-name
  path does;
- verdicts do not leak from one derivation to the next through the memos:
  two derivations with the same lines and different definitions, verified
  one after the other in one process, each get the verdict sympy.diff gives.
"""

import pytest
import sympy
from sympy import Abs, IndexedBase, Piecewise, Sum, Symbol, exp, log, sqrt, symbols

from symderive import normal_form, runner, sum_algebra
from symderive.derivation import loads
from symderive.engine import verify_derivation
from symderive.evidence import Proved, Refuted
from symderive.prover import ProofContext, prove_equal

x_, y_ = symbols("x y", real=True)
t = Symbol("t", positive=True)
a, b, c = symbols("a b c")
j, k, l, m, n = symbols("j k l m n", integer=True)
X = IndexedBase("x", real=True)
G = IndexedBase("g", real=True)
f = sympy.Function("f", real=True)


def _clear():
    for memo in (normal_form.exp_rational_normal_form, normal_form.rational_normal_form, normal_form._named_sum,
                 normal_form.together, normal_form._one_fraction, normal_form._factored,
                 sum_algebra.canonical_indices, sum_algebra.split_sums, sum_algebra.merge_sums,
                 sum_algebra._canonical_summand, sum_algebra._sum_normal_form):
        memo.cache_clear()


TOGETHER_CASES = [
    1 / a + 1 / b,
    (1 - 1 / (1 + 1 / t)) ** c * log(1 / (1 + 1 / t)) / (1 + 1 / t) - 1 + 1 / (1 + 1 / t),
    x_ / (x_ + 1) + y_ / (x_ + 1) - (x_ + y_) / (x_ + 1),
    sqrt(1 / a + 1 / b) + Abs(1 / x_ - 1),
    exp(1 / x_ + 1) / (1 / y_ + 2) + f(x_) / (1 + 1 / f(x_)),
    Sum(X[j] / (1 + 1 / X[j]), (j, 1, n)) / n + 1 / n,
    Piecewise((1 / x_ + 1, x_ > 0), (1 / (x_ - 1), True)) + 1 / y_,
    (a / b + c) ** 2 * (1 / a + 1 / c) ** -3,
    sympy.Integer(0),
    a,
]


@pytest.mark.parametrize("expr", TOGETHER_CASES, ids=range(len(TOGETHER_CASES)))
def test_together_is_sympys_together(expr):
    _clear()
    assert normal_form.together(expr) == sympy.together(expr)
    # warm: the terms already made one fraction, the tree is the same
    assert normal_form.together(expr) == sympy.together(expr)
    assert normal_form.one_fraction(expr) == sympy.cancel(sympy.together(expr))


def test_a_sum_named_before_still_varies_with_the_enclosing_index():
    outer = Sum(Sum(X[l], (l, 1, j)) * X[j], (j, 1, n))
    _clear()
    cold = normal_form.exp_rational_normal_form(outer)
    # the inner sum as it stands inside the outer one (its bound j held by the
    # name the outer sum gives it), named first on its own
    inner = Sum(X[l], (l, 1, Symbol("_summed_0", integer=True)))
    _clear()
    normal_form._name_sum(inner, normal_form._Namer())
    normal_form.exp_rational_normal_form(2 * inner)
    warm = normal_form.exp_rational_normal_form(outer)
    assert warm == cold
    # and so the prover does not take the inner sum for a constant of j
    wrong = Sum(X[j], (j, 1, n)) * Sum(X[l], (l, 1, m))
    assert not isinstance(prove_equal(outer, wrong, ProofContext(sympy.true, 10)), Proved)


def test_a_constant_inner_sum_comes_out_warm_as_cold():
    """sum_j (x_j - (1/N) sum_l x_l) = 0 for N >= 1: the inner sum is free of j."""
    N = Symbol("N", integer=True, positive=True)
    centred = Sum(X[j] - Sum(X[l], (l, 1, N)) / N, (j, 1, N))
    for value in (1, 2, 3, 5):  # the oracle: the sum written out
        assert sympy.simplify(centred.subs(N, value).doit()) == 0
    verdicts = []
    for warm_first in (False, True):
        _clear()
        if warm_first:
            normal_form.exp_rational_normal_form(Sum(X[l], (l, 1, N)) + 1)
            normal_form.exp_rational_normal_form(Sum(X[j] * G[j], (j, 1, N)))
        verdicts.append(prove_equal(centred, sympy.Integer(0), ProofContext(sympy.true, 10)))
    assert all(isinstance(v, Proved) for v in verdicts), verdicts


def _by_fresh_names(expr):
    taken = expr.atoms(Symbol)
    return sum_algebra._by_depth(sum_algebra._fresh(expr, sum_algebra._unused_names(taken)), 0)


INDEX_CASES = [
    Sum(X[j] * Sum(G[l] * X[l], (l, 1, j)), (j, 1, n)),
    Sum(Sum(X[j] * G[l], (l, 1, n)), (j, 1, n)) + Sum(X[k], (k, 1, n)),
    Sum(X[j], (j, 1, n)) * Sum(Sum(X[l] ** 2, (l, 1, j)), (j, 1, n)),
    Sum(X[j] * G[l], (l, 1, j), (j, 1, n)),
    Sum(X[j] * Sum(X[j], (j, 1, n)), (j, 1, n)),  # an inner sum shadows the outer index
    log(Sum(exp(X[m]), (m, 1, n))) - X[k],
]


@pytest.mark.parametrize("expr", INDEX_CASES, ids=range(len(INDEX_CASES)))
def test_canonical_indices_as_the_renaming_gives_them(expr):
    _clear()
    once = sum_algebra.canonical_indices(expr)
    assert sum_algebra._named_by_depth(once, 0)
    assert not sum_algebra._named_by_depth(expr, 0)
    # an expression already named by depth is left as the renaming would leave it
    assert sum_algebra.canonical_indices(once) == _by_fresh_names(once) == once
    # renamed apart, it still comes to the same names
    assert sum_algebra.canonical_indices(_by_fresh_names(expr)) == once


SQUARE = """
title = "power"
variable = "x"
[let]
u = '{body}'
[[steps]]
latex = '\\frac{{d u}}{{d x}}'
[[steps]]
latex = '2 x'
rule = ["definition", "power"]
"""


def test_memos_carry_no_verdict_from_one_derivation_to_the_next(monkeypatch):
    """The same lines under different definitions, one after the other in one
    process: u = x^2 has du/dx = 2x, u = x^3 does not (sympy.diff the oracle)."""
    monkeypatch.setattr(runner, "_IN_WORKER", True)  # proved here, memos shared
    x = Symbol("x", real=True)
    for body, written in (("x^2", x ** 2), ("x^3", x ** 3), ("x^2", x ** 2)):
        truth = sympy.simplify(sympy.diff(written, x) - 2 * x) == 0
        report = verify_derivation(loads(SQUARE.format(body=body)))
        step = report.steps[-1]
        assert isinstance(step.evidence, Proved if truth else Refuted), (body, step.evidence)
        assert step.justified is truth
