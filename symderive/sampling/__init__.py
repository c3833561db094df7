"""Numeric refutation's side of a proof: the points at which two expressions
are evaluated to look for a counterexample (``points``), and the
confirmation of a difference found there in interval arithmetic at rising
precision (``confirm``, on the interval extensions of ``intervals``).

Numbers found here may refute a step, never prove one.
"""

from .confirm import AGREE_DIGITS, PRECISIONS, Separation, midpoint, separate
from .intervals import enclosure
from .points import (
    LENGTHS,
    MAX_BREAKS,
    REAL_POINTS,
    VECTOR_VALUES,
    WINDOW,
    Point,
    approximate_breaks,
    boundaries,
    index_assignments,
    kinks,
    on_a_boundary,
    real_points,
    scalar_vectors,
    vector_value,
)

__all__ = [
    "AGREE_DIGITS", "LENGTHS", "MAX_BREAKS", "PRECISIONS", "REAL_POINTS", "VECTOR_VALUES", "WINDOW",
    "Point", "Separation", "approximate_breaks", "boundaries", "enclosure", "index_assignments", "kinks",
    "midpoint", "on_a_boundary", "real_points", "scalar_vectors", "separate",
    "vector_value",
]
