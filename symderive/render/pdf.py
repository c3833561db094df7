"""Compile LaTeX to PDF with pdflatex.

``compile_pdf`` runs pdflatex without shell escape, non-interactively and
stopping at the first error, in a private temporary folder (so no auxiliary
file reaches the output folder), under a time limit, with a fixed
SOURCE_DATE_EPOCH so the PDF is the same on every run; it runs pdflatex again
while a table of contents or cross-references change (up to ``MAX_RUNS``);
then it copies the PDF into place atomically. Figures a document includes
are passed as ``files`` and placed beside it in the temporary folder. Any failure is a SymderiveError naming the cause (the
first LaTeX error line of the log).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SymderiveError
from ..files import write_bytes_atomically, write_text_atomically  # noqa: F401 (post/importer imports it from here)

__all__ = ["compile_pdf", "require_pdflatex", "PDFLATEX_TIMEOUT"]

PDFLATEX = "pdflatex"
PDFLATEX_TIMEOUT = 60.0
PDFLATEX_ARGS = ("-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error")
_RERUN_MARKERS = ("Rerun to get", "Label(s) may have changed", "There were undefined references")
MAX_RUNS = 4
MISSING_PDFLATEX = ("pdflatex is not installed or not on PATH; install TeX Live (Debian: texlive-latex-base "
                    "texlive-latex-recommended texlive-fonts-recommended lmodern) or render with --to md,tex")


def _first_error(log: str) -> str:
    """The first LaTeX error of a log ("! Undefined control sequence." and
    the line it happened on), or its last non-empty line."""
    lines = log.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("!"):
            message = line.lstrip("! ").strip()
            for following in lines[number + 1:number + 8]:
                if following.startswith("l."):
                    return f"{message} ({following.strip()})"
            return message
    tail = [line.strip() for line in lines if line.strip()]
    return tail[-1] if tail else "no log written"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "SOURCE_DATE_EPOCH": "0",
        "FORCE_SOURCE_DATE": "1",
        # kpathsea: no reading or writing outside the working folder and the TeX tree.
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
    })
    return env


def _run(pdflatex: str, folder: Path, name: str, timeout: float) -> tuple[int, str]:
    try:
        result = subprocess.run(
            [pdflatex, *PDFLATEX_ARGS, name], cwd=folder, env=_environment(),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise SymderiveError(f"pdflatex did not finish {name} within {timeout:g} s") from error
    except OSError as error:
        raise SymderiveError(f"cannot run pdflatex: {error}") from error
    log_path = folder / (Path(name).stem + ".log")
    if log_path.is_file():
        log = log_path.read_text(encoding="utf-8", errors="replace")
    else:
        log = result.stdout.decode("utf-8", errors="replace")
    return result.returncode, log


def require_pdflatex() -> str:
    """The path of pdflatex; a SymderiveError saying how to install it when
    it is missing."""
    pdflatex = shutil.which(PDFLATEX)
    if pdflatex is None:
        raise SymderiveError(MISSING_PDFLATEX)
    return pdflatex


def compile_pdf(tex_path: Path, out_dir: Path, timeout: float = PDFLATEX_TIMEOUT,
                files: dict[str, bytes] | None = None) -> Path:
    """Compile ``tex_path`` with pdflatex and place ``<stem>.pdf`` in ``out_dir``;
    returns the PDF's path. ``files`` maps relative names (e.g.
    "figures/sigmoid.pdf") to the bytes of files the document reads. Raises
    SymderiveError when pdflatex is missing, fails (with the first LaTeX
    error of the log) or times out."""
    tex_path, out_dir = Path(tex_path), Path(out_dir)
    pdflatex = require_pdflatex()
    try:
        source = tex_path.read_bytes()
    except OSError as error:
        raise SymderiveError(f"cannot read {tex_path.name}: {error.strerror or error}") from error
    name = tex_path.name if tex_path.suffix == ".tex" else f"{tex_path.name}.tex"
    stem = Path(name).stem
    with tempfile.TemporaryDirectory(prefix="symderive-pdf-") as temp:
        folder = Path(temp)
        (folder / name).write_bytes(source)
        for relative, data in (files or {}).items():
            if Path(relative).is_absolute() or ".." in Path(relative).parts:
                raise SymderiveError(f"a document file must stay in the build folder: {relative}")
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        toc = folder / f"{stem}.toc"
        for attempt in range(MAX_RUNS):
            before = toc.read_bytes() if toc.is_file() else None
            code, log = _run(pdflatex, folder, name, timeout)
            if code != 0:
                raise SymderiveError(f"pdflatex failed on {tex_path.name}: {_first_error(log)}")
            after = toc.read_bytes() if toc.is_file() else None
            if after == before and not any(marker in log for marker in _RERUN_MARKERS):
                break
        pdf = folder / f"{stem}.pdf"
        if not pdf.is_file():
            raise SymderiveError(f"pdflatex wrote no PDF for {tex_path.name}: {_first_error(log)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{stem}.pdf"
        write_bytes_atomically(target, pdf.read_bytes())
    return target
