"""Issue 14 on the corpus of real posts (tests/corpus): the tool's report,
matched to the expected truth of every relation by display line and
position (bench/corpus.py scores it). The truths come from the mathematics,
confirmed by tests/test_corpus_oracle.py, never from the tool.

Held outright: no crash, and no wrong step reported proved except the
listed KNOWN_WRONG_PROVED (each with its cause; the list may only shrink: a
fixed one fails the test until it is taken off). The rates are held at the
level reached (``REACHED``) so that no change makes them worse; issue 14's
acceptance (``CAUGHT_FLOOR``, ``FALSE_ALARM_CEILING``, ``UNKNOWN_CEILING``
in bench/corpus.py) is not met yet, and ``python bench/corpus.py`` prints
the distance to it. Raise ``REACHED`` as misses are fixed."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.corpus import CAUGHT_FLOOR, FALSE_ALARM_CEILING, UNKNOWN_CEILING, run, score, totals
from corpus_oracle import Expected, Relation, load, posts
from symderive.evidence import Proved, Refuted, Unknown
from symderive.post.report import PostStep

POSTS = posts()
# issue 14: 56 posts, 15 with a mistake; issue 17 added 16 posts on losses and layers (57-72), 9 of them with a
# mistake, so the corpus now holds 72 posts, 34 with a mistake
MIN_POSTS, MIN_POSTS_WITH_A_MISTAKE = 72, 34

# measured on the whole corpus (issue 14 targets: 0.90, 0.05, 0.10). The caught rate is below the 0.45
# first held: two chains were caught only by a wrong reading (post 37's sigma read as the logistic
# function, post 43's standard deviation sigma read as the logistic function); both readings are gone.
# The unknown share rose with posts 57-72 (losses and layers: matrices, batches, norms the tool does not
# read yet): 348 of 906 relations on all 72 posts (caught 23 of 48), against 0.34 on the first 56.
# Now 203 of 906 (0.224) and 36 of 48 caught (0.75); held with one chain and ~15 relations of slack,
# since a claim near its time limit on a loaded machine may end unknown.
REACHED = {"caught rate": 0.72, "false alarm rate": 0.0, "unknown rate": 0.24}
# post:line#position of wrong steps still reported proved, and why
KNOWN_WRONG_PROVED: dict[str, str] = {}

SCORES = {}


def _score(post):
    if post not in SCORES:
        SCORES[post] = run(post)
    return SCORES[post]


def _all():
    scores = [_score(post) for post in POSTS]
    return scores, totals(scores)


def _misses(scores, outcomes):
    return [f"{s.post}:{r.relation.line}#{r.relation.position} truth {r.relation.truth}, read {r.read}"
            for s in scores for r in s.relations if r.outcome in outcomes]


def test_the_corpus_is_large_and_holds_real_mistakes():
    with_a_mistake = [p.name for p in POSTS if any(r.truth == "refuted" for r in load(p).relations)]
    assert len(POSTS) >= MIN_POSTS, f"{len(POSTS)} posts"
    assert len(with_a_mistake) >= MIN_POSTS_WITH_A_MISTAKE, with_a_mistake


def _wrong_proved(score) -> set:
    return {f"{score.post}:{r.relation.line}#{r.relation.position}" for r in score.relations
            if r.outcome == "wrong proved"}


@pytest.mark.parametrize("post", POSTS, ids=[p.stem for p in POSTS])
def test_no_wrong_step_reported_proved(post):
    score = _score(post)
    assert score.crash is None, score.crash
    known = {k for k in KNOWN_WRONG_PROVED if k.startswith(f"{score.post}:")}
    wrong = _wrong_proved(score)
    assert wrong <= known, _misses([score], ("wrong proved",))
    assert known <= wrong, f"fixed, take it off KNOWN_WRONG_PROVED: {sorted(known - wrong)}"


def test_chains_with_a_wrong_step_are_caught():
    scores, summed = _all()
    missed = [f"{s.post} chain {chain}" for s in scores for chain, status in s.chains().items() if status == "missed"]
    if summed["caught rate"] < CAUGHT_FLOOR:
        print(f"caught {summed['caught rate']:.0%}, below the issue's {CAUGHT_FLOOR:.0%}")
    assert summed["caught rate"] >= REACHED["caught rate"], (
        f"{summed['caught']} of {summed['caught'] + summed['missed']} caught; missed: {missed}")


def test_correct_chains_raise_no_false_alarm():
    scores, summed = _all()
    alarms = [f"{s.post} chain {chain}" for s in scores for chain, status in s.chains().items()
              if status == "false alarm"] + [stray for s in scores for stray in s.strays]
    if summed["false alarm rate"] > FALSE_ALARM_CEILING:
        print(f"false alarms {summed['false alarm rate']:.0%}, above the issue's {FALSE_ALARM_CEILING:.0%}")
    assert summed["false alarm rate"] <= REACHED["false alarm rate"], (
        f"{summed['false alarm']} + {summed['stray']} stray of {summed['false alarm'] + summed['clean']}: {alarms}")


def test_relations_owed_a_verdict_get_one():
    scores, summed = _all()
    if summed["unknown rate"] > UNKNOWN_CEILING:
        print(f"unknown or unreadable {summed['unknown rate']:.0%}, above the issue's {UNKNOWN_CEILING:.0%}")
    assert summed["unknown rate"] <= REACHED["unknown rate"], (
        f"{summed['unknown']} unknown + {summed['unreadable']} unreadable of {summed['relations']}: "
        f"{_misses(scores, ('unknown', 'unreadable'))}")


def test_no_crash_and_no_wrong_step_proved_over_the_corpus():
    scores, summed = _all()
    crashes = [f"{s.post}: {s.crash}" for s in scores if s.crash]
    assert summed["crashes"] == 0, crashes
    assert summed["wrong proved"] == len(KNOWN_WRONG_PROVED), _misses(scores, ("wrong proved",))


# -- the scoring itself ------------------------------------------------------------

def _step(line, kind, evidence=None):
    made = {"proved": Proved("test"), "refuted": Refuted((("x", "0"),), "1", "2"), "unknown": Unknown("test"),
            "incomplete": Unknown("incomplete relation: nothing after '='"), None: None}[evidence]
    return PostStep(line, 1, "=", "a", "b", kind, made, block_line=line)


def _report(*steps):
    return SimpleNamespace(relations=steps)


def _expected(*rows):
    relations = tuple(Relation("p.md", line, position, truth, chain, ("x", "x"), "")
                      for line, position, truth, chain in rows)
    return Expected(Path("p.md"), ("x",), (), (), (), relations, ())


def test_a_wrong_chain_is_caught_only_by_refuting_one_of_its_wrong_steps():
    expected = _expected((1, 0, "proved", 1), (2, 0, "refuted", 1))
    missed = score(expected, _report(_step(1, "claim", "refuted"), _step(2, "claim", "unknown")))
    caught = score(expected, _report(_step(1, "claim", "proved"), _step(2, "claim", "refuted")))
    assert missed.chains() == {1: "missed"} and caught.chains() == {1: "caught"}
    proved = score(expected, _report(_step(1, "claim", "proved"), _step(2, "claim", "proved")))
    assert proved.counts()["wrong proved"] == 1


def test_any_refutation_in_a_correct_chain_is_a_false_alarm():
    expected = _expected((1, 0, "definition", 1), (2, 0, "proved", 1), (3, 0, "proved", 2))
    steps = (_step(1, "definition", "refuted"), _step(2, "claim", "proved"), _step(3, "claim", "proved"),
             _step(3, "claim", "refuted"), _step(9, "claim", "refuted"))
    found = score(expected, _report(*steps))
    assert found.chains() == {1: "false alarm", 2: "false alarm"}  # chain 2 by a relation the file does not list
    assert found.strays == ("p.md:9",)


def test_unreadable_blocks_incomplete_relations_and_missing_steps_are_counted():
    expected = _expected((1, 0, "proved", 1), (1, 1, "proved", 1), (2, 0, "incomplete", 1), (3, 0, "proved", 1))
    found = score(expected, _report(_step(1, "unreadable", "unknown"), _step(2, "claim", "incomplete")))
    assert [s.outcome for s in found.relations] == ["unreadable", "unreadable", "right", "unknown"]
    assert totals([found])["unknown rate"] == 3 / 4
