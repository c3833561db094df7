"""A chain rule through a loss the post leaves undefined is proved for every
loss when it holds the loss only through its first derivatives: read with a
linear loss whose gradient is free, over an output length the claim does not
choose (post/undefined.upstream_proof).

The oracle is SymPy on a loss that is not linear, at an explicit size: the
claims the tool proves must hold for it, the ones it refutes must fail for
it, and a claim whose truth depends on the output's length (a sum to m) is
not proved.
"""

from __future__ import annotations

from types import SimpleNamespace

import sympy

from symderive.post.check import check_post
from symderive.post.undefined import _first_order_only

GAMMA, BETA = sympy.symbols("gamma beta", real=True)
XHAT = sympy.symbols("xh1:4", real=True)
POST = "$$y_i = \\gamma \\hat{x}_i + \\beta$$\n\n$$\\frac{\\partial f}{\\partial \\hat{x}_i} = {right}$$\n"


def verdict(right: str) -> str:
    text = POST.replace("{right}", right)
    (claim,) = [s for s in check_post(text).claims() if s.line == 3]
    return claim.verdict


def oracle(right) -> bool:
    """Whether df/dxhat_2 = right(df/dy_2) for a loss that is not linear,
    three entries, at a point: SymPy differentiates through y = gamma xhat + beta."""
    y = [GAMMA * x + BETA for x in XHAT]
    ys = sympy.symbols("y1:4", real=True)
    loss = ys[0] ** 2 * ys[1] + sympy.sin(ys[1] * ys[2]) + sympy.exp(ys[1])
    left = sympy.diff(loss.subs(dict(zip(ys, y))), XHAT[1])
    upstream = sympy.diff(loss, ys[1]).subs(dict(zip(ys, y)))
    point = {GAMMA: sympy.Rational(3, 7), BETA: sympy.Rational(-1, 5), XHAT[0]: 1, XHAT[1]: sympy.Rational(2, 3),
             XHAT[2]: -2}
    return abs(sympy.N((left - right(upstream)).subs(point), 30)) < 1e-20


def test_a_chain_rule_through_an_undefined_loss_is_proved_for_every_loss():
    assert oracle(lambda g: g * GAMMA)
    assert verdict("\\frac{\\partial f}{\\partial y_i} \\gamma") == "proved"


def test_wrong_chain_rules_through_an_undefined_loss_are_refuted():
    for written, wrong in (("\\frac{\\partial f}{\\partial y_i}", lambda g: g),
                           ("-\\frac{\\partial f}{\\partial y_i} \\gamma", lambda g: -g * GAMMA),
                           ("\\frac{\\partial f}{\\partial y_i} \\gamma^2", lambda g: g * GAMMA ** 2)):
        assert not oracle(wrong)
        assert verdict(written) == "refuted", written


def test_a_sum_over_the_output_is_not_proved_by_its_own_range():
    # df/dgamma = sum_{i=1}^{m} df/dy_i xhat_i holds only when y has m entries, which the post does not say
    text = ("$$y_i = \\gamma \\hat{x}_i + \\beta$$\n\n"
            "$$\\frac{\\partial f}{\\partial \\gamma} = "
            "\\sum_{i=1}^{m} \\frac{\\partial f}{\\partial y_i} \\hat{x}_i$$\n")
    (claim,) = [s for s in check_post(text).claims() if s.line == 3]
    assert claim.verdict != "proved"


def test_only_first_derivatives_of_the_loss_make_a_statement_about_gradients():
    y, f = sympy.Symbol("y"), sympy.Function("f")
    meaning = SimpleNamespace(functions={})
    assert _first_order_only(sympy.Derivative(f(y), y) * 2, meaning)
    assert not _first_order_only(sympy.Derivative(f(y), (y, 2)), meaning)  # linear f has no curvature
    assert not _first_order_only(f(y) + sympy.Derivative(f(y), y), meaning)  # nor a value of its own
