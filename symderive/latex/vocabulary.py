"""The vocabulary of names: Greek letters, builtin functions, constants,
and the record of one name as written (``Occurrence``).

Kept apart from the parsing code so the tables read as a reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from .cursor import Span
from .tokens import Token
from .grammar import Grammar


GREEK = frozenset("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota
kappa lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi
psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell""".split())
BUILTIN_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sinh": sympy.sinh,
    "cosh": sympy.cosh, "tanh": sympy.tanh, "exp": sympy.exp, "log": sympy.log,
    "ln": sympy.log, "sech": sympy.sech, "csch": sympy.csch, "coth": sympy.coth,
    "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot, "arcsin": sympy.asin,
    "arccos": sympy.acos, "arctan": sympy.atan, "max": sympy.Max, "min": sympy.Min,
    "abs": sympy.Abs, "sgn": sympy.sign, "asin": sympy.asin, "acos": sympy.acos,
    "atan": sympy.atan, "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "arcsinh": sympy.asinh, "arccosh": sympy.acosh, "arctanh": sympy.atanh,
    "erf": sympy.erf, "erfc": sympy.erfc, "sign": sympy.sign,
    # ISO 80000 spells the inverse hyperbolic functions ar-, not arc-
    "artanh": sympy.atanh, "arsinh": sympy.asinh, "arcosh": sympy.acosh, "arcoth": sympy.acoth,
    "arsech": sympy.asech, "arcsch": sympy.acsch, "arccoth": sympy.acoth, "acoth": sympy.acoth,
    "arcsech": sympy.asech, "arccsch": sympy.acsch, "asech": sympy.asech, "acsch": sympy.acsch,
    "arccot": sympy.acot, "arcsec": sympy.asec, "arccsc": sympy.acsc, "acot": sympy.acot,
    "asec": sympy.asec, "acsc": sympy.acsc,
    "floor": sympy.floor, "ceil": sympy.ceiling, "ceiling": sympy.ceiling, "signum": sympy.sign,
    "logit": lambda p: sympy.log(p / (1 - p)),  # the inverse of the logistic function
}
INVERSES = {
    "sin": sympy.asin, "cos": sympy.acos, "tan": sympy.atan, "sinh": sympy.asinh,
    "cosh": sympy.acosh, "tanh": sympy.atanh, "cot": sympy.acot, "coth": sympy.acoth,
    "sec": sympy.asec, "csc": sympy.acsc, "sech": sympy.asech, "csch": sympy.acsch,
}
CONSTANTS = {"e": sympy.E, "pi": sympy.pi}
STYLE_COMMANDS = frozenset({"mathbf", "boldsymbol", "bm", "vec", "mathbfit"})
# Accents and letter fonts make a distinct name: ``\\hat{y}`` is ``y_hat``,
# never ``y``; ``\\mathcal{L}`` is ``L_cal``, a name of its own beside L.
ACCENT_COMMANDS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar",
                   "tilde": "tilde", "widetilde": "tilde", "dot": "dot", "ddot": "ddot",
                   "check": "check", "breve": "breve", "mathcal": "cal", "mathscr": "scr",
                   "mathfrak": "frak", "mathbb": "bb"}
NAME_COMMANDS = GREEK | frozenset(BUILTIN_FUNCTIONS)
WORD = re.compile(r"[A-Za-z]+(?:_[A-Za-z0-9]+)?")
DIFFERENTIABLE = (sympy.Symbol, sympy.Indexed, sympy.MatrixSymbol, AppliedUndef)


@dataclass(frozen=True)
class Occurrence:
    """A name as written: the name, its first token, decorations."""

    name: str
    token: Token
    styled: bool = False
    primes: int = 0
    subscript: Span | None = None
    wrt: bool = False
    label_index: sympy.Basic | None = None  # the i of ``x^{(i)}``, when i is an index
    word: bool = False  # written as a word in ``\\operatorname``, ``\\mathrm``, ``\\rm``

    @property
    def shown(self) -> str:
        return self.name + "'" * self.primes


def lookup_function(scope, name: str):
    """A scope function by exact name, then case-insensitively (words only)."""
    if name in scope.functions:
        return scope.functions[name]
    if len(name) > 1:
        folded = name.lower()
        for key, function in scope.functions.items():
            if key.lower() == folded:
                return function
    return None


def subscript_text(p: Grammar, span: Span) -> str | None:
    """The subscript as a word (``logistic``, ``1``, ``k``), or None."""
    pieces = []
    for token in p.tokens[span.start:span.end]:
        if token.kind in ("letter", "digit"):
            pieces.append(token.value)
        elif token.kind in ("text", "roman") and WORD.fullmatch(token.value.strip()):
            pieces.append(token.value.strip())
        elif token.kind == "cmd" and token.value in GREEK:
            pieces.append(token.value)
        else:
            return None
    return "".join(pieces) or None


def undeclared(p: Grammar, occurrence: Occurrence, shown: str) -> Exception:
    return p.error(f"'{shown}': {occurrence.name} is not a declared function (declare it in [let])",
                   occurrence.token)

