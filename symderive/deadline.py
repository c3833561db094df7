"""Run functions with a hard time limit.

The work runs in a forked child process that is killed at the deadline, so a
runaway SymPy call cannot hang the caller, whatever thread calls it (a
``signal.alarm`` limit only works in the main thread). Where ``fork`` is not
available the function runs in-process without a limit.

``run_tasks`` runs a whole list of tasks in one child, each under its own
limit: the child reports every result as it finishes, and when one task
overruns the child is killed and a new child takes up the task after it.
A file's steps then cost one fork, not one each, and the SymPy caches one
step warms serve the next.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from dataclasses import dataclass
from typing import Any, Callable, Sequence


class Timeout(Exception):
    """The function did not return within its limit."""


_IN_WORKER = False
_CHANNEL = None  # in a persistent worker (runner.py): reports each task to its supervisor


def mark_worker() -> None:
    """This process is a prover worker: limits are kept by its parent."""
    global _IN_WORKER
    _IN_WORKER = True


def set_channel(channel) -> None:
    global _CHANNEL
    _CHANNEL = channel


def _child(conn, fn, args) -> None:
    global _IN_WORKER
    _IN_WORKER = True
    try:
        result = ("ok", fn(*args))
    except BaseException as error:  # reported to the parent, which re-raises
        result = ("error", repr(error))
    try:
        conn.send(result)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        conn.send(("error", f"unpicklable result: {error!r}"))
    finally:
        conn.close()


def in_worker() -> bool:
    """Whether this process is a prover worker (its limits kept by its parent)."""
    return _IN_WORKER


def forking() -> bool:
    """Whether limits can be kept here by forking (else work runs unlimited)."""
    return _forking()


def _forking() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and not os.environ.get("SYMDERIVE_NO_FORK")


def run_with_deadline(fn: Callable[..., Any], args: tuple, seconds: float) -> Any:
    """``fn(*args)`` computed in a child process killed after ``seconds``."""
    if _IN_WORKER:
        # already inside a worker: the enclosing deadline bounds this call too
        return fn(*args)
    if not _forking():
        return fn(*args)
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, fn, args), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise Timeout(f"timeout after {seconds:g} s")
        status, value = parent.recv()
    except EOFError as error:
        raise RuntimeError("prover worker died") from error
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()
    if status == "error":
        raise RuntimeError(value)
    return value


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


def _run_all(conn, tasks: Sequence[Task], start: int) -> None:
    global _IN_WORKER
    _IN_WORKER = True
    for index in range(start, len(tasks)):
        task = tasks[index]
        try:
            result = ("ok", task.fn(*task.args))
        except BaseException as error:  # reported to the parent as this task's outcome
            result = ("error", repr(error))
        try:
            conn.send((index,) + result)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            conn.send((index, "error", f"unpicklable result: {error!r}"))
    conn.close()


def run_tasks(tasks: Sequence[Task]) -> list[Outcome]:
    """Every task's outcome, in order; each task is stopped at its own limit
    and the ones after it still run."""
    if _CHANNEL is not None:
        return _CHANNEL.run(list(tasks))
    if _IN_WORKER or not _forking():
        return [run_inline(task) for task in tasks]
    outcomes: list[Outcome] = []
    context = multiprocessing.get_context("fork")
    while len(outcomes) < len(tasks):
        parent, child = context.Pipe(duplex=False)
        process = context.Process(target=_run_all, args=(child, tasks, len(outcomes)), daemon=True)
        process.start()
        child.close()
        try:
            while len(outcomes) < len(tasks):
                seconds = tasks[len(outcomes)].seconds
                if not parent.poll(seconds):
                    outcomes.append(Outcome("timeout", f"timeout after {seconds:g} s"))
                    break
                try:
                    index, status, value = parent.recv()
                except EOFError:
                    outcomes.append(Outcome("error", "prover worker died"))
                    break
                outcomes.append(Outcome(status, value))
        finally:
            if process.is_alive():
                process.kill()
            process.join()
            parent.close()
    return outcomes


def run_inline(task: Task) -> Outcome:
    try:
        return Outcome("ok", task.fn(*task.args))
    except Timeout as error:
        return Outcome("timeout", str(error))
    except Exception as error:  # as the forked path reports it
        return Outcome("error", repr(error))
