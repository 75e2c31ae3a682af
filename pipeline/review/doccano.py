"""doccano: annotate output as a sequence-labelling project with relations, and doccano's JSONL export back as gold.

doccano marks spans and draws relations but has no text fields on a span, so:

* the spans are the PERSON and ORG entities;
* relations are ``antecedent`` (from a later short reference to the full mention)
  and ``affiliation`` (from a person to each ORG span of the institution the text
  attaches to them: ``중국사회과학원``, ``공업경제연구소``);
* everything else (ids in the tables, hanja, titles, posts) rides along in the
  line's ``hanlink`` field, which doccano keeps as the example's metadata and
  writes back on export.

On import a span the annotator kept gets its fields back; a new or relabelled span
has none (``kb_id`` null: link it again with ``hanlink annotate``, or fix it in the
JSONL); a person whose ``affiliation`` arrows changed gets the institution those
arrows point at (the text from the first ORG span to the last, the id of the
last), in ``affiliation`` and in the post that had the old one.

Examples
--------
>>> record = {"id": "d1", "text": "허쥔 중국사회과학원 주임", "entities": [
...     {"start": 0, "end": 2, "text": "허쥔", "label": "PERSON", "kb_id": None, "title": "주임",
...      "affiliation": {"text": "중국사회과학원", "kb_id": "I0003", "start": 3, "end": 10},
...      "roles": [{"title": "주임", "former": False,
...                 "institution": {"text": "중국사회과학원", "kb_id": "I0003", "start": 3, "end": 10}}]},
...     {"start": 3, "end": 10, "text": "중국사회과학원", "label": "ORG", "kb_id": "I0003"}]}
>>> line = record_to_line(record)
>>> line["entities"][0], line["relations"]
({'id': 1, 'label': 'PERSON', 'start_offset': 0, 'end_offset': 2}, [{'id': 1, 'from_id': 1, 'to_id': 2, 'type': 'affiliation'}])
>>> gold = line_to_record({**line, "id": 41}, "export.jsonl", 1)
>>> gold["id"], gold["entities"][0]["affiliation"]["kb_id"], gold["entities"][1]["kb_id"]
('d1', 'I0003', 'I0003')
"""
from __future__ import annotations

from typing import Any

from pipeline.review.gold import LABELS, check_spans, gold_entity

__all__ = ["SOURCE", "record_to_line", "line_to_record"]

#: ``source`` of an imported entity.
SOURCE = "doccano"

#: The relation types (create them in the doccano project).
ANTECEDENT, AFFILIATION = "antecedent", "affiliation"

#: The metadata field that carries what doccano cannot show.
META = "hanlink"

_KEPT = ("kb_id", "hanja", "title", "affiliation", "roles")


def _affiliation_targets(person: dict[str, Any], entities: list[dict[str, Any]]) -> list[int]:
    """Positions of the ORG entities lying inside the person's affiliation as written."""
    affiliation = person.get("affiliation") or {}
    start, end = affiliation.get("start"), affiliation.get("end")
    if start is None or end is None:
        return []
    return [n for n, e in enumerate(entities) if e["label"] == "ORG" and start <= e["start"] and e["end"] <= end]


def record_to_line(record: dict[str, Any]) -> dict[str, Any]:
    """One line of doccano's JSONL import (sequence labelling with relations) for an annotate record."""
    entities = record["entities"]
    spans = [{"id": n + 1, "label": e["label"], "start_offset": e["start"], "end_offset": e["end"]}
             for n, e in enumerate(entities)]
    position = {(e["start"], e["end"]): n for n, e in enumerate(entities)}
    relations = []
    fields = []
    for n, entity in enumerate(entities):
        kept = {key: entity.get(key) for key in _KEPT if key in entity}
        fields.append({"start": entity["start"], "end": entity["end"], "label": entity["label"], **kept})
        if entity["label"] != "PERSON":
            continue
        targets = _affiliation_targets(entity, entities)
        fields[-1]["affiliation_targets"] = [[entities[t]["start"], entities[t]["end"]] for t in targets]
        for target in targets:
            relations.append({"from_id": n + 1, "to_id": target + 1, "type": AFFILIATION})
        antecedent = entity.get("antecedent")
        if antecedent and (antecedent["start"], antecedent["end"]) in position:
            relations.append({"from_id": n + 1, "to_id": position[(antecedent["start"], antecedent["end"])] + 1,
                              "type": ANTECEDENT})
    relations = [{"id": number, **relation} for number, relation in enumerate(relations, start=1)]
    line: dict[str, Any] = {"text": record["text"], "entities": spans, "relations": relations,
                            "doc_id": record["id"], META: {"entities": fields}}
    if record.get("meta"):
        line[META]["meta"] = record["meta"]
    return line


