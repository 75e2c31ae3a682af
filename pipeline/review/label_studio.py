"""Label Studio: annotate output as tasks with pre-annotations, and Label Studio's JSON export back as gold.

What an annotator sees (:func:`labeling_config`): the document with every PERSON
and ORG span marked; selecting a span opens its fields — the id in the tables
(``kb_id``), the ``hanja``, and for a person the ``title``, the ``affiliation``
and every post (``roles``), one per line (syntax: :mod:`pipeline.review.post_lines`).
A later short reference (``김 원장은``) is tied to the full mention by an
``antecedent`` relation (an arrow between the two PERSON spans).

Functions
---------
:func:`labeling_config`   the labeling configuration (XML) the tasks are made for
:func:`record_to_task`    one annotate record → one task with ``predictions``
:func:`tasks_to_records`  Label Studio's JSON export → records in annotate's shape (the gold)

Offsets are Python string indices (code points), as annotate writes them and as
Label Studio stores them.

Examples
--------
>>> record = {"id": "d1", "text": "허쥔 주임이 말했다", "entities": [
...     {"start": 0, "end": 2, "text": "허쥔", "label": "PERSON", "kb_id": "P0002", "score": 0.9,
...      "hanja": "賀俊", "forms": {}, "title": "주임", "affiliation": None,
...      "roles": [{"title": "주임", "institution": None, "former": False}]}]}
>>> task = record_to_task(record)
>>> [(r["from_name"], r["value"].get("labels") or r["value"]["text"]) for r in task["predictions"][0]["result"]]
[('label', ['PERSON']), ('kb_id', ['P0002']), ('hanja', ['賀俊']), ('title', ['주임']), ('roles', ['주임'])]
>>> exported = [{"id": 7, "data": task["data"], "annotations": [{"result": task["predictions"][0]["result"]}]}]
>>> gold, report = tasks_to_records(exported)
>>> gold[0]["entities"][0]["kb_id"], gold[0]["entities"][0]["roles"], report.used
('P0002', [{'title': '주임', 'institution': None, 'former': False}], 1)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable
from xml.sax.saxutils import escape

from pipeline.review.gold import LABELS, check_spans, gold_entity
from pipeline.review.post_lines import format_institution, format_role, parse_institution, parse_role

__all__ = ["SOURCE", "FIELDS", "labeling_config", "record_to_task", "records_to_tasks", "tasks_to_records",
           "ImportReport"]

#: ``source`` of an imported entity.
SOURCE = "label-studio"

#: Name of the ``Labels`` control (and of the ``Text`` object it marks).
LABEL_CONTROL, TEXT_OBJECT = "label", "text"

#: The per-span text fields: name → (which labels have it, what the annotator is told).
FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "kb_id": (("PERSON", "ORG"), "id in the speaker or institution table (empty: not in the tables)"),
    "hanja": (("PERSON", "ORG"), "hanja the text gives for the name (empty: none)"),
    "title": (("PERSON",), "title (직함) the text gives at this mention"),
    "affiliation": (("PERSON",), "institution, parent first: NAME [ID] (START-END)"),
    "roles": (("PERSON",), "every post, one a line: TITLE @ NAME [ID] (START-END); 'former: ' before a past post"),
}

#: The relation an annotator draws from a later short reference to the full mention.
ANTECEDENT = "antecedent"

_COLOURS = {"PERSON": "#f4a261", "ORG": "#8ecae6"}


def labeling_config() -> str:
    """The Label Studio labeling configuration (XML) of the tasks :func:`record_to_task` writes.

    >>> '<Label value="PERSON"' in labeling_config() and 'perRegion="true"' in labeling_config()
    True
    """
    labels = "\n".join(f'    <Label value="{label}" background="{_COLOURS[label]}"/>' for label in LABELS)
    fields = []
    for name, (labels_with, hint) in FIELDS.items():
        condition = "" if len(labels_with) == len(LABELS) else \
            f' whenTagName="{LABEL_CONTROL}" whenLabelValue="{",".join(labels_with)}"'
        single = ' maxSubmissions="1"' if name != "roles" else ""
        fields.append(f'  <View visibleWhen="region-selected"{condition}>\n'
                      f'    <Header value="{escape(name)}: {escape(hint)}" size="6"/>\n'
                      f'    <TextArea name="{name}" toName="{TEXT_OBJECT}" perRegion="true" editable="true"'
                      f'{single} rows="{3 if name == "roles" else 1}"/>\n  </View>')
    return (f'<View>\n  <Header value="$doc_id"/>\n'
            f'  <Labels name="{LABEL_CONTROL}" toName="{TEXT_OBJECT}">\n{labels}\n  </Labels>\n'
            f'  <Relations>\n    <Relation value="{ANTECEDENT}"/>\n  </Relations>\n'
            f'  <Text name="{TEXT_OBJECT}" value="${TEXT_OBJECT}" granularity="symbol"/>\n'
            + "\n".join(fields) + "\n</View>\n")


# ---------------------------------------------------------------------------
# export


def record_to_task(record: dict[str, Any], *, model_version: str = "hanlink") -> dict[str, Any]:
    """One Label Studio task: ``data`` (``text``, ``doc_id`` and the record's ``meta`` as ``doc_meta``)
    and one prediction whose ``result`` marks every entity with its fields.

    A ``antecedent`` whose span is not an entity of the record cannot be drawn and is left out
    (annotate never writes one).
    """
    text = record["text"]
    data: dict[str, Any] = {TEXT_OBJECT: text, "doc_id": record["id"]}
    if record.get("meta"):
        data["doc_meta"] = record["meta"]
    result: list[dict[str, Any]] = []
    region_of: dict[tuple[int, int], str] = {}
    for number, entity in enumerate(record["entities"]):
        region = f"e{number}"
        start, end = entity["start"], entity["end"]
        region_of.setdefault((start, end), region)
        span = {"start": start, "end": end, "text": text[start:end]}
        labels_result = {"id": region, "from_name": LABEL_CONTROL, "to_name": TEXT_OBJECT, "type": "labels",
                         "value": {**span, "labels": [entity["label"]]}}
        if entity.get("score") is not None:
            labels_result["score"] = entity["score"]
        result.append(labels_result)
        for name, lines in _field_lines(entity).items():
            if lines:
                result.append({"id": region, "from_name": name, "to_name": TEXT_OBJECT, "type": "textarea",
                               "value": {**span, "text": lines}})
    for number, entity in enumerate(record["entities"]):
        antecedent = entity.get("antecedent")
        target = antecedent and region_of.get((antecedent["start"], antecedent["end"]))
        if target:
            result.append({"from_id": f"e{number}", "to_id": target, "type": "relation", "direction": "right",
                           "labels": [ANTECEDENT]})
    scores = [e["score"] for e in record["entities"] if e.get("score") is not None]
    prediction = {"model_version": model_version, "result": result}
    if scores:
        prediction["score"] = round(min(scores), 4)
    return {"data": data, "predictions": [prediction]}


def _field_lines(entity: dict[str, Any]) -> dict[str, list[str]]:
    """The text of each field of :data:`FIELDS` for ``entity`` (empty lists for empty fields)."""
    lines = {"kb_id": [entity.get("kb_id") or ""], "hanja": [entity.get("hanja") or ""]}
    if entity["label"] == "PERSON":
        lines["title"] = [entity.get("title") or ""]
        lines["affiliation"] = [format_institution(entity.get("affiliation"))]
        lines["roles"] = [format_role(role) for role in entity.get("roles") or ()]
    return {name: [line for line in values if line] for name, values in lines.items()}


# ---------------------------------------------------------------------------
# import


@dataclass
class ImportReport:
    """What an import did: tasks used, tasks left out (no annotation), and warnings to show."""

    used: int = 0
    unreviewed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def tasks_to_records(tasks: Any, *, source_name: str = "export", unreviewed: str = "skip"
                     ) -> tuple[list[dict[str, Any]], ImportReport]:
    """Records in annotate's shape from Label Studio's JSON export (a list of tasks).

    Each task's annotation is read: the one marked ground truth, else the latest
    submitted (not skipped) one. A task without one is left out (``unreviewed="skip"``,
    listed in the report) or read from its latest prediction (``"predictions"``).

    Raises
    ------
    ValueError
        Naming ``source_name``, the task (its Label Studio id and document id) and the
        region when the export is not Label Studio's JSON export or a span is wrong.
    """
    if not isinstance(tasks, list):
        raise ValueError(f"{source_name}: expected a JSON list of tasks (Label Studio's 'JSON' export), got "
                         f"{type(tasks).__name__}; export the project as JSON, not JSON-MIN or CSV")
    report = ImportReport()
    records = []
    for position, task in enumerate(tasks, start=1):
        where = f"{source_name}, task {position}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict) \
                or not isinstance(task["data"].get(TEXT_OBJECT), str):
            raise ValueError(f"{where}: no data.{TEXT_OBJECT}; is this Label Studio's 'JSON' export of a project "
                             "made with `hanlink export --labeling-config`?")
        data = task["data"]
        doc_id = str(data.get("doc_id") or data.get("id") or f"label-studio-{task.get('id', position)}")
        where = f"{source_name}, task {task.get('id', position)} (document {doc_id!r})"
        chosen = _chosen_annotation(task)
        if chosen is None and unreviewed == "predictions" and task.get("predictions"):
            chosen = task["predictions"][-1]
            if not isinstance(chosen, dict):
                raise ValueError(f"{where}: the export lists the predictions by id only (as Label Studio's Export "
                                 "button writes them); submit the task in Label Studio, or export with "
                                 "predictions included (an export snapshot with the 'predictions' option)")
        if chosen is None:
            report.unreviewed.append(doc_id)
            continue
        entities = _entities(chosen.get("result") or [], data[TEXT_OBJECT], where, report.warnings)
        record: dict[str, Any] = {"id": doc_id, "text": data[TEXT_OBJECT], "entities": entities}
        if isinstance(data.get("doc_meta"), dict):
            record["meta"] = data["doc_meta"]
        records.append(record)
        report.used += 1
    return records, report


def _chosen_annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The ground-truth annotation, else the latest submitted one; None when there is none."""
    annotations = [a for a in task.get("annotations") or () if isinstance(a, dict) and not a.get("was_cancelled")]
    if not annotations:
        return None
    truth = [a for a in annotations if a.get("ground_truth")]
    return max(truth or annotations, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""),
                                                      a.get("id") or 0))


