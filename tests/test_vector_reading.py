"""A claim read with the post's vectors as vectors (symderive/post/vector_reading.py).

The oracle is independent of the tool: each claim is stated again with
explicit vectors of length 2 and 3 (SymPy matrices of fresh symbols), the
derivative taken by ``sympy.diff`` entry by entry, and both sides compared at
random points. A right claim is proved only when its entrywise reading is,
and the wrong variants (transpose missing, sign, lost factor) are refuted.
"""

from __future__ import annotations

import random
import textwrap

import pytest
import sympy

from symderive.evidence import Proved, Refuted
from symderive.post.check import check_post
from symderive.post.vector_reading import ENTRY, LENGTH, entrywise

W = sympy.Symbol("w", real=True)
X = sympy.IndexedBase("x", real=True)
THETA = sympy.IndexedBase("theta", real=True)
I, J = sympy.symbols("i j", integer=True, positive=True)


def _explicit(size: int):
    """w and one sample x as explicit vectors of ``size`` entries."""
    w = sympy.Matrix(sympy.symbols(f"w1:{size + 1}", real=True))
    x = sympy.Matrix(sympy.symbols(f"x1:{size + 1}", real=True))
    return w, x


def _agrees(left, right, symbols, tries: int = 4) -> bool:
    rng = random.Random(7)
    for _ in range(tries):
        point = {s: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)) for s in symbols}
        if abs(sympy.N(left.xreplace(point) - right.xreplace(point), 30)) > 1e-20:
            return False
    return True


# the oracle: d/dw log(1 + e^{-w^T x}) written with explicit vectors, entry by entry
@pytest.mark.parametrize("size", [2, 3])
def test_oracle_gradient_of_logistic_loss(size):
    w, x = _explicit(size)
    loss = sympy.log(1 + sympy.exp(-(w.T * x)[0]))
    gradient = sympy.Matrix([sympy.diff(loss, e) for e in w])
    p = 1 / (1 + sympy.exp(-(w.T * x)[0]))
    symbols = list(w) + list(x)
    assert all(_agrees(g, (p - 1) * xe, symbols) for g, xe in zip(gradient, x))
    assert not all(_agrees(g, (1 - p) * xe, symbols) for g, xe in zip(gradient, x))  # wrong sign


def _entry(expr, size, w, x, c):
    """The tool's entrywise expression at length ``size`` and entry ``c``, with
    the vectors' entries the oracle's symbols."""
    k = sympy.Symbol("k_vec", integer=True, positive=True)
    expr = expr.xreplace({LENGTH: size, ENTRY: c})
    expr = expr.replace(lambda e: isinstance(e, sympy.Sum), lambda e: e.doit())
    entries = {sympy.IndexedBase("w", real=True)[n + 1]: w[n] for n in range(size)}
    entries.update({X[I, n + 1]: x[n] for n in range(size)})
    return expr.xreplace(entries).doit()


@pytest.mark.parametrize("size", [2, 3])
def test_gradient_read_entrywise_matches_the_oracle(size):
    z = W * X[I]  # w^T x_i as the front end reads it: a product of numbers
    lhs = sympy.Derivative(sympy.log(1 + sympy.exp(-z)), W)
    rhs = -X[I] * sympy.exp(-z) / (1 + sympy.exp(-z))
    read = entrywise(lhs, rhs, marked=("w",), bold={"x"})
    assert read is not None
    w, x = _explicit(size)
    loss = sympy.log(1 + sympy.exp(-(w.T * x)[0]))
    for c in range(1, size + 1):
        left, right = (_entry(side, size, w, x, c) for side in read)
        oracle = sympy.diff(loss, w[c - 1])
        assert _agrees(left, oracle, list(w) + list(x))
        assert _agrees(right, oracle, list(w) + list(x))


def test_a_vector_in_a_function_is_not_read():
    # sigma(w) with w a vector has no meaning here: the number reading stays
    assert entrywise(sympy.exp(W), sympy.exp(W), marked=("w",)) is None


def test_a_vector_equal_to_a_number_is_not_read():
    assert entrywise(sympy.Derivative(W * X[I], W), sympy.Integer(1), marked=("w",), bold={"x"}) is None


