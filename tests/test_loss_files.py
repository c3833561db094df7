"""The loss derivation files added for the losses issue: squared hinge and
binary focal loss (a positive and a negative label); binary cross-entropy
(on probabilities and with logits) and the positive-label focal loss also
as means over N samples with symbolic N.

For each file: it verifies with every step proved and justified; the loss
it defines and the formula it ends in (last step and closed form) agree with
an oracle written here from the mathematics -- the loss typed directly in
SymPy, differentiated by ``sympy.diff`` and compared at random points by
``tests/oracles.py`` (no symderive prover code) -- and the mistakes a post
makes in its steps (a lost factor 2, a sign flip, a case swapped, the
modulating factor held constant) are not proved: the oracle tells them
apart from the right step, and the file with one of them does not verify."""

import random

import pytest
import sympy
from sympy import Max, Piecewise, exp, log

from library import LIBRARY, verify_json, verify_with_step_replaced
from oracles import numerically_equal
from symderive.derivation import Located, load
from symderive.derivation_meaning import meaning_of

s, y, z = sympy.symbols("s y z", real=True)
alpha, gamma = sympy.symbols("alpha gamma", positive=True)


def _sigmoid(x):
    return 1 / (1 + exp(-x))


# file -> (the loss written from the mathematics, the variable)
ORACLES = {
    "loss_squared_hinge": (Max(0, 1 - y * s) ** 2, s),
    "loss_focal": (-alpha * (1 - _sigmoid(z)) ** gamma * log(_sigmoid(z)), z),
    "loss_focal_negative": (-(1 - alpha) * _sigmoid(z) ** gamma * log(1 - _sigmoid(z)), z),
}


def _by_name(expr):
    """The file's symbols replaced by this module's symbols of the same name."""
    ours = {symbol.name: symbol for symbol in (s, y, z, alpha, gamma)}
    return expr.xreplace({symbol: ours[symbol.name] for symbol in expr.free_symbols if symbol.name in ours})


def _file_formulas(stem):
    """(the file's loss L, its last step, its closed form), every name unfolded."""
    derivation = load(LIBRARY / f"{stem}.toml")
    meaning = meaning_of(derivation)
    last = derivation.steps[-1]
    loss = meaning.unfold(meaning.parse(dict(derivation.lets)["L"]))
    final = meaning.unfold(meaning.parse(Located(last.latex, last.origin)))
    closed = meaning.unfold(meaning.parse(derivation.closed_form))
    return _by_name(loss), _by_name(final), _by_name(closed)


def _truth(stem):
    loss, variable = ORACLES[stem]
    return sympy.diff(loss.rewrite(Piecewise), variable)


def _agree_at_points(a, b, trials=24, seed=0):
    """a and b equal at random points to 40 digits (the focal loss's gamma > 0)."""
    rng = random.Random(seed)
    for _ in range(trials):
        point = {symbol: sympy.Rational(rng.randint(1, 400), 97) if symbol.is_positive
                 else sympy.Rational(rng.randint(-400, 400), 97)
                 for symbol in sorted(a.free_symbols | b.free_symbols, key=str)}
        left, right = sympy.N(a.xreplace(point), 50), sympy.N(b.xreplace(point), 50)
        if abs(left - right) > sympy.Float("1e-40", 50) * max(1, abs(right)):
            return False
    return True


@pytest.mark.parametrize("stem", sorted(ORACLES))
def test_the_file_verifies_every_step_proved_and_justified(stem, capsys):
    _, report, err = verify_json([LIBRARY / f"{stem}.toml"], capsys)
    derivation = report["derivations"][0]
    assert derivation["status"] == "verified", (derivation, err)
    for step in derivation["steps"][1:]:
        assert step["verdict"] == "proved" and step["justified"] is True, step
    assert derivation["closed_form"]["verdict"] == "proved"


@pytest.mark.parametrize("stem", sorted(ORACLES))
def test_the_file_defines_the_loss_of_the_literature(stem):
    loss, _, _ = _file_formulas(stem)
    assert numerically_equal(loss, ORACLES[stem][0])
    assert _agree_at_points(loss, ORACLES[stem][0])


