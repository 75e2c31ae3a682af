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

import functools
import importlib.util
import json
import logging
import os
import re
import warnings
from pathlib import Path
from typing import Callable, ClassVar, Iterable, Iterator, Sequence

import numpy
import spacy
import srsly
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.errors import BackendUnavailableError, HanlinkError, InputDocumentError
from pipeline.names._text import final_kind
from pipeline.tokenization.surname_titles import split_surname_titles

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

Morph = tuple[int, int, str, str]
"""One morpheme: ``(start, end, tag, sem)``; ``sem`` is mecab's semantic class
(``"인명"``, ``"지명"``, ...) or ``""``."""

MAX_CHUNK = 10_000
"""Longest piece of text handed to an analyser in one call (characters)."""

SPACE_TAG = "_SP"
"""``tag_`` of whitespace tokens (spaCy's convention)."""

NAME_TYPES = {"인명": "NameType=Prs", "지명": "NameType=Geo"}
"""mecab semantic class → ``token.morph`` value."""

_WS = re.compile(r"\s*")
_NON_WS = re.compile(r"\S*")
_NON_WS_RUN = re.compile(r"\S+")
# What no analyser gets to see: non-space whitespace, control characters,
# lone surrogates, and the ㆍ separator (U+318D) that mecab glues to words.
_UNSAFE = r"[^\S ]|[\x00-\x1f\x7f-\x9f\ud800-\udfff\u318d]"
_ASTRAL = r"|[\U00010000-\U0010ffff]"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _sanitise_char(match: re.Match) -> str:
    return "·" if match.group() == "\u318d" else " "


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, chunk)``: the non-blank lines of *text*, long ones cut.

    A line longer than :data:`MAX_CHUNK` is cut after the last space in the
    window (or hard at the limit when the window has no space).
    """
    n = len(text)
    start = 0
    while start < n:
        newline = text.find("\n", start)
        end = n if newline < 0 else newline
        while end - start > MAX_CHUNK:
            cut = text.rfind(" ", start + 1, start + MAX_CHUNK)
            if cut < 0:
                cut = start + MAX_CHUNK
            piece = text[start:cut]
            if not piece.isspace():
                yield start, piece
            start = cut
        if end > start:
            piece = text[start:end]
            if not piece.isspace():
                yield start, piece
        start = end + 1


def _cover_gaps(text: str, spans: list[Morph], fallback_tag: str) -> list[Morph]:
    """Return *spans* plus a token for every non-whitespace run they miss.

    *spans* must be sorted and non-overlapping.
    """
    out: list[Morph] = []
    pos = 0
    for span in spans:
        start = span[0]
        if start > pos and not text[pos:start].isspace():
            out.extend((m.start(), m.end(), fallback_tag, "") for m in _NON_WS_RUN.finditer(text, pos, start))
        out.append(span)
        pos = span[1]
    if pos < len(text) and not text[pos:].isspace():
        out.extend((m.start(), m.end(), fallback_tag, "") for m in _NON_WS_RUN.finditer(text, pos))
    return out


def _merge_overlaps(spans: Iterable[Morph]) -> list[Morph]:
    """Merge morphemes that share or overlap a span (Kiwi: 했 → 하+었).

    Tags are joined with ``+``; zero-width morphemes join the previous one.
    """
    out: list[Morph] = []
    for start, end, tag, sem in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and (start < out[-1][1] or end <= start):
            p_start, p_end, p_tag, p_sem = out[-1]
            out[-1] = (p_start, max(p_end, end), f"{p_tag}+{tag}", p_sem or sem)
        elif end > start:
            out.append((start, end, tag, sem))
    return out


def _align_surfaces(text: str, morphs: Iterable[tuple[str, str]]) -> list[Morph]:
    """Align analyser surfaces (without offsets) to *text*.

    Each surface is looked for where the previous one ended (after
    whitespace). A surface that is not there — a restored or normalised form
    such as 쥐+ㄴ for 쥔 — is held back until a later surface is found within
    the current or the next word; the stretch in between becomes one token
    whose tag joins the held-back tags. Nothing is lost or duplicated: what
    remains uncovered is left to :func:`_cover_gaps`.

    Examples
    --------
    >>> _align_surfaces("허쥔은", [("허", "NNP"), ("쥐", "VV"), ("ㄴ", "ETM"), ("은", "JX")])
    [(0, 1, 'NNP', ''), (1, 2, 'VV+ETM', ''), (2, 3, 'JX', '')]
    """
    out: list[Morph] = []
    pending: list[str] = []
    pos = 0
    for raw_surface, tag in morphs:
        for surface in raw_surface.split():
            pos = _WS.match(text, pos).end()
            if not pending:
                if text.startswith(surface, pos):
                    out.append((pos, pos + len(surface), tag, ""))
                    pos += len(surface)
                else:
                    pending.append(tag)
                continue
            word_end = _NON_WS.match(text, pos).end()
            window_end = _NON_WS.match(text, _WS.match(text, word_end).end()).end()
            found = text.find(surface, pos, window_end)
            if found < 0:
                pending.append(tag)
                continue
            if found == pos:  # the held-back morphemes had no surface of their own
                tag = "+".join([*pending, tag])
            else:
                joined = "+".join(pending)
                out.extend((m.start(), m.end(), joined, "") for m in _NON_WS_RUN.finditer(text, pos, found))
            pending = []
            out.append((found, found + len(surface), tag, ""))
            pos = found + len(surface)
    if pending:
        pos = _WS.match(text, pos).end()
        end = _NON_WS.match(text, pos).end()
        if end > pos:
            out.append((pos, end, "+".join(pending), ""))
    return out


class AnalyserFailure(Exception):
    """An analyser raised on its input (wrapped so that our own bugs are not caught)."""


class Backend:
    """One morphological analyser behind the interface the tokenizer needs.

    Subclasses set :attr:`name` and :attr:`fallback_tag` and implement
    :meth:`raw` (the analyser call) and :meth:`_spans` (turning its output
    into chunk-relative spans). Only :meth:`raw` may fail on odd input, by
    raising :class:`AnalyserFailure`; the failure is logged and the chunk is
    retried word by word (a word that still fails becomes one token).
    """

    name: ClassVar[str] = ""
    fallback_tag: ClassVar[str] = "SW"
    """Tag of characters the analyser skipped or could not take."""
    unsafe: ClassVar[re.Pattern] = re.compile(_UNSAFE)
    """Characters replaced (length-preserving) before the analyser sees them."""

    def analyze(self, text: str) -> list[Morph]:
        """Analyse *text* into morphemes with exact character offsets.

        Parameters
        ----------
        text : str
            Any text; blank lines, control characters and emoji are fine.

        Returns
        -------
        list of (int, int, str, str)
            ``(start, end, tag, sem)`` per morpheme, sorted, non-overlapping,
            covering every non-whitespace character of *text*.

        Examples
        --------
        >>> get_backend("mecab").analyze("  허쥔은")
        [(2, 4, 'NNP', '인명'), (4, 5, 'JX', '')]
        """
        out: list[Morph] = []
        for offset, _, spans in self.analyze_chunks(text):
            out.extend((s + offset, e + offset, tag, sem) for s, e, tag, sem in spans)
        return out

    def analyze_chunks(self, text: str) -> Iterator[tuple[int, str, list[Morph]]]:
        """Like :meth:`analyze`, chunk by chunk: ``(offset, chunk, chunk-relative spans)``."""
        for offset, chunk in _chunks(text):
            yield offset, chunk, self._analyze_chunk(chunk)

    def _analyze_chunk(self, chunk: str) -> list[Morph]:
        clean = self.unsafe.sub(_sanitise_char, chunk) if self.unsafe.search(chunk) else chunk
        if clean.isspace():  # e.g. a line of NULs; Hannanum never returns on blank input
            return _cover_gaps(chunk, [], self.fallback_tag)
        try:
            spans = self._spans(clean, self.raw(clean))
        except AnalyserFailure as failure:
            logger.warning(
                "%s failed on a chunk at %r… (%s); analysing it word by word", self.name, chunk[:30], failure
            )
            spans = self._analyze_words(clean)
        # gaps are judged on the original: a NUL the analyser saw as a space is still a character
        return _cover_gaps(chunk, spans, self.fallback_tag)

    def _analyze_words(self, clean: str) -> list[Morph]:
        out: list[Morph] = []
        for word in _NON_WS_RUN.finditer(clean):
            try:
                spans = self._spans(word.group(), self.raw(word.group()))
            except AnalyserFailure as failure:
                logger.warning("%s failed on the word %r (%s); kept as one token", self.name, word.group(), failure)
                spans = []
            out.extend((s + word.start(), e + word.start(), tag, sem) for s, e, tag, sem in spans)
        return out

    def raw(self, text: str):
        """The analyser's own output for one chunk of ``text`` (raises :class:`AnalyserFailure`)."""
        raise NotImplementedError

    def _spans(self, text: str, raw) -> list[Morph]:
        raise NotImplementedError


