"""Dense layers and the models built from them: a dense layer on one vector
and on a batch of N rows, logistic regression over m samples, and a residual
connection around a tanh sublayer. The backward formulas are the ones posts
write in matrix form: dL/dW = delta x^T, dL/dx = W^T delta, dL/db = delta
(summed over the batch). A missing transpose is a wrong shape at non-square
sizes and a wrong value at square ones, where it is recorded as a mistake."""

from __future__ import annotations

import sympy
from sympy import Rational, Sum, exp, log, tanh

from .model import D_, H_, I_, J_, L_, M_, NB_, T_, Entry, Explicit, Gradient, Kind, Mistake, matrix, \
    upstream_objective, vector

W = sympy.IndexedBase("W", real=True)
X = sympy.IndexedBase("x", real=True)
B = sympy.IndexedBase("b", real=True)
G = sympy.IndexedBase("g", real=True)   # the upstream gradient dL/dy
Y = sympy.IndexedBase("y", real=True)
THETA = sympy.IndexedBase("theta", real=True)
HYPOTHESIS = sympy.IndexedBase("h", real=True)  # named: sigma(theta^T x_i)
ACTIVATION = sympy.IndexedBase("a", real=True)  # named: tanh((W x)_i)


def sigmoid(x):
    return 1 / (1 + exp(-x))


def _square(rows: int, columns: int, *mistakes) -> tuple[Mistake, ...]:
    """The missing-transpose mistakes (built by the functions given), which
    only have a value when the transposed product is defined: at square sizes."""
    return tuple(build() for build in mistakes) if rows == columns else ()


def _dense(h: int, d: int) -> Explicit:
    w, x, b, g = matrix("W", h, d, real=True), vector("x", d, real=True), vector("b", h, real=True), \
        vector("g", h, real=True)
    y = w * x + b
    gradients = {"W": g * x.T, "x": w.T * g, "b": g}
    mistakes = (Mistake("sign flip (-delta x^T)", "W", -g * x.T),
                *_square(h, d, lambda: Mistake("x delta^T for delta x^T", "W", x * g.T),
                         lambda: Mistake("W delta without the transpose", "x", w * g)))
    return Explicit(y, upstream_objective(y, g), {"W": w, "x": x, "b": b}, gradients,
                    {W: w, X: x, B: b, G: g}, mistakes)


def _dense_batch(n: int, h: int, d: int) -> Explicit:
    x, w, b, g = matrix("x", n, d, real=True), matrix("W", h, d, real=True), vector("b", h, real=True), \
        matrix("g", n, h, real=True)
    y = x * w.T + sympy.ones(n, 1) * b.T
    gradients = {"W": g.T * x, "x": g * w, "b": g.T * sympy.ones(n, 1)}
    mistakes = (Mistake("dL/db not summed over the batch (first row only)", "b", g[0, :].T),
                Mistake("dL/db averaged over the batch", "b", g.T * sympy.ones(n, 1) / n),
                Mistake("sign flip in dL/dx", "x", -g * w),
                *_square(h, d, lambda: Mistake("X^T G for G^T X", "W", x.T * g)))
    return Explicit(y, upstream_objective(y, g), {"W": w, "x": x, "b": b}, gradients,
                    {W: w, X: x, B: b, G: g}, mistakes)


def _logistic(m: int, d: int) -> Explicit:
    theta, x, y = vector("theta", d, real=True), matrix("x", m, d, real=True), vector("y", m, real=True)
    h = (x * theta).applyfunc(sigmoid)
    cost = -sum((b * log(a) + (1 - b) * log(1 - a) for a, b in zip(h, y)), sympy.Integer(0)) / m
    right = x.T * (h - y) / m
    kept = x.T * sympy.Matrix([a * (1 - a) * (a - b) for a, b in zip(h, y)]) / m
    return Explicit(sympy.Matrix([cost]), cost, {"theta": theta}, {"theta": right},
                    {THETA: theta, X: x, Y: y},
                    (Mistake("missing 1/m", "theta", right * m), Mistake("sign flip (y - h)", "theta", -right),
                     Mistake("sigma'(z) kept as with squared error", "theta", kept),
                     *_square(m, d, lambda: Mistake("X (h - y) without the transpose", "theta", x * (h - y) / m))),
                    ranges={**{s: (Rational(0), Rational(1)) for s in y}})


def _residual(d: int) -> Explicit:
    w, x, g = matrix("W", d, d, real=True), vector("x", d, real=True), vector("g", d, real=True)
    inner = (w * x).applyfunc(tanh)
    y = x + inner
    local = sympy.Matrix([gi * (1 - t**2) for gi, t in zip(g, inner)])  # g * tanh'(W x)
    gradients = {"x": g + w.T * local, "W": local * x.T}
    mistakes = (Mistake("identity path dropped", "x", w.T * local),
                Mistake("W (g * tanh') without the transpose", "x", g + w * local),
                Mistake("tanh' dropped", "W", g * x.T))
    return Explicit(y, upstream_objective(y, g), {"x": x, "W": w}, gradients, {W: w, X: x, G: g}, mistakes)


def _wx(i, bound=L_):
    return Sum(W[i, bound] * X[bound], (bound, 1, D_))


def _logit(i, bound=L_):
    return Sum(THETA[bound] * X[i, bound], (bound, 1, D_))


