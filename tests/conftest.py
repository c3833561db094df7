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
