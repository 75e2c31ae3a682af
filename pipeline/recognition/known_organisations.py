"""Well-known organisations found by name: ``KBS는``, ``연합뉴스에 따르면``, ``FIVB``.

The statistical model misses many Latin acronyms and broadcasters (KBS, YTN, FIVB,
EC ...). ``data/lexicons/known_organisations.txt`` lists organisations whose name,
standing alone as a word, almost always means the organisation; this module finds
them in a text as ``ORG`` mentions of source ``"known"``, with no table id (the
linker leaves them NIL unless the institution table knows them).

A name matches only as a word of its own:

* it starts the text or follows whitespace, punctuation or a Chinese character
  (美CNN), never a Hangul syllable, a Latin letter, a digit or ``&``;
* it ends the text or is followed by whitespace, punctuation, or one Korean
  particle (``data/names/particles.tsv``, 은/는 as the last syllable requires)
  that itself ends the word. ``KBS2`` and ``MBC스포츠플러스`` hold no listed name;
* the longest listed name wins (``KT&G`` over ``KT``, ``LG 트윈스`` over ``LG``);
* a name followed, after one space and no particle, by a word that makes it part of a
  longer name is left to the other recognisers: a unit (``국회 국방위원회``, ``KBS
  보도국``, ``서울대 공대``, ``삼성전자 이사회``, any ending of ``org_suffixes.txt``), a
  channel (``KBS 2TV``, ``MBC TV``: channels are not organisations, like ``KBS2``) or a
  competition (``KBO 리그``). Rule spans win over the statistical model's entities, so
  tagging ``국회`` alone would cut the model's ``국회 국방위원회`` in two.

All names are one compiled regular expression (a trie, longest first), read once.

Examples
--------
>>> [(m.start, m.end, m.label, m.source) for m in find_known_organisations("KBS는 보도했다.")]
[(0, 3, 'ORG', 'known')]
>>> [text[m.start:m.end] for text in ["연합뉴스에 따르면 유엔과 한국은행은"]
...  for m in find_known_organisations(text)]
['연합뉴스', '유엔', '한국은행']
>>> find_known_organisations("KBS2 드라마와 MBC스포츠플러스 중계")
[]
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline.recognition.appositive import Mention, add_without_overlap
from pipeline.lexicons import default_lexicons, read_entries
from pipeline.names import _data
from pipeline.names.korean import strip_particle
from pipeline.paths import data_path

SOURCE = "known"
LABEL = "ORG"

# Word characters that may not touch a name: \w without Chinese characters (美CNN, 中 국무원 are fine), and &.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_NOT_HAN = rf"[^\W{_HAN}]"

# Endings of a next word that continues the name into a longer one (besides org_suffixes.txt).
_UNIT_ENDINGS = ("위원회", "특위", "이사회", "학과", "공대", "의대", "법대", "병원", "사업부", "엔터테인먼트",
                 "리그", "투어")
_SHORT_UNIT_ENDINGS = ("실", "팀", "국")  # only on a word of 3 syllables or more: 보도국, not 결국
_NEXT_WORD = re.compile(r" ([0-9A-Za-z가-힣]+)")


@lru_cache(maxsize=1)
def _channel() -> re.Pattern[str]:
    """A channel word after a broadcaster: `` 2TV``, `` TV를``, `` FM`` (not `` TV조선``)."""
    return re.compile(rf" [0-9]?(?:TV|FM|MTV)(?=(?:{_particle_alternation()})?(?!\w))")


def _particle_alternation() -> str:
    return "|".join(re.escape(p) for p, _ in _data.particles())  # longest first


def _continues_as_longer_name(text: str, end: int) -> bool:
    """Whether the word after ``text[:end]`` (one space, no particle) makes the name part of a longer one.

    >>> _continues_as_longer_name("국회 국방위원회 소속", 2), _continues_as_longer_name("국회 통과", 2)
    (True, False)
    """
    if _channel().match(text, end):
        return True
    match = _NEXT_WORD.match(text, end)
    if match is None:
        return False
    word = match.group(1)
    stem = strip_particle(word)
    return any(_is_unit(candidate) for candidate in {word, stem})


def _is_unit(word: str) -> bool:
    """A word naming a unit or a competition: 국방위원회, 보도국, 공대, 리그 (not 통과, 결국)."""
    if word.endswith(_UNIT_ENDINGS) or default_lexicons().org_suffix(word):
        return True
    return len(word) >= 3 and word.endswith(_SHORT_UNIT_ENDINGS)


def _default_path() -> Path:
    return data_path("lexicons", "known_organisations.txt")


@lru_cache(maxsize=8)
def load_known_organisations(path: str | Path | None = None) -> tuple[str, ...]:
    """The organisation names of the list, in file order, read once.

    Parameters
    ----------
    path : str or Path, optional
        A list with one name per line, ``#`` starting a comment
        (default: ``data/lexicons/known_organisations.txt``).

    Returns
    -------
    tuple of str
        The names, without duplicates.

    Raises
    ------
    HanlinkError
        When the file cannot be read or is not UTF-8; the message names the file.

    Examples
    --------
    >>> names = load_known_organisations()
    >>> "연합뉴스" in names and "KBS" in names and "정부" not in names
    True
    """
    entries = read_entries(Path(path) if path is not None else _default_path())
    return tuple(dict.fromkeys(" ".join(name.split()) for name in entries))


def _trie_regex(names: list[str]) -> str:
    """One regular expression for ``names`` with shared beginnings written once (a trie).

    Every optional continuation is greedy, so the longest name that fits is tried first
    and a shorter one only when the longer fails (what an alternation sorted longest first
    does, about twice as fast on 460 names).

    >>> _trie_regex(["국회", "국회사무처", "국정원"])
    '국(?:정원|회(?:사무처)?)'
    """
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@lru_cache(maxsize=8)
def _pattern(path: str | Path | None = None) -> re.Pattern[str] | None:
    """One regular expression for every name, longest first (see :func:`_trie_regex`)."""
    names = list(load_known_organisations(path))
    if not names:
        return None
    particles = _particle_alternation()
    # group 1: the name; group 2: the particle after it, if any. After the name (and particle) no word
    # character may follow, nor "&" or "-"+letter (KT&G, SK-II are other names).
    return re.compile(rf"(?<!{_WORD_NOT_HAN})(?<![&])({_trie_regex(names)})"
                      rf"(?=({particles})?(?!\w|&|-[A-Za-z0-9]))")


def _particle_fits(name: str, particle: str | None) -> bool:
    """은/이/을/과 only after a final consonant, 는/가/를/와 after a vowel (Hangul-final names only)."""
    if not particle or not ("가" <= name[-1] <= "힣"):
        return True  # KBS는, 뉴스1의: how the name is read is not known
    return strip_particle(name + particle) == name


def find_known_organisations(text: str, path: str | Path | None = None) -> list[Mention]:
    """The well-known organisations named in ``text``, as ``ORG`` mentions (source ``"known"``).

    Parameters
    ----------
    text : str
        Any text, e.g. one sentence or a whole article.
    path : str or Path, optional
        Another list of names (default: ``data/lexicons/known_organisations.txt``).

    Returns
    -------
    list of Mention
        Non-overlapping mentions in text order; the span is the name without its particle.

    Examples
    --------
    >>> text = "신화통신은 국무원이 발표했다고 전했고, KT&G와 LG 트윈스도 언급됐다."
    >>> [text[m.start:m.end] for m in find_known_organisations(text)]
    ['신화통신', '국무원', 'KT&G', 'LG 트윈스']
    """
    pattern = _pattern(path)
    if pattern is None or not text:
        return []
    mentions: list[Mention] = []
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return mentions
        if _particle_fits(match.group(1), match.group(2)) and (
                match.group(2) or not _continues_as_longer_name(text, match.end(1))):
            mentions.append(Mention(match.start(1), match.end(1), LABEL, SOURCE))
            position = match.end(1)
        else:  # 유엔가 is not 유엔 + 가: look again one character further
            position = match.start(1) + 1


def add_known_organisations(mentions: list[Mention], text: str) -> list[Mention]:
    """``mentions`` plus the known organisations of ``text`` that overlap none of them.

    The other rules (table names, appositives, Latin names) come first: a known name
    inside one of their mentions (알리클라우드 연구센터) is not added.

    Examples
    --------
    >>> add_known_organisations([Mention(0, 3, "PERSON", "latin")], "KBS는 MBC와")[1].start
    5
    """
    return add_without_overlap(mentions, find_known_organisations(text))
