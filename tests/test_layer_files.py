"""The layer derivation files added for symbolic sizes (a residual connection,
a dense layer over a batch, normalization): each file's last line is checked
against the layer written out in plain SymPy at explicit small sizes and
differentiated with sympy.diff; a wrong version of a step (an index swapped,
a transpose lost, a term dropped, a sign flipped) is neither proved nor
justified. The upstream gradient g of a file is checked with a loss that is
not linear (the oracle's g is dL/dy of that loss at the point), so the file's
formula is checked as the backward formula it claims to be.

Also here: the ranges of free indices when a claim has two lengths (a batch
of N samples of n features), checked against sums written out by hand."""

import random

import pytest
import sympy
from sympy import KroneckerDelta, Sum

from library import LIBRARY, verify_json, verify_with_step_replaced
from symderive.derivation import Located, load
from symderive.derivation_meaning import meaning_of
from symderive.evidence import Proved
from symderive.kronecker import collapse_kronecker_sums
from symderive.normal_form import exp_rational_normal_form
from symderive.prove_base import ProofContext
from symderive.prover import prove_equal
from symderive.rules import RuleContext, justify

PRECISION = 50


def _rational(rng):
    return sympy.Rational(rng.randint(-190, 190), 97)


def _table(name, shape, rng):
    """Plain symbols W12, x3, ... for the entries of a vector or a matrix,
    and random rational values for them."""
    keys = [(a,) for a in range(1, shape[0] + 1)] if len(shape) == 1 else [
        (a, b) for a in range(1, shape[0] + 1) for b in range(1, shape[1] + 1)]
    symbols = {key: sympy.Symbol(name + "_".join(map(str, key)), real=True) for key in keys}
    return symbols, {symbols[key]: _rational(rng) for key in keys}


def _last_line(path, latex=None):
    """A line of the file (its last by default), every name unfolded."""
    derivation = load(path)
    m = meaning_of(derivation)
    text = latex if latex is not None else derivation.steps[-1].latex
    return m.unfold(m.parse(Located(text, None)))


EPSILON = sympy.Rational(1, 100)


def _at(expr, lengths, indices, entries):
    """The file's formula at sizes, free indices and entry values
    ({("W", (1, 2)): value, ...}); epsilon, where a file has one, at EPSILON."""
    names = {s.name: s for s in expr.free_symbols}
    fixed = {names[k]: v for k, v in {**lengths, **indices, "epsilon": EPSILON}.items() if k in names}
    concrete = expr.subs(fixed).doit()
    concrete = concrete.xreplace({e: entries[(str(e.base), tuple(int(i) for i in e.indices))]
                                  for e in concrete.atoms(sympy.Indexed)})
    concrete = concrete.xreplace({s: entries[(s.name, ())] for s in concrete.free_symbols if (s.name, ()) in entries})
    assert not concrete.free_symbols, concrete
    return sympy.N(concrete, PRECISION)


def _close(a, b):
    return abs(a - b) < sympy.Float("1e-40", PRECISION) * max(1, abs(b))


def _upstream(outputs, rng):
    """A loss that is not linear in the outputs: sum of (y - t)^2 / 2 + sin y."""
    return sum((y - _rational(rng)) ** 2 / 2 + sympy.sin(y) for y in outputs)


# -- oracles: each layer written out at an explicit size --------------------------------

def oracle_residual(sizes, rng, j):
    """y = x + tanh(W x); returns (dL/dx_j, the file's entries with g = dL/dy)."""
    return _residual(sizes, rng, lambda W, x: x[(j,)])


def oracle_residual_weights(sizes, rng, p, q):
    return _residual(sizes, rng, lambda W, x: W[(p, q)])


def _residual(sizes, rng, variable):
    """y = x + tanh(W x), L a non-linear loss of y: (dL/d variable, the
    file's entries with g = dL/dy)."""
    n, = sizes
    W, w_values = _table("W", (n, n), rng)
    x, x_values = _table("x", (n,), rng)
    y = [x[(a,)] + sympy.tanh(sum(W[(a, b)] * x[(b,)] for b in range(1, n + 1))) for a in range(1, n + 1)]
    Y = [sympy.Symbol(f"Y{a}", real=True) for a in range(1, n + 1)]
    loss_of_y = _upstream(Y, rng)
    point = {**w_values, **x_values}
    at_y = {Ya: ya.xreplace(point) for Ya, ya in zip(Y, y)}
    truth = sympy.diff(loss_of_y.xreplace(dict(zip(Y, y))), variable(W, x)).xreplace(point)
    entries = {("W", key): w_values[s] for key, s in W.items()}
    entries.update({("x", key): x_values[s] for key, s in x.items()})
    entries.update({("g", (a,)): sympy.diff(loss_of_y, Y[a - 1]).xreplace(at_y) for a in range(1, n + 1)})
    return sympy.N(truth, PRECISION), entries


