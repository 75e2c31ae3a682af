"""`hanlink directory` and pipeline.directory.build (issue 7): clustering, stable ids, hand edits, files, safety.

The fixtures in tests/fixtures/directory/ are small annotate outputs (written once with the
pipeline, then reviewed and frozen), so these tests do not depend on the recognizer; the
round-trip test runs the real pipeline.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from pipeline.directory import files as directory_io
from pipeline.cli import main
from pipeline.directory.build import build_directory, read_directory
from pipeline.errors import TableError
from pipeline.kb.tables import INSTITUTION_COLUMNS, SPEAKER_COLUMNS, load_tables, read_institutions, read_speakers

FIXTURES = Path(__file__).parent / "fixtures" / "directory"
YEAR = [FIXTURES / "2024-01.jsonl", FIXTURES / "2024-06.jsonl", FIXTURES / "2024-09.jsonl"]
LATER = FIXTURES / "later.jsonl"


def records(*paths: Path) -> list[dict]:
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def year():
    return build_directory(YEAR)


def new_rows(directory, name: str) -> pd.DataFrame:
    frame = directory.speakers
    return frame[(frame["name"] == name) & frame["speaker_id"].str.startswith("N")]


def institution_id(directory, name: str) -> str:
    [found] = directory.institutions.loc[directory.institutions["name"] == name, "institution_id"]
    return found


def affiliation(directory, speaker_id: str, title: str) -> dict:
    frame = directory.affiliations
    [row] = frame[(frame["speaker_id"] == speaker_id) & (frame["title"] == title)].to_dict("records")
    return row


# -- who is who ------------------------------------------------------------------------------


def test_known_people_keep_their_ids_and_table_rows(year):
    shipped = load_tables()
    kept = year.speakers[year.speakers["speaker_id"].isin(shipped.speakers["speaker_id"])]
    assert kept[SPEAKER_COLUMNS].reset_index(drop=True).equals(shipped.speakers[SPEAKER_COLUMNS])
    assert affiliation(year, "P0002", "주임") == {"speaker_id": "P0002", "institution_id": "I0004", "title": "주임",
                                                "first_seen": "2024-01-25", "last_seen": "2024-01-25",
                                                "mentions": 1, "documents": 1}
    assert affiliation(year, "P0002", "소장")["first_seen"] == "2024-09-15"


def test_namesakes_with_incompatible_institutions_are_two_entries(year):
    rows = new_rows(year, "천밍")
    assert len(rows) == 2
    assert set(rows["institution_id"]) == {institution_id(year, "푸단대학교"), institution_id(year, "칭화대학교")}


def test_hanja_in_one_document_and_hangul_in_another_is_one_entry(year):
    [fudan] = new_rows(year, "천밍")[lambda f: f["hanja"] != ""].to_dict("records")
    assert fudan["hanja"] == "陳明" and fudan["simplified"] == "陈明" and fudan["latin"] == "Chen Ming"
    row = affiliation(year, fudan["speaker_id"], "교수")
    # d01 (천밍(陳明) ..., and a second bare 천밍 교수 of the same document) and d04 (陳明 alone)
    assert (row["mentions"], row["documents"]) == (3, 2)
    assert (row["first_seen"], row["last_seen"]) == ("2024-01-05", "2024-06-10")


def test_title_change_over_time(year):
    [fudan] = new_rows(year, "천밍")[lambda f: f["hanja"] != ""]["speaker_id"]
    professor, vice_dean = affiliation(year, fudan, "교수"), affiliation(year, fudan, "부원장")
    assert professor["last_seen"] < vice_dean["first_seen"] == "2024-09-10"
    assert year.speakers.set_index("speaker_id").at[fudan, "title"] == "부원장"   # the latest title


def test_new_unit_under_a_known_institution_and_undated_documents(year):
    unit = year.institutions.set_index("institution_id").loc[institution_id(year, "신흥경제연구소")]
    assert unit["parent_id"] == "I0003" and unit["country"] == "CN"
    [li] = new_rows(year, "리웨이").to_dict("records")
    assert li["institution_id"] == unit.name and li["hanja"] == "李偉"
    [zhang] = new_rows(year, "장웨이")["speaker_id"]
    row = affiliation(year, zhang, "연구원")
    assert pd.isna(row.pop("first_seen")) and pd.isna(row.pop("last_seen"))    # d08 has no date
    assert row == {"speaker_id": zhang, "institution_id": "I0010", "title": "연구원", "mentions": 1, "documents": 1}
    assert year.stats["new_speakers"] == 4 and year.unresolved.empty and not year.problems


# -- stable ids -------------------------------------------------------------------------------


def test_same_input_in_any_order_gives_the_same_directory(year):
    shuffled = records(*YEAR)
    random.Random(7).shuffle(shuffled)
    again = build_directory(shuffled)
    for name, frame in year.frames().items():
        pd.testing.assert_frame_equal(frame, again.frames()[name], check_dtype=False)


def test_adding_documents_never_renames_an_entry(year, tmp_path):
    grown = build_directory(YEAR + [LATER])
    before = year.speakers.set_index("speaker_id")
    after = grown.speakers.set_index("speaker_id")
    assert set(before.index) < set(after.index)
    assert list(new_rows(grown, "왕레이")["speaker_id"]) != []
    assert set(year.institutions["institution_id"]) < set(grown.institutions["institution_id"])
    # and with --base, the previous rows are taken as they are
    year.write(tmp_path / "v1")
    based = build_directory(YEAR + [LATER], base=tmp_path / "v1")
    kept = based.speakers.set_index("speaker_id").loc[before.index]
    pd.testing.assert_frame_equal(kept, before, check_dtype=False)
    assert set(based.speakers["speaker_id"]) == set(grown.speakers["speaker_id"])


# -- round trip with the real pipeline -------------------------------------------------------------

ROUND_TRIP = [
    ("r1", "2024-02-01", "천밍(陳明) 푸단대학교 교수는 말했다."),
    ("r2", "2024-02-03", "천밍 칭화대학교 교수는 반박했다."),
    ("r3", "2024-02-05", "陳明 푸단대학교 교수는 다시 말했다."),
    ("r4", "2024-02-07", "리웨이(李偉) 중국사회과학원 신흥경제연구소 연구원은 말했다."),
]


def annotate(nlp, docs) -> list[dict]:
    from pipeline.records import doc_record

    return [doc_record(nlp(text), doc_id, {"date": when}) for doc_id, when, text in docs]


def people(records_: list[dict]) -> dict[str, list]:
    return {r["id"]: [(e["text"], e["kb_id"]) for e in r["entities"] if e["label"] == "PERSON"] for r in records_}


def test_round_trip_links_the_formerly_nil_people(nlp, tmp_path):
    import pipeline

    first = annotate(nlp, ROUND_TRIP)
    assert all(kb is None for found in people(first).values() for _, kb in found)
    directory = build_directory(first)
    directory.write(tmp_path / "dir")
    relinked_nlp = pipeline.load(speakers=tmp_path / "dir" / "speakers.csv",
                                 institutions=tmp_path / "dir" / "institutions.csv")
    second = annotate(relinked_nlp, ROUND_TRIP)
    fudan, tsinghua = (new_rows(directory, "천밍")[lambda f, h=h: (f["hanja"] != "") == h]["speaker_id"].item()
                       for h in (True, False))
    [li] = new_rows(directory, "리웨이")["speaker_id"]
    assert people(second) == {"r1": [("천밍", fudan)], "r2": [("천밍", tsinghua)], "r3": [("陳明", fudan)],
                              "r4": [("리웨이", li)]}
    # rebuilding from the relinked annotations on the previous directory changes nothing
    rebuilt = build_directory(second, base=tmp_path / "dir")
    for name in ("speakers", "institutions", "affiliations"):
        pd.testing.assert_frame_equal(rebuilt.frames()[name], directory.frames()[name], check_dtype=False)


# -- hand edits ------------------------------------------------------------------------------------


def test_corrections_and_merges_survive_a_rebuild(year, tmp_path):
    year.write(tmp_path / "v1")
    edited = pd.read_csv(tmp_path / "v1" / "speakers.csv", dtype=str, keep_default_na=False)
    [fudan] = edited.loc[(edited["name"] == "천밍") & (edited["hanja"] != ""), "speaker_id"]
    [tsinghua] = edited.loc[(edited["name"] == "천밍") & (edited["hanja"] == ""), "speaker_id"]
    [li] = edited.loc[edited["name"] == "리웨이", "speaker_id"]
    edited.loc[edited["speaker_id"] == li, ["latin", "note"]] = ["Li Wei (checked)", "verified by phone"]
    edited.loc[edited["speaker_id"] == tsinghua, "note"] = f"same person, moved; merged_into:{fudan}"
    edited.to_csv(tmp_path / "v1" / "speakers.csv", index=False)

    rebuilt = build_directory(YEAR + [LATER], base=tmp_path / "v1")
    rows = rebuilt.speakers.set_index("speaker_id")
    assert tsinghua not in rows.index
    assert rows.at[fudan, "merged_ids"] == tsinghua
    assert rows.at[li, "latin"] == "Li Wei (checked)" and rows.at[li, "note"] == "verified by phone"
    professor = rebuilt.affiliations[(rebuilt.affiliations["speaker_id"] == fudan)
                                     & (rebuilt.affiliations["title"] == "교수")]
    # 푸단 교수 (d01, d04) and, now the same person, 칭화 교수 (d02)
    assert dict(zip(professor["institution_id"], professor["documents"])) == {
        institution_id(rebuilt, "푸단대학교"): 2, institution_id(rebuilt, "칭화대학교"): 1}

    # the merge is remembered by the next rebuild too (no merged_into left, the id is in merged_ids)
    rebuilt.write(tmp_path / "v2")
    again = build_directory(YEAR + [LATER], base=tmp_path / "v2")
    assert tsinghua not in set(again.speakers["speaker_id"])
    pd.testing.assert_frame_equal(again.speakers, rebuilt.speakers, check_dtype=False)


def test_merge_into_an_unknown_id_is_an_error_naming_the_row(year, tmp_path):
    year.write(tmp_path / "v1")
    edited = pd.read_csv(tmp_path / "v1" / "speakers.csv", dtype=str, keep_default_na=False)
    edited.loc[0, "merged_into"] = "N0000000000"
    edited.to_csv(tmp_path / "v1" / "speakers.csv", index=False)
    with pytest.raises(TableError, match=r"speakers.csv, line 2, column 'merged_into'.*N0000000000"):
        build_directory(YEAR, base=tmp_path / "v1")
    assert main(["directory", *map(str, YEAR), "-o", str(tmp_path / "v2"), "--base", str(tmp_path / "v1")]) == 2


# -- files -----------------------------------------------------------------------------------------


def test_written_files_read_back_as_tables_and_sqlite_has_keys(year, tmp_path):
    out = year.write(tmp_path / "dir")
    tables = load_tables(out / "speakers.csv", out / "institutions.csv")
    assert list(tables.speakers.columns[:10]) == SPEAKER_COLUMNS
    assert list(tables.institutions.columns[:8]) == INSTITUTION_COLUMNS
    for name, frame in year.frames().items():
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), frame, check_dtype=False)
        pd.testing.assert_frame_equal(read_directory(out).frames()[name], frame, check_dtype=False)
    with sqlite3.connect(out / "directory.sqlite") as db:
        for table, keys in (("speakers", ["speaker_id"]), ("institutions", ["institution_id"]),
                            ("affiliations", ["speaker_id", "institution_id", "title"])):
            info = db.execute(f"PRAGMA table_info({table})").fetchall()
            assert [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]] == keys
            assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == len(year.frames()[table])
            assert db.execute(f"PRAGMA index_list({table})").fetchall()
        assert db.execute("SELECT mentions FROM affiliations WHERE speaker_id = ? AND title = ?",
                          ("P0002", "주임")).fetchone() == (1,)


def test_a_failure_mid_write_leaves_the_previous_files_intact(year, tmp_path, monkeypatch):
    out = year.write(tmp_path / "dir")
    old_csv = (out / "speakers.csv").read_bytes()
    grown = build_directory(YEAR + [LATER])

    def half_then_crash(connection, frames):
        connection.execute("CREATE TABLE speakers (speaker_id TEXT PRIMARY KEY)")
        raise OSError("disk full")

    monkeypatch.setattr(directory_io, "fill_sqlite", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        grown.write(out)
    with sqlite3.connect(out / "directory.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM speakers").fetchone()[0] == len(year.speakers)
    assert (out / "speakers.csv").read_bytes() == old_csv          # all seven files move together
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]      # no temporary file left

    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        grown.write(out)
    assert (out / "speakers.csv").read_bytes() == old_csv


INJECTION = {"id": "x1", "meta": {"date": "2024-05-05"}, "entities": [
    {"start": 0, "end": 6, "text": "=1+2*3", "label": "PERSON", "kb_id": None, "hanja": None, "title": "@SUM(A1)",
     "affiliation": {"text": "=HYPERLINK(\"http://x\")", "kb_id": None, "start": 7, "end": 29}},
    {"start": 7, "end": 29, "text": "=HYPERLINK(\"http://x\")", "label": "ORG", "kb_id": None},
    {"start": 30, "end": 33, "text": "-왕밍", "label": "PERSON", "kb_id": None, "title": "+연구원",
     "affiliation": None},
    {"start": 34, "end": 38, "text": "\t천리", "label": "PERSON", "kb_id": None, "title": None,
     "affiliation": None}]}


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path):
    directory = build_directory([INJECTION])
    out = directory.write(tmp_path / "dir")
    raw = pd.read_csv(out / "speakers.csv", dtype=str, keep_default_na=False)
    new = raw[raw["speaker_id"].str.startswith("N")]
    assert set(new["name"]) == {"'=1+2*3", "'-왕밍", "천리"}          # the tab is stripped as whitespace
    assert "'@SUM(A1)" in set(new["title"]) and "'+연구원" in set(new["title"])
    assert all(not cell.startswith(directory_io.FORMULA_STARTS)
               for name in ("speakers", "institutions", "affiliations")
               for cell in pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False).to_numpy().ravel())
    affiliations = pd.read_csv(out / "affiliations.csv", dtype=str, keep_default_na=False)
    assert set(affiliations["first_seen"]) == {"2024-05-05"}            # ids and dates untouched
    assert set(affiliations["speaker_id"]) <= set(new["speaker_id"])
    # read back: as tables for annotate, and as the directory (values restored)
    institutions = read_institutions(out / "institutions.csv")
    read_speakers(out / "speakers.csv", institutions["institution_id"])
    back = read_directory(out)
    assert "=1+2*3" in set(back.speakers["name"]) and "@SUM(A1)" in set(back.affiliations["title"])
    with sqlite3.connect(out / "directory.sqlite") as db:                 # raw values, stored by parameter
        assert db.execute("SELECT COUNT(*) FROM speakers WHERE name = ?", ("=1+2*3",)).fetchone() == (1,)
    rebuilt = build_directory([INJECTION], base=out)
    pd.testing.assert_frame_equal(rebuilt.speakers, directory.speakers, check_dtype=False)


# -- command line ----------------------------------------------------------------------------------


def test_cli_writes_the_directory(tmp_path, capsys):
    assert main(["directory", *map(str, YEAR), "-o", str(tmp_path / "dir")]) == 0
    assert {p.name for p in (tmp_path / "dir").iterdir()} == {
        "speakers.csv", "institutions.csv", "affiliations.csv", "speakers.parquet", "institutions.parquet",
        "affiliations.parquet", "directory.sqlite", "metadata.json"}
    assert "4 new" in capsys.readouterr().err


def test_cli_usage_errors_exit_2_naming_the_file(tmp_path, capsys):
    missing = tmp_path / "nope.jsonl"
    assert main(["directory", str(missing), "-o", str(tmp_path / "dir")]) == 2
    assert str(missing) in capsys.readouterr().err
    assert main(["directory", str(YEAR[0]), "-o", str(tmp_path / "d"), "--base", str(tmp_path / "nobase")]) == 2
    assert "nobase" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["directory", str(YEAR[0]), "-o", str(tmp_path / "file")]) == 2
    assert not (tmp_path / "dir").exists()
    with pytest.raises(SystemExit) as exc:
        main(["directory", str(YEAR[0])])             # no -o
    assert exc.value.code == 2


def test_cli_bad_lines_are_reported_and_skipped(tmp_path, capsys):
    lines = YEAR[0].read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([lines[0], "{not json", json.dumps({"id": "z", "entities": "no"}), *lines[1:]]) + "\n",
                   encoding="utf-8")
    assert main(["directory", str(bad), "-o", str(tmp_path / "dir")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}, line 2: not JSON" in err and f"{bad}, line 3" in err and "'entities'" in err
    assert (tmp_path / "dir" / "directory.sqlite").is_file()
    assert main(["directory", str(bad), "-o", str(tmp_path / "strict"), "--strict"]) == 1
    assert f"{bad}, line 2" in capsys.readouterr().err and not (tmp_path / "strict").exists()


def person(doc_id: str, name: str, units: list[str], title: str = "교수", hanja: str | None = None) -> dict:
    """A hand-made annotate record: NAME UNIT... TITLE (units unlinked, outermost first)."""
    entities, start = [], len(name) + 1
    for unit in units:
        entities.append({"start": start, "end": start + len(unit), "text": unit, "label": "ORG", "kb_id": None})
        start += len(unit) + 1
    affiliation = ({"text": " ".join(units), "kb_id": None, "start": len(name) + 1, "end": start - 1}
                   if units else None)
    entities.insert(0, {"start": 0, "end": len(name), "text": name, "label": "PERSON", "kb_id": None,
                        "hanja": hanja, "title": title, "affiliation": affiliation})
    return {"id": doc_id, "meta": {"date": "2024-01-01"}, "entities": entities}


@pytest.mark.parametrize("first, later", [
    # a namesake at another unit of the same top institution
    ([person("a", "천밍", ["푸단대학교", "경제학원"])], [person("b", "천밍", ["푸단대학교", "물리학원"])]),
    # a person first seen without an institution, then with one
    ([person("a", "천밍", [])], [person("b", "천밍", ["푸단대학교"])]),
])
def test_base_keeps_ids_where_hashes_alone_would_move(first, later, tmp_path):
    before = build_directory(first)
    [old] = new_rows(before, "천밍")["speaker_id"]
    before.write(tmp_path / "v1")
    after = build_directory(first + later, base=tmp_path / "v1")
    assert old in set(after.speakers["speaker_id"])
    assert after.affiliations.loc[after.affiliations["speaker_id"] == old, "documents"].sum() >= 1
    assert after.unresolved.empty


def test_a_previous_row_without_institution_is_not_given_to_two_namesakes(tmp_path):
    build_directory([person("a", "천밍", [])]).write(tmp_path / "v1")
    after = build_directory([person("a", "천밍", []), person("b", "천밍", ["푸단대학교"]),
                             person("c", "천밍", ["칭화대학교"])], base=tmp_path / "v1")
    assert len(after.speakers[after.speakers["name"] == "천밍"]) == 3
    assert list(after.unresolved["doc_id"]) == ["a"]        # the bare mention fits all three


def test_a_cell_with_a_carriage_return_stays_one_cell_and_neutralised(tmp_path):
    """Issue 14, W1: a CR inside a cell was written unquoted; readers saw a phantom row starting =1+2."""
    frame = pd.DataFrame({"speaker_id": ["N1", "N2"], "note": ["Said in 2018:\r=1+2", "plain"]})
    directory_io.write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    assert len(back) == 2 and list(back["speaker_id"]) == ["N1", "N2"]
    assert directory_io.unneutralise_frame(back)["note"].tolist() == ["Said in 2018:\r=1+2", "plain"]
    import csv
    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 3 and not any(cell.startswith(directory_io.FORMULA_STARTS) for row in rows for cell in row)


def test_header_cells_are_neutralised_and_an_apostrophe_survives_the_round_trip(tmp_path):
    """Issue 14, W2 (a formula as a column name) and W12 (a cell that really starts with '=)."""
    frame = pd.DataFrame({"speaker_id": ["N1"], "=HYPERLINK(\"http://x\")": ["'=already quoted"]})
    directory_io.write_csv(frame, tmp_path / "t.csv")
    raw = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    assert not any(str(name).startswith(directory_io.FORMULA_STARTS) for name in raw.columns)
    back = directory_io.unneutralise_frame(raw)
    assert list(back.columns) == list(frame.columns)
    assert back.iloc[0].tolist() == ["N1", "'=already quoted"]


# -- W8: the files of a directory change together ---------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def grown():
    return build_directory(YEAR + [LATER])


@pytest.mark.parametrize("exchange", [True, False], ids=["one-step swap", "two renames"])
@pytest.mark.parametrize("failing_call", range(1, 17))
def test_a_failure_at_any_step_of_the_write_leaves_all_old_files_or_all_new_ones(year, grown, tmp_path, monkeypatch,
                                                                                 failing_call, exchange):
    """Issue 14, W8: a rename failing between the renames of the seven files left new CSVs beside old Parquet
    and SQLite. Every file-system step that moves, links or removes fails in turn; the folder then holds the
    old files or the new ones (and a file of the user's own), never a mix."""
    out = year.write(tmp_path / "dir")
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "mine").mkdir()
    (out / "mine" / "draft.csv").write_text("a,b\n", encoding="utf-8")
    old = snapshot(out)
    new = {**snapshot(grown.write(tmp_path / "reference")), "notes.txt": b"my notes", "mine/draft.csv": b"a,b\n"}
    assert old != new
    calls = {"n": 0}

    def failing(function):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == failing_call:
                raise OSError(5, "Input/output error (injected)")
            return function(*args, **kwargs)
        return wrapper

    for name in ("replace", "rename", "link", "unlink", "rmdir", "symlink"):
        monkeypatch.setattr(directory_io.os, name, failing(getattr(os, name)))
    if hasattr(directory_io, "exchange_paths"):  # two renames: a system or file system without RENAME_EXCHANGE
        swap = directory_io.exchange_paths if exchange else (lambda first, second: False)
        monkeypatch.setattr(directory_io, "exchange_paths", failing(swap))
    try:
        grown.write(out)
    except OSError as exc:
        assert "injected" in str(exc)
    monkeypatch.undo()
    now = snapshot(out)
    assert now == old or now == new
    if failing_call == 1:
        assert now == old
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("dir", "reference")]
    assert not leftovers or now == new   # a staging folder never stays behind a failed write


