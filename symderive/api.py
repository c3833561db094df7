"""The library's entry points; the CLI is a thin layer over these."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Iterable, Iterator

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


def verify_file(path: Path, settings=None, cache=None):
    """The Report of one derivation file; bad input becomes a Report with ``error``.
    With a ``cache`` (cache.VerdictCache), step verdicts proved before are reused."""
    from .derivation import load
    from .engine import verify_derivation
    from .report import Report
    from .settings import Settings

    try:
        derivation = load(path)
        return derivation, verify_derivation(derivation, settings or Settings(), cache)
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
           progress: Callable[[int, int, Path], None] | None = None, jobs: int = 1, cache=None):
    """(derivation or None, Report) for every derivation file under ``paths``,
    in path order whatever ``jobs`` is.

    ``jobs`` > 1 verifies that many files at once in worker processes. With a
    ``cache`` (cache.VerdictCache), a file whose bytes were verified before
    under the same prover version and settings is not verified again (its
    derivation is then None, and SymPy is not even imported), and inside a
    changed file only the changed steps are proved again."""
    files, errors = derivation_files(paths)
    results = [(None, error_report(e)) for e in errors]
    timeout = _timeout_of(settings)
    found: dict[int, tuple] = {}
    keys: dict[int, str] = {}
    for number, path in enumerate(files):
        if cache is None:
            continue
        try:
            content = path.read_bytes()
        except OSError:
            continue  # reported by the loader
        keys[number] = cache.key("file", [str(path), hashlib.sha256(content).hexdigest(), timeout])
        stored = cache.get(keys[number])
        if stored is not None:
            found[number] = (None, _decode_report(stored))
    missing = [n for n in range(len(files)) if n not in found]
    computed = _verify_many([files[n] for n in missing], settings, cache, jobs)
    done = 0
    for number in range(len(files)):
        if number in found:
            result = found[number]
        else:
            result = next(computed)
            if number in keys:
                _store(cache, keys[number], result[1])
        done += 1
        if progress:
            progress(done, len(files), files[number])
        results.append(result)
    for _ in computed:  # nothing is left; ending the generator shuts the workers down normally
        pass
    return results


def _timeout_of(settings) -> float:
    from_settings = getattr(settings, "timeout", None)
    return from_settings if from_settings is not None else 10.0


def _decode_report(stored):
    from .cache import decode_report

    return decode_report(stored)


def _store(cache, key, report) -> None:
    from .cache import encode_report, report_is_lasting

    if report_is_lasting(report):
        cache.put(key, encode_report(report))


def _counted(path, settings, cache):
    """verify_file, with the cache's hits and misses it caused (a worker's
    counters do not reach the caller otherwise)."""
    before = (cache.hits, cache.misses) if cache is not None else (0, 0)
    result = verify_file(path, settings, cache)
    after = (cache.hits, cache.misses) if cache is not None else (0, 0)
    return result, after[0] - before[0], after[1] - before[1]


def verify_file_supervised(path: Path, settings=None, cache=None):
    """verify_file in this process's persistent prover worker (runner.py):
    every proof under its limit, and the worker's caches kept warm from one
    file to the next."""
    from . import deadline

    if deadline._IN_WORKER or not deadline._forking():  # already limited by an enclosing worker
        return verify_file(path, settings, cache)
    from .runner import shared

    try:
        counted = shared().call(_counted, (path, settings, cache), idle_limit=_idle_limit(settings))
    except RuntimeError as error:
        return None, _internal_error(path, error)
    return _uncounted(counted, cache)


def _idle_limit(settings) -> float:
    """How long a worker may go between two proofs (reading, planning)."""
    return max(60.0, 3 * _timeout_of(settings))


def _uncounted(counted, cache):
    """The result of _counted, its cache hits and misses added to ``cache``."""
    result, hits, misses = counted
    if cache is not None:
        cache.hits += hits
        cache.misses += misses
    return result


def _internal_error(path: Path, error: Exception):
    from .report import Report

    return Report(name=path.stem, file=str(path), title="", source="", activation=None, steps=(),
                  closed_form=None, error=f"{path}:1:1: internal error: {error}")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported by the loader


def _verify_many(files: list[Path], settings, cache, jobs: int) -> Iterator[tuple]:
    """verify_file over ``files`` in order, ``jobs`` at a time, each job in a
    persistent prover worker (runner.py)."""
    from .deadline import _forking

    if jobs <= 1 or len(files) <= 1 or not _forking():
        yield from (verify_file_supervised(path, settings, cache) for path in files)
        return
    from .runner import run_jobs

    jobs_list = [(_counted, (path, settings, cache)) for path in files]
    sizes = [_size(path) for path in files]  # the longest files first: a run ends with short ones
    for path, (status, value) in zip(files, run_jobs(jobs_list, jobs, _idle_limit(settings), sizes)):
        if status != "result":
            yield None, _internal_error(path, RuntimeError(value))
        else:
            yield _uncounted(value, cache)
