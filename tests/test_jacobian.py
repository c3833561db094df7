"""The softmax Jacobian for large n, against explicit differentiation and numbers."""

import pytest
import sympy

from symderive import jacobian
from symderive.evidence import Proved, Refuted
from symderive.prover import ProofContext, prove_equal
from symderive.settings import DEFAULT_TIMEOUT


def test_the_entry_identity_holds_for_symbolic_n():
    assert isinstance(jacobian.entry_identity(), Proved)


WRONG_ENTRIES = [
    lambda s_i, s_k, delta: s_i * (delta - s_i),  # S_i (delta - S_i)
    lambda s_i, s_k, delta: -s_i * s_k,  # the delta term dropped
    lambda s_i, s_k, delta: s_i * (delta + s_k),
    lambda s_i, s_k, delta: s_i * delta - s_k,
    lambda s_i, s_k, delta: s_i * (1 - s_k),  # delta_ik taken as 1 everywhere
]


def identity_by_sum(claimed):
    """The entry identity by SymPy's derivative of Sum_{j=1}^{n} e^{z_j}
    with respect to z_k (a Sum of KroneckerDelta(j, k) e^{z_j}): the
    independent route the exact case proof is checked against."""
    n, i, j, k = sympy.symbols("n i j k", integer=True, positive=True)
    z = sympy.IndexedBase("z", real=True)
    softmax = sympy.exp(z[i]) / sympy.Sum(sympy.exp(z[j]), (j, 1, n))
    closed = claimed(softmax, softmax.xreplace({i: k}), sympy.KroneckerDelta(i, k))
    return prove_equal(sympy.diff(softmax, z[k]), closed, ProofContext(sympy.true, DEFAULT_TIMEOUT))


def softmax_jacobian(n):
    """For concrete n: the Jacobian of softmax by sympy.diff, and diag(S) - S S^T."""
    z = sympy.symbols(f"z1:{n + 1}", real=True)
    total = sum(sympy.exp(v) for v in z)
    s = sympy.Matrix([sympy.exp(v) / total for v in z])
    return s.jacobian(sympy.Matrix(z)), sympy.diag(*s) - s * s.T


@pytest.mark.parametrize("prove", [jacobian.identity_by_cases, identity_by_sum])
def test_both_proofs_of_the_entry_identity_agree(prove):
    """The exact case proof the checker uses, and SymPy's derivative of the
    Sum (an independent route): both prove the identity, both refute the
    wrong ones with a point."""
    assert isinstance(prove(jacobian._claimed_entry), Proved)
    # S_k (delta - S_i) is the same matrix (S_i = S_k where delta = 1): proved too
    assert isinstance(prove(lambda s_i, s_k, delta: s_k * (delta - s_i)), Proved)
    for wrong in WRONG_ENTRIES:
        verdict = prove(wrong)
        assert isinstance(verdict, Refuted) and verdict.point and verdict.lhs_value != verdict.rhs_value


@pytest.mark.parametrize("n", [2, 3, 8, 64])
def test_the_jacobian_is_proved_at_n(n):
    check = jacobian.check_softmax_jacobian(n)
    assert isinstance(check.verdict, Proved), check.parts


@pytest.mark.parametrize("n", [2, 3, 4])
def test_the_explicit_jacobian_agrees_with_sympy_diff(n):
    """The explicit check the engine runs (entries differentiated as rational
    functions of the e^{z_j}) accepts diag(S) - S S^T, which sympy.diff of
    the exp expressions confirms, and rejects every wrong entry formula,
    each of which sympy.diff shows wrong at a point."""
    by_diff, closed = softmax_jacobian(n)
    assert (by_diff - closed).applyfunc(sympy.simplify) == sympy.zeros(n, n)
    assert jacobian.explicit_jacobian(n)
    z = sympy.symbols(f"z1:{n + 1}", real=True)
    s = [sympy.exp(v) / sum(sympy.exp(w) for w in z) for v in z]
    point = {v: sympy.Rational(m, 3) for m, v in enumerate(z, 1)}
    for wrong in WRONG_ENTRIES:
        assert not jacobian.explicit_jacobian(n, wrong)
        gaps = [abs((by_diff[i, k] - wrong(s[i], s[k], 1 if i == k else 0)).subs(point).evalf())
                for i in range(n) for k in range(n)]
        assert max(gaps) > 1e-6


def test_the_numeric_check_sees_a_wrong_matrix(monkeypatch):
    """Numeric agreement never proves, but a disagreement must refute."""
    assert jacobian.numeric_refutation(8) is None
    monkeypatch.setattr(jacobian, "_STEP", 0.5)  # a step far too big
    assert isinstance(jacobian.numeric_refutation(8), Refuted)
