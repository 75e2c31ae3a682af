"""The Korean morpheme tokenizer: a spaCy tokenizer over pluggable analysers.

Tokens are morphemes, so particles are tokens of their own::

    >>> nlp = make_nlp()
    >>> [t.text for t in nlp("허쥔(賀俊) 주임은 말했다")]
    ['허쥔', '(', '賀', '俊', ')', '주임', '은', '말', '했', '다']

The analysers ("backends") sit behind one small interface,
:meth:`Backend.analyze`, which returns ``(start, end, tag, sem)`` per
morpheme with exact character offsets into the text. Whatever an analyser
does (restoring 했 as 하+었, skipping a character, choking on NUL), the
offsets refer to the original text, and every non-whitespace character is
covered by exactly one morpheme. :class:`KoreanTokenizer` lays those spans out
as a spaCy :class:`~spacy.tokens.Doc` whose ``doc.text`` equals the input.

Layout of a backend's work
--------------------------
1. The text is cut into chunks (lines; over-long lines at a space near
   ``MAX_CHUNK`` characters) so that analyser memory stays bounded.
2. Each chunk is *sanitised for the analyser only*: control characters, lone
   surrogates and non-space whitespace become spaces, ``ㆍ`` becomes ``·``
   (python-mecab-ko glues words across ``ㆍ``), and backends that cannot take
   characters beyond the BMP get spaces for those. Replacements keep the
   length, so offsets are unchanged.
3. The analyser's output is aligned to the chunk (surfaces are searched
   forward from the previous end), and characters the analyser skipped are
   covered with ``fallback_tag`` tokens.

Only this module knows the analysers; the Java ones (konlpy) are imported
lazily, so importing it never starts a JVM.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy
import spacy
import srsly
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.errors import HanlinkError, InputDocumentError
# re-exported: the tokenizer module is where users and tests look for the backends and the alignment
from pipeline.tokenization.alignment import (_SURROGATE, MAX_CHUNK, NAME_TYPES, SPACE_TAG, Morph,  # noqa: F401
                                             _align_surfaces, _cover_gaps, _merge_overlaps)
from pipeline.tokenization.backends import (BACKENDS, JAVA_BACKENDS, AnalyserFailure, Backend,  # noqa: F401
                                            HannanumBackend, KiwiBackend, KkmaBackend, KomoranBackend,
                                            KonlpyBackend, MecabBackend, OktBackend, available_backends,
                                            get_backend)
from pipeline.tokenization.surname_titles import split_surname_titles
from pipeline.tokenization.user_words import UserWords, reanalyse_after

__all__ = [
    "BACKENDS",
    "Backend",
    "HannanumBackend",
    "KiwiBackend",
    "KkmaBackend",
    "KomoranBackend",
    "KoreanTokenizer",
    "MecabBackend",
    "Morph",
    "MAX_CHUNK",
    "OktBackend",
    "UserWords",
    "available_backends",
    "create_korean_tokenizer",
    "get_backend",
    "make_nlp",
]

logger = logging.getLogger(__name__)


class KoreanTokenizer:
    """spaCy tokenizer whose tokens are morphemes; ``doc.text == text`` always.

    ``token.tag_`` is the backend's tag (``NNP``, ``JX``, ``SH``, ...; ``_SP``
    for whitespace tokens). Morphemes of semantic class 인명 (mecab, or a user
    word's third field) get ``token.morph`` ``NameType=Prs``, 지명 ``NameType=Geo``. Whitespace
    follows spaCy: one ``" "`` after a token is its ``whitespace_``, any other
    whitespace run is a token of its own.

    Parameters
    ----------
    vocab : Vocab
        The pipeline's vocabulary.
    backend : str
        A key of :data:`BACKENDS`; ``"mecab"`` by default.
    user_words : iterable of (surface, tag) or (surface, tag, sem)
        Names to keep whole, e.g. ``[("양쥔", "NNP", "인명")]``; see :class:`UserWords`.
    split_surname_titles : bool
        Cut a one-syllable surname from a title fused to it (박기자 → 박 + 기자, 허씨 → 허 + 씨);
        see :mod:`pipeline.tokenization.surname_titles`.

    Examples
    --------
    >>> tok = KoreanTokenizer(Vocab())
    >>> [(t.text, t.tag_) for t in tok("허쥔은 갔다")]
    [('허쥔', 'NNP'), ('은', 'JX'), ('갔', 'VV+EP'), ('다', 'EC')]
    """

    def __init__(self, vocab: Vocab, backend: str = "mecab", user_words: Iterable[Sequence[str]] = (),
                 split_surname_titles: bool = True) -> None:
        self.vocab = vocab
        self._configure(backend, user_words, split_surname_titles)

    def _configure(self, backend: str, user_words: Iterable[Sequence[str]], split_surname_titles: bool = True) -> None:
        self.user_words = UserWords(user_words)
        self.split_surname_titles = split_surname_titles
        self.backend_name = backend
        kiwi_words = tuple(self.user_words.as_tuples()) if backend == "kiwi" else ()
        self.backend = get_backend(backend, kiwi_words)
        self._tag_hashes: dict[str, int] = {}

    def __reduce__(self):
        return (type(self), (self.vocab, self.backend_name, self.user_words.as_tuples(), self.split_surname_titles))

    def __call__(self, text: str) -> Doc:
        surrogate = _SURROGATE.search(text)
        if surrogate:
            raise InputDocumentError(
                f"the text has a lone surrogate {surrogate.group()!r} at character {surrogate.start()}, "
                "which spaCy cannot store; decode the input with errors='replace' (or fix its encoding)"
            )
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        names: list[tuple[int, str]] = []
        seen: dict[str, str] = {}
        pos = 0
        for offset, chunk, spans in self.backend.analyze_chunks(text):
            if self.user_words:
                spans = self.user_words.apply(chunk, spans, self.backend)
            if self.split_surname_titles:
                spans = split_surname_titles(chunk, spans, self._reanalyse)
            pos = _layout(text, offset, spans, pos, words, spaces, tags, names, seen)
        _layout(text, 0, [], pos, words, spaces, tags, names, seen)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if words:
            hashes = self._tag_hashes
            strings = self.vocab.strings
            for tag in set(tags).difference(hashes):
                hashes[tag] = strings.add(tag)
            doc.from_array([TAG], numpy.fromiter(map(hashes.__getitem__, tags), dtype=numpy.uint64, count=len(tags)).reshape(-1, 1))
        for i, morph in names:
            doc[i].set_morph(morph)
        return doc

    def _reanalyse(self, text: str, start: int, rest: list[Morph]) -> list[Morph]:
        return reanalyse_after(text, start, rest, text[start - 1], self.backend)

    # -- serialisation: the configuration only (spaCy's tokenizer API) --
    def _config(self) -> dict:
        return {"backend": self.backend_name, "user_words": [list(w) for w in self.user_words.as_tuples()],
                "split_surname_titles": self.split_surname_titles}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The backend name and user words, as msgpack bytes."""
        return srsly.msgpack_dumps(self._config())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "KoreanTokenizer":
        """Restore what :meth:`to_bytes` stored (recreates the backend)."""
        cfg = srsly.msgpack_loads(data)
        self._configure(cfg["backend"], cfg["user_words"], cfg.get("split_surname_titles", True))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the configuration to ``path/cfg`` (JSON)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg").write_text(json.dumps(self._config(), ensure_ascii=False, indent=1), encoding="utf8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "KoreanTokenizer":
        """Read the configuration written by :meth:`to_disk`."""
        cfg_path = Path(path) / "cfg"
        try:
            cfg = json.loads(cfg_path.read_text(encoding="utf8"))
            backend, user_words = cfg["backend"], cfg["user_words"]
            split = cfg.get("split_surname_titles", True)
        except (OSError, ValueError, KeyError) as exc:
            raise HanlinkError(
                f"{cfg_path}: not a saved KoreanTokenizer configuration ({exc}); save the pipeline "
                "again with nlp.to_disk()"
            ) from exc
        self._configure(backend, user_words, split)
        return self


def _layout(
    text: str, offset: int, spans: list[Morph], pos: int,
    words: list[str], spaces: list[bool], tags: list[str], names: list[tuple[int, str]], seen: dict[str, str],
) -> int:
    """Append the tokens of *spans* (offset by *offset*) and the whitespace before them.

    Returns the end of the last token. With empty *spans* it lays out the
    trailing whitespace up to the end of *text*. Equal words share one string
    through *seen* (a 5 MB document needs 160 MB less).
    """
    for start, end, tag, sem in spans:
        start += offset
        if start > pos:
            if words and text[pos] == " " and tags[-1] != SPACE_TAG:
                spaces[-1] = True
                pos += 1
            if start > pos:
                words.append(text[pos:start])
                spaces.append(False)
                tags.append(SPACE_TAG)
        if sem:
            morph = NAME_TYPES.get(sem)
            if morph:
                names.append((len(words), morph))
        end += offset
        word = text[start:end]
        words.append(seen.setdefault(word, word))
        spaces.append(False)
        tags.append(tag)
        pos = end
    if not spans and pos < len(text):
        if words and text[pos] == " " and tags[-1] != SPACE_TAG:
            spaces[-1] = True
            pos += 1
        if pos < len(text):
            words.append(text[pos:])
            spaces.append(False)
            tags.append(SPACE_TAG)
    return pos


@spacy.registry.tokenizers("hanlink.KoreanTokenizer.v1")
def create_korean_tokenizer(
    backend: str = "mecab", user_words: Sequence[Sequence[str]] = (), split_surname_titles: bool = True
) -> Callable[[Language], KoreanTokenizer]:
    """Registered tokenizer factory ``hanlink.KoreanTokenizer.v1``.

    Examples
    --------
    In a spaCy config::

        [nlp.tokenizer]
        @tokenizers = "hanlink.KoreanTokenizer.v1"
        backend = "mecab"
    """

    def make_tokenizer(nlp: Language) -> KoreanTokenizer:
        return KoreanTokenizer(nlp.vocab, backend=backend, user_words=user_words,
                               split_surname_titles=split_surname_titles)

    return make_tokenizer


def make_nlp(backend: str = "mecab", user_words: Sequence[Sequence[str]] = ()) -> Language:
    """A blank multi-language (``xx``) pipeline with :class:`KoreanTokenizer`.

    (``spacy.blank("ko")`` needs natto-py and a system mecab, hence ``xx``.)

    Examples
    --------
    >>> nlp = make_nlp()
    >>> [t.text for t in nlp("양쥔(楊軍) 대변인은")]
    ['양', '쥔', '(', '楊', '軍', ')', '대변인', '은']
    """
    tokenizer_cfg = {
        "@tokenizers": "hanlink.KoreanTokenizer.v1",
        "backend": backend,
        "user_words": [list(w) for w in user_words],
    }
    return spacy.blank("xx", config={"nlp": {"tokenizer": tokenizer_cfg}})
