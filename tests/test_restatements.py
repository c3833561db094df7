"""A name the post defined before, written again with a body, is a claim
against its earlier meaning (symderive/post/restatements.py): proved when
the bodies are equal, with the line it restates; one whose body differs is
a redefinition (a post may define a name again on purpose), never refuted
as a restatement and never proved. An instance (``\\delta^L`` of
``\\delta^l``) is proved with its index substituted.

The oracle decides equality on its own: SymPy expressions written here from
the mathematics, compared at random points and by sympy.diff, never the
tool's output.
"""

from __future__ import annotations

import random

import pytest
import sympy

from post_steps import steps_at

x, w, b, a, y = sympy.symbols("x w b a y", real=True)


def equal_everywhere(left, right, symbols, trials=20) -> bool:
    """The oracle: two expressions agree at random rational points."""
    generator = random.Random(7)
    for _ in range(trials):
        point = {s: sympy.Rational(generator.randint(-40, 40), generator.randint(1, 9)) for s in symbols}
        if sympy.simplify((left - right).subs(point)) != 0:
            return False
    return True


def only_at(post: str, line: int):
    found = steps_at(post, line)
    assert len(found) == 1, [(s.kind, s.lhs, s.rhs) for s in found]
    return found[0]


# -- a function restated in a later section -----------------------------------

FUNCTION = "## Model\n\n$$f(x) = x^2 + 2x$$\n\n## Again\n\n$$f(x) = {body}$$\n"
FUNCTION_BODIES = {
    "factored": ("x(x + 2)", x * (x + 2)),
    "completed square": ("(x + 1)^2 - 1", (x + 1) ** 2 - 1),
    "wrong factor": ("x(x + 3)", x * (x + 3)),
    "wrong square": ("(x + 1)^2", (x + 1) ** 2),
}


@pytest.mark.parametrize("case", FUNCTION_BODIES, ids=list(FUNCTION_BODIES))
def test_a_function_restated_later_is_proved_when_equal_and_a_redefinition_otherwise(case):
    latex, oracle = FUNCTION_BODIES[case]
    step = only_at(FUNCTION.replace("{body}", latex), 7)
    if equal_everywhere(x ** 2 + 2 * x, oracle, [x]):
        assert step.kind == "claim" and step.verdict == "proved"
        assert "restates the definition at line 3" in step.evidence.method
    else:
        assert step.kind == "definition"  # the post may define f again: never refuted as a restatement
        assert step.verdict != "proved"


def test_a_name_defined_once_stays_a_definition():
    post = "## Model\n\n$$f(x) = x^2 + 2x$$\n\n$$f'(x) = 2x + 2$$\n"
    assert only_at(post, 3).kind == "definition"
    assert only_at(post, 5).verdict == "proved"
    assert equal_everywhere(sympy.diff(x ** 2 + 2 * x, x), 2 * x + 2, [x])


def test_the_restated_definition_is_the_one_it_equals_across_a_redefinition():
    """MSE, then the MAE under the same name, then the MSE again with the
    model substituted: the restatement is of the first definition."""
    post = ("## MSE\n\n$$J(w,b) = (w x + b - y)^2$$\n\n## MAE\n\n$$J(w,b) = |w x + b - y|$$\n\n"
            "## Model\n\n$$\\hat{y} = w x + b$$\n\n$$J(w,b) = (\\hat{y} - y)^2$$\n\n$$J(w,b) = (\\hat{y} + y)^2$$\n")
    mse = (w * x + b - y) ** 2
    y_hat = w * x + b
    assert equal_everywhere(mse, (y_hat - y) ** 2, [w, x, b, y])
    step = only_at(post, 13)
    assert step.verdict == "proved" and "line 3" in step.evidence.method
    assert not equal_everywhere(mse, (y_hat + y) ** 2, [w, x, b, y])
    assert not equal_everywhere(abs(w * x + b - y), (y_hat + y) ** 2, [w, x, b, y])
    wrong = only_at(post, 15)
    assert wrong.verdict != "proved"


