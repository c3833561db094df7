"""Normalization layers: layer norm over the d features of one sample,
RMSNorm, and batch norm in training mode over a batch of N values of one
feature (features are independent, so one is the whole story). The compact
dx formulas are the ones the literature writes from x_hat, with the mean term
(sum of the scaled upstream gradient) and the variance term (its projection
on x_hat); dropping either, or holding the statistics constant, is recorded
as a mistake."""

from __future__ import annotations

import sympy
from sympy import Rational, Sum, sqrt

from .model import D_, I_, J_, K_, L_, NB_, T_, Entry, Explicit, Gradient, Kind, Mistake, upstream_objective, \
    vector

X = sympy.IndexedBase("x", real=True)
G = sympy.IndexedBase("g", real=True)            # the upstream gradient dL/dy
GAMMA_V = sympy.IndexedBase("gamma", real=True)  # per-feature scale (layer norm, RMSNorm)
BETA_V = sympy.IndexedBase("beta", real=True)
GAMMA = sympy.Symbol("gamma", real=True)         # batch norm's scale and shift for the feature
BETA = sympy.Symbol("beta", real=True)
EPS = sympy.Symbol("epsilon", positive=True)
X_HAT = sympy.IndexedBase("xhat", real=True)     # named: the normalized input, mean, variance, RMS
MU = sympy.Symbol("mu", real=True)
VARIANCE = sympy.Symbol("sigma^2", nonnegative=True)
RMS = sympy.Symbol("r", positive=True)

_EPS_RANGE = {EPS: (Rational(1, 1000), Rational(1, 10))}
_UPSTREAM = "upstream gradient g = dL/dy"


def _mean(size):
    return Sum(X[L_], (L_, 1, size)) / size


def _variance(size):
    return Sum((X[T_] - _mean(size)) ** 2, (T_, 1, size)) / size


def _std(size):
    return sqrt(_variance(size) + EPS)


def _x_hat(i, size):
    return (X[i] - _mean(size)) / _std(size)


def _statistics(x: sympy.Matrix):
    """x_hat and sqrt(variance + epsilon) of the entries of x (biased variance)."""
    size = len(x)
    mean = sum(x, sympy.Integer(0)) / size
    std = sqrt(sum(((e - mean) ** 2 for e in x), sympy.Integer(0)) / size + EPS)
    return (x - sympy.ones(size, 1) * mean) / std, std


def _normalized_dx(scaled: sympy.Matrix, x_hat: sympy.Matrix, std, mean_term=True, variance_term=True):
    """(N g' - sum g' - x_hat (g' . x_hat)) / (N std) for the scaled upstream g'."""
    size = len(scaled)
    total = sum(scaled, sympy.Integer(0)) if mean_term else 0
    projection = scaled.dot(x_hat) if variance_term else 0
    return (size * scaled - sympy.ones(size, 1) * total - x_hat * projection) / (size * std)


def _layer_norm(d: int) -> Explicit:
    x, gamma, beta, g = (vector(name, d, real=True) for name in ("x", "gamma", "beta", "g"))
    x_hat, std = _statistics(x)
    y = gamma.multiply_elementwise(x_hat) + beta
    scaled = g.multiply_elementwise(gamma)
    return Explicit(y, upstream_objective(y, g), {"x": x, "gamma": gamma, "beta": beta},
                    {"x": _normalized_dx(scaled, x_hat, std), "gamma": g.multiply_elementwise(x_hat), "beta": g},
                    {X: x, GAMMA_V: gamma, BETA_V: beta, G: g},
                    (Mistake("mean term dropped", "x", _normalized_dx(scaled, x_hat, std, mean_term=False)),
                     Mistake("variance term dropped", "x", _normalized_dx(scaled, x_hat, std, variance_term=False)),
                     Mistake("mean and variance held constant (gamma g / std)", "x", scaled / std)),
                    ranges=_EPS_RANGE)


