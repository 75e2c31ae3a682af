"""``hanlink evaluate``: precision, recall and F1 of PERSON and ORG against gold spans.

Matching is exact: a predicted entity counts only when its start, end and
label equal a gold span's. Scores are micro-averaged over the documents, per
label and overall (PERSON and ORG together). With JSONL gold that carries
``kb_id``, linking accuracy is reported too.

Gold formats (``--format``):

``klue``   KLUE-NER TSV (PS → PERSON, OG → ORG; other labels ignored); the
           sentence ids give the source (``wikitree`` news, ``nsmc`` reviews),
           reported under ``by_source``.
``jsonl``  one object per line, the shape of ``hanlink annotate`` output:
           ``{"id", "text", "entities": [{"start", "end", "label", "kb_id"?}]}``.
``klp``    a KMOU 2016klp file (``ner.test``: PS, OG).
``kmou``   a KMOU corpus file or folder (PER, ORG).

``--product-definition`` applies the product's definition of PERSON/ORG to
the gold first (:func:`pipeline.training.corpora.apply_definition`: 김모 → 김, country
names are not ORG) — how the shipped model is trained.

Examples
--------
>>> gold = [Sentence("a", "허쥔은 갔다", [(0, 2, "PERSON")], "t")]
>>> score(gold, [[(0, 2, "PERSON", None)]])["overall"]["f1"]
1.0
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from pipeline.training.corpora import LABELS, Sentence, apply_definition, read_jsonl_gold, read_klp, read_klue, read_kmou_corpus
from pipeline.errors import HanlinkError

__all__ = ["FORMATS", "read_gold", "prf", "score", "seen_names", "predict", "evaluate"]

FORMATS = ("klue", "jsonl", "klp", "kmou")

Prediction = tuple[int, int, str, "str | None"]


def read_gold(path: str | Path, fmt: str | None = None, *, product_definition: bool = False,
              limit: int | None = None) -> list[Sentence]:
    """Gold sentences of *path* in format *fmt* (guessed from the name when None)."""
    path = Path(path)
    if not path.exists():
        raise HanlinkError(f"{path}: no such gold file")
    fmt = fmt or guess_format(path)
    if fmt == "klue":
        sentences: Iterable[Sentence] = read_klue(path)
    elif fmt == "jsonl":
        sentences = read_jsonl_gold(path)
    elif fmt == "klp":
        sentences = read_klp(path)
    elif fmt == "kmou":
        sentences = read_kmou_corpus(path) if path.is_dir() else read_kmou_corpus(files=[path])
    else:
        raise HanlinkError(f"unknown gold format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = []
    for sentence in sentences:
        if limit is not None and len(out) >= limit:
            break
        out.append(apply_definition(sentence) if product_definition else sentence)
    return out


def guess_format(path: Path) -> str:
    """The gold format implied by a file name (``.tsv`` → klue, ``.jsonl`` → jsonl, ``ner.*`` → klp)."""
    name = path.name
    if path.is_dir() or name.endswith("_NER.txt") or name.startswith("EXOBRAIN"):
        return "kmou"
    if name.endswith(".tsv"):
        return "klue"
    if name.endswith((".jsonl", ".json")):
        return "jsonl"
    if name.startswith("ner."):
        return "klp"
    raise HanlinkError(f"{path}: cannot tell the gold format from the name; give --format ({', '.join(FORMATS)})")


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall, F1 (rounded to 4 places) and the counts; 0.0 where undefined."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "gold": tp + fn, "predicted": tp + fp}


class _Counts:
    def __init__(self) -> None:
        self.tp: Counter = Counter()
        self.fp: Counter = Counter()
        self.fn: Counter = Counter()

    def add(self, gold: set, pred: set) -> None:
        for _, _, label in gold & pred:
            self.tp[label] += 1
        for _, _, label in pred - gold:
            self.fp[label] += 1
        for _, _, label in gold - pred:
            self.fn[label] += 1

    def result(self, labels: Sequence[str]) -> dict:
        per = {label: prf(self.tp[label], self.fp[label], self.fn[label]) for label in labels}
        overall = prf(sum(self.tp[l] for l in labels), sum(self.fp[l] for l in labels),
                      sum(self.fn[l] for l in labels))
        return {"overall": overall, "labels": per}


def seen_names(source: str | Path) -> set[str]:
    """The mention surfaces of a training set: ``"kmou-train"`` (the KMOU training split that
    ``hanlink train`` uses, :func:`pipeline.training.corpora.kmou_splits`) or any gold file :func:`read_gold` reads."""
    if str(source) == "kmou-train":
        from pipeline.training.corpora import kmou_splits

        sentences = kmou_splits()["train"]
    else:
        sentences = read_gold(source)
    return {s.text[a:b] for s in sentences for a, b, _ in s.spans}


def score(gold: Sequence[Sentence], predictions: Iterable[Sequence[Prediction]], *,
          labels: Sequence[str] = LABELS, by_source: bool = False, errors: list | None = None,
          seen: set[str] | None = None) -> dict:
    """Exact-match scores of *predictions* (one list of ``(start, end, label, kb_id)`` per gold sentence).

    Only spans labelled with one of *labels* count, in gold and predictions alike.
    When a gold sentence carries ``kb_ids``, linking accuracy is added:
    ``linking.accuracy`` is the share of gold entities with a ``kb_id`` key
    (``null`` = NIL) that were found with the exact span and label and given
    the same ``kb_id``; ``linking.accuracy_found`` the same among the found ones.
    *errors*, when a list, receives one record per sentence with a mistake.
    With *seen* (mention surfaces of a training set, :func:`seen_names`), ``by_seen``
    splits gold and predicted spans by whether their text is among them: how well
    names the model never saw are found.
    """
    counts = _Counts()
    seen_counts = {"seen": _Counts(), "unseen": _Counts()}
    sources: dict[str, _Counts] = defaultdict(_Counts)
    link = Counter()
    wanted = set(labels)
    n = 0
    for sentence, predicted in zip(gold, predictions, strict=True):
        n += 1
        gold_set = {(s, e, l) for s, e, l in sentence.spans if l in wanted}
        pred_kb = {(s, e, l): kb for s, e, l, kb in predicted if l in wanted}
        pred_set = set(pred_kb)
        counts.add(gold_set, pred_set)
        if by_source:
            sources[sentence.source].add(gold_set, pred_set)
        if seen is not None:
            text = sentence.text
            for kind, want in (("seen", True), ("unseen", False)):
                seen_counts[kind].add({g for g in gold_set if (text[g[0]:g[1]] in seen) is want},
                                      {p for p in pred_set if (text[p[0]:p[1]] in seen) is want})
        for key, kb in sentence.kb_ids.items():
            if key[2] not in wanted:
                continue
            link["gold"] += 1
            if key in pred_kb:
                link["found"] += 1
                if pred_kb[key] == kb:
                    link["correct"] += 1
                    link["correct_nil" if kb is None else "correct_linked"] += 1
            link["gold_nil" if kb is None else "gold_linked"] += 1
        if errors is not None and gold_set != pred_set:
            text = sentence.text
            errors.append({
                "id": sentence.id, "source": sentence.source, "text": text,
                "missed": [[s, e, l, text[s:e]] for s, e, l in sorted(gold_set - pred_set)],
                "spurious": [[s, e, l, text[s:e]] for s, e, l in sorted(pred_set - gold_set)],
            })
    result = {"documents": n, **counts.result(labels)}
    if by_source:
        result["by_source"] = {source: {"documents": sum(1 for s in gold if s.source == source),
                                        **c.result(labels)} for source, c in sorted(sources.items())}
    if seen is not None:
        result["by_seen"] = {kind: c.result(labels) for kind, c in seen_counts.items()}
    if link["gold"]:
        result["linking"] = {
            "gold": link["gold"], "found": link["found"], "correct": link["correct"],
            "accuracy": round(link["correct"] / link["gold"], 4),
            "accuracy_found": round(link["correct"] / link["found"], 4) if link["found"] else 0.0,
            "gold_linked": link["gold_linked"], "correct_linked": link["correct_linked"],
            "gold_nil": link["gold_nil"], "correct_nil": link["correct_nil"],
        }
    return result


def predict(nlp, sentences: Sequence[Sentence], *, batch_size: int = 64,
            disable: Sequence[str] = ()) -> Iterator[list[Prediction]]:
    """``(start, end, label, kb_id)`` of ``doc.ents`` for each sentence's text."""
    texts = (s.text for s in sentences)
    for doc in nlp.pipe(texts, batch_size=batch_size, disable=list(disable)):
        yield [(e.start_char, e.end_char, e.label_, e.kb_id_ or None) for e in doc.ents]


