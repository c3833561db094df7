"""A derivation file whose variable is declared indexed (variable = "z",
indexed = ["z"]) is an error at the variable: a derivative in the whole z of
an expression of its entries z_i is a gradient, which a step would read as 0
(the step "d/dz sum_i e^{z_i} = 0" was accepted as true). One entry
(variable = "z_k") stays the way a file differentiates by an entry."""

import pytest
import sympy

from symderive import api
from symderive.derivation import loads
from symderive.errors import DerivationFileError

FILE = r"""title = 'probe'
variable = "{variable}"
indexed = ["z"]
indices = ["i", "k", "n"]

[[steps]]
latex = '\frac{{\partial}}{{\partial {variable}}} \sum_{{i=1}}^{{n}} e^{{z_i}}'

[[steps]]
latex = '{right}'
rule = ["sum", "exp", "kronecker"]
"""


def test_a_variable_declared_indexed_is_an_error_at_the_variable():
    with pytest.raises(DerivationFileError, match="declared indexed") as raised:
        loads(FILE.format(variable="z", right="0"), "probe.toml")
    assert "probe.toml:2:" in str(raised.value)


@pytest.mark.parametrize("right, truth", [("e^{z_k}", True), ("0", False)])
def test_one_entry_stays_the_variable(tmp_path, right, truth):
    z = sympy.IndexedBase("z")
    i, k, n = sympy.symbols("i k n", integer=True, positive=True)
    # the oracle at n = 3, k = 2: d/dz_2 of sum_i e^{z_i} is e^{z_2}
    entries = sympy.symbols("z1:4")
    assert sympy.diff(sum(sympy.exp(e) for e in entries), entries[1]) == sympy.exp(entries[1])
    path = tmp_path / "probe.toml"
    path.write_text(FILE.format(variable="z_k", right=right))
    report = api.verify([path])[0]
    assert report.error is None, report.error
    assert (report.steps[-1].verdict.value == "proved") is truth, report.steps[-1]
