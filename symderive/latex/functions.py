"""Function names: scope functions and builtins, applied, bare or primed.

A scope function applied to ``(args)`` is ``F(args)``; bare it is
``F(default_variable)``; with primes it is ``Derivative(F(t), (t, primes))``
(t must be a symbol, an indexed element, a matrix symbol or an applied
function). A builtin without parentheses takes the next factor
(``\\tanh x``) or, with nothing after it, the default variable.
``\\tanh^2(x)`` is ``tanh(x)**2``; ``\\sin^{-1}`` is ``asin``; ``\\log_b x``
is ``log(x, b)``. Arguments may be ``(..)``, ``\\left(..\\right)`` or, as
SymPy prints them, ``{\\left(..\\right)}``. ``\\sqrt{x}``, ``\\sqrt[n]{x}`` are
read here too, and so are ``D(..)`` (the derivative in the default
variable) and ``\\operatorname{foo}(..)`` with foo unknown (an undefined
function applied, never the variable foo times the argument).
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from ..errors import LatexSyntaxError
from .cursor import Span
from .tokens import Token
from .vocabulary import DIFFERENTIABLE, INVERSES, Occurrence, subscript_text, undeclared
from .grammar import Grammar


def finish_function(p: Grammar, occurrence: Occurrence, function) -> sympy.Basic:
    """A scope function: applied, bare (default variable), or primed."""
    if occurrence.subscript is not None:
        text = subscript_text(p, occurrence.subscript)
        span = occurrence.subscript
        bound = any(t.value in p.locals for t in p.tokens[span.start:span.end])  # varies with a sum's index
        if text is not None and not (occurrence.primes or bound or applied_after_power(p)):
            # sigma_j^2, sigma_B never applied to anything: a number (a standard deviation), not sigma
            return sympy.Symbol(f"{occurrence.name}_{text}", real=True)
        joined = f"{occurrence.name}_{text or '...'}"
        raise undeclared(p, replace(occurrence, name=joined), joined)
    exponent = None if occurrence.wrt else function_power(p)
    applied_next = p.at("op", "(") or (p.at("cmd", "left") and p.at("op", "(", ahead=1))
    if exponent is not None and exponent[0] == -1 and applied_next:
        raise p.error(f"{occurrence.name}^{{-1}}: inverse functions are not supported", exponent[1])
    # bare, u^{-1} is the reciprocal of the value u(x), like u^2
    bare_before = len(p.bare_functions)
    with p.mode(whole_vectors=True):  # softmax(z): the whole vector, never z_i (see entries)
        arguments = call_arguments(p)
    if occurrence.primes:
        return apply_power(p, primed(p, occurrence, function, arguments), exponent)
    if arguments is None:
        p.bare_functions.append(function)
        bare = p.scope.signatures.get(str(function)) or (default_variable(p, occurrence),)
        return apply_power(p, p.build(function, *bare, at=occurrence.token), exponent)
    if len(arguments) == 1 and function in p.bare_functions[bare_before:]:
        return value_times(p, occurrence, function, arguments[0], exponent)
    return apply_power(p, p.build(function, *arguments, at=occurrence.token), exponent)


def applied_after_power(p: Grammar) -> bool:
    """Whether a parenthesis follows, past any superscript (``\\sigma_j^2(x)``)."""
    index = p.index_of()
    if index < p.limits[-1] and p.tokens[index].kind == "op" and p.tokens[index].value == "^":
        index += 1
        if index < p.limits[-1] and p.tokens[index].kind == "op" and p.tokens[index].value == "{":
            index = p.closing[index]
        index += 1
    if index >= p.limits[-1]:
        return False
    token = p.tokens[index]
    return (token.kind == "op" and token.value in "([") or (token.kind == "cmd" and token.value == "left")


def value_times(p: Grammar, occurrence: Occurrence, function, factor, exponent) -> sympy.Basic:
    """``\\sigma(1 - \\sigma)``, ``y(1 - y)``: the parenthesis holds the name
    bare, so the name stands for its value σ(x) and multiplies, as in the
    commonest way of writing σ' (σ applied to 1 − σ(x) is not what is meant).
    The value is the bare name's (its signature's arguments, else the default variable)."""
    bare = p.scope.signatures.get(str(function)) or (default_variable(p, occurrence),)
    value = apply_power(p, p.build(function, *bare, at=occurrence.token), exponent)
    return p.arithmetic(sympy.Mul, [value, factor], occurrence.token)


def primed(p: Grammar, occurrence: Occurrence, function, arguments) -> sympy.Basic:
    """``f'(x)``, ``u'``, ``f''(x)``: a derivative of an applied function."""
    argument = arguments[0] if arguments else default_variable(p, occurrence)
    if arguments and len(arguments) != 1 or not isinstance(argument, DIFFERENTIABLE):
        raise p.error(f"'{occurrence.shown}(...)': the argument of a primed function must be one symbol",
                      occurrence.token)
    applied = p.build(function, argument, at=occurrence.token)
    return p.build(sympy.Derivative, applied, (argument, occurrence.primes), evaluate=False,
                   at=occurrence.token)


def finish_builtin(p: Grammar, occurrence: Occurrence, constructor) -> sympy.Basic:
    """``\\tanh(x)``, ``\\tanh x``, ``\\tanh^2(x)``, ``\\log_2 x``, ``\\max(a, b)``."""
    name = occurrence.name
    base = builtin_base(p, occurrence)
    if occurrence.primes:
        return primed_builtin(p, occurrence, constructor)
    exponent = function_power(p)
    if exponent is not None and exponent[0] == -1 and name in INVERSES:
        constructor, exponent = INVERSES[name], None
    arguments = call_arguments(p)
    if arguments is None:
        arguments = [implicit_argument(p, occurrence)]
    if base is not None:
        arguments.append(base)
    value = p.build(constructor, *arguments, at=occurrence.token)
    return apply_power(p, value, exponent)


def primed_builtin(p: Grammar, occurrence: Occurrence, constructor) -> sympy.Basic:
    """``\\tanh'(x)``: the derivative of a builtin function, taken in its
    argument, which must be a single symbol."""
    arguments = call_arguments(p)
    if arguments is None:
        arguments = [implicit_argument(p, occurrence)]
    if len(arguments) != 1 or not isinstance(arguments[0], sympy.Symbol):
        raise p.error(f"'{occurrence.shown}': a primed function needs one variable as its argument",
                      occurrence.token)
    applied = p.build(constructor, arguments[0], at=occurrence.token)
    return p.build(sympy.Derivative, applied, (arguments[0], occurrence.primes), evaluate=False,
                   at=occurrence.token)


def builtin_base(p: Grammar, occurrence: Occurrence) -> sympy.Basic | None:
    if occurrence.subscript is None:
        return None
    if occurrence.name in ("max", "min"):
        raise p.error(f"{occurrence.name} over an index (\\{occurrence.name}_{{k}}) is not supported",
                      occurrence.token)
    if occurrence.name != "log":
        raise p.error(f"unexpected subscript on {occurrence.name}", occurrence.token)
    return p.within(occurrence.subscript, p.parse_expression)


def implicit_argument(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    """``\\sin 2x`` is sin(2x), ``\\sin \\pi x`` sin(πx): the argument runs
    over juxtaposed names after the first factor, up to the next function,
    parenthesis, operator or relation (``\\sin x \\cos x``, ``\\tanh x (1 -
    \\tanh x)``, ``\\sin x + 1``), as a reader takes it."""
    if not p.starts_factor(p.peek(), False):
        return default_variable(p, occurrence)
    first = p.peek()
    factors = [p.parse_operand_factor()]
    while p.continues_argument():
        factors.append(p.parse_factor())
    return p.arithmetic(sympy.Mul, factors, first)


def default_variable(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    if p.scope.default_variable is None:
        raise p.error(f"{occurrence.name} needs an argument (the scope has no default variable)",
                      occurrence.token)
    return p.scope.default_variable


def function_power(p: Grammar) -> tuple[sympy.Basic, Token] | None:
    """The ``^2`` of ``\\tanh^2(x)``: written before the argument."""
    if not p.at("op", "^"):
        return None
    caret = p.next()
    return p.argument("superscript", p.parse_expression), caret


def apply_power(p: Grammar, value: sympy.Basic, exponent) -> sympy.Basic:
    if exponent is None:
        return value
    if isinstance(value, sympy.Expr) and isinstance(exponent[0], sympy.Expr):
        p.check_power(value, exponent[0], exponent[1])
    return p.build(sympy.Pow, value, exponent[0], at=exponent[1])


def call_arguments(p: Grammar) -> list[sympy.Basic] | None:
    """``(a, b)`` or ``\\left( a, b \\right)`` right after a function name;
    also in braces, ``f{\\left(x \\right)}``, as SymPy prints it."""
    if p.at("op", "{") and (p.at("op", "(", ahead=1) or p.at("cmd", "left", ahead=1)):
        return p.argument("function argument", lambda: call_arguments(p))
    if p.at("op", "("):
        opener = p.next()
        with p.mode(abs_depth=0):
            arguments = p.parse_items()
        p.expect("op", ")", "')'", opener)
        return arguments
    if p.at("cmd", "left") and p.at("op", "(", ahead=1):
        opener = p.next()
        p.next()
        with p.mode(abs_depth=0):
            arguments = p.parse_items()
        p.expect("cmd", "right", "\\right", opener)
        p.expect("op", ")", "')'", opener)
        return arguments
    return None


def is_derivative_operator(p: Grammar, occurrence: Occurrence, kind: str) -> bool:
    """``D(1 + e^{-x})``, ``D\\left(\\frac{1}{g}\\right)``: a D right before a
    parenthesis is the derivative in the default variable (Euler's notation),
    as the posts that write it mean, unless D is a variable or a function (a
    dimension D multiplies nothing in parentheses in these posts)."""
    unbound = kind == "undeclared" or (kind == "value" and occurrence.name in p.scope.dimensions
                                    and occurrence.name not in p.locals)
    plain = (unbound and occurrence.name == "D" and occurrence.token.kind == "letter"
             and not occurrence.wrt and occurrence.subscript is None and not occurrence.primes
             and not p.index_mode)
    opens = p.at("op", "(") or (p.at("cmd", "left") and p.at("op", "(", ahead=1))
    return plain and opens and p.scope.default_variable is not None


def derivative_operator(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    arguments = call_arguments(p)
    if len(arguments) != 1 or not isinstance(arguments[0], sympy.Expr):
        raise p.error("D(...) is the derivative of one expression", occurrence.token)
    return p.build(sympy.Derivative, arguments[0], p.scope.default_variable, evaluate=False,
                   at=occurrence.token)


def trial_arguments(p: Grammar) -> list[sympy.Basic] | None:
    """The list in parentheses after a name, if it is two or more
    expressions; otherwise nothing is consumed (``b (\\text{by parts})``)."""
    mark = p.mark()
    try:
        arguments = call_arguments(p)
    except LatexSyntaxError:
        arguments = None
    if arguments is None or len(arguments) < 2:
        p.reset(mark)
        return None
    return arguments


def word_function(p: Grammar, occurrence: Occurrence, arguments: list) -> sympy.Basic:
    """``\\operatorname{foo}(x)``: an operator name the reader does not know
    is still a function applied to its argument, never the variable foo times x."""
    function = sympy.Function(occurrence.name, real=True)
    return p.build(function, *arguments, at=occurrence.token)


def one_matrix(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    """``\\vec{1}^{a \\times b}``: the a-by-b matrix of ones."""
    if not p.accept("op", "^"):
        raise p.error("a vector of ones needs its size, as in \\vec{1}^{1 \\times D}", occurrence.token)

    def size() -> tuple[sympy.Basic, sympy.Basic]:
        rows = p.parse_factor()
        p.expect("mul", "\\times", "'\\times' between the sizes", occurrence.token)
        return rows, p.parse_factor()

    with p.mode(index_mode=True):
        rows, columns = p.argument("superscript", size)
    return p.build(sympy.OneMatrix, rows, columns, at=occurrence.token)


def parse_sqrt(p: Grammar) -> sympy.Basic:
    """``\\sqrt{x}`` and ``\\sqrt[n]{x}``."""
    token = p.next()
    degree = sympy.Integer(2)
    if p.at("op", "["):
        degree = bracket_argument(p, token)
    radicand = p.argument("\\sqrt", p.parse_expression)
    if not isinstance(degree, sympy.Expr):
        raise p.error("the degree of \\sqrt[n] must be an expression", token)
    p.check_power(radicand, p.build(sympy.Pow, degree, -1, at=token), token)
    return p.build(sympy.Pow, radicand, sympy.Pow(degree, -1), at=token)


def bracket_argument(p: Grammar, command: Token) -> sympy.Basic:
    """The ``[n]`` of ``\\sqrt[n]``: up to the first ``]`` outside braces."""
    start = p.index_of() + 1
    index = start
    while index < p.limits[-1]:
        token = p.tokens[index]
        if token.kind == "op" and token.value == "{":
            index = p.closing[index]
        elif token.kind == "op" and token.value == "]":
            p.pos = index + 1
            return p.within(Span(start, index, index + 1), p.parse_expression)
        index += 1
    raise p.error("unclosed '[' of \\sqrt", command)
