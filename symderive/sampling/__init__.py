"""Numeric refutation's side of a proof: the points at which two expressions
are evaluated to look for a counterexample (``points``), and the
confirmation of a difference found there in interval arithmetic at rising
precision (``confirm``, on the interval extensions of ``intervals``).

Numbers found here may refute a step, never prove one.
"""

from .confirm import Separation, SeparationOutcome, midpoint, separate
from .points import REAL_POINTS, Point, index_assignments, on_a_boundary, real_points, scalar_vectors, vector_value

__all__ = ["REAL_POINTS", "Point", "Separation", "SeparationOutcome", "index_assignments", "midpoint",
           "on_a_boundary", "real_points", "scalar_vectors", "separate", "vector_value"]
