"""Assembling the pipeline: ``pipeline.load()``.

The pipeline is::

    KoreanTokenizer → hanlink_rules → [statistical ner] → hanlink_merge → hanlink_forms → hanlink_linker

``load()`` starts from a trained model folder when one is given (or shipped in
``models/``) and adds the hanlink components it lacks; otherwise it starts
from a blank pipeline with the Korean tokenizer.
"""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

# importing these registers the tokenizer and the component factories
from pipeline.linking import linker as link
from pipeline.recognition import model_runner
from pipeline.linking import forms as normalize
from pipeline.recognition import rules as recognize
from pipeline.tokenization import tokenizer  # noqa: F401
from pipeline.errors import HanlinkError
from pipeline.paths import models_dir

DEFAULT_TOKENIZER = "mecab"
SHIPPED_MODEL = "hanlink_ner"
#: Longest text accepted (characters). The tokenizer analyses long texts in chunks and the rules are linear,
#: so the limit is far above spaCy's default of 1,000,000.
MAX_LENGTH = 20_000_000


def shipped_model_path() -> Path | None:
    """The trained model shipped in ``models/``, or None when there is none yet."""
    try:
        path = models_dir() / SHIPPED_MODEL
    except HanlinkError:
        return None
    return path if (path / "config.cfg").is_file() else None


def load(model: str | Path | None = None, *, tokenizer: str | None = None, speakers: str | Path | None = None,
         institutions: str | Path | None = None, use_model: bool = True) -> Language:
    """The hanlink pipeline with the shipped (or given) model and tables.

    Parameters
    ----------
    model : path, optional
        A trained spaCy pipeline folder (default: the one shipped in ``models/``, if any).
    tokenizer : str, optional
        Analyser backend: ``mecab`` (default), ``kiwi``, ``komoran``, ``okt``, ``kkma``, ``hannanum``.
    speakers, institutions : path, optional
        Tables in the contract's schema (default: ``data/speakers.csv``, ``data/institutions.csv``).
    use_model : bool
        False builds the rule-only pipeline even when a model is shipped.

    Returns
    -------
    spacy.language.Language
    """
    model_path = Path(model) if model else (shipped_model_path() if use_model else None)
    if model_path is not None:
        if not (model_path / "config.cfg").is_file():
            raise HanlinkError(f"{model_path} is not a spaCy pipeline folder (no config.cfg); "
                               "give the folder written by `hanlink train` or nlp.to_disk()")
        overrides = {}
        if tokenizer:
            overrides["nlp.tokenizer.backend"] = tokenizer
        nlp = spacy.load(model_path, config=overrides)
        _run_model_in_pieces(nlp)
    else:
        nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {
            "@tokenizers": "hanlink.KoreanTokenizer.v1", "backend": tokenizer or DEFAULT_TOKENIZER}}})
    nlp.max_length = MAX_LENGTH
    tables = {"speakers": str(speakers or ""), "institutions": str(institutions or "")}
    if "hanlink_rules" not in nlp.pipe_names:
        nlp.add_pipe("hanlink_rules", first=True, config=tables)
    elif speakers or institutions:
        _replace_tables(nlp, "hanlink_rules", tables)
    label_map = {"PS": "PERSON", "PER": "PERSON", "OG": "ORG"}
    if "hanlink_merge" not in nlp.pipe_names:
        nlp.add_pipe("hanlink_merge", config={"label_map": label_map})
    if "hanlink_forms" not in nlp.pipe_names:
        nlp.add_pipe("hanlink_forms")
    if "hanlink_linker" not in nlp.pipe_names:
        nlp.add_pipe("hanlink_linker", config=tables)
    elif speakers or institutions:
        _replace_tables(nlp, "hanlink_linker", tables)
    return nlp


def _run_model_in_pieces(nlp: Language) -> None:
    """Disable the trained ``tok2vec`` and ``ner`` and run them through ``hanlink_model``, which cuts
    long documents into pieces (:mod:`pipeline.recognition.model_runner`); a pipeline saved by hanlink has it already."""
    if "hanlink_model" in nlp.component_names:
        return
    statistical = [name for name in ("tok2vec", "ner") if name in nlp.pipe_names]
    if not statistical:
        return
    for name in statistical:
        nlp.disable_pipe(name)
    nlp.add_pipe("hanlink_model", after=statistical[-1], config={"components": statistical})


def _replace_tables(nlp: Language, name: str, tables: dict[str, str]) -> None:
    from pipeline.kb.tables import load_tables

    nlp.get_pipe(name).set_tables(load_tables(tables["speakers"] or None, tables["institutions"] or None))