def evaluate(gold_path: str | Path, fmt: str | None = None, *, model: str | Path | None = None,
             limit: int | None = None, by_source: bool | None = None, rules: bool = True,
             statistical: bool = True, product_definition: bool = False, tokenizer: str | None = None,
             errors_path: str | Path | None = None, nlp=None, speakers: str | Path | None = None,
             institutions: str | Path | None = None, seen_from: str | Path | None = None) -> dict:
    """Load the pipeline, run it over the gold texts and score it (the JSON ``hanlink evaluate`` prints).

    Parameters
    ----------
    gold_path, fmt : the gold file and its format (see the module docstring).
    model : a trained pipeline folder (default: the shipped model).
    limit : score only the first N gold documents.
    by_source : split the scores by source (default: on for KLUE).
    rules, statistical : switch the rule layer (``hanlink_rules``) or the model off,
        to measure the components separately.
    product_definition : apply the product's PERSON/ORG definition to the gold.
    errors_path : write the sentences with mistakes there (JSONL: missed and spurious spans).
    nlp : an already loaded pipeline (then *model*, *statistical* and *tokenizer* are ignored).
    speakers, institutions : the tables to link against; for jsonl gold they default to the
        ``speakers.csv``/``institutions.csv`` beside the gold file when both exist (data/gold/).
    seen_from : ``"kmou-train"`` or a gold file: add ``by_seen``, the scores on mentions whose
        text is / is not a mention there (:func:`seen_names`).
    """
    from pipeline.loader import load, shipped_model_path

    if not rules and not statistical:
        raise HanlinkError("--rules-only and --no-rules together leave nothing to evaluate")
    fmt = fmt or guess_format(Path(gold_path))
    gold = read_gold(gold_path, fmt, product_definition=product_definition, limit=limit)
    if fmt == "jsonl" and not (speakers or institutions):
        folder = Path(gold_path).resolve().parent
        if (folder / "speakers.csv").is_file() and (folder / "institutions.csv").is_file():
            speakers, institutions = folder / "speakers.csv", folder / "institutions.csv"
    if nlp is None:
        nlp = load(model, tokenizer=tokenizer, use_model=statistical, speakers=speakers, institutions=institutions)
    model_used = None
    if statistical and "hanlink_model" in nlp.pipe_names:
        model_used = str(model) if model else str(shipped_model_path() or "")
    disable = [] if rules else [name for name in ("hanlink_rules",) if name in nlp.pipe_names]
    started = time.perf_counter()
    predictions = list(predict(nlp, gold, disable=disable))
    seconds = time.perf_counter() - started
    error_list: list | None = [] if errors_path else None
    result = score(gold, predictions, by_source=fmt == "klue" if by_source is None else by_source,
                   errors=error_list, seen=seen_names(seen_from) if seen_from else None)
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as out:
            for record in error_list:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    chars = sum(len(s.text) for s in gold)
    header = {
        "gold": str(gold_path), "format": fmt, "product_definition": product_definition,
        "model": model_used, "rules": rules and "hanlink_rules" in nlp.pipe_names,
        "pipeline": [name for name in nlp.pipe_names if name not in disable],
        "match": "exact span and label", "seconds": round(seconds, 2),
        "chars_per_second": round(chars / seconds) if seconds else None,
    }
    if fmt == "jsonl" and any(s.kb_ids for s in gold):
        from pipeline.evaluation.linking import evaluate_linking

        # linking accuracy, NIL precision/recall/F1 on the dev/test split of the gold (pipeline/evaluation/linking.py)
        result["linking_detail"] = evaluate_linking(gold_path, nlp=nlp)
        header["tables"] = [str(speakers or "shipped"), str(institutions or "shipped")]
    return {**header, **result}
