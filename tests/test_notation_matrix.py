"""Matrix and vector notation (issue 17): gradients, entrywise and Kronecker
products, norms, inner products, trace, diag, det, and what is not read.

On matrices the scope declares, each reading is compared with an
independent computation: random explicit matrices replace the matrix
symbols, and the value is computed entry by entry by hand (sums of
products, squares, blocks), never by the SymPy class the parser builds.
Gradients with respect to a number are the derivative: ``check`` must
prove the true step and refute wrong variants (oracle: ``sympy.diff`` at
random points). Where a name is not declared as a matrix the post reads it
as a number, and the notation must be unreadable with its reason, never a
claim that could be proved by the scalar reading (‖x‖‖y‖ = |⟨x, y⟩| holds
for numbers and fails for vectors).
"""

from __future__ import annotations

import random

import pytest
import sympy
from sympy import Derivative, Function, MatrixSymbol, Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_expression
from symderive.post.check import check_post
from test_notation import run_class

x, w, y = (Symbol(name, real=True) for name in "xwy")
E = sympy.exp
N = 3
A, B, C = (MatrixSymbol(name, N, N) for name in "ABC")
u, v, p = (MatrixSymbol(name, N, 1) for name in "uvp")
R = MatrixSymbol("R", 2, 2)
SCOPE = Scope(matrices={"A": A, "B": B, "C": C, "u": u, "v": v, "p": p, "R": R})


def random_matrices(seed: int) -> dict:
    rng = random.Random(seed)

    def draw(rows, columns):
        return sympy.Matrix(rows, columns, lambda i, j: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)))

    return {symbol: draw(*symbol.shape) for symbol in (A, B, C, u, v, p, R)}


def value_at(expr, point: dict):
    """``expr`` with the matrix symbols replaced by explicit matrices."""
    replaced = expr.subs(point).doit()
    return sympy.Matrix(replaced) if isinstance(replaced, (sympy.MatrixBase, sympy.MatrixExpr)) else replaced


def entries(m) -> list:
    return [m[i, j] for i in range(m.rows) for j in range(m.cols)]


