"""``cancel`` of one fraction p/q, as ``sympy.cancel`` computes it, without
the rewriting ``sympy.cancel`` does first.

``sympy.cancel(f)`` makes signs canonical (``signsimp``) and pulls common
factors out of sums (``factor_terms``) before it splits f into p/q and
cancels their gcd in a polynomial ring. On a fraction ``together`` has
already made, that rewriting does again what the ring's gcd does anyway,
and costs most of the call. The result is the same canonical fraction P/Q
(the ring's gcd cancelled, the denominator's sign normalised); anything
that is not a commutative expression free of cases (Piecewise) is left to
``sympy.cancel``, which treats those parts one by one.
"""

from __future__ import annotations

import sympy
from sympy.polys.rings import sring


def cancelled(fraction: sympy.Basic) -> sympy.Basic:
    """``fraction`` (p/q) as P/Q with gcd(P, Q) = 1 over the ring of its
    generators; an exact rewriting, equal to ``fraction`` wherever it is
    defined, as ``sympy.cancel(fraction)`` is. Raises PolynomialError where
    ``sympy.cancel`` does."""
    if (not isinstance(fraction, sympy.Expr) or fraction.is_Number or not fraction.is_commutative
            or fraction.has(sympy.Piecewise)):
        return sympy.cancel(fraction)
    ring, (numerator, denominator) = sring(fraction.as_numer_denom())
    if not ring.ngens:
        return fraction.expand()
    numerator, denominator = numerator.cancel(denominator)
    return numerator.as_expr() / denominator.as_expr()
