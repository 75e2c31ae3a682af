"""Batch annotation: read documents from files, run the pipeline, write JSONL.

Inputs (``../shared/CONTRACT.md``): ``.txt`` files, directories of ``.txt``,
``.jsonl``, ``.csv``, ``.parquet`` and standard input. Every document becomes
a :class:`Document`; a document that cannot be read becomes a
:class:`Failure` that goes to the errors file while the batch goes on.

Output lines are written whole and flushed one by one, so an interrupted run
leaves at most a truncated last line; ``resume`` drops it and skips the ids
already written.
"""
from __future__ import annotations

import gc
import json
import math
import os
import sys
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from spacy.language import Language

from pipeline.errors import InputDocumentError, UsageError
from pipeline.loader import MAX_LENGTH
from pipeline.records import DocumentRecord, doc_record, iter_records, mentions_frame

TEXT_SUFFIXES = {".txt"}
#: Longest document accepted: the pipeline's own limit (``nlp.max_length``).
MAX_DOCUMENT_CHARS = MAX_LENGTH


@dataclass
class Document:
    """One input document."""

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


Item = Document | Failure


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


def read_text_file(path: Path, doc_id: str | None = None) -> Item:
    doc_id = doc_id or path.stem
    try:
        text = _decode(path.read_bytes(), str(path), doc_id)
        return Document(doc_id, _check_text(text, str(path), doc_id), str(path))
    except InputDocumentError as exc:
        return Failure(doc_id, str(path), str(exc))
    except OSError as exc:
        return Failure(doc_id, str(path), f"{path}: cannot read: {exc.strerror}")


def read_directory(path: Path) -> Iterator[Item]:
    for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES and p.is_file()):
        yield read_text_file(file)


def read_jsonl(path: Path, id_column: str = "id", text_column: str = "text") -> Iterator[Item]:
    source = str(path)
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                line = _decode(raw, source, None, number)
                obj = json.loads(line)
            except InputDocumentError as exc:
                yield Failure(None, source, str(exc), number)
                continue
            except json.JSONDecodeError as exc:
                yield Failure(None, source, f"{source}, line {number}: not JSON ({exc.msg} at column {exc.colno})",
                              number)
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
            try:
                text = _check_text(obj[text_column], source, doc_id, number)
            except InputDocumentError as exc:
                yield Failure(doc_id, source, str(exc), number)
                continue
            meta = {k: v for k, v in obj.items() if k not in (id_column, text_column)}
            yield Document(doc_id, text, source, number, meta)


def read_table(path: Path, id_column: str = "id", text_column: str = "text") -> Iterator[Item]:
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
        try:
            text = _check_text(values[text_column], source, doc_id, line)
        except InputDocumentError as exc:
            yield Failure(doc_id, source, str(exc), line)
            continue
        meta = {c: _plain(values[c]) for c in meta_columns}
        yield Document(doc_id, text, source, line, meta)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def read_stdin(stream: IO[bytes] | None = None) -> Iterator[Item]:
    stream = stream or sys.stdin.buffer
    try:
        text = _decode(stream.read(), "<stdin>", "stdin")
        yield Document("stdin", _check_text(text, "<stdin>", "stdin"), "<stdin>")
    except InputDocumentError as exc:
        yield Failure("stdin", "<stdin>", str(exc))


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
        if isinstance(item, Document):
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
            yield from read_directory(path)
        elif path.suffix.lower() == ".jsonl":
            yield from read_jsonl(path, id_column, text_column)
        elif path.suffix.lower() in (".csv", ".parquet"):
            yield from read_table(path, id_column, text_column)
        else:
            yield read_text_file(path)


