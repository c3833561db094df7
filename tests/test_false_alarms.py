"""False alarms: a true relation of a post is never refuted (issue 14, posts
57-72). Each class of notation or layout that made ``check`` refute a true
relation has a test that the true relation is not refuted and that a wrong
variant of it still is, so a fix cannot pass by refuting nothing.

Which relations are true and which are wrong is settled here by SymPy at
random points (``holds``), from formulas written in this file, never from
what the tool says.
"""

from __future__ import annotations

import random

import pytest
import sympy

from symderive.meaning import stated_sums
from symderive.latex import parse_display
from symderive.post.check import check_post, check_post_with_state
from symderive.post.names import infer_scope

N = 3  # entries of a vector in the oracle
o = sympy.symbols("o1:4", real=True)
SOFTMAX = [sympy.exp(o[k]) / sum(sympy.exp(v) for v in o) for k in range(N)]


def holds(lhs, rhs, symbols, trials=5) -> bool:
    """Whether lhs = rhs at random points (30 digits): the oracle."""
    rng = random.Random(14)
    for _ in range(trials):
        point = {s: sympy.Rational(rng.randint(-30, 30), 7) for s in symbols}
        if abs(sympy.N((lhs - rhs).xreplace(point), 30)) > 1e-20:
            return False
    return True


def verdicts(post: str) -> list[tuple[int, str, str]]:
    """(line, kind, verdict) of every relation the report gives, in order."""
    report = check_post(post, "false_alarm.md", timeout=10)
    return [(s.line, s.kind, str(s.verdict.value) if s.verdict is not None else "") for s in report.relations]


def refuted_lines(post: str) -> set[int]:
    return {line for line, _, verdict in verdicts(post) if verdict == "refuted"}


# -- a name written as one entry outside a sum and as the vector's entry inside one -------------

ENTRY = ("$$\\hat{{y}}_i = w x_i + b$$\n\n"
         "$$\\frac{{1}}{{n}}\\sum_{{i=1}}^n (\\hat{{y}}_i - y_i)^2 = \\frac{{1}}{{n}}\\sum_{{i=1}}^n ({rhs} - y_i)^2$$\n")


def test_a_name_written_as_one_entry_also_defines_the_entry_a_sum_reads():
    # outside a sum the reader may get the name y_hat_i, inside one the entry y_hat[i]: one quantity
    checker = check_post_with_state("$$y_i = 1$$\n", "entry.md")[1]
    i, n = checker.scope.indices["i"], checker.scope.indices["n"]
    w, b = sympy.symbols("w b", real=True)
    name, value = sympy.Symbol("y_hat_i", real=True), w * sympy.IndexedBase("x", real=True)[i] + b
    checker.define(name, name, value, "w x_i + b")
    entry = sympy.IndexedBase("y_hat", real=True)
    total = checker.meaning.evaluate(sympy.Sum(entry[i] ** 2, (i, 1, n)))
    assert not total.has(entry) and total == sympy.Sum(value ** 2, (i, 1, n))


@pytest.mark.parametrize("rhs, true", [("w x_i + b", True), ("w x_i - b", False)])
def test_an_entry_defined_outside_a_sum_is_the_entry_inside_it(rhs, true):
    w, b, x, y = sympy.symbols("w b x y", real=True)
    written = w * x + b if true else w * x - b
    assert holds((w * x + b - y) ** 2, (written - y) ** 2, (w, b, x, y)) == true
    assert (3 in refuted_lines(ENTRY.format(rhs=rhs))) != true


# -- a condition at the end of a row holds for that row -----------------------------------------

ROWS = ("$$p_j = \\frac{{e^{{o_j}}}}{{\\sum_k e^{{o_k}}}}$$\n\n$$\n"
        "\\frac{{\\partial p_j}}{{\\partial o_i}} = {diagonal}, \\quad i = j \\\\\n"
        "\\frac{{\\partial p_j}}{{\\partial o_i}} = {off}, \\quad i \\ne j\n$$\n")


