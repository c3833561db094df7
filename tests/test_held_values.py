"""The prover's held values (symderive/held_values.py): derivatives of
undefined names, and undefined functions' values, held as free values. A
claim is proved when it holds for every choice of them (the oracle: SymPy
with the atoms replaced by independent symbols, written out at m = 3); it
is never refuted so, and two different atoms are never one value."""

from __future__ import annotations

import sympy

from symderive.evidence import Proved
from symderive.held_values import held_values
from symderive.prover import ProofContext, prove_equal

x, s2, c = sympy.symbols("x sigma2 c", real=True)
i = sympy.Symbol("i", integer=True)
m = sympy.Symbol("m", integer=True, positive=True)
f, y, sigma = (sympy.Function(n, real=True) for n in ("f", "y", "sigma"))
G = sympy.Function("\u2202f/\u2202x_hat", real=True)  # the upstream gradient's entries, as a post's reading makes them


def proved(a, b) -> bool:
    return isinstance(prove_equal(a, b, ProofContext(timeout=10)), Proved)


def oracle(a, b) -> bool:
    """a = b with each distinct atom an independent symbol, at m = 3."""
    a, b = (side.subs(m, 3).doit() for side in (a, b))
    atoms = sorted(a.atoms(sympy.Derivative, sympy.core.function.AppliedUndef)
                   | b.atoms(sympy.Derivative, sympy.core.function.AppliedUndef), key=sympy.default_sort_key)
    outer = [t for t in atoms if not any(t != u and u.has(t) for u in atoms)]
    free = {t: sympy.Symbol(f"h{k}", real=True) for k, t in enumerate(outer)}
    return sympy.simplify(a.xreplace(free) - b.xreplace(free)) == 0


def test_a_factor_out_of_a_sum_of_upstream_gradients_is_proved():
    a = sympy.Sum(G(i) * (-1) / sympy.sqrt(s2 + 1), (i, 1, m))
    b = -sympy.Sum(G(i), (i, 1, m)) / sympy.sqrt(s2 + 1)
    assert oracle(a, b) and proved(a, b)


def test_a_lost_term_is_not_proved():
    a = sympy.Sum(G(i) * c, (i, 1, m))
    b = c * sympy.Sum(G(i), (i, 1, m)) + G(1)
    assert not oracle(a, b) and not proved(a, b)


def test_a_wrong_implicit_derivative_is_not_proved():
    dy = sympy.Derivative(y(x), x)
    a, b = 2 * y(x) * dy, y(x) * dy
    assert not oracle(a, b) and not proved(a, b)


def test_an_entry_at_a_number_and_at_an_index_are_one_vector():
    """df/dx_hat_1 and df/dx_hat_i are entries of one vector: at i = 1, one value."""
    held = held_values(G(1) + G(i), 2 * G(i), frozenset())
    left, right = held[0], held[1]
    assert {e.base for e in left.atoms(sympy.Indexed)} == {e.base for e in right.atoms(sympy.Indexed)}
    assert not proved(G(1) + G(i), 2 * G(i))


def test_a_held_value_never_takes_the_name_of_a_symbol_of_the_claim():
    """sigma(x) held beside a symbol sigma: two values, so sigma(x) = sigma is not proved."""
    s = sympy.Symbol("sigma", real=True)
    left, right, *_ = held_values(sigma(x), s, frozenset())
    assert left != right
    assert not proved(sigma(x), s)
    assert not proved(sympy.Derivative(f(x), x), sympy.Derivative(f(x, c), x))
