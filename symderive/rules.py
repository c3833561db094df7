"""The named rules of differentiation and algebra, and the justification check.

Each derivative rule is a small pure function ``rule(body, wrt, ctx)`` that
rewrites one derivative ``d(body)/d(wrt)`` and returns ``None`` when it does
not apply. Inner derivatives it creates stay unevaluated. Rules look through
names: the body of ``d/dx sigma(x)`` is sigma's definition.

A step is *justified* by its rules when applying them to the previous line
(repeatedly, at any derivative; everything else opaque) gives an expression
equal to the step by algebra alone — or, for ``identity``, by algebra plus
the identities of exp and the hyperbolic functions; ``definition`` and
``substitution`` also unfold the names on both sides.

Soundness: each rewrite is a rule of calculus valid wherever both sides are
defined (``cases``: in the interior of each region, where the function is
its case); the sum collapse of ``kronecker`` keeps the sum's range
(kronecker.py: f(k) only where lo <= k <= hi). ``justified`` is True only
when what the rules produce is equal to the step by an exact normal form
(normal_form.py, which keeps every branch) or proved equal by the prover;
never by numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy
from sympy import Derivative
from sympy.core.function import AppliedUndef

from .kronecker import collapse_kronecker_sums
from .normal_form import exp_rational_normal_form, rational_normal_form
from .regions import as_piecewise

MAX_APPLICATIONS = 200


@dataclass(frozen=True)
class RuleContext:
    """What a rule may consult: the derivation's definitions and the case's condition."""

    meaning: object
    condition: sympy.Basic = sympy.true


def _d(expr, wrt):
    return Derivative(expr, wrt, evaluate=False)


def _depends(expr, wrt, ctx) -> bool:
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
    if not _depends(body, wrt, ctx):
        return sympy.Integer(0)
    if isinstance(wrt, sympy.Indexed) and _independent_entries(body, wrt, ctx):
        return sympy.Integer(0)
    if body.is_Mul:
        const, rest = body.as_independent(wrt, as_Add=False)
        if const != 1 and not _depends(const, wrt, ctx):
            return const * _d(rest, wrt)
    return None


def _independent_entries(body, wrt, ctx) -> bool:
    """All entries z_i of wrt's vector in body have i != k under the case condition."""
    entries = [i for i in body.atoms(sympy.Indexed) if i.base == wrt.base]
    known = sympy.And.make_args(ctx.condition)
    return bool(entries) and not body.atoms(AppliedUndef) and all(
        sympy.Ne(e.indices[0], wrt.indices[0]) in known or sympy.Ne(wrt.indices[0], e.indices[0]) in known
        for e in entries)


def sum_rule(body, wrt, ctx):
    """d/dx (f + g) = df/dx + dg/dx; d/dz_k sum_j f_j = sum_j df_j/dz_k."""
    if body.is_Add:
        return sympy.Add(*(_d(term, wrt) for term in body.args))
    if isinstance(body, sympy.Sum):
        return sympy.Sum(_d(body.function, wrt), *body.limits)
    return None


def product(body, wrt, ctx):
    """d/dx (f g) = f' g + f g'."""
    if not body.is_Mul:
        return None
    factors = [f for f in body.args if _depends(f, wrt, ctx)]
    if len(factors) < 2:
        return None
    const = sympy.Mul(*(f for f in body.args if not _depends(f, wrt, ctx)))
    terms = []
    for position, factor in enumerate(factors):
        others = sympy.Mul(*(f for p, f in enumerate(factors) if p != position))
        terms.append(_d(factor, wrt) * others)
    return const * sympy.Add(*terms)


def quotient(body, wrt, ctx):
    """d/dx u/v = (u' v - u v') / v^2, with u and v as written (e^{-z_i} / sum_j e^{-z_j}
    has u = e^{-z_i}, not 1)."""
    numerator, denominator = sympy.fraction(body, exact=True)
    if denominator == 1 or not _depends(denominator, wrt, ctx):
        return None
    return (_d(numerator, wrt) * denominator - numerator * _d(denominator, wrt)) / denominator**2


