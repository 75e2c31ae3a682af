"""hanlink export / import (issue 17): annotations out to Label Studio or doccano and the corrections back as gold.

These tests work on the files alone; ``test_review_label_studio.py`` runs the same
round trip through a real Label Studio server.
"""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.records import check_record
from pipeline.review import doccano, label_studio
from pipeline.review.gold import gold_view
from pipeline.review.post_lines import format_institution, format_role, parse_institution, parse_role
from pipeline.training.corpora import read_jsonl_gold

TEXT = "왕이(王毅) 전 중국 외교부장과 중국사회과학원 공업경제연구소의 허쥔(賀俊) 주임이 만났다. 왕 부장은 협력을 강조했다. 𠀀자료에 따르면 김상훈 실장도."
KIM = TEXT.index("김상훈")


def _ent(start: int, end: int, label: str, **fields) -> dict:
    base = {"start": start, "end": end, "text": TEXT[start:end], "label": label, "kb_id": None, "score": 0.5,
            "hanja": None, "forms": {"hangul": TEXT[start:end]}, "title": None, "affiliation": None,
            "source": "ner"}
    if label == "PERSON":
        base["roles"] = []
    base.update(fields)
    return base


def _inst(text: str, kb_id, start, end) -> dict:
    return {"text": text, "kb_id": kb_id, "start": start, "end": end}


#: A record with the hard cases: a former post, a later short reference, a chain of two ORG spans, an
#: institution whose parent the text distributes (offsets of the unit only), a post without an institution,
#: an astral-plane character before a mention, and a NIL person.
RECORD = {"id": "ref-1", "text": TEXT, "meta": {"date": "2026-12-01"}, "entities": [
    _ent(0, 2, "PERSON", hanja="王毅", title="부장", affiliation=_inst("중국 외교부", None, 9, 15),
         roles=[{"title": "부장", "institution": _inst("중국 외교부", None, 9, 15), "former": True}]),
    _ent(12, 15, "ORG"),
    _ent(18, 25, "ORG", kb_id="I0003", score=0.99),
    _ent(26, 33, "ORG", kb_id="I0004"),
    _ent(35, 37, "PERSON", kb_id="P0002", hanja="賀俊", title="주임",
         affiliation=_inst("중국사회과학원 공업경제연구소", "I0004", 18, 33),
         roles=[{"title": "주임", "institution": _inst("중국사회과학원 공업경제연구소", "I0004", 18, 33),
                 "former": False},
                {"title": "교수", "institution": _inst("베이징대학 [경제]학원", None, None, None), "former": True}]),
    _ent(51, 52, "PERSON", title="부장", roles=[{"title": "부장", "institution": None, "former": False}],
         antecedent={"start": 0, "end": 2}, source="reference"),
    _ent(KIM, KIM + 3, "PERSON", kb_id="P0003", title="실장",
         roles=[{"title": "실장", "institution": None, "former": False}]),
]}


def _views(record: dict) -> list[dict]:
    return [gold_view(entity) for entity in record["entities"]]


def _accept(task: dict) -> dict:
    """The task as Label Studio exports it after an annotator submitted the predictions unchanged."""
    return {"id": 1, "data": task["data"], "predictions": task["predictions"],
            "annotations": [{"id": 1, "result": copy.deepcopy(task["predictions"][0]["result"]),
                             "was_cancelled": False, "ground_truth": False,
                             "created_at": "2026-12-06T10:00:00Z", "updated_at": "2026-12-06T10:00:00Z"}]}


def test_record_is_valid_input():
    check_record(RECORD)


# --- the line syntax of a person's posts ------------------------------------------------------

@pytest.mark.parametrize("institution", [
    _inst("중국사회과학원 공업경제연구소", "I0004", 18, 33),
    _inst("중국 외교부", None, 9, 15),
    _inst("베이징대학 [경제]학원", None, None, None),
    _inst("세계은행(WB)", "I9", None, None),
])
def test_institution_lines_round_trip(institution):
    line = format_institution(institution)
    assert parse_institution(line, "x" * 40 if institution["start"] is None else TEXT) == institution


@pytest.mark.parametrize("role", [
    {"title": "부장", "institution": _inst("중국 외교부", None, 9, 15), "former": True},
    {"title": "주임", "institution": None, "former": False},
    {"title": None, "institution": _inst("중국사회과학원", "I0003", 18, 25), "former": False},
])
def test_role_lines_round_trip(role):
    assert parse_role(format_role(role), TEXT) == role


