"""Names: letters, Greek letters, words, subscripts, primes, application.

How a name is read, in order:

1. The name itself: a letter; a run of adjacent letters that spells a
   function (``exp``, ``sin``, ``Softmax``) or a run of capitals read as one
   name (``NLL``, ``MSE``: ``acronyms``); ``\\sigma``; ``\\tanh``; the
   content of ``\\text{..}`` if it names a function, of ``\\mathrm{..}`` /
   ``\\operatorname{..}`` if it is a word; ``\\mathbf z``, ``\\vec z`` ...
   (same name as ``z``, but a matrix symbol wins); an accent makes a
   distinct name (``accents``): ``\\hat{y}``, ``\\hat y`` are ``y_hat`` (``\\bar`` ``x_bar``,
   ``\\tilde``, ``\\dot`` ... likewise), then read like any name, so
   ``\\hat{y}_i`` is ``y_hat[i]`` if ``y_hat`` is indexed, else ``y_hat_i``.
2. Primes and one subscript, in either order (``decorations``).
   ``g_{\\text{logistic}}``, ``g_{logistic}``, ``g_\\text{logistic}`` are the
   single name ``g_logistic`` when that name is a scope function.
3. Meaning, first match wins: a summation index being read; a matrix (for
   bold names); a scope function (exact name, then case-insensitively for
   names longer than one letter); an indexed vector if subscripted; a scope
   variable, matrix, index, dimension; ``e``/``\\pi`` (E, pi); a builtin
   function; otherwise an unknown name: ``Symbol(name, real=True)``
   (``integer=True`` inside subscripts and sum limits).

Then the meaning takes what follows it: arguments, primes and powers of
functions (``functions``), indices of indexed vectors, nothing for values. A
prime on a name that is no function (``e_i'``) makes it one name (``opaque``).

Unknown name followed by ``(``: ``f(x)`` where the parenthesis holds just a scope variable (or the
default variable) is an error, because the author surely meant a function that was never declared;
anything else (``a(1 - a)``) is a product; ``\\text{ReLU}(x)`` is an undeclared function too, not prose.
``\\delta_{ik}`` (delta unbound) is ``KroneckerDelta(i, k)``; a styled 1 (``\\mathbb{1}``): ``indicator``.
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from . import indicator, labels, matrix_words, tensor
from .accents import read_accented
from .acronyms import is_acronym
from .decorations import join_subscript, read_decorations
from .entries import bare_entry
from .functions import (call_arguments, derivative_operator, finish_builtin, finish_function,
                        is_derivative_operator, trial_arguments, word_function)
from .newton_dot import rate_of_function
from .opaque import primed_name
from .own_values import entry_times
from .tokens import Token
from .vocabulary import (ACCENT_COMMANDS, BUILTIN_FUNCTIONS, CONSTANTS, GREEK, NAME_COMMANDS,
                         STYLE_COMMANDS, WORD, Occurrence, lookup_function, subscript_text, undeclared)
from .grammar import Grammar
from .subscripts import finish_indexed, read_indices


__all__ = ["ACCENT_COMMANDS", "GREEK", "NAME_COMMANDS", "STYLE_COMMANDS", "parse_name_factor", "starts_name",
           "is_annotation", "annotation_text", "is_braced_name", "reject_prose_call", "continues_argument"]


def names_function(p: Grammar, word: str) -> bool:
    return word in BUILTIN_FUNCTIONS or lookup_function(p.scope, word) is not None


def is_annotation(p: Grammar, token: Token) -> bool:
    """``\\text{(by chain rule)}``: prose, not part of the math."""
    content = token.value.strip()
    if content in matrix_words.EXPECTATION_WORDS:
        return False  # ``\text{E}[x]`` is an expectation, never words beside x
    if token.kind == "text":
        return not (WORD.fullmatch(content) and (names_function(p, content) or is_acronym(content)))
    return token.kind == "roman" and not WORD.fullmatch(content)


def annotation_text(token: Token) -> str:
    return token.value.strip()


# Words that join sentences: before a parenthesis they are prose (``\text{so} (2x)``).
PROSE_WORDS = frozenset("""and or so thus hence then since where if for when with by as is are
let because therefore gives get we see note i.e e.g using from""".split())


def reject_prose_call(p: Grammar, token: Token) -> None:
    """``\\text{ReLU}(x)``: a function the author forgot to declare; any
    other word in text before a parenthesis (``\\text{foo}(2x)``) is one
    too, never prose to drop before the math it applies to."""
    content = token.value.strip()
    if token.kind == "text" and WORD.fullmatch(content):
        reject_call_of_unknown(p, Occurrence(content, token))
        if p.at("op", "(") and content.lower() not in PROSE_WORDS:
            raise p.error(f"\\text{{{content}}}(...): {content} is not a known function", token)


def starts_name(p: Grammar, token: Token) -> bool:
    if token.kind == "letter":
        return True
    if token.kind in ("text", "roman"):
        return not is_annotation(p, token)
    return token.kind == "cmd" and token.value in NAME_COMMANDS | STYLE_COMMANDS | set(ACCENT_COMMANDS)


# -- step 1: the name itself --------------------------------------------------

def read_word(p: Grammar) -> str:
    """One letter, or a run of letters read as one name (see step 1)."""
    start, first = p.index_of(), p.next()
    run, index = [first], p.pos
    # A run longer than every function name names none: stop reading there,
    # so a long run of letters costs linear, not quadratic, time.
    longest = longest_function_name(p) + 1
    while (index < p.limits[-1] and len(run) < longest and p.tokens[index].kind == "letter"
           and p.tokens[index].offset == run[-1].end):
        run.append(p.tokens[index])
        index += 1
    word = "".join(token.value for token in run)
    if len(run) > 1 and names_function(p, word):
        p.pos, p.last_end = index, run[-1].end
        return word
    capitals = p.capital_names.get(start)
    if capitals is not None and not set(capitals) & (set(p.scope.matrices) | set(p.scope.variables)):
        p.pos, p.last_end = start + len(capitals), p.tokens[start + len(capitals) - 1].end
        return capitals
    if (len(run) > 3 and word[:-1] in GLUED_FUNCTIONS and is_variable(p, word[-1])
            and not glued_letter(p, index, run[-1])):
        # ``sinhx``: a function word glued to its one-letter argument, a variable
        p.pos, p.last_end = index - 1, run[-2].end
        return word[:-1]
    return first.value


def is_variable(p: Grammar, letter: str) -> bool:
    default = p.scope.default_variable
    return letter in p.scope.variables or (default is not None and str(default) == letter)


def glued_letter(p: Grammar, index: int, last: Token) -> bool:
    """Whether a letter touching ``last`` follows at ``index``."""
    return (index < p.limits[-1] and p.tokens[index].kind == "letter"
            and p.tokens[index].offset == last.end)


# Function words that may be glued to a one-letter argument (``sinhx``,
# ``logx``); max/min always take parentheses, and a run that goes on
# (``signal``) is no glued argument.
GLUED_FUNCTIONS = frozenset(BUILTIN_FUNCTIONS) - {"max", "min", "abs"}


def longest_function_name(p: Grammar) -> int:
    return max(map(len, (*BUILTIN_FUNCTIONS, *p.scope.functions)))


def read_styled(p: Grammar, command: Token) -> Occurrence:
    """``\\mathbf z``, ``\\mathbf{z}``, ``\\vec{1}``: one name (or the digit 1);
    ``\\mathbf{db}``: a run of letters is one name."""
    span = p.take_span(f"\\{command.value}")
    inner = p.tokens[span.start:span.end]
    if len(inner) > 1 and all(token.kind == "letter" for token in inner):
        # \mathbf{db}, \mathbf{do}: a bold run of letters is one name, as code names a gradient
        return Occurrence("".join(token.value for token in inner), command, styled=True)
    if len(inner) != 1 or not (starts_name(p, inner[0]) or inner[0].value == "1"):
        raise p.error(f"\\{command.value} expects a single name, as in \\{command.value}{{z}}", command)
    token = inner[0]
    name = token.value.strip() if token.kind in ("text", "roman") else token.value
    return Occurrence(name, command, styled=True)


def is_braced_name(p: Grammar) -> bool:
    """``{z}``: a group holding one name, as SymPy prints ``{z}_{j}``."""
    index = p.index_of()
    if not p.at("op", "{") or p.closing[index] != index + 2:
        return False
    inner = p.tokens[index + 1]
    return inner.value in GREEK if inner.kind == "cmd" else starts_name(p, inner)


def read_name(p: Grammar) -> Occurrence:
    token = p.peek()
    if token.kind == "letter":
        return Occurrence(read_word(p), token)
    if token.kind == "op":
        span = p.take_span("group")
        return replace(read_name_token(p.tokens[span.start]), token=token)
    p.next()
    if token.kind == "cmd" and token.value in STYLE_COMMANDS:
        return read_styled(p, token)
    if token.kind == "cmd" and token.value in ACCENT_COMMANDS:
        return read_accented(p, token)
    return read_name_token(token)


def read_name_token(token: Token) -> Occurrence:
    if token.kind in ("text", "roman"):
        word = token.value.strip()
        return Occurrence(word, token, word=token.kind == "roman" and len(word) > 1)
    return Occurrence(token.value, token)


def continues_argument(p: Grammar) -> bool:
    """Whether the token at the cursor is one more factor of the argument
    of ``\\sin 2x``: a name that is not a function (``x``, ``\\pi``,
    ``\\hat{y}``), nor Euler's e; see ``functions.implicit_argument``."""
    token = p.peek()
    if token.kind == "cmd" and token.value in GREEK:
        return resolve(p, Occurrence(token.value, token))[0] in ("value", "undeclared")
    if token.kind == "cmd" and token.value in STYLE_COMMANDS | set(ACCENT_COMMANDS):
        return True
    if token.kind != "letter":
        return False
    mark = p.mark()
    word = read_word(p)
    p.reset(mark)
    if word == "e" and not p.scope.binds("e"):
        return False  # ``\sin x e^{x}``: e^{x} is a function of its own
    return resolve(p, Occurrence(word, token))[0] in ("value", "undeclared")


