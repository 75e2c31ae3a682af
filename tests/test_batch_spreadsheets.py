"""CSV that opens right in a Korean spreadsheet (issue 17, point 3).

Every CSV hanlink writes (the directory's tables, ``--mentions FILE.csv``, ``--format csv`` into a file)
is UTF-8 with a byte-order mark, so Excel on a Korean Windows machine shows Hangul and hanja instead of
mojibake, lines end in CRLF and formula-like cells are neutralised; every CSV hanlink reads (annotate's
inputs, the speaker and institution tables, a directory given back with ``--base``) accepts a
byte-order mark and CRLF line ends.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from pipeline.cli import main
from pipeline.directory.build import build_directory, read_directory
from pipeline.kb.tables import load_tables
from pipeline.records import MENTION_COLUMNS, PEOPLE_COLUMNS

BOM = b"\xef\xbb\xbf"
HANLINK = str(Path(sys.executable).with_name("hanlink"))
TEXT = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다."
NEW_PERSON = {"id": "x", "text": "천밍(陳明) =푸단대 교수는 말했다.", "entities": [
    {"start": 0, "end": 2, "text": "천밍", "label": "PERSON", "kb_id": None, "hanja": "陳明", "title": "교수",
     "affiliation": {"text": "=푸단대", "kb_id": None, "start": 7, "end": 11}},
    {"start": 7, "end": 11, "text": "=푸단대", "label": "ORG", "kb_id": None}]}


def rows_of(path: Path) -> list[list[str]]:
    """The CSV as a spreadsheet reads it: UTF-8 after the mark, RFC 4180 quoting."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def excel_ready(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(BOM), f"{path} has no byte-order mark"
    assert data.count(b"\n") == data.count(b"\r\n"), f"{path} has line ends other than CRLF"


# -- writing --------------------------------------------------------------------------------------
def test_directory_csvs_carry_a_byte_order_mark_and_read_back(tmp_path):
    out = build_directory([NEW_PERSON]).write(tmp_path / "dir")
    for name in ("speakers", "institutions", "affiliations"):
        excel_ready(out / f"{name}.csv")
    speakers = rows_of(out / "speakers.csv")
    assert speakers[0][0] == "speaker_id"                      # the mark is no part of the first column's name
    assert any(row[1] == "천밍" and row[2] == "陳明" for row in speakers[1:])
    institutions = rows_of(out / "institutions.csv")
    assert any(row[1] == "'=푸단대" for row in institutions[1:])   # formula-like cells stay neutralised
    back = read_directory(out)                                   # --base reads them, the mark and CRLF
    assert "=푸단대" in set(back.institutions["name"]) and back.speakers.columns[0] == "speaker_id"
    tables = load_tables(out / "speakers.csv", out / "institutions.csv")   # given back to annotate as tables
    assert tables.speakers.columns[0] == "speaker_id" and "천밍" in set(tables.speakers["name"])
    rebuilt = build_directory([NEW_PERSON], base=out)
    pd.testing.assert_frame_equal(rebuilt.speakers, back.speakers, check_dtype=False)


def test_a_mention_table_named_csv_is_written_for_a_spreadsheet(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "=d1", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    mentions = tmp_path / "m.csv"
    assert main(["annotate", str(src), "-o", str(tmp_path / "out.jsonl"), "--mentions", str(mentions),
                 "--quiet"]) == 0
    excel_ready(mentions)
    rows = rows_of(mentions)
    assert rows[0] == MENTION_COLUMNS
    people = [row for row in rows[1:] if row[3] == "PERSON"]
    assert people[0][0] == "'=d1" and people[0][4] == "허쥔" and people[0][7] == "賀俊"
    parquet = tmp_path / "m.parquet"                             # any other name: Parquet, as before
    assert main(["annotate", str(src), "-o", str(tmp_path / "out2.jsonl"), "--mentions", str(parquet),
                 "--quiet"]) == 0
    assert parquet.read_bytes()[:4] == b"PAR1"


def test_format_csv_into_a_file_opens_in_a_spreadsheet(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    people = tmp_path / "people.csv"
    with open(people, "wb") as handle:
        result = subprocess.run([HANLINK, "annotate", str(src), "--format", "csv", "--quiet"], stdout=handle,
                                stderr=subprocess.PIPE, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    excel_ready(people)
    rows = rows_of(people)
    assert rows[0] == list(PEOPLE_COLUMNS)
    assert rows[1][:4] == ["a", "허쥔", "賀俊", "주임"]
    piped = subprocess.run([HANLINK, "annotate", str(src), "--format", "csv", "--quiet"], capture_output=True,
                           timeout=300)
    assert piped.returncode == 0 and not piped.stdout.startswith(BOM)   # a pipe gets plain UTF-8
    assert piped.stdout.decode("utf-8").splitlines()[0] == ",".join(PEOPLE_COLUMNS)


# -- reading --------------------------------------------------------------------------------------
def test_annotate_reads_a_csv_with_a_byte_order_mark_and_crlf(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(BOM + "id,text,date\r\nd1,\"허쥔(賀俊) 주임은\r\n말했다.\",2024-01-01\r\nd2,천밍 교수,2024-01-02\r\n"
                    .encode("utf-8"))
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--quiet"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["d1", "d2"]
    assert records[0]["text"] == "허쥔(賀俊) 주임은\r\n말했다." and records[1]["text"] == "천밍 교수"
    assert records[1]["meta"] == {"date": "2024-01-02"}


def test_tables_with_a_byte_order_mark_and_crlf_load_clean(tmp_path):
    speakers = tmp_path / "speakers.csv"
    institutions = tmp_path / "institutions.csv"
    institutions.write_bytes(BOM + ("institution_id,name,original,abbreviation,aliases,parent_id,country,note\r\n"
                                    "I1,중국사회과학원,中国社会科学院,CASS,,,CN,\r\n").encode("utf-8"))
    speakers.write_bytes(BOM + ("speaker_id,name,hanja,simplified,latin,aliases,institution_id,title,country,note\r\n"
                                "P1,허쥔,賀俊,贺俊,He Jun,,I1,주임,CN,\r\n").encode("utf-8"))
    tables = load_tables(speakers, institutions)
    assert list(tables.speakers.iloc[0][["speaker_id", "name", "note"]]) == ["P1", "허쥔", ""]
    assert list(tables.institutions.iloc[0][["institution_id", "note"]]) == ["I1", ""]
    out = tmp_path / "out.jsonl"
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert main(["annotate", str(src), "-o", str(out), "--speakers", str(speakers), "--institutions",
                 str(institutions), "--quiet"]) == 0
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [e["kb_id"] for e in record["entities"] if e["label"] == "PERSON"] == ["P1"]