def _rms_norm(d: int) -> Explicit:
    x, gamma, g = (vector(name, d, real=True) for name in ("x", "gamma", "g"))
    rms = sqrt(x.dot(x) / d + EPS)
    y = gamma.multiply_elementwise(x) / rms
    scaled = g.multiply_elementwise(gamma)
    right = (scaled - x * scaled.dot(x) / (d * rms**2)) / rms
    return Explicit(y, upstream_objective(y, g), {"x": x, "gamma": gamma},
                    {"x": right, "gamma": g.multiply_elementwise(x) / rms}, {X: x, GAMMA_V: gamma, G: g},
                    (Mistake("the norm held constant (gamma g / rms)", "x", scaled / rms),
                     Mistake("missing 1/d in the projection term", "x", (scaled - x * scaled.dot(x) / rms**2) / rms)),
                    ranges=_EPS_RANGE)


def _batch_norm(n: int) -> Explicit:
    x, g = vector("x", n, real=True), vector("g", n, real=True)
    x_hat, std = _statistics(x)
    y = GAMMA * x_hat + sympy.ones(n, 1) * BETA
    scaled = GAMMA * g
    return Explicit(y, upstream_objective(y, g),
                    {"x": x, "gamma": sympy.Matrix([GAMMA]), "beta": sympy.Matrix([BETA])},
                    {"x": _normalized_dx(scaled, x_hat, std), "gamma": sympy.Matrix([g.dot(x_hat)]),
                     "beta": sympy.Matrix([sum(g, sympy.Integer(0))])},
                    {X: x, G: g},
                    (Mistake("mean term dropped", "x", _normalized_dx(scaled, x_hat, std, mean_term=False)),
                     Mistake("variance term dropped", "x", _normalized_dx(scaled, x_hat, std, variance_term=False)),
                     Mistake("batch statistics held constant (gamma g / std)", "x", scaled / std),
                     Mistake("dL/dbeta averaged over the batch", "beta", sympy.Matrix([sum(g, sympy.Integer(0)) / n]))),
                    ranges=_EPS_RANGE)


def _dx_formula(size, scale):
    """The compact dx_k for symbolic sizes, with g'_j = scale(j) g_j."""
    return (size * scale(K_) * G[K_] - Sum(scale(J_) * G[J_], (J_, 1, size))
            - _x_hat(K_, size) * Sum(scale(J_) * G[J_] * _x_hat(J_, size), (J_, 1, size))) / (size * _std(size))


_RMS = sqrt(Sum(X[L_] ** 2, (L_, 1, D_)) / D_ + EPS)


def _names(size):
    """x_hat_k = (x_k - mu) / sqrt(sigma^2 + epsilon), mu and sigma^2 the
    mean and (biased) variance over ``size`` values."""
    return {X_HAT: sympy.Lambda(K_, (X[K_] - MU) / sqrt(VARIANCE + EPS)), MU: _mean(size),
            VARIANCE: Sum((X[T_] - MU) ** 2, (T_, 1, size)) / size}


def _dx_written(size, scale):
    """The compact dx_k in x_hat and sigma^2, with g'_j = scale(j) g_j."""
    return (size * scale(K_) * G[K_] - Sum(scale(J_) * G[J_], (J_, 1, size))
            - X_HAT[K_] * Sum(scale(J_) * G[J_] * X_HAT[J_], (J_, 1, size))) / (size * sqrt(VARIANCE + EPS))

