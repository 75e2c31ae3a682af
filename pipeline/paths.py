"""Where the shipped data and models live.

The repository layout is ``pipeline/`` beside ``data/`` and ``models/``. An
editable install (``pip install -e .``, what the Makefile does) finds them
there. ``HANLINK_DATA`` and ``HANLINK_MODELS`` override both locations.
"""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import HanlinkError

REPO_ROOT = Path(__file__).resolve().parent.parent


def _locate(env_var: str, folder: str) -> Path:
    override = os.environ.get(env_var)
    if override:
        return Path(override)
    candidate = REPO_ROOT / folder
    if candidate.is_dir():
        return candidate
    raise HanlinkError(
        f"cannot find hanlink's {folder}/ folder (looked in {candidate}); install hanlink from "
        f"a checkout with `pip install -e .` or set {env_var} to the folder"
    )


def data_dir() -> Path:
    """The folder holding tables, lexicons and samples (``data/``)."""
    return _locate("HANLINK_DATA", "data")


def models_dir() -> Path:
    """The folder holding trained pipelines (``models/``)."""
    return _locate("HANLINK_MODELS", "models")


def data_path(*parts: str) -> Path:
    """A path under :func:`data_dir`, e.g. ``data_path("speakers.csv")``."""
    return data_dir().joinpath(*parts)


def shared_dir() -> Path:
    """The read-only ``../shared`` folder beside the repository (evaluation corpora, seeds)."""
    return Path(os.environ.get("HANLINK_SHARED", REPO_ROOT.parent / "shared"))