def test_names_written_bare_and_with_entries_are_vectors():
    # theta beside theta_j, x^(i) beside x_j^(i): d/dtheta_j theta^T x^(i) = x_j^(i)
    sample = sympy.IndexedBase("x^()", real=True)
    lhs = sympy.Derivative(THETA * sample[I], THETA[J])
    left, right = entrywise(lhs, sample[I, J])
    assert left.doit().has(sympy.KroneckerDelta) or left.doit() != 0
    assert right == sample[I, J]


POST = textwrap.dedent(r"""
    # Logistic regression

    Let $z = \theta^T x^{{(i)}}$ and $h_\theta(x) = \sigma(\theta^T x)$.

    $$\frac{{\partial}}{{\partial \theta_j}} h_\theta(x^{{(i)}}) = \frac{{\partial \sigma(z)}}{{\partial z}} \cdot \frac{{\partial z}}{{\partial \theta_j}} = {right}$$
    """)


def _verdicts(right: str) -> list:
    report = check_post(POST.format(right=right), "post.md")
    return [step.evidence for step in report.claims()]


def test_derivative_through_a_dot_product_is_proved():
    verdicts = _verdicts(r"h_\theta(x^{(i)}) (1 - h_\theta(x^{(i)})) x_j^{(i)}")
    assert verdicts and isinstance(verdicts[-1], Proved), verdicts


@pytest.mark.parametrize("wrong", [
    r"- h_\theta(x^{(i)}) (1 - h_\theta(x^{(i)})) x_j^{(i)}",  # wrong sign
    r"2 h_\theta(x^{(i)}) (1 - h_\theta(x^{(i)})) x_j^{(i)}",  # a factor too many
    r"h_\theta(x^{(i)}) x_j^{(i)}",  # lost factor 1 - h
])
def test_wrong_derivative_through_a_dot_product_is_refuted(wrong):
    verdicts = _verdicts(wrong)
    assert verdicts and isinstance(verdicts[-1], Refuted), verdicts


def test_a_claim_that_writes_no_entry_of_the_sample_is_not_proved():
    # x^(i) is read as a vector only beside its entries x_j^(i): without them, no reading decides
    verdicts = _verdicts(r"h_\theta(x^{(i)}) (1 - h_\theta(x^{(i)}))")
    assert verdicts and not isinstance(verdicts[-1], Proved), verdicts


GRADIENT_POST = textwrap.dedent(r"""
    # Logistic loss of one sample

    Let $z_i = \mathbf{{w}}^\top \mathbf{{x}}_i$ and $\ell_i = \log(1 + e^{{-z_i}})$.

    $$
    \nabla_{{\mathbf{{w}}}} \ell_i = {right}
    $$
    """)


def _gradient_verdicts(right: str) -> list:
    report = check_post(GRADIENT_POST.format(right=right), "post.md")
    return [step.evidence for step in report.claims()]


def test_gradient_in_a_bold_vector_is_proved_entry_by_entry():
    right = r"-\frac{e^{-\mathbf{w}^\top \mathbf{x}_i}}{1 + e^{-\mathbf{w}^\top \mathbf{x}_i}} \mathbf{x}_i"
    verdicts = _gradient_verdicts(right)
    assert verdicts and isinstance(verdicts[-1], Proved), verdicts
    assert "entry by entry" in verdicts[-1].method


@pytest.mark.parametrize("wrong", [
    r"\frac{e^{-\mathbf{w}^\top \mathbf{x}_i}}{1 + e^{-\mathbf{w}^\top \mathbf{x}_i}} \mathbf{x}_i",  # wrong sign
    r"-\frac{1}{1 + e^{-\mathbf{w}^\top \mathbf{x}_i}} \mathbf{x}_i",  # lost factor e^{-z}
    r"-\frac{e^{-\mathbf{w}^\top \mathbf{x}_i}}{1 + e^{-\mathbf{w}^\top \mathbf{x}_i}} \mathbf{x}_i \mathbf{w}^\top",  # outer
])
def test_wrong_gradient_in_a_bold_vector_is_never_proved(wrong):
    verdicts = _gradient_verdicts(wrong)
    assert verdicts and not isinstance(verdicts[-1], Proved), verdicts


