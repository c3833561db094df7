"""The notation of posts that derive gradients of losses and layers.

As in ``test_notation``: each class is a tiny post whose claim is also built
by hand in SymPy; the independent oracle (``doit`` at small random sizes,
then 40-digit evaluation at random points) says which variant holds, and the
tool must prove the true one and refute every wrong one. Where a class is
about reading, the parsed expression is compared with the one built by hand.

Classes: the reach of a sum over the terms after its summand (1), loss names
written as runs of capitals or words (2), accented and styled indexed names
(3), averages over samples, log/ln and the sigmoid inside loss gradients (4).
"""

from __future__ import annotations

import re

import pytest
import sympy
from sympy import Derivative, Function, IndexedBase, Symbol

from symderive.latex import Scope, parse_display, parse_expression
from symderive.post.check import check_post
from symderive.post.names import infer_scope
from test_notation import holds, same_value, sigma, verdict_of_claim

w, lam, c = Symbol("w", real=True), Symbol("lambda", real=True), Symbol("c", real=True)
z = Symbol("z", real=True)
i, j, k, n = (Symbol(name, integer=True, positive=True) for name in "ijkn")
N, m = Symbol("N", integer=True, positive=True), Symbol("m", integer=True, positive=True)
a, b, p, y, x, X = (IndexedBase(name, real=True) for name in ("a", "b", "p", "y", "x", "X"))
y_hat, x_bar = IndexedBase("y_hat", real=True), IndexedBase("x_bar", real=True)
S = sympy.Sum
log = sympy.log


SIZES = {n: 4, N: 3, m: 4, Symbol("K", integer=True, positive=True): 4}  # an index takes values within its sum's range (test_notation.holds draws 1..4)


def sized_holds(lhs, rhs) -> bool:
    return holds(lhs.subs(SIZES), rhs.subs(SIZES))


def run_case(cases, case_id):
    """The first variant holds and the others do not (oracle), and the tool agrees."""
    prelude, lhs_tex, lhs, variants = cases[case_id]
    truths = [sized_holds(lhs, rhs) for _, rhs in variants]
    assert truths[0] and not any(truths[1:]), "the first variant is the true one, the others wrong"
    for (rhs_tex, _), truth in zip(variants, truths):
        post = f"{prelude}\n\n$${lhs_tex} = {rhs_tex}$$\n"
        assert verdict_of_claim(post) == ("proved" if truth else "refuted"), post


def bce_terms(index):
    return y[index] * log(p[index]) + (1 - y[index]) * log(1 - p[index])


# -- 1. a sum reaches over the terms after its summand that use its index --------------------