_UPSTREAM = "upstream gradient g = dL/dy"

ENTRIES: tuple[Entry, ...] = (
    Entry(
        name="dense", kind=Kind.LAYER, description="Dense (fully connected) layer y = W x + b on one vector",
        aliases=("linear", "fully_connected", "Linear"), sizes=(H_, D_), output_at=(I_,),
        definition=Sum(W[I_, J_] * X[J_], (J_, 1, D_)) + B[I_],
        gradients=(Gradient(W, (I_, J_), G[I_] * X[J_], "dL/dW = delta x^T", _UPSTREAM),
                   Gradient(X, (J_,), Sum(W[I_, J_] * G[I_], (I_, 1, H_)), "dL/dx = W^T delta", _UPSTREAM),
                   Gradient(B, (I_,), G[I_], "dL/db = delta", _UPSTREAM)),
        explicit=_dense, checked_sizes=((2, 2), (2, 3), (3, 3)),
        pytorch="torch.nn.functional.linear(x, W, b)",
        reference="Goodfellow, Bengio, Courville 2016, section 6.5.4; Nielsen 2015, chapter 2, eqs. BP3-BP4",
    ),
    Entry(
        name="dense_batch", kind=Kind.LAYER,
        description="Dense layer on a batch of N rows, Y = X W^T + 1 b^T (PyTorch's layout)",
        aliases=("linear_batch", "fully_connected_batch"), sizes=(NB_, H_, D_), output_at=(T_, I_),
        definition=Sum(X[T_, J_] * W[I_, J_], (J_, 1, D_)) + B[I_],
        gradients=(Gradient(W, (I_, J_), Sum(G[T_, I_] * X[T_, J_], (T_, 1, NB_)),
                            "dL/dW = sum_n delta_n x_n^T = G^T X", _UPSTREAM),
                   Gradient(X, (T_, J_), Sum(G[T_, I_] * W[I_, J_], (I_, 1, H_)), "dL/dX = G W", _UPSTREAM),
                   Gradient(B, (I_,), Sum(G[T_, I_], (T_, 1, NB_)), "dL/db = sum_n delta_n", _UPSTREAM)),
        explicit=_dense_batch, checked_sizes=((2, 2, 2), (3, 2, 3), (2, 3, 3)),
        pytorch="torch.nn.functional.linear(X, W, b)",
        reference="Goodfellow, Bengio, Courville 2016, section 6.5.4 (minibatch); PyTorch nn.Linear",
    ),
    Entry(
        name="logistic_regression", kind=Kind.MODEL,
        description="Logistic regression's cross-entropy cost over m samples, h_i = sigma(theta^T x_i)",
        aliases=("logreg", "logistic_regression_cost"), sizes=(M_, D_),
        definition=-Sum(Y[I_] * log(sigmoid(_logit(I_))) + (1 - Y[I_]) * log(1 - sigmoid(_logit(I_))),
                        (I_, 1, M_)) / M_,
        gradients=(Gradient(THETA, (J_,), Sum((sigmoid(_logit(I_)) - Y[I_]) * X[I_, J_], (I_, 1, M_)) / M_,
                            "dJ/dtheta_j = (1/m) sum_i (h_i - y_i) x_ij = (1/m) X^T (h - y)",
                            written=Sum((HYPOTHESIS[I_] - Y[I_]) * X[I_, J_], (I_, 1, M_)) / M_),),
        names={HYPOTHESIS: sympy.Lambda(I_, sigmoid(_logit(I_)))},
        explicit=_logistic, checked_sizes=((2, 2), (3, 2), (4, 3)),
        pytorch="torch.nn.functional.binary_cross_entropy(torch.sigmoid(X @ theta), y)",
        reference="Ng, CS229 lecture notes, part II; Bishop 2006, eq. 4.91",
    ),
    Entry(
        name="residual", kind=Kind.LAYER,
        description="Residual connection y = x + tanh(W x) around a dense tanh sublayer",
        aliases=("skip_connection", "residual_block"), sizes=(D_,), output_at=(I_,),
        definition=X[I_] + tanh(_wx(I_)),
        gradients=(Gradient(X, (J_,), G[J_] + Sum(W[I_, J_] * G[I_] * (1 - tanh(_wx(I_)) ** 2), (I_, 1, D_)),
                            "dL/dx = delta + W^T (delta * (1 - tanh^2(W x)))", _UPSTREAM,
                            written=G[J_] + Sum(W[I_, J_] * G[I_] * (1 - ACTIVATION[I_] ** 2), (I_, 1, D_))),
                   Gradient(W, (I_, J_), G[I_] * (1 - tanh(_wx(I_)) ** 2) * X[J_],
                            "dL/dW = (delta * (1 - tanh^2(W x))) x^T", _UPSTREAM,
                            written=G[I_] * (1 - ACTIVATION[I_] ** 2) * X[J_])),
        names={ACTIVATION: sympy.Lambda(I_, tanh(_wx(I_)))},
        explicit=_residual, checked_sizes=((2,), (3,), (4,)),
        pytorch="x + torch.tanh(W @ x)",
        reference="He, Zhang, Ren, Sun 2016, 'Deep residual learning', eq. 1 and section 3.1",
    ),
)
