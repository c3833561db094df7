"""A name defined without an intermediate name, then restated through it
(``E = (y - w x)^2``, ``u = y - w x``, ``E = u^2``): the restatement is
proved, and from there the name is written through u, so the author's
derivative in u is the chain through u (symderive/post/restatements.py),
not 0 (the old body, held with u kept, does not hold u).

The oracle is sympy.diff of the expressions written here, compared at random
points; never the tool's output.
"""

from __future__ import annotations

import random

import pytest
import sympy

from post_steps import steps_at

u, w, x, y = sympy.symbols("u w x y", real=True)
U = y - w * x

POST = ("## Loss\n\n$$ E = \\frac{1}{2} (y - w x)^2 $$\n\n"
        "Let\n\n$$ u = y - w x $$\n\nso\n\n$$ E = \\frac{1}{2} u^2 $$\n\n"
        "and, on the way to $\\frac{\\partial E}{\\partial w}$,\n\n$$ \\frac{\\partial E}{\\partial u} = {du} $$\n\n"
        "$$ \\frac{\\partial E}{\\partial w} = \\frac{\\partial E}{\\partial u} \\frac{\\partial u}{\\partial w} "
        "= {dw} $$\n")


def equal_at_random_points(left, right, trials=12) -> bool:
    generator = random.Random(5)
    for _ in range(trials):
        point = {s: sympy.Rational(generator.randint(-30, 30), generator.randint(1, 7)) for s in (u, w, x, y)}
        if sympy.simplify((left - right).subs(point)) != 0:
            return False
    return True


DERIVATIVES_IN_U = {"u": ("u", u), "2u": ("2u", 2 * u), "u^2": ("u^2", u ** 2), "-u": ("-u", -u)}


@pytest.mark.parametrize("case", DERIVATIVES_IN_U, ids=list(DERIVATIVES_IN_U))
def test_the_derivative_in_the_intermediate_name_is_of_the_restated_body(case):
    latex, value = DERIVATIVES_IN_U[case]
    post = POST.replace("{du}", latex).replace("{dw}", "-(y - w x) x")
    (restated,) = steps_at(post, 11)
    assert restated.kind == "claim" and restated.verdict == "proved"
    (step,) = steps_at(post, 15)
    if equal_at_random_points(sympy.diff(u ** 2 / 2, u), value):
        assert step.verdict == "proved"
    else:
        assert step.verdict == "refuted"


GRADIENTS = {"-(y - wx)x": ("-(y - w x) x", -U * x), "(y - wx)x": ("(y - w x) x", U * x),
             "-u x": ("-u x", -u * x)}


@pytest.mark.parametrize("case", GRADIENTS, ids=list(GRADIENTS))
def test_the_chain_through_the_intermediate_name_is_proved_and_a_wrong_end_refuted(case):
    latex, value = GRADIENTS[case]
    post = POST.replace("{du}", "u").replace("{dw}", latex)
    chain_rule, end = steps_at(post, 17)
    assert chain_rule.verdict == "proved"
    truth = sympy.diff(U ** 2 / 2, w)
    if equal_at_random_points(truth, value.subs(u, U)):
        assert end.verdict == "proved"
    else:
        assert end.verdict == "refuted"


def test_a_restatement_that_is_not_equal_keeps_the_old_body():
    post = POST.replace("E = \\frac{1}{2} u^2", "E = u^2").replace("{du}", "u").replace("{dw}", "-(y - w x) x")
    assert steps_at(post, 11)[0].verdict != "proved"
    assert steps_at(post, 15)[0].verdict != "proved"  # E is still half the square: never its derivative u


# u the post's own variable (differentiated in most), named u = y - w x: it stays a variable
NAMED_VARIABLE = POST.replace("and, on the way to $\\frac{\\partial E}{\\partial w}$,", "and")


@pytest.mark.parametrize("case", DERIVATIVES_IN_U, ids=list(DERIVATIVES_IN_U))
def test_a_derivative_in_a_named_variable_through_a_body_without_it_is_never_refuted(case):
    latex, value = DERIVATIVES_IN_U[case]
    post = NAMED_VARIABLE.replace("{du}", latex).replace("{dw}", "-(y - w x) x")
    (step,) = steps_at(post, 15)
    if equal_at_random_points(sympy.diff(u ** 2 / 2, u), value):
        assert step.verdict != "refuted"
    else:
        assert step.verdict != "proved"
    for chained in steps_at(post, 17):  # true: the chain rule, and its end
        assert chained.verdict != "refuted"
