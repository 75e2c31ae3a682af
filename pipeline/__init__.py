"""hanlink: find Chinese and Korean people and institutions in Korean text and link them.

>>> import pipeline
>>> nlp = pipeline.load()
>>> doc = nlp("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다.")
>>> [(e.text, e.label_, e.kb_id_) for e in doc.ents]
[('허쥔', 'PERSON', 'P0002'), ('중국사회과학원', 'ORG', 'I0003'), ('공업경제연구소', 'ORG', 'I0004')]
"""
from __future__ import annotations

__version__ = "0.1.0"

from pipeline.errors import BackendUnavailableError, HanlinkError, InputDocumentError, TableError, UsageError
from pipeline.explore import compare, lookup, plot_institutions, render, to_frame
from pipeline.loader import load

__all__ = [
    "load", "to_frame", "render", "lookup", "plot_institutions", "compare", "HanlinkError", "TableError", "InputDocumentError", "UsageError", "BackendUnavailableError",
    "__version__",
]