def _entities(result: list[Any], text: str, where: str, warnings: list[str]) -> list[dict[str, Any]]:
    spans: dict[str, dict[str, Any]] = {}
    fields: dict[str, dict[str, list[str]]] = {}
    relations = []
    for item in result:
        if not isinstance(item, dict):
            raise ValueError(f"{where}: a result item is not an object")
        kind = item.get("type")
        if kind == "relation":
            relations.append(item)
            continue
        region = str(item.get("id"))
        value = item.get("value") or {}
        if kind == "labels" and item.get("from_name") == LABEL_CONTROL:
            spans[region] = _span(value, text, f"{where}, region {region}")
        elif kind == "textarea" and item.get("from_name") in FIELDS:
            lines = value.get("text") or []
            fields.setdefault(region, {})[item["from_name"]] = [lines] if isinstance(lines, str) else list(lines)
        else:
            warnings.append(f"{where}, region {region}: {kind} result of {item.get('from_name')!r} ignored "
                            "(not part of hanlink's labeling configuration)")
    antecedents = _antecedents(relations, spans, where, warnings)
    entities = []
    for region, span in spans.items():
        context = f"{where}, region {region} ({span['label']} {span['text']!r})"
        entities.append(_entity(span, fields.get(region, {}), antecedents.get(region), text, context))
    return check_spans(entities, where)


