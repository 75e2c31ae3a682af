"""Batch annotation: readers of every input kind, the local and process-pool engines, Dask.

:mod:`.readers` reads the inputs (files, folders of ``.txt``, JSONL, CSV, Parquet, standard
input) into :class:`~pipeline.batch.readers.InputDocument`; :mod:`.engine` runs them through a
pipeline and writes JSONL; :mod:`.dask_engine` runs partitions on a Dask cluster (optional
extra ``dask``, imported lazily).
"""
