"""The loss and layer entries against PyTorch autograd: at each entry's three
checked sizes, the compact backward formulas (evaluated with mpmath at 30
digits) agree with torch's gradients in float64 at random points to a
relative error of at most 1e-10 (max |formula - torch| / max |torch| over an
input's entries); at a kink, torch returns the entry's convention.

torch comes with the optional `torch` extra; .ci/run installs the CPU wheel
and fails if it cannot, so in CI these tests always run."""

import random
import zlib

import mpmath
import pytest
import sympy
torch = pytest.importorskip("torch", reason="PyTorch not installed (optional extra; .ci/run installs the CPU wheel)")
F = torch.nn.functional

from symderive.catalog import BACKPROP, K_  # noqa: E402

RELATIVE = 1e-10
DIGITS = 30
DEFAULT_RANGE = (-2.0, 2.0)


def _row(t):
    return t.reshape(1, -1)


def _focal(t, p):
    """torchvision.ops.sigmoid_focal_loss(z, y, alpha, gamma, 'mean'), in torch."""
    z, y = t["z"].reshape(-1), t["y"].reshape(-1)
    prob = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    p_t = prob * y + (1 - prob) * (1 - y)
    alpha_t = p["alpha"] * y + (1 - p["alpha"]) * (1 - y)
    return (alpha_t * ce * (1 - p_t) ** p["gamma"]).mean()


# Each entry's forward pass written with torch's own functions: (tensors by
# array name, parameters by symbol name) -> the loss, or the layer's output.
TORCH = {
    "mse": lambda t, p: F.mse_loss(t["yhat"], t["y"]),
    "mae": lambda t, p: F.l1_loss(t["yhat"], t["y"]),
    "huber": lambda t, p: F.huber_loss(t["yhat"], t["y"], delta=p["delta"]),
    "smooth_l1": lambda t, p: F.smooth_l1_loss(t["yhat"], t["y"], beta=p["beta"]),
    "bce": lambda t, p: F.binary_cross_entropy(t["p"], t["y"]),
    "bce_with_logits": lambda t, p: F.binary_cross_entropy_with_logits(t["z"], t["y"]),
    "focal": _focal,
    "hinge": lambda t, p: torch.relu(1 - t["y"] * t["z"]).mean(),
    "squared_hinge": lambda t, p: torch.relu(1 - t["y"] * t["z"]).pow(2).mean(),
    "cross_entropy": lambda t, p: F.cross_entropy(_row(t["z"]), _row(t["y"])),
    "nll_log_softmax": lambda t, p: F.nll_loss(F.log_softmax(_row(t["z"]), dim=1),
                                               torch.tensor([int(p["c"]) - 1])),
    "kl_div": lambda t, p: F.kl_div(F.log_softmax(_row(t["z"]), dim=1), _row(t["y"]), reduction="sum"),
    "distillation": lambda t, p: F.cross_entropy(_row(t["z"]) / p["T"], F.softmax(_row(t["v"]) / p["T"], dim=1)),
    "dense": lambda t, p: F.linear(t["x"].reshape(-1), t["W"], t["b"].reshape(-1)).reshape(-1, 1),
    "dense_batch": lambda t, p: F.linear(t["x"], t["W"], t["b"].reshape(-1)),
    "logistic_regression": lambda t, p: F.binary_cross_entropy(torch.sigmoid(t["x"] @ t["theta"]), t["y"]),
    "residual": lambda t, p: t["x"] + torch.tanh(t["W"] @ t["x"]),
    "layer_norm": lambda t, p: F.layer_norm(t["x"].reshape(-1), (t["x"].numel(),), t["gamma"].reshape(-1),
                                            t["beta"].reshape(-1), eps=p["epsilon"]).reshape(-1, 1),
    "rms_norm": lambda t, p: F.rms_norm(t["x"].reshape(-1), (t["x"].numel(),), t["gamma"].reshape(-1),
                                        eps=p["epsilon"]).reshape(-1, 1),
    "batch_norm": lambda t, p: F.batch_norm(t["x"], None, None, t["gamma"].reshape(1), t["beta"].reshape(1),
                                            training=True, eps=p["epsilon"]),
    "attention": lambda t, p: F.scaled_dot_product_attention(t["Q"][None], t["K"][None], t["V"][None])[0],
}

