"""Mean absolute error over N samples (derivations/loss_mae.toml): its
gradient against sympy.diff of the loss written out at N = 2, 3, 4 off the
kink, wrong steps refuted, and the Kronecker collapse it needs (a delta
shared by every branch of cases taken out of them) checked against the sum
written out."""
import random
import sympy
import pytest
from sympy import Abs, Piecewise
from library import LIBRARY, verify_json, verify_with_step_replaced
from symderive.kronecker import collapse_kronecker_sums
from symderive.derivation import Located, load
from symderive.derivation_meaning import meaning_of

MAE = LIBRARY / "loss_mae.toml"


def _mae_at(formula, size, k, yhats, ys):
    names = {symbol.name: symbol for symbol in formula.free_symbols}
    concrete = formula.xreplace({names[n]: v for n, v in (("N", size), ("k", k)) if n in names}).doit()
    entries = {e: {"y_hat": yhats, "y": ys}[str(e.base)][int(e.indices[0]) - 1] for e in concrete.atoms(sympy.Indexed)}
    return concrete.xreplace(entries)


@pytest.mark.parametrize("size", (2, 3, 4))
def test_the_mae_gradient_agrees_with_sympy_diff_off_the_kink(size):
    derivation = load(MAE)
    meaning = meaning_of(derivation)
    last = derivation.steps[-1]
    final = meaning.unfold(meaning.parse(Located(last.latex, last.origin)))
    closed = meaning.unfold(meaning.parse(derivation.closed_form))
    yhats = [sympy.Symbol(f"yhat{i}", real=True) for i in range(1, size + 1)]
    ys = [sympy.Symbol(f"y{i}", real=True) for i in range(1, size + 1)]
    loss = sum(Abs(a - b) for a, b in zip(yhats, ys)) / size
    rng = random.Random(size)
    for k in range(1, size + 1):
        truth = sympy.diff(loss, yhats[k - 1])  # sign(yhat_k - y_k)/N
        for _ in range(12):
            point = {s: sympy.Rational(rng.randint(-400, 400), 97) for s in (*yhats, *ys)}
            if point[yhats[k - 1]] == point[ys[k - 1]]:
                continue  # the kink: a convention
            expected = truth.xreplace(point)
            for formula in (final, closed):
                assert _mae_at(formula, size, k, yhats, ys).xreplace(point) == expected
            assert _mae_at(final, size, k, yhats, ys).xreplace(point) * size != expected  # 1/N matters


MAE_MISTAKES = [
    (4, '\\begin{cases} -1 & \\text{if } y_k - \\hat{y}_k \\geq 0 \\\\ 1 & \\text{if } y_k - \\hat{y}_k < 0 \\end{cases}'),
    (4, '\\begin{cases} \\frac{1}{N} & \\text{if } y_k - \\hat{y}_k \\geq 0 \\\\ -\\frac{1}{N} & \\text{if } y_k - \\hat{y}_k < 0 \\end{cases}'),
    (3, '\\frac{1}{N} \\sum_{i=1}^{N} \\begin{cases} \\delta_{ik} & \\text{if } y_i - \\hat{y}_i \\geq 0 \\\\ \\delta_{ik} & \\text{if } y_i - \\hat{y}_i < 0 \\end{cases}'),
]


@pytest.mark.parametrize("index, wrong", MAE_MISTAKES)
def test_a_wrong_mae_step_is_refuted(index, wrong, tmp_path, capsys):
    derivation = load(MAE)
    right = derivation.steps[index].latex
    reported, _ = verify_with_step_replaced(MAE, right, wrong, tmp_path, capsys)
    assert reported["status"] == "failed"
    assert reported["steps"][index]["verdict"] == "refuted"


def test_the_mae_file_verifies(capsys):
    _, report, err = verify_json([MAE], capsys)
    derivation = report["derivations"][0]
    assert derivation["status"] == "verified", (derivation, err)
    assert all(s["verdict"] == "proved" and s["justified"] for s in derivation["steps"][1:])


def test_a_delta_shared_by_every_branch_collapses_and_one_not_shared_does_not():
    i = sympy.Symbol("i", integer=True, positive=True)
    k = sympy.Symbol("k", integer=True, positive=True)
    n = sympy.Symbol("n", integer=True, positive=True)
    x, t = sympy.IndexedBase("x", real=True), sympy.IndexedBase("t", real=True)
    delta = sympy.KroneckerDelta(i, k)
    shared = sympy.Sum(Piecewise((-delta, x[i] <= t[i]), (2 * delta, True)), (i, 1, n))
    collapsed = collapse_kronecker_sums(shared)
    assert not collapsed.has(sympy.Sum)
    not_shared = sympy.Sum(Piecewise((-delta, x[i] <= t[i]), (1, True)), (i, 1, n))
    assert collapse_kronecker_sums(not_shared).has(sympy.Sum)
    for size in (2, 3, 4):
        for k_value in range(1, size + 1):
            for values in ((1, 2, 0, 5), (3, -1, 2, 2), (-2, -2, 4, 1)):
                point = {x[j]: values[j - 1] for j in range(1, size + 1)}
                point.update({t[j]: values[-j] for j in range(1, size + 1)})
                truth = shared.subs({n: size, k: k_value}).doit().subs(point)
                assert collapsed.subs({n: size, k: k_value}).subs(point) == truth
