"""Every relation of a post a reader sees gets a verdict, and the post an
honest status (issue 14 items 1-2, issue 15: approximations, prose claims,
differentials of intermediate names).

Expected verdicts come from the mathematics: a refutation is accepted only
when its counterexample point separates the two sides, evaluated here
independently with SymPy at 50 digits from the post's own formulas.
"""

from __future__ import annotations

import json

import pytest
import sympy

from library import ROOT, run_cli
from symderive.post.check import check_post

x, u = sympy.symbols("x u", real=True)
SIGMA = 1 / (1 + sympy.exp(-x))


def claims(report):
    return report.claims()


def claim_at(report, line):
    found = [s for s in report.claims() if s.line == line]
    assert len(found) == 1, [(s.line, s.kind, s.verdict) for s in report.relations]
    return found[0]


def separates(step, lhs, rhs, digits=50):
    """The counterexample of a refuted claim, checked with the oracle's own
    expressions of both sides: they differ there by more than rounding."""
    assert step.verdict == "refuted", (step.verdict, step.evidence)
    point = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in step.evidence.point}
    left, right = (sympy.sympify(e).xreplace(point).evalf(digits) for e in (lhs, rhs))
    return abs(left - right) > sympy.Float(10) ** (-20) * max(1, abs(left))


# -- item 1: a display opening with '=' is a claim ------------------------------

THREE_LINES = "$$f(x) = x^2 + 1$$\n\n$$f'(x) = 2x + 0$$\n\n$$= 3x$$\n"


def test_a_display_opening_with_equals_is_refuted_against_the_chain():
    report = check_post(THREE_LINES, "three.md")
    step = claim_at(report, 5)
    assert step.lhs == "2x + 0"  # compared with the chain's last expression
    assert separates(step, 2 * x, 3 * x)
    assert report.status == "failed"


OPENERS = ["=", r"\Rightarrow", r"\implies", r"\iff", r"\Leftrightarrow", r"\therefore", r"\because"]


@pytest.mark.parametrize("opener", OPENERS)
def test_a_true_continuation_is_proved_and_a_wrong_one_refuted(opener):
    good = f"$$\\frac{{d}}{{dx}} x^3 = 3x^2 + 0$$\n\n$${opener} 3x^2$$\n"
    bad = f"$$\\frac{{d}}{{dx}} x^3 = 3x^2 + 0$$\n\n$${opener} 3x^3$$\n"
    assert [s.verdict for s in claims(check_post(good))] == ["proved", "proved"]
    wrong = claim_at(check_post(bad), 3)
    assert separates(wrong, 3 * x**2, 3 * x**3)


@pytest.mark.parametrize("arrow", OPENERS[1:])
def test_an_arrow_before_a_whole_equation_is_a_connective_and_the_equation_a_claim(arrow):
    post = ("$$\\frac{d}{dx} \\sin(x) = \\cos(x)$$\n\n"
            f"$${arrow} \\frac{{d}}{{dx}} \\sin(2x) = 3\\cos(2x)$$\n")
    report = check_post(post)
    joins = [s for s in report.relations if s.relation == arrow]
    assert joins and all(s.kind == "implication" and s.evidence is None for s in joins)
    wrong = claim_at(report, 3)
    assert separates(wrong, 2 * sympy.cos(2 * x), 3 * sympy.cos(2 * x))


def test_an_aligned_row_opening_with_equals_is_a_claim():
    post = "\\begin{align}\nf(x) &= (x+1)^2 \\\\\n&= x^2 + 2x + 1 \\\\\n&= x^2 + 1\n\\end{align}\n"
    report = check_post(post)
    assert [s.verdict for s in claims(report)] == ["proved", "refuted"]  # f(x) = ... defines f
    assert separates(claim_at(report, 4), x**2 + 2 * x + 1, x**2 + 1)


def test_a_dangling_operator_is_an_incomplete_relation_that_counts():
    report = check_post("$$\\frac{d}{dx} x^2 = 2x =$$\n")
    verdicts = [s.verdict for s in claims(report)]
    assert verdicts == ["proved", "unknown"]
    assert "incomplete relation" in claims(report)[1].evidence.reason
    assert report.status == "incomplete" and report.counts()["unknown"] == 1


