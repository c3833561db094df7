"""Classes of post notation the prover reads as the author means them
(issue 14 corpus misses): each class has true steps that must be proved and
wrong variants that must be refuted, never proved.

Which steps are true is settled here by SymPy (``sympy.diff`` of formulas
written in this file, compared at random points), never by the tool.
"""

from __future__ import annotations

import random

import pytest
import sympy

from symderive.post.aliases import aliases, through_aliases
from symderive.post.check import check_post, check_post_with_state
from symderive.post.classify import abstracted
from symderive.post.extract import find_blocks
from symderive.post.names import applied_to_several, infer_scope
from symderive.post.reading import own_variable

A, Y, Z = sympy.symbols("A Y Z", real=True)
w1, w2, x1, x2, b = sympy.symbols("w1 w2 x1 x2 b", real=True)
BCE = -Y * sympy.log(A) - (1 - Y) * sympy.log(1 - A)
SIGMOID = 1 / (1 + sympy.exp(-Z))


def holds(lhs, rhs, symbols, trials=6) -> bool:
    """Whether lhs = rhs at random points (30 digits): the oracle."""
    rng = random.Random(1414)
    for _ in range(trials):
        point = {s: sympy.Rational(rng.randint(1, 29), 31) for s in symbols}  # in (0, 1): logs defined
        if abs(sympy.N((lhs - rhs).xreplace(point), 30)) > 1e-20:
            return False
    return True


def verdict_at(post: str, line: int) -> str:
    """The verdict of the claim on ``line`` (the one relation written there)."""
    report = check_post(post, "prover_posts.md", timeout=10)
    found = [s for s in report.relations if s.line == line]
    assert len(found) == 1, [(s.line, s.kind) for s in report.relations]
    return str(found[0].verdict.value) if found[0].verdict is not None else found[0].kind


def expect(post: str, line: int, true: bool) -> None:
    verdict = verdict_at(post, line)
    assert verdict == ("proved" if true else "refuted"), (line, verdict)


# -- a derivative in a name that renames another (a = y-hat, L written in y-hat) --------------------

ALIAS = """# Alias

$$\\mathcal{{L}}(\\hat{{y}}, y) = -\\big(y\\log\\hat{{y}} + (1-y)\\log(1-\\hat{{y}})\\big)$$

$$\\hat{{y}} = \\sigma(z)$$

$$a = \\hat{{y}}$$

$${lhs} = {rhs}$$
"""

# (LaTeX of the right side, the same right side in SymPy with a = A, y = Y)
IN_A = [
    ("-\\frac{y}{a} + \\frac{1-y}{1-a}", -Y / A + (1 - Y) / (1 - A)),
    ("\\frac{a - y}{a(1-a)}", (A - Y) / (A * (1 - A))),
    ("\\frac{y}{a} + \\frac{1-y}{1-a}", Y / A + (1 - Y) / (1 - A)),
    ("-\\frac{y}{a} - \\frac{1-y}{1-a}", -Y / A - (1 - Y) / (1 - A)),
    ("0", sympy.Integer(0)),
]


@pytest.mark.parametrize("rhs_latex, rhs", IN_A, ids=[latex for latex, _ in IN_A])
def test_a_derivative_in_a_name_that_renames_another_is_the_derivative_in_it(rhs_latex, rhs):
    true = holds(sympy.diff(BCE, A), rhs, (A, Y))
    lhs = "\\frac{\\partial \\mathcal{L}}{\\partial a}"
    expect(ALIAS.format(lhs=lhs, rhs=rhs_latex), 9, true)


IN_Z = [
    ("a - y", A - Y),
    ("\\hat{y} - y", A - Y),
    ("\\big( -\\frac{y}{a} + \\frac{1-y}{1-a} \\big) a(1-a)", (-Y / A + (1 - Y) / (1 - A)) * A * (1 - A)),
    ("y - a", Y - A),
    ("a(1 - a)", A * (1 - A)),
]


