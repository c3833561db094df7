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
