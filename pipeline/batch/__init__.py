"""Batch annotation: readers of every input kind, the local and process-pool engines, Dask.

:mod:`.engine` reads inputs and runs documents through a pipeline; :mod:`.dask_engine` runs
partitions on a Dask cluster (optional extra ``dask``, imported lazily).
"""