def _batch(sizes, rng):
    """Z = X W^T + 1 c^T over N samples: (W, c, loss, point, entries with g = dL/dZ)."""
    n, N = sizes
    W, w_values = _table("W", (n, n), rng)
    X, x_values = _table("x", (N, n), rng)
    c, c_values = _table("c", (n,), rng)
    Z = {(s, a): sum(W[(a, b)] * X[(s, b)] for b in range(1, n + 1)) + c[(a,)]
         for s in range(1, N + 1) for a in range(1, n + 1)}
    Zs = {key: sympy.Symbol("Z" + "_".join(map(str, key)), real=True) for key in Z}
    loss_of_z = _upstream(list(Zs.values()), rng)
    point = {**w_values, **x_values, **c_values}
    at_z = {Zs[key]: Z[key].xreplace(point) for key in Z}
    entries = {("W", key): w_values[s] for key, s in W.items()}
    entries.update({("x", key): x_values[s] for key, s in X.items()})
    entries.update({("c", key): c_values[s] for key, s in c.items()})
    entries.update({("g", key): sympy.diff(loss_of_z, Zs[key]).xreplace(at_z) for key in Z})
    loss = loss_of_z.xreplace({Zs[key]: Z[key] for key in Z})
    return W, X, c, loss, point, entries


def oracle_batch_weights(sizes, rng, i, j):
    W, _, _, loss, point, entries = _batch(sizes, rng)
    return sympy.N(sympy.diff(loss, W[(i, j)]).xreplace(point), PRECISION), entries


def oracle_batch_bias(sizes, rng, i):
    _, _, c, loss, point, entries = _batch(sizes, rng)
    return sympy.N(sympy.diff(loss, c[(i,)]).xreplace(point), PRECISION), entries


def oracle_batch_input(sizes, rng, t, j):
    _, X, _, loss, point, entries = _batch(sizes, rng)
    return sympy.N(sympy.diff(loss, X[(t, j)]).xreplace(point), PRECISION), entries


def _rms(x, n):
    return sympy.sqrt(sum(xj ** 2 for xj in x) / n + EPSILON)


def oracle_rmsnorm_jacobian(sizes, rng, i, k):
    """y_i = x_i / rms(x); returns dy_i/dx_k."""
    n, = sizes
    x, values = _table("x", (n,), rng)
    xs = [x[(a,)] for a in range(1, n + 1)]
    y_i = xs[i - 1] / _rms(xs, n)
    entries = {("x", key): values[s] for key, s in x.items()}
    return sympy.N(sympy.diff(y_i, xs[k - 1]).xreplace(values), PRECISION), entries


def oracle_rmsnorm_input(sizes, rng, k):
    """y = gamma * x / rms(x); returns dL/dx_k with g = dL/dy."""
    n, = sizes
    x, x_values = _table("x", (n,), rng)
    gamma, gamma_values = _table("gamma", (n,), rng)
    xs = [x[(a,)] for a in range(1, n + 1)]
    y = [gamma[(a,)] * xs[a - 1] / _rms(xs, n) for a in range(1, n + 1)]
    Y = [sympy.Symbol(f"Y{a}", real=True) for a in range(1, n + 1)]
    loss_of_y = _upstream(Y, rng)
    point = {**x_values, **gamma_values}
    at_y = {Ya: ya.xreplace(point) for Ya, ya in zip(Y, y)}
    truth = sympy.diff(loss_of_y.xreplace(dict(zip(Y, y))), xs[k - 1]).xreplace(point)
    entries = {("x", key): x_values[s] for key, s in x.items()}
    entries.update({("gamma", key): gamma_values[s] for key, s in gamma.items()})
    entries.update({("g", (a,)): sympy.diff(loss_of_y, Y[a - 1]).xreplace(at_y) for a in range(1, n + 1)})
    return sympy.N(truth, PRECISION), entries


def _layer_norm(xs, n):
    """(x - mean) / sqrt(biased variance + EPSILON), entry by entry."""
    mean = sum(xs) / n
    std = sympy.sqrt(sum((xj - mean) ** 2 for xj in xs) / n + EPSILON)
    return [(xj - mean) / std for xj in xs]


def oracle_layer_norm_jacobian(sizes, rng, i, k):
    n, = sizes
    x, values = _table("x", (n,), rng)
    xs = [x[(a,)] for a in range(1, n + 1)]
    y_i = _layer_norm(xs, n)[i - 1]
    entries = {("x", key): values[s] for key, s in x.items()}
    return sympy.N(sympy.diff(y_i, xs[k - 1]).xreplace(values), PRECISION), entries