SUM_REACH = {
    "bce-summed-over-samples": (
        r"Let $L = -\sum_i y_i \log p_i + (1 - y_i)\log(1 - p_i)$.", r"\frac{\partial L}{\partial p_k}",
        Derivative(-S(bce_terms(i), (i, 1, n)), p[k]),
        [(r"-\frac{y_k}{p_k} + \frac{1 - y_k}{1 - p_k}", -y[k] / p[k] + (1 - y[k]) / (1 - p[k])),
         (r"-\frac{y_k}{p_k} - \frac{1 - y_k}{1 - p_k}", -y[k] / p[k] - (1 - y[k]) / (1 - p[k])),
         (r"-\frac{y_k}{p_k}", -y[k] / p[k])]),
    "mean-with-a-regulariser-outside": (
        r"Let $J = \frac{1}{N}\sum_{n=1}^{N} (w x_n - y_n)^2 + \lambda w^2$.", r"\frac{dJ}{dw}",
        Derivative(S((w * x[n] - y[n])**2, (n, 1, N)) / N + lam * w**2, w),
        [(r"\frac{2}{N}\sum_{n=1}^{N} (w x_n - y_n) x_n + 2\lambda w",
          2 * S((w * x[n] - y[n]) * x[n], (n, 1, N)) / N + 2 * lam * w),
         (r"\frac{2}{N}\sum_{n=1}^{N} (w x_n - y_n) x_n", 2 * S((w * x[n] - y[n]) * x[n], (n, 1, N)) / N),
         (r"\frac{2}{N}\sum_{n=1}^{N} (w x_n - y_n) + 2\lambda w",
          2 * S(w * x[n] - y[n], (n, 1, N)) / N + 2 * lam * w),
         (r"2\sum_{n=1}^{N} (w x_n - y_n) x_n + 2\lambda w", 2 * S((w * x[n] - y[n]) * x[n], (n, 1, N)) + 2 * lam * w)]),
    "factor-after-cdot": (
        r"Let $J = \frac{1}{2m}\sum_{i=1}^{m} (w x_i - y_i)^2$.", r"\frac{dJ}{dw}",
        Derivative(S((w * x[i] - y[i])**2, (i, 1, m)) / (2 * m), w),
        [(r"\frac{1}{m}\sum_{i=1}^{m} (w x_i - y_i) \cdot x_i", S((w * x[i] - y[i]) * x[i], (i, 1, m)) / m),
         (r"\frac{1}{m}\sum_{i=1}^{m} (w x_i - y_i) \cdot x_i^2", S((w * x[i] - y[i]) * x[i]**2, (i, 1, m)) / m),
         (r"\frac{1}{m}\sum_{i=1}^{m} (y_i - w x_i) \cdot x_i", S((y[i] - w * x[i]) * x[i], (i, 1, m)) / m)]),
}


@pytest.mark.parametrize("case", sorted(SUM_REACH))
def test_a_sum_reaches_over_later_terms_with_its_index(case):
    run_case(SUM_REACH, case)


@pytest.mark.parametrize("tex, built", [
    (r"-\sum_i y_i \log p_i + (1 - y_i)\log(1 - p_i)", -S(bce_terms(i), (i, 1, n))),
    (r"\sum_i a_i - b_i", S(a[i] - b[i], (i, 1, n))),  # the sign is relative to the summand
    (r"2\sum_i a_i + b_i", 2 * S(a[i] + b[i], (i, 1, n))),  # the factor before the sum multiplies it all
    (r"\frac{1}{N}\sum_{n=1}^{N} (\hat y_n - y_n)^2 + \lambda w^2",
     S((y_hat[n] - y[n])**2, (n, 1, N)) / N + lam * w**2),
    (r"\sum_i a_i + c", S(a[i], (i, 1, n)) + c),  # no index: the sum ends
    (r"\sum_i a_i + c - b_i", S(a[i], (i, 1, n)) + c - b[i]),  # only the terms right after the summand
    (r"\sum_i a_i \cdot b_i + c", S(a[i] * b[i], (i, 1, n)) + c),
    (r"\sum_i a_i / b_i", S(a[i] / b[i], (i, 1, n))),
    (r"\sum X_i \cdot (\hat{y}_i - y_i)", S(X[i] * (y_hat[i] - y[i]), (i, 1, n))),  # index from the summand
    (r"\sum_i \sum_j a_{ij} + b_i", S(S(a[i, j], (j, 1, n)) + b[i], (i, 1, n))),
    (r"\sum_i a_i + \sum_i b_i", S(a[i], (i, 1, n)) + S(b[i], (i, 1, n))),  # the second binds its own i
    (r"\sum_{k \neq i} a_k + b_k", S(a[k] + b[k], (k, 1, n)) - a[i] - b[i]),
    (r"\prod_i a_i + b_i", sympy.Product(a[i], (i, 1, n)) + b[i]),  # a product's reach is its product
])
def test_reading_of_a_sum_reach(tex, built):
    value = parse_expression(tex, _post_scope(tex))
    assert same_value(value, built), (tex, value)


def _post_scope(tex: str):
    return infer_scope(["a_i b_i y_i p_i x_i X_i a_{ij}", tex])