ENTRIES: tuple[Entry, ...] = (
    Entry(
        name="layer_norm", kind=Kind.LAYER,
        description="Layer norm over the d features of one sample, y = gamma * x_hat + beta",
        aliases=("LayerNorm", "layernorm"), sizes=(D_,), output_at=(I_,),
        definition=GAMMA_V[I_] * _x_hat(I_, D_) + BETA_V[I_],
        gradients=(Gradient(X, (K_,), _dx_formula(D_, lambda j: GAMMA_V[j]),
                            "dL/dx = (d g' - sum_j g'_j - x_hat sum_j g'_j x_hat_j) / (d sqrt(var + eps)), "
                            "g' = gamma g",
                            _UPSTREAM, written=_dx_written(D_, lambda j: GAMMA_V[j])),
                   Gradient(GAMMA_V, (I_,), G[I_] * _x_hat(I_, D_), "dL/dgamma = g * x_hat", _UPSTREAM,
                            written=G[I_] * X_HAT[I_]),
                   Gradient(BETA_V, (I_,), G[I_], "dL/dbeta = g", _UPSTREAM)),
        names=_names(D_),
        explicit=_layer_norm, checked_sizes=((2,), (3,), (4,)),
        parameters={EPS: "added to the variance, epsilon > 0 (1e-5)"},
        pytorch="torch.nn.functional.layer_norm(x, (d,), gamma, beta, eps)",
        reference="Ba, Kiros, Hinton 2016, 'Layer normalization'; the dx form as for batch norm",
    ),
    Entry(
        name="rms_norm", kind=Kind.LAYER,
        description="RMSNorm over the d features of one sample, y = gamma * x / sqrt(mean(x^2) + eps)",
        aliases=("RMSNorm", "rmsnorm"), sizes=(D_,), output_at=(I_,),
        definition=GAMMA_V[I_] * X[I_] / _RMS,
        gradients=(Gradient(X, (K_,), (GAMMA_V[K_] * G[K_] - X[K_] * Sum(GAMMA_V[J_] * G[J_] * X[J_], (J_, 1, D_))
                                       / (D_ * _RMS**2)) / _RMS,
                            "dL/dx = (g' - x (g' . x) / (d r^2)) / r, g' = gamma g, r = sqrt(mean(x^2) + eps)",
                            _UPSTREAM, written=(GAMMA_V[K_] * G[K_] - X[K_] * Sum(GAMMA_V[J_] * G[J_] * X[J_],
                                                                                  (J_, 1, D_)) / (D_ * RMS**2)) / RMS),
                   Gradient(GAMMA_V, (I_,), G[I_] * X[I_] / _RMS, "dL/dgamma = g * x / r", _UPSTREAM,
                            written=G[I_] * X[I_] / RMS)),
        names={RMS: _RMS},
        explicit=_rms_norm, checked_sizes=((2,), (3,), (4,)),
        parameters={EPS: "added to the mean square, epsilon > 0"},
        pytorch="torch.nn.functional.rms_norm(x, (d,), gamma, eps)",
        reference="Zhang, Sennrich 2019, 'Root mean square layer normalization', eq. 4 and its gradient",
    ),
    Entry(
        name="batch_norm", kind=Kind.LAYER,
        description="Batch norm in training mode, one feature over a batch of N: y = gamma * x_hat + beta",
        aliases=("BatchNorm", "batchnorm", "BatchNorm1d"), sizes=(NB_,), output_at=(I_,),
        definition=GAMMA * _x_hat(I_, NB_) + BETA,
        gradients=(Gradient(X, (K_,), _dx_formula(NB_, lambda j: GAMMA),
                            "dL/dx = gamma (N g - sum_j g_j - x_hat sum_j g_j x_hat_j) / (N sqrt(var + eps))",
                            _UPSTREAM, written=_dx_written(NB_, lambda j: GAMMA)),
                   Gradient(GAMMA, (), Sum(G[I_] * _x_hat(I_, NB_), (I_, 1, NB_)), "dL/dgamma = sum_i g_i x_hat_i",
                            _UPSTREAM, written=Sum(G[I_] * X_HAT[I_], (I_, 1, NB_))),
                   Gradient(BETA, (), Sum(G[I_], (I_, 1, NB_)), "dL/dbeta = sum_i g_i", _UPSTREAM)),
        names=_names(NB_), explicit=_batch_norm, checked_sizes=((2,), (3,), (4,)),
        parameters={EPS: "added to the batch variance, epsilon > 0 (1e-5)"},
        pytorch="torch.nn.functional.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)",
        reference="Ioffe, Szegedy 2015, 'Batch normalization', section 3 (the backward pass written from x_hat)",
    ),
)
