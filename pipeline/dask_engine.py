"""The Dask engine of ``hanlink annotate --engine dask``.

Documents are cut into partitions of ``partition_size``; each partition is a
task that a worker runs with a pipeline it loads once (and keeps) per worker
process. Results come back in input order, through the same writer as the
local engine, so the output is the same line for line. At most ``window``
partitions are in flight, so memory stays flat on million-document inputs.

Dask is optional: ``pip install 'hanlink[dask]'``. Without ``--scheduler``
a ``LocalCluster`` of worker processes on 127.0.0.1 is started (and stopped);
with ``--scheduler tcp://HOST:8786`` the work goes to an existing cluster,
whose workers must have hanlink installed and see the same model and table
paths (see the README).
"""
from __future__ import annotations

from collections import deque
from functools import lru_cache
from typing import Any, Iterable, Iterator

from .batch import Document, Outcome, local_engine
from .errors import BackendUnavailableError


def _distributed():
    try:
        import distributed
    except ImportError:
        raise BackendUnavailableError(
            "--engine dask needs Dask's distributed scheduler; install it with `pip install 'hanlink[dask]'` "
            "(or `pip install 'dask[distributed]'`)") from None
    return distributed


@lru_cache(maxsize=4)
def _worker_pipeline(model: str, tokenizer: str, speakers: str, institutions: str):
    """The pipeline of this worker process, loaded on its first partition and kept."""
    from .loader import load

    return load(model or None, tokenizer=tokenizer or None, speakers=speakers or None,
                institutions=institutions or None)


def annotate_partition(settings: tuple[str, str, str, str], payload: list[tuple[str, str, dict, str, Any]]) -> list:
    """Run on a worker: the outcome (record dict or error message) of each document of the partition."""
    nlp = _worker_pipeline(*settings)
    documents = [Document(doc_id, text, source, line, meta) for doc_id, text, meta, source, line in payload]
    return [outcome for _, outcome in local_engine(nlp, documents)]


class DaskEngine:
    """An engine (see :func:`pipeline.batch.annotate`) that runs partitions on a Dask cluster.

    Parameters
    ----------
    settings : tuple of str
        ``(model, tokenizer, speakers, institutions)`` as given on the command line ("" = default).
    scheduler : str, optional
        Address of a running scheduler; None starts a ``LocalCluster``.
    n_workers : int
        Worker processes of the local cluster.
    partition_size : int
        Documents per task.
    window : int, optional
        Partitions in flight at once (default: 4 per worker thread).
    """

    def __init__(self, settings: tuple[str, str, str, str], *, scheduler: str | None = None, n_workers: int = 2,
                 partition_size: int = 64, window: int | None = None):
        self.distributed = _distributed()
        self.settings = settings
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.partition_size = partition_size
        self.window = window

    def _client(self):
        distributed = self.distributed
        if self.scheduler:
            return distributed.Client(self.scheduler), None
        cluster = distributed.LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None)
        return distributed.Client(cluster), cluster

    def __call__(self, documents: Iterable[Document]) -> Iterator[Outcome]:
        client, cluster = self._client()
        try:
            window = self.window or 4 * max(1, sum(client.nthreads().values()))
            in_flight: deque = deque()
            for partition in _partitions(documents, self.partition_size):
                payload = [(d.id, d.text, d.meta, d.source, d.line) for d in partition]
                future = client.submit(annotate_partition, self.settings, payload, pure=False)
                in_flight.append((partition, future))
                while len(in_flight) >= window:
                    yield from _results(*in_flight.popleft())
            while in_flight:
                yield from _results(*in_flight.popleft())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _results(partition: list[Document], future) -> Iterator[Outcome]:
    try:
        outcomes = future.result()
    except Exception as exc:  # a worker died or the task failed: every document of it is reported
        outcomes = [f"dask task failed: {type(exc).__name__}: {exc}"] * len(partition)
    yield from zip(partition, outcomes)


def _partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    partition: list[Document] = []
    for document in documents:
        partition.append(document)
        if len(partition) >= size:
            yield partition
            partition = []
    if partition:
        yield partition
