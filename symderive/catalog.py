"""The activations symderive knows, as data.

Each entry (``activations/``, one module per family) says what the
literature says about one activation: its SymPy definition, its derivative
in the closed form posts write, the form of the derivative in terms of the
output ``y`` alone (what backpropagation computes from the cached
activation), where it is not differentiable and the value used there by
convention, its parameters and their domains, and the PyTorch function
that computes it. Adding an activation is adding an entry.

Scalar activations are functions of the real symbol ``X``. Softmax is a
vector function of ``z = (z_1, ..., z_n)`` for symbolic ``n``; its entry
describes the component ``S_i`` and the Jacobian entry ``dS_i/dz_k``.
"""

from __future__ import annotations

import sympy
from sympy import exp

from .activations import basic, piecewise, smooth
from .activations.model import I_, J_, K_, N_, X, Y, Z_, Activation, Kink

__all__ = ["ACTIVATIONS", "Activation", "Kink", "X", "Y", "I_", "J_", "K_", "N_", "Z_", "function_names", "lookup",
           "softmax_jacobian"]

FAMILIES = (basic, piecewise, smooth)

ACTIVATIONS: dict[str, Activation] = {a.name: a for family in FAMILIES for a in family.ENTRIES}


def function_names() -> tuple[str, ...]:
    """Names (and aliases) of the scalar activations, for a LaTeX scope in
    which ``\\sigma(x)`` is the sigmoid; ``tanh`` stays SymPy's builtin."""
    return tuple(name for activation in ACTIVATIONS.values() if not activation.vector
                 for name in (activation.name, *activation.aliases) if name != "tanh")


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