def test_an_institution_typed_without_offsets_is_found_nearest_the_person():
    text = "산업연구원 김 실장과 이 실장, 그리고 산업연구원 박 실장"
    found = parse_institution("산업연구원", text, near=(text.index("박"), text.index("박") + 1))
    assert (found["start"], found["kb_id"]) == (text.rindex("산업연구원"), None)
    assert parse_institution("없는기관 [I7]", text)["start"] is None


@pytest.mark.parametrize("line, message", [
    ("중국사회과학원 [I0003] (30-10)", "is not a span"),
    ("[I0003] (1-3)", "no institution name"),
])
def test_bad_institution_lines_say_what_to_write(line, message):
    with pytest.raises(ValueError, match=message):
        parse_institution(line, TEXT)


# --- Label Studio --------------------------------------------------------------------------------

def test_labeling_config_is_xml_with_every_field_the_tasks_use():
    root = ET.fromstring(label_studio.labeling_config())
    names = {element.get("name") for element in root.iter() if element.get("name")}
    task = label_studio.record_to_task(RECORD)
    used = {item["from_name"] for item in task["predictions"][0]["result"] if "from_name" in item}
    assert used <= names and {"label", "text", "kb_id", "title", "affiliation", "roles"} <= names
    assert {label.get("value") for label in root.iter("Label")} == {"PERSON", "ORG"}
    assert [relation.get("value") for relation in root.iter("Relation")] == ["antecedent"]
    assert all(area.get("perRegion") == "true" for area in root.iter("TextArea"))


def test_task_marks_every_entity_with_its_fields():
    task = label_studio.record_to_task(RECORD)
    assert task["data"] == {"text": TEXT, "doc_id": "ref-1", "doc_meta": {"date": "2026-12-01"}}
    result = task["predictions"][0]["result"]
    spans = [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in result if r["type"] == "labels"]
    assert spans == [(e["start"], e["end"], e["label"]) for e in RECORD["entities"]]
    he = {r["from_name"]: r["value"]["text"] for r in result if r.get("id") == "e4" and r["type"] == "textarea"}
    assert he == {"kb_id": ["P0002"], "hanja": ["賀俊"], "title": ["주임"],
                  "affiliation": ["중국사회과학원 공업경제연구소 [I0004] (18-33)"],
                  "roles": ["주임 @ 중국사회과학원 공업경제연구소 [I0004] (18-33)",
                            "former: 교수 @ 베이징대학 [경제]학원 []"]}
    assert [r for r in result if r["type"] == "relation"] == [
        {"from_id": "e5", "to_id": "e0", "type": "relation", "direction": "right", "labels": ["antecedent"]}]


def test_accepted_predictions_come_back_as_the_same_entities():
    records, report = label_studio.tasks_to_records([_accept(label_studio.record_to_task(RECORD))])
    assert report.used == 1 and not report.unreviewed and not report.warnings
    (gold,) = records
    assert (gold["id"], gold["text"], gold["meta"]) == ("ref-1", TEXT, {"date": "2026-12-01"})
    assert _views(gold) == _views(RECORD)
    assert all(e["score"] is None and e["forms"] == {} and e["source"] == "label-studio" for e in gold["entities"])
    check_record(gold)


def test_an_annotators_changes_arrive_in_the_gold():
    task = _accept(label_studio.record_to_task(RECORD))
    result = task["annotations"][0]["result"]
    for item in result:
        if item.get("id") == "e6":  # 김상훈 → 김상 (a wrong boundary, say), and linked to no one
            item["value"].update(end=KIM + 2)
            if item["type"] == "labels":
                item["value"]["text"] = TEXT[KIM:KIM + 2]
            if item.get("from_name") == "kb_id":
                item["value"]["text"] = [""]
        if item.get("id") == "e1" and item["type"] == "labels":  # 외교부 is a PERSON (not really)
            item["value"]["labels"] = ["PERSON"]
        if item.get("id") == "e0" and item.get("from_name") == "title":
            item["value"]["text"] = ["외교부장"]
    result[:] = [item for item in result if item.get("id") != "e3"]  # 공업경제연구소 deleted
    result.append({"id": "new", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 58, "end": 60, "text": TEXT[58:60], "labels": ["ORG"]}})
    (gold,), _ = label_studio.tasks_to_records([task])
    by_start = {e["start"]: e for e in gold["entities"]}
    assert (by_start[KIM]["end"], by_start[KIM]["text"], by_start[KIM]["kb_id"]) == (KIM + 2, "김상", None)
    assert by_start[12]["label"] == "PERSON" and by_start[12]["roles"] == []
    assert by_start[0]["title"] == "외교부장"
    assert 26 not in by_start and by_start[58]["label"] == "ORG"
    assert len(gold["entities"]) == len(RECORD["entities"])


