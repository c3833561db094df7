"""Input limits: hostile sizes end in a SymderiveError naming file:line:column,
quickly, never in a hang or memory exhaustion."""

from __future__ import annotations

import re
import time

import pytest
import sympy

from symderive.derivation import MAX_FILE_BYTES, MAX_STEPS, load, loads
from symderive.errors import LatexSyntaxError, Origin, SymderiveError
from symderive.latex import Scope, parse_display, parse_expression
from symderive.latex import limits
from symderive.post.check import check_post
from symderive.post.extract import MAX_MATH_BLOCKS, MAX_POST_BYTES, find_blocks

X = sympy.Symbol("x", real=True)
SCOPE = Scope(variables={"x": X}, default_variable=X)
QUICK = 5.0  # seconds: every refusal here is immediate; the bound only catches a hang


def refused(parse, *args) -> SymderiveError:
    started = time.monotonic()
    with pytest.raises(SymderiveError) as caught:
        parse(*args)
    assert time.monotonic() - started < QUICK
    assert re.match(r"^[^:]+:\d+:\d+: ", str(caught.value)), str(caught.value)
    return caught.value


HUGE = [
    ("power-of-googol", r"x^{10^{100}}", "exponent too large"),
    ("tower", r"2^{2^{2^{100}}}", "exponent too large"),
    ("nine-tower", r"9^{9^{9}}", "exponent too large"),
    ("million-power", r"(x+1)^{1000000}", "exponent too large"),
    ("tiny-root", r"\sqrt[10^{100}]{x}", "exponent too large"),
    ("tiny-exponent", r"x^{1/10^{100}}", "exponent too large"),
    ("symbolic-exponent", r"x^{10^{100} x}", "exponent too large"),
    ("function-power", r"\tanh^{10^{100}}(x)", "exponent too large"),
    ("long-number-power", r"10^{5000}", "number too large"),
    ("negative-power", r"3^{-9000}", "number too large"),
    ("factorial", r"1000000!", "factorials"),
    ("factorial-of-group", r"(10^{100})!", "factorials"),
    ("long-number", "9" * 5000, "number too long"),
    ("derivative-order", r"\frac{d^{1000000}}{dx^{1000000}} x", "derivative order"),
    ("derivative-order-digits", r"\frac{d^{" + "9" * 5000 + "}}{dx} x", "derivative order"),
    ("product-of-million", r"\prod_{k=1}^{1000000} k", "too many terms"),
    ("sum-of-googol", r"\sum_{j=1}^{10^{100}} j", "too many terms"),
    ("deep-nesting", "(" * 1000 + "x" + ")" * 1000, "nested too deeply"),
    ("long-text", "x+" * 15000 + "x", "too long"),
]


@pytest.mark.parametrize("text, message", [pytest.param(t, m, id=name) for name, t, m in HUGE])
def test_huge_latex_is_refused_with_a_location(text, message):
    error = refused(parse_expression, text, SCOPE, Origin("f.toml", 3, 9))
    assert message in error.message
    assert error.origin.file == "f.toml" and error.origin.line == 3


def test_limits_leave_room_for_real_powers():
    assert parse_expression(r"(e^{x} + e^{-x})^{200}", SCOPE) is not None
    assert parse_expression(r"x^{10000}", SCOPE) == X ** 10000
    assert parse_expression(r"10^{4000}", SCOPE) == sympy.Pow(10, 4000, evaluate=False)
    assert parse_expression(r"\frac{d^{2}}{dx^{2}} x^3", SCOPE) is not None


def test_long_run_of_letters_is_read_in_linear_time():
    started = time.monotonic()
    assert parse_expression("x" * 19_000, SCOPE) == X ** 19_000
    assert time.monotonic() - started < QUICK


def test_long_chain_of_relations_is_refused():
    text = "x" + " = x" * (limits.MAX_PARTS + 10)
    error = refused(parse_display, text, SCOPE, Origin("p.md", 1, 1))
    assert "display too long" in error.message


def test_derivation_file_size_limit(tmp_path):
    text = 'title = "t"\n# ' + "x" * MAX_FILE_BYTES + "\n"
    error = refused(loads, text, "big.toml")
    assert "larger than" in error.message and error.origin == Origin("big.toml", 1, 1)
    path = tmp_path / "big.toml"
    path.write_text(text)
    assert "larger than" in refused(load, path).message


def test_derivation_step_limit():
    text = 'title = "t"\n' + '[[steps]]\nlatex = "x"\nrule = "algebra"\n' * (MAX_STEPS + 1)
    error = refused(loads, text, "long.toml")
    assert "too many steps" in error.message and error.origin.line > 1


def test_post_size_limit():
    error = refused(check_post, "$x$ " + "a" * MAX_POST_BYTES, "big.md")
    assert "larger than" in error.message


def test_post_block_limit():
    error = refused(find_blocks, "$a$ " * (MAX_MATH_BLOCKS + 1), "many.md")
    assert "too many math blocks" in error.message and error.origin.column > 1


UNCLOSED = [
    ("brackets", "\\[" * 100_000),
    ("parens", "\\(" * 100_000),
    ("environments", "\\begin{align}" * 30_000),
    ("environment-arguments", "\\begin{alignat}{" * 30_000),
    ("fences", "```math\n" * 50_000),
    ("code-fences", "```\n" * 100_000),
    ("dollar-environments", "".join(f"$\\begin{{a{i}}}\n" for i in range(20_000))),
]


@pytest.mark.parametrize("text", [pytest.param(t, id=name) for name, t in UNCLOSED])
def test_unclosed_delimiters_are_read_in_linear_time(text):
    """Each opener that nothing closes is a block reported unreadable (never
    read as math); past MAX_MATH_BLOCKS of them the post is refused with a
    location, quickly either way."""
    started = time.monotonic()
    try:
        blocks = find_blocks(text, "open.md")
    except SymderiveError as error:
        assert "too many math blocks" in error.message and error.origin is not None
    else:
        assert all(block.unclosed for block in blocks) and len(blocks) <= MAX_MATH_BLOCKS
    assert time.monotonic() - started < QUICK
