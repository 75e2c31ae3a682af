"""Files of ``hanlink directory``: annotate output in, a previous directory in, CSV/Parquet/SQLite out.

Reading
    :func:`read_documents` reads ``hanlink annotate`` output (JSONL) with
    :func:`pipeline.records.iter_records`. A line that is not an annotate record
    (not JSON, no ``id``, a malformed ``entities`` list) is a *problem*: it is
    skipped and reported as ``FILE, line N: what``.
    :func:`read_base` reads a previous directory (``--base``) and undoes the
    spreadsheet neutralisation of its CSV cells.

Writing
    All files are written into a new folder beside the target (:func:`swapped_folder`); when every
    one is complete, the user's own files of the target are hard-linked into it and the two folders
    trade places in one step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, between
    which the folder is briefly absent). A reader, a failure or a ``kill -9`` at any moment leaves
    the old files or the new ones, never a mix; what a killed run leaves beside the target is
    removed by the next one. ``directory.sqlite`` is filled in one transaction with
    parameterised ``INSERT`` statements only (column names, which may come
    from a user's extra CSV columns, are quoted identifiers).
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from pipeline.errors import InputDocumentError, UsageError
from pipeline.records import DocumentRecord, EntityRecord, check_record, iter_records
from pipeline.spreadsheets import (FORMULA_STARTS, neutralise, unneutralise,  # noqa: F401 (re-exported)
                                   unneutralise_frame, write_csv)

_DATE = re.compile(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:\s*$|[T\s])")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


@dataclass
class DatedRecord:
    """An annotate record as the directory reads it: with its date and where it was read."""

    record: DocumentRecord
    date: str | None
    """``meta.date`` as ISO ``YYYY-MM-DD``, or None."""
    source: str
    line: int

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def entities(self) -> list[EntityRecord]:
        return self.record["entities"]


# ---------------------------------------------------------------------------
# reading annotate output


def expand_inputs(items: Iterable[Any]) -> list[Any]:
    """Paths (files, or folders whose ``*.jsonl`` are read, sorted) and records (dicts), checked.

    Raises
    ------
    UsageError
        On a path that does not exist or a folder without JSONL files.
    """
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.jsonl") if not p.name.endswith(".errors.jsonl"))
            if not found:
                raise UsageError(f"{path}: folder holds no .jsonl file; give the output of `hanlink annotate`")
            out.extend(found)
        elif path.is_file():
            out.append(path)
        else:
            raise UsageError(f"{path}: no such file; give the output of `hanlink annotate` (JSONL)")
    return out


def parse_date(value: Any) -> str | None:
    """``meta.date`` as ISO ``YYYY-MM-DD`` (accepts 2018-10-30, 2018.10.30, 20181030, ISO date-times).

    >>> parse_date("2018.10.30"), parse_date("2018-10-30T09:00:00+09:00"), parse_date(None)
    ('2018-10-30', '2018-10-30', None)

    Raises
    ------
    ValueError
        When the value is not a date in one of those forms.
    """
    if value is None or value == "":
        return None
    text = str(value)
    match = _DATE.match(text) or _DATE_COMPACT.match(text)
    if not match:
        raise ValueError(f"date {text!r} is not of the form YYYY-MM-DD")
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()


def dated(record: DocumentRecord, source: str, line: int, warnings: list[str]) -> DatedRecord:
    """``record`` with its date (``meta.date``, else ``date``); an unreadable date is a warning, not a problem."""
    meta = record.get("meta") or {}
    raw_date = meta.get("date", record.get("date"))
    try:
        when = parse_date(raw_date)
    except ValueError as exc:
        warnings.append(f"{source}, line {line}: id {record['id']!r}: {exc}; first_seen/last_seen ignore this "
                        "document")
        when = None
    return DatedRecord(record, when, source, line)


def read_documents(items: Iterable[Any], problems: list[str], warnings: list[str], strict: bool = False) \
        -> list[DatedRecord]:
    """All documents of ``items`` (paths or records), one per id, sorted by id.

    Bad lines are appended to ``problems`` and skipped (``strict`` raises
    :class:`InputDocumentError` instead). A document id seen twice is kept
    once: identical copies silently, differing copies with a warning, keeping
    the copy whose JSON sorts first, so the choice never depends on the order
    of the inputs.
    """
    def skip(problem: str) -> None:
        problems.append(f"{problem}; the line is skipped")

    on_problem = None if strict else skip
    chosen: dict[str, tuple[str, DatedRecord]] = {}
    for item in expand_inputs(items):
        if isinstance(item, dict):
            source = "<records>"
            try:
                found: Iterable[tuple[int, DocumentRecord]] = [(0, check_record(item, source, 0))]
            except InputDocumentError as exc:
                if strict:
                    raise
                skip(str(exc))
                continue
        else:
            source = str(item)
            found = ((line.number, line.record) for line in iter_records(item, on_problem=on_problem))
        for number, record in found:
            problem = span_problem(record)
            if problem is not None:
                error = InputDocumentError(problem, source, record["id"], number or None)
                if strict:
                    raise error
                skip(str(error))
                continue
            doc = dated(record, source, number, warnings)
            canonical = json.dumps(record, sort_keys=True, ensure_ascii=False)
            previous = chosen.get(doc.id)
            if previous is None:
                chosen[doc.id] = (canonical, doc)
                continue
            if previous[0] != canonical:
                warnings.append(f"{source}, line {number}: id {doc.id!r} also at {previous[1].source}, line "
                                f"{previous[1].line} with other content; one copy is kept")
                if canonical < previous[0]:
                    chosen[doc.id] = (canonical, doc)
    return [chosen[key][1] for key in sorted(chosen)]


def span_problem(record: DocumentRecord) -> str | None:
    """What is wrong with the spans a record's checks (:func:`pipeline.records.check_record`) leave to the reader:
    an affiliation, a role's institution or an antecedent whose offsets run backwards or outside the text.
    None when nothing is.

    >>> span_problem({"id": "b", "text": "왕밍 주임", "entities": [{"start": 0, "end": 2, "label": "PERSON",
    ...     "affiliation": {"text": "X", "start": 500, "end": 900}}]})
    "entity 0: 'affiliation' (500, 900) lies outside the text of length 5"
    """
    text = record.get("text")
    for position, entity in enumerate(record["entities"]):
        spans = [("'affiliation'", entity.get("affiliation")), ("'antecedent'", entity.get("antecedent"))]
        spans += [(f"role {number}: 'institution'", role.get("institution"))
                  for number, role in enumerate(entity.get("roles") or [])]
        for what, span in spans:
            if not isinstance(span, dict) or span.get("start") is None or span.get("end") is None:
                continue
            start, end = span["start"], span["end"]
            if start < 0 or end < start:
                return f"entity {position}: {what} ({start}, {end}) is not a span (start after end, or negative)"
            if text is not None and end > len(text):
                return f"entity {position}: {what} ({start}, {end}) lies outside the text of length {len(text)}"
    return None


# ---------------------------------------------------------------------------
# atomic writes


#: ``renameat2`` flag: swap the two paths (linux/fs.h), and the "current folder" descriptor.
RENAME_EXCHANGE = 2
AT_FDCWD = -100
#: Names a write leaves beside the target folder while it runs: ``.DIR.hanlink-PID-XXXXXXXX``.
_STAGING = re.compile(r"^\.(?P<name>.+)\.hanlink-(?P<pid>\d+)-[A-Za-z0-9_]+$")
#: Temporary files of the per-file writes of earlier versions, inside the folder.
_LEGACY_TEMPORARY = re.compile(r"^\.(speakers|institutions|affiliations|directory)\.(csv|parquet|sqlite)\.\w+\.tmp"
                               r"(-journal)?$")


def exchange_paths(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False when this system or
    file system cannot (the caller then falls back to two renames).

    Raises
    ------
    OSError
        When the swap is possible but fails (naming the paths).
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, musl)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def clean_stale(target: Path) -> None:
    """Remove what runs that were killed left: staging folders beside ``target`` whose process is gone, and the
    temporary files of earlier versions inside it."""
    try:
        if not target.is_dir():  # a leftover may then hold the only copy of the old files: kept
            return
        for entry in os.scandir(target.parent):
            match = _STAGING.match(entry.name)
            if match and match.group("name") == target.name and int(match.group("pid")) != os.getpid() \
                    and not _pid_alive(int(match.group("pid"))):
                shutil.rmtree(entry.path, ignore_errors=True)
        for entry in os.scandir(target):
            match = _STAGING.match(entry.name)
            if _LEGACY_TEMPORARY.match(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
            elif match and int(match.group("pid")) != os.getpid() and not _pid_alive(int(match.group("pid"))):
                shutil.rmtree(entry.path, ignore_errors=True)
    except OSError:  # an unreadable parent: nothing to clean that this run could see
        pass


def _carry_over(source: Path, destination: Path, ours: set[str]) -> list[str]:
    """Hard-link (copy, across file systems) every entry of ``source`` that is not one of ``ours`` into
    ``destination``, folders recreated; the names carried (relative, ``/``-separated)."""
    carried: list[str] = []
    for entry in sorted(os.scandir(source), key=lambda e: e.name):
        if entry.name in ours or _LEGACY_TEMPORARY.match(entry.name):
            continue
        target = destination / entry.name
        if entry.is_dir(follow_symlinks=False):
            target.mkdir()
            shutil.copystat(entry.path, target)
            carried.extend(f"{entry.name}/{name}" for name in _carry_over(Path(entry.path), target, set()))
        else:
            try:
                os.link(entry.path, target, follow_symlinks=False)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                    raise
                shutil.copy2(entry.path, target, follow_symlinks=False)
        carried.append(entry.name)
    return carried


@contextmanager
def swapped_folder(folder: Path, ours: Iterable[str]) -> Iterator[Path]:
    """Replace the files ``ours`` of ``folder`` all at once.

    The block gets a new, empty folder beside ``folder`` to write them into. When it succeeds, every
    file is synced, the other entries of ``folder`` (the user's own) are hard-linked into the new
    folder, and the two folders trade places in one step (:func:`exchange_paths`; two renames where
    that is impossible); the old folder is then removed. When the block fails, or a step before the
    swap fails, the new folder is removed and ``folder`` is as it was. A ``folder`` that is a symlink
    is followed (the folder it names is replaced). When the parent folder cannot be written, the files
    are written into a hidden folder inside ``folder`` and moved over the old ones one by one.
    """
    target = Path(os.path.realpath(folder))
    ours = set(ours)
    clean_stale(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.hanlink-{os.getpid()}-"))
    except OSError:
        if not target.is_dir():
            raise
        with _files_moved_one_by_one(target) as inside:
            yield inside
        return
    try:
        yield staging
        for path in staging.iterdir():
            _fsync(path)
        if not target.exists():
            os.chmod(staging, 0o777 & ~_umask())
            os.rename(staging, target)
            return
        shutil.copystat(target, staging)
        _carry_over(target, staging, ours)
        if not exchange_paths(staging, target):
            aside = target.parent / f".{target.name}.hanlink-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            os.rename(target, aside)
            try:
                os.rename(staging, target)
            except BaseException as exc:
                try:
                    os.rename(aside, target)
                except OSError:
                    staging = None  # nothing is removed: the old files are all there are
                    raise OSError(f"{target}: could not put the old directory back after a failed write ({exc}); "
                                  f"its files are in {aside}: rename that folder to {target.name}") from exc
                raise
            staging = aside
    finally:
        if staging is not None:  # the new files when the swap did not happen, else the old ones
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _files_moved_one_by_one(target: Path) -> Iterator[Path]:
    """:func:`swapped_folder` when only ``target`` itself can be written: a hidden folder inside it, whose files
    are moved over the old ones one by one at the end (a failure between two moves can leave a mix)."""
    staging = Path(tempfile.mkdtemp(dir=target, prefix=f".{target.name}.hanlink-{os.getpid()}-"))
    try:
        yield staging
        for path in staging.iterdir():
            _fsync(path)
        os.chmod(staging, 0o777 & ~_umask())
        for path in sorted(staging.iterdir()):
            os.replace(path, target / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Parquet (pyarrow), values as they are."""
    frame.to_parquet(path, index=False, engine="pyarrow")


def quote_identifier(name: str) -> str:
    """A column or table name as an SQLite quoted identifier (values always go through parameters)."""
    return '"' + str(name).replace('"', '""') + '"'


#: (table, primary key columns, indexed columns, integer columns)
SQLITE_TABLES = (
    ("speakers", ("speaker_id",), ("name", "institution_id"), ()),
    ("institutions", ("institution_id",), ("name", "parent_id"), ()),
    ("affiliations", ("speaker_id", "institution_id", "title"), ("institution_id", "first_seen"),
     ("mentions", "documents")),
)


def _sqlite_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def sqlite_column_names(columns: Iterable[Any]) -> list[str]:
    """Column names SQLite accepts together: it compares names without case, so a later ``NOTE`` beside
    ``note`` becomes ``NOTE_2`` (the CSV and Parquet files keep the names as they are).

    >>> sqlite_column_names(["note", "NOTE", "Note", "note_2"])
    ['note', 'NOTE_2', 'Note_3', 'note_2_2']
    """
    used: set[str] = set()
    names: list[str] = []
    for column in map(str, columns):
        name, number = column, 2
        while name.casefold() in used:
            name, number = f"{column}_{number}", number + 1
        used.add(name.casefold())
        names.append(name)
    return names


def fill_sqlite(connection: sqlite3.Connection, frames: dict[str, pd.DataFrame]) -> None:
    """Create the three tables (primary keys, indexes) and insert the rows, inside the caller's transaction."""
    for table, keys, indexed, integers in SQLITE_TABLES:
        frame = frames[table]
        columns = sqlite_column_names(frame.columns)
        definitions = [f"{quote_identifier(c)} {'INTEGER' if c in integers else 'TEXT'}"
                       + (" NOT NULL" if c in keys else "") for c in columns]
        definitions.append(f"PRIMARY KEY ({', '.join(quote_identifier(k) for k in keys)})")
        connection.execute(f"CREATE TABLE {quote_identifier(table)} ({', '.join(definitions)})")
        for column in indexed:
            connection.execute(f"CREATE INDEX {quote_identifier(f'{table}_{column}')} "
                               f"ON {quote_identifier(table)} ({quote_identifier(column)})")
        insert = (f"INSERT INTO {quote_identifier(table)} ({', '.join(quote_identifier(c) for c in columns)}) "
                  f"VALUES ({', '.join('?' for _ in columns)})")
        connection.executemany(insert, ([_sqlite_value(v) for v in row]
                                        for row in frame.itertuples(index=False, name=None)))


def write_sqlite(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """Fill the (new, empty) database file ``path`` in one transaction; nothing is committed on failure."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        try:
            fill_sqlite(connection, frames)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:  # SQLite has rolled back itself on some errors (a full disk)
                try:
                    connection.execute("ROLLBACK")
                except sqlite3.Error:  # the error that brought us here is the one to report
                    pass
            raise
    finally:
        connection.close()