@pytest.mark.parametrize("opener, text", [
    ("$$", "Text\n\n$$\\frac{d}{dx} x^2 = 2x\n\nmore prose\n"),
    ("\\[", "Text\n\n\\[\\frac{d}{dx} x^2 = 2x\n\nmore prose\n"),
    ("\\(", "Text\n\n\\(\\frac{d}{dx} x^2 = 2x\n\nmore prose\n"),
    ("\\begin{align}", "Text\n\n\\begin{align}\\frac{d}{dx} x^2 = 2x\n\nmore prose\n"),
    ("$", "Text\n\n$\\frac{d}{dx} x^2 = 2x\n\nmore prose\n"),
])
def test_unclosed_math_is_unreadable_with_its_place(opener, text, tmp_path, capsys):
    post = tmp_path / "open.md"
    post.write_text(text, encoding="utf-8")
    report = check_post(text, str(post))
    (step,) = report.unreadable
    assert (step.line, step.column) == (3, 1) and opener in step.evidence.reason
    assert report.status == "incomplete"
    code, out, _ = run_cli(["check", post], capsys)
    assert code == 1 and f"{post}:3:1" in out and "never closed" in out


def test_money_is_not_math():
    report = check_post("It costs $5.\n\nThe rule is $\\frac{d}{dx} x^2 = 2x$.\n")
    assert not report.unreadable and [s.verdict for s in claims(report)] == ["proved"]


def test_a_remark_in_a_sentence_is_skipped_visibly(capsys, tmp_path):
    post = tmp_path / "remark.md"
    post.write_text("$$\\frac{d}{dx} x^2 = 2x$$\n\nHere the sum is over $j \\neq k$ only.\n", encoding="utf-8")
    report = check_post(post.read_text(encoding="utf-8"), str(post))
    (skipped,) = report.skipped()
    assert skipped.note and report.counts()["skipped"] == 1
    _, out, _ = run_cli(["check", post], capsys)
    assert "skipped" in out and "j" in out


# -- item 2: status and exit code -----------------------------------------------

@pytest.mark.parametrize("text, status, code", [
    ("$$\\frac{d}{dx} x^2 = 2x$$\n", "verified", 0),
    ("$$\\frac{d}{dx} x^2 = 3x$$\n", "failed", 1),
    ("$$\\frac{d}{dx} x^2 = 2x =$$\n", "incomplete", 1),
    ("$$\\frac{d}{dx} x^2 = 2x$$\n\n$$\\frac{1}{x$$\n", "incomplete", 1),
    ("Only prose here.\n", "incomplete", 1),
])
def test_status_and_exit_code_agree_across_formats(text, status, code, tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text(text, encoding="utf-8")
    got, out, _ = run_cli(["check", post], capsys)
    assert got == code and f": {status if text[0] == '$' else 'nothing checked'}:" in out
    got, out, _ = run_cli(["check", post, "--format", "json"], capsys)
    data = json.loads(out)
    (entry,) = data["derivations"]
    assert got == code and entry["status"] == status
    assert entry["nothing_checked"] == (text[0] != "$")
    counts = entry["counts"]
    assert {"proved", "refuted", "unknown", "approximate", "unreadable"} <= set(counts)
    got_github, github, _ = run_cli(["check", post, "--format", "github"], capsys)
    got_junit, junit, _ = run_cli(["check", post, "--format", "junit"], capsys)
    assert got_github == got_junit == code
    problems = github.count("::error") + github.count("::warning")
    assert (problems == 0) == (status == "verified")
    assert ("<failure" in junit) == (status != "verified")


# -- item 3: approximations -----------------------------------------------------

TAYLOR = ("# Taylor\n\n$$\\sigma(x) \\approx \\frac12 + \\frac x4 - \\frac{x^3}{48}$$\n\n"
          "$$\\frac{d}{dx}\\sigma(x) = \\frac14 - \\frac{x^2}{16}$$\n")


def test_an_approximation_is_its_own_verdict_and_never_defines_a_name():
    report = check_post(TAYLOR)
    approx = claim_at(report, 3)
    assert approx.verdict == "approximate" and approx.kind == "claim"
    near = {k: v for k, v in approx.evidence.points[0]}
    at = sympy.Rational(near["x"])
    taylor = sympy.Rational(1, 2) + at / 4 - at**3 / 48
    assert abs(SIGMA.subs(x, at) - taylor).evalf(30) <= approx.evidence.tolerance * abs(taylor)
    # sigma keeps its meaning: the derivative of the polynomial is not sigma's
    wrong = claim_at(report, 5)
    assert separates(wrong, sympy.diff(SIGMA, x), sympy.Rational(1, 4) - x**2 / 16)
    assert report.status == "failed"


def test_an_approximation_alone_leaves_the_post_incomplete_not_verified():
    report = check_post("$$e^{x} \\approx 1 + x + \\frac{x^2}{2}$$\n")
    assert [s.verdict for s in claims(report)] == ["approximate"]
    assert report.status == "incomplete" and report.counts()["approximate"] == 1


def test_a_wrong_approximation_is_refuted():
    report = check_post("$$e^{x} \\approx 2 - x$$\n")
    (step,) = claims(report)
    assert step.verdict == "refuted"
    point = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in step.evidence.point}
    left, right = sympy.exp(x).xreplace(point), (2 - x).xreplace(point)
    assert abs(left - right).evalf(30) > 0.01 * max(1, abs(left.evalf(30)))