def power(body, wrt, ctx):
    """d/dx w^n = n w^(n-1) dw/dx for constant n; dx/dx = 1."""
    if body == wrt:
        return sympy.Identity(wrt.shape[0]) if isinstance(wrt, sympy.MatrixSymbol) else sympy.Integer(1)
    if isinstance(body, sympy.Pow) and not isinstance(body.base, type(sympy.E)):
        base, exponent = body.args
        if base is sympy.E or _depends(exponent, wrt, ctx):
            return None
        return exponent * base ** (exponent - 1) * _d(base, wrt)
    return None


def exponential(body, wrt, ctx):
    """d/dx e^w = e^w dw/dx."""
    if isinstance(body, sympy.exp):
        return body * _d(body.args[0], wrt)
    return None


def logarithm(body, wrt, ctx):
    """d/dx log w = (dw/dx) / w."""
    if isinstance(body, sympy.log):
        return _d(body.args[0], wrt) / body.args[0]
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
    return derivative(body.args[0]) * _d(body.args[0], wrt)


def error_function(body, wrt, ctx):
    """d/dx erf w = (2 / sqrt(pi)) e^{-w^2} dw/dx."""
    if isinstance(body, sympy.erf):
        w = body.args[0]
        return 2 / sympy.sqrt(sympy.pi) * sympy.exp(-w**2) * _d(w, wrt)
    return None


def arctangent(body, wrt, ctx):
    """d/dx atan w = (dw/dx) / (1 + w^2)."""
    if isinstance(body, sympy.atan):
        w = body.args[0]
        return _d(w, wrt) / (1 + w**2)
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
                return sympy.Add(*(_d(expr, a) * _d(a, wrt) for a in inner))
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
    return sympy.Piecewise(*((_d(e, wrt), c) for e, c in pieces.args))


def kronecker(body, wrt, ctx):
    """d z_j / d z_k = delta_jk; d/dz_k sum_j f_j = sum_j df_j/dz_k, and
    sum_j delta_jk f_j = f_k."""
    if isinstance(body, sympy.Sum):
        return sympy.Sum(_d(body.function, wrt), *body.limits)
    if isinstance(body, sympy.Indexed) and isinstance(wrt, sympy.Indexed) and body.base == wrt.base:
        return sympy.KroneckerDelta(body.indices[0], wrt.indices[0])
    return None


# -- the registry ----------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A named rule: a rewrite of derivatives and/or a way of comparing."""

    name: str
    statement: str
    aliases: tuple[str, ...] = ()
    rewrite: Callable | None = None
    unfolds: bool = False
    identities: bool = False
    by_region: bool = False


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("definition", "replace a name by its definition (or back)", ("def", "definition of"), unfolds=True),
        Rule("substitution", "substitute a let definition", ("substitute", "back-substitution"), unfolds=True),
        Rule("chain", "d/dx f(u(x)) = f'(u) u'(x)", ("chain rule",), rewrite=chain),
        Rule("quotient", "d/dx u/v = (u'v - uv')/v^2", ("quotient rule",), rewrite=quotient),
        Rule("product", "d/dx uv = u'v + uv'", ("product rule",), rewrite=product),
        Rule("sum", "d/dx (u + v) = u' + v'", ("sum rule", "difference", "linearity"), rewrite=sum_rule),
        Rule("constant", "d/dx c = 0, d/dx cf = c f'", ("constant rule", "constant multiple"), rewrite=constant),
        Rule("power", "d/dx w^n = n w^(n-1) w'", ("power rule",), rewrite=power),
        Rule("exp", "d/dx e^w = e^w w'", ("exponential", "derivative of exponential"), rewrite=exponential),
        Rule("log", "d/dx log w = w'/w", ("logarithm",), rewrite=logarithm),
        Rule("erf", "d/dx erf w = (2/sqrt(pi)) e^{-w^2} w'", ("error function", "derivative of erf"),
             rewrite=error_function),
        Rule("atan", "d/dx atan w = w'/(1 + w^2)", ("arctan", "derivative of arctan"), rewrite=arctangent),
        Rule("hyperbolic", "d sinh = cosh, d cosh = sinh, d tanh = 1 - tanh^2",
             ("trig", "trigonometric", "derivative of sinh", "derivative of cosh"), rewrite=hyperbolic),
        Rule("identity", "cosh^2 - sinh^2 = 1, tanh = sinh/cosh, exp forms",
             ("hyperbolic identity", "identities"), identities=True),
        Rule("algebra", "rearrange without evaluating any derivative", ("simplify", "rearrange"),),
        Rule("cases", "differentiate each region of a piecewise function", ("by cases", "piecewise"),
             rewrite=cases, by_region=True),
        Rule("kronecker", "dz_j/dz_k = delta_jk, sum_j delta_jk f_j = f_k",
             ("sum/kronecker", "kronecker delta", "index"), rewrite=kronecker),
    )
}


