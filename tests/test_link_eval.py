"""Linking metrics, the gold set and its split, and the figures on the test split."""
from __future__ import annotations

from collections import Counter

import pytest

from pipeline.evaluation.linking import category_of, evaluate_linking, linking_metrics, split_records
from pipeline.paths import data_path
from pipeline.records import read_records

GOLD = data_path("gold", "linking.jsonl")


def record(doc_id, *entities):
    return {"id": doc_id, "text": "", "entities": [
        {"start": s, "end": e, "label": label, "kb_id": kb} for s, e, label, kb in entities]}


def test_linking_metrics_counts_accuracy_and_nil():
    gold = [record("a-1", (0, 2, "PERSON", "P1"), (3, 5, "PERSON", None), (6, 8, "ORG", "I1"), (9, 11, "PERSON", "P2")),
            record("a-2", (0, 2, "PERSON", None), (3, 5, "PERSON", "P3"))]
    pred = [record("a-1", (0, 2, "PERSON", "P1"), (3, 5, "PERSON", None), (6, 8, "ORG", "I9"), (9, 11, "PERSON", None)),
            record("a-2", (0, 2, "PERSON", "P7"))]  # (3, 5) not found
    m = linking_metrics(gold, pred)
    assert (m["mentions"], m["matched"], m["coverage"]) == (6, 5, round(5 / 6, 4))
    assert m["accuracy"] == round(1 / 3, 4)                 # P1 right; I1 → I9 and P2 → NIL wrong
    assert (m["nil_precision"], m["nil_recall"]) == (0.5, 0.5)  # predicted NIL: (3,5) right, (9,11) wrong
    assert m["nil_f1"] == 0.5
    assert m["labels"]["ORG"]["accuracy"] == 0.0 and m["labels"]["ORG"]["nil_precision"] is None
    assert {e["gold"] for e in m["errors"]} == {"I1", "P2", None}


@pytest.fixture(scope="module")
def gold():
    return list(read_records(GOLD))


def test_gold_size_and_coverage_of_the_hard_cases(gold):
    entities = [e for r in gold for e in r["entities"]]
    assert len(entities) >= 80
    assert {category_of(r["id"]) for r in gold} == {"cross", "variant", "namesake", "nil", "nested", "abbrev"}
    texts = {e["text"] for e in entities}
    assert {"賀俊", "贺俊", "He Jun", "하준", "허준", "장웬웬", "CASS", "상해사회과학원"} <= texts
    assert sum(e["kb_id"] is None and e["label"] == "PERSON" for e in entities) >= 10
    for r in gold:
        for e in r["entities"]:
            assert r["text"][e["start"]:e["end"]] == e["text"]


def test_split_is_deterministic_and_stratified(gold):
    first, again = split_records(gold), split_records(list(reversed(gold)))
    assert [r["id"] for r in first["dev"]] == [r["id"] for r in again["dev"]]
    assert not {r["id"] for r in first["dev"]} & {r["id"] for r in first["test"]}
    dev, test = (Counter(category_of(r["id"]) for r in first[k]) for k in ("dev", "test"))
    assert set(dev) == set(test) and all(abs(dev[c] - test[c]) <= 1 for c in dev)


def test_figures_on_the_test_split_meet_the_goals():
    result = evaluate_linking(GOLD, use_model=False)
    test = result["test"]["gold_spans"]
    assert test["accuracy"] >= 0.95 and test["nil_f1"] >= 0.9
    assert result["test"]["recognition_coverage"] >= 0.8
    assert result["calibration"]["brier"] < 0.1
