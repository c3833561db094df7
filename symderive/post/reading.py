"""How a post's words and math are read: rule hints in prose, conditions,
stated assumptions, and the proof of one claim. Small functions used by the
checker (``check``); none of them keeps state.
"""

from __future__ import annotations

import re
from dataclasses import replace

import sympy
from sympy.core.function import AppliedUndef

from ..catalog import function_names, lookup
from ..errors import LatexSyntaxError
from ..evidence import Approximate, Refuted, Unknown
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


def known_activation(name: str):
    """The catalog entry a post's name means without defining it: scalar and
    without parameters (a post's Swish(x) = x sigma(x) fixes beta = 1, so a
    parametric entry is the post's to define)."""
    activation = lookup(name)
    if activation is None or activation.vector or activation.expr.free_symbols - {activation.variable}:
        return None
    return activation


_LETTER = re.compile(r"(?<![\\\w])([a-df-z])(?!\w)")  # a one-letter name, not e


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


# sigma applied to an entry of a vector (sigma(A_k), sigma(z_i)) or to a bold vector
_SIGMA_ON_ENTRY = re.compile(r"\\sigma\s*(?:\\left\s*)?\(\s*(?:[A-Za-z]\s*_|\\(?:mathbf|boldsymbol|vec)\b)")
_SIGMA_APPLIED = re.compile(r"\\sigma\s*(?:\\left\s*|\\big\w*\s*)?\(")
SOFTMAX_WORD = re.compile(r"soft[\s-]?max", re.I)


def ambiguous_names(post: str) -> set[str]:
    """Catalog names whose built-in meaning a post leaves in doubt: sigma in
    a post about softmax that applies it to a vector's entries may be the
    softmax (sigma(A_k) the k-th output), not the logistic function; sigma
    never applied to anything is a number (a standard deviation). Unless the
    post defines it, its claims stay unknown rather than read one way."""
    if SOFTMAX_WORD.search(post) and _SIGMA_ON_ENTRY.search(post):
        return {"sigma"}
    if "\\sigma" in post and not _SIGMA_APPLIED.search(post):
        return {"sigma"}  # sigma never applied (sigma^2 = 1/m sum (x_i - mu)^2): a standard deviation
    return set()


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


def prove_claim(meaning, lhs, rhs, condition, timeout, approximate, assumptions=None):
    """Evidence that lhs = rhs (or, for ``\\approx``, how closely) under condition."""
    a = assume(meaning.evaluate(lhs), assumptions)
    b = assume(meaning.evaluate(rhs), assumptions)
    if approximate:
        return approximation(a, b, condition)
    evidence = prove_equal(a, b, ProofContext(condition, timeout))
    undefined = sorted(set(meaning.undefined_derivatives(a)) | set(meaning.undefined_derivatives(b)))
    if isinstance(evidence, Unknown) and undefined:
        return Unknown(f"{', '.join(undefined)} not defined in the post, so its derivative is not known "
                       f"({evidence.reason})")
    return evidence


# Where an approximation is tried: near 0 first (Taylor polynomials), then
# further out (asymptotic forms such as sigma(x) ~ 1 for large x). It holds
# where it holds; it is refuted only when it holds at none of them.
APPROX_POINTS = ("1/10", "-1/10", "1/4", "-1/4", "1/2", "-1/2", "1", "-1", "2", "-2", "5", "-5", "10", "-10")
APPROX_DIGITS = 30


def _point_values(symbols, value: str) -> dict:
    """Every free symbol near ``value``: the k-th one at value * (1 + k/10),
    so that two of them are not the same number."""
    base = sympy.Rational(value)
    return {s: base * (1 + sympy.Rational(k, 10)) for k, s in enumerate(symbols)}


def _close(a, b) -> bool | None:
    try:
        left, right = complex(a.evalf(APPROX_DIGITS)), complex(b.evalf(APPROX_DIGITS))
    except (TypeError, ValueError):
        return None
    if not all(map(_finite, (left, right))):
        return None
    return abs(left - right) <= APPROX_TOLERANCE * max(1.0, abs(left))


