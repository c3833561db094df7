"""Smooth activations: GELU (exact and tanh), Swish/SiLU, Mish, softplus,
softsign, log-sigmoid, tanhshrink, Gaussian, bent identity, arctan, sinusoid,
and the vector functions log-softmax and softmin."""

from __future__ import annotations

import sympy
from sympy import Abs, KroneckerDelta, Rational, Sum, atan, cos, erf, exp, log, pi, sin, sqrt, tanh

from .model import I_, J_, K_, N_, X, Y, Z_, Activation

BETA = sympy.Symbol("beta", positive=True)

_GELU_TANH_C = Rational(44715, 1000000)  # 0.044715, kept exact


def _sigmoid(x: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + exp(-x))


def _softplus(x: sympy.Expr) -> sympy.Expr:
    return log(1 + exp(x))


def _phi(x: sympy.Expr) -> sympy.Expr:
    """The standard normal CDF, written with erf."""
    return (1 + erf(x / sqrt(2))) / 2


_GELU_TANH_U = sqrt(2 / pi) * (X + _GELU_TANH_C * X**3)
_SOFTMAX_SUM = Sum(exp(Z_[J_]), (J_, 1, N_))
_SOFTMIN_SUM = Sum(exp(-Z_[J_]), (J_, 1, N_))

ENTRIES: tuple[Activation, ...] = (
        Activation(
            name="gelu",
            title="Gaussian error linear unit (exact)",
            aliases=("GELU",),
            expr=X * _phi(X),
            derivative=_phi(X) + X * exp(-X**2 / 2) / sqrt(2 * pi),
            reference="Hendrycks & Gimpel 2016, 'Gaussian Error Linear Units (GELUs)'",
            pytorch=("gelu", {}),
        ),
        Activation(
            name="gelu_tanh",
            title="GELU, tanh approximation",
            aliases=("gelu_approx",),
            expr=X / 2 * (1 + tanh(_GELU_TANH_U)),
            derivative=(1 + tanh(_GELU_TANH_U)) / 2
            + X / 2 * (1 - tanh(_GELU_TANH_U) ** 2) * sqrt(2 / pi) * (1 + 3 * _GELU_TANH_C * X**2),
            reference="Hendrycks & Gimpel 2016, section 2 (the tanh approximation)",
            pytorch=("gelu", {"approximate": "'tanh'"}),
        ),
        Activation(
            name="swish",
            title="Swish (SiLU for beta = 1)",
            aliases=("silu", "SiLU", "Swish"),
            expr=X * _sigmoid(BETA * X),
            derivative=_sigmoid(BETA * X) + BETA * X * _sigmoid(BETA * X) * (1 - _sigmoid(BETA * X)),
            reference="Ramachandran, Zoph & Le 2017, 'Searching for Activation Functions'; "
                      "Elfwing, Uchibe & Doya 2018 (SiLU)",
            parameters={"beta": "positive real"},
            samples={"beta": 1.0},
            pytorch=("silu", {}),
        ),
        Activation(
            name="mish",
            title="Mish",
            aliases=("Mish",),
            expr=X * tanh(_softplus(X)),
            derivative=tanh(_softplus(X)) + X * (1 - tanh(_softplus(X)) ** 2) * _sigmoid(X),
            reference="Misra 2019, 'Mish: A Self Regularized Non-Monotonic Activation Function'",
            pytorch=("mish", {}),
        ),
        Activation(
            name="softplus",
            title="Softplus",
            aliases=("Softplus",),
            expr=log(1 + exp(BETA * X)) / BETA,
            derivative=_sigmoid(BETA * X),
            output_form=1 - exp(-BETA * Y),
            reference="Dugas et al. 2001, 'Incorporating Second-Order Functional Knowledge'; "
                      "PyTorch Softplus (beta)",
            parameters={"beta": "positive real"},
            samples={"beta": 1.5},
            pytorch=("softplus", {"beta": "beta"}),
        ),
        Activation(
            name="softsign",
            title="Softsign",
            aliases=("Softsign",),
            expr=X / (1 + Abs(X)),
            derivative=1 / (1 + Abs(X)) ** 2,
            output_form=(1 - Abs(Y)) ** 2,
            reference="Bergstra et al. 2009, 'Quadratic Polynomials Learn Better Image Features'",
            pytorch=("softsign", {}),
        ),
        Activation(
            name="logsigmoid",
            title="Log-sigmoid",
            aliases=("log_sigmoid", "LogSigmoid"),
            expr=-log(1 + exp(-X)),
            derivative=1 / (1 + exp(X)),
            output_form=1 - exp(Y),
            reference="PyTorch LogSigmoid: log(1 / (1 + e^{-x})) = -softplus(-x)",
            pytorch=("logsigmoid", {}),
        ),
        Activation(
            name="tanhshrink",
            title="Tanhshrink",
            aliases=("Tanhshrink",),
            expr=X - tanh(X),
            derivative=tanh(X) ** 2,
            reference="PyTorch Tanhshrink: x - tanh(x)",
            pytorch=("tanhshrink", {}),
        ),
        Activation(
            name="gaussian",
            title="Gaussian",
            aliases=("Gaussian",),
            expr=exp(-X**2),
            derivative=-2 * X * exp(-X**2),
            reference="Wikipedia, 'Activation function', table of activation functions (Gaussian)",
        ),
        Activation(
            name="bent_identity",
            title="Bent identity",
            aliases=("bent",),
            expr=(sqrt(X**2 + 1) - 1) / 2 + X,
            derivative=X / (2 * sqrt(X**2 + 1)) + 1,
            reference="Wikipedia, 'Activation function', table of activation functions (bent identity)",
        ),
        Activation(
            name="arctangent",
            title="Arctangent (ArcTan)",
            aliases=("arctan_activation",),
            expr=atan(X),
            derivative=1 / (1 + X**2),
            output_form=cos(Y) ** 2,
            reference="Wikipedia, 'Activation function', table of activation functions (ArcTan)",
            pytorch=("atan", {}),
        ),
        Activation(
            name="sinusoid",
            title="Sinusoid",
            aliases=("sinusoidal",),
            expr=sin(X),
            derivative=cos(X),
            reference="Wikipedia, 'Activation function', table of activation functions (sinusoid); "
                      "Sitzmann et al. 2020 (SIREN)",
            pytorch=("sin", {}),
        ),
        Activation(
            name="log_softmax",
            title="Log-softmax",
            aliases=("logsoftmax", "LogSoftmax"),
            expr=Z_[I_] - log(_SOFTMAX_SUM),
            derivative=KroneckerDelta(I_, K_) - exp(Z_[K_]) / _SOFTMAX_SUM,
            reference="PyTorch LogSoftmax: log(softmax(z)_i) = z_i - log sum_j e^{z_j}",
            vector=True,
        ),
        Activation(
            name="softmin",
            title="Softmin",
            aliases=("Softmin",),
            expr=exp(-Z_[I_]) / _SOFTMIN_SUM,
            derivative=(exp(-Z_[I_]) / _SOFTMIN_SUM)
            * (exp(-Z_[K_]) / _SOFTMIN_SUM - KroneckerDelta(I_, K_)),
            reference="PyTorch Softmin: softmax(-z)",
            vector=True,
        ),
    )
