"""Shared fixtures: the pipeline (built once), and files of ../shared (fail in CI when missing)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.paths import shared_dir


def shared_file(*parts: str) -> Path:
    """A file of ../shared; a test needing it fails under CI=true and skips elsewhere when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: the read-only ../shared folder (seeds, corpora) must sit beside the repository"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def nlp():
    import pipeline

    return pipeline.load()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return shared_file("seeds", "000_a6a31bb9b0a80964.txt")
