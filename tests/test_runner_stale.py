"""A call to the persistent worker left mid-job (Ctrl-C, an exception in the
caller) must not leave that job's answer for the next call: the next call
would return another job's result (one derivation file's verdicts reported
under another file's name).
"""

import signal
import time

import pytest

from symderive.runner import Supervisor


def _slow(value):
    time.sleep(1.0)
    return value


def _quick(value):
    return value


class _Interrupted(Exception):
    pass


def _interrupt(signum, frame):
    raise _Interrupted()


def test_a_call_left_mid_job_does_not_answer_the_next_call():
    supervisor = Supervisor()
    previous = signal.signal(signal.SIGALRM, _interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(_Interrupted):
            supervisor.call(_slow, ("first",), idle_limit=30)
        signal.setitimer(signal.ITIMER_REAL, 0)
        time.sleep(1.2)  # the first job would have answered by now
        assert supervisor.call(_quick, ("second",), idle_limit=30) == "second"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        supervisor.close()
