"""symderive derive for losses and layers: a derivation in index notation for
the entry's symbolic sizes, one named rule per step, verified.

The truth is that every generated line equals the one before it (each is a
rule's rewrite of it), so a refuted step is a false alarm whatever the
entry. Where the derivation is verified, its last line is checked against
an independent oracle: at an explicit size, entry by entry, it equals
sympy.diff of the entry's explicit form (tests/test_losses_catalog.py's
comparison: exact for rational functions, else 40-digit points)."""

import itertools

import pytest
import sympy

from library import run_cli
from symderive.api import derived
from symderive.catalog import BACKPROP, lookup_backprop
from symderive.derivation import loads
from symderive.derivation_meaning import meaning_of
from symderive.errors import SymderiveError
from symderive.evidence import Verdict
from symderive.generate import derive_backprop, generate
from test_losses_catalog import _entry_of, derivative, equal

PAIRS = [(entry.name, str(gradient.wrt)) for entry in BACKPROP.values() for gradient in entry.gradients]
# the level measured; the pairs not verified count as misses
VERIFIED_AT_LEAST = 33
VERIFIED: list = []


def _scope_name(label: str) -> str:
    return "y_hat" if label == "yhat" else label


def _gradient_at_size(report, derivation, entry, wrt, sizes):
    """The closed form at explicit ``sizes``: a matrix in the input's shape,
    each entry the form at those indices with the sums done and every entry
    of an indexed name replaced by the explicit form's symbol."""
    explicit = entry.explicit(*sizes)
    gradient = next(g for g in entry.gradients if str(g.wrt) == wrt)
    form = meaning_of(derivation).parse(derivation.closed_form)
    arrays = {_scope_name(str(base.label)): matrix for base, matrix in explicit.arrays.items()}
    size_of = {str(s): v for s, v in zip(entry.sizes, sizes)}
    form = form.subs({s: size_of[str(s)] for s in form.free_symbols if str(s) in size_of})
    inputs = explicit.inputs[wrt]
    free = {str(i): i for i in form.free_symbols if isinstance(i, sympy.Symbol) and i.is_integer}
    values = []
    for position in itertools.product(*(range(1, n + 1) for n in inputs.shape)):
        at = dict(zip(map(str, gradient.at), position)) if gradient.at else {}
        value = form.subs({free[name]: v for name, v in at.items() if name in free}).doit()
        value = value.xreplace({e: _entry_of(arrays[str(e.base.label)], e.indices)
                                for e in value.atoms(sympy.Indexed)})
        values.append(value)
    shaped = sympy.Matrix(values).reshape(*inputs.shape)
    return explicit, shaped


@pytest.mark.parametrize("name, wrt", PAIRS, ids=[f"{n}-{w}" for n, w in PAIRS])
def test_derived_backward_pass(name, wrt):
    toml, report = derived(name, wrt)
    derivation = loads(toml, "derived.toml")
    rules = [step.rules for step in derivation.steps]
    assert rules[0] == () and all(len(r) == 1 for r in rules[1:]), rules
    refuted = [(s.index, s.latex) for s in report.steps if s.verdict is Verdict.REFUTED]
    assert not refuted, f"a rule's rewrite refuted: {refuted}"
    if report.status != "verified":
        return
    VERIFIED.append((name, wrt))
    entry = lookup_backprop(name)
    sizes = entry.checked_sizes[0]
    explicit, shaped = _gradient_at_size(report, derivation, entry, wrt, sizes)
    assert equal(shaped, derivative(explicit, wrt), explicit, (name, wrt, sizes)), (name, wrt)


def test_most_backward_passes_are_derived_and_verified():
    """Runs after the parametrized cases (file order); under a selection that
    ran few of them, a sample is derived here first."""
    if len(VERIFIED) < VERIFIED_AT_LEAST:
        VERIFIED.clear()
        VERIFIED.extend(pair for pair in PAIRS if derived(*pair)[1].status == "verified")
    assert len(VERIFIED) >= VERIFIED_AT_LEAST, VERIFIED


def test_a_loss_derivation_passes_the_sum_and_collapses_the_delta():
    generated = derive_backprop("mse")
    assert [rule for _, rule in generated.steps][1:] == ["definition", "product", "sum", "power", "sum",
                                                          "kronecker"]
    assert r"\sum_{i=1}^{N}" in generated.steps[3][0] and r"\sum" not in generated.steps[-1][0]


def test_an_index_the_gradient_names_is_renamed_where_the_definition_sums_over_it():
    """dense: y_i = sum_j W_ij x_j + b_i differentiated in x_j must not read j twice."""
    toml = derive_backprop("dense", "x").toml
    let = next(line for line in toml.splitlines() if line.startswith("L = "))
    assert r"\sum_{j=" not in let and "x_j" not in let


def test_wrt_chooses_the_input_and_a_wrong_one_says_which_exist():
    assert "variable = \"W_ij\"" in derive_backprop("dense", "W").toml
    assert "variable = \"b_i\"" in derive_backprop("dense", "b").toml
    with pytest.raises(SymderiveError, match="its inputs: W, x, b"):
        derive_backprop("dense", "q")


def test_generate_dispatches_activations_losses_and_expressions():
    assert "activation = \"sigmoid\"" in generate("sigmoid").toml
    assert "variable = \"yhat_k\"" in generate("mse").toml
    assert "variable = \"t\"" in generate(r"\tanh(t)", "t").toml


def test_cli_derives_a_layer(capsys):
    code, out, err = run_cli(["derive", "batch_norm", "--wrt", "gamma"], capsys)
    assert code == 0 and "verified" in err and out.count("[[steps]]") >= 3
    code, _, err = run_cli(["derive", "dense", "--wrt", "nothing"], capsys)
    assert code == 2 and "its inputs" in err