# -- output ----------------------------------------------------------------------------
def completed_ids(out: Path, on_record: Callable[[DocumentRecord], None] | None = None) -> set[str]:
    """Ids already in ``out`` (``--resume``); a truncated last line (an interrupted write) is cut off the file.

    ``on_record`` sees every record already there (the CLI's mention table takes its rows
    from them, so the file is read once).

    Raises
    ------
    InputDocumentError
        For a whole line that is not an annotate record (naming the file and line): the file
        is not one that ``hanlink annotate`` wrote, and resuming it would mix outputs.
    """
    if not out.exists():
        return set()
    ids: set[str] = set()
    good_end = 0
    for line in iter_records(out, incomplete_last_line="skip"):
        ids.add(line.record["id"])
        if on_record is not None:
            on_record(line.record)
        good_end = line.end
    if good_end != out.stat().st_size:
        with open(out, "rb+") as handle:
            handle.truncate(good_end)
    return ids


@dataclass
class BatchResult:
    written: int = 0
    failed: int = 0
    skipped: int = 0


ERROR_KEY = "hanlink_error"
#: What an engine yields for each document, in input order: the output record, or the error message.
Outcome = tuple[Document, "dict[str, Any] | str"]


def mark_failed(proc_name: str, proc: Callable, docs: list, error: Exception) -> None:
    """spaCy error handler: flag the docs a component failed on instead of stopping the batch.

    ``nlp.pipe`` drops such docs from its output; :func:`local_engine` notices
    the gap and retries each dropped document alone, so one bad document costs
    only itself.
    """
    for doc in docs:
        doc.user_data[ERROR_KEY] = f"{proc_name}: {type(error).__name__}: {error}"


def set_error_handler(nlp: Language, handler: Callable) -> None:
    """Install ``handler`` on every component that takes one (spaCy's compiled ``ner`` does not store one,
    so ``nlp.set_error_handler`` would fail) and as the pipeline's default."""
    nlp.default_error_handler = handler
    for _, component in nlp.pipeline:
        if hasattr(component, "set_error_handler"):
            try:
                component.set_error_handler(handler)
            except AttributeError:  # a compiled component without a settable handler uses the default
                pass


def local_engine(nlp: Language, documents: Iterable[Document], *, n_process: int = 1,
                 batch_size: int = 32) -> Iterator[Outcome]:
    """Run ``nlp.pipe`` over ``documents`` (``n_process`` worker processes), yielding outcomes in input order."""
    set_error_handler(nlp, mark_failed)
    fed: deque[Document] = deque()

    def feed() -> Iterator[tuple[str, int]]:
        for document in documents:
            fed.append(document)
            if len(document.text) <= nlp.max_length:  # a longer one would stop nlp.pipe; it fails alone in _retry
                yield document.text, id(document)

    for doc, key in nlp.pipe(feed(), as_tuples=True, n_process=n_process, batch_size=batch_size):
        while fed and id(fed[0]) != key:  # documents nlp.pipe dropped after a component failed on them
            document = fed.popleft()
            yield document, _retry(nlp, document)
        document = fed.popleft()
        if ERROR_KEY in doc.user_data:
            yield document, _retry(nlp, document)
        else:
            yield document, doc_record(doc, document.id, document.meta)
    while fed:
        document = fed.popleft()
        yield document, _retry(nlp, document)


#: Analysers that survive ``fork()``: their workers can inherit a pipeline loaded once in the parent.
FORK_SAFE_BACKENDS = frozenset({"mecab"})
#: Run once in the parent before forking, so that lazily loaded tables (hanja readings, pinyin
#: dictionaries, the alias index) are inherited by every worker instead of loaded by each.
WARM_UP_TEXT = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임과 贺俊, He Jun 교수는 말했다."


@lru_cache(maxsize=4)
def worker_pipeline(model: str, tokenizer: str, speakers: str, institutions: str) -> Language:
    """The pipeline of a worker process, loaded on its first partition and kept ("" = default)."""
    from pipeline.loader import load

    return load(model or None, tokenizer=tokenizer or None, speakers=speakers or None,
                institutions=institutions or None)


@contextmanager
def collector_off(nlp: Language) -> Iterator[None]:
    """Warm ``nlp``'s lazy tables, then keep the garbage collector off everything loaded so far.

    ``gc.freeze()`` moves every live object to a generation the collector never scans, so the
    full collections that document processing triggers no longer walk the pipeline's objects
    (about 6 % of a batch's time), and forked workers no longer copy the pages the collector
    would write to. The objects go back to the collector when the block ends.
    """
    _warm_and_freeze(nlp)
    try:
        yield
    finally:
        gc.unfreeze()


