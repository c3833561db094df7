"""A function applied at an example's input, ``h_\\theta(x^{(i)}) = ...``,
is a function the post defines (symderive/post/names.py), and written bare
in a claim that applies it at one argument it is that value
(symderive/post/bare_names.py): ``\\frac{\\partial h_\\theta}{\\partial
\\theta_0}`` beside ``\\log h_\\theta(x^{(i)})`` is the derivative of
h_theta(x^{(i)}). Bare beside applications at two arguments, the claim is
never refuted through the bare name.

The oracle is SymPy on the model written here (sympy.diff, evaluation at
random points), never the tool's output.
"""

from __future__ import annotations

import random

import pytest
import sympy

from post_steps import steps_at

t0, t1, X, Y = sympy.symbols("t0 t1 X Y", real=True)
H = 1 / (1 + sympy.exp(-t0 - t1 * X))  # h_theta(x^(i)), X standing for x^(i)

MODEL = (
    "The model is\n\n$$ h_{\\theta}(x^{(i)}) = \\frac{1}{1 + e^{-\\theta_0 - \\theta_1 x^{(i)}}} $$\n\n"
    "and its derivative\n\n$$ \\frac{\\partial h_{\\theta}}{\\partial \\theta_0} = "
    "\\frac{e^{-\\theta_0 - \\theta_1 x}}{(1 + e^{-\\theta_0 - \\theta_1 x})^2} $$\n\n"
)


def equal_at_random_points(left, right, trials=12) -> bool:
    generator = random.Random(11)
    for _ in range(trials):
        point = {s: sympy.Rational(generator.randint(-30, 30), generator.randint(1, 7)) for s in (t0, t1, X, Y)}
        if abs(sympy.N((left - right).subs(point), 30)) > 1e-20:
            return False
    return True


def test_a_function_applied_at_an_example_input_is_defined_there():
    steps = steps_at(MODEL, 3)
    assert [s.kind for s in steps] == ["definition"]
    derivative = steps_at(MODEL, 7)[0]
    assert derivative.verdict == "proved"  # bare, applied nowhere in the claim: at the default variable x
    x = sympy.Symbol("x", real=True)
    assert equal_at_random_points(sympy.diff(H.subs(X, x), t0).subs(x, X),
                                  (sympy.exp(-t0 - t1 * X) / (1 + sympy.exp(-t0 - t1 * X)) ** 2))


# d/d theta_0 of log h(x^(i)), written with the chain rule through the bare name
CHAIN = ("$$ \\frac{\\partial}{\\partial \\theta_0} \\log h_{\\theta}(x^{(i)}) = "
         "\\frac{\\partial \\log h_{\\theta}(x^{(i)})}{\\partial h_{\\theta}} "
         "\\frac{\\partial h_{\\theta}}{\\partial \\theta_0} = {rhs} $$\n")
CHAIN_RIGHT_SIDES = {
    "h(1-h)/h": ("\\frac{1}{h_{\\theta}(x^{(i)})} h_\\theta(x^{(i)}) (1 - h_\\theta(x^{(i)}))", (1 - H)),
    "1-h": ("1 - h_\\theta(x^{(i)})", 1 - H),
    "wrong sign": ("1 + h_\\theta(x^{(i)})", 1 + H),
    "wrong power": ("h_\\theta(x^{(i)})^2", H ** 2),
}


@pytest.mark.parametrize("case", CHAIN_RIGHT_SIDES, ids=list(CHAIN_RIGHT_SIDES))
def test_a_bare_name_is_the_value_the_claim_applies_it_at(case):
    latex, value = CHAIN_RIGHT_SIDES[case]
    post = MODEL + CHAIN.replace("{rhs}", latex)
    chain_rule, last = steps_at(post, 9)
    truth = sympy.diff(sympy.log(H), t0)
    assert chain_rule.verdict == "proved"  # through the bare name, read at x^(i)
    if equal_at_random_points(truth, value):
        assert last.verdict == "proved"
    else:
        assert last.verdict == "refuted"


TWO_ARGUMENTS = ("$$ \\frac{\\partial h_{\\theta}}{\\partial \\theta_0} + h_\\theta(x) - h_\\theta(x^{(i)}) = "
                 "{rhs} + h_\\theta(x) - h_\\theta(x^{(i)}) $$\n")


def test_a_bare_name_applied_at_two_arguments_is_refuted_only_when_every_reading_refutes_it():
    x = sympy.Symbol("x", real=True)
    at_x, at_example = H.subs(X, x), H
    readings = {  # the bare name at x, at x^(i)
        "h(x^(i))(1 - h(x^(i)))": ("h_\\theta(x^{(i)})(1 - h_\\theta(x^{(i)}))", at_example * (1 - at_example)),
        "h(x)(1 - h(x^(i)))": ("h_\\theta(x)(1 - h_\\theta(x^{(i)}))", at_x * (1 - at_example)),
    }
    for latex, value in readings.values():
        post = MODEL + TWO_ARGUMENTS.replace("{rhs}", latex)
        (step,) = steps_at(post, 9)
        holds = [equal_at_random_points(sympy.diff(h, t0).subs(x, X + 1) if h is at_x else sympy.diff(h, t0),
                                        value.subs(x, X + 1)) for h in (at_x, at_example)]
        if any(holds):  # true under one reading of the bare name: never refuted
            assert step.verdict == "unknown" and "several arguments" in step.evidence.reason
        else:
            assert step.verdict == "refuted"


