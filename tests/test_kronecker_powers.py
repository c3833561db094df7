"""Two deltas on one summed index, and u^(a+n) against u^a u^n: truth from SymPy at explicit sizes / mpmath."""
import mpmath
import pytest
import sympy
from sympy import IndexedBase, KroneckerDelta as D, Sum, Symbol, exp

from symderive.api import derived
from symderive.evidence import Proved
from symderive.prover import ProofContext, prove_equal

n = Symbol("n", integer=True, positive=True)
c, j, k = (Symbol(s, integer=True, positive=True) for s in "cjk")
z = IndexedBase("z", real=True)
gamma, x, y = Symbol("gamma", positive=True), Symbol("x", real=True), Symbol("y", real=True)
u = -(1 - 1 / (1 + exp(-x))) * (1 - y) + 1 - y / (1 + exp(-x))  # focal's 1 - p_t
KRONECKER = {  # (lhs, rhs, true?)
    "two-deltas": (Sum(D(c, j) * D(j, k) * z[j], (j, 1, n)), D(c, k) * z[k], True),
    "two-deltas-at-c": (Sum(D(c, j) * D(j, k) * z[j], (j, 1, n)), D(c, k) * z[c], True),
    "two-deltas-dropped": (Sum(D(c, j) * D(j, k) * z[j], (j, 1, n)), z[k], False),
    "two-deltas-from-2": (Sum(D(c, j) * D(j, k) * z[j], (j, 2, n)), D(c, k) * z[k], False),
}
POWERS = {
    "shifted-exponent": (gamma * u**gamma / u, gamma * u ** (gamma - 1), True),
    "times-instead-of-over": (u**gamma * u, u ** (gamma - 1), False),
    "over-the-square": (u**gamma / u**2, u ** (gamma - 1), False),
    "plus-one": (u**gamma / u, u ** (gamma + 1), False),
}


def _kronecker_truth(lhs, rhs):
    for size in (1, 2, 3):
        values = {z[m]: sympy.Rational(3 * m * m - 7, 5) for m in range(1, size + 1)}
        for cv in range(1, size + 1):
            for kv in range(1, size + 1):
                sides = [s.xreplace({n: size}).doit().xreplace({c: cv, k: kv}).xreplace(values) for s in (lhs, rhs)]
                if sides[0] != sides[1]:
                    return False
    return True


def _power_truth(lhs, rhs):
    mpmath.mp.dps = 40
    for gv, xv, yv in [(0.5, 1, 0.3), (2.5, -2, 1), (1.7, 0.4, 0), (0.25, 3, 0.9)]:
        point = {gamma: sympy.Rational(str(gv)), x: sympy.Rational(str(xv)), y: sympy.Rational(str(yv))}
        if abs(sympy.N((lhs - rhs).xreplace(point), 40)) > 1e-30:
            return False
    return True


@pytest.mark.parametrize("name", KRONECKER)
def test_two_deltas_on_one_summed_index(name):
    lhs, rhs, truth = KRONECKER[name]
    assert _kronecker_truth(lhs, rhs) is truth
    assert isinstance(prove_equal(lhs, rhs, ProofContext(sympy.true, 5)), Proved) is truth


@pytest.mark.parametrize("name", POWERS)
def test_a_power_whose_exponent_differs_by_an_integer(name):
    lhs, rhs, truth = POWERS[name]
    assert _power_truth(lhs, rhs) is truth
    assert isinstance(prove_equal(lhs, rhs, ProofContext(sympy.true, 5)), Proved) is truth


@pytest.mark.parametrize("name", ["focal", "nll_log_softmax"])
def test_focal_and_nll_derive_verified(name):
    assert derived(name)[1].status == "verified"
