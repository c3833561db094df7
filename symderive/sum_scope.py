"""Which sums enclose a node of an expression, and where an index they
run may lie: sum_{m=1}^{B} ( ... sum_{k=1}^{B} delta_km g_k ... ) is
g_m there, since m runs inside k's range (symderive/kronecker.py)."""

from __future__ import annotations

import sympy


def span(other: sympy.Expr, free: set, enclosing: tuple):
    """(least, greatest) value of a delta's other index: itself when its
    symbols are free; m + c over lo + c..hi + c when m is the one index of
    an enclosing sum it names (m runs lo..hi, integers); else None."""
    if other.free_symbols <= free:
        return other, other
    ranges = {index: (lower, upper) for index, lower, upper in enclosing}  # the innermost binding wins
    bound = other.free_symbols - free
    if len(bound) != 1 or not bound <= ranges.keys():
        return None
    index = next(iter(bound))
    lower, upper = ranges[index]
    if index in (other - index).free_symbols or not lower.is_integer:
        return None
    return other.xreplace({index: lower}), other.xreplace({index: upper})


def scope_inside(node: sympy.Basic, enclosing: tuple) -> tuple:
    """The enclosing sums seen from node's first argument (a sum's or
    product's body): its own limits added, innermost last; anything else
    that binds a symbol (a Lambda, an integral) hides the sums of it."""
    if isinstance(node, (sympy.Sum, sympy.Product)):
        return unbound(node, enclosing) + tuple(tuple(limit) for limit in reversed(node.limits))
    return unbound(node, enclosing)


def unbound(node: sympy.Basic, enclosing: tuple) -> tuple:
    hidden = set(getattr(node, "bound_symbols", ()) or ())
    if isinstance(node, (sympy.Sum, sympy.Product)):
        hidden |= {limit[0] for limit in node.limits}
    return tuple(limit for limit in enclosing if limit[0] not in hidden)