@pytest.mark.parametrize("text, other", [
    (r"\delta^L (a^{L-1})^T", True), (r"\mathbf{x} \mathbf{w}^\top", True), (r"a \odot b", True),
    (r"\mathbf{w}^\top \mathbf{x}_i", False), (r"\theta^T x^{(i)}", False), (r"X^\top (p - y)", False),
])
def test_products_the_dot_reading_does_not_give_are_recognised(text, other):
    from symderive.post.vector_reading import other_products
    assert other_products([text]) is other


def test_a_marked_vector_times_one_name_is_a_dot_product():
    # w^T x_i with only w marked: x_i is the i-th vector, entry x[i, c]; checked at n = 3 against sympy.diff
    z = W * X[I]
    left, right = entrywise(sympy.Derivative(sympy.exp(z), W), sympy.exp(z) * sympy.Derivative(z, W), marked=("w",))
    w, x = _explicit(3)
    for c in (1, 2, 3):
        oracle = sympy.diff(sympy.exp((w.T * x)[0]), w[c - 1])
        assert _agrees(_entry(left, 3, w, x, c), oracle, list(w) + list(x))
        assert _agrees(_entry(right, 3, w, x, c), oracle, list(w) + list(x))


def test_an_entry_of_a_vector_written_bare_is_not_promoted():
    # x beside x_i: x_i is a number, w x_i a vector; d/dw of it equals no number
    y = sympy.Symbol("x", real=True)
    assert entrywise(sympy.Derivative(W * X[I], W), X[I] + 0 * y, marked=("w", "x")) is None


def test_chain_rule_through_a_held_entry_definition_is_proved():
    # dl_i/dz_i holds z_i; its definition w^T x_i is read as the sides are when it is unfolded after
    right = r"\frac{d\ell_i}{dz_i} \cdot \frac{dz_i}{d\mathbf{w}}"
    verdicts = _gradient_verdicts(right)
    assert verdicts and isinstance(verdicts[-1], Proved), verdicts


@pytest.mark.parametrize("wrong", [
    r"-\frac{d\ell_i}{dz_i} \cdot \frac{dz_i}{d\mathbf{w}}",  # wrong sign
    r"2 \frac{d\ell_i}{dz_i} \cdot \frac{dz_i}{d\mathbf{w}}",  # a factor too many
])
def test_wrong_chain_rule_through_a_held_entry_definition_is_not_proved(wrong):
    verdicts = _gradient_verdicts(wrong)
    assert verdicts and not isinstance(verdicts[-1], Proved), verdicts


MIXED_POST = textwrap.dedent(r"""
    # Two relations, one with vectors

    $$\frac{{d}}{{dx}} x^2 = {first} = 2x + \mathbf{{w}}^\top \mathbf{{v}} - \mathbf{{v}}^\top \mathbf{{w}}$$
    """)


def test_a_relation_without_the_marked_vectors_keeps_its_proof():
    verdicts = [s.evidence for s in check_post(MIXED_POST.format(first="2x"), "post.md").claims()]
    assert len(verdicts) == 2 and all(isinstance(v, Proved) for v in verdicts), verdicts


def test_a_wrong_relation_beside_marked_vectors_is_refuted():
    verdicts = [s.evidence for s in check_post(MIXED_POST.format(first="3x"), "post.md").claims()]
    assert verdicts and isinstance(verdicts[0], Refuted), verdicts
    assert not isinstance(verdicts[1], Proved), verdicts  # 3x = 2x + ... is wrong for every reading


def test_an_entrywise_product_in_the_display_leaves_the_vector_reading_out():
    # with \odot written, a product of two vectors may be entrywise: no dot-product reading decides
    post = POST.replace(r"\cdot", r"\odot").format(right=r"h_\theta(x^{(i)}) (1 - h_\theta(x^{(i)})) x_j^{(i)}")
    verdicts = [s.evidence for s in check_post(post, "post.md").claims()]
    assert verdicts and not any("entry by entry" in getattr(v, "method", "") for v in verdicts), verdicts
