"""The shape of a catalog entry: an activation described as data."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

X = sympy.Symbol("x", real=True)
Y = sympy.Symbol("y", real=True)
I_, J_, K_ = sympy.symbols("i j k", integer=True, positive=True)
N_ = sympy.Symbol("n", integer=True, positive=True)
Z_ = sympy.IndexedBase("z", real=True)


@dataclass(frozen=True)
class Kink:
    """A point where the activation is not differentiable: the one-sided
    derivatives, and the value used there by convention (and by whom)."""

    at: sympy.Expr
    left: sympy.Expr
    right: sympy.Expr
    convention: sympy.Expr
    convention_source: str


@dataclass(frozen=True)
class Activation:
    """One activation. ``parameters`` maps each parameter's name to its
    domain in words; ``samples`` gives a typical value of each (for numeric
    comparisons); ``pytorch`` names the function of ``torch.nn.functional``
    (or ``torch``) that computes it and how its keyword arguments map to the
    parameters, e.g. ("elu", {"alpha": "alpha"})."""

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
    samples: dict[str, float] = field(default_factory=dict)
    pytorch: tuple[str, dict] | None = None
    vector: bool = False
