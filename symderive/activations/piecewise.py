"""Piecewise activations: the ReLU family (leaky ReLU, PReLU, ReLU6), the
exponential-linear units (ELU, SELU, CELU), the "hard" approximations of
sigmoid, tanh and swish, and the shrinkage and threshold functions.

Every one is defined by regions. ``derivative`` is the closed form by
region as the literature writes it; where regions meet and the function is
not differentiable, each ``Kink`` gives the one-sided derivatives and the
value PyTorch's autograd returns there (checked by ``tests/test_torch.py``
against torch 2.13). ``samples`` are PyTorch's default parameter values
(for SELU the fixed constants of Klambauer et al.).
"""

from __future__ import annotations

import sympy
from sympy import Piecewise, Rational, exp

from .model import X, Y, Activation, Kink

A = sympy.Symbol("a", positive=True)          # leaky ReLU: the slope for x < 0
A_REAL = sympy.Symbol("a", real=True)         # PReLU: the learned slope, any sign
ALPHA = sympy.Symbol("alpha", positive=True)
LAMBDA = sympy.Symbol("lambda", positive=True)
THETA = sympy.Symbol("theta", real=True)
V = sympy.Symbol("v", real=True)

ZERO, ONE = sympy.Integer(0), sympy.Integer(1)
SIXTH = Rational(1, 6)

# SELU's constants (Klambauer et al. 2017; torch.nn.functional.selu)
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_LAMBDA = 1.0507009873554804934193349852946

_AUTOGRAD = "PyTorch autograd (torch 2.13) returns {value} at {at}"


def _source(literature: str, value: str, at: str) -> str:
    return f"{literature}; {_AUTOGRAD.format(value=value, at=at)}"