def kron(a, b):
    return sympy.Matrix(a.rows * b.rows, a.cols * b.cols,
                        lambda i, j: a[i // b.rows, j // b.cols] * b[i % b.rows, j % b.cols])


# What each notation means, computed by hand from the explicit matrices.
READINGS = {
    r"A \odot B": lambda m: sympy.Matrix(N, N, lambda i, j: m[A][i, j] * m[B][i, j]),
    r"u \odot v + p": lambda m: sympy.Matrix(N, 1, lambda i, j: m[u][i] * m[v][i] + m[p][i]),
    r"R \otimes A": lambda m: kron(m[R], m[A]),
    r"A \bigodot B": lambda m: sympy.Matrix(N, N, lambda i, j: m[A][i, j] * m[B][i, j]),
    r"R \bigotimes A": lambda m: kron(m[R], m[A]),
    r"\|u\|^2": lambda m: sum(e**2 for e in entries(m[u])),
    r"\|u\|_2": lambda m: sympy.sqrt(sum(e**2 for e in entries(m[u]))),
    r"\|u\|^2_2": lambda m: sum(e**2 for e in entries(m[u])),
    r"\left\| u - v \right\|": lambda m: sympy.sqrt(sum((a - b)**2 for a, b in zip(m[u], m[v]))),
    r"\lVert v \rVert_{2}^{2}": lambda m: sum(e**2 for e in entries(m[v])),
    r"\|A\|_F": lambda m: sympy.sqrt(sum(e**2 for e in entries(m[A]))),
    r"\langle u, v \rangle": lambda m: sum(a * b for a, b in zip(m[u], m[v])),
    r"\langle u, A v \rangle": lambda m: sum(m[u][i] * m[A][i, k] * m[v][k] for i in range(N) for k in range(N)),
    r"\operatorname{tr}(AB)": lambda m: sum(m[A][i, k] * m[B][k, i] for i in range(N) for k in range(N)),
    r"\operatorname{tr} A + 1": lambda m: sum(m[A][i, i] for i in range(N)) + 1,
    r"\det A": lambda m: m[A].det(method="berkowitz"),
    r"\operatorname{diag}(\mathbf{u})": lambda m: sympy.Matrix(N, N, lambda i, j: m[u][i] if i == j else 0),
    r"\operatorname{diag}(u^T)": lambda m: sympy.Matrix(N, N, lambda i, j: m[u][i] if i == j else 0),
    r"u^\top v": lambda m: sympy.Matrix([[sum(a * b for a, b in zip(m[u], m[v]))]]),
    r"A^\intercal u": lambda m: sympy.Matrix(N, 1, lambda i, j: sum(m[A][k, i] * m[u][k] for k in range(N))),
}


@pytest.mark.parametrize("tex", sorted(READINGS))
def test_matrix_notation_reads_as_its_definition(tex):
    value = parse_expression(tex, SCOPE)
    for seed in range(3):
        point = random_matrices(seed)
        read, built = value_at(value, point), READINGS[tex](point)
        if isinstance(built, sympy.MatrixBase):
            assert read.shape == built.shape and sympy.simplify(read - built) == sympy.zeros(*built.shape), tex
        else:
            assert sympy.simplify(read - built) == 0, tex


def test_the_notation_is_not_read_as_the_wrong_operation():
    """⊙ is not the matrix product, ⊗ not entrywise, ‖u‖ not ‖u‖²."""
    point = random_matrices(7)
    assert value_at(parse_expression(r"A \odot B", SCOPE), point) != point[A] * point[B]
    assert value_at(parse_expression(r"\|u\|", SCOPE), point) != value_at(parse_expression(r"\|u\|^2", SCOPE), point)
    assert value_at(parse_expression(r"\operatorname{tr}(AB)", SCOPE), point) != (
        sum(point[A][i, i] for i in range(N)) * sum(point[B][i, i] for i in range(N)))


def test_gradient_by_a_vector_is_the_derivative_by_its_symbol():
    """∇_u (uᵀAu) is the derivative of uᵀAu by u; that derivative, taken at
    explicit matrices, is (A + Aᵀ)u as sympy.diff of the written-out
    quadratic form says, entry by entry."""
    n = Symbol("n", integer=True, positive=True)
    un, An = MatrixSymbol("u", n, 1), MatrixSymbol("A", n, n)
    value = parse_expression(r"\nabla_u (u^T A u)", Scope(matrices={"u": un, "A": An}, dimensions={"n": n}))
    assert isinstance(value, Derivative) and value.variables == (un,) and value.expr == un.T * An * un
    point = random_matrices(3)
    names = sympy.symbols("u0:3", real=True)
    quadratic = sum(names[i] * point[A][i, k] * names[k] for i in range(N) for k in range(N))
    expected = sympy.Matrix([sympy.diff(quadratic, name) for name in names])
    gradient = sympy.diff(value.expr, un).subs(n, N)
    computed = sympy.Matrix(gradient.subs({A: point[A], u: sympy.Matrix(names)}).doit())
    assert sympy.simplify(computed - expected) == sympy.zeros(N, 1)


def test_entries_of_a_vector_are_not_differentiated_by_the_vector():
    """SymPy takes u[i, 0] as a constant when it differentiates by u, so
    ∇_u ‖u‖² (‖u‖² written with the entries) would read as 0: an error."""
    for tex in (r"\nabla_u \|u\|^2", r"\frac{\partial}{\partial u} \langle u, v \rangle"):
        with pytest.raises(LatexSyntaxError, match="entries"):
            parse_expression(tex, SCOPE)


@pytest.mark.parametrize("tex, complaint", [
    (r"u \otimes v", "outer product"), (r"\|A\|", "norm of a 3x3"), (r"\operatorname{tr}(u)", "square matrix"),
    (r"\operatorname{diag}(A)", "a vector"), (r"A \odot R", "shapes differ"), (r"\nabla_u u", "gradient"),
    (r"\langle u, R \rangle", "between vectors"),
])
def test_matrix_notation_with_no_single_meaning_is_an_error(tex, complaint):
    with pytest.raises(LatexSyntaxError, match=complaint):
        parse_expression(tex, SCOPE)


# -- gradients with respect to a number: the derivative ----------------------------------------

f = Function("f")
GRADIENTS = {
    "nabla-subscript": ("", r"\nabla_w (w x - y)^2", Derivative((w * x - y)**2, w),
                        [(r"2x(wx - y)", 2 * x * (w * x - y)), (r"2(wx - y)", 2 * (w * x - y)),
                         (r"2w(wx - y)", 2 * w * (w * x - y))]),
    "nabla-braced-greek": ("", r"\nabla_{\theta} \log(1 + e^{\theta x})",
                           Derivative(sympy.log(1 + sympy.exp(Symbol("theta", real=True) * x)),
                                      Symbol("theta", real=True)),
                           [(r"\frac{x e^{\theta x}}{1 + e^{\theta x}}",
                             x * sympy.exp(Symbol("theta", real=True) * x) / (1 + sympy.exp(Symbol("theta", real=True) * x))),
                            (r"\frac{e^{\theta x}}{1 + e^{\theta x}}",
                             sympy.exp(Symbol("theta", real=True) * x) / (1 + sympy.exp(Symbol("theta", real=True) * x)))]),
    "nabla-of-a-function": ("Let $f(x) = x^3 \\sin x$.", r"\nabla f(x)", Derivative(x**3 * sympy.sin(x), x),
                            [(r"3x^2 \sin x + x^3 \cos x", 3 * x**2 * sympy.sin(x) + x**3 * sympy.cos(x)),
                             (r"3x^2 \cos x", 3 * x**2 * sympy.cos(x))]),
}


@pytest.mark.parametrize("case", sorted(GRADIENTS))
def test_gradients_by_a_number(case):
    run_class(GRADIENTS, case)


# -- in a post, names are numbers: the notation is unreadable, never proved ------------------------

UNDECLARED = {
    # claim, what the reason names; most hold for numbers and fail for vectors or distributions
    "cauchy-schwarz-as-equality": (r"\|x\| \|y\| = |\langle x, y \rangle|", "norm of x"),
    "trace-not-cyclic": (r"\operatorname{tr}(ABC) = \operatorname{tr}(BAC)", "needs a square matrix"),
    "expectation-squared": (r"\mathbb{E}[x]^2 = \mathbb{E}[x^2]", "expectation"),
    "variance-scaled": (r"\operatorname{Var}(2x) = 2\operatorname{Var}(x)", "expectation"),
    "text-expectation": (r"\text{E}[x]^2 = \text{E}[x^2]", "expectation"),
    "text-variance": (r"\text{Var}(2x) = 2x", "expectation"),
    # true, and refuted if argmax_i were a name times z_i
    "argmax-scaled": (r"\operatorname*{argmax}_i z_i = \operatorname*{argmax}_i 2 z_i", "operator over an index"),
    "kronecker-commutes": (r"a \otimes b = b \otimes a", "between matrices"),
    "diag-of-a-number": (r"\operatorname{diag}(2x) = 2\operatorname{diag}(x)", "needs a vector"),
}


@pytest.mark.parametrize("case", sorted(UNDECLARED))
def test_matrix_notation_on_undeclared_names_is_unreadable(case):
    claim, reason = UNDECLARED[case]
    report = check_post(f"$${claim}$$\n", "matrix.md", timeout=10)
    assert [step.verdict for step in report.claims()] == []
    assert len(report.unreadable) == 1 and reason in report.unreadable[0].evidence.reason


def test_odot_of_undeclared_names_is_never_proved():
    """x ⊙ y = x y holds for numbers, not for vectors: y is read as a number
    (noted), so the claim is not proved; x ⊙ y = 2 x y fails even for numbers."""
    report = check_post("$$x \\odot y = x y$$\n\n$$x \\odot y = 2 x y$$\n", "matrix.md", timeout=10)
    assert [step.verdict for step in report.claims()] == ["unknown", "refuted"]


def test_a_gradient_of_a_function_of_several_variables_is_unreadable():
    """∇MSE(w_0, w_1) is the vector of partials; read as one derivative it
    would be a wrong claim, so it is not read."""
    report = check_post("$$\\nabla g(w_0, w_1) = \\frac{\\partial g}{\\partial w_0}$$\n", "nabla.md", timeout=10)
    assert report.claims() == [] or all(step.verdict != "proved" for step in report.claims())
    assert report.unreadable and "\\nabla" in report.unreadable[0].evidence.reason


# -- entries of a matrix: letters side by side in an index are separate indices ------------------

W, X = sympy.IndexedBase("w", real=True), sympy.IndexedBase("x", real=True)
i, j, k, n = (Symbol(name, integer=True, positive=True) for name in "ijkn")
ENTRIES = {
    "row-times-vector": ("", r"\sum_{j=1}^{n} w_{ij} x_j", sympy.Sum(W[i, j] * X[j], (j, 1, n)),
                         [(r"\sum_{k=1}^{n} w_{ik} x_k", sympy.Sum(W[i, k] * X[k], (k, 1, n))),
                          (r"\sum_{j=1}^{n} w_{ji} x_j", sympy.Sum(W[j, i] * X[j], (j, 1, n))),
                          (r"\sum_{j=1}^{n} w_{ij} x_i", sympy.Sum(W[i, j] * X[i], (j, 1, n)))]),
}


@pytest.mark.parametrize("case", sorted(ENTRIES))
def test_matrix_entries_in_sums(case):
    """w_{ij} is w[i, j]: Σ_j w_ij x_j (row i of Wx) is not Σ_j w_ji x_j (of Wᵀx)."""
    run_class(ENTRIES, case)


@pytest.mark.parametrize("tex, built", [
    (r"\sum_{j=1}^{n} w_{ij}", sympy.Sum(W[i, j], (j, 1, n))),
    (r"\sum_{k=1}^{n} w_{jik}", sympy.Sum(W[j, i, k], (k, 1, n))),
    (r"\sum_{j=1}^{n} w_{i,j}", sympy.Sum(W[i, j], (j, 1, n))),
    (r"\sum_{k=1}^{n} x_{2k}", sympy.Sum(X[2 * k], (k, 1, n))),
])
def test_indices_written_side_by_side(tex, built):
    """Compared as written (the parser's index symbols carry other assumptions)."""
    assert str(parse_expression(tex, Scope())) == str(built)


# -- a transpose or a bold name read as a number is flagged -----------------------------------------

@pytest.mark.parametrize("tex, flagged", [
    (r"x w^T = w^T x", ("w",)), (r"z = w^{T} x + b", ("w",)), (r"\theta^\top x = x^\top \theta", ("theta", "x")),
    (r"A^T u = v", ()), (r"e^T = x", ()), (r"x^2 = x x", ()),
    (r"\vec{x} \cdot \vec{y} = x y", ("x", "y")), (r"\boldsymbol{\theta} = x", ("theta",)),
    (r"\mathbf{u}^T \mathbf{v} = 1", ()),
])
def test_a_vector_read_as_a_number_is_flagged(tex, flagged):
    """x w^T = w^T x holds for numbers and fails for vectors (an outer
    product is not an inner one): the display says which vectors were read
    as numbers, so no proof of the scalar reading passes for the vector claim."""
    from symderive.latex import parse_display

    display = parse_display(tex, SCOPE)
    assert display.vectors_as_numbers == flagged


# -- sums whose operand is the rest of the product, and averages over a batch -----------------------

P, Yb, Xb = (sympy.IndexedBase(name, real=True) for name in ("p", "y", "x"))
Nb = Symbol("N", integer=True, positive=True)
nb = Symbol("n", integer=True, positive=True)
SUMS = {
    "operand-is-the-product": ("", r"\sum_{i=1}^{n} y_i e^{p_i}", sympy.Sum(Yb[i] * E(P[i]), (i, 1, n)),
                               [(r"\sum_{i=1}^{n} \left(y_i e^{p_i}\right)", sympy.Sum(Yb[i] * E(P[i]), (i, 1, n))),
                                (r"\left(\sum_{i=1}^{n} y_i\right) e^{p_1}", sympy.Sum(Yb[i], (i, 1, n)) * E(P[1])),
                                (r"\sum_{i=1}^{n} y_i e^{p_1}", sympy.Sum(Yb[i] * E(P[1]), (i, 1, n)))]),
    "batch-average": ("", r"\frac{d}{dw} \frac{1}{N}\sum_{n=1}^{N} (w x_n - y_n)^2",
                      Derivative(sympy.Sum((w * Xb[nb] - Yb[nb])**2, (nb, 1, Nb)) / Nb, w),
                      [(r"\frac{2}{N}\sum_{n=1}^{N} x_n (w x_n - y_n)",
                        2 / Nb * sympy.Sum(Xb[nb] * (w * Xb[nb] - Yb[nb]), (nb, 1, Nb))),
                       (r"2\sum_{n=1}^{N} x_n (w x_n - y_n)", 2 * sympy.Sum(Xb[nb] * (w * Xb[nb] - Yb[nb]), (nb, 1, Nb))),
                       (r"\frac{2}{N}\sum_{n=1}^{N} (w x_n - y_n)", 2 / Nb * sympy.Sum(w * Xb[nb] - Yb[nb], (nb, 1, Nb)))]),
}


@pytest.mark.parametrize("case", sorted(SUMS))
def test_sums_and_batch_averages(case):
    run_class(SUMS, case)


def test_a_loose_sum_takes_the_whole_product_with_a_log():
    """-Σ_i y_i log p_i: the operand is y_i log p_i, never (Σ y_i) log p_i.
    (Wrong variants with log p_i are not used for refutation: a random
    point may make p_i negative.)"""
    read = parse_expression(r"-\sum_{i=1}^{n} y_i \log p_i", Scope())
    assert str(read) == str(-sympy.Sum(Yb[i] * sympy.log(P[i]), (i, 1, n)))
    assert str(parse_expression(r"-\sum_i y_i \log p_i", Scope())) == str(read)