def canonical_rule_name(name: str) -> str | None:
    wanted = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    for rule in RULES.values():
        if wanted == rule.name or wanted in rule.aliases:
            return rule.name
    return None


# -- applying rules ----------------------------------------------------------------

def close_trivial(derivative: Derivative, ctx: RuleContext) -> sympy.Basic:
    """Derivatives no reader needs a rule for: of a constant, of the variable
    itself, of a linear polynomial in it, and dz_j/dz_k."""
    if len(derivative.variable_count) != 1 or derivative.variable_count[0][1] != 1:
        return derivative
    body, wrt = derivative.expr, derivative.variable_count[0][0]
    if body == wrt:
        return sympy.Identity(wrt.shape[0]) if isinstance(wrt, sympy.MatrixSymbol) else sympy.Integer(1)
    if isinstance(body, sympy.Indexed) and isinstance(wrt, sympy.Indexed) and body.base == wrt.base:
        return sympy.KroneckerDelta(body.indices[0], wrt.indices[0])
    if not _depends(body, wrt, ctx):
        return sympy.Integer(0)
    if body.is_Mul:
        coefficient, rest = body.as_coeff_Mul()
        if coefficient != 1:
            return coefficient * _d(rest, wrt)
    if isinstance(wrt, sympy.Symbol) and body.is_polynomial(wrt) and not body.atoms(AppliedUndef, sympy.Indexed):
        polynomial = sympy.Poly(body, wrt)
        if polynomial.degree() == 1:
            return polynomial.coeff_monomial(wrt)
    return derivative


def _look_through(derivative: Derivative, ctx: RuleContext):
    """The body a rule sees: the definition of a name, one level deep."""
    body, wrt = derivative.expr, derivative.variable_count[0][0]
    keep = frozenset({wrt.func}) if isinstance(wrt, AppliedUndef) else frozenset()
    definition = ctx.meaning.definition_of(body, keep)
    return (definition if definition is not None else body), wrt


def _rewrite_once(expr, rules, ctx, budget):
    """Apply the first rule that fits to each derivative, innermost first."""
    if budget[0] <= 0 or not isinstance(expr, sympy.Basic) or not expr.has(Derivative):
        return expr
    if isinstance(expr, Derivative):
        if len(expr.variable_count) != 1 or expr.variable_count[0][1] != 1:
            return expr
        closed = close_trivial(expr, ctx)
        if closed is not expr:
            return closed
        body, wrt = _look_through(expr, ctx)
        for rule in rules:
            result = (rule.rewrite(body, wrt, ctx, expr=expr.expr) if rule.rewrite is chain
                      else rule.rewrite(body, wrt, ctx))
            if result is not None:
                budget[0] -= 1
                return _rewrite_once(result, rules, ctx, budget)
        return expr
    args = [_rewrite_once(a, rules, ctx, budget) for a in expr.args]
    return expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr


def apply_rules(expr: sympy.Basic, names: tuple[str, ...], ctx: RuleContext) -> sympy.Basic:
    """``expr`` with the named rules applied wherever they fit, until nothing changes."""
    return apply_rules_counting(expr, names, ctx)[0]


