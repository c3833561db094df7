"""The grammar as the reading modules see it: the cursor plus the entry
points of the expression grammar.

``names``, ``calculus``, ``functions`` and the other reading modules call
back into the grammar (a fraction parses its numerator as an expression).
They are written against this class, not against ``Parser``: ``Parser``
imports them for its dispatch tables, so depending on it from below would
make the package one import cycle. This module sits between ``cursor`` and
the reading modules and imports neither.
"""

from __future__ import annotations

import abc
from typing import Callable

import sympy

from .cursor import Cursor
from .tokens import Token


class Grammar(Cursor, metaclass=abc.ABCMeta):
    """The expression grammar's entry points; ``Parser`` implements them."""

    @abc.abstractmethod
    def parse_expression(self) -> sympy.Basic:
        """A sum, or ``{a \\over b}``."""

    @abc.abstractmethod
    def parse_items(self) -> list[sympy.Basic]:
        """Comma-separated expressions."""

    @abc.abstractmethod
    def parse_factor(self):
        """An atom with its superscripts (or a prefix operator)."""

    @abc.abstractmethod
    def parse_operand_factor(self) -> sympy.Basic:
        """A factor; a prefix operator there takes the rest as operand."""

    @abc.abstractmethod
    def parse_power(self, base: sympy.Basic) -> sympy.Basic:
        """What follows ``base``: a power, a transpose, primes."""

    @abc.abstractmethod
    def parse_signed(self, parse: Callable[[], sympy.Basic]) -> sympy.Basic:
        """``parse()`` after any leading signs."""

    @abc.abstractmethod
    def parse_term(self) -> sympy.Basic:
        """Products joined by ``\\cdot``, ``/`` and the like."""

    @abc.abstractmethod
    def parse_product(self) -> sympy.Basic:
        """Juxtaposed factors."""

    @abc.abstractmethod
    def check_power(self, base: sympy.Basic, exponent: sympy.Basic, at: Token) -> None:
        """An error for a power whose exact value cannot be computed."""

    @abc.abstractmethod
    def arithmetic(self, constructor, operands: list, at: Token) -> sympy.Basic:
        """Add/Mul/Pow of expressions only."""

    @abc.abstractmethod
    def negate(self, value: sympy.Basic, at: Token) -> sympy.Basic:
        """``-value``."""

    @abc.abstractmethod
    def at_sign(self) -> bool:
        """Whether a ``+`` or ``-`` is next."""

    @abc.abstractmethod
    def starts_factor(self, token: Token, after_factor: bool) -> bool:
        """Whether ``token`` can open a factor."""

    @abc.abstractmethod
    def continues_argument(self) -> bool:
        """Whether the argument of ``\\sin 2x`` goes on."""

    @abc.abstractmethod
    def skip_trailing_punctuation(self) -> None:
        """A full stop or comma closing a row is prose."""