# -- item 4: prose claims name their function -----------------------------------

TWO_FUNCTIONS = "# Two\n\n$$f(x) = x^2$$\n\n$$g(x) = x^3$$\n\n{}\n"


@pytest.mark.parametrize("sentence, truth", [
    ("The derivative of f is $2x$.", True),
    ("The derivative of g is $2x$.", False),
    ("The derivative of g in x is $3x^2$.", True),
    ("The derivative of f in x is $3x^2$.", False),
    ("The derivative of $g$ is $3x^2$.", True),
])
def test_a_prose_claim_is_about_the_function_it_names(sentence, truth):
    report = check_post(TWO_FUNCTIONS.format(sentence))
    (step,) = claims(report)
    name = "g" if "of g" in sentence or "of $g$" in sentence else "f"
    function = x**2 if name == "f" else x**3
    value = 2 * x if "$2x$" in sentence else 3 * x**2
    if truth:
        assert step.verdict == "proved"
    else:
        assert separates(step, sympy.diff(function, x), value)


def test_a_prose_claim_about_an_unnamed_function_is_unknown_when_ambiguous():
    report = check_post(TWO_FUNCTIONS.format("The derivative is $2x$."))
    (step,) = claims(report)
    assert step.verdict == "unknown" and "which function" in step.evidence.reason


def test_a_prose_claim_about_an_undefined_function_is_unknown():
    report = check_post(TWO_FUNCTIONS.format("The derivative of h is $2x$."))
    (step,) = claims(report)
    assert step.verdict == "unknown" and "'h'" in step.evidence.reason


# -- item 5: differentials of intermediate names --------------------------------

CHAIN = ("Let $u = 1 + e^{{-x}}$ and ${sigma}$.\n\n"
         "$$\\frac{{d\\sigma}}{{dx}} = \\frac{{d\\sigma}}{{du}}\\cdot\\frac{{du}}{{dx}}$$\n\n"
         "$$\\frac{{d\\sigma}}{{du}} = -\\frac{{1}}{{u^2}}$$\n\n"
         "$$\\frac{{du}}{{dx}} = -e^{{-x}}$$\n\n"
         "$$\\frac{{d\\sigma}}{{du}} = \\frac{{1}}{{u^2}}$$\n\n"
         "$$\\frac{{du}}{{dx}} = e^{{-x}}$$\n")


@pytest.mark.parametrize("sigma", ["\\sigma = \\frac{1}{u}", "\\sigma(u) = \\frac{1}{u}", "h = \\frac{1}{u}"])
def test_differentials_of_intermediate_names_are_read_through_their_definitions(sigma):
    text = CHAIN.format(sigma=sigma)
    if sigma.startswith("h"):
        text = text.replace("\\sigma", "h")
    report = check_post(text)
    by_line = {s.line: s for s in claims(report)}
    for line in (3, 5, 7):
        assert by_line[line].verdict == "proved", (line, by_line[line].evidence)
    outer = 1 / u  # sigma as a function of u, u = 1 + e^{-x}
    assert separates(by_line[9], sympy.diff(outer, u).subs(u, 1 + sympy.exp(-x)), 1 / (1 + sympy.exp(-x))**2)
    assert separates(by_line[11], sympy.diff(1 + sympy.exp(-x), x), sympy.exp(-x))


