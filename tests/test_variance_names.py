"""A square the post defines is a name: ``\\sigma^2 = \\frac{1}{m}\\sum_i (x_i -
\\mu)^2`` is a variance, and ``\\sigma^2`` reads as that one quantity wherever
it is written (inside a root, in a derivative's denominator). Batch and layer
norm posts write it so.

Truths come from SymPy at an explicit batch of m = 3: each step's two sides,
differentiated by ``sympy.diff`` from the post's own definitions.
"""

from __future__ import annotations

import sympy

from symderive.latex.cursor import labels_in
from symderive.post.check import check_post

M = 3
X = sympy.symbols("x1:4", real=True)
MU, V, EPS = sympy.symbols("mu v epsilon", real=True)
VARIANCE = sum((x - MU) ** 2 for x in X) / M

DEFINED = ("$$\\sigma^2 = \\frac{1}{m}\\sum_{i=1}^{m} (x_i - \\mu)^2$$\n\n"
           "$$\\hat{x}_i = \\frac{x_i - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}$$\n\n")


def verdict(claim: str) -> str:
    text = DEFINED + f"$${claim}$$\n"
    (step,) = [s for s in check_post(text).claims() if s.line == 5]
    return step.verdict


def agrees(truth, written) -> bool:
    point = {X[0]: 1, X[1]: sympy.Rational(-2, 3), X[2]: 4, MU: sympy.Rational(1, 5), V: sympy.Rational(7, 3),
             EPS: sympy.Rational(1, 10)}
    return abs(sympy.N((truth - written).subs(point), 30)) < 1e-20


def test_the_derivative_of_a_defined_variance_in_the_mean():
    truth = sympy.diff(VARIANCE, MU)
    assert agrees(truth, sum(2 * (x - MU) * -1 for x in X) / M)
    derivative = "\\frac{\\partial \\sigma^2}{\\partial \\mu} = \\frac{1}{m}\\sum_{i=1}^{m} 2 (x_i - \\mu)"
    assert verdict(derivative + "(-1)") == "proved"
    assert not agrees(truth, sum(2 * (x - MU) for x in X) / M)
    assert verdict(derivative) == "refuted"


def test_a_derivative_in_the_variance_itself():
    # x_hat_1 as a function of the variance v: -(x_1 - mu)/2 (v + eps)^{-3/2}
    truth = sympy.diff((X[0] - MU) / sympy.sqrt(V + EPS), V)
    right = -sympy.Rational(1, 2) * (X[0] - MU) * (V + EPS) ** sympy.Rational(-3, 2)
    assert agrees(truth, right)
    assert verdict("\\frac{\\partial \\hat{x}_i}{\\partial \\sigma^2} = -\\frac{1}{2}(x_i - \\mu)"
                   "(\\sigma^2 + \\epsilon)^{-3/2}") == "proved"
    wrong = -sympy.Rational(1, 2) * (X[0] - MU) * (V + EPS) ** sympy.Rational(-3, 4)  # (sqrt(v + eps))^{-1.5}
    assert not agrees(truth, wrong)
    assert verdict("\\frac{\\partial \\hat{x}_i}{\\partial \\sigma^2} = -\\frac{1}{2}(x_i - \\mu)"
                   "(\\sqrt{\\sigma^2 + \\epsilon})^{-3/2}") == "refuted"


def test_the_partial_in_the_mean_holds_the_variance_as_backpropagation_does():
    # x_hat_1 as a function of (x_1, mu, v): d/dmu = -1/sqrt(v + eps); the total derivative, with the
    # variance varying with mu, differs, so the true graph partial is never refuted
    local = sympy.diff((X[0] - MU) / sympy.sqrt(V + EPS), MU)
    assert agrees(local, -1 / sympy.sqrt(V + EPS))
    partial = "\\frac{\\partial \\hat{x}_i}{\\partial \\mu} = "
    assert verdict(partial + "\\frac{-1}{\\sqrt{\\sigma^2 + \\epsilon}}") != "refuted"
    assert not agrees(local, 1 / sympy.sqrt(V + EPS))
    assert verdict(partial + "\\frac{1}{\\sqrt{\\sigma^2 + \\epsilon}}") == "refuted"


def test_a_square_is_a_name_only_when_the_post_defines_it_and_never_applies_the_letter():
    assert labels_in(["\\sigma^2 = \\frac{1}{m}\\sum_{i=1}^{m} (x_i - \\mu)^2"])[0] == {"sigma^2"}
    assert labels_in(["a &= 1 \\\\ \\sigma^{2} &= 3"])[0] == {"sigma^2"}
    assert labels_in(["\\sigma^2 = 3", "\\sigma(x) = \\frac{1}{1+e^{-x}}"])[0] == frozenset()  # sigma applied
    assert labels_in(["y = \\sigma^2 + 1"])[0] == frozenset()  # a square inside an expression
    assert labels_in(["x^2 = 4"])[0] == frozenset()  # a Latin letter: a power
