"""Gold spans on our tokens: how KMOU/KLUE character spans fall on the analyser's morphemes.

``align_spans`` places each gold span on token boundaries (``missing``: a span inside a token is left
out of the loss; ``expand`` / ``contract``: widened or narrowed to tokens) and counts what happened;
``to_docs`` turns sentences into spaCy ``Doc`` objects with their entities for training.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from pipeline.errors import HanlinkError
from pipeline.training.corpora import Sentence, Span


@dataclass
class AlignStats:
    """How the gold spans fell on our tokens.

    ``strict``: on token boundaries. The others (``misaligned``) start or end
    inside one of our tokens: ``expandable`` when growing the span to whole
    tokens adds at most two characters, ``contractable`` when shrinking it
    keeps a token, ``lost`` when neither. What the training data does with a
    misaligned span depends on the mode (:func:`align_spans`).
    """

    spans: int = 0
    strict: int = 0
    expandable: int = 0
    contractable: int = 0
    lost: int = 0
    overlapping: int = 0
    by_label: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    @property
    def misaligned(self) -> int:
        """Spans not on token boundaries."""
        return self.spans - self.strict

    def as_dict(self) -> dict:
        share = (lambda n: round(100 * n / self.spans, 3) if self.spans else 0.0)
        return {"spans": self.spans, "strict": self.strict, "misaligned": self.misaligned,
                "misaligned_percent": share(self.misaligned), "expandable": self.expandable,
                "contractable": self.contractable, "lost": self.lost, "lost_percent": share(self.lost),
                "overlapping_dropped": self.overlapping, "misaligned_by_label": dict(self.by_label),
                "examples": self.examples}


def _note(stats: AlignStats, kind: str, text: str, start: int, end: int, got: str | None) -> None:
    if len(stats.examples) < 20:
        stats.examples.append(f"{kind}: {text[max(0, start - 8):end + 8]!r} gold {text[start:end]!r} → {got!r}")


ALIGN_MODES = ("missing", "expand", "contract")


def align_spans(doc, spans: Sequence[Span], stats: AlignStats | None = None, mode: str = "missing"):
    """``(entities, missing)`` of *doc* for character *spans*.

    Spans on token boundaries become entities. A misaligned span (it starts or
    ends inside one of our tokens, e.g. mecab's 오현/경과 for the name 오현경
    followed by 과) is handled by *mode*:

    ``missing`` (the default for training)
        its tokens are marked as unknown (``Doc.set_ents(missing=...)``): the
        model is neither taught the wrong boundary nor taught that it is no entity;
    ``expand`` / ``contract``
        it becomes the entity of the whole tokens around / inside it
        (expansion by at most two characters; otherwise it is lost).

    Spans overlapping an earlier one are dropped.
    """
    if mode not in ALIGN_MODES:
        raise HanlinkError(f"unknown alignment mode {mode!r}; use one of {', '.join(ALIGN_MODES)}")
    stats = stats if stats is not None else AlignStats()
    entities, missing = [], []
    taken: set[int] = set()
    for start, end, label in spans:
        stats.spans += 1
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        is_missing = False
        if span is not None:
            stats.strict += 1
        else:
            stats.by_label[label] += 1
            expanded = doc.char_span(start, end, label=label, alignment_mode="expand")
            contracted = doc.char_span(start, end, label=label, alignment_mode="contract")
            if expanded is not None and len(expanded) and (expanded.end_char - expanded.start_char) - (end - start) <= 2:
                stats.expandable += 1
            else:
                expanded = None
            if contracted is not None and len(contracted):
                stats.contractable += 1
            else:
                contracted = None
            if expanded is None and contracted is None:
                stats.lost += 1
            if mode == "expand":
                span = expanded
            elif mode == "contract":
                span = contracted
            else:
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                is_missing = True
            _note(stats, mode, doc.text, start, end, span.text if span is not None else None)
            if span is None or not len(span):
                continue
        if any(i in taken for i in range(span.start, span.end)):
            stats.overlapping += 1
            continue
        taken.update(range(span.start, span.end))
        (missing if is_missing else entities).append(span)
    return entities, missing


def to_docs(nlp, sentences: Iterable[Sentence], stats: AlignStats | None = None, mode: str = "missing"):
    """Tokenize *sentences* with ``nlp``'s tokenizer and set their gold entities (:func:`align_spans`).

    Yields :class:`spacy.tokens.Doc`; tokens outside the spans are O (outside),
    tokens of misaligned spans are unknown in ``missing`` mode.
    """
    stats = stats if stats is not None else AlignStats()
    for sentence in sentences:
        doc = nlp.make_doc(sentence.text)
        entities, missing = align_spans(doc, sentence.spans, stats, mode)
        doc.set_ents(entities, missing=missing, default="outside")
        yield doc


__all__ = ["ALIGN_MODES", "AlignStats", "align_spans", "to_docs"]
