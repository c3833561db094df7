"""Vector notation: ``\\nabla``, ``\\odot``, ``\\otimes``, norms ``\\|x\\|``
and inner products ``\\langle a, b \\rangle``.

``\\nabla_w L`` is the gradient of L with respect to w: the derivative
``Derivative(L, w)``, for a number w as for a vector the scope declares
(SymPy's derivative by a matrix symbol is the gradient). ``\\nabla f(x)``
is the gradient of a function of one variable at that variable.

The others are read on the matrices the scope declares (``MatrixSymbol``,
written-out matrices), where each has one meaning: ``\\odot`` the entrywise
product, ``\\otimes`` the Kronecker product of matrices, ``\\|v\\|`` and
``\\|v\\|_2`` the Euclidean norm of a vector, ``\\|A\\|_F`` the Frobenius
norm, ``\\langle a, b \\rangle`` = aᵀb. A name the post does not declare is
read as a number; on such names these would prove what fails for vectors
(``\\|x\\| \\|y\\| = |\\langle x, y \\rangle|``, ``x \\odot y = x y``), so there
they are errors that say what to declare. ``x_i \\odot y_i`` of entries,
indices and declared variables is their product. So is ``u \\otimes v`` of two vectors, which
authors write for the outer product u vᵀ as often as for the Kronecker one.
"""

from __future__ import annotations

import sympy
from sympy.core.function import AppliedUndef

from .calculus import PrefixOperator, derivative, differentiable
from .cursor import Span
from .grammar import Grammar
from .matrix_words import is_matrix, is_vector
from .tokens import Token
from .vocabulary import DIFFERENTIABLE

NORM = "‖"
UNDECLARED = "a name not declared as a vector or matrix is a number"


# -- gradients ------------------------------------------------------------------------

def parse_nabla(p: Grammar) -> sympy.Basic | PrefixOperator:
    """``\\nabla_w`` (an operator on the rest of the product) or ``\\nabla f(x)``."""
    command = p.next()
    if p.accept("op", "_"):
        span = p.take_span("\\nabla")
        variable = p.within(span, lambda: differentiable(p, p.peek()))
        label = p.text[command.offset:p.last_end]
        return PrefixOperator(lambda q, e: gradient(q, e, variable, command), command, label)
    operand = p.parse_factor()
    if (isinstance(operand, AppliedUndef) and len(operand.args) == 1
            and isinstance(operand.args[0], DIFFERENTIABLE)):
        return gradient(p, operand, operand.args[0], command)
    raise p.error("\\nabla is read as \\nabla_w L (the variable as a subscript) or as \\nabla f(x) "
                  "for a function of one variable", command)


def gradient(p: Grammar, expr: sympy.Basic, variable: sympy.Basic, at: Token) -> sympy.Basic:
    if is_matrix(expr) and expr.shape != (1, 1):
        raise p.error(f"\\nabla of a {expr.shape[0]}x{expr.shape[1]} matrix: a gradient is taken "
                      "of a number", at)
    return derivative(p, expr, [(variable, 1)], at)


# -- products ---------------------------------------------------------------------------

def hadamard(p: Grammar, left: sympy.Basic, right: sympy.Basic, at: Token) -> sympy.Basic:
    """``a \\odot b``: entrywise, for two matrices of one shape, or two
    numbers (see ``product_of_numbers``)."""
    if not is_matrix(left) and not is_matrix(right):
        return product_of_numbers(p, left, right, at)
    if not (is_matrix(left) and is_matrix(right)):
        raise p.error(f"\\odot multiplies vectors or matrices entry by entry; here {UNDECLARED}", at)
    if left.shape != right.shape:
        raise p.error(f"\\odot of a {shape(left)} and a {shape(right)} matrix: the shapes differ", at)
    if isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase):
        return left.multiply_elementwise(right)
    return p.build(sympy.HadamardProduct, left, right, at=at)


def product_of_numbers(p: Grammar, left: sympy.Basic, right: sympy.Basic, at: Token) -> sympy.Basic:
    """``x_i \\odot y_i``: of two numbers ⊙ is their product (as of two 1x1
    matrices). A name the scope does not declare as a number (an entry
    ``x_i``, an index, a declared variable) may be a vector the post never
    declared: it is read as a number too, and noted in
    ``vectors_as_numbers``, so that the claim is the one-dimensional case of
    the author's (``x \\odot y = x y`` holds for numbers, not for vectors),
    which a point may refute and no proof settles."""
    unsure = sorted(set(unsure_names(p, left)) | set(unsure_names(p, right)))
    p.vectors_as_numbers.extend(name for name in unsure if name not in p.vectors_as_numbers)
    return p.arithmetic(sympy.Mul, [left, right], at)


def unsure_names(p: Grammar, value: sympy.Basic) -> list[str]:
    """The names in ``value`` the scope does not declare as numbers, and
    those the author marks as vectors (bold, transposed)."""
    if not isinstance(value, sympy.Basic):
        return []
    labels = {entry.base.label for entry in value.atoms(sympy.Indexed)}
    declared = {*p.scope.variables.values(), *p.scope.dimensions.values(), *p.locals.values()}
    marked = set(p.vectors_as_numbers)
    return [str(s) for s in value.free_symbols
            if isinstance(s, sympy.Symbol) and not s.is_integer and s not in labels
            and (s not in declared or str(s) in marked)]