def oracle_layer_norm_input(sizes, rng, k):
    """y = gamma * layer_norm(x) + beta; returns dL/dx_k with g = dL/dy."""
    n, = sizes
    x, x_values = _table("x", (n,), rng)
    gamma, gamma_values = _table("gamma", (n,), rng)
    beta = _rational(rng)
    xs = [x[(a,)] for a in range(1, n + 1)]
    y = [gamma[(a,)] * normalized + beta for a, normalized in zip(range(1, n + 1), _layer_norm(xs, n))]
    Y = [sympy.Symbol(f"Y{a}", real=True) for a in range(1, n + 1)]
    loss_of_y = _upstream(Y, rng)
    point = {**x_values, **gamma_values}
    at_y = {Ya: ya.xreplace(point) for Ya, ya in zip(Y, y)}
    truth = sympy.diff(loss_of_y.xreplace(dict(zip(Y, y))), xs[k - 1]).xreplace(point)
    entries = {("x", key): x_values[s] for key, s in x.items()}
    entries.update({("gamma", key): gamma_values[s] for key, s in gamma.items()})
    entries.update({("g", (a,)): sympy.diff(loss_of_y, Y[a - 1]).xreplace(at_y) for a in range(1, n + 1)})
    return sympy.N(truth, PRECISION), entries


def oracle_batch_norm(sizes, rng, k):
    """One feature over N samples, y = gamma * normalized(x) + beta with the
    batch's mean and biased variance; returns dL/dx_k with g = dL/dy."""
    return _batch_norm(sizes, rng, lambda xs, gamma: xs[k - 1])


def oracle_batch_norm_scale(sizes, rng):
    return _batch_norm(sizes, rng, lambda xs, gamma: gamma)


def _batch_norm(sizes, rng, variable):
    N, = sizes
    x, x_values = _table("x", (N,), rng)
    gamma, gamma_value, beta = sympy.Symbol("GAMMA", real=True), _rational(rng), _rational(rng)
    xs = [x[(a,)] for a in range(1, N + 1)]
    y = [gamma * normalized + beta for normalized in _layer_norm(xs, N)]
    Y = [sympy.Symbol(f"Y{a}", real=True) for a in range(1, N + 1)]
    loss_of_y = _upstream(Y, rng)
    point = {**x_values, gamma: gamma_value}
    at_y = {Ya: ya.xreplace(point) for Ya, ya in zip(Y, y)}
    truth = sympy.diff(loss_of_y.xreplace(dict(zip(Y, y))), variable(xs, gamma)).xreplace(point)
    entries = {("x", key): x_values[s] for key, s in x.items()}
    entries.update({("g", (a,)): sympy.diff(loss_of_y, Y[a - 1]).xreplace(at_y) for a in range(1, N + 1)})
    entries[("gamma", ())] = gamma_value
    return sympy.N(truth, PRECISION), entries


def oracle_attention_scores(sizes, rng, k):
    """One query over n keys with d value features: p = softmax(s),
    o_c = sum_j p_j v_jc; returns dL/ds_k with g = dL/do."""
    return _attention(sizes, rng, lambda s, v: s[(k,)])


def oracle_attention_values(sizes, rng, t, b):
    return _attention(sizes, rng, lambda s, v: v[(t, b)])


def _attention(sizes, rng, variable):
    n, d = sizes
    s, s_values = _table("s", (n,), rng)
    v, v_values = _table("v", (n, d), rng)
    scores = [s[(j,)] for j in range(1, n + 1)]
    total = sum(sympy.exp(score) for score in scores)
    p = [sympy.exp(score) / total for score in scores]
    o = [sum(p[j - 1] * v[(j, c)] for j in range(1, n + 1)) for c in range(1, d + 1)]
    O = [sympy.Symbol(f"O{c}", real=True) for c in range(1, d + 1)]
    loss_of_o = _upstream(O, rng)
    point = {**s_values, **v_values}
    at_o = {Oc: oc.xreplace(point) for Oc, oc in zip(O, o)}
    truth = sympy.diff(loss_of_o.xreplace(dict(zip(O, o))), variable(s, v)).xreplace(point)
    entries = {("s", key): s_values[sym] for key, sym in s.items()}
    entries.update({("v", key): v_values[sym] for key, sym in v.items()})
    entries.update({("g", (c,)): sympy.diff(loss_of_o, O[c - 1]).xreplace(at_o) for c in range(1, d + 1)})
    return sympy.N(truth, PRECISION), entries