def test_the_latest_submitted_annotation_counts_and_skipped_ones_do_not():
    task = _accept(label_studio.record_to_task(RECORD))
    older = copy.deepcopy(task["annotations"][0])
    newer = copy.deepcopy(older)
    newer.update(id=2, updated_at="2026-12-07T00:00:00Z", result=newer["result"][:1])
    skipped = {"id": 3, "result": [], "was_cancelled": True, "updated_at": "2026-12-08T00:00:00Z"}
    task["annotations"] = [older, newer, skipped]
    (gold,), _ = label_studio.tasks_to_records([task])
    assert [e["text"] for e in gold["entities"]] == ["왕이"]
    older["ground_truth"] = True
    (gold,), _ = label_studio.tasks_to_records([task])
    assert len(gold["entities"]) == len(RECORD["entities"])


def test_unreviewed_tasks_are_left_out_unless_asked_for():
    task = label_studio.record_to_task(RECORD)
    exported = [{"id": 9, "data": task["data"], "predictions": task["predictions"], "annotations": []}]
    records, report = label_studio.tasks_to_records(exported)
    assert records == [] and report.unreviewed == ["ref-1"]
    records, report = label_studio.tasks_to_records(exported, unreviewed="predictions")
    assert _views(records[0]) == _views(RECORD)
    exported[0]["predictions"] = [12]  # Label Studio's Export button lists predictions by id
    with pytest.raises(ValueError, match="predictions by id only"):
        label_studio.tasks_to_records(exported, unreviewed="predictions")


def _labels(result: list[dict], region: str) -> dict:
    return next(item["value"] for item in result if item.get("id") == region and item["type"] == "labels")


@pytest.mark.parametrize("change, message", [
    (lambda r: r[0]["value"].update(labels=["PERSON", "ORG"]), "exactly one of PERSON, ORG"),
    (lambda r: r[0]["value"].update(text="다른 이름"), "is not text"),
    (lambda r: r[0]["value"].update(end=999), "is not a span of the text"),
    (lambda r: _labels(r, "e1").update(end=19, text=TEXT[12:19]), "overlap"),  # 외교부 → into 중국사회과학원
    (lambda r: next(i for i in r if i.get("from_name") == "kb_id")["value"].update(text=["P1", "P2"]),
     "keep one"),
    (lambda r: next(i for i in r if i.get("from_name") == "roles")["value"].update(text=["x @ [I1] (1-2)"]),
     "no institution name"),
])
def test_a_wrong_region_is_named(change, message):
    task = _accept(label_studio.record_to_task(RECORD))
    change(task["annotations"][0]["result"])
    with pytest.raises(ValueError, match=message) as caught:
        label_studio.tasks_to_records([task], source_name="export.json")
    assert "export.json, task 1 (document 'ref-1')" in str(caught.value)


def test_an_export_that_is_not_label_studios_json_is_refused():
    with pytest.raises(ValueError, match="JSON list of tasks"):
        label_studio.tasks_to_records({"tasks": []})
    with pytest.raises(ValueError, match="no data.text"):
        label_studio.tasks_to_records([{"id": 1, "text": "..."}])


# --- doccano -------------------------------------------------------------------------------------

def _doccano_export(line: dict, example_id: int = 41) -> dict:
    """The line as doccano's JSONL export writes it: its own id, the metadata at the top level."""
    return {"id": example_id, **line, "Comments": []}


def test_doccano_round_trip():
    line = doccano.record_to_line(RECORD)
    relations = {(r["from_id"], r["to_id"], r["type"]) for r in line["relations"]}
    assert relations == {(1, 2, "affiliation"), (5, 3, "affiliation"), (5, 4, "affiliation"),
                         (6, 1, "antecedent")}
    gold = doccano.line_to_record(_doccano_export(line), "export.jsonl", 1)
    assert gold["id"] == "ref-1" and gold["meta"] == {"date": "2026-12-01"}
    assert _views(gold) == _views(RECORD)
    check_record(gold)


