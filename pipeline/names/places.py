"""Chinese place names at the start of institution names: 上海 상하이 / 상해.

The table ``data/names/places.tsv`` lists provinces, regions and major cities
with their pinyin, the Hangul the Korean press writes (the NIKL transcription,
or the established exonym: 香港 홍콩, 中國 중국) and the Sino-Korean reading.

Examples
--------
>>> place, rest = leading_place("贵州省社会科学院")
>>> place.hangul, place.reading, rest
('구이저우', '귀주', '省社会科学院')
>>> sorted(hangul_place_variants("상하이사회과학원"))
['상하이사회과학원', '상해사회과학원']
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.names import _data
from pipeline.names._data import Place
from pipeline.names._text import clean

#: Administrative suffixes read (not transcribed) after a place: 貴州省 구이저우성.
PLACE_SUFFIXES = frozenset("省市縣县區区")


@lru_cache(maxsize=16384)
def leading_place(text: str) -> tuple[Place, str] | None:
    """The longest place of the table that begins ``text`` (in either script), and the rest.

    >>> leading_place("北京大学")[0].hangul, leading_place("北京大学")[1]
    ('베이징', '大学')
    >>> leading_place("清华大学") is None
    True
    """
    text = "".join(clean(text).split())
    for place, form in _by_first_char().get(text[:1], ()):
        if text.startswith(form):
            return place, text[len(form):]
    return None


@lru_cache(maxsize=1)
def _by_first_char() -> dict[str, tuple[tuple[Place, str], ...]]:
    """(place, written form) by the form's first character, in the table's order (longest first)."""
    index: dict[str, list[tuple[Place, str]]] = {}
    for place in _data.places():
        for form in dict.fromkeys((place.traditional, place.simplified)):
            if form:
                index.setdefault(form[0], []).append((place, form))
    return {first: tuple(entries) for first, entries in index.items()}


@lru_cache(maxsize=1)
def _hangul_index() -> tuple[tuple[str, str], ...]:
    """(Hangul form, other Hangul form) for every place whose transcription and
    reading differ, in both directions, longest first."""
    pairs = set()
    for place in _data.places():
        if place.hangul and place.reading and place.hangul != place.reading:
            pairs.add((place.hangul, place.reading))
            pairs.add((place.reading, place.hangul))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


@lru_cache(maxsize=16384)
def hangul_place_variants(text: str) -> frozenset[str]:
    """``text`` and the forms with a leading place's transcription and reading swapped.

    ``상하이사회과학원`` ↔ ``상해사회과학원``, ``구이저우성사회과학원`` ↔
    ``귀주성사회과학원``. Spaces are removed.

    >>> sorted(hangul_place_variants("귀주성사회과학원"))
    ['구이저우성사회과학원', '귀주성사회과학원']
    """
    text = "".join(clean(text).split())
    found = {text} if text else set()
    for source, target in _hangul_index():
        if text.startswith(source):
            found.add(target + text[len(source):])
    return frozenset(found)


#: Administrative suffixes of a place in Hangul: 구이저우성, 상하이시.
HANGUL_PLACE_SUFFIXES = ("성", "시", "현", "구", "자치구", "특별시", "직할시")


@lru_cache(maxsize=1)
def _hangul_places() -> frozenset[str]:
    names = set()
    for place in _data.places():
        names.update(n for n in (place.hangul, place.reading) if n)
    return frozenset(names)


@lru_cache(maxsize=16384)
def is_place(text: str) -> bool:
    """True when ``text`` is a place of the table, in any script, with or without its administrative suffix.

    >>> is_place("北京"), is_place("베이징"), is_place("구이저우성"), is_place("상해시"), is_place("허쥔")
    (True, True, True, True, False)
    """
    text = clean(text).replace(" ", "")
    if not text:
        return False
    found = leading_place(text)
    if found is not None and (not found[1] or found[1] in PLACE_SUFFIXES):
        return True
    places = _hangul_places()
    if text in places:
        return True
    return any(text.endswith(suffix) and text[: -len(suffix)] in places for suffix in HANGUL_PLACE_SUFFIXES)