# file -> (oracle, the names of its lengths in order, the file's free indices, sizes checked);
# an index written (name, 1) runs over the second size (samples, features of a value), any other over the first
ORACLES = {
    "layer_residual": (oracle_residual, ("n",), ("j",), ((2,), (3,), (4,))),
    "layer_residual_weights": (oracle_residual_weights, ("n",), ("p", "q"), ((2,), (3,), (4,))),
    "layer_dense_batch_input": (oracle_batch_input, ("n", "N"), (("t", 1), "j"), ((2, 3), (3, 2), (4, 4))),
    "layer_dense_batch_weights": (oracle_batch_weights, ("n", "N"), ("i", "j"), ((2, 3), (3, 2), (4, 4))),
    "layer_dense_batch_bias": (oracle_batch_bias, ("n", "N"), ("i",), ((2, 3), (3, 2), (4, 4))),
    "layer_rmsnorm": (oracle_rmsnorm_jacobian, ("n",), ("i", "k"), ((2,), (3,), (4,))),
    "layer_rmsnorm_input": (oracle_rmsnorm_input, ("n",), ("k",), ((2,), (3,), (4,))),
    "layer_layer_norm": (oracle_layer_norm_jacobian, ("n",), ("i", "k"), ((2,), (3,), (4,))),
    "layer_layer_norm_input": (oracle_layer_norm_input, ("n",), ("k",), ((2,), (3,), (4,))),
    "layer_batch_norm": (oracle_batch_norm, ("N",), ("k",), ((2,), (3,), (4,))),
    "layer_batch_norm_scale": (oracle_batch_norm_scale, ("N",), (), ((2,), (3,), (4,))),
    "layer_attention_scores": (oracle_attention_scores, ("n", "d"), ("k",), ((2, 3), (3, 2), (4, 4))),
    "layer_attention_values": (oracle_attention_values, ("n", "d"), ("t", ("b", 1)), ((2, 3), (3, 2), (4, 4))),
}


def _agrees_with_oracle(stem, formula, trials=2):
    """Whether the formula matches the oracle at every size and trial."""
    oracle, lengths, index_specs, all_sizes = ORACLES[stem]
    spans = [spec if isinstance(spec, tuple) else (spec, 0) for spec in index_specs]
    rng = random.Random(stem)
    for sizes in all_sizes:
        for _ in range(trials):
            chosen = {name: rng.randint(1, sizes[position]) for name, position in spans}
            truth, entries = oracle(sizes, rng, *chosen.values())
            try:
                got = _at(formula, dict(zip(lengths, sizes)), chosen, entries)
            except KeyError:  # an entry past its vector's end: a wrong shape (a transpose at non-square sizes)
                return False
            if not _close(got, truth):
                return False
    return True


@pytest.mark.parametrize("stem", sorted(ORACLES))
def test_the_last_line_agrees_with_sympy_diff_of_the_layer_written_out(stem):
    path = LIBRARY / f"{stem}.toml"
    assert _agrees_with_oracle(stem, _last_line(path))
    assert _agrees_with_oracle(stem, _last_line(path, load(path).closed_form.latex))


@pytest.mark.parametrize("stem", sorted(ORACLES))
def test_the_file_is_verified_with_every_step_proved_and_justified(stem, capsys):
    _, report, err = verify_json([LIBRARY / f"{stem}.toml"], capsys)
    derivation = report["derivations"][0]
    assert derivation["status"] == "verified", (derivation, err)
    assert all(s["verdict"] == "proved" and s["justified"] is True for s in derivation["steps"][1:])


# -- wrong versions of a step: never proved, never justified ----------------------------

