"""The linker: mentions in ``doc.ents`` → rows of the speaker and institution tables.

Three parts, as in scispaCy: the knowledge base (:mod:`pipeline.kb.knowledge_base`), the
candidate generator (:mod:`pipeline.kb.candidates`) and this component, which only
scores, thresholds and sorts.

Scoring
-------
Every candidate gets a feature vector ``x`` and an evidence score
``z = bias + w·x`` (log-odds; :data:`HAND_WEIGHTS`, set by hand: positive for
evidence for, negative for evidence against, so more evidence never lowers a
score). The candidates and NIL then compete in a softmax, calibrated by two
parameters per label fitted on the development half of the gold set
(``data/linker_model.json``; refit with ``python -m pipeline.evaluation.linking --fit``)::

    lᵢ = a · zᵢ + b                      (NIL has logit 0)
    pᵢ = exp(lᵢ) / (1 + Σⱼ exp(lⱼ))      (one candidate: pᵢ = σ(lᵢ))

so ``pᵢ`` is the probability that candidate ``i`` is the referent and the rest
is NIL's. Fitting all thirteen weights on the development set (about 70
candidate pairs) gave degenerate weights (the match features are collinear with
the bias and nearly every candidate is right), so only ``a`` and ``b`` are
learnt. Features of a person:

=================  ===========================================================
``written``        the name matches as written (any script's own form)
``cross``          the name matches through a transcription or pinyin
``reading``        the name matches only through a Sino-Korean reading (하준 ↔ 賀俊)
``fuzzy``          jamo similarity of a transcription variant (허준 ↔ 허쥔), else 0
``hanja_agree``    the text gives hanja and the row has the same (either script)
``hanja_conflict`` the text gives hanja and the row has other ones (何俊 ≠ 賀俊)
``aff_exact``      the appositive's institution is the row's institution
``aff_related``    … is its parent (at any depth) or one of its units
``aff_conflict``   … is linked and unrelated to the row's institution
``aff_unlinked``   the appositive names an institution not in the table
``sent_related``   another institution of the sentence is the row's, or related
``title_match``    the stated title is the row's title
``doc_linked``     an earlier mention of the document was linked to this row
=================  ===========================================================

Institutions use ``written``, ``cross``, ``head_agree`` (the organisation named
just before it — 중국사회과학원 before 공업경제연구소 — is one of its ancestors),
``head_conflict`` and ``sent_ancestor`` (another institution of the sentence is
an ancestor).

The mention's score is the best candidate's probability: a lone candidate
keeps its calibrated ``σ``; namesakes that the context does not separate share
the mass (the likelier one wins with a lower score), while candidates the
context contradicts weigh next to nothing. When the two best are equal the
mention is NIL (``kb_id`` empty) with that score — never a coin toss — and any
mention whose score is below ``threshold`` (chosen on the development split) is
NIL. Fuzzy candidates are only generated for a person when no exact candidate
reaches the threshold.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions  # noqa: F401
from pipeline.kb.candidates import CandidateGenerator, Candidates, FuzzyIndex, MatchClass, generator_for
from pipeline.errors import HanlinkError
from pipeline.kb.knowledge_base import KnowledgeBase, han_hash
from pipeline.names.forms import detect_script
from pipeline.names.parens import mention_hanja
from pipeline.paths import data_path
from pipeline.kb.component import TablesComponent
from pipeline.kb.tables import Tables, file_fingerprint, load_tables

PERSON_FEATURES = ("written", "cross", "reading", "fuzzy", "hanja_agree", "hanja_conflict", "aff_exact",
                   "aff_related", "aff_conflict", "aff_unlinked", "sent_related", "title_match", "doc_linked")
ORG_FEATURES = ("written", "cross", "head_agree", "head_conflict", "sent_ancestor")
#: Features whose weight must be ≤ 0 (evidence against); all others are ≥ 0.
NEGATIVE_FEATURES = frozenset({"hanja_conflict", "aff_conflict", "aff_unlinked", "head_conflict"})
FEATURES = {"PERSON": PERSON_FEATURES, "ORG": ORG_FEATURES}
#: Threshold chosen on the development split of data/gold (see data/linker_model.json and LINKING.md).
DEFAULT_THRESHOLD = 0.65
TIE_EPSILON = 1e-6
#: Hand-set starting weights (used when no fitted model file is found).
HAND_WEIGHTS = {
    "PERSON": {"bias": -2.5, "written": 4.5, "cross": 4.0, "reading": 2.0, "fuzzy": 3.5, "hanja_agree": 2.0,
               "hanja_conflict": -6.0, "aff_exact": 3.0, "aff_related": 2.0, "aff_conflict": -3.0,
               "aff_unlinked": -1.0, "sent_related": 1.5, "title_match": 1.0, "doc_linked": 2.0},
    "ORG": {"bias": -2.0, "written": 5.0, "cross": 4.0, "head_agree": 2.0, "head_conflict": -3.0,
            "sent_ancestor": 1.5},
}
_SENTENCE_END = re.compile(r"(?<=[.?!。？！])[\"'”’)\]]*\s+|\n+")


class Scorer:
    """The scoring model: per label, hand-set evidence weights and a fitted calibration.

    Logit of a candidate against NIL ``l = a · (bias + w·x) + b``: ``w`` and ``bias``
    are :data:`HAND_WEIGHTS` (or a file's ``weights``), ``(a, b)`` the softmax
    calibration (temperature, NIL offset) fitted on the development split
    (``calibration`` in ``data/linker_model.json``; identity without one).
    ``a > 0``, so the order of the evidence is kept.
    """

    def __init__(self, weights: dict[str, dict[str, float]], meta: dict | None = None,
                 calibration: dict[str, dict[str, float]] | None = None):
        self.weights = {label: {k: float(v) for k, v in weights[label].items()} for label in FEATURES}
        self.calibration = {label: {"a": float((calibration or {}).get(label, {}).get("a", 1.0)),
                                    "b": float((calibration or {}).get(label, {}).get("b", 0.0))}
                            for label in FEATURES}
        self.meta = dict(meta or {})
        self._vectors = {label: (self.weights[label].get("bias", 0.0),
                                 np.array([self.weights[label].get(f, 0.0) for f in FEATURES[label]]))
                         for label in FEATURES}

    def evidence(self, label: str, features: np.ndarray) -> np.ndarray:
        """The uncalibrated log-odds ``bias + w·x`` of each candidate."""
        bias, w = self._vectors[label]
        return bias + features @ w

    def logits(self, label: str, features: np.ndarray) -> np.ndarray:
        """Calibrated log-odds of each candidate against NIL: ``a · (bias + w·x) + b``."""
        c = self.calibration[label]
        return c["a"] * self.evidence(label, features) + c["b"]

    def probabilities(self, label: str, features: np.ndarray) -> np.ndarray:
        """P(candidate i is the referent) for each candidate, NIL being the remaining mass:
        ``exp(lᵢ) / (1 + Σⱼ exp(lⱼ))`` — one candidate gives ``σ(l)``."""
        logits = self.logits(label, features)
        if not len(logits):
            return logits
        top = max(float(logits.max()), 0.0)
        weights = np.exp(logits - top)
        return weights / (np.exp(-top) + weights.sum())

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Scorer":
        """The fitted model (``data/linker_model.json`` by default), or the hand-set weights without one."""
        path = Path(path) if path else data_path("linker_model.json")
        if not path.is_file():
            if path == data_path("linker_model.json"):
                return cls(HAND_WEIGHTS, {"source": "hand-set, not calibrated"})
            raise HanlinkError(f"{path}: no such linker model; give a file written by "
                               "`python -m pipeline.evaluation.linking --fit` or leave `model` empty")
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data.get("weights", HAND_WEIGHTS), {k: v for k, v in data.items()
                                                        if k not in ("weights", "calibration")},
                   data.get("calibration"))

    def to_json(self) -> dict:
        return {**self.meta, "weights": self.weights, "calibration": self.calibration}


def decide(probabilities: np.ndarray) -> tuple[int | None, float]:
    """(index of the chosen candidate, or None when the two best are tied; the best probability)."""
    if not len(probabilities):
        return None, 0.0
    best = int(np.argmax(probabilities))
    score = float(probabilities[best])
    if len(probabilities) > 1 and np.partition(probabilities, -2)[-2] >= score - TIE_EPSILON:
        return None, score
    return best, score


@dataclass
class DocContext:
    """What the linker knows about a document while it links it."""

    sentence_starts: list[int]
    linked_orgs: dict[tuple[int, int], int] = field(default_factory=dict)   # span → org row
    by_sentence: dict[int, dict[tuple[int, int], int]] = field(default_factory=dict)  # sentence → its linked orgs
    linked_people: set[int] = field(default_factory=set)

    def sentence(self, start: int) -> int:
        return bisect_right(self.sentence_starts, start) - 1

    def add_org(self, span: tuple[int, int], row: int) -> None:
        self.linked_orgs[span] = row
        self.by_sentence.setdefault(self.sentence(span[0]), {})[span] = row

    def orgs_in_sentence(self, start: int) -> dict[tuple[int, int], int]:
        """The linked institutions of the sentence holding offset ``start`` (span → row)."""
        return self.by_sentence.get(self.sentence(start), {})


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences begin (after . ? ! and line breaks)."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]


class EntityLinker(TablesComponent):
    """Links PERSON and ORG entities to the tables: candidates, context features, calibrated score, NIL.

    Parameters
    ----------
    threshold : float
        Lowest score that links; below it the mention is NIL.
    fuzzy : bool
        Look for transcription variants when no exact candidate fits.
    min_similarity : float
        Lowest jamo similarity of a fuzzy candidate.
    model : str
        Path of a fitted scorer (JSON); ``""`` means ``data/linker_model.json``.

    Examples
    --------
    >>> import pipeline
    >>> doc = pipeline.load(use_model=False)("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다.")
    >>> [(e.text, e.kb_id_) for e in doc.ents]
    [('허쥔', 'P0002'), ('중국사회과학원', 'I0003'), ('공업경제연구소', 'I0004')]
    """

    def __init__(self, nlp: Language, name: str = "hanlink_linker", *,
                 threshold: float = DEFAULT_THRESHOLD, fuzzy: bool = True, min_similarity: float = 0.8,
                 model: str = ""):
        self.name = name
        self.threshold = float(threshold)
        self.fuzzy = fuzzy
        self.min_similarity = float(min_similarity)
        self.model = model
        self.scorer = Scorer.load(model or None)
        self._tables: Tables | None = None
        self._generator: CandidateGenerator | None = None
        #: When a list, every decision is appended to it (mention, candidate rows, features): for fitting.
        self.trace: list | None = None

    # -- the three parts, built on first use ----------------------------------------
    @property
    def generator(self) -> CandidateGenerator:
        if self._generator is None:
            self._generator = generator_for(self.tables, self.min_similarity)
        return self._generator

    @property
    def kb(self) -> KnowledgeBase:
        return self.generator.kb

    def _on_tables_changed(self) -> None:
        self._generator = None

    # -- saving ---------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        self.tables.to_disk(path)
        # the fingerprint of the files just written: what from_disk will load
        fingerprint = file_fingerprint(path / "speakers.csv", path / "institutions.csv")
        self.kb.to_disk(path / "kb", fingerprint)
        self.generator.fuzzy_index.to_disk(path / "kb", fingerprint)
        (path / "scorer.json").write_text(json.dumps(self.scorer.to_json(), ensure_ascii=False, indent=1),
                                          encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()):
        path = Path(path)
        tables = load_tables(path / "speakers.csv", path / "institutions.csv")
        kb = KnowledgeBase.from_disk(path / "kb", tables)
        fuzzy_index = FuzzyIndex.from_disk(path / "kb", tables.fingerprint())
        self._tables = tables
        self._generator = CandidateGenerator(kb, min_similarity=self.min_similarity, fuzzy_index=fuzzy_index)
        if (path / "scorer.json").is_file():
            self.scorer = Scorer.load(path / "scorer.json")
        return self

    # -- linking --------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        context = DocContext(sentence_starts(text))
        ents = list(doc.ents)
        mentions = [EntityView.of(ent, text) for ent in ents]
        results: dict[tuple[int, int], tuple[int | None, float]] = {}
        orgs = [m for m in mentions if m.label == "ORG"]
        for mention in orgs:
            results[mention.key] = self._link_org(mention, context, final=False)
        for mention in orgs:  # second pass: institutions of the whole sentence now known
            if results[mention.key][0] is None:
                results[mention.key] = self._link_org(mention, context, final=True)
        references = {}
        for ent, mention in zip(ents, mentions):
            if mention.label != "PERSON":
                continue
            antecedent = ent._.antecedent
            if antecedent:  # 김 원장은: the person named before, linked as that mention is
                references[mention.key] = (antecedent["start"], antecedent["end"])
                continue
            results[mention.key] = self._link_person(mention, context)
        for key, antecedent in references.items():
            results[key] = results.get(antecedent, (None, None))
        new_ents = []
        for ent, mention in zip(ents, mentions):
            row, score = results.get(mention.key, (None, None))
            kb_id = self.kb.ids(mention.label)[row] if row is not None else ""
            new = Span(doc, ent.start, ent.end, label=ent.label_, kb_id=kb_id)
            new._.score = score
            if row is not None and mention.label == "PERSON" and not mention.hanja:
                new._.kb_hanja = self.tables.speakers["hanja"].iat[row] or None  # forms of the row's hanja
            if mention.affiliation:
                unit = (mention.affiliation["unit_start"], mention.affiliation["unit_end"])
                unit_row = context.linked_orgs.get(unit)
                new._.affiliation = {**mention.affiliation,
                                     "kb_id": self.kb.org_ids[unit_row] if unit_row is not None else None}
            if ent._.roles:
                new._.roles = [self._linked_role(role, context) for role in ent._.roles]
            new_ents.append(new)
        doc.ents = new_ents
        return doc

    def _linked_role(self, role: dict, context: "DocContext") -> dict:
        """A role with its institution's ``kb_id`` (the innermost unit of the chain, when linked)."""
        institution = role.get("institution")
        if not institution or "unit_start" not in institution:
            return role
        unit_row = context.linked_orgs.get((institution["unit_start"], institution["unit_end"]))
        kb_id = self.kb.org_ids[unit_row] if unit_row is not None else None
        return {**role, "institution": {**institution, "kb_id": kb_id}}

    def _threshold(self, row: int | None, score: float) -> int | None:
        return row if row is not None and score >= self.threshold else None

    def _link_org(self, mention: "EntityView", context: DocContext, *, final: bool) -> tuple[int | None, float]:
        candidates = self.generator(mention.text, "ORG", mention.hanja)
        features = self.org_features(mention, candidates, context, final=final)
        row, score = decide(self.scorer.probabilities("ORG", features))
        self._trace(mention, candidates, features)
        row = self._threshold(None if row is None else int(candidates.rows[row]), score)
        if row is not None:
            context.add_org(mention.key, row)
        return row, score

    def _link_person(self, mention: "EntityView", context: DocContext) -> tuple[int | None, float]:
        candidates = self.generator(mention.text, "PERSON", mention.hanja)
        features = self.person_features(mention, candidates, context)
        probabilities = self.scorer.probabilities("PERSON", features)
        index, score = decide(probabilities)
        if self.fuzzy and (index is None or score < self.threshold):
            extra = self.generator.fuzzy(mention.text, mention.hanja, exclude=candidates.rows)
            if len(extra):
                candidates = candidates + extra
                features = self.person_features(mention, candidates, context)
                probabilities = self.scorer.probabilities("PERSON", features)
                index, score = decide(probabilities)
        self._trace(mention, candidates, features)
        row = self._threshold(None if index is None else int(candidates.rows[index]), score)
        if row is None:
            return None, score
        context.linked_people.add(row)
        return row, score

    def _trace(self, mention: "EntityView", candidates: Candidates, features: np.ndarray) -> None:
        if self.trace is not None:
            self.trace.append({"text": mention.doc_text, "start": mention.start, "end": mention.end,
                               "label": mention.label, "rows": candidates.rows.tolist(),
                               "features": features.tolist()})

    # -- features -------------------------------------------------------------------
    def match_features(self, candidates: Candidates) -> tuple[np.ndarray, ...]:
        match = candidates.match
        return ((match == MatchClass.WRITTEN).astype(float), (match == MatchClass.CROSS_SCRIPT).astype(float),
                (match == MatchClass.READING).astype(float),
                np.where(match == MatchClass.FUZZY, candidates.similarity, 0.0).astype(float))

    def person_features(self, span: "EntityView", candidates: Candidates, context: DocContext) -> np.ndarray:
        """The feature matrix (candidates × :data:`PERSON_FEATURES`) of a person mention."""
        kb = self.kb
        rows = candidates.rows
        n = len(rows)
        written, cross, reading, fuzzy = self.match_features(candidates)
        hanja = span.hanja or (span.text if detect_script(span.text) == "hanja" else None)
        mention_han = np.uint64(han_hash(hanja)) if hanja else np.uint64(0)
        row_han = kb.person_han[rows]
        has_han = mention_han != 0
        hanja_agree = (has_han & (row_han == mention_han)).astype(float)
        hanja_conflict = (has_han & (row_han != 0) & (row_han != mention_han)).astype(float)
        institution = kb.person_institution[rows]
        zeros = np.zeros(n)
        aff_exact, aff_related, aff_conflict, aff_unlinked = zeros, zeros, zeros, zeros
        affiliation = span.affiliation
        aff_org = self._affiliation_org(affiliation, context) if affiliation else None
        if aff_org is not None:
            exact = institution == aff_org
            related = ~exact & _member(institution, kb.related_set(aff_org))
            aff_exact, aff_related = exact.astype(float), related.astype(float)
            aff_conflict = ((institution >= 0) & ~exact & ~related).astype(float)
        elif affiliation:
            aff_unlinked = (institution >= 0).astype(float)
        nearby = [row for row in context.orgs_in_sentence(span.start).values() if row != aff_org]
        sent_related = zeros
        if nearby:
            related_rows = set(nearby)
            for row in nearby:
                related_rows |= kb.related_set(row)
            sent_related = _member(institution, related_rows).astype(float)
        title_code = kb.title_code(span.title)
        title_match = ((kb.person_title[rows] == title_code) if title_code >= 0 else np.zeros(n, bool)).astype(float)
        linked_people = context.linked_people
        doc_linked = np.fromiter((r in linked_people for r in rows.tolist()), dtype=float, count=n)
        return np.column_stack([written, cross, reading, fuzzy, hanja_agree, hanja_conflict, aff_exact, aff_related,
                                aff_conflict, aff_unlinked, sent_related, title_match, doc_linked]) \
            if n else np.zeros((0, len(PERSON_FEATURES)))

    def _affiliation_org(self, affiliation: dict, context: DocContext) -> int | None:
        """The innermost linked institution of a person's affiliation (the unit when it is linked)."""
        unit = (affiliation.get("unit_start"), affiliation.get("unit_end"))
        if unit in context.linked_orgs:
            return context.linked_orgs[unit]
        inside = [(key, row) for key, row in context.orgs_in_sentence(affiliation["start"]).items()
                  if affiliation["start"] <= key[0] and key[1] <= affiliation["end"]]
        return max(inside)[1] if inside else None

    def org_features(self, span: "EntityView", candidates: Candidates, context: DocContext, *,
                     final: bool) -> np.ndarray:
        """The feature matrix (candidates × :data:`ORG_FEATURES`) of an institution mention."""
        kb = self.kb
        rows = candidates.rows
        n = len(rows)
        if not n:
            return np.zeros((0, len(ORG_FEATURES)))
        written, cross, reading, _ = self.match_features(candidates)
        cross = np.maximum(cross, reading)
        head = span.head
        head_row = context.linked_orgs.get(tuple(head)) if head else None
        head_agree = np.zeros(n)
        head_conflict = np.zeros(n)
        if head_row is not None:
            agree = _member(rows, kb.unit_set(head_row))  # the candidate is a unit of the head
            head_agree = agree.astype(float)
            head_conflict = (~agree & (rows != head_row)).astype(float)
        sent_ancestor = np.zeros(n)
        if final:
            nearby = {row for key, row in context.orgs_in_sentence(span.start).items() if key != span.key}
            if nearby:
                units = set().union(*(kb.unit_set(o) for o in nearby))
                sent_ancestor = _member(rows, units).astype(float)
        return np.column_stack([written, cross, head_agree, head_conflict, sent_ancestor])


@dataclass
class EntityView:
    """What the linker reads of an entity, read once (spaCy extension look-ups are not free).

    Not :class:`pipeline.recognition.appositive.Mention` (a span the rules found, before it is an entity).
    """

    text: str
    label: str
    start: int
    end: int
    hanja: str | None = None
    title: str | None = None
    affiliation: dict | None = None
    head: tuple[int, int] | None = None
    doc_text: str = ""

    @property
    def key(self) -> tuple[int, int]:
        return self.start, self.end

    @classmethod
    def of(cls, span: Span, doc_text: str) -> "EntityView":
        start, end = span.start_char, span.end_char
        underscore = span._
        hanja = mention_hanja(doc_text, start, end, span.label_)  # as hanlink_forms will decide it
        return cls(doc_text[start:end], span.label_, start, end, hanja, underscore.title,
                   underscore.affiliation, underscore.head, doc_text)


def _member(values: np.ndarray, pool) -> np.ndarray:
    """``values[i] in pool`` for each i (a Python set look-up: cheaper than ``np.isin`` on a few candidates)."""
    if not pool:
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((v in pool for v in values.tolist()), dtype=bool, count=len(values))


@Language.factory(
    "hanlink_linker",
    default_config={"threshold": DEFAULT_THRESHOLD, "fuzzy": True, "min_similarity": 0.8, "model": ""},
    requires=["doc.ents"],
    assigns=["token.ent_kb_id", "span._.score", "span._.affiliation", "span._.roles", "span._.kb_hanja"],
)
def make_linker(nlp: Language, name: str, threshold: float, fuzzy: bool, min_similarity: float,
                model: str) -> EntityLinker:
    """Factory of :class:`EntityLinker` (tables: :meth:`EntityLinker.initialize` or ``from_disk``)."""
    return EntityLinker(nlp, name, threshold=threshold, fuzzy=fuzzy, min_similarity=min_similarity, model=model)
