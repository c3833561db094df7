"""Explicit matrices are compared entry by entry: one differing entry
refutes, every entry proved proves, anything else is unknown. (An explicit
matrix used to reduce to a 0 entry, so any two of one shape were "proved".)"""

import sympy

from symderive.evidence import Proved, Refuted, Unknown
from symderive.prover import prove_equal

X = sympy.Symbol("x", real=True)


def test_a_differing_constant_entry_refutes():
    verdict = prove_equal(sympy.Matrix([[1, 2], [3, 4]]), sympy.Matrix([[1, 2], [3, 5]]))
    assert isinstance(verdict, Refuted) and "(2, 2)" in verdict.method
    assert (verdict.lhs_value, verdict.rhs_value) == ("4", "5")


def test_a_differing_symbolic_entry_refutes_at_a_point_where_it_differs():
    verdict = prove_equal(sympy.Matrix([[X**2, 0]]), sympy.Matrix([[X, 0]]))
    assert isinstance(verdict, Refuted)
    point = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in verdict.point}
    assert (X**2 - X).subs(point) != 0


def test_equal_entries_prove_and_an_undecided_entry_is_unknown():
    assert isinstance(prove_equal(sympy.Matrix([[X * X, 2]]), sympy.Matrix([[X**2, 1 + 1]])), Proved)
    f = sympy.Function("f")
    assert isinstance(prove_equal(sympy.Matrix([[f(X), 1]]), sympy.Matrix([[f(-X), 1]])), (Unknown, Refuted))


def test_an_explicit_matrix_against_a_matrix_symbol_of_the_same_shape_is_written_out():
    m = sympy.MatrixSymbol("M", 2, 2)
    assert not isinstance(prove_equal(m, sympy.Matrix([[1, 0], [0, 1]])), Proved)
    assert isinstance(prove_equal(sympy.Identity(2), sympy.Matrix([[1, 0], [0, 1]])), Proved)
    assert isinstance(prove_equal(sympy.Identity(2), sympy.Matrix([[1, 1], [0, 1]])), Refuted)
