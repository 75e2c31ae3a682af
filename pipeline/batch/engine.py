"""Batch annotation: run the pipeline over input documents and write JSONL, in input order.

The documents come from :mod:`pipeline.batch.readers`; an *engine* turns them
into outcomes (the output record, or an error message): :func:`local_engine`
(``nlp.pipe``), :class:`ProcessPoolEngine` (``--n-process``) and
:class:`pipeline.batch.dask_engine.DaskEngine`. :func:`annotate` writes the
lines and reports failures while the batch goes on.

Output lines are written whole and flushed one by one, so an interrupted run
leaves at most a truncated last line; ``resume`` drops it and skips the ids
already written.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, NamedTuple

from spacy.language import Language

from pipeline.batch.readers import Failure, InputDocument, Item
from pipeline.errors import HanlinkError, InputDocumentError, UsageError
from pipeline.records import DocumentRecord, doc_record, iter_records, mentions_frame
from pipeline.temporaries import remove_stale


class PipelineSettings(NamedTuple):
    """What a worker needs to load the pipeline of the command line (``""`` = the default).

    Picklable and hashable: it travels to pool and Dask workers and keys their cached pipeline.
    """

    model: str = ""
    tokenizer: str = ""
    speakers: str = ""
    institutions: str = ""


# -- output ----------------------------------------------------------------------------
def text_digest(text: str) -> bytes:
    """A short fingerprint of a document text (``--resume`` compares the input with OUT by it)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class ResumeState:
    """What OUT already holds (``--resume``): each id with the fingerprint of its text and its line number."""

    path: Path
    done: dict[str, tuple[bytes, int]]
    good_end: int
    size: int

    @property
    def ids(self) -> set[str]:
        return set(self.done)

    def cut(self) -> None:
        """Cut the incomplete last line (an interrupted write) off OUT."""
        if self.good_end != self.size:
            with open(self.path, "rb+") as handle:
                handle.truncate(self.good_end)


def read_resume(out: Path, on_record: Callable[[DocumentRecord], None] | None = None) -> ResumeState:
    """What ``out`` holds, read without changing it (:meth:`ResumeState.cut` cuts an incomplete last line).

    ``on_record`` sees every record already there (the CLI's mention table takes its rows
    from them, so the file is read once).

    Raises
    ------
    UsageError
        For a whole line that is not an annotate record, or an incomplete last line that is not the start of
        one (naming the file and line): the file is not one that ``hanlink annotate`` wrote, and resuming it
        would mix outputs.
    """
    if not out.exists():
        return ResumeState(out, {}, 0, 0)
    done: dict[str, tuple[bytes, int]] = {}
    good_end = 0
    advice = (f"; {out} was not changed. --resume continues a file `hanlink annotate` wrote: give -o another "
              "file, or fix that line")
    last_number = 0
    try:
        for line in iter_records(out, incomplete_last_line="skip"):
            done[line.record["id"]] = (text_digest(line.record.get("text") or ""), line.number)
            if on_record is not None:
                on_record(line.record)
            good_end = line.end
            last_number = line.number
    except InputDocumentError as exc:
        raise UsageError(f"{exc}{advice}") from None
    size = out.stat().st_size
    if good_end != size:
        with open(out, "rb") as handle:
            handle.seek(good_end)
            tail = handle.read()
        cut = tail.lstrip(b"\r\n")
        if cut and not RECORD_START.startswith(cut[:len(RECORD_START)]):
            number = last_number + tail[:len(tail) - len(cut)].count(b"\n") + 1
            raise UsageError(f"{out}, line {number}: an incomplete last line that is not the start of an annotate "
                             f"record (only a record cut short by an interrupted run is dropped){advice}")
    return ResumeState(out, done, good_end, size)


def completed_ids(out: Path, on_record: Callable[[DocumentRecord], None] | None = None) -> set[str]:
    """Ids already in ``out`` (``--resume``); a truncated last line (an interrupted write) is cut off the file.

    Raises
    ------
    UsageError
        As :func:`read_resume`.
    """
    state = read_resume(out, on_record)
    state.cut()
    return state.ids


