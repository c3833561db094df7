"""The scored report of the corpus of real posts (tests/corpus): how well
`symderive check` finds the truth an expected file records for every
relation a reader sees (see tests/corpus/README.md and tests/corpus_oracle.py).

Per post and in total:
  chains with a wrong step   caught (the tool refutes one of its wrong steps) / missed
  correct chains             false alarm (the tool refutes anything in it) / clean
  stray                      refutations on a line the expected file has no display for
  relations                  those whose truth is proved, refuted or incomplete, and of them:
                             unknown (no verdict, or not read as a claim), unreadable,
                             wrong proved (a wrong step reported proved)
  crashes                    an exception from check_post
  seconds                    wall time of check_post

Usage: python bench/corpus.py [--json] [--cold] [--timeout SECONDS] [POST ...]
(--cold: an empty verdict cache, so the times are those of a first run)
The issue 14 acceptance: caught >= 90%, false alarms <= 5%, unknown or
unreadable <= 10%, 0 wrong steps proved, 0 crashes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from corpus_oracle import SCORED, Expected, Relation, load, posts  # noqa: E402
from symderive.post.check import check_post  # noqa: E402

CAUGHT_FLOOR, FALSE_ALARM_CEILING, UNKNOWN_CEILING = 0.90, 0.05, 0.10
def _reason(step) -> str:
    return getattr(step.evidence, "reason", "") or ""


def _why(step) -> str:
    if step is None:
        return "no relation reported here"
    return _reason(step) or getattr(step.evidence, "method", "") or step.kind


# How a step of the report reads, first matching row wins: one table, so a
# new kind or verdict of the report is one row here.
READINGS = (
    ("refuted", lambda s: s.verdict == "refuted"),  # whatever its kind, the reader sees a refutation
    ("unreadable", lambda s: s.kind == "unreadable"),
    ("incomplete", lambda s: s.kind == "incomplete" or _reason(s).startswith("incomplete relation")),
    ("proved", lambda s: s.kind == "claim" and s.verdict == "proved"),
    ("approximate", lambda s: s.kind == "claim" and s.verdict == "approximate"),
    ("unknown", lambda s: s.kind == "claim"),  # unknown, approximate, or not yet decided
    ("definition", lambda s: s.kind == "definition"),
    ("condition", lambda s: s.kind == "condition"),
    ("implication", lambda s: s.kind == "implication"),
    ("unchecked", lambda s: True),  # continuation, skipped: no verdict given
)

# What a reading means for a relation whose truth the tool owes a verdict on.
OUTCOMES = {
    ("proved", "proved"): "right",
    ("refuted", "refuted"): "right",
    ("incomplete", "incomplete"): "right",
    ("approximate", "approximate"): "right",  # an \approx that holds; never "proved"
    ("approximate", "proved"): "wrong proved",
    ("approximate", "refuted"): "false alarm",
    ("proved", "refuted"): "false alarm",
    ("incomplete", "refuted"): "false alarm",
    ("refuted", "proved"): "wrong proved",
    ("incomplete", "proved"): "wrong proved",
}


def reading(step) -> str:
    if step is None:
        return "absent"
    return next(name for name, matches in READINGS if matches(step))


def outcome(truth: str, read: str) -> str | None:
    if truth not in SCORED:
        return None
    return OUTCOMES.get((truth, read), "unreadable" if read == "unreadable" else "unknown")


@dataclass(frozen=True)
class Scored:
    relation: Relation
    read: str
    outcome: str | None
    why: str = ""  # the report's reason or method, for grouping the misses by cause


@dataclass(frozen=True)
class PostScore:
    post: str
    seconds: float
    crash: str | None
    relations: tuple[Scored, ...]
    alarms: tuple[int, ...]  # chains where a refutation the file has no position for was reported
    strays: tuple[str, ...]  # refutations on lines the expected file has no display for

    def chains(self) -> dict[int, str]:
        """caught / missed for a chain with a wrong step, false alarm / clean
        for the others (only chains holding a relation the tool owes a verdict on)."""
        groups: dict[int, list[Scored]] = {}
        for s in self.relations:
            groups.setdefault(s.relation.chain, []).append(s)
        found = {}
        for chain, rows in groups.items():
            if not any(s.relation.truth in SCORED for s in rows):
                continue
            if any(s.relation.truth == "refuted" for s in rows):
                caught = any(s.relation.truth == "refuted" and s.read == "refuted" for s in rows)
                found[chain] = "caught" if caught else "missed"
            else:
                alarm = any(s.read == "refuted" for s in rows) or chain in self.alarms
                found[chain] = "false alarm" if alarm else "clean"
        return found

    def counts(self) -> dict:
        chains = list(self.chains().values())
        outcomes = [s.outcome for s in self.relations if s.outcome is not None]
        return {
            "caught": chains.count("caught"), "missed": chains.count("missed"),
            "false alarm": chains.count("false alarm"), "clean": chains.count("clean"),
            "stray": len(self.strays), "relations": len(outcomes),
            "unknown": outcomes.count("unknown"), "unreadable": outcomes.count("unreadable"),
            "wrong proved": outcomes.count("wrong proved"), "crashes": int(self.crash is not None),
            "seconds": round(self.seconds, 2),
        }


def score(expected: Expected, report, seconds: float = 0.0, crash: str | None = None) -> PostScore:
    """Match the report's relations to the expected ones by display line and
    position; a display the tool could not read leaves its relations unreadable."""
    by_line: dict[int, list] = {}
    for step in (report.relations if report is not None else ()):
        by_line.setdefault(step.block_line, []).append(step)
    rows, alarms = [], set()
    lines = {r.line for r in expected.relations}
    for relation in expected.relations:
        found = by_line.get(relation.line, [])
        step = found[relation.position] if relation.position < len(found) else None
        read = reading(step)
        if step is None and any(s.kind == "unreadable" for s in found):
            step, read = next(s for s in found if s.kind == "unreadable"), "unreadable"
        rows.append(Scored(relation, read, outcome(relation.truth, read), _why(step)))
    for line in lines:
        known = [r for r in expected.relations if r.line == line]
        extra = by_line.get(line, [])[len(known):]
        if any(reading(s) == "refuted" for s in extra):
            alarms.add(known[-1].chain)
    strays = tuple(f"{expected.post.name}:{s.line}" for line, steps in sorted(by_line.items()) if line not in lines
                   for s in steps if reading(s) == "refuted")
    return PostScore(expected.post.name, seconds, crash, tuple(rows), tuple(sorted(alarms)), strays)


TOTALS = ("caught", "missed", "false alarm", "clean", "stray", "relations", "unknown", "unreadable",
          "wrong proved", "crashes", "seconds")


def totals(scores: list[PostScore]) -> dict:
    summed = {key: sum(s.counts()[key] for s in scores) for key in TOTALS}
    summed["seconds"] = round(summed["seconds"], 2)
    wrong, correct = summed["caught"] + summed["missed"], summed["false alarm"] + summed["clean"]
    summed["posts"] = len(scores)
    summed["caught rate"] = summed["caught"] / wrong if wrong else 1.0
    summed["false alarm rate"] = (summed["false alarm"] + summed["stray"]) / correct if correct else 0.0
    summed["unknown rate"] = (summed["unknown"] + summed["unreadable"]) / summed["relations"] if summed[
        "relations"] else 0.0
    return summed


def run(post: Path, timeout: float | None = None) -> PostScore:
    """Check one post and score its report; an exception is a crash."""
    expected = load(post)
    options = {} if timeout is None else {"timeout": timeout}
    start = time.perf_counter()
    try:
        report, crash = check_post(post.read_text(encoding="utf-8"), str(post), **options), None
    except Exception:  # a crash is what this bench counts
        report, crash = None, traceback.format_exc(limit=3).strip().splitlines()[-1]
    return score(expected, report, time.perf_counter() - start, crash)


COLUMNS = (("post", 44), ("caught", 6), ("missed", 6), ("false alarm", 11), ("clean", 5), ("stray", 5),
           ("relations", 9), ("unknown", 7), ("unreadable", 10), ("wrong proved", 12), ("crashes", 7),
           ("seconds", 7))


def row(values: dict) -> str:
    cells = [(str(values.get(name, "")), width, "<" if name == "post" else ">") for name, width in COLUMNS]
    return " ".join(f"{text:{align}{width}}" for text, width, align in cells)


def print_table(scores: list[PostScore], summed: dict) -> None:
    print(row({name: name for name, _ in COLUMNS}))
    for s in scores:
        print(row({"post": s.post[:44]} | s.counts()))
        if s.crash:
            print(f"    crash: {s.crash}")
    print(row({"post": f"total ({summed['posts']} posts)"} | summed))
    wrong, correct = summed["caught"] + summed["missed"], summed["false alarm"] + summed["clean"]
    print(f"chains with a wrong step caught: {summed['caught']}/{wrong} = {summed['caught rate']:.0%} "
          f"(acceptance >= {CAUGHT_FLOOR:.0%})")
    print(f"correct chains with a false alarm: {summed['false alarm']}/{correct} + {summed['stray']} stray "
          f"= {summed['false alarm rate']:.0%} (acceptance <= {FALSE_ALARM_CEILING:.0%})")
    print(f"relations unknown or unreadable: {summed['unknown']} + {summed['unreadable']} of {summed['relations']} "
          f"= {summed['unknown rate']:.0%} (acceptance <= {UNKNOWN_CEILING:.0%})")
    print(f"wrong steps proved: {summed['wrong proved']} (acceptance 0); crashes: {summed['crashes']} "
          f"(acceptance 0); check time: {summed['seconds']} s")


def details(s: PostScore) -> dict:
    return s.counts() | {
        "post": s.post, "crash": s.crash, "chains": {str(k): v for k, v in s.chains().items()},
        "strays": list(s.strays),
        "misses": [{"where": r.relation.where, "truth": r.relation.truth, "read": r.read, "outcome": r.outcome,
                    "why": r.why}
                   for r in s.relations if r.outcome not in (None, "right")],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", nargs="*", help="posts to score (default: all of tests/corpus)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--timeout", type=float, default=None, help="time limit per claim (default: check's)")
    parser.add_argument("--cold", action="store_true", help="start from an empty verdict cache")
    args = parser.parse_args(argv)
    if args.cold:
        os.environ["SYMDERIVE_CACHE_DIR"] = tempfile.mkdtemp(prefix="symderive-corpus-bench-")
    chosen = [Path(p).resolve() for p in args.posts] or posts()
    scores = [run(post, args.timeout) for post in chosen]
    summed = totals(scores)
    if args.json:
        print(json.dumps({"posts": [details(s) for s in scores], "totals": summed}, indent=1))
    else:
        print_table(scores, summed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
