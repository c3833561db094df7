"""Sums a post states of its data, and counterexamples that keep them.

A one-hot target sums to 1. Posts say so in math (``\\sum_i y_i = 1``), in
prose ("$\\sum y_i$ is equal to 1", "$\\mathbf{y}$ is a one-hot vector"),
or leave it to the cross-entropy. A step true only under the sum is proved
under it, and a step refuted must be refuted at values that keep the sum:
a counterexample that breaks it says nothing about the post.

The oracle is SymPy at n = 3 with y_3 = 1 - y_1 - y_2 (every y that keeps the
sum), and the reported counterexample is replayed by hand.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.post.check import check_post

p1, p2, p3, y1, y2 = sympy.symbols("p1 p2 p3 y1 y2", real=True)
Y = (y1, y2, 1 - y1 - y2)  # every target of length 3 that sums to 1
P = (p1, p2, p3)

CLAIM = "$$p_i (y_1 + y_2 + \\dots + y_n) - y_i = p_i - y_i$$"


def claims(text: str) -> list:
    return check_post(text).claims()


def only_verdict(text: str) -> str:
    found = claims(text)
    assert len(found) == 1
    return found[0].verdict


def test_the_oracle_the_claim_holds_exactly_under_the_sum():
    i = 0
    assert sympy.simplify(P[i] * sum(Y) - Y[i] - (P[i] - Y[i])) == 0
    free = (y1, y2, sympy.Symbol("y3"))
    assert sympy.simplify(P[i] * sum(free) - free[i] - (P[i] - free[i])) != 0


@pytest.mark.parametrize("words", [
    "Remember that $\\sum y_i$ is equal to 1.",
    "Remember that the summation of $\\sum y_i$ is equal to $1$ because y is a label.",
    "Here $\\sum_i y_i$ sums to one, so",
    "Here $\\sum_{i=1}^n y_i$ equals 1.",
    "Here $\\sum_i y_i$ is 1, so",
    "Remember that $\\mathbf{y}$ is a one-hot encoded vector.",
    "Take the one-hot label $y$ and the prediction.",
])
def test_a_sum_stated_in_prose_is_in_force(words):
    assert only_verdict(f"{words}\n\n{CLAIM}\n") == "proved"


@pytest.mark.parametrize("words", [
    "Remember that $\\sum y_i$ is not equal to 1.",
    "Remember that $\\sum y_i$ is equal to 1/2.",
    "Remember that $\\sum y_i$ is equal to 1 + x here.",
    "Remember that $\\sum y_i$ is equal to $1.5$ here.",
    "Remember that $\\sum y_i$ is at most 1.",
    "Remember that $\\mathbf{y}$ is a vector.",
    "Remember that $\\mathbf{y}$ is not one-hot.",
])
def test_words_that_state_no_sum_of_1_leave_the_claim_refuted(words):
    assert only_verdict(f"{words}\n\n{CLAIM}\n") == "refuted"


def test_a_sum_stated_as_2_refutes_the_claim_true_only_for_1():
    p, y = sympy.symbols("p y")
    assert sympy.simplify(p * 2 - y - (p - y)) != 0
    assert only_verdict(f"Here $\\sum y_i$ is equal to 2.\n\n{CLAIM}\n") == "refuted"


TRUE_UNDER_THE_SUM = [
    ("\\sum_{k=2}^{n} y_k = 1 - y_1", Y[1] + Y[2], 1 - Y[0]),
    ("\\sum_{k \\neq i} y_k = 1 - y_i", Y[1] + Y[2], 1 - Y[0]),  # i = 1
    ("y_1 = 1 - \\sum_{k=2}^{n} y_k", Y[0], 1 - Y[1] - Y[2]),
]


@pytest.mark.parametrize("claim, left, right", TRUE_UNDER_THE_SUM)
def test_a_step_true_under_the_sum_is_never_refuted(claim, left, right):
    assert sympy.simplify(left - right) == 0  # the oracle: true for every y that keeps the sum
    assert only_verdict(f"Here $\\sum_{{i=1}}^n y_i = 1$.\n\n$${claim}$$\n") in ("proved", "unknown")


WRONG_UNDER_THE_SUM = [
    ("\\sum_{k=2}^{n} y_k = 1 + y_1", lambda y: sum(y[1:]), lambda y: 1 + y[0]),
    ("p_i y_1 + p_i y_2 + \\dots + p_i + \\dots + p_i y_n - y_i = p_i (y_1 + y_2 + \\dots + y_n) - y_i",
     None, None),
    ("y_1 + y_2 = 1", lambda y: y[0] + y[1], lambda y: 1),
]


@pytest.mark.parametrize("claim, left, right", WRONG_UNDER_THE_SUM)
def test_a_wrong_step_is_refuted_at_values_that_keep_the_sum(claim, left, right):
    if left is not None:
        assert sympy.simplify(left(Y) - right(Y)) != 0  # the oracle: wrong for some y that keeps the sum
    found = claims(f"Here $\\sum_{{i=1}}^n y_i = 1$.\n\n$${claim}$$\n")
    assert len(found) == 1 and found[0].verdict == "refuted"
    point = dict(found[0].evidence.point)
    n = int(point["n"])
    entries = [sympy.Rational(point[f"y_{k}"]) for k in range(1, n + 1)]
    assert sum(entries) == 1
    if left is not None:
        assert left(entries) == sympy.Rational(found[0].evidence.lhs_value)
        assert right(entries) == sympy.Rational(found[0].evidence.rhs_value)


def test_the_sign_slip_of_a_softmax_cross_entropy_post_is_replayed_at_a_one_hot_sum():
    # p_i y_1 + ... + p_i + ... + p_i y_n - y_i against p_i sum y - y_i: they differ by p_i (1 - y_i)
    found = claims(f"Here $\\sum_{{i=1}}^n y_i = 1$.\n\n"
                   "$$p_iy_1 + p_iy_2 + \\dots + p_i + \\dots + p_i y_n - y_i = p_i (y_1 + y_2 + \\dots + y_n) -y_i$$\n")
    evidence = found[0].evidence
    point = {k: sympy.Rational(v) for k, v in evidence.point}
    i, n = int(point["i"]), int(point["n"])
    y = [point[f"y_{k}"] for k in range(1, n + 1)]
    p = [point[f"p_{k}"] for k in range(1, n + 1)]
    assert sum(y) == 1
    left = sum(p[i - 1] * y[k] for k in range(n) if k != i - 1) + p[i - 1] - y[i - 1]
    right = p[i - 1] * sum(y) - y[i - 1]
    assert left == sympy.Rational(evidence.lhs_value) and right == sympy.Rational(evidence.rhs_value)
    assert left != right
