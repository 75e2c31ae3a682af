"""Make character offsets fall on token boundaries by splitting tokens.

A name can end inside an analyser's morpheme: mecab reads 해외산업연구실장 as
해외|산업|연구|실장, but the unit 해외산업연구실 ends inside 실장. spaCy spans
must cover whole tokens, so the token is split (실장 → 실 + 장) with
``Doc.retokenize``; the text and every other token stay as they were.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from spacy.tokens import Doc


def ensure_boundaries(doc: Doc, offsets: Iterable[int]) -> int:
    """Split the tokens of ``doc`` so that every offset starts or ends a token.

    Returns the number of tokens split. Offsets at 0, ``len(doc.text)`` or
    inside whitespace are already boundaries.

    >>> from pipeline.tokenization.tokenizer import make_nlp
    >>> doc = make_nlp()("해외산업연구실장은")
    >>> ensure_boundaries(doc, [7])
    1
    >>> [t.text for t in doc]
    ['해외', '산업', '연구', '실', '장', '은']
    """
    starts = [t.idx for t in doc]
    cuts: dict[int, set[int]] = {}
    for offset in set(offsets):
        position = bisect_right(starts, offset) - 1
        if position < 0:
            continue
        token = doc[position]
        inside = offset - token.idx
        if 0 < inside < len(token.text):
            cuts.setdefault(position, set()).add(inside)
    if not cuts:
        return 0
    with doc.retokenize() as retokenizer:
        for position, points in cuts.items():
            token = doc[position]
            edges = [0, *sorted(points), len(token.text)]
            pieces = [token.text[a:b] for a, b in zip(edges, edges[1:])]
            retokenizer.split(
                token, pieces,
                heads=[(token, 0)] * len(pieces),
                attrs={"TAG": [token.tag_] * len(pieces)},
            )
    return len(cuts)