def _softmax_cases_hold(diagonal, off) -> bool:
    """The oracle: d p_1/d o_1 and d p_2/d o_1 against the rows' right sides."""
    p = SOFTMAX
    return holds(sympy.diff(p[0], o[0]), diagonal(p, 0, 0), o) and holds(sympy.diff(p[1], o[0]), off(p, 0, 1), o)


def test_each_row_of_a_display_holds_under_its_own_condition():
    assert _softmax_cases_hold(lambda p, i, j: p[i] * (1 - p[i]), lambda p, i, j: -p[i] * p[j])
    found = verdicts(ROWS.format(diagonal="p_i(1-p_i)", off="- p_i p_j"))
    assert [v for _, kind, v in found if kind == "claim"] == ["proved", "proved"]
    assert [kind for _, kind, _ in found].count("condition") == 2  # i = j is a row's condition, not a claim


def test_rows_with_their_cases_swapped_are_refuted():
    assert not holds(sympy.diff(SOFTMAX[0], o[0]), -SOFTMAX[0] ** 2, o)
    assert refuted_lines(ROWS.format(diagonal="- p_i p_j", off="p_i(1-p_i)")) == {4, 5}


# -- an '=' display after the next case goes on from where the cases branched ------------------

CASES = ("$$p_j = \\frac{{e^{{a_j}}}}{{\\sum_k e^{{a_k}}}}$$\n\n"
         "$$\\frac{{\\partial p_j}}{{\\partial a_i}} = \\frac{{\\partial}}{{\\partial a_i}} "
         "\\frac{{e^{{a_j}}}}{{\\sum_k e^{{a_k}}}}$$\n\n"
         "If $i = j$,\n\n"
         "$$= \\frac{{\\partial}}{{\\partial a_j}} \\frac{{e^{{a_j}}}}{{\\sum_k e^{{a_k}}}} = p_j(1 - p_j)$$\n\n"
         "And if $i \\neq j$,\n\n"
         "$$= \\frac{{\\partial}}{{\\partial a_i}} \\frac{{e^{{a_{top}}}}}{{\\sum_k e^{{a_k}}}} = {other}$$\n")


def test_the_second_case_goes_on_from_the_expression_the_cases_branch_from():
    assert holds(sympy.diff(SOFTMAX[1], o[0]), -SOFTMAX[1] * SOFTMAX[0], o)
    found = [(line, v) for line, kind, v in verdicts(CASES.format(top="j", other="-p_j p_i")) if kind == "claim"]
    assert [v for line, v in found if line == 11] == ["proved", "proved"]


@pytest.mark.parametrize("top, other", [("j", "p_j p_i"), ("i", "-p_j p_i")])
def test_a_wrong_second_case_is_refuted(top, other):
    # p_j p_i has the wrong sign; d/da_i of e^{a_i}/sum is the diagonal derivative, not the off-diagonal one
    assert not holds(sympy.diff(SOFTMAX[1], o[0]), SOFTMAX[1] * SOFTMAX[0], o)
    assert not holds(sympy.diff(SOFTMAX[1], o[0]), sympy.diff(SOFTMAX[0], o[0]), o)
    assert 11 in refuted_lines(CASES.format(top=top, other=other))


# -- a cross-entropy's target sums to 1, also when its log is differentiated ---------------------

TARGET = ("$$p_i = \\frac{{e^{{o_i}}}}{{\\sum_k e^{{o_k}}}}$$\n\n"
          "$$\\frac{{\\partial L}}{{\\partial o_i}} = -\\sum_k y_k \\frac{{\\partial \\log p_k}}{{\\partial o_i}}$$\n\n"
          "$$p_i\\left(\\sum_k y_k\\right) - y_i = {rhs}$$\n")