@pytest.mark.parametrize("tex, side, built", [
    # the index is free on the other side: the author may mean that i, so the sum ends at its summand
    (r"\frac{\partial L}{\partial z_i} = \sum_i a_i + b_i", 1, S(a[i], (i, 1, n)) + b[i]),
    (r"z_i = \sum_i a_i + b_i", 1, S(a[i], (i, 1, n)) + b[i]),
    (r"z_i + \sum_i a_i + b_i = c", 0, IndexedBase("z", real=True)[i] + S(a[i], (i, 1, n)) + b[i]),
    (r"c = \sum_i a_i + b_i, \quad i \neq k", 1, S(a[i], (i, 1, n)) + b[i]),
    # free elsewhere is another letter: the sum takes the term
    (r"\frac{\partial L}{\partial z_k} = \sum_i a_i + b_i", 1, S(a[i] + b[i], (i, 1, n))),
])
def test_a_sum_never_takes_a_term_whose_index_is_free_elsewhere(tex, side, built):
    display = parse_display(tex, _post_scope(tex + " z_i z_k"))
    assert same_value(display.parts[side].expr, built), display.parts[side].expr


def test_a_declared_free_index_is_never_taken_into_a_sum():
    k_ = Symbol("k", integer=True, positive=True)
    scope = Scope(variables={"z_k": Symbol("z_k", real=True)}, default_variable=Symbol("z_k", real=True),
                  indexed={"a": a, "b": b}, indices={"k": k_, "n": n})
    assert same_value(parse_expression(r"\sum_k a_k + b_k", scope), S(a[k], (k, 1, n)) + b[k])
    explicit = Scope(indexed={"a": a, "b": b}, indices={"i": i, "n": n}, free_indices=frozenset("i"))
    assert same_value(parse_expression(r"\sum_i a_i + b_i", explicit), S(a[i], (i, 1, n)) + b[i])
    assert same_value(parse_expression(r"\sum_i a_i + b_i", Scope(indexed={"a": a, "b": b})),
                      S(a[i] + b[i], (i, 1, n)))


# -- 2. loss names written as runs of capitals or as words --------------------------------------

def sig(t):
    return 1 / (1 + sympy.exp(-t))


def logistic_loss(index, size):
    return -S(y[index] * log(sig(w * x[index])) + (1 - y[index]) * log(1 - sig(w * x[index])), (index, 1, size))


