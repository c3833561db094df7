"""Scaled dot-product attention, O = softmax(Q K^T / sqrt(d)) V with the
softmax over each row, for n queries, m keys and values, and d features.
Its backward pass goes through the row softmax: with dP = G V^T,
dS = P * (dP - rowsum(P * dP)), and then dQ = dS K / sqrt(d),
dK = dS^T Q / sqrt(d), dV = P^T G."""

from __future__ import annotations

import sympy
from sympy import Sum, exp, sqrt

from .model import D_, I_, J_, L_, M_, N_, T_, Entry, Explicit, Gradient, Kind, Mistake, matrix, upstream_objective

Q = sympy.IndexedBase("Q", real=True)
K = sympy.IndexedBase("K", real=True)
V = sympy.IndexedBase("V", real=True)
G = sympy.IndexedBase("G", real=True)   # the upstream gradient dL/dO
P = sympy.IndexedBase("P", real=True)    # named: the attention weights, dL/dP and dL/dS
DP = sympy.IndexedBase("dP", real=True)
DS = sympy.IndexedBase("dS", real=True)
# summation indices of their own, so that nested sums never share one
A_, B_, C_, E_ = sympy.symbols("a b c e", integer=True, positive=True)


def _score(i, t, bound):
    return Sum(Q[i, bound] * K[t, bound], (bound, 1, D_)) / sqrt(D_)


def _p(i, t, bound=A_, inner=B_):
    """P_it = exp(S_it) / sum_u exp(S_iu), u running over the m keys."""
    return exp(_score(i, t, inner)) / Sum(exp(_score(i, bound, inner)), (bound, 1, M_))


def _dp(i, t, bound=C_):
    return Sum(G[i, bound] * V[t, bound], (bound, 1, D_))


def _ds(i, t):
    """dL/dS_it = P_it (dP_it - sum_u P_iu dP_iu)."""
    return _p(i, t) * (_dp(i, t) - Sum(_p(i, E_) * _dp(i, E_), (E_, 1, M_)))


def _softmax_rows(s: sympy.Matrix) -> sympy.Matrix:
    rows = []
    for r in range(s.rows):
        total = sum((exp(e) for e in s.row(r)), sympy.Integer(0))
        rows.append([exp(e) / total for e in s.row(r)])
    return sympy.Matrix(rows)


def _attention(n: int, m: int, d: int) -> Explicit:
    q, k, v, g = matrix("Q", n, d, real=True), matrix("K", m, d, real=True), matrix("V", m, d, real=True), \
        matrix("G", n, d, real=True)
    p = _softmax_rows(q * k.T / sqrt(d))
    out = p * v
    dp = g * v.T
    row_terms = sympy.Matrix(n, 1, lambda r, _: p.row(r).dot(dp.row(r)))
    ds = p.multiply_elementwise(dp - row_terms * sympy.ones(1, m))
    no_row_sum = p.multiply_elementwise(dp)
    gradients = {"Q": ds * k / sqrt(d), "K": ds.T * q / sqrt(d), "V": p.T * g}
    mistakes = (Mistake("row-sum term of the softmax dropped (dS = P * dP)", "Q", no_row_sum * k / sqrt(d)),
                Mistake("missing 1/sqrt(d)", "K", ds.T * q),
                Mistake("sign flip in dV", "V", -p.T * g),
                *((Mistake("dS Q for dS^T Q", "K", ds * q / sqrt(d)), Mistake("P G for P^T G", "V", p * g))
                  if n == m else ()))
    return Explicit(out, upstream_objective(out, g), {"Q": q, "K": k, "V": v}, gradients,
                    {Q: q, K: k, V: v, G: g}, mistakes)


_UPSTREAM = "upstream gradient G = dL/dO"
_NAMES = {P: sympy.Lambda((I_, T_), _p(I_, T_)), DP: sympy.Lambda((I_, T_), _dp(I_, T_)),
          DS: sympy.Lambda((I_, T_), P[I_, T_] * (DP[I_, T_] - Sum(P[I_, E_] * DP[I_, E_], (E_, 1, M_))))}

ENTRIES: tuple[Entry, ...] = (
    Entry(
        name="attention", kind=Kind.LAYER,
        description="Scaled dot-product attention softmax(Q K^T / sqrt(d)) V, softmax over each row",
        aliases=("scaled_dot_product_attention", "sdpa", "self_attention"), sizes=(N_, M_, D_), output_at=(I_, J_),
        definition=Sum(_p(I_, T_) * V[T_, J_], (T_, 1, M_)),
        gradients=(Gradient(V, (T_, J_), Sum(_p(I_, T_) * G[I_, J_], (I_, 1, N_)), "dL/dV = P^T G", _UPSTREAM,
                            written=Sum(P[I_, T_] * G[I_, J_], (I_, 1, N_))),
                   Gradient(Q, (I_, L_), Sum(_ds(I_, T_) * K[T_, L_], (T_, 1, M_)) / sqrt(D_),
                            "dL/dQ = dS K / sqrt(d), dS = P * (G V^T - rowsum(P * G V^T))", _UPSTREAM,
                            written=Sum(DS[I_, T_] * K[T_, L_], (T_, 1, M_)) / sqrt(D_)),
                   Gradient(K, (T_, L_), Sum(_ds(I_, T_) * Q[I_, L_], (I_, 1, N_)) / sqrt(D_),
                            "dL/dK = dS^T Q / sqrt(d)", _UPSTREAM,
                            written=Sum(DS[I_, T_] * Q[I_, L_], (I_, 1, N_)) / sqrt(D_))),
        names=_NAMES,
        explicit=_attention, checked_sizes=((2, 2, 2), (2, 3, 2), (3, 2, 2)),
        pytorch="torch.nn.functional.scaled_dot_product_attention(Q, K, V)",
        reference="Vaswani et al. 2017, 'Attention is all you need', eq. 1; the backward pass as in "
                  "Dao et al. 2022, 'FlashAttention', appendix B.2",
    ),
)
