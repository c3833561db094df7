"""How a post's words and math are read: rule hints in prose, conditions,
stated assumptions, and the proof of one claim. Small functions used by the
checker (``check``); none of them keeps state.
"""

from __future__ import annotations

import re
from dataclasses import replace

import sympy
from sympy.core.function import AppliedUndef
from sympy.tensor.indexed import IndexException

from ..catalog import lookup
from ..errors import LatexSyntaxError
from ..evidence import Unknown, UnknownKind
from ..kronecker import limits_as_counts
from ..latex import parse_display
from ..meaning import Meaning, assume
from ..prover import ProofContext, prove_equal
from ..rules import RULES, RuleContext, justify
from .aliases import through_aliases
from .approximation import approximation
from ..entry_gradients import doubt as entry_gradient
from .extract import MathBlock
from .shapes import Shapes, index_lengths, loose_length
from .sigma_readings import both_sigmas
from .stated import kept_sum_evidence
from .undefined import evaluated, upstream_proof, upstream_refutation

DEFAULT_TIMEOUT = 10.0
LARGE_STEP = 6
LET_WORDS = re.compile(r"\b(let|define|defined|where|denote|in this case|given by|set)\b[^.]*$", re.I)
ARROWS = {"\\Rightarrow", "\\implies", "\\iff", "\\Leftrightarrow", "\\therefore", "\\because"}
CONNECTIVES = ARROWS | {"="}
# relations that carry a chain on: what follows is compared with the chain's last expression
CONTINUING = ARROWS | {"=", "\\approx"}
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


# names whose plain use is one member of the catalog's family: softplus(x) is
# log(1 + e^x) and SiLU(x) is x sigma(x) (beta = 1, PyTorch's default and the
# papers' definition); Swish, ELU and leaky ReLU keep their parameter open
UNIT_PARAMETERS = {"softplus": "beta", "silu": "beta"}


def known_activation(name: str):
    """The catalog entry a post's name means without defining it: scalar and
    without parameters (a post's Swish(x) = x sigma(x) fixes beta = 1, so a
    parametric entry is the post's to define), or one whose plain name fixes
    its parameter (``UNIT_PARAMETERS``)."""
    activation = lookup(name)
    if activation is not None and name.lower() in UNIT_PARAMETERS:
        fixed = {s: 1 for s in activation.expr.free_symbols if str(s) == UNIT_PARAMETERS[name.lower()]}
        activation = replace(activation, **{key: getattr(activation, key).xreplace(fixed) for key in
                                            ("expr", "derivative", "output_form") if getattr(activation, key) is not None})
    if activation is None or activation.vector or activation.expr.free_symbols - {activation.variable}:
        return None
    return activation


_LETTER = re.compile(r"(?<![\\\w])([a-df-z])(?![A-Za-z0-9])")  # a one-letter name (w of w_1), not e


def own_variable(scope, texts: list[str]):
    """The scope with the post's own variable: not a name the post defines
    from another letter. After "Let $u = 1 + e^{-x}$" with only ``du``
    written as a differential, u is the most frequent differential, yet the
    post is about x: u is an intermediate name (defined, held in d/du).
    Only a body in one other letter says so: ``z = w^T x + b`` keeps z."""
    name = str(scope.default_variable)
    defines = re.compile(rf"^\s*{re.escape(name)}\s*=(?!=)\s*(?P<body>[^=]+)")
    for text in texts:
        found = defines.match(text)
        others = sorted({v for v in _LETTER.findall(found.group("body")) if v != name}) if found else []
        if len(others) == 1:
            variable = scope.variables.get(others[0]) or sympy.Symbol(others[0], real=True)
            return replace(scope, default_variable=variable, variables={**scope.variables, others[0]: variable})
    return scope


def fresh_meaning(scope, text: str | None = None, ambiguous: frozenset = frozenset()) -> Meaning:
    """The catalog's functions a post may use without defining them; with
    the post's math ``text``, only those whose name (before any subscript)
    occurs in it: a name not written cannot be applied, and building every
    catalog entry costs a cold check more than its proofs. The names in
    ``ambiguous`` keep no built-in meaning."""
    meaning = Meaning(scope, scope.default_variable)
    for name, function in scope.functions.items():
        if text is not None and name.split("_", 1)[0] not in text or name in ambiguous:
            continue
        activation = known_activation(name)
        if activation is not None:
            meaning.functions[function] = (activation.variable, activation.expr)
    return meaning


