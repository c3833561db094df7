"""Which rules produce a step of an imported post: the first rule set, on a
list from the hint through single rules and favourite pairs to all of them,
that justifies the step (see importer.py)."""

from __future__ import annotations

from itertools import combinations

from ..rules import RULES, RuleContext, apply_rules, justify

SINGLE_RULES = ("definition", "algebra", "substitution", "identity", "chain", "quotient", "product",
                "power", "exp", "hyperbolic", "constant", "sum", "cases", "kronecker", "log")
FAVOURITE_SETS = (
    ("sum", "exp"), ("chain", "sum"), ("chain", "power"), ("definition", "algebra"),
    ("hyperbolic", "identity"), ("kronecker", "exp"), ("substitution", "sum", "exp"),
    ("kronecker", "exp", "definition", "algebra"), ("quotient", "sum", "exp"),
)


def _justifies(previous, step, names, ctx) -> bool:
    try:
        return justify(previous, step, names, ctx)
    except Exception:  # a rule set that cannot even be tried does not justify
        return False


def _candidates(hints: tuple[str, ...]):
    """Rule sets to try, smallest first: the hint, single rules, favourite
    combinations, every pair, then everything at once."""
    if hints:
        yield hints
    for name in SINGLE_RULES:
        yield (name,)
    yield from FAVOURITE_SETS
    yield from combinations(SINGLE_RULES, 2)
    yield SINGLE_RULES


def rules_for(meaning, previous, step, hints: tuple[str, ...], condition) -> tuple[str, ...]:
    """The first rule set on the list that produces a proved step (else the
    hint, or algebra: verify reports it as not justified, as check did).
    Whether a set produces the step depends only on what its rewrites make
    of the previous line and on what kind of comparison its rules ask for,
    so sets that agree on both are tried once."""
    ctx = RuleContext(meaning, condition)
    tried: dict = {}
    for names in _candidates(hints):
        try:
            key = (apply_rules(previous, names, ctx), *(any(getattr(RULES[n], flag) for n in names)
                                                      for flag in ("unfolds", "identities", "by_region")))
            hash(key)
        except Exception:  # a rule set that cannot even be tried does not justify
            continue
        if key not in tried:
            tried[key] = _justifies(previous, step, names, ctx)
        if tried[key]:
            return names
    return hints or ("algebra",)
