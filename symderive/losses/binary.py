"""Binary classification losses over a batch of N: binary cross-entropy on
probabilities and on logits (the stable form), focal loss, hinge and squared
hinge. Labels are in {0, 1} for the first three (soft targets in [0, 1] for
the cross-entropies) and in {-1, 1} for the hinges; where a formula holds
only for hard labels, the explicit form fixes them (odd samples positive)."""

from __future__ import annotations

import sympy
from sympy import Abs, Max, Piecewise, Rational, Sum, exp, log

from .model import I_, K_, NB_, Entry, Explicit, Gradient, Kind, Kink, Mistake, vector

P = sympy.IndexedBase("p", real=True)
Y = sympy.IndexedBase("y", real=True)
Z = sympy.IndexedBase("z", real=True)
ALPHA = sympy.Symbol("alpha", positive=True)  # focal loss: weight of the positive class
GAMMA = sympy.Symbol("gamma", positive=True)  # focal loss: focusing exponent
SIGMA = sympy.IndexedBase("p", real=True)     # named: sigma(z_k), and for focal loss p_t and alpha_t
P_T = sympy.IndexedBase("p_t", real=True)
ALPHA_T = sympy.IndexedBase("alpha_t", real=True)

_PROBABILITY = (Rational(1, 20), Rational(19, 20))
_LOGIT = (Rational(-3), Rational(3))


def sigmoid(x):
    return 1 / (1 + exp(-x))


def _bce_term(p, y):
    return -(y * log(p) + (1 - y) * log(1 - p))


def _zero_one_labels(size):
    return sympy.Matrix([1 if i % 2 else 0 for i in range(1, size + 1)])


def _sign_labels(size):
    return sympy.Matrix([1 if i % 2 else -1 for i in range(1, size + 1)])


def _bce(size: int) -> Explicit:
    p, y = vector("p", size, real=True), vector("y", size, real=True)
    loss = sum((_bce_term(a, b) for a, b in zip(p, y)), sympy.Integer(0)) / size
    right = sympy.Matrix([(a - b) / (size * a * (1 - a)) for a, b in zip(p, y)])
    lost_sign = sympy.Matrix([-(b / a + (1 - b) / (1 - a)) / size for a, b in zip(p, y)])
    return Explicit(sympy.Matrix([loss]), loss, {"p": p}, {"p": right}, {P: p, Y: y},
                    (Mistake("sign lost in the chain rule through log(1 - p)", "p", lost_sign),
                     Mistake("missing 1/N", "p", right * size)),
                    ranges={s: _PROBABILITY for s in (*p, *y)})


def _bce_logits(size: int) -> Explicit:
    z, y = vector("z", size, real=True), vector("y", size, real=True)
    # the stable form: max(z, 0) - z y + log(1 + e^{-|z|})
    loss = sum((Max(a, 0) - a * b + log(1 + exp(-Abs(a))) for a, b in zip(z, y)), sympy.Integer(0)) / size
    right = (z.applyfunc(sigmoid) - y) / size
    squared = sympy.Matrix([sigmoid(a) * (1 - sigmoid(a)) * (sigmoid(a) - b) / size for a, b in zip(z, y)])
    return Explicit(sympy.Matrix([loss]), loss, {"z": z}, {"z": right}, {Z: z, Y: y},
                    (Mistake("sign flip (y - sigma(z))", "z", -right),
                     Mistake("sigma'(z) kept as with squared error", "z", squared)),
                    ranges={**{s: _LOGIT for s in z}, **{s: (Rational(0), Rational(1)) for s in y}})


def _p_t(p, y):
    return y * p + (1 - y) * (1 - p)


def _alpha_t(y):
    return y * ALPHA + (1 - y) * (1 - ALPHA)


def _focal_term(z, y):
    pt = _p_t(sigmoid(z), y)
    return -_alpha_t(y) * (1 - pt) ** GAMMA * log(pt)


def _focal_slope(z, y, focusing=True):
    pt = _p_t(sigmoid(z), y)
    return _alpha_t(y) * (2 * y - 1) * (1 - pt) ** GAMMA * ((GAMMA * pt * log(pt) if focusing else 0) + pt - 1)


