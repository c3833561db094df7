"""Generate a step-by-step derivation, one named rule per step, like a
careful teacher: the engine chooses the rule for the first derivative still
unevaluated, applies it wherever it fits (exactly what ``verify`` replays),
and writes the line. The result is a derivation file, verified like any other.

An activation or an expression is derived by ``activation.py``; a loss or
layer of the catalog, in index notation for its symbolic sizes, by
``backprop.py``.
"""

from __future__ import annotations

from ..catalog import lookup, lookup_backprop
from .activation import derive, derive_latex
from .backprop import derive_backprop
from .steps import Generated

__all__ = ["Generated", "derive", "derive_backprop", "derive_latex", "generate"]


def generate(name_or_latex: str, wrt: str | None = None, close: bool = True) -> Generated:
    """The derivation of a catalog activation, loss or layer by name, or of
    a LaTeX expression in ``wrt`` (default x); ``close`` as for derive_backprop."""
    if lookup(name_or_latex):
        return derive(name_or_latex)
    if lookup_backprop(name_or_latex):
        return derive_backprop(name_or_latex, wrt, close)
    return derive_latex(name_or_latex, wrt or "x")