def test_the_chain_rule_written_with_d_dx_in_front_of_du_dx_is_refuted():
    text = CHAIN.format(sigma="\\sigma = \\frac{1}{u}").replace(
        "\\frac{d\\sigma}{du}\\cdot", "\\frac{d\\sigma}{dx}\\cdot", 1)
    step = claim_at(check_post(text), 3)
    derivative = sympy.diff(SIGMA, x)
    assert separates(step, derivative, derivative * sympy.diff(1 + sympy.exp(-x), x))


# -- items 6, 7: the seeds and the corpus's sign error ---------------------------

SEEDS = sorted((ROOT / "examples" / "posts").glob("*.txt"))


@pytest.mark.parametrize("post", SEEDS, ids=lambda p: p.stem)
def test_seeds_every_relation_has_a_verdict_and_only_the_known_mistake_is_refuted(post):
    report = check_post(post.read_text(encoding="utf-8"), str(post))
    kinds = {s.kind for s in report.relations}
    assert kinds <= {"claim", "definition", "condition", "implication", "skipped"}, kinds
    assert all(s.evidence is not None for s in report.relations if s.kind == "claim")
    assert all(s.note for s in report.relations if s.kind in ("implication", "skipped"))
    refuted = [s for s in claims(report) if s.verdict == "refuted"]
    assert len(refuted) == 1 and not report.unreadable
    (mistake,) = refuted
    if post.name.startswith("000"):
        assert mistake.line == 23
        derivative = sympy.diff(SIGMA, x)
        assert separates(mistake, derivative, derivative * sympy.diff(1 + sympy.exp(-x), x))
    else:
        # the gradient of the identity on vectors is the identity matrix, not a row of ones
        assert mistake.line == 37 and "gradient" in mistake.lhs
        assert mistake.evidence.lhs_value != mistake.evidence.rhs_value
        assert sympy.Matrix(sympy.sympify(mistake.evidence.lhs_value)) == sympy.eye(2)


def test_the_heatonresearch_sign_error_is_refuted():
    post = ROOT / "tests" / "corpus" / "01_sigmoid_heatonresearch.md"
    report = check_post(post.read_text(encoding="utf-8"), str(post))
    step = claim_at(report, 37)
    e = sympy.exp(-x)
    assert separates(step, e / (e + 1)**2, (1 / (e + 1)) * (-e / (e + 1)))


@pytest.mark.parametrize("prose, value, truth", [
    ("The derivative of the sigmoid $\\sigma$ is", "\\sigma(x)(1 - \\sigma(x))", True),
    ("The derivative of the sigmoid $\\sigma$ is", "\\sigma(x)^2", False),
    ("The derivative of tanh is", "1 - \\tanh^2 x", True),
    ("The derivative of tanh is", "1 + \\tanh^2 x", False),
    ("The derivative of a is", "4x^3", True),  # "a" is the post's function here, not an article
    ("The derivative of a is", "4x^4", False),
])
def test_a_prose_claim_about_a_catalog_builtin_or_one_letter_function(prose, value, truth):
    text = f"Let $a(x) = x^4$ and let $b(x) = x^5$.\n\n{prose}\n$$\n{value}\n$$\n"
    (step,) = claims(check_post(text))
    function = {"sigmoid": SIGMA, "tanh": sympy.tanh(x)}.get(prose.split()[4 if "sigmoid" in prose else 3], x**4)
    oracle = {"\\sigma(x)(1 - \\sigma(x))": SIGMA * (1 - SIGMA), "\\sigma(x)^2": SIGMA**2,
              "1 - \\tanh^2 x": 1 - sympy.tanh(x)**2, "1 + \\tanh^2 x": 1 + sympy.tanh(x)**2,
              "4x^3": 4 * x**3, "4x^4": 4 * x**4}[value]
    if truth:
        assert step.verdict == "proved", step.evidence
    else:
        assert separates(step, sympy.diff(function, x), oracle)


