"""Recursive-descent parser: tokens to SymPy objects, built by constructors.

Grammar (loosest first)::

    expression := sum [\\over sum]
    sum        := ['+'|'-']* term (('+'|'-') (term | ellipsis))*
    term       := product (('\\cdot'|'\\times'|'\\odot'|'\\otimes'|'*'|'/') signed product)*
    product    := factor factor ...             (juxtaposition)
    factor     := atom ['^' argument]

``/`` and ``\\cdot`` bind whole juxtaposed products: ``1/2x`` is ``1/(2x)``.
A prefix operator (``\\frac{d}{dx}``, ``\\sum_{j=1}^{n}``) inside a product
takes the rest of that product as its operand; ``\\cdot``, ``+``, ``-``,
a relation or the end of the group ends it.

Unknown names: a letter or Greek letter that the scope does not bind is a
real symbol; an unknown name directly followed by ``(x)``, where x is a
scope variable or the default variable, is an error ("f is not a declared
function"), one followed by two or more arguments is applied
(``\\mathcal{L}(a, y)``), and otherwise ``a(1 - a)`` is a product.

How names are read (letters, ``\\sigma``, ``\\text{Softmax}``, subscripts,
primes, function application) is in ``names``; fractions and derivatives in
``calculus``; sums and the ``…`` sums in ``sums``; ``cases`` in ``cases``;
``\\nabla``, ``\\odot``, ``\\otimes``, norms and inner products in
``vectors``; ``\\underbrace`` and ``\\underset`` in ``overlays``; numbers and
brackets in ``atoms``.
"""

from __future__ import annotations

import sympy

from . import (atoms, calculus, functions, indicator, limits, matrices, matrix_words, names, overlays,
               sums, superscripts, tensor, vectors)
from .atoms import OPENERS
from .calculus import PrefixOperator
from .cursor import nested
from .grammar import Grammar
from .tokens import Token

MAX_EXACT_EXPONENT = 256
NON_FACTOR_COMMANDS = frozenset({"right", "over", "rfloor", "rceil", "rangle"})
TRAILING_PUNCTUATION = frozenset({".", ","})


def power(base: sympy.Basic, exponent: sympy.Basic) -> sympy.Basic:
    """``e^{x}`` is ``exp(x)``; a huge power of a number stays unevaluated
    (``9^{9^{9}}`` would otherwise compute a number with 10^8 digits)."""
    if base is sympy.E:
        return sympy.exp(exponent)
    if base.is_Number and exponent.is_Number and abs(exponent) > MAX_EXACT_EXPONENT:
        return sympy.Pow(base, exponent, evaluate=False)
    return sympy.Pow(base, exponent)


