"""The catalog against PyTorch autograd: every scalar derivative, evaluated
with mpmath at the sample parameter values, equals torch's gradient (float64)
at 50 points inside each region between kinks, at 1e-6 on both sides of each
kink and at large |x|; exactly at a kink, torch returns the entry's
``Kink.convention``."""

import math

import pytest
import sympy

torch = pytest.importorskip("torch", reason="PyTorch not installed (optional extra; .ci/run installs the CPU wheel)")

from symderive.catalog import ACTIVATIONS, X  # noqa: E402

# Scalar activations PyTorch has no function for: name -> why (pytorch=None in the catalog).
NOT_IN_PYTORCH: dict[str, str] = {
    "gaussian": "torch.nn.functional has no Gaussian activation exp(-x^2)",
    "bent_identity": "torch.nn.functional has no bent identity (sqrt(x^2 + 1) - 1)/2 + x",
}

SCALAR = [a for a in ACTIVATIONS.values() if not a.vector]
COMPARED = [a for a in SCALAR if a.pytorch is not None]

POINTS_PER_REGION = 50
NEAR = 1e-6
FAR = (20.0, 50.0, 100.0)
RTOL, ATOL = 1e-6, 1e-9


def _parameters(activation):
    return {sympy.Symbol(name, **_assumptions(activation, name)): value
            for name, value in activation.samples.items()}


def _assumptions(activation, name):
    symbol = next(s for s in activation.expr.free_symbols if s.name == name)
    return symbol.assumptions0


def _substituted(activation, expr):
    return sympy.sympify(expr).subs(_parameters(activation))


def _literal(value):
    """A quoted keyword value ("'tanh'") is passed as is, not looked up in samples."""
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" else None


def _torch_function(activation):
    name, keywords = activation.pytorch
    kwargs = {keyword: _literal(parameter) if _literal(parameter) is not None else activation.samples[parameter]
              for keyword, parameter in keywords.items()}
    if name == "identity":
        return lambda t: t
    if name == "prelu":
        weight = torch.tensor([kwargs.pop("weight")], dtype=torch.float64)
        return lambda t: torch.nn.functional.prelu(t, weight)
    function = getattr(torch.nn.functional, name, None) or getattr(torch, name)
    return lambda t: function(t, **kwargs)


def _torch_gradient(activation, points):
    x = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    _torch_function(activation)(x).sum().backward()
    return x.grad.tolist()


def _catalog_derivative(activation):
    derivative = sympy.lambdify(X, _substituted(activation, activation.derivative), "mpmath")
    return lambda point: float(derivative(point))


def _kinks(activation):
    """(position, convention) of each kink at the sample parameters, sorted."""
    kinks = [(float(_substituted(activation, k.at)), float(_substituted(activation, k.convention)))
             for k in activation.kinks]
    return sorted(kinks)


def comparison_points(activation):
    """50 points inside each region between kinks, points at 1e-6 either
    side of each kink, and +-20, +-50, +-100."""
    edges = [at for at, _ in _kinks(activation)]
    bounds = [-10.0 + min(edges, default=0.0)] + edges + [10.0 + max(edges, default=0.0)]
    points = []
    for low, high in zip(bounds, bounds[1:]):
        step = (high - low) / (POINTS_PER_REGION + 1)
        points += [low + step * (i + 1) for i in range(POINTS_PER_REGION)]
    for at in edges:
        points += [at - NEAR, at + NEAR]
    points += [sign * far for far in FAR for sign in (-1.0, 1.0)]
    return points


def test_every_scalar_activation_names_its_pytorch_function():
    missing = [a.name for a in SCALAR if a.pytorch is None and a.name not in NOT_IN_PYTORCH]
    assert not missing, f"scalar activations without a PyTorch function (add one or explain in NOT_IN_PYTORCH): {missing}"
    for name in NOT_IN_PYTORCH:
        assert name in ACTIVATIONS and ACTIVATIONS[name].pytorch is None, name


@pytest.mark.parametrize("activation", COMPARED, ids=[a.name for a in COMPARED])
def test_samples_give_every_parameter_a_value(activation):
    names = {s.name for s in activation.expr.free_symbols} - {X.name}
    assert set(activation.samples) == names
    assert {p for p in activation.pytorch[1].values() if _literal(p) is None} <= names


@pytest.mark.parametrize("activation", COMPARED, ids=[a.name for a in COMPARED])
def test_catalog_derivative_matches_autograd(activation):
    points = comparison_points(activation)
    regions = len(activation.kinks) + 1
    assert len(points) >= POINTS_PER_REGION * regions + 2 * len(activation.kinks) + 2 * len(FAR)
    catalog = _catalog_derivative(activation)
    autograd = _torch_gradient(activation, points)
    wrong = [(x, catalog(x), g) for x, g in zip(points, autograd)
             if not math.isclose(catalog(x), g, rel_tol=RTOL, abs_tol=ATOL)]
    assert not wrong, f"catalog vs autograd (x, catalog, torch): {wrong[:5]}"


@pytest.mark.parametrize("activation", [a for a in COMPARED if a.kinks],
                         ids=[a.name for a in COMPARED if a.kinks])
def test_kink_convention_is_what_autograd_returns(activation):
    kinks = _kinks(activation)
    autograd = _torch_gradient(activation, [at for at, _ in kinks])
    for (at, convention), value in zip(kinks, autograd):
        assert math.isclose(value, convention, rel_tol=RTOL, abs_tol=ATOL), (at, convention, value)


@pytest.mark.parametrize("activation", [a for a in COMPARED if a.kinks],
                         ids=[a.name for a in COMPARED if a.kinks])
def test_one_sided_derivatives_match_autograd_next_to_the_kink(activation):
    for kink in activation.kinks:
        at = float(_substituted(activation, kink.at))
        left, right = _torch_gradient(activation, [at - NEAR, at + NEAR])
        assert math.isclose(left, float(_substituted(activation, kink.left)), rel_tol=1e-5, abs_tol=1e-5)
        assert math.isclose(right, float(_substituted(activation, kink.right)), rel_tol=1e-5, abs_tol=1e-5)
