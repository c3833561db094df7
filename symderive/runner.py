"""A persistent prover worker with a per-task time limit.

``run_tasks`` forks one worker per call: simple, but the SymPy caches and
memoised normal forms a file's proofs build die with the worker, and the
next file starts cold. A ``Supervisor`` keeps one worker for a whole run
instead. The worker receives a job (verify one file), runs it, and says when
each proof task starts and ends; the supervisor holds every task to its own
limit. When a task overruns, the supervisor kills the worker, records the
task as ``timeout``, starts a new worker and gives it the same job with the
outcomes known so far: the job is deterministic, so the new worker plans the
same tasks, takes the known outcomes and goes on after the one that
overran.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from typing import Any, Callable, Iterator

from . import deadline
from .deadline import Outcome, Task


class _Channel:
    """The worker's side: runs a job's tasks inline and reports each one."""

    def __init__(self, connection, known: dict):
        self.connection, self.known, self.calls = connection, known, 0

    def run(self, tasks: list[Task]) -> list[Outcome]:
        call, self.calls = self.calls, self.calls + 1
        outcomes = []
        for index, task in enumerate(tasks):
            key = (call, index)
            if key in self.known:
                outcomes.append(self.known[key])
                continue
            self.connection.send(("start", key, task.seconds))
            outcome = deadline.run_inline(task)
            try:
                self.connection.send(("done", key, outcome))
            except (pickle.PicklingError, TypeError, AttributeError) as error:
                outcome = Outcome("error", f"unpicklable result: {error!r}")
                self.connection.send(("done", key, outcome))
            outcomes.append(outcome)
        return outcomes


def _load_sympy() -> None:
    """Import SymPy with the cyclic garbage collector off, then freeze what
    it made: the import builds hundreds of thousands of long-lived objects
    and no garbage, yet would set off collections; frozen, those objects are
    not traversed again by the proofs' collections. ``sympy.tensor.tensor``
    is what SymPy imports at its first Add, which every proof makes."""
    import gc

    gc.disable()
    try:
        import sympy.tensor.tensor  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


def _serve(connection, supervisor_end=None) -> None:
    import signal

    if supervisor_end is not None:
        # the supervisor's end, copied by fork: closed, so that the worker
        # reads end-of-file (and ends) when the supervisor is gone
        supervisor_end.close()

    # stopped by its supervisor: die at SIGTERM, leave Ctrl-C to the supervisor
    # (the CLI's handlers are inherited through fork)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    deadline.mark_worker()
    try:
        _load_sympy()
    except Exception:  # noqa: S110 - the first job's own import fails and reports why
        pass
    while True:
        try:
            fn, args, known = connection.recv()
        except EOFError:
            return
        deadline.set_channel(_Channel(connection, known))
        try:
            payload = ("result", fn(*args))
        except BaseException as error:  # reported to the supervisor, which raises it
            payload = ("failed", repr(error))
        finally:
            deadline.set_channel(None)
        try:
            connection.send(payload)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            connection.send(("failed", f"unpicklable result: {error!r}"))


class Worker:
    """One persistent prover worker and the job it is on; ``step`` advances
    the job by one message (or by a limit that passed)."""

    def __init__(self, idle_limit: float) -> None:
        self.idle_limit = idle_limit
        self.process = self.connection = None
        self.job = None
        self.known: dict = {}
        self.current = None
        self.deadline = 0.0
        self.limit = idle_limit

    def start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, self.connection), daemon=True)
        self.process.start()
        child.close()

    def stop(self, wait: bool = True) -> None:
        """The worker killed; with ``wait`` False, not waited for: a killed
        process takes ~5 ms to go (its memory is given back), and it is
        reaped later, at the next process start or at exit."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(None if wait else 0)
            self.connection.close()
        self.process = self.connection = None

    def give(self, fn: Callable[..., Any], args: tuple, known: dict | None = None) -> None:
        if self.process is None:
            self.start()
        self.job, self.known = (fn, args), (known if known is not None else {})
        self._expect(None, self.idle_limit)
        self.connection.send((fn, args, self.known))

    def _expect(self, task, limit: float) -> None:
        self.current, self.limit, self.deadline = task, limit, time.monotonic() + limit

    def step(self) -> tuple[str, Any]:
        """("running", None), ("result", value) or ("failed", reason)."""
        if not self.connection.poll(0):
            if time.monotonic() < self.deadline:
                return "running", None
            return self._lost(Outcome("timeout", f"timeout after {self.limit:g} s"),
                              f"no progress for {self.limit:g} s outside any proof")
        try:
            kind, *rest = self.connection.recv()
        except EOFError:
            return self._lost(Outcome("error", "prover worker died"), "prover worker died")
        if kind == "start":
            self._expect(*rest)
        elif kind == "done":
            self.known[rest[0]] = rest[1]
            self._expect(None, self.idle_limit)
        else:
            self.job = None
            return ("result" if kind == "result" else "failed"), rest[0]
        return "running", None

    def _lost(self, outcome: Outcome, outside: str) -> tuple[str, Any]:
        """The worker overran or died: a task's outcome is recorded and the job
        given again to a new worker; outside a task the job fails."""
        self.stop()
        if self.current is None:
            self.job = None
            return "failed", outside
        self.known[self.current] = outcome
        self.give(*self.job, known=self.known)
        return "running", None


