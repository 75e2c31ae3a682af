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
import hashlib
import io
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from pipeline.kb.aliases import ALL_TYPES, AliasIndex, AliasView, KeyType, build_index, type_bits
from pipeline.kb.aliases import name_keys as _alias_name_keys
from pipeline.kb.aliases import normalize_key
from pipeline.errors import TableError
from pipeline.paths import data_path

SPEAKER_COLUMNS = [
    "speaker_id", "name", "hanja", "simplified", "latin", "aliases",
    "institution_id", "title", "country", "note",
]
INSTITUTION_COLUMNS = [
    "institution_id", "name", "original", "abbreviation", "aliases",
    "parent_id", "country", "note",
]
#: Columns whose values are names of the row (matched against mentions).
#: Countries whose people are written in Korean by transcribing the Mandarin (허쥔 for 賀俊).
CHINESE_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "SG", "CHN", "TWN", "HKG", "MAC", "SGP"})
SPEAKER_NAME_COLUMNS = ["name", "hanja", "simplified", "latin", "aliases"]
INSTITUTION_NAME_COLUMNS = ["name", "original", "abbreviation", "aliases"]
ALIAS_SEPARATOR = "|"

#: Version of the key derivation; part of :meth:`Tables.fingerprint`, so saved indexes are rebuilt when it changes.
KEYS_VERSION = "aliases-1"

__all__ = ["Tables", "load_tables", "read_speakers", "read_institutions", "normalize_key", "name_keys",
           "split_aliases", "SPEAKER_COLUMNS", "INSTITUTION_COLUMNS"]


def split_aliases(cell: str) -> list[str]:
    """Split an ``aliases`` cell on ``|``, dropping empty parts."""
    return [part.strip() for part in cell.split(ALIAS_SEPARATOR) if part.strip()]


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise TableError(str(path), "file not found; give the path of a CSV table in the contract's schema")
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")  # only checked: parsing the bytes keeps one copy of a large table, not three
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(str(path), f"not valid UTF-8 ({exc.reason}); save the table as UTF-8", row=line) from None
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False,
                            encoding="utf-8-sig")
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
    _check_parent_cycles(path, frame)
    return frame


def _check_parent_cycles(path: Path, frame: pd.DataFrame) -> None:
    """Reject institutions whose ``parent_id`` links lead back to themselves (I0003 → I0004 → I0003)."""
    parent_of = dict(zip(frame["institution_id"], frame["parent_id"]))
    line_of = {key: position + 2 for position, key in enumerate(frame["institution_id"])}
    done: set[str] = set()
    for start in frame["institution_id"]:
        path_ids: dict[str, None] = {}  # ordered, with set look-ups
        current = start
        while current and current not in done and current not in path_ids:
            path_ids[current] = None
            current = parent_of.get(current, "")
        if current and current in path_ids:
            walked = list(path_ids)
            cycle = walked[walked.index(current):]
            first = min(cycle, key=line_of.__getitem__)
            cycle = cycle[cycle.index(first):] + cycle[:cycle.index(first)]
            described = " → ".join(f"{key} (line {line_of[key]})" for key in cycle + [first])
            raise TableError(str(path), f"parent_id links form a cycle: {described}; an institution cannot be "
                             "its own ancestor: empty the parent_id of the top one", row=line_of[first],
                             column="parent_id")
        done.update(path_ids)


def read_speakers(path: str | Path, institution_ids: Iterable[str], institutions_path: str | Path = "") -> pd.DataFrame:
    """Read and validate a speaker table against the institution ids it may cite."""
    path = Path(path)
    frame = _read_csv(path, SPEAKER_COLUMNS)
    _check_ids(path, frame, "speaker_id")
    _check_references(path, frame, "institution_id", set(institution_ids), str(institutions_path) or "the institution table")
    return frame


