"""Notation of backpropagation posts, read as a class: each reading proves
the right claim and refutes wrong variants of it, and the expected verdicts
come from an independent oracle (sympy.diff of the explicit form, or an
evaluation), never from what the tool says."""

import sympy

from symderive.post.check import check_post


def steps_of(text: str) -> list:
    report = check_post(text, "<test>")
    return report.claims()


def verdict_at(text: str, needle: str) -> str:
    """The verdict of the claim whose right side is ``needle``."""
    found = [s for s in steps_of(text) if s.rhs.strip() == needle]
    assert len(found) == 1, [(s.lhs, s.rhs) for s in steps_of(text)]
    return found[0].verdict


def softmax_derivative_oracle(n: int = 3) -> tuple:
    """d o_1 / d z_1 of o = softmax(z), and the candidate right sides."""
    z = sympy.symbols(f"z1:{n + 1}", real=True)
    o = [sympy.exp(zi) / sum(sympy.exp(zk) for zk in z) for zi in z]
    truth = sympy.diff(o[0], z[0])
    return truth, o[0]


# -- one letter for two layers: definitions that refer to each other -----------

CYCLE_POST = r"""
The output is

$$o_j = \frac{e^{z_j}}{\sum_k e^{z_k}}$$

and the input of neuron $j$ is

$$z_j = \sum_i w_{ij} o_i + b$$

so that

$$\frac{\partial o_j}{\partial z_j} = RIGHT$$
"""


def test_a_definition_closing_a_cycle_is_set_aside_not_an_internal_error():
    truth, o1 = softmax_derivative_oracle()
    right, wrong = o1 * (1 - o1), o1 * (1 + o1)
    assert sympy.simplify(truth - right) == 0 and sympy.simplify(truth - wrong) != 0
    for claim, expected in (("o_j(1 - o_j)", "proved"), ("o_j(1 + o_j)", "refuted")):
        text = CYCLE_POST.replace("RIGHT", claim)
        steps = steps_of(text)
        assert not any("internal error" in (getattr(s.evidence, "reason", "") or "") for s in steps)
        assert verdict_at(text, claim) == expected


# -- \delta_j with one index: a named quantity (a layer's error) ----------------

DELTA_POST = r"""
Let

$$y_j = \delta_j x_j^2$$

then

$$\frac{\partial y_j}{\partial x_j} = RIGHT$$
"""

SUMMED_DELTA_POST = r"""
Let

$$L = \sum_{i=1}^{n} \delta_i w_i^3$$

then

$$\frac{\partial L}{\partial w_k} = RIGHT$$
"""


def test_delta_with_one_index_is_a_named_quantity():
    d, x = sympy.symbols("d x", real=True)
    truth = sympy.diff(d * x ** 2, x)
    for claim, value in (("2 \\delta_j x_j", 2 * d * x), ("3 \\delta_j x_j", 3 * d * x), ("2 x_j", 2 * x)):
        expected = "proved" if sympy.simplify(truth - value) == 0 else "refuted"
        assert verdict_at(DELTA_POST.replace("RIGHT", claim), claim) == expected


def test_delta_with_one_index_inside_a_sum_varies_with_the_index():
    d = sympy.symbols("d1:4", real=True)
    w = sympy.symbols("w1:4", real=True)
    loss = sum(di * wi ** 3 for di, wi in zip(d, w))
    truth = sympy.diff(loss, w[1])  # k = 2
    for claim, value in (("3 \\delta_k w_k^2", 3 * d[1] * w[1] ** 2), ("3 \\delta_k w_k", 3 * d[1] * w[1]),
                         ("3 w_k^2", 3 * w[1] ** 2)):
        expected = "proved" if sympy.simplify(truth - value) == 0 else "refuted"
        assert verdict_at(SUMMED_DELTA_POST.replace("RIGHT", claim), claim) == expected


# -- letter superscripts as layer labels: z^l, W^l, a^{l-1} -----------------------

LAYER_POST = r"""
The layer is

$$z^l = w^l a^{l-1} + b^l$$

and

$$\frac{\partial z^l}{\partial VARIABLE} = RIGHT$$

while a power stays a power:

$$\frac{d x^n}{dx} = POWER$$
"""


def layer_verdicts(variable: str, right: str, power: str = "n x^{n-1}") -> tuple:
    text = LAYER_POST.replace("VARIABLE", variable).replace("RIGHT", right).replace("POWER", power)
    return verdict_at(text, right), verdict_at(text, power)