def _finite(z: complex) -> bool:
    return abs(z.real) < float("inf") and abs(z.imag) < float("inf") and z == z


def approximation(a, b, condition) -> Approximate | Refuted | Unknown:
    """``a \\approx b``: the points of APPROX_POINTS (within the condition)
    where the two sides agree to APPROX_TOLERANCE, relative. Refuted when
    they agree at none of the points that could be evaluated."""
    if isinstance(a, sympy.MatrixBase) or isinstance(b, sympy.MatrixBase):
        return Unknown("an approximation between matrices is not checked")
    symbols = sorted((a.free_symbols | b.free_symbols) - {sympy.S.Pi}, key=str)
    held, missed = [], []
    for value in APPROX_POINTS:
        point = _point_values(symbols, value)
        if condition is not sympy.true and condition.xreplace(point) is not sympy.true:
            continue
        left, right = a.xreplace(point), b.xreplace(point)
        close = _close(left, right)
        if close is None:
            continue
        named = tuple((str(s), str(v)) for s, v in point.items())
        (held if close else missed).append((named, left, right))
    if held:
        return Approximate(APPROX_TOLERANCE, tuple(p for p, _, _ in held))
    if missed:
        named, left, right = missed[0]
        return Refuted(named, str(left.evalf(12)), str(right.evalf(12)),
                       f"no agreement within {APPROX_TOLERANCE:g} (relative) at any point tried")
    return Unknown("the approximation could not be evaluated at any point")


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


def find_assumptions(blocks, parse) -> tuple[dict, list[str]]:
    """Every stated sum of a post, read before its claims are checked, and
    those a cross-entropy implies: the values by canonical sum, and the
    LaTeX that states them (for import)."""
    found, texts = {}, []
    for block in blocks:
        if block.unclosed is not None:
            continue
        try:
            display = parse(block)
        except LatexSyntaxError:
            continue
        stated = assumption(display)
        if stated is not None:
            found[canonical_sum(stated[0])] = stated[1]
            texts.append(" ".join(block.text.split()))
        for total in target_sums(display):
            key = canonical_sum(total)
            if key not in found:
                found[key] = sympy.Integer(1)
                texts.append(_sum_latex(total))
    return found, texts


def target_sums(display) -> list:
    r"""``\sum_k y_k`` for each y weighing a logarithm in a sum of the display
    (``-\sum_k y_k \log p_k``): a cross-entropy's target is a distribution,
    so its entries sum to 1 (one-hot labels), which posts leave unsaid."""
    found = []
    for part in display.parts:
        expr = part.expr
        if not isinstance(expr, sympy.Expr) or not expr.has(sympy.Sum):
            continue
        for total in expr.atoms(sympy.Sum):
            if len(total.limits) != 1:
                continue
            index = total.limits[0][0]
            factors = sympy.Mul.make_args(total.function)
            if not any(isinstance(f, sympy.log) for f in factors):
                continue
            found += [sympy.Sum(f, total.limits[0]) for f in factors
                      if isinstance(f, sympy.Indexed) and f.indices == (index,)
                      and not any(isinstance(g, sympy.log) and g.has(f.base) for g in factors)]
    return found


def _sum_latex(total) -> str:
    index, low, high = total.limits[0]
    return f"\\sum_{{{index}={low}}}^{{{high}}} {total.function.base}_{{{index}}} = 1"


# "the derivative of g", "the gradient of $g_{\text{linear}}$": the function a
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


def _function_words() -> re.Pattern:
    names = {n.lower().replace("_", " ") for n in function_names() if not n.startswith("g_")}
    names |= set(BUILTIN_PROSE) | {"softmax", "log softmax", "leaky relu", "relu"}
    words = sorted((re.escape(n).replace("\\ ", r"[\s_-]*") for n in names), key=len, reverse=True)
    return re.compile(rf"(?<![A-Za-z])(?:{'|'.join(words)})(?![A-Za-z])", re.I)


FUNCTION_WORDS = _function_words()
CONCLUDES = re.compile(r"\b(?:we (?:get|have|obtain|find)|thus|therefore|hence|so|then|gives|becomes|yields)\b", re.I)
DEFINITION_WORDS = re.compile(r"\b(?:is|are|gives?) the definitions?\b", re.I)