@pytest.mark.parametrize("rhs_latex, rhs", IN_Z, ids=[latex for latex, _ in IN_Z])
def test_a_bare_function_of_several_arguments_stands_for_its_first_application(rhs_latex, rhs):
    # \mathcal{L}(\hat{y}, y) = ..., then \partial \mathcal{L} / \partial z: L(y-hat, y), through y-hat = sigma(z)
    oracle = sympy.diff(BCE.subs(A, SIGMOID), Z)
    true = holds(oracle, rhs.subs(A, SIGMOID), (Z, Y))
    lhs = "\\frac{\\partial \\mathcal{L}}{\\partial z}"
    expect(ALIAS.format(lhs=lhs, rhs=rhs_latex), 9, true)


def test_a_letter_font_applied_to_several_arguments_is_a_function_of_them():
    assert applied_to_several("\\mathcal{L}(\\hat{y}, y) = 0") == [("L_cal", "\\hat{y}, y")]
    scope = infer_scope(["\\mathcal{L}(\\hat{y}, y) = -y \\log \\hat{y}", "\\frac{\\partial \\mathcal{L}}{\\partial z}"])
    assert [str(a) for a in scope.signatures["L_cal"]] == ["y_hat", "y"]


def test_aliases_follow_definitions_that_are_one_name_each():
    checker = check_post_with_state(ALIAS.format(lhs="a", rhs="a"), "aliases.md")[1]
    meaning = checker.meaning
    a = next(f for f in meaning.functions if str(f) == "a")
    applied = a(checker.scope.default_variable)
    found = {str(k) for k in aliases(meaning, applied)}
    assert found == {"y_hat", "sigma(z)"}
    # no derivative, nothing rewritten; a derivative in another name, nothing either
    assert through_aliases(meaning, applied) is applied
    plain = sympy.Derivative(applied, checker.scope.default_variable)
    assert through_aliases(meaning, plain) == plain


# -- a variable the post names as an expression, differentiated through -----------------------------

NAMED = """# Named

$$a = \\sigma(z)$$

$$L(a, y) = -\\big(y\\log a + (1-y)\\log(1 - a)\\big)$$

Assuming a simple formula for z of the form

$$z = w_1 x_1 + w_2 x_2 + b$$

$$\\frac{{\\partial L}}{{\\partial {wrt}}} = {rhs}$$
"""

IN_WEIGHTS = [
    ("w_1", w1, "(a - y) x_1", (A - Y) * x1),
    ("w_1", w1, "(a - y) x_2", (A - Y) * x2),
    ("w_2", w2, "(a - y) x_2", (A - Y) * x2),
    ("w_2", w2, "(y - a) x_2", (Y - A) * x2),
    ("b", b, "a - y", A - Y),
    ("b", b, "(a - y) b", (A - Y) * b),
]


@pytest.mark.parametrize("wrt_latex, wrt, rhs_latex, rhs", IN_WEIGHTS,
                         ids=[f"{w}={r}" for w, _, r, _ in IN_WEIGHTS])
def test_a_named_variable_is_its_expression_in_a_derivative_through_it(wrt_latex, wrt, rhs_latex, rhs):
    z = w1 * x1 + w2 * x2 + b
    oracle = sympy.diff(BCE.subs(A, SIGMOID.subs(Z, z)), wrt)
    true = holds(oracle, rhs.subs(A, SIGMOID.subs(Z, z)), (w1, w2, x1, x2, b, Y))
    post = NAMED.format(wrt=wrt_latex, rhs=rhs_latex)
    expect(post, 11, true)


def test_a_variable_named_with_subscripted_letters_stays_the_post_variable():
    # z = w_1 x_1 + w_2 x_2 + b names z from several letters: z stays the variable (not b)
    texts = ["\\sigma(z) = \\frac{1}{1 + e^{-z}}", "z = w_1 x_1 + w_2 x_2 + b", "\\frac{d \\sigma}{d z}"]
    assert str(own_variable(infer_scope(texts), texts).default_variable) == "z"
    texts = ["u = 1 + e^{-x}", "\\frac{d u}{d u}", "\\frac{d u}{d u}", "\\frac{d u}{d x}"]
    assert str(own_variable(infer_scope(texts), texts).default_variable) == "x"


