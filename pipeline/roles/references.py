"""Later short references to a person already named: ``김 원장은``, ``허 주임``, ``이시바 총리``.

Quotes are usually attributed this way, so they count for the directory. A reference is the key of a
name (a surname, or a word of a spaced name) followed by a title; its antecedent is the closest
earlier full mention with that key. A surname + title with no antecedent is no person.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

from pipeline.roles.pieces import Piece
from pipeline.roles.titles import RoleLexicon

COMPOUND_SURNAMES = frozenset({"남궁", "제갈", "선우", "황보", "사공", "서문", "독고", "동방", "구양", "사마"})


@dataclass(frozen=True)
class Named:
    """A full-name PERSON mention."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Reference:
    """A short reference: the span of its key, the title after it, and its antecedent."""

    start: int
    end: int
    title: str
    title_start: int
    title_end: int
    antecedent: Named


def keys(name: str) -> frozenset[str]:
    """The short forms a later reference may use for ``name``.

    >>> sorted(keys("허쥔")), sorted(keys("남궁민")), sorted(keys("쑨 밍하오")), sorted(keys("도널드 트럼프"))
    (['허'], ['남궁'], ['밍하오', '쑨'], ['도널드', '트럼프'])
    """
    words = name.split()
    if len(words) >= 2:
        return frozenset({words[0], words[-1]})
    if not name or not all("가" <= ch <= "힣" for ch in name) or not 2 <= len(name) <= 5:
        return frozenset()
    if name[:2] in COMPOUND_SURNAMES and len(name) >= 3:
        return frozenset({name[:2]})
    return frozenset({name[:1]})


def find_references(pieces: Sequence[Piece], named: Sequence[Named], lexicon: RoleLexicon,
                    taken: set[int]) -> list[Reference]:
    """Short references in ``pieces`` to the ``named`` mentions (sorted by start).

    ``taken`` holds start offsets of pieces already part of a longer name (never a reference).
    """
    references: list[Reference] = []
    by_key: dict[str, list[Named]] = {}
    for mention in sorted(named, key=lambda n: n.start):
        for key in keys(mention.text):
            by_key.setdefault(key, []).append(mention)
    starts_by_key = {key: [m.start for m in mentions] for key, mentions in by_key.items()}
    for i, piece in enumerate(pieces):
        if piece.start in taken or piece.tail:
            continue
        text = piece.text
        candidates: list[tuple[str, int, int, str]] = []  # key, key_end, title_start, title
        if piece.spaced and i + 1 < len(pieces):
            following = pieces[i + 1]
            if lexicon.is_plain_title(following.text):
                candidates.append((text, piece.end, following.start, following.text))
        for k in (1, 2):  # 박기자, 남궁기자: the title fused to the surname
            if len(text) > k + 1 and lexicon.is_plain_title(text[k:]):
                candidates.append((text[:k], piece.start + k, piece.start + k, text[k:]))
        for key, key_end, title_start, title in candidates:
            antecedent = None
            mentions = by_key.get(key, ())
            at = bisect_left(starts_by_key.get(key, ()), piece.start) - 1
            while at >= 0 and antecedent is None:  # the closest earlier full mention with that key
                if mentions[at].text != key:
                    antecedent = mentions[at]
                at -= 1
            if antecedent is not None:
                references.append(Reference(piece.start, key_end, title, title_start, title_start + len(title),
                                            antecedent))
                break
    return references
