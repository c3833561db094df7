"""A derivation's let of a vector entry (y_j = ...) reads its index letter as
an index in the body, declared in `indices` or not: the entry is the same
function of x_j for every j, which sympy.diff confirms at explicit sizes."""

import sympy

from oracles import numerically_equal
from symderive.derivation import Located, loads
from symderive.derivation_meaning import meaning_of

TEMPLATE = r"""title = "t"
variable = "x_k"
indexed = ["x", "y"]
indices = ["k", "n"]
[let]
y_{letter} = 'x_{letter}^2 + 3 x_{letter}'
[[steps]]
latex = '\sum_{{i=1}}^{{n}} y_i'
"""


def _read(letter):
    derivation = loads(TEMPLATE.format(letter=letter))
    meaning = meaning_of(derivation)
    step = derivation.all_steps()[0]
    return meaning.evaluate(meaning.parse(Located(step.latex, step.origin)))


def test_an_undeclared_index_letter_in_a_let_key_is_the_entry_index_of_its_body():
    n, i = sympy.Symbol("n", integer=True, positive=True), sympy.Symbol("i", integer=True, positive=True)
    x = sympy.IndexedBase("x", real=True)
    truth = sympy.Sum(x[i] ** 2 + 3 * x[i], (i, 1, n))
    for letter in ("i", "j", "a"):
        assert numerically_equal(_read(letter), truth), letter


def test_a_wrong_body_is_told_apart_by_the_same_oracle():
    n, i = sympy.Symbol("n", integer=True, positive=True), sympy.Symbol("i", integer=True, positive=True)
    x = sympy.IndexedBase("x", real=True)
    assert not numerically_equal(_read("j"), sympy.Sum(x[i] ** 2 + 2 * x[i], (i, 1, n)))