@pytest.mark.parametrize("rhs, true", [("p_i - y_i", True), ("p_i + y_i", False)])
def test_a_differentiated_cross_entropy_has_a_one_hot_target(rhs, true):
    y = sympy.symbols("y1:4", real=True)
    p = SOFTMAX[0]
    one_hot = {y[0]: 1, y[1]: 0, y[2]: 0}
    written = p - y[0] if true else p + y[0]
    assert holds((p * sum(y) - y[0]).xreplace(one_hot), written.xreplace(one_hot), o) == true
    found = {line: v for line, kind, v in verdicts(TARGET.format(rhs=rhs)) if kind == "claim"}
    assert found[5] == ("proved" if true else "refuted")


# -- a stated chain of sums ending in a number is an assumption about the data --------------------

ZERO_MEAN = "Assume the logits are zero-mean, $\\sum_j z_j = \\sum_j v_j = 0$.\n\n" \
            "$$\\frac{{1}}{{N}}\\sum_j (z_j + v_j) + 1 = {rhs}$$\n"


@pytest.mark.parametrize("rhs, verdict", [("1", "proved"), ("2", "refuted")])
def test_a_chain_of_stated_sums_is_an_assumption(rhs, verdict):
    # with sum z = sum v = 0 the left side is 1
    found = verdicts(ZERO_MEAN.format(rhs=rhs))
    assert [kind for line, kind, _ in found if line == 1] == ["condition", "condition"]
    assert [v for _, kind, v in found if kind == "claim"] == [verdict]


def test_a_chain_through_a_derivation_is_not_an_assumption():
    scope = infer_scope(["\\sum_j z_j = \\sum_j (z_j - z_j) + 1 = 0", "\\sum_k \\delta_{ik} = 1"])
    assert stated_sums(parse_display("\\sum_j z_j = \\sum_j v_j = 0", scope))
    assert not stated_sums(parse_display("\\sum_j z_j = \\sum_j (z_j - z_j) + 1 = 0", scope))
    assert not stated_sums(parse_display("\\sum_k \\delta_{ik} = 1", scope))


# -- entries a chain names by its formula (q_i, p_i written only there) ---------------------------

NAMED = ("$$\\frac{\\partial C}{\\partial z_i} = \\frac{1}{T}(q_i - p_i) = \\frac{1}{T}\\left("
         "\\frac{e^{z_i/T}}{\\sum_j e^{z_j/T}} - \\frac{e^{v_i/T}}{\\sum_j e^{v_j/T}}\\right)$$\n")


def test_entries_named_by_a_chain_are_not_sampled_free():
    found = verdicts(NAMED)
    assert [v for _, kind, v in found if kind == "claim"][1] == "unknown"


@pytest.mark.parametrize("post", [
    # q and p on both sides: whatever they are, (q - p)/T = (q + p)/T says p = 0
    "$$\\frac{\\partial C}{\\partial z_i} = \\frac{1}{T}(q_i - p_i) = \\frac{1}{T}(q_i + p_i)$$\n",
    # x_i on one side only, as a factor: a dropped factor, not a name given a value
    "$$\\frac{\\partial L}{\\partial w} = (a_i - y_i) x_i = (a_i - y_i)$$\n",
    # one relation alone: it states something of y-hat, it does not name it in a chain
    "$$\\hat{y}_k - y_k = 0$$\n",
])
def test_a_wrong_relation_with_a_new_name_is_still_refuted(post):
    q, p, a, y, x, T = sympy.symbols("q p a y x T", real=True)
    assert not holds((q - p) / T, (q + p) / T, (q, p, T))
    assert not holds((a - y) * x, a - y, (a, y, x))
    assert 1 in refuted_lines(post)


# -- a prime of a function whose definition does not hold its variable -----------------------------

@pytest.mark.parametrize("body, rhs, verdict", [("e^{a_i}", "e^{a_i}", "unknown"),
                                                ("x e^{a_i}", "2 e^{a_i}", "refuted")])