def is_atomic(expr) -> bool:
    return isinstance(expr, (sympy.Symbol, sympy.Number))


CONDITION_RELATIONS = {"<": sympy.Lt, ">": sympy.Gt, "\\leq": sympy.Le, "\\geq": sympy.Ge,
                        "=": sympy.Eq, "\\neq": sympy.Ne}


def prove_claim(meaning, lhs, rhs, condition, timeout, approximate, assumptions=None, shapes=Shapes()):
    """Evidence that lhs = rhs (or, for ``\\approx``, how closely) under
    condition; a free index at an axis of a declared shape runs over its
    declared length (shapes.py), in the evaluation and in the proof. x_i
    beside x_{ij} has no derivative of one in the other: unknown."""
    def decide(reading, left, right):
        return _claim_evidence(reading, left, right, condition, timeout, approximate, assumptions, shapes)
    try:
        evidence = both_sigmas(meaning, lhs, rhs, decide(meaning, lhs, rhs), decide)
    except IndexException as error:
        return Unknown(f"a name is written with different numbers of indices (a vector's entry x_i and a "
                       f"matrix's x_ij under one letter), so a derivative of one in the other is not read: {error}")
    if not isinstance(evidence, Unknown) and (gradient := entry_gradient(meaning, lhs, rhs)):
        return Unknown(gradient)
    return evidence


def _claim_evidence(meaning, lhs, rhs, condition, timeout, approximate, assumptions, shapes):
    lhs, rhs, condition = as_counts(lhs, rhs, condition)
    declared = index_lengths(shapes, lhs, rhs)
    lhs, rhs = (through_aliases(meaning, side) for side in (lhs, rhs))
    a, b = (assume(evaluated(meaning, side, declared), assumptions) for side in (lhs, rhs))
    if approximate:
        return approximation(a, b, condition)
    undefined = sorted(set(meaning.undefined_derivatives(a)) | set(meaning.undefined_derivatives(b)))
    upstream = (condition, timeout / 2, assumptions, declared, shapes)
    if undefined and (refuted := upstream_refutation(meaning, lhs, rhs, *upstream)):
        return refuted
    context = ProofContext(condition, timeout, declared)
    evidence = kept_sum_evidence(a, b, prove_equal(a, b, context), assumptions, lambda x, y: prove_equal(x, y, context))
    if isinstance(evidence, Unknown) and (loose := loose_length(declared)) is not None:
        evidence = Unknown(f"{evidence.reason}; {loose}", evidence.kind)
    if isinstance(evidence, Unknown) and undefined and evidence.kind != UnknownKind.TIMEOUT and (
            proved := upstream_proof(meaning, lhs, rhs, *upstream)):
        return proved
    if isinstance(evidence, Unknown) and undefined:
        return Unknown(f"{', '.join(undefined)} not defined in the post, so its derivative is not known "
                       f"({evidence.reason})")
    return evidence


def as_counts(*sides):
    """The claim's sides (and condition) with each name a sum runs up to a count
    (``\\mu(n)`` beside ``\\sum_{i=1}^{n}``) before evaluation, as ``prove_equal`` reads them."""
    counts = limits_as_counts(*sides)
    return tuple(s.xreplace(counts) if counts and isinstance(s, sympy.Basic) else s for s in sides)


def hints_justify(meaning, previous, rhs, hints, condition):
    """Whether the hinted rules (alone, or with the sum and constant rules
    authors leave unsaid) produce the step; None when nothing is hinted."""
    if not hints:
        return None
    ctx = RuleContext(meaning, condition)
    return justify(previous, rhs, hints, ctx) or justify(previous, rhs, hints + ("sum", "constant"), ctx)


PROSE_CLAIM = re.compile(r"\b(derivative|gradient|jacobian)\b[^$.]*?\bis(?:\s+(?:simply|just|given by))?\s*$", re.I)
PROSE_CONDITION = re.compile(r"\b(?:if|when|whenever|suppose|assuming|provided)\b", re.I)
VECTOR_INPUT = re.compile(r"\bvector\w*\s+(?:inputs?\s+)?of\s+(?:length|dimension|size)\s+([A-Za-z])\b", re.I)
CASE_WORDS = re.compile(r"^[\s•*+\-–·>]*(?:(?:case|for|if|when|assume|suppose)\b[\s:,]*)*$", re.I)


