"""A matrix's entries defined by a formula (``y_{ij} = w_j x_{ij} / r_i``) and
an undefined loss differentiated through them, as posts on normalisation
layers write the backward pass.

The truth of every claim comes from SymPy at explicit sizes (B = H = 2): the
loss is taken linear in y with free slopes g (any loss's gradient at a point
is some g), the layer written out entry by entry, and both sides of a claim
evaluated at random values. A claim false there is false for some loss; the
tool must never prove it, and must refute the wrong variants below.
"""

from __future__ import annotations

import random

import pytest
import sympy

from symderive.kronecker import bound_apart
from symderive.meaning import Meaning
from symderive.post.check import check_post
from symderive.post.names import infer_scope
from symderive.prover import prove_equal

B = H = 2
x = sympy.Matrix(B, H, lambda b, h: sympy.Symbol(f"x{b + 1}{h + 1}", real=True))
w = [sympy.Symbol(f"w{h + 1}", real=True) for h in range(H)]
g = sympy.Matrix(B, H, lambda b, h: sympy.Symbol(f"g{b + 1}{h + 1}", real=True))
eps = sympy.Symbol("eps", positive=True)
r = [sympy.sqrt(sum(x[b, h] ** 2 for h in range(H)) / H + eps) for b in range(B)]
y = sympy.Matrix(B, H, lambda b, h: w[h] * x[b, h] / r[b])
loss = sum(g[b, h] * y[b, h] for b in range(B) for h in range(H))


def _dloss_dx(i, j):
    return sympy.diff(loss, x[i, j])


def _differ(a, b) -> bool:
    rng = random.Random(7)
    for _ in range(5):
        point = {s: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)) for s in (a - b).free_symbols}
        point[eps] = 1
        if abs(sympy.N((a - b).subs(point), 30)) > 1e-12:
            return True
    return False


HEAD = r"""
$$y_{ij} = \frac{w_j x_{ij}}{r_i}$$
where
$$r_i = \sqrt{ \frac{1}{H} \sum_{h=1}^H x_{ih}^2 + \epsilon }$$

"""

# The input gradient of RMSNorm at (i, j) = (1, 1), as the oracle computes it
# and as the candidate closing formulas write it (g_ih for dL/dy_ih).
TRUE_FORM = r"\frac{\partial L}{\partial y_{ij}} \frac{w_j}{r_i} - \frac{x_{ij}}{Hr_i^3} \sum_{h=1}^{H} \frac{\partial L}{\partial y_{ih}} w_h x_{ih}"
CANDIDATES = {
    "true": (TRUE_FORM, lambda i, j: g[i, j] * w[j] / r[i] - x[i, j] / (H * r[i] ** 3)
             * sum(g[i, h] * w[h] * x[i, h] for h in range(H))),
    "r squared": (TRUE_FORM.replace("r_i^3", "r_i^2"), lambda i, j: g[i, j] * w[j] / r[i] - x[i, j] / (H * r[i] ** 2)
                  * sum(g[i, h] * w[h] * x[i, h] for h in range(H))),
    "sign": (TRUE_FORM.replace("} - \\frac", "} + \\frac"), lambda i, j: g[i, j] * w[j] / r[i] + x[i, j] / (H * r[i] ** 3)
             * sum(g[i, h] * w[h] * x[i, h] for h in range(H))),
    "no 1/H": (TRUE_FORM.replace("{Hr_i^3}", "{r_i^3}"), lambda i, j: g[i, j] * w[j] / r[i] - x[i, j] / r[i] ** 3
               * sum(g[i, h] * w[h] * x[i, h] for h in range(H))),
}


@pytest.mark.parametrize("name", sorted(CANDIDATES))
def test_closing_formula_against_the_oracle(name):
    """The step from the chain rule's sum to a closing formula: refuted when
    the oracle says it is wrong, never refuted when it is right."""
    latex, formula = CANDIDATES[name]
    wrong = _differ(_dloss_dx(0, 0), formula(0, 0))
    assert wrong == (name != "true")
    post = HEAD + (r"$$\frac{\partial L}{\partial x_{ij}} = \sum_{b=1}^{B} \sum_{h=1}^{H} "
                   r"\frac{\partial L}{\partial y_{bh}} \frac{\partial y_{bh}}{\partial x_{ij}}$$" "\n"
                   f"$$= {latex}$$\n")
    report = check_post(post, "post.md")
    step = report.relations[-1]
    if wrong:
        assert step.verdict == "refuted", (name, step.evidence)
    else:
        assert step.verdict != "refuted", step.evidence