# -- step 3: meaning ----------------------------------------------------------

def resolve(p: Grammar, occurrence: Occurrence) -> tuple[str, object]:
    name, scope = occurrence.name, p.scope
    if name in p.locals:
        return "value", p.locals[name]
    if occurrence.styled and name in scope.matrices:
        return "value", scope.matrices[name]
    function = lookup_function(scope, name)
    if function is not None:
        return "function", function
    if name in scope.indexed and occurrence.subscript is not None:
        return "indexed", scope.indexed[name]
    for table in (scope.variables, scope.matrices, scope.indices, scope.dimensions, scope.indexed):
        if name in table:
            return "value", table[name]
    if name in CONSTANTS:
        return "value", CONSTANTS[name]
    if name in BUILTIN_FUNCTIONS:
        return "builtin", BUILTIN_FUNCTIONS[name]
    if implicit_function(p, name):
        return "function", sympy.Function(name)
    if (p.index_mode or name in p.limit_letters) and len(name) == 1:  # n of \frac{1}{n}\sum^{n}: one n
        return "undeclared", sympy.Symbol(name, integer=True)
    return "undeclared", sympy.Symbol(name, real=True)


def implicit_function(p: Grammar, name: str) -> bool:
    """``u'`` with u declared nowhere: in the whole display u is an unknown
    function of the default variable, u for u(x) (a rule stated for all
    functions, as the quotient rule; an unknown function is never refuted)."""
    default = p.scope.default_variable
    return (name in p.primed_letters and not p.index_mode and default is not None
            and str(default) != name)


