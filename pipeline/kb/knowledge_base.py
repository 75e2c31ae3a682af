"""The knowledge base: the entities of the speaker and institution tables, as the linker sees them.

One :class:`KnowledgeBase` holds, for both tables,

* the alias index of every form of every name (:meth:`pipeline.kb.tables.Tables.alias_index`:
  written names, simplified fold, pinyin, Hangul transcription, Sino-Korean
  reading, romanisation, place variants), as sorted hash arrays;
* per speaker, as NumPy arrays: the row position of their institution, a code
  of their title, the hash of their name in Chinese characters (folded to
  simplified) and whether their ``name`` is a transcription of Mandarin
  (Chinese people in Korean press: 허쥔 for 賀俊), which makes them eligible
  for fuzzy matching of transcription variants (:mod:`pipeline.kb.candidates`);
* per institution: the parent's row position, ancestors and units.

It is built once from a :class:`~pipeline.kb.tables.Tables` and saved beside the
tables with :meth:`to_disk`; :meth:`from_disk` restores the arrays when the
tables are the ones it was built from (:meth:`Tables.fingerprint`), and builds
afresh otherwise. The linker keeps built indexes of large tables in a cache
folder (:func:`cache_folder`: ``$HANLINK_CACHE_DIR/kb/<fingerprint>``, default
``~/.cache/hanlink/kb/…``; never the installed package; ``HANLINK_CACHE=0``
turns it off).

>>> from pipeline.kb.tables import load_tables
>>> kb = KnowledgeBase(load_tables())
>>> kb.person_ids[kb.rows_of("賀俊", "PERSON")[0]]
'P0002'
>>> kb.institution_of(kb.person_position("P0002"))
'I0004'
"""
from __future__ import annotations

import json
import os
import uuid
import warnings
import zipfile
from pathlib import Path
from typing import Any, BinaryIO, Callable

import numpy as np

from pipeline.kb.aliases import AliasIndex, KeyType, han_fold, key_hash, normalize_key, person_han_keys
from pipeline.names._text import clean
from pipeline.names.script import is_han, is_hangul, is_plain_han
from pipeline.kb.tables import CHINESE_COUNTRIES, Tables
from pipeline.temporaries import remove_stale

KB_FORMAT = 1
#: Tables smaller than this are not written to the cache folder (building them is quicker than hashing them).
CACHE_MIN_ROWS = 50_000


def han_hash(text: str) -> int:
    """Hash of the Chinese characters of a name folded to simplified (0 when there are none).

    >>> han_hash("賀俊") == han_hash("贺俊") != han_hash("何俊")
    True
    """
    if not text:
        return 0
    compact = text if is_plain_han(text) else "".join(ch for ch in clean(text) if is_han(ch))
    return key_hash("han:" + han_fold(compact)) if compact else 0


