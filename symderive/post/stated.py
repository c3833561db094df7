"""Claims under a stated sum (``\\sum_{k=1}^{n} y_k = 1``, a one-hot
target): a counterexample must keep the sum.

``assume`` replaces the whole sum by its value, which proves soundly (a
claim equal for every y is equal for those that keep the sum), but a claim
that still writes y's entries (``\\sum_{k=2}^{n} y_k = 1 - y_1``) is
evaluated at entries that need not keep it, and a refutation found there
says nothing about the post. Such a claim is decided again with each entry
written through free values that keep the sum by construction:
y_k = u_k + (c - \\sum_j u_j) / N over the N entries of the stated sum.
Every y that keeps the sum is reached (u = y), so a refutation of the
rewritten claim is a counterexample that keeps the sum, and a proof of it
proves the claim under the sum.
"""

from __future__ import annotations

import sympy

from ..evidence import Proved, Refuted, Unknown
from ..sampling import vector_value

_INDEX = sympy.Symbol("stated_j", integer=True)


def kept_sum_evidence(a, b, evidence, assumptions, decide):
    """``evidence`` for a = b, with a refutation that breaks a stated sum
    decided again by ``decide`` on the claim rewritten to keep every such
    sum: its refutation (entries shown as the post's), its proof, or
    unknown."""
    if not isinstance(evidence, Refuted) or not assumptions:
        return evidence
    stated = _stated_entries(sympy.Tuple(a, b), assumptions)
    if not stated:
        return evidence
    rewrite = {}
    for base, low, high, value in stated:
        free = sympy.IndexedBase(f"{base.label}_free")
        total = sympy.Sum(free[_INDEX], (_INDEX, low, high))
        rewrite[base] = (free, (value - total) / (high - low + 1))
    again = decide(_kept(a, rewrite), _kept(b, rewrite))
    if isinstance(again, Refuted):
        return Refuted(_post_entries(again.point, stated), again.lhs_value, again.rhs_value, again.method)
    if isinstance(again, Proved):
        return again
    sums = ", ".join(f"sum of {base.label} = {value}" for base, _, _, value in stated)
    return Unknown(f"refuted only at values that break the stated {sums}; with the sum kept: "
                   f"{getattr(again, 'reason', 'no verdict')}")


def _stated_entries(expr, assumptions) -> list:
    """(base, low, high, value) of each stated sum of one vector's entries
    (``\\sum_k y_k``) whose entries the claim still writes."""
    written = {e.base for e in expr.atoms(sympy.Indexed)}
    found = []
    for total, value in assumptions.items():
        if not isinstance(total, sympy.Sum) or len(total.limits) != 1:
            continue
        index, low, high = total.limits[0]
        entry = total.function
        if (isinstance(entry, sympy.Indexed) and entry.indices == (index,) and entry.base in written
                and all(e.base != entry.base or len(e.indices) == 1 for e in expr.atoms(sympy.Indexed))):
            found.append((entry.base, low, high, value))
    return found


def _kept(expr, rewrite: dict):
    """Each entry y_k of a stated sum written as u_k + (c - sum u) / N."""
    def entry(node):
        free, shift = rewrite[node.base]
        return free[node.indices[0]] + shift
    return expr.replace(lambda e: isinstance(e, sympy.Indexed) and e.base in rewrite, entry)


def _post_entries(point, stated) -> tuple:
    """The counterexample with the post's entries y_1..y_N (keeping the sum)
    in place of the free values it was found at."""
    integers = {name: sympy.Integer(value) for name, value in point if _is_integer(value)}
    shown = [(name, value) for name, value in point if not any(name.startswith(f"{b.label}_free") for b, *_ in stated)]
    for base, low, high, value in stated:
        low, high = _at(low, integers), _at(high, integers)
        if low is None or high is None or not 0 < high - low + 1 <= 50:
            continue
        free = [vector_value(m, f"{base.label}_free") for m in range(low, high + 1)]
        shift = (value - sum(free)) / len(free)
        shown += [(f"{base.label}_{m}", str(u + shift)) for m, u in zip(range(low, high + 1), free)]
    return tuple(shown)


def _is_integer(text: str) -> bool:
    return text.lstrip("-").isdigit()


def _at(bound, integers):
    """A bound of the stated sum at the counterexample's integers, or None."""
    number = bound.xreplace({s: integers[s.name] for s in bound.free_symbols if s.name in integers})
    return int(number) if getattr(number, "is_Integer", False) else None
