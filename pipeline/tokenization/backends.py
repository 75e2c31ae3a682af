"""The analysers behind one interface: ``Backend.analyze(text) -> [(start, end, tag, semantic)]``.

python-mecab-ko (default: fastest, no JVM, exact spans), Kiwi and konlpy's Java taggers (Komoran, Okt,
Kkma, Hannanum, imported lazily so that importing this module never starts a JVM).
"""
from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
import warnings
from typing import ClassVar, Iterator, Sequence

from pipeline.errors import BackendUnavailableError, HanlinkError
from pipeline.tokenization.alignment import (_ASTRAL, _NON_WS_RUN, _UNSAFE, Morph, _align_surfaces, _chunks,
                                             _cover_gaps, _merge_overlaps, _sanitise_char)

logger = logging.getLogger("pipeline.tokenization.tokenizer")

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
