"""The PDF booklet (``render --to pdf``): title page, contents, one section per
derivation with its steps aligned and annotated, refuted steps boxed with
their counterexample, closed and output-only forms, the plot of f and f'.

The PDF tests need pdflatex and pdftotext (.ci/run installs both): they fail
when CI is set and either is missing, and are skipped only on a developer
machine without them.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from library import FILES, LIBRARY, run_cli
from symderive import batch
from symderive.cli import main
from symderive.render.values import title_sentence
from symderive.errors import SymderiveError
from symderive.evidence import Proved, Refuted
from symderive.render import booklet as booklet_module
from symderive.render.booklet import BOOKLET_NAME, NO_MATPLOTLIB, build_booklet_view, render_booklet
from symderive.render.pdf import compile_pdf
from symderive.report import ClosedFormReport, Report, StepReport


def needs_tools():
    missing = [tool for tool in ("pdflatex", "pdftotext") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing; .ci/run installs TeX Live and poppler-utils")
        pytest.skip(f"{', '.join(missing)} not installed (local run only; CI installs them)")


def pdf_text(path: Path, layout: bool = False) -> str:
    options = ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True,
                          timeout=120).stdout.decode("utf-8")


def flat(text: str) -> str:
    """Text with whitespace removed and the PDF's typographic characters
    back to ASCII, to compare titles written in the derivation files."""
    for typographic, ascii_ in (("ˆ", "^"), ("’", "'"), ("‘", "`"), ("−", "-"), ("–", "--"), ("—", "---")):
        text = text.replace(typographic, ascii_)
    return re.sub(r"\s+", "", text)


def step(index, latex, rules=(), evidence=Proved("structural equality"), justified=True, **extra):
    return StepReport(index=index, line=10 + index, column=1, latex=latex, rules=tuple(rules),
                      evidence=evidence, justified=justified, **extra)


def wrong_report(name="wrong_tanh", title="Tanh with a sign slip") -> Report:
    """A failed derivation: step 2 is refuted at a point with distinctive values."""
    steps = (
        step(0, r"\frac{d}{dx} \tanh(x)", justified=None),
        step(1, r"1 - \tanh^2(x)", ("hyperbolic",), compared_with=0),
        step(2, r"1 + \tanh^2(x)", ("algebra",), Refuted((("x", "0.75"),), "0.5966", "1.4034"), None,
             compared_with=1),
    )
    return Report(name=name, file=f"{name}.toml", title=title, source="", activation="tanh", steps=steps,
                  closed_form=ClosedFormReport(r"1 - \tanh^2(x)", 20, Proved("exp-rational normal form"),
                                               Proved("structural equality")),
                  extra_checks=(("backward from the cached output y: f'(x) = 1 - y**2", "proved"),),
                  output_forms=(("f'(x) = 1 - y^{2}", "proved"),))


# --- the view and the LaTeX source (no pdflatex) -----------------------------------

def test_booklet_source_has_title_page_contents_and_a_section_per_derivation():
    reports = [wrong_report(), wrong_report("other", "A second derivation")]
    source = render_booklet(reports)
    assert r"\begin{titlepage}" in source and r"\tableofcontents" in source
    assert source.count(r"\section{") == 2
    assert r"\section{Tanh with a sign slip}" in source
    assert "2 derivations: 2 failed" in source
    assert r"\fbox{" in source            # the refuted step is boxed
    assert r"\steptag{by the hyperbolic derivatives\quad" in source  # rule in the margin
    assert r"$\checkmark$" in source       # the mark of a proved step
    assert r"f'(x) = 1 - y^{2}" in source and "y**2" not in source  # the output-only form, as math
    assert r"f(x) = \tanh{\left(x \right)}" in source  # the catalog's definition


def test_families_are_parts_in_their_order_and_one_family_has_no_part():
    reports = [wrong_report("layer_dense", "Dense layer"), wrong_report("loss_mse", "Mean squared error"),
               wrong_report("tanh", "Tanh"), wrong_report("loss_mae", "Mean absolute error")]
    view = build_booklet_view(reports)
    assert [(part.title, [c.doc.heading for c in part.chapters]) for part in view.parts] == [
        ("Activations", [build_booklet_view([reports[2]]).chapters[0].doc.heading]),
        ("Losses", [c.doc.heading for c in build_booklet_view([reports[1], reports[3]]).chapters]),
        ("Layers and models", [build_booklet_view([reports[0]]).chapters[0].doc.heading]),
    ]
    source = render_booklet(reports)
    parts = [source.index(rf"\part{{{title}}}") for title in ("Activations", "Losses", "Layers and models")]
    assert parts == sorted(parts)
    assert parts[0] < source.index(r"\section{Tanh}") < parts[1] < source.index(r"\section{Mean squared error}")
    assert source.index(r"\section{Mean absolute error}") < parts[2] < source.index(r"\section{Dense layer}")
    assert r"\part{" not in render_booklet([reports[1], reports[3]])


def test_output_only_forms_are_separate_from_other_checks():
    report = wrong_report()
    report = Report(**{**report.__dict__, "extra_checks": report.extra_checks + (("Jacobian n = 2", "proved"),)})
    chapter = build_booklet_view([report]).chapters[0]
    assert [form.verdict for form in chapter.output_forms] == ["proved"]
    assert [check.description for check in chapter.checks] == ["Jacobian n = 2"]
    assert chapter.output_note == ""


def test_scalar_activation_without_output_form_says_so():
    report = Report(**{**wrong_report().__dict__, "extra_checks": (), "output_forms": ()})
    chapter = build_booklet_view([report]).chapters[0]
    assert chapter.output_forms == () and "not a function of the output" in chapter.output_note


def test_without_matplotlib_the_booklet_says_why_there_is_no_plot(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    figures, files = booklet_module.figures_for([wrong_report()])
    assert files == {}
    assert figures["wrong_tanh"].note == NO_MATPLOTLIB
    source = render_booklet([wrong_report()], figures)
    assert r"\includegraphics" not in source and "needs matplotlib" in source


def test_figures_are_pdf_files_one_per_activation():
    pytest.importorskip("matplotlib")
    figures, files = booklet_module.figures_for([wrong_report(), wrong_report("again", "Again")])
    assert list(files) == ["plot-tanh.pdf"]
    assert files["plot-tanh.pdf"].startswith(b"%PDF")
    assert figures["wrong_tanh"].file == figures["again"].file == "plot-tanh.pdf"


def test_compile_pdf_keeps_document_files_inside_the_build_folder(tmp_path):
    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    with pytest.raises(SymderiveError, match="build folder"):
        compile_pdf(tex, tmp_path / "out", files={"../escape.pdf": b"%PDF"})


# --- the CLI ------------------------------------------------------------------------

def test_missing_pdflatex_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    pdf = importlib.import_module("symderive.render.pdf")

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    code, out, err = run_cli(["render", FILES[0], "--out", tmp_path / "out", "--to", "md,pdf"], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "pdflatex is not installed" in err
    assert not (tmp_path / "out").exists()  # nothing written


def test_pdf_each_needs_pdf(tmp_path, capsys):
    code, _, err = run_cli(["render", FILES[0], "--out", tmp_path, "--to", "md", "--pdf-each"], capsys)
    assert code == 2 and "--pdf-each" in err


def test_pdf_each_writes_a_pdf_per_derivation_beside_the_booklet(tmp_path, capsys):
    needs_tools()
    path = LIBRARY / "000_sigmoid_chain_rule.toml"
    code, out, err = run_cli(["render", path, "--out", tmp_path, "--to", "pdf", "--pdf-each"], capsys)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == [
        "000_sigmoid_chain_rule.pdf", f"{BOOKLET_NAME}.pdf"]
    assert "Sigmoid, by the chain rule" in pdf_text(tmp_path / "000_sigmoid_chain_rule.pdf")


def test_a_refuted_step_shows_its_counterexample_in_the_pdf(tmp_path):
    needs_tools()
    pdf = booklet_module.write_booklet([wrong_report()], tmp_path)
    text = pdf_text(pdf)
    assert "Tanh with a sign slip" in text
    assert "Counterexample: at x = 0.75 the previous line is 0.5966 and this line is 1.4034." in text
    assert "1 derivation: 1 failed" in text


# --- the whole library ------------------------------------------------------------------

@pytest.fixture(scope="module")
def library_output(tmp_path_factory):
    """``render --to md,tex,pdf`` of the library into an empty folder."""
    needs_tools()
    out = tmp_path_factory.mktemp("output")
    assert main(["render", str(LIBRARY), "--out", str(out), "--to", "md,tex,pdf"]) == 0
    return out


def test_render_builds_output_from_scratch(library_output):
    names = sorted(p.stem for p in FILES)
    assert sorted(p.stem for p in library_output.glob("*.md")) == names
    assert sorted(p.stem for p in library_output.glob("*.tex")) == names
    assert sorted(p.name for p in library_output.glob("*.pdf")) == [f"{BOOKLET_NAME}.pdf"]


def test_booklet_names_every_derivation_and_every_counterexample(library_output):
    reports = [report for _, report in batch.verify_files([LIBRARY])]
    text = pdf_text(library_output / f"{BOOKLET_NAME}.pdf")
    flattened = flat(text)
    for report in reports:  # the prose of each title; its $...$ parts are typeset as math
        for segment in title_sentence(report.title, "tex"):
            if segment.kind == "text":
                assert flat(segment.text) in flattened, report.title
    refuted = sum(isinstance(s.evidence, Refuted) for r in reports for s in r.steps)
    refuted += sum(isinstance(r.closed_form.evidence, Refuted) + isinstance(r.closed_form.chain_end, Refuted)
                   for r in reports if r.closed_form is not None)
    assert refuted > 0
    assert text.count("Counterexample:") == refuted
    assert "Contents" in text and f"{len(reports)} derivations" in text


def test_rules_are_on_the_line_of_their_step(library_output):
    """In the layout text the rule and the mark sit on the line of the step's
    math (tags in the right margin), e.g. the last sigmoid step."""
    lines = pdf_text(library_output / f"{BOOKLET_NAME}.pdf", layout=True).splitlines()
    line = next(line for line in lines if "by definition, algebra" in line)
    assert re.search(r"=\s*σ\(x\)\s*·\s*\(1\s*−\s*σ\(x\)\)\s+by definition, algebra\s+✓", line), line
    tagged = [line for line in lines if re.search(r"\bby (the|cases|algebra|definition|substitution)", line)]
    assert len(tagged) > 50
    assert sum("✓" in line for line in tagged) > 50