class MecabBackend(Backend):
    """python-mecab-ko with mecab-ko-dic: the default and the fastest (see BENCHMARKS.md).

    The lattice is read through ``Lattice.to_string()``: one C call per chunk
    instead of one ``Morpheme`` object per morpheme (``MeCab.parse``).
    Surfaces are aligned by searching forward, because mecab's own spans drift
    when a text starts with whitespace. ``sem`` is mecab-ko-dic's semantic
    class (인명, 지명, ...).

    Examples
    --------
    >>> MecabBackend().analyze("허쥔은")
    [(0, 2, 'NNP', '인명'), (2, 3, 'JX', '')]
    """

    name = "mecab"
    fallback_tag = "SY"

    def __init__(self) -> None:
        try:
            import _mecab
            import mecab
        except ImportError as exc:
            raise BackendUnavailableError(
                "the mecab backend needs python-mecab-ko: `pip install python-mecab-ko`"
            ) from exc
        self._lattice_api = _mecab
        self._tagger = mecab.MeCab()._tagger

    def raw(self, text: str) -> str:
        api = self._lattice_api
        lattice = api.Lattice()
        lattice.add_request_type(api.MECAB_ALLOCATE_SENTENCE)
        try:
            lattice.set_sentence(text)
            parsed = self._tagger.parse(lattice)
        except Exception as exc:
            raise AnalyserFailure(f"{type(exc).__name__}: {exc}") from exc
        if not parsed:
            raise AnalyserFailure(self._tagger.what())
        return lattice.to_string()

    def _spans(self, text: str, raw: str) -> list[Morph]:
        spans: list[Morph] = []
        pos = 0
        find = text.find
        for line in raw.split("\n"):
            surface, tab, feature = line.partition("\t")
            if not tab:  # "EOS" and the final empty line
                continue
            fields = feature.split(",", 2)
            start = find(surface, pos)
            if start < 0:  # cannot happen with mecab; _cover_gaps covers it anyway
                continue
            pos = start + len(surface)
            sem = fields[1] if len(fields) > 1 and fields[1] != "*" else ""
            spans.append((start, pos, fields[0], sem))
        return spans