def check_resume(state: ResumeState, items: Iterable[Item], *, failed_before: set[str] = frozenset(),
                 unseen: set[str] = frozenset()) -> list[str]:
    """Check that the input OUT was written from is still the input (``--resume``); the warnings to print.

    ``items`` are the documents of the file inputs, read in order; ``failed_before`` the ids the
    previous run's errors file lists; ``unseen`` ids that may be in OUT without being in ``items``
    (standard input's ``stdin``).

    Raises
    ------
    UsageError
        When a document of OUT has another text in the input, is in no input any more, or the input
        lists OUT's documents in another order: resuming would mix two inputs in one file.
    """
    out = state.path
    advice = (f"; {out} was not changed. Run without --resume to annotate everything again (or give -o another "
              "file)")
    seen: set[str] = set()
    last_line = 0
    last_id = None
    late: list[str] = []
    final_line = max((line for _, line in state.done.values()), default=0)
    for item in items:
        if not isinstance(item, InputDocument):
            continue
        where = item.source + (f", line {item.line}" if item.line is not None else "")
        entry = state.done.get(item.id)
        if entry is None:
            if item.id not in failed_before and last_line < final_line:
                late.append(f"id {item.id!r} ({where})")
            continue
        digest, line = entry
        if digest != text_digest(item.text):
            raise UsageError(f"the input changed since {out} was written: id {item.id!r} ({where}) has another "
                             f"text than {out}, line {line}{advice}")
        if line < last_line:
            raise UsageError(f"the input's order changed since {out} was written: id {item.id!r} ({where}) comes "
                             f"after id {last_id!r} in the input but before it in {out} (line {line}){advice}")
        seen.add(item.id)
        last_line, last_id = line, item.id
    for doc_id, (_, line) in sorted(state.done.items(), key=lambda kv: kv[1][1]):
        if doc_id not in seen and doc_id not in unseen:
            raise UsageError(f"the input changed since {out} was written: id {doc_id!r} ({out}, line {line}) is in "
                             f"no input any more{advice}")
    if not late:
        return []
    return [f"{len(late)} document(s) of the input are not in {out} though they come before its last record "
            f"(new documents?): {', '.join(late[:3])}{', …' if len(late) > 3 else ''}; they are annotated and "
            "appended at the end, out of input order (run without --resume for a file in input order)"]


