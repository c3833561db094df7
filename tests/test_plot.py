"""Plots of f and f': deterministic SVG, one per scalar activation, and a
clear error without matplotlib."""

import sys

import pytest

from library import run_cli
from symderive.catalog import ACTIVATIONS
from symderive.errors import SymderiveError
from symderive.plot import plot_svg

SCALAR = sorted(n for n, a in ACTIVATIONS.items() if not a.vector)


@pytest.mark.parametrize("name", SCALAR)
def test_plot_is_deterministic_svg(name):
    first, second = plot_svg(ACTIVATIONS[name]), plot_svg(ACTIVATIONS[name])
    assert first == second and first.lstrip().startswith("<?xml")
    assert "<path" in first


def test_plot_command_writes_files(tmp_path, capsys):
    code, out, _ = run_cli(["plot", "sigmoid", "tanh", "--out", tmp_path], capsys)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sigmoid.svg", "tanh.svg"]
    assert run_cli(["plot", "no_such_activation", "--out", tmp_path], capsys)[0] == 2


def test_without_matplotlib_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(SymderiveError, match="symderive\\[plot\\]"):
        plot_svg(ACTIVATIONS["sigmoid"])


def test_render_without_matplotlib_writes_every_document_and_says_so_once(monkeypatch, tmp_path, capsys):
    """The plot extra is optional: without it, render --to md,tex (and pdf
    where pdflatex exists) still writes every document, without figures, and
    one line on stderr says how to get them."""
    import shutil

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    wanted = "md,tex,pdf" if shutil.which("pdflatex") else "md,tex"
    files = ["derivations/000_sigmoid_chain_rule.toml", "derivations/gelu.toml"]
    code, out, err = run_cli(["render", *files, "--out", tmp_path, "--to", wanted, "--no-cache"], capsys)
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    expected = ["000_sigmoid_chain_rule.md", "000_sigmoid_chain_rule.tex", "gelu.md", "gelu.tex"]
    if "pdf" in wanted:
        expected.append("symderive.pdf")
    assert names == sorted(expected)
    assert err.count("symderive[plot]") == 1
    assert "plots/" not in (tmp_path / "gelu.md").read_text(encoding="utf-8")