def apply_rules_counting(expr, names, ctx) -> tuple[sympy.Basic, int]:
    """``apply_rules`` and the number of rule applications it made."""
    rules = [RULES[n] for n in names if RULES[n].rewrite is not None]
    budget = [MAX_APPLICATIONS]
    for _ in range(50):
        result = collapse_kronecker_sums(_rewrite_once(expr, rules, ctx, budget))
        if result == expr:
            break
        expr = result
    return expr, MAX_APPLICATIONS - budget[0]


DERIVATIVE_RULES = tuple(name for name, rule in RULES.items() if rule.rewrite is not None)


def step_size(previous, step, ctx: RuleContext) -> int:
    """How many rule applications lie between two lines: those that evaluate
    the derivatives of the previous line, less those still left in this one."""
    _, before = apply_rules_counting(previous, DERIVATIVE_RULES, ctx)
    _, after = apply_rules_counting(step, DERIVATIVE_RULES, ctx)
    return max(before - after, 0)


class _Atoms:
    """Opaque atoms (derivatives left unevaluated) named by what they mean:
    two derivatives are the same atom when their unfolded bodies agree."""

    def __init__(self, meaning):
        self.meaning = meaning
        self.names: dict = {}

    def key(self, derivative: Derivative):
        body = self.meaning.unfold(derivative.expr)
        return (exp_rational_normal_form(body) if not body.is_Atom else body, derivative.variable_count)

    def abstract(self, expr):
        derivatives = sorted(expr.atoms(Derivative), key=sympy.default_sort_key)
        replacements = {}
        for derivative in derivatives:
            key = self.key(derivative)
            if key not in self.names:
                self.names[key] = sympy.Symbol(f"_d{len(self.names)}")
            replacements[derivative] = self.names[key]
        return expr.xreplace(replacements)


def _restrict(expr, condition):
    """Use the equalities of a case (i = k) as substitutions; in a case
    i != k, delta_ik is 0."""
    for fact in sympy.And.make_args(condition):
        if isinstance(fact, sympy.Eq) and fact.rhs.is_Symbol:
            expr = expr.subs(fact.rhs, fact.lhs)
        elif isinstance(fact, sympy.Eq) and fact.lhs.is_Symbol and fact.lhs.is_integer and fact.rhs.is_Integer:
            expr = expr.subs(fact.lhs, fact.rhs)  # k = 1: decides the range of a collapsed sum
        elif isinstance(fact, sympy.Ne):
            expr = expr.subs({sympy.KroneckerDelta(fact.lhs, fact.rhs): 0,
                              sympy.KroneckerDelta(fact.rhs, fact.lhs): 0})
    return expr


def justify(previous, step, names: tuple[str, ...], ctx: RuleContext) -> bool:
    """Whether the named rules, applied to ``previous``, give ``step``."""
    from .prover import ProofContext, prove_equal
    from .evidence import Proved

    rules = [RULES[n] for n in names]
    candidate = apply_rules(previous, names, ctx)
    target = step
    if any(rule.unfolds for rule in rules):
        candidate = ctx.meaning.unfold(candidate)
        target = ctx.meaning.unfold(target)
    # derivatives that need no rule (dx/dx, of a constant) are closed on both sides
    candidate = apply_rules(_restrict(candidate, ctx.condition), (), ctx)
    target = apply_rules(_restrict(target, ctx.condition), (), ctx)
    atoms = _Atoms(ctx.meaning)
    candidate, target = atoms.abstract(candidate), atoms.abstract(target)
    if _is_matrix(candidate) or _is_matrix(target):
        return candidate == target
    if any(rule.by_region for rule in rules) or candidate.has(sympy.Piecewise, sympy.Max):
        verdict = prove_equal(candidate, target, ProofContext(ctx.condition, timeout=2.0))
        return isinstance(verdict, Proved)
    normal_form = exp_rational_normal_form if any(r.identities for r in rules) else rational_normal_form
    return normal_form(candidate - target) == 0


def _is_matrix(expr) -> bool:
    return isinstance(expr, (sympy.MatrixExpr, sympy.MatrixBase))