def failed_ids(errors_path: Path) -> set[str]:
    """The ids an errors file lists (lines that are not JSON objects are passed over)."""
    ids: set[str] = set()
    try:
        with open(errors_path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    ids.add(record["id"])
    except OSError:
        pass
    return ids


#: How every output line starts (``json.dumps`` of a record whose first key is ``id``).
RECORD_START = b'{"id": '


class OutputError(HanlinkError):
    """An output file could not be written (a full disk, a device that refuses writes): the run stops (exit 2)
    with every line written so far whole."""


def _cannot_write(name: str, exc: OSError, what: str) -> OutputError:
    reason = exc.strerror or str(exc)
    resume = "" if name.startswith("<") else ", then run again with --resume (the lines written so far are whole)"
    return OutputError(f"{name}: cannot write {what}: {reason}; free some space or give another file{resume}")


@dataclass
class BatchResult:
    written: int = 0
    failed: int = 0
    skipped: int = 0


ERROR_KEY = "hanlink_error"
#: What an engine yields for each document, in input order: the output record, or the error message.
Outcome = tuple[InputDocument, "dict[str, Any] | str"]


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


def local_engine(nlp: Language, documents: Iterable[InputDocument], *, n_process: int = 1,
                 batch_size: int = 32) -> Iterator[Outcome]:
    """Run ``nlp.pipe`` over ``documents``, yielding outcomes in input order.

    With ``n_process`` > 1 the documents go in partitions of ``batch_size`` to that many worker
    processes holding ``nlp`` (forked, or spawned with a pickled copy for a Java analyser) through
    :func:`pipeline.batch.pool.pooled_engine`, never through spaCy's ``nlp.pipe(n_process=N)``,
    which hangs when ``documents`` raises part-way or the caller stops early: here the documents
    read before such an exception are finished, then it is raised; a killed worker is replaced.
    """
    if n_process > 1:
        from pipeline.batch.pool import pooled_engine

        yield from pooled_engine(partial(pipeline_outcomes, nlp), _payload, documents, size=n_process,
                                 method=_start_method_of(nlp), partition_size=batch_size,
                                 window=4 * n_process)
        return
    set_error_handler(nlp, mark_failed)
    fed: deque[InputDocument] = deque()

    def feed() -> Iterator[tuple[str, int]]:
        for document in documents:
            fed.append(document)
            if len(document.text) <= nlp.max_length:  # a longer one would stop nlp.pipe; it fails alone in _retry
                yield document.text, id(document)

    for doc, key in nlp.pipe(feed(), as_tuples=True, batch_size=batch_size):
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


def _payload(document: InputDocument) -> tuple:
    """What travels to a worker for one document."""
    return document.id, document.text, document.meta, document.source, document.line


def pipeline_outcomes(nlp: Language, payload: list[tuple]) -> list:
    """In a worker: the outcome of each document of ``payload`` (tuples of :func:`_payload`) under ``nlp``."""
    _settle_worker(nlp)
    documents = [InputDocument(doc_id, text, source, line, meta) for doc_id, text, meta, source, line in payload]
    return [outcome for _, outcome in local_engine(nlp, documents)]


def _start_method_of(nlp: Language) -> str:
    """``"fork"`` for a pipeline that survives it (mecab, or no hanlink analyser), else ``"spawn"``."""
    import multiprocessing

    backend = getattr(nlp.tokenizer, "backend_name", None)
    if "fork" in multiprocessing.get_all_start_methods() and (backend is None or backend in FORK_SAFE_BACKENDS):
        return "fork"
    return "spawn"


#: Analysers that survive ``fork()``: their workers can inherit a pipeline loaded once in the parent.
FORK_SAFE_BACKENDS = frozenset({"mecab"})
#: Run once in the parent before forking, so that lazily loaded tables (hanja readings, pinyin
#: dictionaries, the alias index) are inherited by every worker instead of loaded by each.
WARM_UP_TEXT = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임과 贺俊, He Jun 교수는 말했다."


@lru_cache(maxsize=4)
def worker_pipeline(settings: PipelineSettings) -> Language:
    """The pipeline of a worker process, loaded on its first partition and kept."""
    from pipeline.loader import load

    return load(settings.model or None, tokenizer=settings.tokenizer or None, speakers=settings.speakers or None,
                institutions=settings.institutions or None)


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


def frozen_local_engine(nlp: Language, documents: Iterable[InputDocument], *,
                        batch_size: int = 32) -> Iterator[Outcome]:
    """:func:`local_engine` with the collector kept off the pipeline (the command line's single process)."""
    with collector_off(nlp):
        yield from local_engine(nlp, documents, batch_size=batch_size)


def annotate_partition(settings: PipelineSettings, payload: list[tuple]) -> list:
    """Run in a worker (a process of the pool, or a Dask worker): the outcome of each document.

    ``payload`` holds
    ``(id, text, meta, source, line)`` tuples. Returning records rather than Docs keeps the
    parent's work to writing lines.
    """
    return pipeline_outcomes(worker_pipeline(settings), payload)


def partitioned_engine(submit: Callable, settings: PipelineSettings, documents: Iterable[InputDocument], *,
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

    partition: list[InputDocument] = []
    for document in documents:
        partition.append(document)
        if len(partition) >= partition_size:
            payload = [_payload(d) for d in partition]
            in_flight.append((partition, submit(annotate_partition, settings, payload)))
            partition = []
            while len(in_flight) >= window:
                yield from drain()
    if partition:
        payload = [_payload(d) for d in partition]
        in_flight.append((partition, submit(annotate_partition, settings, payload)))
    while in_flight:
        yield from drain()


def start_method(settings: PipelineSettings) -> str:
    """``"fork"`` when the pipeline of ``settings`` can be loaded once and inherited, else ``"spawn"``.

    Forking shares the parent's loaded (and warmed) pipeline copy-on-write, so the
    workers start at once; a JVM (komoran, okt, kkma, hannanum) does not survive
    ``fork()``, so those pipelines are loaded by each spawned worker instead.
    """
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    tokenizer = settings.tokenizer
    if tokenizer and tokenizer not in FORK_SAFE_BACKENDS:
        return "spawn"
    nlp = worker_pipeline(settings)
    return "fork" if getattr(nlp.tokenizer, "backend_name", None) in FORK_SAFE_BACKENDS else "spawn"


class ProcessPoolEngine:
    """``--n-process N``: N worker processes, each with the pipeline loaded once.

    Workers return finished records, so the parent only writes lines; with
    ``nlp.pipe(n_process=N)`` the parent would deserialise every Doc and become
    the bottleneck on a small machine. With a fork-safe analyser (mecab) the
    parent loads and warms the pipeline once and forks the workers, which
    inherit it; otherwise (Java analysers) each spawned worker loads its own.
    The workers are a :class:`pipeline.batch.pool.WorkerPool`: a killed worker is
    replaced and its documents retried (one that kills its worker twice is
    reported failed), and the workers die with this process.
    """

    def __init__(self, settings: PipelineSettings, n_process: int, partition_size: int = 32):
        self.settings = settings
        self.n_process = n_process
        self.partition_size = partition_size
        # Decided (and, to fork, the pipeline loaded) now: a model or table that cannot be loaded stops the
        # command before it touches OUT.
        self.method = start_method(settings)

    def __call__(self, documents: Iterable[InputDocument]) -> Iterator[Outcome]:
        from pipeline.batch.pool import pooled_engine

        method = self.method
        run = partial(pooled_engine, partial(annotate_partition, self.settings), _payload, documents,
                      size=self.n_process, method=method, partition_size=self.partition_size,
                      window=4 * self.n_process)
        if method == "spawn":
            yield from run()
            return
        # Forked workers inherit the warmed pipeline; with the collector off it, they do not copy its pages.
        with collector_off(worker_pipeline(self.settings)):
            yield from run()


def _retry(nlp: Language, document: InputDocument) -> "dict[str, Any] | str":
    """Process one document alone; the error message if it fails again."""
    try:
        doc = nlp(document.text)
    except Exception as exc:  # the message goes to the errors file
        return f"{type(exc).__name__}: {exc}"
    if ERROR_KEY in doc.user_data:
        return str(doc.user_data[ERROR_KEY])
    return doc_record(doc, document.id, document.meta)


def annotate(items: Iterable[Item], engine: Callable[[Iterable[InputDocument]], Iterator[Outcome]], out: IO[str],
             errors: Callable[[dict], None], *, skip_ids: "set[str] | ResumeState | None" = None,
             progress: Callable[[int], None] | None = None,
             on_record: Callable[[DocumentRecord], None] | None = None) -> BatchResult:
    """Feed ``items`` to ``engine``; write one JSON line per document to ``out`` in input order.

    Unreadable items and documents whose processing failed are reported through
    ``errors``; the batch goes on. ``skip_ids`` are left out (``--resume``); given as a
    :class:`ResumeState`, a document whose text is not the one in OUT is reported too.
    Each line is flushed as soon as it is written; ``on_record`` then sees the
    record (so a caller that wants it never parses the line back).
    """
    result = BatchResult()
    done = skip_ids.done if isinstance(skip_ids, ResumeState) else dict.fromkeys(skip_ids or ())
    out_name = skip_ids.path if isinstance(skip_ids, ResumeState) else "OUT"

    def documents() -> Iterator[InputDocument]:
        for item in items:
            if isinstance(item, Failure):
                errors(item.record())
                result.failed += 1
            elif item.id in done and done[item.id] is not None and done[item.id][0] != text_digest(item.text):
                where = item.source + (f", line {item.line}" if item.line is not None else "")
                errors(Failure(item.id, item.source, f"{where}: id {item.id!r} has another text than {out_name}, "
                               f"line {done[item.id][1]} (the input changed since it was written); it is left as "
                               "it was: run without --resume to annotate everything again", item.line).record())
                result.failed += 1
            elif item.id in done:
                result.skipped += 1
            else:
                yield item
                continue
            if progress:
                progress(1)

    for document, outcome in engine(documents()):
        if not isinstance(outcome, str):
            try:
                line = json.dumps(outcome, ensure_ascii=False) + "\n"
            except (RecursionError, ValueError, TypeError) as exc:  # a meta too deep or not JSON-safe
                outcome = f"cannot write the record as JSON: {type(exc).__name__}: {exc}"
        if isinstance(outcome, str):
            where = document.source + (f", line {document.line}" if document.line is not None else "")
            errors(Failure(document.id, document.source, f"{where}: id {document.id!r}: processing failed: {outcome}",
                           document.line).record())
            result.failed += 1
        else:
            try:
                out.write(line)
                out.flush()
            except OSError as exc:  # a full disk: stop with a line naming the file, not a traceback
                raise _cannot_write(str(getattr(out, "name", "the output")), exc, "the output") from None
            result.written += 1
            if on_record is not None:
                on_record(outcome)
        if progress:
            progress(1)
    return result


def write_mentions(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write mention rows (:func:`pipeline.records.mention_rows`) as a Parquet table, or as CSV for a
    spreadsheet when ``path`` ends in ``.csv`` (:func:`pipeline.spreadsheets.write_csv`: UTF-8 with a
    byte-order mark, formula-like cells neutralised), atomically (a temporary file, then a rename).
    Returns the row count."""
    frame = mentions_frame(rows=rows)
    remove_stale(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".csv":
            from pipeline.spreadsheets import write_csv

            write_csv(frame, temporary)
        else:
            frame.to_parquet(temporary, index=False)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _cannot_write(str(path), exc, "the mention table") from None
    return len(frame)


def open_errors(path: Path) -> Callable[[dict], None]:
    """A writer appending error records to ``path`` (created on first error)."""
    handle: list[IO[str]] = []

    def write(record: dict) -> None:
        try:
            if not handle:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle.append(open(path, "a", encoding="utf-8"))
            handle[0].write(json.dumps(record, ensure_ascii=False) + "\n")
            handle[0].flush()
        except OSError as exc:
            raise _cannot_write(str(path), exc, "the errors file") from None

    return write


def prepare_errors(path: Path) -> None:
    """Before a run touches anything: check that the errors file can be written, and clear the previous one
    (only a regular file is removed: a device such as /dev/null or /dev/stderr is left as it is).

    Raises
    ------
    UsageError
        Naming the path, when it cannot be created or written.
    """
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"--errors {path}: cannot write: {exc.strerror or exc}; give --errors a file in a folder "
                         "you can write to") from None
    if not existed and path.is_file():
        path.unlink()


def clear_errors(path: Path) -> None:
    """Remove the errors file of a previous run: a regular file only (a symlink to one is removed, the file it
    names left), never a device such as /dev/null or /dev/stderr, which ``unlink`` would delete for root."""
    if path.is_file():
        path.unlink()


def default_errors_path(out: str | None) -> Path:
    """``OUT.errors.jsonl``, or ``hanlink.errors.jsonl`` in the working folder when writing to stdout."""
    return Path(out + ".errors.jsonl") if out else Path(os.getcwd()) / "hanlink.errors.jsonl"
