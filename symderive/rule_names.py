"""The rules a derivation may name: each one's name, its statement and the
other names authors use for it. Data only (no SymPy), so that loading a
derivation file resolves its rule names without the rules themselves
(``rules.py`` joins each name to what the rule does)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleName:
    """A rule as a reader names it: ``statement`` is its mathematics."""

    name: str
    statement: str
    aliases: tuple[str, ...] = ()


RULE_NAMES: dict[str, RuleName] = {
    rule.name: rule
    for rule in (
        RuleName("definition", "replace a name by its definition (or back)", ("def", "definition of")),
        RuleName("substitution", "substitute a let definition", ("substitute", "back-substitution")),
        RuleName("chain", "d/dx f(u(x)) = f'(u) u'(x)", ("chain rule",)),
        RuleName("quotient", "d/dx u/v = (u'v - uv')/v^2", ("quotient rule",)),
        RuleName("product", "d/dx uv = u'v + uv'", ("product rule",)),
        RuleName("sum", "d/dx (u + v) = u' + v', also under a sum: d/dx sum_i u_i = sum_i du_i/dx",
                 ("sum rule", "difference", "linearity")),
        RuleName("constant", "d/dx c = 0, d/dx cf = c f'", ("constant rule", "constant multiple")),
        RuleName("power", "d/dx w^n = n w^(n-1) w'", ("power rule",)),
        RuleName("exp", "d/dx e^w = e^w w'", ("exponential", "derivative of exponential")),
        RuleName("log", "d/dx log w = w'/w", ("logarithm",)),
        RuleName("erf", "d/dx erf w = (2/sqrt(pi)) e^{-w^2} w'", ("error function", "derivative of erf")),
        RuleName("atan", "d/dx atan w = w'/(1 + w^2)", ("arctan", "derivative of arctan")),
        RuleName("hyperbolic", "d sinh = cosh, d cosh = sinh, d tanh = 1 - tanh^2",
                 ("trig", "trigonometric", "derivative of sinh", "derivative of cosh")),
        RuleName("identity", "cosh^2 - sinh^2 = 1, tanh = sinh/cosh, exp forms", ("hyperbolic identity", "identities")),
        RuleName("algebra", "rearrange without evaluating any derivative", ("simplify", "rearrange")),
        RuleName("cases", "differentiate each region of a piecewise function", ("by cases", "piecewise")),
        RuleName("kronecker", "dz_j/dz_k = delta_jk, dW_ab/dW_ij = delta_ai delta_bj, sum_j delta_jk f_j = f_k",
                 ("sum/kronecker", "kronecker delta", "index")),
    )
}


def canonical_rule_name(name: str) -> str | None:
    """The registry's name for ``name`` ("Chain Rule" -> "chain"), or None."""
    wanted = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    for rule in RULE_NAMES.values():
        if wanted == rule.name or wanted in rule.aliases:
            return rule.name
    return None
