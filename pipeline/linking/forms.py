"""The ``hanlink_forms`` component: every entity gets its names in every script.

A mention written in hanja or simplified characters (習近平, 贺俊) is its own
``hanja`` (the contract: "the original-script form of the name when the text
gives it ... or as the mention itself").

``span._.forms`` holds the contract's keys that could be derived (``hangul``,
``reading``, ``traditional``, ``simplified``, ``pinyin``), computed by
:func:`pipeline.names.forms.forms` from the hanja given in the text when there
is one, else from the mention itself. Forms are never invented: a Hangul
mention with no hanja gets only its ``hangul`` form (the linker later adds the
forms of the linked row's hanja).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions  # noqa: F401
from pipeline.names.forms import forms as name_forms
from pipeline.names.parens import mention_hanja
from pipeline.names.script import is_han, is_hangul

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
    """Fills ``span._.forms`` for every entity of ``doc.ents``."""

    def __init__(self, nlp: Language, name: str = "hanlink_forms"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        for ent in doc.ents:
            if ent._.antecedent:
                continue  # a later reference (김 원장은) takes its antecedent's forms, in the linker
            # the one place hanja is decided: the mention itself (贺俊 주임은) or the parenthesis after it
            ent._.hanja = mention_hanja(text, ent.start_char, ent.end_char, ent.label_)
            ent._.forms = mention_forms(ent.text, ent._.hanja, ent.label_)
        return doc


@Language.factory("hanlink_forms", default_config={}, requires=["doc.ents"], assigns=["span._.hanja", "span._.forms"])
def make_forms_component(nlp: Language, name: str) -> FormsComponent:
    """Factory of :class:`FormsComponent`."""
    return FormsComponent(nlp, name)
