"""The people of annotation records as an aligned text table (``hanlink annotate --format table``).

The rows are :func:`pipeline.records.people_rows`; this module only lays them out for a terminal.
"""
from __future__ import annotations

import unicodedata
from typing import Iterable

from pipeline.records import PEOPLE_COLUMNS


def _width(text: str) -> int:
    """Display width in a terminal: Hangul, hanja and other wide characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _printable(text: str) -> str:
    """``text`` with control and format characters (ESC, BEL, CR, bidi overrides …) written as escapes,
    so that an id or a name from the input cannot drive the terminal.

    >>> print(_printable("a\\x1b[2Jb\\u202e"))
    a\\x1b[2Jb\\u202e
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def people_table(rows: Iterable[dict[str, str]]) -> str:
    """People rows (:func:`pipeline.records.people_rows`) as an aligned text table.

    >>> from pipeline.records import people_rows
    >>> print(people_table(people_rows([{"id": "d", "entities": [{"start": 0, "end": 2, "label": "PERSON",
    ...     "text": "허쥔", "hanja": "賀俊", "title": "주임", "kb_id": "P0002", "score": 1.0,
    ...     "affiliation": {"text": "중국사회과학원 공업경제연구소", "kb_id": "I0004"}}]}])))
    doc  name  hanja  title  institution                    speaker_id  institution_id  score
    d    허쥔  賀俊   주임   중국사회과학원 공업경제연구소  P0002       I0004           1.00
    """
    rows = [{c: _printable(str(row[c])) for c in PEOPLE_COLUMNS} for row in rows]
    if not rows:
        return "(no people found)"
    widths = {c: max(_width(c), *(_width(str(r[c])) for r in rows)) for c in PEOPLE_COLUMNS}
    lines = ["  ".join(_pad(c, widths[c]) for c in PEOPLE_COLUMNS).rstrip()]
    for row in rows:
        lines.append("  ".join(_pad(str(row[c]), widths[c]) for c in PEOPLE_COLUMNS).rstrip())
    return "\n".join(lines)
