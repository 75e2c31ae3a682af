"""Speaker directory: people and institutions collected from annotate output (``hanlink directory``).

* :mod:`.build` — :func:`build_directory` and the :class:`Directory` it returns;
* :mod:`.cluster` — NIL people grouped across scripts and compatible institutions;
* :mod:`.files` — reading annotate output, writing CSV/Parquet/SQLite atomically;
* :mod:`.command` — the options and the run of ``hanlink directory``.

``Directory``, ``build_directory`` and ``read_directory`` are imported on first use (they need pandas).
"""
from __future__ import annotations

from typing import Any

__all__ = ["Directory", "build_directory", "read_directory"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from pipeline.directory import build

        return getattr(build, name)
    raise AttributeError(f"module 'pipeline.directory' has no attribute {name!r}")