@pytest.mark.parametrize("stem", sorted(ORACLES))
def test_the_final_formula_and_closed_form_agree_with_sympy_diff(stem):
    _, final, closed = _file_formulas(stem)
    truth = _truth(stem)
    for formula in (final, closed):
        assert numerically_equal(formula, truth), (formula, truth)
        assert _agree_at_points(formula, truth), (formula, truth)


# (file, a wrong formula a post writes for the gradient): the oracle must tell it apart,
# else the agreement above proves nothing
WRONG_GRADIENTS = [
    ("loss_squared_hinge", Piecewise((-y * (1 - y * s), y * s < 1), (0, True))),  # the 2 lost
    ("loss_squared_hinge", Piecewise((2 * y * (1 - y * s), y * s < 1), (0, True))),  # sign of d(1 - ys) lost
    ("loss_focal", alpha * (1 - _sigmoid(z)) ** gamma * (_sigmoid(z) - 1)),  # (1 - p)^gamma held constant
    ("loss_focal", alpha * (1 - _sigmoid(z)) ** gamma * (gamma * log(_sigmoid(z)) + _sigmoid(z) - 1)),
    ("loss_focal_negative", (1 - alpha) * _sigmoid(z) ** (gamma + 1)),  # p^gamma held constant
    ("loss_focal_negative",  # the sign of d(1 - p) lost
     (1 - alpha) * _sigmoid(z) ** gamma * (_sigmoid(z) + gamma * (1 - _sigmoid(z)) * log(1 - _sigmoid(z)))),
]


@pytest.mark.parametrize("stem, wrong", WRONG_GRADIENTS, ids=[f"{stem}:{n}" for n, (stem, _) in
                                                                 enumerate(WRONG_GRADIENTS)])
def test_the_oracle_tells_a_wrong_gradient_apart(stem, wrong):
    assert not _agree_at_points(wrong, _truth(stem))


MISTAKES = [
    # (file, the step's index, a wrong version of it)
    ("loss_squared_hinge", 2,
     '\\begin{cases} (1 - y s) \\frac{d}{ds} (1 - y s) & \\text{if } y s < 1 \\\\ 0 & \\text{if } y s \\geq 1 \\end{cases}'),
    ("loss_squared_hinge", 3,
     '\\begin{cases} 2 (1 - y s) y & \\text{if } y s < 1 \\\\ 0 & \\text{if } y s \\geq 1 \\end{cases}'),
    ("loss_squared_hinge", 4,  # the cases swapped
     '\\begin{cases} 0 & \\text{if } y s < 1 \\\\ -2 y (1 - y s) & \\text{if } y s \\geq 1 \\end{cases}'),
    ("loss_squared_hinge", 5, '-2 \\max(0, 1 - y s)'),  # the label dropped
    ("loss_focal", 1,  # the modulating factor treated as a constant
     '-\\alpha (1 - p)^{\\gamma} \\frac{d}{dz} \\log p'),
    ("loss_focal", 5,  # d(1 - p)/dz = +p(1 - p)
     '-\\alpha \\left(\\gamma (1 - p)^{\\gamma - 1} p (1 - p) \\log p + (1 - p)^{\\gamma + 1}\\right)'),
    ("loss_focal", 6,
     '\\alpha (1 - \\sigma(z))^{\\gamma} \\left(\\sigma(z) \\log \\sigma(z) + \\sigma(z) - 1\\right)'),
    ("loss_focal_negative", 1,  # the modulating factor treated as a constant
     '-(1 - \\alpha) p^{\\gamma} \\frac{d}{dz} \\log(1 - p)'),
    ("loss_focal_negative", 3,  # d(1 - p)/dz = +p(1 - p)
     '-(1 - \\alpha) \\left(\\frac{d}{dz} p^{\\gamma} \\cdot \\log(1 - p) + \\frac{p^{\\gamma}}{1 - p} p (1 - p)\\right)'),
    ("loss_focal_negative", 5,  # alpha for 1 - alpha
     '\\alpha \\sigma(z)^{\\gamma} \\left(\\sigma(z) - \\gamma (1 - \\sigma(z)) \\log(1 - \\sigma(z))\\right)'),
]


@pytest.mark.parametrize("stem, index, wrong", MISTAKES, ids=[f"{s}:{i}" for s, i, _ in MISTAKES])
def test_a_wrong_step_is_refuted_and_the_file_fails(stem, index, wrong, tmp_path, capsys):
    path = LIBRARY / f"{stem}.toml"
    derivation = load(path)
    right = derivation.steps[index].latex
    # the oracle first: the wrong line differs from the right one at random points
    meaning = meaning_of(derivation)
    evaluated = [_by_name(meaning.evaluate(meaning.parse(Located(latex, None)))) for latex in (right, wrong)]
    assert not _agree_at_points(*evaluated), evaluated
    reported, _ = verify_with_step_replaced(path, right, wrong, tmp_path, capsys)
    assert reported["status"] == "failed"
    step = reported["steps"][index]
    assert step["verdict"] == "refuted", step
    assert step["counterexample"]["lhs"] != step["counterexample"]["rhs"]


# -- means over N samples, symbolic N: checked against the sum written out at N = 2, 3, 4 --

# file -> the loss of one sample (logit a, label b), written from the mathematics
PER_SAMPLE = {
    # the prediction a is a probability here
    "loss_binary_cross_entropy_mean": lambda a, b: -(b * log(a) + (1 - b) * log(1 - a)),
    # the plain form, not the file's log(1 + e^z) - y z
    "loss_binary_cross_entropy_logits_mean": lambda a, b: -(b * log(_sigmoid(a)) + (1 - b) * log(1 - _sigmoid(a))),
    "loss_focal_mean": lambda a, b: -alpha * (1 - _sigmoid(a)) ** gamma * log(_sigmoid(a)),
}


def _mean_oracle(stem, size):
    """(the mean loss at a size, its gradient entries, z, y)."""
    zs = [sympy.Symbol(f"z{i}", real=True) for i in range(1, size + 1)]
    ys = [sympy.Symbol(f"y{i}", real=True) for i in range(1, size + 1)]
    loss = sum(PER_SAMPLE[stem](a, b) for a, b in zip(zs, ys)) / size
    return loss, [sympy.diff(loss, a) for a in zs], zs, ys


def _at_size(formula, size, k, zs, ys):
    """The file's formula with N = size, the free index k, its entries z_i, y_i
    and its scalars as the oracle's symbols."""
    names = {symbol.name: symbol for symbol in formula.free_symbols}
    concrete = formula.xreplace({names[name]: value for name, value in (("N", size), ("k", k)) if name in names})
    concrete = concrete.doit()
    # y is the label; the other vector (z, or p for probabilities) is the one differentiated in
    entries = {e: (ys if str(e.base) == "y" else zs)[int(e.indices[0]) - 1] for e in concrete.atoms(sympy.Indexed)}
    return _by_name(concrete.xreplace(entries))


def _mean_formulas(stem):
    """(the last step, the closed form, the loss L), every name unfolded."""
    derivation = load(LIBRARY / f"{stem}.toml")
    meaning = meaning_of(derivation)
    last = derivation.steps[-1]
    return [meaning.unfold(meaning.parse(located)) for located in (Located(last.latex, last.origin),
                                                                    derivation.closed_form,
                                                                    dict(derivation.lets)["L"])]


@pytest.mark.parametrize("stem", sorted(PER_SAMPLE))
def test_the_mean_file_verifies_every_step_proved_and_justified(stem, capsys):
    test_the_file_verifies_every_step_proved_and_justified(stem, capsys)


@pytest.mark.parametrize("stem", sorted(PER_SAMPLE))
@pytest.mark.parametrize("size", (2, 3, 4))
def test_the_mean_gradient_agrees_with_sympy_diff_of_the_sum_written_out(stem, size):
    plain, truths, zs, ys = _mean_oracle(stem, size)
    final, closed, loss = _mean_formulas(stem)
    assert _agree_at_points(_at_size(loss, size, 1, zs, ys), plain, seed=size)
    for k in range(1, size + 1):
        for formula in (final, closed):
            assert _agree_at_points(_at_size(formula, size, k, zs, ys), truths[k - 1], seed=k), (formula, k)
        # the oracle tells a dropped 1/N and the entry of another sample apart
        assert not _agree_at_points(_at_size(final, size, k, zs, ys) * size, truths[k - 1])
        assert not _agree_at_points(_at_size(final, size, k % size + 1, zs, ys), truths[k - 1])


