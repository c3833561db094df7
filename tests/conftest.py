import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

# The CLI caches verdicts in the user's cache directory; the tests use their
# own, empty at the start of every session, so no test depends on an earlier run.
import os as _os
import tempfile as _tempfile

_os.environ["SYMDERIVE_CACHE_DIR"] = _tempfile.mkdtemp(prefix="symderive-test-cache-")

# Hypothesis profiles of the fuzz tests (tests/test_fuzz.py): "fast" for
# normal runs, "extended" (SYMDERIVE_FUZZ=extended) for >= 10,000 examples
# per front end. The fuzz tests take their settings from the selected
# profile; other tests keep Hypothesis's defaults, so no profile is loaded.
import os

from hypothesis import HealthCheck, settings

FUZZ_PROFILE = os.environ.get("SYMDERIVE_FUZZ", "fast")
FUZZ_EXAMPLES = {"fast": 150, "extended": 10_000}  # per front end
for _name, _count in FUZZ_EXAMPLES.items():
    # No Hypothesis deadline: timing on a shared machine is noise; the fuzz
    # tests put their own wall-clock limit on each example instead.
    settings.register_profile(_name, max_examples=_count, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                     HealthCheck.filter_too_much])