def test_what_a_killed_write_left_is_removed_by_the_next(year, tmp_path):
    """Issue 14, U6: temporary files a kill -9 left were never cleaned."""
    out = year.write(tmp_path / "dir")
    dead = 4_000_000  # above the largest pid Linux hands out (4,194,304 is the ceiling; check it is free)
    while Path(f"/proc/{dead}").exists():
        dead += 1
    stale = tmp_path / f".dir.hanlink-{dead}-abcd1234"
    stale.mkdir()
    (stale / "speakers.csv").write_text("half", encoding="utf-8")
    running = tmp_path / f".dir.hanlink-{os.getppid()}-abcd1234"   # a live process: maybe a run writing now
    running.mkdir()
    legacy = out / ".speakers.csv.k2j3h4.tmp"                       # what earlier versions left inside
    legacy.write_text("half", encoding="utf-8")
    year.write(out)
    assert not stale.exists() and not legacy.exists() and running.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, "dir"])


# -- W11: lines a directory must not take on trust ---------------------------------------------------


def test_unknown_ids_and_spans_outside_the_text_are_reported_per_line(tmp_path, capsys):
    """Issue 14, W11: an ORG kb_id in no table became a new institution silently; offsets outside the text were
    taken. Each is now named with its file and line; the other lines are used."""
    good = {"id": "g", "text": "허쥔 중국사회과학원 주임", "entities": [
        {"start": 0, "end": 2, "text": "허쥔", "label": "PERSON", "kb_id": "P0002", "title": "주임",
         "affiliation": {"text": "중국사회과학원", "kb_id": "I0003", "start": 3, "end": 10}},
        {"start": 3, "end": 10, "text": "중국사회과학원", "label": "ORG", "kb_id": "I0003"}]}
    unknown_org = {"id": "a", "text": "천밍 XYZ연구소 주임", "entities": [
        {"start": 0, "end": 2, "text": "천밍", "label": "PERSON", "kb_id": None, "title": "주임",
         "affiliation": {"text": "XYZ연구소", "kb_id": "I9999", "start": 3, "end": 9}},
        {"start": 3, "end": 9, "text": "XYZ연구소", "label": "ORG", "kb_id": "I9999"}]}
    outside = {"id": "b", "text": "왕밍 주임", "entities": [
        {"start": 0, "end": 2, "text": "왕밍", "label": "PERSON", "kb_id": None,
         "affiliation": {"text": "유령연구소", "kb_id": None, "start": 500, "end": 900}}]}
    backwards = {"id": "c", "text": "왕밍 주임", "entities": [
        {"start": 0, "end": 2, "text": "왕밍", "label": "PERSON", "kb_id": None,
         "roles": [{"title": "주임", "institution": {"text": "유령", "kb_id": None, "start": 4, "end": 2},
                    "former": False}]}]}
    boolean = {"id": "d", "text": "왕밍 주임", "entities": [
        {"start": 0, "end": True, "text": "왕", "label": "PERSON", "kb_id": None}]}
    unknown_person = {"id": "e", "text": "왕밍 주임", "entities": [
        {"start": 0, "end": 2, "text": "왕밍", "label": "PERSON", "kb_id": "P9999"}]}
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                           for r in (good, unknown_org, outside, backwards, boolean, unknown_person)), encoding="utf-8")
    assert main(["directory", str(src), "-o", str(tmp_path / "dir")]) == 1
    err = capsys.readouterr().err
    assert f"{src}, line 2" in err and "'I9999'" in err and "no institution table" in err
    assert f"{src}, line 3" in err and "(500, 900)" in err and "outside the text" in err
    assert f"{src}, line 4" in err and "(4, 2)" in err
    assert f"{src}, line 5" in err and "integer 'start' and 'end'" in err
    assert f"{src}, line 6" in err and "'P9999'" in err and "no speaker table" in err
    institutions = pd.read_csv(tmp_path / "dir" / "institutions.csv", dtype=str, keep_default_na=False)
    assert not {"유령연구소", "유령"} & set(institutions["name"])
    speakers = pd.read_csv(tmp_path / "dir" / "speakers.csv", dtype=str, keep_default_na=False)
    assert "천밍" in set(speakers["name"])   # the line with an unknown id is used, its id reported


def test_a_new_person_keeps_the_surface_form_and_the_csv_stays_neutralised(tmp_path):
    """Issue 14, W13: a new person written @SUM(1)천밍3 was stored as the normalised key @sum(1)천밍3."""
    record = {"id": "x", "text": "@SUM(1)천밍3 교수는 말했다.", "entities": [
        {"start": 0, "end": 10, "text": "@SUM(1)천밍3", "label": "PERSON", "kb_id": None, "title": "교수"}]}
    directory = build_directory([record])
    [name] = directory.speakers.loc[directory.speakers["speaker_id"].str.startswith("N"), "name"]
    assert name == "@SUM(1)천밍3"
    out = directory.write(tmp_path / "dir")
    raw = pd.read_csv(out / "speakers.csv", dtype=str, keep_default_na=False)
    assert "'@SUM(1)천밍3" in set(raw["name"])
    assert "@SUM(1)천밍3" in set(read_directory(out).speakers["name"])
