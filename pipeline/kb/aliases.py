"""Alias keys: the exact-match keys of a name in every script, and the compact index built from them.

A key is a :func:`normalize_key` of one form of a name. Every key carries a
*type* saying how it was obtained, because the linker weighs a match by it:

(:class:`KeyType`, smaller is more direct)

=================  ==================================================================
``WRITTEN``        the name as written (in the table or the text), or the same
                   Chinese characters folded to simplified (賀俊 → 贺俊)
``TRANSCRIPTION``  the NIKL Hangul transcription of the Mandarin (賀俊 → 허쥔)
``PINYIN``         pinyin without spaces (賀俊 → hejun)
``READING``        the Sino-Korean reading (賀俊 → 하준)
``ROMANIZATION``   the romanisation of a Korean name written in Hangul (김상훈 → kimsanghun)
``OTHER``          any other derived form (place variants of institutions: 상하이 ↔ 상해 …)
=================  ==================================================================

Speed. :func:`pipeline.names.forms.keys` computes every form of a name on its
own (about 11,000 names/s uncached), too slow for a million-row table. Here a
Chinese person's name is split into surname and given name and the forms are
*composed* from per-surname and per-given-name results, each cached
(:func:`person_han_keys`): the cost grows with the number of distinct given
names, not of rows. The keys equal those of ``names.keys`` (tested on the
gold tables and on generated names) except that the traditional form derived
from a simplified name is replaced by the simplified fold of both, which
matches the same pairs.

:class:`AliasIndex` stores key → rows as sorted 64-bit hashes (BLAKE2b of the
key) with a row array and a type array: 13 bytes per (key, row) instead of a
Python dict entry, so a million-row table fits in memory. A hash collision
(p ≈ 3·10⁻⁶ at 10⁷ keys) can only add a candidate, which scoring then weighs
like any other.

>>> sorted(name_keys("賀俊"))
['hejun', '賀俊', '贺俊', '하준', '허쥔']
>>> typed_keys("賀俊", "person")["하준"] is KeyType.READING
True
"""
from __future__ import annotations

import hashlib
import unicodedata
from enum import IntEnum
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import numpy as np

from pipeline.names import _data
from pipeline.names import hanja as _hanja
from pipeline.names import zh as _zh
from pipeline.names._text import clean, has_name_separator
from pipeline.names.forms import detect_script
from pipeline.names.forms import keys as form_keys
from pipeline.names.script import has_han, is_han, is_plain_han
from pipeline.names.transcribe import syllables_to_hangul


class KeyType(IntEnum):
    """How a key was obtained from a name; **smaller is more direct** (the index keeps, per key and
    row, the most direct type). Stored as ``int8`` in :class:`AliasIndex`."""

    WRITTEN = 0
    TRANSCRIPTION = 1
    PINYIN = 2
    READING = 3
    ROMANIZATION = 4
    OTHER = 5


_KEY_DROP = str.maketrans("", "", " \t\u00b7\u318d\u30fb.-'’`‧")
_CACHE = 1 << 18


def normalize_key(text: str) -> str:
    """The exact-match key of a name: NFKC, case-folded, without spaces and dots.

    >>> normalize_key("He  Jun")
    'hejun'
    >>> normalize_key("중국권역별·성별연구팀") == normalize_key("중국권역별성별연구팀")
    True
    """
    return unicodedata.normalize("NFKC", text).casefold().translate(_KEY_DROP)


