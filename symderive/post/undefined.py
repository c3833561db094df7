"""Claims about names a post never defines: a loss f differentiated through a
layer output.

The chain rule stated for every f is refuted by one linear f (upstream.py).
It is proved by one linear f whose gradient is left free, when the claim
holds f only through its first derivatives at one point: every f has some
gradient there, and a linear f takes any. The sums of that f run over a
length the claim does not write (or a declared one), so a claim that sums
the output to its own M is not proved by its own range. The algebra a post
does in the derivatives of an undefined f is the prover's (held_values.py).
"""

from __future__ import annotations

from dataclasses import replace

import sympy
from sympy.core.function import AppliedUndef

from ..evidence import Proved, Refuted
from ..meaning import assume
from ..prover import (EXACT_SPLITS, STRATEGIES, Declared, ProofContext, held_derivatives, prove_equal,
                      simplify_last_resort)
from .shapes import Shapes, plain, ranged, read_lengths
from .stated import kept_sum_evidence
from .upstream import entry_domain, surrogate


def evaluated(meaning, side, declared=Declared()):
    """``meaning.evaluate(side)``, each declared index carrying its range
    through the evaluation's Kronecker collapse (shapes.ranged)."""
    return plain(meaning.evaluate(ranged(side, declared))) if declared.indices else meaning.evaluate(side)


LINEAR_INSTANCE = "for a linear instance of a loss the post leaves undefined"
EVERY_LOSS = ("for every loss the post leaves undefined: the claim holds it only through its first "
              "derivatives, which a linear loss with a free gradient takes to any value")

# The strategies that may refute: an instance's proof says nothing of every f
# (the splits only prove, and simplify would take the claim's whole time)
REFUTING = tuple(s for s in STRATEGIES if s not in (held_derivatives, simplify_last_resort, *EXACT_SPLITS))


def upstream_refutation(meaning, lhs, rhs, condition, timeout, assumptions=None,
                        declared=Declared(), shapes=Shapes()) -> Refuted | None:
    """The refutation of a chain rule through an undefined loss, read for a
    linear loss of the layer's output (see upstream.py); None otherwise."""
    linear = surrogate(meaning, lhs, rhs, declared.indices, shapes=shapes)
    if linear is None:
        return None
    declared = _read_declared(declared, shapes)
    sides = _instance_sides(linear, lhs, rhs, assumptions, declared, shapes)
    if sides is None:
        return None
    inside = entry_domain(meaning, linear, (lhs, rhs), declared.indices)
    context = ProofContext(sympy.And(condition, *inside), timeout, declared)
    evidence = prove_equal(*sides, context, REFUTING)
    evidence = kept_sum_evidence(*sides, evidence, assumptions, lambda a, b: prove_equal(a, b, context, REFUTING))
    if not isinstance(evidence, Refuted):
        return None
    return replace(evidence, point=instances(meaning, linear) + evidence.point,
                   method=f"{evidence.method}, {LINEAR_INSTANCE}")


def _instance_sides(linear, lhs, rhs, assumptions, declared, shapes=Shapes()):
    """Both sides evaluated under the linear instance ``linear``, each length
    a definition's sum leaves unnamed read as its axis's (shapes.read_lengths);
    None when it leaves part of the claim undecided (dL/dy_ij of a name y_ij)."""
    if shapes.read_as:
        lhs, rhs, linear = read_lengths(lhs, shapes), read_lengths(rhs, shapes), _read_meaning(linear, shapes)
    a, b = (assume(evaluated(linear, side, declared), assumptions) for side in (lhs, rhs))
    return None if linear.undefined_derivatives(a) or linear.undefined_derivatives(b) else (a, b)


def _read_meaning(meaning, shapes: Shapes):
    """``meaning`` with every definition's body through shapes.read_lengths."""
    def read(table):
        return {name: (parameter, read_lengths(body, shapes)) for name, (parameter, body) in table.items()}
    return replace(meaning, functions=read(meaning.functions), indexed=read(meaning.indexed), evaluated={})


