"""The speaker and institution tables: loading, validation and the alias index.

The tables are CSV files in the contract's schema (``../shared/CONTRACT.md``)::

    speakers.csv      speaker_id, name, hanja, simplified, latin, aliases,
                      institution_id, title, country, note
    institutions.csv  institution_id, name, original, abbreviation, aliases,
                      parent_id, country, note

Every cell is read as text; an empty cell is ``""``. A table with a missing
column, an empty or duplicate id, or a dangling ``institution_id`` /
``parent_id`` is rejected with a :class:`~pipeline.errors.TableError` naming
the file, the line and the column.

Examples
--------
>>> tables = load_tables()                       # the shipped tables in data/
>>> tables.lookup("賀俊", "PERSON")
['P0002']
>>> tables.lookup("KIEP", "ORG")
['I0001']
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .errors import TableError
from .paths import data_path

SPEAKER_COLUMNS = [
    "speaker_id", "name", "hanja", "simplified", "latin", "aliases",
    "institution_id", "title", "country", "note",
]
INSTITUTION_COLUMNS = [
    "institution_id", "name", "original", "abbreviation", "aliases",
    "parent_id", "country", "note",
]
#: Columns whose values are names of the row (matched against mentions).
SPEAKER_NAME_COLUMNS = ["name", "hanja", "simplified", "latin", "aliases"]
INSTITUTION_NAME_COLUMNS = ["name", "original", "abbreviation", "aliases"]
ALIAS_SEPARATOR = "|"

_KEY_DROP = str.maketrans("", "", " \t\u00b7\u318d\u30fb.-'’`‧")


def normalize_key(text: str) -> str:
    """The exact-match key of a name: NFKC, case-folded, without spaces and dots.

    >>> normalize_key("He  Jun")
    'hejun'
    >>> normalize_key("중국권역별·성별연구팀") == normalize_key("중국권역별성별연구팀")
    True
    """
    return unicodedata.normalize("NFKC", text).casefold().translate(_KEY_DROP)


def split_aliases(cell: str) -> list[str]:
    """Split an ``aliases`` cell on ``|``, dropping empty parts."""
    return [part.strip() for part in cell.split(ALIAS_SEPARATOR) if part.strip()]


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise TableError(str(path), "file not found; give the path of a CSV table in the contract's schema")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise TableError(str(path), f"not valid UTF-8 ({exc.reason}); save the table as UTF-8", row=line) from None
    try:
        frame = pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise TableError(str(path), f"cannot parse as CSV: {exc}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TableError(
            str(path),
            f"missing column(s) {', '.join(missing)}; the header must hold {', '.join(columns)}",
            row=1, column=missing[0],
        )
    frame = frame[columns + [c for c in frame.columns if c not in columns]]
    return frame.apply(lambda col: col.str.strip())


def _check_ids(path: Path, frame: pd.DataFrame, id_column: str) -> None:
    for index, value in frame[id_column].items():
        if not value:
            raise TableError(str(path), "empty id; every row needs a unique id", row=index + 2, column=id_column)
    duplicated = frame[id_column].duplicated(keep="first")
    if duplicated.any():
        index = int(duplicated.idxmax())
        first = int(frame.index[frame[id_column] == frame.at[index, id_column]][0])
        raise TableError(
            str(path),
            f"duplicate id {frame.at[index, id_column]!r} (first used on line {first + 2}); ids must be unique",
            row=index + 2, column=id_column,
        )
    for index, value in frame["name"].items():
        if not value:
            raise TableError(str(path), "empty name; every row needs the name as Korean press writes it",
                             row=index + 2, column="name")


def _check_references(path: Path, frame: pd.DataFrame, column: str, known: set[str], target: str) -> None:
    for index, value in frame[column].items():
        if value and value not in known:
            raise TableError(
                str(path),
                f"{column} {value!r} is not an institution_id of {target}; add that institution or empty the cell",
                row=index + 2, column=column,
            )


def read_institutions(path: str | Path) -> pd.DataFrame:
    """Read and validate an institution table.

    Raises
    ------
    TableError
        On a missing column, an empty or duplicate id, an empty name or a
        ``parent_id`` that names no row (or the row itself).
    """
    path = Path(path)
    frame = _read_csv(path, INSTITUTION_COLUMNS)
    _check_ids(path, frame, "institution_id")
    _check_references(path, frame, "parent_id", set(frame["institution_id"]), "this table")
    for index, row in frame.iterrows():
        if row["parent_id"] and row["parent_id"] == row["institution_id"]:
            raise TableError(str(path), "an institution cannot be its own parent", row=index + 2, column="parent_id")
    return frame


def read_speakers(path: str | Path, institution_ids: Iterable[str], institutions_path: str | Path = "") -> pd.DataFrame:
    """Read and validate a speaker table against the institution ids it may cite."""
    path = Path(path)
    frame = _read_csv(path, SPEAKER_COLUMNS)
    _check_ids(path, frame, "speaker_id")
    _check_references(path, frame, "institution_id", set(institution_ids), str(institutions_path) or "the institution table")
    return frame


@dataclass
class Tables:
    """The two tables and the exact-key alias index built from them.

    Attributes
    ----------
    speakers, institutions : pandas.DataFrame
        The validated tables, indexed by position; ids in ``speaker_id`` /
        ``institution_id``.
    index : dict
        ``{"PERSON": {key: [speaker_id, ...]}, "ORG": {key: [institution_id, ...]}}``
        where each key is a :func:`normalize_key` of one form of one name.
    """

    speakers: pd.DataFrame
    institutions: pd.DataFrame
    speakers_path: str = ""
    institutions_path: str = ""
    index: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    surface: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {"PERSON": {}, "ORG": {}}
            self.surface = {"PERSON": {}, "ORG": {}}
            self._index_rows("PERSON", self.speakers, "speaker_id", SPEAKER_NAME_COLUMNS)
            self._index_rows("ORG", self.institutions, "institution_id", INSTITUTION_NAME_COLUMNS)
        self._speaker_rows = {row["speaker_id"]: row for row in self.speakers.to_dict("records")}
        self._institution_rows = {row["institution_id"]: row for row in self.institutions.to_dict("records")}

    # -- index -----------------------------------------------------------
    def _index_rows(self, label: str, frame: pd.DataFrame, id_column: str, name_columns: list[str]) -> None:
        kind = "person" if label == "PERSON" else "org"
        target, surface = self.index[label], self.surface[label]
        for row in frame[[id_column, *name_columns]].itertuples(index=False):
            row_id = row[0]
            for name in self._row_names(row[1:], name_columns):
                _add(surface, normalize_key(name), row_id)
                for key in name_keys(name, kind):
                    _add(target, key, row_id)

    @staticmethod
    def _row_names(values: tuple, name_columns: list[str]) -> Iterator[str]:
        for column, value in zip(name_columns, values):
            if not value:
                continue
            if column == "aliases":
                yield from split_aliases(value)
            else:
                yield value

    def names_of(self, label: str) -> Iterator[tuple[str, str]]:
        """Every (surface name, id) pair of the table, for gazetteers."""
        if label == "PERSON":
            frame, id_column, columns = self.speakers, "speaker_id", SPEAKER_NAME_COLUMNS
        else:
            frame, id_column, columns = self.institutions, "institution_id", INSTITUTION_NAME_COLUMNS
        for row in frame[[id_column, *columns]].itertuples(index=False):
            for name in self._row_names(row[1:], columns):
                yield name, row[0]

    def lookup(self, text: str, label: str) -> list[str]:
        """Ids whose names share an exact key with ``text`` (any script).

        >>> load_tables().lookup("贺俊", "PERSON")
        ['P0002']
        """
        found: list[str] = []
        table = self.index.get(label, {})
        for key in name_keys(text, "person" if label == "PERSON" else "org"):
            for row_id in table.get(key, ()):
                if row_id not in found:
                    found.append(row_id)
        return found

    # -- rows --------------------------------------------------------------
    def speaker(self, speaker_id: str) -> dict:
        """The speaker row as a dict."""
        return self._speaker_rows[speaker_id]

    def institution(self, institution_id: str) -> dict:
        """The institution row as a dict."""
        return self._institution_rows[institution_id]

    def ancestors(self, institution_id: str) -> list[str]:
        """The chain of parents of an institution, nearest first (cycles cut)."""
        chain: list[str] = []
        current = self._institution_rows.get(institution_id, {}).get("parent_id", "")
        while current and current not in chain and current != institution_id:
            chain.append(current)
            current = self._institution_rows.get(current, {}).get("parent_id", "")
        return chain

    def to_disk(self, folder: str | Path) -> None:
        """Write both tables as CSV into ``folder`` (created if needed)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.speakers.to_csv(folder / "speakers.csv", index=False, quoting=csv.QUOTE_MINIMAL)
        self.institutions.to_csv(folder / "institutions.csv", index=False, quoting=csv.QUOTE_MINIMAL)


