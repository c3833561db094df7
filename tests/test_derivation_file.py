"""Loading derivation files: schema errors name file:line:column."""

import pytest

from symderive.derivation import loads
from symderive.errors import DerivationFileError, SymderiveError, UnknownRuleError

GOOD = """\
title = "t"
variable = "x"

[let]
u = '1 + e^{-x}'

[[steps]]
latex = '\\frac{d}{dx} u'

[[steps]]
latex = '-e^{-x}'
rule = ["sum", "exp"]

[[cases]]
condition = 'x > 0'

[[cases.steps]]
latex = '1'
rule = "Chain Rule"
"""


def test_loads_steps_with_locations():
    derivation = loads(GOOD, "d.toml")
    first, second = derivation.steps
    assert (first.origin.line, first.origin.column) == (8, 10)
    assert second.rules == ("sum", "exp")
    assert (second.origin.line, second.origin.column) == (11, 10)
    case = derivation.cases[0]
    assert case.condition.latex == "x > 0" and case.condition.origin.line == 15
    assert case.steps[0].rules == ("chain",)  # aliases resolve to the registry name
    assert case.steps[0].origin.line == 18
    assert derivation.lets[0][1].origin.line == 5


def test_bad_toml_names_line_and_column():
    with pytest.raises(DerivationFileError) as caught:
        loads('title = "t"\n[[steps]\nlatex = 1\n', "bad.toml")
    assert caught.value.origin.file == "bad.toml"
    assert caught.value.origin.line == 2
    assert str(caught.value).startswith("bad.toml:2:")


def test_unknown_rule_is_reported_at_the_rule():
    text = GOOD.replace('rule = ["sum", "exp"]', 'rule = "telepathy"')
    with pytest.raises(UnknownRuleError) as caught:
        loads(text, "r.toml")
    assert "telepathy" in str(caught.value)
    assert caught.value.origin.line == 12
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("text, message", [
    ('[[steps]]\nlatex = "x"\n', "title"),
    ('title = "t"\n', "steps"),
    ('title = "t"\n[[steps]]\nlatex = "x"\n[[steps]]\nlatex = "y"\n', "rule"),
    ('title = "t"\nbogus = 1\n[[steps]]\nlatex = "x"\n', "bogus"),
    ('title = "t"\n[[steps]]\nlatex = "x"\nexpect = "maybe"\n', "expect"),
], ids=["no-title", "no-steps", "no-rule", "unknown-key", "bad-expect"])
def test_schema_errors(text, message):
    with pytest.raises(SymderiveError) as caught:
        loads(text, "s.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("s.toml:")


def test_undefined_functions_are_declared_read_and_proved_only_by_their_form(tmp_path):
    from symderive import api

    text = GOOD.replace('variable = "x"\n', 'variable = "x"\nfunctions = ["s"]\n', 1)
    assert loads(text, "f.toml").functions == ("s",)
    path = tmp_path / "s.toml"
    path.write_text('title = "t"\nfunctions = ["s"]\n[[steps]]\nlatex = "s\'(x)"\n'
                    '[[steps]]\nlatex = \'\\frac{d}{dx} s(x)\'\nrule = "algebra"\n'
                    '[[steps]]\nlatex = \'s(x)(1 - s(x))\'\nrule = "algebra"\n', encoding="utf-8")
    report, = api.verify([path])
    assert report.error is None
    assert [s.verdict for s in report.steps[1:]] == ["proved", "unknown"]
    path.write_text(path.read_text(encoding="utf-8").replace('functions = ["s"]\n', ""), encoding="utf-8")
    report, = api.verify([path])
    assert "s is not a declared function" in report.error


@pytest.mark.parametrize("declared, message", [
    ('functions = ["u"]', "'u' is both defined in [let] and listed in 'functions'"),
    ('functions = "s"', "'functions' must be a list of names"),
    ('functions = ["2s"]', "functions"),
])
def test_bad_function_declarations_are_located(declared, message):
    text = GOOD.replace('variable = "x"\n', f'variable = "x"\n{declared}\n', 1)
    with pytest.raises(DerivationFileError) as caught:
        loads(text, "f.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("f.toml:3:")


ONE_HOT = r"""title = "softmax and cross-entropy, last two lines"
indexed = ["y", "p"]
indices = ["i", "k", "n"]
ASSUMPTIONS

[let]
p_i = '\frac{e^{z_i}}{\sum_{j=1}^{n} e^{z_j}}'

[[steps]]
latex = '- y_k + \sum_{i=1}^{n} y_i p_k'

[[steps]]
latex = 'p_k - y_k'
rule = "algebra"
"""


def test_a_stated_sum_is_used_in_every_step(tmp_path):
    from symderive import api

    path = tmp_path / "a.toml"
    path.write_text(ONE_HOT.replace("ASSUMPTIONS", r"assumptions = ['\sum_{i=1}^{n} y_i = 1']"), encoding="utf-8")
    report, = api.verify([path])
    assert report.error is None and report.steps[1].verdict == "proved", report
    path.write_text(ONE_HOT.replace("ASSUMPTIONS", ""), encoding="utf-8")
    report, = api.verify([path])
    assert report.steps[1].verdict == "refuted"  # without it, y need not sum to 1


@pytest.mark.parametrize("stated, message", [
    (r"assumptions = '\sum_i y_i = 1'", "must be a list"),
    ("assumptions = ['x = 1']", "an assumption states the value of a sum"),
])
def test_bad_assumptions_are_located(stated, message, tmp_path):
    from symderive import api

    path = tmp_path / "a.toml"
    path.write_text(ONE_HOT.replace("ASSUMPTIONS", stated), encoding="utf-8")
    report, = api.verify([path])
    assert message in report.error and f"{path}:4:" in report.error, report.error
