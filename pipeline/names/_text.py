"""Clean-up, separators and Hangul (de)composition shared by the name modules (the character
classes are :mod:`pipeline.names.script`).

Everything here is a pure function of its argument; nothing raises on any
``str`` (lone surrogates, control characters and emoji included).
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.names.script import is_hangul

# Hangul syllable arithmetic (Unicode 3.12): syllable = 0xAC00 + (cho*21 + jung)*28 + jong.
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ",
             "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")

_SURROGATES_AND_CONTROLS = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEPARATORS = "·・•‧ㆍ᛫"  # middle dots used between the parts of a name


def clean(text: str) -> str:
    """Make ``text`` safe for the libraries: drop lone surrogates and control characters,
    fold full-width ASCII and CJK compatibility ideographs (NFKC on those only),
    collapse whitespace.

    Hangul compatibility jamo are left alone (NFKC would turn them into conjoining jamo).

    >>> clean(" 賀\\x00俊 "), clean("Ｘｉ　Ｊｉｎｐｉｎｇ"), clean("郞\\uf90a")
    ('賀俊', 'Xi Jinping', '郞金')
    """
    if not isinstance(text, str):
        return ""
    text = _SURROGATES_AND_CONTROLS.sub("", text)
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F or o == 0x3000:
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return " ".join("".join(out).split())


def strip_separators(text: str) -> str:
    """Remove spaces, middle dots and hyphens (used to build matching keys).

    >>> strip_separators("중국 사회과학원"), strip_separators("努爾·白克力")
    ('중국사회과학원', '努爾白克力')
    """
    return "".join(ch for ch in text if not (ch.isspace() or ch in _SEPARATORS or ch in "-‐‑–—_.,'’‘`ʼ"))


def has_name_separator(text: str) -> bool:
    """Whether a middle dot separates parts of the name (努爾·白克力)."""
    return any(ch in _SEPARATORS for ch in text)


def split_parts(text: str) -> list[str]:
    """Split at middle dots and spaces; empty parts dropped."""
    for sep in _SEPARATORS:
        text = text.replace(sep, " ")
    return text.split()


def decompose(syllable: str) -> tuple[int, int, int]:
    """Indices (choseong, jungseong, jongseong) of a precomposed Hangul syllable.

    >>> decompose("쥔")
    (12, 16, 4)
    """
    index = ord(syllable) - 0xAC00
    return index // 588, (index % 588) // 28, index % 28


def final_kind(word: str) -> str | None:
    """What ends ``word``'s last syllable, which decides the particle after it: ``"none"`` (a vowel),
    ``"rieul"`` (ㄹ: 으로 → 로) or ``"other"`` (another final consonant); None when the last
    character is not a Hangul syllable.

    >>> final_kind("왕이"), final_kind("서울"), final_kind("허쥔"), final_kind("KBS")
    ('none', 'rieul', 'other', None)
    """
    if not word or not is_hangul(word[-1]):
        return None
    final = decompose(word[-1])[2]
    return "none" if final == 0 else "rieul" if final == 8 else "other"


def compose(cho: int, jung: int, jong: int = 0) -> str:
    """The Hangul syllable with the given jamo indices (inverse of :func:`decompose`)."""
    return chr(0xAC00 + cho * 588 + jung * 28 + jong)
