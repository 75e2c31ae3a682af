"""The ``hanlink_forms`` component, the last of the pipeline: the one stage that writes ``hanja`` and ``forms``.

``span._.hanja`` is the original-script form of the name when the text gives it
(:func:`pipeline.names.parens.mention_hanja`): the mention itself when written in
hanja or simplified characters (習近平, 贺俊), or the hanja part of the parenthesis
right after a person (허쥔(賀俊)). Earlier stages read it through the same function;
none writes it.

``span._.forms`` holds the contract's keys that could be derived (``hangul``,
``reading``, ``traditional``, ``simplified``, ``pinyin``), computed by
:func:`pipeline.names.forms.forms` from that hanja, else from the mention itself.
Forms are never invented: a Hangul mention with no hanja gets only its ``hangul``
form, plus the forms of the hanja of the table row the linker chose
(``span._.kb_hanja``); a later short reference (김 원장은) has its antecedent's forms.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions  # noqa: F401
from pipeline.names.forms import forms as name_forms
from pipeline.names.parens import mention_hanja
from pipeline.names.script import is_hangul

FORM_KEYS = ("hangul", "reading", "traditional", "simplified", "pinyin")


def mention_forms(text: str, hanja: str | None, label: str) -> dict[str, str]:
    """The forms of a mention written ``text``, with ``hanja`` in parentheses when given.

    >>> mention_forms("허쥔", "賀俊", "PERSON")["pinyin"]
    'He Jun'
    >>> mention_forms("양평섭", None, "PERSON")
    {'hangul': '양평섭'}
    """
    kind = "person" if label == "PERSON" else "org"
    derived = name_forms(hanja or text, kind)
    result = {key: derived[key] for key in FORM_KEYS if derived.get(key)}
    if hanja and is_hangul(text.replace(" ", "")):
        result["hangul"] = text  # as the text writes it (루오이홍, not the official 뤄이훙)
    return result


class FormsComponent:
    """Fills ``span._.hanja`` and ``span._.forms`` for every entity of ``doc.ents`` (after linking)."""

    def __init__(self, nlp: Language, name: str = "hanlink_forms"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        by_offsets = {}
        for ent in doc.ents:
            by_offsets[(ent.start_char, ent.end_char)] = ent
            if ent._.antecedent:
                continue  # a later reference (김 원장은) takes its antecedent's forms, below
            # the one place hanja is decided: the mention itself (贺俊 주임은) or the parenthesis after it
            ent._.hanja = mention_hanja(text, ent.start_char, ent.end_char, ent.label_)
            forms = mention_forms(ent.text, ent._.hanja, ent.label_)
            if ent._.hanja is None and ent._.kb_hanja:  # linked to a row whose hanja the text did not give
                forms = {**mention_forms(ent.text, ent._.kb_hanja, "PERSON"), **forms}
            ent._.forms = forms
        for ent in doc.ents:
            antecedent = ent._.antecedent
            if antecedent:
                named = by_offsets.get((antecedent["start"], antecedent["end"]))
                ent._.forms = dict(named._.forms or {}) if named is not None else {}
        return doc


@Language.factory("hanlink_forms", default_config={}, requires=["doc.ents", "token.ent_kb_id"],
                  assigns=["span._.hanja", "span._.forms"])
def make_forms_component(nlp: Language, name: str) -> FormsComponent:
    """Factory of :class:`FormsComponent`."""
    return FormsComponent(nlp, name)
