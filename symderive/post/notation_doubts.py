"""Readings of a post's notation a refutation may rest on instead of the
author's meaning (see proving.REFUTATION_DOUBTS): each gives the reason the
refuted claim is unknown instead, or None.

* a lone d before a name may be a differential (``d\\sigma/dz``);
* backpropagation's partial holds the other intermediates (``\\partial
  \\hat{x}_i / \\partial \\mu`` beside a variance defined through mu);
* mu and sigma the post never defines are a batch's mean and deviation,
  which vary with its entries.
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from ..errors import SymderiveError
from ..evidence import Refuted
from ..runner import Task, Timeout, run_tasks
from .reading import prove_claim


def differential_letter(checker, lhs, rhs) -> str | None:
    # "d\sigma/dz", "dy = 2x dx": a lone d the post never names is a differential
    # (Leibniz notation written inline), not a number that multiplies
    entries = [entry for made in (checker.predefined, checker.made) for listed in made.values()
               for entry in listed]
    if str(checker.scope.default_variable) == "d" or any(
            str(name) == "d" or (_has_d(body) and not str(name).startswith("d"))
            for name, _, body, *_ in entries):
        # the post names d, or writes it in a definition (g(x) = d x^2, not dy = 2x dx): a number
        return None
    variables = set(checker.scope.variables.values()) | {checker.scope.default_variable}
    if not any(_times_d(side, variables) for side in (lhs, rhs) if isinstance(side, sympy.Basic)):
        return None
    return ("d may be a differential (d\\sigma/dz, dy = f'(x) dx), not a number: refuted only when "
            "d is read as a number")


def _has_d(expr) -> bool:
    return isinstance(expr, sympy.Basic) and any(s.name == "d" for s in expr.atoms(sympy.Symbol))


def _times_d(expr, variables) -> bool:
    """Whether ``expr`` multiplies a function's value or a variable by a bare d (``d\\sigma(x)``,
    ``dx``), as a differential does; not a size (``\\sqrt{d}``, ``\\frac{1}{d}``), a number (``2d``)
    or another name (``ad - bc`` of a determinant)."""
    def is_d(factor):
        return isinstance(factor, sympy.Symbol) and factor.name == "d"

    def differentiable(factor):
        return isinstance(factor, sympy.Function) or factor in variables
    return any(any(map(is_d, product.args)) and any(map(differentiable, product.args))
               for product in expr.atoms(sympy.Mul))


def intermediate_held(checker, lhs, rhs) -> str | None:
    # dx_hat_i/dmu beside sigma^2 = 1/m sum (x_i - mu)^2: backpropagation's partial holds the
    # other intermediates (x_hat of x_i, mu and sigma^2); read with sigma^2 varying with mu it is
    # refuted, so refuted only when it is refuted with those names held too
    meaning = checker.meaning
    derivatives = _derivatives(lhs, rhs)
    wrts = {v for d in derivatives for v, _ in d.variable_count}
    tops = {d.expr for d in derivatives}
    varied = {v.base.label if isinstance(v, sympy.Indexed) else v for v in wrts}
    held = {}
    for name, (_, body) in meaning.functions.items():
        if not isinstance(name, sympy.Symbol) or name in wrts | tops or not isinstance(body, sympy.Basic):
            continue
        try:
            reached = meaning.unfold(body).free_symbols | body.free_symbols
        except SymderiveError:
            continue
        if reached & varied:
            held[name] = sympy.Dummy(str(name), real=True)
    if not held:
        return None
    kept = {name: (parameter, body.xreplace(held) if isinstance(body, sympy.Basic) else body)
            for name, (parameter, body) in meaning.functions.items() if name not in held}
    indexed = {name: (index, body.xreplace(held)) for name, (index, body) in meaning.indexed.items()}
    reading = replace(meaning, functions=kept, indexed=indexed, evaluated={})
    first = next(iter(held))
    reason = (f"{first} is defined through the variable of a derivative here: read with {first} held (the "
              f"partial of backpropagation's graph) the claim is not refuted, so it is refuted only when "
              f"{first} varies")

    def work():
        return prove_claim(reading, lhs.xreplace(held), rhs.xreplace(held), checker.condition, checker.timeout,
                           False, checker.assumptions, checker.shapes)
    try:
        again = run_tasks([Task(work, (), checker.timeout + 1)])[0].unwrap()
    except (Timeout, RuntimeError):
        return reason
    return None if isinstance(again, Refuted) else reason


def _derivatives(lhs, rhs) -> list:
    return [d for side in (lhs, rhs) if isinstance(side, sympy.Basic) for d in side.atoms(sympy.Derivative)]


STATISTICS = ("mu", "sigma")  # a batch's mean and deviation, by the universal convention


def undefined_statistic(checker, lhs, rhs) -> str | None:
    # sigma^2 = 1/m sum (x_i - mu)^2 with mu never defined (a picture): the mean of the x_i, so a
    # derivative in x_i through it is refuted only when mu is read as a constant
    derivatives = _derivatives(lhs, rhs)
    if not any(isinstance(v, sympy.Indexed) for d in derivatives for v, _ in d.variable_count):
        return None
    try:
        sides = [checker.meaning.unfold(side) for side in (lhs, rhs) if isinstance(side, sympy.Basic)]
    except SymderiveError:
        return None
    defined = {str(name) for name in checker.meaning.functions}
    free = sorted({str(s) for side in sides for s in side.free_symbols
                   if str(s).split("^")[0].split("_")[0] in STATISTICS and str(s) not in defined})
    return None if not free else (f"{free[0]} is not defined in the post: as the mean or deviation of the "
                                  f"entries it varies with them, so a derivative in an entry through it is "
                                  f"refuted only when {free[0]} is read as a constant")



def numbered_entries_only(checker, lhs, rhs) -> str | None:
    # h(x) = 1/(1 + e^{-theta_0 - theta_1 x}) then dJ/dtheta_j = 1/m sum (h - y) x_j: a claim for every j
    # about a model the definitions write in numbered entries only (one feature); the post has moved to
    # n features (x_0 = 1 in its prose), which no definition says
    bodies = [body for made in (checker.predefined, checker.made) for listed in made.values()
              for _, _, body, *_ in listed if isinstance(body, sympy.Basic)]
    for side in (lhs, rhs):
        if not isinstance(side, sympy.Basic):
            continue
        for derivative in side.atoms(sympy.Derivative):
            for variable, _ in derivative.variable_count:
                if not isinstance(variable, sympy.Indexed) or all(i.is_Integer for i in variable.indices):
                    continue
                written = [e for body in bodies for e in body.atoms(sympy.Indexed) if e.base == variable.base]
                own = {e for s in (lhs, rhs) if isinstance(s, sympy.Basic)
                       for e in s.atoms(sympy.Indexed) if e.base == variable.base and e != variable}
                if len(own) > 1 and any(e.indices == (0,) for e in own):  # the claim's own theta_0 + theta_1 x
                    written += sorted(own, key=str)
                if written and all(i.is_Integer for e in written for i in e.indices):
                    numbered = ", ".join(sorted({_entry_text(e) for e in written})[:3])
                    return (f"the post writes {variable.base.label} only as numbered entries ({numbered}) "
                            f"and the claim differentiates in {_entry_text(variable)} for every index: the post may mean a "
                            "model with more entries, which no definition gives")
    return None


def _entry_text(entry) -> str:
    return f"{entry.base.label}_{''.join(map(str, entry.indices))}"
