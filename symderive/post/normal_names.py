"""Names a post gives the standard normal distribution in words.

GELU posts write ``x\\Phi(x)`` and its derivative ``\\Phi(x) + x\\varphi(x)``
and say in prose what the names are: "where $\\Phi(\\cdot)$ denotes the
cumulative distribution function (CDF) of the standard normal
distribution", "$\\varphi(x)$ stands for the probability density function
of the normal distribution", "the Gaussian CDF $\\Phi(x)$". Such a name is
defined as the function the words name:

* the CDF: Φ(t) = (1 + erf(t/√2)) / 2;
* the density: φ(t) = e^{-t²/2} / √(2π).

Only a lone name (``\\Phi``, ``\\Phi(x)``, ``\\Phi(\\cdot)``) with the words
right after it (or right before it) is read, and only when they name the
normal (or Gaussian) distribution with no parameter of its own: a sentence
that speaks of a mean, a variance, μ or σ is left alone, and the name stays
undefined (its derivative unknown).
"""

from __future__ import annotations

import re
from functools import lru_cache

import sympy


@lru_cache(maxsize=1)
def functions() -> dict:
    """The two bodies, built when a post first names one (erf's first use costs a cold check ~20 ms)."""
    t = sympy.Symbol("t_normal", real=True)
    return {"cdf": (t, (1 + sympy.erf(t / sympy.sqrt(2))) / 2),
            "pdf": (t, sympy.exp(-t ** 2 / 2) / sympy.sqrt(2 * sympy.pi))}


_LONE = re.compile(r"^\s*\\(?P<name>[A-Za-z]+)\s*(?:\(\s*(?:\\cdot|[A-Za-z])\s*\)|\\left\(\s*(?:\\cdot|[A-Za-z])\s*\\right\))?\s*$")
_KIND = {"cdf": r"(?:cumulative\s+distribution(?:\s+function)?|c\.?d\.?f\.?)",
         "pdf": r"(?:probability\s+density(?:\s+function)?|density(?:\s+function)?|p\.?d\.?f\.?)"}
_NORMAL = r"(?:standard\s+)?(?:normal|gaussian)"
_PARAMETERS = re.compile(r"\bmean\b|\bvariance\b|\\mu\b|\\sigma\b|deviation", re.I)


def _after(kind: str) -> re.Pattern:
    """"$\\Phi(x)$ denotes the CDF (CDF) of/for the standard normal (distribution)"."""
    return re.compile(rf"^\s*(?:,\s*)?(?:denotes|is|stands\s+for|represents|means|being)\s+(?:the\s+|a\s+)?"
                      rf"(?:{_NORMAL}\s+{_KIND[kind]}|{_KIND[kind]}(?:\s*\([^()]*\))?\s+(?:of|for)\s+(?:the\s+|a\s+)?"
                      rf"{_NORMAL})", re.I)


def _before(kind: str) -> re.Pattern:
    """"the standard normal CDF $\\Phi(x)$", "the Gaussian density $\\varphi$"."""
    return re.compile(rf"\b{_NORMAL}\s+{_KIND[kind]}\s*(?:,\s*)?$", re.I)


def normal_names(blocks, scope) -> dict:
    """{scope function: (variable, body)} for each name the prose says is the
    standard normal's CDF or density (see the module's docstring)."""
    found = {}
    for block in blocks:
        lone = _LONE.match(block.text)
        if lone is None or lone.group("name") not in scope.functions:
            continue
        sentence = block.words_after.split(".")[0]
        before = block.prose_before.rsplit(".", 1)[-1]
        for kind in _KIND:
            said = _after(kind).match(block.words_after) or _before(kind).search(block.prose_before)
            if said and not _PARAMETERS.search(sentence + " " + before):
                found.setdefault(scope.functions[lone.group("name")], functions()[kind])
    return found
