"""Readers of ``hanlink annotate``'s inputs: every input kind → :class:`InputDocument` or :class:`Failure`.

Inputs (``../shared/CONTRACT.md``): ``.txt`` files, folders of ``.txt``
(:func:`read_text_folder`), ``.jsonl``, ``.csv``, ``.parquet`` and standard input.
A document that cannot be read becomes a :class:`Failure` that goes to the errors
file while the batch goes on; :func:`read_inputs` reads them all in order.
"""
from __future__ import annotations

import math
import os
import stat
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
#: Byte-order marks of UTF-16 (and UTF-32, whose little-endian mark begins like UTF-16's).
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def utf16_advice(path: str) -> str:
    """What to say about a UTF-16 file: what it is and how to convert it."""
    return (f"is UTF-16 (it starts with a UTF-16 byte-order mark); hanlink reads UTF-8: convert it with "
            f"iconv -f UTF-16 -t UTF-8 {path} > converted{Path(path).suffix}")


def _looks_utf16(data: bytes) -> bool:
    if data.startswith(_UTF16_BOMS):
        return True
    head = data[:4096]  # UTF-16 text of ASCII and Hangul without a mark: every other byte of ASCII is NUL
    return len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0


def _decode(data: bytes, source: str, doc_id: str | None, line: int | None = None) -> str:
    if line is None and _looks_utf16(data):
        raise InputDocumentError(utf16_advice(source), source, doc_id, line)
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


def max_document_bytes() -> int:
    """The most bytes a document (a ``.txt`` file, a JSONL line) may take: 4 UTF-8 bytes per character of the
    limit, and room for the JSON around it."""
    return MAX_DOCUMENT_CHARS * 4 + 65536


def read_text_file(path: Path, doc_id: str | None = None) -> Item:
    """One ``.txt`` file as one document (its id: the file name without extension).

    Only regular files are read, and never more than :func:`max_document_bytes`."""
    doc_id = doc_id or printable_name(path.stem)
    source = printable_name(str(path))
    limit = max_document_bytes()
    try:
        with open(path, "rb", opener=_open_regular) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputDocumentError(f"more than {limit:,} bytes, over the limit of {MAX_DOCUMENT_CHARS:,} "
                                     "characters a document may have; split it", source, doc_id)
        text = _decode(data, source, doc_id)
    except InputDocumentError as exc:
        return Failure(doc_id, source, str(exc))
    except OSError as exc:
        return Failure(doc_id, source, f"{source}: cannot read: {exc.strerror}")
    return _document(doc_id, text, source)


