"""The Python API: ``symderive.verify``, ``check_post``, ``derive``,
``derive_toml`` and ``render_documents`` (``symderive/__init__.py`` loads
this module on first use, so ``import symderive`` stays free of SymPy).

Importing it registers the Jupyter displays of reports (``render/notebook.py``).
Bad input never raises here: like the CLI, it becomes a ``Report`` whose
``error`` says ``file:line:column: message`` and whose status is "error".
"""

from __future__ import annotations

import os
from pathlib import Path

import sympy

from .batch import bad_input, verify_files
from .catalog import lookup, lookup_backprop
from .derivation import loads
from .documents import write_documents
from .engine import verify_derivation
from .errors import Origin, SymderiveError
from .generate import derive as derive_expression, generate
from .post.check import check_post as check
from .render import notebook  # noqa: F401 (registers how reports, steps and derivations display in Jupyter)
from .render import render_latex, render_markdown
from .evidence import Verdict
from .report import VERIFIED, Report
from .settings import DEFAULT_TIMEOUT, Settings

__all__ = ["verify", "verify_text", "check_post", "derive", "derive_toml", "derived", "render_documents"]


def _looks_like_text(source: str) -> bool:
    """TOML text rather than a path: it has a line break, or an ``=`` and is
    not an existing path."""
    return "\n" in source or ("=" in source and not Path(source).exists())


def _settings(timeout: float | None) -> Settings:
    return Settings() if timeout is None else Settings(timeout=timeout)


def verify_text(text: str, file: str = "<string>.toml", timeout: float | None = None) -> Report:
    """The Report of a derivation given as the text of a TOML file."""
    name = Path(file).stem
    try:
        return verify_derivation(loads(text, file, name), _settings(timeout))
    except SymderiveError as error:
        return bad_input(file, str(error), name)
    except RecursionError:
        return bad_input(file, f"{file}:1:1: input too deeply nested", name)


def verify(source, timeout: float | None = None):
    """Prove or refute every step.

    ``source`` is a derivation file (→ its ``Report``), a folder (→ a list
    of Reports, one per ``*.toml`` in name order), the text of a derivation
    file (→ its ``Report``), or a list of files and folders (→ a list)."""
    if isinstance(source, str) and _looks_like_text(source):
        return verify_text(source, timeout=timeout)
    settings = _settings(timeout)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        reports = [r for _, r in verify_files([path], settings)]
        return reports if path.is_dir() else reports[0]
    return [r for _, r in verify_files([Path(p) for p in source], settings)]


def check_post(text, file: str = "<post>", timeout: float | None = None):
    """The PostReport of a post: ``text`` is the post itself (Markdown,
    LaTeX or plain text with math delimiters), or a path object to read."""
    if isinstance(text, os.PathLike):
        file = str(text)
        try:
            text = Path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SymderiveError(f"cannot read: {error}", Origin(file, 1, 1)) from error
    return check(text, file, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)


def derive(expression, wrt=None) -> Report:
    """The verified Report of a generated derivation, one named rule per step.

    ``expression`` is a catalog name ("sigmoid", "mse", "batch_norm"), LaTeX
    text (``r"\\tanh(x^2)"``) or a SymPy expression; ``wrt`` the variable (a
    name or a SymPy symbol, default x), or for a loss or layer the input
    ("W", "x"; default its first). The generated TOML is
    ``symderive.derive_toml(...)``."""
    return derived(expression, wrt)[1]


def derive_toml(expression, wrt=None) -> str:
    """The text of the derivation file ``derive`` verifies."""
    return derived(expression, wrt)[0]


def derived(expression, wrt=None) -> tuple[str, Report]:
    """The generated derivation file and its Report. Where every step but a
    last ``algebra`` step to the catalog's compact formula is proved and
    that one is not, the derivation is made again without it: it then ends,
    verified, at the rules' last line."""
    entry = (lookup(expression) or lookup_backprop(expression)) if isinstance(expression, str) else None
    name = f"derived_{entry.name if entry else 'expression'}"  # the file name render writes
    toml = _generated(expression, wrt, close=True)
    report = verify_derivation(loads(toml, "<derived>.toml", name))
    *rules, last = report.steps or (None,)
    if (report.status != VERIFIED and last is not None and last.rules == ("algebra",)
            and last.verdict is not Verdict.PROVED and all(s.verdict is Verdict.PROVED for s in rules)):
        toml = _generated(expression, wrt, close=False)
        report = verify_derivation(loads(toml, "<derived>.toml", name))
    return toml, report


def _generated(expression, wrt, close: bool) -> str:
    if isinstance(expression, str):
        return generate(expression, None if wrt is None else str(wrt), close).toml
    if not isinstance(expression, sympy.Basic):
        raise SymderiveError(f"derive: expected a name, LaTeX text or a SymPy expression, not {type(expression).__name__}")
    if wrt is None or isinstance(wrt, str):
        named = [s for s in expression.free_symbols if s.name == (wrt or "x")]
        wrt = named[0] if named else sympy.Symbol(wrt or "x", real=True)
    return derive_expression(expression, wrt, name="expression").toml


def render_documents(reports, out=None, to="md"):
    """Documents of ``reports`` (one Report or a list).

    Without ``out``: the Markdown (``to="md"``) or LaTeX (``to="tex"``)
    text, reports separated by a blank line. With ``out``: the files
    written into that folder for each format of ``to`` ("md,tex,pdf" or a
    list), as ``symderive render`` writes them; returns their paths.
    Reports of bad input are left out."""
    single = isinstance(reports, Report)
    reports = [r for r in ([reports] if single else list(reports)) if r.error is None]
    formats = [f.strip() for f in (to.split(",") if isinstance(to, str) else to) if f.strip()]
    unknown = set(formats) - {"md", "tex", "pdf"}
    if unknown or not formats:
        raise SymderiveError(f"render: unknown format {', '.join(sorted(unknown)) or '(none)'}; use md, tex or pdf")
    if out is None:
        if formats not in (["md"], ["tex"]):
            raise SymderiveError("render: without `out`, `to` is one of md or tex")
        renderer = render_markdown if formats == ["md"] else render_latex
        return "\n".join(renderer(r) for r in reports)
    return write_documents(reports, Path(out), formats)
