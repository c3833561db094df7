"""The Python API: symderive.verify/check_post/derive/render_documents/catalog, lazy
loading (no SymPy on import or --help), and the Jupyter representations."""

import json
import shutil
import subprocess
import sys

import pytest

import symderive
from library import LIBRARY, ROOT, run_cli

GOOD = LIBRARY / "001_identity_scalar.toml"
REFUTED = LIBRARY / "000_sigmoid_chain_rule.toml"
SEED = ROOT / "examples" / "posts" / "001_561817a480d84ffc.txt"


def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_import_does_not_load_sympy():
    result = run_python("import symderive; import sys; assert 'sympy' not in sys.modules, 'sympy loaded'")
    assert result.returncode == 0, result.stderr


def test_help_does_not_load_sympy():
    code = ("import sys\nfrom symderive.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "main(['verify', '--help'])\nassert 'sympy' not in sys.modules, 'sympy loaded'\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "--format" in result.stdout and "exit codes" in result.stdout


def test_the_api_names_are_listed_and_unknown_names_fail():
    assert {"verify", "check_post", "derive", "derive_toml", "render_documents", "catalog"} <= set(symderive.__all__)
    assert {"verify", "catalog"} <= set(dir(symderive))
    with pytest.raises(AttributeError):
        symderive.no_such_thing  # noqa: B018


def test_verify_a_file_matches_the_cli(capsys):
    report = symderive.verify(REFUTED)
    _, out, _ = run_cli(["verify", REFUTED, "--format", "json"], capsys)
    data = json.loads(out)["derivations"][0]
    assert report.status == data["status"]
    assert [s.verdict for s in report.steps] == [s["verdict"] for s in data["steps"]]
    assert symderive.verify(str(REFUTED)).status == report.status


def test_verify_a_folder_gives_one_report_per_file(tmp_path):
    for path in (GOOD, REFUTED):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "wrong.toml").write_text(GOOD.read_text(encoding="utf-8").replace("latex = '1'", "latex = '2'"),
                                         encoding="utf-8")
    reports = symderive.verify(tmp_path)
    assert [r.name for r in reports] == ["000_sigmoid_chain_rule", "001_identity_scalar", "wrong"]
    assert [r.status for r in reports] == ["verified", "verified", "failed"]
    assert [r.name for r in symderive.verify([GOOD, REFUTED])] == ["001_identity_scalar", "000_sigmoid_chain_rule"]


def test_verify_toml_text_and_bad_input():
    text = GOOD.read_text(encoding="utf-8")
    assert symderive.verify(text).status == "verified"
    wrong = symderive.verify(text.replace("latex = '1'", "latex = '2'"))
    assert wrong.status == "failed" and any(s.verdict == "refuted" for s in wrong.steps)
    broken = symderive.verify('title = "t"\n[[steps]]\nlatex = \'\\frac{1}{x\'\n')
    assert broken.status == "error" and broken.error.startswith("<string>.toml:3:")
    missing = symderive.verify(ROOT / "no-such-file.toml")
    assert missing.status == "error" and "no such file" in missing.error


def test_check_post_text_and_path():
    report = symderive.check_post(SEED.read_text(encoding="utf-8"), str(SEED))
    assert report.status == "failed" and report.counts()["refuted"] == 1
    assert symderive.check_post(SEED).counts() == report.counts()
    assert symderive.check_post("$$ \\frac{d}{dx} x^2 = 2x $$").status == "verified"


def test_derive_a_name_latex_and_a_sympy_expression():
    import sympy

    report = symderive.derive("sigmoid")
    assert report.status == "verified" and len(report.steps) >= 3 and report.name == "derived_sigmoid"
    assert symderive.derive(r"\tanh(x^2)").status == "verified"
    t = sympy.Symbol("t")
    from_sympy = symderive.derive(sympy.exp(2 * t) * sympy.sin(t), wrt="t")
    assert from_sympy.status == "verified"
    toml = symderive.derive_toml("sigmoid")
    assert "[[steps]]" in toml and symderive.verify(toml).status == "verified"