@pytest.mark.parametrize("value, truth", [("\\sigma(z)(1 - \\sigma(z))", True), ("\\sigma(z)^2", False)])
def test_a_variable_named_from_several_letters_stays_the_variable(value, truth):
    """z = w^T x + b names the pre-activation; z stays the variable of
    d sigma / dz (only a body in one other letter, u = 1 + e^{-x}, makes
    the name an intermediate one)."""
    text = f"$$z = w^T x + b$$\n\n$$\\frac{{d\\sigma}}{{dz}} = {value}$$\n"
    step = claim_at(check_post(text), 3)
    z = sympy.Symbol("z", real=True)
    sigma = 1 / (1 + sympy.exp(-z))
    if truth:
        assert step.verdict == "proved", step.evidence
    else:
        assert separates(step, sympy.diff(sigma, z), sigma**2)


@pytest.mark.parametrize("rhs, verdict", [("0", "proved"), ("e^{z_k}", "refuted")])
def test_a_case_naming_a_numeric_index_is_a_condition(rhs, verdict):
    """'Case $k = 1$' on a line of its own restricts the claims after it, as
    'Case $i = k$' does: under it the sum from j = 2 misses z_k (0), so
    e^{z_k} is wrong there and 0 is right; the statement k = 1 itself is not
    a claim to refute."""
    post = f"Case $k = 1$\n\n$$\\frac{{\\partial}}{{\\partial z_k}} \\sum_{{j=2}}^{{n}} e^{{z_j}} = {rhs}$$\n"
    report = check_post(post)
    claims = [s for s in report.relations if s.kind == "claim"]
    assert [s.verdict for s in claims] == [verdict]
    assert [s.kind for s in report.relations][0] == "condition"


# -- context a careful reader takes from the post (issue 14 items 3, 17) --------

def verdicts(text):
    return {s.line: s.verdict for s in check_post(text, "post.md").claims()}


def kinds(text):
    return [(s.line, s.kind) for s in check_post(text, "post.md").relations]


SOFTMAX_Y = "$$y_i = \\frac{e^{x_i}}{\\sum_{j=1}^{n} e^{x_j}}$$\n\n"


@pytest.mark.parametrize("body, verdict", [("y_i (1 - y_i)", "proved"), ("y_i (1 + y_i)", "refuted")])
def test_a_condition_after_when_in_a_sentence_holds_for_the_claim_after_it(body, verdict):
    post = SOFTMAX_Y + f"For softmax, when $i = k$, we have\n$\\partial y_i / \\partial x_k = {body}$\n"
    assert verdicts(post)[4] == verdict


@pytest.mark.parametrize("value, verdict", [("0.25", "proved"), ("0.3", "refuted")])
def test_a_point_condition_holds_for_the_next_statement_only(value, verdict):
    post = ("$$\\sigma(x) = \\frac{1}{1+e^{-x}}$$\n\nWhen $x = 0$, we get\n\n"
            f"$$\\sigma'(x) = {value}$$\n\nIn general\n\n$$\\sigma'(x) = 0.25$$\n")
    found = verdicts(post)
    assert found[5] == verdict
    assert found[9] == "refuted"  # no longer at x = 0


@pytest.mark.parametrize("derivative, verdict", [("1 - f(x)^2", "proved"), ("1 + f(x)^2", "refuted")])
def test_prose_naming_a_new_function_lets_a_name_be_defined_again(derivative, verdict):
    post = ("Sigmoid\n\n$$f(x) = \\frac{1}{1+e^{-x}}$$\n\n$$f'(x) = f(x)(1 - f(x))$$\n\n"
            f"Tanh\n\n$$f(x) = \\tanh(x)$$\n\n$$f'(x) = {derivative}$$\n")
    found = verdicts(post)
    assert found[5] == "proved" and found[11] == verdict
    assert 9 not in found  # f(x) = tanh(x) defines f again


def test_a_name_restated_with_a_different_body_without_such_prose_is_refuted():
    post = "$$f(x) = \\frac{1}{1+e^{-x}}$$\n\nSo\n\n$$f(x) = \\tanh(x)$$\n"
    assert verdicts(post)[5] == "refuted"