def introduces_function(sentence: str) -> bool:
    """Prose that introduces the function of the display after it: it names
    one ("Tanh激活函数", "the Leaky ReLU function") or says "this is the
    definition". A name the section defined before (f for the sigmoid) is
    then defined again, as in a table of activations, not restated."""
    if CONCLUDES.search(sentence):
        return False
    return bool(FUNCTION_WORDS.search(sentence) or DEFINITION_WORDS.search(sentence))


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


def _is_matrix(expr) -> bool:
    return isinstance(expr, (sympy.MatrixBase, sympy.MatrixExpr))


def scalar_against_matrix(lhs, rhs) -> bool:
    """One side a matrix or vector, the other written as a scalar: a post
    rarely says which of its names are vectors (dL/dz for a vector z, A^O
    for the softmax's outputs), so the shapes say nothing against it."""
    return _is_matrix(lhs) != _is_matrix(rhs)


def names_data(lhs, rhs) -> bool:
    """``T = (0, 1)``, ``A^{O} = (0.5, 0.5)``, ``x_0^{(i)} = 1``: a name (maybe
    labelled, or one entry of a vector) given numbers: data the post states,
    not a step to derive."""
    name = (isinstance(lhs, (sympy.Symbol, sympy.IndexedBase))
            or isinstance(lhs, sympy.Pow) and all(isinstance(e, (sympy.Symbol, sympy.IndexedBase)) for e in lhs.args)
            or isinstance(lhs, sympy.Indexed) and any(i.is_number for i in lhs.indices))
    numbers = (rhs.is_number if isinstance(rhs, sympy.Expr) and not _is_matrix(rhs)
               else isinstance(rhs, sympy.MatrixBase) and all(e.is_number for e in rhs))
    return bool(name and numbers)


def entry_derivative(expr):
    """(a, x, i, j) for a derivative of one vector's entry in another's,
    ``\\partial a_i / \\partial x_j``; None for anything else."""
    if not isinstance(expr, sympy.Derivative) or len(expr.variable_count) != 1:
        return None
    top, (wrt, count) = expr.expr, expr.variable_count[0]
    if count != 1 or not all(isinstance(e, sympy.Indexed) and len(e.indices) == 1 for e in (top, wrt)):
        return None
    return top.base, wrt.base, top.indices[0], wrt.indices[0]


def off_diagonal(expr, rhs, diagonals: set):
    """``i \\neq j`` for a claim ``\\partial a_i / \\partial x_j = ...`` made after
    the section treated ``\\partial a_i / \\partial x_i``: the reader takes the
    second case as the other one (the author writes "and" between them).
    A right side with a Kronecker delta or cases covers both: no condition."""
    found = entry_derivative(expr)
    if found is None or (found[0], found[1]) not in diagonals:
        return None
    top, wrt, i, j = found
    if i == j or not (i.is_Symbol and j.is_Symbol) or not isinstance(rhs, sympy.Expr):
        return None
    if rhs.has(sympy.KroneckerDelta, sympy.Piecewise) or any("delta" in str(f.func) for f in rhs.atoms(AppliedUndef)):
        return None
    return sympy.Ne(i, j), f"{i} \\neq {j}"


def fitted_constants(lhs, rhs, fresh: set, variable):
    """``x(a + b x^2)`` written for a polynomial in x, with a and b names the
    post has not used before: the constants a reader reads off by matching
    coefficients, as {a: ..., b: ...}; None when the sides are not
    polynomials in the variable or no single set of values fits."""
    if not fresh or not all(isinstance(e, sympy.Expr) for e in (lhs, rhs)):
        return None
    difference = sympy.expand(lhs - rhs)
    if not difference.is_polynomial(variable) or difference.has(sympy.Function):
        return None
    coefficients = sympy.Poly(difference, variable).coeffs()
    unknowns = sorted(fresh, key=str)
    if not all(c.is_polynomial(*unknowns) and sympy.Poly(c, *unknowns).total_degree() <= 1 for c in coefficients):
        return None  # linear in the constants only: solved at once, never a search
    solutions = sympy.solve(coefficients, sorted(fresh, key=str), dict=True)
    if len(solutions) != 1 or set(solutions[0]) != fresh:
        return None
    values = solutions[0]
    return values if all(not v.free_symbols for v in values.values()) else None