def ancestor_chain(parent_of: Mapping[str, str], institution_id: str) -> list[str]:
    """The parents of ``institution_id`` up the institution tree, nearest first: the one walk of the tree
    (the tables, the knowledge base and the directory all use it).

    ``parent_of`` maps an id to its ``parent_id`` (``""`` or absent for a top institution); a cycle is cut
    where it comes back.

    >>> ancestor_chain({"I3": "I2", "I2": "I1", "I1": ""}, "I3"), ancestor_chain({"A": "B", "B": "A"}, "A")
    (['I2', 'I1'], ['B'])
    """
    chain: list[str] = []
    current = parent_of.get(institution_id, "")
    while current and current not in chain and current != institution_id:
        chain.append(current)
        current = parent_of.get(current, "")
    return chain


class Tables:
    """The two tables and the alias index built from them.

    Parameters
    ----------
    speakers, institutions : pandas.DataFrame
        The validated tables, indexed by position; ids in ``speaker_id`` /
        ``institution_id``.
    speakers_path, institutions_path : str
        Where they were read from (``""`` for tables built in memory).

    Attributes
    ----------
    index : dict
        ``{"PERSON": {key: [speaker_id, ...]}, "ORG": {key: [institution_id, ...]}}``
        where each key is a :func:`normalize_key` of one form of one name, in
        every script (:func:`pipeline.kb.aliases.typed_keys`). A read-only mapping
        (:class:`pipeline.kb.aliases.AliasView`) over hashed arrays, built on first use.
    surface : dict
        The same restricted to the names the tables *write* (and their
        simplified fold), for the gazetteer of :mod:`pipeline.recognition.appositive`.

    Which columns get cross-script forms (the rest are indexed as written):
    a speaker's ``hanja`` (or ``simplified`` when there is no ``hanja``) gives
    pinyin, transcription and reading for a Chinese speaker (``country`` CN, TW,
    HK, MO, SG or empty) and only the Sino-Korean reading for anyone else (a
    Korean's 河俊 is 하준, never 허쥔); ``latin`` gives pinyin and its
    transcription only for a Chinese speaker without Chinese characters;
    ``name`` gives the romanisation of a Korean name only when ``latin`` is
    empty; ``aliases`` and every institution name are derived in full.
    """

    def __init__(self, speakers: pd.DataFrame, institutions: pd.DataFrame, speakers_path: str = "",
                 institutions_path: str = ""):
        self.speakers = speakers
        self.institutions = institutions
        self.speakers_path = speakers_path
        self.institutions_path = institutions_path
        self._alias: dict[str, AliasIndex] = {}
        self._surface: dict[str, AliasIndex] = {}
        self._speaker_positions: pd.Index | None = None
        self._institution_rows = {row["institution_id"]: row for row in self.institutions.to_dict("records")}
        self._children: dict[str, list[str]] | None = None
        self._parent_of = {key: row["parent_id"] for key, row in self._institution_rows.items()}
        self._fingerprint: str | None = None
        self._ids: dict[str, list[str]] = {}
        self._views: dict[str, dict[str, AliasView]] = {}

    # -- index -----------------------------------------------------------
    def ids(self, label: str) -> list[str]:
        """The ids of the PERSON (speaker) or ORG (institution) table, in row order (one shared list)."""
        if label not in self._ids:
            frame, id_column = self._frame(label)
            self._ids[label] = frame[id_column].tolist()
        return self._ids[label]

    def _frame(self, label: str) -> tuple[pd.DataFrame, str]:
        if label == "PERSON":
            return self.speakers, "speaker_id"
        return self.institutions, "institution_id"

    def _columns(self, label: str, derive: bool) -> tuple[dict, dict]:
        frame, _ = self._frame(label)
        names = SPEAKER_NAME_COLUMNS if label == "PERSON" else INSTITUTION_NAME_COLUMNS
        columns = {c: frame[c] for c in names}  # Series: factorised without a Python object per cell
        n = len(frame)
        if not derive:
            return columns, {c: None for c in names}
        if label != "PERSON":
            return columns, {c: np.full(n, ALL_TYPES, dtype=np.uint8) for c in names}
        empty = {c: (columns[c] == "").to_numpy(dtype=bool) for c in ("hanja", "simplified", "latin")}
        no_han = empty["hanja"] & empty["simplified"]
        chinese = chinese_rows(frame)
        # Mandarin forms (pinyin, transcription) only for Chinese people (or unknown country);
        # a Korean's hanja give the Sino-Korean reading only.
        han_bits = np.where(chinese, ALL_TYPES, type_bits(KeyType.READING)).astype(np.uint8)
        none = np.zeros(n, dtype=np.uint8)
        masks = {
            "name": np.where(empty["latin"], type_bits(KeyType.ROMANIZATION), 0).astype(np.uint8),
            "hanja": np.where(empty["hanja"], none, han_bits),
            "simplified": np.where(empty["hanja"], han_bits, none),
            "latin": np.where(no_han & chinese, type_bits(KeyType.PINYIN, KeyType.TRANSCRIPTION), 0).astype(np.uint8),
            "aliases": np.where(chinese, ALL_TYPES, type_bits(KeyType.READING, KeyType.ROMANIZATION)).astype(np.uint8),
        }
        return columns, masks

    def alias_index(self, label: str) -> AliasIndex:
        """The :class:`~pipeline.kb.aliases.AliasIndex` of every form of every name of ``label`` (built once)."""
        if label not in self._alias:
            columns, masks = self._columns(label, derive=True)
            kind = "person" if label == "PERSON" else "org"
            self._alias[label] = build_index(columns, masks, kind, self.ids(label))
        return self._alias[label]

    def surface_index(self, label: str) -> AliasIndex:
        """The index of the written names only (the full index when it is built already)."""
        if label in self._alias:
            return self._alias[label]
        if label not in self._surface:
            columns, masks = self._columns(label, derive=False)
            kind = "person" if label == "PERSON" else "org"
            self._surface[label] = build_index(columns, masks, kind, self.ids(label))
        return self._surface[label]

    @property
    def index(self) -> dict[str, AliasView]:
        views = self._views.get("index")
        if views is None or any(views[label]._index is not self.alias_index(label) for label in views):
            views = self._views["index"] = {label: self.alias_index(label).view() for label in ("PERSON", "ORG")}
        return views

    @property
    def surface(self) -> dict[str, AliasView]:
        views = self._views.get("surface")
        if views is None or any(views[label]._index is not self.surface_index(label) for label in views):
            views = self._views["surface"] = {label: self.surface_index(label).view(KeyType.WRITTEN)
                                              for label in ("PERSON", "ORG")}
        return views

    @staticmethod
    def _row_names(values: tuple, name_columns: list[str]) -> Iterator[str]:
        for column, value in zip(name_columns, values):
            if not value:
                continue
            if column == "aliases":
                yield from split_aliases(value)
            else:
                yield value

    def max_words(self) -> int:
        """Most space-separated words in one written name of either table (at least 1).

        An alias cell counts its aliases together, so this is an upper bound.

        >>> load_tables().max_words() >= 5  # Chinese Academy of Social Sciences
        True
        """
        most = 1
        for frame, columns in ((self.speakers, SPEAKER_NAME_COLUMNS), (self.institutions, INSTITUTION_NAME_COLUMNS)):
            for column in columns:
                if len(frame):
                    most = max(most, int(frame[column].str.count(" ").max()) + 1)
        return most

    def lookup(self, text: str, label: str) -> list[str]:
        """Ids whose names share an exact key with ``text`` (any script).

        >>> load_tables().lookup("贺俊", "PERSON")
        ['P0002']
        """
        index = self.alias_index(label)
        rows: list[int] = []
        for key in name_keys(text, "person" if label == "PERSON" else "org"):
            found, _ = index.find(key)
            rows.extend(found.tolist())
        ids = index.ids
        return list(dict.fromkeys(ids[r] for r in sorted(set(rows))))

    # -- rows --------------------------------------------------------------
    def speaker_position(self, speaker_id: str) -> int:
        """The row position of a speaker id (KeyError when unknown)."""
        if self._speaker_positions is None:
            self._speaker_positions = pd.Index(self.speakers["speaker_id"].to_numpy(dtype=object))
        position = self._speaker_positions.get_loc(speaker_id)
        if not isinstance(position, (int, np.integer)):
            raise KeyError(speaker_id)
        return int(position)

    def speaker(self, speaker_id: str) -> dict:
        """The speaker row as a dict."""
        return self.speakers.iloc[self.speaker_position(speaker_id)].to_dict()

    def institution(self, institution_id: str) -> dict:
        """The institution row as a dict."""
        return self._institution_rows[institution_id]

    def ancestors(self, institution_id: str) -> list[str]:
        """The chain of parents of an institution, nearest first (cycles cut; :func:`ancestor_chain`)."""
        return ancestor_chain(self._parent_of, institution_id)

    def descendants(self, institution_id: str) -> list[str]:
        """Every unit below an institution (children first, then their units), cycles cut."""
        if self._children is None:
            children: dict[str, list[str]] = {}
            for row_id, row in self._institution_rows.items():
                if row["parent_id"]:
                    children.setdefault(row["parent_id"], []).append(row_id)
            self._children = children
        found: list[str] = []
        queue = list(self._children.get(institution_id, ()))
        while queue:
            current = queue.pop(0)
            if current in found or current == institution_id:
                continue
            found.append(current)
            queue.extend(self._children.get(current, ()))
        return found

    def fingerprint(self) -> str:
        """A hash of both tables: of the CSV files when the tables were read from files
        (:func:`file_fingerprint`), else of their contents column by column."""
        if self._fingerprint is None:
            paths = (self.speakers_path, self.institutions_path)
            if all(paths) and all(Path(p).is_file() for p in paths):
                self._fingerprint = file_fingerprint(*paths)
            else:
                digest = hashlib.blake2b(digest_size=16)
                digest.update(KEYS_VERSION.encode())
                for frame in (self.speakers, self.institutions):
                    digest.update("\x1f".join(map(str, frame.columns)).encode())
                    digest.update(str(len(frame)).encode())
                    for column in frame.columns:
                        digest.update(pd.util.hash_array(frame[column].to_numpy(dtype=object)).tobytes())
                self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def to_disk(self, folder: str | Path) -> None:
        """Write both tables as CSV into ``folder`` (created if needed)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.speakers.to_csv(folder / "speakers.csv", index=False, quoting=csv.QUOTE_MINIMAL)
        self.institutions.to_csv(folder / "institutions.csv", index=False, quoting=csv.QUOTE_MINIMAL)


def chinese_rows(speakers: pd.DataFrame) -> np.ndarray:
    """Per speaker: ``country`` is a Chinese one (CN, TW, HK, MO, SG) or empty."""
    codes, uniques = pd.factorize(speakers["country"])
    chinese = np.array([str(c).strip().upper() in CHINESE_COUNTRIES or not str(c).strip() for c in uniques] + [True])
    return chinese[codes]


def file_fingerprint(*paths: str | Path) -> str:
    """A hash of files' bytes (and of the key derivation's version): what a saved index was built from."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(KEYS_VERSION.encode())
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\x00")
    return digest.hexdigest()


def name_keys(text: str, kind: str = "person") -> set[str]:
    """All exact-match keys of a name: its own key plus those of its other-script forms
    (賀俊 → 贺俊, 허쥔, 하준, hejun); see :func:`pipeline.kb.aliases.typed_keys`."""
    return _alias_name_keys(text, kind)


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
