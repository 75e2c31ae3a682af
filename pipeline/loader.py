"""Assembling the pipeline: ``pipeline.load()``.

The pipeline is described by ``pipeline/configs/pipeline.cfg``::

    KoreanTokenizer → hanlink_rules → [tok2vec → ner, run by hanlink_model] → hanlink_merge
                    → hanlink_roles → hanlink_linker → hanlink_forms

``load()`` reads that config, sources the statistical components from the trained model
folder (the one shipped in ``models/`` by default), builds the pipeline with spaCy, then
gives the table-holding components their tables through ``initialize()``. A folder written by
``nlp.to_disk()`` of a hanlink pipeline is loaded as it is (with the tables saved inside it).
"""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

# importing these registers the tokenizer and the component factories
from pipeline.errors import HanlinkError
from pipeline.linking import forms, linker  # noqa: F401
from pipeline.paths import models_dir
from pipeline.recognition import model_runner, rules  # noqa: F401
from pipeline.roles import component as roles  # noqa: F401
from pipeline.tokenization import tokenizer  # noqa: F401

ASSEMBLY_CONFIG = Path(__file__).resolve().parent / "configs" / "pipeline.cfg"
DEFAULT_TOKENIZER = "mecab"
SHIPPED_MODEL = "hanlink_ner"
#: Components that hold the speaker and institution tables (initialised with them).
TABLE_COMPONENTS = ("hanlink_rules", "hanlink_linker")
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
        A trained spaCy pipeline folder (default: the one shipped in ``models/``, if any), or a whole
        hanlink pipeline saved with ``nlp.to_disk()``.
    tokenizer : str, optional
        Analyser backend: ``mecab`` (default), ``kiwi``, ``komoran``, ``okt``, ``kkma``, ``hannanum``.
    speakers, institutions : path, optional
        Tables in the contract's schema (default: ``data/speakers.csv``, ``data/institutions.csv``, or
        the tables saved inside a saved hanlink pipeline).
    use_model : bool
        False builds the rule-only pipeline even when a model is shipped.

    Returns
    -------
    spacy.language.Language
    """
    model_path = Path(model) if model else (shipped_model_path() if use_model else None)
    if model_path is not None and not (model_path / "config.cfg").is_file():
        raise HanlinkError(f"{model_path} is not a spaCy pipeline folder (no config.cfg); "
                           "give the folder written by `hanlink train` or nlp.to_disk()")
    if model_path is not None and _is_hanlink_pipeline(model_path):
        overrides = {"nlp.tokenizer.backend": tokenizer} if tokenizer else {}
        nlp = spacy.load(model_path, config=overrides)
        tables_given = bool(speakers or institutions)
    else:
        nlp = load_model_from_config(assembly_config(model_path, tokenizer), auto_fill=True)
        tables_given = True
    nlp.max_length = MAX_LENGTH
    if tables_given:
        for name in TABLE_COMPONENTS:
            nlp.get_pipe(name).initialize(nlp=nlp, speakers=speakers, institutions=institutions)
    return nlp


def assembly_config(model_path: Path | None, tokenizer: str | None = None):
    """The config of the pipeline ``load()`` builds: ``configs/pipeline.cfg`` with the statistical
    components of ``model_path`` sourced (and run by ``hanlink_model``), or without them."""
    config = load_config(ASSEMBLY_CONFIG)
    config["nlp"]["tokenizer"]["backend"] = tokenizer or DEFAULT_TOKENIZER
    pipeline_names = list(config["nlp"]["pipeline"])
    statistical = _statistical_components(model_path) if model_path is not None else []
    if statistical:
        at = pipeline_names.index("hanlink_model")
        pipeline_names[at:at] = statistical
        for name in statistical:
            config["components"][name] = {"source": str(model_path)}
        config["components"]["hanlink_model"]["components"] = statistical
        config["nlp"]["disabled"] = statistical
    else:
        pipeline_names.remove("hanlink_model")
        del config["components"]["hanlink_model"]
    config["nlp"]["pipeline"] = pipeline_names
    return config


def _model_config(model_path: Path):
    return load_config(model_path / "config.cfg", interpolate=False)


def _is_hanlink_pipeline(model_path: Path) -> bool:
    """A folder written by ``nlp.to_disk()`` of a whole hanlink pipeline (it has the linker)."""
    return "hanlink_linker" in _model_config(model_path)["nlp"]["pipeline"]


def _statistical_components(model_path: Path) -> list[str]:
    """The trained components of a model folder, in order (``tok2vec``, ``ner`` for the shipped one)."""
    return [name for name in _model_config(model_path)["nlp"]["pipeline"] if not name.startswith("hanlink_")]


__all__ = ["load", "assembly_config", "shipped_model_path", "MAX_LENGTH", "SHIPPED_MODEL"]
