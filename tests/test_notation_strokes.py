"""Notation that decorates an expression without changing its value, and
arguments written without braces (corpus posts 26 and 49).

As in ``test_notation``: each class is a tiny post whose claim is also built
by hand in SymPy; the independent oracle (``doit`` then 40-digit evaluation
at random points) says which variant holds, and ``check`` must prove the
true one and refute every wrong one.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Derivative, Symbol

from test_notation import parsed, run_class, same_value

x = Symbol("x", real=True)
E = sympy.exp


# -- 1. cancel strokes: the value is that of the text under the stroke --------------------------

CANCEL = {
    "cancel-in-a-quotient": ("", r"\frac{\cancel{(1+x^2)}\, x^3}{\cancel{(1+x^2)}}",
                             (1 + x**2) * x**3 / (1 + x**2),
                             [(r"x^3", x**3), (r"(1+x^2) x^3", (1 + x**2) * x**3), (r"x^2", x**2)]),
    "bcancel-under-a-derivative": ("", r"\frac{d}{dx} \frac{\bcancel{e^x} \sin x}{\bcancel{e^x}}",
                                   Derivative(E(x) * sympy.sin(x) / E(x), x),
                                   [(r"\cos x", sympy.cos(x)), (r"-\cos x", -sympy.cos(x)),
                                    (r"e^x \cos x", E(x) * sympy.cos(x))]),
    "cancelto-keeps-the-struck-term": ("", r"x^2 + \cancelto{0}{(x - 1)}", x**2 + x - 1,
                                       [(r"x^2 + x - 1", x**2 + x - 1), (r"x^2", x**2)]),
    "xcancel-in-a-product": ("", r"\frac{1}{\xcancel{\tanh x}} \xcancel{\tanh x} (1 - x)",
                             (1 - x) * sympy.tanh(x) / sympy.tanh(x),
                             [(r"1 - x", 1 - x), (r"(1 - x)\tanh x", (1 - x) * sympy.tanh(x))]),
}


@pytest.mark.parametrize("case", sorted(CANCEL))
def test_cancel_strokes(case):
    run_class(CANCEL, case)


@pytest.mark.parametrize("tex, built", [
    (r"\cancel{x} + 1", x + 1), (r"\bcancel{x^2}", x**2), (r"\xcancel x", x),
    (r"\cancelto{0}{x}", x), (r"\cancelto{1}{x} - 1", x - 1),
    (r"\frac{\cancel{e^x}}{\cancel{e^x}(1 + x)}", 1 / (1 + x)),
])
def test_a_stroke_neither_drops_nor_replaces_its_text(tex, built):
    """The text under the stroke stays; ``\\cancelto``'s target is a note."""
    assert same_value(parsed("", tex), built)


# -- 2. a fraction as the argument of a command, without braces -----------------------------

FRACTION_ARGUMENTS = {
    "sqrt-of-a-fraction": ("", r"x \sqrt\frac{2}{\pi}", x * sympy.sqrt(2 / sympy.pi),
                           [(r"\sqrt{2/\pi}\, x", sympy.sqrt(2 / sympy.pi) * x),
                            (r"\frac{\sqrt 2}{\pi} x", sympy.sqrt(2) / sympy.pi * x)]),
    "exponent-a-fraction": ("", r"\frac{d}{dx} e^\frac{-x^2}{2}", Derivative(E(-x**2 / 2), x),
                            [(r"-x e^{-x^2/2}", -x * E(-x**2 / 2)), (r"x e^{-x^2/2}", x * E(-x**2 / 2)),
                             (r"-x e^{-x^2}", -x * E(-x**2))]),
}


@pytest.mark.parametrize("case", sorted(FRACTION_ARGUMENTS))
def test_a_fraction_as_an_argument_takes_its_own_arguments(case):
    run_class(FRACTION_ARGUMENTS, case)