def _add(index: dict[str, list[str]], key: str, row_id: str) -> None:
    if not key:
        return
    ids = index.setdefault(key, [])
    if row_id not in ids:
        ids.append(row_id)


def name_keys(text: str, kind: str = "person") -> set[str]:
    """All exact-match keys of a name: its own key plus those of its other-script forms.

    Uses :func:`pipeline.names.forms.keys` for the cross-script forms
    (賀俊 → 贺俊, 허쥔, 하준, hejun).
    """
    from .names.forms import keys as form_keys

    found = {normalize_key(text)}
    found.update(normalize_key(k) for k in form_keys(text, kind))
    found.discard("")
    return found


@lru_cache(maxsize=8)
def _load_cached(speakers: str, institutions: str, speakers_mtime: float, institutions_mtime: float) -> Tables:
    institutions_frame = read_institutions(institutions)
    speakers_frame = read_speakers(speakers, institutions_frame["institution_id"], institutions)
    return Tables(speakers_frame, institutions_frame, speakers, institutions)


def default_speakers_path() -> Path:
    """The shipped speaker table, ``data/speakers.csv``."""
    return data_path("speakers.csv")


def default_institutions_path() -> Path:
    """The shipped institution table, ``data/institutions.csv``."""
    return data_path("institutions.csv")


def load_tables(speakers: str | Path | None = None, institutions: str | Path | None = None) -> Tables:
    """Load and validate both tables (the shipped ones by default).

    Tables are cached by path and modification time, so components that share
    a table share one copy; treat the returned object as read-only.
    """
    speakers_path = Path(speakers) if speakers else default_speakers_path()
    institutions_path = Path(institutions) if institutions else default_institutions_path()
    for path in (institutions_path, speakers_path):
        if not path.is_file():
            raise TableError(str(path), "file not found; give the path of a CSV table in the contract's schema")
    return _load_cached(
        str(speakers_path.resolve()), str(institutions_path.resolve()),
        speakers_path.stat().st_mtime, institutions_path.stat().st_mtime,
    )
