"""Readable views of annotation records (for the terminal and notebooks)."""
from __future__ import annotations

import unicodedata
from typing import Iterable

PEOPLE_COLUMNS = ("doc", "name", "hanja", "title", "institution", "speaker_id", "institution_id", "score")


def people_rows(records: Iterable[dict]) -> list[dict]:
    """One row per PERSON mention: name, hanja, title, institution and the linked ids."""
    rows = []
    for record in records:
        for ent in record.get("entities", []):
            if ent.get("label") != "PERSON":
                continue
            affiliation = ent.get("affiliation") or {}
            rows.append({
                "doc": record.get("id"),
                "name": ent.get("text"),
                "hanja": ent.get("hanja") or "",
                "title": ent.get("title") or "",
                "institution": affiliation.get("text") or "",
                "speaker_id": ent.get("kb_id") or "NIL",
                "institution_id": affiliation.get("kb_id") or "",
                "score": "" if ent.get("score") is None else f"{ent['score']:.2f}",
            })
    return rows


def _width(text: str) -> int:
    """Display width in a terminal: Hangul, hanja and other wide characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def people_table(records: Iterable[dict]) -> str:
    """The people of ``records`` as an aligned text table.

    >>> print(people_table([{"id": "d", "entities": [{"label": "PERSON", "text": "허쥔", "hanja": "賀俊",
    ...     "title": "주임", "kb_id": "P0002", "score": 1.0,
    ...     "affiliation": {"text": "중국사회과학원 공업경제연구소", "kb_id": "I0004"}}]}]))
    doc  name  hanja  title  institution                    speaker_id  institution_id  score
    d    허쥔  賀俊   주임   중국사회과학원 공업경제연구소  P0002       I0004           1.00
    """
    rows = people_rows(records)
    if not rows:
        return "(no people found)"
    widths = {c: max(_width(c), *(_width(str(r[c])) for r in rows)) for c in PEOPLE_COLUMNS}
    lines = ["  ".join(_pad(c, widths[c]) for c in PEOPLE_COLUMNS).rstrip()]
    for row in rows:
        lines.append("  ".join(_pad(str(row[c]), widths[c]) for c in PEOPLE_COLUMNS).rstrip())
    return "\n".join(lines)
