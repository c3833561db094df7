"""Exact normal forms: the cheap, complete-where-they-apply part of proving.

``exp_rational_normal_form`` rewrites hyperbolic and trigonometric functions
to ``exp``, splits ``exp(c0 + c1*m1 + ...)`` into powers of one symbol
``t_m = exp(m)`` per monomial ``m`` (so ``e^{2x}`` becomes ``t^2``), names
opaque atoms (sums, derivatives, undefined functions) by symbols, and
brings the result to a canonical rational function with ``cancel``. Two
expressions whose difference normalises to 0 are equal.

Soundness: every rewrite is an identity for all complex values, except the
ones that need a sign, and those are made only where the sign is known:

- trig and hyperbolic functions as exp (``cos w = (e^{iw} + e^{-iw})/2``)
  and ``erfc w = 1 - erf w``: identities for every complex w;
- ``e^{c m} = t_m^c``: for integer c always; for rational c only when m is
  real, where ``t_m = e^m > 0`` (``e^{m/2} = sqrt(e^m)``); ``t_m`` is a
  *positive* symbol only then. ``e^{ix}`` from a trig rewrite is not real,
  so its symbol carries no sign and ``sgn``, ``Abs``, ``sqrt`` of a
  square and fractional powers of it stay unevaluated (they are opaque
  generators of the rational function, so ``sgn(cos x)`` is not 1);
- ``acos w = pi/2 - asin w`` (DLMF 4.23.16, every complex w, principal
  branches); the inverse hyperbolic functions cancel their function for a
  real argument u only: ``atanh(tanh u) = asinh(sinh u) = u`` and
  ``acosh(cosh u) = |u|`` (``is_real_valued(u)``);
  ``atan(c/v) = pi/2 - atan(v/c)`` for a positive number c and v > 0 (and
  ``-pi/2 - ...`` for v < 0), only where SymPy knows the sign of v;
- the arguments of sgn, Abs and non-integer powers are factored (an
  identity), so that SymPy's own evaluation, which uses only the symbols'
  assumptions, sees a perfect square or a factor of known sign:
  ``sqrt((x + 1)^2) = |x + 1|`` for real x, ``|t (t - 1)| = t |t - 1|``
  for t > 0;
- everything else (sgn, Abs, sqrt, log, inverse trig, floor, ...) is kept
  as a function of its normalised argument: equal arguments give equal
  values, and nothing is assumed about a branch.

Undefined functions and their derivatives are real-valued (functions of
the real variable); sums and vector entries are real as declared.
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import exp
from sympy.core.exprtools import gcd_terms

from .ring_cancel import cancelled

_TO_EXP = (sympy.sinh, sympy.cosh, sympy.tanh, sympy.coth, sympy.sech,
           sympy.csch, sympy.sin, sympy.cos, sympy.tan, sympy.cot,
           sympy.sec, sympy.csc)


def rewrite_to_exp(expr: sympy.Expr) -> sympy.Expr:
    """Every hyperbolic and trigonometric function written with ``exp``, and
    logarithms of products and powers split where SymPy knows the factors
    are positive (log(e^x / (e^x + 1)) = x - log(e^x + 1) for real x)."""
    if expr.has(sympy.erfc):
        expr = expr.replace(lambda e: isinstance(e, sympy.erfc), lambda e: 1 - sympy.erf(e.args[0]))
    if expr.has(sympy.acos, sympy.atanh, sympy.asinh, sympy.acosh):
        expr = expr.replace(lambda e: isinstance(e, sympy.acos), lambda e: sympy.pi / 2 - sympy.asin(e.args[0]))
        expr = expr.replace(_is_cancelling_inverse, _cancelled_inverse)
    if expr.has(sympy.log):
        expr = sympy.expand_log(expr)
    if not expr.has(*_TO_EXP):
        return expr
    return expr.rewrite(exp)


_INVERSES = {sympy.atanh: (sympy.tanh, lambda u: u), sympy.asinh: (sympy.sinh, lambda u: u),
             sympy.acosh: (sympy.cosh, sympy.Abs)}


def _is_cancelling_inverse(expr) -> bool:
    """atanh(tanh u), asinh(sinh u), acosh(cosh u) with u real-valued."""
    inner = _INVERSES.get(type(expr), (None,))[0]
    return (inner is not None and isinstance(expr.args[0], inner)
            and is_real_valued(expr.args[0].args[0]))


def _cancelled_inverse(expr):
    return _INVERSES[type(expr)][1](expr.args[0].args[0])


@lru_cache(maxsize=8192)
def together(expr: sympy.Basic) -> sympy.Basic:
    """``sympy.together(expr)``, node by node as SymPy does it (an Add's
    terms, each made one fraction, combined by ``gcd_terms``; a power's
    base; a function's arguments left alone), memoised per node: the terms
    of a line recur in the claims on both sides of it and in its sums."""
    if expr.is_Atom or expr.is_Function:
        return expr
    if expr.is_Add:
        return gcd_terms([together(term) for term in sympy.Add.make_args(expr)], fraction=True)
    if expr.is_Pow:
        return expr.func(together(expr.base), expr.exp)
    return expr.func(*(together(arg) for arg in expr.args))


def one_fraction(expr: sympy.Basic) -> sympy.Basic:
    """cancel(together(expr)): a rational function in its generators as one
    canonical fraction (ring_cancel.py: the ring's cancel of together's p/q)."""
    return cancelled(together(expr))


_SIGNED = (sympy.Abs, sympy.sign)
_FACTOR_LIMIT = 400  # operations in an argument beyond which factoring is not tried (cost)
_FACTOR_DEGREE = 12  # nor beyond this integer power (e^{1000x} is t^1000)


def _degree(arg) -> int:
    return max((abs(int(p.exp)) for p in arg.atoms(sympy.Pow) if p.exp.is_Integer), default=0)


@lru_cache(maxsize=4096)
def _factored(arg: sympy.Expr) -> sympy.Expr:
    """arg factored over the rationals, or arg when that is costly or fails.
    (Memoised: one sqrt or |.| recurs in every line of a derivation.)"""
    if arg.is_Atom or sympy.count_ops(arg) > _FACTOR_LIMIT or _degree(arg) > _FACTOR_DEGREE:
        return arg
    try:
        return sympy.factor(one_fraction(arg))
    except (sympy.PolynomialError, TypeError, ValueError, RecursionError):
        return arg


def _signed_function(expr, args):
    """sgn, Abs, a non-integer power, atan of a reciprocal: rebuilt from its
    named arguments, factored, so that SymPy's evaluation (assumptions only)
    applies; atan(c/v) with v of known sign becomes +-pi/2 - atan(v/c)."""
    if isinstance(expr, _SIGNED):
        return expr.func(_factored(args[0]))
    if isinstance(expr, sympy.Pow) and not args[1].is_Integer:
        # u^(a + n) = u^a u^n for an integer n (every u != 0, principal branch): u^(gamma - 1) meets u^gamma / u
        whole = sum((t for t in sympy.Add.make_args(args[1]) if t.is_Integer), sympy.Integer(0))
        if whole != 0 and not (args[1] - whole).is_Integer:
            return sympy.Pow(_factored(args[0]), args[1] - whole) * args[0] ** whole
        return sympy.Pow(_factored(args[0]), args[1])
    if isinstance(expr, sympy.atan):
        numerator, denominator = sympy.fraction(together(args[0]))
        if numerator.is_number and numerator.is_positive and not denominator.is_number:
            turned = sympy.atan(denominator / numerator)
            if denominator.is_positive:
                return sympy.pi / 2 - turned
            if denominator.is_negative:
                return -sympy.pi / 2 - turned
    return expr.func(*args)


_OPAQUE = (sympy.Derivative, sympy.Indexed, sympy.Subs, sympy.core.function.AppliedUndef)
_BINDING = (sympy.Product, sympy.Integral)


class _Namer:
    """Gives each opaque atom (or each exp monomial) a symbol named after it,
    so that normal forms of separate calls can be compared with each other.
    It remembers what each name stands for, so that a sum's summand, once
    named, still shows which of its names vary with the sum's index."""

    def __init__(self) -> None:
        self.names: dict = {}
        self.keys: dict = {}  # symbol -> the key it names

    def __call__(self, key, positive: bool = False, real: bool = False) -> sympy.Symbol:
        """The symbol of ``key``: positive when told, else real when told or
        when the atom is real-valued (an undefined function, a vector entry,
        a real sum), else without assumptions."""
        if key not in self.names:
            real = not positive and (real or isinstance(key, sympy.Expr) and is_real_valued(key))
            symbol = sympy.Symbol(f"⟨{sympy.srepr(key)}⟩", positive=positive or None, real=real or None)
            self.names[key] = symbol
            self.keys[symbol] = key
        return self.names[key]

    def adopt(self, names: tuple) -> None:
        """The names another namer gave (key, symbol), as this one would
        have given them: a name depends on its key alone."""
        for key, symbol in names:
            self.names.setdefault(key, symbol)
            self.keys.setdefault(symbol, key)

    def mentions(self, expr, index) -> bool:
        """Whether ``expr`` (in named symbols) varies with ``index``, through
        the keys of the names in it."""
        parts = expr if isinstance(expr, tuple) else (expr,)
        if isinstance(expr, tuple) and expr[:1] == ("sum",) and expr[2] == index:
            parts = expr[3:]  # a sum's own index is bound in it: only its limits can vary with the name
        for part in parts:
            if not isinstance(part, sympy.Basic):
                continue
            for symbol in part.free_symbols:
                if symbol == index or (symbol in self.keys and self.mentions(self.keys[symbol], index)):
                    return True
        return False


def canonical_sum(expr: sympy.Sum) -> sympy.Basic:
    """A key for a sum (or product, integral) that does not depend on the
    name of its index."""
    replacements = {}
    for position, (index, *_bounds) in enumerate(expr.limits):
        replacements[index] = sympy.Symbol(f"_sum_index_{position}", integer=True)
    return expr.xreplace(replacements)


def is_real_valued(expr: sympy.Expr) -> bool:
    """Whether ``expr`` is real for every real value of its variables, with
    undefined functions (and their derivatives) read as real functions."""
    opaque = expr.atoms(sympy.core.function.AppliedUndef, sympy.Derivative, sympy.Subs)
    held = {atom: sympy.Dummy(real=True) for atom in opaque}
    return bool(expr.xreplace(held).is_extended_real) if held else bool(expr.is_extended_real)


def _split_exp(arg: sympy.Expr, namer: _Namer) -> sympy.Expr:
    """exp(arg) as a product E^c0 * prod t_m^c, t_m = exp(m): a positive
    symbol when m is real; otherwise one without a sign, raised only to
    integer powers (e^{ix/2} is not the principal square root of e^{ix})."""
    result = sympy.Integer(1)
    for term in sympy.Add.make_args(sympy.expand(arg)):
        coefficient, monomial = term.as_coeff_Mul()
        if monomial == 1:
            result *= exp(coefficient)
            continue
        real = is_real_valued(monomial)
        if coefficient.is_Rational and (real or coefficient.is_Integer):
            result *= namer(("exp", monomial), positive=real) ** coefficient
        else:
            result *= namer(("exp", term), positive=is_real_valued(term))
    return result


def _name_atoms(expr: sympy.Expr, namer: _Namer) -> sympy.Expr:
    """Replace exp, sums and other opaque atoms by symbols, bottom-up."""
    if expr.is_Atom:
        return expr
    if isinstance(expr, sympy.exp):
        return _split_exp(_name_atoms(expr.args[0], namer), namer)
    if isinstance(expr, sympy.Sum):
        return _name_sum(expr, namer)
    if isinstance(expr, _BINDING):
        # its bound variable must not vanish into a name (a product of t_{z_j} over j is not t^n)
        return namer(canonical_sum(expr))
    if isinstance(expr, _OPAQUE):
        return namer(expr)
    args = [_name_atoms(a, namer) for a in expr.args]
    if isinstance(expr, _SIGNED + (sympy.Pow, sympy.atan)):
        return _signed_function(expr, args)
    return expr.func(*args)


def _name_sum(expr: sympy.Sum, namer: _Namer) -> sympy.Expr:
    """``_named_sum``, its names adopted by ``namer``."""
    total, names = _named_sum(expr)
    namer.adopt(names)
    return total


@lru_cache(maxsize=4096)
def _named_sum(expr: sympy.Sum) -> tuple[sympy.Expr, tuple]:
    """The named sum and the names it gave, (key, symbol) pairs. (Memoised:
    a sum recurs in every line of a derivation and in both sides of its
    claims; the names travel with it, so that an enclosing sum still sees
    which of them vary with its index.)"""
    namer = _Namer()
    return _name_sum_fresh(expr, namer), tuple(namer.names.items())


def _name_sum_fresh(expr: sympy.Sum, namer: _Namer) -> sympy.Expr:
    """A finite sum by linearity, its summand in one canonical form: the
    index renamed to the first name free in it, the summand's atoms named, brought to one
    fraction and split by the terms of its numerator; each term's factors
    that do not vary with the index come out, the rest is named as one sum.
    So sum_i (1 - h_i) x_i y_i and sum_i x_i y_i - sum_i h_i x_i y_i meet,
    and the sums of e^{z_j - m} and of e^{z_j} do (the first is e^{-m}
    times the second). A summand too large to bring to one fraction is
    split as written."""
    if len(expr.limits) != 1 or len(expr.limits[0]) != 3:
        return _name_sum_as_written(expr, namer)
    index, lower, upper = expr.limits[0]
    held = _unused_index(expr)
    named = _name_atoms(sympy.expand_power_exp(expr.function.xreplace({index: held})), namer)
    canonical = _one_fraction(named)
    if canonical is None:
        return _name_sum_as_written(expr, namer)
    numerator, denominator = sympy.fraction(canonical)
    total = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(numerator)):
        factors = sympy.Mul.make_args(term / denominator)
        constant = sympy.Mul(*(f for f in factors if not namer.mentions(f, held)))
        varying = sympy.Mul(*(f for f in factors if namer.mentions(f, held)))
        count = _count(lower, upper) if varying == 1 else None
        if count is not None:
            total += constant * count
            continue
        # a sum of real terms is real (the names carry their atoms' signs)
        total += constant * namer(("sum", varying, held, lower, upper), real=bool(varying.is_extended_real))
    return total


