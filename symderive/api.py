"""The library's entry points; the CLI is a thin layer over these."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from .errors import Origin, SymderiveError

DEFAULT_LIBRARY = Path("derivations")


def derivation_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[SymderiveError]]:
    """The .toml files named by ``paths`` (folders are searched, sorted),
    and an error for each path that does not exist."""
    files, errors = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*.toml")))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(SymderiveError("no such file or folder", Origin(str(path), 1, 1)))
    return files, errors


def verify_file(path: Path, settings=None):
    """The Report of one derivation file; bad input becomes a Report with ``error``."""
    from .derivation import load
    from .engine import Settings, verify_derivation
    from .report import Report

    try:
        derivation = load(path)
        return derivation, verify_derivation(derivation, settings or Settings())
    except SymderiveError as error:
        return None, Report(name=path.stem, file=str(path), title="", source="", activation=None,
                            steps=(), closed_form=None, error=str(error))
    except RecursionError as error:
        # input nested too deeply for SymPy: bad input, reported like the rest
        return None, Report(name=path.stem, file=str(path), title="", source="", activation=None,
                            steps=(), closed_form=None, error=f"{path}:1:1: input too deeply nested ({error})")


def error_report(error: SymderiveError):
    from .report import Report

    origin = error.origin or Origin()
    return Report(name=Path(origin.file).stem, file=origin.file, title="", source="", activation=None,
                  steps=(), closed_form=None, error=str(error))


def verify(paths: Iterable[str | Path] = (DEFAULT_LIBRARY,), settings=None,
           progress: Callable[[int, int, Path], None] | None = None):
    """Reports for every derivation file under ``paths``, in path order."""
    files, errors = derivation_files(paths)
    results = [(None, error_report(e)) for e in errors]
    for number, path in enumerate(files, start=1):
        if progress:
            progress(number, len(files), path)
        results.append(verify_file(path, settings))
    return results