def test_each_name_is_one_thing_whatever_was_imported_before():
    """symderive.derive is the API function and symderive.render the renderer
    package, even after the generator and the renderer's modules are imported."""
    result = run_python(
        "import types\n"
        "import symderive\n"
        "import symderive.render.pdf as pdf\n"
        "import symderive.generate\n"
        "from symderive import derive, render\n"
        "from symderive.generate import derive_latex\n"
        "assert derive is symderive.derive and isinstance(derive, types.FunctionType)\n"
        "assert isinstance(render, types.ModuleType) and render is symderive.render\n"
        "assert callable(pdf.compile_pdf) and callable(derive_latex)\n"
        "report = derive('sigmoid')\n"
        "assert report.status == 'verified', report.status\n"
        "assert symderive.render_documents(report).startswith('# ')\n"
        "assert symderive.render_documents(report, to='tex').startswith('%')\n")
    assert result.returncode == 0, result.stderr


def test_render_text_and_files(tmp_path):
    report = symderive.verify(REFUTED)
    from symderive.render import render_latex, render_markdown

    assert symderive.render_documents(report) == render_markdown(report)
    assert symderive.render_documents([report], to="tex") == render_latex(report)
    written = symderive.render_documents([report, symderive.verify("title = \n")], tmp_path, to="md,tex")
    assert sorted(p.name for p in written if p.suffix in (".md", ".tex")) == [
        "000_sigmoid_chain_rule.md", "000_sigmoid_chain_rule.tex"]
    assert (tmp_path / "000_sigmoid_chain_rule.md").read_text(encoding="utf-8").startswith("# Sigmoid")
    from symderive.errors import SymderiveError

    with pytest.raises(SymderiveError):
        symderive.render_documents(report, to="docx")


def test_catalog_gives_expressions_and_derivatives():
    import sympy

    sigmoid = symderive.catalog.ACTIVATIONS["sigmoid"]
    assert sympy.simplify(sympy.diff(sigmoid.expr, sigmoid.variable) - sigmoid.derivative) == 0
    assert symderive.catalog.lookup("logistic") is sigmoid


# ---- Jupyter representations -------------------------------------------------

def test_report_reprs_come_from_the_renderers():
    from symderive.render import render_latex, render_markdown

    report = symderive.verify(REFUTED)
    assert report._repr_markdown_() == render_markdown(report)
    latex = report._repr_latex_()
    assert latex.startswith("\\begingroup") and latex.rstrip().endswith("\\endgroup")
    assert "\\documentclass" not in latex and "\\begin{document}" not in latex
    body = render_latex(report).split("\\begin{document}")[1].split("\\end{document}")[0].strip()
    assert body in latex


def test_step_reprs_show_rule_verdict_and_counterexample():
    report = symderive.verify(REFUTED)
    mistake = next(s for s in report.steps if s.expect == "refuted")
    markdown = mistake._repr_markdown_()
    assert f"Step {mistake.index} by chain" in markdown and "refuted as expected" in markdown
    assert "$$" in markdown and "Counterexample" in markdown and "`x = 0`" in markdown
    latex = mistake._repr_latex_()
    assert latex.startswith("\\begin{equation*}") and "\\tag*" in latex


def test_error_report_reprs():
    broken = symderive.verify('title = "t"\n[[steps]]\nlatex = \'\\frac{1}{x\'\n')
    assert "error" in broken._repr_markdown_() and "unclosed" in broken._repr_markdown_()
    assert "\\textbf" in broken._repr_latex_()


def test_derivation_reprs_show_every_step_with_its_rule():
    import symderive.api  # noqa: F401  (registers the displays, as any API call does; not by test order)
    from symderive.derivation import load

    derivation = load(LIBRARY / "000_relu_cases.toml")
    markdown = derivation._repr_markdown_()
    assert markdown.startswith(f"### {derivation.title.split(',')[0]}")
    assert markdown.count("$$") >= 2 * len(derivation.all_steps())
    latex = derivation._repr_latex_()
    assert latex.startswith("\\begin{align*}") and latex.count("\\tag*") == len(derivation.all_steps())
    assert "\\text{if }" in latex  # the case conditions


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed (.ci/run installs it)")
def test_report_latex_fragments_compile_twice_in_one_document(tmp_path):
    """What nbconvert's LaTeX export does with two reports' text/latex outputs."""
    fragments = [symderive.verify(p)._repr_latex_() for p in (REFUTED, LIBRARY / "000_relu_cases.toml")]
    step = symderive.verify(REFUTED).steps[1]._repr_latex_()
    from symderive.derivation import load

    derivation_latex = load(REFUTED)._repr_latex_()
    document = ("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{amssymb}\n\\usepackage{xcolor}\n"
                "\\begin{document}\n" + "\n".join([*fragments, step, derivation_latex]) + "\n\\end{document}\n")
    tex = tmp_path / "notebook.tex"
    tex.write_text(document, encoding="utf-8")
    result = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                             tex.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
