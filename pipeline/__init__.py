"""hanlink: find Chinese and Korean people and institutions in Korean text and link them.

>>> import pipeline
>>> nlp = pipeline.load()
>>> doc = nlp("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다.")
>>> [(e.text, e.label_, e.kb_id_) for e in doc.ents]
[('허쥔', 'PERSON', 'P0002'), ('중국사회과학원', 'ORG', 'I0003'), ('공업경제연구소', 'ORG', 'I0004')]

``import pipeline`` imports neither spaCy nor pandas: :func:`load` and the notebook helpers
(:func:`to_frame`, :func:`render`, …, from :mod:`pipeline.explore`) are loaded on first use, so
``hanlink --help`` and scripts that only read annotate output start fast.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

from pipeline.errors import BackendUnavailableError, HanlinkError, InputDocumentError, TableError, UsageError

#: Public names imported on first use, and the module each comes from.
_LAZY = {
    "load": "pipeline.loader",
    "to_frame": "pipeline.explore",
    "render": "pipeline.explore",
    "lookup": "pipeline.explore",
    "plot_institutions": "pipeline.explore",
    "compare": "pipeline.explore",
}

__all__ = [
    "load", "to_frame", "render", "lookup", "plot_institutions", "compare", "HanlinkError", "TableError",
    "InputDocumentError", "UsageError", "BackendUnavailableError", "__version__",
]


def __getattr__(name: str) -> Any:
    """``pipeline.load`` and friends, and submodules (``pipeline.explore``), imported when first asked for."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"pipeline.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"pipeline.{name}":
                raise
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
