"""Accents over whole names: ``\\bar{\\mathbf{dq}}``, ``\\hat{\\mathbf{p}}``,
``\\dot{FL}`` are one decorated name each (dq_bar, p_hat, FL_dot), as an
accent over one letter is; in a derivative's denominator too. A bold name
is one the post may mean as a vector: a proof reading it as a number is
the one-dimensional case only (unknown), and a refutation whose
counterexample gives it a number while the claim writes it on one side
only is unknown too. Beside them, the sums whose upper limit is also an
argument (``\\mu(n)`` beside ``\\sum_{i=1}^{n}``), read as counts before a
claim is evaluated, and the slash before juxtaposed factors.

The truth of each variant comes from the oracle of ``test_notation``
(40-digit evaluation at random points), or from sympy.diff of the sums
written out for a concrete length; never from the tool.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Derivative, Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import parse_display
from symderive.post.check import check_post
from symderive.post.names import infer_scope
from test_notation import holds, run_class, run_class_as_numbers

x = Symbol("x", real=True)
ab_bar, ab_tilde, fl_dot = (Symbol(name, real=True) for name in ("ab_bar", "ab_tilde", "FL_dot"))
p_hat, dq_bar, x_hat = (Symbol(name, real=True) for name in ("p_hat", "dq_bar", "x_hat"))
E = sympy.exp


def parsed(text: str):
    display = parse_display(text, infer_scope([text]))
    return display, [part.expr for part in display.parts]


def claims_of(post: str):
    report = check_post(post, "accents.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return report.claims()


# -- 1. the names an accent over a whole name makes ---------------------------------------------

@pytest.mark.parametrize("text, name, bold", [
    (r"\bar{\mathbf {dq}}", "dq_bar", True),
    (r"\hat{\mathbf{p}}", "p_hat", True),
    (r"\hat\mathbf{p}", "p_hat", True),
    (r"\tilde{\boldsymbol\theta}", "theta_tilde", True),
    (r"\dot{FL}", "FL_dot", False),
    (r"\overline{ab}", "ab_bar", False),
    (r"\hat{y}", "y_hat", False),
], ids=["bar-bold-run", "hat-bold-letter", "hat-bold-unbraced", "tilde-boldsymbol-greek", "dot-word",
        "overline-word", "hat-letter"])
def test_an_accent_over_a_name_is_one_decorated_name(text, name, bold):
    display, (expr,) = parsed(text)
    assert expr == Symbol(name, real=True)
    assert (name in display.vectors_as_numbers) == bold  # bold: the post may mean a vector


@pytest.mark.parametrize("text", [r"\hat{1}", r"\bar{x+y}", r"\mathcal{\mathbf{L}}", r"\hat{\mathbf{x+y}}"],
                         ids=["digit", "expression", "font-over-bold", "bold-expression"])
def test_an_accent_over_no_name_is_unreadable(text):
    with pytest.raises(LatexSyntaxError):
        parsed(text)


def test_accented_names_stay_apart_from_the_plain_ones():
    _, (expr,) = parsed(r"\bar{\mathbf{dq}} + \dot{FL} + dq")
    names = {str(s) for s in expr.free_symbols}
    assert {"dq_bar", "FL_dot"} <= names and "FL" not in names


# -- 2. claims in an accented multi-letter name, also in a derivative's denominator ----------------

MULTI_LETTER = {
    "in-the-denominator": ("", r"\frac{d}{d\bar{ab}} e^{2\bar{ab}}", Derivative(E(2 * ab_bar), ab_bar),
                           [(r"2e^{2\bar{ab}}", 2 * E(2 * ab_bar)), (r"e^{2\bar{ab}}", E(2 * ab_bar)),
                            (r"2\bar{ab} e^{2\bar{ab}}", 2 * ab_bar * E(2 * ab_bar))]),
    "partial-in-the-denominator": ("", r"\frac{\partial}{\partial \tilde{ab}} \tilde{ab}^3 \sin x",
                                   Derivative(ab_tilde**3 * sympy.sin(x), ab_tilde),
                                   [(r"3\tilde{ab}^2 \sin x", 3 * ab_tilde**2 * sympy.sin(x)),
                                    (r"3\tilde{ab}^2 \cos x", 3 * ab_tilde**2 * sympy.cos(x))]),
    "a-constant-factor": ("", r"\frac{d}{dx} \sin(\dot{FL} x)", Derivative(sympy.sin(fl_dot * x), x),
                          [(r"\dot{FL} \cos(\dot{FL} x)", fl_dot * sympy.cos(fl_dot * x)),
                           (r"\cos(\dot{FL} x)", sympy.cos(fl_dot * x)),
                           (r"-\dot{FL} \cos(\dot{FL} x)", -fl_dot * sympy.cos(fl_dot * x))]),
    "single-letter-in-the-denominator": ("", r"\frac{\partial}{\partial \hat{x}} (\hat{x}^2 x + x)",
                                         Derivative(x_hat**2 * x + x, x_hat),
                                         [(r"2\hat{x} x", 2 * x_hat * x), (r"2\hat{x} x + 1", 2 * x_hat * x + 1)]),
}


@pytest.mark.parametrize("case", sorted(MULTI_LETTER))
def test_claims_in_an_accented_multi_letter_name(case):
    run_class(MULTI_LETTER, case)


# -- 3. claims in an accented bold name: the one-dimensional case -----------------------------------

BOLD = {
    "bold-factor": ("", r"\frac{\partial}{\partial x} \hat{\mathbf{p}} x^2", Derivative(p_hat * x**2, x),
                    [(r"2\hat{\mathbf{p}} x", 2 * p_hat * x), (r"\hat{\mathbf{p}} x", p_hat * x),
                     (r"2\hat{\mathbf{p}} x^2", 2 * p_hat * x**2)]),
    "bold-in-the-denominator": ("", r"\frac{\partial}{\partial \bar{\mathbf{dq}}} \bar{\mathbf{dq}}^3",
                                Derivative(dq_bar**3, dq_bar),
                                [(r"3\bar{\mathbf{dq}}^2", 3 * dq_bar**2), (r"3\bar{\mathbf{dq}}", 3 * dq_bar)]),
}


@pytest.mark.parametrize("case", sorted(BOLD))
def test_claims_in_an_accented_bold_name(case):
    run_class_as_numbers(BOLD, case)


LEAST_SQUARES = r"Let $L(w) = \sum_{i=1}^{n} (w x_i - y_i)^2$." "\n\n"
SAMPLES = 3
xv, yv = sympy.Matrix(sympy.symbols(f"x1:{SAMPLES + 1}", real=True)), sympy.Matrix(sympy.symbols(f"y1:{SAMPLES + 1}"))
w = Symbol("w", real=True)
GRADIENT = sympy.diff(sum((w * a - b)**2 for a, b in zip(xv, yv)), w)


def test_a_bold_name_collecting_entries_given_a_number_is_no_refutation():
    # X^T (X w - y) with X the column of the x_i is the gradient of the sum (the matrix form of
    # post 69); read as numbers, X and y given one value each, it is refuted: unknown instead
    assert sympy.expand(GRADIENT - (2 * xv.T * (xv * w - yv))[0]) == 0
    (claim,) = claims_of(LEAST_SQUARES + r"$$L'(w) = 2\mathbf{X}^\top (\mathbf{X} w - \mathbf{y})$$" "\n")
    assert claim.verdict == "unknown" and "X given a number" in claim.evidence.reason


@pytest.mark.parametrize("rhs, written", [
    (r"2\sum_{i=1}^{n} (w x_i - y_i) x_i", 2 * sum((w * a - b) * a for a, b in zip(xv, yv))),
    (r"2\sum_{i=1}^{n} (w x_i - y_i)", 2 * sum(w * a - b for a, b in zip(xv, yv))),  # wrong; no bold name
], ids=["true", "wrong"])
def test_the_sum_over_entries_itself_is_decided(rhs, written):
    truth = sympy.expand(GRADIENT - written) == 0
    (claim,) = claims_of(LEAST_SQUARES + f"$$L'(w) = {rhs}$$\n")
    assert claim.verdict == ("proved" if truth else "refuted")


def test_a_bold_name_only_the_result_writes_given_a_number_is_no_refutation():
    # the result may be where the author names what the left side builds (p_hat for sigma(X w))
    assert not holds(2 * x, 2 * p_hat * x)  # wrong for numbers
    post = r"Let $f(x) = x^2$ and $g(x) = \hat{\mathbf p} + x$." "\n\n" r"$$f'(x) = 2\hat{\mathbf{p}} x$$" "\n"
    (claim,) = claims_of(post)
    assert claim.verdict == "unknown" and "p_hat given a number" in claim.evidence.reason
    plain = r"Let $f(x) = x^2$ and $g(x) = \hat{p} + x$." "\n\n" r"$$f'(x) = 2\hat{p} x$$" "\n"
    assert claims_of(plain)[-1].verdict == "refuted"  # no bold: a number, refuted


def test_a_bold_name_dropped_from_a_side_without_entries_is_refuted():
    # d/dx (x^2 p) = 2x for numbers p != 1, and for vectors p too: no sum beside p_hat for it to collect
    assert not holds(sympy.diff(x**2 * p_hat, x), 2 * x)
    post = r"Let $g(x) = \hat{\mathbf p} + x$." "\n\n" r"$$\frac{d}{dx} x^2 \hat{\mathbf{p}} = 2x$$" "\n"
    assert claims_of(post)[-1].verdict == "refuted"


# -- 4. a sum's upper limit also an argument: a count before the claim is evaluated ---------------

N = 4
xs = sympy.symbols(f"x1:{N + 1}", real=True)
MU = sum(xs) / N
PRELUDE = r"Let $\mu(n) = \frac{1}{n}\sum_{i=1}^{n} x_i$." "\n\n"
LHS = r"\frac{\partial}{\partial x_k} \sum_{i=1}^{n} (x_i - \mu(n))^2"
COUNTED = {
    # rhs as LaTeX, and as a function of k for the written-out oracle (n = 4)
    r"2(x_k - \mu(n))": (True, lambda k: 2 * (xs[k] - MU)),
    r"2(x_k - \mu(n)) - \frac{2}{n}\sum_{i=1}^{n}(x_i - \mu(n))": (
        True, lambda k: 2 * (xs[k] - MU) - sympy.Rational(2, N) * sum(xi - MU for xi in xs)),
    r"2(x_k - \mu(n))(1 - \frac{1}{n})": (False, lambda k: 2 * (xs[k] - MU) * (1 - sympy.Rational(1, N))),
    r"2 x_k": (False, lambda k: 2 * xs[k]),
}


@pytest.mark.parametrize("rhs", sorted(COUNTED), ids=lambda text: text[:30])
def test_a_sum_limit_used_as_an_argument_is_a_count(rhs):
    truth, rhs_of = COUNTED[rhs]
    loss = sum((xi - MU)**2 for xi in xs)
    oracle = all(sympy.simplify(sympy.diff(loss, xs[k]) - rhs_of(k)) == 0 for k in range(N))
    assert oracle == truth
    (claim,) = claims_of(f"{PRELUDE}$${LHS} = {rhs}$$\n")
    assert claim.verdict == ("proved" if truth else "refuted"), claim.evidence


# -- 5. a slash before juxtaposed factors: a/b (c) read as a/(b c), a reader may mean (a/b) c ------

@pytest.mark.parametrize("rhs, reader", [
    (r"1/2 \left( x \right)", x / 2),
    (r"1/2 (x)", x / 2),
], ids=["left-right", "parenthesis"])
def test_a_slash_before_a_parenthesis_is_no_refutation(rhs, reader):
    lhs = sympy.diff(x**2 / 4, x)
    assert holds(lhs, reader) and not holds(lhs, 1 / (2 * x))  # true as (1/2) x, wrong as 1/(2x)
    (claim,) = claims_of(rf"$$\frac{{d}}{{dx}} \frac{{x^2}}{{4}} = {rhs}$$" "\n")
    assert claim.verdict == "unknown" and "slash" in claim.evidence.reason


def test_a_function_after_a_slash_is_still_refuted():
    # 1/\sigma(x) applies sigma: no second reading, and the wrong claim stays refuted
    t = Symbol("t")
    body = sympy.Lambda(t, 1 / (1 + E(-t)))
    assert not holds(sympy.diff(body(x), x), (1 / body(x)).doit())
    post = (r"Let $\sigma(x) = \frac{1}{1+e^{-x}}$." "\n\n" r"$$\frac{d}{dx}\sigma(x) = 1/\sigma(x)$$" "\n")
    assert claims_of(post)[-1].verdict == "refuted"
