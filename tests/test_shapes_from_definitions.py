"""A layer's output takes its shape from its definition and the declared
shapes: y_{ij} = \\sum_k w_{jk} x_{ik} + b_j with X in R^{B x M} and W in
R^{N x M} has B rows, so a chain rule through an undefined loss sums the
batch to B. A gradient whose batch sum stops at M loses rows M+1..B and is
refuted; the true one is never refuted.

The oracle is SymPy at B = 3, M = 2, N = 2 with a loss that is not linear,
differentiated with ``sympy.diff``.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.post.check import check_post
from symderive.post.shapes import Shapes, with_definitions

B, M, N = 3, 2, 2
X = sympy.Matrix(B, M, lambda i, k: sympy.Symbol(f"x{i}{k}"))
W = sympy.Matrix(N, M, lambda j, k: sympy.Symbol(f"w{j}{k}"))
b = sympy.Matrix(1, N, lambda _, j: sympy.Symbol(f"b{j}"))
Y = sympy.Matrix(B, N, lambda i, j: sum(W[j, k] * X[i, k] for k in range(M)) + b[0, j])
LOSS = sum(sympy.sin(Y[i, j]) * (i + j + 1) for i in range(B) for j in range(N)) + Y[0, 0] * Y[2, 1]

DECLARED = "The weights $W \\in R^{N \\times M}$ and the input $X \\in R^{B \\times M}$.\n\n" \
           "$$y_{ij} = \\sum_{k=1}^{M} w_{jk} x_{ik} + b_j$$\n\n"


def upstream(i, j):
    """dL/dy_ij, with every y_kl held as a symbol."""
    held = {Y[k, l]: sympy.Symbol(f"y{k}{l}") for k in range(B) for l in range(N)}
    loss = LOSS.xreplace(held)
    return sympy.diff(loss, sympy.Symbol(f"y{i}{j}")).xreplace({v: k for k, v in held.items()})


def test_the_oracle_a_batch_sum_to_m_loses_a_row():
    i, j = 0, 0  # dL/dw_11
    truth = sympy.diff(LOSS, W[i, j])
    to_b = sum(upstream(m, i) * X[m, j] for m in range(B))
    to_m = sum(upstream(m, i) * X[m, j] for m in range(M))
    assert sympy.simplify(truth - to_b) == 0
    assert sympy.simplify(truth - to_m) != 0


@pytest.mark.parametrize("rhs, truth", [
    ("\\sum_{m=1}^M \\frac{\\partial L}{\\partial y_{mi}} x_{mj}", "refuted"),
    ("\\sum_{m=1}^M \\sum_{n=1}^N \\frac{\\partial L}{\\partial y_{mn}} \\frac{\\partial y_{mn}}{\\partial w_{ij}}",
     "refuted"),
    ("\\sum_{m=1}^B \\frac{\\partial L}{\\partial y_{mi}} x_{mj}", "proved"),
    ("\\sum_{m=1}^B \\sum_{n=1}^N \\frac{\\partial L}{\\partial y_{mn}} \\frac{\\partial y_{mn}}{\\partial w_{ij}}",
     "proved"),
])
def test_a_weight_gradient_sums_the_batch_over_the_rows_of_x(rhs, truth):
    post = DECLARED + f"$$\\frac{{\\partial L}}{{\\partial w_{{ij}}}} = {rhs}$$\n"
    found = check_post(post).claims()[-1]
    if truth == "refuted":
        assert found.verdict == "refuted"
        point = dict(found.evidence.point)
        assert int(point["B"]) > int(point["M"])  # a row past M, where the two sums differ
    else:
        assert found.verdict != "refuted"


def test_the_shape_of_a_defined_output():
    declared = Shapes((("W", ("N", "M")), ("X", ("B", "M"))))
    i, j, k = sympy.symbols("i j k", integer=True)
    y, w, x, bias = (sympy.IndexedBase(n) for n in "ywxb")
    body = sympy.Sum(w[j, k] * x[i, k], (k, 1, sympy.Symbol("M", integer=True))) + bias[j]
    made = {1: [(y, y[i, j], body, "")]}
    assert with_definitions(declared, made).of("y") == ("B", "N")
    # i at X's rows and at W's rows: two lengths, no shape
    clash = sympy.Sum(w[i, k] * x[i, k], (k, 1, 2))
    assert with_definitions(declared, {1: [(y, y[i, j], clash + bias[j], "")]}).of("y") is None