def test_a_prime_of_a_function_defined_without_its_variable(body, rhs, verdict):
    # g(x) = e^{a_i} "derived w.r.t. a_i" is e^{a_i}; g(x) = x e^{a_i} has g' = e^{a_i}, not 2 e^{a_i}
    x, a = sympy.symbols("x a", real=True)
    assert holds(sympy.diff(sympy.exp(a), a), sympy.exp(a), (a,))
    assert not holds(sympy.diff(x * sympy.exp(a), x), 2 * sympy.exp(a), (x, a))
    found = verdicts(f"$g(x) = {body}$, so $g'(x) = {rhs}$.\n")
    assert [v for _, kind, v in found if kind == "claim"] == [verdict]


# -- a derivative in a name the function is not written through ------------------------------------

PAST = ("$$z_i = w x_i$$\n\n$$\\hat{{p}}_i = \\frac{{1}}{{1 + e^{{-w x_i}}}}$$\n\n"
        "$$\\frac{{d\\hat{{p}}_i}}{{d{wrt}}} = \\hat{{p}}_i(1 - \\hat{{p}}_i)$$\n")


def test_a_derivative_in_a_name_the_function_is_not_written_through_is_not_refuted():
    z = sympy.Symbol("z", real=True)
    sigma = 1 / (1 + sympy.exp(-z))
    assert holds(sympy.diff(sigma, z), sigma * (1 - sigma), (z,))  # the chain through z the author means
    found = verdicts(PAST.format(wrt="z_i"))
    assert [v for _, kind, v in found if kind == "claim"] == ["unknown"]


def test_the_same_derivative_in_the_variable_itself_is_refuted():
    w, x = sympy.symbols("w x", real=True)
    sigma = 1 / (1 + sympy.exp(-w * x))
    assert not holds(sympy.diff(sigma, w), sigma * (1 - sigma), (w, x))  # the factor x is missing
    assert 5 in refuted_lines(PAST.format(wrt="w"))


# -- indices written as superscripts (summation convention) -----------------------------------------

def test_indices_written_as_a_superscript_are_not_refuted_as_powers():
    """Read as entries with a sum over a (tensor notation, latex/tensor.py), the
    display defines S's entries, as the corpus's post 67 has it; never a claim refuted."""
    found = verdicts("$$S^{ij} = \\frac{1}{\\sqrt{d_k}} Q^{ia} K^{ja}$$\n")
    assert [kind for _, kind, _ in found] == ["definition"]
    assert "refuted" not in [v for _, _, v in found]


def test_a_power_with_a_number_in_its_exponent_is_still_a_power():
    x, a = sympy.symbols("x a", positive=True)
    assert not holds(sympy.diff(x ** (2 * a), x), x ** (2 * a), (x, a))
    assert 1 in refuted_lines("$$\\frac{d}{dx} x^{2a} = x^{2a}$$\n")


# -- a sum's bound index named as the entry differentiated in ---------------------------------------

BOUND = "$$\\frac{{\\partial}}{{\\partial W_{{jk}}}}\\lambda\\sum_j\\sum_k W_{{jk}}^2 = {rhs}$$\n"


@pytest.mark.parametrize("rhs, true", [("2\\lambda W_{jk}", True), ("\\lambda W_{jk}", False)])
def test_bound_indices_are_apart_from_the_entry_differentiated_in(rhs, true):
    lam = sympy.Symbol("lambda", real=True)
    W = sympy.Matrix(2, 2, sympy.symbols("W11 W12 W21 W22", real=True))
    total = lam * sum(e ** 2 for e in W)
    written = (2 if true else 1) * lam * W[0, 1]
    assert holds(sympy.diff(total, W[0, 1]), written, (lam, *W)) == true
    assert (1 in refuted_lines(BOUND.format(rhs=rhs))) != true
