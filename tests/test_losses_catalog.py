"""The loss and layer entries against independent oracles: at three explicit
sizes each compact backward formula equals sympy.diff of the explicit form
(exactly by cancel for rational functions, else at random rational points
with mpmath at 40 digits), each recorded mistake differs from it by far more
than rounding, the definition for symbolic sizes instantiated at size 3
(doit on its sums) equals the explicit form, and the compact formula for
symbolic sizes instantiated at each size equals the explicit one."""

import itertools
import pkgutil
import random
import zlib

import mpmath
import pytest
import sympy

from symderive import catalog, losses
from symderive.catalog import BACKPROP, Kind, lookup, lookup_backprop
from symderive.losses.model import unfold

ENTRIES = list(BACKPROP.values())
CASES = [(entry, sizes) for entry in ENTRIES for sizes in entry.checked_sizes]
CASE_IDS = [f"{entry.name}-{'x'.join(map(str, sizes))}" for entry, sizes in CASES]

DIGITS = 40
SAME = mpmath.mpf("1e-25")         # two sides equal: agreement to 25 digits at every point
APART = mpmath.mpf("1e-6")         # a mistake: a relative difference no rounding at 40 digits makes
POINTS = 6
DEFAULT_RANGE = (sympy.Rational(-2), sympy.Rational(2))
TRANSCENDENTAL = (sympy.exp, sympy.log, sympy.Abs, sympy.Max, sympy.Min, sympy.Piecewise, sympy.sign,
                  sympy.Heaviside, sympy.tanh)


def _rng(*key):
    return random.Random(zlib.crc32(repr(key).encode()))


def _point(symbols, ranges, rng):
    """A random rational value for every symbol, inside its range."""
    def value(symbol):
        low, high = ranges.get(symbol, DEFAULT_RANGE)
        return low + (high - low) * sympy.Rational(rng.randint(1, 996), 997)
    return {s: value(s) for s in symbols}


def _free(*matrices):
    return sorted(set().union(*(m.free_symbols for m in matrices)), key=str)


def _evaluator(a, b, symbols):
    """Both matrices as one mpmath function of the symbols (evaluated at
    DIGITS digits), or None where one entry is undefined or not real."""
    function = sympy.lambdify(symbols, [*a, *b], modules="mpmath")

    def evaluate(point):
        with mpmath.workdps(DIGITS):
            try:
                values = function(*(mpmath.mpf(v.p) / v.q for v in point.values()))
            except (ZeroDivisionError, ValueError):
                return None
        if any(not isinstance(v, (mpmath.mpf, int)) or not mpmath.isfinite(v) for v in values):
            return None
        return values[:len(a)], values[len(a):]
    return evaluate


def _gaps(a, b, explicit, key, tries):
    """max |a - b| / max(1, |a|) over the entries, at up to ``tries`` random
    points inside the ranges where both are defined and real."""
    symbols = _free(a, b)
    evaluate, rng = _evaluator(a, b, symbols), _rng(*key)
    for _ in range(tries):
        values = evaluate(_point(symbols, explicit.ranges, rng))
        if values is not None:
            yield max((abs(x - y) / max(1, abs(x)) for x, y in zip(*values)), default=0)


def equal(a, b, explicit, key):
    """a and b are the same matrix function: exactly (cancel) when neither
    has a transcendental function, else at POINTS random points within the
    ranges."""
    assert a.shape == b.shape, f"shapes {a.shape} and {b.shape}"
    a, b = a.subs(explicit.given), b.subs(explicit.given)
    if not any(m.has(*TRANSCENDENTAL) for m in (a, b)):
        return all(sympy.cancel(x - y) == 0 for x, y in zip(a, b))
    gaps = list(itertools.islice(_gaps(a, b, explicit, key, 4 * POINTS), POINTS))
    assert len(gaps) == POINTS, f"only {len(gaps)} of {POINTS} points were inside the domain"
    return all(gap <= SAME for gap in gaps)