WRONG = [
    # (file, step index, wrong line, whether the line is a last line the oracle can judge)
    ("layer_residual", 5, 'g_j + \\sum_{i=1}^{n} W_{ji} g_i (1 - \\tanh^2(u_i))', True),  # transpose lost
    ("layer_residual", 5, '\\sum_{i=1}^{n} W_{ij} g_i (1 - \\tanh^2(u_i))', True),  # identity path dropped
    ("layer_residual", 5, 'g_j - \\sum_{i=1}^{n} W_{ij} g_i (1 - \\tanh^2(u_i))', True),  # sign flipped
    ("layer_residual", 2, '\\sum_{i=1}^{n} g_i \\left(\\frac{\\partial x_i}{\\partial x_j} + (1 + \\tanh^2(u_i)) '
                          '\\frac{\\partial u_i}{\\partial x_j}\\right)', False),  # tanh' with a sign flipped
    ("layer_residual", 3, '\\sum_{i=1}^{n} g_i \\left(\\delta_{ij} + (1 - \\tanh^2(u_i)) \\sum_{b=1}^{n} W_{ib} '
                          '\\delta_{bi}\\right)', False),  # b = i for b = j
    ("layer_dense_batch_weights", 4, '\\sum_{s=1}^{N} g_{sj} x_{si}', True),  # X^T G for G^T X
    ("layer_dense_batch_weights", 4, '\\frac{1}{N} \\sum_{s=1}^{N} g_{si} x_{sj}', True),  # averaged, not summed
    ("layer_dense_batch_weights", 4, '\\sum_{s=1}^{n} g_{si} x_{sj}', True),  # the batch length for the width
    ("layer_dense_batch_weights", 3, '\\sum_{s=1}^{N} \\sum_{a=1}^{n} g_{sa} \\delta_{ai} x_{si}', False),  # i for j
    ("layer_residual_weights", 5, 'g_q (1 - \\tanh^2(u_q)) x_p', True),  # the outer product transposed
    ("layer_residual_weights", 5, 'g_p x_q', True),  # tanh' dropped
    ("layer_residual_weights", 5, 'g_p (1 - \\tanh^2(u_p)) x_q + g_p x_q', True),  # an identity path for W
    ("layer_residual_weights", 3, '\\sum_{i=1}^{n} g_i (1 - \\tanh^2(u_i)) \\sum_{b=1}^{n} x_b \\delta_{iq} '
     '\\delta_{bp}', False),  # dW_ib/dW_pq with p and q swapped
    ("layer_dense_batch_input", 4, '\\sum_{a=1}^{n} g_{ta} W_{ja}', True),  # W for W^T
    ("layer_dense_batch_input", 4, '\\sum_{s=1}^{N} \\sum_{a=1}^{n} g_{sa} W_{aj}', True),  # every sample's error
    ("layer_dense_batch_input", 4, '\\frac{1}{N} \\sum_{a=1}^{n} g_{ta} W_{aj}', True),  # a 1/N from nowhere
    ("layer_dense_batch_input", 3, '\\sum_{s=1}^{N} \\sum_{a=1}^{n} g_{sa} W_{aj} \\delta_{sj}', False),  # j for t
    ("layer_dense_batch_bias", 3, '\\frac{1}{N} \\sum_{s=1}^{N} g_{si}', True),  # averaged
    ("layer_dense_batch_bias", 3, 'g_{1, i}', True),  # the first sample only
    ("layer_dense_batch_bias", 2, '\\sum_{s=1}^{N} \\sum_{a=1}^{n} g_{as} \\delta_{ai}', False),  # g's axes swapped
    ("layer_rmsnorm", 6, '\\frac{\\delta_{ik}}{r} - \\frac{x_i x_k}{r^3}', True),  # the 1/n of the mean lost
    ("layer_rmsnorm", 6, '\\frac{\\delta_{ik}}{r}', True),  # the norm held constant
    ("layer_rmsnorm", 6, '\\frac{\\delta_{ik}}{r} + \\frac{x_i x_k}{n r^3}', True),  # sign flipped
    ("layer_rmsnorm", 6, '\\frac{\\delta_{ik}}{r} - \\frac{x_i x_k}{n r^2}', True),  # r^2 for r^3
    ("layer_rmsnorm", 5, '\\frac{\\delta_{ik} r - \\frac{x_i x_i}{n r}}{r^2}', False),  # i for k
    ("layer_rmsnorm_input", 5,
     '\\frac{\\gamma_k g_k}{r} - \\frac{x_k}{r^3} \\sum_{i=1}^{n} \\gamma_i g_i x_i', True),  # the 1/n lost
    ("layer_rmsnorm_input", 5, '\\frac{\\gamma_k g_k}{r}', True),  # the norm's term dropped
    ("layer_rmsnorm_input", 5,
     '\\frac{\\gamma_k g_k}{r} - \\frac{x_k}{n r^3} \\sum_{i=1}^{n} g_i x_i', True),  # the scale lost
    ("layer_rmsnorm_input", 4,
     '\\sum_{i=1}^{n} g_i \\gamma_i \\left(\\frac{\\delta_{ik}}{r} - \\frac{x_i x_k}{n r^2}\\right)',
     False),  # r^2 for r^3
    ("layer_layer_norm", 7, '\\frac{\\delta_{ik}}{s} - \\frac{(x_i - \\mu)(x_k - \\mu)}{n s^3}', True),  # mean lost
    ("layer_layer_norm", 7, '\\frac{\\delta_{ik} - \\frac{1}{n}}{s}', True),  # the variance term dropped
    ("layer_layer_norm", 7, '\\frac{\\delta_{ik} - \\frac{1}{n}}{s} - \\frac{(x_i - \\mu)(x_k - \\mu)}{s^3}',
     True),  # the 1/n of the variance lost
    ("layer_layer_norm", 7, '\\frac{\\delta_{ik} - \\frac{1}{n}}{s} - \\frac{(x_i - \\mu)^2}{n s^3}', True),  # i for k
    ("layer_layer_norm", 7, '\\frac{\\delta_{ik} - \\frac{1}{n}}{s} + \\frac{(x_i - \\mu)(x_k - \\mu)}{n s^3}',
     True),  # sign flipped
    ("layer_layer_norm", 3, '\\frac{\\delta_{ik} s - (x_i - \\mu) \\frac{\\partial s}{\\partial x_k}}{s^2}',
     False),  # the mean held constant
    ("layer_layer_norm", 6, '\\frac{\\left(\\delta_{ik} - \\frac{1}{n}\\right) s - \\frac{(x_i - \\mu)(x_k - \\mu)}{s}}'
     '{s^2}', False),  # the 1/n of the variance lost
    ("layer_layer_norm_input", 7, '\\frac{1}{s} \\left(\\gamma_k g_k - \\frac{x_k - \\mu}{n s^2} \\sum_{i=1}^{n} '
     '\\gamma_i g_i (x_i - \\mu)\\right)', True),  # the mean term dropped
    ("layer_layer_norm_input", 7,
     '\\frac{1}{s} \\left(\\gamma_k g_k - \\frac{1}{n} \\sum_{i=1}^{n} \\gamma_i g_i\\right)',
     True),  # the variance term dropped
    ("layer_layer_norm_input", 7, '\\frac{1}{s} \\left(\\gamma_k g_k - \\sum_{i=1}^{n} \\gamma_i g_i - '
     '\\frac{x_k - \\mu}{n s^2} \\sum_{i=1}^{n} \\gamma_i g_i (x_i - \\mu)\\right)', True),  # the mean's 1/n lost
    ("layer_layer_norm_input", 7, '\\frac{1}{s} \\left(\\gamma_k g_k - \\frac{1}{n} \\sum_{i=1}^{n} \\gamma_i g_i - '
     '\\frac{x_k - \\mu}{n s} \\sum_{i=1}^{n} \\gamma_i g_i (x_i - \\mu)\\right)', True),  # s for s^2
    ("layer_layer_norm_input", 7, '\\frac{1}{s} \\left(\\gamma_k g_k - \\frac{1}{n} \\sum_{i=1}^{n} \\gamma_i g_i - '
     '\\frac{x_k - \\mu}{n s^2} \\sum_{i=1}^{n} g_i (x_i - \\mu)\\right)', True),  # the scale lost in the variance term
    ("layer_layer_norm_input", 6, '\\sum_{i=1}^{n} g_i \\gamma_i \\left(\\frac{\\delta_{ik}}{s} - \\frac{(x_i - \\mu)'
     '(x_k - \\mu)}{n s^3}\\right)', False),  # the mean held constant
    ("layer_batch_norm", 7, '\\frac{\\gamma}{s} \\left(g_k - \\frac{x_k - \\mu}{N s^2} \\sum_{i=1}^{N} g_i (x_i - \\mu)'
     '\\right)', True),  # the mean term dropped
    ("layer_batch_norm", 7, '\\frac{\\gamma}{s} \\left(g_k - \\frac{1}{N} \\sum_{i=1}^{N} g_i\\right)',
     True),  # the variance term dropped
    ("layer_batch_norm", 7, '\\frac{\\gamma}{s} g_k', True),  # the statistics held constant
    ("layer_batch_norm", 7, '\\frac{\\gamma}{s} \\left(g_k - \\frac{1}{N} \\sum_{i=1}^{N} g_i - \\frac{x_k - \\mu}'
     '{s^2} \\sum_{i=1}^{N} g_i (x_i - \\mu)\\right)', True),  # the 1/N of the variance term lost
    ("layer_batch_norm", 7, '\\frac{\\gamma}{s} \\left(g_k - \\frac{1}{N} \\sum_{i=1}^{N} g_i + \\frac{x_k - \\mu}'
     '{N s^2} \\sum_{i=1}^{N} g_i (x_i - \\mu)\\right)', True),  # sign flipped
    ("layer_batch_norm", 3, '\\gamma \\sum_{i=1}^{N} g_i \\frac{\\delta_{ik} s - (x_i - \\mu) \\frac{\\partial s}'
     '{\\partial x_k}}{s^2}', False),  # the batch mean held constant
    ("layer_attention_scores", 5, 'p_k \\sum_{c=1}^{d} g_c v_{kc}', True),  # the softmax's g . o term dropped
    ("layer_attention_scores", 5, 'p_k \\left(\\sum_{c=1}^{d} g_c v_{kc} + \\sum_{c=1}^{d} g_c o_c\\right)',
     True),  # sign flipped
    ("layer_attention_scores", 5, '\\sum_{c=1}^{d} g_c v_{kc} - \\sum_{c=1}^{d} g_c o_c', True),  # p_k dropped
    ("layer_attention_scores", 2, '\\sum_{c=1}^{d} g_c \\sum_{j=1}^{n} v_{jc} p_j (\\delta_{jk} - p_j)',
     False),  # p_j for p_k in the softmax Jacobian
    ("layer_attention_scores", 4, 'p_k \\left(\\sum_{c=1}^{d} g_c v_{kc} - \\sum_{c=1}^{d} g_c \\sum_{j=1}^{d} '
     'p_j v_{jc}\\right)', False),  # the keys' length for the features'
    ("layer_batch_norm_scale", 2, '\\frac{1}{N} \\sum_{i=1}^{N} g_i \\frac{x_i - \\mu}{s}', True),  # averaged
    ("layer_batch_norm_scale", 2, '\\sum_{i=1}^{N} g_i x_i', True),  # x for the normalized x
    ("layer_batch_norm_scale", 2, '\\sum_{i=1}^{N} g_i', True),  # the shift's gradient for the scale's
    ("layer_batch_norm_scale", 1, '\\sum_{i=1}^{N} g_i \\frac{x_i}{s} \\frac{\\partial \\gamma}{\\partial \\gamma}',
     False),  # the mean dropped
    ("layer_attention_values", 4, 'p_b g_t', True),  # P dO for P^T dO
    ("layer_attention_values", 4, 'g_b', True),  # the attention weight dropped
    ("layer_attention_values", 4, 'p_t \\sum_{c=1}^{d} g_c', True),  # the delta of the features not summed
    ("layer_attention_values", 3, '\\sum_{c=1}^{d} g_c p_t \\delta_{ct}', False),  # the key's index for the feature's
]


