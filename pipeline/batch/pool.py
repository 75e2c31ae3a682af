"""Worker processes for batch annotation that survive a killed worker and die with their parent.

``hanlink annotate --n-process N`` (:class:`pipeline.batch.engine.ProcessPoolEngine`) and
``local_engine(nlp, documents, n_process=N)`` run partitions of documents on a :class:`WorkerPool`
through :func:`pooled_engine`, instead of ``concurrent.futures.ProcessPoolExecutor`` (one killed
worker breaks the whole pool: ``BrokenProcessPool``) or spaCy's ``nlp.pipe(n_process=N)`` (hangs for
ever when the input iterator raises part-way, or when the caller stops reading early, while a
worker is blocked sending its results).

* Each worker has its own pipe, so a worker that dies (``kill -9``, out of memory, a crash in the
  analyser) costs only the partition it was running: the worker is replaced and the documents of
  that partition are retried one by one; a document whose worker dies a second time is reported
  as failed (an outcome naming the signal) and the batch goes on.
* A worker dies with its parent: on Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; everywhere, a
  worker waiting for work ends when its pipe reaches end of file (the parent has gone).
* An input iterator that raises part-way: the documents read before it are finished and yielded,
  then the exception is raised in the caller; a caller that stops early (``close()``, an exception
  in the loop) stops the workers. Nothing waits without a bound.
"""
from __future__ import annotations

import os
import signal
import sys
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

from pipeline.errors import HanlinkError

#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
#: Deaths in a row without a single reply after which the pool gives up (workers that cannot start).
MAX_DEATHS_IN_A_ROW = 8
#: Seconds a closing pool waits for a worker to end before killing it.
CLOSE_GRACE = 5.0


def die_with_parent(parent_pid: int) -> None:
    """In a worker: ask the kernel to kill this process when its parent dies (Linux), and end at once if the
    parent is already gone. Elsewhere the worker's pipe reaching end of file ends it (:func:`_worker_main`)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the end of file on the pipe still ends an idle worker
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(connection, parent_pid: int, function: Callable[[Any], Any], inherited: list) -> None:
    """A worker's life: run ``function`` on each payload received, send back ``(ok, result)``; end on
    ``None``, or when the parent's end of the pipe is gone."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the workers
    for other in inherited:  # (fork) the parent's ends of every pipe: held here, they would hide its death
        other.close()
    while True:
        try:
            payload = connection.recv()
        except (EOFError, OSError):  # the parent has gone
            return
        if payload is None:
            return
        try:
            reply = (True, function(payload))
        except Exception as exc:  # reported for every document of the payload; the worker goes on
            reply = (False, f"{type(exc).__name__}: {exc}")
        try:
            connection.send(reply)
        except (BrokenPipeError, EOFError, ConnectionError):
            return
        except Exception as exc:  # a result that cannot be pickled
            connection.send((False, f"cannot send the result back: {type(exc).__name__}: {exc}"))


def describe_exit(code: int | None) -> str:
    """How a process ended, in words (``killed by SIGKILL``, ``exit code 3``).

    >>> describe_exit(-9), describe_exit(3)
    ('killed by SIGKILL', 'exit code 3')
    """
    if code is None:
        return "ended"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


@dataclass
class _Worker:
    process: Any
    connection: Any
    unit: "_Unit | None" = None


