"""Fuzzing the front ends: the LaTeX parser, the derivation-file loader and
the post reader, with random text and mutations of real inputs (derivations/,
tests/corpus/, the seeds).

Property: reading ends in a result or in a SymderiveError whose message
starts with file:line:column; never another exception, never a hang (each
example runs under a wall-clock limit, EXAMPLE_SECONDS).

Profiles (registered in conftest.py): "fast" by default; ``SYMDERIVE_FUZZ=extended``
runs at least 10,000 examples per front end. Crashes found are pinned below
as ``@example``s.
"""

from __future__ import annotations

import re
import signal
import tomllib
from contextlib import contextmanager
from pathlib import Path

import pytest
import sympy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import FUZZ_EXAMPLES, FUZZ_PROFILE
from symderive.derivation import loads
from symderive.errors import Origin, SymderiveError
from symderive.latex import Scope, parse_display, parse_expression
from symderive.derivation_meaning import meaning_of, parse_condition
from symderive.post.check import check_post
from symderive.post.extract import find_blocks
from symderive.post.names import infer_scope

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_SECONDS = 20.0  # a hang, not a slow example: reading takes milliseconds
CHECK_TIMEOUT = 0.5  # proof time limit when a fuzzed post is checked
LOCATED = re.compile(r"^[^\n:]+:\d+:\d+: ")

PROFILE = settings.get_profile(FUZZ_PROFILE if FUZZ_PROFILE in FUZZ_EXAMPLES else "fast")
EXAMPLES = FUZZ_EXAMPLES.get(FUZZ_PROFILE, FUZZ_EXAMPLES["fast"])


def fuzz_settings(share: float = 1.0):
    """The profile, with ``share`` of its examples (several tests split one front end)."""
    return settings(PROFILE, max_examples=max(1, int(EXAMPLES * share)))


# -- real inputs --------------------------------------------------------------

def _derivation_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "derivations").glob("*.toml"))]


def _post_texts() -> list[str]:
    posts = sorted((ROOT / "tests" / "corpus").glob("*.md"))
    posts += sorted((ROOT / "examples" / "posts").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in posts]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _latex_snippets() -> list[str]:
    snippets = [s for text in _derivation_texts() for s in _strings(tomllib.loads(text))]
    snippets += [block.text for text in _post_texts() for block in find_blocks(text)]
    return sorted(set(snippets))


DERIVATIONS = _derivation_texts()
POSTS = _post_texts()
SNIPPETS = _latex_snippets()

# -- strategies -----------------------------------------------------------------

LATEX_TOKENS = [
    "x", "z", "i", "k", "j", "n", "u", "e", "1", "0", "2", "9", " ", "\n", "+", "-", "*", "/", "^", "_",
    "'", "!", "=", "<", ">", ",", ".", "|", "&", "(", ")", "[", "]", "{", "}", "\\{", "\\}", "\\\\",
    "\\frac", "\\dfrac", "\\over", "\\cdot", "\\times", "\\sum", "\\prod", "\\partial", "\\sqrt",
    "\\left", "\\right", "\\left(", "\\right)", "\\left.", "\\big", "\\sigma", "\\tanh", "\\exp",
    "\\ln", "\\log", "\\max", "\\min", "\\delta", "\\infty", "\\mathrm{d}", "\\mathrm{e}", "\\text{",
    "\\text{for }", "\\text{ReLU}", "\\operatorname{softmax}", "\\mathbf", "\\vec", "\\hat", "\\bar",
    "\\begin{cases}", "\\end{cases}", "\\begin{aligned}", "\\end{aligned}", "\\begin{bmatrix}",
    "\\end{bmatrix}", "\\underbrace", "\\overbrace", "\\boxed", "\\not", "\\neq", "\\leq", "\\geq",
    "\\approx", "\\Rightarrow", "\\quad", "\\,", "\\;", "\\!", "~", "%", "\\tag{1}", "\\label{a}",
    "\\dots", "\\cdots", "...", "\u2212", "\u2019", "\u03c3", "\u2026", "\\color{red}", "\\foo", "\\",
    "\\frac{d}{dx}", "\\frac{\\partial}{\\partial z_k}", "d", "dx", "\\sin^{-1}", "\\tanh^2", "10^{",
    "\\alpha", "\\beta", "\\lambda", "\\mathrm{erf}", "\\sgn", "\\begin{array}{rcl}", "\\end{array}",
    # the notation of issue 14: labels, dots matrices, determinants, Jacobians, prose conditions
    "^{(i)}", "^{(L+1)}", "^{[l]}", "\\vdots", "\\ddots", "\\begin{vmatrix}", "\\end{vmatrix}",
    "\\begin{bmatrix*}[r]", "\\end{bmatrix*}", "\\left[\\begin{array}{cc}", "\\end{array}\\right]",
    "\\left|\\begin{array}{cc}", "\\left\\{\\begin{array}{ll}", "\\partial(", "\\text{if $x$ > 0}",
    "\\text{if x > 0}", "\\mathcal{L}", "\\theta_j", "w_{ij}", "\\sin 2x", "softmax(", "L(y, \\hat{y})",
    "\\delta", "z_1 & \\cdots & z_n",
    # cancel strokes, fraction arguments, primes, matrix and vector notation (issue 17)
    "\\cancel{", "\\bcancel", "\\cancelto{0}{", "\\sqrt\\frac", "e^\\frac", "u'", "(u/v)'", "\\partial^2",
    "\\|", "\\lVert", "\\rVert", "\\left\\|", "\\right\\|", "\\langle", "\\rangle", "\\nabla",
    "\\nabla_w", "\\odot", "\\otimes", "^T", "^\\top", "\\operatorname{tr}", "\\operatorname{diag}",
    "\\det", "\\mathbb{E}", "\\text{Var}", "\\text{foo}(", "\u2016", "\u2207",
]