@pytest.mark.parametrize("stem, index, wrong, last", WRONG, ids=[f"{s}:{i}:{n}" for n, (s, i, _, _) in
                                                                 enumerate(WRONG)])
def test_a_wrong_step_is_neither_proved_nor_justified(stem, index, wrong, last, tmp_path, capsys):
    path = LIBRARY / f"{stem}.toml"
    derivation = load(path)
    right = derivation.steps[index].latex
    if last:  # the mistake is one by the mathematics, not only by the tool
        assert index == len(derivation.steps) - 1
        assert not _agrees_with_oracle(stem, _last_line(path, wrong))
    reported, mutated = verify_with_step_replaced(path, right, wrong, tmp_path, capsys)
    assert reported["status"] != "verified"
    assert reported["steps"][index]["verdict"] != "proved"
    m = meaning_of(load(mutated))
    previous = m.parse(Located(derivation.steps[index - 1].latex, None))
    assert not justify(previous, m.parse(Located(wrong, None)), derivation.steps[index].rules, RuleContext(m))


# -- free indices with two lengths: each index the range of the axis it indexes ---------

a, b, i, j, s = sympy.symbols("a b i j s", integer=True, positive=True)
n, N = sympy.symbols("n N", integer=True, positive=True)
x, g, W = sympy.IndexedBase("x"), sympy.IndexedBase("g"), sympy.IndexedBase("W")