class Parser(Grammar):
    """The expression grammar; see the module docstring."""

    # -- entry points -------------------------------------------------------

    def parse_whole_expression(self) -> sympy.Basic:
        """One expression filling the whole text, no relation."""
        if self.at_end():
            raise self.error("empty expression", self.peek())
        value = self.parse_expression()
        self.skip_trailing_punctuation()
        token = self.peek()
        if token.kind == "rel":
            raise self.error(f"unexpected relation {self.describe(token)}: expected one expression",
                             token)
        self.expect_end()
        return value

    def parse_expression(self) -> sympy.Basic:
        """A sum, or ``{a \\over b}``."""
        value = self.parse_sum()
        if self.accept("cmd", "over"):
            value = calculus.divide(self, value, self.parse_sum())
        return value

    def parse_items(self) -> list[sympy.Basic]:
        """Comma-separated items; ``z_1, z_2, \\cdots, z_n`` keeps the
        ellipsis as the symbol '…' (a list, never arithmetic)."""
        items = [self.parse_expression()]
        while self.accept("op", ","):
            if self.at("ellipsis") and self.peek(1).kind == "op" and self.peek(1).value == ",":
                self.next()
                items.append(sympy.Symbol("\u2026"))
                continue
            items.append(self.parse_expression())
        return items

    def skip_trailing_punctuation(self) -> None:
        """``x = 2.`` at the end of a row: the full stop is prose."""
        token, following = self.peek(), self.peek(1)
        ends_row = following.kind in ("eof", "rowsep", "end") or (
            following.kind == "op" and following.value == "&")
        if token.kind == "op" and token.value in TRAILING_PUNCTUATION and ends_row:
            self.next()

    # -- sums, terms, products ----------------------------------------------

    def at_sign(self) -> bool:
        token = self.peek()
        return token.kind == "op" and token.value in "+-"

    @nested
    def parse_sum(self) -> sympy.Basic:
        first = self.peek()
        terms = [self.parse_signed(self.parse_term)]
        ellipses: list[tuple[int, Token]] = []  # where each '…' stands among the terms
        while self.at_sign():
            sign = self.next()
            if self.at("ellipsis"):
                if len(ellipses) == 2:
                    raise self.error("at most two '…' per sum (a_1 + … + b_i + … + a_n)", self.peek())
                ellipses.append((len(terms), self.next()))
                continue
            term = self.parse_term()
            terms.append(term if sign.value == "+" else self.negate(term, sign))
        ellipses = [(split, token) for split, token in ellipses if not sums.between_zeros(terms, split)]
        if len(ellipses) == 2:
            return sums.ellipsis_sum_with_middle(self, terms, *ellipses)
        if ellipses:
            return sums.ellipsis_sum(self, terms, *ellipses[0])
        return self.arithmetic(sympy.Add, terms, first)

    def arithmetic(self, constructor, operands: list, at: Token) -> sympy.Basic:
        """Add/Mul/Pow of expressions only: ``(a, b) + 1`` is an error here,
        not a deprecation warning deep inside SymPy."""
        if len(operands) == 1:
            return operands[0]
        for operand in operands:
            if not isinstance(operand, sympy.Expr):
                raise self.error(f"{operand} cannot take part in arithmetic", at)
        return self.build(constructor, *operands, at=at)

    def negate(self, value: sympy.Basic, at: Token) -> sympy.Basic:
        return self.arithmetic(sympy.Mul, [sympy.Integer(-1), value], at)

    def parse_signed(self, parse) -> sympy.Basic:
        negative, sign = False, self.peek()
        while self.at_sign():
            negative ^= self.next().value == "-"
        value = parse()
        return self.negate(value, sign) if negative else value

    def parse_term(self) -> sympy.Basic:
        value = self.parse_product()
        while self.peek().kind in ("mul", "div") or self.dot_product_ahead():
            operator = self.next()
            right = self.parse_signed(self.parse_product)
            if operator.kind == "div":
                value = calculus.divide(self, value, right, at=operator)
            elif operator.value in vectors.PRODUCTS:
                value = vectors.PRODUCTS[operator.value](self, value, right, operator)
            else:
                value = self.arithmetic(sympy.Mul, [value, right], operator)
        return value

    def dot_product_ahead(self) -> bool:
        """``\\sigma.(1 - \\sigma)``: a full stop between two factors is a
        product, as some authors type it; at the end it is punctuation."""
        token = self.peek()
        return (token.kind == "op" and token.value == "."
                and self.starts_factor(self.peek(1), True))

    def parse_product(self) -> sympy.Basic:
        """Juxtaposed factors; a prefix operator takes the rest as operand."""
        first = self.peek()
        factors: list[sympy.Basic] = []
        while True:
            token = self.peek()
            if (softmax := tensor.indexed_softmax(self)) is not None:
                factors.append(self.parse_power(softmax))
                continue
            if self.amp_stops == 0 and names.is_annotation(self, token):
                self.annotate(self.next(), names.annotation_text(token))
                names.reject_prose_call(self, token)
                continue
            if self.bracketed_annotation(token):
                continue
            if not self.starts_factor(token, bool(factors)):
                break
            factor = self.parse_factor()
            if isinstance(factor, PrefixOperator):
                factors.append(self.apply_prefix(factor))
                break
            factors.append(factor)
        if not factors:
            raise self.nothing_here()
        return self.arithmetic(sympy.Mul, factors, first)

    def bracketed_annotation(self, token: Token) -> bool:
        """``[\\text{apply chain rule}]`` or ``(\\text{by parts})``: prose."""
        inner, closer = self.peek(1), self.peek(2)
        if not (token.kind == "op" and token.value in "([" and names.is_annotation(self, inner)
                and closer.kind == "op" and closer.value == OPENERS[token.value][0]):
            return False
        self.next()
        self.annotate(self.next(), names.annotation_text(inner))
        self.next()
        return True

    def nothing_here(self) -> Exception:
        token = self.peek()
        if token.kind == "ellipsis":
            return self.error("'…' is only understood between the terms of a sum, "
                              "as in a_1 + \\dots + a_n", token)
        return self.error(f"expected an expression, found {self.describe(token)}", token)

    def apply_prefix(self, operator: PrefixOperator) -> sympy.Basic:
        if not (self.at_sign() or self.starts_factor(self.peek(), False)):
            raise self.error(f"{operator.label} needs an operand after it", self.peek())
        with self.mode(locals={**self.locals, **operator.locals}):
            operand = self.parse_signed(self.parse_product)
        if operator.scoped:
            operand = sums.extend_operand(self, operator, operand)
        return operator.apply(self, operand)

    def starts_factor(self, token: Token, after_factor: bool) -> bool:
        kind = token.kind
        if kind in ("digit", "letter", "begin"):
            return True
        if kind in ("text", "roman"):
            return not names.is_annotation(self, token)
        if kind == "op":
            if token.value == "|":
                return not (self.abs_depth and after_factor)
            return token.value in OPENERS or token.value in ("{", vectors.NORM)
        return kind == "cmd" and token.value not in NON_FACTOR_COMMANDS

    # -- factors ------------------------------------------------------------

    @nested
    def parse_factor(self) -> sympy.Basic | PrefixOperator:
        value = self.parse_atom()
        if isinstance(value, PrefixOperator):
            return value
        return self.parse_power(value)

    def parse_operand_factor(self) -> sympy.Basic:
        """A factor as the argument of ``\\tanh x``; an operator takes the rest."""
        value = self.parse_factor()
        return self.apply_prefix(value) if isinstance(value, PrefixOperator) else value

    def continues_argument(self) -> bool:
        return names.continues_argument(self)

    def parse_power(self, base: sympy.Basic) -> sympy.Basic:
        self.reject_factorial()
        token = self.peek()
        if token.kind == "op" and token.value == "'":
            return self.parse_power(superscripts.primed_expression(self, base))
        if token.kind == "op" and token.value == "_" and self.written_one(base):
            self.next()
            return self.parse_power(indicator.indicator(self, self.take_span("subscript"), token))
        if token.kind == "op" and token.value == "_":
            raise self.error(f"unexpected {self.describe(token)} after an expression that is not a name",
                             token)
        if not self.at("op", "^"):
            return base
        if (entry := tensor.entry(self, base)) is not None:
            return self.parse_power(entry)
        if superscripts.transpose_ahead(self, base):
            if not isinstance(base, (sympy.MatrixBase, sympy.MatrixExpr)):
                self.vectors_as_numbers.append(str(base))
            return self.parse_power(self.build(sympy.transpose, base, at=self.peek()))
        self.next()
        exponent = superscripts.parse_exponent(self)
        if self.at("op", "^"):
            raise self.error("double superscript: use braces, as in x^{a^{b}}", self.peek())
        self.reject_factorial()
        if not (isinstance(base, sympy.Expr) and isinstance(exponent, sympy.Expr)):
            raise self.error("only expressions can be raised to a power", token)
        self.check_power(base, exponent, token)
        return self.build(power, base, exponent, at=token)

    def written_one(self, base: sympy.Basic) -> bool:
        """``1_{i=j}``: the digit 1 right before a subscript is an indicator."""
        before = self.tokens[self.index_of() - 1] if self.index_of() > 0 else None
        return base == 1 and before is not None and before.kind == "digit" and before.value == "1"

    def check_power(self, base: sympy.Basic, exponent: sympy.Basic, at: Token) -> None:
        """Powers whose exact value would take a computation without end
        (``x^{10^{100}}``, ``10^{5000}``) are errors; see ``limits``."""
        problem = limits.exponent_too_large(exponent) or limits.power_too_long(base, exponent)
        if problem:
            raise self.error(problem, at)

    def reject_factorial(self) -> None:
        """``n!``: the factorial is no part of the notation read here, and
        ``1000000!`` would be a number of millions of digits."""
        token = self.peek()
        if token.kind == "op" and token.value == "!":
            raise self.error("factorials (n!) are not supported", token)

    def parse_atom(self) -> sympy.Basic | PrefixOperator:
        token = self.peek()
        handler = self.handler_for(token)
        if handler is None:
            if token.kind == "cmd":
                raise self.error(f"unknown command \\{token.value}", token)
            raise self.error(f"unexpected {self.describe(token)}", token)
        return handler(self)

    def handler_for(self, token: Token):
        if token.kind == "op":
            return OP_ATOMS.get(token.value)
        if token.kind == "cmd":
            return COMMANDS.get(token.value)
        return KIND_ATOMS.get(token.kind)


