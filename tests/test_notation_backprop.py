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
    """The verdict of the claim whose right side holds ``needle``."""
    found = [s for s in steps_of(text) if needle in s.rhs]
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