MEAN_MISTAKES = [
    # (file, the step's index, a wrong version of it)
    ("loss_binary_cross_entropy_mean", 2,  # d(1 - p_i) = +dp_i
     '-\\frac{1}{N} \\sum_{i=1}^{N} \\left(\\frac{y_i}{p_i} \\frac{\\partial p_i}{\\partial p_k} + '
     '\\frac{1 - y_i}{1 - p_i} \\frac{\\partial p_i}{\\partial p_k}\\right)'),
    ("loss_binary_cross_entropy_mean", 5, '\\frac{p_k - y_k}{p_k (1 - p_k)}'),  # the 1/N dropped
    ("loss_binary_cross_entropy_mean", 5, '\\frac{p_k - y_k}{N p_i (1 - p_k)}'),  # i where k is meant
    ("loss_binary_cross_entropy_logits_mean", 4,
     '\\left(\\frac{e^{z_k}}{1 + e^{z_k}} - y_k\\right)'),  # the 1/N dropped
    ("loss_binary_cross_entropy_logits_mean", 4,
     '\\frac{1}{N} \\left(\\frac{e^{z_k}}{1 + e^{z_k}} - y_i\\right)'),  # i where k is meant
    ("loss_binary_cross_entropy_logits_mean", 2,
     '\\frac{1}{N} \\sum_{i=1}^{N} \\left(\\frac{e^{z_i}}{1 + e^{z_i}} \\frac{\\partial z_i}{\\partial z_k} '
     '+ y_i \\frac{\\partial z_i}{\\partial z_k}\\right)'),  # a sign flipped
    ("loss_binary_cross_entropy_logits_mean", 5, '\\frac{1}{N} \\left(y_k - \\sigma(z_k)\\right)'),
    ("loss_focal_mean", 1,  # the modulating factor treated as a constant
     '-\\frac{\\alpha}{N} \\sum_{i=1}^{N} (1 - p_i)^{\\gamma} \\frac{\\partial}{\\partial z_k} \\log p_i'),
    ("loss_focal_mean", 7,  # the 1/N dropped
     '-\\alpha \\left(-\\gamma (1 - p_k)^{\\gamma - 1} p_k (1 - p_k) \\log p_k + (1 - p_k)^{\\gamma + 1}\\right)'),
    ("loss_focal_mean", 7,  # d(1 - p)/dz = +p(1 - p)
     '-\\frac{\\alpha}{N} \\left(\\gamma (1 - p_k)^{\\gamma - 1} p_k (1 - p_k) \\log p_k + (1 - p_k)^{\\gamma + 1}\\right)'),
    ("loss_focal_mean", 8,  # i where k is meant
     '\\frac{\\alpha}{N} (1 - \\sigma(z_i))^{\\gamma} \\left(\\gamma \\sigma(z_k) \\log \\sigma(z_k) + \\sigma(z_k) - 1\\right)'),
]


@pytest.mark.parametrize("stem, index, wrong", MEAN_MISTAKES,
                         ids=[f"{s}:{i}:{n}" for n, (s, i, _) in enumerate(MEAN_MISTAKES)])
def test_a_wrong_step_of_a_mean_file_is_refuted(stem, index, wrong, tmp_path, capsys):
    path = LIBRARY / f"{stem}.toml"
    derivation = load(path)
    right = derivation.steps[index].latex
    size, k = 3, 2
    _, _, zs, ys = _mean_oracle(stem, size)
    meaning = meaning_of(derivation)
    evaluated = [meaning.evaluate(meaning.parse(Located(latex, None))) for latex in (right, wrong)]
    concrete = [_at_size(e.xreplace({s: 1 for s in e.free_symbols if s.name == "i"}), size, k, zs, ys)
                for e in evaluated]
    assert not _agree_at_points(*concrete), concrete
    reported, _ = verify_with_step_replaced(path, right, wrong, tmp_path, capsys)
    assert reported["status"] == "failed"
    step = reported["steps"][index]
    assert step["verdict"] == "refuted", step
