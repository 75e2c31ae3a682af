"""The adversarial probe of issue 14: what must survive an attacker or an unlucky user (README "Guarantees")."""
from __future__ import annotations

import json
import os
import subprocess
import sys
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


# -- C4, W6, U3, U4, U5: CSV inputs are checked before anything is written ---------------------
@pytest.mark.parametrize("bad, message", [
    ('id,text\nb,"an unterminated quote\nc,x\n', "line 2: unterminated quoted field"),
    ("name,text\nb,x\n", "no column 'id'"),
    ("ID,TEXT\nb,x\n", "column names are case-sensitive"),
    ("id;text\nb;x\n", "separated by ';'"),
])
def test_a_bad_later_csv_stops_the_run_before_anything_is_written(tmp_path, capsys, bad, message):
    first = tmp_path / "first.csv"
    first.write_text("id,text\n" + "".join(f"d{i},허쥔 주임 {i}\n" for i in range(5)), encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text(bad, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    assert main(["annotate", str(first), str(second), "-o", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(second) in err and message in err
    assert out.read_text(encoding="utf-8") == "old\n"


def test_ragged_csv_rows_are_errors_naming_the_physical_line(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(f'id,text\na,"{TEXT}\n둘째 줄"\nb,{TEXT},extra,cols\nc,KIEP 발표\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    assert [r["id"] for r in read_jsonl(out)] == ["a", "c"]
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert error["id"] == "b" and error["source"] == f"{src}:4" and "4 fields" in error["error"]


def test_utf16_input_is_named(tmp_path):
    src = tmp_path / "a.txt"
    src.write_bytes(TEXT.encode("utf-16"))
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert "UTF-16" in error["error"] and "iconv -f UTF-16 -t UTF-8" in error["error"]


def test_utf16_csv_is_a_usage_error(tmp_path, capsys):
    src = tmp_path / "a.csv"
    src.write_bytes(f"id,text\na,{TEXT}\n".encode("utf-16"))
    assert main(["annotate", str(src), "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 2
    assert "UTF-16" in capsys.readouterr().err


# -- W7: ids are strings or integers, written back exactly ------------------------------------
def test_jsonl_ids_must_be_strings_or_integers(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 12, "text": "KIEP 발표"}\n{"id": true, "text": "x"}\n{"id": {"a": 1}, "text": "x"}\n'
                   '{"id": 1e400, "text": "x"}\n{"id": NaN, "text": "x"}\n{"id": 1.0, "text": "x"}\n'
                   '{"id": "nan", "text": "KIEP 발표"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    assert [r["id"] for r in read_jsonl(out)] == ["12", "nan"]
    errors = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert [e["source"] for e in errors] == [f"{src}:{n}" for n in (2, 3, 4, 5, 6)]
    assert all("must be a string or an integer" in e["error"] and e["id"] is None for e in errors)


def test_parquet_integer_ids_with_a_null_stay_integers(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    ids = pa.array([1, None, 3], pa.int64())
    pq.write_table(pa.table({"id": ids, "text": ["KIEP 발표", "x", "KIEP 발표"]}), src)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    assert [r["id"] for r in read_jsonl(out)] == ["1", "3"]
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert error["source"] == f"{src}:2" and "empty 'id'" in error["error"]


def test_parquet_extra_columns_of_any_type_become_json(tmp_path):
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": ["KIEP 발표"], "tags": [["x", "y"]], "blob": [b"\xff\x00"],
                             "price": pa.array([decimal.Decimal("1.50")], pa.decimal128(5, 2))}), src)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    assert read_jsonl(out)[0]["meta"] == {"tags": ["x", "y"], "blob": "ff00", "price": "1.50"}


# -- C8, W14: names have a maximum length ----------------------------------------------------
def test_names_command_refuses_a_huge_name_quickly(capsys):
    import time

    from pipeline.names import MAX_NAME_CHARS

    started = time.perf_counter()
    assert main(["names", "賀俊", "賀" * 30_000]) == 2
    assert time.perf_counter() - started < 5
    captured = capsys.readouterr()
    assert captured.out == "" and "name 2" in captured.err and f"at most {MAX_NAME_CHARS}" in captured.err


def test_forms_and_keys_of_an_overlong_name_are_not_derived_and_fast():
    import time

    from pipeline.names import MAX_NAME_CHARS, forms, keys, split_pinyin

    started = time.perf_counter()
    long = "賀" * (MAX_NAME_CHARS + 1)
    assert forms(long) == {"input": long, "script": "hanja"}
    assert keys(long) == {long}
    assert split_pinyin("he" * 20_000) is None
    assert time.perf_counter() - started < 5
    assert forms("賀" * MAX_NAME_CHARS).get("pinyin")  # the longest name allowed is still transcribed


def test_names_piped_into_head_ends_quietly():
    import subprocess
    import sys

    exe = str(Path(sys.executable).with_name("hanlink"))
    result = subprocess.run(f"{exe} names " + " ".join(["賀俊"] * 3000) + " | head -1", shell=True,
                            capture_output=True, text=True, timeout=120, executable="/bin/bash")
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


# -- C9: inputs that are no regular files, and inputs too big --------------------------------
def test_devices_and_fifos_are_usage_errors(tmp_path, capsys):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for name in ("/dev/zero", str(fifo)):
        assert main(["annotate", name, "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 2
        assert "not a regular file" in capsys.readouterr().err
    (tmp_path / "docs").mkdir()
    os.mkfifo(tmp_path / "docs" / "b.txt")
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["annotate", str(tmp_path / "docs"), "-o", str(out), "--quiet"]) == 1  # no hang on the FIFO
    assert [r["id"] for r in read_jsonl(out)] == ["a"]
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert error["id"] == "b" and "not a regular file" in error["error"]


def test_files_and_lines_over_the_size_limit_are_not_read_whole(tmp_path, monkeypatch):
    from pipeline.batch import readers

    monkeypatch.setattr(readers, "MAX_DOCUMENT_CHARS", 1000)
    (tmp_path / "big.txt").write_text("가" * 30_000, encoding="utf-8")
    [failure] = list(readers.read_inputs([str(tmp_path / "big.txt")]))
    assert isinstance(failure, readers.Failure) and "bytes" in failure.error and "limit" in failure.error
    (tmp_path / "big.jsonl").write_text('{"id": "x", "text": "' + "가" * 30_000 + '"}\n{"id": "y", "text": "KIEP"}\n',
                                        encoding="utf-8")
    items = list(readers.read_inputs([str(tmp_path / "big.jsonl")]))
    assert isinstance(items[0], readers.Failure) and items[0].line == 1 and "limit" in items[0].error
    assert items[1].id == "y" and items[1].line == 2


def test_standard_input_is_read_with_a_bound(monkeypatch):
    import io

    from pipeline.batch import readers

    monkeypatch.setattr(readers, "MAX_DOCUMENT_CHARS", 10)
    [failure] = list(readers.read_stdin(io.BytesIO(b"x" * 200_000)))
    assert isinstance(failure, readers.Failure) and "limit" in failure.error


# -- C10: a damaged knowledge-base cache is rebuilt ------------------------------------------
@pytest.mark.parametrize("damage", ["kb.npz", "kb.json", "fuzzy.npz"])
def test_a_truncated_kb_cache_is_rebuilt_with_a_warning(tmp_path, monkeypatch, damage):
    from pipeline.kb import knowledge_base as kb_module
    from pipeline.kb.candidates import generator_for
    from pipeline.kb.tables import load_tables
    from pipeline.paths import data_path

    monkeypatch.setenv("HANLINK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(kb_module, "CACHE_MIN_ROWS", 0)
    tables = load_tables(data_path("speakers.csv"), data_path("institutions.csv"))
    first = generator_for(tables, 0.8)
    folder = tmp_path / "cache" / "kb" / tables.fingerprint()
    assert sorted(p.name for p in folder.iterdir() if ".tmp" in p.name) == []  # temp names renamed away
    damaged = folder / damage
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    with pytest.warns(UserWarning, match="damaged"):
        second = generator_for(tables, 0.8)
    assert second.kb.person_ids == first.kb.person_ids
    rows = [[int(r) for r in generator.kb.rows_of("賀俊", "PERSON")] for generator in (first, second)]
    assert rows[0] == rows[1]
    third = generator_for(tables, 0.8)  # the cache was written again, whole
    assert third.kb.restored and third.has_fuzzy_index


def test_kb_cache_temporaries_a_killed_run_left_are_removed_by_the_next_write(tmp_path, monkeypatch):
    from pipeline.kb import knowledge_base as kb_module
    from pipeline.kb.candidates import generator_for
    from pipeline.kb.tables import load_tables
    from pipeline.paths import data_path

    monkeypatch.setenv("HANLINK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(kb_module, "CACHE_MIN_ROWS", 0)
    tables = load_tables(data_path("speakers.csv"), data_path("institutions.csv"))
    folder = tmp_path / "cache" / "kb" / tables.fingerprint()
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()  # a process id that is gone
    left = [folder / f".kb.npz.{dead}.0a1b2c3d.tmp", folder / f".kb.json.{dead}.0a1b2c3d.tmp"]
    for path in left:
        path.write_bytes(b"half a file")
    generator_for(tables, 0.8)
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


# -- C11, W9: tables with case-twin columns, institutions in a cycle -------------------------
def test_directory_with_a_column_that_differs_only_in_case(tmp_path):
    import sqlite3

    from pipeline.paths import data_path

    lines = data_path("speakers.csv").read_text(encoding="utf-8").splitlines()
    speakers = tmp_path / "speakers.csv"
    speakers.write_text("\n".join([lines[0] + ",NOTE"] + [line + ",hand note" for line in lines[1:]]) + "\n",
                        encoding="utf-8")
    annotations = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "x", "entities": []}])
    out = tmp_path / "dir"
    assert main(["directory", str(annotations), "-o", str(out), "--speakers", str(speakers), "--quiet"]) == 0
    with sqlite3.connect(out / "directory.sqlite") as connection:
        names = [row[1] for row in connection.execute("PRAGMA table_info(speakers)")]
    assert "note" in names and len({n.casefold() for n in names}) == len(names)
    assert any(n.casefold().startswith("note_") for n in names)


def test_institution_parent_cycles_are_rejected_naming_the_rows(tmp_path):
    from pipeline.errors import TableError
    from pipeline.kb.tables import read_institutions

    table = tmp_path / "institutions.csv"
    table.write_text("institution_id,name,original,abbreviation,aliases,parent_id,country,note\n"
                     "I0001,가,,,,,KR,\nI0003,나,,,,I0005,CN,\nI0004,다,,,,I0003,CN,\nI0005,라,,,,I0004,CN,\n",
                     encoding="utf-8")
    with pytest.raises(TableError) as info:
        read_institutions(table)
    message = str(info.value)
    assert "cycle" in message and all(i in message for i in ("I0003", "I0004", "I0005"))
    assert "line 3" in message and "parent_id" in message


# -- U6: the table view prints no control characters ------------------------------------------
def test_people_table_shows_control_characters_escaped():
    from pipeline.report import people_table

    row = {"doc": "evil\x1b]0;owned\x07\x1b[2J", "name": "허쥔\r", "hanja": "", "title": "", "institution": "",
           "speaker_id": "NIL", "institution_id": "", "score": "0.50"}
    table = people_table([row])
    assert "\x1b" not in table and "\x07" not in table and "\r" not in table
    assert "\\x1b]0;owned\\x07\\x1b[2J" in table and "허쥔\\r" in table


def test_an_out_txt_inside_an_input_folder_is_refused(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    assert main(["annotate", str(tmp_path / "docs"), "-o", str(tmp_path / "docs" / "out.txt"), "--quiet"]) == 2
    assert "would be read back as a document" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["a.txt"]


# -- C2: file names that are not UTF-8 --------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_processed_with_an_escaped_id(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as handle:
        handle.write(TEXT.encode("utf-8"))
    with open(os.path.join(os.fsencode(folder), b"empty\xfe.txt"), "wb") as handle:
        handle.write(b"   ")
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(folder), "-o", str(out), "--quiet"]) == 1
    assert sorted(r["id"] for r in read_jsonl(out)) == ["bad\\xff", "good"]
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert error["id"] == "empty\\xfe" and "empty\\xfe.txt" in error["source"]


# -- U1: an output that cannot be written ------------------------------------------------------
def test_out_that_is_a_directory_is_a_usage_error(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}])
    (tmp_path / "outdir").mkdir()
    assert main(["annotate", str(src), "-o", str(tmp_path / "outdir"), "--quiet"]) == 2
    assert "is a directory" in capsys.readouterr().err


# -- U6: a null id is named as null --------------------------------------------------------------
def test_a_null_id_is_named_as_null(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": null, "text": "x"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert "'id' is null" in error["error"]


def test_resume_does_not_list_the_same_errors_again(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    for _ in range(3):
        assert main(["annotate", str(src), "-o", str(out), "--resume", "--quiet"]) == 1
    assert len(read_jsonl(Path(str(out) + ".errors.jsonl"))) == 1
    assert [r["id"] for r in read_jsonl(out)] == ["a"]


# -- W5: two runs on one OUT -------------------------------------------------------------------
def test_a_second_run_on_an_out_being_written_exits_2(tmp_path, capsys):
    import fcntl

    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "z", "text": "x"}, {"id": "a", "text": TEXT}])
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "z", "text": "x", "entities": []}\n', encoding="utf-8")
    with open(out, "a") as other:  # what a first run holds while it writes
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        for extra in ([], ["--resume"]):
            assert main(["annotate", str(src), "-o", str(out), "--quiet", *extra]) == 2
            assert "another hanlink annotate is writing" in capsys.readouterr().err
            assert out.read_text(encoding="utf-8") == '{"id": "z", "text": "x", "entities": []}\n'
    assert main(["annotate", str(src), "-o", str(out), "--quiet", "--resume"]) == 0
    assert [r["id"] for r in read_jsonl(out)] == ["z", "a"]


# -- U1: Ctrl-C ------------------------------------------------------------------------------------
def test_ctrl_c_is_a_short_message_and_exit_130(tmp_path, capsys, monkeypatch):
    from pipeline import cli

    def interrupted(documents):
        for _ in documents:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_engine", lambda args: interrupted)
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}])
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err


