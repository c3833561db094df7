"""Regression losses over a batch of N predictions: mean squared error, mean
absolute error (with its kink where a prediction meets its target), Huber and
smooth L1. Every one is a mean, so every gradient carries the 1/N."""

from __future__ import annotations

import sympy
from sympy import Abs, Piecewise, Rational, Sum, sign

from .model import I_, K_, NB_, Entry, Explicit, Gradient, Kind, Kink, Mistake, vector

YHAT = sympy.IndexedBase("yhat", real=True)
Y = sympy.IndexedBase("y", real=True)
DELTA = sympy.Symbol("delta", positive=True)  # Huber's threshold
BETA = sympy.Symbol("beta", positive=True)    # smooth L1's threshold

_WIDE = {"values": (Rational(-3), Rational(3))}


def _mean(term) -> sympy.Expr:
    return Sum(term(YHAT[I_] - Y[I_]), (I_, 1, NB_)) / NB_


def _huber(r):
    return Piecewise((r**2 / 2, Abs(r) <= DELTA), (DELTA * (Abs(r) - DELTA / 2), True))


def _huber_slope(r):
    return Piecewise((r, Abs(r) <= DELTA), (DELTA * sign(r), True))


def _smooth_l1(r):
    return Piecewise((r**2 / (2 * BETA), Abs(r) < BETA), (Abs(r) - BETA / 2, True))


def _smooth_l1_slope(r):
    return Piecewise((r / BETA, Abs(r) < BETA), (sign(r), True))


def _explicit(size, term, slope, mistakes, ranges=None):
    """The mean of term(yhat_i - y_i) over ``size`` predictions; its
    gradient in yhat is slope(r)/N, and each mistake maps (r, N) to a
    wrong gradient."""
    yhat, y = vector("yhat", size, real=True), vector("y", size, real=True)
    residual = yhat - y
    loss = sum((term(r) for r in residual), sympy.Integer(0)) / size
    bounds = {s: (ranges or _WIDE)["values"] for s in (*yhat, *y)}
    bounds.update((ranges or {}).get("parameters", {}))
    return Explicit(
        value=sympy.Matrix([loss]), objective=loss, inputs={"yhat": yhat},
        gradients={"yhat": residual.applyfunc(slope) / size},
        arrays={YHAT: yhat, Y: y},
        mistakes=tuple(Mistake(name, "yhat", wrong(residual, size)) for name, wrong in mistakes),
        ranges=bounds,
    )


def _mse(size: int) -> Explicit:
    return _explicit(size, lambda r: r**2, lambda r: 2 * r, (
        ("missing 1/N", lambda r, n: 2 * r),
        ("sign flip (y - yhat)", lambda r, n: -2 * r / n),
        ("missing factor 2", lambda r, n: r / n),
    ))


def _mae(size: int) -> Explicit:
    return _explicit(size, Abs, sign, (
        ("missing 1/N", lambda r, n: r.applyfunc(sign)),
        ("sign flip", lambda r, n: -r.applyfunc(sign) / n),
    ))


def _threshold_ranges(symbol):
    return {"values": (Rational(-1), Rational(1)), "parameters": {symbol: (Rational(1, 4), Rational(1))}}


def _huber_explicit(size: int) -> Explicit:
    return _explicit(size, _huber, _huber_slope, (
        ("missing 1/N", lambda r, n: r.applyfunc(_huber_slope)),
        ("not clipped at delta", lambda r, n: r / n),
    ), _threshold_ranges(DELTA))


def _smooth_l1_explicit(size: int) -> Explicit:
    return _explicit(size, _smooth_l1, _smooth_l1_slope, (
        ("missing 1/beta in the quadratic branch",
         lambda r, n: r.applyfunc(lambda e: Piecewise((e, Abs(e) < BETA), (sign(e), True))) / n),
        ("missing 1/N", lambda r, n: r.applyfunc(_smooth_l1_slope)),
    ), _threshold_ranges(BETA))


_R_K = YHAT[K_] - Y[K_]
SIZES = ((2,), (3,), (4,))

ENTRIES: tuple[Entry, ...] = (
    Entry(
        name="mse", kind=Kind.LOSS, description="Mean squared error over a batch of N predictions",
        aliases=("mean_squared_error", "MSELoss", "l2_loss"), sizes=(NB_,),
        definition=_mean(lambda r: r**2),
        gradients=(Gradient(YHAT, (K_,), 2 * _R_K / NB_, "dL/dyhat_k = (2/N)(yhat_k - y_k)"),),
        explicit=_mse, checked_sizes=SIZES, pytorch="torch.nn.functional.mse_loss(yhat, y)",
        reference="Goodfellow, Bengio, Courville 2016, section 5.1.4; PyTorch MSELoss (reduction='mean')",
    ),
    Entry(
        name="mae", kind=Kind.LOSS, description="Mean absolute error (L1) over a batch of N predictions",
        aliases=("mean_absolute_error", "L1Loss", "l1_loss"), sizes=(NB_,),
        definition=_mean(Abs),
        gradients=(Gradient(YHAT, (K_,), sign(_R_K) / NB_, "dL/dyhat_k = sign(yhat_k - y_k)/N",
                            condition="yhat_k != y_k (a subgradient at the kink)"),),
        explicit=_mae, checked_sizes=SIZES, pytorch="torch.nn.functional.l1_loss(yhat, y)",
        kinks=(Kink(at=Y[K_], left=-1 / NB_, right=1 / NB_, convention=sympy.Integer(0),
                    convention_source="any value in [-1/N, 1/N] is a subgradient at yhat_k = y_k; "
                                      "PyTorch's l1_loss uses sign(0) = 0 there"),),
        reference="PyTorch L1Loss (reduction='mean'); the subgradient as for ReLU's kink",
    ),
    Entry(
        name="huber", kind=Kind.LOSS,
        description="Huber loss: quadratic within delta of the target, linear beyond, averaged over N",
        aliases=("HuberLoss", "huber_loss"), sizes=(NB_,),
        definition=_mean(_huber),
        gradients=(Gradient(YHAT, (K_,), _huber_slope(_R_K) / NB_,
                            "dL/dyhat_k = clip(yhat_k - y_k, -delta, delta)/N"),),
        explicit=_huber_explicit, checked_sizes=SIZES, parameters={DELTA: "threshold, delta > 0 (default 1)"},
        pytorch="torch.nn.functional.huber_loss(yhat, y, delta=delta)",
        reference="Huber 1964, 'Robust estimation of a location parameter'; PyTorch HuberLoss",
    ),
    Entry(
        name="smooth_l1", kind=Kind.LOSS,
        description="Smooth L1 loss: Huber divided by beta (quadratic r^2/(2 beta) within beta), averaged over N",
        aliases=("SmoothL1Loss", "smooth_l1_loss"), sizes=(NB_,),
        definition=_mean(_smooth_l1),
        gradients=(Gradient(YHAT, (K_,), _smooth_l1_slope(_R_K) / NB_,
                            "dL/dyhat_k = (r_k/beta if |r_k| < beta else sign(r_k))/N, r = yhat - y"),),
        explicit=_smooth_l1_explicit, checked_sizes=SIZES, parameters={BETA: "threshold, beta > 0 (default 1)"},
        pytorch="torch.nn.functional.smooth_l1_loss(yhat, y, beta=beta)",
        reference="Girshick 2015, 'Fast R-CNN', eq. 3; PyTorch SmoothL1Loss",
    ),
)
