"""The catalog against independent oracles: sympy.diff, and the output-only
forms f' = F(y) checked by substituting y = f(x)."""

import pytest
import sympy

from oracles import numerically_equal
from symderive.catalog import ACTIVATIONS, I_, K_, X, Y, Z_, lookup, softmax_jacobian

SCALAR = [a for a in ACTIVATIONS.values() if not a.vector]


def _piecewise(expr):
    return expr.rewrite(sympy.Piecewise) if expr.has(sympy.Max, sympy.Min, sympy.Abs) else expr


@pytest.mark.parametrize("activation", SCALAR, ids=[a.name for a in SCALAR])
def test_closed_form_derivative_matches_sympy_diff(activation):
    truth = sympy.diff(_piecewise(activation.expr), X)
    difference = sympy.simplify(sympy.piecewise_fold(truth - activation.derivative))
    assert difference == 0 or numerically_equal(truth, activation.derivative)


@pytest.mark.parametrize("activation", [a for a in SCALAR if a.output_form is not None],
                         ids=[a.name for a in SCALAR if a.output_form is not None])
def test_output_form_in_terms_of_y(activation):
    from_output = activation.output_form.subs(Y, activation.expr)
    assert sympy.simplify(from_output - activation.derivative) == 0


def test_softmax_entry_derivative_matches_sympy_diff():
    softmax = ACTIVATIONS["softmax"]
    truth = sympy.diff(softmax.expr, Z_[K_])
    assert numerically_equal(truth, softmax.derivative)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_softmax_jacobian_is_diag_minus_outer_product(n):
    by_diff, closed = softmax_jacobian(n)
    assert (by_diff - closed).applyfunc(sympy.simplify) == sympy.zeros(n, n)


@pytest.mark.parametrize("name, expected", [("logistic", "sigmoid"), ("ReLU", "relu"), ("sigma", "sigmoid"),
                                            ("Softmax", "softmax"), ("nope", None)])
def test_lookup_by_alias(name, expected):
    found = lookup(name)
    assert (found.name if found else None) == expected


def test_index_agrees_with_the_entries():
    """The index that lets a run build only the families it uses lists every
    entry once, under its family, with its aliases and shape."""
    import pkgutil

    from symderive import activations, catalog

    families = [m.name for m in pkgutil.iter_modules(activations.__path__) if m.name != "model"]
    assert sorted(catalog.FAMILIES) == sorted(families)
    built = {name: (family, a.aliases, a.vector) for family in families
             for name, a in catalog.family(family).items()}
    assert built == catalog._INDEX
    assert list(ACTIVATIONS) == list(catalog._INDEX)


def test_a_derivation_builds_only_the_families_it_uses():
    """Verifying the seeds' sigmoid derivation, with every catalog name in
    scope, imports the basic family and neither of the others; the library's
    swish derivation also writes sigma, and imports smooth and basic."""
    import subprocess
    import sys
    import textwrap

    from library import LIBRARY

    probe = textwrap.dedent("""
        import sys
        from pathlib import Path
        from symderive import runner
        runner.mark_worker()  # proofs run in this process, whose modules are listed
        from symderive.batch import verify_file
        _, report = verify_file(Path(sys.argv[1]))
        assert report.error is None, report.error
        print(" ".join(sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("symderive.activations.")
                              and m != "symderive.activations.model")))
    """)
    found = [subprocess.run([sys.executable, "-c", probe, str(LIBRARY / name)], capture_output=True, text=True,
                            check=True).stdout.strip()
             for name in ("000_sigmoid_chain_rule.toml", "swish.toml")]
    assert found == ["basic", "basic smooth"]


def test_relu_kink_is_documented():
    kink, = ACTIVATIONS["relu"].kinks
    assert (kink.at, kink.left, kink.right) == (0, 0, 1)