class Supervisor:
    """One persistent worker for a series of jobs, one at a time."""

    def __init__(self) -> None:
        self.worker: Worker | None = None
        self.pid = os.getpid()

    def call(self, fn: Callable[..., Any], args: tuple, idle_limit: float) -> Any:
        """fn(*args) in the worker; its tasks each under their own limit, the
        rest of the job under ``idle_limit`` between two tasks. Raises
        RuntimeError when the job fails outside a task."""
        if self.worker is None:
            self.worker = Worker(idle_limit)
        self.worker.idle_limit = idle_limit
        self.worker.give(fn, args)
        while True:
            self.worker.connection.poll(max(0.0, self.worker.deadline - time.monotonic()))
            status, value = self.worker.step()
            if status == "result":
                return value
            if status == "failed":
                raise RuntimeError(value)

    @property
    def process(self):
        return None if self.worker is None else self.worker.process

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()


def run_jobs(jobs: list[tuple[Callable[..., Any], tuple]], workers: int, idle_limit: float,
             sizes: list[float] | None = None) -> Iterator[tuple]:
    """("result", value) or ("failed", reason) for every job, in job order,
    computed by up to ``workers`` persistent workers at once.

    With ``sizes`` (an estimate of each job's work), the largest jobs are
    given out first, so that a large one does not start last and keep one
    worker busy while the others are done; the results still come in job
    order."""
    from multiprocessing.connection import wait

    pool = [Worker(idle_limit) for _ in range(max(1, min(workers, len(jobs))))]
    order = sorted(range(len(jobs)), key=lambda i: (-sizes[i], i)) if sizes is not None else range(len(jobs))
    waiting = [(i, jobs[i]) for i in order][::-1]
    busy: dict[Worker, int] = {}
    done: dict[int, tuple] = {}
    following = 0
    try:
        while following < len(jobs):
            for worker in pool:
                if worker not in busy and waiting:
                    index, (fn, args) = waiting.pop()
                    worker.give(fn, args)
                    busy[worker] = index
            if busy:
                soonest = min(worker.deadline for worker in busy)
                wait([worker.connection for worker in busy], max(0.0, soonest - time.monotonic()))
                for worker in list(busy):
                    status, value = worker.step()
                    if status != "running":
                        done[busy.pop(worker)] = (status, value)
                        if not waiting:
                            worker.stop(wait=False)  # nothing left for it: stopped while the others work
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        for worker in pool:
            worker.stop(wait=False)


_SHARED: Supervisor | None = None


def kill_workers() -> None:
    """Every worker this process started, killed and not waited for (before
    the process ends without the interpreter's teardown, which would have
    stopped them)."""
    for process in multiprocessing.active_children():
        process.kill()


def shared() -> Supervisor:
    """This process's supervisor (a forked process makes its own: an
    inherited one talks to its parent's worker)."""
    global _SHARED
    if _SHARED is None or _SHARED.pid != os.getpid():
        _SHARED = Supervisor()
    return _SHARED
