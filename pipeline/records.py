"""Docs as the contract's JSON objects (one per line of ``hanlink annotate``)."""
from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from pipeline import extensions  # noqa: F401


def entity_record(ent: Span) -> dict[str, Any]:
    """One entity in the contract's shape.

    Keys: start, end, text, label, kb_id, score, hanja, forms, title, affiliation
    (``{"text", "kb_id", "start", "end"}`` or None); for a PERSON also ``roles``
    (every post stated at this mention, in text order) and, for a later short
    reference (김 원장은), ``antecedent`` (``{"start", "end"}`` of the full mention);
    plus ``source``, the recognizer that found it.
    """
    affiliation = ent._.affiliation
    score = ent._.score
    record = {
        "start": ent.start_char,
        "end": ent.end_char,
        "text": ent.text,
        "label": ent.label_,
        "kb_id": ent.kb_id_ or None,
        "score": None if score is None else round(float(score), 4),
        "hanja": ent._.hanja,
        "forms": dict(ent._.forms or {}),
        "title": ent._.title if ent.label_ == "PERSON" else None,
        "affiliation": None if not affiliation or ent.label_ != "PERSON" else {
            "text": affiliation["text"], "kb_id": affiliation.get("kb_id"),
            "start": affiliation["start"], "end": affiliation["end"],
        },
        "source": ent._.source,
    }
    if ent.label_ == "PERSON":
        record["roles"] = [role_record(role) for role in ent._.roles or ()]
        if ent._.antecedent:
            record["antecedent"] = {"start": ent._.antecedent["start"], "end": ent._.antecedent["end"]}
    return record


def role_record(role: dict[str, Any]) -> dict[str, Any]:
    """One post in the contract's shape: ``{"title", "institution": {"text", "kb_id", "start", "end"} or
    None, "former"}``."""
    institution = role.get("institution")
    return {
        "title": role.get("title"),
        "institution": None if not institution else {
            "text": institution["text"], "kb_id": institution.get("kb_id"),
            "start": institution["start"], "end": institution["end"],
        },
        "former": bool(role.get("former")),
    }


def doc_record(doc: Doc, doc_id: str, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """The output object of one document: ``{"id", "text", "entities"}`` (+ ``meta`` when given)."""
    record: dict[str, Any] = {"id": doc_id, "text": doc.text, "entities": [entity_record(e) for e in doc.ents]}
    if meta:
        record["meta"] = meta
    return record
