"""The verdict cache: what was proved once is not proved again.

Two levels, both keyed by a content hash that includes the prover version
(a digest of symderive's own source, SymPy's and mpmath's versions), so any
change to the prover, its rules or the catalog invalidates every entry:

* a **step** entry: the normalised step (the parsed previous and current
  lines as SymPy trees, not their LaTeX spelling), its rules, its context
  (the derivation's definitions, variable, case condition) and the time
  limit -> its verdict;
* a **file** entry: the bytes of a derivation file, its path and the time
  limit -> its whole report. A warm run reads these and never imports SymPy.

Entries are JSON values in one SQLite database per prover version under the
user's cache directory (``$SYMDERIVE_CACHE_DIR``, else
``$XDG_CACHE_HOME/symderive``, else ``~/.cache/symderive``), each written
in its own transaction, so parallel runs can share them. A timeout or an
internal error is never cached: it says something about the machine, not the step.
An unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from .evidence import Unknown, decode_evidence, encode_evidence
from .report import ClosedFormReport, Report, StepReport, decode_check

_PACKAGE = Path(__file__).resolve().parent
STALE_SECONDS = 7 * 24 * 3600
_INHERITED: list = []  # connections of a parent process, kept open and unused after a fork


def default_directory() -> Path:
    if os.environ.get("SYMDERIVE_CACHE_DIR"):
        return Path(os.environ["SYMDERIVE_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "symderive"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "symderive"
    return Path.home() / ".cache" / "symderive"


@lru_cache(maxsize=1)
def prover_version() -> str:
    """A digest of everything a verdict depends on besides its input."""
    digest = hashlib.sha256()
    for dependency in ("sympy", "mpmath"):
        digest.update(f"{dependency}={_installed_version(dependency)};".encode())
    digest.update(f"python={sys.version_info[:2]};".encode())
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(source.relative_to(_PACKAGE)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def _installed_version(name: str) -> str:
    """The installed version of ``name`` without importing it: read from the
    name of its .dist-info folder beside the package (importing
    importlib.metadata alone costs more than the rest of a warm run's
    start), else from importlib.metadata, else "?"."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is not None and spec.origin:
        found = sorted(Path(spec.origin).parent.parent.glob(f"{name}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(name) + 1:-len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


class VerdictCache:
    """A content-addressed store of JSON values under ``directory``: one
    SQLite database per prover version, shared by every process.

    One file instead of one file per entry: creating a file cost 0.3-1.5 ms
    of system time here, and a cold run of the seeds writes about 70
    entries, while a row costs microseconds. Each write is its own
    transaction (nothing half-written); the journal is a write-ahead log, so
    readers never wait for a writer and parallel runs share the store. The
    connection is opened on first use in each process (never carried across
    fork) and is not pickled with the cache."""

    FILE = "verdicts.sqlite3"

    def __init__(self, directory: Path | None = None, version: str | None = None):
        self.root = Path(directory) if directory is not None else default_directory()
        self.version = version or prover_version()
        self.directory = self.root / self.version
        self.hits = self.misses = 0
        self._connection = None
        self._pid = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_connection": None, "_pid": None}

    def key(self, kind: str, parts: Any) -> str:
        text = json.dumps([kind, parts], sort_keys=True, ensure_ascii=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def _database(self, create: bool):
        """This process's connection, or None when there is no store (yet,
        with ``create`` False) or it cannot be opened."""
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        if self._pid is not None and self._pid != os.getpid():
            _INHERITED.append(self._connection)  # the parent's: never used nor closed here
        self._connection = self._pid = None
        path = self.directory / self.FILE
        if not create and not path.exists():
            return None
        try:
            if create and not self.directory.exists():
                self._prune()
                self.directory.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(path), timeout=30.0, isolation_level=None,
                                         check_same_thread=False)
            try:
                connection.execute("PRAGMA journal_mode=WAL")  # else the default journal: slower, still safe
                connection.execute("PRAGMA synchronous=NORMAL")  # a crash loses no entry; a power cut may
                connection.execute("CREATE TABLE IF NOT EXISTS entries"
                                   " (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
            except sqlite3.Error:
                connection.close()
                raise
        except (OSError, sqlite3.Error):
            return None  # a cache that cannot be opened is only slower
        self._connection, self._pid = connection, os.getpid()
        return connection

    def get(self, key: str) -> Any | None:
        value = self._read(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def _read(self, key: str) -> Any | None:
        connection = self._database(create=False)
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return None if row is None else json.loads(row[0])
        except (sqlite3.Error, ValueError):
            return None  # an unreadable entry is a miss

    def put(self, key: str, value: Any) -> None:
        connection = self._database(create=True)
        if connection is None:
            return
        try:
            connection.execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                               (key, json.dumps(value)))
        except sqlite3.Error:
            pass  # a cache that cannot be written is only slower

    def __len__(self) -> int:
        """The number of entries stored (for tests and inspection)."""
        connection = self._database(create=False)
        if connection is None:
            return 0
        try:
            return connection.execute("SELECT count(*) FROM entries").fetchone()[0]
        except sqlite3.Error:
            return 0

    def _prune(self) -> None:
        """Entries of other prover versions unused for a week go: the cache
        does not grow with every upgrade."""
        import shutil
        import time

        try:
            for old in self.root.iterdir():
                if old.is_dir() and old.name != self.version and time.time() - old.stat().st_mtime > STALE_SECONDS:
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


# -- what is stored ------------------------------------------------------------

def is_lasting(evidence) -> bool:
    """False for verdicts that depend on the machine (a timeout, an error)."""
    return not isinstance(evidence, Unknown) or evidence.lasting


def _pairs(rows) -> tuple:
    return tuple(tuple(row) for row in rows)


def encode_report(report: Report) -> dict:
    data = {f.name: getattr(report, f.name) for f in fields(Report)}
    data["steps"] = [
        {**{f.name: getattr(step, f.name) for f in fields(StepReport)},
         "evidence": encode_evidence(step.evidence)}
        for step in report.steps
    ]
    closed = report.closed_form
    data["closed_form"] = None if closed is None else {
        "latex": closed.latex, "line": closed.line,
        "evidence": encode_evidence(closed.evidence), "chain_end": encode_evidence(closed.chain_end)}
    return data


def decode_report(data: dict) -> Report:
    steps = tuple(
        StepReport(**{**step, "rules": tuple(step["rules"]), "evidence": decode_evidence(step["evidence"])})
        for step in data["steps"]
    )
    closed = data["closed_form"]
    closed_form = None if closed is None else ClosedFormReport(
        closed["latex"], closed["line"], decode_evidence(closed["evidence"]), decode_evidence(closed["chain_end"]))
    return Report(**{**data, "steps": steps, "closed_form": closed_form,
                     "warnings": tuple(data["warnings"]), "definitions": _pairs(data["definitions"]),
                     "cases": _pairs(data["cases"]), "extra_checks": _pairs(data["extra_checks"]),
                     "output_forms": _pairs(data["output_forms"])})


def report_is_lasting(report: Report) -> bool:
    verdicts = [step.evidence for step in report.steps]
    if report.closed_form is not None:
        verdicts += [report.closed_form.evidence, report.closed_form.chain_end]
    return (all(v is None or is_lasting(v) for v in verdicts)
            and checks_are_lasting(report.extra_checks))


def checks_are_lasting(checks) -> bool:
    """False when an extra check did not finish (its verdict carries the
    reason, "unknown (timeout after 10 s)"): a machine's answer, not the check's."""
    return all(decode_check(*check).reason is None for check in checks)
