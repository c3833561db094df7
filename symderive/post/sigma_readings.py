"""sigma in a post about softmax, applied to a vector's entries and never
defined (``\\sigma(A_k)``): the logistic function applied entrywise, or the
softmax's k-th output. ``names.ambiguous_names`` leaves it without a
built-in meaning: an undefined function of its entry alone, which proves
what holds for every function applied entrywise (the logistic among them)
but says nothing of the softmax, whose k-th output depends on every entry.

A claim through it is decided under both readings: proved when it holds
under both, refuted when it fails under both (a counterexample under each),
and unknown, saying which reading decides it, otherwise. The verdict is
the same whichever function the author meant.
"""

from __future__ import annotations

import sympy
from sympy.core.function import AppliedUndef

from ..catalog import lookup
from ..evidence import Proved, Refuted, Unknown
from ..meaning import Meaning

_NAME = "sigma"


def both_sigmas(meaning, lhs, rhs, evidence, decide):
    """``evidence``, or for a claim through an undefined sigma applied to
    entries, the verdict both readings agree on; ``decide(meaning, lhs,
    rhs)`` gives the evidence under one reading. A proof with sigma left a
    function of its entry alone holds for the logistic function, and stands
    only when the softmax reading proves the claim too."""
    if isinstance(evidence, Refuted):
        return evidence  # never, through a function without values; kept if the claim refutes without it
    applied = [f for side in (lhs, rhs) if isinstance(side, sympy.Basic) for f in side.atoms(AppliedUndef)
               if str(f.func) == _NAME and f.func not in meaning.functions]
    if not applied or not all(_entry(f.args) for f in applied):
        return evidence
    lhs, rhs = _in_its_value(lhs), _in_its_value(rhs)
    if _differentiated_in(lhs, rhs):
        return evidence
    logistic = lookup(_NAME)
    function = applied[0].func
    as_logistic = Meaning(meaning.scope, meaning.variable, dict(meaning.functions), dict(meaning.indexed))
    as_logistic.functions[function] = (logistic.variable, logistic.expr)
    # proved with sigma any function of its entry alone: so with the logistic function, not yet the softmax
    first = evidence if isinstance(evidence, Proved) else decide(as_logistic, lhs, rhs)
    if isinstance(first, Unknown):
        return evidence
    low, high = _range(lhs, rhs)
    second = decide(meaning, _softmax(lhs, function, low, high), _softmax(rhs, function, low, high))
    if isinstance(first, Proved) and isinstance(second, Proved):
        return Proved(f"{first.method} (sigma read as the logistic function), {second.method} (as the softmax)")
    if isinstance(first, Refuted) and isinstance(second, Refuted):
        # the softmax's counterexample: the post is about softmax
        return Refuted(second.point, second.lhs_value, second.rhs_value,
                       f"{second.method}, sigma read as the softmax (it fails as the logistic function too)")
    decided = {Proved: "holds", Refuted: "fails"}
    return Unknown(f"sigma may be the logistic function or the softmax: the step "
                   f"{decided.get(type(first), 'is undecided')} with the logistic function and "
                   f"{decided.get(type(second), 'is undecided')} with the softmax")


def _entry(args) -> bool:
    return len(args) == 1 and isinstance(args[0], sympy.Indexed) and len(args[0].indices) == 1


def _differentiated_in(*sides) -> bool:
    """A derivative in sigma's value (``\\partial \\log \\sigma(A_i) / \\partial
    \\sigma(A_i)``): the softmax reading would differentiate in an expression."""
    return any(str(f.func) == _NAME for side in sides if isinstance(side, sympy.Basic)
               for d in side.atoms(sympy.Derivative) for v, _ in d.variable_count
               for f in (v.atoms(AppliedUndef) if isinstance(v, sympy.Basic) else ()))


def _in_its_value(side):
    """Derivatives in sigma's value taken (``\\partial \\log \\sigma(A_i) /
    \\partial \\sigma(A_i) = 1/\\sigma(A_i)``): the same under either reading."""
    if not isinstance(side, sympy.Basic):
        return side

    def taken(derivative):
        try:
            return derivative.doit(deep=False)
        except (ValueError, TypeError, NotImplementedError):
            return derivative
    return side.replace(lambda e: isinstance(e, sympy.Derivative) and _differentiated_in(e), taken)


def _range(*sides):
    """The softmax's range: that of a sum whose summand applies sigma to its
    own index (``\\sum_{k=1}^{C} Y_k \\log \\sigma(A_k)``), else 1..n."""
    for side in sides:
        if not isinstance(side, sympy.Basic):
            continue
        for total in side.atoms(sympy.Sum):
            index, low, high = total.limits[0]
            if any(str(f.func) == _NAME and f.args[0].indices == (index,) for f in total.function.atoms(AppliedUndef)
                   if _entry(f.args)):
                return low, high
    return sympy.Integer(1), sympy.Symbol("n", integer=True, positive=True)


def _softmax(side, function, low, high):
    """Each sigma(A_k) written as e^{A_k} / sum_j e^{A_j}."""
    if not isinstance(side, sympy.Basic):
        return side
    index = sympy.Symbol("softmax_j", integer=True)

    def output(applied):
        entry = applied.args[0]
        return sympy.exp(entry) / sympy.Sum(sympy.exp(entry.base[index]), (index, low, high))
    return side.replace(lambda e: isinstance(e, AppliedUndef) and e.func == function and _entry(e.args), output)
