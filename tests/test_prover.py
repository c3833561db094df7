"""prove_equal against independent oracles: sympy.diff and evaluation."""

import sympy
import pytest
from sympy import Max, Piecewise, Rational, exp, tanh, sinh, cosh

from oracles import numerically_equal, oracle_equal
from symderive.evidence import Proved, Refuted, Unknown
from symderive.prover import ProofContext, prove_equal

x = sympy.Symbol("x", real=True)
i, j, k, n = sympy.symbols("i j k n", integer=True, positive=True)
z = sympy.IndexedBase("z", real=True)
SIGMOID = 1 / (1 + exp(-x))
TOTAL = sympy.Sum(exp(z[j]), (j, 1, n))


def S(m):
    return exp(z[m]) / TOTAL


EQUAL = {
    "sigmoid-derivative": (sympy.diff(SIGMOID, x), SIGMOID * (1 - SIGMOID)),
    "tanh-derivative": (sympy.diff(tanh(x), x), 1 - tanh(x) ** 2),
    "cosh2-sinh2": (cosh(x) ** 2 - sinh(x) ** 2, sympy.Integer(1)),
    "half-exponent": (exp(x / 2) ** 2, exp(x)),
    "tanh-exp": (tanh(x), (exp(x) - exp(-x)) / (exp(x) + exp(-x))),
    "relu-derivative": (sympy.diff(Max(0, x).rewrite(Piecewise), x), Piecewise((1, x > 0), (0, True))),
    "softmax-diagonal": (sympy.diff(S(i), z[k]).subs(i, k), S(k) * (1 - S(k))),
}


@pytest.mark.parametrize("a, b", EQUAL.values(), ids=EQUAL.keys())
def test_proves_true_identities(a, b):
    verdict = prove_equal(a, b)
    assert isinstance(verdict, Proved), verdict
    assert oracle_equal(a, b)


WRONG = {
    "sigmoid-sign": (sympy.diff(SIGMOID, x), -SIGMOID * (1 - SIGMOID)),
    "tanh-plus": (sympy.diff(tanh(x), x), 1 + tanh(x) ** 2),
    "exponent": (exp(2 * x), exp(3 * x)),
    "relu-left": (sympy.diff(Max(0, x).rewrite(Piecewise), x), Piecewise((1, x > 0), (1, True))),
    "softmax-offdiag-sign": (sympy.diff(S(i), z[k]).subs(i, k), S(k) * (1 + S(k))),
}


@pytest.mark.parametrize("a, b", WRONG.values(), ids=WRONG.keys())
def test_refutes_with_a_checkable_counterexample(a, b):
    verdict = prove_equal(a, b)
    assert isinstance(verdict, Refuted), verdict
    assert verdict.point, "a counterexample names its point"
    assert verdict.lhs_value != verdict.rhs_value
    assert not numerically_equal(a, b)


def test_sigmoid_counterexample_is_at_zero():
    verdict = prove_equal(sympy.diff(SIGMOID, x), -sympy.diff(SIGMOID, x))
    assert verdict == Refuted(point=(("x", "0"),), lhs_value="1/4", rhs_value="-1/4")


def test_region_restricts_the_claim():
    assert isinstance(prove_equal(Max(0, x), x, ProofContext(x > 0)), Proved)
    refuted = prove_equal(Max(0, x), x, ProofContext(x < 0))
    assert isinstance(refuted, Refuted)
    assert Rational(dict(refuted.point)["x"]) < 0


def test_kronecker_cases_for_symbolic_length():
    d = sympy.diff(S(i), z[k])
    assert isinstance(prove_equal(d, -S(i) * S(k), ProofContext(sympy.Ne(i, k))), Proved)
    assert isinstance(prove_equal(d, S(i) * S(k), ProofContext(sympy.Ne(i, k))), Refuted)


def test_agreement_at_every_sample_point_never_proves():
    # zero at every point the sampler tries, but not identically zero
    from symderive import sampling

    product = sympy.Integer(1)
    for p in sampling.REAL_POINTS:
        product *= x - p
    for kink in (Rational(1, 7), Rational(-1, 7)):
        product *= x - kink
    verdict = prove_equal(product + 1, sympy.Integer(1), ProofContext(timeout=2))
    assert not isinstance(verdict, Proved)


def test_timeout_gives_unknown():
    hard = (exp(x) + exp(-x)) ** 60 - sympy.expand((exp(x) + exp(-x)) ** 60) + sympy.sin(x) ** 2 + sympy.cos(x) ** 2
    verdict = prove_equal(hard, sympy.Integer(1) + sympy.sqrt(2) * 0, ProofContext(timeout=0.01))
    # either the exact normal form proves it quickly, or the limit makes it unknown; never a hang
    assert isinstance(verdict, (Proved, Unknown))


def test_cases_that_miss_a_region_are_refuted_there():
    """A piecewise result with no case for 0 < x <= 2 is not the derivative of max(0, x)."""
    x = sympy.Symbol("x", real=True)
    partial = sympy.Piecewise((1, x > 2), (0, x <= 0))
    derivative = sympy.diff(sympy.Max(0, x).rewrite(sympy.Piecewise), x)
    verdict = prove_equal(partial, derivative)
    assert isinstance(verdict, Refuted)
    value = sympy.Rational(dict(verdict.point)["x"])
    assert 0 < value <= 2 and verdict.lhs_value == "undefined" and verdict.rhs_value == "1"
    total = sympy.Piecewise((1, x > 0), (0, True))
    assert isinstance(prove_equal(total, derivative), Proved)
