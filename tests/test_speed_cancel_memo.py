"""The speed-ups of the prover's preparation and normal forms compute what
the code they replace computes:

- ``ring_cancel.cancelled`` of together's one fraction is the tree
  ``sympy.cancel`` gives (SymPy's own function the oracle), and equal to the
  input at random points where both are defined (an independent oracle);
- the memoised preparation of a claim (``prover._prepared``), plain
  indices and the memoised Kronecker collapse give what a fresh computation
  gives, and the verdicts of claims that reuse them are those sympy.diff
  and explicit evaluation give: proved when true, refuted when a term is
  changed.
"""

import random

import pytest
import sympy
from sympy import Abs, IndexedBase, KroneckerDelta, Piecewise, Sum, exp, log, sqrt, symbols

from symderive import kronecker, normal_form, prover
from symderive.evidence import Proved, Refuted
from symderive.prover import ProofContext, prove_equal
from symderive.ring_cancel import cancelled

x, y, z = symbols("x y z", real=True)
a, b = symbols("a b")
j, k, n = symbols("j k n", integer=True, positive=True)
X = IndexedBase("x", real=True)

FRACTIONS = [
    (x**2 - 1) / (x - 1),
    (2 * x + 2) / (4 * x**2 - 4),
    -(1 - x) / (x - 1) ** 2,
    (x * y - y) / (x**2 * y - y),
    exp(x) / (1 + exp(x)) - 1 / (1 + exp(-x)),
    (sqrt(2) * x + sqrt(2)) / (x + 1),
    (a * b + a) / (b**2 - 1),
    sympy.Rational(3, 4),
    sympy.Integer(0),
    x / 3 + y / 6,
    sympy.pi * x / (2 * x),
    (log(x) ** 2 - 1) / (log(x) + 1),
    Abs(x) * (x - 1) / (x**2 - x),
    (x - y) ** 3 / (y - x),
    1 / (1 / x + 1 / y),
]


def _random_rational(rng: random.Random):
    terms = [rng.randint(-3, 3) * x ** rng.randint(0, 3) * y ** rng.randint(0, 2) for _ in range(4)]
    common = x - rng.randint(-2, 2) * y
    return sympy.Add(*terms) * common / (sympy.Add(*terms[:2], 1) * common)


@pytest.mark.parametrize("fraction", FRACTIONS, ids=[str(i) for i in range(len(FRACTIONS))])
def test_cancelled_is_sympy_cancel(fraction):
    joined = normal_form.together(fraction)
    assert cancelled(joined) == sympy.cancel(joined)


@pytest.mark.parametrize("seed", range(30))
def test_cancelled_random_rationals_agree_with_sympy_and_values(seed):
    rng = random.Random(seed)
    fraction = normal_form.together(_random_rational(rng))
    result = cancelled(fraction)
    assert result == sympy.cancel(fraction)
    for _ in range(3):
        point = {x: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)),
                 y: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5))}
        before, after = fraction.subs(point), result.subs(point)
        if before.is_finite and after.is_finite:
            assert sympy.simplify(before - after) == 0


def test_cases_and_non_expressions_go_to_sympy_cancel():
    cases = Piecewise(((x**2 - 1) / (x - 1), x > 0), (0, True))
    assert cancelled(cases) == sympy.cancel(cases)
    assert cancelled(sympy.true) == sympy.true


def test_one_fraction_tells_apart_what_differs():
    assert normal_form.one_fraction((x**2 - 1) / (x - 1) - (x + 1)) == 0
    assert normal_form.one_fraction((x**2 - 1) / (x - 1) - (x + 2)) != 0


def test_prepared_memo_gives_a_fresh_preparation():
    sides = (Sum(KroneckerDelta(j, k) * X[j], (j, 1, n)), X[k])
    condition = sympy.true
    fresh = prover._prepare(*sides, condition, ())
    prover._prepared.cache_clear()
    assert prover._prepared(*sides, condition, ()) == fresh
    assert prover._prepared(*sides, condition, ()) == fresh  # from the memo
    assert fresh[0] == X[k]


def test_collapse_memo_and_unhashable_input():
    expr = Sum(KroneckerDelta(j, k) * X[j] ** 2, (j, 2, n))
    once = kronecker.collapse_kronecker_sums(expr)
    assert kronecker.collapse_kronecker_sums(expr) == once
    assert once.has(Piecewise)  # k = 1 lies outside 2..n
    matrix = sympy.Matrix([[expr]])  # mutable, unhashable: no memo, and left as it is (no Basic)
    assert kronecker.collapse_kronecker_sums(matrix) is matrix
    assert kronecker.vector_range(sympy.Tuple(expr), {k: n}) == kronecker.vector_range(sympy.Tuple(expr), ((k, n),))


@pytest.mark.parametrize("wrong", [False, True])
def test_verdicts_through_the_memos(wrong):
    """d/dx of x^2/(x+1) against sympy.diff (true) and a changed term (refuted),
    each asked twice: the second answer comes through the memos."""
    f = x**2 / (x + 1)
    claimed = sympy.diff(f, x) + (1 / (x + 1) if wrong else 0)
    claimed = sympy.together(claimed)
    for _ in range(2):
        verdict = prove_equal(claimed, sympy.diff(f, x), ProofContext())
        assert isinstance(verdict, Refuted if wrong else Proved)


@pytest.mark.parametrize("wrong", [False, True])
def test_kronecker_sum_verdicts_through_the_memos(wrong):
    """d/dx_k sum_j x_j^2 = 2 x_k (and not 3 x_k), asked twice."""
    total = Sum(X[j] ** 2, (j, 1, n))
    left = Sum(2 * X[j] * KroneckerDelta(j, k), (j, 1, n))
    right = (3 if wrong else 2) * X[k]
    assert sympy.diff(total, X[k]).has(KroneckerDelta)  # the oracle's form: a delta sum
    for _ in range(2):
        verdict = prove_equal(left, right, ProofContext())
        assert isinstance(verdict, Refuted if wrong else Proved)