class KiwiBackend(Backend):
    """Kiwi (kiwipiepy), single-threaded. Restored forms are merged.

    Kiwi gives offsets, but restores forms: 했 → 하/VV + 었/EP on one
    character. Morphemes sharing or overlapping a span become one token with
    the tags joined (``VV+EP``).

    Examples
    --------
    >>> KiwiBackend().analyze("했다")
    [(0, 1, 'VV+EP', ''), (1, 2, 'EF', '')]
    """

    name = "kiwi"
    fallback_tag = "SW"

    def __init__(self, user_words: Sequence[tuple[str, ...]] = ()) -> None:
        try:
            import kiwipiepy
        except ImportError as exc:
            raise BackendUnavailableError("the kiwi backend needs kiwipiepy: `pip install kiwipiepy`") from exc
        with warnings.catch_warnings():  # num_workers=0 (one thread) warns about a changed default
            warnings.simplefilter("ignore", DeprecationWarning)
            self._kiwi = kiwipiepy.Kiwi(num_workers=0)
        for surface, tag, *_ in user_words:
            try:
                self._kiwi.add_user_word(surface, tag)
            except (ValueError, TypeError) as exc:
                raise HanlinkError(
                    f"Kiwi refuses the user word {surface!r} with tag {tag!r} ({exc}); "
                    "use one of Kiwi's tags such as NNP or NNG"
                ) from exc

    def raw(self, text: str) -> list:
        try:
            return self._kiwi.tokenize(text)
        except Exception as exc:
            raise AnalyserFailure(f"{type(exc).__name__}: {exc}") from exc

    def _spans(self, text: str, raw: list) -> list[Morph]:
        spans = _merge_overlaps((t.start, t.start + t.len, str(t.tag), "") for t in raw)
        # Kiwi may compose old jamo across a space ("ᄀ ᆨ"); tokens never hold whitespace
        if any(text.find(" ", start, end) >= 0 for start, end, _, _ in spans):
            spans = [
                (m.start(), m.end(), tag, sem)
                for start, end, tag, sem in spans
                for m in _NON_WS_RUN.finditer(text, start, end)
            ]
        return spans


def _find_jvm() -> str | None:
    """The path of a usable libjvm, or ``None``; never starts a JVM."""
    if importlib.util.find_spec("jpype") is None or importlib.util.find_spec("konlpy") is None:
        return None
    import jpype

    try:
        return jpype.getDefaultJVMPath()
    except Exception:  # JVMNotFoundException and friends: no Java here
        return None


