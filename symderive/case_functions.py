"""Which SymPy functions are defined by cases: the one list that the reading
of a definition, the prover's splits and the sampler's kinks share."""

import sympy

BY_SIGN = (sympy.Abs, sympy.sign, sympy.Heaviside)  # the branch is the sign of the one argument
BY_ORDER = (sympy.Max, sympy.Min)  # the branch is the order of the arguments
SWITCHING = BY_SIGN + BY_ORDER  # a branch chosen by the sign of an expression; regions.as_piecewise writes them out
DEFINED_BY_CASES = (sympy.Piecewise,) + SWITCHING

# The prover's case split leaves sgn to the exp-rational normal form, which keeps it a function of its
# normalised argument and so proves its identities at every point, 0 included, and to the sign split
# after it; splitting by region would prove the same claims again, only off the kink.
SPLIT_BY_REGION = tuple(f for f in DEFINED_BY_CASES if f is not sympy.sign)


def has_cases(expr, functions: tuple = DEFINED_BY_CASES) -> bool:
    """Whether ``expr`` is a SymPy expression with one of ``functions`` (a kink or a jump)."""
    return isinstance(expr, sympy.Basic) and expr.has(*functions)
