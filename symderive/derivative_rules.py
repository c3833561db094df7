"""The derivative rules: each a small pure function ``rule(body, wrt, ctx)``
that rewrites one derivative ``d(body)/d(wrt)`` and returns ``None`` when it
does not apply. Inner derivatives it creates stay unevaluated. Rules look
through names: the body of ``d/dx sigma(x)`` is sigma's definition.

Soundness: each rewrite is a rule of calculus valid wherever both sides are
defined (``cases``: in the interior of each region, where the function is
its case); the sum collapse of ``kronecker`` keeps the sum's range
(kronecker.py: f(k) only where lo <= k <= hi). ``rules.py`` names them and
applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Derivative
from sympy.core.function import AppliedUndef

from .regions import as_piecewise


@dataclass(frozen=True)
class RuleContext:
    """What a rule may consult: the derivation's definitions and the case's condition."""

    meaning: object
    condition: sympy.Basic = sympy.true


def unevaluated(expr, wrt):
    """d(expr)/d(wrt), left unevaluated."""
    return Derivative(expr, wrt, evaluate=False)


def depends_on(expr, wrt, ctx) -> bool:
    """Whether ``expr`` may depend on ``wrt`` (names are functions of it)."""
    if expr.has(wrt):
        return True
    if isinstance(wrt, sympy.Indexed):
        return any(i.base == wrt.base or i.base in ctx.meaning.indexed
                   for i in expr.atoms(sympy.Indexed)) or bool(expr.atoms(AppliedUndef))
    return bool(expr.atoms(AppliedUndef)) or bool(
        {i for i in expr.atoms(sympy.Indexed) if i.base in ctx.meaning.indexed})


# -- derivative rules ----------------------------------------------------------

def constant(body, wrt, ctx):
    """d/dx c = 0 and d/dx (c f) = c df/dx, for c free of x."""
    if not depends_on(body, wrt, ctx):
        return sympy.Integer(0)
    if isinstance(wrt, sympy.Indexed) and independent_entries(body, wrt, ctx):
        return sympy.Integer(0)
    if body.is_Mul:
        const, rest = constant_factors(body, wrt, ctx)
        if const != 1:
            return const * unevaluated(rest, wrt)
    return None


def independent_entries(body, wrt, ctx) -> bool:
    """All entries z_i of wrt's vector in body have i != k under the case condition."""
    entries = [i for i in body.atoms(sympy.Indexed) if i.base == wrt.base]
    known = sympy.And.make_args(ctx.condition)
    return bool(entries) and not body.atoms(AppliedUndef) and all(
        sympy.Ne(e.indices[0], wrt.indices[0]) in known or sympy.Ne(wrt.indices[0], e.indices[0]) in known
        for e in entries)


def sum_rule(body, wrt, ctx):
    """d/dx (f + g) = df/dx + dg/dx; d/dz_k sum_j f_j = sum_j df_j/dz_k; a
    sum times c free of the variable is c times the sum's derivative (a
    constant factor of each term comes out without a rule: rules.close_trivial)."""
    if body.is_Add:
        return sympy.Add(*(unevaluated(term, wrt) for term in body.args))
    if isinstance(body, sympy.Sum):
        return sympy.Sum(unevaluated(body.function, wrt), *body.limits)
    if body.is_Mul:
        const, rest = constant_factors(body, wrt, ctx)
        # -x_c with x_c = z_c - log(...): through the name, unless it is what we differentiate by
        keep = frozenset({wrt.func}) if isinstance(wrt, AppliedUndef) else frozenset()
        rest = ctx.meaning.definition_of(rest, keep) or rest
        if const != 1 and (rest.is_Add or isinstance(rest, sympy.Sum)):
            return const * sum_rule(rest, wrt, ctx)
    return None


def constant_factors(term, wrt, ctx):
    """(the factors of ``term`` free of ``wrt``, the others)."""
    factors = sympy.Mul.make_args(term)
    const = [f for f in factors if not depends_on(f, wrt, ctx)]
    return sympy.Mul(*const), sympy.Mul(*(f for f in factors if depends_on(f, wrt, ctx)))


def product(body, wrt, ctx):
    """d/dx (f g) = f' g + f g'."""
    if not body.is_Mul:
        return None
    factors = [f for f in body.args if depends_on(f, wrt, ctx)]
    if len(factors) < 2:
        return None
    const = sympy.Mul(*(f for f in body.args if not depends_on(f, wrt, ctx)))
    terms = []
    for position, factor in enumerate(factors):
        others = sympy.Mul(*(f for p, f in enumerate(factors) if p != position))
        terms.append(unevaluated(factor, wrt) * others)
    return const * sympy.Add(*terms)


def quotient(body, wrt, ctx):
    """d/dx u/v = (u' v - u v') / v^2, with u and v as written (e^{-z_i} / sum_j e^{-z_j}
    has u = e^{-z_i}, not 1)."""
    numerator, denominator = sympy.fraction(body, exact=True)
    if denominator == 1 or not depends_on(denominator, wrt, ctx):
        return None
    return (unevaluated(numerator, wrt) * denominator - numerator * unevaluated(denominator, wrt)) / denominator**2


