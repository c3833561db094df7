"""Output-only forms found by elimination: the known ones are found, and the
search says 'none' for GELU and Swish, within its time limit."""

import time

import pytest
import sympy

from symderive.catalog import ACTIVATIONS
from symderive.evidence import Proved
from symderive import backward_form
from symderive.backward_form import Y, _regions, _search_region, interval_condition, output_forms
from symderive.prover import ProofContext, prove_equal

KNOWN = {
    "sigmoid": (sympy.true, Y * (1 - Y)),
    "tanh": (sympy.true, 1 - Y**2),
    "logsigmoid": (sympy.true, 1 - sympy.exp(Y)),
}


def _form(name, region_test=lambda c: True):
    forms = output_forms(ACTIVATIONS[name], timeout=20)
    return [r for r in forms if region_test(r.condition)]


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_forms_are_found(name):
    if name not in ACTIVATIONS:
        pytest.fail(f"{name} missing from the catalog")
    region, = _form(name)
    assert sympy.simplify(region.form - KNOWN[name][1]) == 0


def test_softplus_form():
    softplus = ACTIVATIONS["softplus"]
    beta = next(s for s in softplus.expr.free_symbols if s.name == "beta")
    region, = _form("softplus")
    assert sympy.simplify(region.form - (1 - sympy.exp(-beta * Y))) == 0


def test_elu_form_per_region():
    elu = ACTIVATIONS["elu"]
    alpha = next(s for s in elu.expr.free_symbols if s.name == "alpha")
    x = elu.variable
    forms = output_forms(elu, timeout=20)
    negative = [r for r in forms if r.condition.subs(x, -1) is sympy.true and r.condition.subs(x, 1) is not sympy.true]
    assert negative and sympy.simplify(negative[0].form - (Y + alpha)) == 0
    positive = [r for r in forms if r.condition.subs(x, 1) is sympy.true]
    assert positive[0].form == 1


@pytest.mark.parametrize("name", ["gelu", "swish"])
def test_no_form_for_gelu_and_swish_within_the_limit(name):
    started = time.monotonic()
    forms = output_forms(ACTIVATIONS[name], timeout=10)
    assert time.monotonic() - started < 12
    assert all(r.form is None for r in forms)
    assert any("none of degree" in r.note or "stopped" in r.note or "changes sign" in r.note for r in forms)


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh", "mish", "gaussian", "sinusoid"])
def test_the_sign_change_shortcut_agrees_with_the_full_search(name):
    """Where f' changes sign the search is skipped; the full search finds nothing there either."""
    activation = ACTIVATIONS[name]
    forms = output_forms(activation, timeout=10)
    assert all(r.form is None and "changes sign" in r.note for r in forms)
    for _, body, slope in _regions(activation.expr, activation.variable):
        form, _ = _search_region(body, slope, activation.variable, (), 4)
        assert form is None


@pytest.mark.parametrize("name", sorted(n for n, a in ACTIVATIONS.items() if a.output_form is not None and not a.vector))
def test_found_forms_agree_with_the_catalog(name):
    """Wherever the search finds F with f' = F(y), it agrees with the
    catalog's output form at points of that region (parameters at their
    sample values)."""
    activation = ACTIVATIONS[name]
    x = activation.variable
    values = {s: sympy.Rational(str(activation.samples[s.name])) for s in activation.expr.free_symbols
              if s != x and s.name in activation.samples}
    values.update({s: sympy.Rational(1, 2) for s in activation.expr.free_symbols if s != x and s not in values})
    compared = 0
    for region in output_forms(activation, timeout=20):
        if region.form is None:
            continue
        for k in range(-40, 41):
            point = sympy.Rational(k, 7)
            if region.condition.subs(values).subs(x, point) is not sympy.true:
                continue
            y = activation.expr.subs(values).subs(x, point)
            catalog = activation.output_form.subs(values).subs(Y, y)
            found = region.form.subs(values).subs(Y, y)
            assert abs(float(catalog - found)) < 1e-9, (point, catalog, found)
            compared += 1
    assert compared or all(r.form is None for r in output_forms(activation, timeout=20))


REGIONS = [(name, index) for name, a in sorted(ACTIVATIONS.items()) if not a.vector
           for index in range(len(_regions(a.expr, a.variable)))]


@pytest.mark.parametrize("name, index", REGIONS)
def test_the_two_eliminations_agree(name, index):
    """The weights by linear algebra in polynomial domains (what the search
    uses) and by linsolve on expressions (its fallback) are the same, region
    by region, wherever the first applies."""
    activation = ACTIVATIONS[name]
    x = activation.variable
    parameters = tuple(sorted((s for s in activation.expr.free_symbols if s != x), key=str))
    _, body, slope = backward_form._regions(activation.expr, x)[index]
    if not body.has(x):
        return  # a constant region: nothing is searched
    degree = backward_form.DEFAULT_DEGREE
    basis = backward_form._basis(parameters, degree)
    weights = sympy.symbols(f"w0:{len(basis)}")
    try:
        by_polys = backward_form._weights_by_polys(slope, basis, degree, body, x, weights, parameters)
    except (backward_form._OutsidePolys, sympy.PolynomialError):
        return  # left to the fallback by design
    candidate = sum(w * b for w, b in zip(weights, basis))
    residual = backward_form._rationalize(slope - candidate.subs(Y, body), x)
    by_linsolve = backward_form._weights_by_linsolve(residual, weights, parameters)
    if by_polys is None or by_linsolve is None:
        assert by_polys is by_linsolve
    else:
        assert all(sympy.simplify(by_polys[w] - by_linsolve[w]) == 0 for w in weights)


_LAM = sympy.Symbol("lambda", positive=True)
_XR = sympy.Symbol("x", real=True)


@pytest.mark.parametrize("condition, expected", [
    (sympy.Not(sympy.Or(_LAM < _XR, _LAM >= -_XR)), _XR < -_LAM),
    (sympy.And(_XR <= 3, _XR < 3), _XR < 3),
    (2 * _XR - 1 > 0, _XR > sympy.Rational(1, 2)),
    (-_XR >= _LAM, _XR <= -_LAM),
], ids=["shrinkage-left", "tighter-strict", "scaled", "negated"])
def test_a_region_prints_as_a_reader_writes_it_and_is_the_same_set(condition, expected):
    tidy = interval_condition(condition, _XR)
    assert tidy == expected
    for lam in (sympy.Rational(1, 2), 2):
        for point in (-5, -2, sympy.Rational(-1, 2), 0, sympy.Rational(1, 2), 1, 3, 5):
            values = {_XR: point, _LAM: lam}
            assert bool(condition.subs(values)) == bool(tidy.subs(values)), (point, lam)


def test_a_region_whose_bounds_cannot_be_ordered_is_left_as_it_is():
    a = sympy.Symbol("a", real=True)
    condition = sympy.And(_XR > a, _XR > 0)
    assert interval_condition(condition, _XR) == condition


@pytest.mark.parametrize("name", ["softshrink", "hardshrink"])
def test_the_shrinkage_forms_are_found_and_proved_on_both_outer_regions(name):
    forms = [f for f in output_forms(ACTIVATIONS[name]) if f.form is not None]
    assert [str(f.condition) for f in forms] == ["x > lambda", "x < -lambda"]
    x = ACTIVATIONS[name].variable
    for form in forms:
        expr = ACTIVATIONS[name].expr
        evidence = prove_equal(form.form.subs(Y, expr), sympy.diff(expr, x), ProofContext(condition=form.condition))
        assert isinstance(evidence, Proved), form
