"""The softmax Jacobian J = diag(S) - S S^T, for symbolic n and for any concrete n.

Differentiating n explicit softmax entries and simplifying n^2 differences
costs O(n^3) and more; instead the proof is split where the mathematics
splits:

1. the **entry identity** dS_i/dz_k = S_i (delta_ik - S_k), with S_i =
   e^{z_i} / sum_{j=1}^{n} e^{z_j}, proved once for symbolic n, i and k
   (the Kronecker reasoning: only the term j = k of the sum depends on
   z_k, so there are two cases, i = k and i != k, each an identity of
   rational functions). It holds for every n >= 1 and 1 <= i, k <= n;
2. for a concrete n, the **matrix algebra**: entry (i, k) of diag(s) - s s^T
   is s_i (delta_ik - s_k), checked on the n x n matrix with s_1..s_n as
   symbols — O(n^2) exact comparisons, no sums expanded;
3. a **numeric refutation** at a point: the Jacobian by central differences
   of the explicit softmax against diag(S) - S S^T. It can only refute
   (numeric agreement never proves).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import math
import sympy
from sympy.polys.fields import field
from sympy.polys.rings import ring

from .evidence import Proved, Refuted, Unknown, verdict_of

_STEP = 1e-5
_TOLERANCE = 1e-7


@dataclass(frozen=True)
class JacobianCheck:
    """The verdict for one n, with what each part gave."""

    n: int
    verdict: Proved | Refuted | Unknown
    parts: tuple[str, ...]


def _claimed_entry(s_i, s_k, delta):
    """The closed form of dS_i/dz_k: S_i (delta_ik - S_k)."""
    return s_i * (delta - s_k)


@lru_cache(maxsize=1)
def entry_identity():
    """dS_i/dz_k = S_i (delta_ik - S_k) for symbolic n, i, k."""
    return identity_by_cases(_claimed_entry)


def identity_by_cases(claimed):
    """The entry identity by the Kronecker reasoning, done once, exactly.

    For 1 <= k <= n the sum is a + R with a = e^{z_k}, where R (the other
    n - 1 terms) does not depend on z_k. So S_k = a / (a + R), and for
    i != k, S_i = b / (a + R) with b = e^{z_i}, which does not depend on z_k
    either. In the field Q(a, b, R), d/dz_k is the derivation a d/da
    (d e^{z_k}/dz_k = e^{z_k}; b and R are constants), so each case is an
    identity of rational functions, decided by exact arithmetic, against
    ``claimed(S_i, S_k, delta_ik)`` with delta_ik = 1 and 0."""
    _, a, b, rest = field("a,b,R", sympy.QQ)
    s_k, s_other = a / (a + rest), b / (a + rest)
    for case, s_i, delta in (("i = k", s_k, 1), ("i != k", s_other, 0)):
        derivative, closed = a * s_i.diff(a), claimed(s_i, s_k, delta)
        if derivative != closed:
            return _field_counterexample(case, derivative, closed)
    return Proved("dS_i/dz_k = S_i (delta_ik - S_k): the cases i = k and i != k, "
                  "as rational functions of e^{z_k}, e^{z_i} and the other terms, for every n")


def _field_counterexample(case, derivative, closed):
    """A point (positive values of e^{z_k}, e^{z_i}, the rest) where the two differ."""
    names = ("e^{z_k}", "e^{z_i}", "rest of the sum")

    def value(f, values):
        denominator = f.denom(*values)
        return None if denominator == 0 else sympy.QQ.to_sympy(f.numer(*values) / denominator)

    for values in ((1, 2, 3), (2, 3, 5), (3, 7, 2), (5, 2, 11)):
        left, right = value(derivative, values), value(closed, values)
        if left is not None and right is not None and left != right:
            return Refuted(tuple(zip(names, map(str, values))) + (("case", case),), str(left), str(right),
                           "exact evaluation")
    return Unknown(f"case {case}: the two sides differ as rational functions, but not at the points tried")


def matrix_algebra(n: int):
    """Entry (i, k) of diag(s) - s s^T is s_i (delta_ik - s_k), for every i, k <= n
    (polynomials in s_1..s_n, exact; built from the definitions of diag and
    of the outer product, entry by entry)."""
    _, *s = ring(",".join(f"s{m}" for m in range(1, n + 1)), sympy.ZZ)
    zero = s[0] - s[0]
    for row in range(n):
        for col in range(n):
            diagonal = s[row] if row == col else zero
            outer = s[row] * s[col]
            entry = s[row] * ((1 if row == col else 0) - s[col])
            if diagonal - outer != entry:
                return Refuted((("i", str(row + 1)), ("k", str(col + 1))), str(diagonal - outer), str(entry),
                               "entry of diag(S) - S S^T")
    return Proved(f"diag(s) - s s^T entrywise, n = {n}")


def explicit_jacobian(n: int, claimed=_claimed_entry) -> bool:
    """The n x n Jacobian of the explicit softmax S_i = t_i / (t_1 + ... + t_n),
    t_j = e^{z_j}, entry by entry against ``claimed(S_i, S_k, delta_ik)``:
    in the field Q(t_1, ..., t_n), d/dz_k is the derivation t_k d/dt_k, so
    each entry is differentiated and compared exactly as a rational function."""
    _, *t = field(",".join(f"t{m}" for m in range(1, n + 1)), sympy.QQ)
    total = sum(t[1:], t[0])
    s = [t_i / total for t_i in t]
    return all(t[k] * s[i].diff(t[k]) == claimed(s[i], s[k], 1 if i == k else 0)
               for i in range(n) for k in range(n))


def numeric_refutation(n: int):
    """Central differences of the explicit softmax against diag(S) - S S^T at
    one point, in floating point (refutes only: a wrong entry is off by far
    more than the 1e-7 the differences can err by)."""
    exps = [math.exp((((m * 7) % 11) - 5) / 4) for m in range(1, n + 1)]
    total = math.fsum(exps)
    s = [e / total for e in exps]
    up_factor, down_factor = math.exp(_STEP), math.exp(-_STEP)
    for col in range(n):
        # z_col moved by +-h: only its exponential and the total change
        up_total = total + exps[col] * (up_factor - 1)
        down_total = total + exps[col] * (down_factor - 1)
        for row in range(n):
            scale = (up_factor, down_factor) if row == col else (1.0, 1.0)
            numeric = (exps[row] * scale[0] / up_total - exps[row] * scale[1] / down_total) / (2 * _STEP)
            closed = s[row] * ((1 if row == col else 0) - s[col])
            if abs(numeric - closed) > _TOLERANCE:
                return Refuted((("i", str(row + 1)), ("k", str(col + 1))), f"{numeric:.12g}", f"{closed:.12g}",
                               "central differences")
    return None


def check_softmax_jacobian(n: int) -> JacobianCheck:
    """J = diag(S) - S S^T for softmax on R^n."""
    identity = entry_identity()
    algebra = matrix_algebra(n)
    numeric = numeric_refutation(n)
    parts = (f"entry identity for symbolic n: {verdict_of(identity)}", f"matrix algebra: {verdict_of(algebra)}",
             "numeric check at a point: " + ("refuted" if numeric else "agrees"))
    for verdict in (numeric, identity, algebra):
        if isinstance(verdict, (Refuted, Unknown)):
            return JacobianCheck(n, verdict, parts)
    return JacobianCheck(n, Proved(f"entry identity for all n, instantiated at n = {n}"), parts)
