"""The persistent prover worker: every task under its own limit, the run
goes on after a task that overran, results as a fresh run gives them."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from symderive import batch, runner
from symderive.runner import Supervisor, Task, Timeout, run_tasks, run_with_deadline

ROOT = Path(__file__).resolve().parents[1]


def _job(durations):
    """A job of sleeping tasks; returns what each task gave."""
    tasks = [Task(_sleep, (seconds,), 0.5) for seconds in durations]
    return [(outcome.status, outcome.value) for outcome in run_tasks(tasks)]


def _sleep(seconds):
    time.sleep(seconds)
    return seconds


def test_a_task_over_its_limit_is_a_timeout_and_the_next_tasks_run():
    supervisor = Supervisor()
    started = time.monotonic()
    outcomes = supervisor.call(_job, ([0.01, 30, 0.02, 30, 0.03],), idle_limit=10)
    elapsed = time.monotonic() - started
    supervisor.close()
    assert [status for status, _ in outcomes] == ["ok", "timeout", "ok", "timeout", "ok"]
    assert [value for status, value in outcomes if status == "ok"] == [0.01, 0.02, 0.03]
    assert elapsed < 2 * 0.5 + 3  # two limits, not two 30 s sleeps


def test_run_tasks_outside_a_worker_forks_one_for_the_list():
    """Each task under its own limit; tasks are handed to the worker by fork,
    so a function that cannot be pickled (a closure) runs too."""
    offset = 100

    def shifted(value):
        return value + offset

    started = time.monotonic()
    outcomes = run_tasks([Task(_sleep, (0.01,), 0.5), Task(_sleep, (30,), 0.5), Task(shifted, (1,), 0.5),
                          Task(_crash, (), 0.5)])
    elapsed = time.monotonic() - started
    assert [(o.status, o.value) for o in outcomes[:3]] == [("ok", 0.01), ("timeout", "timeout after 0.5 s"),
                                                          ("ok", 101)]
    assert outcomes[3].status == "error" and "boom" in outcomes[3].value
    assert elapsed < 0.5 + 5  # one limit, not a 30 s sleep
    assert runner._CHANNEL is None and not runner.in_worker()


def test_run_with_deadline_gives_the_value_or_raises():
    assert run_with_deadline(_sleep, (0.01,), 5) == 0.01
    with pytest.raises(Timeout, match="timeout after 0.3 s"):
        run_with_deadline(_sleep, (30,), 0.3)
    with pytest.raises(RuntimeError, match="boom"):
        run_with_deadline(_crash, (), 5)


def test_the_worker_is_reused_across_jobs():
    supervisor = Supervisor()
    supervisor.call(_job, ([0.01],), idle_limit=10)
    first = supervisor.process.pid
    supervisor.call(_job, ([0.01],), idle_limit=10)
    assert supervisor.process.pid == first
    supervisor.close()


def _started(label):
    return label, time.monotonic()


def test_jobs_start_largest_first_and_come_back_in_job_order():
    """With one worker the start order is the sizes' order, largest first
    (ties in job order); the results are yielded in job order."""
    from symderive.runner import run_jobs

    sizes = [3, 10, 1, 10, 7]
    results = list(run_jobs([(_started, (i,)) for i in range(5)], 1, 10, sizes))
    assert [value[0] for status, value in results] == [0, 1, 2, 3, 4]
    by_start = [label for label, _ in sorted((value for _, value in results), key=lambda v: v[1])]
    assert by_start == [1, 3, 4, 0, 2]
    unsized = list(run_jobs([(_started, (i,)) for i in range(3)], 1, 10))
    assert [label for label, _ in sorted((v for _, v in unsized), key=lambda v: v[1])] == [0, 1, 2]


def _pid_after(seconds):
    time.sleep(seconds)
    return os.getpid()


def _alive(pid) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_a_worker_with_nothing_left_to_do_is_stopped_while_the_others_work():
    """The last files' workers do not all end together at the close of the
    run (each stop waits for its process to go): a worker is stopped as soon
    as no job waits for it."""
    from symderive.runner import run_jobs

    results = run_jobs([(_pid_after, (2.0,)), (_pid_after, (0.0,))], 2, 30, sizes=[2, 1])
    (_, slow), (_, quick) = next(results), next(results)
    assert slow != quick and not _alive(quick)  # the quick one's worker ended before the slow job did
    assert list(results) == []
    deadline = time.monotonic() + 10  # killed, not waited for: it goes at once, but not synchronously
    while _alive(slow) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _alive(slow)


def _collector_state():
    import gc
    import sys

    return "sympy" in sys.modules, gc.get_freeze_count(), gc.isenabled()


def test_the_worker_imports_the_prover_with_the_collector_frozen_and_back_on():
    # from a fresh process, as the command starts one: forked from this test
    # process, which other tests may have made import SymPy, the worker
    # would freeze whatever this process holds instead of SymPy's import
    code = ("from symderive.runner import Supervisor\n"
            "from tests.test_runner import _collector_state\n"
            "supervisor = Supervisor()\n"
            "print(*supervisor.call(_collector_state, (), idle_limit=30))\n"
            "supervisor.close()\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    has_sympy, frozen, enabled = run.stdout.split()
    assert has_sympy == "True" and enabled == "True"
    assert int(frozen) > 100_000  # SymPy's objects, out of every later collection's way


def _crash():
    raise ValueError("boom")


def test_a_failing_job_raises_in_the_caller():
    supervisor = Supervisor()
    with pytest.raises(RuntimeError, match="boom"):
        supervisor.call(_crash, (), idle_limit=10)
    supervisor.close()


def test_it_works_from_a_thread_other_than_the_main_one():
    found = {}

    def work():
        supervisor = Supervisor()
        found["outcomes"] = supervisor.call(_job, ([0.01, 30],), idle_limit=10)
        supervisor.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert [status for status, _ in found["outcomes"]] == ["ok", "timeout"]


def test_supervised_reports_equal_unsupervised_ones():
    files = [ROOT / "derivations" / name for name in ("000_sigmoid_chain_rule.toml", "relu6.toml")]
    assert [batch.verify_file_supervised(f)[1] for f in files] == [batch.verify_file(f)[1] for f in files]
    assert runner._CHANNEL is None


def test_a_hanging_proof_is_unknown_timeout_and_the_rest_is_verified(monkeypatch):
    """A step whose proof never ends (here a strategy that hangs on one
    line) is 'unknown (timeout)' within its limit plus a second; the other
    steps and files are still verified. The runner is forked from this
    process, so it inherits the hanging strategy."""
    import sympy

    from symderive import prover
    from symderive.runner import shared
    from symderive.settings import Settings

    marker = sympy.exp(-sympy.Symbol("z", real=True))  # in the last line of the tanh definition

    def hang_on_marker(a, b, context):
        if a.has(marker) or b.has(marker):
            time.sleep(600)
        return None

    monkeypatch.setattr(prover, "STRATEGIES", (hang_on_marker,) + prover.STRATEGIES)
    shared().close()  # a fresh worker, forked now, with the hanging strategy
    files = [ROOT / "derivations" / name for name in ("001_tanh_definition.toml", "elu.toml")]
    started = time.monotonic()
    results = batch.verify_files(files, Settings(timeout=1.0), jobs=1)
    elapsed = time.monotonic() - started
    shared().close()
    tanh, elu = (report for _, report in results)
    verdicts = [step.verdict for step in tanh.steps]
    reasons = [step.evidence.reason for step in tanh.steps if step.verdict == "unknown"]
    assert "unknown" in verdicts and all("timeout" in reason for reason in reasons), verdicts
    assert "proved" in verdicts  # the steps before and after still proved
    assert elu.status == "verified"
    timeouts = len(reasons) + (tanh.closed_form is not None and tanh.closed_form.verdict == "unknown")
    assert elapsed < timeouts * (1.0 + 1.0) + 20  # each hang cut at its limit (+1 s); the rest is proving
