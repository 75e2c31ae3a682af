"""Loading and validating the speaker and institution tables."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import TableError
from pipeline.kb.tables import (INSTITUTION_COLUMNS, SPEAKER_COLUMNS, load_tables, normalize_key, read_institutions,
                             read_speakers)

INSTITUTIONS = """institution_id,name,original,abbreviation,aliases,parent_id,country,note
I1,중국사회과학원,中国社会科学院,CASS,,,CN,
I2,공업경제연구소,工业经济研究所,,,I1,CN,
"""
SPEAKERS = """speaker_id,name,hanja,simplified,latin,aliases,institution_id,title,country,note
P1,허쥔,賀俊,贺俊,He Jun,하준,I2,주임,CN,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_tables_have_the_contract_columns():
    tables = load_tables()
    assert list(tables.speakers.columns[: len(SPEAKER_COLUMNS)]) == SPEAKER_COLUMNS
    assert list(tables.institutions.columns[: len(INSTITUTION_COLUMNS)]) == INSTITUTION_COLUMNS
    assert len(tables.speakers) >= 8 and len(tables.institutions) >= 13


def test_unit_knows_its_parent():
    tables = load_tables()
    assert tables.institution("I0004")["parent_id"] == "I0003"
    assert tables.ancestors("I0004") == ["I0003"]


@pytest.mark.parametrize("name,label,expected", [
    ("KIEP", "ORG", ["I0001"]),
    ("대외경제정책연구원", "ORG", ["I0001"]),
    ("賀俊", "PERSON", ["P0002"]),
    ("贺俊", "PERSON", ["P0002"]),
    ("He Jun", "PERSON", ["P0002"]),
    ("he jun", "PERSON", ["P0002"]),
    ("허쥔", "PERSON", ["P0002"]),
    ("김철수", "PERSON", []),
])
def test_lookup(name, label, expected):
    assert load_tables().lookup(name, label) == expected


def test_normalize_key():
    assert normalize_key("He  Jun") == normalize_key("he-jun") == "hejun"
    assert normalize_key("중국권역별·성별연구팀") == normalize_key("중국권역별성별연구팀")


def test_valid_tables_load(tmp_path):
    tables = load_tables(write(tmp_path, "s.csv", SPEAKERS), write(tmp_path, "i.csv", INSTITUTIONS))
    assert tables.lookup("贺俊", "PERSON") == ["P1"]


@pytest.mark.parametrize("text,line,column,words", [
    (INSTITUTIONS.replace(",parent_id", ",parent"), 1, "parent_id", "missing column"),
    (INSTITUTIONS + "I1,다른 기관,,,,,KR,\n", 4, "institution_id", "duplicate id 'I1'"),
    (INSTITUTIONS + "I3,기관,,,,I9,KR,\n", 4, "parent_id", "'I9'"),
    (INSTITUTIONS + ",기관,,,,,KR,\n", 4, "institution_id", "empty id"),
    (INSTITUTIONS + "I4,,,,,,KR,\n", 4, "name", "empty name"),
])
def test_bad_institution_table_names_file_line_and_column(tmp_path, text, line, column, words):
    path = write(tmp_path, "inst.csv", text)
    with pytest.raises(TableError) as info:
        read_institutions(path)
    message = str(info.value)
    assert str(path) in message and f"line {line}" in message and repr(column) in message and words in message
    assert info.value.row == line and info.value.column == column


def test_dangling_speaker_institution(tmp_path):
    institutions = write(tmp_path, "i.csv", INSTITUTIONS)
    speakers = write(tmp_path, "s.csv", SPEAKERS + "P2,양쥔,楊軍,,,,I7,,CN,\n")
    with pytest.raises(TableError) as info:
        load_tables(speakers, institutions)
    assert "line 3" in str(info.value) and "'institution_id'" in str(info.value) and "'I7'" in str(info.value)


def test_duplicate_speaker_id(tmp_path):
    institutions = write(tmp_path, "i.csv", INSTITUTIONS)
    speakers = write(tmp_path, "s.csv", SPEAKERS + "P1,양쥔,楊軍,,,,I1,,CN,\n")
    with pytest.raises(TableError, match="line 3.*duplicate id 'P1'"):
        read_speakers(speakers, ["I1", "I2"], institutions)


def test_missing_file(tmp_path):
    with pytest.raises(TableError, match="file not found"):
        load_tables(tmp_path / "nope.csv", tmp_path / "nope2.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "i.csv"
    path.write_bytes(INSTITUTIONS.encode("cp949", errors="ignore"))
    with pytest.raises(TableError, match="not valid UTF-8"):
        read_institutions(path)
