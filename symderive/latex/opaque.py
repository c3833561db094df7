"""Names a post writes for a value it gives elsewhere, or in prose only.

Two notations name a value without saying what it is made of:

* a prime on a name that is no function: ``e_i'`` (the author's "e_i' is the
  derivative of e_i with respect to x_i", the value given after it), ``g'h - h'g``
  with g a vector's name: one name, the derivative of e_i in a variable the
  post says in words.
* a bare ``\\sum`` with no summand (``\\frac{e_j}{\\sum}``, ``\\sum^2``, ``\\sum'``):
  the sum the post is about, named by its sign (``sums.bare_sum``).

A bare ``\\sum`` is read as the value of an undefined function of the default
variable, ``Sigma_sum(x)``: on the left of a relation (``\\sum = e^{x_1} +
\\dots + e^{x_n}``) it is defined like any function name applied to the
variable (post.classify), and it is that sum afterwards. A primed name is
the value of an undefined function of nothing, ``e_i'()``: never defined by
a relation, since what the post gives as its value is a claim about the
derivative of e_i (``e_i' = \\partial e^{x_i}/\\partial x_i``, then ``e_i' =
e_i``), which holds only with e_i's own meaning, often given in prose only.
An undefined function has no value at any point, so a claim through such a
name is never refuted (prove_numeric), only proved when it holds for every
value the name may take. Read as free numbers instead, the names would
refute true steps whose names the post explains in words.

Where no value can be a name this way, the notation stays an error: in an
index or a sum's limits (``x_{k'}``: k' is an index), with no default
variable (a derivation file declares its names in ``[let]``), on a bold or
matrix name (``\\mathbf{x}'``, ``X'X``: a transpose in some notations), on a
subscript that is an expression or a summation index being read, and before
a parenthesis (``h'(x)``: a function never declared).
"""

from __future__ import annotations

import sympy

from .grammar import Grammar
from .tokens import Token
from .vocabulary import Occurrence, subscript_text, undeclared

SUM_NAME = "Sigma_sum"


def opaque_value(p: Grammar, name: str, at: Token, definable: bool = False) -> sympy.Basic | None:
    """The value of the name ``name``, a function of the default variable
    when a relation may define it, else of nothing (see the module
    docstring); None where the notation cannot be a name."""
    default = p.scope.default_variable
    if default is None or p.index_mode:
        return None
    return p.build(sympy.Function(name, real=True), *((default,) if definable else ()), at=at)


def primed_name(p: Grammar, occurrence: Occurrence, meaning: sympy.Basic) -> sympy.Basic:
    """``e_i'``, ``g'`` with e, g no function: the one name ``e_i'``."""
    written = written_name(p, occurrence, meaning)
    applied = p.at("op", "(")  # h'(x): a function the post never declared, not a name times (x)
    value = opaque_value(p, written, occurrence.token) if written is not None and not applied else None
    if value is None:
        raise undeclared(p, occurrence, occurrence.shown)
    return value


def written_name(p: Grammar, occurrence: Occurrence, meaning: sympy.Basic) -> str | None:
    """``e_i'`` for e, subscript i, one prime; None where it names no value."""
    if (occurrence.styled or occurrence.name in p.locals or occurrence.name in p.limit_letters
            or isinstance(meaning, (sympy.MatrixBase, sympy.MatrixExpr))):
        return None
    name = occurrence.name
    if occurrence.subscript is not None:
        tokens = p.tokens[occurrence.subscript.start:occurrence.subscript.end]
        if any(token.kind in ("letter", "cmd") and token.value in p.locals for token in tokens):
            return None  # \sum_k e_k': an entry of a family, not one name
        text = subscript_text(p, occurrence.subscript)
        if text is None:
            return None
        name = f"{name}_{text}"
    return name + "'" * occurrence.primes