# "when $i = k$, we have", "in case $j=0$", "当$x=0$": a word of condition just before inline math
CONDITION_BEFORE = re.compile(r"(?:\b(?:if|when|whenever|in case|case|assuming|suppose|provided(?: that)?|at)"
                              r"|当|若|如果)[\s:,]*$", re.I)


def stands_alone(block: MathBlock) -> bool:
    """An inline relation on a line of its own, maybe after a bullet or
    'Case'/'For'/'If': a case heading, not a remark inside a sentence."""
    line_start = block.prose_before.rsplit("\n", 1)[-1]
    return bool(CASE_WORDS.match(line_start))


def introduces_condition(block: MathBlock) -> bool:
    """Inline math a reader takes as a condition on what follows: a case
    heading, or math right after 'when', 'if', 'in case' in a sentence."""
    return stands_alone(block) or bool(CONDITION_BEFORE.search(block.prose_before))


def chain_key(text: str) -> str:
    return re.sub(r"\s+|\\left|\\right|\\,|\\;", "", text)


def after(note, origin) -> bool:
    return (note.line, note.column) >= (origin.line, origin.column)


def before_next(note, display, rhs) -> bool:
    later = [p.origin for p in display.parts if (p.origin.line, p.origin.column) > (rhs.origin.line, rhs.origin.column)]
    return not later or (note.line, note.column) < (later[0].line, later[0].column)


class ParsedBlocks:
    """Each block of a post parsed once, however many passes read it: its
    display, or the error reading it raised again."""

    def __init__(self, scope):
        self.scope, self.done = scope, {}

    def __call__(self, block: MathBlock):
        key = (block.text, block.origin)
        if key not in self.done:
            try:
                self.done[key] = parse_display(block.text, self.scope, block.origin)
            except LatexSyntaxError as error:
                self.done[key] = error
        found = self.done[key]
        if isinstance(found, LatexSyntaxError):
            raise found
        return found


def copied(meaning: Meaning) -> Meaning:
    """A meaning of its own for one pass over a post (each pass adds definitions)."""
    return Meaning(meaning.scope, meaning.variable, dict(meaning.functions), dict(meaning.indexed))


# prose claim is about (math in the sentence stands as a §k placeholder)
PROSE_SUBJECT = re.compile(r"\b(?:derivative|gradient|jacobian)s?\s+of\s+(?:the\s+)?(?:function\s+)?"
                           r"(?P<name>§\d+|\\?[A-Za-z][\w{}\\]*)", re.I)
NOT_NAMES = {"this", "it", "that", "which", "our", "a", "an", "its", "each", "is", "these", "those", "such"}
_WRAPPERS = re.compile(r"\\(?:text|mathrm|operatorname|mathit|rm|mathbf|boldsymbol)\s*\{([^{}]*)\}")


def name_key(latex: str) -> str:
    """The scope's key for a name as written: ``g_{\\text{linear}}`` is
    g_linear, ``\\sigma(x)`` is sigma."""
    text = _WRAPPERS.sub(r"\1", latex.strip())
    text = re.sub(r"\s*(?:\\left)?\(.*$", "", text)
    return re.sub(r"[{}\s\\$]", "", text)


def prose_subjects(paragraph: str, math: list[str]) -> list[str]:
    """The names a prose claim's last sentence (else its paragraph) says the
    derivative is of, as the scope's keys, the latest first; empty when no
    name is given. A word such as "a" may be a name or an article: the
    checker tries each against what the post defines."""
    for text in (last_sentence(paragraph), paragraph):
        found = [m.group("name") for m in PROSE_SUBJECT.finditer(text)]
        if found:
            return [name_key(math[int(n[1:])] if n.startswith("§") else n) for n in reversed(found)]
    return []


# Functions a reader knows without a definition: SymPy's own, by the name a post writes
BUILTIN_PROSE = {"tanh": sympy.tanh, "sinh": sympy.sinh, "cosh": sympy.cosh, "sin": sympy.sin, "cos": sympy.cos,
                 "tan": sympy.tan, "exp": sympy.exp, "log": sympy.log, "ln": sympy.log, "arctan": sympy.atan,
                 "atan": sympy.atan, "erf": sympy.erf}


