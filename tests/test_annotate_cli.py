"""`hanlink annotate` and `hanlink names` as ../shared/CONTRACT.md specifies them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main

TEXT = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다."
FIELDS = {"start", "end", "text", "label", "kb_id", "score", "hanja", "forms", "title", "affiliation"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(args: list[str]) -> int:
    return main(args)


def check_record(record: dict, text: str) -> None:
    assert record["text"] == text
    for ent in record["entities"]:
        assert FIELDS <= set(ent)
        assert text[ent["start"]:ent["end"]] == ent["text"]
        assert ent["label"] in ("PERSON", "ORG")
        assert ent["score"] is None or 0 <= ent["score"] <= 1


def test_txt_file_in_jsonl_out(tmp_path):
    src = tmp_path / "kiep-2018-10-30.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    [record] = read_jsonl(out)
    assert record["id"] == "kiep-2018-10-30"
    check_record(record, TEXT)
    person = record["entities"][0]
    assert person == {**person, "text": "허쥔", "label": "PERSON", "kb_id": "P0002", "hanja": "賀俊", "title": "주임"}
    assert person["affiliation"]["text"] == "중국사회과학원 공업경제연구소"
    assert person["affiliation"]["kb_id"] == "I0004"
    assert person["forms"]["simplified"] == "贺俊" and person["forms"]["pinyin"] == "He Jun"
    assert not (tmp_path / "out.jsonl.errors.jsonl").exists()


def test_jsonl_with_a_bad_line_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "   "}),
        json.dumps({"id": "a", "text": "중복"}, ensure_ascii=False),
        '{"id": "s", "text": "\\ud800 허쥔"}',
        json.dumps({"id": "d", "text": "KIEP", "date": "2018-10-30", "source": "kiep"}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    records = read_jsonl(out)
    assert [r["id"] for r in records] == ["a", "d"]
    assert records[1]["meta"] == {"date": "2018-10-30", "source": "kiep"}
    errors = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert [e["source"] for e in errors] == [f"{src}:2", f"{src}:3", f"{src}:4", f"{src}:5", f"{src}:6"]
    assert "not JSON" in errors[0]["error"]
    assert "'text'" in errors[1]["error"] and errors[1]["id"] == "b"
    assert "empty document" in errors[2]["error"]
    assert "duplicate id 'a'" in errors[3]["error"]
    assert "lone surrogate U+D800" in errors[4]["error"] and errors[4]["id"] == "s"


def test_directory_csv_and_parquet(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("KIEP 발표", encoding="utf-8")
    (folder / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "skip.md").write_text("not a document", encoding="utf-8")
    out = tmp_path / "dir.jsonl"
    assert run(["annotate", str(folder), "-o", str(out), "--quiet"]) == 0
    assert [r["id"] for r in read_jsonl(out)] == ["b", "a"]  # sorted by path: b.txt < sub/a.txt

    frame = pd.DataFrame({"doc": ["x", "y"], "body": [TEXT, "KIEP"], "date": ["2018-10-30", "2019-01-01"]})
    frame.to_csv(tmp_path / "in.csv", index=False)
    frame.to_parquet(tmp_path / "in.parquet")
    for name in ("in.csv", "in.parquet"):
        out = tmp_path / f"{name}.jsonl"
        code = run(["annotate", str(tmp_path / name), "-o", str(out), "--id-column", "doc",
                    "--text-column", "body", "--quiet"])
        assert code == 0
        records = read_jsonl(out)
        assert [r["id"] for r in records] == ["x", "y"]
        assert records[0]["meta"] == {"date": "2018-10-30"}
        check_record(records[0], TEXT)


def test_csv_without_the_id_column_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "in.csv").write_text("name,text\nx,KIEP\n", encoding="utf-8")
    assert run(["annotate", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 2
    assert "no column 'id'" in capsys.readouterr().err


def test_invalid_utf8_and_binary_files_are_listed(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "docs" / "cp949.txt").write_bytes(TEXT.encode("cp949", errors="ignore"))
    (tmp_path / "docs" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "o.jsonl"
    assert run(["annotate", str(tmp_path / "docs"), "-o", str(out), "--quiet"]) == 1
    assert [r["id"] for r in read_jsonl(out)] == ["good"]
    errors = {e["id"]: e["error"] for e in read_jsonl(Path(str(out) + ".errors.jsonl"))}
    assert "not valid UTF-8" in errors["cp949"] and "binary" in errors["binary"]


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert run(["annotate", str(tmp_path / "nope.txt"), "--quiet"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unknown_option_exits_2():
    with pytest.raises(SystemExit) as info:
        run(["annotate", "--no-such-option"])
    assert info.value.code == 2


def test_resume_repairs_a_truncated_line_and_skips_done_ids(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": TEXT}, ensure_ascii=False) + "\n" for i in range(4)),
                   encoding="utf-8")
    full = tmp_path / "full.jsonl"
    assert run(["annotate", str(src), "-o", str(full), "--quiet"]) == 0
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    partial.write_text(lines[0] + lines[1][: len(lines[1]) // 2], encoding="utf-8")  # crashed mid-line
    assert run(["annotate", str(src), "-o", str(partial), "--resume", "--quiet"]) == 0
    assert partial.read_text(encoding="utf-8") == full.read_text(encoding="utf-8")


def test_resumed_mention_table_holds_the_documents_written_before_and_now(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": TEXT}, ensure_ascii=False) + "\n" for i in range(3)),
                   encoding="utf-8")
    out, mentions = tmp_path / "out.jsonl", tmp_path / "mentions.parquet"
    assert run(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    out.write_text(out.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")  # d0 only
    assert run(["annotate", str(src), "-o", str(out), "--resume", "--mentions", str(mentions), "--quiet"]) == 0
    frame = pd.read_parquet(mentions)
    assert frame.groupby("doc_id").size().to_dict() == {f"d{i}": len(read_jsonl(out)[0]["entities"]) for i in range(3)}


def test_table_format_lists_people(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert run(["annotate", str(src), "--format", "table", "--quiet"]) == 0
    table = capsys.readouterr().out
    assert "허쥔" in table and "賀俊" in table and "P0002" in table and "I0004" in table and "주임" in table
    assert not table.lstrip().startswith("{")                      # the table replaces the JSONL on stdout
    out = tmp_path / "out.jsonl"
    assert run(["annotate", str(src), "-o", str(out), "--format", "table", "--quiet"]) == 0
    assert "P0002" in capsys.readouterr().out and read_jsonl(out)[0]["id"] == "a"   # with -o: both


def test_console_script_reads_stdin():
    exe = Path(sys.executable).with_name("hanlink")
    result = subprocess.run([str(exe), "annotate", "-", "--quiet"], input="양쥔(楊軍) 디렉터는 말했다.",
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["text"] == "양쥔(楊軍) 디렉터는 말했다."
    [person] = [e for e in record["entities"] if e["label"] == "PERSON"]
    assert (person["text"], person["hanja"], person["kb_id"]) == ("양쥔", "楊軍", "P0005")


def test_names_command(capsys):
    assert run(["names", "賀俊", "허쥔", "He Jun"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["input"] for r in rows] == ["賀俊", "허쥔", "He Jun"]
    assert [r["script"] for r in rows] == ["hanja", "hangul", "latin"]
    assert rows[0] == {**rows[0], "traditional": "賀俊", "simplified": "贺俊", "pinyin": "He Jun",
                       "hangul": "허쥔", "reading": "하준"}
