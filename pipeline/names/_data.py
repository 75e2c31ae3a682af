"""Lazy, cached readers of the data tables under ``data/names/``.

Each table is read once, on first use, through :func:`pipeline.paths.data_path`.
The readers return immutable values (tuples, ``MappingProxyType``) so the caches
cannot be modified by callers.
"""
from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, NamedTuple

from pipeline.errors import HanlinkError
from pipeline.paths import data_path


class Surname(NamedTuple):
    """One row of ``surnames.tsv``.

    ``pinyin`` and ``reading`` hold every real reading, the usual one first
    (樂: ``("yue", "le")``, ``("악", "낙")``).
    """

    traditional: str
    simplified: str
    pinyin: tuple[str, ...]
    reading: tuple[str, ...]


class Place(NamedTuple):
    """One row of ``places.tsv``: a Chinese province, region or city."""

    traditional: str
    simplified: str
    pinyin: str
    hangul: str
    reading: str


def _rows(name: str, columns: int) -> list[list[str]]:
    """The non-comment rows of a TSV table after its header line, ``columns`` cells each."""
    path = data_path("names", name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise HanlinkError(f"cannot read the name table {path}: {error}; reinstall hanlink "
                           f"or set HANLINK_DATA to a folder holding names/{name}") from error
    rows: list[list[str]] = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        cells = line.split("\t")
        if len(cells) < columns:
            raise HanlinkError(f"{path}, line {number}: expected {columns} tab-separated "
                               f"columns, found {len(cells)}")
        rows.append([cell.strip() for cell in cells[:columns]])
    return rows


def _lines(name: str) -> tuple[str, ...]:
    """The non-comment, non-empty lines of a one-item-per-line list."""
    path = data_path("names", name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise HanlinkError(f"cannot read the name list {path}: {error}") from error
    return tuple(line.strip() for line in text.splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))


@lru_cache(maxsize=None)
def pinyin_hangul() -> Mapping[str, str]:
    """``pinyin_hangul.tsv``: toneless syllable (ü written ü) → Hangul (jian → 젠)."""
    return MappingProxyType({row[0]: row[1] for row in _rows("pinyin_hangul.tsv", 2)})


@lru_cache(maxsize=None)
def surnames() -> Mapping[str, Surname]:
    """``surnames.tsv`` keyed by both the traditional and the simplified form."""
    table: dict[str, Surname] = {}
    for trad, simp, pinyin, reading in _rows("surnames.tsv", 4):
        entry = Surname(trad, simp, tuple(pinyin.split("|")), tuple(reading.split("|")))
        table.setdefault(trad, entry)
        table.setdefault(simp, entry)
    return MappingProxyType(table)


@lru_cache(maxsize=None)
def places() -> tuple[Place, ...]:
    """``places.tsv``: provinces, regions and major cities, longest name first."""
    rows = [Place(*row) for row in _rows("places.tsv", 5)]
    return tuple(sorted(rows, key=lambda p: -len(p.traditional)))


@lru_cache(maxsize=None)
def particles() -> tuple[tuple[str, str], ...]:
    """``particles.tsv``: (particle, what it follows: C consonant, V vowel, VL vowel or ㄹ, A any),
    longest first."""
    rows = [(p, cond) for p, cond in _rows("particles.tsv", 2)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=None)
def titles() -> tuple[str, ...]:
    """Titles that follow a name, longest first: the recogniser's ``data/lexicons/titles.txt``
    (one list for the whole product)."""
    lexicon = data_path("lexicons", "titles.txt")
    found = {line.split("#", 1)[0].strip() for line in lexicon.read_text(encoding="utf-8").splitlines()}
    found.discard("")
    return tuple(sorted(found, key=lambda t: (-len(t), t)))


@lru_cache(maxsize=None)
def korean_surnames() -> Mapping[str, str]:
    """``korean_surnames.tsv``: Hangul surname → conventional Latin spelling (김 Kim)."""
    return MappingProxyType({h: latin for h, latin in _rows("korean_surnames.tsv", 2)})


@lru_cache(maxsize=None)
def hanja_fixes() -> Mapping[str, str]:
    """``hanja_fixes.tsv``: character → Sino-Korean reading overriding the ``hanja`` package."""
    return MappingProxyType({ch: reading for ch, reading in _rows("hanja_fixes.tsv", 2)})


@lru_cache(maxsize=None)
def initial_words() -> tuple[str, ...]:
    """``initial_words.txt``: words read with the initial-sound rule inside an
    institution name (研究 연구, 勞動 노동), longest first."""
    return tuple(sorted(set(_lines("initial_words.txt")), key=lambda w: -len(w)))
