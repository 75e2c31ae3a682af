"""The candidate generator: a mention → the rows of the knowledge base it may refer to.

Two steps, as the issue asks:

1. **Exact keys, every script.** The mention's keys (:func:`pipeline.kb.aliases.typed_keys`
   of its text and of the hanja given with it) are looked up in the alias index.
   Each hit gets a *match class* (:class:`MatchClass`, larger is more direct) from the
   types of the two keys (:class:`pipeline.kb.aliases.KeyType`):

   ================  ============================================================
   ``WRITTEN``       the name as written on both sides (賀俊 ↔ hanja 賀俊, 贺俊 ↔
                     賀俊 by the simplified fold, 허쥔 ↔ name 허쥔, He Jun ↔ latin He Jun)
   ``CROSS_SCRIPT``  through a transcription or pinyin (He Jun → 허쥔, 賀俊 → 허쥔)
   ``READING``       through a Sino-Korean reading (하준 ↔ 賀俊)
   ================  ============================================================

2. **Fuzzy, for transcription variants** (only for people, only when asked —
   the linker asks when no exact candidate fits). The Hangul form of the mention
   (its text, or the transcription of its pinyin or hanja) is blocked on two
   jamo keys of :mod:`pipeline.names.korean` — the *loose* key (tense = plain =
   aspirated, vowel classes: 허준 = 허쥔) and the *skeleton* (vowel runs as one
   symbol: 장웬웬 = 장위안위안, 루오이홍 = 뤄이훙) — over the Hangul names of
   speakers whose names are transcriptions (:attr:`KnowledgeBase.person_transcribed`).
   Block members are ranked by :func:`pipeline.names.korean.jamo_similarity`;
   those at or above ``min_similarity`` become candidates of class ``FUZZY`` with their
   similarity. Blocks are looked up in hash arrays, so the cost does not grow
   with the table, only with the size of the block (capped at ``max_block``
   members, pre-ranked by a C-level ratio when larger).

>>> from pipeline.kb.tables import load_tables
>>> from pipeline.kb.knowledge_base import KnowledgeBase
>>> generate = CandidateGenerator(KnowledgeBase(load_tables()))
>>> found = generate("He Jun", "PERSON")
>>> [generate.kb.person_ids[r] for r in found.rows], [MatchClass(m).name for m in found.match]
(['P0002'], ['WRITTEN'])
>>> found = generate.fuzzy("장웬웬")
>>> [generate.kb.person_ids[r] for r in found.rows], [round(float(s), 2) for s in found.similarity]
(['P0006'], [0.83])
"""
from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

import numpy as np

from pipeline.kb.aliases import AliasIndex, KeyType, key_hashes, typed_keys
from pipeline.kb.knowledge_base import DAMAGED_FILE_ERRORS, KnowledgeBase, cache_folder, warn_damaged, write_atomic
from pipeline.kb.tables import Tables
from pipeline.names.forms import detect_script
from pipeline.names.korean import jamo_key, jamo_similarity

_RUNS_OF_VOWELS = re.compile("V{2,}")


class MatchClass(IntEnum):
    """How a candidate matched the mention; **larger is more direct** (the linker's match features)."""

    FUZZY = 0
    READING = 1
    CROSS_SCRIPT = 2
    WRITTEN = 3


FUZZY_FORMAT = 1


@dataclass
class Candidates:
    """Candidate rows of one mention, parallel arrays.

    Attributes
    ----------
    rows : int32 array — row positions in the speaker or institution table
    match : int8 array — :class:`MatchClass` of each row
    similarity : float32 array — 1.0 for exact matches, the jamo similarity for fuzzy ones
    """

    rows: np.ndarray
    match: np.ndarray
    similarity: np.ndarray

    @classmethod
    def empty(cls) -> "Candidates":
        return cls(np.zeros(0, np.int32), np.zeros(0, np.int8), np.zeros(0, np.float32))

    def __len__(self) -> int:
        return len(self.rows)

    def __add__(self, other: "Candidates") -> "Candidates":
        return Candidates(np.concatenate([self.rows, other.rows]), np.concatenate([self.match, other.match]),
                          np.concatenate([self.similarity, other.similarity]))


