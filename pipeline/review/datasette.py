"""``metadata.json`` for browsing a directory's ``directory.sqlite`` with Datasette.

``hanlink directory`` writes it beside the database, so that::

    datasette DIR/directory.sqlite --metadata DIR/metadata.json

shows the three tables with what each column means, facets on institution and
title, and a canned query, *who spoke for an institution* (``who_spoke_for``):
every person the documents name with that institution or any unit below it, with
their title, first and last date and counts. Its parameter ``institution`` takes
an id (``I0003``), a name (``중국사회과학원``), the original name
(``中国社会科学院``), the abbreviation (``CASS``) or an alias.

Nothing here imports Datasette: the file is plain JSON (Datasette 0.65's metadata format).

Examples
--------
>>> metadata = directory_metadata({"speakers": ["speaker_id", "name"], "institutions": ["institution_id"],
...                                "affiliations": ["speaker_id", "institution_id", "title"]})
>>> sorted(metadata["databases"]["directory"]["tables"])
['affiliations', 'institutions', 'speakers']
>>> metadata["databases"]["directory"]["tables"]["affiliations"]["facets"]
['institution_id', 'title']
>>> ":institution" in metadata["databases"]["directory"]["queries"]["who_spoke_for"]["sql"]
True
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

__all__ = ["WHO_SPOKE_FOR", "directory_metadata", "write_metadata"]

#: The canned query: people named with an institution (or a unit below it), newest first.
WHO_SPOKE_FOR = """\
with recursive unit(institution_id) as (
  select institution_id from institutions
  where :institution in (institution_id, name, original, abbreviation)
     or '|' || coalesce(aliases, '') || '|' like '%|' || :institution || '|%'
  union
  select institutions.institution_id from institutions join unit on institutions.parent_id = unit.institution_id
)
select speakers.speaker_id, speakers.name, speakers.hanja, affiliations.title,
       institutions.name as institution, affiliations.institution_id,
       affiliations.first_seen, affiliations.last_seen, affiliations.mentions, affiliations.documents
from affiliations
join unit on unit.institution_id = affiliations.institution_id
join institutions on institutions.institution_id = affiliations.institution_id
join speakers on speakers.speaker_id = affiliations.speaker_id
order by affiliations.last_seen desc, affiliations.mentions desc, speakers.name"""

_SHARED = {
    "merged_into": "hand edit: the id of the entry this one is merged into (the next rebuild moves it there)",
    "merged_ids": "ids of the entries merged into this one",
    "note": "free text; 'merged_into:ID' here merges the entry like the merged_into column",
    "country": "country (ISO code or name, as in the input table)",
    "aliases": "other spellings, separated by |",
}

TABLES: dict[str, dict[str, Any]] = {
    "speakers": {
        "description": "One row per person: the input speaker table, its hand edits kept (--base), and the people "
                       "found in the documents that it lacked (new stable ids starting with N).",
        "columns": {
            "speaker_id": "id of the person (P… from the input table, N… new)",
            "name": "name as Korean press writes it (Hangul)",
            "hanja": "name in Chinese characters (traditional) when known",
            "simplified": "name in simplified characters",
            "latin": "name in Latin letters (pinyin for Chinese people)",
            "institution_id": "the person's institution (institutions.institution_id)",
            "title": "the person's title (직함)",
            **_SHARED,
        },
        "facets": ["institution_id", "title"],
        "label_column": "name",
    },
    "institutions": {
        "description": "One row per institution or unit; parent_id links a unit to the body it belongs to.",
        "columns": {
            "institution_id": "id of the institution (I… from the input table, N… new)",
            "name": "name as Korean press writes it",
            "original": "name in its own language and script (中国社会科学院)",
            "abbreviation": "abbreviation (CASS, KIEP)",
            "parent_id": "the body this unit belongs to (institutions.institution_id)",
            **_SHARED,
        },
        "facets": ["parent_id", "country"],
        "label_column": "name",
    },
    "affiliations": {
        "description": "Who was named with which institution and title, from when to when, how often.",
        "columns": {
            "speaker_id": "the person (speakers.speaker_id)",
            "institution_id": "the institution (institutions.institution_id)",
            "title": "the title the text gives with this institution",
            "first_seen": "earliest date (meta.date of the documents, YYYY-MM-DD; empty when undated)",
            "last_seen": "latest date",
            "mentions": "mentions of the person with this institution and title",
            "documents": "documents with such a mention",
        },
        "facets": ["institution_id", "title"],
        "sort_desc": "mentions",
    },
}


def directory_metadata(columns: Mapping[str, Iterable[str]], *, database: str = "directory") -> dict[str, Any]:
    """Datasette metadata for a directory database whose tables have ``columns`` (table → column names as
    in SQLite); columns hanlink does not know (a table's extra columns) get no description."""
    tables = {}
    for table, names in columns.items():
        known = TABLES.get(table, {})
        names = list(names)
        entry: dict[str, Any] = {key: value for key, value in known.items() if key != "columns"}
        entry["columns"] = {name: known["columns"][name] for name in names if name in known.get("columns", {})}
        entry["facets"] = [name for name in known.get("facets", []) if name in names]
        tables[table] = entry
    return {
        "title": "hanlink speaker directory",
        "description": "People and institutions named in the documents (hanlink directory). Who spoke for an "
                       "institution: the canned query who_spoke_for.",
        "databases": {database: {
            "description": "speakers, institutions and affiliations built by `hanlink directory`",
            "tables": tables,
            "queries": {"who_spoke_for": {
                "title": "Who spoke for an institution",
                "description": "Everyone named with the institution or a unit below it, newest first. "
                               "institution: an id (I0003), a name (중국사회과학원), the original name, the "
                               "abbreviation (CASS) or an alias.",
                "sql": WHO_SPOKE_FOR,
            }},
        }},
    }


def write_metadata(frames: Mapping[str, Any], path: str | os.PathLike) -> None:
    """Write :func:`directory_metadata` for the directory's tables (``frames``: name → DataFrame, as written
    to ``directory.sqlite``) to ``path`` (UTF-8 JSON)."""
    from pipeline.directory.files import sqlite_column_names

    metadata = directory_metadata({name: sqlite_column_names(frame.columns) for name, frame in frames.items()})
    Path(path).write_text(json.dumps(metadata, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
