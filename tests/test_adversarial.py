"""The adversarial probe of issue 14: what must survive an attacker or an unlucky user (README "Guarantees")."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.cli import main

TEXT = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다."


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# -- D1: an output that is an input or a table -------------------------------------------------
@pytest.mark.parametrize("how", ["same", "symlink", "errors", "table"])
def test_output_naming_an_input_or_a_table_exits_2_and_touches_nothing(tmp_path, capsys, how):
    src = write_jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": "허쥔 주임은 말했다."}])
    before = src.read_bytes()
    out = tmp_path / "out.jsonl"
    args = ["annotate", str(src), "--quiet"]
    if how == "same":
        args += ["-o", str(src)]
    elif how == "symlink":
        (tmp_path / "link.jsonl").symlink_to(src)
        args += ["-o", str(tmp_path / "link.jsonl")]
    elif how == "errors":
        args += ["-o", str(out), "--errors", str(src)]
    else:
        table = tmp_path / "speakers.csv"
        table.write_text("x\n", encoding="utf-8")
        before = table.read_bytes()
        src = table
        args += ["-o", str(table), "--speakers", str(table)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "would overwrite" in err and str(src) in err
    assert src.read_bytes() == before
    assert not out.exists()


# -- D2: --resume cuts only an interrupted last line ------------------------------------------
@pytest.mark.parametrize("content, line", [
    ('{"id": "a", "text": "x", "entities": []}\n{"comment": 1}\n{"id": "b", "text": "y", "entities": []}\n', 2),
    ("my notes\nmore notes\n", 1),
    ("my notes, no newline", 1),
    ('{"id": "a", "text": "x", "entities": []}\nnotes without a newline', 2),
])
def test_resume_refuses_an_out_that_is_not_annotate_output(tmp_path, capsys, content, line):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}])
    out = tmp_path / "out.jsonl"
    out.write_text(content, encoding="utf-8")
    assert main(["annotate", str(src), "-o", str(out), "--resume", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{out}, line {line}" in err and "--resume" in err
    assert out.read_text(encoding="utf-8") == content


def test_resume_cuts_an_interrupted_last_record(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}, {"id": "b", "text": "KIEP 발표"}])
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    full = out.read_bytes()
    first, second = full.splitlines(keepends=True)
    out.write_bytes(first + second[:5])  # '{"id"' : cut by a kill
    assert main(["annotate", str(src), "-o", str(out), "--resume", "--quiet"]) == 0
    assert out.read_bytes() == full


# -- C1: one monstrous JSONL line costs only itself -------------------------------------------
MONSTERS = ['{"id": "deep", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}",
            '{"id": ' + "9" * 5000 + ', "text": "허쥔 주임은 말했다."}']


def test_annotate_lists_a_monstrous_line_and_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(MONSTERS[0] + "\n" + json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n"
                   + MONSTERS[1] + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    assert [r["id"] for r in read_jsonl(out)] == ["a"]
    errors = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert [e["source"] for e in errors] == [f"{src}:1", f"{src}:3"]
    assert "nested too deeply" in errors[0]["error"] and "digits" in errors[1]["error"]


def test_directory_lists_a_monstrous_line_and_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    good = {"id": "a", "text": "x", "entities": []}
    src.write_text(MONSTERS[0].replace('"meta"', '"entities": [], "meta"') + "\n" + json.dumps(good) + "\n"
                   + MONSTERS[1].replace('"text"', '"entities": [], "text"') + "\n", encoding="utf-8")
    from pipeline.records import iter_records

    problems: list[str] = []
    assert [r.record["id"] for r in iter_records(src, on_problem=problems.append)] == ["a"]
    assert len(problems) == 2 and "line 1" in problems[0] and "line 3" in problems[1]
    code = main(["directory", str(src), "-o", str(tmp_path / "dir")])
    assert code in (0, 1) and (tmp_path / "dir" / "speakers.csv").exists()