def _written_out(expr, sizes, indices, seed=0):
    """expr at n, N = sizes and the free indices given, entries random."""
    concrete = expr.subs({n: sizes[0], N: sizes[1], **indices}).doit()
    entries = {e: _rational(random.Random(str(e) + str(seed))) for e in concrete.atoms(sympy.Indexed)}
    return concrete.xreplace(entries)


def _same_written_out(left, right, index_names):
    """Equal at (n, N) in (2, 3), (3, 2), (4, 4) with the indices in 1..n."""
    for sizes in ((2, 3), (3, 2), (4, 4)):
        for values in ((1,) * len(index_names), (sizes[0],) * len(index_names)):
            chosen = dict(zip(index_names, values))
            if sympy.simplify(_written_out(left, sizes, chosen) - _written_out(right, sizes, chosen)) != 0:
                return False
    return True


def test_a_delta_in_a_batch_sum_collapses_to_the_entry_of_the_feature_axis():
    claim = Sum(Sum(x[s, b] * KroneckerDelta(b, j), (b, 1, n)), (s, 1, N))
    collapsed = collapse_kronecker_sums(claim)
    assert collapsed == Sum(x[s, j], (s, 1, N))
    assert _same_written_out(claim, collapsed, (j,))


def test_a_sum_over_two_indices_collapses_in_the_one_its_delta_names():
    claim = Sum(KroneckerDelta(a, i) * g[s, a] * x[s, j], (a, 1, n), (s, 1, N))
    collapsed = collapse_kronecker_sums(claim)
    assert collapsed == Sum(g[s, i] * x[s, j], (s, 1, N))
    assert _same_written_out(claim, collapsed, (i, j))
    # a delta between the two bound indices names no free index: its value is kept
    diagonal = Sum(KroneckerDelta(a, s) * g[s, a], (a, 1, n), (s, 1, N))
    assert _same_written_out(diagonal, collapse_kronecker_sums(diagonal), ())