def parse_name_factor(p: Grammar, wrt: bool = False) -> sympy.Basic:
    """A name with everything attached to it (see the module docstring)."""
    occurrence = read_decorations(p, replace(read_name(p), wrt=wrt))
    if occurrence.primes and occurrence.subscript is None and occurrence.shown in p.locals:
        return p.locals[occurrence.shown]  # j' of \sum_{j'}: the index it binds
    matrix_words.reject_expectation(p, occurrence)
    if matrix_words.is_matrix_word(occurrence) and occurrence.subscript is None and not occurrence.primes:
        return matrix_words.apply_matrix_word(p, occurrence)  # before any function the post implies
    if occurrence.name == "1" and occurrence.styled:
        return indicator.ones_or_indicator(p, occurrence)
    if occurrence.label_index is not None:
        return labels.sample(p, occurrence)
    occurrence = join_subscript(p, occurrence)
    rate = rate_of_function(p, occurrence, lambda name: resolve(p, replace(occurrence, name=name))[1])
    if rate is not None:
        return rate  # \dot{FL}(p) beside \dot p: FL'(p) p_dot (see newton_dot)
    kind, meaning = resolve(p, occurrence)
    if kind == "function" and (entry := entry_times(p, occurrence)) is not None:
        return entry  # \sigma_i(\delta_{ij} - \sigma_j): a value times the parenthesis (see own_values)
    if occurrence.styled and kind in ("value", "undeclared") and not matrix_words.is_matrix(meaning):
        p.vectors_as_numbers.append(occurrence.name)  # see model.Display.vectors_as_numbers
    if is_derivative_operator(p, occurrence, kind):
        return derivative_operator(p, occurrence)
    if occurrence.primes and kind in ("value", "undeclared", "indexed"):
        return primed_name(p, occurrence, meaning)  # e_i', g' with g a vector: one name (see opaque)
    return FINISHERS[kind](p, occurrence, meaning)


def finish_value(p: Grammar, occurrence: Occurrence, value: sympy.Basic) -> sympy.Basic:
    if occurrence.primes:
        raise undeclared(p, occurrence, occurrence.shown)
    if occurrence.subscript is not None:
        return subscripted(p, occurrence)
    if isinstance(value, sympy.IndexedBase) and not (occurrence.styled or occurrence.wrt):
        return bare_entry(p, occurrence.name, value) or value  # y for y_i: see entries
    return value


