"""The press gold (data/gold/press.jsonl) and `hanlink evaluate --format press`."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from conftest import shared_file
from pipeline.errors import HanlinkError
from pipeline.evaluation.press import PressPassage, GoldPerson, read_press_gold, score, score_passage, split_of
from pipeline.paths import data_path

GOLD = data_path("gold", "press.jsonl")


def test_gold_is_kept_out_of_the_secret_evaluation_set():
    guard = shared_file("tools", "press_guard.py")
    result = subprocess.run([sys.executable, str(guard), "--jsonl", str(GOLD)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gold_has_the_size_and_spread_the_issue_asks_for():
    passages = read_press_gold(GOLD)
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(passages) >= 60
    assert len({row["site"] for row in rows}) >= 20
    assert all(400 <= len(p.text) <= 900 for p in passages)
    assert all(p.source.startswith("http") for p in passages)
    # ordinary news not about China: press-c-*, press-d-* and press-g-* (and a few of b and e, see data/gold/README.md)
    assert sum(row["id"].startswith(("press-c-", "press-d-", "press-g-")) for row in rows) >= len(rows) / 4
    splits = Counter(p.split for p in passages)
    assert splits["dev"] >= 25 and splits["test"] >= 25


def test_every_gold_field_occurs_in_its_passage():
    for passage in read_press_gold(GOLD):
        for person in passage.persons:
            for value in (person.hanja, person.title):
                assert value is None or value in passage.text, (passage.id, person.name, value)
            for part in (person.institution or "").split():
                assert part in passage.text, (passage.id, person.name, part)


def test_split_is_stable_and_by_id():
    assert split_of("press-a-01") == split_of("press-a-01")
    assert {split_of(f"press-x-{i}") for i in range(20)} == {"dev", "test"}


def test_reader_names_file_and_line(tmp_path):
    bad = tmp_path / "press.jsonl"
    bad.write_text('{"id": "a", "text": "허쥔 주임은 말했다.", "persons": [{"name": "허쥔"}], "orgs": []}\n'
                   '{"id": "b", "text": "김철수 교수", "persons": [{"name": "이영희"}], "orgs": []}\n',
                   encoding="utf-8")
    with pytest.raises(HanlinkError, match=r"press.jsonl, line 2, person 1: '이영희' does not occur"):
        read_press_gold(bad)


PASSAGE = PressPassage(
    id="t", source="", text="허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 말했다. 허 주임은 또 말했다. 김철수 기자",
    persons=(GoldPerson("허쥔", "賀俊", "주임", "중국사회과학원 공업경제연구소", aliases=("허",)),
             GoldPerson("김철수", None, "기자", None)),
    orgs=("중국사회과학원", "공업경제연구소"))


def entity(text, label, start, **extra):
    return {"text": text, "label": label, "start": start, "end": start + len(text), **extra}


def test_scoring_follows_the_contract():
    predicted = [
        entity("허쥔", "PERSON", 0, hanja="賀俊", title="주임", affiliation={"text": "공업경제연구소"}),
        entity("중국사회과학원 공업경제연구소", "ORG", 7),
        entity("허", "PERSON", 29, title="주임", antecedent={"start": 0, "end": 2}),  # never an extra person
        entity("말했", "PERSON", 22),  # an extra person
    ]
    result, errors = score([PASSAGE], [predicted])
    assert result["persons"]["recall"] == 0.5  # 김철수 missed
    assert result["persons"]["predicted"] == 2 and result["persons"]["extra"] == 1
    assert result["hanja"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert result["title"]["correct"] == 1 and result["title"]["total"] == 2
    assert result["affiliation"]["correct"] == 1  # the gold chain contains the predicted unit
    assert result["orgs"]["found"] == 2  # both strings lie inside the predicted ORG
    assert errors[0]["missed"] == ["김철수"] and errors[0]["extra"] == ["말했"]


def test_a_short_reference_alone_finds_its_person_through_the_aliases():
    mistakes = score_passage(PASSAGE, [entity("허", "PERSON", 29, title="주임", antecedent={"start": 0, "end": 2})])
    assert "허쥔" not in mistakes.get("missed", [])


def test_evaluate_press_cli_prints_the_contract_keys(tmp_path):
    gold = tmp_path / "press.jsonl"
    gold.write_text(json.dumps({"id": "x", "source": "", "text": PASSAGE.text,
                                "persons": [{"name": "허쥔", "hanja": "賀俊", "title": "주임",
                                             "institution": "중국사회과학원 공업경제연구소"}],
                                "orgs": ["중국사회과학원"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    from pipeline.cli import main

    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["evaluate", "--gold", str(gold), "--format", "press"]) == 0
    result = json.loads(out.getvalue())
    assert set(result) >= {"persons", "hanja", "title", "affiliation", "orgs"}
    assert set(result["persons"]) >= {"precision", "recall", "f1"}
    assert set(result["orgs"]) >= {"found", "total"}
    assert result["persons"]["recall"] == 1.0 and result["hanja"]["correct"] == 1
