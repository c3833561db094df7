"""A name a post never defines, differentiated, is not a constant.

``\\frac{dy}{dx} = 0`` in a post that never says what y is: a reader takes y
as some quantity of x, so the claim is true for some y and false for others.
The tool must then say neither proved nor refuted. The oracle for that is
independent of the tool: SymPy differentiates two candidate values of the
name, one for which the claim holds and one for which it fails. Claims true
for every value of the name (the same derivative on both sides, the chain
rule of an implicit derivative) must still be proved, and claims about names
the post does define keep their verdicts; every refutation asserted here is
confirmed by evaluating the defined functions at the tool's point with mpmath.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy
from sympy import Function, IndexedBase, KroneckerDelta, Symbol

from symderive.post.check import check_post

x, t, a = (Symbol(name, real=True) for name in "xta")
i, j = (Symbol(name, integer=True, positive=True) for name in "ij")
X = IndexedBase("x", real=True)


def report_of(post: str):
    return check_post(post, "undefined.md", timeout=10)


def verdicts(post: str) -> list[str]:
    report = report_of(post)
    assert report.claims(), (post, report.unreadable)
    return [claim.verdict for claim in report.claims()]


def last_verdict(post: str) -> str:
    return verdicts(post)[-1]


# -- the oracle --------------------------------------------------------------------------

def holds(lhs: sympy.Basic, rhs: sympy.Basic) -> bool:
    return sympy.simplify((lhs - rhs).doit()) == 0


def undecided(claim, candidates) -> bool:
    """``claim(value)`` is true for one candidate value of the name and false
    for another: a post that does not define the name leaves it open."""
    truths = {bool(claim(value)) for value in candidates}
    return truths == {True, False}


def confirmed_refutation(evidence, lhs: sympy.Basic, rhs: sympy.Basic) -> bool:
    """The two sides, built by hand, differ at the tool's point (50 digits)."""
    point = {Symbol(name, real=True): sympy.Rational(value) for name, value in evidence.point}
    mpmath.mp.dps = 50
    left = mpmath.mpf(str(sympy.N(lhs.doit().xreplace(point), 50)))
    right = mpmath.mpf(str(sympy.N(rhs.doit().xreplace(point), 50)))
    return abs(left - right) > mpmath.mpf("1e-30") * max(1, abs(left))


def sigmoid(z):
    return 1 / (1 + sympy.exp(-z))


# -- the post of the report: nothing proved, nothing refuted ----------------------------------

REPORTED = """Consider the output.

$$\\frac{dy}{dx} = 0$$

And

$$\\frac{\\partial y_i}{\\partial x_j} = 0$$
"""


def test_the_reported_post_is_neither_verified_nor_refuted():
    assert undecided(lambda y: holds(sympy.diff(y, x), 0), [sympy.Integer(1), x])
    assert undecided(lambda y: holds(sympy.diff(y, X[j]), 0), [sympy.Integer(1), X[i]])
    report = report_of(REPORTED)
    assert report.status != "verified"
    assert [c.verdict for c in report.claims()] == ["unknown", "unknown"]


# -- one class: a name differentiated, never defined -----------------------------------------

# (LaTeX of the derivative, the variable, the order): the name's candidate
# values are c * v^order / order!, whose derivative is c.
DIFFERENTIATED = [
    (r"\frac{dy}{dx}", x, 1),
    (r"\frac{d y}{d x}", x, 1),
    (r"\frac{\mathrm{d}y}{\mathrm{d}x}", x, 1),
    (r"\frac{\partial y}{\partial x}", x, 1),
    (r"\frac{d^2 y}{dx^2}", x, 2),
    (r"\frac{dy}{dt}", t, 1),
    (r"\frac{d\phi}{dx}", x, 1),
    (r"\frac{\partial \hat{y}}{\partial x}", x, 1),
    (r"\frac{\partial \mathcal{L}}{\partial w}", Symbol("w", real=True), 1),
    (r"\frac{\partial y_1}{\partial x_2}", Symbol("x_2", real=True), 1),
    (r"\frac{\partial y_i}{\partial x_j}", X[j], 1),
]


@pytest.mark.parametrize("tex, variable, order", DIFFERENTIATED, ids=[d[0] for d in DIFFERENTIATED])
@pytest.mark.parametrize("value", [0, 1])
def test_a_derivative_of_an_undefined_name_is_unknown(tex, variable, order, value):
    def claim(c):
        name = c * variable**order / sympy.factorial(order)
        return holds(sympy.diff(name, variable, order), value)

    assert undecided(claim, [value, value + 1])
    assert last_verdict(f"The output.\n\n$${tex} = {value}$$\n") == "unknown"


def test_a_name_differentiated_in_another_variable_than_its_own():
    """y varies with x; differentiated in t it is not known to be constant."""
    post = "Here\n\n$$\\frac{dy}{dx} = \\frac{dy}{dx}$$\n\n$$\\frac{dy}{dt} = 0$$\n"
    assert verdicts(post) == ["proved", "unknown"]


