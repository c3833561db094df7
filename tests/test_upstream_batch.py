"""A batched layer's backward pass through a loss the post never defines,
y_{ij} = e^{x_{ij}} / Z_i with Z_i = \\sum_{h=1}^{H} e^{x_{ih}} (softmax over
each row). The row's length H is stated by Z's definition, so a claim's
sum to H over y's columns runs over all of them (upstream._unstated_range);
the batch's B is stated only by a declaration (X in R^{B x H}): a claim
that alone writes it is never proved over it, and never refuted.

The oracle is SymPy at B = 2 rows, H = 3 columns with a loss that is not
linear in the outputs; a claim is true when it matches ``sympy.diff`` at
every entry (i, j). Wrong variants (a lost factor, a sign slip) must be
refuted, true ones never refuted.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.post.check import check_post

B, H = 2, 3
X = sympy.Matrix(B, H, lambda i, j: sympy.Symbol(f"x{i}{j}", real=True))
Y = sympy.Matrix(B, H, lambda i, j: sympy.exp(X[i, j]) / sum(sympy.exp(X[i, h]) for h in range(H)))
HELD = sympy.Matrix(B, H, lambda i, j: sympy.Symbol(f"y{i}{j}"))
LOSS = sum(HELD[i, j] ** 3 * (i + 2 * j + 1) for i in range(B) for j in range(H)) + sympy.exp(HELD[0, 0] * HELD[1, 2])
AT = dict(zip(HELD, Y))
POINT = {x: sympy.Rational(k + 1, 3) * (-1) ** k for k, x in enumerate(X)}


def g(b, h):
    """dL/dy_bh at the layer's output."""
    return sympy.diff(LOSS, HELD[b, h]).xreplace(AT)


def truth(i, j):
    return sympy.diff(LOSS.xreplace(AT), X[i, j])


POST = "$$y_{ij} = \\frac{e^{x_{ij}}}{Z_i}$$\nwhere\n$$Z_i = \\sum_{h=1}^H e^{x_{ih}}$$\n\n"
LHS = "\\frac{\\partial L}{\\partial x_{ij}}"


def dl(entry):
    return f"\\frac{{\\partial L}}{{\\partial y_{{{entry}}}}}"


CLAIMS = [  # (id, right side, its value at entry (i, j) by the oracle)
    ("chain", f"\\sum_{{b=1}}^{{B}} \\sum_{{h=1}}^{{H}} {dl('bh')} \\frac{{\\partial y_{{bh}}}}{{\\partial x_{{ij}}}}",
     lambda i, j: sum(g(b, h) * sympy.diff(Y[b, h], X[i, j]) for b in range(B) for h in range(H))),
    ("result", f"y_{{ij}} \\left( {dl('ij')} - \\sum_{{h=1}}^{{H}} {dl('ih')} y_{{ih}} \\right)",
     lambda i, j: Y[i, j] * (g(i, j) - sum(g(i, h) * Y[i, h] for h in range(H)))),
    ("lost-factor", f"y_{{ij}} \\left( {dl('ij')} - \\sum_{{h=1}}^{{H}} {dl('ih')} \\right)",
     lambda i, j: Y[i, j] * (g(i, j) - sum(g(i, h) for h in range(H)))),
    ("sign", f"y_{{ij}} \\left( {dl('ij')} + \\sum_{{h=1}}^{{H}} {dl('ih')} y_{{ih}} \\right)",
     lambda i, j: Y[i, j] * (g(i, j) + sum(g(i, h) * Y[i, h] for h in range(H)))),
]


def oracle_holds(value) -> bool:
    return all(abs(sympy.N((truth(i, j) - value(i, j)).xreplace(POINT), 30)) < 1e-20
               for i in range(B) for j in range(H))


def test_the_oracle_tells_the_variants_apart():
    assert [oracle_holds(value) for _, _, value in CLAIMS] == [True, True, False, False]


DECLARED = "The input $X \\in R^{B \\times H}$.\n\n"


@pytest.mark.parametrize("rhs, value", [(rhs, value) for _, rhs, value in CLAIMS], ids=[c[0] for c in CLAIMS])
def test_a_batched_chain_rule_matches_the_oracle(rhs, value):
    found = check_post(DECLARED + POST + f"$${LHS} = {rhs}$$\n", "batch.md", timeout=10).claims()[-1]
    assert found.verdict == ("proved" if oracle_holds(value) else "refuted"), found.evidence


@pytest.mark.parametrize("rhs, value", [(rhs, value) for _, rhs, value in CLAIMS], ids=[c[0] for c in CLAIMS])
def test_without_a_declared_batch_the_row_length_a_definition_states_decides(rhs, value):
    """No shape declared: the claims summing only rows to H (stated by Z's
    definition) are decided as the oracle says; the chain rule summing the
    batch to B, which only the claim writes, is left unknown."""
    found = check_post(POST + f"$${LHS} = {rhs}$$\n", "batch.md", timeout=10).claims()[-1]
    if "{B}" in rhs:
        assert found.verdict == "unknown", found.evidence
    else:
        assert found.verdict == ("proved" if oracle_holds(value) else "refuted"), found.evidence


