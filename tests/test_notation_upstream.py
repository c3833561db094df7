"""Backpropagation through names a post never defines (issue 14).

Posts on layers write the chain rule through a loss f they never define,
often through a layer output y they define only in a picture, and then do
algebra in the upstream gradients df/dx_hat_i. Two readings, each checked
against an oracle that knows nothing of the tool: SymPy with one generic
nonlinear f and y written out at m = 3.

1. f and y both undefined, and the claim written in nothing but f, y, the
   variable and indices (a chain rule stated for every f and y): a linear y,
   y_k = c_k gamma, is one of them, so a claim that fails for it is refuted.
   A claim that also names another quantity (x_hat_i) is about one
   particular y and is never refuted so.
2. The derivatives of an undefined f held as values: a step that holds for
   every value of them is proved; one that fails for some is not refuted
   (it holds for some f, and the chain rule ties df/dx to df/dy).
3. A name the post never defines, differentiated on the left as an
   expression is on the right (s'(x) = d/dx (...)): the relation names it.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.post.check import check_post

M = 3
gamma = sympy.Symbol("gamma", real=True)
Y = sympy.symbols("Y1:4", real=True)
F = Y[0] ** 2 * Y[1] + sympy.sin(Y[2]) + sympy.exp(Y[0] / 3)  # a generic f of y_1..y_3
YS = [sympy.sin((k + 1) * gamma) + (k + 2) * gamma ** 2 for k in range(M)]  # a generic y(gamma)


def upstream(k):
    return sympy.diff(F, Y[k]).subs(dict(zip(Y, YS)))


def dy(k):
    return sympy.diff(YS[k], gamma)


def claims_of(post: str):
    return check_post(post, "upstream.md", timeout=10).claims()


def equal(a, b) -> bool:
    return sympy.simplify(a - b) == 0 or all(
        abs(sympy.N((a - b).subs(gamma, value), 30)) < 1e-25 for value in (sympy.Rational(1, 3), 2, -1))


LHS = r"\frac{\partial f}{\partial \gamma}"
LEFT = sympy.diff(F.subs(dict(zip(Y, YS))), gamma)
# (right side, its value at m = 3 and the entry i = 1 of the oracle)
CHAIN_RULES = [
    (r"\sum_{i=1}^m \frac{\partial f}{\partial y_i} \frac{\partial y_i}{\partial \gamma}",
     sum(upstream(k) * dy(k) for k in range(M))),
    (r"\frac{\partial f}{\partial y_i} \cdot \frac{\partial y_i}{\partial \gamma}", upstream(0) * dy(0)),
    (r"\sum_{i=1}^m \frac{\partial f}{\partial y_i} \frac{\partial y_1}{\partial \gamma}",
     sum(upstream(k) for k in range(M)) * dy(0)),
]


@pytest.mark.parametrize("rhs_tex, rhs", CHAIN_RULES, ids=["sum", "one-term", "y_1"])
def test_a_chain_rule_through_an_undefined_output_is_refuted_when_wrong(rhs_tex, rhs):
    truth = equal(LEFT, rhs)
    [claim] = claims_of(f"$${LHS} = {rhs_tex}$$\n")
    assert claim.verdict != "proved"  # a linear instance proves nothing
    assert (claim.verdict == "refuted") == (not truth)


def test_the_true_chain_rule_is_the_first_variant():
    assert equal(LEFT, CHAIN_RULES[0][1])
    assert not any(equal(LEFT, rhs) for _, rhs in CHAIN_RULES[1:])


def test_a_claim_that_does_not_say_how_y_varies_is_not_refuted():
    """df/dgamma = sum df/dy_i is wrong for the oracle's y, and right for
    y_i = x_i + gamma (batch norm's beta): the claim does not differentiate
    y, so no instance of y is the author's."""
    rhs = sum(upstream(k) for k in range(M))
    assert not equal(LEFT, rhs)
    shifted = [sympy.Symbol(f"x{k}") + gamma for k in range(M)]
    assert equal(sympy.diff(F.subs(dict(zip(Y, shifted))), gamma),
                 sum(sympy.diff(F, Y[k]).subs(dict(zip(Y, shifted))) for k in range(M)))
    [claim] = claims_of(f"$${LHS} = \\sum_{{i=1}}^m \\frac{{\\partial f}}{{\\partial y_i}}$$\n")
    assert claim.verdict not in ("proved", "refuted")


def test_the_counterexample_names_the_instances():
    [claim] = claims_of(f"$${LHS} = {CHAIN_RULES[1][0]}$$\n")
    point = dict(claim.evidence.point)
    assert point["f"].startswith("sum_{k=1}^{") and "f'_k y_k" in point["f"]
    assert point["y_k"] == "dy/dgamma_k gamma"


def test_a_claim_naming_another_quantity_is_not_refuted_so():
    """df/dgamma = sum df/dy_i x_hat_i holds for y_i = gamma x_hat_i + beta
    (defined, say, in a picture): a linear y of another slope is no
    counterexample to it."""
    post = f"$${LHS} = \\sum_{{i=1}}^m \\frac{{\\partial f}}{{\\partial y_i}} \\hat{{x}}_i$$\n"
    assert [c.verdict for c in claims_of(post)] == ["unknown"]


# -- 2. derivatives of an undefined f held as values --------------------------------------------

G = sympy.symbols("G1:4", real=True)  # df/dx_hat_i at m = 3
s2, eps = sympy.symbols("sigma2 epsilon", positive=True)
ROOT = sympy.sqrt(s2 + eps)
LAYER = r"$$\hat{x}_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}$$" + "\n\n"
START = r"\sum_{i=1}^m \frac{\partial f}{\partial \hat{x}_i} \cdot \frac{-1}{\sqrt{\sigma^2 + \epsilon}}"
START_VALUE = sum(-g / ROOT for g in G)
REWRITES = [
    (r"\frac{-1}{\sqrt{\sigma^2 + \epsilon}} \sum_{i=1}^m \frac{\partial f}{\partial \hat{x}_i}", -sum(G) / ROOT),
    (r"-\frac{1}{m} \sum_{i=1}^m \frac{\partial f}{\partial \hat{x}_i} \cdot \frac{m}{\sqrt{\sigma^2 + \epsilon}}",
     -sum(G) / ROOT),
    (r"\frac{-1}{\sqrt{\sigma^2 + \epsilon}} \sum_{i=1}^m \frac{\partial f}{\partial \hat{x}_i} "
     r"+ \frac{\partial f}{\partial \hat{x}_1}", -sum(G) / ROOT + G[0]),
    (r"\frac{-1}{\sigma^2 + \epsilon} \sum_{i=1}^m \frac{\partial f}{\partial \hat{x}_i}", -sum(G) / ROOT ** 2),
    (r"\frac{-m}{\sqrt{\sigma^2 + \epsilon}} \frac{\partial f}{\partial \hat{x}_i}", None),
]


def truth_of_rewrite(rhs) -> bool:
    if rhs is None:
        return False  # one entry times m for the sum: wrong whenever the entries differ
    point = {G[0]: sympy.Rational(2, 7), G[1]: sympy.Rational(-5, 3), G[2]: 3, s2: 2, eps: sympy.Rational(1, 10)}
    return abs(sympy.N((START_VALUE - rhs).subs(point), 30)) < 1e-25


@pytest.mark.parametrize("index", range(len(REWRITES)))
def test_algebra_in_undefined_derivatives(index):
    rhs_tex, rhs = REWRITES[index]
    truth = truth_of_rewrite(rhs)
    claims = claims_of(LAYER + f"$$\\frac{{\\partial f}}{{\\partial \\mu}} = {START} = {rhs_tex}$$\n")
    verdict = claims[-1].verdict
    # a wrong rewriting still holds for some f (all its upstream gradients 0): never proved, and
    # not refuted either, as for every claim that holds for some value of an undefined name
    assert verdict == ("proved" if truth else "unknown"), (rhs_tex, claims[-1].evidence)


def test_a_chain_rule_between_two_derivatives_is_never_refuted_as_values():
    """dg/dx = 2 dg/dy with y = 2x is the chain rule: the two derivatives are
    tied, so holding them as free values would refute a true step."""
    post = "$$y = 2 x$$\n\n$$\\frac{\\partial g}{\\partial x} = 2 \\frac{\\partial g}{\\partial y}$$\n"
    assert [c.verdict for c in claims_of(post)] != ["refuted"]
    post = "$$y = 2 x$$\n\n$$\\frac{\\partial g}{\\partial x} + 1 = 2 \\frac{\\partial g}{\\partial y} + 1$$\n"
    assert [c.verdict for c in claims_of(post)] != ["refuted"]


# -- 3. a name the post never defines, differentiated as its body is ------------------------------

x, t0, t1 = sympy.symbols("x theta_0 theta_1", real=True)
SIG = 1 / (1 + sympy.exp(-x))
NAMED = [
    # (the naming relation, a later claim, the oracle's left and right sides of that claim)
    (r"s'(x) = \frac{d}{dx} \left( \frac{1}{1 + e^{-x}} \right)", r"s'(x) = s(x)(1 - s(x))",
     sympy.diff(SIG, x), SIG * (1 - SIG)),
    (r"s'(x) = \frac{d}{dx} \left( \frac{1}{1 + e^{-x}} \right)", r"s'(x) = s(x)(1 + s(x))",
     sympy.diff(SIG, x), SIG * (1 + SIG)),
    (r"\frac{\partial J}{\partial \theta_0} = \frac{\partial}{\partial \theta_0} \left( \theta_0^2 + 3 \theta_0 \theta_1 \right)",
     r"\frac{\partial J}{\partial \theta_0} = 2 \theta_0 + 3 \theta_1",
     sympy.diff(t0 ** 2 + 3 * t0 * t1, t0), 2 * t0 + 3 * t1),
    (r"\frac{\partial J}{\partial \theta_0} = \frac{\partial}{\partial \theta_0} \left( \theta_0^2 + 3 \theta_0 \theta_1 \right)",
     r"\frac{\partial J}{\partial \theta_0} = 2 \theta_0 + \theta_1",
     sympy.diff(t0 ** 2 + 3 * t0 * t1, t0), 2 * t0 + t1),
]


@pytest.mark.parametrize("naming, claim, left, right", NAMED)
def test_a_name_differentiated_as_its_body_is_named_by_it(naming, claim, left, right):
    report = check_post(f"$${naming}$$\n\nThen\n\n$${claim}$$\n", "named.md", timeout=10)
    first = report.relations[0]
    assert first.kind == "definition", first  # never a claim proved by the reading it gives
    truth = sympy.simplify(left - right) == 0
    assert [c.verdict for c in report.claims()] == ["proved" if truth else "refuted"]


def test_a_name_defined_otherwise_keeps_its_definition():
    """J = theta_0^2 before: d J/d theta_0 = d/d theta_0 (theta_0^3) is a claim, and wrong."""
    post = ("$$J = \\theta_0^2$$\n\n$$\\frac{\\partial J}{\\partial \\theta_0} = "
            "\\frac{\\partial}{\\partial \\theta_0} \\left( \\theta_0^3 \\right)$$\n")
    assert sympy.diff(t0 ** 2, t0) != sympy.diff(t0 ** 3, t0)
    assert [c.verdict for c in claims_of(post)] == ["refuted"]


# -- 4. a vector the author marks, read as a number --------------------------------------------

@pytest.mark.parametrize("claim, lhs, rhs", [
    (r"x w^T = w^T x", lambda x, w: x * w.T, lambda x, w: w.T * x),
    (r"\mathbf{a} \mathbf{b}^T = \mathbf{b} \mathbf{a}^T", lambda a, b: a * b.T, lambda a, b: b * a.T),
])
def test_a_claim_true_only_for_numbers_is_not_proved_for_vectors(claim, lhs, rhs):
    """Read with the marked vectors as numbers the claim holds; for vectors
    (the oracle: 2-vectors in SymPy) it does not, so it is never proved."""
    u = sympy.Matrix(sympy.symbols("u1 u2", real=True))
    v = sympy.Matrix(sympy.symbols("v1 v2", real=True))
    left, right = lhs(u, v), rhs(u, v)
    assert left.shape != right.shape or left != right
    assert [c.verdict for c in claims_of(f"Here\n\n$${claim}$$\n")] == ["unknown"]


def test_a_claim_false_even_for_numbers_is_still_refuted():
    assert [c.verdict for c in claims_of("Here\n\n$$w^T x = 2 w^T x$$\n")] == ["refuted"]