def _warm_and_freeze(nlp: Language) -> None:
    nlp(WARM_UP_TEXT)
    gc.freeze()


_WORKER_SETTLED: set[int] = set()


def _settle_worker(nlp: Language) -> None:
    """In a child process (a pool or Dask worker), once per pipeline: what :func:`collector_off` does,
    for the life of the process, which exists to run this pipeline."""
    import multiprocessing

    if id(nlp) not in _WORKER_SETTLED and multiprocessing.parent_process() is not None:
        _warm_and_freeze(nlp)
        _WORKER_SETTLED.add(id(nlp))


def frozen_local_engine(nlp: Language, documents: Iterable[Document], *, batch_size: int = 32) -> Iterator[Outcome]:
    """:func:`local_engine` with the collector kept off the pipeline (the command line's single process)."""
    with collector_off(nlp):
        yield from local_engine(nlp, documents, batch_size=batch_size)


def annotate_partition(settings: tuple[str, str, str, str], payload: list[tuple]) -> list:
    """Run in a worker (a process of the pool, or a Dask worker): the outcome of each document.

    ``settings`` is ``(model, tokenizer, speakers, institutions)``; ``payload`` holds
    ``(id, text, meta, source, line)`` tuples. Returning records rather than Docs keeps the
    parent's work to writing lines.
    """
    nlp = worker_pipeline(*settings)
    _settle_worker(nlp)
    documents = [Document(doc_id, text, source, line, meta) for doc_id, text, meta, source, line in payload]
    return [outcome for _, outcome in local_engine(nlp, documents)]


def partitioned_engine(submit: Callable, settings: tuple[str, str, str, str], documents: Iterable[Document], *,
                       partition_size: int, window: int) -> Iterator[Outcome]:
    """Run :func:`annotate_partition` on partitions through ``submit`` (a process pool's or a Dask client's),
    keeping at most ``window`` partitions in flight; outcomes come back in input order."""
    in_flight: deque = deque()

    def drain() -> Iterator[Outcome]:
        partition, future = in_flight.popleft()
        try:
            outcomes = future.result()
        except Exception as exc:  # a worker died or the task failed: every document of it is reported
            outcomes = [f"worker failed: {type(exc).__name__}: {exc}"] * len(partition)
        yield from zip(partition, outcomes)

    partition: list[Document] = []
    for document in documents:
        partition.append(document)
        if len(partition) >= partition_size:
            payload = [(d.id, d.text, d.meta, d.source, d.line) for d in partition]
            in_flight.append((partition, submit(annotate_partition, settings, payload)))
            partition = []
            while len(in_flight) >= window:
                yield from drain()
    if partition:
        payload = [(d.id, d.text, d.meta, d.source, d.line) for d in partition]
        in_flight.append((partition, submit(annotate_partition, settings, payload)))
    while in_flight:
        yield from drain()


def start_method(settings: tuple[str, str, str, str]) -> str:
    """``"fork"`` when the pipeline of ``settings`` can be loaded once and inherited, else ``"spawn"``.

    Forking shares the parent's loaded (and warmed) pipeline copy-on-write, so the
    workers start at once; a JVM (komoran, okt, kkma, hannanum) does not survive
    ``fork()``, so those pipelines are loaded by each spawned worker instead.
    """
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    tokenizer = settings[1]
    if tokenizer and tokenizer not in FORK_SAFE_BACKENDS:
        return "spawn"
    nlp = worker_pipeline(*settings)
    return "fork" if getattr(nlp.tokenizer, "backend_name", None) in FORK_SAFE_BACKENDS else "spawn"