def test_sigma_applied_to_entries_in_a_softmax_post_is_not_read_as_the_logistic():
    # d log sigma(A_i) / dA_j is 0 for the logistic function, -sigma(A_j) for the softmax
    # (sigma_readings.py: a step the two readings disagree on is unknown)
    claim = "When $i \\neq j$\n\n$$\\frac{\\partial \\log(\\sigma(A_i))}{\\partial A_j} = 0$$\n"
    assert verdicts("Using the definition of softmax:\n\n" + claim)[5] == "unknown"
    assert verdicts("With the logistic function:\n\n" + claim)[5] == "proved"


def test_numbers_given_to_a_name_are_data_and_a_scalar_is_not_refuted_by_a_matrix():
    post = "$$T = \\begin{pmatrix}0&1\\end{pmatrix}$$\n\n$$A^{O} - T = \\begin{pmatrix}0.5&-0.5\\end{pmatrix}$$\n"
    report = check_post(post, "post.md")
    assert [s.kind for s in report.relations if s.line == 1] == ["definition"]
    assert not any(s.verdict == "refuted" for s in report.claims())


@pytest.mark.parametrize("diagonal, off, verdict", [
    (True, "-g_i g_j", "proved"), (True, "-g_i g_j + 1", "refuted"), (False, "-g_i g_j", "refuted")])
def test_an_off_diagonal_derivative_after_the_diagonal_one_is_the_case_i_neq_j(diagonal, off, verdict):
    post = "$$g_i = \\frac{e^{x_i}}{\\sum_{k=1}^{n} e^{x_k}}$$\n\n"
    post += "$$\\frac{\\partial g_i}{\\partial x_i} = g_i (1 - g_i)$$\n\n" if diagonal else "Now:\n\n"
    post += f"and\n\n$$\\frac{{\\partial g_i}}{{\\partial x_j}} = {off}$$\n"
    assert verdicts(post)[7] == verdict


@pytest.mark.parametrize("derivative, verdict", [("a + 3b x^2", "proved"), ("a + 2b x^2", "refuted")])
def test_constants_named_by_matching_coefficients_are_defined(derivative, verdict):
    post = f"$$z(x) = 2x + 5x^3 = x(a + b x^2)$$\n\n$$z'(x) = {derivative}$$\n"
    assert verdicts(post)[3] == verdict


def test_no_constants_fit_and_the_step_is_refuted():
    assert "refuted" in verdicts("$$z(x) = 2x + 5x^3 = x(a + b x^3)$$\n").values()


@pytest.mark.parametrize("step, verdict", [("a_i - y_i", "proved"), ("a_i + y_i", "refuted")])
def test_a_cross_entropy_target_sums_to_one(step, verdict):
    post = (SOFTMAX_Y.replace("y_i", "a_i") + "$$L = -\\sum_k y_k \\log a_k$$\n\n"
            f"$$a_i \\sum_k y_k - y_i = {step}$$\n")
    assert verdicts(post)[5] == verdict


def test_an_index_written_as_a_superscript_is_not_refuted_as_a_power():
    found = verdicts("$s^i=\\frac{(e^z)^i}{\\sum_j^N(e^z)^j}$\n\n$s^2=\\frac{(e^z)^2}{(e^z)^1+(e^z)^2+(e^z)^3}$\n")
    assert "refuted" not in found.values()


@pytest.mark.parametrize("derivative, verdict", [("2(w + b)", "proved"), ("w + b", "refuted")])
def test_a_function_of_several_names_is_defined(derivative, verdict):
    post = f"$$J(w, b) = (w + b)^2$$\n\n$$\\frac{{\\partial J(w, b)}}{{\\partial b}} = {derivative}$$\n"
    assert verdicts(post)[3] == verdict


def test_a_name_defined_in_words_and_one_named_inside_a_run_are_definitions():
    post = ("where\n\n$m = $ number of training examples\n\n"
            "$$y = \\hat{y} + \\epsilon = b + w x + \\epsilon$$\n")
    report = check_post(post, "post.md")
    assert not report.claims()
    assert {s.kind for s in report.relations} == {"definition"}


_W, _X, _B = sympy.symbols("w x b", real=True)
_S = 1 / (1 + sympy.exp(-(_W * _X + _B)))


