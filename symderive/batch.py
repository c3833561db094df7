"""Verify many derivation files: the run layer under ``symderive verify``,
``render`` and the Python API's ``verify``.

Each file is verified in a persistent prover worker (``runner.py``), every
proof under its time limit; ``jobs`` > 1 verifies that many files at once.
With a verdict cache (``cache.VerdictCache``) a file whose bytes were
verified before is not verified again, and SymPy is then not even imported:
the engine is imported only when a file has to be proved.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .cache import decode_report, encode_report, report_is_lasting
from .derivation import load
from .errors import Origin, SymderiveError
from .report import Report
from .runner import forking, in_worker, run_jobs, shared
from .settings import DEFAULT_TIMEOUT, Settings

DEFAULT_LIBRARY = Path("derivations")

Result = tuple  # (Derivation | None, Report)


def bad_input(file: str, message: str, name: str | None = None) -> Report:
    """The Report of input that could not be verified; ``message`` says
    ``file:line:column: what``."""
    return Report(name=name if name is not None else Path(file).stem, file=file, title="", source="",
                  activation=None, steps=(), closed_form=None, error=message)


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


def verify_file(path: Path, settings: Settings | None = None, cache=None) -> Result:
    """The Report of one derivation file; bad input becomes a Report with ``error``.
    With a ``cache`` (cache.VerdictCache), step verdicts proved before are reused."""
    from .engine import verify_derivation  # imports SymPy: only when a file is proved

    try:
        derivation = load(path)
        return derivation, verify_derivation(derivation, settings or Settings(), cache)
    except SymderiveError as error:
        return None, bad_input(str(path), str(error))
    except RecursionError as error:
        # input nested too deeply for SymPy: bad input, reported like the rest
        return None, bad_input(str(path), f"{path}:1:1: input too deeply nested ({error})")


def error_report(error: SymderiveError) -> Report:
    origin = error.origin or Origin()
    return bad_input(origin.file, str(error))


def verify_files(paths: Iterable[str | Path] = (DEFAULT_LIBRARY,), settings: Settings | None = None,
                 progress: Callable[[int, int, Path], None] | None = None, jobs: int = 1,
                 cache=None) -> list[Result]:
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
    found: dict[int, Result] = {}
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
            found[number] = (None, decode_report(stored))
    missing = [n for n in range(len(files)) if n not in found]
    computed = _verify_many([files[n] for n in missing], settings, cache, jobs)
    for done, path in enumerate(files, start=1):
        if done - 1 in found and found[done - 1][1].file == str(path):
            result = found[done - 1]
        else:
            result = next(computed) if done - 1 not in found else verify_file_supervised(path, settings, cache)
            if result[1].file != str(path):  # never one file's verdicts under another's name
                result = None, _internal_error(path, RuntimeError(f"a worker answered for {result[1].file}"))
            elif done - 1 in keys and report_is_lasting(result[1]):
                cache.put(keys[done - 1], encode_report(result[1]))
        if progress:
            progress(done, len(files), path)
        results.append(result)
    for _ in computed:  # nothing is left; ending the generator shuts the workers down normally
        pass
    return results


def _timeout_of(settings: Settings | None) -> float:
    return settings.timeout if settings is not None else DEFAULT_TIMEOUT


def _counted(path, settings, cache):
    """verify_file, with the cache's hits and misses it caused (a worker's
    counters do not reach the caller otherwise)."""
    before = (cache.hits, cache.misses) if cache is not None else (0, 0)
    result = verify_file(path, settings, cache)
    after = (cache.hits, cache.misses) if cache is not None else (0, 0)
    return result, after[0] - before[0], after[1] - before[1]


def verify_file_supervised(path: Path, settings: Settings | None = None, cache=None) -> Result:
    """verify_file in this process's persistent prover worker (runner.py):
    every proof under its limit, and the worker's caches kept warm from one
    file to the next."""
    if in_worker() or not forking():  # already limited by an enclosing worker
        return verify_file(path, settings, cache)
    try:
        counted = shared().call(_counted, (path, settings, cache), idle_limit=_idle_limit(settings))
    except RuntimeError as error:
        return None, _internal_error(path, error)
    return _uncounted(counted, cache)


def _idle_limit(settings: Settings | None) -> float:
    """How long a worker may go between two proofs (reading, planning)."""
    return max(60.0, 3 * _timeout_of(settings))


def _uncounted(counted, cache) -> Result:
    """The result of _counted, its cache hits and misses added to ``cache``."""
    result, hits, misses = counted
    if cache is not None:
        cache.hits += hits
        cache.misses += misses
    return result


def _internal_error(path: Path, error: Exception) -> Report:
    return bad_input(str(path), f"{path}:1:1: internal error: {error}")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported by the loader


def _verify_many(files: list[Path], settings, cache, jobs: int) -> Iterator[Result]:
    """verify_file over ``files`` in order, ``jobs`` at a time, each job in a
    persistent prover worker (runner.py)."""
    if jobs <= 1 or len(files) <= 1 or not forking():
        yield from (verify_file_supervised(path, settings, cache) for path in files)
        return
    jobs_list = [(_counted, (path, settings, cache)) for path in files]
    sizes = [_size(path) for path in files]  # the longest files first: a run ends with short ones
    for path, (status, value) in zip(files, run_jobs(jobs_list, jobs, _idle_limit(settings), sizes)):
        if status != "result":
            yield None, _internal_error(path, RuntimeError(value))
        else:
            yield _uncounted(value, cache)


def hook_targets(files: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split the files pre-commit hands over: derivation files (``.toml``)
    to verify and posts (any other file) to check. A ``.toml`` that is valid
    TOML without ``steps`` (pyproject.toml, ...) is not a derivation and is
    left out; invalid TOML is kept, so its error is reported."""
    derivations, posts = [], []
    for file in files:
        if not file.endswith(".toml"):
            posts.append(file)
            continue
        try:
            data = tomllib.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            derivations.append(file)
            continue
        if "steps" in data or "cases" in data:
            derivations.append(file)
    return derivations, posts