def differs(a, b, explicit, key):
    """a and b are different: another shape, or a point where they differ
    by a relative APART (never rounding at 40 digits)."""
    if a.shape != b.shape:
        return True
    a, b = a.subs(explicit.given), b.subs(explicit.given)
    return any(gap > APART for gap in _gaps(a, b, explicit, key, 4 * POINTS))


def derivative(explicit, wrt):
    """sympy.diff of the objective by every entry of the input, in its shape."""
    symbols = explicit.inputs[wrt]
    return symbols.applyfunc(lambda s: sympy.diff(explicit.objective, s))


def _entry_of(matrix, indices):
    positions = [int(i) - 1 for i in indices]
    return matrix[positions[0]] if len(positions) == 1 else matrix[positions[0], positions[1]]


def instantiate(expr, entry, sizes, explicit, at=None):
    """The symbolic form at integer sizes (and free indices): sums done,
    each IndexedBase entry replaced by the explicit matrix's symbol."""
    expr = expr.subs(dict(zip(entry.sizes, sizes))).subs(at or {}).subs(explicit.given).doit()
    entries = {e: _entry_of(explicit.arrays[e.base], e.indices) for e in expr.atoms(sympy.Indexed)}
    return expr.xreplace(entries)


def _name(wrt):
    return str(wrt.label) if isinstance(wrt, sympy.IndexedBase) else wrt.name


@pytest.mark.parametrize("entry, sizes", CASES, ids=CASE_IDS)
def test_compact_gradient_is_the_derivative(entry, sizes):
    explicit = entry.explicit(*sizes)
    assert set(explicit.gradients) == set(explicit.inputs)
    for wrt, compact in explicit.gradients.items():
        assert equal(compact, derivative(explicit, wrt), explicit, (entry.name, sizes, wrt)), wrt


@pytest.mark.parametrize("entry, sizes", CASES, ids=CASE_IDS)
def test_every_recorded_mistake_differs_from_the_derivative(entry, sizes):
    explicit = entry.explicit(*sizes)
    assert explicit.mistakes, "each entry records at least one mistake posts make"
    for mistake in explicit.mistakes:
        truth = derivative(explicit, mistake.wrt)
        assert differs(mistake.gradient, truth, explicit, (entry.name, sizes, mistake.name)), mistake.name


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_symbolic_definition_at_size_three_is_the_explicit_form(entry):
    sizes = (3,) * len(entry.sizes)
    explicit = entry.explicit(*sizes)
    positions = [tuple(range(1, n + 1)) for n in explicit.value.shape]
    for row, column in ((r, c) for r in positions[0] for c in positions[1]):
        at = dict(zip(entry.output_at, (row, column) if len(entry.output_at) == 2 else (row * column,)))
        instance = instantiate(entry.definition, entry, sizes, explicit, at)
        value = sympy.Matrix([explicit.value[row - 1, column - 1]])
        assert equal(sympy.Matrix([instance]), value, explicit, (entry.name, row, column))


@pytest.mark.parametrize("entry, sizes", CASES, ids=CASE_IDS)
def test_symbolic_compact_formula_at_each_size_is_the_explicit_one(entry, sizes):
    """Both the formula and its form as written in named intermediates."""
    explicit = entry.explicit(*sizes)
    for gradient in entry.gradients:
        compact = explicit.gradients[_name(gradient.wrt)]
        written = () if gradient.written is None else (unfold(gradient.written, entry.names),)
        for form in (gradient.formula, *written):
            instance = sympy.Matrix(*compact.shape, lambda r, c: instantiate(
                form, entry, sizes, explicit,
                dict(zip(gradient.at, (r + 1, c + 1) if len(gradient.at) == 2 else (r + c + 1,)))))
            assert equal(instance, compact, explicit, (entry.name, sizes, "symbolic")), _name(gradient.wrt)


