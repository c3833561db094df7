"""A claim proved only under a sum the post never states is reported with
that sum: ``assumed`` in the report, the JSON and the text.

The oracle is SymPy at n = 3: the softmax cross-entropy's gradient
``p_i - y_i`` holds with y_3 = 1 - y_1 - y_2 and fails for free y, so a
report that proves it must say what it assumed.
"""

import json

import sympy

from symderive.emit.posts import report_to_dict, to_text
from symderive.post.check import check_post
from symderive.post.report import decode_post, encode_post

UNSTATED = r"""Softmax: $S_i = \frac{e^{z_i}}{\sum_{k=1}^{n} e^{z_k}}$.

$$\frac{\partial}{\partial z_i} \left(-\sum_{k=1}^{n} y_k \log S_k\right) = S_i - y_i$$
"""

STATED = UNSTATED + "\nThe target is one-hot, so $$\\sum_{k=1}^{n} y_k = 1$$\n"

NO_ENTROPY = r"""$$\frac{d}{dx} x^2 = 2x$$
"""


def _oracle_needs_the_sum() -> bool:
    z = sympy.symbols("z1:4", real=True)
    y = sympy.symbols("y1:4", real=True)
    total = sum(sympy.exp(v) for v in z)
    p = [sympy.exp(v) / total for v in z]
    loss = -sum(yk * sympy.log(pk) for yk, pk in zip(y, p))
    gap = sympy.diff(loss, z[0]) - (p[0] - y[0])
    held = sympy.simplify(gap.subs(y[2], 1 - y[0] - y[1])) == 0
    free = sympy.simplify(gap) == 0
    return held and not free


def test_an_unstated_target_sum_is_named_with_the_proof():
    assert _oracle_needs_the_sum()
    report = check_post(UNSTATED, "post.md")
    claim = report.claims()[0]
    assert claim.verdict.value == "proved", claim.evidence
    assert len(report.assumed) == 1 and "y_{k} = 1" in report.assumed[0]
    assert report_to_dict(report)["assumed"] == list(report.assumed)
    assert "assumed \\sum_{k=1}^{n} y_{k} = 1" in to_text(report, UNSTATED)


def test_a_sum_the_post_states_is_not_called_assumed():
    report = check_post(STATED, "post.md")
    assert report.claims()[0].verdict.value == "proved"
    assert report.assumed == ()
    assert "assumed" not in to_text(report, STATED)


def test_a_post_without_a_cross_entropy_assumes_nothing():
    report = check_post(NO_ENTROPY, "post.md")
    assert report.assumed == ()


def test_the_cached_report_keeps_what_was_assumed():
    report = check_post(UNSTATED, "post.md")
    again = decode_post(json.loads(json.dumps(encode_post(report))))
    assert again.assumed == report.assumed