@st.composite
def mutated(draw, sources: list[str], tokens: list[str]) -> str:
    """A real text with a few edits: delete, insert a token, duplicate,
    move or cut a slice."""
    text = draw(st.sampled_from(sources))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 60)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "move", "cut"]))
        if edit == "delete":
            text = text[:start] + text[end:]
        elif edit == "insert":
            text = text[:start] + draw(st.sampled_from(tokens)) + text[start:]
        elif edit == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        elif edit == "move":
            piece, rest = text[start:end], text[:start] + text[end:]
            at = draw(st.integers(0, len(rest)))
            text = rest[:at] + piece + rest[at:]
        else:
            text = text[:start]
    return text


def token_soup(tokens: list[str], most: int = 30):
    return st.lists(st.sampled_from(tokens), max_size=most).map("".join)


LATEX = st.one_of(
    mutated(SNIPPETS, LATEX_TOKENS),
    token_soup(LATEX_TOKENS),
    st.text(max_size=40),
)

# -- the property ----------------------------------------------------------------


class ExampleTooSlow(Exception):
    """An example ran past EXAMPLE_SECONDS: a hang."""


@contextmanager
def time_limit(seconds: float = EXAMPLE_SECONDS):
    """Wall-clock limit on one example (the tests run in the main thread)."""
    def expire(signum, frame):
        raise ExampleTooSlow(f"no result within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def located_or_fine(read, *args, file: str):
    """``read(*args)``: its result, or None after a SymderiveError that names
    ``file`` with a line and column; anything else fails the test."""
    with time_limit():
        try:
            return read(*args)
        except SymderiveError as error:
            assert error.origin is not None, f"no location: {error}"
            assert error.origin.file == file, str(error)
            assert error.origin.line >= 1 and error.origin.column >= 1, str(error)
            assert LOCATED.match(str(error)), str(error)
            return None


X = sympy.Symbol("x", real=True)
Z = sympy.IndexedBase("z", real=True)
SCOPE = Scope(variables={"x": X}, default_variable=X,
              functions={"sigma": sympy.Function("sigma"), "u": sympy.Function("u")},
              indexed={"z": Z, "S": sympy.IndexedBase("S", real=True)},
              indices={name: sympy.Symbol(name, integer=True) for name in "ijk"})


# -- 1. LaTeX ---------------------------------------------------------------------

@fuzz_settings(0.5)
@given(LATEX)
@example(r"x^{10^{100}}")
@example("1000000!")
@example(r"2^{2^{2^{100}}}")
@example("x" * 19_000)
@example(r"\frac{d^{99999999999999999999}}{dx} x")
def test_fuzz_parse_expression(text):
    located_or_fine(parse_expression, text, SCOPE, Origin("fuzz.toml", 4, 9), file="fuzz.toml")


@fuzz_settings(0.5)
@given(LATEX)
@example("a" + " = a" * 600)
def test_fuzz_parse_display(text):
    located_or_fine(parse_display, text, SCOPE, Origin("fuzz.md", 2, 3), file="fuzz.md")


# -- 2. derivation files ------------------------------------------------------------

TOML_TOKENS = LATEX_TOKENS + [
    "title = ", "source = ", "variable = ", "activation = ", "closed_form = ", "indexed = ",
    "indices = ", "matrix = ", "dimension = ", "[let]", "[[steps]]", "[[cases]]", "[[cases.steps]]",
    "[parameters]", "latex = ", "rule = ", "expect = ", "note = ", "condition = ", "'", '"', "'''",
    "\n", "= 1", "= [1, 2]", "= {}", "= true", "= 1979-05-27", "= ['chain', 3]", "a.b = 1",
    "alpha = 'positive'", "expect = 'refuted'", "rule = 'chain'", "[steps]", "[let.u]", "#",
    "\nindexed = 5\n", "\nindices = ['i', 2]\n", "\ncases = [1]\n", "\n[parameters]\na = [1]\n",
    "\nvariable = 'a b'\n", "\nmatrix = 3\n", "\n[let]\n'u v' = 'x'\n",
]
DERIVATION_TEXT = st.one_of(
    mutated(DERIVATIONS, TOML_TOKENS),
    token_soup(TOML_TOKENS, 40),
)


def read_derivation(text: str):
    """The loader and everything read before proving: definitions, steps,
    conditions and the closed form, parsed in the derivation's scope."""
    derivation = loads(text, "fuzz.toml")
    meaning = meaning_of(derivation)
    for step in derivation.all_steps():
        parse_display(step.latex, meaning.scope, step.origin)
    for case in derivation.cases:
        parse_condition(case.condition, meaning)
    if derivation.closed_form is not None:
        parse_expression(derivation.closed_form.latex, meaning.scope, derivation.closed_form.origin)
    return derivation


STEPS = '[[steps]]\nlatex = "x"\n'


# Crashes of the loader (found reading it with the payload tests), now errors:
@fuzz_settings()
@given(DERIVATION_TEXT)
@example('title = "t"\nindexed = 5\n' + STEPS)  # was a TypeError (tuple of an int)
@example("title = 't'\nindices = ['i', 2]\n" + STEPS)  # was a TypeError inside SymPy
@example("title = 't'\ncases = [1]\n" + STEPS)  # was an AttributeError
@example('title = "t"\n[parameters]\na = [1]\n' + STEPS)  # was a TypeError (unhashable list)
def test_fuzz_derivation_files(text):
    located_or_fine(read_derivation, text, file="fuzz.toml")


# -- 3. posts ---------------------------------------------------------------------------

POST_TOKENS = LATEX_TOKENS + [
    "$", "$$", "\\[", "\\]", "\\(", "\\)", "```math\n", "```\n", "~~~\n", "\\begin{align}",
    "\\end{align}", "\\begin{equation*}", "\\end{equation*}", "# Heading\n", "\n\n", "Let ",
    "where ", "by the chain rule", "for $i = k$", "\\section{A}", "2. Tanh\n",
]
POST_TEXT = st.one_of(mutated(POSTS, POST_TOKENS), token_soup(POST_TOKENS, 40), st.text(max_size=60))


def read_post(text: str):
    """What the checker reads before proving: blocks, names, every display."""
    blocks = find_blocks(text, "fuzz.md")
    scope = infer_scope([block.text for block in blocks])
    for block in blocks:
        located_or_fine(parse_display, block.text, scope, block.origin, file="fuzz.md")
    return blocks


@fuzz_settings()
@given(POST_TEXT)
def test_fuzz_post_reading(text):
    located_or_fine(read_post, text, file="fuzz.md")


@fuzz_settings(0.02)
@given(mutated(POSTS, POST_TOKENS))
def test_fuzz_post_check(text):
    """The whole checker, proofs under a small time limit, on few examples."""
    located_or_fine(check_post, text, "fuzz.md", CHECK_TIMEOUT, file="fuzz.md")


# -- 4. round trip: parse(sympy.latex(e)) is e ---------------------------------------------

RT_X, RT_Y, RT_A = (sympy.Symbol(name, real=True) for name in "xya")
RT_J = sympy.Symbol("j", integer=True)
RT_N = sympy.Symbol("n", integer=True, positive=True)
RT_SIGMA = sympy.Function("sigma")
RT_SCOPE = Scope(variables={"x": RT_X}, default_variable=RT_X, functions={"sigma": RT_SIGMA},
                 indexed={"z": Z}, indices={"j": RT_J, "n": RT_N})
RT_LEAVES = st.sampled_from([RT_X, RT_Y, RT_A, Z[RT_J], sympy.pi, sympy.E]) | st.integers(-9, 9).map(
    sympy.Integer) | st.tuples(st.integers(-9, 9), st.integers(1, 9)).map(lambda pq: sympy.Rational(*pq))
RT_UNARY = [sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tanh, sympy.sinh, sympy.Abs, sympy.sqrt,
            RT_SIGMA, sympy.asin, sympy.atan, sympy.erf]


def rt_compose(children):
    unary = st.builds(lambda f, e: f(e), st.sampled_from(RT_UNARY), children)
    binary = st.builds(lambda f, a, b: f(a, b), st.sampled_from([sympy.Add, sympy.Mul]), children, children)
    power = st.builds(lambda b, k: b**k, children, st.sampled_from([2, 3, -1, -2, sympy.Rational(1, 2)]))
    quotient = st.builds(lambda a, b: a / b, children, children)
    summed = st.builds(lambda e: sympy.Sum(e * Z[RT_J], (RT_J, 1, RT_N)), children)
    return unary | binary | power | quotient | summed


def rt_usable(e) -> bool:
    """A real, finite expression; SymPy's assumption system itself can fail
    on a generated one (1/0 deep in evalf), which then is not drawn."""
    if not isinstance(e, sympy.Expr) or e.has(sympy.zoo, sympy.nan, sympy.I):  # i is a name here
        return False
    if e.has(sympy.AccumBounds):  # atan(zoo) is an interval, printed <a, b>: not an expression to read
        return False
    try:
        return e.is_finite is not False
    except (ZeroDivisionError, ArithmeticError, RecursionError):
        return False


RT_EXPRESSIONS = st.recursive(RT_LEAVES, rt_compose, max_leaves=6).filter(rt_usable)


def same_expression(parsed: sympy.Basic, expected: sympy.Basic) -> bool:
    """Equal as trees, or equal at random points to 30 digits (the printer
    may write an equal expression another way: e^{x} for exp(x))."""
    if parsed == expected:
        return True
    difference = parsed - expected
    for value in (sympy.Rational(3, 7), sympy.Rational(-5, 3), sympy.Rational(11, 4)):
        scale = at_point(expected, value)
        if not (scale.is_number and scale.is_finite):
            continue  # ``2x / \sum_{j} 0``: no value to compare here
        number = at_point(difference, value)
        if not number.is_number or not number.is_finite or abs(number) > 1e-20:
            return False
    return True


def at_point(expr: sympy.Basic, value: sympy.Rational) -> sympy.Basic:
    """``expr`` to 30 digits with integer symbols at 3, then each element
    z[j] of a sum and each real symbol at its own value."""
    expr = expr.subs({s: 3 for s in expr.free_symbols if s.is_integer}).doit()
    expr = expr.subs(RT_SIGMA, sympy.Lambda(RT_X, 1 / (1 + sympy.exp(-RT_X))))
    elements = sorted(expr.atoms(sympy.Indexed), key=str)
    bases = {s for element in elements for s in element.base.free_symbols}
    reals = sorted((s for s in expr.free_symbols - bases if not isinstance(s, sympy.Indexed)), key=str)
    point = {atom: value + k for k, atom in enumerate([*reals, *elements])}
    return sympy.N(expr.xreplace(point), 30)


@fuzz_settings()
@given(RT_EXPRESSIONS)
@example(sympy.sin(2 * RT_X))  # was sin(2)*x before arguments ran over juxtaposed names
@example(RT_SIGMA(RT_X) * (1 - RT_SIGMA(RT_X)))
@example(sympy.Sum(Z[RT_J] * sympy.exp(Z[RT_J]), (RT_J, 1, RT_N)))
@example(3 * (RT_X + sympy.E) / sympy.Sum(RT_X * Z[RT_J], (RT_J, 1, RT_N)))  # the oracle gave z a number
def test_round_trip_through_sympy_latex(expression):
    """parse → sympy.latex → parse gives the same expression."""
    printed = sympy.latex(expression)
    with time_limit():
        parsed = parse_expression(printed, RT_SCOPE)
    assert same_expression(parsed, expression), (printed, parsed)
