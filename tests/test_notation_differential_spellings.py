"""Every spelling of the differential d a post uses reads as a derivative:
``\\text{d}``, ``\\textrm{d}``, ``{d}``, ``{\\mathrm d}``, ``{\\rm d}``,
``\\mathrm{dy}``, ``\\rm dy``, ``{\\partial}``. Each was read as a number d
(or a name dy) that cancels, so a true derivative was refuted.

The oracle is ``sympy.diff`` of the post's definition; the wrong variant
(the derivative off by a factor) must be refuted.
"""

import pytest
import sympy

from post_steps import steps_at

X = sympy.Symbol("x", real=True)
BODY = X ** 3 + sympy.sin(X)
BODY_LATEX = r"x^3 + \sin(x)"

FRACTIONS = [
    r"\frac{\text{d}y}{\text{d}x}",
    r"\frac{\textrm{d}y}{\textrm{d}x}",
    r"\frac{{d}y}{{d}x}",
    r"\frac{{\mathrm d}y}{{\mathrm d}x}",
    r"\frac{{\rm d}y}{{\rm d}x}",
    r"\frac{\mathrm{dy}}{\mathrm{dx}}",
    r"\frac{\rm dy}{\rm dx}",
    r"\frac{{\partial} y}{{\partial} x}",
    r"\frac{\text{d}}{\text{d}x} y",
    r"\frac{{\rm d}}{{\rm d}x} y",
]


def _post(fraction: str, right: str) -> str:
    return f"Let $y = {BODY_LATEX}$.\n\n$${fraction} = {right}$$\n"


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_a_spelling_of_d_reads_as_a_derivative(fraction):
    truth = sympy.diff(BODY, X)
    assert sympy.simplify(truth - (3 * X ** 2 + sympy.cos(X))) == 0
    step = steps_at(_post(fraction, r"3x^2 + \cos(x)"), 3)[-1]
    assert step.verdict.value == "proved", step.evidence


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_a_wrong_derivative_in_that_spelling_is_refuted(fraction):
    wrong = 2 * X ** 2 + sympy.cos(X)
    assert sympy.simplify(sympy.diff(BODY, X) - wrong) != 0
    step = steps_at(_post(fraction, r"2x^2 + \cos(x)"), 3)[-1]
    assert step.verdict.value == "refuted", step.evidence


@pytest.mark.parametrize("text, kept", [
    (r"\mathrm{erf}(x)", "erf"),  # an upright word longer than dX stays a word
    (r"\mathrm{ReLU}(x)", "ReLU"),
])
def test_other_upright_words_are_unchanged(text, kept):
    from symderive.latex import Scope, parse_expression

    assert kept in str(parse_expression(text, Scope()))
