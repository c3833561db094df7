"""Files written atomically: a reader sees the old file or the new one,
never half of it. The bottom of the output layer: every writer of documents,
plots and derivation files uses it, and it imports nothing of symderive."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["write_bytes_atomically", "write_text_atomically"]


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder
    renamed over it, so readers see the old file or the new one, never half."""
    path = Path(path)
    folder = path.parent
    temp = folder / f".{path.name}.{secrets.token_hex(8)}.tmp"
    # os.open with 0o666 lets the umask decide the permissions, like open().
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically."""
    write_bytes_atomically(path, text.encode("utf-8"))