def test_doccano_redrawn_affiliation_and_relabelled_span():
    line = _doccano_export(doccano.record_to_line(RECORD))
    line["relations"] = [r for r in line["relations"] if r["from_id"] != 5]  # 허쥔: only 중국사회과학원 now
    line["relations"].append({"id": 99, "from_id": 5, "to_id": 3, "type": "affiliation"})
    line["entities"][1]["label"] = "PERSON"  # 외교부 relabelled: its fields are not the ORG's ...
    with pytest.raises(ValueError, match="relation 1 \\(affiliation\\) must join a PERSON and an ORG"):
        doccano.line_to_record(line, "export.jsonl", 1)
    line["relations"] = [r for r in line["relations"] if r["to_id"] != 2]  # ... and its arrow from 왕이 goes
    gold = doccano.line_to_record(line, "export.jsonl", 1)
    assert gold["entities"][0]["affiliation"] is None
    assert gold["entities"][0]["roles"] == [{"title": "부장", "institution": None, "former": True}]
    he = gold["entities"][4]
    assert he["affiliation"] == _inst("중국사회과학원", "I0003", 18, 25)
    assert he["roles"][0] == {"title": "주임", "institution": _inst("중국사회과학원", "I0003", 18, 25), "former": False}
    assert he["roles"][1]["title"] == "교수"
    assert gold["entities"][1]["label"] == "PERSON" and gold["entities"][1]["roles"] == []


def test_doccano_plain_sequence_labelling_export_is_read_too():
    line = {"id": 3, "text": "허쥔 주임", "label": [[0, 2, "PERSON"]]}
    gold = doccano.line_to_record(line, "export.jsonl", 1)
    assert gold["id"] == "doccano-3" and [(e["text"], e["label"]) for e in gold["entities"]] == [("허쥔", "PERSON")]
    with pytest.raises(ValueError, match="has the label 'LOC'"):
        doccano.line_to_record({"text": "서울", "label": [[0, 2, "LOC"]]}, "export.jsonl", 4)


# --- the command line ----------------------------------------------------------------------------

@pytest.fixture()
def annotations(tmp_path) -> Path:
    path = tmp_path / "annotations.jsonl"
    path.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_cli_label_studio_loop_gives_gold_that_evaluate_reads(annotations, tmp_path, capsys):
    tasks_path, gold_path = tmp_path / "tasks.json", tmp_path / "gold.jsonl"
    assert main(["export", str(annotations), "--to", "label-studio", "-o", str(tasks_path)]) == 0
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    exported = tmp_path / "exported.json"
    exported.write_text(json.dumps([_accept(task) for task in tasks], ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(exported), "-o", str(gold_path)]) == 0
    assert "1 document(s), 7 entities" in capsys.readouterr().err
    (gold,) = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()]
    assert _views(gold) == _views(RECORD)
    (sentence,) = read_jsonl_gold(gold_path)  # what `hanlink evaluate --gold gold.jsonl` reads
    assert sentence.spans == sorted((e["start"], e["end"], e["label"]) for e in RECORD["entities"])
    assert sentence.kb_ids[(35, 37, "PERSON")] == "P0002" and sentence.kb_ids[(0, 2, "PERSON")] is None


def test_cli_doccano_loop(annotations, tmp_path):
    out, gold_path = tmp_path / "doccano.jsonl", tmp_path / "gold.jsonl"
    assert main(["export", str(annotations), "--to", "doccano", "-o", str(out)]) == 0
    exported = tmp_path / "doccano-export.jsonl"
    exported.write_text("".join(json.dumps(_doccano_export(json.loads(line)), ensure_ascii=False) + "\n"
                                for line in out.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    assert main(["import", str(exported), "-o", str(gold_path)]) == 0
    assert _views(json.loads(gold_path.read_text(encoding="utf-8"))) == _views(RECORD)


def test_cli_labeling_config_is_printed(capsys):
    assert main(["export", "--labeling-config"]) == 0
    assert capsys.readouterr().out == label_studio.labeling_config()


@pytest.mark.parametrize("argv, message", [
    (["export"], "give the annotate output"),
    (["export", "x.jsonl", "--labeling-config"], "configuration only"),
    (["export", "--labeling-config", "--to", "doccano"], "relation types antecedent and affiliation"),
    (["export", "missing.jsonl"], "missing.jsonl: no such file"),
    (["import", "exported.jsonl", "--unreviewed", "predictions"], "Label Studio exports only"),
])
def test_cli_usage_errors(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_import_of_a_wrong_file_names_it_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "export.json"
    bad.write_text('{"tasks": []}', encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    assert main(["import", str(bad), "-o", str(gold)]) == 1
    assert "JSON list of tasks" in capsys.readouterr().err and not gold.exists()


def test_cli_refuses_to_overwrite_its_input(annotations, capsys):
    assert main(["export", str(annotations), "-o", str(annotations)]) == 2
    assert "would overwrite the input" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["export", "--help"], ["import", "--help"]])
def test_help_of_export_and_import_imports_nothing_heavy(argv):
    from test_fast_start import imported_after

    code = f"from pipeline.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    assert imported_after(code) == []