def printable_name(name: str) -> str:
    """A file name as UTF-8 text: bytes that are not UTF-8 (kept by ``os.fsdecode`` as lone surrogates) are
    written ``\\xff``, so the name can go into the output (as an id) and the errors file.

    >>> printable_name(os.fsdecode(b"bad\\xff"))
    'bad\\\\xff'
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


class NotRegularFile(OSError):
    """A path that is a device, FIFO or socket (reading it could block or never end)."""


def _open_regular(path: str, flags: int) -> int:
    """``open`` opener that refuses anything but a regular file without blocking on a FIFO."""
    descriptor = os.open(path, flags | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise NotRegularFile(0, "not a regular file (a device, FIFO or socket); give a file or a folder")
    os.set_blocking(descriptor, True)
    return descriptor


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """The lines of ``handle`` with their numbers; a line longer than :func:`max_document_bytes` is
    skipped in bounded chunks and given as None."""
    limit = max_document_bytes()
    number = 0
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(1 << 20)
            yield number, None
            continue
        yield number, raw


def read_text_folder(path: Path) -> Iterator[Item]:
    """Every ``.txt`` file below ``path``, sorted by path (not :func:`pipeline.directory.read_directory`, which
    reads a built speaker directory). A subfolder that cannot be read is a :class:`Failure` in its place
    (never skipped silently); the rest is read."""
    found: list[tuple[Path, Item | None]] = []

    def unreadable(error: OSError) -> None:
        folder = Path(error.filename) if error.filename else path
        source = printable_name(str(folder))
        found.append((folder, Failure(None, source, f"{source}: cannot read the folder ({error.strerror}); its "
                                      "documents are left out: give it read permission and run again "
                                      "(--resume adds them)")))

    for folder, folders, files in os.walk(path, onerror=unreadable):
        folders.sort()
        for name in files:
            file = Path(folder) / name
            if file.suffix.lower() in TEXT_SUFFIXES:
                found.append((file, None))
    for file, failure in sorted(found, key=lambda entry: entry[0]):
        yield failure or read_text_file(file)  # a FIFO or device among them is listed as a failure, never read


def read_jsonl(path: Path, id_column: str = "id", text_column: str = "text") -> Iterator[Item]:
    """One document per line of a JSONL file (``id_column`` and ``text_column``; other fields go to ``meta``)."""
    source = str(path)
    with open(path, "rb", opener=_open_regular) as handle:
        for number, raw in _lines(handle):
            if raw is None:
                yield Failure(None, source, f"{source}, line {number}: longer than {max_document_bytes():,} bytes, "
                              f"over the limit of {MAX_DOCUMENT_CHARS:,} characters a document may have; split it",
                              number)
                continue
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
            if doc_id is None and id_column in obj:
                yield Failure(None, source, f"{source}, line {number}: {id_column!r} is null; give every document "
                              "a string or integer id", number)
                continue
            if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, (str, int))):
                yield Failure(None, source, f"{source}, line {number}: {id_column!r} must be a string or an integer, "
                              f"not {_describe(doc_id)}", number)
                continue
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

    Ids must be strings or integers (a Parquet integer column with nulls stays integer); a CSV
    row with more fields than the header is a failure naming its physical line.

    Raises
    ------
    UsageError
        When the file cannot be read as a table or lacks one of the two columns
        (:func:`check_table` finds this before anything is read).
    """
    check_table(path, id_column, text_column)
    if path.suffix.lower() == ".parquet":
        yield from _read_parquet(path, id_column, text_column)
    else:
        yield from _read_csv(path, id_column, text_column)