# -- a variable named as an expression, named again ------------------------------

NAMED = ("## Forward\n\n$$z = w x + b$$\n\n$$a = \\sigma(z)$$\n\n$$\\frac{da}{dz} = a(1 - a)$$\n\n"
         "## Backward\n\n$$z = {body}$$\n")


@pytest.mark.parametrize("latex, oracle", [("w x + b", w * x + b), ("b + x w", w * x + b), ("w x - b", w * x - b)],
                         ids=["same", "reordered", "wrong sign"])
def test_a_variable_named_again_is_proved_against_its_expression(latex, oracle):
    assert only_at(NAMED.replace("{body}", "w x + b"), 3).kind == "definition"
    step = only_at(NAMED.replace("{body}", latex), 11)
    if equal_everywhere(w * x + b, oracle, [w, x, b]):
        assert step.verdict == "proved" and "restates the definition at line 3" in step.evidence.method
    else:
        assert step.verdict != "proved" and step.verdict != "refuted"


# -- an instance of an indexed definition ----------------------------------------

LAYERS = ("## Forward\n\n$$z^l=W^la^{l-1}+b^l$$\n\n$$a^l=\\sigma (z^l)$$\n\n$$C=\\frac{1}{2}(a^L-y)^2$$\n\n"
          "The error of layer $l$ is $\\delta^l=\\frac{\\partial C}{\\partial z^l}$, and at the output layer\n\n"
          "$$\\delta^L={body}$$\n")


@pytest.mark.parametrize("latex, proved", [
    ("\\frac{\\partial C}{\\partial z^L}", True),  # l = L substituted
    ("\\frac{\\partial C}{\\partial z^l}", False),  # the index not substituted
    ("2\\frac{\\partial C}{\\partial z^L}", False),
])
def test_an_instance_is_proved_with_its_index_substituted(latex, proved):
    step = only_at(LAYERS.replace("{body}", latex), 11)
    if proved:
        assert step.verdict == "proved" and "at l = L" in step.evidence.method
    else:
        assert step.verdict != "proved"


def test_the_instance_oracle():
    """dC/dz^L with C = (sigma(z^L) - y)^2 / 2 is not zero and not twice itself:
    the instance is a real statement, not 0 = 0."""
    z = sympy.Symbol("z", real=True)
    derivative = sympy.diff((1 / (1 + sympy.exp(-z)) - y) ** 2 / 2, z)
    assert not equal_everywhere(derivative, 0 * z, [z, y])
    assert not equal_everywhere(derivative, 2 * derivative, [z, y])


ENTRIES = "## One\n\n$$y_i = x_i^2 + 1$$\n\n## Two\n\n$$y_k = {body}$$\n"


@pytest.mark.parametrize("latex, proved", [("x_k^2 + 1", True), ("1 + x_k x_k", True), ("x_i^2 + 1", False),
                                           ("x_k^2 + 2", False)])
def test_an_entry_at_another_index_letter_is_proved_with_it_substituted(latex, proved):
    step = only_at(ENTRIES.replace("{body}", latex), 7)
    if proved:
        assert step.verdict == "proved"
    else:
        assert step.verdict not in ("proved", "refuted")


# -- a new name for a catalog function in a chain --------------------------------

CATALOG = ("$$y = relu(x) = f(x) = \\begin{{cases}} {positive} & x > 0 \\\\ {negative} & x \\le 0 \\end{{cases}}$$\n")


@pytest.mark.parametrize("positive, negative", [("x", "0"), ("2x", "0"), ("x", "x")])
def test_a_catalog_function_named_in_a_chain_is_proved_against_the_catalog(positive, negative):
    steps = steps_at(CATALOG.format(positive=positive, negative=negative), 1)
    last = steps[-1]
    assert last.lhs == "f(x)"
    pieces = {"x": x, "2x": 2 * x, "0": sympy.Integer(0)}
    oracle = sympy.Piecewise((pieces[positive], x > 0), (pieces[negative], True))
    if equal_everywhere(sympy.Max(x, 0), oracle, [x]):
        assert last.verdict == "proved" and "relu" in last.evidence.method
    else:
        assert last.verdict not in ("proved", "refuted")


