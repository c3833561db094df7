"""Notation of real posts read as a careful reader reads it (issue 14).

As in ``test_notation``: each class is a tiny post whose claim is also built
by hand in SymPy; the independent oracle (``holds``: 40-digit evaluation at
random points) says which variant holds, and the tool must not refute the
true one and must refute every wrong one. A true claim the prover cannot
close may stay unknown; it is never refuted.

Classes: a function written with the list of a vector's entries,
``f(x_0, x_1, \\dots, x_{m-1})``, whose bare name later stands for its value (1);
a new name on the right of a chain names the part of the left it stands in
for, ``L = -\\sum_j y_j \\log p_j = -\\sum_j \\ell_j`` (2); the chain rule
through an undefined loss f of a defined layer output y, the upstream
gradient df/dy_i of backpropagation (3); a bold run of letters,
``\\mathbf{dw}``, ``\\mathbf{do}``, one name as code writes gradients (4).
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol

from symderive.latex import parse_expression
from symderive.post.check import check_post
from symderive.post.names import infer_scope
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


# the same chain with its second relation opening a display of its own
NAMING_CONTINUED = ("The loss is\n\n$$L = -\\sum_{j=1}^{C} y_j \\log p_j$$\n\n"
                    "$$= -\\sum_{j=1}^{C} \\ell_j$$")


@pytest.mark.parametrize("layout", [NAMING, NAMING_CONTINUED], ids=["one display", "continued"])
@pytest.mark.parametrize("case", sorted(NAMED_PART))
def test_a_name_on_the_right_of_a_chain_is_defined_by_it(case, layout):
    check_variants(layout, *NAMED_PART[case])


@pytest.mark.parametrize("layout", [NAMING, NAMING_CONTINUED], ids=["one display", "continued"])
def test_the_naming_relation_is_a_definition_not_a_claim(layout):
    report = check_post(layout + "\n", "n.md", timeout=10)
    assert not report.claims() and not report.unreadable
    assert len(report.definitions) >= 2  # L, then ell_j


def test_a_right_side_that_differs_elsewhere_names_nothing():
    """-2 sum ell_j is not -sum y_j log p_j with a part renamed: no definition
    is read, and a claim about ell is not decided from one."""
    post = ("$$L = -\\sum_{j=1}^{C} y_j \\log p_j = -2\\sum_{j=1}^{C} \\ell_j$$\n\n"
            "$$\\frac{\\partial \\ell_j}{\\partial p_j} = -\\frac{y_j}{p_j}$$\n")
    report = check_post(post, "n.md", timeout=10)
    assert all(claim.verdict != "refuted" for claim in report.claims())


# -- 3. an undefined loss f of a defined layer output: the upstream gradient -------------------

# The oracle: the claims must hold for every f; one generic f of y_1, y_2, y_3 (m = 3) and
# y_i = gamma x_hat_i + beta decide them, at the entry i = 1.
gamma, beta = Symbol("gamma", real=True), Symbol("beta", real=True)
xh = sympy.symbols("xh1:4", real=True)
ys = [gamma * v + beta for v in xh]
Y = sympy.symbols("Y1:4", real=True)
F = Y[0] ** 2 + sympy.sin(Y[1]) + Y[0] * Y[2] + sympy.exp(Y[2] / 3)


def upstream(k: int):
    """df/dy_k at the layer's output."""
    return sympy.diff(F, Y[k]).subs(dict(zip(Y, ys)))


f_of_y = F.subs(dict(zip(Y, ys)))
LAYER = "The layer is\n\n$$y_i = \\gamma \\hat{x}_i + \\beta$$"
UPSTREAM = {
    "gamma": (r"\frac{\partial f}{\partial \gamma}", sympy.diff(f_of_y, gamma),
              [(r"\sum_{i=1}^{m} \frac{\partial f}{\partial y_i} \hat{x}_i",
                sum(upstream(k) * xh[k] for k in range(3))),
               (r"\frac{\partial f}{\partial y_i} \hat{x}_i", upstream(0) * xh[0])]),
    "beta": (r"\frac{\partial f}{\partial \beta}", sympy.diff(f_of_y, beta),
             [(r"\sum_{i=1}^{m} \frac{\partial f}{\partial y_i}", sum(upstream(k) for k in range(3))),
              (r"\frac{\partial f}{\partial y_i}", upstream(0))]),
    "x_hat": (r"\frac{\partial f}{\partial \hat{x}_i}", sympy.diff(f_of_y, xh[0]),
              [(r"\frac{\partial f}{\partial y_i} \gamma", upstream(0) * gamma),
               (r"\frac{\partial f}{\partial y_i}", upstream(0))]),
}


@pytest.mark.parametrize("case", sorted(UPSTREAM))
def test_a_chain_rule_through_an_undefined_loss_is_refuted_when_wrong(case):
    check_variants(LAYER, *UPSTREAM[case])


def test_a_claim_about_one_particular_undefined_loss_is_not_refuted():
    """dH/dA_i = -Y_i/A_i names no derivative of H on its right: it is about
    one H (a cross-entropy defined elsewhere), not every H, so a linear H
    is no counterexample."""
    post = ("$$A_i = 2 z_i$$\n\n$$\\frac{\\partial H}{\\partial A_i} = -\\frac{Y_i}{A_i}$$\n")
    report = check_post(post, "n.md", timeout=10)
    assert [claim.verdict for claim in report.claims()] == ["unknown"]


# -- 4. \\mathbf{dw}: a bold run of letters is one name ------------------------------------------

def test_a_bold_run_of_letters_reads_as_one_name():
    scope = infer_scope([r"\mathbf{dw} = \mathbf{do} x"])
    read = parse_expression(r"\mathbf{dw} + 2\mathbf {do}", scope)
    assert sorted(str(s) for s in read.free_symbols) == ["do", "dw"]
    assert holds(read.subs({s: Symbol(str(s), real=True) for s in read.free_symbols}),
                 Symbol("dw", real=True) + 2 * Symbol("do", real=True))


xs = Symbol("x", real=True)
BOLD = ("$$\\mathbf{do} = x^2 + 1$$\n\n$$\\mathbf{dw} = 3\\,\\mathbf{do}$$",
        r"\frac{d\,\mathbf{dw}}{dx}", sympy.diff(3 * (xs ** 2 + 1), xs),
        [(r"6 x", 6 * xs), (r"9 x", 9 * xs), (r"6", sympy.Integer(6))])


def test_bold_names_carry_their_definitions():
    check_variants(*BOLD)
