"""symderive derive: a verified derivation, one named rule per step, for every
catalog entry and for further expressions (compositions, parameters,
products of activations)."""

import pytest

from library import run_cli
from symderive.catalog import ACTIVATIONS
from symderive.derivation import loads
from symderive.generate import derive, derive_latex
from symderive.engine import verify_derivation

EXPRESSIONS = [
    r"\tanh(x^2)",
    r"\sigma(x) \tanh(x)",
    r"\sigma(2x + 1)",
    r"x \sigma(x)",
    r"\log(1 + e^{x})",
    r"\frac{x}{1 + e^{-x}}",
    r"e^{-x^2}",
    r"\tanh(\sigma(x))",
    r"\sigma(x)^2",
    r"\frac{1}{1 + e^{-a x}}",
    r"x \tanh(\log(1 + e^{x}))",
    r"\sinh(x) \cosh(x)",
    r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    r"(1 + x^2)^{3}",
    r"\sqrt{1 + x^2}",
    r"a x^3 + b x",
    r"\max(0, x) + x",
    r"\log(\sigma(x))",
    r"\frac{\tanh(x)}{x^2 + 1}",
    r"e^{x} \sin(x)",
    r"\cos(x^2) + \sigma(x)",
]


def _check(generated):
    report = verify_derivation(loads(generated.toml, "derived.toml"))
    assert report.status == "verified", [(s.index, s.latex, s.rules, s.verdict, s.justified)
                                          for s in report.steps if not s.ok]
    rules = [rule for _, rule in generated.steps]
    assert rules[0] == "" and all(rule and "," not in rule for rule in rules[1:]), rules
    return report


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_catalog_entry(name):
    report = _check(derive(name))
    assert report.closed_form is not None and report.closed_form.verdict == "proved"


@pytest.mark.parametrize("latex", EXPRESSIONS)
def test_further_expressions(latex):
    _check(derive_latex(latex))


def test_cli_derive(capsys):
    code, out, err = run_cli(["derive", "sigmoid"], capsys)
    assert code == 0
    assert out.count("rule = ") >= 3
    assert "verified" in err
    code, out, _ = run_cli(["derive", r"\tanh(x^2)", "--to", "md"], capsys)
    assert code == 0 and out.startswith("# ")
    code, _, err = run_cli(["derive", r"\frac{1}{x"], capsys)
    assert code == 2 and "1:" in err
