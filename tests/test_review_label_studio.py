"""The export → Label Studio → import loop against the real tool (issue 17).

A Label Studio server from its pip package (``.venv-review``, made by ``make
review-env``; ``make test`` makes it and points ``HANLINK_LABEL_STUDIO`` at it)
starts on 127.0.0.1 with a throwaway data folder. A project is created with
``hanlink export --labeling-config``, the tasks of ``hanlink export`` are imported
through the REST API, annotated, exported through the API, and ``hanlink import``
must give back exactly the entities that went in — and an annotator's change.

Without Label Studio the tests skip, except under ``CI=true``, where they fail.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.records import doc_record
from pipeline.review.gold import gold_view
from pipeline.review.server import LabelStudio

from conftest import review_program

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent

TEXTS = {
    "kiep-sample": (REPO / "data" / "samples" / "kiep-2018-10-30.txt").read_text(encoding="utf-8"),
    # a former post, a later short reference, a NIL person and a character outside the BMP before a mention
    "reference": "왕이(王毅) 전 중국 외교부장과 중국사회과학원 공업경제연구소의 허쥔(賀俊) 주임이 만났다. "
                 "왕 부장은 협력을 강조했다. 𠀀자료에 따르면 김상훈 산업연구원 실장도 참석했다.",
}


def label_studio_program() -> str:
    """The label-studio program (``$HANLINK_LABEL_STUDIO``, ``.venv-review``, PATH); skip or fail without it."""
    return review_program("label-studio", "HANLINK_LABEL_STUDIO")


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    server = LabelStudio(tmp_path_factory.mktemp("label-studio"), executable=label_studio_program())
    with server:
        yield server


@pytest.fixture(scope="module")
def annotations(nlp, tmp_path_factory) -> Path:
    """``hanlink annotate`` output of the sample article and of a document with the hard cases."""
    path = tmp_path_factory.mktemp("annotations") / "annotations.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for doc_id, text in TEXTS.items():
            out.write(json.dumps(doc_record(nlp(text), doc_id), ensure_ascii=False) + "\n")
    return path


def _records(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())}


def _exported_project(studio: LabelStudio, annotations: Path, tmp_path: Path, title: str) -> tuple[int, list]:
    """A project made from ``hanlink export``'s files, with its tasks imported; (project id, its tasks)."""
    config, tasks = tmp_path / "config.xml", tmp_path / "tasks.json"
    assert main(["export", "--labeling-config", "-o", str(config)]) == 0
    assert main(["export", str(annotations), "--to", "label-studio", "-o", str(tasks)]) == 0
    project = studio.create_project(title, config.read_text(encoding="utf-8"))
    assert studio.import_tasks(project, json.loads(tasks.read_text(encoding="utf-8"))) == len(TEXTS)
    return project, studio.tasks(project)


def _import(studio: LabelStudio, project: int, tmp_path: Path) -> dict[str, dict]:
    """Label Studio's JSON export of the project, through ``hanlink import``."""
    exported, gold = tmp_path / "exported.json", tmp_path / "gold.jsonl"
    exported.write_text(json.dumps(studio.export(project), ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(exported), "-o", str(gold)]) == 0
    return _records(gold)


def test_label_studio_gives_back_exactly_the_entities_that_went_in(studio, annotations, tmp_path):
    project, tasks = _exported_project(studio, annotations, tmp_path, "hanlink round trip")
    assert all(len(task["predictions"]) == 1 and not task["annotations"] for task in tasks)
    for task in tasks:  # the annotator submits every prediction as it is
        studio.annotate(task["id"], task["predictions"][0]["result"])
    gold, sent = _import(studio, project, tmp_path), _records(annotations)
    assert set(gold) == set(sent)
    for doc_id, record in sent.items():
        assert gold[doc_id]["text"] == record["text"]
        assert [gold_view(e) for e in gold[doc_id]["entities"]] == [gold_view(e) for e in record["entities"]]
    reference = gold["reference"]["entities"]
    assert any(e.get("antecedent") for e in reference) and any(r["former"] for e in reference
                                                                for r in e.get("roles", []))


def test_an_annotators_correction_arrives_in_the_gold(studio, annotations, tmp_path):
    project, tasks = _exported_project(studio, annotations, tmp_path, "hanlink correction")
    task = next(t for t in tasks if t["data"]["doc_id"] == "reference")
    text = task["data"]["text"]
    result = copy.deepcopy(task["predictions"][0]["result"])
    start = text.index("김상훈")
    kim = next(item["id"] for item in result if item["type"] == "labels" and item["value"]["start"] == start)
    for item in result:  # the span 김상훈 shortened to 김상 (a boundary moved), its id emptied
        if item.get("id") == kim:
            item["value"].update(end=start + 2)
            if item["type"] == "labels":
                item["value"]["text"] = "김상"
            if item.get("from_name") == "kb_id":
                item["value"]["text"] = [""]
    studio.annotate(task["id"], task["predictions"][0]["result"])  # first submitted as predicted ...
    (annotation,) = [a["id"] for t in studio.export(project) if t["id"] == task["id"] for a in t["annotations"]]
    studio.update_annotation(annotation, result)  # ... then corrected (Update)
    gold = _import(studio, project, tmp_path)
    assert set(gold) == {"reference"}  # the other task has no annotation: left out
    entities = {e["start"]: e for e in gold["reference"]["entities"]}
    assert (entities[start]["text"], entities[start]["end"], entities[start]["kb_id"]) == ("김상", start + 2, None)
    before = [gold_view(e) for e in _records(annotations)["reference"]["entities"] if e["start"] != start]
    assert [gold_view(e) for e in gold["reference"]["entities"] if e["start"] != start] == before