def _focal(size: int) -> Explicit:
    z, y = vector("z", size, real=True), _zero_one_labels(size)
    loss = sum((_focal_term(a, b) for a, b in zip(z, y)), sympy.Integer(0)) / size
    right = sympy.Matrix([_focal_slope(a, b) / size for a, b in zip(z, y)])
    frozen = sympy.Matrix([_focal_slope(a, b, focusing=False) / size for a, b in zip(z, y)])
    unsigned = sympy.Matrix([_focal_slope(a, 1 - b) / size for a, b in zip(z, y)])
    return Explicit(sympy.Matrix([loss]), loss, {"z": z}, {"z": right}, {Z: z, Y: y},
                    (Mistake("modulating factor (1 - p_t)^gamma treated as a constant", "z", frozen),
                     Mistake("p_t of the other label (the sign of dp_t/dz lost)", "z", unsigned)),
                    ranges={**{s: _LOGIT for s in z}, GAMMA: (Rational(1, 2), Rational(3)),
                            ALPHA: (Rational(1, 10), Rational(9, 10))})


def _hinge_explicit(size: int, squared: bool) -> Explicit:
    z, y = vector("z", size, real=True), _sign_labels(size)
    margins = [Max(0, 1 - b * a) for a, b in zip(z, y)]
    loss = sum((m**2 if squared else m for m in margins), sympy.Integer(0)) / size
    if squared:
        right = sympy.Matrix([-2 * b * m / size for b, m in zip(y, margins)])
        mistakes = (Mistake("missing factor 2", "z", right / 2),
                    Mistake("label y_k dropped", "z", sympy.Matrix([-2 * m / size for m in margins])))
    else:
        right = sympy.Matrix([Piecewise((-b / size, b * a < 1), (0, True)) for a, b in zip(z, y)])
        mistakes = (Mistake("sign flip (+y_k)", "z", -right), Mistake("missing 1/N", "z", right * size))
    return Explicit(sympy.Matrix([loss]), loss, {"z": z}, {"z": right}, {Z: z, Y: y}, mistakes,
                    ranges={s: _LOGIT for s in z})


SIZES = ((2,), (3,), (4,))
_SIGMA_K = sigmoid(Z[K_])
_PT_K = _p_t(_SIGMA_K, Y[K_])
_SIGMA_NAMES = {SIGMA: sympy.Lambda(K_, _SIGMA_K)}