# -- W4: --resume after the input changed ----------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    ("text", "in.jsonl, line 2) has another text than"),
    ("deleted", "id 'b' ("),
    ("order", "the input's order changed"),
])
def test_resume_refuses_an_input_that_changed_and_touches_nothing(tmp_path, capsys, change, message):
    rows = [{"id": "a", "text": TEXT}, {"id": "b", "text": "김상훈 산업연구원 실장은 말했다."},
            {"id": "c", "text": "천밍(陳明) 교수는 발표했다."}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    out.write_bytes(b"".join(out.read_bytes().splitlines(keepends=True)[:2]) + b'{"id": "c", "te')  # a kill
    before = out.read_bytes()
    if change == "text":
        rows[1]["text"] = "김상훈 산업연구원 실장은 예측했다."
    elif change == "deleted":
        del rows[1]
    else:
        rows[0], rows[1] = rows[1], rows[0]
    write_jsonl(src, rows)
    assert main(["annotate", str(src), "-o", str(out), "--resume", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert message in err and str(out) in err and "without --resume" in err and "Traceback" not in err
    assert out.read_bytes() == before


def test_resume_warns_about_new_documents_that_land_out_of_order(tmp_path, capsys):
    rows = [{"id": "a", "text": TEXT}, {"id": "c", "text": "천밍(陳明) 교수는 발표했다."}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    write_jsonl(src, [rows[0], {"id": "b", "text": "김상훈 산업연구원 실장은 말했다."}, rows[1]])
    assert main(["annotate", str(src), "-o", str(out), "--resume", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "id 'b'" in err and "appended at the end" in err
    assert [r["id"] for r in read_jsonl(out)] == ["a", "c", "b"]


def test_resume_does_not_warn_about_documents_that_failed_before(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "x", "text": ""}\n' + json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    capsys.readouterr()
    assert main(["annotate", str(src), "-o", str(out), "--resume", "--quiet"]) == 1
    assert "warning" not in capsys.readouterr().err


def test_resume_from_standard_input_checks_the_text_too(tmp_path, monkeypatch, capsys):
    import io
    import sys

    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8"))))
    assert main(["annotate", "-o", str(out), "--quiet"]) == 0
    before = out.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("다른 글이다.".encode("utf-8"))))
    assert main(["annotate", "-o", str(out), "--resume", "--quiet"]) == 1
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert error["id"] == "stdin" and "another text than" in error["error"]
    assert out.read_bytes() == before


# -- W10: an unreadable subfolder of an input folder -------------------------------------------------
def test_an_unreadable_subfolder_is_listed_and_the_rest_goes_on(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "articles"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "locked" / "b.txt").write_text(TEXT, encoding="utf-8")
    (folder / "z.txt").write_text("김상훈 산업연구원 실장은 말했다.", encoding="utf-8")
    locked = folder / "locked"
    if os.geteuid() == 0:  # root reads a chmod 000 folder: refuse it the way the kernel refuses others
        real_scandir = os.scandir

        def scandir(path="."):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    out = tmp_path / "out.jsonl"
    try:
        assert main(["annotate", str(folder), "-o", str(out), "--quiet"]) == 1
    finally:
        locked.chmod(0o755)
    assert [r["id"] for r in read_jsonl(out)] == ["a", "z"]
    [error] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert error["source"] == str(locked) and "cannot read the folder" in error["error"]
    assert "Permission denied" in error["error"]
    assert "1 document(s) failed" in capsys.readouterr().err


# -- U1: outputs that cannot be written, a scheduler that cannot be reached ---------------------------
BAD_DOC = '{"id": "bad", "text": ""}\n'


def test_an_unwritable_errors_path_is_a_usage_error_before_anything_is_touched(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n" + BAD_DOC, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n", encoding="utf-8")
    (tmp_path / "plain").write_text("a file, not a folder", encoding="utf-8")
    errors = tmp_path / "plain" / "errors.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--errors", str(errors), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(errors) in err and "--errors" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "kept\n"


def test_an_errors_file_on_a_full_disk_is_one_line_and_exit_2(tmp_path, capsys):
    if not Path("/dev/full").exists():  # pragma: no cover (Linux has it)
        pytest.fail("/dev/full is needed to fill a disk")
    import stat

    src = tmp_path / "in.jsonl"
    src.write_text(BAD_DOC + json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "errors.jsonl"   # through a link: a regression that unlinks the errors path removes the
    errors.symlink_to("/dev/full")        # link, never the device (as root, unlink("/dev/full") would)
    assert main(["annotate", str(src), "-o", str(out), "--errors", str(errors), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(errors) in err and "No space left on device" in err and "Traceback" not in err
    assert errors.is_symlink() and stat.S_ISCHR(errors.stat().st_mode)   # a device is written to, never removed


class FillsUp:
    """A file object whose writes fail with ENOSPC once ``room`` lines were written."""

    def __init__(self, handle, room: int):
        self._handle, self._room = handle, room

    def write(self, text: str) -> int:
        if self._room <= 0:
            import errno

            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= 1
        return self._handle.write(text)

    def __getattr__(self, name):
        return getattr(self._handle, name)


def test_a_full_disk_while_writing_out_is_one_line_exit_2_and_resumable(tmp_path, monkeypatch, capsys):
    from pipeline import cli

    rows = [{"id": f"d{i}", "text": f"{i}번째. {TEXT}"} for i in range(4)]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(tmp_path / "full.jsonl"), "--quiet"]) == 0
    real_open = open
    monkeypatch.setattr(cli, "open", lambda *a, **k: FillsUp(real_open(*a, **k), 2), raising=False)
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "No space left on device" in err and "--resume" in err and "Traceback" not in err
    monkeypatch.undo()
    assert [r["id"] for r in read_jsonl(out)] == ["d0", "d1"]
    assert main(["annotate", str(src), "-o", str(out), "--resume", "--quiet"]) == 0
    assert out.read_bytes() == (tmp_path / "full.jsonl").read_bytes()


def test_an_unreachable_scheduler_fails_fast_naming_it_and_touches_nothing(tmp_path, capsys):
    pytest.importorskip("distributed", reason="Dask is the optional extra hanlink[dask]")
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}])
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "text": "x", "entities": []}\n', encoding="utf-8")
    before = out.read_bytes()
    address = f"tcp://127.0.0.1:{port}"
    assert main(["annotate", str(src), "-o", str(out), "--engine", "dask", "--scheduler", address, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert address in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert out.read_bytes() == before


# -- U2: directory on a full disk ------------------------------------------------------------------
@pytest.mark.parametrize("where", ["sqlite", "csv"])
def test_directory_on_a_full_disk_names_the_real_cause(tmp_path, monkeypatch, capsys, where):
    import errno
    import sqlite3

    from pipeline.directory import files

    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "x", "entities": []}])
    assert main(["directory", str(src), "-o", str(tmp_path / "dir")]) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "dir").iterdir()}
    capsys.readouterr()
    if where == "sqlite":
        def full(connection, frames):  # SQLite rolls the transaction back itself on SQLITE_FULL
            connection.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(files, "fill_sqlite", full)
    else:
        def full(frame, path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

        monkeypatch.setattr(files, "write_parquet", full)
        from pipeline.directory import build

        monkeypatch.setattr(build, "write_parquet", full)
    assert main(["directory", str(src), "-o", str(tmp_path / "dir")]) == 2
    err = capsys.readouterr().err
    assert ("database or disk is full" if where == "sqlite" else "No space left on device") in err
    assert "cannot rollback" not in err and "Traceback" not in err and str(tmp_path / "dir") in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "dir").iterdir()} == before


# -- U6: "at at column" ------------------------------------------------------------------------------
def test_json_errors_say_at_column_once(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "b", "text": "tab\there"}\n{"id": "a", "text": "unterminated', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 1
    errors = [e["error"] for e in read_jsonl(Path(str(out) + ".errors.jsonl"))]
    assert "Invalid control character at column" in errors[0]
    assert "Unterminated string starting at column" in errors[1]
    assert not any("at at" in error for error in errors)


# -- U6: temporary files a kill -9 left ------------------------------------------------------------
def test_a_mention_table_run_removes_the_temporary_files_a_killed_run_left(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}])
    mentions = tmp_path / "m.parquet"
    dead = 4_000_000
    while Path(f"/proc/{dead}").exists():
        dead += 1
    stale = tmp_path / f".m.parquet.{dead}.tmp"
    legacy = tmp_path / "m.parquet.tmp"          # the fixed name of earlier versions
    for leftover in (stale, legacy):
        leftover.write_bytes(b"half a parquet file")
    assert main(["annotate", str(src), "-o", str(tmp_path / "out.jsonl"), "--mentions", str(mentions),
                 "--quiet"]) == 0
    assert mentions.is_file() and not stale.exists() and not legacy.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "m.parquet", "out.jsonl"]