# -- a function of several arguments defined at expressions ------------------------------------------

COST = """# Cost

$$h_{\\theta}(x) = \\frac{1}{1 + e^{-\\theta x}}$$

$$\\text{Cost}(h_{\\theta}(x^{(i)}), y^{(i)}) = -y^{(i)} \\log( h_{\\theta}(x^{(i)}) ) - (1-y^{(i)}) \\log(1-h_{\\theta}(x^{(i)}))$$

$$J(\\theta) = \\frac{1}{m} \\sum_{i=1}^{m} \\text{Cost}(h_{\\theta}(x^{(i)}), y^{(i)})$$

$$J(\\theta) = RHS$$
"""

H = sympy.Symbol("H", real=True)
IN_SUMMANDS = [  # (LaTeX of the right side, its summand over i as a function of h = H, y = Y)
    ("-\\frac{1}{m} \\sum_{i=1}^{m} \\left( y^{(i)} \\log (h_{\\theta}(x^{(i)})) + (1-y^{(i)}) \\log (1 - h_{\\theta}(x^{(i)})) \\right)",
     -(Y * sympy.log(H) + (1 - Y) * sympy.log(1 - H))),
    ("\\frac{1}{m} \\sum_{i=1}^{m} \\left( y^{(i)} \\log (h_{\\theta}(x^{(i)})) + (1-y^{(i)}) \\log (1 - h_{\\theta}(x^{(i)})) \\right)",
     Y * sympy.log(H) + (1 - Y) * sympy.log(1 - H)),
    ("-\\frac{1}{m} \\sum_{i=1}^{m} \\left( y^{(i)} \\log (h_{\\theta}(x^{(i)})) + y^{(i)} \\log (1 - h_{\\theta}(x^{(i)})) \\right)",
     -(Y * sympy.log(H) + Y * sympy.log(1 - H))),
]


@pytest.mark.parametrize("rhs_latex, summand", IN_SUMMANDS, ids=["true", "sign", "label"])
def test_a_function_defined_at_expressions_is_a_function_of_those_places(rhs_latex, summand):
    cost = -Y * sympy.log(H) - (1 - Y) * sympy.log(1 - H)  # Cost(h, y) as the post writes it
    true = holds(cost, summand, (H, Y))
    expect(COST.replace("RHS", rhs_latex), 9, true)


def test_an_argument_written_outside_its_place_is_no_parameter():
    x, y = sympy.symbols("x y", real=True)
    f, g = sympy.Function("F"), sympy.Function("g")
    assert abstracted(f(g(x), y), -y * sympy.log(g(x)))
    assert not abstracted(f(g(x), y), x * y)  # x outside g(x): F(g(x), y) says nothing of F(p, q)
    assert not abstracted(f(g(x), x), g(x) + x)  # the arguments overlap
    assert not abstracted(f(g(x), sympy.Integer(1)), g(x))  # a number is no place of a parameter


# -- a name written with one index and with two ------------------------------------------------------

MIXED = """# Mixed

$$\\mu = \\frac{1}{m}\\sum_{i=1}^m x_{ij}$$

$$\\hat{x}_i = x_i - \\mu$$

$$\\frac{\\partial \\hat{x}_i}{\\partial x_i} = 1 - \\frac{1}{m}$$
"""


def test_a_vector_and_a_matrix_under_one_letter_leave_the_derivative_unknown_with_its_reason():
    report = check_post(MIXED, "mixed.md", timeout=10)
    step = next(s for s in report.relations if s.line == 7)
    assert str(step.verdict.value) == "unknown"
    assert "different numbers of indices" in step.evidence.reason
    assert "internal error" not in step.evidence.reason


def test_every_block_of_the_tests_is_read():
    for post in (ALIAS.format(lhs="a", rhs="a"), COST, MIXED):
        assert all(block.unclosed is None for block in find_blocks(post, "t.md"))