LOSS_NAMES = {
    "NLL-defined-then-differentiated": (
        r"Let $NLL = -\sum_{n=1}^{N} y_n \log \sigma(w x_n) + (1 - y_n)\log(1 - \sigma(w x_n))$.",
        r"\frac{\partial NLL}{\partial w}", Derivative(logistic_loss(n, N), w),
        [(r"\sum_{n=1}^{N} (\sigma(w x_n) - y_n) x_n", S((sig(w * x[n]) - y[n]) * x[n], (n, 1, N))),
         (r"\sum_{n=1}^{N} (y_n - \sigma(w x_n)) x_n", S((y[n] - sig(w * x[n])) * x[n], (n, 1, N))),
         (r"\sum_{n=1}^{N} (\sigma(w x_n) - y_n)", S(sig(w * x[n]) - y[n], (n, 1, N)))]),
    "MSE-with-its-mean": (
        r"Let $MSE = \frac{1}{N}\sum_{n=1}^{N} (w x_n - y_n)^2$.", r"\frac{d MSE}{dw}",
        Derivative(S((w * x[n] - y[n])**2, (n, 1, N)) / N, w),
        [(r"\frac{2}{N}\sum_{n=1}^{N} (w x_n - y_n) x_n", 2 * S((w * x[n] - y[n]) * x[n], (n, 1, N)) / N),
         (r"2\sum_{n=1}^{N} (w x_n - y_n) x_n", 2 * S((w * x[n] - y[n]) * x[n], (n, 1, N))),
         (r"\frac{1}{N}\sum_{n=1}^{N} (w x_n - y_n) x_n", S((w * x[n] - y[n]) * x[n], (n, 1, N)) / N)]),
    "MSE-as-the-subscript-of-partial": (
        r"Let $MSE = \frac{1}{n}\sum_{i=1}^{n} (w x_i - y_i)^2$.", r"\frac{\partial_{MSE}}{\partial w}",
        Derivative(S((w * x[i] - y[i])**2, (i, 1, n)) / n, w),
        [(r"\frac{2}{n}\sum_{i=1}^{n} (w x_i - y_i) x_i", 2 * S((w * x[i] - y[i]) * x[i], (i, 1, n)) / n),
         (r"\frac{2}{n}\sum_{i=1}^{n} (w x_i - y_i)", 2 * S(w * x[i] - y[i], (i, 1, n)) / n)]),
    "CE-two-capitals-defined": (
        r"Let $CE = -\sum_{k=1}^{K} y_k \log p_k$.", r"\frac{\partial CE}{\partial p_j}",
        Derivative(-S(y[k] * log(p[k]), (k, 1, 4)), p[j]),
        [(r"-\frac{y_j}{p_j}", -y[j] / p[j]), (r"\frac{y_j}{p_j}", y[j] / p[j]), (r"-\frac{1}{p_j}", -1 / p[j])]),
    "text-CE": (
        r"Let $\text{CE} = -\sum_{k=1}^{K} y_k \log p_k$.", r"\frac{\partial \text{CE}}{\partial p_j}",
        Derivative(-S(y[k] * log(p[k]), (k, 1, 4)), p[j]),
        [(r"-\frac{y_j}{p_j}", -y[j] / p[j]), (r"-\frac{y_j}{p_j^2}", -y[j] / p[j]**2)]),
    "L-with-a-word-subscript": (
        r"Let $L_{CE} = -\sum_{k=1}^{K} y_k \log p_k$.", r"\frac{\partial L_{CE}}{\partial p_j}",
        Derivative(-S(y[k] * log(p[k]), (k, 1, 4)), p[j]),
        [(r"-\frac{y_j}{p_j}", -y[j] / p[j]), (r"\frac{y_j}{p_j}", y[j] / p[j])]),
    "J-of-theta": (
        r"Let $J(\theta) = \frac{1}{2m}\sum_{i=1}^{m} (\theta x_i - y_i)^2$.", r"\frac{dJ}{d\theta}",
        Derivative(S((Symbol("theta", real=True) * x[i] - y[i])**2, (i, 1, m)) / (2 * m), Symbol("theta", real=True)),
        [(r"\frac{1}{m}\sum_{i=1}^{m} (\theta x_i - y_i) x_i",
          S((Symbol("theta", real=True) * x[i] - y[i]) * x[i], (i, 1, m)) / m),
         (r"\frac{1}{2m}\sum_{i=1}^{m} (\theta x_i - y_i) x_i",
          S((Symbol("theta", real=True) * x[i] - y[i]) * x[i], (i, 1, m)) / (2 * m))]),
    "mathcal-L": (
        r"Let $\mathcal{L} = \frac{1}{2}(w x - c)^2$.", r"\frac{d\mathcal{L}}{dw}",
        Derivative((w * Symbol("x", real=True) - c)**2 / 2, w),
        [(r"(w x - c) x", (w * Symbol("x", real=True) - c) * Symbol("x", real=True)),
         (r"(w x - c)", w * Symbol("x", real=True) - c)]),
}
LOSS_SIZES = {Symbol("K", integer=True, positive=True): 4}


@pytest.mark.parametrize("case", sorted(LOSS_NAMES))
def test_loss_names_are_one_name(case):
    run_case(LOSS_NAMES, case)


NLL_, MSE_, BCE_ = (Symbol(name, real=True) for name in ("NLL", "MSE", "BCE"))
A_, B_, C_ = (Symbol(name, real=True) for name in "ABC")


