"""Mention replacement for the training data: the same sentences with other names in them.

KMOU is 1.6M characters of news and literature; most names in ordinary text are
names it never shows. :func:`replace_mentions` makes extra training sentences
by putting another name of the same label where a PERSON or ORG mention stood,
so that the model learns the *contexts* of names rather than the names:

* PERSON: a Korean name recombined from a Korean surname and the given name of
  another training mention (김 + 상훈 → 김상훈 from 김상훈 and 박상훈), a Chinese name
  in the official Hangul transcription of random pinyin (``Wang Zhen`` → 왕전),
  or another training mention as it is;
* ORG: another training mention, or a well-known organisation
  (``data/lexicons/known_organisations.txt``).

A replacement ends like the mention it replaces — no final consonant, ㄹ, or
another final consonant — so the particle after it stays right (허쥔은, 왕이는,
구이저우성으로 / 서울로). Only mentions written in Hangul (Latin letters and
digits allowed in ORG) are replaced; spans of the other labels move with the text.
Replacement is seeded: the same input and seed give the same sentences.

Used by ``hanlink train --augment N`` (N extra copies of each training sentence
that has a mention); dev and test are never augmented.

Examples
--------
>>> from pipeline.training.corpora import Sentence
>>> training = [Sentence("a:1", "허쥔은 말했다.", [(0, 2, "PERSON")], "kmou"),
...             Sentence("a:2", "김상훈은 웃었다.", [(0, 3, "PERSON")], "kmou")]
>>> new = replace_mentions(training, copies=3, seed=0)
>>> sorted({s.text[s.spans[0][1]:] for s in new})  # the particle and the rest are kept
['은 말했다.', '은 웃었다.']
>>> all(s.text[:s.spans[0][1]] not in ("허쥔", "김상훈") for s in new)
True
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

from pipeline.training.corpora import Sentence
from pipeline.lexicons import read_entries
from pipeline.names._data import korean_surnames, pinyin_hangul
from pipeline.names._text import final_kind
from pipeline.paths import data_path
from pipeline.names.script import is_hangul

#: Share of PERSON replacements of each kind (the rest: another training mention as it is).
KOREAN_SHARE = 0.4
CHINESE_SHARE = 0.3
#: Share of ORG replacements taken from the well-known organisations (the rest: training mentions).
KNOWN_ORG_SHARE = 0.3

#: The commonest Chinese surnames in pinyin (about half of China's population).
CHINESE_SURNAMES = ("wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
                    "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song",
                    "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan")

_CLASSES = {"none": "V", "rieul": "L", "other": "C"}


def final_class(text: str) -> str | None:
    """How ``text`` ends, for the particle after it: ``"V"`` (no final consonant), ``"L"`` (ㄹ),
    ``"C"`` (another final consonant), None when the last character is not a Hangul syllable.

    >>> final_class("허쥔"), final_class("왕이"), final_class("서울"), final_class("KBS")
    ('C', 'V', 'L', None)
    """
    return _CLASSES.get(final_kind(text))


@dataclass
class _Pools:
    """Replacement names by label and final class."""

    persons: dict[str, list[str]]
    given_names: list[str]
    korean_surnames: list[str]
    syllables: list[str]
    orgs: dict[str, list[str]]
    known_orgs: dict[str, list[str]]


def _by_final(names) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"V": [], "L": [], "C": []}
    for name in sorted(set(names)):
        cls = final_class(name)
        if cls is not None:
            out[cls].append(name)
    return out


def _pools(sentences: Sequence[Sentence]) -> _Pools:
    persons, orgs = [], []
    for s in sentences:
        for start, end, label in s.spans:
            surface = s.text[start:end]
            if label == "PERSON" and is_hangul(surface) and 2 <= len(surface) <= 5:
                persons.append(surface)
            elif label == "ORG" and final_class(surface) and 2 <= len(surface) <= 20 and "\n" not in surface:
                orgs.append(surface)
    ko_surnames = sorted(korean_surnames())
    one_syllable = set(ko_surnames)
    given = sorted({p[1:] for p in persons if len(p) == 3 and p[0] in one_syllable})
    syllables = sorted(pinyin_hangul())
    known = read_entries(data_path("lexicons", "known_organisations.txt"))
    return _Pools(_by_final(persons), given, ko_surnames, syllables, _by_final(orgs), _by_final(known))


def _chinese_name(rng: random.Random, pools: _Pools) -> str | None:
    table = pinyin_hangul()
    surname = rng.choice(CHINESE_SURNAMES)
    given = [rng.choice(pools.syllables) for _ in range(rng.choice((1, 2, 2)))]
    parts = [table.get(surname)] + [table.get(g) for g in given]
    if any(p is None for p in parts):
        return None
    return "".join(parts)


def _person(rng: random.Random, pools: _Pools, cls: str) -> str | None:
    for _ in range(20):
        roll = rng.random()
        if roll < KOREAN_SHARE and pools.given_names:
            name = rng.choice(pools.korean_surnames) + rng.choice(pools.given_names)
        elif roll < KOREAN_SHARE + CHINESE_SHARE:
            name = _chinese_name(rng, pools)
        else:
            choices = pools.persons[cls]
            name = rng.choice(choices) if choices else None
        if name and final_class(name) == cls:
            return name
    return None


def _org(rng: random.Random, pools: _Pools, cls: str) -> str | None:
    source = pools.known_orgs if rng.random() < KNOWN_ORG_SHARE and pools.known_orgs[cls] else pools.orgs
    choices = source[cls]
    return rng.choice(choices) if choices else None


def _replace(sentence: Sentence, rng: random.Random, pools: _Pools, copy: int) -> Sentence | None:
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    position, shift, changed = 0, 0, False
    for start, end, label in sentence.spans:
        surface = sentence.text[start:end]
        cls = final_class(surface)
        new = None
        if cls is not None and (label == "ORG" or (label == "PERSON" and is_hangul(surface))):
            new = _person(rng, pools, cls) if label == "PERSON" else _org(rng, pools, cls)
        if new is None or new == surface:
            new = surface
        else:
            changed = True
        pieces.append(sentence.text[position:start])
        spans.append((start + shift, start + shift + len(new), label))
        pieces.append(new)
        shift += len(new) - (end - start)
        position = end
    if not changed:
        return None
    pieces.append(sentence.text[position:])
    return Sentence(f"{sentence.id}#aug{copy}", "".join(pieces), spans, sentence.source)


def replace_mentions(sentences: Sequence[Sentence], *, copies: int = 1, seed: int = 0) -> list[Sentence]:
    """``copies`` new sentences for each sentence with a PERSON or ORG mention (see the module docstring).

    Parameters
    ----------
    sentences : sequence of Sentence
        Training sentences (spans sorted and not overlapping, as the readers give them).
    copies : int
        Replacement copies per sentence.
    seed : int
        Seed of the random choices.

    Returns
    -------
    list of Sentence
        Only the new sentences (ids ``<id>#aug<k>``); a sentence whose mentions could not be
        replaced gives none.
    """
    if copies < 0:
        raise ValueError(f"copies must be 0 or more, not {copies}")
    if copies == 0:
        return []
    rng = random.Random(seed)
    pools = _pools(sentences)
    out: list[Sentence] = []
    for sentence in sentences:
        if not sentence.spans:
            continue
        for copy in range(copies):
            new = _replace(sentence, rng, pools, copy)
            if new is not None:
                out.append(new)
    return out