def kronecker(p: Grammar, left: sympy.Basic, right: sympy.Basic, at: Token) -> sympy.Basic:
    """``A \\otimes B``: the Kronecker product of two matrices."""
    if not (is_matrix(left) and is_matrix(right)):
        raise p.error(f"\\otimes is read between matrices; here {UNDECLARED}", at)
    if is_vector(left) and is_vector(right):
        raise p.error("u \\otimes v of two vectors is written for the outer product u v^T and for "
                      "the Kronecker product; write the one meant", at)
    if isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase):
        return sympy.kronecker_product(left, right)
    return p.build(sympy.KroneckerProduct, left, right, at=at)


# What a product operator means, by its spelling; anything else is an ordinary product.
PRODUCTS = {"\\odot": hadamard, "\\otimes": kronecker}


def shape(matrix) -> str:
    return f"{matrix.shape[0]}x{matrix.shape[1]}"


# -- norms and inner products ----------------------------------------------------------

def parse_norm(p: Grammar, left: Token | None = None) -> sympy.Basic:
    """``\\|v\\|``, ``\\|v\\|_2``, ``\\|A\\|_F``, ``\\left\\| v \\right\\|``; then
    a power, before or after the subscript (``\\|v\\|_2^2``, ``\\|v\\|^2_2``)."""
    opener = p.peek()
    close = closing_bar(p, left)
    p.next()
    value = p.within(Span(p.index_of(), close, close), p.parse_expression)
    after = close + 2 if left is not None else close + 1
    p.pos, p.last_end = after, p.tokens[after - 1].end
    exponent = None
    if p.at("op", "^") and subscript_after_power(p):
        p.next()
        exponent = p.argument("superscript", p.parse_expression)
    kind = p.argument("norm subscript", lambda: norm_kind(p)) if p.accept("op", "_") else None
    norm = p.build(norm_of, p, value, kind, opener, at=opener)
    if exponent is None:
        return norm
    p.check_power(norm, exponent, opener)
    return p.build(sympy.Pow, norm, exponent, at=opener)


def closing_bar(p: Grammar, left: Token | None) -> int:
    """Index of the bars closing the norm opened at the cursor (``\\right\\|``
    after ``\\left\\|``), skipping brace groups."""
    index = p.index_of()
    opener = p.tokens[index]
    index += 1
    while index < p.limits[-1]:
        token = p.tokens[index]
        if token.kind == "op" and token.value == "{":
            index = p.closing[index]
        elif left is None and token.kind == "op" and token.value == NORM:
            return index
        elif (left is not None and token.kind == "cmd" and token.value == "right"
              and index + 1 < p.limits[-1] and p.tokens[index + 1].value == NORM):
            return index
        index += 1
    raise p.error("unclosed norm: expected the closing \\|", opener)


def subscript_after_power(p: Grammar) -> bool:
    """``\\|v\\|^2_2``: the power written before the subscript."""
    caret = p.index_of()
    after = caret + 2
    if after > p.limits[-1]:
        return False
    if p.tokens[caret + 1].kind == "op" and p.tokens[caret + 1].value == "{":
        after = p.closing[caret + 1] + 1
    return after < p.limits[-1] and p.tokens[after].kind == "op" and p.tokens[after].value == "_"


def norm_kind(p: Grammar) -> str:
    token = p.next()
    kind = token.value.strip() if token.kind in ("digit", "letter", "roman", "text") else ""
    p.expect_end()
    return kind


def norm_of(p: Grammar, value: sympy.Basic, kind: str | None, at: Token) -> sympy.Basic:
    if not is_matrix(value):
        if isinstance(value, sympy.Expr) and value.is_number and kind in (None, "1", "2"):
            return sympy.Abs(value)
        raise p.error(f"the norm of {value}: {UNDECLARED}", at)
    if kind == "F":
        return sympy.sqrt(sympy.Trace(value.T * value)) if isinstance(value, sympy.MatrixExpr) else value.norm()
    if kind in (None, "2") and is_vector(value):
        column = value if value.shape[1] == 1 else value.T
        return sympy.sqrt((column.T * column)[0, 0])
    raise p.error(f"cannot read this norm of a {shape(value)} matrix: write \\|v\\|_2 of a vector "
                  "or \\|A\\|_F", at)


def parse_inner(p: Grammar) -> sympy.Basic:
    """``\\langle a, b \\rangle`` = aᵀb, for two vectors of one length."""
    opener = p.next()
    with p.mode(abs_depth=0):
        items = p.parse_items()
    p.expect("cmd", "rangle", "\\rangle", opener)
    if len(items) != 2:
        raise p.error("\\langle a, b \\rangle takes two vectors", opener)
    a, b = items
    if not (is_vector(a) and is_vector(b)):
        raise p.error(f"\\langle a, b \\rangle is read between vectors; here {UNDECLARED}", opener)
    a, b = (v if v.shape[1] == 1 else v.T for v in (a, b))
    if a.shape != b.shape:
        raise p.error(f"\\langle a, b \\rangle of vectors of lengths {a.shape[0]} and {b.shape[0]}", opener)
    return p.build(lambda: (a.T * b)[0, 0], at=opener)
