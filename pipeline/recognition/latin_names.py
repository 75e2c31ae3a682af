"""Chinese names written in Latin letters inside Korean text: ``Chen Ming(陈明) 교수는``.

A run of two or three capitalised words is a PERSON mention when every word is
pinyin (:func:`pipeline.names.transcribe.is_pinyin`: ``Chen Ming``,
``Jiang Yuanyuan``, not ``Goldman Sachs``) and it is followed by a title (교수,
주임 ...) or by the same name in Chinese characters in parentheses (陈明 is
Chen Ming). Chinese characters in the parenthesis are the mention's ``hanja``,
as the text gives them.

Examples
--------
>>> [(m.start, m.end, m.hanja, m.title) for m in find_latin_names("Chen Ming(陈明) 교수는 말했다.")]
[(0, 9, '陈明', '교수')]
>>> find_latin_names("Goldman Sachs 회장은 말했다.")
[]
"""
from __future__ import annotations

import re

from pipeline.names.parens import hanja_in_paren, paren_match
from pipeline.recognition.appositive import Mention
from pipeline.lexicons import Lexicons, default_lexicons
from pipeline.names.korean import strip_particle
from pipeline.names.transcribe import is_pinyin
from pipeline.names.zh import pinyin_variants

# Pinyin may carry tone marks (Zhōu Xiǎochuān): capitals and small letters with them count.
_UPPER = "A-ZĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ"
_LOWER = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_LATIN_NAME = re.compile(rf"(?<![{_UPPER}{_LOWER}\-'])([{_UPPER}][{_LOWER}]+(?:[ -][{_UPPER}][{_LOWER}]+){{1,2}})"
                         rf"(?![{_UPPER}{_LOWER}])")
_CAPITAL = re.compile(f"[{_UPPER}]")
_NEXT_WORD = re.compile(r"\s*([가-힣]+)")


def _fold(text: str) -> str:
    return re.sub(r"[\s\-']", "", text).lower()


def _title_after(text: str, pos: int, lexicons: Lexicons) -> str | None:
    match = _NEXT_WORD.match(text, pos)
    if not match:
        return None
    word = match.group(1)
    for candidate in (word, strip_particle(word)):
        if candidate in lexicons.titles:
            return candidate
    return None


def find_latin_names(text: str, lexicons: Lexicons | None = None) -> list[Mention]:
    """PERSON mentions of pinyin names in ``text`` (see the module docstring)."""
    if not _CAPITAL.search(text):  # most Korean sentences: nothing to look at
        return []
    lexicons = lexicons or default_lexicons()
    mentions: list[Mention] = []
    for match in _LATIN_NAME.finditer(text):
        name = match.group(1)
        if not is_pinyin(name):
            continue
        after = match.end()
        hanja, same_name = None, False
        paren = paren_match(text, after, spaced=True)
        if paren:
            hanja = hanja_in_paren(paren.group(1))
            same_name = bool(hanja) and _fold(name) in {_fold(p) for p in pinyin_variants(hanja)}
            after = paren.end()
        title = _title_after(text, after, lexicons)
        if not same_name and title is None:
            continue
        mentions.append(Mention(match.start(1), match.end(1), "PERSON", "latin", hanja=hanja, title=title))
    return mentions
