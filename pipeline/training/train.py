"""Training the statistical NER shipped in ``models/hanlink_ner``: ``hanlink train``.

Steps (each callable on its own):

1. :func:`prepare_data` reads the KMOU corpora (:func:`pipeline.training.corpora.kmou_splits`:
   train, dev for model selection, test for reporting), applies the product's
   PERSON/ORG definition, tokenizes with our tokenizer and writes
   ``train.spacy``, ``dev.spacy``, ``test.spacy``, the gold of dev and test as
   ``dev.jsonl``/``test.jsonl`` (for ``hanlink evaluate``) and ``data.json``
   (counts, alignment losses) into the build folder (``build/ner`` by default; not committed).
2. :func:`train` runs spaCy's trainer with ``pipeline/training/configs/ner.cfg``
   (fixed seed) into ``BUILD/training``; spaCy keeps ``model-best`` by dev F1.
3. :func:`package_model` copies ``model-best`` to ``models/hanlink_ner`` with
   its meta and a ``training.json`` record.

KLUE is never read here: it is for evaluation only (``hanlink evaluate``).

Usage::

    hanlink train                         # prepare (when missing), train, package
    python -m pipeline.training.train --max-steps 200 --no-package   # a quick smoke run
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Sequence

from pipeline.errors import HanlinkError
from pipeline.paths import REPO_ROOT, models_dir

DEFAULT_CONFIG = Path(__file__).resolve().parent / "configs" / "ner.cfg"
DEFAULT_BUILD = REPO_ROOT / "build" / "ner"
MODEL_NAME = "hanlink_ner"
DATA_VERSION = 5  # 5: the tokenizer splits fused surname + title (박기자 → 박 + 기자)
"""Bumped when the conversion changes, so that stale DocBins are rebuilt."""


def prepare_data(out_dir: str | Path = DEFAULT_BUILD, *, kmou_root: str | Path | None = None,
                 mode: str = "missing", backend: str = "mecab", force: bool = False, augment: int = 0,
                 seed: int = 0) -> dict:
    """Write ``train/dev/test.spacy``, ``dev/test.jsonl`` and ``data.json`` into *out_dir*; return the statistics.

    With ``augment`` N, the training split also gets N copies of each sentence with a
    mention, other names put in place of its mentions (:mod:`pipeline.training.augment`, seeded
    by ``seed``); dev and test are never augmented. Nothing is rebuilt when
    ``data.json`` says the same conversion was done already (unless *force*).
    """
    from spacy.tokens import DocBin

    from pipeline.training.augment import replace_mentions
    from pipeline.training.alignment import AlignStats, to_docs
    from pipeline.training.corpora import kmou_splits
    from pipeline.tokenization.tokenizer import make_nlp

    out_dir = Path(out_dir)
    info_path = out_dir / "data.json"
    settings = {"version": DATA_VERSION, "mode": mode, "backend": backend}
    if augment:
        settings.update(augment=augment, augment_seed=seed)
    if not force and info_path.is_file():
        info = json.loads(info_path.read_text(encoding="utf-8"))
        if info.get("settings") == settings and all((out_dir / f"{s}.spacy").is_file() for s in ("train", "dev", "test")):
            return info
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = make_nlp(backend)
    read_stats: dict = {}
    counts: Counter = Counter()
    splits = kmou_splits(kmou_root, stats=read_stats, counts=counts)
    info: dict = {"settings": settings, "definition": dict(counts), "splits": {}}
    if augment:
        added = replace_mentions(splits["train"], copies=augment, seed=seed)
        info["augmented_sentences"] = len(added)
        splits["train"] = splits["train"] + added
    for split, sentences in splits.items():
        align = AlignStats()
        bin_ = DocBin(attrs=["ORTH", "TAG", "MORPH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
        for doc in to_docs(nlp, sentences, align, mode):
            bin_.add(doc)
        bin_.to_disk(out_dir / f"{split}.spacy")
        if split != "train":
            write_gold_jsonl(sentences, out_dir / f"{split}.jsonl")
        labels = Counter(label for s in sentences for _, _, label in s.spans)
        info["splits"][split] = {"read": read_stats[split].as_dict(), "sentences": len(sentences),
                                 "characters": sum(len(s.text) for s in sentences),
                                 "spans": dict(labels), "alignment": align.as_dict()}
    total = Counter()
    for split in info["splits"].values():
        for key in ("spans", "misaligned", "lost", "expandable", "contractable"):
            total[key] += split["alignment"][key]
    info["alignment_total"] = dict(total, misaligned_percent=round(100 * total["misaligned"] / total["spans"], 3),
                                   lost_percent=round(100 * total["lost"] / total["spans"], 3))
    info_path.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def write_gold_jsonl(sentences, path: str | Path) -> None:
    """Write gold *sentences* as JSONL in the shape ``hanlink evaluate --format jsonl`` reads."""
    with open(path, "w", encoding="utf-8") as out:
        for s in sentences:
            entities = [{"start": a, "end": b, "label": label, "text": s.text[a:b]} for a, b, label in s.spans]
            out.write(json.dumps({"id": s.id, "source": s.source, "text": s.text, "entities": entities},
                                 ensure_ascii=False) + "\n")


def train(out_dir: str | Path = DEFAULT_BUILD, *, config: str | Path = DEFAULT_CONFIG,
          max_steps: int | None = None, seed: int | None = None, overrides: dict | None = None,
          kmou_root: str | Path | None = None, mode: str = "missing", package: bool = True,
          model_dir: str | Path | None = None, force_data: bool = False, augment: int = 0) -> Path:
    """Prepare the data, train, and (with *package*) copy the best model to ``models/hanlink_ner``.

    Returns the folder of the best model (the packaged one when *package*).
    """
    from spacy.cli.train import train as spacy_train

    from pipeline import tokenizer  # noqa: F401  (registers hanlink.KoreanTokenizer.v1)

    out_dir = Path(out_dir)
    config = Path(config)
    if not config.is_file():
        raise HanlinkError(f"{config}: no such spaCy config; give --config a .cfg file")
    data = prepare_data(out_dir, kmou_root=kmou_root, mode=mode, force=force_data, augment=augment,
                        seed=0 if seed is None else seed)
    settings = {"paths.train": str(out_dir / "train.spacy"), "paths.dev": str(out_dir / "dev.spacy")}
    if max_steps is not None:
        settings["training.max_steps"] = int(max_steps)
    if seed is not None:
        settings["system.seed"] = int(seed)
    settings.update(overrides or {})
    training_dir = out_dir / "training"
    started = time.time()
    spacy_train(config, training_dir, overrides=settings)
    seconds = time.time() - started
    best = training_dir / "model-best"
    if not (best / "config.cfg").is_file():
        raise HanlinkError(f"training wrote no {best}; see the log above")
    record = {
        "date": _dt.date.today().isoformat(),
        "seconds": round(seconds),
        "config": str(config.relative_to(REPO_ROOT)) if config.is_relative_to(REPO_ROOT) else str(config),
        "overrides": {k: v for k, v in settings.items() if not k.startswith("paths.")},
        "command": "hanlink train " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["train"] else "hanlink train",
        "data": data,
        "dev_scores": _scores(best),
    }
    (training_dir / "training.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    if not package:
        return best
    return package_model(best, Path(model_dir) if model_dir else models_dir() / MODEL_NAME, record)


def _scores(model: Path) -> dict:
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    perf = meta.get("performance", {})
    return {"ents_p": perf.get("ents_p"), "ents_r": perf.get("ents_r"), "ents_f": perf.get("ents_f"),
            "per_type": perf.get("ents_per_type")}


KEEP_IN_MODEL_DIR = ("MODEL_CARD.md",)


def package_model(best: str | Path, dest: str | Path, record: dict | None = None) -> Path:
    """Copy the spaCy folder *best* to *dest* (replacing it, keeping ``MODEL_CARD.md``), with meta and record."""
    best, dest = Path(best), Path(dest)
    if dest.exists():
        for child in dest.iterdir():
            if child.name in KEEP_IN_MODEL_DIR:
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    for child in best.iterdir():
        target = dest / child.name
        if child.is_dir():
            shutil.copytree(child, target)
        else:
            shutil.copy2(child, target)
    _clear_paths(dest / "config.cfg")
    meta_path = dest / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update({
        "name": "hanlink_ner",
        "version": "0.1.0",
        "description": "hanlink's PERSON/ORG recogniser for Korean text (tok2vec + ner over mecab morphemes). "
                       "Trained on the KMOU NER corpora: NON-COMMERCIAL USE ONLY. See MODEL_CARD.md.",
        "license": "KMOU NER data: non-commercial use only (MIT notice); see MODEL_CARD.md",
        "author": "hanlink",
        "sources": [
            {"name": "KMOU NER corpus (kmounlp/NER), 말뭉치 - 형태소_개체명 and 2016klp",
             "url": "https://github.com/kmounlp/NER",
             "license": "Non-commercial use only; MIT License for non-commercial use, "
                        "Copyright (c) 2019 한국해양대학교 자연언어처리연구실"},
        ],
    })
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    if record is not None:
        (dest / "training.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    if size >= 50 * 1024 * 1024:
        raise HanlinkError(f"{dest} is {size / 2**20:.1f} MB; the shipped model must stay under 50 MB")
    return dest


def _clear_paths(config_path: Path) -> None:
    """Set ``[paths] train/dev`` of a packaged config to null (they name the build machine's files)."""
    from spacy.util import load_config

    config = load_config(config_path, interpolate=False)
    for key in ("train", "dev"):
        config["paths"][key] = None
    config.to_disk(config_path)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``hanlink train`` (shared with ``python -m pipeline.training.train``)."""
    parser.add_argument("--build", default=str(DEFAULT_BUILD), metavar="DIR",
                        help="cache folder for the DocBins and the training run (default build/ner)")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="CFG", help="spaCy training config")
    parser.add_argument("--kmou", metavar="DIR", help="the kmou-ner folder (default ../shared/data/kmou-ner)")
    parser.add_argument("--max-steps", type=int, metavar="N", help="override training.max_steps")
    parser.add_argument("--seed", type=int, metavar="N", help="override system.seed (default 0)")
    parser.add_argument("--align", choices=["missing", "expand", "contract"], default="missing",
                        help="what to do with gold spans not on token boundaries (default: mark them unknown)")
    parser.add_argument("--output", metavar="DIR", help="where to package the best model (default models/hanlink_ner)")
    parser.add_argument("--no-package", action="store_true", help="train only; leave models/ alone")
    parser.add_argument("--prepare-only", action="store_true", help="write the DocBins and data.json, then stop")
    parser.add_argument("--force-data", action="store_true", help="rebuild the DocBins even when up to date")
    parser.add_argument("--augment", type=int, default=0, metavar="N",
                        help="add N copies of each training sentence with other names in place of its "
                             "mentions (pipeline.training.augment; default 0); use another --build folder")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="any config override, e.g. --set components.tok2vec.model.encode.width=96")


def run(args: argparse.Namespace) -> int:
    """Run ``hanlink train`` with parsed *args*; returns the exit status."""
    if args.prepare_only:
        info = prepare_data(args.build, kmou_root=args.kmou, mode=args.align, force=args.force_data,
                            augment=args.augment, seed=args.seed or 0)
        print(json.dumps({k: info[k] for k in ("definition", "alignment_total")}, ensure_ascii=False, indent=1))
        return 0
    overrides = {}
    for item in args.set:
        key, eq, value = item.partition("=")
        if not eq:
            raise HanlinkError(f"--set {item!r}: write KEY=VALUE")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    path = train(args.build, config=args.config, max_steps=args.max_steps, seed=args.seed, overrides=overrides,
                 kmou_root=args.kmou, mode=args.align, package=not args.no_package, model_dir=args.output,
                 force_data=args.force_data, augment=args.augment)
    print(f"best model: {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.training.train", description=__doc__.split("\n")[0])
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except HanlinkError as exc:
        print(f"hanlink train: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
