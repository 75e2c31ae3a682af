"""The custom attributes hanlink sets on spaCy spans (``span._.hanja`` ...).

Span extensions are stored in ``doc.user_data`` keyed by character offsets, so
they travel with the ``Doc`` through ``to_bytes`` (and ``nlp.pipe(n_process=2)``)
and are shared by a span in ``doc.ents`` and the same span in ``doc.spans``.

========================  ==========================================================
``span._.hanja``          original-script form (賀俊) or None
``span._.forms``          normalized forms: hangul, reading, traditional, simplified, pinyin
``span._.title``          title stated with a person (주임) or None
``span._.affiliation``    ``{"text", "start", "end", "kb_id"}`` of a person's affiliation, or None
``span._.head``           for an ORG inside an affiliation: ``(start, end)`` of the ORG before it
``span._.score``          linking score in [0, 1] (None before linking)
``span._.source``         which recognizer found the span: appositive, gazetteer, paren, latin, known, ner, roles,
                          reference
``span._.roles``          a person's posts: ``[{"title", "institution", "former"}]`` in text order
``span._.antecedent``     of a later short reference (김 원장은): ``{"start", "end"}`` of the person it refers to
``span._.kb_hanja``       the hanja of the table row a Hangul-only person was linked to (for its forms; not output)
========================  ==========================================================
"""
from __future__ import annotations

from spacy.tokens import Span

SPAN_EXTENSIONS: dict[str, object] = {
    "hanja": None,
    "forms": None,
    "title": None,
    "affiliation": None,
    "head": None,
    "score": None,
    "source": None,
    "roles": None,
    "antecedent": None,
    "kb_hanja": None,
}


def register_extensions() -> None:
    """Register the span extensions (idempotent)."""
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
