"""The softmax Jacobian for large n, against explicit differentiation and numbers."""

import pytest
import sympy

from symderive import jacobian
from symderive.evidence import Proved, Refuted


def test_the_entry_identity_holds_for_symbolic_n():
    assert isinstance(jacobian.entry_identity(), Proved)


@pytest.mark.parametrize("n", [2, 3, 8, 64])
def test_the_jacobian_is_proved_at_n(n):
    check = jacobian.check_softmax_jacobian(n)
    assert isinstance(check.verdict, Proved), check.parts


@pytest.mark.parametrize("n", [2, 3])
def test_the_naive_baseline_agrees(n):
    assert jacobian.naive_check(n)


def test_the_entry_identity_refutes_a_wrong_closed_form():
    """The same proof with S_k (delta_ik - S_i) in place of S_i (delta_ik - S_k) must fail."""
    n, i, j, k = sympy.symbols("n i j k", integer=True, positive=True)
    z = sympy.IndexedBase("z", real=True)
    softmax = sympy.exp(z[i]) / sympy.Sum(sympy.exp(z[j]), (j, 1, n))
    wrong = softmax * (sympy.KroneckerDelta(i, k) - softmax)  # S_i (delta - S_i)
    from symderive.prover import prove_equal

    assert isinstance(prove_equal(sympy.diff(softmax, z[k]), wrong), Refuted)


def test_the_numeric_check_sees_a_wrong_matrix(monkeypatch):
    """Numeric agreement never proves, but a disagreement must refute."""
    assert jacobian.numeric_refutation(8) is None
    monkeypatch.setattr(jacobian, "_STEP", 0.5)  # a step far too big
    assert isinstance(jacobian.numeric_refutation(8), Refuted)
