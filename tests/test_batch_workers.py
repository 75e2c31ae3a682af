"""Worker processes of ``--n-process`` and ``local_engine(n_process=N)`` (issue 14: C5, C6, C12).

A killed worker is replaced and its documents retried; a document that kills its worker twice is
listed as failed and the batch goes on; workers die with the parent; an input that raises part-way
never hangs the batch.
"""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from spacy.language import Language

import pipeline
from pipeline.batch import engine as batch
from pipeline.batch.readers import InputDocument
from pipeline.cli import main

from test_batch import HANLINK, SENTENCES, corpus, lines

POISON = "WORKER-KILLER"


@Language.component("kill_worker_on_poison")
def kill_worker_on_poison(doc):
    """Kill the process running this component when the text holds POISON (only ever in a worker)."""
    import multiprocessing

    if POISON in doc.text and multiprocessing.parent_process() is not None:
        os.kill(os.getpid(), signal.SIGKILL)
    return doc


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (Linux /proc; zombies count as gone)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def wait_for(condition, what: str, limit: float = 240.0) -> None:
    """Poll ``condition`` (a guard against a test that would otherwise wait for ever, not a timing)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """One uninterrupted single-process run over 200 documents."""
    folder = tmp_path_factory.mktemp("reference")
    src = corpus(folder, 200)
    out = folder / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    return src, out


# -- C5: a killed worker is replaced, its documents retried ----------------------------------
def test_a_worker_killed_from_outside_is_replaced_and_the_output_is_complete(reference, tmp_path):
    src, expected = reference
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([HANLINK, "annotate", str(src), "-o", str(out), "--quiet", "--n-process", "2",
                                "--batch-size", "4"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: process.poll() is not None or (out.exists() and len(out.read_bytes().splitlines()) >= 20),
                 "the first lines of output")
        assert process.poll() is None, f"hanlink ended before a worker could be killed: {process.stderr.read()}"
        workers = children(process.pid)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        assert process.wait(timeout=600) == 0, process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
    assert lines(out) == lines(expected)
    assert not Path(str(out) + ".errors.jsonl").exists()


def test_a_document_that_kills_its_worker_twice_is_listed_and_the_batch_goes_on(monkeypatch):
    nlp = pipeline.load()
    nlp.add_pipe("kill_worker_on_poison", first=True)
    monkeypatch.setattr(batch, "worker_pipeline", lambda settings: nlp)
    texts = [SENTENCES[i % len(SENTENCES)] for i in range(24)]
    texts[5] = f"{POISON} 허쥔 주임은 말했다."
    texts[17] = f"김 씨는 {POISON}라고 말했다."
    documents = [InputDocument(f"d{i:02d}", text, "mem", i + 1) for i, text in enumerate(texts)]
    out, errors = io.StringIO(), []
    engine = batch.ProcessPoolEngine(batch.PipelineSettings(), 2, partition_size=4)
    result = batch.annotate(documents, engine, out, errors.append)
    written = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert written == [d.id for d in documents if POISON not in d.text]
    assert [e["id"] for e in errors] == ["d05", "d17"]
    assert all("worker process died" in e["error"] and "SIGKILL" in e["error"] for e in errors)
    assert (result.written, result.failed) == (22, 2)


def test_local_engine_with_workers_survives_a_document_that_kills_them():
    """``local_engine(n_process=2)`` (the Python API) runs on the same pool: no BrokenProcessPool, no hang."""
    script = textwrap.dedent(f"""
        import io, json, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import pipeline
        from pipeline.batch import engine as batch
        from pipeline.batch.readers import InputDocument
        import test_batch_workers
        nlp = pipeline.load()
        nlp.add_pipe("kill_worker_on_poison", first=True)
        texts = ["허쥔 주임은 말했다.", "{POISON} 김 씨", "천밍 교수는 발표했다."] * 3
        documents = [InputDocument(f"d{{i}}", t, "mem") for i, t in enumerate(texts)]
        out, errors = io.StringIO(), []
        batch.annotate(documents, lambda d: batch.local_engine(nlp, d, n_process=2, batch_size=2), out,
                       errors.append)
        print(json.dumps([[json.loads(l)["id"] for l in out.getvalue().splitlines()], [e["id"] for e in errors]]))
    """)
    result = run_guarded(script)
    assert json.loads(result.stdout.splitlines()[-1]) == [["d0", "d2", "d3", "d5", "d6", "d8"], ["d1", "d4", "d7"]]


# -- C6: workers die with the parent ---------------------------------------------------------
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_parent(tmp_path, how):
    src = corpus(tmp_path, 400)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([HANLINK, "annotate", str(src), "-o", str(out), "--quiet", "--n-process", "2",
                                "--batch-size", "4"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: list[int] = []
    try:
        wait_for(lambda: process.poll() is not None or (out.exists() and len(out.read_bytes().splitlines()) >= 10),
                 "the first lines of output")
        assert process.poll() is None, f"hanlink ended before it could be killed: {process.stderr.read()}"
        workers = children(process.pid)
        assert len(workers) == 2, workers
        process.send_signal(how)
        process.wait(timeout=60)
        wait_for(lambda: not any(alive(pid) for pid in workers), "the workers to die with their parent", 60)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# -- C12: an input that raises part-way never hangs -----------------------------------------
def run_guarded(script: str, limit: float = 300) -> subprocess.CompletedProcess:
    """Run ``script`` in its own process group; a hang fails the test (and its whole group is killed)."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True, env=env)
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the batch hung")
    assert process.returncode == 0, stderr
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("how", ["input raises", "caller stops"])
def test_local_engine_with_workers_never_hangs(how):
    script = textwrap.dedent(f"""
        import pipeline
        from pipeline.batch import engine as batch
        from pipeline.batch.readers import InputDocument
        nlp = pipeline.load()
        text = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다. " * 200
        def documents():
            for i in range(300):
                if i == 60:
                    raise ValueError("the input broke at 60")
                yield InputDocument(f"d{{i}}", text, "mem")
        seen = 0
        try:
            for document, outcome in batch.local_engine(nlp, documents(), n_process=2, batch_size=4):
                assert not isinstance(outcome, str), outcome
                seen += 1
                if {how!r} == "caller stops" and seen == 20:
                    break
        except ValueError as exc:
            print("raised:", exc)
        print("outcomes:", seen)
    """)
    result = run_guarded(script)
    if how == "input raises":
        assert "raised: the input broke at 60" in result.stdout and "outcomes: 60" in result.stdout
    else:
        assert "outcomes: 20" in result.stdout
