"""What every proof strategy shares: the context a proof may assume, the
shape of a strategy, and how the verdicts of the cases of a split combine.

A strategy is ``strategy(a, b, context) -> Proved | Refuted | Unknown | None``
(None: "not my case"). A strategy that proves its claim from parts (matrix
entries, the regions of a case split) is written
``strategy(a, b, context, prove)`` and is handed the prover for the parts
by ``prover.py``, so that no strategy module imports the prover.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy

from .evidence import Proved, Refuted, Unknown
from .prove_numeric import restate


@dataclass(frozen=True)
class Declared:
    """Lengths declared by shapes (X in R^{B x M}, post/shapes.py): each
    free index at a declared axis with its length, (i, B), whatever the
    claim's sums say; and every length the declarations name, which are
    distinct dimensions (B and M may differ; a length no shape names, a K
    of a sum, may be another name of one of them); and the lengths the
    claim's own sums run to before any collapse (a length left only in a
    case condition, d >= i, is still a length, not an index); and for each
    sum over a declared axis, (its upper limit, the axis's length): the
    sum stays inside the shape (M <= B for sum_{m=1}^{M} x_{mj}, X in
    R^{B x M}), so no sizes where it runs past the last row are tried."""

    indices: tuple = ()
    lengths: frozenset = frozenset()
    sums: frozenset = frozenset()
    inside: tuple = ()


@dataclass(frozen=True)
class ProofContext:
    """What a proof may assume: the region (``condition``, e.g. x > 0 or
    Eq(i, k)), the time limit of the costly strategies in seconds, and the
    declared lengths."""

    condition: sympy.Basic = sympy.true
    timeout: float = 5.0
    declared: Declared = Declared()


Strategy = Callable[[sympy.Expr, sympy.Expr, ProofContext], object]
Prove = Callable[[sympy.Expr, sympy.Expr, ProofContext], object]


def within(context: ProofContext, condition) -> ProofContext:
    """The same time limit and lengths on a smaller region."""
    return ProofContext(condition, context.timeout, context.declared)


def combine(verdicts, method, a, b):
    """The verdict of a claim proved region by region: a refuted region
    refutes (restated with the claim's own values), an unknown one leaves it
    unknown, and only every region proved proves it. None where a region's
    counterexample gives the claim's two sides the same value: the split
    decided nothing."""
    if not verdicts:
        # every region was skipped: the region in force has no interior, nothing was shown
        return Unknown("the region has no interior: a value at a single point is not proved by cases")
    for verdict in verdicts:
        if isinstance(verdict, Refuted):
            restated = restate(verdict, a, b)
            if restated.lhs_value == restated.rhs_value:
                # the region's counterexample is not one of the claim: the regions decide
                # nothing, and the strategies after this one may
                return None
            return restated
    for verdict in verdicts:
        if isinstance(verdict, Unknown):
            return verdict
    methods = sorted({v.method for v in verdicts})
    return Proved(f"{method} ({'; '.join(methods)})" if methods else method)


def as_expr(value) -> sympy.Basic:
    """A SymPy object for a value a caller handed the prover (a Python number
    from a test or a table); never text, which is refused."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool):
        return sympy.true if value else sympy.false
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value)
    raise TypeError(f"not an expression: {type(value).__name__}")


def substitutable(expr, integers: bool = False) -> set:
    """The variables of expr that may be given a value by substitution: real
    ones (and integer ones when asked), not a vector's name, not a variable
    a derivative or an integral is taken in."""
    labels = {base.label for base in expr.atoms(sympy.IndexedBase)}
    bound = set()
    for node in expr.atoms(sympy.Derivative, sympy.Subs, sympy.Integral):
        bound |= node.free_symbols if not isinstance(node, sympy.Derivative) else set(node.variables)
    return {s for s in expr.free_symbols if isinstance(s, sympy.Symbol) and s not in labels and s not in bound
            and s.is_real and (integers or not s.is_integer)}


def undefined(expr) -> bool:
    """A side with no value at the case's point (0/0, log 0, atan(1/0),
    which SymPy gives as a range of values): nothing to be equal to there.
    Not when the no-value part sits in a case of a Piecewise whose condition
    SymPy left open: the other case may hold, with a value."""
    if expr.has(sympy.Piecewise):
        return False
    return expr.has(sympy.nan, sympy.zoo) or bool(expr.atoms(sympy.AccumBounds))
