"""A dense layer's backward pass through a loss the post never defines,
with the layer's inner sum written to a length no shape names:
y_{ij} = \\sum_{k=1}^{K} w_{jk} x_{ik} + b_j with X in R^{B x M} and
W in R^{N x M}. The sum runs over the inputs, an axis of length M, so K is
read as M; the bias b_j is read for every column of y, so b has N entries.

The oracle is SymPy at B = 3, M = K = 2, N = 2 with a loss that is not
linear in the outputs, differentiated with ``sympy.diff``; each wrong
variant (a batch sum stopping at M, a lost sum, a wrong index) is shown
wrong by the oracle and must be refuted, each true one never refuted.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.post.check import check_post
from symderive.post.shapes import Shapes, read_lengths, with_definitions

B, M, N = 3, 2, 2
X = sympy.Matrix(B, M, lambda i, k: sympy.Symbol(f"x{i}{k}"))
W = sympy.Matrix(N, M, lambda j, k: sympy.Symbol(f"w{j}{k}"))
BIAS = [sympy.Symbol(f"b{j}") for j in range(N)]
Y = sympy.Matrix(B, N, lambda i, j: sum(W[j, k] * X[i, k] for k in range(M)) + BIAS[j])
HELD = {(i, j): sympy.Symbol(f"y{i}{j}") for i in range(B) for j in range(N)}
LOSS = sum(HELD[i, j] ** 3 * (i + 2 * j + 1) for i in range(B) for j in range(N)) \
    + sympy.exp(HELD[0, 0] * HELD[2, 1])


def upstream(i, j):
    """dL/dy_ij at the layer's output."""
    return sympy.diff(LOSS, HELD[i, j]).xreplace({HELD[key]: Y[key] for key in HELD})


def loss():
    return LOSS.xreplace({HELD[key]: Y[key] for key in HELD})


POST = ("The weights $W \\in R^{N \\times M}$ and the input $X \\in R^{B \\times M}$.\n\n"
        "$$y_{ij} = \\sum_{k=1}^{K} w_{jk} x_{ik} + b_j$$\n\n")


def verdict(claim: str) -> str:
    return check_post(POST + f"$${claim}$$\n", "dense.md", timeout=10).claims()[-1].verdict


def dl(name):
    return f"\\frac{{\\partial L}}{{\\partial {name}}}"


# (claim, its value at the oracle's entry for (i, j) = (row 3, column 1) or (1, 1), what the oracle says)
ORACLE_X = sympy.diff(loss(), X[2, 0])  # dL/dx_31: the row past M
ORACLE_B = sympy.diff(loss(), BIAS[0])
ORACLE_W = sympy.diff(loss(), W[0, 0])
CLAIMS = [
    (f"{dl('x_{ij}')} = \\sum_{{n=1}}^N {dl('y_{in}')} w_{{nj}}",
     ORACLE_X, sum(upstream(2, n) * W[n, 0] for n in range(N))),
    (f"{dl('x_{ij}')} = \\sum_{{n=1}}^N {dl('y_{in}')} w_{{ni}}",  # wrong index: w_ni
     sympy.diff(loss(), X[1, 0]), sum(upstream(1, n) * W[n, 1] for n in range(N))),
    (f"{dl('x_{ij}')} = \\sum_{{m=1}}^M \\sum_{{n=1}}^N {dl('y_{mn}')} \\frac{{\\partial y_{{mn}}}}{{\\partial x_{{ij}}}}",
     ORACLE_X, sum(upstream(m, n) * sympy.diff(Y[m, n], X[2, 0]) for m in range(M) for n in range(N))),
    (f"{dl('x_{ij}')} = \\sum_{{m=1}}^B \\sum_{{n=1}}^N {dl('y_{mn}')} \\frac{{\\partial y_{{mn}}}}{{\\partial x_{{ij}}}}",
     ORACLE_X, sum(upstream(m, n) * sympy.diff(Y[m, n], X[2, 0]) for m in range(B) for n in range(N))),
    (f"{dl('b_i')} = \\sum_{{m=1}}^B {dl('y_{mi}')}", ORACLE_B, sum(upstream(m, 0) for m in range(B))),
    (f"{dl('b_i')} = \\sum_{{m=1}}^M {dl('y_{mi}')}", ORACLE_B, sum(upstream(m, 0) for m in range(M))),
    (f"{dl('b_i')} = {dl('y_{1i}')}", ORACLE_B, upstream(0, 0)),  # a lost sum
    (f"{dl('w_{ij}')} = \\sum_{{m=1}}^B {dl('y_{mi}')} x_{{mj}}", ORACLE_W,
     sum(upstream(m, 0) * X[m, 0] for m in range(B))),
    (f"{dl('w_{ij}')} = 2 \\sum_{{m=1}}^B {dl('y_{mi}')} x_{{mj}}", ORACLE_W,  # a factor too many
     2 * sum(upstream(m, 0) * X[m, 0] for m in range(B))),
]