def _unused_index(expr: sympy.Sum) -> sympy.Symbol:
    """The first _summed_m free in the sum: an enclosing sum's index, already
    held in it, is never captured, and a sum that does not vary with an
    enclosing index gets the name it gets alone (so sum_j (x_j - (1/n)
    sum_l x_l) and sum_l x_l name the inner sum alike)."""
    taken = expr.free_symbols
    position = 0
    while sympy.Symbol(f"_summed_{position}", integer=True) in taken:
        position += 1
    return sympy.Symbol(f"_summed_{position}", integer=True)


def _count(lower, upper) -> sympy.Expr | None:
    """The number of terms of a sum from lower to upper, hi - lo + 1, where it
    is known to be >= 0: then a sum of a constant c is c times it, whatever
    convention an empty or reversed range follows. Else None (the sum of 1
    stays a name)."""
    count = sympy.expand(upper - lower + 1)
    return count if count.is_nonnegative else None


@lru_cache(maxsize=4096)
def _one_fraction(named: sympy.Expr) -> sympy.Expr | None:
    """cancel(together(named)), or None when that is costly or fails. (Memoised.)"""
    if named.has(sympy.Piecewise) or sympy.count_ops(named) > _FACTOR_LIMIT:
        return None
    try:
        return one_fraction(named)
    except (sympy.PolynomialError, TypeError, ValueError, RecursionError):
        return None


