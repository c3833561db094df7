"""Run proofs under time limits, in worker processes that can be killed.

A runaway SymPy call cannot hang the caller, whatever thread calls it (a
``signal.alarm`` limit only works in the main thread): the work runs in a
forked worker that is killed when a task overruns. Where ``fork`` is not
available the work runs in-process without a limit.

A proof is a ``Task``; ``run_tasks`` runs a list of them, each under its own
limit, and returns every task's ``Outcome`` in order. A ``Worker`` is one
forked process on one job: it runs the job's tasks inline and reports when
each starts and ends; its owner holds each task to its limit. When a task
overruns, the owner kills the worker, records the task as ``timeout``,
starts a new worker and gives it the same job with the outcomes known so far:
the job is deterministic, so the new worker plans the same tasks, takes the
known outcomes and goes on after the one that overran.

``run_tasks`` outside any worker forks a worker for that one list. A
``Supervisor`` instead keeps one worker for a whole run (``shared()``), so
the SymPy caches and memoised normal forms one file's proofs build serve the
next; ``run_jobs`` keeps several.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence


class Timeout(Exception):
    """The function did not return within its limit."""


@dataclass(frozen=True)
class Task:
    """``fn(*args)`` to be computed within ``seconds``."""

    fn: Callable[..., Any]
    args: tuple
    seconds: float


@dataclass(frozen=True)
class Outcome:
    """What became of a task: ``value`` when ``status`` is "ok", else the
    reason ("timeout" or "error")."""

    status: str
    value: Any

    def unwrap(self):
        """The value; Timeout or RuntimeError when the task did not finish."""
        if self.status == "timeout":
            raise Timeout(self.value)
        if self.status == "error":
            raise RuntimeError(self.value)
        return self.value


# This process's place: a worker (its limits kept by its owner), and the
# channel its tasks are reported through while it is on a job.
_IN_WORKER = False
_CHANNEL = None


def mark_worker() -> None:
    """This process is a prover worker: limits are kept by its owner."""
    global _IN_WORKER
    _IN_WORKER = True


def in_worker() -> bool:
    """Whether this process is a prover worker (its limits kept by its owner)."""
    return _IN_WORKER


def forking() -> bool:
    """Whether limits can be kept here by forking (else work runs unlimited)."""
    return "fork" in multiprocessing.get_all_start_methods() and not os.environ.get("SYMDERIVE_NO_FORK")


def run_inline(task: Task) -> Outcome:
    try:
        return Outcome("ok", task.fn(*task.args))
    except Timeout as error:
        return Outcome("timeout", str(error))
    except Exception as error:  # as a worker reports it
        return Outcome("error", repr(error))


def run_tasks(tasks: Sequence[Task]) -> list[Outcome]:
    """Every task's outcome, in order; each task is stopped at its own limit
    and the ones after it still run."""
    if _CHANNEL is not None:
        return _CHANNEL.run(list(tasks))
    if _IN_WORKER or not forking():
        return [run_inline(task) for task in tasks]
    worker = Worker(ONE_LIST_IDLE_LIMIT, preload=False)  # forked from the process that made the tasks
    try:
        worker.give(run_tasks, (list(tasks),))
        while True:
            worker.connection.poll(max(0.0, worker.deadline - time.monotonic()))
            status, value = worker.step()
            if status == "result":
                return value
            if status == "failed":  # outside any task: the ones not done share its reason
                return [worker.known.get((0, index), Outcome("error", value)) for index in range(len(tasks))]
    finally:
        worker.stop()


def run_with_deadline(fn: Callable[..., Any], args: tuple, seconds: float) -> Any:
    """``fn(*args)``, computed within ``seconds`` (else Timeout). Inside a
    worker it runs inline: the enclosing task's limit bounds it."""
    if _IN_WORKER or not forking():
        return fn(*args)
    return run_tasks([Task(fn, args, seconds)])[0].unwrap()


ONE_LIST_IDLE_LIMIT = 60.0  # a worker on one list of tasks, between two of them


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
            outcome = run_inline(task)
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


def _serve(connection, owner_end, first_job, preload: bool) -> None:
    import signal

    # the owner's end, copied by fork: closed, so that the worker reads
    # end-of-file (and ends) when the owner is gone
    owner_end.close()
    # stopped by its owner: die at SIGTERM, leave Ctrl-C to the owner
    # (the CLI's handlers are inherited through fork)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    mark_worker()
    if preload:
        try:
            _load_sympy()
        except Exception:  # noqa: S110 - the first job's own import fails and reports why
            pass
    global _CHANNEL
    job = first_job
    while True:
        if job is None:
            try:
                job = connection.recv()
            except EOFError:
                return
        fn, args, known = job
        job = None
        _CHANNEL = _Channel(connection, known)
        try:
            payload = ("result", fn(*args))
        except BaseException as error:  # reported to the owner, which raises it
            payload = ("failed", repr(error))
        finally:
            _CHANNEL = None
        try:
            connection.send(payload)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            connection.send(("failed", f"unpicklable result: {error!r}"))


class Worker:
    """One prover worker and the job it is on; ``step`` advances the job by
    one message (or by a limit that passed). With ``preload``, a new worker
    imports SymPy before its first job."""

    def __init__(self, idle_limit: float, preload: bool = True) -> None:
        self.idle_limit, self.preload = idle_limit, preload
        self.process = self.connection = None
        self.job = None
        self.known: dict = {}
        self.current = None
        self.deadline = 0.0
        self.limit = idle_limit

    def _start(self, job: tuple) -> None:
        """A new worker on ``job``, handed over by fork: not pickled."""
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, self.connection, job, self.preload),
                                       daemon=True)
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
        self.job, self.known = (fn, args), (known if known is not None else {})
        self._expect(None, self.idle_limit)
        if self.process is None:
            self._start((fn, args, self.known))
        else:
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
        try:
            while True:
                self.worker.connection.poll(max(0.0, self.worker.deadline - time.monotonic()))
                status, value = self.worker.step()
                if status == "result":
                    return value
                if status == "failed":
                    raise RuntimeError(value)
        except BaseException as error:
            if not isinstance(error, RuntimeError):
                # left mid-job (Ctrl-C, a reply that cannot be read): the worker would answer this job
                # to the next call, so it goes, and the next call starts a fresh one
                self.close()
                self.worker = None
            raise

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
