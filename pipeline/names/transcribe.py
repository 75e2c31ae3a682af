"""Pinyin → Hangul by the National Institute of Korean Language rules for Chinese.

The syllable correspondence is the data table ``data/names/pinyin_hangul.tsv``
(외래어 표기법 표 5 with the 중국어 표기 세칙; generated once by
``data/names/make_pinyin_hangul.py``). This module only parses pinyin into
syllables and looks them up.

Parsing (:func:`split_pinyin`):

* case, tone marks (``Xí Jìnpíng``) and tone numbers (``xi2 jin4ping2``) are
  ignored; ``ü`` may be written ``ü``, ``v`` or ``u:``;
* apostrophes, tone numbers, spaces, hyphens and middle dots are syllable
  boundaries;
* inside a run of letters the split is chosen by pinyin orthography: a syllable
  beginning with a, o or e after another one needs an apostrophe, so the
  split avoiding such syllables wins (``xian`` = xian, not xi'an; ``Changan`` =
  chan gan), then the one with fewest syllables, then longest-first.

Examples
--------
>>> pinyin_to_hangul("Xi Jinping"), pinyin_to_hangul("He Jun"), pinyin_to_hangul("Xi'an")
('시진핑', '허쥔', '시안')
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.names import _data
from pipeline.names._text import clean

_MAX_SYLLABLE = 6  # zhuang, shuang, chuang
_MAX_RUN = 600  # letters of one unbroken pinyin word: 100 syllables of the longest kind
_VOWEL_START_PENALTY = 10
_BOUNDARY = re.compile(r"[\s'’‘`ʼ\-‐‑–—·・•‧_0-9]+")
_WORD_SEPARATORS = re.compile(r"[\s\-‐‑–—·・•‧_]+")


def _fold(text: str) -> str:
    """Lower-case, drop tone marks (keep the diaeresis of ü), write ü as ``ü``."""
    text = unicodedata.normalize("NFD", clean(text).lower())
    text = "".join(ch for ch in text if not (unicodedata.combining(ch) and ch != "\u0308"))
    text = unicodedata.normalize("NFC", text)
    return text.replace("u:", "ü").replace("v", "ü")


@lru_cache(maxsize=65536)
def _split_run(run: str, strict: bool) -> tuple[str, ...] | None:
    """Split a run of letters (no boundaries) into syllables, or None (also for a run longer than
    :data:`_MAX_RUN`: no name is, and the search keeps a tuple per position)."""
    table = _data.pinyin_hangul()
    n = len(run)
    if n > _MAX_RUN:
        return None
    # best[i]: (cost, tie-break, syllables) for run[i:]
    best: list[tuple[int, tuple[int, ...], tuple[str, ...]] | None] = [None] * (n + 1)
    best[n] = (0, (), ())
    for i in range(n - 1, -1, -1):
        options = []
        for length in range(1, min(_MAX_SYLLABLE, n - i) + 1):
            syllable = run[i:i + length]
            rest = best[i + length]
            if rest is None or syllable not in table:
                continue
            cost = 1 + rest[0]
            if i > 0 and syllable[0] in "aoeê":
                if strict:
                    continue
                cost += _VOWEL_START_PENALTY
            options.append((cost, (-length,) + rest[1], (syllable,) + rest[2]))
        if options:
            best[i] = min(options)
    return best[0][2] if best[0] is not None else None


@lru_cache(maxsize=65536)
def split_pinyin(text: str, strict: bool = False) -> tuple[str, ...] | None:
    """The toneless syllables of a pinyin string, or ``None`` if it is not pinyin.

    Parameters
    ----------
    text : str
        Pinyin, any case, with or without tones, apostrophes or spaces.
    strict : bool
        Refuse a split that needs a missing apostrophe (``Lee`` would be le'e).

    Examples
    --------
    >>> split_pinyin("Jinping"), split_pinyin("Xi'an"), split_pinyin("xian")
    (('jin', 'ping'), ('xi', 'an'), ('xian',))
    >>> split_pinyin("Lǚ Jiàngāng"), split_pinyin("zhong1guo2"), split_pinyin("Smith")
    (('lü', 'jian', 'gang'), ('zhong', 'guo'), None)
    """
    folded = _fold(text)
    runs = [run for run in _BOUNDARY.split(folded) if run]
    if not runs:
        return None
    syllables: list[str] = []
    for run in runs:
        part = _split_run(run, strict)
        if part is None:
            return None
        syllables.extend(part)
    return tuple(syllables)


def is_pinyin(text: str) -> bool:
    """Whether every word of ``text`` is toneless or toned pinyin, written by the
    orthography (apostrophes where needed).

    >>> is_pinyin("He Jun"), is_pinyin("Ouyang Xiu"), is_pinyin("Kim Sanghun"), is_pinyin("Lee")
    (True, True, False, False)
    """
    return split_pinyin(text, strict=True) is not None


def join_syllables(syllables: tuple[str, ...] | list[str], capitalize: bool = True) -> str:
    """Write syllables as one pinyin word, with an apostrophe before a non-first
    syllable that starts with a, o or e.

    >>> join_syllables(["xi", "an"]), join_syllables(["yuan", "yuan"]), join_syllables(["nu", "er"])
    ("Xi'an", 'Yuanyuan', "Nu'er")
    """
    word = ""
    for i, syllable in enumerate(syllables):
        if i and syllable[:1] in ("a", "o", "e", "ê"):
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:] if capitalize else word


@lru_cache(maxsize=65536)
def normalize_pinyin(text: str) -> str | None:
    """Pinyin written the usual way: one capitalised word per input word, tones
    dropped, ü kept, apostrophes where needed; ``None`` if not pinyin.

    >>> normalize_pinyin("xi jinping"), normalize_pinyin("HE JUN"), normalize_pinyin("Xí Jìn-píng")
    ('Xi Jinping', 'He Jun', 'Xi Jinping')
    """
    words = []
    for word in re.split(r"\s+|[·・•‧]", _fold(text)):
        if not word:
            continue
        # hyphens inside a word join its syllables (Jin-ping)
        syllables = split_pinyin(word.replace("-", "'"))
        if syllables is None:
            return None
        words.append(join_syllables(syllables))
    return " ".join(words) if words else None


def syllable_to_hangul(syllable: str) -> str | None:
    """Hangul for one toneless pinyin syllable (ü written ü or v), or ``None``.

    >>> [syllable_to_hangul(s) for s in ("zhi", "ri", "jie", "yuan", "xiong", "er", "lv", "gui")]
    ['즈', '르', '제', '위안', '슝', '얼', '뤼', '구이']
    """
    return _data.pinyin_hangul().get(_fold(syllable))


@lru_cache(maxsize=65536)
def pinyin_to_hangul(text: str, sep: str = "") -> str | None:
    """Transcribe pinyin into Hangul; tones ignored. ``None`` if ``text`` is not pinyin.

    Parameters
    ----------
    text : str
        Pinyin (``"Xi Jinping"``, ``"jiang4 yuan2yuan2"``).
    sep : str
        What to put between the input's words; names are written without spaces
        in Korean (시진핑), so the default is ``""``.

    Examples
    --------
    >>> pinyin_to_hangul("Jiang Yuanyuan"), pinyin_to_hangul("Luo Yihong"), pinyin_to_hangul("Wang Xiwen")
    ('장위안위안', '뤄이훙', '왕시원')
    >>> pinyin_to_hangul("Shanghai Shi", sep=" ")
    '상하이 스'
    """
    table = _data.pinyin_hangul()
    words = []
    for word in _WORD_SEPARATORS.split(_fold(text)):
        if not word:
            continue
        syllables = split_pinyin(word)
        if syllables is None:
            return None
        words.append("".join(table[s] for s in syllables))
    return sep.join(words) if words else None


#: Syllables of common unofficial transcriptions the press also writes: 위엔/위앤 for yuan
#: (장위엔위엔), 쟝 for jiang (쟝쩌민).
UNOFFICIAL_SYLLABLES = frozenset("엔앤쟝")


@lru_cache(maxsize=1)
def _transcription_syllables() -> frozenset[str]:
    official = {ch for hangul in _data.pinyin_hangul().values() for ch in hangul}
    return frozenset(official | UNOFFICIAL_SYLLABLES)


def looks_transcribed(text: str) -> bool:
    """True when every character of ``text`` is a Hangul syllable that the official transcription
    of Mandarin writes (쑨, 샤오, 찬, 위안) or a common unofficial one (위엔), i.e. ``text`` can be a
    Chinese name in Hangul.

    >>> looks_transcribed("저우샤오찬"), looks_transcribed("장위엔위엔"), looks_transcribed("김상훈")
    (True, True, False)
    """
    syllables = _transcription_syllables()
    return bool(text) and all(ch in syllables for ch in text)


def syllables_to_hangul(syllables: tuple[str, ...] | list[str]) -> str | None:
    """Hangul for a sequence of toneless syllables, joined; ``None`` if one is unknown.

    >>> syllables_to_hangul(["he", "jun"])
    '허쥔'
    """
    table = _data.pinyin_hangul()
    out = []
    for syllable in syllables:
        hangul = table.get(syllable.replace("v", "ü"))
        if hangul is None:
            return None
        out.append(hangul)
    return "".join(out)
