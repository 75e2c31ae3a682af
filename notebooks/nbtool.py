"""Keep the notebooks clean and run them.

    python notebooks/nbtool.py strip [NOTEBOOK ...]   remove outputs and execution counts (in place)
    python notebooks/nbtool.py check [NOTEBOOK ...]   exit 1 when a notebook has outputs
    python notebooks/nbtool.py run [NOTEBOOK ...]     execute top to bottom with a Jupyter kernel; this
                                                      rewrites the figures in notebooks/figures/ but
                                                      leaves the .ipynb files untouched

Without NOTEBOOK, every ``*.ipynb`` of this folder. The notebooks are
committed without outputs: run ``strip`` before committing (``check`` is
what tests/test_notebooks.py asserts). Needs nbformat and nbclient (and
ipykernel for ``run``): ``pip install -e .[test]``.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
#: Cell metadata that only records a run.
_RUN_METADATA = ("execution", "collapsed", "scrolled")


def notebooks(paths: list[str] | None = None) -> list[Path]:
    """The notebooks named, or every notebook of this folder (sorted)."""
    if paths:
        return [Path(p) for p in paths]
    return sorted(HERE.glob("*.ipynb"))


def outputs_of(nb) -> list[str]:
    """Where ``nb`` carries a run's traces: ``cell N: outputs`` / ``cell N: execution_count``."""
    found = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {number}: outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {number}: execution_count")
        if any(key in cell.get("metadata", {}) for key in _RUN_METADATA):
            found.append(f"cell {number}: run metadata")
    return found


def strip(path: Path) -> bool:
    """Remove outputs, execution counts and run metadata from the notebook at ``path``; True if it changed."""
    nb = nbformat.read(path, as_version=4)
    if not outputs_of(nb):
        return False
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            for key in _RUN_METADATA:
                cell.metadata.pop(key, None)
    nbformat.write(nb, path)
    return True


def run(path: Path, *, timeout: int = 600):
    """Execute the notebook at ``path`` top to bottom (working directory: its folder); return the executed copy.

    The kernel is an IPython kernel of this Python (not whatever ``python3``
    kernel a user installed), so it imports the hanlink of this environment.
    Raises ``nbclient.exceptions.CellExecutionError`` when a cell raises. The
    file itself is not written.
    """
    import tempfile

    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="hanlink-kernel-") as folder:
        write_kernel_spec(Path(folder) / "hanlink-python")
        specs = KernelSpecManager(kernel_dirs=[folder])
        manager = KernelManager(kernel_name="hanlink-python", kernel_spec_manager=specs)
        client = NotebookClient(nb, km=manager, timeout=timeout,
                                resources={"metadata": {"path": str(Path(path).resolve().parent)}})
        try:
            client.execute()
        finally:                                    # a kernel manager we made is ours to stop
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
    return nb


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ("strip", "check", "run"):
        print(__doc__, file=sys.stderr)
        return 2
    command, paths = argv[0], notebooks(argv[1:])
    status = 0
    for path in paths:
        if command == "strip":
            print(f"{path}: {'stripped' if strip(path) else 'clean'}")
        elif command == "check":
            found = outputs_of(nbformat.read(path, as_version=4))
            if found:
                status = 1
                print(f"{path}: has {', '.join(found[:5])}{' …' if len(found) > 5 else ''}; "
                      f"run python notebooks/nbtool.py strip", file=sys.stderr)
        else:
            started = time.perf_counter()
            run(path)
            print(f"{path}: ran in {time.perf_counter() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
