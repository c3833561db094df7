"""The activations symderive knows, as data.

Each entry says what the literature says about one activation: its SymPy
definition, its derivative in the closed form posts write, the form of the
derivative in terms of the output ``y`` alone (what backpropagation computes
from the cached activation), where it is not differentiable and the value
used there by convention. Adding an activation is adding an entry.

Scalar activations are functions of the real symbol ``X``. Softmax is a
vector function of ``z = (z_1, ..., z_n)`` for symbolic ``n``; its entry
describes the component ``S_i`` and the Jacobian entry ``dS_i/dz_k``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from sympy import KroneckerDelta, Max, Piecewise, Sum, exp, tanh

X = sympy.Symbol("x", real=True)
Y = sympy.Symbol("y", real=True)
I_, J_, K_ = sympy.symbols("i j k", integer=True, positive=True)
N_ = sympy.Symbol("n", integer=True, positive=True)
Z_ = sympy.IndexedBase("z", real=True)


@dataclass(frozen=True)
class Kink:
    """A point where the activation is not differentiable."""

    at: sympy.Expr
    left: sympy.Expr
    right: sympy.Expr
    convention: sympy.Expr
    convention_source: str


@dataclass(frozen=True)
class Activation:
    name: str
    title: str
    aliases: tuple[str, ...]
    expr: sympy.Expr
    derivative: sympy.Expr
    reference: str
    variable: sympy.Symbol = X
    output_form: sympy.Expr | None = None
    kinks: tuple[Kink, ...] = ()
    parameters: dict[str, str] = field(default_factory=dict)
    vector: bool = False


def _sigmoid(x: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + exp(-x))


_SOFTMAX_SUM = Sum(exp(Z_[J_]), (J_, 1, N_))

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            name="identity",
            title="Identity (linear)",
            aliases=("linear", "g_linear"),
            expr=X,
            derivative=sympy.Integer(1),
            output_form=sympy.Integer(1),
            reference="Stansbury 2020, 'The Identity Activation Function'",
        ),
        Activation(
            name="sigmoid",
            title="Logistic sigmoid",
            aliases=("logistic", "sigma", "g_logistic"),
            expr=_sigmoid(X),
            derivative=_sigmoid(X) * (1 - _sigmoid(X)),
            output_form=Y * (1 - Y),
            reference="Duong 2024, section 1; Stansbury 2020",
        ),
        Activation(
            name="tanh",
            title="Hyperbolic tangent",
            aliases=("g_tanh",),
            expr=tanh(X),
            derivative=1 - tanh(X) ** 2,
            output_form=1 - Y**2,
            reference="Duong 2024, section 2; Stansbury 2020",
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
        ),
        Activation(
            name="softmax",
            title="Softmax",
            aliases=("Softmax", "S"),
            expr=exp(Z_[I_]) / _SOFTMAX_SUM,
            derivative=(exp(Z_[I_]) / _SOFTMAX_SUM)
            * (KroneckerDelta(I_, K_) - exp(Z_[K_]) / _SOFTMAX_SUM),
            reference="Duong 2024, section 4",
            vector=True,
        ),
    )
}


def lookup(name: str) -> Activation | None:
    """The activation called ``name`` or one of its aliases (case-insensitive)."""
    wanted = name.lower()
    for activation in ACTIVATIONS.values():
        if wanted == activation.name or wanted in (a.lower() for a in activation.aliases):
            return activation
    return None


def softmax_jacobian(n: int) -> tuple[sympy.Matrix, sympy.Matrix]:
    """For concrete ``n``: the Jacobian of softmax by differentiation and
    the closed form diag(S) - S S^T, as two explicit matrices."""
    z = sympy.symbols(f"z1:{n + 1}", real=True)
    total = sum(exp(v) for v in z)
    s = sympy.Matrix([exp(v) / total for v in z])
    by_diff = s.jacobian(sympy.Matrix(z))
    closed = sympy.diag(*s) - s * s.T
    return by_diff, closed