def known_function(meaning, scope, key: str):
    """(function, its variable) for a name a prose claim gives: a function
    the post defines, a catalog activation (its definition added to the
    meaning, as a catalog name used without one is read), or a builtin;
    None when the name is none of them."""
    function = scope.functions.get(key)
    if function is not None and function in meaning.functions and meaning.functions[function][0] is not None:
        return function, meaning.functions[function][0]
    activation = known_activation(key)
    if activation is not None:
        function = function or sympy.Function(key)
        meaning.functions[function] = (activation.variable, activation.expr)
        return function, activation.variable
    if key in BUILTIN_PROSE:
        return BUILTIN_PROSE[key], scope.default_variable
    return None


def names_components(lhs, rhs) -> bool:
    """``\\mathbf z = [z_1, \\cdots, z_n]``: a vector's name set beside its
    own entries (a list or a row or column), which names them; not a claim."""
    if not isinstance(lhs, (sympy.Symbol, sympy.IndexedBase, sympy.MatrixSymbol)):
        return False
    if isinstance(rhs, sympy.Tuple):
        entries = list(rhs)
    elif isinstance(rhs, sympy.MatrixBase) and 1 in rhs.shape:
        entries = list(rhs)
    elif isinstance(rhs, sympy.FunctionMatrix) and 1 in rhs.shape:  # [x_1 ... x_n], n symbolic
        entries = [rhs.lamda.expr]
    else:
        return False
    indexed = [e for e in entries if isinstance(e, sympy.Indexed)]
    elided = [e for e in entries if isinstance(e, sympy.Symbol) and not str(e)[:1].isalnum()]  # \cdots
    return bool(indexed) and all(str(e.base) == str(lhs) for e in indexed) and (
        len(indexed) + len(elided) == len(entries))


# -- intermediate names: u = 1 + e^{-x}, then d sigma / du ----------------------

def is_intermediate_definition(scope, name, body) -> bool:
    """A variable other than the post's own, given as an expression of it: a
    name for part of an expression (``u`` in ``d sigma / du``), defined like
    any name; a derivative with respect to it holds it fixed
    (``Meaning.differentiate``)."""
    variable = scope.default_variable
    return name != variable and isinstance(body, sympy.Expr) and variable in body.free_symbols


def is_intermediate(meaning, expr) -> bool:
    return isinstance(expr, sympy.Symbol) and expr in meaning.functions and meaning.functions[expr][0] is None


def written_through(meaning, scope, expr):
    """``\\sigma(u)`` with u an intermediate name: sigma as a function of
    the post's variable, written through u (the chain-rule reading); None
    for anything else."""
    if (isinstance(expr, AppliedUndef) and len(expr.args) == 1 and is_intermediate(meaning, expr.args[0])
            and expr.func in meaning.functions):
        return expr.func(scope.default_variable)
    return None


def body_through(meaning, scope, lhs, rhs):
    """After a proved ``\\sigma(x) = 1/u`` (u an intermediate name), sigma's
    definition written through u, (x, 1/u), so that d sigma / du is -1/u^2
    as a reader takes it; None when the claim is not of that form. Sound:
    the new body was just proved equal to the old one."""
    if not (isinstance(lhs, AppliedUndef) and lhs.func in meaning.functions and len(lhs.args) == 1):
        return None
    parameter = meaning.functions[lhs.func][0]
    if lhs.args[0] != parameter and lhs.args[0] != scope.default_variable:
        return None
    if rhs.has(lhs.func) or not any(is_intermediate(meaning, s) for s in rhs.free_symbols):
        return None
    return lhs.args[0], rhs


def prose_variable(scope, parameter, value, sentence: str):
    """The variable of a prose claim about a function of ``parameter``: that
    one, or the post's when the value is written in that; a vector of
    length D for 'vector inputs of length D'."""
    default = scope.default_variable
    symbols = value.free_symbols if isinstance(value, sympy.Basic) else set()
    variable = default if parameter not in symbols and default in symbols else parameter
    vector = VECTOR_INPUT.search(sentence)
    if vector:
        length = scope.dimensions.get(vector.group(1)) or sympy.Symbol(vector.group(1), integer=True, positive=True)
        variable = sympy.MatrixSymbol(str(variable), length, 1)
    return variable
