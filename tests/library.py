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
