"""Split a one-syllable surname from a title written fused to it: 박기자 → 박 + 기자.

Korean writes forms of address fused to a surname (``박기자는``, ``김일병이``,
``허씨는``, ``남경사는``, ``김모 씨``). A PERSON mention is made of whole tokens,
so when the analyser keeps ``박기`` + ``자`` or ``김일병`` as one word, the name
``박`` cannot be a mention at all. This post-pass of :class:`~pipeline.tokenization.tokenizer.KoreanTokenizer`
imposes the boundaries surname | title, for the titles of
``data/lexicons/surname_titles.txt``.

It leaves alone what is probably not a name:

* a surname syllable that is more often a prefix or an administrative unit
  when fused (부사장, 전장관, 도지사, 시의원, 구의원: :data:`NOT_FUSED_SURNAMES`);
* a word the analyser reads as one common noun (이사장, 조교수: tag ``NNG``), except
  for 씨 (임씨) and ``모`` before 씨/군/양, ``(`` or a title (``이모 씨``, ``박모 상무``;
  ``이모가`` stays whole); the words of the lexicon's ``!`` lines (성씨) are never split;
* a surname the analyser already cut off (박 + 기자: nothing to do);
* a title whose end falls inside another word of the analyser's (정부|장관 is not
  정 + 부장 + 관); only a particle may follow inside that morpheme (강의|원이 → 강 + 의원 + 이).

Examples
--------
>>> text = "박기자는"
>>> split_surname_titles(text, [(0, 2, "NNG", ""), (2, 3, "XSN", ""), (3, 4, "JX", "")])
[(0, 1, 'NNP', '인명'), (1, 3, 'NNG', ''), (3, 4, 'JX', '')]
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Sequence

from pipeline.lexicons import default_lexicons, read_entries
from pipeline.paths import data_path

Morph = tuple[int, int, str, str]

#: Surname syllables that, fused to a title, are far more often a prefix (부- vice, 전- former,
#: 현- current, 총- chief, 대- great, 명예, 수석) or an administrative unit (도, 시, 구, 군):
#: 부사장, 전장관, 도지사, 시의원, 구의원 stay whole.
NOT_FUSED_SURNAMES = frozenset("부전현총대수명주도시구군차원")
#: Tags of a single analyser token covering surname + title that mean "one common word".
COMMON_NOUN_TAGS = frozenset({"NNG"})
#: Titles split even from a word the analyser reads as a common noun (임씨 NNG, 전모 NNG before 씨):
#: the real words among them are listed with "!" in the lexicon (성씨).
LOOSE_TITLES = frozenset({"씨", "모"})
#: Tags given to the two new tokens.
SURNAME_TAG, TITLE_TAG, HONORIFIC_TAG = "NNP", "NNG", "NNB"


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[str, ...], frozenset[str]]:
    """(titles longest first, words never split) from ``data/lexicons/surname_titles.txt``."""
    entries = set(read_entries(data_path("lexicons", "surname_titles.txt")))
    keep = frozenset(e[1:].strip() for e in entries if e.startswith("!"))
    titles = {e for e in entries if not e.startswith("!")}
    return tuple(sorted(titles, key=len, reverse=True)), keep


def _titles() -> tuple[str, ...]:
    return _lexicon()[0]


@lru_cache(maxsize=1)
def _mo_context() -> re.Pattern:
    """What makes 김모 "Kim so-and-so": 씨/군/양, an age in parentheses, or a title (박모 상무, 한모 대표)."""
    titles = sorted(default_lexicons().titles | {"씨", "군", "양", "전"}, key=len, reverse=True)
    return re.compile(r"\s?(?:\(|" + "|".join(map(re.escape, titles)) + ")")


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    from pipeline.names._data import particles

    return frozenset(particle for particle, _ in particles())


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(s for s in default_lexicons().surnames if len(s) == 1) - NOT_FUSED_SURNAMES


def _fused_title(text: str, start: int) -> str | None:
    """The title fused to the surname at ``text[start]``, or None."""
    after = start + 1
    for title in _titles():
        if text.startswith(title, after):
            if title == "모" and not _mo_context().match(text, after + 1):
                continue
            return title
    return None


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def split_surname_titles(text: str, spans: Sequence[Morph],
                         reanalyse: Callable[[str, int, list[Morph]], list[Morph]] | None = None) -> list[Morph]:
    """``spans`` (the analysis of ``text``) with fused surname + title words split.

    Parameters
    ----------
    text : str
        The analysed text (a chunk); spans index into it.
    spans : sequence of (start, end, tag, sem)
        The analyser's morphemes, in order.
    reanalyse : callable, optional
        ``reanalyse(text, start, rest)`` gives the morphemes of ``text[start:rest[-1].end]``
        when the title ends inside ``rest[0]`` (강의 + 원이 → 강 + 의원 + 이); without it
        the rest keeps the straddling morpheme's tag.
    """
    surnames = _surnames()
    out: list[Morph] = []
    i, n = 0, len(spans)
    while i < n:
        start, end, tag, _ = spans[i]
        title = None
        if end - start > 1 and text[start] in surnames and _word_start(text, start):
            title = _fused_title(text, start)
        if title is None:
            out.append(spans[i])
            i += 1
            continue
        title_end = start + 1 + len(title)
        j = i  # the last morpheme that overlaps the surname + title
        while j + 1 < n and spans[j + 1][0] < title_end:
            j += 1
        if spans[j][1] < title_end or any(spans[k + 1][0] != spans[k][1] for k in range(i, j)):
            out.append(spans[i])  # a gap (space) inside: not one fused word
            i += 1
            continue
        last = spans[j]
        if last[1] > title_end and text[title_end:last[1]] not in _particles():
            out.append(spans[i])  # 정부|장관: the analyser reads another word across the title's end
            i += 1
            continue
        one_word = j == i and end == title_end
        if (text[start:title_end] in _lexicon()[1]
                or (one_word and tag in COMMON_NOUN_TAGS and title not in LOOSE_TITLES)):
            out.append(spans[i])  # 이사장, 조교수: the analyser knows the word; 성씨 is listed
            i += 1
            continue
        out.append((start, start + 1, SURNAME_TAG, "인명"))
        out.append((start + 1, title_end, HONORIFIC_TAG if title == "씨" else TITLE_TAG, ""))
        if last[1] > title_end:  # the title ends inside a morpheme: analyse what follows again
            k = j
            while k + 1 < n and spans[k + 1][0] == spans[k][1]:
                k += 1
            rest = list(spans[j:k + 1])
            if reanalyse is not None:
                out.extend(reanalyse(text, title_end, rest))
            else:
                out.append((title_end, last[1], last[2], ""))
                out.extend(rest[1:])
            i = k + 1
        else:
            i = j + 1
    return out
