"""A speaker directory built from annotate output: ``hanlink directory`` and :func:`build_directory`.

The directory is three tables:

``speakers``
    The contract's speaker schema (``speaker_id, name, hanja, simplified,
    latin, aliases, institution_id, title, country, note``) plus two columns
    at the end, ``merged_into`` and ``merged_ids`` (see *Hand edits*).
``institutions``
    The contract's institution schema plus the same two columns.
``affiliations``
    ``speaker_id, institution_id, title, first_seen, last_seen, mentions,
    documents``: who was named with which institution and title, from when to
    when (``meta.date`` of the documents, ISO ``YYYY-MM-DD``; empty when no
    document of the row has a date), in how many mentions and documents.

Rows of the input tables (the shipped ones by default) and of ``--base``
keep their ids and their cells. Linked mentions (``kb_id``) count for their
row; NIL mentions are clustered into new entries (:mod:`pipeline.directory.cluster`
states the rule and the id scheme).

Hand edits
    Rebuilding with ``base=`` (``--base DIR``) takes every row of the previous
    directory as it is, so corrected names, hanja or titles stay. To merge
    entry A into entry B, write ``B`` in A's ``merged_into`` cell (or
    ``merged_into:B`` anywhere in A's ``note``). The rebuild drops row A, adds
    its names to B's ``aliases`` and A's id to B's ``merged_ids``; mentions of
    A, and clusters that would get A's id again, count for B from then on.
    The same works for institutions.

Examples
--------
>>> directory = build_directory([{"id": "d1", "meta": {"date": "2024-03-01"}, "entities": [
...     {"text": "천밍", "label": "PERSON", "kb_id": None, "hanja": "陳明", "title": "교수",
...      "affiliation": {"text": "푸단대학교", "kb_id": None, "start": 7, "end": 12}, "start": 0, "end": 2},
...     {"text": "푸단대학교", "label": "ORG", "kb_id": None, "start": 7, "end": 12}]}])
>>> directory.speakers.iloc[-1][["name", "hanja", "latin", "title"]].tolist()
['천밍', '陳明', 'Chen Ming', '교수']
>>> directory.affiliations[["title", "first_seen", "mentions"]].values.tolist()
[['교수', '2024-03-01', 1]]
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.directory.cluster import InstitutionResolver, PersonClusterer, PersonMention, extract_mentions
from pipeline.directory.files import (read_documents, swapped_folder, unneutralise_frame, write_csv, write_parquet,
                                     write_sqlite)
from pipeline.errors import TableError, UsageError
from pipeline.spreadsheets import read_csv
from pipeline.review.datasette import write_metadata as write_datasette_metadata
from pipeline.names.forms import detect_script, forms
from pipeline.kb.tables import (INSTITUTION_COLUMNS, INSTITUTION_NAME_COLUMNS, SPEAKER_COLUMNS, SPEAKER_NAME_COLUMNS,
                     load_tables, normalize_key, read_institutions, read_speakers, split_aliases)

MERGED_INTO = "merged_into"
MERGED_IDS = "merged_ids"
EXTRA_COLUMNS = [MERGED_INTO, MERGED_IDS]
AFFILIATION_COLUMNS = ["speaker_id", "institution_id", "title", "first_seen", "last_seen", "mentions", "documents"]
FILES = ("speakers", "institutions", "affiliations")
#: Every file ``hanlink directory`` writes into its folder.
OUTPUT_FILES = tuple(f"{name}.{kind}" for kind in ("csv", "parquet") for name in FILES) + ("directory.sqlite",
                                                                                   "metadata.json")
_NOTE_MERGE = re.compile(r"merged_into\s*[:=]\s*([^\s,;|]+)")


@dataclass
class Directory:
    """The built directory: three DataFrames, and what went wrong on the way.

    Attributes
    ----------
    speakers, institutions, affiliations : pandas.DataFrame
        The tables (text cells are ``""`` when empty; dates ``None`` when unknown).
    unresolved : pandas.DataFrame
        NIL person mentions left out because they fit several people
        (``doc_id, text, hanja, institution_id, title``).
    problems : list of str
        Input lines that were skipped (``FILE, line N: ...``).
    warnings : list of str
        Things worth knowing that lost no line (unreadable dates, duplicate ids, unknown kb_ids).
    stats : dict
        Counts for the summary line.
    """

    speakers: pd.DataFrame
    institutions: pd.DataFrame
    affiliations: pd.DataFrame
    unresolved: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"speakers": self.speakers, "institutions": self.institutions, "affiliations": self.affiliations}

    def write(self, folder: str | Path) -> Path:
        """Write ``NAME.csv``, ``NAME.parquet`` (NAME in speakers, institutions, affiliations) and
        ``directory.sqlite`` into ``folder`` (created if needed): all seven are written into a new
        folder that takes the place of ``folder`` in one step when every one is complete
        (:func:`pipeline.directory.files.swapped_folder`; other files of ``folder`` stay)."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder}: exists and is not a folder; -o names the folder of the directory")
        frames = self.frames()
        with swapped_folder(folder, OUTPUT_FILES) as new:
            for name, frame in frames.items():
                write_csv(frame, new / f"{name}.csv")
            for name, frame in frames.items():
                write_parquet(frame, new / f"{name}.parquet")
            write_sqlite(frames, new / "directory.sqlite")
            write_datasette_metadata(frames, new / "metadata.json")  # Datasette's view of the sqlite (issue 17)
        return folder

    def summary(self) -> str:
        s = self.stats
        return (f"{s['documents']} document(s), {s['person_mentions']} person mention(s) → "
                f"{len(self.speakers)} speaker(s) ({s['new_speakers']} new), {len(self.institutions)} institution(s) "
                f"({s['new_institutions']} new), {len(self.affiliations)} affiliation(s); "
                f"{len(self.unresolved)} ambiguous mention(s) left out")


