"""TRANSITIONAL: the time-limited runner is ``symderive.runner``; this
module re-exports it for the modules that still import it from here
(prove_numeric, output_form, post/proving, post/check, post/importer). It
goes once they import ``runner``."""

from .runner import (Outcome, Task, Timeout, forking, in_worker, mark_worker, run_inline,  # noqa: F401
                     run_tasks, run_with_deadline)
