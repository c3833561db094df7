"""The engine's guarantees: time limits give 'unknown', never a hang; it runs
from any thread; verifying twice gives the same report."""

import threading
import time

from library import LIBRARY
from symderive.emit import derivations as formats
from symderive.derivation import load
from symderive.engine import Settings, verify_derivation


def _slow_prove_equal(a, b, context=None):
    time.sleep(60)


def test_a_step_over_its_time_limit_is_unknown_and_the_run_goes_on(monkeypatch):
    """Every step's proof overruns (a prover that sleeps, in the forked
    worker): each is unknown with a timeout, and the run still ends. (With
    the real prover the steps of this file finish within a step's grace
    second, so whether they overran 0.001 s depended on the machine.)"""
    monkeypatch.setattr("symderive.engine.prove_equal", _slow_prove_equal)
    derivation = load(LIBRARY / "000_tanh_quotient_rule.toml")
    started = time.monotonic()
    report = verify_derivation(derivation, Settings(timeout=0.001))
    elapsed = time.monotonic() - started
    assert report.status == "incomplete"
    reasons = [s.evidence.reason for s in report.steps if s.verdict == "unknown"]
    assert reasons and all("timeout" in r for r in reasons)
    assert len(report.steps) == len(derivation.all_steps())  # every step still reported
    assert elapsed < 10 * len(derivation.all_steps())


def test_verify_from_another_thread():
    derivation = load(LIBRARY / "000_sigmoid_chain_rule.toml")
    results = []
    worker = threading.Thread(target=lambda: results.append(verify_derivation(derivation)))
    worker.start()
    worker.join(timeout=120)
    assert results and results[0].status == "verified"


def test_verifying_twice_gives_the_same_report():
    derivation = load(LIBRARY / "000_softmax_jacobian.toml")
    first = formats.to_json([verify_derivation(derivation)])
    second = formats.to_json([verify_derivation(derivation)])
    assert first == second


def test_an_unknown_activation_is_bad_input_at_its_line():
    """A misspelt catalog name would silently drop the check against sympy.diff."""
    import pytest as _pytest

    from symderive.derivation import loads
    from symderive.engine import verify_derivation
    from symderive.errors import DerivationFileError

    text = "title = 't'\nactivation = \"sigmoidd\"\n[[steps]]\nlatex = 'x'\n"
    with _pytest.raises(DerivationFileError) as raised:
        verify_derivation(loads(text, "typo.toml"))
    assert "typo.toml:2:" in str(raised.value) and "sigmoidd" in str(raised.value)


def test_evaluation_memo_sees_a_redefinition_of_the_same_name():
    """The memo keys on the definitions' change count, not their contents:
    replacing a definition (same number of entries) must not return the
    value memoised under the old one, as when a post reuses f."""
    import sympy

    from symderive.latex.scope import Scope
    from symderive.meaning import Meaning

    x = sympy.Symbol("x", real=True)
    f = sympy.Function("f")
    meaning = Meaning(Scope(variables={"x": x}, default_variable=x, functions={"f": f}), x, {f: (x, x**2)})
    assert meaning.evaluate(f(x)) == x**2
    meaning.functions[f] = (x, x**3)
    assert meaning.evaluate(f(x)) == x**3
    assert meaning.evaluate(sympy.Derivative(f(x), x)) == 3 * x**2
