"""The values the LaTeX front end hands to the engine.

A display equation is a chain of parts joined by relations::

    a = b = c        ->  Part(None, a), Part("=", b), Part("=", c)

Conventions (the engine relies on them):

* ``parts[0].relation`` is always None. A display that opens with a
  relation (``\\Rightarrow a = b``, or a first row ``&=& b``) starts with an
  empty part ``Part(None, None, origin, "")``: the left side is the previous
  display, which only the engine knows.
* A relation that ends a row, when the next row starts with a relation
  (``a = b \\Rightarrow \\\\ \\Rightarrow c = d``, the notebook style), is a
  connective: ``Part("\\Rightarrow", None, origin, "")`` with an empty right
  side, and the next row's leading relation likewise starts from an empty
  part. A relation dangling at the very end of a display (``a = b =``, the
  next display goes on) is likewise ``Part("=", None, origin, "")``.
  ``Display.relations()`` then holds ``b \\Rightarrow (None)`` and
  ``(None) \\Rightarrow c``: a relation with a None side is a connective.
* A later part with relation None starts a new chain: a row of an aligned
  block that has its own left side (``a &= b \\\\ c &= d``).
* ``Part.origin`` is where the part's expression starts (for the empty first
  part: where the opening relation is); ``Part.text`` is its source text.
* A trailing condition (``a = b, \\quad i \\neq k``, ``a = b \\text{ for } i = k``,
  ``a = b \\quad (i \\neq k)``: a relation between two simple names, or a
  name and a number) is not math: ``Display.condition`` holds its LaTeX
  (``"i \\neq k"``), ``Display.condition_origin`` where it starts, and it is
  also an annotation with that text. Both are None without a condition.
* Prose inside the math (``\\text{(by chain rule)}``) and equation tags
  (``\\tag{4.1}``, a trailing ``~~~ (4.1)``) are annotations, never math.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..errors import Origin

RELATIONS = ("=", "\\approx", "\\Rightarrow", "\\implies", "\\iff", "\\Leftrightarrow", "\\therefore",
             "\\because", "<", ">", "\\leq", "\\geq", "\\neq")


@dataclass(frozen=True)
class Annotation:
    """Words next to the math: a justification or an equation tag."""

    text: str
    origin: Origin


@dataclass(frozen=True)
class Part:
    """One side of a relation: ``relation`` joins it to the part before."""

    relation: str | None
    expr: sympy.Basic | None
    origin: Origin
    text: str


@dataclass(frozen=True)
class Relation:
    """Two neighbouring parts of one chain: ``lhs relation rhs``."""

    lhs: Part
    relation: str
    rhs: Part


@dataclass(frozen=True)
class Display:
    """A display equation: its chain(s) of parts, its annotations and the
    trailing condition it holds under (LaTeX text), if any.

    ``vectors_as_numbers`` names what the author marks as a vector (a
    transpose ``w^T``, a bold or arrowed ``\\mathbf{x}``, ``\\vec{x}``) but the
    scope reads as a number (``w^T x`` is w·x): the parts are then the
    one-dimensional case of the author's claim, which a point can refute but
    no proof settles (x w^T = w^T x holds for numbers, not for vectors)."""

    parts: tuple[Part, ...]
    annotations: tuple[Annotation, ...] = ()
    condition: str | None = None
    condition_origin: Origin | None = None
    vectors_as_numbers: tuple[str, ...] = ()

    def chains(self) -> tuple[tuple[Part, ...], ...]:
        """The parts split where a new chain starts (relation None)."""
        chains: list[list[Part]] = []
        for part in self.parts:
            if part.relation is None or not chains:
                chains.append([])
            chains[-1].append(part)
        return tuple(tuple(chain) for chain in chains)

    def relations(self) -> tuple[Relation, ...]:
        """Every ``lhs relation rhs`` of every chain, in order; ``lhs.expr``
        is None when the display opens with a relation."""
        return tuple(
            Relation(lhs, rhs.relation, rhs)
            for chain in self.chains()
            for lhs, rhs in zip(chain, chain[1:])
        )