def test_entries_of_a_matrix_are_a_definition():
    """``y_{ij} = ...`` defines the entries of y (not a name y_ij): a step
    written in y's entries is replayed against that formula."""
    post = HEAD + r"$$\frac{\partial y_{ij}}{\partial w_j} = \frac{x_{ij}}{r_i}$$" "\n"
    report = check_post(post, "post.md")
    kinds = [s.kind for s in report.relations]
    assert kinds[0] == "definition"
    assert report.relations[-1].verdict == "proved"
    wrong = HEAD + r"$$\frac{\partial y_{ij}}{\partial w_j} = \frac{x_{ij}}{r_j}$$" "\n"
    assert check_post(wrong, "post.md").relations[-1].verdict == "refuted"
    # the oracle agrees: dy_12/dw_2 = x_12 / r_1, not x_12 / r_2
    assert not _differ(sympy.diff(y[0, 1], w[1]), x[0, 1] / r[0])
    assert _differ(sympy.diff(y[0, 1], w[1]), x[0, 1] / r[1])


def test_a_label_subscript_still_names_a_function():
    """``L_{CE} = ...`` and ``x_{in}`` stay names: only index letters make entries."""
    scope = infer_scope([r"L_{CE} = -\sum_k y_k \log p_k", r"x_{in} = x_i + 1"])
    assert "L_CE" in scope.functions
    assert "x_in" in scope.functions


def test_definition_unfolded_at_an_index_its_body_sums_over():
    """r_h with r_i = sum_h x_ih^2: the body's bound h is renamed before i
    becomes h (a capture would give sum_h x_hh^2)."""
    i, h = sympy.symbols("i h", integer=True)
    n = sympy.Symbol("n", integer=True, positive=True)
    xb, rb = sympy.IndexedBase("x", real=True), sympy.IndexedBase("r", real=True)
    meaning = Meaning(infer_scope(["r_i = x_i"]), sympy.Symbol("x", real=True))
    meaning.indexed[rb] = (i, sympy.Sum(xb[i, h] ** 2, (h, 1, n)))
    unfolded = meaning.unfold(rb[h]).subs(n, 2).doit()
    assert sympy.expand(unfolded - (xb[h, 1] ** 2 + xb[h, 2] ** 2)) == 0


def test_a_free_index_beside_a_sum_over_the_same_letter():
    """w_h times a sum over h: the free h takes values (the bound one is
    another index), so a wrong step is refuted and a renaming is proved."""
    h, k = sympy.symbols("h k", integer=True)
    n = sympy.Symbol("n", integer=True, positive=True)
    wb, xb = sympy.IndexedBase("w", real=True), sympy.IndexedBase("x", real=True)
    left = wb[h] * sympy.Sum(xb[h] ** 2, (h, 1, n))
    assert prove_equal(left, wb[h] * sympy.Sum(xb[k] ** 2, (k, 1, n))).__class__.__name__ == "Proved"
    assert prove_equal(left, wb[1] * sympy.Sum(xb[k] ** 2, (k, 1, n))).__class__.__name__ == "Refuted"
    renamed = bound_apart(left, {h})
    assert h in renamed.free_symbols and renamed != left


def test_a_sums_upper_limit_is_a_count():
    """The n of ``\\frac{1}{n}\\sum_{r=1}^{n}`` read as a real variable
    elsewhere is the count of the sum: a free index stays within 1..n (no
    refutation at i = 2, n = 1), and a wrong step is refuted at a count
    (the oracle: the sums written out at n = 3)."""
    i, r = sympy.symbols("i r", integer=True)
    n = sympy.Symbol("n", real=True)
    xb = sympy.IndexedBase("x", real=True)
    mean_slope = sympy.Sum(sympy.KroneckerDelta(r, i), (r, 1, n)) / n
    assert prove_equal(mean_slope, 1 / n).__class__.__name__ != "Refuted"
    xs = sympy.symbols("x1:4", real=True)
    assert sympy.expand(sum(v ** 2 for v in xs) - 3 * xs[0] ** 2) != 0  # wrong at n = 3
    verdict = prove_equal(sympy.Sum(xb[r] ** 2, (r, 1, n)), n * xb[1] ** 2)
    assert verdict.__class__.__name__ == "Refuted"
    assert dict(verdict.point)["n"].isdigit() and int(dict(verdict.point)["n"]) >= 1


def test_a_function_applied_where_its_body_sums_over_the_parameters_index():
    """``o_j = softmax(z_j) = e^{z_j} / \\sum_j e^{z_j}``: the sum's j is its own
    index, so softmax at z_b is e^{z_b} / sum_j e^{z_j}, not e^{z_b} / (n e^{z_b})."""
    j, b = sympy.symbols("j b", integer=True)
    n = sympy.Symbol("n", integer=True, positive=True)
    z = sympy.IndexedBase("z", real=True)
    softmax = sympy.Function("softmax")
    meaning = Meaning(infer_scope(["o_j = z_j"]), sympy.Symbol("x", real=True))
    meaning.functions[softmax] = (z[j], sympy.exp(z[j]) / sympy.Sum(sympy.exp(z[j]), (j, 1, n)))
    at_b = meaning.unfold(softmax(z[b])).subs({n: 3, b: 1}).doit()
    oracle = sympy.exp(z[1]) / sum(sympy.exp(z[k]) for k in range(1, 4))
    assert sympy.simplify(at_b - oracle) == 0
