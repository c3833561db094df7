"""The shape of a loss or layer entry: what the literature writes about the
backward pass of one loss or layer, as data.

An entry has two forms of the same mathematics. The symbolic one is written
in index notation for sizes left as symbols (``n`` classes, ``d`` features,
batch ``N``, ``m`` samples): IndexedBase entries, ``Sum`` over ``(i, 1, n)``,
``KroneckerDelta`` where the literature uses it. The explicit one is built
for given small sizes from plain symbols and matrices, in the matrix form
posts write (``delta x^T``, ``W^T delta``), so that the two can be checked
against each other and against ``sympy.diff``.

A layer's backward pass is stated for an arbitrary upstream gradient
``g = dL/dy``: its objective is ``L = sum_i g_i y_i``, whose derivative in
``y`` is exactly ``g``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy

from ..activations.model import I_, J_, K_, N_, Kink

__all__ = ["D_", "H_", "I_", "J_", "K_", "L_", "M_", "NB_", "N_", "T_", "Entry", "Explicit", "Gradient", "Kind",
           "Kink", "Mistake", "matrix", "unfold", "upstream_objective", "vector"]

NB_ = sympy.Symbol("N", integer=True, positive=True)   # batch size
D_ = sympy.Symbol("d", integer=True, positive=True)    # features
H_ = sympy.Symbol("h", integer=True, positive=True)    # a dense layer's outputs
M_ = sympy.Symbol("m", integer=True, positive=True)    # samples (logistic regression), keys (attention)
L_, T_ = sympy.symbols("l t", integer=True, positive=True)  # more summation indices


class Kind(enum.Enum):
    LOSS = "loss"    # a scalar of its inputs; differentiated directly
    LAYER = "layer"  # a map of its inputs; differentiated through L = sum g * y
    MODEL = "model"  # a model's cost over a data set; a scalar of its parameters


@dataclass(frozen=True)
class Gradient:
    """The compact backward formula for one input: ``formula`` is
    dL/d wrt[at] for symbolic sizes (``at`` the free indices; empty when
    ``wrt`` is a scalar Symbol), valid where ``condition`` holds. ``written``
    is the same formula as the literature writes it, in the intermediates
    the entry names (p_k for softmax(z)_k, x_hat_j, P for attention's
    weights); ``unfold(written, entry.names)`` is ``formula``."""

    wrt: sympy.IndexedBase | sympy.Symbol
    at: tuple[sympy.Symbol, ...]
    formula: sympy.Expr
    literature: str
    condition: str = ""
    written: sympy.Expr | None = None


@dataclass(frozen=True)
class Mistake:
    """A wrong backward formula of the kind posts write (a lost 1/N, a sign
    lost in the chain rule, a missing transpose, a dropped mean term), as the
    explicit matrix it gives for input ``wrt``."""

    name: str
    wrt: str
    gradient: sympy.Matrix


@dataclass(frozen=True)
class Explicit:
    """An entry at given sizes. ``value`` is the loss (1 x 1) or the layer's
    output; ``objective`` the scalar to differentiate; ``inputs`` the
    matrices of symbols differentiated, ``gradients`` their compact backward
    formulas (same shapes); ``arrays`` maps each IndexedBase of the symbolic
    form to its explicit matrix (scalar Symbols are shared by both forms).
    ``given`` substitutes the stated conditions (Sum y = 1); ``ranges``
    bounds the values a symbol is sampled from (probabilities in (0, 1));
    data fixed by the mathematics (labels in {0, 1}) are numbers already."""

    value: sympy.Matrix
    objective: sympy.Expr
    inputs: dict[str, sympy.Matrix]
    gradients: dict[str, sympy.Matrix]
    arrays: dict[sympy.IndexedBase, sympy.Matrix]
    mistakes: tuple[Mistake, ...]
    given: dict[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    ranges: dict[sympy.Symbol, tuple[sympy.Rational, sympy.Rational]] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """One loss or layer. ``definition`` is the loss, or the layer's output
    entry at ``output_at``, for the symbolic ``sizes``; ``explicit(*sizes)``
    builds it for integer sizes (``checked_sizes`` are three of them);
    ``names`` gives the intermediates the literature names, an IndexedBase
    by a Lambda of its indices, a Symbol by its expression; ``pytorch``
    names the torch function that computes it."""

    name: str
    kind: Kind
    description: str
    aliases: tuple[str, ...]
    sizes: tuple[sympy.Symbol, ...]
    definition: sympy.Expr
    gradients: tuple[Gradient, ...]
    explicit: Callable[..., Explicit]
    checked_sizes: tuple[tuple[int, ...], ...]
    reference: str
    pytorch: str
    output_at: tuple[sympy.Symbol, ...] = ()
    names: dict[sympy.IndexedBase | sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    parameters: dict[sympy.Symbol, str] = field(default_factory=dict)
    kinks: tuple[Kink, ...] = ()
    conditions: tuple[str, ...] = ()


def unfold(expr: sympy.Expr, names: dict) -> sympy.Expr:
    """expr with every named intermediate replaced by its definition, until
    none is left (a name may be written with others: dS with P and dP)."""
    for _ in range(len(names) + 1):
        replacements = {e: names[e.base](*e.indices) for e in expr.atoms(sympy.Indexed) if e.base in names}
        replacements.update({s: names[s] for s in expr.free_symbols if s in names})
        if not replacements:
            return expr
        expr = expr.xreplace(replacements)
    raise ValueError("the names refer to each other in a cycle")


def vector(name: str, size: int, **assumptions) -> sympy.Matrix:
    """A column of symbols name_1 .. name_size."""
    return sympy.Matrix([sympy.Symbol(f"{name}_{i}", **assumptions) for i in range(1, size + 1)])


def matrix(name: str, rows: int, columns: int, **assumptions) -> sympy.Matrix:
    """A rows x columns matrix of symbols name_ij (name_i_j past 9)."""
    separator = "_" if max(rows, columns) > 9 else ""
    return sympy.Matrix(rows, columns,
                        lambda r, c: sympy.Symbol(f"{name}_{r + 1}{separator}{c + 1}", **assumptions))


def upstream_objective(output: sympy.Matrix, upstream: sympy.Matrix) -> sympy.Expr:
    """L = sum g_ij y_ij: its gradient in the output is the upstream g."""
    return sum((g * y for g, y in zip(upstream, output)), sympy.Integer(0))
