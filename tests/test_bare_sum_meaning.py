"""A bare ``\\sum`` the post never defines is the one sum its definitions write.

``\\frac{e^{a_i} \\times \\sum - e^{a_i} e^{a_j}}{\\sum^2}`` beside
``S_i = e^{a_i}/\\sum_k e^{a_k}``: a reader takes the bare sign for the
softmax's denominator, the only sum there is. With two different sums, or
one that depends on a free index, there is no one sum to take, and a claim
through the bare sign is never refuted.

The oracle is SymPy's derivative of the softmax written out at n = 3.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.post.check import check_post

a = sympy.symbols("a1:4", real=True)
TOTAL = sum(sympy.exp(t) for t in a)
S = [sympy.exp(t) / TOTAL for t in a]

DEFINITION = "$$ S_i = \\frac{e^{a_{i}}}{\\sum_{k}{e^{a_{k}}}}$$\n\n"


def verdicts(text: str) -> list[str]:
    return [s.verdict for s in check_post(text).claims()]


def test_the_oracle():
    i, j = 0, 1
    diagonal = sympy.diff(S[i], a[i])
    assert sympy.simplify(diagonal - (sympy.exp(a[i]) * TOTAL - sympy.exp(a[i]) ** 2) / TOTAL ** 2) == 0
    off = sympy.diff(S[i], a[j])
    assert sympy.simplify(off - (0 * TOTAL - sympy.exp(a[i]) * sympy.exp(a[j])) / TOTAL ** 2) == 0
    assert sympy.simplify(off - (0 * TOTAL - sympy.exp(a[i]) * sympy.exp(a[i])) / TOTAL ** 2) != 0


def test_the_bare_sum_is_the_only_sum_and_the_true_steps_are_proved():
    post = (DEFINITION + "When $i = j$\n\n$$\\frac{\\partial S_i}{\\partial a_i} = "
            "\\frac{e^{a_i}\\times \\sum - e^{a_i}\\times e^{a_i}}{\\sum^2} = S_i(1-S_i)$$\n")
    assert verdicts(post) == ["proved", "proved"]


@pytest.mark.parametrize("wrong", [
    "\\frac{0 \\times \\sum - e^{a_i} \\times e^{a_i}}{\\sum^2}",   # i where j is meant
    "\\frac{0 \\times \\sum + e^{a_i} \\times e^{a_j}}{\\sum^2}",   # a sign lost
    "\\frac{0 \\times \\sum - e^{a_i} \\times e^{a_j}}{\\sum}",     # the square dropped
])
def test_a_wrong_step_through_the_bare_sum_is_refuted(wrong):
    post = (DEFINITION + "When $i \\neq j$\n\n$$\\frac{\\partial S_i}{\\partial a_j} = " + wrong + "$$\n")
    assert verdicts(post) == ["refuted"]
    right = (DEFINITION + "When $i \\neq j$\n\n$$\\frac{\\partial S_i}{\\partial a_j} = "
             "\\frac{0 \\times \\sum - e^{a_i} \\times e^{a_j}}{\\sum^2}$$\n")
    assert verdicts(right) == ["proved"]


def test_with_two_sums_the_bare_sign_names_neither():
    post = ("$$ S_i = \\frac{e^{a_{i}}}{\\sum_{k}{e^{a_{k}}}}$$\n\n$$ T = \\sum_{k} a_k^2$$\n\n"
            "When $i \\neq j$\n\n$$\\frac{\\partial S_i}{\\partial a_j} = "
            "\\frac{0 \\times \\sum - e^{a_i} \\times e^{a_i}}{\\sum^2}$$\n")
    assert "refuted" not in verdicts(post)


def test_a_sum_over_a_free_index_is_not_the_sum():
    post = ("$$ z_i = \\sum_{k} w_{ik} x_k$$\n\n$$\\frac{\\partial z_i}{\\partial x_j} = \\sum + 1$$\n")
    assert "refuted" not in verdicts(post)
