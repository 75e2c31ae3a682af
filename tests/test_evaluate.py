"""Evaluation metrics on hand-made gold/prediction pairs, and the ``hanlink evaluate`` command."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.training.corpora import Sentence
from pipeline.evaluation.ner import prf, score

from conftest import shared_file


def test_prf_by_hand():
    assert prf(1, 1, 1) == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1,
                            "gold": 2, "predicted": 2}
    assert prf(0, 0, 0)["f1"] == 0.0
    assert prf(3, 1, 0)["precision"] == 0.75 and prf(3, 1, 0)["recall"] == 1.0
    assert prf(3, 1, 0)["f1"] == round(2 * 0.75 / 1.75, 4)


GOLD = [
    Sentence("d1", "허쥔은 삼성전자에 갔다", [(0, 2, "PERSON"), (4, 8, "ORG")], "wikitree"),
    Sentence("d2", "김철수 서울 나들이", [(0, 3, "PERSON"), (4, 6, "LC")], "nsmc"),
]
PRED = [
    [(0, 2, "PERSON", None), (4, 7, "ORG", None)],            # PERSON right, ORG boundary wrong
    [(0, 3, "ORG", None), (4, 6, "PERSON", None), (4, 6, "LC", None)],  # wrong label, spurious PERSON
]


def test_score_by_hand():
    result = score(GOLD, PRED, by_source=True)
    # PERSON: tp 1 (허쥔), fp 1 (서울), fn 1 (김철수, predicted as ORG)
    # ORG: tp 0, fp 2 (삼성전 and 김철수), fn 1 (삼성전자); LC is not scored
    person, org = result["labels"]["PERSON"], result["labels"]["ORG"]
    assert (person["tp"], person["fp"], person["fn"]) == (1, 1, 1)
    assert (person["precision"], person["recall"], person["f1"]) == (0.5, 0.5, 0.5)
    assert (org["tp"], org["fp"], org["fn"]) == (0, 2, 1)
    assert (org["precision"], org["recall"], org["f1"]) == (0.0, 0.0, 0.0)
    overall = result["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 3, 2)
    # P = 1/4, R = 1/3, F1 = 2PR/(P+R) = (1/6)/(7/12) = 2/7
    assert overall["precision"] == 0.25 and overall["recall"] == 0.3333 and overall["f1"] == 0.2857
    assert result["documents"] == 2
    news, reviews = result["by_source"]["wikitree"], result["by_source"]["nsmc"]
    assert news["documents"] == 1 and news["overall"]["tp"] == 1 and news["overall"]["fp"] == 1
    assert reviews["labels"]["PERSON"]["fp"] == 1 and reviews["labels"]["PERSON"]["fn"] == 1
    assert "linking" not in result


def test_score_perfect_and_empty():
    assert score(GOLD[:1], [[(0, 2, "PERSON", None), (4, 8, "ORG", None)]])["overall"]["f1"] == 1.0
    empty = score([Sentence("e", "없음", [], "t")], [[]])
    assert empty["overall"]["tp"] == 0 and empty["overall"]["f1"] == 0.0


def test_linking_accuracy_by_hand():
    gold = [Sentence("d", "허쥔 중국사회과학원 양쥔", [(0, 2, "PERSON"), (3, 10, "ORG"), (11, 13, "PERSON")], "jsonl",
                     {(0, 2, "PERSON"): "P0002", (3, 10, "ORG"): "I0003", (11, 13, "PERSON"): None})]
    pred = [[(0, 2, "PERSON", "P0002"), (3, 10, "ORG", "I0009"), (11, 13, "PERSON", None)]]
    linking = score(gold, pred)["linking"]
    # 3 gold with kb_id; all found; 허쥔 right, the institution wrong, 양쥔 NIL right
    assert linking["gold"] == 3 and linking["found"] == 3 and linking["correct"] == 2
    assert linking["accuracy"] == 0.6667 and linking["gold_nil"] == 1 and linking["correct_nil"] == 1
    assert linking["gold_linked"] == 2 and linking["correct_linked"] == 1


def test_errors_are_listed():
    errors: list = []
    score(GOLD, PRED, errors=errors)
    assert [e["id"] for e in errors] == ["d1", "d2"]
    assert errors[0]["missed"] == [[4, 8, "ORG", "삼성전자"]]
    assert errors[0]["spurious"] == [[4, 7, "ORG", "삼성전"]]


def _run(capsys, argv):
    status = main(argv)
    out = capsys.readouterr().out
    return status, json.loads(out)


def test_cli_jsonl_gold_shape(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    text = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다."
    record = {"id": "d1", "text": text, "entities": [
        {"start": 0, "end": 2, "label": "PERSON", "kb_id": "P0002"},
        {"start": 7, "end": 14, "label": "ORG", "kb_id": "I0003"},
        {"start": 15, "end": 22, "label": "ORG", "kb_id": "I0004"},
    ]}
    gold.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    status, result = _run(capsys, ["evaluate", "--gold", str(gold), "--format", "jsonl", "--rules-only"])
    assert status == 0
    assert result["format"] == "jsonl" and result["documents"] == 1 and result["model"] is None
    assert set(result["labels"]) == {"PERSON", "ORG"}
    for block in [result["overall"], *result["labels"].values()]:
        assert set(block) >= {"precision", "recall", "f1", "tp", "fp", "fn"}
    assert result["overall"]["f1"] == 1.0
    assert result["linking"]["accuracy"] == 1.0 and result["linking"]["gold"] == 3


def test_cli_usage_errors(tmp_path, capsys):
    assert main(["evaluate", "--gold", str(tmp_path / "missing.tsv")]) == 2
    assert main(["evaluate", "--gold", str(tmp_path / "x.tsv"), "--limit", "0"]) == 2
    with pytest.raises(SystemExit):
        main(["evaluate", "--gold", "x", "--rules-only", "--no-rules"])


@pytest.mark.slow
def test_cli_klue_limited(capsys):
    path = shared_file("data", "klue-ner", "klue-ner-v1.1_dev.tsv")
    status, result = _run(capsys, ["evaluate", "--gold", str(path), "--format", "klue", "--limit", "40"])
    assert status == 0 and result["documents"] == 40
    assert set(result["by_source"]) <= {"wikitree", "nsmc"} and result["by_source"]
    assert sum(s["documents"] for s in result["by_source"].values()) == 40
    assert result["labels"]["PERSON"]["gold"] > 0
    assert 0.0 <= result["overall"]["f1"] <= 1.0


def test_error_analysis_sorts_mistakes_into_kinds(tmp_path, capsys):
    from pipeline.evaluation import error_analysis

    records = [
        {"source": "news", "text": "박씨는 경찰에 갔다.", "missed": [[0, 1, "PERSON", "박"], [4, 6, "ORG", "경찰"]],
         "spurious": [[0, 2, "PERSON", "박씨"]]},
        {"source": "news", "text": "원더걸스가 북한에서 공연했다.", "missed": [[0, 4, "PERSON", "원더걸스"], [6, 8, "ORG", "북한"]],
         "spurious": [[0, 4, "ORG", "원더걸스"]]},
        # mecab: 두 | 환은 — the name 두환 ends inside a token
        {"source": "review", "text": "리의 머릿속에 두환은 나팔바지", "missed": [[8, 10, "PERSON", "두환"]], "spurious": []},
    ]
    path = tmp_path / "errors.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    counts = error_analysis.classify(error_analysis.read_errors(path))
    assert counts["missed"] == {("PERSON", "boundary"): 1, ("ORG", "generic authority"): 1,
                                ("PERSON", "label"): 1, ("ORG", "country"): 1, ("PERSON", "inside a token"): 1}
    assert counts["spurious"] == {("PERSON", "boundary"): 1, ("ORG", "label"): 1}
    assert counts["by_source"]["review", "missed", "PERSON"] == 1
    assert error_analysis.main([str(path)]) == 0
    assert "| inside a token | 1 | 0 |" in capsys.readouterr().out
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n', encoding="utf-8")
    assert error_analysis.main([str(bad)]) == 2
    assert "bad.jsonl, line 1" in capsys.readouterr().err


def test_score_split_by_seen_names():
    # 허쥔 was seen in training, 김철수 and 삼성전자 were not (by text, whatever the label)
    result = score(GOLD, PRED, seen={"허쥔", "서울"})
    seen, unseen = result["by_seen"]["seen"], result["by_seen"]["unseen"]
    # seen: gold 허쥔 found (tp), prediction 서울 spurious (fp)
    assert (seen["overall"]["tp"], seen["overall"]["fp"], seen["overall"]["fn"]) == (1, 1, 0)
    # unseen: gold 김철수 (PERSON) and 삼성전자 missed; 삼성전 and 김철수-as-ORG spurious
    assert (unseen["overall"]["tp"], unseen["overall"]["fp"], unseen["overall"]["fn"]) == (0, 2, 2)
    assert unseen["labels"]["PERSON"]["fn"] == 1 and unseen["labels"]["ORG"]["fp"] == 2
    assert "by_seen" not in score(GOLD, PRED)


def test_cli_seen_from_a_gold_file(tmp_path, capsys):
    train = tmp_path / "train.jsonl"
    train.write_text(json.dumps({"id": "t", "text": "허쥔은 갔다.", "entities": [
        {"start": 0, "end": 2, "label": "PERSON"}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g", "text": "허쥔(賀俊) 주임과 양평섭 소장이 만났다.", "entities": [
        {"start": 0, "end": 2, "label": "PERSON"}, {"start": 11, "end": 14, "label": "PERSON"}]},
        ensure_ascii=False) + "\n", encoding="utf-8")
    status, result = _run(capsys, ["evaluate", "--gold", str(gold), "--rules-only", "--seen-from", str(train)])
    assert status == 0
    assert result["by_seen"]["seen"]["labels"]["PERSON"]["gold"] == 1
    assert result["by_seen"]["unseen"]["labels"]["PERSON"]["gold"] == 1
