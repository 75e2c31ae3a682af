"""Readers of ``hanlink annotate``'s inputs: every input kind → :class:`InputDocument` or :class:`Failure`.

Inputs (``../shared/CONTRACT.md``): ``.txt`` files, folders of ``.txt``
(:func:`read_text_folder`), ``.jsonl``, ``.csv``, ``.parquet`` and standard input.
A document that cannot be read becomes a :class:`Failure` that goes to the errors
file while the batch goes on; :func:`read_inputs` reads them all in order.
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

from pipeline.errors import InputDocumentError, UsageError
from pipeline.loader import MAX_LENGTH
from pipeline.records import parse_json

TEXT_SUFFIXES = {".txt"}
#: Longest document accepted: the pipeline's own limit (``nlp.max_length``).
MAX_DOCUMENT_CHARS = MAX_LENGTH


@dataclass
class InputDocument:
    """One input document of ``hanlink annotate`` (its id, text, where it was read and its other fields)."""

    id: str
    text: str
    source: str
    line: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """An input document that could not be read or processed."""

    id: str | None
    source: str
    error: str
    line: int | None = None

    def record(self) -> dict[str, Any]:
        source = self.source + (f":{self.line}" if self.line is not None else "")
        return {"id": self.id, "source": source, "error": self.error}


Item = InputDocument | Failure


# -- readers -----------------------------------------------------------------------
def _decode(data: bytes, source: str, doc_id: str | None, line: int | None = None) -> str:
    if b"\x00" in data[:8192] and data.count(b"\x00") > len(data) // 10:
        raise InputDocumentError("looks like a binary file (many NUL bytes); give UTF-8 text", source, doc_id, line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputDocumentError(
            f"not valid UTF-8 at byte {exc.start} ({exc.reason}); convert the file to UTF-8 "
            "(e.g. iconv -f cp949 -t utf-8)", source, doc_id, line) from None


def _check_text(text: Any, source: str, doc_id: str | None, line: int | None = None) -> str:
    if not isinstance(text, str):
        raise InputDocumentError(f"text is {type(text).__name__}, not a string", source, doc_id, line)
    if not text.strip():
        raise InputDocumentError("empty document (no text, or only whitespace)", source, doc_id, line)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # e.g. a JSON "\ud800" escape: no text can hold it
        raise InputDocumentError(f"lone surrogate U+{ord(text[exc.start]):04X} at character {exc.start}; "
                                 "fix the escape in the input", source, doc_id, line) from None
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputDocumentError(f"document of {len(text):,} characters is longer than the limit of "
                                 f"{MAX_DOCUMENT_CHARS:,}; split it", source, doc_id, line)
    return text


def _document(doc_id: str, text: Any, source: str, line: int | None = None,
              meta: dict[str, Any] | None = None) -> Item:
    """The :class:`InputDocument` of a text that passes :func:`_check_text`, else the :class:`Failure` saying why
    (the one place every reader turns a bad text into a failure)."""
    try:
        return InputDocument(doc_id, _check_text(text, source, doc_id, line), source, line, meta or {})
    except InputDocumentError as exc:
        return Failure(doc_id, source, str(exc), line)


def read_text_file(path: Path, doc_id: str | None = None) -> Item:
    """One ``.txt`` file as one document (its id: the file name without extension)."""
    doc_id = doc_id or path.stem
    try:
        text = _decode(path.read_bytes(), str(path), doc_id)
    except InputDocumentError as exc:
        return Failure(doc_id, str(path), str(exc))
    except OSError as exc:
        return Failure(doc_id, str(path), f"{path}: cannot read: {exc.strerror}")
    return _document(doc_id, text, str(path))


def read_text_folder(path: Path) -> Iterator[Item]:
    """Every ``.txt`` file below ``path``, sorted by path (not :func:`pipeline.directory.read_directory`, which
    reads a built speaker directory)."""
    for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES and p.is_file()):
        yield read_text_file(file)


def read_jsonl(path: Path, id_column: str = "id", text_column: str = "text") -> Iterator[Item]:
    """One document per line of a JSONL file (``id_column`` and ``text_column``; other fields go to ``meta``)."""
    source = str(path)
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                line = _decode(raw, source, None, number)
                obj = parse_json(line)
            except InputDocumentError as exc:
                yield Failure(None, source, str(exc), number)
                continue
            except ValueError as exc:
                yield Failure(None, source, f"{source}, line {number}: {exc}", number)
                continue
            if not isinstance(obj, dict):
                yield Failure(None, source, f"{source}, line {number}: expected a JSON object, got "
                              f"{type(obj).__name__}", number)
                continue
            doc_id = obj.get(id_column)
            doc_id = None if doc_id is None else str(doc_id)
            if doc_id is None or doc_id == "":
                yield Failure(None, source, f"{source}, line {number}: no {id_column!r} field", number)
                continue
            if text_column not in obj:
                yield Failure(doc_id, source, f"{source}, line {number}: id {doc_id!r}: no {text_column!r} field",
                              number)
                continue
            meta = {k: v for k, v in obj.items() if k not in (id_column, text_column)}
            yield _document(doc_id, obj[text_column], source, number, meta)


def read_table(path: Path, id_column: str = "id", text_column: str = "text") -> Iterator[Item]:
    """One document per row of a CSV or Parquet file (other columns go to ``meta``).

    Raises
    ------
    UsageError
        When the file cannot be read as a table or lacks one of the two columns.
    """
    import pandas as pd

    source = str(path)
    try:
        if path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise UsageError(f"{source}: cannot read as {path.suffix[1:].upper()}: {exc}") from None
    for column in (id_column, text_column):
        if column not in frame.columns:
            raise UsageError(f"{source}: no column {column!r} (columns: {', '.join(map(str, frame.columns))}); "
                             f"name the columns with --id-column/--text-column")
    meta_columns = [c for c in frame.columns if c not in (id_column, text_column)]
    header_lines = 1 if path.suffix.lower() == ".csv" else 0
    for position, row in enumerate(frame.itertuples(index=False)):
        values = dict(zip(frame.columns, row))
        line = position + 1 + header_lines
        raw_id = values[id_column]
        doc_id = None if raw_id is None or (isinstance(raw_id, float) and math.isnan(raw_id)) else str(raw_id)
        if not doc_id:
            yield Failure(None, source, f"{source}, row {line}: empty {id_column!r}", line)
            continue
        yield _document(doc_id, values[text_column], source, line, {c: _plain(values[c]) for c in meta_columns})


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def read_stdin(stream: IO[bytes] | None = None) -> Iterator[Item]:
    """Standard input as one document (id ``stdin``)."""
    stream = stream or sys.stdin.buffer
    try:
        text = _decode(stream.read(), "<stdin>", "stdin")
    except InputDocumentError as exc:
        yield Failure("stdin", "<stdin>", str(exc))
        return
    yield _document("stdin", text, "<stdin>")


def read_inputs(inputs: list[str], id_column: str = "id", text_column: str = "text") -> Iterator[Item]:
    """All documents of ``inputs`` in order, with duplicate ids turned into failures.

    Raises
    ------
    UsageError
        For an input that does not exist or has an unknown type (before anything is read).
    """
    for name in inputs:
        if name == "-":
            continue
        path = Path(name)
        if not path.exists():
            raise UsageError(f"{name}: no such file or directory")
        if path.is_file() and path.suffix.lower() not in {".txt", ".jsonl", ".csv", ".parquet"}:
            raise UsageError(f"{name}: unknown input type {path.suffix or '(no extension)'!r}; "
                             "give .txt, .jsonl, .csv, .parquet, a directory or -")
    seen: dict[str, str] = {}
    for item in _read_all(inputs, id_column, text_column):
        if isinstance(item, InputDocument):
            where = item.source + (f":{item.line}" if item.line is not None else "")
            if item.id in seen:
                yield Failure(item.id, item.source, f"{where}: duplicate id {item.id!r} (first at {seen[item.id]}); "
                              "ids must be unique", item.line)
                continue
            seen[item.id] = where
        yield item


def _read_all(inputs: list[str], id_column: str, text_column: str) -> Iterator[Item]:
    for name in inputs or ["-"]:
        if name == "-":
            yield from read_stdin()
            continue
        path = Path(name)
        if path.is_dir():
            yield from read_text_folder(path)
        elif path.suffix.lower() == ".jsonl":
            yield from read_jsonl(path, id_column, text_column)
        elif path.suffix.lower() in (".csv", ".parquet"):
            yield from read_table(path, id_column, text_column)
        else:
            yield read_text_file(path)