def test_an_axis_run_over_two_lengths_gives_its_index_no_range():
    # x's second axis runs to n in one sum and to N in another: j could be past either
    claim = Sum(x[s, b] * KroneckerDelta(b, j), (b, 1, n), (s, 1, N)) + Sum(x[s, b], (b, 1, N), (s, 1, N))
    collapsed = collapse_kronecker_sums(claim)
    assert collapsed.has(sympy.Piecewise)
    # not proved equal to the entry without its condition: at j = n + 1 <= N the left side has no term
    unconditional = Sum(x[s, j], (s, 1, N)) + Sum(x[s, b], (b, 1, N), (s, 1, N))
    assert not isinstance(prove_equal(claim, unconditional, ProofContext(sympy.true)), Proved)


def test_a_sum_not_from_one_is_not_assumed_to_hold_the_index():
    claim = Sum(Sum(x[s, b] * KroneckerDelta(b, j), (b, 2, n)), (s, 1, N))
    assert not isinstance(prove_equal(claim, Sum(x[s, j], (s, 1, N)), ProofContext(sympy.true)), Proved)


def test_the_batch_length_is_not_the_feature_length():
    left = Sum(g[s, i] * x[s, j], (s, 1, N)) + Sum(W[i, b] * x[s, b], (b, 1, n), (s, 1, N))
    right = Sum(g[s, i] * x[s, j], (s, 1, n)) + Sum(W[i, b] * x[s, b], (b, 1, n), (s, 1, N))
    assert not _same_written_out(left, right, (i, j))
    assert not isinstance(prove_equal(left, right, ProofContext(sympy.true)), Proved)


# -- the normal form: a sum of a constant, and a sum inside a sum -----------------------

m = sympy.Symbol("m", integer=True)  # a length of unknown sign: a range that may be empty or reversed


def test_the_centered_inputs_sum_to_zero_in_the_normal_form():
    mean = Sum(x[b], (b, 1, n)) / n
    assert exp_rational_normal_form(Sum(x[a] - mean, (a, 1, n))) == 0
    assert exp_rational_normal_form(Sum(x[a] - mean, (a, 1, n)) * x[i] + Sum(x[a], (a, 1, n))) != 0
    # a sum from 2 has n - 1 terms
    assert exp_rational_normal_form(Sum(x[i], (a, 2, n)) - (n - 1) * x[i]) == 0
    assert exp_rational_normal_form(Sum(x[i], (a, 2, n)) - n * x[i]) != 0
    # with no sign for the length, the count of terms is not m: the sum stays
    assert exp_rational_normal_form(Sum(x[i], (a, 1, m)) - m * x[i]) != 0


def test_a_sum_inside_a_sum_keeps_the_index_it_varies_with():
    assert exp_rational_normal_form(Sum(x[a] * Sum(x[b], (b, 1, n)), (a, 1, n)) - Sum(x[b], (b, 1, n)) ** 2) == 0
    nested = Sum(Sum(W[a, b] * x[b], (b, 1, n)), (a, 1, n))
    for wrong in (Sum(W[a, a] * x[a], (a, 1, n)), Sum(Sum(W[b, a] * x[b], (b, 1, n)), (a, 1, n)),
                  n * Sum(W[a, a] * x[a], (a, 1, n))):
        assert not _same_written_out(nested, wrong, ())
        assert exp_rational_normal_form(nested - wrong) != 0
        assert not isinstance(prove_equal(nested, wrong, ProofContext(sympy.true)), Proved)
    assert exp_rational_normal_form(nested - Sum(Sum(W[b, a] * x[a], (a, 1, n)), (b, 1, n))) == 0


def test_a_delta_inside_a_function_is_not_summed_as_a_factor():
    # sum_i e^{delta_ik} x_i is e x_k plus every other x_i, not e x_k
    claim = Sum(sympy.exp(KroneckerDelta(i, j)) * x[i], (i, 1, n))
    wrong = sympy.E * x[j]
    assert not _same_written_out(claim, wrong, (j,))
    assert collapse_kronecker_sums(claim).has(KroneckerDelta)
    assert not isinstance(prove_equal(claim, wrong, ProofContext(sympy.true)), Proved)
    # a power of a sum with a delta in it is multiplied out: (delta - 1/n)^2 has delta as a factor
    squared = Sum((KroneckerDelta(i, j) - 1 / n) ** 2 * x[i], (i, 1, n))
    collapsed = collapse_kronecker_sums(squared)
    assert not collapsed.has(KroneckerDelta)
    assert _same_written_out(squared, collapsed, (j,))
