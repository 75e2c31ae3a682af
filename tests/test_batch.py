"""Batch annotation: parallel and Dask engines, failures that cost one document, crash and resume."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language

import pipeline
from pipeline.batch import engine as batch
from pipeline.batch.readers import InputDocument
from pipeline.cli import main

HANLINK = str(Path(sys.executable).with_name("hanlink"))
SENTENCES = [
    "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 말했다.",
    "김상훈 산업연구원 해외산업연구실장은 예측했다.",
    "양쥔(楊軍) 알리클라우드 연구센터 전략디렉터는 설명했다.",
    "천밍(陳明) 푸단대학교 교수는 KIEP 세미나에서 발표했다.",
    "오늘은 날씨가 맑았다.",
]


def corpus(tmp_path: Path, n: int, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            text = f"{i}번째 기사. " + SENTENCES[i % len(SENTENCES)] + " " + SENTENCES[(i * 7 + 3) % len(SENTENCES)]
            handle.write(json.dumps({"id": f"doc{i:04d}", "text": text, "date": f"2018-10-{i % 28 + 1:02d}"},
                                    ensure_ascii=False) + "\n")
    return path


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """One uninterrupted single-process run over 300 documents."""
    folder = tmp_path_factory.mktemp("reference")
    src = corpus(folder, 300)
    out = folder / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    return src, out


def test_two_processes_write_the_same_lines_in_input_order(reference, tmp_path):
    src, expected = reference
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--n-process", "2", "--quiet"]) == 0
    assert lines(out) == lines(expected)
    assert len(lines(out)) == 300


def test_workers_fork_a_loaded_mecab_pipeline_and_spawn_for_java_analysers():
    assert batch.start_method(batch.PipelineSettings()) == "fork"  # the default pipeline analyses with mecab
    assert batch.start_method(batch.PipelineSettings(tokenizer="mecab")) == "fork"
    for java in ("komoran", "okt"):
        assert batch.start_method(batch.PipelineSettings(tokenizer=java)) == "spawn"


def test_the_collector_is_kept_off_the_pipeline_only_while_a_batch_runs():
    import gc

    nlp = pipeline.load()
    before = gc.get_freeze_count()
    documents = [InputDocument(f"d{i}", SENTENCES[i % len(SENTENCES)], "test", i) for i in range(3)]
    outcomes = batch.frozen_local_engine(nlp, documents)
    first = next(outcomes)
    assert gc.get_freeze_count() > before  # the loaded pipeline is frozen during the batch
    rest = list(outcomes)
    assert gc.get_freeze_count() == before  # and handed back to the collector afterwards
    assert [d.id for d, _ in [first, *rest]] == ["d0", "d1", "d2"]
    assert first[1]["entities"][0]["kb_id"] == "P0002"


@pytest.mark.java
def test_two_spawned_workers_with_a_java_analyser_match_one_process(tmp_path):
    """A JVM does not survive fork(): with Komoran each worker is spawned and loads its own pipeline."""
    src = corpus(tmp_path, 12)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["annotate", str(src), "-o", str(one), "--tokenizer", "komoran", "--quiet"]) == 0
    assert main(["annotate", str(src), "-o", str(two), "--tokenizer", "komoran", "--n-process", "2",
                 "--batch-size", "4", "--quiet"]) == 0
    assert lines(two) == lines(one)
    assert len(lines(two)) == 12
    errors = tmp_path / "two.jsonl.errors.jsonl"
    assert not errors.exists() or not errors.read_text(encoding="utf-8")


def test_meta_columns_are_carried(reference):
    _, out = reference
    first = json.loads(lines(out)[0])
    assert first["meta"] == {"date": "2018-10-01"}


def test_mentions_parquet(reference, tmp_path):
    src, expected = reference
    out, mentions = tmp_path / "out.jsonl", tmp_path / "mentions.parquet"
    assert main(["annotate", str(src), "-o", str(out), "--mentions", str(mentions), "--quiet"]) == 0
    frame = pd.read_parquet(mentions)
    records = [json.loads(line) for line in lines(expected)]
    assert len(frame) == sum(len(r["entities"]) for r in records)
    row = frame[(frame.doc_id == "doc0000") & (frame.label == "PERSON")].iloc[0]
    assert (row.text, row.kb_id, row.hanja, row.title, row.affiliation_kb_id) == ("허쥔", "P0002", "賀俊", "주임", "I0004")
    text = records[0]["text"]
    assert all(text[s:e] == t for s, e, t in frame[frame.doc_id == "doc0000"][["start", "end", "text"]].itertuples(
        index=False))


def test_sigkill_then_resume_gives_every_document_once(reference, tmp_path):
    src, expected = reference
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([HANLINK, "annotate", str(src), "-o", str(out), "--quiet", "--batch-size", "4"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if out.exists() and out.stat().st_size > 0 and len(out.read_bytes().splitlines()) >= 40:
            break
        if process.poll() is not None:
            pytest.fail(f"hanlink ended before it could be killed: {process.stderr.read().decode()}")
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = lines(out)
    assert 40 <= len(partial) < 300, "the run must be killed midway"
    result = subprocess.run([HANLINK, "annotate", str(src), "-o", str(out), "--resume", "--quiet"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert lines(out) == lines(expected)


def test_a_truncated_last_line_is_repaired(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "text": "x", "entities": []}\n{"id": "b", "te', encoding="utf-8")
    assert batch.completed_ids(out) == {"a"}
    assert out.read_text(encoding="utf-8") == '{"id": "a", "text": "x", "entities": []}\n'


@Language.component("explode_on_boom")
def explode_on_boom(doc):
    if "BOOM" in doc.text:
        raise RuntimeError("this document explodes")
    return doc


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_document_that_crashes_a_component_costs_only_itself(n_process):
    nlp = pipeline.load()
    nlp.add_pipe("explode_on_boom", after="hanlink_rules")
    documents = [InputDocument(f"d{i}", text, "mem") for i, text in
                 enumerate([SENTENCES[0], "BOOM 허쥔", SENTENCES[1], SENTENCES[2]] * 3)]
    out, errors = io.StringIO(), []
    result = batch.annotate(documents, lambda docs: batch.local_engine(nlp, docs, n_process=n_process, batch_size=2),
                            out, errors.append)
    written = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert written == [d.id for d in documents if "BOOM" not in d.text]
    assert [e["id"] for e in errors] == ["d1", "d5", "d9"]
    assert all("this document explodes" in e["error"] and e["source"] == "mem" for e in errors)
    assert (result.written, result.failed) == (9, 3)


def test_a_large_document_end_to_end(tmp_path):
    """A document of 250 KB (tens of thousands of tokens: the model sees it in pieces) through the command line.
    The 5 MB guarantee itself is tested at the component level, in seconds
    (tests/test_model.py::test_a_five_megabyte_document_reaches_the_model_in_bounded_pieces)."""
    line = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 말했다.\n"
    text = line * (250_000 // len(line.encode("utf-8")) + 1)
    src = tmp_path / "big.txt"
    src.write_text(text, encoding="utf-8")
    assert src.stat().st_size >= 250_000
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    [record] = [json.loads(line) for line in lines(out)]
    assert record["text"] == text
    people = [e for e in record["entities"] if e["label"] == "PERSON"]
    assert len(people) == text.count("허쥔(賀俊)")
    assert all(text[e["start"]:e["end"]] == "허쥔" and e["kb_id"] == "P0002" for e in people)


def test_dask_local_cluster_writes_what_the_local_engine_writes(reference, tmp_path):
    pytest.importorskip("distributed", reason="Dask is the optional extra hanlink[dask]")
    src, expected = reference
    out = tmp_path / "dask.jsonl"
    result = subprocess.run([HANLINK, "annotate", str(src), "-o", str(out), "--engine", "dask", "--workers", "2",
                             "--batch-size", "16", "--quiet"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert lines(out) == lines(expected)


def test_dask_local_workers_run_without_the_trim_threshold_and_the_profiler():
    pytest.importorskip("distributed", reason="Dask is the optional extra hanlink[dask]")
    from pipeline.batch.dask_engine import DaskEngine

    def worker_settings():
        import dask

        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")

    client, cluster = DaskEngine(batch.PipelineSettings(), n_workers=1)._client()
    try:
        assert list(client.run(worker_settings).values()) == [(None, False)]
    finally:
        client.close()
        cluster.close()


def test_dask_missing_is_a_clear_usage_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    src = corpus(tmp_path, 2)
    assert main(["annotate", str(src), "-o", str(tmp_path / "o.jsonl"), "--engine", "dask", "--quiet"]) == 2
    assert "pip install 'hanlink[dask]'" in capsys.readouterr().err


def test_scheduler_without_dask_engine_is_a_usage_error(tmp_path, capsys):
    src = corpus(tmp_path, 2)
    assert main(["annotate", str(src), "--scheduler", "tcp://127.0.0.1:8786", "--quiet"]) == 2
    assert "--engine dask" in capsys.readouterr().err
