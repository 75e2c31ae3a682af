"""Which script a text is written in: the one Han, Hangul and Latin character test of hanlink.

Every stage (names, kb, linking, recognition, training) asks these functions, so
"is this hanja?" has one answer everywhere. Each takes a text and is True when the
text is non-empty and *every* character is of the class (:func:`has_han`: *some*
character), so a single character can be asked too.

=====================  =================================================================
:func:`is_han`         Chinese characters (hanja / hanzi): CJK Unified Ideographs with
                       extensions A–H, compatibility ideographs, 〇
:func:`is_plain_han`   the same without compatibility ideographs and 〇 (text whose NFKC
                       form is itself: the fast path of the alias keys)
:func:`has_han`        at least one Chinese character (중국社會, 王明·58)
:func:`is_hangul`      precomposed Hangul syllables (가 … 힣)
:func:`is_hangul_letter`  Hangul syllables or jamo (conjoining or compatibility: ㅈ)
:func:`is_latin`       Latin letters (ASCII, accented, pinyin with tone marks, full-width)
=====================  =================================================================

Nothing raises on any ``str`` (lone surrogates, controls and emoji included).

>>> is_han("賀俊"), is_han("贺"), is_han("〇"), is_han("허쥔"), is_han("賀 俊"), is_han("")
(True, True, True, False, False, False)
>>> has_han("중국社會"), has_han("중국")
(True, False)
>>> is_hangul("허쥔"), is_hangul("ㅈ"), is_hangul_letter("ㅈ"), is_latin("Xí"), is_latin("×")
(True, False, True, True, False)
"""
from __future__ import annotations

import re

_PLAIN_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002f7ff\U00030000-\U000323af"
_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af\u3007"
_HANGUL_SYLLABLES = "\uac00-\ud7a3"
_HANGUL_LETTERS = _HANGUL_SYLLABLES + "\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\ud7b0-\ud7ff"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a"

_HAN = re.compile(f"[{_HAN_RANGES}]+").fullmatch
_PLAIN_HAN = re.compile(f"[{_PLAIN_HAN_RANGES}]+").fullmatch
_ANY_HAN = re.compile(f"[{_HAN_RANGES}]").search
_HANGUL = re.compile(f"[{_HANGUL_SYLLABLES}]+").fullmatch
_HANGUL_LETTER = re.compile(f"[{_HANGUL_LETTERS}]+").fullmatch
_LATIN_LETTER = re.compile(f"[{_LATIN}]+").fullmatch


def is_han(text: str) -> bool:
    """Whether every character of ``text`` is a Chinese character (hanja / hanzi); False for ``""``."""
    return _HAN(text) is not None


def is_plain_han(text: str) -> bool:
    """:func:`is_han` without compatibility ideographs and 〇: the characters NFKC leaves alone."""
    return _PLAIN_HAN(text) is not None


def has_han(text: str) -> bool:
    """Whether ``text`` holds at least one Chinese character."""
    return _ANY_HAN(text) is not None


def is_hangul(text: str) -> bool:
    """Whether every character of ``text`` is a precomposed Hangul syllable (가 … 힣); False for ``""``."""
    return _HANGUL(text) is not None


def is_hangul_letter(text: str) -> bool:
    """Whether every character of ``text`` is a Hangul syllable or jamo; False for ``""``."""
    return _HANGUL_LETTER(text) is not None


def is_latin(text: str) -> bool:
    """Whether every character of ``text`` is a Latin letter (ASCII, accented, pinyin tone marks, full-width)."""
    return _LATIN_LETTER(text) is not None


__all__ = ["is_han", "is_plain_han", "has_han", "is_hangul", "is_hangul_letter", "is_latin"]