@pytest.mark.parametrize("rhs, value", [
    ("\\sigma(z)(1 - \\sigma(z)) x", _S * (1 - _S) * _X),
    ("0", sympy.Integer(0)),
    ("\\sigma(z)(1 - \\sigma(z))", _S * (1 - _S)),
    ("\\sigma(z)(1 - \\sigma(z)) w", _S * (1 - _S) * _W),
])
def test_a_derivative_through_a_variable_named_as_an_expression_is_read_through_it(rhs, value):
    """z = w x + b keeps z a variable, but d sigma(z) / dw is the chain through
    z the author means (read with z held it would be 0): the true chain rule is
    proved and the wrong ones refuted, as sympy.diff of sigma(w x + b) says."""
    difference = sympy.diff(_S, _W) - value
    points = [tuple(sympy.Rational(v) for v in p) for p in (("3/10", "-6/5", "7/10"), ("-2", "1/2", "11/10"))]
    true = all(abs(difference.subs({_W: w, _X: x, _B: b}).evalf(30)) < 1e-20 for w, x, b in points)
    post = f"$$z = w x + b$$\n\n$$\\frac{{\\partial \\sigma(z)}}{{\\partial w}} = {rhs}$$\n\n$$\\frac{{dz}}{{dz}} = 1$$\n"
    assert verdicts(post)[3] == ("proved" if true else "refuted")


def test_a_function_of_a_whole_vector_varies_with_its_entries():
    post = "$$\\frac{\\partial L(b, w)}{\\partial w_i} = 0$$\n"
    assert verdicts(post)[1] == "unknown"  # L(b, w) depends on w_i: its derivative is not 0


def test_a_defined_name_and_its_labelled_form_are_not_told_apart_by_a_refutation():
    post = ("$$\\hat{y} = \\sigma(z)$$\n\n$$(\\sigma(z) - y^{(i)}) x^{(i)} = (\\hat{y}^{(i)} - y^{(i)}) x^{(i)}$$\n\n"
            "$$\\frac{d\\sigma}{dz} = \\sigma(z)(1 - \\sigma(z))$$\n")
    assert verdicts(post)[3] == "unknown"


@pytest.mark.parametrize("claim, verdict", [("\\sigma^2 = 4", None), ("\\sigma(x)^2 = 4", "refuted")])
def test_sigma_never_applied_is_not_the_logistic_function(claim, verdict):
    # sigma^2 = 4 names a variance (a definition, no claim); sigma(x)^2 = 4 is the logistic function's
    assert verdicts(f"$${claim}$$\n\n$$\\mu = 2$$\n").get(1) == verdict


@pytest.mark.parametrize("step, verdict", [("2 \\sigma(2z) - 1", "proved"), ("2 \\sigma(z) - 1", "refuted")])
def test_a_letter_used_bare_in_differentials_is_a_variable_beside_its_entries(step, verdict):
    post = (f"$$t = \\tanh(z) = {step}$$\n\n$$\\frac{{dt}}{{dz}} = 1 - t^2$$\n\n"
            "$$a_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}}$$\n")
    assert verdicts(post)[1] == verdict


@pytest.mark.parametrize("derivative, verdict", [("\\frac{1}{h}", "proved"), ("\\frac{1}{h^2}", "refuted")])
def test_a_function_defined_with_another_function_as_its_parameter(derivative, verdict):
    post = ("$$h(x) = 1 + e^x$$\n\n$$g(h) = \\ln(h)$$\n\n"
            f"$$g'(h) = {derivative}$$\n\n$$f(x) = g(h(x))$$\n\n$$f'(x) = \\frac{{e^x}}{{1 + e^x}}$$\n")
    found = verdicts(post)
    assert found[5] == verdict and found[9] == "proved"


@pytest.mark.parametrize("rhs, verdict", [("(\\sigma(z) - y^{(i)}) x^{(i)}", "unknown"),
                                          ("(\\sigma(z) - y^{(i)})", "refuted")])
def test_a_labelled_form_is_refuted_only_when_the_one_sample_reading_refutes_it_too(rhs, verdict):
    post = f"$$\\hat{{y}} = \\sigma(z)$$\n\n$$(\\hat{{y}}^{{(i)}} - y^{{(i)}}) x^{{(i)}} = {rhs}$$\n\n$$\\frac{{dz}}{{dz}} = 1$$\n"
    assert verdicts(post)[3] == verdict