def index_powers(scope, labelled: set, *sides) -> list[str]:
    """Powers whose exponent is an index letter of the post (``s^i``), or
    any power of a name the post raises to one (``s^2`` after ``s^i``),
    written as the post writes them: ambiguous, since posts write indices
    as superscripts too."""
    letters = {v for k, v in scope.indices.items() if k != "n"}
    found = []
    for side in sides:
        if isinstance(side, sympy.Basic):
            found += [f"{p.base}^{p.exp}" for p in side.atoms(sympy.Pow) if not p.base.is_number
                      and (p.exp in letters or p.base in labelled)]
    return found


def labelled_bases(scope, display) -> set:
    """The names a display raises to an index letter (``s^i``, ``y^i``)."""
    letters = {v for k, v in scope.indices.items() if k != "n"}
    return {p.base for part in display.parts if isinstance(part.expr, sympy.Basic)
            for p in part.expr.atoms(sympy.Pow) if p.exp in letters and p.base.is_Symbol}


def solved_for(name, lhs, rhs):
    """{name: value} when ``lhs = rhs`` is linear in ``name`` with a number
    as its coefficient; None otherwise."""
    difference = sympy.expand(lhs - rhs)
    if not difference.is_polynomial(name) or sympy.degree(difference, name) != 1:
        return None
    coefficient = difference.coeff(name, 1)
    if not coefficient.is_number or coefficient == 0:
        return None
    return {name: sympy.expand(-(difference - coefficient * name) / coefficient)}


def _names(expr) -> set[str]:
    found = {str(s) for s in expr.free_symbols}
    found |= {str(i.base) for i in expr.atoms(sympy.Indexed)}
    return found | {str(m) for m in expr.atoms(sympy.MatrixSymbol)}


def varies_through(meaning, named: dict, *sides):
    """(z, w) when a side differentiates in w an expression holding a
    variable z the post named as an expression of w (``z = w^T x + b``):
    the checker keeps z a variable, so that derivative would be read as if
    z did not vary; None otherwise."""
    for side in sides:
        if not isinstance(side, sympy.Basic) or not side.has(sympy.Derivative):
            continue
        for derivative in meaning.unfold(side).atoms(sympy.Derivative):
            wrt = set().union(*(_names(v) for v, _ in derivative.variable_count))
            for name, body in named.items():
                if derivative.expr.has(name) and isinstance(body, sympy.Basic) and _names(body) & wrt:
                    return str(name), ", ".join(sorted(_names(body) & wrt))
    return None


# the reasons of an unknown that rest on how the post reads a name (see Proving.prove)
READING_DOUBTS = ("may be an entry (an index written as a superscript)", "is written as an expression of",
                  "for one sample they are the same quantity")


def reading_doubt(evidence) -> str | None:
    """The reason of an unknown that rests on a reading of the post's names
    (a derivation file would read them one way and decide), else None."""
    reason = getattr(evidence, "reason", "") or ""
    return reason if any(phrase in reason for phrase in READING_DOUBTS) else None


def labelled_and_bare(meaning, *sides) -> dict:
    """Names the post defines bare (``\\hat{y} = \\sigma(z)``) of which a side
    writes the labelled form ``\\hat{y}^{(i)}`` (an entry of a vector named
    ``y_hat^()``): for one sample the two are one quantity, which the reading
    keeps apart. Each labelled entry with its bare name (the one-sample
    reading); empty when no side has one."""
    defined = {str(name): name for name in meaning.functions if isinstance(name, sympy.Symbol)}
    found = {}
    for side in sides:
        if isinstance(side, sympy.Basic):
            for entry in side.atoms(sympy.Indexed):
                name = str(entry.base).split("^", 1)[0]
                if "^" in str(entry.base) and name in defined:
                    found[entry] = defined[name]
    return found


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
