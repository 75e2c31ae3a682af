"""``import pipeline`` and ``hanlink --help`` start without spaCy, pandas or the notebook helpers."""
from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("spacy", "pandas", "numpy", "pipeline.explore", "pipeline.loader", "matplotlib")


def imported_after(code: str) -> list[str]:
    """Which of :data:`HEAVY` a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint('HEAVY:', *(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()[1:]


def test_import_pipeline_loads_neither_spacy_nor_pandas():
    code = "import pipeline, sys; print('spacy' in sys.modules, 'pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False False", result.stderr


@pytest.mark.parametrize("argv", [["--help"], ["annotate", "--help"], ["directory", "--help"], ["train", "--help"],
                                  ["evaluate", "--help"], ["names", "--help"]])
def test_help_imports_nothing_heavy(argv):
    code = f"from pipeline.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    assert imported_after(code) == []


def test_names_needs_no_spacy():
    assert imported_after("from pipeline.cli import main\nmain(['names', '賀俊'])") == []


def test_the_lazy_attributes_are_the_real_things():
    import pipeline
    from pipeline import explore, loader

    assert pipeline.load is loader.load and pipeline.to_frame is explore.to_frame
    assert pipeline.explore is explore and pipeline.records.read_records
    from pipeline import compare, lookup, plot_institutions, render  # noqa: F401  (from-imports work too)

    assert {"load", "to_frame", "render"} <= set(dir(pipeline))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        pipeline.nothing_here  # noqa: B018
