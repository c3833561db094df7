"""A name whose plain use is one member of a catalog family is read as that
member when the post does not define it: softplus(x) = log(1 + e^x) and
SiLU(x) = x sigma(x) (beta = 1). Swish keeps its beta open: unknown.

The oracle is sympy.diff of the functions written out by hand.
"""

import pytest
import sympy

from post_steps import steps_at

X = sympy.Symbol("x", real=True)
SIGMA = 1 / (1 + sympy.exp(-X))
SOFTPLUS = sympy.log(1 + sympy.exp(X))
SILU = X * SIGMA

CASES = [
    (r"\operatorname{softplus}(x)", SOFTPLUS, r"\frac{1}{1+e^{-x}}", SIGMA),
    (r"\text{softplus}(x)", SOFTPLUS, r"\frac{1}{1+e^{x}}", 1 / (1 + sympy.exp(X))),
    (r"\text{SiLU}(x)", SILU, r"\frac{1}{1+e^{-x}}\left(1 + x\left(1-\frac{1}{1+e^{-x}}\right)\right)",
     SIGMA * (1 + X * (1 - SIGMA))),
    (r"\mathrm{SiLU}(x)", SILU, r"\frac{1}{1+e^{-x}}\left(1 + \frac{x}{1+e^{-x}}\right)", SIGMA * (1 + X * SIGMA)),
]


@pytest.mark.parametrize("name, function, right, right_expr", CASES)
def test_the_plain_name_is_the_unit_member(name, function, right, right_expr):
    truth = sympy.simplify(sympy.diff(function, X) - right_expr) == 0
    step = steps_at(f"$$\\frac{{d}}{{dx}}{name} = {right}$$\n", 1)[-1]
    assert step.verdict.value == ("proved" if truth else "refuted"), step.evidence


def test_swish_keeps_its_parameter_open():
    step = steps_at(r"$$\frac{d}{dx}\text{Swish}(x) = \frac{1}{1+e^{-x}}$$" + "\n", 1)[-1]
    assert step.verdict.value == "unknown", step.evidence