def finish_undeclared(p: Grammar, occurrence: Occurrence, value: sympy.Basic) -> sympy.Basic:
    """A word applied to arguments, or a name applied to two or more
    (``\\mathcal{L}(a, y)``: a name times a list means nothing, so it is a
    function); otherwise the name is a value."""
    if occurrence.word and occurrence.subscript is not None and p.at("op", "("):
        raise p.error(f"{p.source(occurrence.token)} with a subscript, applied: which entry or axis "
                      "the subscript names is not read (softmax_j(z))", occurrence.token)
    if occurrence.subscript is None and not occurrence.primes:
        with p.mode(whole_vectors=True):
            arguments = trial_arguments(p) if not occurrence.word else call_arguments(p)
        if arguments is not None and (occurrence.word or len(arguments) > 1):
            return word_function(p, occurrence, arguments)
    value = finish_value(p, occurrence, value)
    if not occurrence.wrt:
        reject_call_of_unknown(p, occurrence)
    return value


def reject_call_of_unknown(p: Grammar, occurrence: Occurrence) -> None:
    """``f(x)`` with f undeclared: surely a function, so say so."""
    opener, inner, closer = p.peek(), p.peek(1), p.peek(2)
    if not (opener.kind == "op" and opener.value == "(" and closer.kind == "op" and closer.value == ")"):
        return
    if inner.kind not in ("letter", "cmd"):
        return
    default = p.scope.default_variable
    if inner.value in p.scope.variables or (default is not None and str(default) == inner.value):
        shown = p.text[occurrence.token.offset:closer.end]
        raise undeclared(p, occurrence, shown)


def subscripted(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    """``x_0`` is the name ``x_0``; ``I_D`` the identity when D is a dimension."""
    text = subscript_text(p, occurrence.subscript)
    if occurrence.name == "I" and text in p.scope.dimensions:
        return sympy.Identity(p.scope.dimensions[text])
    if occurrence.name == "delta" and (not p.scope.binds("delta") or _scalar_delta_with_two(p, occurrence)):
        return kronecker_delta(p, occurrence)
    if names_bound_index(p, occurrence.subscript):
        # ``\sum_{j=1}^{n} a_j``: a_j varies with j, it is not one name a_j
        indices = read_indices(p, occurrence.subscript)
        return p.build(sympy.Indexed, sympy.IndexedBase(occurrence.name, real=True), *indices,
                       at=occurrence.token)
    if text is None:
        raise p.error(f"cannot subscript {occurrence.name} with an expression: "
                      f"declare {occurrence.name} as indexed", occurrence.token)
    return sympy.Symbol(f"{occurrence.name}_{text}", real=True)


def names_bound_index(p: Grammar, span) -> bool:
    """Whether a subscript mentions the index of a sum being read."""
    tokens = p.tokens[span.start:span.end]
    return any(token.kind in ("letter", "cmd") and (token.value in p.locals or primed_local(p, tokens, k))
               for k, token in enumerate(tokens))


def primed_local(p: Grammar, tokens, k: int) -> bool:
    """``j'`` at ``tokens[k]``, a primed index a sum binds (``x_{j'}`` in ``\\sum_{j'}``)."""
    primes = 0
    while k + 1 + primes < len(tokens) and tokens[k + 1 + primes].kind == "op" and tokens[k + 1 + primes].value == "'":
        primes += 1
    return bool(primes) and tokens[k].value + "'" * primes in p.locals


def _scalar_delta_with_two(p: Grammar, occurrence: Occurrence) -> bool:
    """delta is a number (Huber's threshold): with two indices it is Kronecker's delta."""
    if "delta" not in p.scope.variables or "delta" in p.scope.indexed:
        return False
    tokens = [t for t in p.tokens[occurrence.subscript.start:occurrence.subscript.end] if t.value != ","]
    return len(tokens) == 2 and all(t.kind in ("letter", "digit") for t in tokens)


def kronecker_delta(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    """``\\delta_{ik}`` or ``\\delta_{i,k}``: KroneckerDelta of two indices."""
    span = occurrence.subscript
    tokens = [t for t in p.tokens[span.start:span.end] if not (t.kind == "op" and t.value == ",")]
    if len(tokens) == 1 and (mixed := tensor.mixed_delta(p, tokens[0], occurrence.token)) is not None:
        return mixed  # \\delta^j_m in tensor notation
    if len(tokens) != 2 or any(t.kind not in ("letter", "digit") for t in tokens):
        raise p.error("\\delta needs two indices, as in \\delta_{ik}", occurrence.token)
    with p.mode(index_mode=True):
        i, k = (sympy.Integer(int(t.value)) if t.kind == "digit"
                else resolve(p, Occurrence(t.value, t))[1] for t in tokens)
    return p.build(sympy.KroneckerDelta, i, k, at=occurrence.token)


FINISHERS = {
    "value": finish_value, "undeclared": finish_undeclared, "indexed": finish_indexed,
    "function": finish_function, "builtin": finish_builtin,
}

