"""Every notebook of notebooks/ runs top to bottom with a real Jupyter kernel, and is committed clean.

A notebook fails when a cell raises, when matplotlib warns that a glyph is
missing from the fonts (Hangul or hanja drawn as boxes) or cannot find a font
family, or when it does not write its figures. Figures go to a temporary
folder (``HANLINK_FIGURES``), so the committed PNGs are left alone; the KLUE
evaluation is limited to the first sentences (``HANLINK_KLUE_LIMIT``) to stay
quick. ``python notebooks/nbtool.py run`` runs them in full and rewrites the
committed figures; ``python notebooks/nbtool.py strip`` removes outputs.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from conftest import shared_file

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: What each notebook needs from ../shared, and the figures it must write.
NEEDS = {"evaluate.ipynb": [("data", "klue-ner", "klue-ner-v1.1_dev.tsv")]}
FIGURES = {"explore.ipynb": ["speakers-by-institution.png"], "evaluate.ipynb": ["klue-dev-scores.png"]}
#: Output text that means a figure did not render properly.
FONT_TROUBLE = re.compile(r"missing from (current )?font|findfont: Font family .* not found", re.IGNORECASE)


def _nbtool():
    spec = importlib.util.spec_from_file_location("nbtool", NOTEBOOKS / "nbtool.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def _texts(nb) -> list[tuple[int, str]]:
    """(cell number, text) of every stream, error and plain-text output."""
    found = []
    for number, cell in enumerate(nb.cells, 1):
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                found.append((number, output.text))
            elif output.output_type == "error":
                found.append((number, "\n".join(output.traceback)))
            elif "text/plain" in output.get("data", {}):
                found.append((number, output.data["text/plain"]))
    return found


def test_notebooks_exist():
    names = {path.name for path in _notebooks()}
    assert {"explore.ipynb", "evaluate.ipynb"} <= names
    assert set(FIGURES) <= names


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_committed_without_outputs(path):
    found = _nbtool().outputs_of(nbformat.read(path, as_version=4))
    assert not found, f"{path.name} has {found[:5]}: run python notebooks/nbtool.py strip"


def test_strip_removes_outputs(tmp_path):
    tool = _nbtool()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nb.cells[0].execution_count = 1
    nb.cells[0].metadata["execution"] = {"iopub.status.idle": "2024-01-01T00:00:00Z"}
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert tool.main(["check", str(path)]) == 1
    assert tool.strip(path) is True
    assert tool.outputs_of(nbformat.read(path, as_version=4)) == []
    assert tool.main(["check", str(path)]) == 0
    assert tool.strip(path) is False


@pytest.mark.slow
@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch):
    for parts in NEEDS.get(path.name, []):
        shared_file(*parts)
    monkeypatch.setenv("HANLINK_FIGURES", str(tmp_path))
    monkeypatch.setenv("HANLINK_KLUE_LIMIT", "300")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    from nbclient.exceptions import CellExecutionError

    try:
        nb = _nbtool().run(path, timeout=300)
    except CellExecutionError as error:
        pytest.fail(f"{path.name}: a cell raised\n{error}")
    trouble = [(number, line) for number, text in _texts(nb) for line in text.splitlines()
               if FONT_TROUBLE.search(line)]
    assert not trouble, f"{path.name}: figures do not render: {trouble[:3]}"
    for name in FIGURES.get(path.name, []):
        figure = tmp_path / name
        assert figure.exists() and figure.stat().st_size > 10_000, f"{path.name} did not write {name}"
        assert figure.read_bytes().startswith(b"\x89PNG")