class _SimplifiedFold(dict):
    """``str.translate`` table: each Chinese character → its simplified form (OpenCC, per character)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = ch
        if is_han(ch):
            converted = _zh.to_simplified(ch)
            if len(converted) == 1:
                value = converted
        self[code] = value
        return value


_FOLD = _SimplifiedFold()


def han_fold(text: str) -> str:
    """Chinese characters folded to simplified one by one: the script-neutral key of a Chinese name.

    >>> han_fold("賀俊"), han_fold("贺俊"), han_fold("上海社會科學院")
    ('贺俊', '贺俊', '上海社会科学院')
    """
    return text.translate(_FOLD)


def _compact_han(text: str) -> str:
    return "".join(ch for ch in clean(text) if is_han(ch))


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name) of a name in Chinese characters; compound surnames from the table."""
    if len(name) >= 3 and name[:2] in _data.surnames():
        return name[:2], name[2:]
    return name[:1], name[1:]


@lru_cache(maxsize=4096)
def _surname_forms(surname: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """(pinyin syllables of each reading, Sino-Korean readings) of a surname, usual first."""
    from pipeline.names.transcribe import split_pinyin

    entry = _data.surnames().get(surname)
    if entry is not None:
        pinyins = tuple(p for p in (split_pinyin(r) for r in entry.pinyin) if p)
        if not pinyins:
            syllables = _zh.han_syllables(surname)
            pinyins = (syllables,) if syllables else ()
        return pinyins, tuple(entry.reading)
    syllables = _zh.han_syllables(surname)
    plain = _hanja._read(surname, frozenset({0}))
    return ((syllables,) if syllables else ()), ((plain,) if plain else ())


@lru_cache(maxsize=65536)
def _char_reading(ch: str) -> str | None:
    """Sino-Korean reading of one character, through its traditional form (as :func:`pipeline.names.hanja._read`)."""
    traditional = _zh.to_traditional(ch)
    if len(traditional) != 1:
        traditional = ch
    return _hanja.char_reading(traditional) or _hanja.char_reading(ch)


def _given_reading(given: str) -> str | None:
    """Reading of a given name character by character, without the initial-sound rule (렬/률 → 열/율 after a
    vowel or ㄴ), as :func:`pipeline.names.hanja.person_reading_variants` reads it."""
    out = ""
    for ch in given:
        syllable = _char_reading(ch)
        if syllable is None:
            return None
        out += _hanja._yeol_yul(out, syllable)
    return out


@lru_cache(maxsize=_CACHE)
def _given_forms(given: str) -> tuple[tuple[str, ...] | None, str | None]:
    """(pinyin syllables, Sino-Korean reading without the initial-sound rule) of a given name."""
    if not given:
        return (), ""
    return _zh.han_syllables(given), _given_reading(given)


def person_han_keys(name: str) -> tuple[tuple[str, KeyType], ...]:
    """Typed keys of a person's name in Chinese characters (either script), composed from its parts.

    >>> dict(person_han_keys("蔣媛媛"))["장위안위안"] == KeyType.TRANSCRIPTION
    True
    >>> sorted(k for k, t in person_han_keys("樂毅") if t == KeyType.READING)
    ['낙의', '악의']
    """
    plain = is_plain_han(name)
    if plain:
        compact = name
    else:
        cleaned = clean(name)
        if has_name_separator(cleaned):
            return _cached_generic_keys(name, "person")
        compact = "".join(ch for ch in cleaned if is_han(ch))
        if not compact:
            return ()
    out: dict[str, KeyType] = {compact: KeyType.WRITTEN}
    out.setdefault(han_fold(compact), KeyType.WRITTEN)
    surname, given = split_surname(compact)
    pinyins, readings = _surname_forms(surname)
    given_syllables, given_reading = _given_forms(given)
    if given_syllables is not None:
        for surname_syllables in pinyins:
            syllables = surname_syllables + given_syllables
            out.setdefault("".join(syllables).replace("ü", "v"), KeyType.PINYIN)
            hangul = syllables_to_hangul(syllables)
            if hangul:
                out.setdefault(hangul, KeyType.TRANSCRIPTION)
    if given_reading is not None:
        for surname_reading in readings:
            full = surname_reading + (_hanja._yeol_yul(surname_reading, given_reading[:1]) + given_reading[1:]
                                      if given_reading else "")
            out.setdefault(full, KeyType.READING)
    if plain:  # Chinese characters, Hangul syllables and ASCII pinyin are their own keys
        return tuple(out.items())
    return tuple((normalize_key(k), t) for k, t in out.items() if k)


_cached_person_han_keys = lru_cache(maxsize=16384)(person_han_keys)


def _generic_keys(text: str, kind: str) -> tuple[tuple[str, KeyType], ...]:
    """Typed keys from :func:`pipeline.names.forms.keys` (institutions, places, Latin and Hangul names)."""
    script = detect_script(text)
    out: dict[str, KeyType] = {}
    surface = normalize_key(text)
    if surface:
        out[surface] = KeyType.WRITTEN
    if script == "hanja":
        compact = _compact_han(text)
        out.setdefault(normalize_key(han_fold(compact)), KeyType.WRITTEN)
        for key in form_keys(text, kind):
            out.setdefault(normalize_key(key), KeyType.OTHER)
    elif script == "hangul":
        for key in form_keys(text, kind):
            out.setdefault(normalize_key(key), KeyType.ROMANIZATION if kind == "person" else KeyType.OTHER)
    elif script == "latin":
        for key in form_keys(text, kind):
            key = normalize_key(key)
            if key not in out:
                out[key] = KeyType.TRANSCRIPTION if detect_script(key) == "hangul" else KeyType.PINYIN
    else:
        for key in form_keys(text, kind):
            out.setdefault(normalize_key(key), KeyType.OTHER)
    out.pop("", None)
    return tuple(out.items())


_cached_generic_keys = lru_cache(maxsize=16384)(_generic_keys)


def typed_keys(text: str, kind: str = "person", *, cache: bool = True) -> dict[str, KeyType]:
    """Every key of a name with its type (``WRITTEN`` for the name itself and its simplified fold).

    >>> {key: kind.name for key, kind in typed_keys("He Jun").items()}
    {'hejun': 'WRITTEN', '허쥔': 'TRANSCRIPTION'}
    """
    if not isinstance(text, str) or not text.strip():
        return {}
    person, generic = (_cached_person_han_keys, _cached_generic_keys) if cache else (person_han_keys, _generic_keys)
    if kind == "person" and is_plain_han(text):
        return dict(person(text))
    if kind == "person" and detect_script(text) == "hanja":
        found = dict(person(text))
        surface = normalize_key(text)
        if surface:
            found[surface] = KeyType.WRITTEN
        return found
    return dict(generic(text, kind))


def name_keys(text: str, kind: str = "person") -> set[str]:
    """All exact-match keys of a name: its own key plus those of its other-script forms.

    >>> sorted(name_keys("상하이사회과학원", "org"))
    ['상하이사회과학원', '상해사회과학원']
    """
    return set(typed_keys(text, kind))


# ---------------------------------------------------------------------------
# hashing and the index

def key_hash(key: str) -> int:
    """The stable 64-bit hash of a key (BLAKE2b, little-endian), the same in every process."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def key_hashes(keys: Sequence[str]) -> np.ndarray:
    """:func:`key_hash` of many keys as a ``uint64`` array."""
    blake = hashlib.blake2b
    data = b"".join([blake(k.encode("utf-8", "surrogatepass"), digest_size=8).digest() for k in keys])
    return np.frombuffer(data, dtype="<u8").astype(np.uint64, copy=False)


class AliasIndex:
    """Key → (row, key type) pairs of one table, as sorted hash arrays.

    Parameters
    ----------
    hashes : uint64 array, sorted
    rows : int32 array (positions in the table)
    types : int8 array (``WRITTEN`` … ``OTHER``; the most direct type per (key, row))
    ids : sequence of str
        The id of each row position.
    """

    def __init__(self, hashes: np.ndarray, rows: np.ndarray, types: np.ndarray, ids: Sequence[str]):
        self.hashes = hashes
        self.rows = rows
        self.types = types
        self.ids = ids

    @classmethod
    def from_entries(cls, hashes: np.ndarray, rows: np.ndarray, types: np.ndarray, ids: Sequence[str]) -> "AliasIndex":
        """Sort and deduplicate (hash, row) pairs, keeping the most direct type."""
        hashes = np.asarray(hashes, dtype=np.uint64)
        rows = np.asarray(rows, dtype=np.int32)
        types = np.asarray(types, dtype=np.int8)
        order = np.lexsort((types, rows, hashes))
        hashes, rows, types = hashes[order], rows[order], types[order]
        if len(hashes):
            keep = np.ones(len(hashes), dtype=bool)
            keep[1:] = (hashes[1:] != hashes[:-1]) | (rows[1:] != rows[:-1])
            hashes, rows, types = hashes[keep], rows[keep], types[keep]
        return cls(hashes, rows, types, ids)

    def __len__(self) -> int:
        return len(self.hashes)

    def find_hash(self, h: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and key types of the entries with hash ``h``."""
        target = np.uint64(h)
        lo = int(np.searchsorted(self.hashes, target, side="left"))
        if lo >= len(self.hashes) or self.hashes[lo] != target:
            return self.rows[0:0], self.types[0:0]
        hi = int(np.searchsorted(self.hashes, target, side="right"))
        return self.rows[lo:hi], self.types[lo:hi]

    def find(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows and key types of ``key`` (already normalised)."""
        return self.find_hash(key_hash(key))

    def view(self, max_type: KeyType = KeyType.OTHER) -> "AliasView":
        """A read-only ``{key: [id, ...]}`` mapping over the entries of type ≤ ``max_type``."""
        return AliasView(self, max_type)


class AliasView(Mapping):
    """``{key: [id, ...]}`` over an :class:`AliasIndex` (keys are normalised before the look-up).

    Supports ``get``, ``[]``, ``in`` and ``len`` (number of entries); the keys
    themselves are not stored, so it cannot be iterated.
    """

    _CACHE_SIZE = 1 << 16

    def __init__(self, index: AliasIndex, max_type: KeyType):
        self._index = index
        self._max_type = max_type
        self._cache: dict[str, tuple[str, ...]] = {}  # the gazetteer asks for the same words again and again

    def _ids(self, key: str) -> list[str]:
        found = self._cache.get(key)
        if found is None:
            rows, types = self._index.find(normalize_key(key))
            if self._max_type < KeyType.OTHER:
                rows = rows[types <= self._max_type]
            ids = self._index.ids
            found = tuple(dict.fromkeys(ids[r] for r in rows.tolist()))
            if len(self._cache) >= self._CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = found
        return list(found)

    def __getitem__(self, key: str) -> list[str]:
        found = self._ids(key)
        if not found:
            raise KeyError(key)
        return found

    def get(self, key: str, default=None):
        found = self._ids(key)
        return found if found else default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self._ids(key))

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self):
        raise TypeError("an alias index stores hashed keys and cannot be iterated; look keys up with get()")


# ---------------------------------------------------------------------------
# building the index of a table, column by column, one computation per distinct value

def split_cell(cell: str, multi: bool) -> list[str]:
    if not cell:
        return []
    if not multi:
        return [cell]
    return [part.strip() for part in cell.split("|") if part.strip()]


def cell_keys(cell: str, kind: str, multi: bool, derive: bool) -> list[tuple[str, KeyType]]:
    """Typed keys of one table cell (``|``-separated names when ``multi``); derived keys only when ``derive``."""
    out: dict[str, KeyType] = {}
    for value in split_cell(cell, multi):
        if derive:
            items = typed_keys(value, kind, cache=False).items()  # distinct values already: no cache
        elif is_plain_han(value):
            items = [(value, KeyType.WRITTEN), (han_fold(value), KeyType.WRITTEN)]
        else:
            surface = normalize_key(value)
            items = [(surface, KeyType.WRITTEN)] if surface else []
            if has_han(value) and detect_script(value) == "hanja":
                items.append((normalize_key(han_fold(_compact_han(value))), KeyType.WRITTEN))
        for key, kind_of_key in items:
            if key and (key not in out or kind_of_key < out[key]):
                out[key] = kind_of_key
    return list(out.items())


ALL_TYPES = 0xFF


def type_bits(*types: KeyType) -> int:
    """A bit mask of key types (for the per-row ``allowed`` masks of :func:`column_entries`)."""
    bits = 0
    for t in types:
        bits |= 1 << t
    return bits


def column_entries(values, allowed: np.ndarray | None, kind: str, multi: bool,
                   chunk: int = 100_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hashes, rows, types) of one column: keys computed once per distinct cell value.

    ``values`` is a pandas Series or an array; ``allowed`` (per row, a
    :func:`type_bits` mask) says which derived key types a row gets; ``WRITTEN``
    keys are always indexed. ``None`` derives nowhere. Distinct values are
    processed ``chunk`` at a time, so only their keys' hashes are kept.
    """
    import pandas as pd

    n = len(values)
    if allowed is None:
        allowed = np.zeros(n, dtype=np.uint8)
    allowed = np.asarray(allowed, dtype=np.uint8)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    codes = np.asarray(codes)
    n_unique = len(uniques)
    need = np.zeros(n_unique, dtype=bool)
    need[codes[(codes >= 0) & (allowed != 0)]] = True
    hash_parts, type_parts, length_parts = [], [], []
    for begin in range(0, n_unique, chunk):
        block = [str(v) for v in uniques[begin:begin + chunk]]
        key_lists = [cell_keys(value, kind, multi, bool(need[begin + i])) for i, value in enumerate(block)]
        length_parts.append(np.fromiter((len(k) for k in key_lists), dtype=np.int64, count=len(key_lists)))
        flat = [k for keys in key_lists for k, _ in keys]
        type_parts.append(np.fromiter((t for keys in key_lists for _, t in keys), dtype=np.int8, count=len(flat)))
        hash_parts.append(key_hashes(flat))
        del key_lists, flat
    lengths = np.concatenate(length_parts) if length_parts else np.zeros(0, np.int64)
    flat_types = np.concatenate(type_parts) if type_parts else np.zeros(0, np.int8)
    flat_hashes = np.concatenate(hash_parts) if hash_parts else np.zeros(0, np.uint64)
    offsets = np.zeros(n_unique + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    present = codes >= 0
    row_codes = codes[present]
    row_ids = np.flatnonzero(present)
    counts = lengths[row_codes]
    rep_rows = np.repeat(row_ids, counts)
    starts = np.repeat(offsets[row_codes], counts)
    within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    positions = starts + within
    hashes, types = flat_hashes[positions], flat_types[positions]
    # a row keeps the WRITTEN keys of its value and the derived types it allows
    keep = (types == KeyType.WRITTEN) | (((allowed[rep_rows] >> types.astype(np.uint8)) & 1) == 1)
    return hashes[keep], rep_rows[keep].astype(np.int32), types[keep]


def build_index(columns: Mapping[str, np.ndarray], derive: Mapping[str, np.ndarray | None], kind: str,
                ids: Sequence[str], multi_columns: Iterable[str] = ("aliases",)) -> AliasIndex:
    """The :class:`AliasIndex` of a table given as ``{column: values}`` with per-column, per-row
    masks of the derived key types allowed (:func:`column_entries`)."""
    multi = set(multi_columns)
    parts = [column_entries(values, derive.get(column), kind, column in multi) for column, values in columns.items()]
    if not parts:
        empty = np.zeros(0)
        return AliasIndex.from_entries(empty, empty, empty, ids)
    return AliasIndex.from_entries(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                                   np.concatenate([p[2] for p in parts]), ids)