def _reading_note(sides, shapes: Shapes) -> str:
    """How the proof read a length no shape names, for its method."""
    names = {s.name for side in sides for s in side.free_symbols}
    read = [f"{short} as {length}" for short, length in shapes.read_as if short in names]
    return f"; reading {', '.join(read)}: a definition sums over that whole declared axis" if read else ""


def _read_declared(declared: Declared, shapes: Shapes) -> Declared:
    """``declared`` with the lengths ``shapes`` reads as declared ones (K as M)."""
    if not shapes.read_as:
        return declared
    inside = tuple((upper, length) for upper, length in (
        (read_lengths(u, shapes), read_lengths(n, shapes)) for u, n in declared.inside) if upper != length)
    return replace(declared, sums=frozenset(read_lengths(s, shapes) for s in declared.sums), inside=inside)


def instances(meaning, linear) -> tuple[tuple[str, str], ...]:
    """The definitions ``linear`` gives names the post leaves undefined
    (``f = sum f'_k y_k``), to stand first in the counterexample: its values
    are values of those."""
    given = [(str(name), body) for name, (_, body) in linear.functions.items() if name not in meaning.functions]
    given += [(f"{name}[{index}]", body) for name, (index, body) in linear.indexed.items()
              if name not in meaning.indexed]
    return tuple((name.replace("[_k]", "_k"), _as_text(body)) for name, body in given)


def _as_text(expr) -> str:
    """``sum_{k=1}^{N} f'_k y_k``: an instance's body as a reader writes it."""
    letters = iter("klpqrs")
    named = {d: sympy.Symbol(next(letters, str(d))) for d in sorted(expr.atoms(sympy.Dummy), key=str)}
    expr = expr.xreplace(named)
    expr = expr.xreplace({e: sympy.Symbol(f"{e.base}_{','.join(map(str, e.indices))}")
                          for e in expr.atoms(sympy.Indexed)})
    if isinstance(expr, sympy.Sum):
        bounds = "".join(f"sum_{{{k}={lower}}}^{{{upper}}} " for k, lower, upper in reversed(expr.limits))
        return bounds + str(expr.function).replace("*", " ")
    return str(expr).replace("*", " ")


def upstream_proof(meaning, lhs, rhs, condition, timeout, assumptions=None, declared=Declared(),
                   shapes=Shapes()) -> Proved | None:
    """The proof of a chain rule through an undefined loss for every loss:
    read for a linear loss with a free gradient over an output length the
    claim does not choose (see the module's note); None when not proved."""
    linear = surrogate(meaning, lhs, rhs, declared.indices, own_ranges=False, shapes=shapes)
    if linear is None or not all(_first_order_only(side, meaning) for side in (lhs, rhs)):
        return None
    declared = _read_declared(declared, shapes)
    sides = _instance_sides(linear, lhs, rhs, assumptions, declared, shapes)
    if sides is None:
        return None
    evidence = prove_equal(*sides, ProofContext(condition, timeout, declared))
    if not isinstance(evidence, Proved):
        return None
    note = _reading_note((evaluated(meaning, lhs, declared), evaluated(meaning, rhs, declared)), shapes)
    return replace(evidence, method=f"{evidence.method}, {EVERY_LOSS}{note}")


def _first_order_only(side, meaning) -> bool:
    """Whether every undefined function of ``side`` stands inside a first
    derivative (df/dy_i, df/dgamma), never bare (f itself) nor twice
    differentiated: only then is the claim a statement about gradients."""
    defined = set(meaning.functions)
    if any(sum(count for _, count in d.variable_count) > 1 for d in side.atoms(sympy.Derivative)):
        return False
    held = {d: sympy.Dummy("df") for d in side.atoms(sympy.Derivative)}
    return not any(f.func not in defined for f in side.xreplace(held).atoms(AppliedUndef))