class KonlpyBackend(Backend):
    """A konlpy tagger (Java). Surfaces are aligned with :func:`_align_surfaces`.

    Creating one starts the JVM (a few seconds, several hundred MB); importing
    this module does not.
    """

    tagger_class: ClassVar[str] = ""
    pos_options: ClassVar[dict] = {}

    def __init__(self) -> None:
        if _find_jvm() is None:
            raise BackendUnavailableError(
                f"the {self.name} backend runs konlpy's {self.tagger_class} on Java, and no JVM "
                "(or no konlpy/JPype) was found: install a Java runtime (e.g. `apt-get install "
                "default-jre`, or set JAVA_HOME) and `pip install konlpy`, or use backend='mecab'"
            )
        import konlpy.tag

        self._pid = os.getpid()
        try:
            self._tagger = getattr(konlpy.tag, self.tagger_class)()
        except Exception as exc:
            raise BackendUnavailableError(
                f"konlpy's {self.tagger_class} could not start ({type(exc).__name__}: {exc}); "
                "check the Java installation (JAVA_HOME) or use backend='mecab'"
            ) from exc

    def analyze_chunks(self, text: str) -> Iterator[tuple[int, str, list[Morph]]]:
        if os.getpid() != self._pid:  # a JVM does not survive fork(): calls would hang or crash
            raise BackendUnavailableError(
                f"the {self.name} backend (Java) cannot run in a forked process such as "
                "nlp.pipe(n_process>1) workers; use n_process=1, or the mecab or kiwi backend"
            )
        return super().analyze_chunks(text)

    def raw(self, text: str) -> list[tuple[str, str]]:
        try:
            return self._tagger.pos(text, **self.pos_options)
        except Exception as exc:  # Java exceptions surface as various Python types
            raise AnalyserFailure(f"{type(exc).__name__}: {exc}") from exc

    def _spans(self, text: str, raw: list[tuple[str, str]]) -> list[Morph]:
        return _align_surfaces(text, raw)


class KomoranBackend(KonlpyBackend):
    """konlpy's Komoran (Java; the fastest konlpy tagger); restores forms (쥔 → 쥐+ㄴ)."""

    name = "komoran"
    tagger_class = "Komoran"
    unsafe = re.compile(_UNSAFE + _ASTRAL)  # fails on UTF-16 surrogate pairs


class OktBackend(KonlpyBackend):
    """konlpy's Okt (Java); run without normalisation or stemming, so surfaces are exact."""

    name = "okt"
    fallback_tag = "Foreign"
    tagger_class = "Okt"
    pos_options = {"norm": False, "stem": False}


class KkmaBackend(KonlpyBackend):
    """konlpy's Kkma (Java; about 4k chars/s: not for bulk text)."""

    name = "kkma"
    tagger_class = "Kkma"
    unsafe = re.compile(_UNSAFE + _ASTRAL)  # fails on UTF-16 surrogate pairs


class HannanumBackend(KonlpyBackend):
    """konlpy's Hannanum (Java), 9-tag set; glues words across ㆍ and brackets."""

    name = "hannanum"
    fallback_tag = "S"
    tagger_class = "Hannanum"


BACKENDS: dict[str, type[Backend]] = {
    cls.name: cls
    for cls in (MecabBackend, KiwiBackend, KomoranBackend, OktBackend, KkmaBackend, HannanumBackend)
}
"""Backend name → class."""

JAVA_BACKENDS = frozenset(name for name, cls in BACKENDS.items() if issubclass(cls, KonlpyBackend))

_MODULES = {"mecab": "_mecab", "kiwi": "kiwipiepy"}


def available_backends() -> list[str]:
    """Names of the backends usable on this machine (checked without starting a JVM).

    Examples
    --------
    >>> "mecab" in available_backends()    # a dependency; the Java ones need a JVM
    True
    >>> set(available_backends()) <= set(BACKENDS)
    True
    """
    have_jvm = _find_jvm() is not None
    return [
        name for name in BACKENDS
        if (have_jvm if name in JAVA_BACKENDS else importlib.util.find_spec(_MODULES[name]) is not None)
    ]