def test_a_letter_superscript_on_a_name_differentiated_in_is_a_layer_label():
    w, a, b, x, n = sympy.symbols("w a b x n", real=True)
    z = w * a + b
    cases = (("w^l", "a^{l-1}", sympy.diff(z, w), a), ("w^l", "2 a^{l-1}", sympy.diff(z, w), 2 * a),
             ("b^l", "1", sympy.diff(z, b), sympy.Integer(1)), ("b^l", "a^{l-1}", sympy.diff(z, b), a),
             ("a^{l-1}", "w^l", sympy.diff(z, a), w), ("a^{l-1}", "b^l", sympy.diff(z, a), b))
    power = sympy.diff(x ** n, x)
    assert sympy.simplify(power - n * x ** (n - 1)) == 0
    for variable, right, truth, value in cases:
        expected = "proved" if sympy.simplify(truth - value) == 0 else "refuted"
        assert layer_verdicts(variable, right) == (expected, "proved"), (variable, right)


def test_a_power_beside_layer_labels_is_refuted_when_wrong():
    # x^n differentiated: n is no label letter of the post (l is), so x^n is a power
    assert layer_verdicts("w^l", "a^{l-1}", "x^{n-1}")[1] == "refuted"


# -- a squared name in the denominator: the derivative in the variance -----------

VARIANCE_POST = r"""
Let

$$f = \frac{a}{\sqrt{\tau^2 + c}}$$

then

$$LEFT = RIGHT$$
"""


def test_a_squared_name_below_is_the_variable_of_the_derivative_not_an_order():
    a, c, v = sympy.symbols("a c v", positive=True)
    truth = sympy.diff(a / sympy.sqrt(v + c), v)  # v stands for tau^2
    candidates = (("-\\frac{a}{2}(\\tau^2 + c)^{-3/2}", -a / 2 * (v + c) ** sympy.Rational(-3, 2)),
                  ("-a(\\tau^2 + c)^{-3/2}", -a * (v + c) ** sympy.Rational(-3, 2)),
                  ("-\\frac{a}{2}(\\tau^2 + c)^{-1/2}", -a / 2 * (v + c) ** sympy.Rational(-1, 2)))
    for left in ("\\frac{\\partial f}{\\partial \\tau^2}", "\\partial f / \\partial \\tau^2"):
        for right, value in candidates:
            expected = "proved" if sympy.simplify(truth - value) == 0 else "refuted"
            text = VARIANCE_POST.replace("LEFT", left).replace("RIGHT", right)
            assert verdict_at(text, right) == expected, (left, right)


def test_the_variable_squared_below_is_still_an_error_not_a_new_variable():
    # dy/dx^2 with x the post's variable: as likely a slip for d^2y/dx^2, so not read either way
    x = sympy.Symbol("x", positive=True)
    assert sympy.simplify(sympy.diff(x ** 3, x) / (2 * x) - 3 * x / 2) == 0  # what the squared reading would prove
    steps = check_post("Let $$y = x^3$$ then $$\\frac{dy}{dx^2} = \\frac{3x}{2}$$", "<test>")
    assert not steps.claims() or all(s.verdict != "proved" for s in steps.claims())


# -- a subscripted sigma never applied: a number (a standard deviation) ----------

DEVIATION_POST = r"""
Normalize:

$$f = \frac{x - m}{\sqrt{\sigma_B^2 + c}}$$

then

$$\frac{\partial f}{\partial x} = RIGHT$$
"""


def test_a_subscripted_sigma_never_applied_is_a_number():
    x, m, s, c = sympy.symbols("x m s c", positive=True)
    truth = sympy.diff((x - m) / sympy.sqrt(s ** 2 + c), x)
    for right, value in (("\\frac{1}{\\sqrt{\\sigma_B^2 + c}}", 1 / sympy.sqrt(s ** 2 + c)),
                         ("\\frac{1}{\\sigma_B^2 + c}", 1 / (s ** 2 + c)),
                         ("\\frac{x}{\\sqrt{\\sigma_B^2 + c}}", x / sympy.sqrt(s ** 2 + c))):
        expected = "proved" if sympy.simplify(truth - value) == 0 else "refuted"
        assert verdict_at(DEVIATION_POST.replace("RIGHT", right), right) == expected, right


