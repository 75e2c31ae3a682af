"""The output object of ``hanlink annotate`` (one JSON object per document; ``../shared/CONTRACT.md``).

This module owns the record in all its lives:

=================================  ==============================================================
types                              :class:`DocumentRecord`, :class:`EntityRecord`,
                                   :class:`AffiliationRecord`, :class:`RoleRecord`, :class:`SpanRef`
from spaCy                         :func:`doc_record`, :func:`entity_record` (Doc → record)
reading                            :func:`read_records` / :func:`iter_records`: the one validating
                                   reader of annotate JSONL (errors name the file and the line);
                                   :func:`json_lines`, the JSONL line reader under it
flattening                         :func:`mention_rows` / :func:`mentions_frame` (one row per
                                   mention) and :func:`people_rows` (the people view)
=================================  ==============================================================

Nothing here imports spaCy or pandas before it is needed, so scripts can read
and flatten annotate output without loading the pipeline.

Examples
--------
>>> record = {"id": "d1", "text": "허쥔(賀俊) 주임", "entities": [
...     {"start": 0, "end": 2, "text": "허쥔", "label": "PERSON", "kb_id": "P0002", "score": 1.0,
...      "hanja": "賀俊", "forms": {}, "title": "주임", "affiliation": None}]}
>>> check_record(record)["entities"][0]["kb_id"]
'P0002'
>>> [(row["doc_id"], row["text"], row["kb_id"], row["title"]) for row in mention_rows([record])]
[('d1', '허쥔', 'P0002', '주임')]
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Literal, NamedTuple, TypedDict

try:
    from typing import NotRequired
except ImportError:  # Python 3.10
    from typing_extensions import NotRequired

from pipeline.errors import InputDocumentError

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc, Span


# ---------------------------------------------------------------------------
# types


class SpanRef(TypedDict):
    """Character offsets of another mention of the same document (an entity's ``antecedent``)."""

    start: int
    end: int


class AffiliationRecord(TypedDict):
    """An institution as stated with a person: ``affiliation`` and a role's ``institution``."""

    text: str
    kb_id: str | None
    start: NotRequired[int | None]
    end: NotRequired[int | None]


class RoleRecord(TypedDict):
    """One post the text states for a person (added 2026-12)."""

    title: str
    institution: AffiliationRecord | None
    former: bool


class EntityRecord(TypedDict):
    """One mention. ``roles`` and ``antecedent`` (added 2026-12) are absent in older files."""

    start: int
    end: int
    text: str
    label: str
    kb_id: str | None
    score: float | None
    hanja: str | None
    forms: dict[str, str]
    title: str | None
    affiliation: AffiliationRecord | None
    roles: NotRequired[list[RoleRecord]]
    antecedent: NotRequired[SpanRef | None]
    source: NotRequired[str | None]


class DocumentRecord(TypedDict):
    """One line of annotate output: ``{"id", "text", "entities"}`` and, when the input had them, ``meta``."""

    id: str
    text: str
    entities: list[EntityRecord]
    meta: NotRequired[dict[str, Any]]


# ---------------------------------------------------------------------------
# from spaCy


def entity_record(ent: Span) -> dict[str, Any]:
    """One entity in the contract's shape.

    Keys: start, end, text, label, kb_id, score, hanja, forms, title, affiliation
    (``{"text", "kb_id", "start", "end"}`` or None); for a PERSON also ``roles``
    (every post stated at this mention, in text order) and, for a later short
    reference (김 원장은), ``antecedent`` (``{"start", "end"}`` of the full mention);
    plus ``source``, the recognizer that found it.
    """
    from pipeline import extensions  # noqa: F401  (the span attributes read below)

    affiliation = ent._.affiliation
    score = ent._.score
    record = {
        "start": ent.start_char,
        "end": ent.end_char,
        "text": ent.text,
        "label": ent.label_,
        "kb_id": ent.kb_id_ or None,
        "score": None if score is None else round(float(score), 4),
        "hanja": ent._.hanja,
        "forms": dict(ent._.forms or {}),
        "title": ent._.title if ent.label_ == "PERSON" else None,
        "affiliation": None if not affiliation or ent.label_ != "PERSON" else {
            "text": affiliation["text"], "kb_id": affiliation.get("kb_id"),
            "start": affiliation["start"], "end": affiliation["end"],
        },
        "source": ent._.source,
    }
    if ent.label_ == "PERSON":
        record["roles"] = [role_record(role) for role in ent._.roles or ()]
        if ent._.antecedent:
            record["antecedent"] = {"start": ent._.antecedent["start"], "end": ent._.antecedent["end"]}
    return record


def role_record(role: dict[str, Any]) -> dict[str, Any]:
    """One post in the contract's shape: ``{"title", "institution": {"text", "kb_id", "start", "end"} or
    None, "former"}``."""
    institution = role.get("institution")
    return {
        "title": role.get("title"),
        "institution": None if not institution else {
            "text": institution["text"], "kb_id": institution.get("kb_id"),
            "start": institution["start"], "end": institution["end"],
        },
        "former": bool(role.get("former")),
    }


def doc_record(doc: Doc, doc_id: str, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """The output object of one document: ``{"id", "text", "entities"}`` (+ ``meta`` when given)."""
    record: dict[str, Any] = {"id": doc_id, "text": doc.text, "entities": [entity_record(e) for e in doc.ents]}
    if meta:
        record["meta"] = meta
    return record


# ---------------------------------------------------------------------------
# reading


class JsonLine(NamedTuple):
    """One non-blank line of a JSONL file."""

    number: int
    """1-based line number."""
    value: Any
    """The parsed JSON value (None when ``problem`` is set)."""
    problem: str | None
    """What is wrong with the line (not UTF-8, not JSON), or None."""
    end: int
    """Byte offset just after the line."""
    complete: bool
    """Whether the line ends with a newline (False only for a last line cut short)."""


def json_lines(path: str | os.PathLike) -> Iterator[JsonLine]:
    """The non-blank lines of a JSONL file, parsed (a byte-order mark on the first line is allowed).

    Raises
    ------
    InputDocumentError
        When the file cannot be opened.
    """
    offset = 0
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputDocumentError(f"cannot read: {exc.strerror}", str(path)) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            offset += len(raw)
            if not raw.strip():
                continue
            complete = raw.endswith(b"\n")
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield JsonLine(number, None, f"not UTF-8 ({exc.reason} at byte {exc.start})", offset, complete)
                continue
            try:
                value = parse_json(text)
            except ValueError as exc:
                yield JsonLine(number, None, str(exc), offset, complete)
                continue
            yield JsonLine(number, value, None, offset, complete)


def parse_json(text: str) -> Any:
    """``json.loads(text)``, with every way a line can fail to parse (bad syntax, nesting too deep for
    Python, an integer of thousands of digits) as a :class:`ValueError` whose message says what to fix.

    >>> parse_json('{"id": ' + '9' * 5000 + '}')
    Traceback (most recent call last):
    ValueError: a number of more than 4300 digits; write it as a string
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = "column" if exc.msg.endswith(" at") else "at column"  # "Unterminated string starting at"
        raise ValueError(f"not JSON ({exc.msg} {where} {exc.colno})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply (arrays or objects inside one another); flatten it") from None
    except ValueError as exc:  # int() of too many digits (sys.get_int_max_str_digits)
        if "digits" in str(exc):
            raise ValueError("a number of more than 4300 digits; write it as a string") from None
        raise ValueError(f"not JSON ({exc})") from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(value: Any, kind: type | tuple[type, ...]) -> bool:
    return value is None or (isinstance(value, kind) and not isinstance(value, bool))


def _check_institution(value: Any, where: str) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        raise ValueError(f"{where} must be null or an object with a string 'text'")
    if not _optional(value.get("kb_id"), str):
        raise ValueError(f"{where}.kb_id must be a string or null")
    for key in ("start", "end"):
        if not _optional(value.get(key), int):
            raise ValueError(f"{where}.{key} must be an integer or null")


def _check_entity(ent: Any, position: int, text: str | None) -> None:
    where = f"entity {position}"
    if not isinstance(ent, dict):
        raise ValueError(f"{where} is not an object")
    if not isinstance(ent.get("label"), str):
        raise ValueError(f"{where} needs a string 'label'")
    start, end = ent.get("start"), ent.get("end")
    if not _is_int(start) or not _is_int(end):
        raise ValueError(f"{where} needs integer 'start' and 'end'")
    if not 0 <= start < end or (text is not None and end > len(text)):
        size = "" if text is None else f" of length {len(text)}"
        raise ValueError(f"{where}: ({start}, {end}) is not a span of the text{size}")
    surface = ent.get("text")
    if surface is not None:
        if not isinstance(surface, str):
            raise ValueError(f"{where}: 'text' must be a string")
        if text is not None and text[start:end] != surface:
            raise ValueError(f"{where}: 'text' {surface!r} is not text[{start}:{end}] = {text[start:end]!r}")
    for key in ("kb_id", "hanja", "title"):
        if not _optional(ent.get(key), str):
            raise ValueError(f"{where}: {key!r} must be a string or null")
    if not _optional(ent.get("score"), (int, float)):
        raise ValueError(f"{where}: 'score' must be a number or null")
    if not _optional(ent.get("forms"), dict):
        raise ValueError(f"{where}: 'forms' must be an object")
    _check_institution(ent.get("affiliation"), f"{where}: 'affiliation'")
    roles = ent.get("roles")
    if roles is not None:
        if not isinstance(roles, list):
            raise ValueError(f"{where}: 'roles' must be a list")
        for number, role in enumerate(roles):
            if not isinstance(role, dict) or not _optional(role.get("title"), str):
                raise ValueError(f"{where}: role {number} must be an object with a string 'title'")
            _check_institution(role.get("institution"), f"{where}: role {number}: 'institution'")
            if not isinstance(role.get("former", False), bool):
                raise ValueError(f"{where}: role {number}: 'former' must be true or false")
    antecedent = ent.get("antecedent")
    if antecedent is not None and not (isinstance(antecedent, dict) and _is_int(antecedent.get("start"))
                                       and _is_int(antecedent.get("end"))):
        raise ValueError(f"{where}: 'antecedent' must be null or an object with integer 'start' and 'end'")


def check_record(obj: Any, source: str | None = None, line: int | None = None, *,
                 default_id: str | None = None) -> DocumentRecord:
    """``obj`` as a :class:`DocumentRecord`, checked against the contract (its ``id`` made a string).

    Required: ``id`` (unless ``default_id`` is given) and an ``entities`` list
    whose items have a string ``label`` and integer ``start < end``. Every other
    field is optional (gold files carry only some) but must have the contract's
    type; an entity's ``text`` must equal the document's ``text[start:end]``.

    Raises
    ------
    InputDocumentError
        Naming ``source``, ``line`` and the document id, and what is wrong.
    """
    if not isinstance(obj, dict):
        raise InputDocumentError(f"expected a JSON object, got {type(obj).__name__}", source, line=line)
    doc_id = obj.get("id")
    if doc_id is None or doc_id == "":
        if default_id is None:
            raise InputDocumentError("no 'id' field; is this the output of `hanlink annotate`?", source, line=line)
        doc_id = default_id
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
        raise InputDocumentError(f"'id' must be a string, not {type(doc_id).__name__}", source, line=line)
    doc_id = str(doc_id)
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise InputDocumentError("'text' must be a string", source, doc_id, line)
    entities = obj.get("entities")
    if not isinstance(entities, list):
        raise InputDocumentError("no 'entities' list; is this the output of `hanlink annotate`?", source, doc_id, line)
    try:
        for position, ent in enumerate(entities):
            _check_entity(ent, position, text)
    except ValueError as exc:
        raise InputDocumentError(str(exc), source, doc_id, line) from None
    if obj.get("meta") is not None and not isinstance(obj["meta"], dict):
        raise InputDocumentError("'meta' must be an object", source, doc_id, line)
    if obj.get("id") != doc_id:
        obj = {**obj, "id": doc_id}
    return obj  # type: ignore[return-value]


class RecordLine(NamedTuple):
    """A record with where it was read."""

    number: int
    """1-based line number."""
    record: DocumentRecord
    end: int
    """Byte offset just after the line (for ``--resume``: everything before it is whole)."""


def iter_records(path: str | os.PathLike, *, on_problem: Callable[[str], None] | None = None,
                 incomplete_last_line: Literal["error", "skip"] = "error",
                 require_id: bool = True) -> Iterator[RecordLine]:
    """The records of an annotate JSONL file, checked (:func:`check_record`), with their line numbers.

    Parameters
    ----------
    path
        The file.
    on_problem : callable, optional
        Called with the message (``FILE, line N: what``) of a bad line, which is then
        skipped; without it a bad line raises.
    incomplete_last_line : {"error", "skip"}
        ``"skip"`` leaves out a last line without its newline (the trace of an
        interrupted write, which ``--resume`` cuts off); ``"error"`` reads it like
        any other line.
    require_id : bool
        When False a record without ``id`` gets ``FILE-NAME:LINE`` (gold files).

    Raises
    ------
    InputDocumentError
        For a bad line when ``on_problem`` is None, or a file that cannot be read.
    """
    source = str(path)
    name = Path(path).name
    for line in json_lines(path):
        if not line.complete and incomplete_last_line == "skip":
            return
        try:
            if line.problem is not None:
                raise InputDocumentError(line.problem, source, line=line.number)
            record = check_record(line.value, source, line.number,
                                  default_id=None if require_id else f"{name}:{line.number}")
        except InputDocumentError as exc:
            if on_problem is None:
                raise
            on_problem(str(exc))
            continue
        yield RecordLine(line.number, record, line.end)


def read_records(path: str | os.PathLike, **options: Any) -> Iterator[DocumentRecord]:
    """The records of an annotate JSONL file (:func:`iter_records` without the line numbers).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> _ = path.write_text('{"id": "a", "text": "x", "entities": []}\\n{"id": "b", "entities": 3}\\n')
    >>> next(read_records(path))["id"]
    'a'
    >>> list(read_records(path))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pipeline.errors.InputDocumentError: .../out.jsonl, line 2 / id 'b': no 'entities' list; ...
    """
    return (line.record for line in iter_records(path, **options))


# ---------------------------------------------------------------------------
# flattening

#: Columns of the mention table (``hanlink annotate --mentions``, :func:`mentions_frame`).
MENTION_COLUMNS = ["doc_id", "start", "end", "label", "text", "kb_id", "score", "hanja", "title",
                   "affiliation", "affiliation_kb_id", "source"]


def mention_rows(records: Iterable[DocumentRecord]) -> Iterator[dict[str, Any]]:
    """One flat row (:data:`MENTION_COLUMNS`) per entity of ``records``; empty fields are None."""
    for record in records:
        for ent in record.get("entities", []):
            affiliation = ent.get("affiliation") or {}
            yield {
                "doc_id": record["id"], "start": ent["start"], "end": ent["end"], "label": ent["label"],
                "text": ent.get("text"), "kb_id": ent.get("kb_id"), "score": ent.get("score"),
                "hanja": ent.get("hanja"), "title": ent.get("title"),
                "affiliation": affiliation.get("text"), "affiliation_kb_id": affiliation.get("kb_id"),
                "source": ent.get("source"),
            }


def mentions_frame(records: Iterable[DocumentRecord] = (), *,
                   rows: Iterable[dict[str, Any]] | None = None) -> pd.DataFrame:
    """The mention table (:data:`MENTION_COLUMNS`) of ``records``, or of ``rows`` already flattened
    by :func:`mention_rows`, as a pandas DataFrame."""
    import pandas as pd

    if rows is None:
        rows = mention_rows(records)
    frame = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "score": "float64"})


#: Columns of the people view (:func:`people_rows`, ``hanlink annotate --format table``).
PEOPLE_COLUMNS = ("doc", "name", "hanja", "title", "institution", "speaker_id", "institution_id", "score")


def people_rows(records: Iterable[DocumentRecord]) -> list[dict[str, str]]:
    """One row of text cells per PERSON mention: name, hanja, title, institution and the linked ids.

    >>> people_rows([{"id": "d", "entities": [{"start": 0, "end": 2, "label": "PERSON", "text": "허쥔",
    ...     "kb_id": None, "score": 0.5}]}])
    [{'doc': 'd', 'name': '허쥔', 'hanja': '', 'title': '', 'institution': '', 'speaker_id': 'NIL', \
'institution_id': '', 'score': '0.50'}]
    """
    return [{
        "doc": row["doc_id"], "name": row["text"], "hanja": row["hanja"] or "", "title": row["title"] or "",
        "institution": row["affiliation"] or "", "speaker_id": row["kb_id"] or "NIL",
        "institution_id": row["affiliation_kb_id"] or "",
        "score": "" if row["score"] is None else f"{row['score']:.2f}",
    } for row in mention_rows(records) if row["label"] == "PERSON"]
