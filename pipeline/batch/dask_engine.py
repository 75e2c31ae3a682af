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

from functools import partial
from typing import Iterable, Iterator

from pipeline.batch.engine import Outcome, PipelineSettings, partitioned_engine
from pipeline.batch.readers import InputDocument
from pipeline.errors import BackendUnavailableError, UsageError

#: Seconds to wait for a scheduler given with ``--scheduler`` before giving up (a refused port fails at once).
CONNECT_TIMEOUT = 10


#: Dask settings for the workers of the local cluster. Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536``
#: in every worker; setting it turns off glibc's adaptive mmap threshold, so each array of more than
#: 64 KiB is mmap()ed and unmapped again: measured 25 % slower annotation per worker (5.25 s instead of
#: 6.4–6.8 s on the same 400 documents). The statistical profiler samples every thread 100 times a
#: second; hanlink's tasks do not need it.
LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}


def _distributed():
    try:
        import distributed
    except ImportError:
        raise BackendUnavailableError(
            "--engine dask needs Dask's distributed scheduler; install it with `pip install 'hanlink[dask]'` "
            "(or `pip install 'dask[distributed]'`)") from None
    return distributed


class DaskEngine:
    """An engine (see :func:`pipeline.batch.engine.annotate`) that runs partitions on a Dask cluster.

    Parameters
    ----------
    settings : PipelineSettings
        The model, tokenizer and tables as given on the command line ("" = default).
    scheduler : str, optional
        Address of a running scheduler; None starts a ``LocalCluster``.
    n_workers : int
        Worker processes of the local cluster.
    partition_size : int
        Documents per task.
    window : int, optional
        Partitions in flight at once (default: 4 per worker thread).
    """

    def __init__(self, settings: PipelineSettings, *, scheduler: str | None = None, n_workers: int = 2,
                 partition_size: int = 64, window: int | None = None):
        self.distributed = _distributed()
        self.settings = settings
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.partition_size = partition_size
        self.window = window
        self._connected = None

    def connect(self) -> None:
        """Connect to ``scheduler`` now (the command line does this before it touches OUT).

        Raises
        ------
        UsageError
            Naming the address, when the scheduler cannot be reached within :data:`CONNECT_TIMEOUT` seconds.
        """
        if self.scheduler and self._connected is None:
            self._connected = (self._reach(self.scheduler), None)

    def _reach(self, address: str):
        advice = (f"--scheduler {address}: cannot reach the Dask scheduler ({{}}); start it (`dask scheduler`) or "
                  "check the address; nothing was written")
        host_port = address.split("://", 1)[1] if address.startswith("tcp://") else \
            (address if "://" not in address else None)
        if host_port and ":" in host_port:  # a refused or unknown host fails here at once, without retries
            import socket

            host, _, port = host_port.rpartition(":")
            try:
                socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
            except (OSError, ValueError) as exc:
                raise UsageError(advice.format(getattr(exc, "strerror", None) or exc)) from None
        try:
            return self.distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(advice.format(exc)) from None

    def _client(self):
        distributed = self.distributed
        if self._connected is not None:
            connected, self._connected = self._connected, None
            return connected
        if self.scheduler:
            return self._reach(self.scheduler), None
        import dask

        # Nannies pass this configuration to the worker processes they start.
        with dask.config.set(LOCAL_WORKER_CONFIG):
            cluster = distributed.LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                                               host="127.0.0.1", dashboard_address=None)
        return distributed.Client(cluster), cluster

    def __call__(self, documents: Iterable[InputDocument]) -> Iterator[Outcome]:
        client, cluster = self._client()
        try:
            window = self.window or 4 * max(1, sum(client.nthreads().values()))
            submit = partial(client.submit, pure=False)
            yield from partitioned_engine(submit, self.settings, documents, partition_size=self.partition_size,
                                          window=window)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