def _name_sum_as_written(expr: sympy.Sum, namer: _Namer) -> sympy.Expr:
    """sum of (c * f(j) + g(j)) as c * S_f + S_g, each sum of one term named as written."""
    indices = {limit[0] for limit in expr.limits}
    function = sympy.expand_power_exp(expr.function)
    total = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand_mul(function)):
        factor, rest = term.as_independent(*indices, as_Add=False)
        count = _count(*expr.limits[0][1:]) if rest == 1 and len(expr.limits) == 1 else None
        if count is not None:
            total += _name_atoms(factor, namer) * count
        elif rest == 1:
            # a constant term: the sum is it times the number of terms, which the name keeps
            total += _name_atoms(factor, namer) * namer(canonical_sum(sympy.Sum(sympy.Integer(1), *expr.limits)))
        else:
            total += _name_atoms(factor, namer) * namer(canonical_sum(sympy.Sum(rest, *expr.limits)))
    return total


def _clear_fractional_powers(expr: sympy.Expr) -> sympy.Expr:
    """Replace a positive t by s^L (s positive) where t appears with
    exponents whose denominators have lcm L, so that the result is a
    rational function of s. (For t without a sign, t^(1/2) is a branch of
    the square root: it stays a generator of its own.)"""
    denominators: dict[sympy.Symbol, int] = {}
    for power in expr.atoms(sympy.Pow):
        base, exponent = power.args
        if (base.is_Symbol and base.is_positive and base.name.startswith("⟨")
                and exponent.is_Rational and exponent.q != 1):
            denominators[base] = sympy.ilcm(denominators.get(base, 1), exponent.q)
    if not denominators:
        return expr
    return expr.xreplace({t: sympy.Symbol(f"{t.name}^(1/{q})", positive=True) ** q
                          for t, q in denominators.items()})


