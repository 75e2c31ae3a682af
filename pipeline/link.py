"""The linker: mentions in ``doc.ents`` → rows of the speaker and institution tables.

Candidates come from the alias index of :class:`~pipeline.tables.Tables`
(exact keys of every form of every name: 賀俊, 贺俊, 허쥔, 하준, He Jun all
reach P0002). Scoring, in this first version:

* an organisation inside an affiliation (공업경제연구소 after 중국사회과학원)
  prefers the candidate whose ancestors include the organisation named before
  it;
* a person prefers the candidate whose institution is the stated affiliation,
  one of its units or one of its parents;
* one candidate left: score 1.0 when the context agrees (or says nothing) and
  0.6 when it contradicts; several candidates left and tied: NIL (``kb_id``
  empty) with score 0.5, never a coin toss;
* no candidate: NIL with score 0.0.

A mention is linked when its score reaches ``threshold``.
"""
from __future__ import annotations

from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401
from .normalize import mention_forms
from .recognize import TablesMixin
from .tables import Tables

NIL_TIED_SCORE = 0.5
CONTRADICTED_SCORE = 0.6


class ExactAliasLinker(TablesMixin):
    """Links PERSON and ORG entities by exact alias keys, with affiliation context.

    Parameters
    ----------
    speakers, institutions : str
        Paths of the tables; ``""`` means the shipped tables in ``data/``.
    threshold : float
        Lowest score that links; below it the mention is NIL.

    Examples
    --------
    >>> import pipeline
    >>> doc = pipeline.load()("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다.")
    >>> [(e.text, e.kb_id_) for e in doc.ents]
    [('허쥔', 'P0002'), ('중국사회과학원', 'I0003'), ('공업경제연구소', 'I0004')]
    """

    def __init__(self, nlp: Language, name: str = "hanlink_linker", *, speakers: str = "",
                 institutions: str = "", threshold: float = 0.55):
        self.name = name
        self.speakers = speakers
        self.institutions = institutions
        self.threshold = threshold
        self.tables = self._load_tables()

    def __call__(self, doc: Doc) -> Doc:
        linked: dict[tuple[int, int], str] = {}
        new_ents: list[Span] = []
        # organisations first: persons use their affiliations' links
        ents = sorted(doc.ents, key=lambda e: (e.label_ != "ORG", e.start))
        for ent in ents:
            if ent.label_ == "ORG":
                kb_id, score = self._link_org(ent, linked)
            elif ent.label_ == "PERSON":
                kb_id, score = self._link_person(ent, linked)
            else:
                kb_id, score = None, None
            if kb_id and score is not None and score < self.threshold:
                kb_id = None
            new = Span(doc, ent.start, ent.end, label=ent.label_, kb_id=kb_id or "")
            new._.score = score
            if kb_id:
                linked[(new.start_char, new.end_char)] = kb_id
                if ent.label_ == "PERSON" and not ent._.hanja:
                    self._add_row_forms(new, kb_id)
            new_ents.append(new)
        doc.ents = sorted(new_ents, key=lambda e: e.start)
        for ent in doc.ents:
            affiliation = ent._.affiliation
            if affiliation:
                unit = (affiliation["unit_start"], affiliation["unit_end"])
                ent._.affiliation = {**affiliation, "kb_id": linked.get(unit)}
        return doc

    def _add_row_forms(self, span: Span, kb_id: str) -> None:
        """Give a Hangul-only mention the forms of its row's hanja (the text did not, so ``hanja`` stays None)."""
        row_hanja = self.tables.speaker(kb_id).get("hanja", "")
        if row_hanja:
            span._.forms = {**mention_forms(span.text, row_hanja, "PERSON"), **(span._.forms or {})}

    # -- candidates ----------------------------------------------------------
    def _candidates(self, span: Span, label: str) -> list[str]:
        found = self.tables.lookup(span.text, label)
        if span._.hanja:
            found += [c for c in self.tables.lookup(span._.hanja, label) if c not in found]
        return found

    def _link_org(self, span: Span, linked: dict) -> tuple[str | None, float]:
        candidates = self._candidates(span, "ORG")
        if not candidates:
            return None, 0.0
        head = span._.head
        head_id = linked.get(tuple(head)) if head else None
        if head_id:
            agreeing = [c for c in candidates if head_id in self.tables.ancestors(c)]
            if agreeing:
                candidates = agreeing
            elif len(candidates) == 1:
                return candidates[0], CONTRADICTED_SCORE
        if len(candidates) == 1:
            return candidates[0], 1.0
        return None, NIL_TIED_SCORE

    def _link_person(self, span: Span, linked: dict) -> tuple[str | None, float]:
        candidates = self._candidates(span, "PERSON")
        if not candidates:
            return None, 0.0
        affiliation = span._.affiliation
        org_id = linked.get((affiliation["unit_start"], affiliation["unit_end"])) if affiliation else None
        if org_id:
            agreeing = [c for c in candidates if self._related(self.tables.speaker(c)["institution_id"], org_id)]
            if agreeing:
                candidates = agreeing
            elif len(candidates) == 1:
                return candidates[0], CONTRADICTED_SCORE
        if len(candidates) == 1:
            return candidates[0], 1.0
        return None, NIL_TIED_SCORE

    def _related(self, a: str, b: str) -> bool:
        """True when institutions ``a`` and ``b`` are the same, or one is a parent of the other."""
        if not a or not b:
            return False
        return a == b or b in self.tables.ancestors(a) or a in self.tables.ancestors(b)


@Language.factory(
    "hanlink_linker",
    default_config={"speakers": "", "institutions": "", "threshold": 0.55},
)
def make_linker(nlp: Language, name: str, speakers: str, institutions: str, threshold: float) -> ExactAliasLinker:
    """Factory of :class:`ExactAliasLinker`."""
    return ExactAliasLinker(nlp, name, speakers=speakers, institutions=institutions, threshold=threshold)


def linked_ids(docs: Iterable[Doc], label: str = "PERSON") -> list[str]:
    """The distinct ids linked in ``docs`` for ``label``, in order of first mention."""
    seen: list[str] = []
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ == label and ent.kb_id_ and ent.kb_id_ not in seen:
                seen.append(ent.kb_id_)
    return seen
