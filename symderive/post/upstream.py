"""An undefined loss differentiated through a defined vector: the upstream
gradient of backpropagation.

A post on a layer writes ``\\frac{\\partial f}{\\partial \\gamma} =
\\sum_i \\frac{\\partial f}{\\partial y_i} \\frac{\\partial y_i}{\\partial \\gamma}``
with f never defined: f is any function of the layer's output y. Such a
claim must hold for every f, so it must hold for a linear one,
f = \\sum_k g_k y_k, whose gradient g is free: a claim refuted for that f is
refuted. A claim that holds for it may still fail for another f: it is
proved so only when it holds f through first derivatives alone and sums
the output over a length it does not choose (undefined.upstream_proof), or that a definition
states (the H of Z_i = sum_{h=1}^{H} e^{x_ih}, in a post that declares no
shape).

Read so only when the claim differentiates f on both sides (a chain rule:
a side without f says something about one particular f), through entries of
one defined vector (the output the post names), or of one vector the post
leaves free, over the range a sum of the claim gives those entries, or
over 1..N; a free index of a declared length (shapes.py) gives its axis
that length.
"""

from __future__ import annotations

import sympy
from sympy.core.function import AppliedUndef

from ..meaning import Meaning
from .shapes import Shapes, length_symbol


def _derivatives_of(expr, defined) -> list[sympy.Derivative]:
    return [d for d in expr.atoms(sympy.Derivative)
            if isinstance(d.expr, AppliedUndef) and d.expr.func not in defined]


def _range(vector, function, sides, axis=0, lengths=(), own_ranges=True, shapes=Shapes()):
    """(lower, upper) of the entries of ``vector`` at ``axis`` in the linear
    loss: 1..B when a free index there has the declared length B, or the
    vector's own shape (declared, or read from its definition) says B
    (shapes.py); else the range of a sum of the claim over ``d function /
    d vector_k`` with k at that axis."""
    declared = dict(lengths)
    for side in sides:
        for d in _derivatives_of(side, ()):
            for v, _ in d.variable_count:
                if d.expr.func == function and _at(v, vector, axis) in declared:
                    return sympy.Integer(1), declared[_at(v, vector, axis)]
    shape = shapes.of(str(vector.label))
    rank = {len(v.indices) for side in sides for d in _derivatives_of(side, ()) for v, _ in d.variable_count
            if isinstance(v, sympy.Indexed) and v.base == vector}
    if shape is not None and rank == {len(shape)}:
        return sympy.Integer(1), length_symbol(shape[axis], sides)
    for side in sides if own_ranges else ():
        for total in side.atoms(sympy.Sum):
            for bound, lower, upper in total.limits:
                if any(_at(v, vector, axis) == bound for d in _derivatives_of(total.function, ())
                       if d.expr.func == function for v, _ in d.variable_count):
                    return lower, upper
    return None


def _unstated_range(meaning, vector, function, sides, axis, shapes: Shapes, taken) -> tuple | None:
    """The claim's own range of an output axis no declared or defined shape
    gives: 1..H when H is the one length the post's definitions sum over
    the axes the output's index stands at in its definition (j of
    y_ij = e^{x_ij}/Z_i stands at x's axis 1, which Z_i = sum_{h=1}^{H}
    e^{x_ih} sums to H), no declaration names H (a sum to a declared M over
    rows of length B is the error shapes.py exists to catch), and no other
    axis of the output takes it. A length only the claim writes (the batch's
    B of sum_{b=1}^{B}) the post does not state: the claim would choose the
    range it is proved over."""
    if shapes.of(str(vector.label)) is not None:
        return None
    found = _range(vector, function, sides, axis, own_ranges=True)
    if found is None:
        return None
    lower, upper = found
    named = {written for _, shape in shapes.declared for written in shape}
    named |= {n for pair in shapes.read_as for n in pair}
    if lower != 1 or not upper.is_Symbol or upper in taken:
        return None
    if upper.name in named or vector not in meaning.indexed:
        return None
    index = meaning.indexed[vector][0]
    index = (index if isinstance(index, tuple) else (index,))[axis]
    body = meaning.indexed[vector][1]
    # where the output's index at this axis stands in its definition (j of y_ij at x_ij's axis 1)
    places = {(str(e.base.label), at) for e in body.atoms(sympy.Indexed)
              for at, i in enumerate(e.indices) if i == index}
    return found if {length for length, *place in shapes.stated if tuple(place) in places} == {upper.name} else None


def _at(entry, vector, axis):
    """The index of ``entry`` at ``axis`` when it is an entry of ``vector``."""
    if isinstance(entry, sympy.Indexed) and entry.base == vector and axis < len(entry.indices):
        return entry.indices[axis]
    return None


def _output(vectors: set, meaning: Meaning):
    """The one defined vector whose definition is written through all the
    others (y of y_i = gamma x_hat_i + beta beside x_hat): the output; or
    the one vector differentiated in, when the post does not define it
    (then it is a free value, and f of it any function)."""
    if len(vectors) == 1 and next(iter(vectors)) not in meaning.indexed:
        return next(iter(vectors))
    def through_all(vector) -> bool:
        if vector not in meaning.indexed:
            return False
        body = meaning.unfold(meaning.indexed[vector][1])
        return all(body.has(other) for other in vectors - {vector})
    outputs = [v for v in vectors if through_all(v)]
    return outputs[0] if len(outputs) == 1 else None


