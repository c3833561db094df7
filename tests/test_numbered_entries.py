"""A model written in numbered entries (h = 1/(1 + e^{-theta_0 - theta_1 x}))
and a claim for every entry (dh/dtheta_j = h(1 - h) x_j): the post has moved
to a model with more features (x_0 = 1 in its prose), which no definition
gives, so the claim is unknown, never refuted. Claims about the numbered
entries themselves are decided, and a counterexample lists every entry it
gives a value, so a reader can replay it. ``\\require{cancel}`` (MathJax's
extension loading) is no math.

The oracle is ``sympy.diff`` of the model, evaluated at the listed values.
"""

from __future__ import annotations

import sympy

from symderive.post.check import check_post

t0, t1, x = sympy.symbols("theta_0 theta_1 x", real=True)
H = 1 / (1 + sympy.exp(-t0 - t1 * x))
MODEL = ("The model is\n\n$$ \\require{cancel} h_{\\theta}(x^{(i)}) = "
         "\\frac{1}{1 + e^{-\\theta_0 - \\theta_1 x^{(i)}}} $$\n\n")
APPLIED = "h_{\\theta}(x^{(i)})"


def claim(variable: str, rhs: str):
    post = MODEL + f"$$\\frac{{\\partial {APPLIED}}}{{\\partial \\theta_{variable}}} = {rhs}$$\n"
    found = check_post(post).claims()
    assert len(found) == 1
    return found[0]


def test_the_numbered_entries_are_decided():
    right = f"{APPLIED}(1 - {APPLIED}) x^{{(i)}}"
    assert sympy.simplify(sympy.diff(H, t1) - H * (1 - H) * x) == 0
    assert claim("1", right).verdict == "proved"
    assert claim("0", f"{APPLIED}(1 - {APPLIED})").verdict == "proved"


def test_a_counterexample_lists_every_entry_it_gives_a_value():
    wrong = claim("1", f"{APPLIED}(1 + {APPLIED}) x^{{(i)}}")
    assert wrong.verdict == "refuted"
    point = dict(wrong.evidence.point)
    i = point["i"]
    values = {t0: sympy.Rational(point["theta_0"]), t1: sympy.Rational(point["theta_1"]),
              x: sympy.Rational(point[f"x^()_{i}"])}
    left = sympy.diff(H, t1).subs(values)
    right = (H * (1 + H) * x).subs(values)
    assert abs(left - sympy.Float(wrong.evidence.lhs_value)) < 1e-9
    assert abs(right - sympy.Float(wrong.evidence.rhs_value)) < 1e-9


def test_a_claim_for_every_entry_of_a_model_in_numbered_entries_is_not_refuted():
    general = claim("j", f"{APPLIED}(1 - {APPLIED}) x_j^{{(i)}}")
    assert general.verdict == "unknown"
    assert "model with more entries" in general.evidence.reason


def test_a_claim_that_writes_the_numbered_model_itself_is_not_refuted():
    # no definition: the claim writes theta_0 + theta_1 x^(i) and differentiates in theta_j; with
    # x_0 = 1 and x_1 = x (the post's n features) it holds, as SymPy shows for j = 0 and j = 1
    y = sympy.Symbol("y", real=True)
    loss = (t0 + t1 * x - y) ** 2 / 2
    assert sympy.simplify(sympy.diff(loss, t0) - (t0 + t1 * x - y) * 1) == 0
    assert sympy.simplify(sympy.diff(loss, t1) - (t0 + t1 * x - y) * x) == 0
    post = ("$$\\frac{1}{m}\\sum_{i=1}^{m} \\frac{\\partial}{\\partial \\theta_j} \\frac{1}{2}"
            "(\\theta_0 + \\theta_1 x^{(i)} - y^{(i)})^2 = "
            "\\frac{1}{m}\\sum_{i=1}^{m}(\\theta_0 + \\theta_1 x^{(i)} - y^{(i)}) x_j^{(i)}$$\n")
    found = check_post(post).claims()
    assert [c.verdict for c in found] == ["unknown"], found
    assert "model with more entries" in found[0].evidence.reason
