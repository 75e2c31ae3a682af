"""The directory opened with Datasette (issue 17): ``hanlink directory`` writes ``metadata.json`` beside
``directory.sqlite``; a real Datasette (``.venv-review``, ``make review-env``) serves both on 127.0.0.1 and
its canned query *who spoke for an institution* answers in JSON.

Without Datasette the server test skips, except under ``CI=true``, where it fails.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.review.server import free_port

from conftest import review_program


def _person(text: str, name: str, kb_id, title: str, institution: str, institution_id: str, hanja=None) -> dict:
    start, at = text.index(name), text.index(institution)
    affiliation = {"text": institution, "kb_id": institution_id, "start": at, "end": at + len(institution)}
    return {"start": start, "end": start + len(name), "text": name, "label": "PERSON", "kb_id": kb_id, "score": 1.0,
            "hanja": hanja, "forms": {}, "title": title, "affiliation": affiliation,
            "roles": [{"title": title, "institution": affiliation, "former": False}]}


#: (id, date, text, person, speaker id, title, institution as written, institution id, hanja)
DOCUMENTS = [
    ("d1", "2026-01-05", "중국사회과학원 공업경제연구소의 허쥔(賀俊) 주임이 말했다.", "허쥔", "P0002", "주임",
     "중국사회과학원 공업경제연구소", "I0004", "賀俊"),
    ("d2", "2026-03-01", "산업연구원 김상훈 실장이 말했다.", "김상훈", "P0003", "실장", "산업연구원", "I0005", None),
    ("d3", "2026-02-01", "리양(李揚) 중국사회과학원 부원장이 말했다.", "리양", None, "부원장", "중국사회과학원", "I0003",
     "李揚"),
]


@pytest.fixture(scope="module")
def directory(tmp_path_factory) -> Path:
    """``hanlink directory`` of three dated documents with the shipped tables."""
    folder = tmp_path_factory.mktemp("directory")
    annotations = folder / "annotations.jsonl"
    with open(annotations, "w", encoding="utf-8") as out:
        for doc_id, date, text, name, kb_id, title, institution, institution_id, hanja in DOCUMENTS:
            record = {"id": doc_id, "text": text, "meta": {"date": date},
                      "entities": [_person(text, name, kb_id, title, institution, institution_id, hanja)]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    assert main(["directory", str(annotations), "-o", str(folder / "dir"), "--quiet"]) == 0
    return folder / "dir"


def test_directory_writes_datasette_metadata_for_its_tables(directory):
    metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["directory"]["tables"]
    assert set(tables) == {"speakers", "institutions", "affiliations"}
    assert tables["affiliations"]["facets"] == ["institution_id", "title"]
    assert tables["speakers"]["facets"] == ["institution_id", "title"]
    assert tables["institutions"]["columns"]["parent_id"].startswith("the body this unit belongs to")
    assert set(tables["affiliations"]["columns"]) == {"speaker_id", "institution_id", "title", "first_seen",
                                                      "last_seen", "mentions", "documents"}
    assert ":institution" in metadata["databases"]["directory"]["queries"]["who_spoke_for"]["sql"]


def datasette_program() -> str:
    return review_program("datasette", "HANLINK_DATASETTE")


@pytest.fixture(scope="module")
def datasette(directory):
    """Datasette serving the directory with its metadata on 127.0.0.1; yields its address."""
    program, port = datasette_program(), free_port()
    log = open(directory.parent / "datasette.log", "wb")
    process = subprocess.Popen([program, "serve", str(directory / "directory.sqlite"), "--metadata",
                                str(directory / "metadata.json"), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            assert process.poll() is None, (directory.parent / "datasette.log").read_text(errors="replace")
            try:
                urllib.request.urlopen(f"{url}/-/versions.json", timeout=5).close()
                break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _get(url: str) -> dict | list:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("institution", ["CASS", "I0003", "중국사회과학원", "中国社会科学院"])
def test_who_spoke_for_an_institution_and_its_units(datasette, institution):
    query = urllib.parse.urlencode({"institution": institution, "_shape": "array"})
    rows = _get(f"{datasette}/directory/who_spoke_for.json?{query}")
    # 리양 spoke for CASS itself (a new id), 허쥔 for its Institute of Industrial Economics; newest first
    assert [(row["name"], row["title"], row["institution_id"], row["last_seen"]) for row in rows] == [
        ("리양", "부원장", "I0003", "2026-02-01"), ("허쥔", "주임", "I0004", "2026-01-05")]
    assert rows[1]["speaker_id"] == "P0002" and rows[0]["speaker_id"].startswith("N")


def test_who_spoke_for_a_unit_only_and_for_no_one(datasette):
    assert [row["name"] for row in _get(f"{datasette}/directory/who_spoke_for.json?institution=IIE&_shape=array")] \
        == ["허쥔"]
    assert _get(f"{datasette}/directory/who_spoke_for.json?institution=KIEP&_shape=array") == []


def test_datasette_shows_the_descriptions_and_facets(datasette):
    table = _get(f"{datasette}/directory/affiliations.json?_shape=objects&_extra=facet_results")
    facets = table["facet_results"]
    facets = facets.get("results", facets)  # Datasette 0.65 vs 1.0
    assert {"institution_id", "title"} <= set(facets)
    metadata = _get(f"{datasette}/-/metadata.json")
    assert metadata["databases"]["directory"]["tables"]["affiliations"]["columns"]["first_seen"].startswith(
        "earliest date")
