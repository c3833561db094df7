"""Sums with a Kronecker delta: sum_{j=1}^{n} delta_{jk} f(j) = f(k).

Free indices are assumed to lie in the range of the sum (1 <= k <= n), as
every softmax derivation does; SymPy's own ``doit`` gives a Piecewise on
``k <= n`` instead.
"""

from __future__ import annotations

import sympy


def _collapse(node: sympy.Sum) -> sympy.Expr | None:
    if len(node.limits) != 1:
        return None
    index, _lower, _upper = node.limits[0]
    terms = sympy.Add.make_args(sympy.expand(node.function))
    collapsed = []
    rest = []
    for term in terms:
        deltas = [d for d in term.atoms(sympy.KroneckerDelta) if index in d.args[:2]]
        if len(deltas) != 1 or not term.is_Mul and term != deltas[0]:
            rest.append(term)
            continue
        delta = deltas[0]
        other = delta.args[1] if delta.args[0] == index else delta.args[0]
        if index in other.free_symbols:
            rest.append(term)
            continue
        collapsed.append(term.subs(delta, 1).subs(index, other))
    if not collapsed:
        return None
    remainder = sympy.Sum(sympy.Add(*rest), *node.limits) if rest else sympy.Integer(0)
    return sympy.Add(*collapsed) + remainder


def collapse_kronecker_sums(expr: sympy.Expr) -> sympy.Expr:
    """Every sum over j of delta_{jk} * f(j) replaced by f(k)."""
    if not expr.has(sympy.KroneckerDelta) or not expr.has(sympy.Sum):
        return expr
    return expr.replace(
        lambda e: isinstance(e, sympy.Sum) and _collapse(e) is not None,
        _collapse,
    )
