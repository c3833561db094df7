"""Notation of real posts read as a careful reader reads it (issue 14).

As in ``test_notation``: each class is a tiny post whose claim is also built
by hand in SymPy; the independent oracle (``holds``: 40-digit evaluation at
random points) says which variant holds, and the tool must not refute the
true one and must refute every wrong one. A true claim the prover cannot
close may stay unknown; it is never refuted.

Classes: a function written with the list of a vector's entries,
``f(x_0, x_1, \\dots, x_{m-1})``, whose bare name later stands for its value (1);
a new name on the right of a chain names the part of the left it stands in
for, ``L = -\\sum_j y_j \\log p_j = -\\sum_j \\ell_j`` (2).
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol

from symderive.post.check import check_post
from test_notation import holds, verdict_of_claim


def claim_post(prelude: str, lhs_tex: str, rhs_tex: str) -> str:
    return f"{prelude}\n\n$${lhs_tex} = {rhs_tex}$$\n"


def check_variants(prelude, lhs_tex, lhs, variants) -> None:
    """The first variant holds and the others do not (oracle); the tool does
    not refute the true one and refutes every wrong one."""
    truths = [holds(lhs, rhs) for _, rhs in variants]
    assert truths[0] and not any(truths[1:]), "the first variant is the true one, the others wrong"
    for (rhs_tex, _), truth in zip(variants, truths):
        verdict = verdict_of_claim(claim_post(prelude, lhs_tex, rhs_tex))
        if truth:
            assert verdict != "refuted", rhs_tex
        else:
            assert verdict == "refuted", rhs_tex


# -- 1. f(x_0, x_1, \dots, x_{m-1}): a function of a listed vector ------------------------------

t0, t1, t2, y = (Symbol(name, real=True) for name in ("theta_0", "theta_1", "theta_2", "y"))
x1, x2, x3, w1, w2, w3 = (Symbol(name, real=True) for name in ("x_1", "x_2", "x_3", "w_1", "w_2", "w_3"))
J = (t0 + 2 * t1 + 3 * t2 - y) ** 2
F = w1 * x1 ** 2 + w2 * x2 + w3 * x3

LISTED = {
    "theta, bare J": (
        r"$$J(\theta_0, \theta_1, \dots, \theta_2) = (\theta_0 + 2\theta_1 + 3\theta_2 - y)^2$$",
        r"\frac{\partial J}{\partial \theta_1}", sympy.diff(J, t1),
        [(r"4(\theta_0 + 2\theta_1 + 3\theta_2 - y)", 4 * (t0 + 2 * t1 + 3 * t2 - y)),
         (r"2(\theta_0 + 2\theta_1 + 3\theta_2 - y)", 2 * (t0 + 2 * t1 + 3 * t2 - y)),
         (r"4(\theta_0 + 2\theta_1 + 3\theta_2 + y)", 4 * (t0 + 2 * t1 + 3 * t2 + y))]),
    "x with \\ldots, bare f inside another name": (
        "$$f(x_1, x_2, \\ldots, x_3) = w_1 x_1^2 + w_2 x_2 + w_3 x_3$$\n\n$$E = 3 f$$",
        r"\frac{\partial E}{\partial x_1}", sympy.diff(3 * F, x1),
        [(r"6 w_1 x_1", 6 * w1 * x1), (r"3 w_1 x_1", 3 * w1 * x1), (r"6 w_1 x_2", 6 * w1 * x2)]),
}


@pytest.mark.parametrize("case", sorted(LISTED))
def test_a_function_of_listed_entries_stands_for_its_value(case):
    check_variants(*LISTED[case])


def test_a_listed_vector_with_a_symbolic_length_refutes_a_sign_error():
    """The linear prediction of a post on mean squared error, written over
    entries x_0 .. x_{m-1}: the gradient in w_1 is (y_pred - t) x_1."""
    prelude = ("The prediction is\n\n"
               "$$y_{pred}(x_0, x_1, \\dots, x_{m-1}) = w_0x_0 + w_1x_1 + \\dots + w_{m-1}x_{m-1}$$\n\n"
               "and the error\n\n$$E = \\frac{1}{2}(t - y_{pred})^2$$")
    lhs_tex = r"\frac{\partial E}{\partial w_1}"
    # the oracle at m = 3: y_pred = w_0 x_0 + w_1 x_1 + w_2 x_2
    w = sympy.symbols("w0:3", real=True)
    x = sympy.symbols("x0:3", real=True)
    t = Symbol("t", real=True)
    pred = sum(a * b for a, b in zip(w, x))
    lhs = sympy.diff((t - pred) ** 2 / 2, w[1])
    variants = [(r"(y_{pred} - t) x_1", (pred - t) * x[1]),
                (r"(t - y_{pred}) x_1", (t - pred) * x[1]),
                (r"(y_{pred} - t) x_2", (pred - t) * x[2])]
    check_variants(prelude, lhs_tex, lhs, variants)


# -- 2. a new name on the right of a chain names a part of the left ----------------------------

jj = Symbol("j", integer=True, positive=True)
yv, pv = sympy.IndexedBase("y", real=True), sympy.IndexedBase("p", positive=True)
ELL = yv[jj] * sympy.log(pv[jj])  # what the chain below says ell_j is

NAMED_PART = {
    "in p": (r"\frac{\partial \ell_j}{\partial p_j}", sympy.diff(ELL, pv[jj]),
             [(r"\frac{y_j}{p_j}", yv[jj] / pv[jj]), (r"-\frac{y_j}{p_j}", -yv[jj] / pv[jj]),
              (r"\frac{1}{p_j}", 1 / pv[jj])]),
    "in y": (r"\frac{\partial \ell_j}{\partial y_j}", sympy.diff(ELL, yv[jj]),
             [(r"\log p_j", sympy.log(pv[jj])), (r"-\log p_j", -sympy.log(pv[jj]))]),
}
NAMING = "The loss is\n\n$$L = -\\sum_{j=1}^{C} y_j \\log p_j = -\\sum_{j=1}^{C} \\ell_j$$"


@pytest.mark.parametrize("case", sorted(NAMED_PART))
def test_a_name_on_the_right_of_a_chain_is_defined_by_it(case):
    check_variants(NAMING, *NAMED_PART[case])


def test_the_naming_relation_is_a_definition_not_a_claim():
    report = check_post(NAMING + "\n", "n.md", timeout=10)
    assert not report.claims() and not report.unreadable
    assert len(report.definitions) >= 2  # L, then ell_j


def test_a_right_side_that_differs_elsewhere_names_nothing():
    """-2 sum ell_j is not -sum y_j log p_j with a part renamed: no definition
    is read, and a claim about ell is not decided from one."""
    post = ("$$L = -\\sum_{j=1}^{C} y_j \\log p_j = -2\\sum_{j=1}^{C} \\ell_j$$\n\n"
            "$$\\frac{\\partial \\ell_j}{\\partial p_j} = -\\frac{y_j}{p_j}$$\n")
    report = check_post(post, "n.md", timeout=10)
    assert all(claim.verdict != "refuted" for claim in report.claims())