class ProcessPoolEngine:
    """``--n-process N``: N worker processes, each with the pipeline loaded once.

    Workers return finished records, so the parent only writes lines; with
    ``nlp.pipe(n_process=N)`` the parent would deserialise every Doc and become
    the bottleneck on a small machine. With a fork-safe analyser (mecab) the
    parent loads and warms the pipeline once and forks the workers, which
    inherit it; otherwise (Java analysers) each spawned worker loads its own.
    """

    def __init__(self, settings: tuple[str, str, str, str], n_process: int, partition_size: int = 32):
        self.settings = settings
        self.n_process = n_process
        self.partition_size = partition_size

    def __call__(self, documents: Iterable[Document]) -> Iterator[Outcome]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = start_method(self.settings)
        if method == "spawn":
            with ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context("spawn")) as pool:
                yield from partitioned_engine(pool.submit, self.settings, documents,
                                              partition_size=self.partition_size, window=4 * self.n_process)
            return
        # Forked workers inherit the warmed pipeline; with the collector off it, they do not copy its pages.
        with collector_off(worker_pipeline(*self.settings)):
            with ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context("fork")) as pool:
                yield from partitioned_engine(pool.submit, self.settings, documents,
                                              partition_size=self.partition_size, window=4 * self.n_process)


def _retry(nlp: Language, document: Document) -> "dict[str, Any] | str":
    """Process one document alone; the error message if it fails again."""
    try:
        doc = nlp(document.text)
    except Exception as exc:  # the message goes to the errors file
        return f"{type(exc).__name__}: {exc}"
    if ERROR_KEY in doc.user_data:
        return str(doc.user_data[ERROR_KEY])
    return doc_record(doc, document.id, document.meta)


def annotate(items: Iterable[Item], engine: Callable[[Iterable[Document]], Iterator[Outcome]], out: IO[str],
             errors: Callable[[dict], None], *, skip_ids: set[str] | None = None,
             progress: Callable[[int], None] | None = None,
             on_record: Callable[[DocumentRecord], None] | None = None) -> BatchResult:
    """Feed ``items`` to ``engine``; write one JSON line per document to ``out`` in input order.

    Unreadable items and documents whose processing failed are reported through
    ``errors``; the batch goes on. ``skip_ids`` are left out (``--resume``).
    Each line is flushed as soon as it is written; ``on_record`` then sees the
    record (so a caller that wants it never parses the line back).
    """
    result = BatchResult()
    skip_ids = skip_ids or set()

    def documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, Failure):
                errors(item.record())
                result.failed += 1
            elif item.id in skip_ids:
                result.skipped += 1
            else:
                yield item
                continue
            if progress:
                progress(1)

    for document, outcome in engine(documents()):
        if isinstance(outcome, str):
            where = document.source + (f", line {document.line}" if document.line is not None else "")
            errors(Failure(document.id, document.source, f"{where}: id {document.id!r}: processing failed: {outcome}",
                           document.line).record())
            result.failed += 1
        else:
            out.write(json.dumps(outcome, ensure_ascii=False) + "\n")
            out.flush()
            result.written += 1
            if on_record is not None:
                on_record(outcome)
        if progress:
            progress(1)
    return result


def write_mentions(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write mention rows (:func:`pipeline.records.mention_rows`) as a Parquet table, atomically (a temporary
    file, then a rename). Returns the row count."""
    frame = mentions_frame(rows=rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    frame.to_parquet(temporary, index=False)
    os.replace(temporary, path)
    return len(frame)


def open_errors(path: Path) -> Callable[[dict], None]:
    """A writer appending error records to ``path`` (created on first error)."""
    handle: list[IO[str]] = []

    def write(record: dict) -> None:
        if not handle:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle.append(open(path, "a", encoding="utf-8"))
        handle[0].write(json.dumps(record, ensure_ascii=False) + "\n")
        handle[0].flush()

    return write


def default_errors_path(out: str | None) -> Path:
    """``OUT.errors.jsonl``, or ``hanlink.errors.jsonl`` in the working folder when writing to stdout."""
    return Path(out + ".errors.jsonl") if out else Path(os.getcwd()) / "hanlink.errors.jsonl"