def _span(value: dict[str, Any], text: str, where: str) -> dict[str, Any]:
    start, end, labels = value.get("start"), value.get("end"), value.get("labels") or []
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise ValueError(f"{where}: ({start}, {end}) is not a span of the text of length {len(text)}")
    if len(labels) != 1 or labels[0] not in LABELS:
        raise ValueError(f"{where}: labels {labels} — give the span exactly one of {', '.join(LABELS)}")
    written = value.get("text")
    if isinstance(written, str) and written != text[start:end]:
        raise ValueError(f"{where}: the span's text {written!r} is not text[{start}:{end}] = {text[start:end]!r}; "
                         "was the task's text changed in Label Studio?")
    return {"start": start, "end": end, "label": labels[0], "text": text[start:end]}


def _antecedents(relations: list[dict[str, Any]], spans: dict[str, dict[str, Any]], where: str,
                 warnings: list[str]) -> dict[str, dict[str, int]]:
    """Region of a later short reference → offsets of its antecedent, from the ``antecedent`` arrows.

    The direction of the arrow does not matter: the reference is the later of the two PERSON spans.
    """
    found: dict[str, dict[str, int]] = {}
    for relation in relations:
        labels = relation.get("labels") or []
        ends = [spans.get(str(relation.get("from_id"))), spans.get(str(relation.get("to_id")))]
        if labels and ANTECEDENT not in labels:
            warnings.append(f"{where}: relation {labels} ignored (hanlink reads '{ANTECEDENT}' only)")
            continue
        if None in ends or any(span["label"] != "PERSON" for span in ends):
            warnings.append(f"{where}: an {ANTECEDENT} relation that does not join two PERSON spans was ignored")
            continue
        regions = [str(relation["from_id"]), str(relation["to_id"])]
        first, later = sorted(range(2), key=lambda i: (ends[i]["start"], ends[i]["end"]))
        found[regions[later]] = {"start": ends[first]["start"], "end": ends[first]["end"]}
    return found


def _entity(span: dict[str, Any], lines: dict[str, list[str]], antecedent: dict[str, int] | None, text: str,
            where: str) -> dict[str, Any]:
    near = (span["start"], span["end"])

    def one(name: str) -> str | None:
        values = [line.strip() for line in lines.get(name, []) if line.strip()]
        if len(values) > 1:
            raise ValueError(f"{where}: {name} has {len(values)} lines ({values}); keep one")
        return values[0] if values else None

    try:
        affiliation = parse_institution(one("affiliation") or "", text, near=near)
        roles = [role for role in (parse_role(line, text, near=near) for line in lines.get("roles", [])) if role]
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return gold_entity(text, span["start"], span["end"], span["label"], source=SOURCE, kb_id=one("kb_id"),
                       hanja=one("hanja"), title=one("title"), affiliation=affiliation, roles=roles,
                       antecedent=antecedent)


def records_to_tasks(records: Iterable[dict[str, Any]], *, model_version: str = "hanlink") -> list[dict[str, Any]]:
    """:func:`record_to_task` for every record."""
    return [record_to_task(record, model_version=model_version) for record in records]
