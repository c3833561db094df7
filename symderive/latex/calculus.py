"""Fractions and derivatives.

Derivatives are built with ``Derivative(..., evaluate=False)``: the checker
must see what the author wrote, not SymPy's answer.

``\\frac{A}{B}`` is a derivative only when, token by token, A is ``d``
(``\\mathrm{d}``, ``\\partial``, ``\\delta``), optionally ``^order``, optionally followed
by one name (``\\frac{du}{dx}``, ``\\frac{\\partial S_i}{\\partial z_k}``)
or by any expression (``\\frac{\\partial \\exp(o_i)}{\\partial o_k}``,
``\\frac{d(1 + e^{-x})}{dx}``), and B is one or more ``d name [^order]`` (``dx``, ``dx^2``,
``\\partial x \\partial y``), with matching total order. When the scope
binds the name ``d`` the letter d is an ordinary name. Anything else is a
plain fraction. With no name in A it is an operator (``\\frac{d}{dx}``)
applied to the rest of the juxtaposed product. An unknown name in A is a
plain real symbol: ``\\frac{dy}{dx}`` is ``Derivative(y, x)``, unevaluated.
Outside a fraction, ``\\partial L / \\partial z_i`` (a name over one
variable) is ``Derivative(L, z_i)`` and ``\\partial_x f`` an operator like
``\\frac{\\partial}{\\partial x}``. ``\\frac{\\partial(y_1, y_2)}{\\partial(x_1, x_2)}``
is the Jacobian matrix (with ``\\dots`` in the lists, of symbolic size).
Sums and products are in ``sums``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixElement

from . import limits, names, patterns, tensor
from .vocabulary import DIFFERENTIABLE, GREEK
from .cursor import Span
from .tokens import Token
from .grammar import Grammar


__all__ = ["Span", "PrefixOperator", "divide", "parse_frac", "parse_partial", "derivative", "differentiable"]


class NotDifferential(Exception):
    """Internal: a fraction that is not in differential form (never escapes)."""


@dataclass(frozen=True)
class PrefixOperator:
    """``\\frac{d}{dx}`` or ``\\sum_{j=1}^{n}``: waits for its operand."""

    build: Callable[[Grammar, sympy.Basic], sympy.Basic]
    token: Token
    label: str
    locals: dict = field(default_factory=dict)
    scoped: bool = False  # a \\sum whose scope may run over the terms after its summand (sums.extend_operand)

    def apply(self, p: Grammar, operand: sympy.Basic) -> sympy.Basic:
        return self.build(p, operand)


def divide(p: Grammar, numerator, denominator, at: Token | None = None) -> sympy.Basic:
    at = at or p.peek()
    inverse = p.arithmetic(sympy.Pow, [denominator, sympy.Integer(-1)], at)
    return p.arithmetic(sympy.Mul, [numerator, inverse], at)


# -- fractions and derivatives --------------------------------------------------

def parse_frac(p: Grammar) -> sympy.Basic | PrefixOperator:
    command = p.next()
    what = f"\\{command.value}"
    numerator = p.take_span(what)
    return fraction(p, command, numerator, p.take_span(what))


def parse_over(p: Grammar, over: int) -> sympy.Basic | PrefixOperator:
    """``{d \\over dx}``, ``{1 \\over {1 + e^{-x}}}``: plain TeX's fraction,
    the group before ``\\over`` over the group after it, read as ``\\frac``."""
    brace = p.index_of()
    close = p.closing[brace]
    p.pos, p.last_end = close + 1, p.tokens[close].end
    numerator, denominator = Span(brace + 1, over, over), Span(over + 1, close, close + 1)
    return fraction(p, p.tokens[over], numerator, denominator)


def fraction(p: Grammar, command: Token, numerator: Span, denominator: Span) -> sympy.Basic | PrefixOperator:
    """A derivative, a Jacobian, or a quotient (see the module docstring)."""
    numerator, denominator = p.unwrapped(numerator), p.unwrapped(denominator)
    matrix = jacobian(p, command, numerator, denominator)
    if matrix is not None:
        return matrix
    derivative = differential(p, command, numerator, denominator)
    if derivative is not None:
        return derivative
    top = p.within(numerator, p.parse_expression)
    bottom = p.within(denominator, p.parse_expression)
    return divide(p, top, bottom, at=command)


def differential(p: Grammar, command: Token, numerator: Span, denominator: Span):
    """The derivative a fraction denotes, or None for a plain fraction."""
    mark = p.mark()
    try:
        variables = p.within(denominator, lambda: read_variables(p), strict=False)
        order, operand = p.within(numerator, lambda: read_numerator(p), strict=False)
    except NotDifferential:
        p.reset(mark)
        return None
    total = sum(count for _, count in variables)
    square = squared_variable(p, order, variables)
    if order != total and square is None:
        raise p.error(f"derivative orders do not match: order {order} above, {total} below", command)
    label = p.text[command.offset:p.last_end]
    build = derivative if square is None else in_square
    if operand is None:
        return PrefixOperator(lambda q, e: build(q, e, variables, command), command, label)
    return build(p, operand, variables, command)


def squared_variable(p: Grammar, order: int, variables: list):
    """``\\frac{\\partial f}{\\partial \\sigma^2}``: one derivative above and one
    name squared below is a derivative in the square (the variance named
    sigma^2), not a second derivative; None otherwise. The post's variable
    squared (``dy/dx^2``) stays an error: a slip for d^2y/dx^2 as likely;
    so does a Latin letter (``\\partial L / \\partial w^2``): a variance is
    written with a Greek one (sigma^2, sigma_B^2, tau^2)."""
    if order != 1 or len(variables) != 1 or variables[0][1] != 2:
        return None
    name = variables[0][0]
    if not isinstance(name, (sympy.Symbol, sympy.Indexed, AppliedUndef)) or name == p.scope.default_variable:
        return None
    written = str(name.func if isinstance(name, AppliedUndef) else getattr(name, "base", name))
    return name if written.split("_")[0] in GREEK else None


def in_square(p: Grammar, expr, variables, at: Token) -> sympy.Basic:
    """d f / d(s^2) = (d f / d s) / (2 s), for s != 0: f as a function of
    s^2 (f(s) = g(s^2) gives f'(s) = 2 s g'(s^2)), and for a standard
    deviation s = sqrt(s^2) likewise."""
    name = variables[0][0]
    twice = p.arithmetic(sympy.Mul, [sympy.Integer(2), name], at)
    return divide(p, derivative(p, expr, [(name, 1)], at), twice, at)


def jacobian(p: Grammar, command: Token, numerator: Span, denominator: Span):
    """``\\frac{\\partial(y_1, y_2)}{\\partial(x_1, x_2)}``: the matrix of
    derivatives ∂y_r/∂x_c; with ``\\dots`` in the lists, the general entry
    ∂y_{row}/∂x_{col} (``patterns``). None when the fraction is not of that form."""
    mark = p.mark()
    try:
        functions = p.within(numerator, lambda: read_list(p), strict=False)
        variables = p.within(denominator, lambda: read_list(p), strict=False)
    except NotDifferential:
        p.reset(mark)
        return None
    rows = [[None if ELLIPSIS in (f, v) else
             derivative(p, f, [(jacobian_variable(p, v, command), 1)], command)
             for v in variables] for f in functions]
    if all(entry is not None for row in rows for entry in row):
        return p.build(sympy.ImmutableMatrix, rows, at=command)
    general = patterns.general_matrix(rows)
    if general is None:
        raise p.error("cannot read this Jacobian: the lists around '…' must be indexed, "
                      "as in \\partial(y_1, \\dots, y_n)", command)
    return general


ELLIPSIS = sympy.Symbol("\u2026")


def read_list(p: Grammar) -> list:
    """``\\partial(y_1, \\dots, y_n)``: the names in the parenthesis."""
    if read_head(p) != 1 or not (p.at("op", "(") or p.at("cmd", "left")):
        raise NotDifferential
    left = p.accept("cmd", "left")
    opener = p.next()
    if opener.value != "(":
        raise NotDifferential
    items = p.parse_items()
    if left is not None:
        p.expect("cmd", "right", "\\right", left)
    p.expect("op", ")", "')'", opener)
    if not p.at_end() or len(items) < 2:
        raise NotDifferential
    return items


def jacobian_variable(p: Grammar, variable, at: Token):
    if not isinstance(variable, DIFFERENTIABLE):
        raise p.error(f"cannot differentiate with respect to {variable}", at)
    return variable


def derivative(p: Grammar, expr, variables, at: Token) -> sympy.Basic:
    """SymPy takes the entries v[i, 0] of a written-out vector as constants
    when it differentiates by v (d/dv of v[0,0]^2 + v[1,0]^2 is 0), so an
    expression holding entries of the variable is not differentiated by it."""
    for variable, _ in variables:
        if isinstance(variable, sympy.MatrixSymbol) and any(
                element.parent == variable for element in expr.atoms(MatrixElement)):
            raise p.error(f"cannot differentiate by the vector {variable} an expression written "
                          f"with its entries; write it with {variable} as a whole", at)
    return p.build(sympy.Derivative, expr, *variables, evaluate=False, at=at)


def is_d(p: Grammar, token: Token) -> bool:
    if token.kind == "letter" and token.value == "d":
        return not (p.scope.binds("d") or "d" in p.locals)
    if token.kind in ("roman", "text"):  # \mathrm{d}, \operatorname{d}, \text{d}, \textrm{d}
        return token.value.strip() == "d"
    if token.kind == "cmd" and token.value == "delta":  # \frac{\delta L}{\delta z}, as some posts write ∂
        # a post's vector delta_j (a layer's error) leaves \delta before a name a differential
        return not ((p.scope.binds("delta") and "delta" not in p.scope.indexed) or "delta" in p.locals)
    return token.kind == "cmd" and token.value == "partial"


def read_head(p: Grammar) -> int:
    """``d``, ``\\partial`` or ``\\mathrm{d}``, alone or in braces (``{d}``,
    ``{\\rm d}``, ``{\\partial}``: the braces change nothing), with an
    optional ``^order``."""
    if p.at("op", "{") and is_d(p, p.peek(1)) and p.at("op", "}", ahead=2):
        p.next(), p.next()
    elif not is_d(p, p.peek()):
        raise NotDifferential
    p.next()
    return read_order(p) if p.accept("op", "^") else 1


def read_order(p: Grammar) -> int:
    span = p.take_span("derivative order")
    tokens = p.tokens[span.start:span.end]
    if not tokens or any(token.kind != "digit" for token in tokens):
        raise p.error("a derivative order must be a whole number", p.tokens[span.start])
    digits = "".join(token.value for token in tokens)
    problem = limits.order_too_large(digits)
    if problem:
        raise p.error(problem, tokens[0])
    return int(digits)


def read_numerator(p: Grammar) -> tuple[int, sympy.Basic | None]:
    """``d``, ``d y``, ``\\partial S_i``, ``\\partial_{MSE}`` (a name as the
    subscript, alone), or ``d`` before any expression (``\\partial \\exp(o_i)``,
    ``d(1 + e^{-x})``); the denominator has already been read as differentials."""
    order = read_head(p)
    if p.at_end():
        return order, None
    mark = p.mark()
    if p.accept("op", "_"):  # ``\frac{\partial_{MSE}}{\partial w}``: the loss written as the subscript
        span = p.take_span("subscript")
        if p.at_end() and span.end > span.start and names.starts_name(p, p.tokens[span.start]):
            return order, p.within(span, lambda: p.parse_power(names.parse_name_factor(p)))
        raise NotDifferential
    if names.starts_name(p, p.peek()):
        with p.mode(whole_vectors=True):
            operand = p.parse_power(names.parse_name_factor(p))
        if p.at_end():
            return order, operand
        p.reset(mark)
    operand = p.parse_expression()
    if not p.at_end():
        raise NotDifferential
    return order, operand


def read_variables(p: Grammar) -> list[tuple[sympy.Basic, int]]:
    """``dx``, ``dx^2``, ``\\partial z_k``, ``\\partial x \\partial y``; braces
    around the variable change nothing (``\\partial{z_k}``, ``d{x}^2``)."""
    variables = []
    while True:
        if read_head(p) != 1:
            raise NotDifferential
        target = braced_variable(p) if p.at("op", "{") else None
        if target is None and not names.starts_name(p, p.peek()):
            raise NotDifferential
        target = target if target is not None else differentiable(p, p.peek())
        count = read_order(p) if p.accept("op", "^") else 1
        variables.append((target, count))
        if p.at_end():
            return variables


def braced_variable(p: Grammar) -> sympy.Basic:
    """The one name in the brace group at the cursor, consumed."""
    span = p.unwrapped(p.span("differential"))
    if span.end == span.start or not names.starts_name(p, p.tokens[span.start]):
        raise NotDifferential

    def one_name() -> sympy.Basic:
        target = differentiable(p, p.peek())
        if not p.at_end():
            raise NotDifferential
        return target

    target = p.within(span, one_name, strict=False)
    p.pos, p.last_end = span.after, p.tokens[span.after - 1].end
    return target


def parse_partial(p: Grammar) -> sympy.Basic | PrefixOperator:
    """``\\partial L / \\partial z_i`` is ``Derivative(L, z_i)``, and
    ``\\partial^2 L / \\partial x^2``, ``\\partial^2 L / \\partial x \\partial y``
    likewise; ``\\partial_x`` / ``\\partial_{x}`` is an operator on the rest of
    the product. Any other lone ``\\partial`` is an error."""
    command = p.next()
    if p.accept("op", "_"):
        span = p.take_span("\\partial")
        variable = p.within(span, lambda: differentiable(p, p.peek()))
        label = p.text[command.offset:p.last_end]
        return PrefixOperator(lambda q, e: derivative(q, e, [(variable, 1)], command), command, label)
    order = read_order(p) if p.accept("op", "^") else 1
    if names.starts_name(p, p.peek()):
        operand = p.parse_power(names.parse_name_factor(p))
        if p.accept("div") is not None and p.at("cmd", "partial"):
            variables = slash_variables(p)
            total = sum(count for _, count in variables)
            if squared_variable(p, order, variables) is not None:
                return in_square(p, operand, variables, command)
            if total != order:
                raise p.error(f"derivative orders do not match: order {order} above, {total} below", command)
            return derivative(p, operand, variables, command)
    raise p.error("\\partial is only understood in \\frac{\\partial ...}{\\partial ...}, "
                  "\\partial A / \\partial x or \\partial_x", command)


def slash_variables(p: Grammar) -> list[tuple[sympy.Basic, int]]:
    """``\\partial x^2`` or ``\\partial x \\partial y`` after the slash."""
    variables = []
    while p.accept("cmd", "partial"):
        variable = differentiable(p, p.peek())
        variables.append((variable, read_order(p) if p.accept("op", "^") else 1))
    return variables


def differentiable(p: Grammar, token: Token) -> sympy.Basic:
    if not names.starts_name(p, token):
        raise p.error(f"expected a variable, found {p.describe(token)}", token)
    target = names.parse_name_factor(p, wrt=True)
    target = tensor.entry(p, target) or target  # \\partial V^{mn}: an entry in tensor notation
    if not isinstance(target, DIFFERENTIABLE):
        raise p.error(f"cannot differentiate with respect to {p.source(token)}", token)
    return target
