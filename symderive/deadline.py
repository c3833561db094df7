"""Run a function with a hard time limit.

The work runs in a forked child process that is killed at the deadline, so a
runaway SymPy call cannot hang the caller, whatever thread calls it (a
``signal.alarm`` limit only works in the main thread). Where ``fork`` is not
available the function runs in-process without a limit, which is said in the
result.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from typing import Any, Callable


class Timeout(Exception):
    """The function did not return within its limit."""


_IN_WORKER = False


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


def run_with_deadline(fn: Callable[..., Any], args: tuple, seconds: float) -> Any:
    """``fn(*args)`` computed in a child process killed after ``seconds``."""
    if _IN_WORKER:
        # already inside a worker: the enclosing deadline bounds this call too
        return fn(*args)
    if "fork" not in multiprocessing.get_all_start_methods() or os.environ.get(
        "SYMDERIVE_NO_FORK"
    ):
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
