"""sigma in a post about softmax, applied to entries and never defined, may be
the logistic function (entrywise) or the softmax. A step is proved when it
holds under both readings, refuted when it fails under both, and unknown
when the readings disagree: the verdict never depends on a guess.

The oracle is SymPy at n = 3: the logistic function and the softmax written
out, differentiated with ``sympy.diff``.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.post.check import check_post

z = sympy.symbols("z1:4", real=True)
y = sympy.symbols("y1:4", real=True)
LOGISTIC = [1 / (1 + sympy.exp(-t)) for t in z]
SOFTMAX = [sympy.exp(t) / sum(sympy.exp(u) for u in z) for t in z]
POINT = {z[0]: sympy.Rational(1, 3), z[1]: -2, z[2]: sympy.Rational(1, 2), y[0]: sympy.Rational(1, 5)}

INTRO = "We differentiate the softmax $\\sigma(z_i)$ of the logits.\n\n"


def verdict(display: str) -> str:
    found = check_post(INTRO + f"$${display}$$\n").claims()
    assert len(found) == 1
    return found[0].verdict


def holds(reading, left, right) -> bool:
    return sympy.simplify(left(reading) - right(reading)) == 0


def differs(reading, left, right) -> bool:
    return sympy.N((left(reading) - right(reading)).subs(POINT)) != 0


CASES = [
    # (display, left, right) with i = 1 and, for off-diagonal claims, j = 2
    ("\\frac{\\partial \\log \\sigma(z_i)}{\\partial z_i} = 1 - \\sigma(z_i)",
     lambda s: sympy.diff(sympy.log(s[0]), z[0]), lambda s: 1 - s[0]),
    ("\\frac{\\partial \\sigma(z_i)}{\\partial z_i} = \\sigma(z_i)(1 - \\sigma(z_i))",
     lambda s: sympy.diff(s[0], z[0]), lambda s: s[0] * (1 - s[0])),
    ("-y_i(1 - \\sigma(z_i)) = \\sigma(z_i) - y_i",
     lambda s: -y[0] * (1 - s[0]), lambda s: s[0] - y[0]),
    ("\\frac{\\partial \\sigma(z_i)}{\\partial z_i} = \\sigma(z_i)^2",
     lambda s: sympy.diff(s[0], z[0]), lambda s: s[0] ** 2),
]


@pytest.mark.parametrize("display, left, right", CASES)
def test_a_step_decided_the_same_under_both_readings(display, left, right):
    both_hold = holds(LOGISTIC, left, right) and holds(SOFTMAX, left, right)
    both_fail = differs(LOGISTIC, left, right) and differs(SOFTMAX, left, right)
    assert both_hold or both_fail  # the oracle decides each case the same way under both readings
    assert verdict(display) == ("proved" if both_hold else "refuted")


def test_a_step_the_readings_disagree_on_is_unknown():
    display = "\\frac{\\partial \\sigma(z_i)}{\\partial z_j} = -\\sigma(z_i)\\sigma(z_j)"
    left, right = (lambda s: sympy.diff(s[0], z[1])), (lambda s: -s[0] * s[1])
    assert holds(SOFTMAX, left, right) and differs(LOGISTIC, left, right)
    post = INTRO + "When $i \\neq j$,\n\n$$" + display + "$$\n"
    found = check_post(post).claims()
    assert [s.verdict for s in found] == ["unknown"]
    assert "logistic function or the softmax" in found[0].evidence.reason


def test_a_proof_for_any_entrywise_function_is_not_a_proof_for_the_softmax():
    # sigma left a function of its own entry has no derivative in another entry: true entrywise only
    left, right = (lambda s: sympy.diff(sympy.log(s[0]), z[1])), (lambda s: 0)
    assert holds(LOGISTIC, left, right) and differs(SOFTMAX, left, right)
    post = INTRO + "When $i \\neq j$,\n\n$$\\frac{\\partial \\log \\sigma(z_i)}{\\partial z_j} = 0$$\n"
    assert [s.verdict for s in check_post(post).claims()] == ["unknown"]


def test_sigma_the_post_defines_is_read_as_defined():
    post = "We use $\\sigma(x) = \\frac{1}{1+e^{-x}}$, not the softmax.\n\n$$\\sigma'(x) = \\sigma(x)^2$$\n"
    found = check_post(post).claims()
    assert found[-1].verdict == "refuted"
