"""Shared helpers for tests over the derivation library."""

import json
from pathlib import Path

from symderive.cli import main

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "derivations"
FILES = sorted(LIBRARY.glob("*.toml"))


def run_cli(argv, capsys):
    """(exit code, stdout, stderr) of the CLI run in this process."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def verify_json(paths, capsys):
    code, out, err = run_cli(["verify", *paths, "--format", "json"], capsys)
    return code, json.loads(out), err


def verify_with_step_replaced(path, right, wrong, folder, capsys):
    """The one derivation of ``path`` as verified with its step written
    ``right`` (exactly once in the file) written ``wrong`` instead, from a
    copy in ``folder``; and the copy's path."""
    text = path.read_text(encoding="utf-8")
    assert text.count(f"latex = '{right}'") == 1
    mutated = folder / path.name
    mutated.write_text(text.replace(f"latex = '{right}'", f"latex = '{wrong}'"), encoding="utf-8")
    _, report, _ = verify_json([mutated], capsys)
    return report["derivations"][0], mutated


def compared_pairs(derivation):
    """(previous step, step, condition text) for every step after the first,
    following the rule that a step expected to be refuted is set aside."""
    pairs = []
    last = None
    for step in derivation.steps:
        if last is not None:
            pairs.append((last, step, None))
        if step.expect != "refuted":
            last = step
    for case in derivation.cases:
        case_last = last
        for step in case.steps:
            pairs.append((case_last, step, case.condition))
            if step.expect != "refuted":
                case_last = step
    return pairs
