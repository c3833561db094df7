"""Words that name an operation on matrices or on random variables.

``\\operatorname{tr}``, ``\\operatorname{diag}``, ``\\operatorname{det}``
are read on the matrices the scope declares: ``tr A`` is ``Trace(A)``,
``diag(v)`` of a vector the diagonal matrix with v on its diagonal. A name
the post does not declare is read as a number, and on numbers these words
would prove identities that fail for matrices (tr(ABC) = tr(BAC), true for
numbers): there the word is an error that says what to declare, never a
product ``t r A`` nor an unknown function ``tr(A)``.

An expectation, a probability or a variance (``\\mathbb{E}[x]``,
``\\operatorname{Var}(x)``) averages over a distribution the math does not
state, so it has no value to check: it is an error, never ``E·x``.
"""

from __future__ import annotations

import sympy
from sympy.matrices.expressions.diagonal import DiagMatrix

from .functions import call_arguments
from .grammar import Grammar
from .vocabulary import Occurrence

MATRIX_TYPES = (sympy.MatrixBase, sympy.MatrixExpr)
# ``\mathbb{E}`` is read as the name E_bb (``vocabulary.ACCENT_COMMANDS``).
EXPECTATION_NAMES = frozenset({"E_bb", "P_bb", "V_bb"})
EXPECTATION_WORDS = frozenset({"E", "Var", "Cov", "Pr", "Prob", "Corr"})
OPERATOR_WORDS = frozenset({"argmax", "argmin", "arg", "sup", "inf", "lim", "limsup", "liminf"})


def is_matrix(value) -> bool:
    return isinstance(value, MATRIX_TYPES)


def is_vector(value) -> bool:
    return is_matrix(value) and 1 in value.shape


def is_square(value) -> bool:
    return is_matrix(value) and value.shape[0] == value.shape[1]


def trace(matrix):
    return sympy.Trace(matrix) if isinstance(matrix, sympy.MatrixExpr) else matrix.trace()


def determinant(matrix):
    return sympy.Determinant(matrix) if isinstance(matrix, sympy.MatrixExpr) else matrix.det()


def diagonal(vector):
    if isinstance(vector, sympy.MatrixExpr):
        return DiagMatrix(vector if vector.shape[1] == 1 else vector.T)
    return sympy.diag(*vector)


# word: (what its argument must be, the test, the meaning)
MATRIX_WORDS = {
    "tr": ("a square matrix", is_square, trace), "trace": ("a square matrix", is_square, trace),
    "Tr": ("a square matrix", is_square, trace), "det": ("a square matrix", is_square, determinant),
    "diag": ("a vector", is_vector, diagonal),
}


def is_matrix_word(occurrence: Occurrence) -> bool:
    return occurrence.word and occurrence.name in MATRIX_WORDS


def apply_matrix_word(p: Grammar, occurrence: Occurrence) -> sympy.Basic:
    """``\\operatorname{tr}(A)`` or ``\\operatorname{tr} A``."""
    arguments = call_arguments(p)
    if arguments is None:
        arguments = [p.parse_operand_factor()]
    what, fits, meaning = MATRIX_WORDS[occurrence.name]
    shown = f"\\operatorname{{{occurrence.name}}}"
    if len(arguments) != 1:
        raise p.error(f"{shown} takes one argument", occurrence.token)
    argument = arguments[0]
    if not fits(argument):
        kind = (f"a {argument.shape[0]}x{argument.shape[1]} matrix" if is_matrix(argument) else
                "a number (a name not declared as a matrix is a number)")
        raise p.error(f"{shown} needs {what}; its argument {argument} is read as {kind}", occurrence.token)
    return p.build(meaning, argument, at=occurrence.token)


def reject_expectation(p: Grammar, occurrence: Occurrence) -> None:
    """``\\mathbb{E}[x]``, ``\\operatorname{Var}(x)``: not read (module
    docstring); nor ``\\operatorname*{argmax}_i z_i``, ``\\mathrm{sup}``,
    whose value is no expression of what follows (argmax_i times z_i)."""
    if occurrence.token.kind in ("roman", "text") and occurrence.name in OPERATOR_WORDS:
        raise p.error(f"{p.source(occurrence.token)}: an operator over an index or a limit "
                      "(argmax, argmin, sup, inf, lim) is not read", occurrence.token)
    if occurrence.name in EXPECTATION_NAMES:
        shown = f"\\mathbb{{{occurrence.name[0]}}}"
    elif occurrence.token.kind in ("roman", "text", "cmd") and occurrence.name in EXPECTATION_WORDS:
        shown = p.source(occurrence.token)
    else:
        return
    raise p.error(f"{shown}: an expectation, probability or variance averages over a distribution "
                  "the math does not state, so it is not read", occurrence.token)


def parse_command_word(p: Grammar) -> sympy.Basic:
    """``\\det A`` like ``\\operatorname{det} A``; ``\\Pr(A)`` is not read."""
    token = p.next()
    occurrence = Occurrence(token.value, token, word=True)
    reject_expectation(p, occurrence)
    return apply_matrix_word(p, occurrence)
