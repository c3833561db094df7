"""Losses on a softmax over n classes, for one sample: categorical
cross-entropy from the logits, negative log-likelihood on log-softmax (a
class index c, written with Kronecker's delta), the KL divergence to a target
distribution, and the temperature-softened cross-entropy of distillation.
Their compact gradients in the logits, p - y, need the targets to sum to 1;
the explicit forms substitute y_n = 1 - (y_1 + ... + y_{n-1})."""

from __future__ import annotations

import sympy
from sympy import KroneckerDelta, Rational, Sum, exp, log

from .model import I_, J_, K_, N_, Entry, Explicit, Gradient, Kind, Mistake, vector

Z = sympy.IndexedBase("z", real=True)   # logits
Y = sympy.IndexedBase("y", real=True)   # target distribution
V = sympy.IndexedBase("v", real=True)   # a teacher's logits
C = sympy.Symbol("c", integer=True, positive=True)  # the target class
T = sympy.Symbol("T", positive=True)    # temperature
PROB = sympy.IndexedBase("p", real=True)  # named: softmax(z), the student's softmax(z/T) is q
Q_ = sympy.IndexedBase("q", real=True)

_LOGIT = (Rational(-3), Rational(3))


def _softmax(z, k, scale=1):
    """exp(z_k/T) / sum_j exp(z_j/T) in index notation (k is not j)."""
    return exp(z[k] / scale) / Sum(exp(z[J_] / scale), (J_, 1, N_))


def softmax(z: sympy.Matrix) -> sympy.Matrix:
    total = sum((exp(e) for e in z), sympy.Integer(0))
    return z.applyfunc(lambda e: exp(e) / total)


def _distribution(name, size):
    """Targets y_1 .. y_n with y_n = 1 - the others, and ranges keeping
    every one positive."""
    y = vector(name, size, real=True)
    given = {y[-1]: 1 - sum(y[:-1], sympy.Integer(0))}
    return y, given, {s: (Rational(1, 20), Rational(1, size)) for s in y[:-1]}


def _cross_entropy(size: int) -> Explicit:
    z = vector("z", size, real=True)
    y, given, ranges = _distribution("y", size)
    p = softmax(z)
    loss = -sum((b * log(a) for a, b in zip(p, y)), sympy.Integer(0))
    right = p - y
    diagonal_only = sympy.Matrix([-b * (1 - a) for a, b in zip(p, y)])
    return Explicit(sympy.Matrix([loss]), loss, {"z": z}, {"z": right}, {Z: z, Y: y},
                    (Mistake("sign flip (y - p)", "z", -right),
                     Mistake("only the diagonal of the softmax Jacobian (-y_k (1 - p_k))", "z", diagonal_only)),
                    given=given, ranges={**ranges, **{s: _LOGIT for s in z}})


def _nll(size: int) -> Explicit:
    z = vector("z", size, real=True)
    target = min(2, size)
    p = softmax(z)
    loss = -log(p[target - 1])
    onehot = sympy.Matrix([1 if k == target else 0 for k in range(1, size + 1)])
    return Explicit(sympy.Matrix([loss]), loss, {"z": z}, {"z": p - onehot}, {Z: z},
                    (Mistake("p_c written where p_k is meant", "z", sympy.ones(size, 1) * p[target - 1] - onehot),
                     Mistake("softmax term dropped (-delta_kc)", "z", -onehot)),
                    given={C: sympy.Integer(target)}, ranges={s: _LOGIT for s in z})


def _kl(size: int) -> Explicit:
    z = vector("z", size, real=True)
    y, given, ranges = _distribution("y", size)
    q = softmax(z)
    loss = sum((b * (log(b) - log(a)) for a, b in zip(q, y)), sympy.Integer(0))
    right = q - y
    return Explicit(sympy.Matrix([loss]), loss, {"z": z}, {"z": right}, {Z: z, Y: y},
                    (Mistake("sign flip (y - q)", "z", -right),
                     Mistake("the gradient in q (-y_k/q_k) given for z", "z",
                             sympy.Matrix([-b / a for a, b in zip(q, y)]))),
                    given=given, ranges={**ranges, **{s: _LOGIT for s in z}})


def _distillation(size: int) -> Explicit:
    z, v = vector("z", size, real=True), vector("v", size, real=True)
    p, q = softmax(v / T), softmax(z / T)
    loss = -sum((b * log(a) for a, b in zip(q, p)), sympy.Integer(0))
    right = (q - p) / T
    return Explicit(sympy.Matrix([loss]), loss, {"z": z}, {"z": right}, {Z: z, V: v},
                    (Mistake("missing 1/T", "z", q - p),
                     Mistake("T^2 scaling applied to the gradient", "z", right * T**2),
                     Mistake("sign flip (p - q)/T", "z", -right)),
                    ranges={**{s: _LOGIT for s in (*z, *v)}, T: (Rational(1, 2), Rational(5))})