ENTRIES = list(BACKPROP.values())
CASES = [(entry, sizes) for entry in ENTRIES for sizes in entry.checked_sizes]
CASE_IDS = [f"{entry.name}-{'x'.join(map(str, sizes))}" for entry, sizes in CASES]


def _point(explicit, rng):
    """A random float for every free symbol of the entry, inside its range."""
    symbols = set(explicit.objective.free_symbols)
    for matrix in (*explicit.inputs.values(), *explicit.arrays.values()):
        symbols |= matrix.free_symbols
    symbols -= set(explicit.given)
    return {s: rng.uniform(*map(float, explicit.ranges.get(s, DEFAULT_RANGE))) for s in sorted(symbols, key=str)}


def _evaluate(matrix, explicit, point):
    """The matrix at the point (conditions substituted), by mpmath at DIGITS."""
    matrix = matrix.subs(explicit.given)
    function = sympy.lambdify(list(point), list(matrix), modules="mpmath")
    with mpmath.workdps(DIGITS):
        values = function(*(mpmath.mpf(v) for v in point.values()))
    return torch.tensor([float(v) for v in values], dtype=torch.float64).reshape(matrix.shape)


def _torch_objective(entry, explicit, point):
    """Torch's loss (or sum g * y for a layer) with the inputs as leaves."""
    tensors = {str(base.label): _evaluate(matrix, explicit, point) for base, matrix in explicit.arrays.items()}
    leaves = {name: _evaluate(matrix, explicit, point).requires_grad_() for name, matrix in explicit.inputs.items()}
    tensors.update(leaves)
    parameters = {s.name: v for s, v in point.items()}
    parameters.update({s.name: float(v) for s, v in explicit.given.items() if v.is_number})  # a class index
    output = TORCH[entry.name](tensors, parameters)
    if output.numel() == 1 and explicit.value.shape == (1, 1):
        return output.reshape(()), leaves
    upstream = tensors["G" if "G" in tensors else "g"]
    assert output.shape == upstream.shape, (output.shape, upstream.shape)
    return (output * upstream).sum(), leaves


def _relative_error(formula, autograd):
    scale = autograd.abs().max().item()
    return (formula - autograd).abs().max().item() / (scale if scale > 0 else 1.0)


def test_every_entry_has_a_torch_forward_pass():
    assert set(TORCH) == set(BACKPROP)


@pytest.mark.parametrize("entry, sizes", CASES, ids=CASE_IDS)
def test_compact_formulas_agree_with_torch_autograd(entry, sizes):
    explicit = entry.explicit(*sizes)
    rng = random.Random(zlib.crc32(repr((entry.name, sizes)).encode()))
    for _ in range(3):
        point = _point(explicit, rng)
        objective, leaves = _torch_objective(entry, explicit, point)
        expected = sympy.Matrix([explicit.objective.subs(explicit.given)])
        assert abs(objective.item() - _evaluate(expected, explicit, point).item()) <= RELATIVE * max(
            1.0, abs(objective.item())), "torch computes another function than the entry"
        objective.backward()
        for name, leaf in leaves.items():
            formula = _evaluate(explicit.gradients[name], explicit, point)
            error = _relative_error(formula, leaf.grad)
            assert error <= RELATIVE, f"{name}: relative error {error:.3g}"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.kinks], ids=[e.name for e in ENTRIES if e.kinks])
def test_torch_returns_the_convention_at_a_kink(entry):
    sizes = entry.checked_sizes[0]
    explicit = entry.explicit(*sizes)
    wrt, = explicit.inputs
    rng = random.Random(zlib.crc32(entry.name.encode()))
    for kink in entry.kinks:
        for k, symbol in enumerate(explicit.inputs[wrt], start=1):
            point = _point(explicit, rng)
            located = kink.at.subs({K_: k}).xreplace(
                {e: explicit.arrays[e.base][int(e.indices[0]) - 1] for e in kink.at.subs({K_: k}).atoms(sympy.Indexed)})
            point[symbol] = float(located.subs(point))
            objective, leaves = _torch_objective(entry, explicit, point)
            objective.backward()
            convention = float(kink.convention.subs({K_: k}))
            assert leaves[wrt].grad.reshape(-1)[k - 1].item() == convention, (k, point)
