"""The output record: one validating reader of annotate JSONL, one flattener."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.batch import engine as batch
from pipeline.errors import InputDocumentError
from pipeline.records import (MENTION_COLUMNS, check_record, iter_records, mention_rows, mentions_frame, people_rows,
                              read_records)

PERSON = {"start": 0, "end": 2, "text": "허쥔", "label": "PERSON", "kb_id": "P0002", "score": 0.97, "hanja": "賀俊",
          "forms": {"pinyin": "He Jun"}, "title": "주임",
          "affiliation": {"text": "중국사회과학원", "kb_id": "I0003", "start": 3, "end": 10}}
ORG = {"start": 3, "end": 10, "text": "중국사회과학원", "label": "ORG", "kb_id": "I0003", "score": 0.99, "hanja": None,
       "forms": {}, "title": None, "affiliation": None}
RECORD = {"id": "d1", "text": "허쥔 중국사회과학원 주임", "entities": [PERSON, ORG]}


def write(path: Path, *lines: str) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_roles_and_antecedent_are_optional_but_checked():
    newer = {**PERSON, "roles": [{"title": "주임", "institution": PERSON["affiliation"], "former": False}],
             "antecedent": None}
    short = {"start": 14, "end": 15, "text": "허", "label": "PERSON", "kb_id": "P0002", "title": "주임",
             "antecedent": {"start": 0, "end": 2}}
    text = RECORD["text"] + " 허"
    assert check_record({"id": "d", "text": text, "entities": [newer, ORG, short]})["id"] == "d"
    with pytest.raises(InputDocumentError, match="role 0"):
        check_record({**RECORD, "entities": [{**PERSON, "roles": [{"title": "주임", "former": "no"}]}]})
    with pytest.raises(InputDocumentError, match="antecedent"):
        check_record({**RECORD, "entities": [{**PERSON, "antecedent": {"start": "0"}}]})


@pytest.mark.parametrize("entity, problem", [
    ({**ORG, "start": "3"}, "integer 'start' and 'end'"),
    ({**ORG, "end": 99}, "not a span of the text"),
    ({**ORG, "text": "다른것"}, "is not text"),
    ({**ORG, "kb_id": 3}, "'kb_id' must be a string or null"),
    ({**PERSON, "affiliation": {"kb_id": "I1"}}, "'affiliation' must be null or an object"),
    ({key: value for key, value in ORG.items() if key != "label"}, "string 'label'"),
])
def test_a_bad_entity_is_named(entity, problem):
    with pytest.raises(InputDocumentError, match=problem) as caught:
        check_record({**RECORD, "entities": [entity]}, "out.jsonl", 7)
    assert str(caught.value).startswith("out.jsonl, line 7 / id 'd1': entity 0")


def test_errors_name_the_file_and_the_line(tmp_path):
    path = write(tmp_path / "out.jsonl", json.dumps(RECORD) + "\n", "{not json\n")
    with pytest.raises(InputDocumentError, match=rf"{tmp_path}/out.jsonl, line 2: not JSON"):
        list(read_records(path))
    problems: list[str] = []
    assert [line.number for line in iter_records(path, on_problem=problems.append)] == [1]
    assert problems and "line 2" in problems[0]


def test_an_incomplete_last_line_is_skipped_or_read(tmp_path):
    whole = json.dumps(RECORD, ensure_ascii=False) + "\n"
    path = write(tmp_path / "out.jsonl", whole, json.dumps({**RECORD, "id": "d2"}))   # no newline at the end
    assert [r["id"] for r in read_records(path)] == ["d1", "d2"]
    lines = list(iter_records(path, incomplete_last_line="skip"))
    assert [line.record["id"] for line in lines] == ["d1"] and lines[-1].end == len(whole.encode("utf-8"))


def test_gold_without_ids_gets_file_and_line(tmp_path):
    path = write(tmp_path / "gold.jsonl", '{"text": "허쥔", "entities": [{"start": 0, "end": 2, "label": "PERSON"}]}\n')
    with pytest.raises(InputDocumentError, match="no 'id'"):
        list(read_records(path))
    assert next(read_records(path, require_id=False))["id"] == "gold.jsonl:1"


def test_resume_reads_the_records_once_and_cuts_the_broken_tail(tmp_path):
    whole = json.dumps(RECORD, ensure_ascii=False) + "\n"
    out = write(tmp_path / "out.jsonl", whole, '{"id": "d2", "te')
    seen: list[dict] = []
    assert batch.completed_ids(out, on_record=seen.append) == {"d1"}
    assert [r["id"] for r in seen] == ["d1"]
    assert out.read_text(encoding="utf-8") == whole


def test_one_flattener_for_the_mention_table_and_the_people_view():
    rows = list(mention_rows([RECORD]))
    assert [list(row) for row in rows] == [MENTION_COLUMNS] * 2
    assert (rows[0]["affiliation"], rows[0]["affiliation_kb_id"]) == ("중국사회과학원", "I0003")
    frame = mentions_frame([RECORD])
    assert frame.equals(mentions_frame(rows=rows)) and list(frame.columns) == MENTION_COLUMNS
    assert str(frame["start"].dtype) == "int64" and str(frame["score"].dtype) == "float64"
    assert people_rows([RECORD]) == [{"doc": "d1", "name": "허쥔", "hanja": "賀俊", "title": "주임",
                                      "institution": "중국사회과학원", "speaker_id": "P0002",
                                      "institution_id": "I0003", "score": "0.97"}]
