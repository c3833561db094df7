"""Independent oracles for tests: plain SymPy simplification and evaluation
at random points, written without any of symderive's prover code."""

import random

import sympy


def concrete(expr, n=4, seed=0):
    """Sums over a symbolic length expanded for n terms, vector entries and
    indices given values (i, k taken from ``indices`` if present)."""
    rng = random.Random(seed)
    # a length: a size's usual name, or a symbol in a sum's upper limit (the sum to N + 1 a mutant writes)
    bounds = set().union(*(limit[2].free_symbols for total in expr.atoms(sympy.Sum) for limit in total.limits))
    lengths = {s: n for s in sorted(expr.free_symbols, key=str)
               if s.is_integer and (s.name in ("n", "D", "N", "m", "d") or s in bounds)}
    indices = {s: rng.randint(1, n) for s in sorted(expr.free_symbols, key=str) if s.is_integer and s not in lengths}
    expr = expr.subs(lengths).subs(indices).doit()
    entries = {e: sympy.Rational(rng.randint(-20, 20), 7) for e in sorted(expr.atoms(sympy.Indexed), key=str)}
    return expr.xreplace(entries)


def numerically_equal(a, b, trials=8, seed=1):
    """True when a and b agree at ``trials`` random points (to 1e-20)."""
    rng = random.Random(seed)
    for trial in range(trials):
        ca, cb = concrete(a, seed=trial), concrete(b, seed=trial)
        symbols = sorted(ca.free_symbols | cb.free_symbols, key=str)
        point = {s: sympy.Rational(rng.randint(-300, 300), 97) for s in symbols}
        va, vb = ca.subs(point).evalf(40), cb.subs(point).evalf(40)
        if va.has(sympy.nan, sympy.zoo) or vb.has(sympy.nan, sympy.zoo):
            continue
        if abs(complex(va - vb)) > 1e-20 * max(1.0, abs(complex(va))):
            return False
    return True


def oracle_equal(a, b):
    """sympy.simplify(a - b) == 0, else numeric agreement (the second can err
    toward 'equal', so tests use it only where a wrong 'equal' cannot pass)."""
    difference = (a - b).doit()
    if sympy.simplify(difference) == 0:
        return True
    return numerically_equal(a, b)


def restrict(expr, condition):
    """Apply a case condition the way a reader would: i = k substitutes,
    i != k takes i = k + 1, x > 0 / x <= 0 replace x by a positive /
    negative symbol (the kink itself is excluded)."""
    if condition is None:
        return expr
    if isinstance(condition, sympy.Eq):
        return expr.subs(condition.rhs, condition.lhs)
    if isinstance(condition, sympy.Ne):
        first, second = condition.args
        return expr.subs(first, second + 1)
    variable, = condition.free_symbols
    bound = condition.rhs if condition.lhs == variable else condition.lhs
    positive = sympy.Symbol("p", positive=True)
    sign = 1 if isinstance(condition, (sympy.Gt, sympy.Ge)) else -1
    return expr.subs(variable, bound + sign * positive)
