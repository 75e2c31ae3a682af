"""Whitespace-delimited words (어절) of a tokenized document, with their name-bearing core.

Korean press attaches particles and parentheses to names: ``허쥔(賀俊)``,
``주임은``, ``대외경제정책연구원(KIEP)은``. The rule layer reasons about words,
so this module cuts each word into::

    leading punctuation | core | (parenthesis) | tail (particle, punctuation)

using the analyser's tags to find the particle (tags starting with ``J``) and
character classes for the rest. Offsets are character offsets into
``doc.text``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from spacy.attrs import IDX, LENGTH, MORPH, TAG
from spacy.tokens import Doc

from pipeline.names.parens import PAREN_MAX

#: A word: what stands between spaces, a parenthesis it opens included up to its closing
#: bracket even across spaces (리창(李强, 국무원 총리)은 is one word with its parenthesis).
_WORD = re.compile(r"(?:[(（][^()（）\n]{0,%d}[)）]|\S)+" % PAREN_MAX)
_OPENERS = "(（"
_CLOSERS = ")）"

def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


@dataclass
class Word:
    """One whitespace-delimited word.

    Attributes
    ----------
    start, end : int
        The whole word.
    core_start, core_end : int
        The part that can be a name: without leading punctuation, a
        parenthesis, a particle or trailing punctuation (``허쥔(賀俊)`` → ``허쥔``).
    paren : tuple of int, optional
        Offsets of the inside of a parenthesis right after the core.
    tail : str
        What follows the core (or the parenthesis) in the word, punctuation
        stripped: the particle, e.g. ``"은"`` or ``"의"``; ``""`` if none.
    closed : bool
        False when the word ends with punctuation that closes a phrase (``,``
        ``.`` ``:``) — a pattern does not run across it.
    tags : tuple of str
        The analyser's tags of the tokens inside the core.
    person_hint : bool
        The analyser marked a token of the core as a person name.
    place_hint : bool
        The analyser marked a token of the core as a place name (mecab's 지명: 도쿄, 교토).
    """

    start: int
    end: int
    core_start: int
    core_end: int
    paren: tuple[int, int] | None
    tail: str
    closed: bool
    tags: tuple[str, ...]
    person_hint: bool
    place_hint: bool = False

    def core(self, text: str) -> str:
        return text[self.core_start:self.core_end]

    def paren_text(self, text: str) -> str:
        return text[self.paren[0]:self.paren[1]] if self.paren else ""


def split_words(doc: Doc, text: str | None = None) -> list[Word]:
    """Cut ``doc`` into :class:`Word` s (``text`` is ``doc.text``, when the caller has it already).

    >>> from pipeline.tokenization.tokenizer import make_nlp
    >>> doc = make_nlp()("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은")
    >>> [(w.core(doc.text), w.paren_text(doc.text), w.tail) for w in split_words(doc)]
    [('허쥔', '賀俊', ''), ('중국사회과학원', '', ''), ('공업경제연구소', '', ''), ('주임', '', '은')]
    """
    text = doc.text if text is None else text
    # token attributes as arrays: iterating Token objects costs more than the analyser itself
    array = doc.to_array([IDX, LENGTH, TAG, MORPH])
    starts = array[:, 0].tolist()
    lengths = array[:, 1].tolist()
    strings = doc.vocab.strings
    tags = [strings[t] if t else "" for t in array[:, 2].tolist()]
    person = _person_morph(doc)
    place = doc.vocab.strings.add(_PLACE_MORPH)
    morphs = array[:, 3].tolist()
    tokens = _Tokens(starts, lengths, tags, [m == person for m in morphs], [m == place for m in morphs])
    words: list[Word] = []
    position = 0
    n = len(starts)
    for match in _WORD.finditer(text):
        start, end = match.span()
        while position < n and starts[position] < start:
            position += 1
        last = position
        while last < n and starts[last] < end:
            last += 1
        words.append(_cut(text, start, end, tokens, position, last))
    return words


@dataclass
class _Tokens:
    starts: list[int]
    lengths: list[int]
    tags: list[str]
    persons: list[bool]
    places: list[bool]


def _person_morph(doc: Doc) -> int:
    return doc.vocab.strings.add(_PERSON_MORPH)


_PERSON_MORPH = "NameType=Prs"
_PLACE_MORPH = "NameType=Geo"
_CLOSED_END = re.compile(r"[,.:;!?。，、”’\"'」』》〉\]]\s*$")
_CLOSED_AFTER_PAREN = re.compile(r"[,.:;!?]$")


#: Endings mecab may tag as a particle that in written Korean end a (transcribed) name instead:
#: 루 and 엔 are colloquial for 로 and 에는, so in 천위루 부행장 and 장위엔위엔 부주임 they are
#: the name's last syllable.
_NAME_ENDINGS_NOT_PARTICLES = frozenset({"루", "엔"})


def _token_text(text: str, tokens: _Tokens, k: int) -> str:
    return text[tokens.starts[k]:tokens.starts[k] + tokens.lengths[k]]


def _cut(text: str, start: int, end: int, tokens: _Tokens, first: int, last: int) -> Word:
    i = start
    while i < end and not _is_word_char(text[i]):
        i += 1
    paren = None
    region_end = end
    after = end
    for j in range(i + 1, end):
        if text[j] in _OPENERS:
            close = next((k for k in range(j + 1, end) if text[k] in _CLOSERS), -1)
            paren = (j + 1, close if close != -1 else end)
            region_end = j
            after = close + 1 if close != -1 else end
            break
    core_end = region_end
    while core_end > i and not _is_word_char(text[core_end - 1]):
        core_end -= 1
    if paren is None:
        closed = bool(_CLOSED_END.search(text, start, end))
    else:
        closed = bool(_CLOSED_AFTER_PAREN.search(text[after:end]))
    # particle by the analyser's tags: trailing J* tokens inside the core
    inside = [k for k in range(first, last)
              if tokens.starts[k] >= i and tokens.starts[k] + tokens.lengths[k] <= core_end]
    cut = core_end
    for k in reversed(inside):
        tag = tokens.tags[k]
        if (tag.startswith("J") or tag == "Josa") and _token_text(text, tokens, k) not in _NAME_ENDINGS_NOT_PARTICLES:
            cut = tokens.starts[k]
        else:
            break
    if cut <= i:
        cut = core_end
    tail = text[cut:core_end]
    if paren is not None:
        tail = "".join(ch for ch in text[after:end] if _is_word_char(ch))
    inside = [k for k in inside if tokens.starts[k] < cut]
    return Word(
        start=start, end=end, core_start=i, core_end=cut, paren=paren, tail=tail, closed=closed,
        tags=tuple(tokens.tags[k] for k in inside),
        person_hint=any(tokens.persons[k] for k in inside),
        place_hint=any(tokens.places[k] for k in inside),
    )