def check_table(path: Path, id_column: str = "id", text_column: str = "text") -> None:
    """Check a CSV (every row: encoding, quoting) or Parquet input (its schema) before a run writes anything.

    Raises
    ------
    UsageError
        Naming the file (and line) and saying what to do.
    """
    source = str(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            columns = pq.read_schema(path).names
        except Exception as exc:  # pyarrow raises its own error kinds for a file that is not Parquet
            raise UsageError(f"{source}: cannot read as Parquet: {exc}") from None
        _check_columns(source, columns, id_column, text_column)
        return
    rows = _csv_rows(path)
    header = next(rows, None)
    if header is None:
        raise UsageError(f"{source}: empty CSV file; the first line must name the columns "
                         f"({id_column},{text_column})")
    _check_columns(source, header[1], id_column, text_column)
    for _ in rows:  # the whole file, so that a broken quote or encoding is found before anything is written
        pass


def _check_columns(source: str, columns: list[str], id_column: str, text_column: str) -> None:
    for column in (id_column, text_column):
        if column in columns:
            continue
        listed = ", ".join(map(str, columns))
        advice = "name the columns with --id-column/--text-column"
        if len(columns) == 1:
            for separator in (";", "\t", "|"):
                if separator in str(columns[0]):
                    advice = (f"the header looks separated by {separator!r}, not by commas; hanlink reads "
                              "comma-separated CSV: save the file as comma-separated")
        folded = [c for c in columns if str(c).casefold() == column.casefold()]
        if folded:
            advice = (f"column names are case-sensitive: rename {folded[0]!r} to {column!r}, or give "
                      f"--{'id' if column == id_column else 'text'}-column {folded[0]}")
        raise UsageError(f"{source}: no column {column!r} (columns: {listed}); {advice}")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file with the physical line each starts on (strict quoting).

    Raises
    ------
    UsageError
        For a file that is UTF-16 or not UTF-8, or a broken quote (naming the line).
    """
    import csv

    source = str(path)
    with open(path, "rb") as raw:
        if _looks_utf16(raw.read(4096)):
            raise UsageError(f"{source}: {utf16_advice(source)}")
    handle = open(path, encoding="utf-8-sig", newline="")
    with handle:
        reader = csv.reader(handle, strict=True)
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise UsageError(f"{source}, near line {reader.line_num + 1}: not valid UTF-8 ({exc.reason}); "
                                 "convert the file to UTF-8 (e.g. iconv -f cp949 -t utf-8)") from None
            except csv.Error as exc:
                what = ("unterminated quoted field (a \" opened and never closed)" if "end of data" in str(exc)
                        else f"malformed CSV ({exc})")
                raise UsageError(f"{source}, line {line}: {what}; fix the quoting") from None
            if row:
                yield line, row
            line = reader.line_num + 1


def _read_csv(path: Path, id_column: str, text_column: str) -> Iterator[Item]:
    source = str(path)
    rows = _csv_rows(path)
    _, header = next(rows)
    id_at, text_at = header.index(id_column), header.index(text_column)
    meta_columns = [(i, c) for i, c in enumerate(header) if c not in (id_column, text_column)]
    for line, row in rows:
        doc_id = row[id_at] if id_at < len(row) else ""
        if len(row) > len(header):
            yield Failure(doc_id or None, source, f"{source}, line {line}: {len(row)} fields but the header has "
                          f"{len(header)}; quote cells that hold commas", line)
            continue
        if not doc_id:
            yield Failure(None, source, f"{source}, line {line}: empty {id_column!r}", line)
            continue
        text = row[text_at] if text_at < len(row) else ""
        yield _document(doc_id, text, source, line, {c: row[i] if i < len(row) else "" for i, c in meta_columns})


def _read_parquet(path: Path, id_column: str, text_column: str) -> Iterator[Item]:
    import pyarrow.parquet as pq

    source = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow's own error kinds
        raise UsageError(f"{source}: cannot read as Parquet: {exc}") from None
    columns = parquet.schema_arrow.names
    meta_columns = [c for c in columns if c not in (id_column, text_column)]
    line = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for values in batch.to_pylist():
            line += 1
            raw_id = values[id_column]
            if raw_id is None or (isinstance(raw_id, float) and math.isnan(raw_id)) or raw_id == "":
                yield Failure(None, source, f"{source}, row {line}: empty {id_column!r}", line)
                continue
            if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
                yield Failure(None, source, f"{source}, row {line}: {id_column!r} must be a string or an integer, "
                              f"not {_describe(raw_id)}", line)
                continue
            yield _document(str(raw_id), values[text_column], source, line,
                            {c: _plain(values[c]) for c in meta_columns})


def _describe(value: Any) -> str:
    shown = repr(value)
    return f"{type(value).__name__} {shown if len(shown) <= 40 else shown[:40] + '…'}"


def _plain(value: Any) -> Any:
    """A Parquet cell as a JSON-safe value (dates as ISO text, bytes as text or hex, decimals as text)."""
    if hasattr(value, "item") and not isinstance(value, (bytes, str)):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)  # Decimal, timedelta and the like


def read_stdin(stream: IO[bytes] | None = None) -> Iterator[Item]:
    """Standard input as one document (id ``stdin``)."""
    stream = stream or sys.stdin.buffer
    limit = max_document_bytes()
    try:
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise InputDocumentError(f"more than {limit:,} bytes, over the limit of {MAX_DOCUMENT_CHARS:,} "
                                     "characters a document may have; split it", "<stdin>", "stdin")
        text = _decode(data, "<stdin>", "stdin")
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
        if not path.is_file() and not path.is_dir():
            raise UsageError(f"{name}: not a regular file (a device, FIFO or socket); give a file, a folder or - "
                             "(standard input)")
        if path.is_file() and path.suffix.lower() not in {".txt", ".jsonl", ".csv", ".parquet"}:
            raise UsageError(f"{name}: unknown input type {path.suffix or '(no extension)'!r}; "
                             "give .txt, .jsonl, .csv, .parquet, a directory or -")
    for name in inputs:  # every table input whole, so a bad later one stops the run before anything is written
        path = Path(name)
        if name != "-" and path.is_file() and path.suffix.lower() in {".csv", ".parquet"}:
            check_table(path, id_column, text_column)
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
        elif path.suffix.lower() == ".parquet":  # read_inputs has checked the tables (check_table)
            yield from _read_parquet(path, id_column, text_column)
        elif path.suffix.lower() == ".csv":
            yield from _read_csv(path, id_column, text_column)
        else:
            yield read_text_file(path)