def test_named_intermediates_are_all_unfolded():
    for entry in ENTRIES:
        for gradient in (g for g in entry.gradients if g.written is not None):
            unfolded = unfold(gradient.written, entry.names)
            assert not {e.base for e in unfolded.atoms(sympy.Indexed)} & set(entry.names), entry.name
            assert not unfolded.free_symbols & set(entry.names), entry.name


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.kinks], ids=[e.name for e in ENTRIES if e.kinks])
def test_kinks_give_the_one_sided_derivatives(entry):
    """At a kink of the k-th component, the derivative just left and just
    right of it (1e-9 away, everything else random) is the kink's left and
    right value: the loss is piecewise linear there, so they are exact."""
    sizes = entry.checked_sizes[0]
    explicit = entry.explicit(*sizes)
    wrt, = explicit.inputs
    symbols = explicit.inputs[wrt]
    truth = derivative(explicit, wrt)
    rng = _rng(entry.name, "kink")
    for kink in entry.kinks:
        for k, symbol in enumerate(symbols, start=1):
            at = {catalog.K_: k}
            where = instantiate(kink.at, entry, sizes, explicit, at)
            for side, offset in ((kink.left, -sympy.Rational(1, 10**9)), (kink.right, sympy.Rational(1, 10**9))):
                point = _point([s for s in _free(truth) if s != symbol], explicit.ranges, rng)
                point[symbol] = where.subs(point) + offset
                got = truth[k - 1].subs(point)
                assert got == instantiate(side, entry, sizes, explicit, at).subs(point), (k, offset)


def test_the_catalog_has_the_losses_and_layers_of_issue_17():
    kinds = [e.kind for e in ENTRIES]
    assert kinds.count(Kind.LOSS) >= 10 and kinds.count(Kind.LAYER) + kinds.count(Kind.MODEL) >= 6
    assert {"mse", "mae", "huber", "smooth_l1", "bce", "bce_with_logits", "cross_entropy", "nll_log_softmax",
            "kl_div", "focal", "hinge", "squared_hinge", "distillation"} <= set(BACKPROP)
    assert {"dense", "dense_batch", "logistic_regression", "layer_norm", "rms_norm", "batch_norm", "attention",
            "residual"} <= set(BACKPROP)


def test_every_entry_is_described_with_its_literature():
    for entry in ENTRIES:
        assert entry.description and "\n" not in entry.description, entry.name
        assert entry.reference and entry.pytorch, entry.name
        assert entry.gradients and all(g.literature for g in entry.gradients), entry.name
        assert len(entry.checked_sizes) == 3 and all(len(s) == len(entry.sizes) for s in entry.checked_sizes)


@pytest.mark.parametrize("name, expected", [("MSELoss", "mse"), ("l1_loss", "mae"),
                                            ("CrossEntropyLoss", "cross_entropy"), ("nll", "nll_log_softmax"),
                                            ("BCEWithLogitsLoss", "bce_with_logits"),
                                            ("softmax_temperature", "distillation"), ("LayerNorm", "layer_norm"),
                                            ("sdpa", "attention"), ("sigmoid", None)])
def test_lookup_backprop_by_alias(name, expected):
    found = lookup_backprop(name)
    assert (found.name if found else None) == expected


def test_activations_and_losses_are_looked_up_apart():
    assert lookup("mse") is None and lookup("sigmoid").name == "sigmoid"
    assert lookup_backprop("mse", Kind.LAYER) is None and lookup_backprop("mse", Kind.LOSS).name == "mse"


def test_backprop_index_agrees_with_the_entries():
    families = [m.name for m in pkgutil.iter_modules(losses.__path__) if m.name != "model"]
    assert sorted(catalog.BACKPROP_FAMILIES) == sorted(families)
    built = {name: (family, e.aliases, e.kind) for family in families
             for name, e in catalog.backprop_family(family).items()}
    assert built == catalog._BACKPROP_INDEX
    assert list(BACKPROP) == list(catalog._BACKPROP_INDEX)