SIZES = ((2,), (3,), (4,))
_P_K = _softmax(Z, K_)
_SOFTMAX_NAMES = {PROB: sympy.Lambda(K_, _P_K)}
_TEMPERATURE_NAMES = {PROB: sympy.Lambda(K_, _softmax(V, K_, T)), Q_: sympy.Lambda(K_, _softmax(Z, K_, T))}
_SUM_Y = "sum_j y_j = 1"

ENTRIES: tuple[Entry, ...] = (
    Entry(
        name="cross_entropy", kind=Kind.LOSS,
        description="Categorical cross-entropy -sum_j y_j log p_j of p = softmax(z), from the logits",
        aliases=("categorical_cross_entropy", "CrossEntropyLoss", "softmax_cross_entropy"), sizes=(N_,),
        definition=-Sum(Y[I_] * log(_softmax(Z, I_)), (I_, 1, N_)),
        gradients=(Gradient(Z, (K_,), _P_K - Y[K_], "dL/dz_k = p_k - y_k", condition=_SUM_Y,
                            written=PROB[K_] - Y[K_]),),
        names=_SOFTMAX_NAMES, explicit=_cross_entropy, checked_sizes=SIZES, conditions=(_SUM_Y,),
        pytorch="torch.nn.functional.cross_entropy(z, y) with probabilities as targets",
        reference="Bishop 2006, eq. 4.109; Goodfellow, Bengio, Courville 2016, section 6.2.2.3",
    ),
    Entry(
        name="nll_log_softmax", kind=Kind.LOSS,
        description="Negative log-likelihood of class c on log-softmax(z): -sum_j delta_jc log p_j",
        aliases=("nll", "NLLLoss", "negative_log_likelihood"), sizes=(N_,),
        definition=-Sum(KroneckerDelta(J_, C) * (Z[J_] - log(Sum(exp(Z[I_]), (I_, 1, N_)))), (J_, 1, N_)),
        gradients=(Gradient(Z, (K_,), _P_K - KroneckerDelta(K_, C), "dL/dz_k = p_k - delta_kc",
                            condition="1 <= c <= n", written=PROB[K_] - KroneckerDelta(K_, C)),),
        names=_SOFTMAX_NAMES,
        explicit=_nll, checked_sizes=SIZES, parameters={C: "the target class, 1 <= c <= n"},
        pytorch="torch.nn.functional.nll_loss(torch.log_softmax(z, -1), c)",
        reference="Goodfellow, Bengio, Courville 2016, section 6.2.2.3; PyTorch NLLLoss",
    ),
    Entry(
        name="kl_div", kind=Kind.LOSS,
        description="KL divergence sum_j y_j log(y_j / q_j) from a target y to q = softmax(z)",
        aliases=("kl_divergence", "KLDivLoss", "kl"), sizes=(N_,),
        definition=Sum(Y[I_] * (log(Y[I_]) - log(_softmax(Z, I_))), (I_, 1, N_)),
        gradients=(Gradient(Z, (K_,), _P_K - Y[K_], "dL/dz_k = q_k - y_k", condition=_SUM_Y,
                            written=Q_[K_] - Y[K_]),),
        names={Q_: sympy.Lambda(K_, _P_K)},
        explicit=_kl, checked_sizes=SIZES, conditions=(_SUM_Y, "y_j > 0"),
        pytorch="torch.nn.functional.kl_div(torch.log_softmax(z, -1), y, reduction='sum')",
        reference="Kullback, Leibler 1951; PyTorch KLDivLoss (input given as log-probabilities)",
    ),
    Entry(
        name="distillation", kind=Kind.LOSS,
        description="Cross-entropy of softmax(z/T) against a teacher's softmax(v/T), temperature T",
        aliases=("softmax_temperature", "knowledge_distillation", "soft_target_loss"), sizes=(N_,),
        definition=-Sum(_softmax(V, I_, T) * log(_softmax(Z, I_, T)), (I_, 1, N_)),
        gradients=(Gradient(Z, (K_,), (_softmax(Z, K_, T) - _softmax(V, K_, T)) / T,
                            "dL/dz_k = (q_k - p_k)/T, q = softmax(z/T), p = softmax(v/T)",
                            written=(Q_[K_] - PROB[K_]) / T),),
        names=_TEMPERATURE_NAMES,
        explicit=_distillation, checked_sizes=SIZES, parameters={T: "temperature, T > 0"},
        pytorch="torch.nn.functional.cross_entropy(z / T, torch.softmax(v / T, -1))",
        reference="Hinton, Vinyals, Dean 2015, 'Distilling the knowledge in a neural network', eq. 2",
    ),
)