def test_a_transposed_general_jacobian_is_not_proved():
    jacobian = r"\frac{\partial(y_1,\dots,y_n)}{\partial(x_1,\dots,x_n)}"
    transposed = (r"\begin{bmatrix} \frac{\partial y_1}{\partial x_1} & \cdots & \frac{\partial y_n}{\partial x_1}"
                  r" \\ \vdots & \ddots & \vdots \\ \frac{\partial y_1}{\partial x_n} & \cdots & "
                  r"\frac{\partial y_n}{\partial x_n} \end{bmatrix}")
    entries = sympy.Matrix(sympy.symbols("x1 x2", real=True))
    for matrix, truth in ((sympy.eye(2), True), (sympy.Matrix([[1, 2], [3, 4]]), False)):
        y = matrix * entries
        assert (y.jacobian(entries) == y.jacobian(entries).T) is truth
    assert last_verdict(f"The Jacobian.\n\n$${jacobian} = {transposed}$$\n") == "unknown"


# -- claims true whatever the name is: still proved ----------------------------------------

Y = Function("y", real=True)
EVERY_VALUE = [
    (r"\frac{dy}{dx}", r"\frac{dy}{dx}", sympy.diff(Y(x), x), sympy.diff(Y(x), x)),
    (r"\frac{dy}{dx} \cdot 2", r"2 \frac{dy}{dx}", 2 * sympy.diff(Y(x), x), sympy.diff(Y(x), x) * 2),
    (r"\frac{d}{dx}(y^2)", r"2 y \frac{dy}{dx}", sympy.diff(Y(x)**2, x), 2 * Y(x) * sympy.diff(Y(x), x)),
    (r"\frac{\partial y_i}{\partial x_j} \cdot 2", r"2 \frac{\partial y_i}{\partial x_j}",
     2 * sympy.Derivative(Function("y")(i, X[j]), X[j]), sympy.Derivative(Function("y")(i, X[j]), X[j]) * 2),
]


@pytest.mark.parametrize("lhs_tex, rhs_tex, lhs, rhs", EVERY_VALUE, ids=[e[1] for e in EVERY_VALUE])
def test_a_claim_true_for_every_value_of_the_name_is_proved(lhs_tex, rhs_tex, lhs, rhs):
    assert holds(lhs, rhs)
    assert last_verdict(f"The output.\n\n$${lhs_tex} = {rhs_tex}$$\n") == "proved"


def test_a_wrong_implicit_derivative_is_not_refuted_either():
    """d/dx y^2 = y dy/dx holds for a constant y and fails for y = x."""
    assert undecided(lambda y: holds(sympy.diff(y**2, x), y * sympy.diff(y, x)), [sympy.Integer(1), x])
    assert last_verdict("The output.\n\n$$\\frac{d}{dx}(y^2) = y \\frac{dy}{dx}$$\n") == "unknown"


# -- what the post does say stays decided -------------------------------------------------------

def test_a_variable_differentiated_in_itself():
    assert holds(sympy.diff(x, x), 1) and not holds(sympy.diff(x, x), 0)
    assert last_verdict("Here\n\n$$\\frac{dx}{dx} = 1$$\n") == "proved"
    assert last_verdict("Here\n\n$$\\frac{dx}{dx} = 0$$\n") == "refuted"


def test_entries_of_a_vector_differentiated_in_each_other():
    assert sympy.diff(X[i], X[j]) == KroneckerDelta(i, j)
    assert last_verdict("Here\n\n$$\\frac{\\partial x_i}{\\partial x_j} = \\delta_{ij}$$\n") == "proved"


@pytest.mark.parametrize("definition", [r"y = \sigma(x)", r"y(x) = \sigma(x)"])
def test_a_defined_name_has_its_derivative(definition):
    true_rhs, wrong_rhs = sigmoid(x) * (1 - sigmoid(x)), sigmoid(x) * (1 + sigmoid(x))
    derivative = sympy.diff(sigmoid(x), x)
    assert holds(derivative, true_rhs) and not holds(derivative, wrong_rhs)
    post = f"Let\n\n$${definition}$$\n\nThen\n\n$$\\frac{{dy}}{{dx}} = y(1-y)$$\n\n$$\\frac{{dy}}{{dx}} = y(1+y)$$\n"
    report = report_of(post)
    claims = report.claims()
    assert [c.verdict for c in claims] == ["proved", "refuted"]
    assert confirmed_refutation(claims[1].evidence, derivative, wrong_rhs)


