"""The step generator's choice: the rule that fits the first derivative
still unevaluated, applied wherever it fits (exactly what ``verify``
replays), and what a generated derivation is."""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from ..meaning import Meaning
from ..rules import RULES, RuleContext, apply_rules

MAX_STEPS = 60
_HYPERBOLIC = (sympy.sinh, sympy.cosh, sympy.tanh, sympy.sin, sympy.cos)
_PIECEWISE = (sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs)


def _first_rules(body, wrt) -> tuple[str, ...]:
    """The rules that fit the outermost form of ``body``, best first (a sum
    before the cases inside it, whose conditions name its index)."""
    if isinstance(body, sympy.Sum):
        return ("sum", "kronecker")
    if body.has(*_PIECEWISE):
        return ("cases",)
    if body.is_Add:
        return ("sum",)
    if isinstance(body, sympy.Indexed):
        return ("kronecker",)
    if body.is_Mul:
        coefficient, rest = body.as_independent(wrt, as_Add=False)
        numerator, denominator = sympy.fraction(body)
        if coefficient != 1 and not coefficient.has(sympy.Indexed) and not coefficient.atoms(AppliedUndef):
            return ("constant",)
        if denominator != 1 and denominator.has(wrt) and numerator != 1:
            return ("quotient", "product")
        return ("product", "quotient")
    if isinstance(body, sympy.Pow):
        return ("power", "chain") if not body.exp.has(wrt) else ("exp", "chain")
    if isinstance(body, sympy.exp):
        return ("exp",)
    if isinstance(body, sympy.log):
        return ("log",)
    if isinstance(body, _HYPERBOLIC):
        return ("hyperbolic",)
    return tuple(name for name in ("erf", "atan", "chain") if name in RULES)


def next_step(expr, ctx: RuleContext, meaning: Meaning) -> tuple[sympy.Basic, str] | None:
    """The next line and the one rule that gives it, or None when stuck."""
    for node in sympy.preorder_traversal(expr):
        if not isinstance(node, sympy.Derivative):
            continue
        body = meaning.definition_of(node.expr) or node.expr
        wrt = node.variable_count[0][0]
        candidates = _first_rules(body, wrt) + tuple(n for n, r in RULES.items() if r.rewrite is not None)
        for name in dict.fromkeys(candidates):
            if name not in RULES or RULES[name].rewrite is None or (name == "cases" and _cases_in_sum(body)):
                continue
            result = apply_rules(expr, (name,), ctx)
            if result != expr:
                return result, name
    return None


def _cases_in_sum(body) -> bool:
    """Whether cases sit inside a sum: their conditions may name its index,
    so the sum rule goes first and the cases are split inside it."""
    return any(node.function.has(*_PIECEWISE) for node in body.atoms(sympy.Sum))


@dataclass(frozen=True)
class Generated:
    """A derivation file's text and the steps it holds, for reporting."""

    toml: str
    steps: tuple[tuple[str, str], ...]  # (latex, rule)


def domain_of(symbol: sympy.Symbol) -> str:
    if symbol.is_positive:
        return "positive"
    if symbol.is_nonnegative:
        return "nonnegative"
    if symbol.is_negative:
        return "negative"
    return "real"
