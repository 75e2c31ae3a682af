"""Shared fixtures: the pipeline (built once), files of ../shared and a JVM (both fail in CI when missing).

A test that needs a JVM (the konlpy taggers) is marked ``@pytest.mark.java``: on a machine
without one it is skipped with the reason, except under ``CI=true``, where it fails.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

from pipeline.paths import shared_dir


NO_JVM = ("no JVM (or konlpy/JPype) on this machine: install a Java runtime (e.g. apt-get install "
          "default-jre-headless) to run the tests of the konlpy taggers")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@lru_cache(maxsize=1)
def have_jvm() -> bool:
    """Whether the konlpy taggers can run here (checked without starting a JVM)."""
    from pipeline.tokenization.tokenizer import JAVA_BACKENDS, available_backends

    return bool(JAVA_BACKENDS & set(available_backends()))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("java") is not None and not have_jvm():
        if in_ci():
            pytest.fail(NO_JVM, pytrace=False)
        pytest.skip(NO_JVM)


def review_program(name: str, variable: str) -> str:
    """A review tool's program (``$variable``, the ``.venv-review`` that ``make review-env`` builds, or
    PATH); fails under CI=true without it, skips with the reason elsewhere."""
    from pipeline.errors import BackendUnavailableError
    from pipeline.review.server import find_executable

    if not os.environ.get(variable):
        local = Path(__file__).resolve().parent.parent / ".venv-review" / "bin" / name
        if local.exists():
            return str(local)
    try:
        return find_executable(name, variable)
    except BackendUnavailableError as exc:
        if in_ci():
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))


def shared_file(*parts: str) -> Path:
    """A file of ../shared; a test needing it fails under CI=true and skips elsewhere when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: the read-only ../shared folder (seeds, corpora) must sit beside the repository"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def nlp():
    import pipeline

    return pipeline.load()


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline without the statistical model, for tests of the rule layer where the model is irrelevant."""
    import pipeline

    return pipeline.load(use_model=False)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return shared_file("seeds", "000_a6a31bb9b0a80964.txt")