class KnowledgeBase:
    """Speakers and institutions with their alias indexes and the attributes scored by the linker.

    Parameters
    ----------
    tables : Tables
        The validated tables.
    arrays : dict, optional
        Arrays restored by :meth:`from_disk` (skips building).
    """

    def __init__(self, tables: Tables, arrays: dict | None = None, meta: dict | None = None):
        self.tables = tables
        self.person_ids: list[str] = tables.ids("PERSON")
        self.org_ids: list[str] = tables.ids("ORG")
        self.org_position = {org_id: i for i, org_id in enumerate(self.org_ids)}
        #: True when the arrays came from disk (:meth:`from_disk`), False when built from the tables.
        self.restored = arrays is not None
        if arrays is None:
            self._build()
        else:
            self._restore(arrays, meta or {})
        self._related_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._related_sets: dict[int, frozenset[int]] = {}
        self._unit_sets: dict[int, frozenset[int]] = {}

    # -- building ---------------------------------------------------------------
    def _build(self) -> None:
        import pandas as pd

        tables = self.tables
        speakers, institutions = tables.speakers, tables.institutions
        self.person_alias = tables.alias_index("PERSON")
        self.org_alias = tables.alias_index("ORG")
        self.person_institution = _codes_of(speakers["institution_id"], self.org_position)
        codes, uniques = pd.factorize(speakers["title"])
        self.titles = [str(t) for t in uniques]
        self.person_title = np.asarray(codes, dtype=np.int32)
        if "" in self.titles:
            self.person_title[self.person_title == self.titles.index("")] = -1
        hanja, simplified = speakers["hanja"], speakers["simplified"]
        han = hanja.where(hanja != "", simplified)
        han_codes, han_uniques = pd.factorize(han)
        han_unique_hashes = np.fromiter((han_hash(str(v)) for v in han_uniques), dtype=np.uint64,
                                        count=len(han_uniques))
        self.person_han = han_unique_hashes[np.asarray(han_codes)] if len(han_codes) else np.zeros(0, np.uint64)
        self.person_transcribed = _transcribed_rows(speakers, han)
        self.org_parent = _codes_of(institutions["parent_id"], self.org_position)

    def _restore(self, arrays: dict, meta: dict) -> None:
        ids = self.person_ids
        self.person_alias = AliasIndex(arrays["person_hashes"], arrays["person_rows"], arrays["person_types"], ids)
        self.org_alias = AliasIndex(arrays["org_hashes"], arrays["org_rows"], arrays["org_types"], self.org_ids)
        self.person_institution = arrays["person_institution"]
        self.person_title = arrays["person_title"]
        self.person_han = arrays["person_han"]
        self.person_transcribed = arrays["person_transcribed"]
        self.org_parent = arrays["org_parent"]
        self.titles = list(meta.get("titles", []))

    # -- look-ups ---------------------------------------------------------------
    def alias(self, label: str) -> AliasIndex:
        return self.person_alias if label == "PERSON" else self.org_alias

    def ids(self, label: str) -> list[str]:
        return self.person_ids if label == "PERSON" else self.org_ids

    def rows_of(self, name: str, label: str) -> list[int]:
        """Row positions sharing an exact key with ``name`` (a convenience; the linker uses :mod:`pipeline.kb.candidates`)."""
        from pipeline.kb.aliases import typed_keys

        index = self.alias(label)
        found: list[int] = []
        for key in typed_keys(name, "person" if label == "PERSON" else "org"):
            found.extend(index.find(key)[0].tolist())
        return sorted(set(found))

    def person_position(self, speaker_id: str) -> int:
        return self.tables.speaker_position(speaker_id)

    def institution_of(self, person_row: int) -> str | None:
        position = int(self.person_institution[person_row])
        return self.org_ids[position] if position >= 0 else None

    def title_code(self, title: str | None) -> int:
        """Code of a title in the speaker table (-1 when no speaker has it)."""
        if not title:
            return -1
        try:
            return self.titles.index(title)
        except ValueError:
            return -1

    def related_orgs(self, org_row: int) -> tuple[np.ndarray, np.ndarray]:
        """(ancestors, units) of an institution as row-position arrays."""
        cached = self._related_cache.get(org_row)
        if cached is None:
            org_id = self.org_ids[org_row]
            up = [self.org_position[i] for i in self.tables.ancestors(org_id) if i in self.org_position]
            down = [self.org_position[i] for i in self.tables.descendants(org_id) if i in self.org_position]
            cached = (np.array(up, dtype=np.int32), np.array(down, dtype=np.int32))
            self._related_cache[org_row] = cached
        return cached

    def related_set(self, org_row: int) -> frozenset[int]:
        """Row positions of an institution's ancestors and units (not itself)."""
        cached = self._related_sets.get(org_row)
        if cached is None:
            up, down = self.related_orgs(org_row)
            cached = self._related_sets[org_row] = frozenset(up.tolist()) | frozenset(down.tolist())
        return cached

    def unit_set(self, org_row: int) -> frozenset[int]:
        """Row positions of an institution's units at any depth."""
        cached = self._unit_sets.get(org_row)
        if cached is None:
            cached = self._unit_sets[org_row] = frozenset(self.related_orgs(org_row)[1].tolist())
        return cached

    def transcription_forms(self) -> tuple[list[str], list[np.ndarray]]:
        """Distinct Hangul forms of transcribed speakers (written names and Hangul aliases; the
        transcription of the Chinese characters when ``name`` is not Hangul), with their rows."""
        from pipeline.kb.tables import split_aliases

        rows = np.flatnonzero(self.person_transcribed)
        speakers = self.tables.speakers.iloc[rows]
        names = speakers["name"].tolist()
        aliases = speakers["aliases"].tolist()
        han = speakers["hanja"].where(speakers["hanja"] != "", speakers["simplified"]).tolist()
        forms: dict[str, list[int]] = {}
        for row, name, alias_cell, han_value in zip(rows.tolist(), names, aliases, han):
            found = [name] if _is_hangul_name(name) else []
            if alias_cell:
                found.extend(a for a in split_aliases(alias_cell) if _is_hangul_name(a))
            if not found and han_value:
                found.extend(k for k, t in person_han_keys(han_value) if t == KeyType.TRANSCRIPTION)
            for form in found:
                key = normalize_key(form)
                if key:
                    forms.setdefault(key, []).append(row)
        keys = list(forms)
        return keys, [np.array(forms[k], dtype=np.int32) for k in keys]

    # -- saving -------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "person_hashes": self.person_alias.hashes, "person_rows": self.person_alias.rows,
            "person_types": self.person_alias.types, "org_hashes": self.org_alias.hashes,
            "org_rows": self.org_alias.rows, "org_types": self.org_alias.types,
            "person_institution": self.person_institution, "person_title": self.person_title,
            "person_han": self.person_han, "person_transcribed": self.person_transcribed,
            "org_parent": self.org_parent,
        }

    def to_disk(self, folder: str | Path, fingerprint: str | None = None) -> None:
        """Write the arrays (``kb.npz``) and ``kb.json`` (format, table fingerprint, titles) into ``folder``.

        ``fingerprint`` is that of the tables it will be restored with (default: these tables').
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = self.arrays()
        write_atomic(folder / "kb.npz", lambda handle: np.savez(handle, **arrays))
        meta = {"format": KB_FORMAT, "fingerprint": fingerprint or self.tables.fingerprint(), "titles": self.titles,
                "speakers": len(self.person_ids), "institutions": len(self.org_ids),
                "person_keys": len(self.person_alias), "org_keys": len(self.org_alias)}
        text = json.dumps(meta, ensure_ascii=False).encode("utf-8")
        write_atomic(folder / "kb.json", lambda handle: handle.write(text))  # last: it vouches for kb.npz

    @classmethod
    def from_disk(cls, folder: str | Path, tables: Tables) -> "KnowledgeBase":
        """The knowledge base saved in ``folder`` if it was built from ``tables``; else a new one."""
        folder = Path(folder)
        meta_path, arrays_path = folder / "kb.json", folder / "kb.npz"
        if meta_path.is_file() and arrays_path.is_file():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                if not isinstance(meta, dict):
                    raise ValueError("not a JSON object")
                if meta.get("format") == KB_FORMAT and meta.get("fingerprint") == tables.fingerprint():
                    with np.load(arrays_path) as data:
                        arrays = {name: data[name] for name in data.files}
                    return cls(tables, arrays, meta)
            except DAMAGED_FILE_ERRORS as error:  # a file cut short (a kill, a full disk): build it again
                warn_damaged(folder, error)
        return cls(tables)


def _is_hangul_name(text: str) -> bool:
    if not text:
        return False
    if is_hangul(text):
        return True
    from pipeline.names.forms import detect_script

    return detect_script(text) == "hangul"


def _codes_of(values, positions: dict[str, int]) -> np.ndarray:
    """Row positions of the ids in ``values`` (-1 for empty or unknown), one look-up per distinct id."""
    import pandas as pd

    codes, uniques = pd.factorize(values)
    mapped = np.array([positions.get(str(u), -1) for u in uniques] + [-1], dtype=np.int32)
    return mapped[np.asarray(codes)]


def _transcribed_rows(speakers, han) -> np.ndarray:
    """Per speaker: is the Hangul ``name`` a transcription of Mandarin (:func:`_is_transcribed`)?"""

    country = speakers["country"].str.strip().str.upper()
    out = np.array(country.isin(sorted(CHINESE_COUNTRIES)).to_numpy(dtype=bool), dtype=bool)  # writable
    unknown = np.flatnonzero((country == "").to_numpy(dtype=bool))
    if len(unknown):
        names, hans = speakers["name"].iloc[unknown].tolist(), han.iloc[unknown].tolist()
        out[unknown] = [_is_transcribed("", n, h) for n, h in zip(names, hans)]
    return out


def _is_transcribed(country: str, name: str, han: str) -> bool:
    """Whether a speaker's Hangul name is a transcription of Mandarin (a Chinese person)."""
    country = country.strip().upper()
    if country:
        return country in CHINESE_COUNTRIES
    if not han or not _is_hangul_name(name):
        return False
    return dict(person_han_keys(han)).get(normalize_key(name)) == KeyType.TRANSCRIPTION


#: What reading a damaged saved file (truncated ``.npz`` or JSON, a missing array) raises.
DAMAGED_FILE_ERRORS = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


def warn_damaged(folder: Path, error: BaseException) -> None:
    warnings.warn(f"{folder}: the saved knowledge base is damaged ({type(error).__name__}: {error}); "
                  "rebuilding it from the tables", UserWarning, stacklevel=3)


def write_atomic(path: Path, write: Callable[[BinaryIO], Any]) -> None:
    """Write ``path`` through a temporary file in its folder, renamed over it when whole: a reader (or a
    concurrent writer) sees the old file or the new one, never a part."""
    remove_stale(path)  # what a killed writer left
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def cache_dir() -> Path | None:
    """Where built knowledge bases of large tables are kept (None when caching is off)."""
    if os.environ.get("HANLINK_CACHE", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("HANLINK_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "hanlink")
    return Path(base) / "kb"


def cache_folder(tables: Tables) -> Path | None:
    """The cache folder of ``tables``' knowledge base (None for small tables or when caching is off)."""
    folder = cache_dir()
    if folder is None or len(tables.speakers) + len(tables.institutions) < CACHE_MIN_ROWS:
        return None
    return folder / tables.fingerprint()
