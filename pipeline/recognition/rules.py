"""spaCy components that find PERSON and ORG mentions.

``hanlink_rules``
    The gazetteer (names written in the tables), the appositive patterns
    (:mod:`pipeline.recognition.appositive`), pinyin names in Latin letters
    (:mod:`pipeline.recognition.latin_names`) and well-known organisations
    (:mod:`pipeline.recognition.known_organisations`). Writes its spans to ``doc.spans["hanlink_rules"]``
    and splits tokens where a name ends inside a morpheme.
``hanlink_merge``
    Builds ``doc.ents`` from the rule spans and whatever a statistical ``ner``
    component already put in ``doc.ents``.

Precedence (documented in the README): a rule span wins over any overlapping
statistical entity; statistical entities fill the rest; among rule spans the
appositive patterns win over bare gazetteer matches, then longer over shorter.
A statistical ORG that is only places, countries or generic government words
(중국 중앙정부, 구이저우성) or a nominalisation in -화 is dropped: those are not
institutions in the product's definition. A statistical PERSON that is a title
(디렉터, 주임) or a -화 noun is dropped: neither is a name.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from pipeline import extensions  # noqa: F401  (registers span extensions)
from pipeline.names.parens import mention_hanja
from pipeline.recognition.appositive import AppositiveMatcher, Mention, add_without_overlap
from pipeline.recognition.boundaries import ensure_boundaries
from pipeline.recognition.known_organisations import add_known_organisations
from pipeline.recognition.latin_names import find_latin_names
from pipeline.lexicons import default_lexicons
from pipeline.names.places import is_place
from pipeline.kb.aliases import typed_keys
from pipeline.names.script import is_han, is_hangul
from pipeline.kb.component import TablesComponent

RULES_SPANS_KEY = "hanlink_rules"
LABELS = ("PERSON", "ORG")


class RuleRecognizer(TablesComponent):
    """The gazetteer and appositive rule layer as a spaCy component.

    Parameters
    ----------
    nlp : Language
        The pipeline (unused; part of the factory signature).
    name : str
        Component name.
    spans_key : str
        Key of ``doc.spans`` where the rule spans go.

    Examples
    --------
    >>> import pipeline
    >>> doc = pipeline.load()("양쥔(楊軍) 알리클라우드 연구센터 전략디렉터는 설명했다.")
    >>> [(e.text, e.label_, e._.title) for e in doc.spans["hanlink_rules"]]
    [('양쥔', 'PERSON', '전략디렉터'), ('알리클라우드 연구센터', 'ORG', None)]
    """

    def __init__(self, nlp: Language, name: str = "hanlink_rules", *, spans_key: str = RULES_SPANS_KEY):
        self.name = name
        self.spans_key = spans_key
        self._matcher: AppositiveMatcher | None = None

    def _on_tables_changed(self) -> None:
        self._matcher = None

    @property
    def matcher(self) -> AppositiveMatcher:
        """The appositive matcher over the current tables (built on first use)."""
        if self._matcher is None:
            self._matcher = AppositiveMatcher(self.tables)
        return self._matcher

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # built from the tokens on every access: once per doc
        mentions = self.matcher.find(doc, text)
        mentions = add_without_overlap(mentions, find_latin_names(text))
        mentions = add_known_organisations(mentions, text)  # KBS, 연합뉴스 ... where no other rule found anything
        offsets: list[int] = []
        for m in mentions:
            offsets += [m.start, m.end]
            if m.affiliation:
                offsets += list(m.affiliation)
        ensure_boundaries(doc, offsets)
        spans = [span for m in mentions if (span := _to_span(doc, text, m)) is not None]
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        return doc


def _to_span(doc: Doc, text: str, mention: Mention) -> Span | None:
    span = doc.char_span(mention.start, mention.end, label=mention.label, alignment_mode="strict")
    if span is None:
        return None
    span._.source = mention.source
    span._.title = mention.title
    if mention.affiliation is not None:
        start, end = mention.affiliation
        unit = mention.affiliation_unit or mention.affiliation
        span._.affiliation = {"text": text[start:end], "start": start, "end": end,
                              "unit_start": unit[0], "unit_end": unit[1], "kb_id": None}
    span._.head = mention.head
    return span


@Language.factory(
    "hanlink_rules",
    default_config={"spans_key": RULES_SPANS_KEY},
    assigns=["doc.spans", "span._.title", "span._.affiliation", "span._.source"],
)
def make_rule_recognizer(nlp: Language, name: str, spans_key: str) -> RuleRecognizer:
    """Factory of :class:`RuleRecognizer` (tables: :meth:`RuleRecognizer.initialize` or ``from_disk``)."""
    return RuleRecognizer(nlp, name, spans_key=spans_key)


def _is_nominalisation(ent: Span) -> bool:
    """A noun in -화 (디지털화, 네트워크화), the suffix split off or not: no institution, no person
    (a name ending in 화, 이정화, is one proper noun for the analyser)."""
    return " " not in ent.text and ent.text.endswith("화") and ent[-1].tag_ in ("XSN", "NNG")


class EntityMerger:
    """Builds ``doc.ents`` from the rule spans and a statistical NER's entities.

    Rule spans win over overlapping statistical entities; statistical entities
    whose label is not in ``labels`` are dropped (KLUE's DT, LC ... are not ours);
    ``label_map`` renames statistical labels (``{"PS": "PERSON"}``).
    """

    def __init__(self, nlp: Language, name: str = "hanlink_merge", *, spans_key: str = RULES_SPANS_KEY,
                 labels: list[str] = list(LABELS), label_map: dict[str, str] | None = None):
        self.name = name
        self.spans_key = spans_key
        self.labels = tuple(labels)
        self.label_map = dict(label_map or {})
        self.lexicons = default_lexicons()

    def _is_institution(self, ent: Span) -> bool:
        """The product's ORG: not a place, a country or a generic government word (중국 중앙정부), and
        not a nominalisation in -화 (네트워크화) — see the model card."""
        words = [w for w in ent.text.replace("·", " ").split() if w]
        if all(w in self.lexicons.not_organisations or is_place(w) for w in words):
            return False
        return not (len(words) == 1 and _is_nominalisation(ent))

    def __call__(self, doc: Doc) -> Doc:
        rules = list(doc.spans.get(self.spans_key, ()))
        taken = [False] * len(doc)
        for span in rules:
            for i in range(span.start, span.end):
                taken[i] = True
        statistical = []
        for ent in doc.ents:
            label = self.label_map.get(ent.label_, ent.label_)
            if label not in self.labels or any(taken[i] for i in range(ent.start, ent.end)):
                continue
            if label == "ORG" and not self._is_institution(ent):
                continue
            if label == "PERSON" and (ent.text in self.lexicons.titles or _is_nominalisation(ent)):
                continue  # a title or a -화 noun is not a name: 디렉터는 말했다, 네트워크화
            new = Span(doc, ent.start, ent.end, label=label)
            if new._.source is None:
                new._.source = "ner"
            statistical.append(new)
        doc.ents = _fold_parenthesised_forms(doc, filter_spans(rules + statistical))
        return doc


def _inside_parenthesis_after(first: Span, second: Span, text: str, *, opening_it: bool = True) -> bool:
    """True for ``first(second…)``: ``second`` stands in a parenthesis written right after ``first``
    (with ``opening_it``, at its very start; else anywhere in it: ``허쥔(賀俊·하준)``)."""
    opening = first.end_char
    if opening >= len(text) or text[opening] not in "(（" or second.start_char <= opening:
        return False
    if opening_it and second.start_char != opening + 1:
        return False
    closing = min((i for i in (text.find(")", opening), text.find("）", opening)) if i != -1), default=-1)
    return closing >= second.end_char


_LATIN_NAME_TEXT = re.compile(r"[A-Za-z][A-Za-z .\-']*")


def _is_name_form(text: str) -> bool:
    """Hanja/simplified characters or a romanisation: a form of the name before the parenthesis."""
    return is_han(text.replace(" ", "")) or _LATIN_NAME_TEXT.fullmatch(text) is not None


def _is_reading_of(text: str, hanja: str | None) -> bool:
    """True when Hangul ``text`` is the transcription or Sino-Korean reading of ``hanja`` (하준 of 賀俊)."""
    return bool(hanja) and is_hangul(text) and text in typed_keys(hanja, "person")


def _fold_parenthesised_forms(doc: Doc, ents: list[Span]) -> list[Span]:
    """``이름(漢字)`` is one mention: drop an entity that is a form of the name right before it.

    The statistical model may tag 허쥔 and 賀俊 in ``허쥔(賀俊)`` as two people, or the
    romanisation in ``장위안위안(Jiang Yuanyuan)`` as an ORG; what the parenthesis holds
    in Chinese characters or Latin letters is a form of the person's name, and hanja are
    kept as the person's ``hanja``; so is a Hangul reading of those hanja anywhere in the
    parenthesis (하준 in ``허쥔(賀俊·하준)``). The rest of a parenthesis (an age, a party, a former
    post: ``왕이(王毅, 전 외교부장)``, ``김철수(金哲洙·더불어민주당)``) is left alone, and a
    person without hanja takes the hanja part of it.
    """
    text = doc.text
    kept: list[Span] = []
    for ent in ents:
        previous = kept[-1] if kept else None
        if previous is not None and _inside_parenthesis_after(previous, ent, text) and (
                previous.label_ == ent.label_ or (previous.label_ == "PERSON" and _is_name_form(ent.text))):
            continue
        if previous is not None and previous.label_ == "PERSON" \
                and _inside_parenthesis_after(previous, ent, text, opening_it=False) \
                and _is_reading_of(ent.text, mention_hanja(text, previous.start_char, previous.end_char, "PERSON")):
            continue
        kept.append(ent)
    return kept


@Language.factory(
    "hanlink_merge",
    default_config={"spans_key": RULES_SPANS_KEY, "labels": list(LABELS), "label_map": {}},
    requires=["doc.spans"],
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.source"],
)
def make_entity_merger(nlp: Language, name: str, spans_key: str, labels: list[str],
                       label_map: dict[str, str]) -> EntityMerger:
    """Factory of :class:`EntityMerger`."""
    return EntityMerger(nlp, name, spans_key=spans_key, labels=labels, label_map=label_map)
