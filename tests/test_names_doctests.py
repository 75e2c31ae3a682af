"""The examples in the docstrings of pipeline.names are true."""
from __future__ import annotations

import doctest
import importlib
import importlib.util

import pytest

from pipeline.paths import data_path

MODULES = ["pipeline.names._text", "pipeline.names.transcribe", "pipeline.names.zh", "pipeline.names.hanja",
           "pipeline.names.korean", "pipeline.names.places", "pipeline.names.forms"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"


def test_generator_docstring_examples() -> None:
    spec = importlib.util.spec_from_file_location("make_pinyin_hangul", data_path("names", "make_pinyin_hangul.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert doctest.testmod(module).failed == 0
