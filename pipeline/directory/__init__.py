"""Speaker directory: people and institutions collected from annotate output (``hanlink directory``).

* :mod:`.build` — :func:`build_directory` and the :class:`Directory` it returns;
* :mod:`.cluster` — NIL people grouped across scripts and compatible institutions;
* :mod:`.files` — reading annotate output, writing CSV/Parquet/SQLite atomically.
"""
from pipeline.directory.build import Directory, build_directory, read_directory

__all__ = ["Directory", "build_directory", "read_directory"]
