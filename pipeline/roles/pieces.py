"""The pieces a person's description is read from: runs of word tokens between spaces and punctuation.

Korean press writes a person's post around the name with spaces, parentheses, commas and brackets::

    허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은
    [서울=뉴시스] 김예진 기자 =
    고려대 정치외교학과 최민수 교수, 사학과 정혜린 교수

A :class:`Piece` is a maximal run of tokens that are neither whitespace nor punctuation, with the
particle the analyser found at its end split off (``주임은`` → core ``주임``, tail ``은``), and the
separator that follows it (``" "``, ``", "``, ``"("``, ``") "``, ``"="``). Offsets are character
offsets into ``doc.text``.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

#: Analyser tags of punctuation tokens (mecab-ko-dic; Kiwi and the konlpy taggers use the same S* family).
PUNCT_TAGS = frozenset({"SF", "SP", "SS", "SSO", "SSC", "SC", "SE", "SO", "SY", "Punctuation", "_SP"})
#: Characters that separate pieces even when the analyser glued them to a word.
SEPARATORS = frozenset("()[]{}<>（）［］【】〈〉《》「」『』,，、.。·ㆍ/=:;!?\"'“”‘’…~")
OPENERS = "([{（［【〈《「『"
CLOSERS = ")]}）］】〉》」』"


@dataclass
class Piece:
    """A run of word tokens.

    Attributes
    ----------
    start, end : int
        Offsets of the core (without the particle).
    text : str
        The core: ``주임`` of ``주임은``.
    tail : str
        The particle after the core (``은``, ``의``), or ``""``.
    tail_end : int
        Where the piece ends, particle included.
    sep : str
        What stands between this piece and the next one (``" "``, ``", "``, ``"("``).
    depth : int
        Parentheses open around the piece (0 outside any).
    tags : tuple of str
        The analyser's tags of the core's tokens.
    """

    start: int
    end: int
    text: str
    tail: str
    tail_end: int
    sep: str
    depth: int
    tags: tuple[str, ...]
    person_hint: bool = False  # the analyser read a token of the core as a person's name (mecab 인명)

    @property
    def spaced(self) -> bool:
        """Only whitespace separates this piece from the next: a description may run on."""
        return bool(self.sep) and not self.sep.strip()

    @property
    def opens_paren(self) -> bool:
        """A parenthesis opens right after the piece: ``허쥔(``."""
        return self.sep.strip()[:1] in ("(", "（")


def _is_particle(tag: str) -> bool:
    return tag.startswith("J")


def split_pieces(doc: Doc) -> list[Piece]:
    """Cut ``doc`` into pieces.

    >>> from pipeline.tokenization.tokenizer import make_nlp
    >>> doc = make_nlp()("허쥔(賀俊) 중국사회과학원 주임은, [서울=뉴시스]")
    >>> [(p.text, p.tail, p.sep, p.depth) for p in split_pieces(doc)]
    [('허쥔', '', '(', 0), ('賀俊', '', ') ', 1), ('중국사회과학원', '', ' ', 0), ('주임', '은', ', [', 0), ('서울', '', '=', 1), ('뉴시스', '', ']', 1)]
    """
    text = doc.text
    pieces: list[Piece] = []
    run: list = []  # tokens of the current piece
    depth = 0

    def close(next_start: int) -> None:
        if not run:
            return
        core = list(run)
        while len(core) > 1 and _is_particle(core[-1].tag_):
            core.pop()
        start, end = core[0].idx, core[-1].idx + len(core[-1].text)
        tail_end = run[-1].idx + len(run[-1].text)
        pieces.append(Piece(start, end, text[start:end], text[end:tail_end], tail_end, text[tail_end:next_start],
                            depth_at_start[0], tuple(t.tag_ for t in core)))
        run.clear()

    depth_at_start = [0]
    for token in doc:
        word = token.text
        if token.is_space or token.tag_ in PUNCT_TAGS or (word and all(ch in SEPARATORS for ch in word)):
            close(token.idx)
            for ch in word:
                if ch in OPENERS:
                    depth += 1
                elif ch in CLOSERS and depth:
                    depth -= 1
            continue
        if not run:
            depth_at_start[0] = depth
        elif token.idx > run[-1].idx + len(run[-1].text):
            close(token.idx)  # whitespace between two tokens that the tokenizer did not keep as a token
            depth_at_start[0] = depth
        run.append(token)
    close(len(text))
    # the separator of each piece runs to the start of the next one
    for piece, following in zip(pieces, pieces[1:]):
        piece.sep = text[piece.tail_end:following.start]
    if pieces:
        pieces[-1].sep = text[pieces[-1].tail_end:]
    return pieces