ENTRIES: tuple[Activation, ...] = (
    Activation(
        name="leaky_relu",
        title="Leaky rectified linear unit",
        aliases=("LeakyReLU", "lrelu"),
        expr=Piecewise((X, X > 0), (A * X, True)),
        derivative=Piecewise((1, X > 0), (A, True)),
        output_form=None,  # y > 0 exactly when x > 0, so f' = 1 if y > 0 else a; not stated as an
        # expression because sympy cannot decide a*x > 0 for x <= 0 (tests/test_catalog.py)
        kinks=(
            Kink(at=ZERO, left=A, right=ONE, convention=A,
                 convention_source=_source("Maas et al. 2013 take f'(0) = a (the x <= 0 branch)",
                                           "the negative slope a", "x = 0")),
        ),
        parameters={"a": "slope for x < 0, a > 0 (usually small, 0.01)"},
        samples={"a": 0.01},
        pytorch=("leaky_relu", {"negative_slope": "a"}),
        reference="Maas, Hannun, Ng 2013, 'Rectifier nonlinearities improve neural network acoustic models'",
    ),
    Activation(
        name="prelu",
        title="Parametric rectified linear unit",
        aliases=("PReLU",),
        expr=Piecewise((X, X > 0), (A_REAL * X, True)),
        derivative=Piecewise((1, X > 0), (A_REAL, True)),
        output_form=None,  # for a < 0 both branches give y > 0: f' is not a function of y
        kinks=(
            Kink(at=ZERO, left=A_REAL, right=ONE, convention=A_REAL,
                 convention_source=_source("He et al. 2015 use the x <= 0 branch, f'(0) = a",
                                           "the weight a", "x = 0")),
        ),
        parameters={"a": "learned slope for x < 0, any real (initialised to 0.25)"},
        samples={"a": 0.25},
        pytorch=("prelu", {"weight": "a"}),
        reference="He, Zhang, Ren, Sun 2015, 'Delving deep into rectifiers'",
    ),
    Activation(
        name="relu6",
        title="ReLU6 (ReLU capped at 6)",
        aliases=("ReLU6",),
        expr=Piecewise((0, X <= 0), (X, X < 6), (6, True)),  # min(max(0, x), 6)
        derivative=Piecewise((1, (X > 0) & (X < 6)), (0, True)),
        output_form=Piecewise((1, (Y > 0) & (Y < 6)), (0, True)),
        kinks=(
            Kink(at=ZERO, left=ZERO, right=ONE, convention=ZERO,
                 convention_source=_source("as ReLU, f'(0) = 0", "0", "x = 0")),
            Kink(at=sympy.Integer(6), left=ONE, right=ZERO, convention=ZERO,
                 convention_source=_source("f'(6) = 0 (the capped branch)", "0", "x = 6")),
        ),
        pytorch=("relu6", {}),
        reference="Krizhevsky 2010, 'Convolutional deep belief networks on CIFAR-10'; "
                  "Howard et al. 2017 (MobileNets)",
    ),
    Activation(
        name="elu",
        title="Exponential linear unit",
        aliases=("ELU",),
        expr=Piecewise((X, X > 0), (ALPHA * (exp(X) - 1), True)),
        derivative=Piecewise((1, X > 0), (ALPHA * exp(X), True)),
        output_form=None,  # per region: 1 for y > 0 and y + alpha for y <= 0 (x <= 0); see leaky_relu
        kinks=(
            Kink(at=ZERO, left=ALPHA, right=ONE, convention=ALPHA,
                 convention_source=_source("a kink unless alpha = 1; Clevert et al. 2016 use the "
                                           "x <= 0 branch, f'(0) = alpha", "alpha", "x = 0")),
        ),
        parameters={"alpha": "saturation value -alpha for x -> -oo, alpha > 0"},
        samples={"alpha": 1.0},
        pytorch=("elu", {"alpha": "alpha"}),
        reference="Clevert, Unterthiner, Hochreiter 2016, 'Fast and accurate deep network learning "
                  "by exponential linear units (ELUs)'",
    ),
    Activation(
        name="selu",
        title="Scaled exponential linear unit",
        aliases=("SELU",),
        expr=LAMBDA * Piecewise((X, X > 0), (ALPHA * (exp(X) - 1), True)),
        derivative=Piecewise((LAMBDA, X > 0), (LAMBDA * ALPHA * exp(X), True)),
        output_form=None,  # per region: lambda for y > 0, y + lambda alpha for y <= 0; see leaky_relu
        kinks=(
            Kink(at=ZERO, left=LAMBDA * ALPHA, right=LAMBDA, convention=LAMBDA * ALPHA,
                 convention_source=_source("the x <= 0 branch, f'(0) = lambda alpha (about 1.7581 "
                                           "with the SELU constants; lambda from the right)",
                                           "lambda alpha", "x = 0")),
        ),
        parameters={"lambda": "scale, lambda > 0 (self-normalising: 1.0507...)",
                    "alpha": "alpha > 0 (self-normalising: 1.6733...)"},
        samples={"lambda": SELU_LAMBDA, "alpha": SELU_ALPHA},
        pytorch=("selu", {}),
        reference="Klambauer, Unterthiner, Mayr, Hochreiter 2017, 'Self-normalizing neural networks'",
    ),
    Activation(
        name="celu",
        title="Continuously differentiable exponential linear unit",
        aliases=("CELU",),
        expr=Piecewise((X, X > 0), (ALPHA * (exp(X / ALPHA) - 1), True)),
        derivative=Piecewise((1, X > 0), (exp(X / ALPHA), True)),
        output_form=None,  # per region: 1 for y > 0, 1 + y/alpha for y <= 0; see leaky_relu
        kinks=(),  # both one-sided derivatives are 1 at 0: CELU is C^1 for every alpha
        parameters={"alpha": "alpha > 0"},
        samples={"alpha": 1.0},
        pytorch=("celu", {"alpha": "alpha"}),
        reference="Barron 2017, 'Continuously differentiable exponential linear units'",
    ),
    Activation(
        name="hardsigmoid",
        title="Hard sigmoid (PyTorch: relu6(x + 3) / 6)",
        aliases=("hard_sigmoid", "Hardsigmoid"),
        expr=Piecewise((0, X <= -3), (X / 6 + Rational(1, 2), X < 3), (1, True)),  # relu6(x+3)/6
        derivative=Piecewise((SIXTH, (X > -3) & (X < 3)), (0, True)),
        output_form=Piecewise((SIXTH, (Y > 0) & (Y < 1)), (0, True)),
        kinks=(
            Kink(at=sympy.Integer(-3), left=ZERO, right=SIXTH, convention=ZERO,
                 convention_source=_source("the slope 1/6 on the open interval (-3, 3) only",
                                           "0", "x = -3")),
            Kink(at=sympy.Integer(3), left=SIXTH, right=ZERO, convention=ZERO,
                 convention_source=_source("the slope 1/6 on the open interval (-3, 3) only",
                                           "0", "x = 3")),
        ),
        pytorch=("hardsigmoid", {}),
        reference="Howard et al. 2019, 'Searching for MobileNetV3' (h-sigmoid = ReLU6(x + 3)/6); "
                  "Courbariaux et al. 2015 use max(0, min(1, (x + 1)/2)) instead",
    ),
    Activation(
        name="hardtanh",
        title="Hard tanh (clip to [-1, 1])",
        aliases=("hard_tanh", "Hardtanh"),
        expr=Piecewise((-1, X <= -1), (X, X < 1), (1, True)),  # min(max(-1, x), 1)
        derivative=Piecewise((1, (X > -1) & (X < 1)), (0, True)),
        output_form=Piecewise((1, (Y > -1) & (Y < 1)), (0, True)),
        kinks=(
            Kink(at=sympy.Integer(-1), left=ZERO, right=ONE, convention=ZERO,
                 convention_source=_source("slope 1 on the open interval (-1, 1) only", "0", "x = -1")),
            Kink(at=ONE, left=ONE, right=ZERO, convention=ZERO,
                 convention_source=_source("slope 1 on the open interval (-1, 1) only", "0", "x = 1")),
        ),
        pytorch=("hardtanh", {}),
        reference="Collobert 2004, 'Large scale machine learning' (HardTanh)",
    ),
    Activation(
        name="hardswish",
        title="Hard swish (PyTorch: x relu6(x + 3) / 6)",
        aliases=("hard_swish", "Hardswish"),
        expr=Piecewise((0, X <= -3), (X * (X + 3) / 6, X < 3), (X, True)),  # x relu6(x+3)/6
        derivative=Piecewise((0, X <= -3), (X / 3 + Rational(1, 2), X < 3), (1, True)),
        output_form=None,  # y = x(x + 3)/6 is not monotone on (-3, 3): f' is not a function of y
        kinks=(
            Kink(at=sympy.Integer(-3), left=ZERO, right=Rational(-1, 2), convention=ZERO,
                 convention_source=_source("continuous, but the slope jumps from 0 to -1/2",
                                           "0 (the left derivative)", "x = -3")),
            Kink(at=sympy.Integer(3), left=Rational(3, 2), right=ONE, convention=ONE,
                 convention_source=_source("continuous, but the slope jumps from 3/2 to 1",
                                           "1 (the right derivative)", "x = 3")),
        ),
        pytorch=("hardswish", {}),
        reference="Howard et al. 2019, 'Searching for MobileNetV3' (h-swish = x ReLU6(x + 3)/6)",
    ),
    Activation(
        name="softshrink",
        title="Soft shrinkage",
        aliases=("Softshrink", "soft_shrink"),
        expr=Piecewise((X - LAMBDA, X > LAMBDA), (0, X >= -LAMBDA), (X + LAMBDA, True)),
        derivative=Piecewise((1, X > LAMBDA), (0, X >= -LAMBDA), (1, True)),
        output_form=Piecewise((1, Y > 0), (0, Y >= 0), (1, True)),  # 1 where y != 0
        kinks=(
            Kink(at=-LAMBDA, left=ONE, right=ZERO, convention=ZERO,
                 convention_source=_source("slope 0 on the closed interval [-lambda, lambda]",
                                           "0", "x = -lambda")),
            Kink(at=LAMBDA, left=ZERO, right=ONE, convention=ZERO,
                 convention_source=_source("slope 0 on the closed interval [-lambda, lambda]",
                                           "0", "x = lambda")),
        ),
        parameters={"lambda": "threshold, lambda > 0"},
        samples={"lambda": 0.5},
        pytorch=("softshrink", {"lambd": "lambda"}),
        reference="Donoho 1995, 'De-noising by soft-thresholding'",
    ),
    Activation(
        name="hardshrink",
        title="Hard shrinkage",
        aliases=("Hardshrink", "hard_shrink"),
        expr=Piecewise((X, X > LAMBDA), (0, X >= -LAMBDA), (X, True)),
        derivative=Piecewise((1, X > LAMBDA), (0, X >= -LAMBDA), (1, True)),
        output_form=None,  # f' = 1 where y != 0, else 0; sympy cannot check it (tests/test_catalog.py)
        kinks=(
            Kink(at=-LAMBDA, left=ONE, right=ZERO, convention=ZERO,
                 convention_source=_source("a jump, not only a kink: f jumps from -lambda to 0; "
                                           "left and right are the one-sided limits of f'",
                                           "0", "x = -lambda")),
            Kink(at=LAMBDA, left=ZERO, right=ONE, convention=ZERO,
                 convention_source=_source("a jump, not only a kink: f jumps from 0 to lambda; "
                                           "left and right are the one-sided limits of f'",
                                           "0", "x = lambda")),
        ),
        parameters={"lambda": "threshold, lambda > 0"},
        samples={"lambda": 0.5},
        pytorch=("hardshrink", {"lambd": "lambda"}),
        reference="Donoho, Johnstone 1994, 'Ideal spatial adaptation by wavelet shrinkage' "
                  "(hard thresholding)",
    ),
    Activation(
        name="threshold",
        title="Threshold (x if x > theta, else v)",
        aliases=("Threshold",),
        expr=Piecewise((X, X > THETA), (V, True)),
        derivative=Piecewise((1, X > THETA), (0, True)),
        output_form=None,  # for v > theta, y = v comes from both branches
        kinks=(
            Kink(at=THETA, left=ZERO, right=ONE, convention=ZERO,
                 convention_source=_source("a jump unless v = theta; left and right are the "
                                           "one-sided limits of f'", "0", "x = theta")),
        ),
        parameters={"theta": "threshold, any real", "v": "value for x <= theta, any real"},
        samples={"theta": 0.1, "v": 20.0},
        pytorch=("threshold", {"threshold": "theta", "value": "v"}),
        reference="torch.nn.Threshold",
    ),
)