@pytest.mark.parametrize("tex, built", [
    ("NLL", NLL_), ("2 MSE", 2 * MSE_), (r"\frac{BCE}{2}", BCE_ / 2),
    (r"NLL + \frac{1}{N}", NLL_ + 1 / Symbol("N", real=True)),  # N alone elsewhere: L is not, so NLL is one name
    (r"\text{CE}", Symbol("CE", real=True)), (r"\mathrm{KL}", Symbol("KL", real=True)),
    # products of letters, as a reader takes them
    ("AB", A_ * B_), ("ABx", A_ * B_ * Symbol("x", real=True)), ("ABCx", A_ * B_ * C_ * Symbol("x", real=True)),
    ("W^T X", Symbol("W", real=True) * Symbol("X", real=True)),
])
def test_reading_runs_of_capitals(tex, built):
    assert same_value(parse_expression(tex, Scope()), built), parse_expression(tex, Scope())


@pytest.mark.parametrize("tex", [r"ABC = A(BC)", r"(ABC)^T = C^T B^T A^T", r"tr(ABC) = tr(BCA)",
                                 r"ABC + CBA = 0"])
def test_a_run_whose_letters_are_written_apart_is_a_product(tex):
    display = parse_display(tex, Scope())
    assert all(not ({"ABC", "BCA", "CBA"} & {str(s) for s in part.expr.free_symbols}) for part in display.parts)


def test_a_run_of_declared_matrices_is_their_product():
    d = Symbol("d", integer=True, positive=True)
    A, B, C = (sympy.MatrixSymbol(name, d, d) for name in "ABC")
    scope = Scope(matrices={"A": A, "B": B, "C": C}, dimensions={"d": d})
    assert parse_expression(r"\mathbf{A}\mathbf{B}\mathbf{C}", scope) == A * B * C
    assert parse_expression("ABC", Scope(variables={"A": A_, "B": B_, "C": C_})) == A_ * B_ * C_


def test_two_capitals_defined_and_not():
    # defined on the left of '=' and not used apart on the right: one name (CE, KL); AB = BA stays a product
    assert "CE" in infer_scope([r"CE = -\sum_k y_k \log p_k"]).functions
    assert "KL" in infer_scope([r"KL(w) = w^2"]).functions
    assert "AB" not in infer_scope([r"AB = BA"]).functions
    assert "AB" not in infer_scope([r"AB = A B"]).functions
    assert "NLL" in infer_scope([r"NLL = -\frac{1}{N}\sum_{n=1}^{N} y_n \log p_n"]).functions


# -- 3. accented and styled names with an index are indexed variables ---------------------------

x_hat = IndexedBase("x_hat", real=True)
DECORATED = {
    "hat-y-k-in-cross-entropy": (
        r"Let $L = -\sum_{k=1}^{K} y_k \log \hat{y}_k$.", r"\frac{\partial L}{\partial \hat{y}_j}",
        Derivative(-S(y[k] * log(y_hat[k]), (k, 1, 4)), y_hat[j]),
        [(r"-\frac{y_j}{\hat{y}_j}", -y[j] / y_hat[j]), (r"\frac{y_j}{\hat{y}_j}", y[j] / y_hat[j]),
         (r"-\frac{1}{\hat{y}_j}", -1 / y_hat[j])]),
    "hat-y-bare-accent": (
        r"Let $J = \frac{1}{2}\sum_{n=1}^{N} (\hat y_n - y_n)^2$.", r"\frac{\partial J}{\partial \hat y_j}",
        Derivative(S((y_hat[n] - y[n])**2, (n, 1, N)) / 2, y_hat[j]),
        [(r"\hat y_j - y_j", y_hat[j] - y[j]), (r"y_j - \hat y_j", y[j] - y_hat[j]),
         (r"2(\hat y_j - y_j)", 2 * (y_hat[j] - y[j]))]),
    "bar-x-i": (
        r"Let $V = \sum_{i=1}^{n} \bar{x}_i^2$.", r"\frac{\partial V}{\partial \bar{x}_j}",
        Derivative(S(x_bar[i]**2, (i, 1, n)), x_bar[j]),
        [(r"2\bar{x}_j", 2 * x_bar[j]), (r"\bar{x}_j", x_bar[j]), (r"2\bar{x}_j^2", 2 * x_bar[j]**2)]),
    "mathbf-x-i": (
        r"Let $V = \sum_{i=1}^{n} w \mathbf{x}_i$.", r"\frac{\partial V}{\partial \mathbf{x}_j}",
        Derivative(S(w * x[i], (i, 1, n)), x[j]),
        [(r"w", w), (r"n w", n * w)]),
}