def _match_class(mention_type: int, row_types: np.ndarray) -> np.ndarray:
    if mention_type == KeyType.READING:
        return np.full(len(row_types), MatchClass.READING, dtype=np.int8)
    out = np.where(row_types == KeyType.READING, MatchClass.READING, MatchClass.CROSS_SCRIPT).astype(np.int8)
    if mention_type == KeyType.WRITTEN:
        out[row_types == KeyType.WRITTEN] = MatchClass.WRITTEN
    return out


def blocking_keys(form: str) -> list[str]:
    """The two blocking keys of a Hangul form: loose jamo and skeleton.

    >>> blocking_keys("허쥔") == blocking_keys("허준")
    True
    >>> blocking_keys("장웬웬")[1] == blocking_keys("장위안위안")[1]
    True
    >>> blocking_keys("루오이홍")[1] == blocking_keys("뤄이훙")[1]
    True
    """
    skeleton = _RUNS_OF_VOWELS.sub("V", jamo_key(form, "skeleton"))  # 루오이 → rV, not rVV
    return ["L:" + jamo_key(form, "loose"), "K:" + skeleton]


class FuzzyIndex:
    """Blocking index over the distinct Hangul forms of transcribed speakers.

    ``forms[i]`` is a form; its rows are ``rows[offsets[i]:offsets[i + 1]]``;
    ``blocks`` maps the hash of a blocking key to form ids.
    """

    def __init__(self, forms: list[str], offsets: np.ndarray, rows: np.ndarray, blocks: AliasIndex):
        self.forms = forms
        self.offsets = offsets
        self.rows = rows
        self.blocks = blocks

    @classmethod
    def build(cls, kb: KnowledgeBase) -> "FuzzyIndex":
        forms, row_lists = kb.transcription_forms()
        lengths = np.fromiter((len(r) for r in row_lists), dtype=np.int64, count=len(row_lists))
        offsets = np.zeros(len(forms) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        rows = np.concatenate(row_lists) if row_lists else np.zeros(0, np.int32)
        block_keys, form_ids = [], []
        for i, form in enumerate(forms):
            for key in dict.fromkeys(blocking_keys(form)):
                block_keys.append(key)
                form_ids.append(i)
        blocks = AliasIndex.from_entries(key_hashes(block_keys), np.array(form_ids, dtype=np.int32),
                                         np.zeros(len(form_ids), dtype=np.int8), forms)
        return cls(forms, offsets, rows.astype(np.int32), blocks)

    def block(self, form: str) -> np.ndarray:
        """Ids of the forms sharing a blocking key with ``form``."""
        found = [self.blocks.find(key)[0] for key in blocking_keys(form)]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int32)

    def form_rows(self, form_id: int) -> np.ndarray:
        return self.rows[self.offsets[form_id]:self.offsets[form_id + 1]]

    def to_disk(self, folder: Path, fingerprint: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "fuzzy.npz", lambda handle: np.savez(
            handle, offsets=self.offsets, rows=self.rows, hashes=self.blocks.hashes, form_ids=self.blocks.rows))
        forms = "\n".join(self.forms).encode("utf-8")
        write_atomic(folder / "fuzzy_forms.txt", lambda handle: handle.write(forms))
        meta = json.dumps({"format": FUZZY_FORMAT, "fingerprint": fingerprint, "forms": len(self.forms)})
        write_atomic(folder / "fuzzy.json", lambda handle: handle.write(meta.encode("utf-8")))  # last

    @classmethod
    def from_disk(cls, folder: Path, fingerprint: str) -> "FuzzyIndex | None":
        meta_path = folder / "fuzzy.json"
        if not meta_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != FUZZY_FORMAT \
                    or meta.get("fingerprint") != fingerprint:
                return None
            text = (folder / "fuzzy_forms.txt").read_text(encoding="utf-8")
            forms = text.split("\n") if text else []
            with np.load(folder / "fuzzy.npz") as data:
                blocks = AliasIndex(data["hashes"], data["form_ids"], np.zeros(len(data["form_ids"]), np.int8),
                                    forms)
                index = cls(forms, data["offsets"], data["rows"], blocks)
            if len(forms) != meta.get("forms"):
                raise ValueError(f"{len(forms)} forms, not {meta.get('forms')}")
            return index
        except DAMAGED_FILE_ERRORS as error:  # cut short: built again by generator_for
            warn_damaged(folder, error)
            return None


