"""A name the prose says is the standard normal's CDF or density is that
function (post/normal_names.py): GELU's x Phi(x) is differentiated through
it. The oracle is sympy.stats' standard normal (its cdf and density),
differentiated by sympy.diff; a name whose sentence gives the distribution a
mean or a variance stays undefined (unknown).
"""

import pytest
import sympy
from sympy.stats import Normal, cdf, density

from post_steps import steps_at

X = sympy.Symbol("x", real=True)
_N = Normal("N", 0, 1)
PHI = cdf(_N)(X)
DENSITY = density(_N)(X)

PROSE = ("GELU is $x\\Phi(x)$, where $\\Phi(\\cdot)$ denotes the cumulative distribution function (CDF) "
         "of the standard normal distribution, and $\\varphi(x)$ stands for the probability density function "
         "of the normal distribution.\n\n")


@pytest.mark.parametrize("right, right_expr", [
    (r"\Phi(x) + x \varphi(x)", PHI + X * DENSITY),
    (r"\Phi(x) - x \varphi(x)", PHI - X * DENSITY),
    (r"\Phi(x) + \varphi(x)", PHI + DENSITY),
])
def test_gelu_through_the_named_cdf(right, right_expr):
    truth = sympy.simplify(sympy.diff(X * PHI, X) - right_expr) == 0
    step = steps_at(PROSE + f"$$\\frac{{d}}{{dx}}\\left[x\\Phi(x)\\right] = {right}$$\n", 3)[-1]
    assert step.verdict.value == ("proved" if truth else "refuted"), step.evidence


def test_the_named_density_is_the_cdf_derivative():
    assert sympy.simplify(sympy.diff(PHI, X) - DENSITY) == 0
    step = steps_at(PROSE + "$$\\frac{d}{dx}\\Phi(x) = \\varphi(x)$$\n", 3)[-1]
    assert step.verdict.value == "proved", step.evidence


def test_the_name_before_the_words():
    post = ("Let the standard Gaussian CDF $\\Phi(x)$ be given.\n\n"
            "$$\\frac{d}{dx}\\left[x\\Phi(x)\\right] = \\Phi(x) + x \\Phi(x)$$\n")
    assert sympy.simplify(sympy.diff(X * PHI, X) - (PHI + X * PHI)) != 0
    assert steps_at(post, 3)[-1].verdict.value == "refuted"


@pytest.mark.parametrize("prose", [
    "where $\\Phi(x)$ denotes the CDF of a normal distribution with mean $\\mu$ and variance $s^2$.\n\n",
    "where $\\Phi(x)$ is a function we leave open.\n\n",
])
def test_a_name_not_the_standard_normal_stays_undefined(prose):
    step = steps_at(prose + "$$\\frac{d}{dx}\\left[x\\Phi(x)\\right] = \\Phi(x) - x$$\n", 3)[-1]
    assert step.verdict.value == "unknown", step.evidence