def get_backend(name: str, kiwi_words: tuple[tuple[str, ...], ...] = ()) -> Backend:
    """The (cached) backend called *name*.

    One instance per backend is shared by all tokenizers (a konlpy tagger
    holds hundreds of MB of JVM heap); Kiwi taught user words is cached per
    word list, a few lists at most.

    Parameters
    ----------
    name : str
        A key of :data:`BACKENDS`.
    kiwi_words : tuple of (surface, tag[, sem])
        User words taught to Kiwi itself (ignored by the other backends).

    Raises
    ------
    BackendUnavailableError
        For an unknown name, or when the analyser is not installed.
    """
    if name not in BACKENDS:
        raise BackendUnavailableError(
            f"unknown tokenizer backend {name!r}; choose one of {', '.join(BACKENDS)}"
        )
    if name == "kiwi" and kiwi_words:
        return _kiwi_with_words(kiwi_words)
    return _shared_backend(name)


@functools.lru_cache(maxsize=None)
def _shared_backend(name: str) -> Backend:
    return BACKENDS[name]()


@functools.lru_cache(maxsize=4)
def _kiwi_with_words(words: tuple[tuple[str, ...], ...]) -> Backend:
    return KiwiBackend(words)


class UserWords:
    """Words from the tables, imposed on the analysis as a post-pass.

    A user word that starts where a morpheme starts becomes one token. If it
    ends inside a morpheme (mecab: 딩쉐샹이 → 딩/쉐/샹이), the rest of the word
    is re-analysed behind a known proper noun with the same final consonant
    (후진타오/시진핑/서울), so the particle gets its proper tag (이/JKS).

    Parameters
    ----------
    words : iterable of (surface, tag) or (surface, tag, sem)
        e.g. ``[("딩쉐샹", "NNP", "인명")]``. Surfaces may not contain whitespace.
    """

    PROXIES = {"none": "후진타오", "rieul": "서울", "other": "시진핑"}

    def __init__(self, words: Iterable[Sequence[str]]) -> None:
        self.words: dict[str, tuple[str, str]] = {}
        for entry in words:
            entry = tuple(entry)
            surface, tag, sem = (entry + ("",))[:3] if len(entry) in (2, 3) else ("", "", "")
            if not surface or any(c.isspace() for c in surface) or not tag:
                raise HanlinkError(
                    f"bad user word {tuple(entry)!r}: give (surface, tag[, sem]) with a non-empty "
                    "surface without whitespace and a tag such as 'NNP'"
                )
            self.words[surface] = (tag, sem)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        self.first_chars = frozenset(w[0] for w in self.words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def as_tuples(self) -> list[tuple[str, str, str]]:
        """The words as ``(surface, tag, sem)`` tuples, in insertion order."""
        return [(w, tag, sem) for w, (tag, sem) in self.words.items()]

    def apply(self, text: str, spans: list[Morph], backend: Backend) -> list[Morph]:
        """Return *spans* with user words merged (and split out) as single tokens."""
        out: list[Morph] = []
        i, n = 0, len(spans)
        while i < n:
            start = spans[i][0]
            match = None
            if text[start] in self.first_chars:
                for length in self.lengths:
                    candidate = text[start:start + length]  # shorter near the end of the text
                    if candidate in self.words:
                        match = start + len(candidate)
                        break
            if match is None:
                out.append(spans[i])
                i += 1
                continue
            word = text[start:match]
            tag, sem = self.words[word]
            j = i
            while j < n and spans[j][1] < match:
                j += 1
            out.append((start, match, tag, sem))
            if j < n and spans[j][0] < match < spans[j][1]:  # ends inside morpheme j
                k = j
                while k + 1 < n and spans[k + 1][0] == spans[k][1]:
                    k += 1
                out.extend(reanalyse_after(text, match, spans[j:k + 1], word, backend))
                i = k + 1
            else:
                i = j + 1
        return out


def reanalyse_after(text: str, start: int, rest: list[Morph], word: str, backend: Backend) -> list[Morph]:
    """Analyse ``text[start:rest[-1].end]`` behind a proxy noun standing for ``word``, which ends at
    ``start``; *rest*'s first morpheme straddles *start*.

    The proxy (후진타오, 서울 or 시진핑) ends like ``word`` (no final consonant, ㄹ, another), so the
    particle that follows gets its proper tag: 딩쉐샹|이 → 이/JKS.
    """
    proxy = UserWords.PROXIES[final_kind(word) or "none"]
    shift = start - len(proxy)
    spans = backend.analyze(proxy + text[start:rest[-1][1]])
    if any(s < len(proxy) < e for s, e, _, _ in spans) or not any(e == len(proxy) for _, e, _, _ in spans):
        # the proxy was not analysed as a word of its own: keep the analyser's tags
        first = rest[0]
        return [(start, first[1], first[2], ""), *rest[1:]]
    return [(s + shift, e + shift, tag, sem) for s, e, tag, sem in spans if s >= len(proxy)]


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
