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

Losses and the layers backpropagation goes through (``losses/``) are
indexed the same way and looked up with ``lookup_backprop``: each entry
gives its definition for symbolic sizes, a builder of its explicit form at
small sizes, and the compact backward formulas the literature writes.
"""

from __future__ import annotations

import functools
import importlib

import sympy
from sympy import exp

from .activations.model import I_, J_, K_, N_, X, Y, Z_, Activation, Kink
from .losses.model import Entry, Kind

__all__ = ["ACTIVATIONS", "Activation", "BACKPROP", "Entry", "Kind", "Kink", "X", "Y", "I_", "J_", "K_", "N_", "Z_",
           "backprop_family", "function_names", "lookup", "lookup_backprop", "softmax_jacobian"]

# Every entry's family, aliases and whether it is a vector function, so that
# a derivation of the sigmoid builds one family's SymPy expressions, not all
# 31 entries' (about 40 ms at every start of a worker). The families are
# imported when an entry of theirs is looked up; tests/test_catalog.py checks
# this index against the entries themselves.
_INDEX: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "identity": ("basic", ("linear", "g_linear"), False),
    "sigmoid": ("basic", ("logistic", "sigma", "g_logistic"), False),
    "tanh": ("basic", ("g_tanh",), False),
    "relu": ("basic", ("ReLU",), False),
    "softmax": ("basic", ("Softmax", "S"), True),
    "leaky_relu": ("piecewise", ("LeakyReLU", "lrelu"), False),
    "prelu": ("piecewise", ("PReLU",), False),
    "relu6": ("piecewise", ("ReLU6",), False),
    "elu": ("piecewise", ("ELU",), False),
    "selu": ("piecewise", ("SELU",), False),
    "celu": ("piecewise", ("CELU",), False),
    "hardsigmoid": ("piecewise", ("hard_sigmoid", "Hardsigmoid"), False),
    "hardtanh": ("piecewise", ("hard_tanh", "Hardtanh"), False),
    "hardswish": ("piecewise", ("hard_swish", "Hardswish"), False),
    "softshrink": ("piecewise", ("Softshrink", "soft_shrink"), False),
    "hardshrink": ("piecewise", ("Hardshrink", "hard_shrink"), False),
    "threshold": ("piecewise", ("Threshold",), False),
    "gelu": ("smooth", ("GELU",), False),
    "gelu_tanh": ("smooth", ("gelu_approx",), False),
    "swish": ("smooth", ("silu", "SiLU", "Swish"), False),
    "mish": ("smooth", ("Mish",), False),
    "softplus": ("smooth", ("Softplus",), False),
    "softsign": ("smooth", ("Softsign",), False),
    "logsigmoid": ("smooth", ("log_sigmoid", "LogSigmoid"), False),
    "tanhshrink": ("smooth", ("Tanhshrink",), False),
    "gaussian": ("smooth", ("Gaussian",), False),
    "bent_identity": ("smooth", ("bent",), False),
    "arctangent": ("smooth", ("arctan_activation",), False),
    "sinusoid": ("smooth", ("sinusoidal",), False),
    "log_softmax": ("smooth", ("logsoftmax", "LogSoftmax"), True),
    "softmin": ("smooth", ("Softmin",), True),
}
FAMILIES = tuple(dict.fromkeys(family for family, _, _ in _INDEX.values()))  # in the index's order


@functools.cache
def family(name: str) -> dict[str, Activation]:
    """The entries of one family (``activations/<name>.py``), by name."""
    module = importlib.import_module(f".activations.{name}", __package__)
    return {a.name: a for a in module.ENTRIES}


# Losses and layers: each entry's family (``losses/<family>.py``), aliases and
# kind, for the same reason; tests/test_losses_catalog.py checks it too.
_BACKPROP_INDEX: dict[str, tuple[str, tuple[str, ...], Kind]] = {
    "mse": ("regression", ("mean_squared_error", "MSELoss", "l2_loss"), Kind.LOSS),
    "mae": ("regression", ("mean_absolute_error", "L1Loss", "l1_loss"), Kind.LOSS),
    "huber": ("regression", ("HuberLoss", "huber_loss"), Kind.LOSS),
    "smooth_l1": ("regression", ("SmoothL1Loss", "smooth_l1_loss"), Kind.LOSS),
    "bce": ("binary", ("binary_cross_entropy", "BCELoss", "log_loss"), Kind.LOSS),
    "bce_with_logits": ("binary", ("binary_cross_entropy_with_logits", "BCEWithLogitsLoss", "sigmoid_cross_entropy"),
                        Kind.LOSS),
    "focal": ("binary", ("focal_loss", "sigmoid_focal_loss"), Kind.LOSS),
    "hinge": ("binary", ("hinge_loss", "svm_loss"), Kind.LOSS),
    "squared_hinge": ("binary", ("squared_hinge_loss", "l2_svm_loss"), Kind.LOSS),
    "cross_entropy": ("categorical", ("categorical_cross_entropy", "CrossEntropyLoss", "softmax_cross_entropy"),
                      Kind.LOSS),
    "nll_log_softmax": ("categorical", ("nll", "NLLLoss", "negative_log_likelihood"), Kind.LOSS),
    "kl_div": ("categorical", ("kl_divergence", "KLDivLoss", "kl"), Kind.LOSS),
    "distillation": ("categorical", ("softmax_temperature", "knowledge_distillation", "soft_target_loss"), Kind.LOSS),
    "dense": ("dense", ("linear", "fully_connected", "Linear"), Kind.LAYER),
    "dense_batch": ("dense", ("linear_batch", "fully_connected_batch"), Kind.LAYER),
    "logistic_regression": ("dense", ("logreg", "logistic_regression_cost"), Kind.MODEL),
    "residual": ("dense", ("skip_connection", "residual_block"), Kind.LAYER),
    "layer_norm": ("normalization", ("LayerNorm", "layernorm"), Kind.LAYER),
    "rms_norm": ("normalization", ("RMSNorm", "rmsnorm"), Kind.LAYER),
    "batch_norm": ("normalization", ("BatchNorm", "batchnorm", "BatchNorm1d"), Kind.LAYER),
    "attention": ("attention", ("scaled_dot_product_attention", "sdpa", "self_attention"), Kind.LAYER),
}
BACKPROP_FAMILIES = tuple(dict.fromkeys(family for family, _, _ in _BACKPROP_INDEX.values()))


@functools.cache
def backprop_family(name: str) -> dict[str, Entry]:
    """The loss and layer entries of one family (``losses/<name>.py``), by name."""
    module = importlib.import_module(f".losses.{name}", __package__)
    return {e.name: e for e in module.ENTRIES}


def __getattr__(attribute: str):
    if attribute == "ACTIVATIONS":  # every entry, built on first use
        every = {n: a for f in FAMILIES for n, a in family(f).items()}
        globals()["ACTIVATIONS"] = every
        return every
    if attribute == "BACKPROP":  # every loss and layer, built on first use
        every = {n: e for f in BACKPROP_FAMILIES for n, e in backprop_family(f).items()}
        globals()["BACKPROP"] = every
        return every
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")


def function_names() -> tuple[str, ...]:
    """Names (and aliases) of the scalar activations, for a LaTeX scope in
    which ``\\sigma(x)`` is the sigmoid; ``tanh`` stays SymPy's builtin."""
    return tuple(n for name, (_, aliases, vector) in _INDEX.items() if not vector
                 for n in (name, *aliases) if n != "tanh")


def lookup(name: str) -> Activation | None:
    """The activation called ``name`` or one of its aliases (case-insensitive)."""
    wanted = name.lower()
    for entry, (family_name, aliases, _) in _INDEX.items():
        if wanted == entry or wanted in (a.lower() for a in aliases):
            return family(family_name)[entry]
    return None


def lookup_backprop(name: str, kind: Kind | None = None) -> Entry | None:
    """The loss or layer called ``name`` or one of its aliases
    (case-insensitive), of the given kind if one is given."""
    wanted = name.lower()
    for entry, (family_name, aliases, entry_kind) in _BACKPROP_INDEX.items():
        if (wanted == entry or wanted in (a.lower() for a in aliases)) and kind in (None, entry_kind):
            return backprop_family(family_name)[entry]
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
