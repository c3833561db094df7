"""Names, values and conditions as math, for the documents' sentences.

A sentence that mixes prose, math and code (a counterexample) is a tuple of
``Segment``s: ``text`` (prose, escaped by the template), ``math`` (put
between ``$...$``) or ``code`` (a Markdown code span / ``\\texttt``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..evidence import Refuted
from .escape import GREEK, clean_math

__all__ = ["Segment", "Sentence", "title_sentence", "name_math", "value_segment", "point_segments", "condition_math",
           "counterexample_sentence", "text_sentence"]


@dataclass(frozen=True)
class Segment:
    """A piece of a sentence: prose, math or code (see the module's docstring)."""

    kind: str   # "text" | "math" | "code"
    text: str


Sentence = tuple[Segment, ...]


_INLINE_MATH = re.compile(r"(?<!\\)\$([^$]+)(?<!\\)\$")


def title_sentence(title: str, target: str) -> Sentence:
    """A title with its math between dollars (``via $u = 1 + e^{-x}$``):
    prose as text, each ``$...$`` as math made safe by ``clean_math``."""
    segments, at = [], 0
    for match in _INLINE_MATH.finditer(title):
        if match.start() > at:
            segments.append(Segment("text", title[at:match.start()]))
        segments.append(Segment("math", clean_math(match.group(1), target)))
        at = match.end()
    if at < len(title):
        segments.append(Segment("text", title[at:]))
    return tuple(segments)


_NAME = re.compile(r"^([A-Za-z]+)(?:_([A-Za-z0-9]+))?$")


def name_math(name: str) -> str:
    """A let name as math: sigma -> \\sigma, g_logistic -> g_{\\text{logistic}},
    S_i -> S_i, z_12 -> z_{12}."""
    match = _NAME.match(name)
    if match is None:
        letters = re.sub(r"[^A-Za-z0-9]", "", name) or "?"
        return r"\mathrm{" + letters + "}"
    base, sub = match.groups()
    if base in GREEK:
        base_math = "\\" + base
    elif len(base) == 1:
        base_math = base
    else:
        base_math = r"\mathrm{" + base + "}"
    if sub is None:
        return base_math
    if len(sub) == 1:
        return f"{base_math}_{sub}"
    if sub.isdigit():
        return f"{base_math}_{{{sub}}}"
    if sub in GREEK:
        return f"{base_math}_{{\\{sub}}}"
    return f"{base_math}_{{\\text{{{sub}}}}}"


_INTEGER = re.compile(r"^(-?)(\d+)$")
_RATIONAL = re.compile(r"^(-?)(\d+)/(\d+)$")
_DECIMAL = re.compile(r"^(-?)(\d+\.\d*|\.\d+|\d+)(?:e([+-]?\d+))?$")
_SPECIAL_VALUES = {"oo": r"\infty", "-oo": r"-\infty", "zoo": r"\tilde{\infty}", "pi": r"\pi",
                   "-pi": r"-\pi", "E": "e", "I": "i", "-I": "-i"}


_MATRIX = re.compile(r"^(?:Matrix\()?\[(\[.*\])\]\)?$")


def _matrix_math(value: str) -> str | None:
    """[[1, 0], [0, 1]] or Matrix([[1, 0], [0, 1]]) of numbers as a small
    bracketed matrix, else None."""
    match = _MATRIX.match(value)
    if match is None:
        return None
    inner = match.group(1)
    if not (inner.startswith("[") and inner.endswith("]")):
        return None
    rows = []
    for row in inner[1:-1].split("], ["):
        entries = [value_segment(entry) for entry in row.split(", ")]
        if any(entry.kind != "math" or "[" in entry.text for entry in entries):
            return None
        rows.append(" & ".join(entry.text for entry in entries))
    return r"\left[\begin{smallmatrix} " + r" \\ ".join(rows) + r" \end{smallmatrix}\right]"


def value_segment(value: str, target: str = "md") -> Segment:
    """A SymPy value string as math where it is a number (1/4 -> \\frac{1}{4},
    -0.03 as is; for LaTeX also a matrix of numbers), else as code."""
    value = str(value).strip()
    if target == "tex":
        matrix = _matrix_math(value)
        if matrix is not None:
            return Segment("math", matrix)
    if value in _SPECIAL_VALUES:
        return Segment("math", _SPECIAL_VALUES[value])
    if _INTEGER.match(value):
        return Segment("math", value)
    match = _RATIONAL.match(value)
    if match:
        sign, numerator, denominator = match.groups()
        return Segment("math", f"{sign}\\frac{{{numerator}}}{{{denominator}}}")
    match = _DECIMAL.match(value)
    if match:
        sign, mantissa, exponent = match.groups()
        if exponent is None:
            return Segment("math", value)
        return Segment("math", f"{sign}{mantissa} \\cdot 10^{{{int(exponent)}}}")
    return Segment("code", value)


def point_segments(point: tuple[tuple[str, str], ...], target: str) -> list[Segment]:
    """"x = 0, a = `nan`": each name of a point with its value."""
    segments: list[Segment] = []
    for number, (name, value) in enumerate(point):
        if number:
            segments.append(Segment("text", ", "))
        shown = value_segment(value, target)
        if shown.kind == "math":
            segments.append(Segment("math", f"{name_math(name)} = {shown.text}"))
        else:
            segments += [Segment("math", name_math(name)), Segment("text", " = "), shown]
    return segments


_ASCII_RELATIONS = {"<=": r"\leq", ">=": r"\geq", "!=": r"\neq"}


def condition_math(condition: str, target: str) -> str:
    """A case condition as math, ASCII relations as symbols (x <= 0 -> x \\leq 0)."""
    math = clean_math(condition, target)
    math = re.sub(r"\s*(<=|>=|!=)\s*", lambda m: f" {_ASCII_RELATIONS[m.group(1)]} ", math)
    return math.strip()


def counterexample_sentence(refuted: Refuted, lhs_name: str, rhs_name: str, target: str,
                            lead: str = "Counterexample: ") -> Sentence:
    """"Counterexample: at $x = 0$ the previous line is $\\frac{1}{4}$ and this
    line is $-\\frac{1}{4}$." """
    segments = [Segment("text", lead)]
    if refuted.point:
        segments.append(Segment("text", "at "))
        segments += point_segments(refuted.point, target)
        segments.append(Segment("text", " "))
    segments += [Segment("text", f"{lhs_name} is "), value_segment(refuted.lhs_value, target),
                 Segment("text", f" and {rhs_name} is "), value_segment(refuted.rhs_value, target),
                 Segment("text", ".")]
    return _merge(segments)


def _merge(segments) -> Sentence:
    """Adjacent text segments joined (the same output, fewer pieces)."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and segment.kind == "text" and merged[-1].kind == "text":
            merged[-1] = Segment("text", merged[-1].text + segment.text)
        elif segment.text or segment.kind != "text":
            merged.append(segment)
    return tuple(merged)


def text_sentence(text: str) -> Sentence:
    """A sentence of prose alone."""
    return (Segment("text", text),)