# -- a capital letter applied to several vectors: a function, not Euler's e --------

ERROR_POST = r"""
The error function is

$$E(t,o)=-\sum_j t_j \log o_j$$

and

$$\frac{\partial E} {\partial o_j} = RIGHT$$
"""


def test_a_capital_e_applied_to_several_arguments_is_the_function_written_bare():
    t = sympy.symbols("t1:4", positive=True)
    o = sympy.symbols("o1:4", positive=True)
    error = -sum(ti * sympy.log(oi) for ti, oi in zip(t, o))
    truth = sympy.diff(error, o[1])  # j = 2
    for right, value in (("\\frac{-t_j}{o_j}", -t[1] / o[1]), ("\\frac{t_j}{o_j}", t[1] / o[1]),
                         ("\\frac{-t_j}{o_j^2}", -t[1] / o[1] ** 2)):
        expected = "proved" if sympy.simplify(truth - value) == 0 else "refuted"
        assert verdict_at(ERROR_POST.replace("RIGHT", right), right) == expected, right


TENSOR_POST = r"""
With indices written up and summed when repeated,

$$O^{ib} = A^{ij} V^{jb}$$

so that

$$\frac{\partial O^{ib}}{\partial V^{mn}} = A^{ij} \delta^j_m \delta^b_n$$
"""


def test_two_letters_written_up_are_indices_not_a_layer_label():
    # O = A V: dO_ib/dV_mn = sum_j A_ij delta_jm delta_bn = A_im delta_bn, true at every entry
    a = sympy.Matrix(2, 2, sympy.symbols("a1:5"))
    v = sympy.Matrix(2, 2, sympy.symbols("v1:5"))
    o = a * v
    for i, b, m, n in ((0, 1, 1, 1), (1, 0, 0, 0), (0, 0, 1, 0)):
        claim = sum(a[i, j] * sympy.KroneckerDelta(j, m) * sympy.KroneckerDelta(b, n) for j in range(2))
        assert sympy.diff(o[i, b], v[m, n]) - claim == 0
    assert all(s.verdict != "refuted" for s in steps_of(TENSOR_POST))


def test_a_new_name_squared_on_the_left_names_the_variance():
    # sigma_B^2 = (1/m) sum (x_i - mu)^2 names sigma_B: a free sigma_B makes it false at most
    # points, so read as a claim it would be refuted (a false alarm)
    text = (r"The variance is $$\sigma_B^2 = \frac{1}{m}\sum_{i=1}^{m} (x_i - \mu)^2$$ and then "
            r"$$\frac{\partial}{\partial x} \frac{x}{\sqrt{\sigma_B^2 + c}} = \frac{1}{\sqrt{\sigma_B^2 + c}}$$")
    x, s, c = sympy.symbols("x s c", positive=True)
    assert sympy.diff(x / sympy.sqrt(s ** 2 + c), x) == 1 / sympy.sqrt(s ** 2 + c)
    report = check_post(text, "<test>")
    assert [s.verdict for s in report.claims()] == ["proved"]
    assert any(d.kind == "definition" for d in report.definitions)


LAYERS_POST = r"""
The layer is

$$z^l = w^l a^{l-1} + b^l$$

the cost

$$C = \frac{1}{2}(a^L - y)^2$$

with $a^L = z^L$ at the output, and

$$\frac{\partial C}{\partial a^L} = a^L - y$$

so

$$\frac{\partial C}{\partial z^l}\frac{\partial z^l}{\partial w^l} = (a^L - y) a^{l-1}$$
"""


def test_a_layer_written_l_and_l_capital_is_not_refuted_as_two_layers():
    # z^l = W^l a^{l-1} + b^l with C written in a^L: at the output l = L and the chain is true
    # (dC/dz^l dz^l/dw^l = (a^L - y) a^{l-1} there); read as two layers its left side is 0
    w, a, b, y = sympy.symbols("w a b y", real=True)
    cost = (w * a + b - y) ** 2 / 2  # one layer, l = L
    assert sympy.expand(sympy.diff(cost, w) - (w * a + b - y) * a) == 0
    claims = steps_of(LAYERS_POST)
    assert any(s.rhs.strip() == "(a^L - y) a^{l-1}" for s in claims)
    assert all(s.verdict != "refuted" for s in claims)