@pytest.mark.parametrize("case", sorted(DECORATED))
def test_decorated_names_with_an_index_are_indexed(case):
    run_case(DECORATED, case)


@pytest.mark.parametrize("tex, built", [
    (r"\hat{y}_k", y_hat[k]), (r"\hat y_k", y_hat[k]), (r"\bar{x}_i", x_bar[i]), (r"\hat{x}_{i}", x_hat[i]),
    (r"\sum_{i=1}^{m} (\hat{y}^{(i)} - y^{(i)})^2",
     S((IndexedBase("y_hat^()", real=True)[i] - IndexedBase("y^()", real=True)[i])**2, (i, 1, m))),
])
def test_reading_decorated_indexed_names(tex, built):
    value = parse_expression(tex, infer_scope([tex]))
    assert same_value(value, built) and value.atoms(sympy.Indexed), value


def test_an_accented_name_is_not_its_plain_letter():
    # y_hat_k and y_k are different vectors: y_k - \hat{y}_k is no identity
    assert verdict_of_claim(r"$$\hat{y}_k - y_k = 0$$") == "refuted"


# -- 4. averages over samples, log / ln, the sigmoid inside loss gradients -------------------

def bce_of_sigmoid(size, index):
    return -S(y[index] * log(sig(w * x[index])) + (1 - y[index]) * log(1 - sig(w * x[index])), (index, 1, size)) / size


LOSS_GRADIENTS = {
    "logistic-regression-average-over-m": (
        r"Let $J(w) = -\frac{1}{m}\sum_{i=1}^{m} y_i\log\sigma(w x_i) + (1-y_i)\log(1-\sigma(w x_i))$.",
        r"\frac{dJ}{dw}", Derivative(bce_of_sigmoid(m, i), w),
        [(r"\frac{1}{m}\sum_{i=1}^{m}(\sigma(w x_i) - y_i)x_i", S((sig(w * x[i]) - y[i]) * x[i], (i, 1, m)) / m),
         (r"\sum_{i=1}^{m}(\sigma(w x_i) - y_i)x_i", S((sig(w * x[i]) - y[i]) * x[i], (i, 1, m))),
         (r"\frac{1}{m}\sum_{i=1}^{m}(y_i - \sigma(w x_i))x_i", S((y[i] - sig(w * x[i])) * x[i], (i, 1, m)) / m)]),
    "ln-and-log-as-words": (
        r"Let $L = -(c \ln \sigma(z) + (1 - c) log(1 - \sigma(z)))$.", r"\frac{dL}{dz}",
        Derivative(-(c * log(sig(z)) + (1 - c) * log(1 - sig(z))), z),
        [(r"\sigma(z) - c", sig(z) - c), (r"c - \sigma(z)", c - sig(z)),
         (r"\sigma(z)(1 - \sigma(z)) - c", sig(z) * (1 - sig(z)) - c)]),
    "through-sigma-prime": (
        r"Let $L = -c\log\sigma(z) - (1-c)\log(1-\sigma(z))$ where $\sigma'(z) = \sigma(z)(1-\sigma(z))$.",
        r"\frac{dL}{dz}", Derivative(-c * log(sig(z)) - (1 - c) * log(1 - sig(z)), z),
        [(r"-\frac{c}{\sigma(z)}\sigma'(z) + \frac{1-c}{1-\sigma(z)}\sigma'(z)", sig(z) - c),
         (r"-\frac{c}{\sigma(z)}\sigma'(z) - \frac{1-c}{1-\sigma(z)}\sigma'(z)",
          -c * (1 - sig(z)) - (1 - c) * sig(z))]),
}