def test_a_function_the_post_defined_itself_is_not_read_as_the_catalogs():
    """ELU defined by the post as 2x (its own meaning): the chain's f(x) =
    cases is then no restatement of the catalog's ELU, whatever the cases."""
    post = ("$$elu(x) = 2x$$\n\n$$y = elu(x) = f(x) = \\begin{cases} x & x > 0 \\\\ "
            "\\alpha(e^{x} - 1) & x \\le 0 \\end{cases}$$\n")
    alpha = sympy.Symbol("alpha", positive=True)
    cases = sympy.Piecewise((x, x > 0), (alpha * (sympy.exp(x) - 1), True))
    assert not equal_everywhere(2 * x, cases, [x, alpha])
    last = steps_at(post, 3)[-1]
    assert last.lhs.startswith("f(x)") or last.lhs == "f(x)"
    assert last.verdict != "proved"


def test_elu_named_in_a_chain_is_proved_with_the_posts_alpha():
    post = ("$$y = elu(x) = f(x) = \\begin{cases} x & x > 0 \\\\ "
            "\\alpha(e^{x} - 1) & x \\le 0 \\end{cases}$$\n")
    last = steps_at(post, 1)[-1]
    assert last.lhs == "f(x)" and last.verdict == "proved" and "elu" in last.evidence.method


# -- a catalog function the post names as a word and writes out -----------------

SOFTMAX = "$$o_j = softmax(z_j) = {body}$$\n"
POINT = [sympy.Rational(-1), sympy.Rational(2), sympy.Rational(1, 3)]
SOFTMAX_BODIES = {  # the body as the post writes it, and as the oracle computes it at z = POINT, entry 1
    "softmax": ("\\frac{e^{z_j}}{\\sum_j e^{z_j}}", lambda z: sympy.exp(z[0]) / sum(map(sympy.exp, z))),
    "doubled in the sum": ("\\frac{e^{z_j}}{\\sum_j e^{2 z_j}}",
                           lambda z: sympy.exp(z[0]) / sum(sympy.exp(2 * v) for v in z)),
    "doubled on top": ("\\frac{e^{2 z_j}}{\\sum_j e^{z_j}}", lambda z: sympy.exp(2 * z[0]) / sum(map(sympy.exp, z))),
}


@pytest.mark.parametrize("case", SOFTMAX_BODIES, ids=list(SOFTMAX_BODIES))
def test_a_vector_catalog_function_written_out_is_proved_against_the_catalog(case):
    latex, oracle = SOFTMAX_BODIES[case]
    equal = sympy.N(oracle(POINT) - SOFTMAX_BODIES["softmax"][1](POINT)) == 0
    step = steps_at(SOFTMAX.replace("{body}", latex), 1)[-1]
    assert step.lhs == "softmax(z_j)"
    if equal:
        assert step.verdict == "proved" and "softmax" in step.evidence.method
    else:
        assert step.kind == "definition"  # the post's own softmax: never refuted as a restatement


@pytest.mark.parametrize("positive, proved", [("x", True), ("2x", False)])
def test_a_parametric_catalog_function_written_out_is_proved_with_the_posts_parameter(positive, proved):
    alpha = sympy.Symbol("alpha", positive=True)
    catalog = sympy.Piecewise((x, x > 0), (alpha * (sympy.exp(x) - 1), True))
    written = sympy.Piecewise((x if positive == "x" else 2 * x, x > 0), (alpha * (sympy.exp(x) - 1), True))
    assert equal_everywhere(catalog, written, [x, alpha]) == proved
    post = f"$$elu(x) = \\begin{{cases}} {positive} & x > 0 \\\\ \\alpha(e^{{x}} - 1) & x \\le 0 \\end{{cases}}$$\n"
    step = only_at(post, 1)
    if proved:
        assert step.verdict == "proved" and "elu" in step.evidence.method
    else:
        assert step.kind == "definition"
