"""Acceptance on the corpus of real posts (tests/corpus/, transcribed with
their sources and hand-checked verdicts): >= 95% of math blocks parse,
>= 95% agreement with the expected verdict of every relation, and no
relation reported proved where the expectation says it is wrong."""

import tomllib
from pathlib import Path

import pytest

from symderive.post.check import check_post
from symderive.post.report import CLAIM, CONDITION, CONTINUATION, DEFINITION, IMPLICATION, SKIPPED

PARSE_FLOOR = 0.95
AGREEMENT_FLOOR = 0.95
CORPUS = Path(__file__).resolve().parent / "corpus"
POSTS = sorted(CORPUS.glob("*.md"))
POSTS = [p for p in POSTS if (CORPUS / f"{p.stem}.expected.toml").is_file()]

# what each expected verdict may be reported as
AGREES = {
    "proved": lambda s: s.kind == CLAIM and s.verdict == "proved",
    "refuted": lambda s: s.kind == CLAIM and s.verdict == "refuted",
    "definition": lambda s: s.kind == DEFINITION,
    "continuation": lambda s: s.kind == CONTINUATION,
    "implication": lambda s: s.kind == IMPLICATION,
    "skip": lambda s: s.kind in (SKIPPED, CONDITION),
}


def _compare(post: Path):
    expected = tomllib.loads((CORPUS / f"{post.stem}.expected.toml").read_text(encoding="utf-8"))
    report = check_post(post.read_text(encoding="utf-8"), str(post), timeout=30)
    by_line: dict[int, list] = {}
    for step in report.relations:
        by_line.setdefault(step.block_line, []).append(step)
    rows = []
    for display in expected.get("display", []):
        found = by_line.get(display["line"], [])
        for position, verdict in enumerate(display["relations"]):
            got = found[position] if position < len(found) else None
            rows.append((display["line"], position, verdict, got))
    return report, rows


RESULTS = {}


def _result(post):
    if post not in RESULTS:
        RESULTS[post] = _compare(post)
    return RESULTS[post]


def test_corpus_has_enough_posts():
    assert len(POSTS) >= 12, [p.name for p in POSTS]


@pytest.mark.parametrize("post", POSTS, ids=[p.stem for p in POSTS])
def test_no_wrong_step_reported_proved(post):
    _, rows = _result(post)
    wrong = [(line, pos) for line, pos, verdict, got in rows
             if verdict == "refuted" and got is not None and got.kind == CLAIM and got.verdict == "proved"]
    assert not wrong, f"reported proved but expected refuted at {wrong}"


def test_parse_rate_and_agreement_over_the_corpus():
    blocks = parsed = agree = total = 0
    disagreements = []
    for post in POSTS:
        report, rows = _result(post)
        counts = report.counts()
        blocks += counts["math_blocks"]
        parsed += counts["parsed"]
        for line, position, verdict, got in rows:
            total += 1
            if got is not None and AGREES[verdict](got):
                agree += 1
            else:
                disagreements.append((post.name, line, position, verdict,
                                      None if got is None else (got.kind, got.verdict)))
    print(f"corpus: {len(POSTS)} posts, {parsed}/{blocks} math blocks parsed, "
          f"{agree}/{total} relations agree")
    for row in disagreements:
        print("  disagreement:", row)
    assert parsed >= PARSE_FLOOR * blocks
    assert agree >= AGREEMENT_FLOOR * total