ENTRIES: tuple[Entry, ...] = (
    Entry(
        name="bce", kind=Kind.LOSS, description="Binary cross-entropy on probabilities p, averaged over N",
        aliases=("binary_cross_entropy", "BCELoss", "log_loss"), sizes=(NB_,),
        definition=Sum(_bce_term(P[I_], Y[I_]), (I_, 1, NB_)) / NB_,
        gradients=(Gradient(P, (K_,), (P[K_] - Y[K_]) / (NB_ * P[K_] * (1 - P[K_])),
                            "dL/dp_k = (p_k - y_k) / (N p_k (1 - p_k))", condition="0 < p_k < 1"),),
        explicit=_bce, checked_sizes=SIZES, pytorch="torch.nn.functional.binary_cross_entropy(p, y)",
        conditions=("0 < p_k < 1",),
        reference="Bishop 2006, eq. 4.90; PyTorch BCELoss",
    ),
    Entry(
        name="bce_with_logits", kind=Kind.LOSS,
        description="Binary cross-entropy of sigma(z), computed from the logits z (stable form), averaged over N",
        aliases=("binary_cross_entropy_with_logits", "BCEWithLogitsLoss", "sigmoid_cross_entropy"), sizes=(NB_,),
        definition=Sum(log(1 + exp(Z[I_])) - Y[I_] * Z[I_], (I_, 1, NB_)) / NB_,
        gradients=(Gradient(Z, (K_,), (_SIGMA_K - Y[K_]) / NB_, "dL/dz_k = (sigma(z_k) - y_k)/N",
                            written=(SIGMA[K_] - Y[K_]) / NB_),),
        names=_SIGMA_NAMES,
        explicit=_bce_logits, checked_sizes=SIZES,
        pytorch="torch.nn.functional.binary_cross_entropy_with_logits(z, y)",
        reference="Bishop 2006, eq. 4.91 (logistic regression's gradient); PyTorch BCEWithLogitsLoss, whose "
                  "stable form max(z, 0) - z y + log(1 + exp(-|z|)) is the explicit form",
    ),
    Entry(
        name="focal", kind=Kind.LOSS,
        description="Binary focal loss -alpha_t (1 - p_t)^gamma log p_t on p = sigma(z), averaged over N",
        aliases=("focal_loss", "sigmoid_focal_loss"), sizes=(NB_,),
        definition=Sum(_focal_term(Z[I_], Y[I_]), (I_, 1, NB_)) / NB_,
        gradients=(Gradient(Z, (K_,), _alpha_t(Y[K_]) * (2 * Y[K_] - 1) * (1 - _PT_K) ** GAMMA
                            * (GAMMA * _PT_K * log(_PT_K) + _PT_K - 1) / NB_,
                            "dL/dz_k = alpha_t s_k (1 - p_t)^gamma (gamma p_t log p_t + p_t - 1)/N, s_k = 2 y_k - 1",
                            condition="y_k in {0, 1}",
                            written=ALPHA_T[K_] * (2 * Y[K_] - 1) * (1 - P_T[K_]) ** GAMMA
                            * (GAMMA * P_T[K_] * log(P_T[K_]) + P_T[K_] - 1) / NB_),),
        names={**_SIGMA_NAMES, P_T: sympy.Lambda(K_, _p_t(SIGMA[K_], Y[K_])),
               ALPHA_T: sympy.Lambda(K_, _alpha_t(Y[K_]))},
        explicit=_focal, checked_sizes=SIZES,
        parameters={ALPHA: "weight of the positive class, 0 < alpha < 1 (0.25)",
                    GAMMA: "focusing exponent, gamma > 0 (2)"},
        pytorch="torchvision.ops.sigmoid_focal_loss(z, y, alpha, gamma, reduction='mean'), written in torch",
        conditions=("y_k in {0, 1}",),
        reference="Lin, Goyal, Girshick, He, Dollar 2017, 'Focal loss for dense object detection', appendix A",
    ),
    Entry(
        name="hinge", kind=Kind.LOSS, description="Hinge loss max(0, 1 - y z) for labels y in {-1, 1}, averaged over N",
        aliases=("hinge_loss", "svm_loss"), sizes=(NB_,),
        definition=Sum(Max(0, 1 - Y[I_] * Z[I_]), (I_, 1, NB_)) / NB_,
        gradients=(Gradient(Z, (K_,), Piecewise((-Y[K_] / NB_, Y[K_] * Z[K_] < 1), (0, True)),
                            "dL/dz_k = -y_k/N if y_k z_k < 1 else 0",
                            condition="y_k in {-1, 1}, y_k z_k != 1 (a subgradient at the kink)"),),
        explicit=lambda size: _hinge_explicit(size, squared=False), checked_sizes=SIZES,
        pytorch="torch.relu(1 - y * z).mean()",
        kinks=(Kink(at=Y[K_], left=-(1 + Y[K_]) / (2 * NB_), right=(1 - Y[K_]) / (2 * NB_),
                    convention=sympy.Integer(0),
                    convention_source="at the margin y_k z_k = 1 (z_k = y_k) any value between the one-sided "
                                      "derivatives is a subgradient; torch.relu(1 - y z) gives 0 (relu'(0) = 0)"),),
        conditions=("y_k in {-1, 1}",),
        reference="Shalev-Shwartz, Ben-David 2014, 'Understanding Machine Learning', section 15.2",
    ),
    Entry(
        name="squared_hinge", kind=Kind.LOSS,
        description="Squared hinge loss max(0, 1 - y z)^2 for labels y in {-1, 1}, averaged over N",
        aliases=("squared_hinge_loss", "l2_svm_loss"), sizes=(NB_,),
        definition=Sum(Max(0, 1 - Y[I_] * Z[I_]) ** 2, (I_, 1, NB_)) / NB_,
        gradients=(Gradient(Z, (K_,), -2 * Y[K_] * Max(0, 1 - Y[K_] * Z[K_]) / NB_,
                            "dL/dz_k = -(2/N) y_k max(0, 1 - y_k z_k)", condition="y_k in {-1, 1}"),),
        explicit=lambda size: _hinge_explicit(size, squared=True), checked_sizes=SIZES,
        pytorch="torch.relu(1 - y * z).pow(2).mean()",
        conditions=("y_k in {-1, 1}",),
        reference="Rosasco et al. 2004, 'Are loss functions all the same?'; scikit-learn's squared_hinge",
    ),
)
