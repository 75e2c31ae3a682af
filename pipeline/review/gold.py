"""Corrected entities in annotate's output shape: the gold that ``hanlink evaluate --gold`` reads.

An annotation tool gives back what a person checked: the spans, their labels,
the ids in the tables, the hanja, titles, institutions, posts and later short
references. Those are the *gold fields* (:data:`GOLD_FIELDS`). What only the
machine knows (``score``, ``forms``) is not gold: an imported entity has
``score: null`` and ``forms: {}``, and its ``source`` names the tool.

Examples
--------
>>> entity = gold_entity("허쥔 주임", 0, 2, "PERSON", source="label-studio", title="주임")
>>> {key: entity[key] for key in ("text", "label", "kb_id", "title", "roles", "score")}
{'text': '허쥔', 'label': 'PERSON', 'kb_id': None, 'title': '주임', 'roles': [], 'score': None}
>>> gold_view({"start": 0, "end": 2, "text": "허쥔", "label": "ORG", "kb_id": "I1", "score": 0.5})
{'start': 0, 'end': 2, 'text': '허쥔', 'label': 'ORG', 'kb_id': 'I1', 'hanja': None, 'title': None, \
'affiliation': None}
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

__all__ = ["LABELS", "GOLD_FIELDS", "gold_entity", "gold_view", "check_spans", "write_gold"]

#: The labels an annotator gives (``label`` of the contract).
LABELS = ("PERSON", "ORG")

#: The fields of an entity that a person checks and an import gives back.
GOLD_FIELDS = ("start", "end", "text", "label", "kb_id", "hanja", "title", "affiliation", "roles", "antecedent")


def gold_entity(text: str, start: int, end: int, label: str, *, source: str, kb_id: str | None = None,
                hanja: str | None = None, title: str | None = None, affiliation: dict[str, Any] | None = None,
                roles: list[dict[str, Any]] | None = None,
                antecedent: dict[str, int] | None = None) -> dict[str, Any]:
    """One entity in the contract's shape, from what an annotator gave.

    A PERSON always has ``roles`` (possibly empty); ``antecedent`` is present only
    for a later short reference. An ORG has no title, affiliation or roles.
    """
    person = label == "PERSON"
    entity: dict[str, Any] = {
        "start": start, "end": end, "text": text[start:end], "label": label, "kb_id": kb_id or None,
        "score": None, "hanja": hanja or None, "forms": {},
        "title": (title or None) if person else None, "affiliation": affiliation if person else None,
        "source": source,
    }
    if person:
        entity["roles"] = list(roles or [])
        if antecedent:
            entity["antecedent"] = {"start": antecedent["start"], "end": antecedent["end"]}
    return entity


def gold_view(entity: dict[str, Any]) -> dict[str, Any]:
    """The :data:`GOLD_FIELDS` of an entity (annotate output or gold), for comparing the two.

    Absent fields are None; a PERSON's ``roles`` is a list (empty when absent), an ORG
    has none; ``antecedent`` is there only when set (a later short reference).
    """
    view = {key: entity.get(key) for key in ("start", "end", "text", "label", "kb_id", "hanja", "title")}
    view["affiliation"] = _institution(entity.get("affiliation"))
    if entity.get("label") == "PERSON":
        view["roles"] = [{"title": role.get("title"), "institution": _institution(role.get("institution")),
                          "former": bool(role.get("former"))} for role in entity.get("roles") or ()]
    if entity.get("antecedent"):
        view["antecedent"] = {"start": entity["antecedent"]["start"], "end": entity["antecedent"]["end"]}
    return view


def _institution(institution: dict[str, Any] | None) -> dict[str, Any] | None:
    """An institution with the contract's four keys only."""
    if not institution:
        return None
    return {"text": institution["text"], "kb_id": institution.get("kb_id"),
            "start": institution.get("start"), "end": institution.get("end")}


def check_spans(entities: Iterable[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """The entities sorted by offsets, refused when two overlap or one is repeated.

    Annotate never writes overlapping entities and the training of the statistical
    model cannot take them, so gold may not have them either.

    Raises
    ------
    ValueError
        Naming ``where`` (the task or document) and both spans: fix them in the tool and export again.
    """
    ordered = sorted(entities, key=lambda e: (e["start"], e["end"], e["label"]))
    for before, after in zip(ordered, ordered[1:]):
        if after["start"] < before["end"]:
            raise ValueError(f"{where}: the spans {before['label']} {before['text']!r} ({before['start']}-"
                             f"{before['end']}) and {after['label']} {after['text']!r} ({after['start']}-"
                             f"{after['end']}) overlap; keep one of them in the annotation tool and export again")
    return ordered


def write_gold(records: Iterable[dict[str, Any]], path: str | os.PathLike | None) -> int:
    """Write ``records`` as JSONL (UTF-8, one per line) to ``path`` (standard output when None);
    returns how many were written. The file is written whole or not at all."""
    import sys

    lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in records]
    if path is None:
        sys.stdout.writelines(lines)
        return len(lines)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(lines)
    os.replace(partial, path)
    return len(lines)