def power(body, wrt, ctx):
    """d/dx w^n = n w^(n-1) dw/dx for constant n; dx/dx = 1."""
    if body == wrt:
        return sympy.Identity(wrt.shape[0]) if isinstance(wrt, sympy.MatrixSymbol) else sympy.Integer(1)
    if isinstance(body, sympy.Pow) and not isinstance(body.base, type(sympy.E)):
        base, exponent = body.args
        if base is sympy.E or depends_on(exponent, wrt, ctx):
            return None
        return exponent * base ** (exponent - 1) * unevaluated(base, wrt)
    return None


def exponential(body, wrt, ctx):
    """d/dx e^w = e^w dw/dx."""
    if isinstance(body, sympy.exp):
        return body * unevaluated(body.args[0], wrt)
    return None


def logarithm(body, wrt, ctx):
    """d/dx log w = (dw/dx) / w."""
    if isinstance(body, sympy.log):
        return unevaluated(body.args[0], wrt) / body.args[0]
    return None


_OUTER_DERIVATIVES: dict = {
    sympy.sinh: sympy.cosh,
    sympy.cosh: sympy.sinh,
    sympy.tanh: lambda w: 1 - sympy.tanh(w) ** 2,
    sympy.sin: sympy.cos,
    sympy.cos: lambda w: -sympy.sin(w),
}


def hyperbolic(body, wrt, ctx):
    """d sinh w = cosh w dw, d cosh w = sinh w dw, d tanh w = (1 - tanh^2 w) dw."""
    derivative = _OUTER_DERIVATIVES.get(body.func)
    if derivative is None:
        return None
    return derivative(body.args[0]) * unevaluated(body.args[0], wrt)


def error_function(body, wrt, ctx):
    """d/dx erf w = (2 / sqrt(pi)) e^{-w^2} dw/dx."""
    if isinstance(body, sympy.erf):
        w = body.args[0]
        return 2 / sympy.sqrt(sympy.pi) * sympy.exp(-w**2) * unevaluated(w, wrt)
    return None


def arctangent(body, wrt, ctx):
    """d/dx atan w = (dw/dx) / (1 + w^2)."""
    if isinstance(body, sympy.atan):
        w = body.args[0]
        return unevaluated(w, wrt) / (1 + w**2)
    return None


_CHAIN_OUTER = (sympy.Pow, sympy.exp, sympy.log, sympy.erf, sympy.atan)


def chain(body, wrt, ctx, expr=None):
    """d/dx f(u(x)) = df/du du/dx: through a named inner function, or an
    outer function (power, exp, log, sinh, erf, atan, ...) of any inner expression."""
    if expr is not None and isinstance(expr, AppliedUndef) and not isinstance(wrt, AppliedUndef):
        inner = sorted((a for a in body.atoms(AppliedUndef)
                        if a.func in ctx.meaning.functions and a.func != expr.func),
                       key=sympy.default_sort_key)
        if inner:
            held = {a: sympy.Dummy() for a in inner}
            if not body.xreplace(held).has(wrt):
                return sympy.Add(*(unevaluated(expr, a) * unevaluated(a, wrt) for a in inner))
    for outer in (power, exponential, logarithm, hyperbolic, error_function, arctangent):
        if isinstance(body, _CHAIN_OUTER) or body.func in _OUTER_DERIVATIVES:
            inner_arg = body.args[0]
            if inner_arg != wrt:
                result = outer(body, wrt, ctx)
                if result is not None:
                    return result
    return None


def cases(body, wrt, ctx):
    """The derivative of a function defined by cases is, in the interior of
    each region, the derivative of that case (max(0, x) is 0 or x)."""
    if not body.has(sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs):
        return None
    pieces = as_piecewise(body)
    if not isinstance(pieces, sympy.Piecewise):
        pieces = sympy.piecewise_fold(pieces)
    if not isinstance(pieces, sympy.Piecewise):
        return None
    return sympy.Piecewise(*((unevaluated(e, wrt), c) for e, c in pieces.args))


def kronecker(body, wrt, ctx):
    """d z_j / d z_k = delta_jk (dW_ab/dW_ij = delta_ai delta_bj); d/dz_k sum_j f_j =
    sum_j df_j/dz_k, and sum_j delta_jk f_j = f_k."""
    if isinstance(body, sympy.Sum):
        return sympy.Sum(unevaluated(body.function, wrt), *body.limits)
    if isinstance(body, sympy.Indexed) and isinstance(wrt, sympy.Indexed) and body.base == wrt.base:
        if len(body.indices) != len(wrt.indices):
            return None
        # dW_ab/dW_ij = delta_ai delta_bj: one delta per index
        return sympy.Mul(*(sympy.KroneckerDelta(b, w) for b, w in zip(body.indices, wrt.indices)))
    return None
