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
