"""The renderer: Markdown and LaTeX from hand-built Reports (no engine, no
LaTeX parser), escaping of hostile text, pdflatex, atomic writes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from symderive.errors import SymderiveError
from symderive.evidence import Proved, Refuted, Unknown
from symderive.render import compile_pdf, render_latex, render_markdown, write_text_atomically
from symderive.render.escape import clean_math, escape_markdown, escape_tex, markdown_code
from symderive.render.view import build_view, name_math, rule_words, value_segment
from symderive.report import ClosedFormReport, Report, StepReport

HAVE_PDFLATEX = shutil.which("pdflatex") is not None
needs_pdflatex = pytest.mark.skipif(not HAVE_PDFLATEX, reason="pdflatex is not installed (.ci/run installs it)")

TITLE = "Sigmoid, by the chain rule via u = 1 + e^{-x}"
COUNTEREXAMPLE_MD = (r"Counterexample: at $x = 0$ the previous line is $\frac{1}{4}$ "
                     r"and this line is $-\frac{1}{4}$.")
INJECTION = r"σ–’ # $ % & ~ _ ^ \ { } \input{/etc/passwd} \write18{ls} end"


def step(index, latex, rules=(), evidence=Proved("exp-rational normal form"), justified=True, **extra):
    return StepReport(index=index, line=10 + index, column=10, latex=latex, rules=tuple(rules),
                      evidence=evidence, justified=justified, **extra)


def sigmoid_report(**changes) -> Report:
    steps = (
        step(0, r"\frac{d}{dx} \sigma(x)", evidence=Proved("structural equality"), justified=None),
        step(1, r"\frac{d}{dx} \sigma(x) \cdot \frac{du}{dx}", ("chain",),
             Refuted((("x", "0"),), "1/4", "-1/4"), True, expect="refuted",
             note="As printed in the post: the chain rule needs d sigma / du.", compared_with=0),
        step(2, r"\frac{d\sigma}{du} \cdot \frac{du}{dx}", ("chain",), compared_with=0),
        step(3, r"-\frac{1}{u^2} \cdot \frac{du}{dx}", ("power",), compared_with=2),
        step(4, r"-\frac{1}{u^2} \cdot (-e^{-x})", ("sum", "exp"), compared_with=3),
        step(5, r"\sigma(x) \cdot (1 – \sigma(x))", ("definition", "algebra"), compared_with=4),
        step(6, r"\sigma(x) \cdot (1 – \sigma(x))", ("cases",), case="x > 0", compared_with=5),
    )
    fields = dict(
        name="000_sigmoid_chain_rule", file="/home/someone/derivations/000_sigmoid_chain_rule.toml",
        title=TITLE, source="000_0e0e1611387224ec.txt (Kien Duong, 2024), section 1. Sigmoid",
        activation="sigmoid", steps=steps,
        closed_form=ClosedFormReport(r"\sigma(x) \cdot (1 – \sigma(x))", 40,
                                     Proved("exp-rational normal form"), Proved("structural equality")),
        warnings=("Sigmoid is smooth: this warning is only a test of the warnings list",),
        definitions=(("u", "1 + e^{-x}"), ("sigma", r"\frac{1}{u}"), ("g_logistic", r"\frac{1}{1 + e^{-z}}")),
        cases=(("x > 0", "x > 0"),),
        extra_checks=(("Jacobian diag(S) - S S^T, n = 2", "proved"),),
    )
    fields.update(changes)
    return Report(**fields)


def failing_report() -> Report:
    steps = (
        step(0, r"f'(x)", justified=None, evidence=Proved("first line")),
        step(1, r"2 x", ("chain",), justified=False, compared_with=0, note="true but not by chain"),
        step(2, r"3 x", ("algebra",), Refuted((("x", "1"), ("z_1", "-0.0324496827218")), "2", "3"),
             None, compared_with=1),
        step(3, r"\mathrm{mystery}", ("algebra",), Unknown("timed out after 10 s"), None, compared_with=1),
        step(4, r"I_D", ("power",), Refuted((("D", "2"),), "Matrix([[1, 0], [0, 1]])", "[[1, 1]]"),
             True, expect="refuted", compared_with=1),
        step(5, r"2x", ("power",), Proved("structural equality"), True, expect="refuted", compared_with=1),
    )
    return Report(name="bad", file="bad.toml", title="Broken", source="", activation="relu", steps=steps,
                  closed_form=ClosedFormReport("2x", 30, Refuted((("x", "1"),), "2", "1"),
                                               Unknown("no time left")))


# --- helpers ------------------------------------------------------------------------

def display_blocks(markdown: str) -> list[str]:
    """The $$...$$ blocks of a Markdown text; asserts they are balanced."""
    parts = markdown.split("$$")
    assert len(parts) % 2 == 1, "unbalanced $$"
    return parts[1::2]


def _unescape(match: re.Match) -> bytes:
    """One escape of a PDF string: \\134 (octal) or \\( ."""
    code = match.group(1)
    return bytes([int(code, 8) & 0xFF]) if code[:1] in b"01234567" else code


def pdf_text(path: Path) -> str:
    """The text of a PDF: pdftotext if installed, else the strings of the
    (deflated) content streams; whitespace removed either way."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=60).stdout
        text = out.decode("utf-8", "replace")
    else:
        data = path.read_bytes()
        chunks = []
        for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                chunks.append(zlib.decompress(match.group(1)))
            except zlib.error:
                continue
        strings = []
        for chunk in chunks:
            for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)", chunk):
                literal = re.sub(rb"\\([0-7]{1,3}|.)", _unescape, literal, flags=re.S)
                strings.append(literal.decode("latin-1"))
        text = "".join(strings)
    return re.sub(r"\s+", "", text)