@lru_cache(maxsize=4096)
def exp_rational_normal_form(expr: sympy.Expr) -> sympy.Expr:
    """Canonical rational-function form of ``expr`` over its exp monomials.
    (Memoised: a step's lines and their derivatives recur across the prover,
    the rules and the next step.)"""
    namer = _Namer()
    named = _name_atoms(rewrite_to_exp(expr), namer)
    named = _clear_fractional_powers(named)  # Mul already gathers powers of one named symbol
    return one_fraction(named)


@lru_cache(maxsize=4096)
def rational_normal_form(expr: sympy.Expr) -> sympy.Expr:
    """Normal form that keeps hyperbolic functions as independent atoms
    (what 'algebra' may do without using identities such as cosh^2 - sinh^2 = 1)."""
    namer = _Namer()

    def name(e: sympy.Expr) -> sympy.Expr:
        if e.is_Atom:
            return e
        if isinstance(e, sympy.exp):
            return _split_exp(name(e.args[0]), namer)
        if isinstance(e, _TO_EXP):
            return namer(e.func(name(e.args[0])))
        if isinstance(e, (sympy.Sum,) + _BINDING):
            return namer(canonical_sum(e))
        if isinstance(e, _OPAQUE):
            return namer(e)
        return e.func(*(name(a) for a in e.args))

    named = _clear_fractional_powers(name(expr))
    return one_fraction(named)