# ---------------------------------------------------------------------------
# the starting tables: input tables, --base, merges


def _with_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
    return frame[columns + [c for c in frame.columns if c not in columns]]


def _combine(table: pd.DataFrame, table_path: str, base: pd.DataFrame | None, base_path: str,
             id_column: str, columns: list[str]) -> tuple[pd.DataFrame, dict[str, tuple[str, int]]]:
    """Rows of the input table, overridden by ``--base`` rows of the same id, then the base's other rows."""
    frames = [table] + ([base] if base is not None else [])
    extra = [c for f in frames for c in f.columns if c not in columns + EXTRA_COLUMNS]
    all_columns = columns + list(dict.fromkeys(extra)) + EXTRA_COLUMNS
    origin: dict[str, tuple[str, int]] = {}
    rows: dict[str, dict] = {}
    for frame, path in ((table, table_path), (base, base_path)):
        if frame is None:
            continue
        for position, row in enumerate(_with_columns(frame, all_columns).to_dict("records")):
            rows[row[id_column]] = row
            origin[row[id_column]] = (path, position + 2)
    return pd.DataFrame(list(rows.values()), columns=all_columns).fillna(""), origin


def _merge_edges(frame: pd.DataFrame, id_column: str, origin: dict) -> dict[str, str]:
    edges: dict[str, str] = {}
    for row in frame.to_dict("records"):
        target = row[MERGED_INTO].strip()
        if not target:
            match = _NOTE_MERGE.search(row["note"])
            target = match.group(1) if match else ""
        if target:
            if target == row[id_column]:
                path, line = origin[row[id_column]]
                raise TableError(path, "an entry cannot be merged into itself", row=line, column=MERGED_INTO)
            edges[row[id_column]] = target
    for row in frame.to_dict("records"):
        for merged in split_aliases(row[MERGED_IDS]):
            if merged != row[id_column]:
                edges.setdefault(merged, row[id_column])
    return edges


