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
from typing import Any, Callable

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


def _serve(connection) -> None:
    import signal

    # stopped by its supervisor: die at SIGTERM, leave Ctrl-C to the supervisor
    # (the CLI's handlers are inherited through fork)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    deadline.mark_worker()
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


class Supervisor:
    """One persistent worker, restarted after a task that overran."""

    def __init__(self) -> None:
        self.process = None
        self.connection = None
        self.pid = os.getpid()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def _stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.connection.close()
        self.process = self.connection = None

    def call(self, fn: Callable[..., Any], args: tuple, idle_limit: float) -> Any:
        """fn(*args) in the worker; its tasks each under their own limit, the
        rest of the job under ``idle_limit`` between two tasks. Raises
        RuntimeError when the job fails outside a task."""
        known: dict = {}
        while True:
            if self.process is None:
                self._start()
            self.connection.send((fn, args, known))
            current, limit = None, idle_limit
            while True:
                if not self.connection.poll(limit):
                    self._stop()
                    if current is None:
                        raise RuntimeError(f"no progress for {limit:g} s outside any proof")
                    known[current] = Outcome("timeout", f"timeout after {limit:g} s")
                    break
                try:
                    kind, *rest = self.connection.recv()
                except EOFError:
                    self._stop()
                    if current is None:
                        raise RuntimeError("prover worker died") from None
                    known[current] = Outcome("error", "prover worker died")
                    break
                if kind == "start":
                    current, limit = rest
                elif kind == "done":
                    known[rest[0]] = rest[1]
                    current, limit = None, idle_limit
                elif kind == "result":
                    return rest[0]
                else:
                    raise RuntimeError(rest[0])

    def close(self) -> None:
        self._stop()


_SHARED: Supervisor | None = None


def shared() -> Supervisor:
    """This process's supervisor (a forked process makes its own: an
    inherited one talks to its parent's worker)."""
    global _SHARED
    if _SHARED is None or _SHARED.pid != os.getpid():
        _SHARED = Supervisor()
    return _SHARED
