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

Entries are JSON files under the user's cache directory (``$SYMDERIVE_CACHE_DIR``,
else ``$XDG_CACHE_HOME/symderive``, else ``~/.cache/symderive``), written
atomically, so parallel runs can share them. A timeout or an internal error
is never cached: it says something about the machine, not the step.
An unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from .evidence import Proved, Refuted, Unknown
from .report import ClosedFormReport, Report, StepReport

_PACKAGE = Path(__file__).resolve().parent
STALE_SECONDS = 7 * 24 * 3600
_VOLATILE_REASONS = ("timeout", "internal error", "simplify: timeout", "simplify failed")


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
    """A content-addressed store of JSON values under ``directory``."""

    def __init__(self, directory: Path | None = None, version: str | None = None):
        self.root = Path(directory) if directory is not None else default_directory()
        self.version = version or prover_version()
        self.directory = self.root / self.version
        self.hits = self.misses = 0

    def key(self, kind: str, parts: Any) -> str:
        text = json.dumps([kind, parts], sort_keys=True, ensure_ascii=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        try:
            value = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        path = self._path(key)
        try:
            if not self.directory.exists():
                self._prune()
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(value, file)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written is only slower


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
    """False for verdicts that depend on the machine (a timeout)."""
    return not (isinstance(evidence, Unknown) and evidence.reason.startswith(_VOLATILE_REASONS))


def encode_evidence(evidence) -> dict | None:
    if evidence is None:
        return None
    if isinstance(evidence, Proved):
        return {"kind": "proved", "method": evidence.method}
    if isinstance(evidence, Refuted):
        return {"kind": "refuted", "point": [list(p) for p in evidence.point], "lhs": evidence.lhs_value,
                "rhs": evidence.rhs_value, "method": evidence.method}
    return {"kind": "unknown", "reason": evidence.reason}


def decode_evidence(data: dict | None):
    if data is None:
        return None
    if data["kind"] == "proved":
        return Proved(data["method"])
    if data["kind"] == "refuted":
        return Refuted(tuple(tuple(p) for p in data["point"]), data["lhs"], data["rhs"], data["method"])
    return Unknown(data["reason"])


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
    """False when an extra check did not finish ("unknown (timeout ...)",
    "unknown (internal error ...)"): a machine's answer, not the check's."""
    return not any(check[1].startswith("unknown (") for check in checks)
