"""Which sums enclose a node of an expression, and where an index they
run may lie: sum_{m=1}^{B} ( ... sum_{k=1}^{B} delta_km g_k ... ) is
g_m there, since m runs inside k's range (symderive/kronecker.py); and the
renamings a sum's bound index and upper limit need before evaluation."""

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


def bound_apart(expr: sympy.Basic, free: set) -> sympy.Basic:
    """``expr`` with each sum's bound index that is also a free symbol of
    the variable renamed: d/dW_{jk} of sum_j sum_k W_{jk}^2 differentiates
    in the entry the free j, k name, and every term of the sum is a
    different entry (a reader renames the bound j, k; SymPy would not)."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return expr

    def apart(total):
        clashing = {limit[0] for limit in total.limits} & free
        if not clashing:
            return total
        fresh = {index: sympy.Dummy(str(index), integer=True) for index in clashing}
        limits = [(fresh.get(limit[0], limit[0]), *limit[1:]) for limit in total.limits]
        return total.func(total.function.xreplace(fresh), *limits)

    return expr.replace(lambda e: isinstance(e, (sympy.Sum, sympy.Product)), apart)


def limits_as_counts(*exprs) -> dict:
    """The renaming that makes each symbol a sum or product runs up to a
    positive integer everywhere it is written (the n of ``\\frac{1}{n}\\sum_{r=1}^{n}``
    read as a real variable elsewhere): a sum's upper limit is a count, and
    the n beside it is that count."""
    exprs = [e for e in exprs if isinstance(e, sympy.Basic)]
    names = {s.name for e in exprs for node in e.atoms(sympy.Sum, sympy.Product) for _, _, upper in node.limits
             for s in upper.free_symbols if _not_a_count(s)}
    if not names:
        return {}
    return {s: sympy.Symbol(s.name, integer=True, positive=True) for e in exprs for s in e.free_symbols
            if _not_a_count(s) and s.name in names}


def _not_a_count(symbol) -> bool:
    """A name the post wrote (not a bound dummy) not yet known to be a positive integer."""
    return (isinstance(symbol, sympy.Symbol) and not isinstance(symbol, sympy.Dummy)
            and not (symbol.is_integer and symbol.is_positive))