@pytest.mark.parametrize("tex, built", [
    (r"\sqrt\frac12", sympy.sqrt(sympy.Rational(1, 2))), (r"x^\frac{1}{2} + 1", sympy.sqrt(x) + 1),
    (r"\sqrt\dfrac{x}{2} x", sympy.sqrt(x / 2) * x),
])
def test_fraction_arguments_are_read(tex, built):
    assert same_value(parsed("", tex), built)


# -- 3. braces around the variable of a differential change nothing ----------------------------

BRACED_VARIABLES = {
    "partial-braced-variable": ("", r"\frac{\partial}{\partial{x}} x^2 e^x", Derivative(x**2 * E(x), x),
                                [(r"(2x + x^2) e^x", (2 * x + x**2) * E(x)), (r"2x e^x", 2 * x * E(x))]),
    "braced-variable-with-order": ("", r"\frac{d^2}{d{x}^2} \sin x", Derivative(sympy.sin(x), (x, 2)),
                                   [(r"-\sin x", -sympy.sin(x)), (r"\sin x", sympy.sin(x)), (r"\cos x", sympy.cos(x))]),
    "braced-operand-and-variable": ("", r"\frac{\partial{(x^3 - x)}}{\partial{x}}", Derivative(x**3 - x, x),
                                    [(r"3x^2 - 1", 3 * x**2 - 1), (r"3x^2", 3 * x**2)]),
}


@pytest.mark.parametrize("case", sorted(BRACED_VARIABLES))
def test_braced_differential_variables(case):
    run_class(BRACED_VARIABLES, case)


@pytest.mark.parametrize("tex", [r"\frac{d}{d{x}} e^{2x}", r"\frac{d}{d{{x}}} e^{2x}", r"\frac{\partial}{\partial{x}} e^{2x}"])
def test_a_braced_variable_reads_as_the_bare_one(tex):
    assert same_value(parsed("", tex), Derivative(E(2 * x), x))


# -- 4. second and mixed derivatives, in a fraction and with a slash --------------------------

y = Symbol("y", real=True)
HIGHER = {
    "second-in-a-fraction": ("", r"\frac{\partial^2}{\partial x^2} x^3 \sin x", Derivative(x**3 * sympy.sin(x), (x, 2)),
                             [(r"6x \sin x + 6x^2 \cos x - x^3 \sin x",
                               6 * x * sympy.sin(x) + 6 * x**2 * sympy.cos(x) - x**3 * sympy.sin(x)),
                              (r"6x \sin x + 3x^2 \cos x - x^3 \sin x",
                               6 * x * sympy.sin(x) + 3 * x**2 * sympy.cos(x) - x**3 * sympy.sin(x))]),
    "second-d-notation": ("", r"\frac{d^2}{dx^2} e^{-x^2}", Derivative(E(-x**2), (x, 2)),
                          [(r"(4x^2 - 2) e^{-x^2}", (4 * x**2 - 2) * E(-x**2)), (r"-2x e^{-x^2}", -2 * x * E(-x**2))]),
    "mixed": ("", r"\frac{\partial^2}{\partial x \partial y} x^2 y^3", Derivative(x**2 * y**3, x, y),
              [(r"6 x y^2", 6 * x * y**2), (r"2 x y^3", 2 * x * y**3), (r"6 y^2", 6 * y**2)]),
    "second-with-a-slash": ("Let $g = x^4$.", r"\partial^2 g / \partial x^2", Derivative(x**4, (x, 2)),
                            [(r"12x^2", 12 * x**2), (r"4x^3", 4 * x**3)]),
    "mixed-with-a-slash": ("Let $h = x^2 y^3$.", r"\partial^2 h / \partial x \partial y", Derivative(x**2 * y**3, x, y),
                           [(r"6 x y^2", 6 * x * y**2), (r"3 x^2 y^2", 3 * x**2 * y**2)]),
}


@pytest.mark.parametrize("case", sorted(HIGHER))
def test_second_and_mixed_derivatives(case):
    run_class(HIGHER, case)


def test_orders_must_match_with_a_slash():
    from symderive.errors import LatexSyntaxError
    with pytest.raises(LatexSyntaxError, match="orders do not match"):
        parsed("", r"\partial^2 g / \partial x")