def test_a_name_for_the_variable_stays_the_variable():
    """In ``z = w^T x + b`` z names the variable the post differentiates in."""
    z = Symbol("z", real=True)
    derivative = sympy.diff(sigmoid(z), z)
    wrong = sigmoid(z) * (1 + sigmoid(z))
    assert holds(derivative, sigmoid(z) * (1 - sigmoid(z))) and not holds(derivative, wrong)
    post = ("The layer\n\n$$z = w^T x + b$$\n\nand its activation\n\n$$a = \\sigma(z)$$\n\n"
            "$$\\frac{da}{dz} = a(1-a)$$\n\n$$\\frac{da}{dz} = a(1+a)$$\n")
    claims = report_of(post).claims()
    assert [c.verdict for c in claims] == ["proved", "refuted"]
    assert confirmed_refutation(claims[1].evidence, derivative, wrong)


def test_an_undefined_function_written_applied_stays_opaque():
    f = Function("f", real=True)
    assert undecided(lambda g: holds(sympy.diff(g, x), 0), [sympy.Integer(1), x])
    assert holds(sympy.Derivative(f(x), x), sympy.diff(f(x), x))
    assert last_verdict("Here\n\n$$\\frac{d}{dx} f(x) = 0$$\n") == "unknown"
    assert last_verdict("Here\n\n$$\\frac{d}{dx} f(x) = f'(x)$$\n") == "proved"


# -- a definition that cannot be read is not a definition of a constant ---------------------------

H_THETA = r"h_\theta(x) = \frac{1}{1 + e^{-\theta_0 - \theta_1 x}"  # a brace never closed
theta_0, theta_1 = Symbol("theta_0", real=True), Symbol("theta_1", real=True)
H = sigmoid(theta_0 + theta_1 * x)


@pytest.mark.parametrize("claim_tex, lhs, rhs", [
    (r"\frac{\partial h_\theta}{\partial \theta_0} = \frac{e^{-\theta_0 - \theta_1 x}}{(1 + e^{-\theta_0 - \theta_1 x})^2}",
     sympy.diff(H, theta_0), sympy.exp(-theta_0 - theta_1 * x) / (1 + sympy.exp(-theta_0 - theta_1 * x))**2),
    (r"\frac{\partial h_\theta}{\partial \theta_0} = 0", sympy.diff(H, theta_0), sympy.Integer(0)),
    (r"\frac{\partial}{\partial \theta_0} \log h_\theta(x) = 0", sympy.diff(sympy.log(H), theta_0), sympy.Integer(0)),
])
def test_a_name_whose_definition_is_unreadable(claim_tex, lhs, rhs):
    """With the definition the author wrote, the first claim is true and the
    others false: unread, none may be refuted or proved."""
    report = report_of(f"The model\n\n$${H_THETA}$$\n\nIts derivative\n\n$${claim_tex}$$\n")
    assert report.unreadable, "the definition must be unreadable for this test to mean anything"
    verdict = report.claims()[-1].verdict
    assert verdict == "unknown", (holds(lhs, rhs), verdict)


def test_a_plain_name_whose_definition_is_unreadable():
    derivative = sympy.diff(sigmoid(x), x)
    assert holds(derivative, sigmoid(x) * (1 - sigmoid(x))) and not holds(derivative, 0)
    post = ("Let\n\n$$y = \\frac{1}{1 + e^{-x}$$\n\nThen\n\n$$\\frac{dy}{dx} = y(1-y)$$\n\n"
            "$$\\frac{dy}{dx} = 0$$\n")
    report = report_of(post)
    assert report.unreadable
    assert [c.verdict for c in report.claims()] == ["unknown", "unknown"]


def test_a_declared_parameter_is_a_constant_in_a_derivation_file(tmp_path):
    """A derivation file declares its parameters independent of its variable."""
    from symderive import api

    assert holds(sympy.diff(Symbol("v", real=True), x), 0) and not holds(sympy.diff(Symbol("v", real=True), x), 1)
    for value, verdict in (("0", "proved"), ("1", "refuted")):
        path = tmp_path / f"parameter_{value}.toml"
        path.write_text('title = "a parameter"\nvariable = "x"\n\n[parameters]\nv = "real"\n\n'
                        "[[steps]]\nlatex = '\\frac{d}{dx} v'\n\n"
                        f"[[steps]]\nlatex = '{value}'\nrule = 'constant'\n", encoding="utf-8")
        report, = api.verify([path])
        assert report.error is None, report.error
        assert [s.verdict for s in report.steps[1:]] == [verdict]


@pytest.mark.parametrize("claim, proved", [("\\frac{1}{h(x_i)}", True), ("\\frac{1}{h(x_i)^2}", False), ("0", False)])
def test_a_derivative_in_a_bare_function_name_is_in_the_one_value_it_takes(claim, proved):
    """d/dh log h(x_i): h written bare in the denominator is the value h
    takes in the expression, whatever its argument is written as (it was
    read as a different value, and the derivative as 0)."""
    post = f"$$\\frac{{\\partial}}{{\\partial h}} \\log(h(x_i)) = {claim}$$\n"
    assert [s.verdict == "proved" for s in check_post(post, "post.md").claims()] == [proved]