def run_pdflatex(tex: Path) -> subprocess.CompletedProcess:
    """pdflatex as a user would run it (no kpathsea restrictions added), so
    a test sees what escaping alone prevents."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    return subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                           tex.name], cwd=tex.parent, capture_output=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


# --- Markdown -------------------------------------------------------------------------

def test_markdown_has_title_source_status_and_definitions():
    md = render_markdown(sigmoid_report())
    assert md.startswith(f"# {escape_markdown(TITLE)}\n")
    assert "Source: 000\\_0e0e1611387224ec.txt (Kien Duong, 2024), section 1. Sigmoid" in md
    assert "**Status: verified**" in md
    assert "1 expected mistake refuted" in md
    assert "## Definitions" in md
    assert "$$ u = 1 + e^{-x} $$" in md
    assert r"$$ \sigma = \frac{1}{u} $$" in md
    assert r"$$ g_{\text{logistic}} = \frac{1}{1 + e^{-z}} $$" in md


def test_markdown_names_every_rule_and_marks():
    md = render_markdown(sigmoid_report())
    for words in ("by the chain rule", "by the power rule", "by sum, exp", "by definition, algebra", "by cases"):
        assert words in md
    assert md.count("✓") >= 6
    assert "✗ expected mistake" in md
    assert "### Case $x > 0$" in md


def test_markdown_counterexample_and_note():
    md = render_markdown(sigmoid_report())
    assert f"> {COUNTEREXAMPLE_MD}\n" in md
    assert "> Note: As printed in the post: the chain rule needs d sigma / du." in md
    # the step after the set-aside mistake says what it was compared with
    assert "> Compared with the first line." in md


def test_markdown_display_math_is_balanced_one_line_and_separated():
    md = render_markdown(sigmoid_report())
    blocks = display_blocks(md)
    assert len(blocks) == 3 + 7 + 1  # definitions, steps, closed form
    for block in blocks:
        assert "\n" not in block and block.strip()
    lines = md.split("\n")
    for number, line in enumerate(lines):
        if "$$" in line:
            assert line.startswith("$$ ") and line.endswith(" $$") and line.count("$$") == 2, line
            assert lines[number - 1] == "" and lines[number + 1] == "", line
    assert r"$$ \frac{d}{dx} \sigma(x) $$" in lines  # the first line has no "="
    assert r"$$ = \frac{d\sigma}{du} \cdot \frac{du}{dx} $$" in lines
    step_blocks = blocks[3:-1]
    assert not step_blocks[0].strip().startswith("=")
    assert all(block.startswith(" = ") for block in step_blocks[1:])


def test_markdown_no_blank_line_inside_display_math():
    md = render_markdown(sigmoid_report(steps=(
        step(0, "a\n\n\nb", justified=None), step(1, "a\r\n\r\nb", ("algebra",), compared_with=0))))
    for block in display_blocks(md):
        assert "\n" not in block


def test_markdown_closed_form_warnings_checks():
    md = render_markdown(sigmoid_report())
    assert "## Closed form" in md
    assert r"$$ \sigma(x) \cdot (1 - \sigma(x)) $$" in md
    assert "✓ **proved.** Equal to the derivative of sigmoid computed by SymPy" in md
    assert "## Warnings\n\n- Sigmoid is smooth: this warning is only a test of the warnings list\n" in md
    assert "- ✓ Jacobian diag(S) - S S^T, n = 2: proved\n" in md
    assert md.endswith("proved\n") and not md.endswith("\n\n")


def test_unicode_dashes_and_quotes_in_math_become_ascii():
    report = sigmoid_report(steps=(step(0, r"f’(x) – g(x) — h(x) − 1", justified=None),))
    md, tex = render_markdown(report), render_latex(report)
    for text in (md, tex):
        assert "f'(x) - g(x) - h(x) - 1" in text
        assert "–" not in text and "’" not in text and "−" not in text


def test_markdown_failures_show_why():
    md = render_markdown(failing_report())
    assert "**Status: failed**" in md
    assert "> rule not justified: chain" in md
    assert "✗ true, but the rule does not justify it" in md
    assert ("Counterexample: at $x = 1$, $z_1 = -0.0324496827218$ the previous line is $2$ "
            "and this line is $3$.") in md
    assert "? not decided" in md and "Not decided: timed out after 10 s" in md
    assert "at $D = 2$ the previous line is `Matrix([[1, 0], [0, 1]])` and this line is `[[1, 1]]`" in md
    assert "expected mistake, but the step is true" in md
    assert "✗ **refuted.** Not equal to the derivative of relu computed by SymPy." in md
    assert "the closed form is $2$ and SymPy's derivative is $1$" in md
    assert "Not decided whether it equals the last line of the derivation: no time left" in md
    assert "Source:" not in md  # empty source, no line


def test_report_with_error_renders():
    report = Report(name="oops", file="oops.toml", title="", source="", activation=None, steps=(),
                    closed_form=None, error="oops.toml:3:1: invalid TOML")
    md = render_markdown(report)
    assert md.startswith("# oops\n") and "**Status: error**" in md and "invalid TOML" in md
    assert r"\begin{document}" in render_latex(report)


def test_rendering_twice_gives_identical_bytes_without_dates_or_paths():
    for render in (render_markdown, render_latex):
        first = render(sigmoid_report()).encode("utf-8")
        assert first == render(sigmoid_report()).encode("utf-8")
        text = first.decode()
        assert "/home/someone" not in text and "derivations/" not in text
        assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b|\\today", text)


# --- view -----------------------------------------------------------------------------

def test_names_values_and_rule_words():
    assert name_math("sigma") == r"\sigma"
    assert name_math("Sigma") == r"\Sigma"
    assert name_math("g_logistic") == r"g_{\text{logistic}}"
    assert name_math("S_i") == "S_i"
    assert name_math("z_12") == "z_{12}"
    assert name_math("u") == "u"
    assert rule_words(("chain",)) == "by the chain rule"
    assert rule_words(("sum", "exp")) == "by sum, exp"
    assert rule_words(()) == ""
    assert value_segment("1/4").text == r"\frac{1}{4}"
    assert value_segment("-1/4").text == r"-\frac{1}{4}"
    assert value_segment("-0.0324496827218").text == "-0.0324496827218"
    assert value_segment("7").kind == "math"
    assert value_segment("Matrix([[1, 0], [0, 1]])").kind == "code"
    assert value_segment("Matrix([[1, 0], [0, 1]])", "tex").text.startswith(r"\left[\begin{smallmatrix}")
    assert value_segment("sqrt(2)/2").kind == "code"


def test_view_groups_refuted_step_in_its_own_box():
    view = build_view(sigmoid_report(), "tex")
    main, case = view.sections
    assert main.heading is None and case.heading == "x > 0"
    kinds = [(group.boxed, [row.step.index for row in group.rows]) for group in main.groups]
    assert kinds == [(False, [0]), (True, [1]), (False, [2]), (False, [3, 4, 5])]
    assert [row.end for row in main.groups[3].rows] == [" \\\\", " \\\\", ""]
    assert main.steps[1].expected_mistake and main.steps[1].boxed


# --- escaping -------------------------------------------------------------------------

def test_escape_tex_specials():
    assert escape_tex(r"# $ % & ~ _ ^ \ { }") == (
        r"\# \$ \% \& \textasciitilde{} \_ \textasciicircum{} \textbackslash{} \{ \}")
    assert escape_tex(r"\input{/etc/passwd}") == r"\textbackslash{}input\{/etc/passwd\}"
    assert escape_tex("σ – ’ … ✓") == r"$\sigma$ -- ' \ldots{} $\checkmark$"
    assert escape_tex("café naïve") == r"caf\'{e} na\"{i}ve"
    assert escape_tex("line\nbreak") == "line break"
    assert escape_tex("[x]") == "{[}x{]}"
    assert escape_tex("漢") == "{?}"


def test_escape_markdown_specials():
    assert escape_markdown("a_b *c* `d` [e](f) <g> # $1 | ~~h~~ & \\") == (
        r"a\_b \*c\* \`d\` \[e\](f) \<g\> \# \$1 \| \~\~h\~\~ \& \\")
    assert escape_markdown("- not a list") == r"\- not a list"
    assert escape_markdown("1. not a list") == r"1\. not a list"
    assert escape_markdown("two\n\nparagraphs") == "two  paragraphs"
    assert markdown_code("a`b") == "``a`b``"


def test_clean_math_neutralises_file_access_and_mode_breakers():
    cleaned = clean_math(r"x \input{/etc/passwd} \write18{ls} 50% $ # ^^5c \def\a{b}")
    assert r"\input" not in cleaned and r"\write" not in cleaned and r"\def" not in cleaned
    assert r"\%" in cleaned and r"\$" in cleaned and r"\#" in cleaned and "^^" not in cleaned
    assert clean_math(r"\frac{a}{b}}") == r"\frac{a}{b}"
    assert clean_math(r"\sqrt{x") == r"\sqrt{x}"
    assert clean_math(r"\left\{ x \right\}") == r"\left\{ x \right\}"
    assert clean_math("σ ≤ 1", "tex") == r"\sigma \leq 1"
    assert clean_math("x <y", "md") == r"x \lt y" and clean_math("x < y", "md") == "x < y"
    assert clean_math(r"\begin{cases} 1 & x > 0 \\ 0 & x \leq 0 \end{cases}") == (
        r"\begin{cases} 1 & x > 0 \\ 0 & x \leq 0 \end{cases}")


def hostile_report() -> Report:
    return sigmoid_report(
        title=INJECTION,
        source=INJECTION,
        steps=(step(0, r"x \input{/etc/passwd} \write18{ls}", justified=None),
               step(1, "y", ("chain",), Refuted((("x", "0"),), r"\input{/etc/passwd}", "1/4"), True,
                    expect="refuted", note=INJECTION, compared_with=0),
               step(2, "x", ("algebra",), compared_with=0, note=INJECTION)),
        warnings=(INJECTION, "[bracket] first"),
        extra_checks=((INJECTION, "proved"),),
    )


def test_injection_strings_are_literal_text_in_markdown():
    md = render_markdown(hostile_report())
    assert md.startswith("# " + escape_markdown(INJECTION) + "\n")
    assert r"\\input{/etc/passwd}" in md
    assert r"`\input{/etc/passwd}`" in md  # a value shown as code
    assert r"\input{" not in md.replace(r"\\input{", "").replace(r"`\input{/etc/passwd}`", "")


def test_injection_strings_are_literal_text_in_latex():
    tex = render_latex(hostile_report())
    body = tex.split(r"\begin{document}", 1)[1]
    assert r"\input{" not in body and r"\write18" not in body
    assert r"\textbackslash{}input\{/etc/passwd\}" in body


@needs_pdflatex
def test_injection_strings_compile_and_do_not_act(tmp_path):
    tex = tmp_path / "hostile.tex"
    write_text_atomically(tex, render_latex(hostile_report()))
    result = run_pdflatex(tex)
    log = (tmp_path / "hostile.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log[-3000:]
    assert "(/etc/passwd" not in log and "runsystem" not in log
    text = pdf_text(tmp_path / "hostile.pdf")
    assert "root:x:0:0" not in text
    assert r"\input{/etc/passwd}" in text and r"\write18{ls}" in text
    assert "#$%&~_^" in text


# --- LaTeX and PDF --------------------------------------------------------------------

def test_latex_document_structure():
    tex = render_latex(sigmoid_report())
    assert tex.startswith("% Generated by symderive")
    assert r"\documentclass[11pt,a4paper,fleqn]{article}" in tex
    for package in (r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}",
                    r"\usepackage[margin=2.5cm]{geometry}", r"\usepackage{amsmath}",
                    r"\usepackage{amssymb}", r"\usepackage{xcolor}"):
        assert package in tex
    assert r"\begin{align*}" in tex and r"\checkmark" in tex and r"\fbox{\parbox" in tex
    assert r"&= \frac{d\sigma}{du} \cdot \frac{du}{dx} \steptag{by the chain rule" in tex
    assert r"\subsection*{Case $x > 0$}" in tex
    assert (r"Counterexample: at $x = 0$ the previous line is $\frac{1}{4}$ and this line is "
            r"$-\frac{1}{4}$.") in tex
    assert tex.endswith("\\end{document}\n")
    assert "\\BLOCK" not in tex and "\\VAR" not in tex


@needs_pdflatex
def test_latex_compiles_to_pdf_with_the_title(tmp_path):
    tex = tmp_path / "sigmoid.tex"
    write_text_atomically(tex, render_latex(sigmoid_report()))
    out = tmp_path / "out"
    pdf = compile_pdf(tex, out)
    assert pdf == out / "sigmoid.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    assert sorted(p.name for p in out.iterdir()) == ["sigmoid.pdf"]  # no .aux/.log left behind
    text = pdf_text(pdf)
    assert "Sigmoid,bythechainrule" in text
    # deterministic: compiling again gives the same bytes
    again = compile_pdf(tex, tmp_path / "again")
    assert again.read_bytes() == data


@needs_pdflatex
def test_failing_report_compiles(tmp_path):
    tex = tmp_path / "bad.tex"
    write_text_atomically(tex, render_latex(failing_report()))
    assert compile_pdf(tex, tmp_path).is_file()


@needs_pdflatex
def test_compile_pdf_reports_the_first_latex_error(tmp_path):
    tex = tmp_path / "broken.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\n\\nosuchcommand\n\\end{document}\n")
    with pytest.raises(SymderiveError) as caught:
        compile_pdf(tex, tmp_path / "out")
    assert "Undefined control sequence" in str(caught.value) and "broken.tex" in str(caught.value)
    assert not (tmp_path / "out" / "broken.pdf").exists()


def test_compile_pdf_without_pdflatex_raises(tmp_path, monkeypatch):
    tex = tmp_path / "sigmoid.tex"
    write_text_atomically(tex, render_latex(sigmoid_report()))
    monkeypatch.setenv("PATH", "")
    with pytest.raises(SymderiveError, match="pdflatex"):
        compile_pdf(tex, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- atomic writes ------------------------------------------------------------------------

def test_write_text_atomically_replaces_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "doc.md"
    write_text_atomically(path, "first\n")
    write_text_atomically(path, "second ✓\r\n")
    assert path.read_bytes() == "second ✓\r\n".encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_write_text_atomically_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "doc.md"
    write_text_atomically(path, "old\n")

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_text_atomically(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_a_title_shows_its_dollar_parts_as_math_and_the_rest_as_prose():
    from symderive.render.values import Segment, title_sentence

    assert title_sentence(r"Sigmoid via $u = 1 + e^{-x}$, by cases $i \neq k$", "tex") == (
        Segment("text", "Sigmoid via "), Segment("math", "u = 1 + e^{-x}"),
        Segment("text", ", by cases "), Segment("math", r"i \neq k"))
    assert title_sentence("no math, 5 \\$ only", "md") == (Segment("text", "no math, 5 \\$ only"),)
    # math in a title is made safe as every formula is: no file access from a title
    (_, math), = [title_sentence(r"x $\input{/etc/passwd}$", "tex")]
    assert math.kind == "math" and "\\input" not in math.text
