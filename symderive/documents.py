"""Write the rendered documents of verified reports to a folder, all or
nothing: every file is made in a staging folder next to the output folder
and moved in only once all of them are made, with SIGINT and SIGTERM held
back during the moves. A run that fails or is interrupted before that
leaves the output folder byte-identical to before (and removes the staging
folder); each move is a rename, so a reader never sees half a file."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .catalog import lookup
from .files import write_text_atomically
from .plot import available, write_plots
from .render import render_latex, render_markdown
from .render.booklet import write_booklet
from .render.pdf import compile_pdf, require_pdflatex

HELD_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


def write_documents(reports, out: Path, formats: list[str], pdf_each: bool = False) -> list[Path]:
    """The documents of ``reports`` in ``out`` (see ``make_documents``);
    the paths written. Nothing in ``out`` changes unless all are made."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with staging_folder(out) as stage:
        made = make_documents(reports, stage, formats, pdf_each)
        return publish(made, stage, out)


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh hidden folder beside ``out`` (same file system, so files can be
    renamed across), removed afterwards whatever happens."""
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(made: list[Path], stage: Path, out: Path) -> list[Path]:
    """Move every file made in ``stage`` to the same place under ``out``;
    signals that would stop the process wait until all are moved."""
    targets = [out / path.relative_to(stage) for path in made]
    with held_signals():
        for path, target in zip(made, targets):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    return targets


@contextmanager
def held_signals() -> Iterator[None]:
    """Block SIGINT and SIGTERM (delivered when the block ends), where the
    platform can; elsewhere the moves simply run unprotected."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def make_documents(reports, out: Path, formats: list[str], pdf_each: bool = False) -> list[Path]:
    """"pdf" in ``formats`` is the booklet ``out/symderive.pdf`` of all the
    reports; ``pdf_each`` adds one PDF per report (compiled from its .tex)."""
    if "pdf" in formats:
        require_pdflatex()  # before writing anything
    pdf_each = pdf_each and "pdf" in formats
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for report in reports:
        if "md" in formats:
            plot = _plot(report, out, written)
            path = out / f"{report.name}.md"
            write_text_atomically(path, render_markdown(report, plot))
            written.append(path)
        if "tex" in formats or pdf_each:
            tex = out / f"{report.name}.tex"
            write_text_atomically(tex, render_latex(report))
            if "tex" in formats:
                written.append(tex)
            if pdf_each:
                written.append(compile_pdf(tex, out))
    if "pdf" in formats:
        written.append(write_booklet(list(reports), out))
    return written


def _plot(report, out: Path, written: list) -> str:
    """The figure of the report's activation, written once into out/plots/;
    its path relative to out, or "" when there is none to draw (a vector
    activation, or no matplotlib: the document goes without its figure)."""
    activation = lookup(report.activation) if report.activation else None
    if activation is None or activation.vector or not available():
        return ""
    path = out / "plots" / f"{activation.name}.svg"
    if path not in written:
        written.extend(write_plots([activation.name], out / "plots"))
    return f"plots/{activation.name}.svg"