@pytest.mark.parametrize("rows", ["H", "M"])
def test_a_batch_summed_to_a_length_the_post_gives_elsewhere_is_never_proved(rows):
    """Rows summed to H, the row length (a square output no one states), or
    to M with X declared B x H: the claim chooses the batch's length, so it
    proves nothing of the post's batch."""
    declared = "The input $X \\in R^{B \\times H}$.\n\n" if rows == "M" else ""
    rhs = f"\\sum_{{b=1}}^{{{rows}}} \\sum_{{h=1}}^{{H}} {dl('bh')} \\frac{{\\partial y_{{bh}}}}{{\\partial x_{{ij}}}}"
    found = check_post(declared + POST + f"$${LHS} = {rhs}$$\n", "batch.md", timeout=10).claims()[-1]
    assert found.verdict != "proved"


RMS = "$$y_{ij} = \\frac{w_j x_{ij}}{r_i}$$\nwhere\n$$r_i = \\sqrt{\\frac{1}{H} \\sum_{h=1}^H x_{ih}^2 + \\epsilon}$$\n\n"


@pytest.mark.parametrize("factor, holds", [("", True), ("2", False)])
def test_a_weight_shared_by_the_batch_is_summed_over_it(factor, holds):
    """dL/dw_j = sum_b sum_h dL/dy_bh dy_bh/dw_j of RMSNorm, and a doubled
    variant; the oracle at B = 2, H = 3 with the cubic loss."""
    w = sympy.symbols("w0:3", real=True)
    r = [sympy.sqrt(sum(X[i, h] ** 2 for h in range(H)) / H + sympy.Rational(1, 10)) for i in range(B)]
    ys = sympy.Matrix(B, H, lambda i, j: w[j] * X[i, j] / r[i])
    at = dict(zip(HELD, ys))
    point = {**POINT, **{v: sympy.Rational(k + 2, 5) for k, v in enumerate(w)}}
    scale = 2 if factor else 1
    oracle = all(abs(sympy.N((sympy.diff(LOSS.xreplace(at), w[j]) - scale * sum(
        sympy.diff(LOSS, HELD[b, h]).xreplace(at) * sympy.diff(ys[b, h], w[j]) for b in range(B)
        for h in range(H))).xreplace(point), 30)) < 1e-20 for j in range(H))
    assert oracle == holds
    rhs = f"{factor} \\sum_{{b=1}}^{{B}} \\sum_{{h=1}}^{{H}} {dl('bh')} \\frac{{\\partial y_{{bh}}}}{{\\partial w_j}}"
    post = DECLARED + RMS + f"$$\\frac{{\\partial L}}{{\\partial w_j}} = {rhs}$$\n"
    found = check_post(post, "rms.md", timeout=10).claims()[-1]
    assert found.verdict == ("proved" if holds else "refuted"), found.evidence


def test_a_length_a_definition_sums_over_another_axis_is_never_the_outputs():
    """y_ij = sum_{k=1}^{K} w_jk x_ik: K is the inputs' length, y's columns
    are w's rows. A chain rule summing y's columns to K misses columns past
    K (the oracle: B = 2, K = 2, N = 3, a cubic loss) and is never proved."""
    rows, inputs, outputs = 2, 2, 3
    xs = sympy.Matrix(rows, inputs, lambda i, k: sympy.Symbol(f"x{i}{k}"))
    ws = sympy.Matrix(outputs, inputs, lambda j, k: sympy.Symbol(f"w{j}{k}"))
    ys = xs * ws.T
    held = sympy.Matrix(rows, outputs, lambda i, j: sympy.Symbol(f"y{i}{j}"))
    cubic = sum(held[i, j] ** 3 * (i + 2 * j + 1) for i in range(rows) for j in range(outputs))
    at = dict(zip(held, ys))
    left = sympy.diff(cubic.xreplace(at), xs[0, 0])
    right = sum(sympy.diff(cubic, held[m, n]).xreplace(at) * sympy.diff(ys[m, n], xs[0, 0])
                for m in range(rows) for n in range(inputs))
    assert sympy.expand(left - right) != 0
    post = ("$$y_{ij} = \\sum_{k=1}^{K} w_{jk} x_{ik}$$\n\n"
            f"$${LHS} = \\sum_{{m=1}}^{{B}} \\sum_{{n=1}}^{{K}} {dl('mn')} "
            "\\frac{\\partial y_{mn}}{\\partial x_{ij}}$$\n")
    assert check_post(post, "dense.md", timeout=10).claims()[-1].verdict != "proved"
