"""The named rules of differentiation and algebra, and the justification check.

The derivative rules themselves are in ``derivative_rules.py``; their names,
statements and aliases in ``rule_names.py``. Here the registry joins a name
to what the rule does, and ``justify`` decides whether a step's rules give it.

A step is *justified* by its rules when applying them to the previous line
(repeatedly, at any derivative; everything else opaque) gives an expression
equal to the step by algebra alone — or, for ``identity``, by algebra plus
the identities of exp and the hyperbolic functions; ``definition`` and
``substitution`` also unfold the names on both sides. The algebra of finite
sums is algebra (sum_algebra.py: sums split and merged, factors free of the
index taken out, deltas summed within their ranges); the derivation's stated
sums (sum_i y_i = 1) count only for a step citing a rule that compares
(``algebra``, ``identity``, ``definition``, ``substitution``), never for a
derivative rule alone.

``justified`` is True only when what the rules produce is equal to the step
by an exact normal form (normal_form.py, which keeps every branch) or
proved equal by the prover; never by numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import sympy
from sympy import Derivative
from sympy.core.function import AppliedUndef

from .derivative_rules import (RuleContext, arctangent, cases, chain, constant, constant_factors, depends_on,
                               error_function, exponential, hyperbolic, independent_entries, kronecker, logarithm,
                               power, product, quotient, sum_rule, unevaluated)
from .evidence import Proved
from .kronecker import collapse_kronecker_sums, vector_range
from .normal_form import exp_rational_normal_form, rational_normal_form
from .prove_base import ProofContext
from .prover import prove_equal
from .rule_names import RULE_NAMES, canonical_rule_name
from .sum_algebra import stated_sums, sum_normal_form

__all__ = ["MAX_APPLICATIONS", "RULES", "Rule", "RuleContext", "apply_rules", "apply_rules_counting",
           "canonical_rule_name", "close_trivial", "justify", "step_size"]

MAX_APPLICATIONS = 200
JUSTIFY_TIMEOUT = 2.0  # seconds for the prover when a rule compares region by region


# -- the registry ----------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A named rule: a rewrite of derivatives and/or a way of comparing.
    ``unfolds``: names are unfolded on both sides before comparing;
    ``identities``: the exp/hyperbolic identities count as algebra;
    ``by_region``: compared region by region by the prover."""

    name: str
    statement: str
    aliases: tuple[str, ...] = ()
    rewrite: Callable | None = None
    unfolds: bool = False
    identities: bool = False
    by_region: bool = False


# what each named rule does (rule_names.py says how it is written)
_BEHAVIOUR = {
    "definition": dict(unfolds=True), "substitution": dict(unfolds=True),
    "chain": dict(rewrite=chain), "quotient": dict(rewrite=quotient), "product": dict(rewrite=product),
    "sum": dict(rewrite=sum_rule), "constant": dict(rewrite=constant), "power": dict(rewrite=power),
    "exp": dict(rewrite=exponential), "log": dict(rewrite=logarithm), "erf": dict(rewrite=error_function),
    "atan": dict(rewrite=arctangent), "hyperbolic": dict(rewrite=hyperbolic), "identity": dict(identities=True),
    "algebra": {}, "cases": dict(rewrite=cases, by_region=True), "kronecker": dict(rewrite=kronecker),
}

RULES: dict[str, Rule] = {name: Rule(name, spelled.statement, spelled.aliases, **_BEHAVIOUR[name])
                          for name, spelled in RULE_NAMES.items()}


# -- applying rules ----------------------------------------------------------------

def close_trivial(derivative: Derivative, ctx: RuleContext) -> sympy.Basic:
    """Derivatives no reader needs a rule for: of a constant, of the variable
    itself, of a linear polynomial in it, and of a constant times a function
    (d(c f)/dx is c df/dx, c free of x: a factor comes out of a derivative
    whichever rule the step names, so d(y_i log S_i) and y_i d(log S_i) are
    one atom); dz_i/dz_k only in a case i != k."""
    if len(derivative.variable_count) != 1 or derivative.variable_count[0][1] != 1:
        return derivative
    body, wrt = derivative.expr, derivative.variable_count[0][0]
    if body == wrt:
        return sympy.Identity(wrt.shape[0]) if isinstance(wrt, sympy.MatrixSymbol) else sympy.Integer(1)
    if isinstance(body, sympy.Indexed) and isinstance(wrt, sympy.Indexed) and body.base == wrt.base:
        # dz_j/dz_k = delta_jk is the kronecker rule's; a case i != k decides it without one
        return sympy.Integer(0) if independent_entries(body, wrt, ctx) else derivative
    if not depends_on(body, wrt, ctx):
        return sympy.Integer(0)
    if body.is_Mul:
        const, rest = constant_factors(body, wrt, ctx)
        if const != 1:
            return const * unevaluated(rest, wrt)
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
        rewritten = _rewrite_once(expr, rules, ctx, budget)
        result = _collapsed(rewritten) if _hashable(rewritten) else collapse_kronecker_sums(rewritten)
        if result == expr:
            break
        expr = result
    return expr, MAX_APPLICATIONS - budget[0]


