"""Temporary files that a killed run left beside the file it was writing.

Writers here write ``.NAME.PID[.TAG].tmp`` beside ``NAME`` and rename it over ``NAME`` when whole. A
``kill -9`` between the two leaves the temporary behind; the next writer of ``NAME`` removes those of
processes that are gone (a live process may still be writing its own).
"""
from __future__ import annotations

import os
import re
from pathlib import Path


def process_alive(pid: int) -> bool:
    """True when a process ``pid`` exists (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(path: Path) -> int:
    """Remove the temporary files of ``path`` left by processes that are gone, and ``NAME.tmp`` of earlier
    versions; returns how many were removed.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".kb.npz.999999999.ab12.tmp").write_bytes(b"x")
    >>> _ = (folder / f".kb.npz.{os.getpid()}.cd34.tmp").write_bytes(b"x")
    >>> remove_stale(folder / "kb.npz"), sorted(p.name for p in folder.iterdir()) == [f".kb.npz.{os.getpid()}.cd34.tmp"]
    (1, True)
    """
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)(?:\.[0-9a-f]+)?\.tmp$")
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        match = pattern.match(entry.name)
        stale = entry.name == path.name + ".tmp" or (match and not process_alive(int(match.group(1))))
        if stale and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed
