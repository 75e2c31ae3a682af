"""One entry point: every form of a name, and the keys used to match it.

:func:`forms` returns exactly the fields of ``hanlink names`` (CONTRACT.md):
``input``, ``script`` and, when they can be derived, ``traditional``,
``simplified``, ``pinyin``, ``hangul`` (NIKL transcription of the Mandarin)
and ``reading`` (Sino-Korean reading with the initial-sound rule). Nothing is
invented: Hangul input never yields Chinese characters, and Latin input yields
pinyin and Hangul only when it is pinyin.

:func:`keys` gives normalised matching keys of every form, so that 贺俊, 賀俊,
He Jun, 허쥔 and 하준 share keys with one another.

Every public function here is total: any ``str`` (empty, emoji, lone
surrogates, control characters) gives a result, never an exception; only an
unknown ``kind`` is an error (:class:`pipeline.errors.UsageError`).

Examples
--------
>>> forms("賀俊")
{'input': '賀俊', 'script': 'hanja', 'traditional': '賀俊', 'simplified': '贺俊', 'pinyin': 'He Jun', 'hangul': '허쥔', 'reading': '하준'}
>>> forms("Xi Jinping")
{'input': 'Xi Jinping', 'script': 'latin', 'pinyin': 'Xi Jinping', 'hangul': '시진핑'}
>>> forms("上海社会科学院", "org")["hangul"], forms("上海社会科学院", "org")["reading"]
('상하이사회과학원', '상해사회과학원')
>>> sorted(keys("賀俊"))
['he jun', 'hejun', '賀俊', '贺俊', '하준', '허쥔']
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from pipeline.errors import UsageError
from pipeline.names import hanja as _hanja
from pipeline.names import zh as _zh
from pipeline.names._text import clean, has_name_separator, split_parts, strip_separators
from pipeline.names.script import is_han, is_hangul_letter, is_latin
from pipeline.names.places import PLACE_SUFFIXES, hangul_place_variants, leading_place
from pipeline.names.korean import romanize_korean
from pipeline.names.transcribe import normalize_pinyin, pinyin_to_hangul, split_pinyin

KINDS = ("person", "org", "place")
SCRIPTS = ("hanja", "hangul", "latin", "mixed")
FIELDS = ("input", "script", "traditional", "simplified", "pinyin", "hangul", "reading")
#: Longest name whose forms are derived: longer text is no name (a run of hanja the model took whole),
#: and deriving forms of it would cost time growing faster than its length. ``hanlink names`` refuses it.
MAX_NAME_CHARS = 100
_CACHE = 32768  # comfortably more than 10,000 names per kind


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UsageError(f"unknown name kind {kind!r}; use one of {', '.join(KINDS)}")
    return kind


def _as_str(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


@lru_cache(maxsize=_CACHE)
def detect_script(text: str) -> str:
    """The script of a name: ``hanja``, ``hangul``, ``latin`` or ``mixed``.

    Spaces, digits, punctuation, middle dots and symbols are ignored; a name with
    letters of two scripts, of another script (kana, Cyrillic) or with no letters
    at all (empty, emoji) is ``mixed``.

    >>> detect_script("賀俊"), detect_script("贺俊"), detect_script("허쥔"), detect_script("Xí Jìnpíng")
    ('hanja', 'hanja', 'hangul', 'latin')
    >>> detect_script("허쥔(賀俊)"), detect_script(""), detect_script("努爾·白克力")
    ('mixed', 'mixed', 'hanja')
    """
    found = set()
    for ch in strip_separators(clean(_as_str(text))):
        if is_han(ch):
            found.add("hanja")
        elif is_hangul_letter(ch):
            found.add("hangul")
        elif is_latin(ch):
            found.add("latin")
        elif ch.isalpha():
            found.add("other")
    return found.pop() if len(found) == 1 and "other" not in found else "mixed"


def _org_hangul(name: str, kind: str, reading: str | None) -> str | None:
    """Korean press form of a place or institution in Chinese characters: a leading
    place transcribed (or its exonym: 香港 홍콩), the rest read (上海社会科学院 →
    상하이사회과학원, 贵州省 → 구이저우성). A place not in the table is transcribed
    whole; an institution with no leading place gets no ``hangul``."""
    found = leading_place(name)
    if found is None:
        return _zh.hangul(name, "place") if kind == "place" else None
    place, rest = found
    if not rest:
        return place.hangul
    if reading and reading.startswith(place.reading):
        if kind == "org" or all(ch in PLACE_SUFFIXES for ch in rest):
            return place.hangul + reading[len(place.reading):]
    if kind == "place":
        rest_hangul = _zh.hangul(rest, "place")
        return place.hangul + rest_hangul if rest_hangul else None
    return None


@lru_cache(maxsize=_CACHE)
def _forms(name: str, kind: str) -> tuple[tuple[str, str], ...]:
    script = detect_script(name)
    out: list[tuple[str, str]] = [("input", name), ("script", script)]
    if len(name) > MAX_NAME_CHARS:
        return tuple(out)
    text = clean(name)
    if script == "hanja":
        compact = _han_compact(text)
        if kind == "person":
            traditional = _zh.person_traditional(compact)
            simplified = _zh.person_simplified(compact)
        else:
            traditional = _zh.to_traditional(compact)
            simplified = _zh.to_simplified(compact)
        reading = _hanja.reading(compact, kind)
        hangul = _zh.hangul(compact, kind) if kind == "person" else _org_hangul(compact, kind, reading)
        derived = (("traditional", traditional), ("simplified", simplified),
                   ("pinyin", _zh.pinyin(compact, kind)), ("hangul", hangul), ("reading", reading))
        out.extend((key, value) for key, value in derived if value)
    elif script == "hangul":
        if text:
            out.append(("hangul", text))
    elif script == "latin":
        normalized = normalize_pinyin(text) if _is_pinyin_name(text) else None
        if normalized:
            out.append(("pinyin", normalized))
            hangul = pinyin_to_hangul(normalized, sep="" if kind == "person" else " ")
            if hangul:
                out.append(("hangul", hangul))
    return tuple(out)


def _han_compact(text: str) -> str:
    """The Chinese characters of a name in the ``hanja`` script, with the middle dots
    between its parts; spaces, digits and punctuation dropped (賀 俊。 → 賀俊)."""
    return "".join(ch for ch in text if is_han(ch) or has_name_separator(ch))


def _is_pinyin_name(text: str) -> bool:
    """Pinyin by the orthography, word by word (hyphens inside a word allowed)."""
    words = [w for w in split_parts(text) if w]
    return bool(words) and all(split_pinyin(w.replace("-", "'"), strict=True) is not None for w in words)


def forms(name: str, kind: str = "person") -> dict[str, str]:
    """Every form of a name that can be derived, with the keys of ``hanlink names``.

    Parameters
    ----------
    name : str
        A name in Chinese characters (traditional or simplified), Hangul or Latin.
    kind : {"person", "org", "place"}
        ``person`` reads the surname from the surname table and writes pinyin
        as surname + given name; ``org`` transcribes a leading place and reads the
        rest (상하이사회과학원); ``place`` transcribes (상하이) and reads (상해).

    Returns
    -------
    dict
        ``input`` and ``script`` always; ``traditional``, ``simplified``,
        ``pinyin``, ``hangul``, ``reading`` when derivable (a new dict each call).

    Examples
    --------
    >>> forms("蒋媛媛")["hangul"], forms("蒋媛媛")["reading"], forms("蒋媛媛")["pinyin"]
    ('장위안위안', '장원원', 'Jiang Yuanyuan')
    >>> forms("허쥔")
    {'input': '허쥔', 'script': 'hangul', 'hangul': '허쥔'}
    >>> forms("John Smith")
    {'input': 'John Smith', 'script': 'latin'}
    >>> forms("上海", "place")["hangul"], forms("上海", "place")["reading"]
    ('상하이', '상해')
    """
    return dict(_forms(_as_str(name), _check_kind(kind)))


def _pinyin_key(text: str) -> str:
    """Lower-case pinyin without spaces, apostrophes or hyphens; ü written v."""
    return strip_separators(text.lower()).replace("ü", "v")


def _latin_key(text: str) -> str:
    """Lower-case Latin letters and digits only, accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


@lru_cache(maxsize=_CACHE)
def _keys(name: str, kind: str) -> frozenset[str]:
    found: set[str] = set()
    if len(name) > MAX_NAME_CHARS:  # no forms derived (see _forms): the text itself is the only key
        return frozenset({name})
    fields = dict(_forms(name, kind))
    script = fields["script"]
    text = clean(name)
    if script == "hanja":
        compact = _han_compact(text)
        for key in ("traditional", "simplified"):
            if key in fields:
                found.add(strip_separators(fields[key]))
        found.add(strip_separators(compact))
        if kind == "person":
            found.update(_zh.hangul_variants(compact, kind))
            found.update(_hanja.person_reading_variants(compact))
        else:
            for key in ("hangul", "reading"):
                if key in fields:
                    found.update(hangul_place_variants(fields[key]))
            if kind == "place":
                found.update(_zh.hangul_variants(compact, kind))
        for variant in _zh.pinyin_variants(compact, kind):
            found.add(_pinyin_key(variant))
            found.add(variant.lower().replace("ü", "v"))
    elif script == "hangul":
        compact = strip_separators(text)
        found.add(compact)
        if kind != "person":
            found.update(hangul_place_variants(compact))
        else:
            latin = romanize_korean(text)
            if latin:
                found.add(_latin_key(latin))
    elif script == "latin":
        if "pinyin" in fields:
            found.add(_pinyin_key(fields["pinyin"]))
            found.add(fields["pinyin"].lower().replace("ü", "v"))
            if "hangul" in fields:
                found.add(strip_separators(fields["hangul"]))
        else:
            found.add(_latin_key(text))
    else:
        found.add(strip_separators(text).lower())
    found.discard("")
    return frozenset(found)


def keys(name: str, kind: str = "person") -> set[str]:
    """Normalised matching keys of every form of a name.

    Chinese characters in both scripts (spaces removed), the Hangul
    transcription(s) and reading(s) (one per reading of a heteronymous surname),
    pinyin lower-cased without spaces, apostrophes or hyphens (ü as ``v``) plus the
    spaced lower-case pinyin; for Hangul input the input without spaces (and, for
    institutions, the form with a leading place's transcription and reading
    swapped; for people, the romanisation of a Korean name); for Latin input the
    pinyin key and the Hangul transcription, or the lower-cased letters when it is
    not pinyin.

    Examples
    --------
    >>> keys("贺俊") & keys("He Jun") & keys("허쥔")
    {'허쥔'}
    >>> "하준" in keys("賀俊")
    True
    >>> sorted(keys("상하이사회과학원", "org"))
    ['상하이사회과학원', '상해사회과학원']
    """
    return set(_keys(_as_str(name), _check_kind(kind)))


def clear_caches() -> None:
    """Empty the per-name caches of every module of :mod:`pipeline.names` (the data
    tables and OpenCC converters stay loaded). For benchmarks and tests."""
    from pipeline.names import hanja, korean, places, transcribe, zh

    for module in (hanja, korean, places, transcribe, zh):
        for value in vars(module).values():
            if hasattr(value, "cache_clear") and getattr(value, "__module__", None) == module.__name__ \
                    and value.__name__ not in ("_converter", "_table", "_hangul_index"):
                value.cache_clear()
    for function in (detect_script, _forms, _keys):
        function.cache_clear()