def oracle_holds(left, right) -> bool:
    values = {s: sympy.Rational(k % 7 + 1, k % 5 + 2) * (-1) ** k
              for k, s in enumerate(sorted((left - right).free_symbols, key=str))}
    return (left - right).xreplace(values) == 0


@pytest.mark.parametrize("claim, left, right", CLAIMS, ids=[
    "dx", "dx-wrong-index", "dx-chain-to-M", "dx-chain-to-B", "db", "db-to-M", "db-lost-sum", "dw", "dw-factor"])
def test_a_chain_rule_through_an_undefined_loss_matches_the_oracle(claim, left, right):
    found = verdict(claim)
    if oracle_holds(left, right):
        assert found == "proved"
    else:
        assert found == "refuted"


def test_the_oracle_tells_the_variants_apart():
    holds = [oracle_holds(left, right) for _, left, right in CLAIMS]
    assert holds == [True, False, False, True, True, False, False, True, False]


def test_the_inner_step_through_the_unnamed_length_is_proved():
    """sum_k w_nk dx_mk/dx_ij = w_nj holds only where j <= K: with K read as
    M (every input) it is proved, in the post's own notation."""
    lhs = (f"\\sum_{{m=1}}^B \\sum_{{n=1}}^N {dl('y_{mn}')} \\sum_{{k=1}}^K w_{{nk}} "
           "\\frac{\\partial x_{mk}}{\\partial x_{ij}}")
    rhs = f"\\sum_{{m=1}}^B \\sum_{{n=1}}^N {dl('y_{mn}')} w_{{nj}} \\frac{{\\partial x_{{mj}}}}{{\\partial x_{{ij}}}}"
    found = check_post(POST + f"$${lhs} = {rhs}$$\n", "dense.md", timeout=10).claims()[-1]
    assert found.verdict == "proved"
    assert "reading K as M" in found.evidence.method


def test_a_length_summed_over_two_declared_lengths_is_read_as_nothing():
    declared = Shapes((("W", ("N", "M")), ("X", ("B", "M"))))
    i, j, k = sympy.symbols("i j k", integer=True)
    K = sympy.Symbol("K", integer=True, positive=True)
    y, w, x, bias = (sympy.IndexedBase(n) for n in "ywxb")
    inputs = sympy.Sum(w[j, k] * x[i, k], (k, 1, K)) + bias[j]
    assert with_definitions(declared, {1: [(y, y[i, j], inputs, "")]}).read_as == (("K", "M"),)
    rows = sympy.Sum(w[j, k] * x[k, i], (k, 1, K))  # k at X's rows (B) and W's columns (M)
    assert with_definitions(declared, {1: [(y, y[i, j], rows, "")]}).read_as == ()
    named = Shapes((("W", ("N", "K")), ("X", ("B", "K"))))  # K named by a shape: nothing to read
    assert with_definitions(named, {1: [(y, y[i, j], inputs, "")]}).read_as == ()
    shapes = with_definitions(declared, {1: [(y, y[i, j], inputs, "")]})
    assert shapes.of("b") == ("N",)
    assert read_lengths(sympy.Sum(x[1, k], (k, 1, K)), shapes) == sympy.Sum(
        x[1, k], (k, 1, sympy.Symbol("M", integer=True, positive=True)))


SCALED = "$$y_{ij} = w_j \\tanh(x_{ij})$$\n\n"


@pytest.mark.parametrize("factor, truth", [("", True), ("2", False)])
def test_a_gradient_at_a_column_no_shape_bounds_is_never_refuted_when_true(factor, truth):
    """dL/dw_j = sum_b dL/dy_bj tanh(x_bj): j is a column of y, whose width
    no shape gives; an instance whose default width stops before j must not
    refute the true claim (the oracle: 2 x 2, a cubic loss)."""
    xs = sympy.Matrix(2, 2, lambda i, j: sympy.Symbol(f"x{i}{j}"))
    ws = sympy.symbols("w0 w1")
    ys = sympy.Matrix(2, 2, lambda i, j: ws[j] * sympy.tanh(xs[i, j]))
    held = sympy.Matrix(2, 2, lambda i, j: sympy.Symbol(f"y{i}{j}"))
    cubic = sum(held[i, j] ** 3 * (i + 2 * j + 1) for i in range(2) for j in range(2))
    at = dict(zip(held, ys))
    scale = 2 if factor else 1
    holds = [sympy.simplify(sympy.diff(cubic.xreplace(at), ws[j]) - scale * sum(
        sympy.diff(cubic, held[b, j]).xreplace(at) * sympy.tanh(xs[b, j]) for b in range(2))) == 0 for j in range(2)]
    assert all(holds) == truth
    claim = f"{dl('w_j')} = {factor} \\sum_{{b=1}}^{{B}} {dl('y_{bj}')} \\tanh(x_{{bj}})"
    found = check_post(SCALED + f"$${claim}$$\n", "scaled.md", timeout=10).claims()[-1].verdict
    assert found != ("refuted" if truth else "proved")