class CandidateGenerator:
    """Candidates of a mention from a :class:`~pipeline.kb.knowledge_base.KnowledgeBase`: exact keys, then fuzzy.

    Parameters
    ----------
    kb : KnowledgeBase
    min_similarity : float
        Lowest jamo similarity of a fuzzy candidate.
    max_fuzzy : int
        Most fuzzy forms kept per mention (best first).
    max_block : int
        Most block members scored with the jamo similarity; larger blocks are
        pre-ranked with :func:`rapidfuzz.process.extract` on the loose jamo keys.
    fuzzy_index : FuzzyIndex, optional
        A restored index (built from ``kb`` when not given, on first use).
    """

    def __init__(self, kb: KnowledgeBase, *, min_similarity: float = 0.8, max_fuzzy: int = 5,
                 max_block: int = 64, fuzzy_index: FuzzyIndex | None = None):
        self.kb = kb
        self.min_similarity = min_similarity
        self.max_fuzzy = max_fuzzy
        self.max_block = max_block
        self._fuzzy_index = fuzzy_index
        self._exact_cache: dict[tuple, Candidates] = {}

    def clear_cache(self) -> None:
        """Forget the cached exact candidates (benchmarks; the knowledge base itself is immutable)."""
        self._exact_cache.clear()

    @property
    def has_fuzzy_index(self) -> bool:
        """Whether the fuzzy index exists already (given or restored from disk), so the first fuzzy look-up
        does not build it."""
        return self._fuzzy_index is not None

    @property
    def fuzzy_index(self) -> FuzzyIndex:
        if self._fuzzy_index is None:
            self._fuzzy_index = FuzzyIndex.build(self.kb)
        return self._fuzzy_index

    def __call__(self, text: str, label: str, hanja: str | None = None, *, fuzzy: bool = False) -> Candidates:
        """Exact candidates of a mention (plus fuzzy ones for a PERSON when ``fuzzy``)."""
        found = self.exact(text, label, hanja)
        if fuzzy and label == "PERSON":
            extra = self.fuzzy(text, hanja, exclude=found.rows)
            if len(extra):
                found = found + extra
        return found

    def mention_keys(self, text: str, label: str, hanja: str | None = None) -> dict[str, int]:
        kind = "person" if label == "PERSON" else "org"
        keys = typed_keys(text, kind)
        if hanja and hanja != text:
            for key, key_type in typed_keys(hanja, kind).items():
                if key not in keys or key_type < keys[key]:
                    keys[key] = key_type
        return keys

    def exact(self, text: str, label: str, hanja: str | None = None) -> Candidates:
        """Exact candidates (cached: a name repeats within and across documents; treat the arrays as read-only)."""
        key = (text, label, hanja)
        found = self._exact_cache.get(key)
        if found is None:
            if len(self._exact_cache) >= 16384:
                self._exact_cache.clear()
            found = self._exact_cache[key] = self._exact(text, label, hanja)
        return found

    def _exact(self, text: str, label: str, hanja: str | None = None) -> Candidates:
        index = self.kb.alias(label)
        rows_parts, class_parts = [], []
        for key, key_type in self.mention_keys(text, label, hanja).items():
            rows, row_types = index.find(key)
            if len(rows):
                rows_parts.append(rows)
                class_parts.append(_match_class(key_type, row_types))
        if not rows_parts:
            return Candidates.empty()
        rows = np.concatenate(rows_parts)
        classes = np.concatenate(class_parts)
        unique, inverse = np.unique(rows, return_inverse=True)
        best = np.zeros(len(unique), dtype=np.int8)
        np.maximum.at(best, inverse, classes)
        return Candidates(unique.astype(np.int32), best, np.ones(len(unique), dtype=np.float32))

    def hangul_forms(self, text: str, hanja: str | None = None) -> list[str]:
        """The Hangul forms of a mention to compare with the table's transcriptions."""
        forms: list[str] = []
        for source in filter(None, (text, hanja)):
            script = detect_script(source)
            if script == "hangul":
                forms.append("".join(source.split()))
            elif script in ("latin", "hanja"):
                forms.extend(k for k, t in typed_keys(source, "person").items() if t == KeyType.TRANSCRIPTION)
        return list(dict.fromkeys(forms))

    def fuzzy(self, text: str, hanja: str | None = None, *, exclude: np.ndarray | None = None) -> Candidates:
        """Speakers whose transcribed Hangul name sounds like the mention (jamo similarity)."""
        index = self.fuzzy_index
        best: dict[int, float] = {}
        for form in self.hangul_forms(text, hanja):
            ids = index.block(form)
            if not len(ids):
                continue
            choices = [index.forms[i] for i in ids.tolist()]
            if len(choices) > self.max_block:
                from rapidfuzz import fuzz, process

                query = jamo_key(form, "loose")
                ranked = process.extract(query, [jamo_key(c, "loose") for c in choices], scorer=fuzz.ratio,
                                         limit=self.max_block)
                picked = [(int(ids[position]), choices[position]) for _, _, position in ranked]
            else:
                picked = list(zip(ids.tolist(), choices))
            for form_id, choice in picked:
                similarity = jamo_similarity(form, choice)
                if similarity >= self.min_similarity and similarity > best.get(form_id, 0.0):
                    best[form_id] = similarity
        if not best:
            return Candidates.empty()
        kept = sorted(best.items(), key=lambda item: (-item[1], item[0]))[: self.max_fuzzy]
        rows_parts, sims = [], []
        for form_id, similarity in kept:
            rows = index.form_rows(form_id)
            rows_parts.append(rows)
            sims.append(np.full(len(rows), similarity, dtype=np.float32))
        rows = np.concatenate(rows_parts)
        similarity = np.concatenate(sims)
        order = np.lexsort((-similarity, rows))
        rows, similarity = rows[order], similarity[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        rows, similarity = rows[first], similarity[first]
        if exclude is not None and len(exclude):
            keep = ~np.isin(rows, exclude)
            rows, similarity = rows[keep], similarity[keep]
        return Candidates(rows.astype(np.int32), np.full(len(rows), MatchClass.FUZZY, dtype=np.int8),
                          similarity.astype(np.float32))


def generator_for(tables: Tables, min_similarity: float) -> CandidateGenerator:
    """The knowledge base and candidate generator of ``tables``.

    Large tables go through the cache folder (:func:`pipeline.kb.knowledge_base.cache_folder`): restored
    from it when their fingerprint is there, else built and written to it (a folder that cannot be written
    to only costs a warning; the next load builds again).
    """
    target = cache_folder(tables)
    if target is None:
        return CandidateGenerator(KnowledgeBase(tables), min_similarity=min_similarity)
    fingerprint = tables.fingerprint()
    kb = KnowledgeBase.from_disk(target, tables)
    restored_fuzzy = FuzzyIndex.from_disk(target, fingerprint)
    generator = CandidateGenerator(kb, min_similarity=min_similarity, fuzzy_index=restored_fuzzy)
    if not kb.restored or not restored_fuzzy:  # missing, stale or damaged: (re)written whole
        try:
            kb.to_disk(target)
            generator.fuzzy_index.to_disk(target, fingerprint)
        except OSError as error:  # a read-only home is not fatal: the next load builds again
            warnings.warn(f"cannot write the knowledge-base cache {target}: {error}; "
                          "set HANLINK_CACHE_DIR to a writable folder or HANLINK_CACHE=0", stacklevel=2)
    return generator