@pytest.mark.parametrize("case", sorted(LOSS_GRADIENTS))
def test_averages_logs_and_the_sigmoid_in_loss_gradients(case):
    run_case(LOSS_GRADIENTS, case)


def test_a_chain_through_sigma_prime_is_checked_step_by_step():
    post = (r"Let $L = -c\log\sigma(z) - (1-c)\log(1-\sigma(z))$ where $\sigma'(z) = \sigma(z)(1-\sigma(z))$."
            "\n\n$$\\frac{dL}{dz} = -\\frac{c}{\\sigma(z)}\\sigma'(z) + \\frac{1-c}{1-\\sigma(z)}\\sigma'(z)$$\n\n"
            "$$= -c(1-\\sigma(z)) + (1-c)\\sigma(z)$$\n\n$$= \\sigma(z) - c$$\n\n$$= c - \\sigma(z)$$\n")
    steps = [sig(z) - c, -c * (1 - sig(z)) + (1 - c) * sig(z), sig(z) - c, c - sig(z)]
    truths = ["proved" if holds(steps[0], step) else "refuted" for step in steps]
    report = check_post(post, "notation.md", timeout=10)
    assert not report.unreadable, report.unreadable
    assert [claim.verdict for claim in report.claims()][-4:] == truths


# -- 3b. a vector written bare beside its entries reads as the entry ---------------------------

BARE_ENTRIES = {
    "bce-label-without-its-index": (
        "", r"\frac{d}{d\hat y_i}\left(y_i\log \hat y_i + (1-y_i)\log(1-\hat y)\right)",
        Derivative(y[i] * log(y_hat[i]) + (1 - y[i]) * log(1 - y_hat[i]), y_hat[i]),
        [(r"\frac{y_i}{\hat y_i} - \frac{1-y_i}{1-\hat y_i}", y[i] / y_hat[i] - (1 - y[i]) / (1 - y_hat[i])),
         (r"\frac{y_i}{\hat y_i} + \frac{1-y_i}{1-\hat y_i}", y[i] / y_hat[i] + (1 - y[i]) / (1 - y_hat[i]))]),
    "label-bare-inside-the-sum": (
        r"Let $J = -\sum_{i=1}^{m} (1 - y)\log(1 - \sigma(w x_i)) + y\log\sigma(w x_i)$ with labels $y_i$.",
        r"\frac{dJ}{dw}", Derivative(logistic_loss(i, m), w),
        [(r"\sum_{i=1}^{m} (\sigma(w x_i) - y_i) x_i", S((sig(w * x[i]) - y[i]) * x[i], (i, 1, m))),
         (r"\sum_{i=1}^{m} (\sigma(w x_i) - y) x_i", S((sig(w * x[i]) - y[i]) * x[i], (i, 1, m))),
         (r"\sum_{i=1}^{m} (y_i - \sigma(w x_i)) x_i", S((y[i] - sig(w * x[i])) * x[i], (i, 1, m)))]),
}


@pytest.mark.parametrize("case", sorted(BARE_ENTRIES))
def test_a_bare_vector_beside_its_entries_is_the_entry(case):
    prelude, lhs_tex, lhs, variants = BARE_ENTRIES[case]
    truths = [sized_holds(lhs, rhs) for _, rhs in variants]
    assert truths[0] and not truths[-1]
    for (rhs_tex, _), truth in zip(variants, truths):
        post = f"{prelude}\n\n$${lhs_tex} = {rhs_tex}$$\n"
        assert verdict_of_claim(post) == ("proved" if truth else "refuted"), post