def line_to_record(line: Any, source: str, number: int) -> dict[str, Any]:
    """A record in annotate's shape from one line of doccano's JSONL export.

    Reads the ``entities`` and ``relations`` of a relation project, or the
    ``label`` list (``[start, end, label]``) of a plain sequence-labelling one; the
    text under ``text`` (or ``data``); the metadata at the top level (doccano's
    export) or under ``meta``.

    Raises
    ------
    ValueError
        Naming ``source``, the line and the document when the line is not such an object or a span is wrong.
    """
    where = f"{source}, line {number}"
    if not isinstance(line, dict):
        raise ValueError(f"{where}: expected a JSON object (doccano's JSONL export)")
    meta = line.get("meta") if isinstance(line.get("meta"), dict) else {}
    carried = line.get(META) or meta.get(META) or {}
    doc_id = str(line.get("doc_id") or meta.get("doc_id") or f"doccano-{line.get('id', number)}")
    where = f"{where} (document {doc_id!r})"
    text = line.get("text", line.get("data"))
    if not isinstance(text, str):
        raise ValueError(f"{where}: no 'text'; is this doccano's JSONL export of a sequence-labelling project?")
    spans = _spans(line, text, where)
    fields = {(f["start"], f["end"], f["label"]): f for f in carried.get("entities") or () if isinstance(f, dict)}
    by_id = {span_id: span for span_id, span in spans}
    antecedent: dict[Any, dict[str, int]] = {}
    targets: dict[Any, list[dict[str, Any]]] = {}
    for relation in line.get("relations") or ():
        source_span, target_span = by_id.get(relation.get("from_id")), by_id.get(relation.get("to_id"))
        if source_span is None or target_span is None:
            raise ValueError(f"{where}: relation {relation.get('id')} joins spans that are not in 'entities'")
        if relation.get("type") == ANTECEDENT:
            later, first = sorted((source_span, target_span), key=lambda s: s["start"], reverse=True)
            antecedent[later["id"]] = {"start": first["start"], "end": first["end"]}
        elif relation.get("type") == AFFILIATION:
            person, org = sorted((source_span, target_span), key=lambda s: s["label"] != "PERSON")
            if (person["label"], org["label"]) != ("PERSON", "ORG"):
                raise ValueError(f"{where}: relation {relation.get('id')} ({AFFILIATION}) must join a PERSON and "
                                 "an ORG span")
            targets.setdefault(person["id"], []).append(org)
    entities = []
    for span_id, span in spans:
        kept = fields.get((span["start"], span["end"], span["label"]), {})
        values = {key: kept.get(key) for key in _KEPT}
        if span["label"] == "PERSON":
            drawn = sorted((t["start"], t["end"]) for t in targets.get(span_id, []))
            written = sorted(tuple(pair) for pair in kept.get("affiliation_targets") or ())
            if "relations" in line and drawn != written:
                _redraw_affiliation(values, drawn, text, fields)
        entities.append(gold_entity(text, span["start"], span["end"], span["label"], source=SOURCE,
                                    antecedent=antecedent.get(span_id), **values))
    record: dict[str, Any] = {"id": doc_id, "text": text, "entities": check_spans(entities, where)}
    if isinstance(carried.get("meta"), dict):
        record["meta"] = carried["meta"]
    return record


def _spans(line: dict[str, Any], text: str, where: str) -> list[tuple[Any, dict[str, Any]]]:
    """``(doccano id, span)`` for every entity of the line."""
    if "entities" in line:
        raw = [(e.get("id"), e.get("start_offset"), e.get("end_offset"), e.get("label"))
               for e in line.get("entities") or () if isinstance(e, dict)]
    else:
        raw = [(n, *item) for n, item in enumerate(line.get("label") or ()) if isinstance(item, list)
               and len(item) == 3]
    spans = []
    for span_id, start, end, label in raw:
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            raise ValueError(f"{where}: span {span_id} ({start}, {end}) is not a span of the text of "
                             f"length {len(text)}")
        if label not in LABELS:
            raise ValueError(f"{where}: span {span_id} {text[start:end]!r} has the label {label!r}; hanlink "
                             f"reads {', '.join(LABELS)} (name the doccano labels so)")
        spans.append((span_id, {"id": span_id, "start": start, "end": end, "label": label}))
    return spans


def _redraw_affiliation(values: dict[str, Any], drawn: list[tuple[int, int]], text: str,
                        fields: dict[tuple[int, int, str], dict[str, Any]]) -> None:
    """Set ``affiliation`` (and the post that had the old one) to the institution the arrows point at."""
    old = values.get("affiliation")
    new = None
    if drawn:
        start, end = drawn[0][0], drawn[-1][1]
        unit = fields.get((drawn[-1][0], drawn[-1][1], "ORG"), {})
        new = {"text": text[start:end], "kb_id": unit.get("kb_id"), "start": start, "end": end}
    values["affiliation"] = new
    roles = [dict(role) for role in values.get("roles") or ()]
    replaced = False
    for role in roles:
        if old and role.get("institution") == old:
            role["institution"], replaced = new, True
    if not replaced and new:
        roles.insert(0, {"title": values.get("title"), "institution": new, "former": False})
    values["roles"] = [role for role in roles if role.get("title") or role.get("institution")]
