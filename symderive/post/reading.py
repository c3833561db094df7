"""How a post's words and math are read: rule hints in prose, conditions,
stated assumptions, and the proof of one claim. Small functions used by the
checker (``check``); none of them keeps state.
"""

from __future__ import annotations

import re

import sympy

from ..catalog import lookup
from ..errors import LatexSyntaxError
from ..evidence import Proved, Refuted
from ..latex import parse_display
from ..meaning import Meaning, assume, assumption
from ..normal_form import canonical_sum
from ..prover import ProofContext, prove_equal
from ..rules import RULES, RuleContext, justify
from .extract import MathBlock

DEFAULT_TIMEOUT = 10.0
APPROX_TOLERANCE = 1e-2
LARGE_STEP = 6
LET_WORDS = re.compile(r"\b(let|define|defined|where|denote|in this case|given by|set)\b[^.]*$", re.I)
CONNECTIVES = {"\\Rightarrow", "\\implies", "="}
HINT_PHRASES = {
    rule.name: tuple(p for p in (f"{rule.name} rule", *rule.aliases) if "rule" in p or "derivative of" in p)
    for rule in RULES.values()
}


def rule_hints(text: str) -> tuple[str, ...]:
    """Rules named in prose or an annotation: 'apply the quotient rule'."""
    lowered = " ".join(text.lower().split())
    return tuple(name for name, phrases in HINT_PHRASES.items() if any(p in lowered for p in phrases))


def last_sentence(prose: str) -> str:
    pieces = re.split(r"(?<=[.!?:])\s+|\n\s*\n", prose.strip())
    return pieces[-1] if pieces else ""


def known_activation(name: str):
    """The catalog entry a post's name means without defining it: scalar and
    without parameters (a post's Swish(x) = x sigma(x) fixes beta = 1, so a
    parametric entry is the post's to define)."""
    activation = lookup(name)
    if activation is None or activation.vector or activation.expr.free_symbols - {activation.variable}:
        return None
    return activation


def fresh_meaning(scope) -> Meaning:
    meaning = Meaning(scope, scope.default_variable)
    for name, function in scope.functions.items():
        activation = known_activation(name)
        if activation is not None:
            meaning.functions[function] = (activation.variable, activation.expr)
    return meaning


def is_atomic(expr) -> bool:
    return isinstance(expr, (sympy.Symbol, sympy.Number))


CONDITION_RELATIONS = {"<": sympy.Lt, ">": sympy.Gt, "\\leq": sympy.Le, "\\geq": sympy.Ge,
                        "=": sympy.Eq, "\\neq": sympy.Ne}


def prove_claim(meaning, lhs, rhs, condition, timeout, approximate, assumptions=None):
    """Evidence that lhs = rhs (or lhs ~ rhs) holds under condition."""
    a = assume(meaning.evaluate(lhs), assumptions)
    b = assume(meaning.evaluate(rhs), assumptions)
    if approximate:
        verdict = prove_equal(a, b, ProofContext(condition, timeout))
        if isinstance(verdict, Refuted):
            try:
                lhs_value, rhs_value = float(sympy.Rational(verdict.lhs_value)), float(sympy.Rational(verdict.rhs_value))
            except (TypeError, ValueError):
                return verdict
            if abs(lhs_value - rhs_value) <= APPROX_TOLERANCE * max(1.0, abs(lhs_value)):
                return Proved(f"approximation within {APPROX_TOLERANCE:g} (relative) at the points tried")
        return verdict
    return prove_equal(a, b, ProofContext(condition, timeout))


def hints_justify(meaning, previous, rhs, hints, condition):
    """Whether the hinted rules (alone, or with the sum and constant rules
    authors leave unsaid) produce the step; None when nothing is hinted."""
    if not hints:
        return None
    ctx = RuleContext(meaning, condition)
    return justify(previous, rhs, hints, ctx) or justify(previous, rhs, hints + ("sum", "constant"), ctx)


PROSE_CLAIM = re.compile(r"\b(derivative|gradient|jacobian)\b[^$.]*?\bis(?:\s+(?:simply|just|given by))?\s*$", re.I)
VECTOR_INPUT = re.compile(r"\bvector\w*\s+(?:inputs?\s+)?of\s+(?:length|dimension|size)\s+([A-Za-z])\b", re.I)
CASE_WORDS = re.compile(r"^[\s•*+\-–·>]*(?:(?:case|for|if|when|assume|suppose)\b[\s:,]*)*$", re.I)


def stands_alone(block: MathBlock) -> bool:
    """An inline relation on a line of its own, maybe after a bullet or
    'Case'/'For'/'If': a case heading, not a remark inside a sentence."""
    line_start = block.prose_before.rsplit("\n", 1)[-1]
    return bool(CASE_WORDS.match(line_start))


def chain_key(text: str) -> str:
    return re.sub(r"\s+|\\left|\\right|\\,|\\;", "", text)


def after(note, origin) -> bool:
    return (note.line, note.column) >= (origin.line, origin.column)


def before_next(note, display, rhs) -> bool:
    later = [p.origin for p in display.parts if (p.origin.line, p.origin.column) > (rhs.origin.line, rhs.origin.column)]
    return not later or (note.line, note.column) < (later[0].line, later[0].column)


def find_assumptions(blocks, scope) -> tuple[dict, list[str]]:
    """Every stated sum of a post, read before its claims are checked: the
    values by canonical sum, and the LaTeX that states them (for import)."""
    found, texts = {}, []
    for block in blocks:
        try:
            stated = assumption(parse_display(block.text, scope, block.origin))
        except LatexSyntaxError:
            continue
        if stated is not None:
            found[canonical_sum(stated[0])] = stated[1]
            texts.append(" ".join(block.text.split()))
    return found, texts