@lru_cache(maxsize=4096)
def _collapsed(expr):
    """collapse_kronecker_sums, memoised: each application of the rules
    ends with it, and a line recurs as the end of one step and the start of
    the next."""
    return collapse_kronecker_sums(expr)


def _hashable(expr) -> bool:
    """Whether ``expr`` can key a memo (a mutable Matrix cannot)."""
    try:
        hash(expr)
    except TypeError:
        return False
    return True


DERIVATIVE_RULES = tuple(name for name, rule in RULES.items() if rule.rewrite is not None)


def step_size(previous, step, ctx: RuleContext) -> int:
    """How many rule applications lie between two lines: those that evaluate
    the derivatives of the previous line, less those still left in this one."""
    _, before = apply_rules_counting(previous, DERIVATIVE_RULES, ctx)
    _, after = apply_rules_counting(step, DERIVATIVE_RULES, ctx)
    return max(before - after, 0)


class _Atoms:
    """Opaque atoms (derivatives left unevaluated) named by what they mean:
    two derivatives are the same atom when their unfolded bodies agree. A
    derivative with indices in it (d log S_i / dz_k) is a function of them,
    so a sum over i keeps its index and no comparison takes it for a constant."""

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
            indices = sorted((s for s in derivative.free_symbols if s.is_integer), key=sympy.default_sort_key)
            held = {index: sympy.Symbol(f"_index_{p}", integer=True) for p, index in enumerate(indices)}
            key = self.key(derivative.xreplace(held))
            if key not in self.names:
                self.names[key] = sympy.Function(f"_d{len(self.names)}")
            replacements[derivative] = self.names[key](*indices) if indices else sympy.Symbol(self.names[key].name)
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
    """Whether the named rules, applied to ``previous``, give ``step``.
    Sum algebra (linearity, deltas summed within their ranges) is algebra;
    the derivation's stated sums count only for a rule that compares
    (``algebra``, ``identity``, ``definition``, ``substitution``)."""
    rules = [RULES[n] for n in names]
    candidate = apply_rules(previous, names, ctx)
    if candidate == step:  # both sides would go through the same steps below
        return True
    target = step
    if any(rule.unfolds for rule in rules):
        candidate = ctx.meaning.unfold(candidate)
        target = ctx.meaning.unfold(target)
    # derivatives that need no rule (dx/dx, of a constant) are closed on both sides
    candidate = apply_rules(_restrict(candidate, ctx.condition), (), ctx)
    target = apply_rules(_restrict(target, ctx.condition), (), ctx)
    if candidate == target:  # what follows would give both sides one shape, and 0 their difference
        return True
    stated = stated_sums(ctx.meaning.assumptions) if any(r.rewrite is None for r in rules) else {}
    # one range for the free indices of both sides, read from the claim as the prover reads it
    within = vector_range(sympy.Tuple(candidate, target))
    candidate, target = sum_normal_form(candidate, stated, within), sum_normal_form(target, stated, within)
    if candidate == target:
        return True
    atoms = _Atoms(ctx.meaning)
    candidate, target = atoms.abstract(candidate), atoms.abstract(target)
    if _is_matrix(candidate) or _is_matrix(target):
        return candidate == target
    if any(rule.by_region for rule in rules) or candidate.has(sympy.Piecewise, sympy.Max):
        verdict = prove_equal(candidate, target, ProofContext(ctx.condition, timeout=JUSTIFY_TIMEOUT))
        return isinstance(verdict, Proved)
    normal_form = exp_rational_normal_form if any(r.identities for r in rules) else rational_normal_form
    return normal_form(candidate - target) == 0


def _is_matrix(expr) -> bool:
    return isinstance(expr, (sympy.MatrixExpr, sympy.MatrixBase))