class WorkerPool:
    """``size`` processes running ``function(payload)`` one payload at a time each.

    Parameters
    ----------
    function : callable
        Runs in the workers. With ``"fork"`` it is inherited (anything goes); with ``"spawn"`` it is
        pickled once per worker.
    size : int
        Number of worker processes.
    method : str
        ``"fork"`` or ``"spawn"`` (:mod:`multiprocessing` start method).
    """

    def __init__(self, function: Callable[[Any], Any], size: int, method: str = "fork"):
        import multiprocessing

        self.function = function
        self.size = size
        self.method = method
        self.context = multiprocessing.get_context(method)
        self.workers: list[_Worker] = []

    def start(self) -> "WorkerPool":
        for _ in range(self.size):
            self.workers.append(self._spawn())
        return self

    def _spawn(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        inherited = [w.connection for w in self.workers] + [parent_end] if self.method == "fork" else []
        process = self.context.Process(target=_worker_main, daemon=True, name="hanlink-worker",
                                       args=(child_end, os.getpid(), self.function, inherited))
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def replace(self, worker: _Worker) -> None:
        """Bury ``worker`` (it died) and start another in its place."""
        worker.connection.close()
        worker.process.join(CLOSE_GRACE)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        self.workers[self.workers.index(worker)] = self._spawn()

    def idle(self) -> list[_Worker]:
        return [w for w in self.workers if w.unit is None]

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.unit is not None]

    def close(self) -> None:
        """Stop every worker: idle ones are told to end, busy ones are killed; none is waited for without bound."""
        for worker in self.workers:
            try:
                if worker.unit is None:
                    worker.connection.send(None)
                else:
                    worker.process.kill()
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(CLOSE_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self.workers = []


@dataclass
class _Partition:
    """Documents sent together, and what came back for each."""

    documents: list
    outcomes: list = field(default_factory=list)
    deaths: list = field(default_factory=list)
    missing: int = 0

    def __post_init__(self) -> None:
        self.outcomes = [None] * len(self.documents)
        self.deaths = [0] * len(self.documents)
        self.missing = len(self.documents)

    def settle(self, index: int, outcome: Any) -> None:
        self.outcomes[index] = outcome
        self.missing -= 1


@dataclass
class _Unit:
    """Part of a partition running on one worker (the whole partition, or one document being retried)."""

    partition: _Partition
    indices: list[int]


def pooled_engine(function: Callable[[list], list], payload: Callable[[Any], Any], documents: Iterable[Any], *,
                  size: int, method: str, partition_size: int, window: int) -> Iterator[tuple[Any, Any]]:
    """``(document, outcome)`` for each of ``documents``, in input order, computed by ``function`` on
    partitions of ``partition_size`` in a :class:`WorkerPool` of ``size`` processes.

    ``function`` takes a list of ``payload(document)`` and returns one outcome per document; when it
    raises, each document's outcome is the message (``worker failed: ...``). At most ``window``
    partitions are held at once. A worker that dies is replaced and the documents of its partition
    are retried one at a time; a document whose worker dies again gets the outcome
    ``worker process died twice on this document (killed by SIGKILL)``.

    Raises
    ------
    HanlinkError
        When workers die :data:`MAX_DEATHS_IN_A_ROW` times in a row without one reply (they cannot start).
    Exception
        What ``documents`` raised, after the outcomes of the documents read before it.
    """
    source = iter(documents)
    exhausted = False
    failure: BaseException | None = None
    pending: deque[_Partition] = deque()
    queue: deque[_Unit] = deque()
    deaths_in_a_row = 0
    pool = WorkerPool(function, size, method)
    try:
        pool.start()
        while True:
            while not exhausted and len(pending) < window:
                taken: list = []
                try:
                    for document in source:
                        taken.append(document)
                        if len(taken) >= partition_size:
                            break
                    else:
                        exhausted = True
                except Exception as exc:  # raised once the documents read before it are done
                    failure, exhausted = exc, True
                if taken:
                    partition = _Partition(taken)
                    pending.append(partition)
                    queue.append(_Unit(partition, list(range(len(taken)))))
            while pending and pending[0].missing == 0:
                done = pending.popleft()
                yield from zip(done.documents, done.outcomes)
            if not pending:
                if exhausted:
                    break
                continue
            for worker in pool.idle():
                if not queue:
                    break
                unit = queue.popleft()
                worker.unit = unit
                try:
                    worker.connection.send([payload(unit.partition.documents[i]) for i in unit.indices])
                except OSError:  # it died idle: noticed below, and the unit retried
                    pass
            busy = pool.busy()
            if not busy:  # every document left is settled or queued; nothing to wait for
                continue
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.connection not in ready and worker.process.sentinel not in ready:
                    continue
                unit, reply = worker.unit, None
                try:
                    if worker.connection.poll():
                        reply = worker.connection.recv()
                except (EOFError, OSError):
                    reply = None
                if reply is not None:
                    worker.unit = None
                    deaths_in_a_row = 0
                    ok, value = reply
                    for position, index in enumerate(unit.indices):
                        unit.partition.settle(index, value[position] if ok else f"worker failed: {value}")
                    continue
                worker.process.join(CLOSE_GRACE)
                how = describe_exit(worker.process.exitcode)
                pool.replace(worker)
                deaths_in_a_row += 1
                if deaths_in_a_row >= MAX_DEATHS_IN_A_ROW:
                    raise HanlinkError(f"worker processes died {deaths_in_a_row} times in a row ({how}) without "
                                       "finishing a document; run with --n-process 1 to see the error")
                _after_death(unit, how, queue)
    finally:
        pool.close()
    if failure is not None:
        raise failure


def _after_death(unit: _Unit, how: str, queue: deque) -> None:
    """The documents of a unit whose worker died: retried one by one, first in line; a document on a worker
    that died for the second time is settled as failed."""
    retry = []
    for index in unit.indices:
        unit.partition.deaths[index] += 1
        if unit.partition.deaths[index] >= 2:
            unit.partition.settle(index, f"worker process died twice on this document ({how}); it is left out "
                                  "(a crash in the analyser, or memory running out, on this text?)")
        else:
            retry.append(_Unit(unit.partition, [index]))
    queue.extendleft(reversed(retry))
