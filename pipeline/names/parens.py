"""The parenthesis after a name: the one parser of hanlink.

Korean press prints a name's original script, an age, a party or a post in parentheses right after
the name: ``허쥔(賀俊)``, ``왕이(王毅, 전 외교부장)``, ``김철수(金哲洙·58)``, ``천밍(陈明, Chen Ming)``.
Every stage reads them here, with one length limit.

>>> paren_after("허쥔(賀俊) 주임", 2)
'賀俊'
>>> hanja_in_paren("王毅, 전 외교부장"), hanja_in_paren("E-mail"), hanja_in_paren("金哲洙·58")
('王毅', None, '金哲洙')
>>> mention_hanja("허쥔(賀俊·하준) 주임", 0, 2, "PERSON"), mention_hanja("贺俊 주임", 0, 2, "PERSON")
('賀俊', '贺俊')
>>> mention_hanja("賀" * 30, 0, 30, "PERSON") is None
True
"""
from __future__ import annotations

import re

from pipeline.names.script import is_han

#: the longest parenthesis read as belonging to the word before it (characters inside)
PAREN_MAX = 60
#: the longest run of Chinese characters taken for a person's hanja
HANJA_MAX = 8
#: the longest institution name in Chinese characters taken as its own hanja (上海社会科学院应用经济研究所: 14)
ORG_HANJA_MAX = 40
PAREN = re.compile(r"[(（]([^()（）]{1,%d})[)）]" % PAREN_MAX)
_PARTS = re.compile(r"[·,，、/;]\s*|\s+")


_SPACED_PAREN = re.compile(r"\s?[(（]([^()（）]{1,%d})[)）]" % PAREN_MAX)


def paren_match(text: str, end: int, *, spaced: bool = False) -> re.Match | None:
    """The parenthesis that opens at ``end`` (right after a word; ``spaced``: or after one space, as
    romanised names are written: ``Chen Ming (陈明)``); ``group(1)`` is its content."""
    return (_SPACED_PAREN if spaced else PAREN).match(text, end)


def paren_after(text: str, end: int, *, spaced: bool = False) -> str | None:
    """The content of the parenthesis that opens at ``end`` (see :func:`paren_match`), or None."""
    match = paren_match(text, end, spaced=spaced)
    return match.group(1) if match else None


def hanja_in_paren(content: str) -> str | None:
    """The name-like hanja part of a parenthesis' content: ``王明·58`` → ``王明``, ``E-mail`` → None."""
    for part in _PARTS.split(content.strip()):
        if is_han(part) and 1 <= len(part) <= HANJA_MAX:
            return part
    return None


def mention_hanja(text: str, start: int, end: int, label: str) -> str | None:
    """The ``hanja`` of a mention ``text[start:end]`` (the contract: the original-script form when the
    text gives it): the mention itself when written in Chinese characters (贺俊, 習近平), else, for a
    person, the hanja part of the parenthesis right after it."""
    mention = text[start:end]
    if is_han(mention.replace(" ", "")):
        # a name has a sane length (issue 14, W14): a run of 1,500 hanja the model took for an entity is no one's
        limit = HANJA_MAX if label == "PERSON" else ORG_HANJA_MAX
        return mention if len(mention) <= limit else None
    if label != "PERSON":
        return None
    content = paren_after(text, end)
    return hanja_in_paren(content) if content else None