def _apply_merges(frame: pd.DataFrame, id_column: str, name_columns: list[str], origin: dict) \
        -> tuple[pd.DataFrame, dict[str, str]]:
    """Fold rows with ``merged_into`` into their targets; the redirect map old id → final id."""
    edges = _merge_edges(frame, id_column, origin)
    present = set(frame[id_column])
    redirect: dict[str, str] = {}
    for source in edges:
        seen = [source]
        current = edges[source]
        while current in edges:
            if current in seen:
                path, line = origin.get(source, ("the directory", None))
                raise TableError(path, f"merged_into makes a cycle ({' → '.join(seen + [current])}); "
                                 "empty one of the merged_into cells", row=line, column=MERGED_INTO)
            seen.append(current)
            current = edges[current]
        if current not in present:
            path, line = origin.get(source, ("the directory", None))
            raise TableError(path, f"merged_into {current!r} names no row of the table; give an existing id",
                             row=line, column=MERGED_INTO)
        redirect[source] = current
    if not redirect:
        return frame, redirect
    rows = {row[id_column]: row for row in frame.to_dict("records")}
    for source in sorted(redirect):
        target = rows[redirect[source]]
        merged_ids = split_aliases(target[MERGED_IDS])
        if source not in merged_ids:
            target[MERGED_IDS] = "|".join(merged_ids + [source])
        row = rows.get(source)
        if row is None:
            continue
        known = {normalize_key(n) for n in _names(target, name_columns)}
        aliases = split_aliases(target["aliases"])
        for name in _names(row, name_columns):
            if normalize_key(name) not in known:
                aliases.append(name)
                known.add(normalize_key(name))
        target["aliases"] = "|".join(aliases)
    kept = [row for key, row in rows.items() if key not in redirect]
    for row in kept:
        row[MERGED_INTO] = ""
    return pd.DataFrame(kept, columns=frame.columns), redirect


def _names(row: dict, name_columns: list[str]) -> list[str]:
    out: list[str] = []
    for column in name_columns:
        value = row.get(column, "")
        out.extend(split_aliases(value) if column == "aliases" else ([value] if value else []))
    return out


def starting_tables(speakers: str | Path | None = None, institutions: str | Path | None = None,
                    base: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict, dict]:
    """The rows every build starts from: input tables + ``--base``, merges applied.

    Returns ``(speakers, institutions, speaker_redirect, institution_redirect)``.

    Raises
    ------
    UsageError
        When ``base`` is not a directory folder.
    TableError
        On a malformed table or a ``merged_into`` that names no row or makes a cycle.
    """
    tables = load_tables(speakers, institutions)
    base_speakers = base_institutions = None
    base_speakers_path = base_institutions_path = ""
    if base is not None:
        folder = Path(base)
        base_speakers_path, base_institutions_path = str(folder / "speakers.csv"), str(folder / "institutions.csv")
        for path in (base_speakers_path, base_institutions_path):
            if not Path(path).is_file():
                raise UsageError(f"{path}: no such file; --base names the folder of a directory written before")
        base_institutions = unneutralise_frame(read_institutions(base_institutions_path))
        known = set(base_institutions["institution_id"]) | set(tables.institutions["institution_id"])
        base_speakers = unneutralise_frame(read_speakers(base_speakers_path, known, base_institutions_path))
    inst, inst_origin = _combine(tables.institutions, tables.institutions_path, base_institutions,
                                 base_institutions_path, "institution_id", INSTITUTION_COLUMNS)
    spk, spk_origin = _combine(tables.speakers, tables.speakers_path, base_speakers, base_speakers_path,
                               "speaker_id", SPEAKER_COLUMNS)
    inst, inst_redirect = _apply_merges(inst, "institution_id", INSTITUTION_NAME_COLUMNS, inst_origin)
    spk, spk_redirect = _apply_merges(spk, "speaker_id", SPEAKER_NAME_COLUMNS, spk_origin)
    if inst_redirect:
        inst["parent_id"] = [inst_redirect.get(p, p) for p in inst["parent_id"]]
        inst.loc[inst["parent_id"] == inst["institution_id"], "parent_id"] = ""
        spk["institution_id"] = [inst_redirect.get(i, i) for i in spk["institution_id"]]
    return spk.reset_index(drop=True), inst.reset_index(drop=True), spk_redirect, inst_redirect


# ---------------------------------------------------------------------------
# building


