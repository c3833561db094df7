"""A derivative in a whole name of an expression of its entries only.

``\\frac{\\partial e^{z_i}}{\\partial z}``, ``\\frac{\\partial L}{\\partial z}``
with ``L = \\sum_i e^{z_i}``, ``\\frac{d f}{d x}`` with ``f(x) = x_1^2``: the
expression holds z's entries (z_i, z_1, z^{(1)}, an indexed z_k) and not z
itself. Read with the entries as names of their own, the derivative is 0; a
reader who takes z for the vector of its entries reads a gradient, which is
not 0. Nothing written says which, so a claim (of a post, or a step of a
derivation file whose variable z is declared indexed) through such a
derivative is neither proved nor refuted: ``doubt`` gives the reason.

An expression that holds z itself beside an entry (``(x - x_0)^2`` in x) is
not doubted: there x_0 is a constant beside the variable, as posts write it.
"""

from __future__ import annotations

import re

import sympy

from .errors import SymderiveError
from .latex.vocabulary import ACCENT_COMMANDS

# what follows a name's label in one of its entries: ``_1``, ``_i``, ``_ij``,
# ``^(1)``, ``^[l]``, ``^(O)_1`` (a labelled name's entry is checked by prefix)
_INDEX = r"(?:_(?P<sub>[A-Za-z0-9]{1,3})|\^[(\[][^)\]]{1,4}[)\]](?:_[A-Za-z0-9]{1,3})?)"
_DECORATIONS = frozenset(ACCENT_COMMANDS.values()) | {"max", "min", "new", "old", "opt", "avg", "sum", "out", "in"}


def _is_entry(name: str, variable: str) -> bool:
    if not name.startswith(variable) or name == variable:
        return False
    found = re.fullmatch(_INDEX, name[len(variable):])
    return found is not None and found.group("sub") not in _DECORATIONS


def _entries(expr: sympy.Basic, variable: str) -> list[str]:
    names = {str(s) for s in expr.free_symbols if isinstance(s, sympy.Symbol)}
    found = sorted(n for n in names if _is_entry(n, variable))
    found += sorted({str(i) for i in expr.atoms(sympy.Indexed) if str(i.base.label) == variable})
    return found


def _bare_symbols(expr: sympy.Basic) -> set:
    """The names written in ``expr`` outside an entry: an indexed z_k's
    label z is among SymPy's free symbols of z_k, but is not written."""
    indexed = expr.atoms(sympy.Indexed)
    if indexed:
        expr = expr.xreplace({i: sympy.Dummy() for i in indexed})
    return expr.free_symbols


def doubt(meaning, *sides) -> str | None:
    """Why a claim's derivative in a whole name may be a gradient (see the
    module's docstring); None when no derivative of the claim is of that kind."""
    for side in sides:
        if not isinstance(side, sympy.Basic):
            continue
        for derivative in side.atoms(sympy.Derivative):
            for variable, _ in derivative.variable_count:
                if not isinstance(variable, sympy.Symbol):
                    continue
                try:
                    inner = meaning.unfold(derivative.expr)
                except (SymderiveError, RecursionError):
                    inner = derivative.expr
                if not isinstance(inner, sympy.Basic) or variable in _bare_symbols(inner):
                    continue
                entries = _entries(inner, str(variable))
                if entries:
                    return (f"the derivative in {variable} is of an expression of its entries "
                            f"({', '.join(entries[:3])}) and not of {variable} itself: with {variable} the "
                            f"vector of its entries it is a gradient, with the entries held it is 0, and the "
                            f"text does not say which")
    return None
