"""Sino-Korean reading (한자음) of a name, with the initial-sound rule (두음법칙).

Character readings come from the ``hanja`` package's table (one reading per
character; simplified characters it does not know are looked up through their
traditional form). On top of it:

* the initial-sound rule (한글 맞춤법 제10–12항) is applied at the start of a
  word only: to the surname of a person, never inside a given name
  (申砬 → 신립, 李強 → 이강, 羅以洪 → 나이홍, 柳成龍 → 유성룡);
* ``렬``/``률`` after a vowel or ㄴ become ``열``/``율`` (제11항 붙임 1);
* surnames are read from ``data/names/surnames.tsv`` where the surname reading
  differs from the character's common one (金 → 김, not 금; 沈 → 심; 單 → 선);
* in institution names a leading place is read from ``data/names/places.tsv``,
  and the rule also applies after it and at the words of
  ``data/names/initial_words.txt`` (勞動 노동, 聯合 연합).

Examples
--------
>>> reading("金大中"), reading("申砬"), reading("柳成龍"), reading("贺俊")
('김대중', '신립', '유성룡', '하준')
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.names import _data
from pipeline.names._text import clean, compose, decompose, has_name_separator, split_parts
from pipeline.names.script import is_han, is_hangul
from pipeline.names.places import PLACE_SUFFIXES, leading_place
from pipeline.names.zh import split_surname, to_traditional

_CACHE = 16384

# jamo indices
_NIEUN, _RIEUL, _IEUNG = 2, 5, 11
_Y_VOWELS = frozenset({2, 6, 7, 12, 17, 20})  # ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ


@lru_cache(maxsize=None)
def _table() -> dict[str, str]:
    from hanja.table import hanja_table

    return hanja_table


@lru_cache(maxsize=_CACHE)
def char_reading(ch: str) -> str | None:
    """The Sino-Korean reading of one character (without the initial-sound rule), or ``None``.

    ``data/names/hanja_fixes.tsv`` first, then the ``hanja`` package's table; a
    simplified character is read through its traditional form (宁 → 寧 령, not the
    separate character 宁 저), falling back to the character itself.

    >>> char_reading("賀"), char_reading("贺"), char_reading("李"), char_reading("宁"), char_reading("a")
    ('하', '하', '리', '령', None)
    """
    ch = clean(ch)
    if len(ch) != 1 or not is_han(ch):
        return None
    fixes, table = _data.hanja_fixes(), _table()
    for candidate in dict.fromkeys((to_traditional(ch), ch)):
        found = fixes.get(candidate) or table.get(candidate)
        if found and len(found) == 1 and is_hangul(found):
            return found
    return None


def initial_rule(syllable: str) -> str:
    """Apply the initial-sound rule (두음법칙) to a word-initial syllable.

    ㄴ before ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ and ㄹ before them become ㅇ; ㄹ before other
    vowels becomes ㄴ.

    >>> [initial_rule(s) for s in ("리", "려", "류", "녀", "라", "로", "룡", "림", "하")]
    ['이', '여', '유', '여', '나', '노', '용', '임', '하']
    """
    if len(syllable) != 1 or not is_hangul(syllable):
        return syllable
    cho, jung, jong = decompose(syllable)
    if cho == _NIEUN and jung in _Y_VOWELS:
        return compose(_IEUNG, jung, jong)
    if cho == _RIEUL:
        return compose(_IEUNG if jung in _Y_VOWELS else _NIEUN, jung, jong)
    return syllable


def _yeol_yul(previous: str, syllable: str) -> str:
    """렬/률 after a vowel or ㄴ are written 열/율 (나열, 비율, 선율)."""
    if syllable in ("렬", "률") and previous and is_hangul(previous[-1]):
        if decompose(previous[-1])[2] in (0, 4):
            return initial_rule(syllable)
    return syllable


def _read(text: str, initial_at: frozenset[int]) -> str | None:
    """Read every character; apply the initial-sound rule at the given positions.

    The text is first converted to traditional characters as a whole (OpenCC
    chooses by context), then read character by character."""
    traditional = to_traditional(text)
    if len(traditional) != len(text):
        traditional = text
    out = ""
    for i, (ch, trad) in enumerate(zip(text, traditional)):
        syllable = char_reading(trad) or char_reading(ch)
        if syllable is None:
            return None
        syllable = initial_rule(syllable) if i in initial_at else _yeol_yul(out, syllable)
        out += syllable
    return out


@lru_cache(maxsize=_CACHE)
def person_reading_variants(name: str) -> tuple[str, ...]:
    """Every reading of a person's name, one per reading of the surname, usual first.

    >>> person_reading_variants("樂毅"), person_reading_variants("尉遲恭")
    (('악의', '낙의'), ('울지공', '위지공'))
    """
    name = "".join(clean(name).split())
    if not name:
        return ()
    if has_name_separator(name):
        parts = [reading(part, "place") for part in split_parts(name)]
        return ("".join(parts),) if all(parts) else ()
    surname, given = split_surname(name)
    given_reading = _read(given, frozenset()) if given else ""
    if given_reading is None:
        return ()
    entry = _data.surnames().get(surname)
    if entry is not None:
        surname_readings = entry.reading
    else:
        plain = _read(surname, frozenset({0}))
        if plain is None:
            return ()
        surname_readings = (plain,)
    out = []
    for surname_reading in surname_readings:
        full = surname_reading + (_yeol_yul(surname_reading, given_reading[:1]) + given_reading[1:]
                                  if given_reading else "")
        if full not in out:
            out.append(full)
    return tuple(out)


def _org_initials(text: str, start: int) -> set[int]:
    """Positions (from ``start``) where a word of ``initial_words.txt`` begins."""
    positions = {start}
    words = _data.initial_words()
    i = start + 1
    while i < len(text):
        for word in words:
            if text.startswith(word, i):
                positions.add(i)
                i += len(word) - 1
                break
        i += 1
    return positions


@lru_cache(maxsize=_CACHE)
def reading(name: str, kind: str = "person") -> str | None:
    """The Sino-Korean reading of a name in Chinese characters (either script), or ``None``
    when a character has no known reading.

    Parameters
    ----------
    name : str
        Chinese characters; spaces are ignored.
    kind : {"person", "place", "org"}
        ``person``: surname reading from the table and the initial-sound rule on
        the surname only. ``place``: the rule at the start. ``org``: a leading
        place from the place table, the rule at the start, after the place and at
        the words of ``initial_words.txt``.

    Examples
    --------
    >>> reading("李強"), reading("羅以洪"), reading("韓愈"), reading("王羲之"), reading("蔣媛媛")
    ('이강', '나이홍', '한유', '왕희지', '장원원')
    >>> reading("上海", "place"), reading("上海社會科學院", "org"), reading("中国劳动关系学院", "org")
    ('상해', '상해사회과학원', '중국노동관계학원')
    """
    name = "".join(clean(name).split())
    if kind == "person":
        variants = person_reading_variants(name)
        return variants[0] if variants else None
    if not name or not all(is_han(ch) for ch in name):
        return None
    found = leading_place(name)
    if found is None:
        return _read(name, frozenset(_org_initials(name, 0)) if kind == "org" else frozenset({0}))
    place, rest = found
    if not rest:
        return place.reading
    suffix = ""
    if rest[0] in PLACE_SUFFIXES:
        suffix = char_reading(rest[0]) or ""
        rest = rest[1:]
        if not rest:
            return place.reading + suffix
    rest_reading = _read(rest, frozenset(_org_initials(rest, 0)) if kind == "org" else frozenset({0}))
    return None if rest_reading is None else place.reading + suffix + rest_reading