@pytest.mark.parametrize("texts, tex, name, entry", [
    (["y_i p_i"], r"-\sum_{i=1}^{n} (1 - y)\log p_i", "y", True),  # i bound by the sum being read
    (["y_i p_i"], r"(1 - y)\log p_i", "y", True),  # i written in the display
    (["y_i p_i"], r"p - y", "y", False),  # no index in use: the vectors themselves
    (["y_i y_j p_i"], r"(1 - y)\log p_i", "y", False),  # entries written at two letters: which one is unknown
    (["z_i"], r"\mathrm{softmax}(z) + z_i", "z", False),  # the argument of a function of the vector
    (["z_i"], r"\sigma(z) + z_i", "z", False),
    (["y_i"], r"\mathbf{y} + y_i", "y", False),  # styled as a vector
    (["z_i"], r"\frac{\partial L}{\partial z} + z_i", "z", False),  # differentiated in
])
def test_when_a_bare_vector_is_its_entry(texts, tex, name, entry):
    value = parse_expression(tex, infer_scope(texts + [tex]))
    bare = re.search(rf"(?<![A-Za-z_]){name}(?![A-Za-z_\[])", str(value))
    assert (bare is None) == entry, value


# -- 2b. gradient names and loss names applied to the weights ------------------------------------

GRADIENT_NAMES = {
    "dw-defined-then-restated": (
        r"Let $\hat{y}_i = w x_i + c$ and $dw = \frac{1}{n} \sum_{i=1}^{n} x_i (\hat{y}_i - y_i)$.", "dw",
        S(x[i] * (w * x[i] + c - y[i]), (i, 1, n)) / n,
        [(r"\frac{1}{n} \sum_{i=1}^{n} x_i (w x_i + c - y_i)", S(x[i] * (w * x[i] + c - y[i]), (i, 1, n)) / n),
         (r"\frac{1}{n} \sum_{i=1}^{n} x_i (w x_i - y_i)", S(x[i] * (w * x[i] - y[i]), (i, 1, n)) / n),
         (r"\frac{2}{n} \sum_{i=1}^{n} x_i (w x_i + c - y_i)", 2 * S(x[i] * (w * x[i] + c - y[i]), (i, 1, n)) / n)]),
    "mathcal-L-of-bold-w": (
        r"Let $\mathcal{L}_{\text{NLL}}(\mathbf{w}) = -\sum_{i=1}^{n} y_i \log \sigma(w x_i)$.",
        r"\frac{d\mathcal{L}_{\text{NLL}}}{dw}", Derivative(-S(y[i] * log(sig(w * x[i])), (i, 1, n)), w),
        [(r"-\sum_{i=1}^{n} y_i (1 - \sigma(w x_i)) x_i", -S(y[i] * (1 - sig(w * x[i])) * x[i], (i, 1, n))),
         (r"-\sum_{i=1}^{n} y_i \sigma(w x_i) x_i", -S(y[i] * sig(w * x[i]) * x[i], (i, 1, n)))]),
}


@pytest.mark.parametrize("case", sorted(GRADIENT_NAMES))
def test_gradient_and_loss_names(case):
    run_case(GRADIENT_NAMES, case)


def test_gradient_names_and_differentials():
    scope = infer_scope([r"dw = 2 w", r"\frac{dL}{dw} = 2w"])
    assert "dw" in scope.functions  # a display opening with dw = .. names the gradient
    assert parse_expression(r"\frac{dL}{dw}", scope).has(Derivative)  # a differential stays one
    assert "dx" not in infer_scope([r"y = 2 dx"]).functions  # only on the left of '=' at the start


def test_an_entry_of_a_function_of_bold_w_is_a_name():
    scope = infer_scope([r"\frac{d\ell_i}{dw} = y_i", r"\ell_i(\mathbf{w}) = y_i w"])
    left = parse_display(r"\ell_i(\mathbf{w}) = y_i w", scope).parts[0].expr
    assert isinstance(left, sympy.Indexed), left  # the i-th loss, never l_i times w
