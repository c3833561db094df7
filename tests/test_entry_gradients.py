"""A derivative in a whole name of an expression of its entries only
(``\\partial (x_1)^2 / \\partial x``) is a gradient to a reader who takes x for
the vector of its entries and 0 to one who holds the entries: never proved
nor refuted on one reading (symderive/post/entry_gradients.py).

The oracle is SymPy with x an explicit vector (x1, x2, x3): the gradient is
built entry by entry with ``sympy.diff`` and compared with the claim's right
side; the controls (a derivative in an entry, x beside a constant x_0) are
decided by ``sympy.diff`` of the scalar expression.
"""

import pytest
import sympy

from post_steps import steps_at

X = sympy.symbols("x1:4", real=True)
Z = sympy.symbols("z1:4", real=True)

# (post, the claim's right side, the gradient of the left side with x the vector (x1, x2, x3))
GRADIENT_CLAIMS = [
    (r"$$\frac{\partial (x_1)^2}{\partial x} = 0$$", 0, [sympy.diff(X[0] ** 2, v) for v in X]),
    (r"$$\frac{\partial (x^{(1)})^2}{\partial x} = 0$$", 0, [sympy.diff(X[0] ** 2, v) for v in X]),
    (r"$$\frac{\partial (A^O_1)^3}{\partial A^O} = 0$$", 0, [sympy.diff(X[0] ** 3, v) for v in X]),
    ("Let $L = \\sum_{i=1}^{n} e^{z_i}$.\n\n$$\\frac{\\partial L}{\\partial z} = 0$$", 0,
     [sympy.diff(sum(sympy.exp(z) for z in Z), v) for v in Z]),
    ("Let $f(x) = (x_1)^2 + 3$.\n\n$$\\frac{d f}{d x} = 0$$", 0, [sympy.diff(X[0] ** 2 + 3, v) for v in X]),
]


@pytest.mark.parametrize("post, right, gradient", GRADIENT_CLAIMS)
def test_a_derivative_in_the_whole_name_of_its_entries_is_not_proved(post, right, gradient):
    # the oracle: under the vector reading the claim is false (the gradient is not 0)
    assert any(sympy.simplify(g - right) != 0 for g in gradient)
    line = post.count("\n") + 1
    step = steps_at(post, line)[-1]
    assert step.verdict is not None and step.verdict.value == "unknown", step.evidence
    assert "gradient" in step.evidence.reason


CONTROLS = [
    # a derivative in an entry: an ordinary scalar derivative
    (r"$$\frac{\partial (x_1)^2}{\partial x_1} = 2 x_1$$", "x_1", lambda v: v ** 2, lambda v: 2 * v),
    (r"$$\frac{\partial (x_1)^2}{\partial x_1} = 3 x_1$$", "x_1", lambda v: v ** 2, lambda v: 3 * v),
    # x beside a constant x_0: the derivative in x holds x_0
    (r"$$\frac{d}{dx} (x - x_0)^2 = 2(x - x_0)$$", "x", lambda v: (v - 5) ** 2, lambda v: 2 * (v - 5)),
    (r"$$\frac{d}{dx} (x - x_0)^2 = 2(x + x_0)$$", "x", lambda v: (v - 5) ** 2, lambda v: 2 * (v + 5)),
]


@pytest.mark.parametrize("post, name, left, right", CONTROLS)
def test_a_scalar_derivative_is_still_decided(post, name, left, right):
    v = sympy.Symbol(name, real=True)
    truth = sympy.simplify(sympy.diff(left(v), v) - right(v)) == 0
    step = steps_at(post, 1)[-1]
    assert step.verdict.value == ("proved" if truth else "refuted"), step.evidence


FILE = r"""title = 'probe'
variable = "{variable}"
indexed = ["z"]
indices = ["i", "k", "n"]

[[steps]]
latex = '\frac{{\partial}}{{\partial {variable}}} \sum_{{i=1}}^{{n}} e^{{z_i}}'

[[steps]]
latex = '{right}'
rule = ["sum", "exp", "kronecker"]
"""


@pytest.mark.parametrize("variable, right, truth", [
    ("z", "0", None),          # z the vector: a gradient, not 0; z's entries held: 0. Not decided
    ("z_k", "e^{z_k}", True),  # an entry: an ordinary derivative
    ("z_k", "0", False),
])
def test_a_derivation_file_differentiating_in_its_indexed_variable(tmp_path, variable, right, truth):
    from symderive import api

    entries = sympy.symbols("z1:4", real=True)
    gradient = [sympy.diff(sum(sympy.exp(e) for e in entries), e) for e in entries]
    assert all(g != 0 for g in gradient) and gradient[1] == sympy.exp(entries[1])
    path = tmp_path / "probe.toml"
    path.write_text(FILE.format(variable=variable, right=right))
    report = api.verify([path])[0]
    assert report.error is None, report.error
    verdict = report.steps[-1].verdict.value
    expected = "unknown" if truth is None else ("proved" if truth else "refuted")
    assert verdict == expected, report.steps[-1]