def _most_common(counter: Counter) -> str:
    """The most frequent value, ties broken by the smallest (so the choice never depends on order)."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counter else ""


def _clean_alias(text: str) -> str:
    return text.replace("|", " ").strip()


def _country(institution_id: str, institutions: dict[str, dict], parents: InstitutionResolver) -> str:
    for current in [institution_id, *parents.ancestors(institution_id)] if institution_id else []:
        country = institutions.get(current, {}).get("country", "")
        if country:
            return country
    return ""


def _latest_title(mentions: list[PersonMention]) -> str:
    stats: dict[str, list] = {}
    for mention in mentions:
        if mention.title:
            entry = stats.setdefault(mention.title, ["", 0])
            entry[0] = max(entry[0], mention.date or "")
            entry[1] += 1
    if not stats:
        return ""
    # latest date, then most mentions; max() keeps the first (alphabetically smallest) of equals
    return max(sorted(stats.items()), key=lambda kv: (kv[1][0], kv[1][1]))[0]


def _new_speaker_row(speaker_id: str, cluster, institution_rows: dict, resolver: InstitutionResolver,
                     columns: list[str]) -> dict:
    hangul = Counter(m.text for m in cluster.mentions if detect_script(m.text) == "hangul")
    hanja = Counter(m.hanja for m in cluster.mentions if m.hanja)
    latin = Counter(m.text for m in cluster.mentions if detect_script(m.text) == "latin")
    # no Hangul mention: the Hangul derived from the hanja or Latin (m.name), else the mention as written (a
    # name no form could be derived from keeps its surface: @SUM(1)천밍3, not the key @sum(1)천밍3)
    name = _most_common(hangul) or min(m.text.strip() if m.name == normalize_key(m.text) else m.name
                                       for m in cluster.mentions)
    row = dict.fromkeys(columns, "")
    row.update(speaker_id=speaker_id, name=name)
    if hanja:
        row["hanja"] = _most_common(hanja)
        derived = forms(row["hanja"], "person")
        row["simplified"] = derived.get("simplified", "")
        row["latin"] = derived.get("pinyin", "")
    elif latin:
        row["latin"] = _most_common(latin)
    taken = {normalize_key(v) for v in (row["name"], row["hanja"], row["simplified"], row["latin"]) if v}
    aliases = []
    for surface in sorted({m.text for m in cluster.mentions} | set(hanja)):
        surface = _clean_alias(surface)
        if surface and normalize_key(surface) not in taken:
            aliases.append(surface)
            taken.add(normalize_key(surface))
    row["aliases"] = "|".join(aliases)
    institutions = sorted(cluster.institutions)
    row["institution_id"] = max(institutions, key=lambda i: len(resolver.ancestors(i))) if institutions else ""
    row["title"] = _latest_title(cluster.mentions)
    row["country"] = _country(row["institution_id"], institution_rows, resolver)
    return row


def _new_institution_row(new, institution_rows: dict, resolver: InstitutionResolver, columns: list[str]) -> dict:
    row = dict.fromkeys(columns, "")
    name = _most_common(new.surfaces) or new.key.rsplit("|", 1)[-1]
    row.update(institution_id=new.id, name=name, parent_id=new.parent)
    original = Counter({s: n for s, n in new.surfaces.items() if detect_script(s) == "hanja"})
    row["original"] = _most_common(original) if normalize_key(_most_common(original)) != normalize_key(name) else ""
    taken = {normalize_key(v) for v in (row["name"], row["original"]) if v}
    aliases = []
    for surface in sorted(new.surfaces):
        surface = _clean_alias(surface)
        if surface and normalize_key(surface) not in taken:
            aliases.append(surface)
            taken.add(normalize_key(surface))
    row["aliases"] = "|".join(aliases)
    row["country"] = _country(new.parent, institution_rows, resolver)
    return row


def _affiliations(mentions: list[PersonMention]) -> pd.DataFrame:
    by_doc: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mention in mentions:
        if mention.speaker and mention.institution:
            by_doc[(mention.speaker, mention.doc)].add(mention.institution)
    groups: dict[tuple[str, str, str], list[PersonMention]] = defaultdict(list)
    for mention in mentions:
        if not mention.speaker:
            continue
        institution = mention.institution
        if not institution and mention.title:
            stated = by_doc.get((mention.speaker, mention.doc), set())
            institution = next(iter(stated)) if len(stated) == 1 else None
        if institution or mention.title:
            groups[(mention.speaker, institution or "", mention.title or "")].append(mention)
    rows = []
    for (speaker, institution, title), group in sorted(groups.items()):
        dates = sorted(m.date for m in group if m.date)
        rows.append([speaker, institution, title, dates[0] if dates else None, dates[-1] if dates else None,
                     len(group), len({m.doc for m in group})])
    frame = pd.DataFrame(rows, columns=AFFILIATION_COLUMNS)
    return frame.astype({"mentions": "int64", "documents": "int64"})


def build_directory(inputs: Any, *, speakers: str | Path | None = None, institutions: str | Path | None = None,
                    base: str | Path | None = None, strict: bool = False) -> Directory:
    """Build the directory from annotate output.

    Parameters
    ----------
    inputs : path, record, or iterable of paths and records
        JSONL files written by ``hanlink annotate`` (folders: every ``*.jsonl``
        below, sorted) or the records themselves (dicts with ``id``,
        ``entities`` and optionally ``meta.date``).
    speakers, institutions : path, optional
        The tables the annotations were linked with (default: the shipped ones).
    base : path, optional
        A directory folder written before: its rows, ids and hand edits are kept.
    strict : bool
        Raise :class:`~pipeline.errors.InputDocumentError` on a bad input line
        instead of skipping it (and listing it in ``problems``).

    Returns
    -------
    Directory
    """
    if isinstance(inputs, (str, Path, dict)):
        inputs = [inputs]
    problems: list[str] = []
    warnings: list[str] = []
    spk, inst, spk_redirect, inst_redirect = starting_tables(speakers, institutions, base)
    documents = read_documents(list(inputs), problems, warnings, strict=strict)
    resolver = InstitutionResolver(inst, inst_redirect)
    mentions = extract_mentions(documents, resolver, set(spk["speaker_id"]), spk_redirect, warnings)
    linked: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        if mention.speaker:
            linked[mention.doc].add(mention.speaker)
    clusterer = PersonClusterer(spk, inst, resolver, spk_redirect)
    result = clusterer.run(mentions, lambda doc: linked.get(doc, set()))

    institution_rows = {row["institution_id"]: row for row in inst.to_dict("records")}
    inst_columns = list(inst.columns)
    new_institutions = [_new_institution_row(resolver.new[key], institution_rows, resolver, inst_columns)
                        for key in sorted(resolver.new)]
    institutions_frame = pd.DataFrame(inst.to_dict("records") + new_institutions, columns=inst_columns)
    institution_rows.update({row["institution_id"]: row for row in new_institutions})
    spk_columns = list(spk.columns)
    new_speakers = [_new_speaker_row(key, result.new[key], institution_rows, resolver, spk_columns)
                    for key in sorted(result.new)]
    speakers_frame = pd.DataFrame(spk.to_dict("records") + new_speakers, columns=spk_columns)
    unresolved = pd.DataFrame([[m.doc, m.text, m.hanja, m.institution or "", m.title or ""]
                               for m in result.ambiguous],
                              columns=["doc_id", "text", "hanja", "institution_id", "title"])
    stats = {"documents": len(documents), "person_mentions": len(mentions), "new_speakers": len(new_speakers),
             "new_institutions": len(new_institutions)}
    return Directory(speakers_frame.fillna(""), institutions_frame.fillna(""), _affiliations(mentions),
                     unresolved, problems, warnings, stats)


# ---------------------------------------------------------------------------
# command line


def read_directory(folder: str | Path) -> Directory:
    """A directory written before, read back from its CSV files (cells un-neutralised)."""
    folder = Path(folder)
    frames = {}
    for name in FILES:
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise UsageError(f"{path}: no such file; give the folder written by `hanlink directory`")
        frame = read_csv(path)  # with or without a byte-order mark, LF or CRLF
        frames[name] = unneutralise_frame(frame)
    affiliations = frames["affiliations"].astype({"mentions": "int64", "documents": "int64"})
    for column in ("first_seen", "last_seen"):
        affiliations[column] = affiliations[column].replace("", None)
    return Directory(frames["speakers"], frames["institutions"], affiliations)


__all__ = ["Directory", "build_directory", "read_directory", "starting_tables"]
