"""The activations of the two seed posts: identity, sigmoid, tanh, ReLU, softmax."""

from __future__ import annotations

import sympy
from sympy import KroneckerDelta, Max, Piecewise, Sum, exp, tanh

from .model import I_, J_, K_, N_, X, Y, Z_, Activation, Kink


def _sigmoid(x: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + exp(-x))


_SOFTMAX_SUM = Sum(exp(Z_[J_]), (J_, 1, N_))

ENTRIES: tuple[Activation, ...] = (
        Activation(
            name="identity",
            title="Identity (linear)",
            aliases=("linear", "g_linear"),
            expr=X,
            derivative=sympy.Integer(1),
            output_form=sympy.Integer(1),
            reference="Stansbury 2020, 'The Identity Activation Function'",
            pytorch=("identity", {}),
        ),
        Activation(
            name="sigmoid",
            title="Logistic sigmoid",
            aliases=("logistic", "sigma", "g_logistic"),
            expr=_sigmoid(X),
            derivative=_sigmoid(X) * (1 - _sigmoid(X)),
            output_form=Y * (1 - Y),
            reference="Duong 2024, section 1; Stansbury 2020",
            pytorch=("sigmoid", {}),
        ),
        Activation(
            name="tanh",
            title="Hyperbolic tangent",
            aliases=("g_tanh",),
            expr=tanh(X),
            derivative=1 - tanh(X) ** 2,
            output_form=1 - Y**2,
            reference="Duong 2024, section 2; Stansbury 2020",
            pytorch=("tanh", {}),
        ),
        Activation(
            name="relu",
            title="Rectified linear unit",
            aliases=("ReLU",),
            expr=Max(0, X),
            derivative=Piecewise((1, X > 0), (0, True)),
            kinks=(
                Kink(
                    at=sympy.Integer(0),
                    left=sympy.Integer(0),
                    right=sympy.Integer(1),
                    convention=sympy.Integer(0),
                    convention_source="Duong 2024 (f'(0) = 0); PyTorch also uses 0",
                ),
            ),
            reference="Duong 2024, section 3",
            pytorch=("relu", {}),
        ),
        Activation(
            name="softmax",
            title="Softmax",
            aliases=("Softmax", "S"),
            expr=exp(Z_[I_]) / _SOFTMAX_SUM,
            derivative=(exp(Z_[I_]) / _SOFTMAX_SUM)
            * (KroneckerDelta(I_, K_) - exp(Z_[K_]) / _SOFTMAX_SUM),
            reference="Duong 2024, section 4",
            pytorch=None,  # a vector function: its Jacobian is not a scalar derivative
            vector=True,
        ),
    )