def surrogate(meaning: Meaning, lhs, rhs, lengths=(), own_ranges: bool = True, shapes=Shapes()) -> Meaning | None:
    """``meaning`` with the one undefined function both sides differentiate
    given the body sum_k g_k v_k over the defined vector v it is
    differentiated in (sum_k sum_l g_kl v_kl for a matrix v, each axis
    over its ``_range``; with ``own_ranges`` False, over a declared length
    or a length no claim writes, never a sum's of the claim); None when the
    claim is not of that shape."""
    if not all(isinstance(side, sympy.Expr) for side in (lhs, rhs)):
        return None
    defined = set(meaning.functions)
    left, right = _derivatives_of(lhs, defined), _derivatives_of(rhs, defined)
    functions = {d.expr.func for d in left} | {d.expr.func for d in right}
    if len(functions) != 1 or not left or not right:
        return None
    function = functions.pop()
    entries = {v for d in left + right for v, _ in d.variable_count if isinstance(v, sympy.Indexed)}
    vector = _output({v.base for v in entries}, meaning)
    if vector is None:
        return None
    ranks = {len(v.indices) for v in entries if v.base == vector}  # dL/db_i beside dL/dy_mn: y's rank
    if len(ranks) != 1:
        return None
    applications = {d.expr for d in left + right}
    if len(applications) != 1:
        return None
    application = applications.pop()
    k = [sympy.Dummy(f"k{axis}", integer=True) for axis in range(ranks.pop())]
    limits = []
    for axis, index in enumerate(k):
        found = _range(vector, function, (lhs, rhs), axis, lengths, own_ranges, shapes)
        if found is None and not own_ranges:
            found = _unstated_range(meaning, vector, function, (lhs, rhs), axis, shapes, [l[2] for l in limits])
        default = sympy.Symbol("N" if axis == 0 else f"N_{axis}", integer=True, positive=True)
        if not own_ranges:
            default = sympy.Dummy(default.name, integer=True, positive=True)  # written nowhere
        limits.append((index, *(found if found is not None else (1, default))))
    gradient = sympy.IndexedBase(f"{function}'", real=True)
    body = sympy.Sum(gradient[tuple(k)] * vector[tuple(k)], *reversed(limits))
    functions_now = dict(meaning.functions)
    parameters = application.args
    functions_now[function] = (tuple(parameters), body) if len(parameters) > 1 else (parameters[0], body)
    indexed_now = dict(meaning.indexed)
    if vector not in meaning.indexed:
        # f differentiated in another variable (gamma) through a vector the post never
        # defines: read as free data, y would not vary with gamma, which the author
        # plainly means it does; only a claim about every y gets one (linear) instance
        others = {v for d in left + right for v, _ in d.variable_count
                  if not (isinstance(v, sympy.Indexed) and v.base == vector)}
        linear = _linear_vector(vector, application, (lhs, rhs))
        if linear is not None:
            indexed_now[vector] = linear
        elif others:
            return None
    return Meaning(meaning.scope, meaning.variable, functions_now, indexed_now)


def _linear_vector(vector, application, sides):
    """(k, sum_v dvector/dv_k v) for an undefined vector whose entries the
    claim differentiates in scalar variables v (``dy_i/d gamma``): the layer
    output the post never writes is any function of them, so a linear one
    with a free slope per entry is one of them. Only for a claim written in
    nothing but f, the vector, those variables and indices (a chain rule
    stated for every f and every y): a claim with other names
    (``df/dy_i \\hat{x}_i``) is about one particular y, which may be defined
    where the post cannot be read (an image), so no instance refutes it."""
    variables = {v for side in sides for d in side.atoms(sympy.Derivative)
                 if isinstance(d.expr, sympy.Indexed) and d.expr.base == vector for v, _ in d.variable_count}
    if not variables or not all(isinstance(v, sympy.Symbol) and not v.is_integer for v in variables):
        return None
    held = sympy.Dummy("f")
    for side in sides:
        for name in side.xreplace({application: held}).free_symbols - variables - {held}:
            if name.is_integer or name == vector.label or (isinstance(name, sympy.Indexed) and name.base == vector):
                continue
            return None
    k = sympy.Dummy("k", integer=True)
    slopes = [sympy.IndexedBase(f"d{vector}/d{v}", real=True) for v in sorted(variables, key=str)]
    return k, sum(slope[k] * v for slope, v in zip(slopes, sorted(variables, key=str)))


def entry_domain(meaning: Meaning, linear: Meaning, sides, declared=()) -> tuple:
    """index <= length for each free index at which a side differentiates the
    undefined function in an entry of the output (dL/dy_bj: j <= the length
    of y's axis 1 in the linear instance): the claim speaks only of entries
    that exist, and an instance whose default length stops before one would
    refute a true claim there (j = 2 past N_1 = 1). An index of a declared
    length (``declared``) has its range already."""
    bounds = set()
    for function, (_, body) in linear.functions.items():
        if function in meaning.functions or not isinstance(body, sympy.Sum):
            continue
        uppers = {limit[0]: limit[2] for limit in body.limits}
        [entry] = [e for e in body.function.atoms(sympy.Indexed) if not str(e.base).endswith("'")] or [None]
        if entry is None:
            continue
        for side in sides:
            bound = {limit[0] for node in side.atoms(sympy.Sum) for limit in node.limits}
            for d in _derivatives_of(side, ()):
                for v, _ in d.variable_count:
                    if d.expr.func != function or not isinstance(v, sympy.Indexed) or v.base != entry.base:
                        continue
                    bounds |= {sympy.Le(i, uppers[k]) for i, k in zip(v.indices, entry.indices)
                               if i.is_Symbol and i.is_integer and i not in bound and k in uppers
                               and i not in dict(declared)}
    return tuple(sorted(bounds, key=str))
