"""Acceptance of the mutation harness (bench/mutants.py): over the library
and the import corpus, at least 2,000 mutants that the independent oracle
finds wrong; none is proved; at least 99% are refuted with a counterexample.
A second test checks that the harness can see a survivor at all."""

from pathlib import Path

from mutants import harness

from symderive.evidence import Proved

ROOT = Path(__file__).resolve().parents[1]


def test_no_wrong_step_survives_and_nearly_all_are_refuted():
    counts = harness.run()
    judged = counts["killed"] + counts["unknown"] + counts["proved"]
    print(f"mutation harness: {dict(counts)}")
    assert counts["files"] >= 80
    assert counts["files that do not load"] == 0, counts  # every imported corpus chain loads
    assert judged >= 2000, counts
    assert counts["proved"] == 0, counts
    assert counts["killed"] >= 0.99 * judged, counts
    for name in harness.MUTATIONS:
        assert counts[f"killed / {name}"] > 0, name  # every kind of mistake is exercised


def test_the_harness_reports_a_survivor(monkeypatch):
    """With a prover that proves everything, every judged mutant is a survivor."""
    monkeypatch.setattr("symderive.prover.prove_equal", lambda a, b, context=None: Proved("fake"))
    target = harness.targets(ROOT / "derivations" / "000_sigmoid_chain_rule.toml")[2]
    outcome, _ = harness.judge(target, "-\\left(" + target.latex + "\\right)")
    assert outcome == "proved"


def test_mutations_change_the_text():
    latex = r"\frac{e^{-x}}{(1 + e^{-x})^2} + 2 \cosh(z_k)"
    for name, mutate in harness.MUTATIONS.items():
        mutants = list(mutate(latex))
        assert mutants and all(m != latex for m in mutants), name