def test_a_sum_in_the_applied_function_is_proved_or_refuted_against_the_model():
    xs, ys = sympy.symbols("xa xb", real=True), sympy.symbols("ya yb", real=True)
    def h(v):
        return 1 / (1 + sympy.exp(-t0 - t1 * v))
    left = -sum(y - y * h(v) - h(v) + y * h(v) for v, y in zip(xs, ys)) / 2
    right = -sum(y - h(v) for v, y in zip(xs, ys)) / 2
    wrong = -sum(y + h(v) for v, y in zip(xs, ys)) / 2
    assert sympy.simplify(left - right) == 0 and sympy.simplify(left - wrong) != 0
    sum_claim = ("$$ J = -\\frac{1}{m} \\sum_{i=1}^{m} \\left( y^{(i)} - y^{(i)} h_{\\theta}(x^{(i)}) "
                 "- h_{\\theta}(x^{(i)}) + y^{(i)} h_{\\theta}(x^{(i)}) \\right) "
                 "= -\\frac{1}{m} \\sum_{i=1}^{m} ( y^{(i)} {sign} h_{\\theta}(x^{(i)}) ) $$\n")
    assert steps_at(MODEL + sum_claim.replace("{sign}", "-"), 9)[-1].verdict == "proved"
    assert steps_at(MODEL + sum_claim.replace("{sign}", "+"), 9)[-1].verdict == "refuted"


# bare only, beside the input the post defined the function at (x^(i)), never beside x
AT_DEFINITION = "$$ \\frac{\\partial h_{\\theta}}{\\partial \\theta_1} = {rhs} $$\n"
AT_DEFINITION_SIDES = {
    "h(1-h)x^(i)": ("h_\\theta (1 - h_\\theta) x^{(i)}", H * (1 - H) * X),
    "wrong sign": ("h_\\theta (1 + h_\\theta) x^{(i)}", H * (1 + H) * X),
    "input missing": ("h_\\theta (1 - h_\\theta)", H * (1 - H)),
}


@pytest.mark.parametrize("case", AT_DEFINITION_SIDES, ids=list(AT_DEFINITION_SIDES))
def test_a_bare_name_beside_the_defined_input_is_the_value_there(case):
    latex, value = AT_DEFINITION_SIDES[case]
    (step,) = steps_at(MODEL + AT_DEFINITION.replace("{rhs}", latex), 9)
    if equal_at_random_points(sympy.diff(H, t1), value):
        assert step.verdict == "proved"
    else:
        assert step.verdict == "refuted"


# L defined at y-hat, written bare in a derivative in y-hat (the scope reads a name
# differentiated in z at z): the claim is about L at y-hat, where the post defined it
LOSS = ("The loss of one example, $L(\\hat{y}) = -y \\log \\hat{y} - (1-y)\\log(1-\\hat{y})$, "
        "with $\\hat{y} = \\sigma(z^{(i)})$:\n\n"
        "$$ \\frac{\\partial L}{\\partial z^{(i)}} = \\frac{\\partial L}{\\partial \\hat{y}} "
        "\\frac{\\partial \\hat{y}}{\\partial z^{(i)}} = {rhs} $$\n")
Z, P = sympy.symbols("Z P", real=True)  # z^(i), and y-hat as a number
S = 1 / (1 + sympy.exp(-Z))
LOSS_SIDES = {
    "dL/dy_hat sigma'": ("\\left(-\\frac{y}{\\hat{y}} + \\frac{1-y}{1-\\hat{y}}\\right) "
                         "\\sigma(z^{(i)})(1-\\sigma(z^{(i)}))", (-Y / S + (1 - Y) / (1 - S)) * S * (1 - S)),
    "y_hat - y": ("\\hat{y} - y", S - Y),
    "sign slip": ("\\left(\\frac{y}{\\hat{y}} + \\frac{1-y}{1-\\hat{y}}\\right) \\sigma(z^{(i)})(1-\\sigma(z^{(i)}))",
                  (Y / S + (1 - Y) / (1 - S)) * S * (1 - S)),
}


@pytest.mark.parametrize("case", LOSS_SIDES, ids=list(LOSS_SIDES))
def test_a_bare_name_in_a_derivative_in_its_parameter_is_at_its_parameter(case):
    latex, value = LOSS_SIDES[case]
    chain_rule, end = steps_at(LOSS.replace("{rhs}", latex), 3)
    loss = -Y * sympy.log(P) - (1 - Y) * sympy.log(1 - P)
    truth = (sympy.diff(loss, P) * sympy.diff(S, Z)).subs(P, S)
    assert chain_rule.verdict == "proved"
    point = {Y: sympy.Rational(1, 3), Z: sympy.Rational(2, 7)}
    if abs(sympy.N((truth - value).subs(point), 30)) < 1e-20 and equal_at_random_points(
            truth.subs(Z, X), value.subs(Z, X)):
        assert end.verdict == "proved"
    else:
        assert end.verdict == "refuted"