OP_ATOMS = {
    "(": atoms.parse_delimited, "[": atoms.parse_delimited, "\\{": atoms.parse_delimited,
    "{": atoms.parse_braces, "|": atoms.parse_abs, vectors.NORM: vectors.parse_norm,
}
KIND_ATOMS = {
    "digit": atoms.parse_number, "letter": names.parse_name_factor,
    "text": names.parse_name_factor, "roman": names.parse_name_factor,
    "begin": matrices.parse_environment,
}
COMMANDS = {
    **dict.fromkeys(("frac", "dfrac", "tfrac", "cfrac"), calculus.parse_frac),
    **dict.fromkeys(("sum", "prod"), sums.parse_big_operator),
    **dict.fromkeys(names.NAME_COMMANDS, names.parse_name_factor),
    **dict.fromkeys(names.STYLE_COMMANDS, names.parse_name_factor),
    **dict.fromkeys(names.ACCENT_COMMANDS, names.parse_name_factor),
    "sqrt": functions.parse_sqrt, "left": atoms.parse_left, "boxed": atoms.parse_boxed,
    "infty": atoms.parse_infinity, "partial": calculus.parse_partial,
    **dict.fromkeys(("lfloor", "lceil"), superscripts.parse_rounding),
    **dict.fromkeys(("det", "Pr"), matrix_words.parse_command_word),
    "nabla": vectors.parse_nabla, "langle": vectors.parse_inner,
    **overlays.COMMANDS,
}
