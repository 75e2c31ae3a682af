"""Linking evaluation: accuracy, NIL precision/recall/F1 on the gold set; fitting the scorer on its dev half.

Gold (``data/gold/linking.jsonl``): one document per line in the shape of
``hanlink annotate`` output, ``{"id", "text", "entities": [{"start", "end",
"label", "kb_id"}]}`` with ``kb_id: null`` for a mention in neither table.

Two ways to get predictions, both reported:

``gold_spans`` (the linking figures)
    The gold mentions are the entities: the pipeline runs up to ``hanlink_merge``
    (so the rule layer supplies titles, affiliations and heads where it
    recognised the same span; hanja is read from the text), ``doc.ents`` is set to
    the gold spans, then ``hanlink_linker`` and ``hanlink_forms`` run. Linking is measured on every
    gold mention, independent of recognition.
``pipeline_spans`` (end to end)
    The pipeline's own entities; linking is measured on the gold mentions it
    found with the exact span and label (``coverage`` = their share).

Metrics (:func:`linking_metrics`), over the gold mentions matched by a predicted one:

* ``accuracy`` — gold mentions with a ``kb_id`` given exactly that id;
* ``nil_precision`` — predicted NIL that are gold NIL; ``nil_recall`` — gold NIL
  predicted NIL; ``nil_f1``;
* the same per label (PERSON, ORG) and per document category (the id's prefix).

Split: the ids are grouped by category (``cross-07`` → ``cross``); within a
category they are ordered by CRC-32 of the id and alternate dev, test, dev, …
(:func:`split_records`) — deterministic, stratified, independent of the results.
The scorer's calibration and the threshold are fitted on ``dev``; figures are
reported on ``test``.

Usage::

    python -m pipeline.evaluation.linking --gold data/gold/linking.jsonl            # JSON figures (dev, test, all)
    python -m pipeline.evaluation.linking --gold data/gold/linking.jsonl --fit      # refit on dev → data/linker_model.json
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from pipeline.paths import data_path
from pipeline.records import read_records

__all__ = ["linking_metrics", "split_records", "link_gold_spans", "link_pipeline",
           "evaluate_linking", "fit_scorer", "fit_calibration", "choose_threshold", "calibration", "main"]

LINKER_STAGES = ("hanlink_linker", "hanlink_forms")  # in pipeline order


# -- gold ------------------------------------------------------------------------------------
def category_of(doc_id: str) -> str:
    return doc_id.rsplit("-", 1)[0] if "-" in doc_id else doc_id


def split_records(records: Sequence[dict]) -> dict[str, list[dict]]:
    """``{"dev": [...], "test": [...]}``: per category, CRC-32 order of ids, alternating dev/test."""
    by_category: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_category[category_of(str(record["id"]))].append(record)
    out: dict[str, list[dict]] = {"dev": [], "test": []}
    for category in sorted(by_category):
        ordered = sorted(by_category[category], key=lambda r: (zlib.crc32(str(r["id"]).encode()), str(r["id"])))
        for position, record in enumerate(ordered):
            out["dev" if position % 2 == 0 else "test"].append(record)
    return out


# -- metrics ---------------------------------------------------------------------------------
def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _summary(counts: Counter) -> dict:
    """Figures of one group; NIL precision/recall are None when nothing was predicted / is gold NIL."""
    precision = _ratio(counts["nil_correct"], counts["pred_nil"]) if counts["pred_nil"] else None
    recall = _ratio(counts["nil_correct"], counts["gold_nil"]) if counts["gold_nil"] else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {
        "mentions": counts["gold"], "matched": counts["matched"], "coverage": _ratio(counts["matched"], counts["gold"]),
        "linked_gold": counts["gold_linked"], "accuracy": _ratio(counts["correct_linked"], counts["gold_linked"]),
        "nil_gold": counts["gold_nil"], "nil_predicted": counts["pred_nil"],
        "nil_precision": precision, "nil_recall": recall, "nil_f1": f1,
    }


def linking_metrics(gold_records: Iterable[dict], predicted_records: Iterable[dict]) -> dict:
    """Linking accuracy and NIL precision/recall/F1 of predicted records against gold records.

    Records are matched by ``id``; mentions by exact ``(start, end, label)``.
    Only gold mentions found by a prediction count (``coverage`` says how many);
    ``accuracy`` is over matched gold mentions with a ``kb_id``; NIL precision over
    matched mentions predicted NIL (``kb_id`` null or empty), NIL recall over matched
    gold NIL mentions. Also ``labels`` (PERSON, ORG) and ``categories`` (id prefix).

    >>> gold = [{"id": "a-1", "entities": [{"start": 0, "end": 2, "label": "PERSON", "kb_id": "P1"},
    ...                                    {"start": 3, "end": 5, "label": "PERSON", "kb_id": None}]}]
    >>> pred = [{"id": "a-1", "entities": [{"start": 0, "end": 2, "label": "PERSON", "kb_id": "P1"},
    ...                                    {"start": 3, "end": 5, "label": "PERSON", "kb_id": None}]}]
    >>> m = linking_metrics(gold, pred)
    >>> m["accuracy"], m["nil_precision"], m["nil_recall"], m["nil_f1"]
    (1.0, 1.0, 1.0, 1.0)
    """
    predicted = {str(r["id"]): r for r in predicted_records}
    total: Counter = Counter()
    labels: dict[str, Counter] = defaultdict(Counter)
    categories: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for record in gold_records:
        doc_id = str(record["id"])
        found = {(e["start"], e["end"], e["label"]): (e.get("kb_id") or None)
                 for e in predicted.get(doc_id, {}).get("entities", [])}
        for entity in record.get("entities", []):
            key = (entity["start"], entity["end"], entity["label"])
            gold_id = entity.get("kb_id") or None
            bins = (total, labels[entity["label"]], categories[category_of(doc_id)])
            for counts in bins:
                counts["gold"] += 1
            if key not in found:
                continue
            pred_id = found[key]
            for counts in bins:
                counts["matched"] += 1
                if gold_id is None:
                    counts["gold_nil"] += 1
                    counts["nil_correct"] += pred_id is None
                else:
                    counts["gold_linked"] += 1
                    counts["correct_linked"] += pred_id == gold_id
                counts["pred_nil"] += pred_id is None
            if pred_id != gold_id:
                text = record.get("text", "")
                errors.append({"id": doc_id, "mention": text[entity["start"]:entity["end"]] if text else None,
                               "label": entity["label"], "gold": gold_id, "predicted": pred_id})
    return {**_summary(total), "labels": {k: _summary(v) for k, v in sorted(labels.items())},
            "categories": {k: _summary(v) for k, v in sorted(categories.items())}, "errors": errors}


# -- predictions -----------------------------------------------------------------------------
def _entity(ent) -> dict:
    return {"start": ent.start_char, "end": ent.end_char, "text": ent.text, "label": ent.label_,
            "kb_id": ent.kb_id_ or None, "score": None if ent._.score is None else round(float(ent._.score), 4)}


def link_gold_spans(nlp, records: Sequence[dict], *, keep_other: bool = False) -> tuple[list[dict], list[dict]]:
    """Predictions with the gold mentions as entities, and what the recogniser found (see the module docstring).

    Returns ``(linked records, recognised records)``; the second holds the
    pipeline's own entities before they were replaced by the gold spans.
    ``keep_other`` keeps the recognised entities that overlap no gold span
    (context for a partial gold, e.g. a person without its institutions).
    """
    from pipeline.recognition.boundaries import ensure_boundaries

    before = [(name, pipe) for name, pipe in nlp.pipeline if name not in LINKER_STAGES]
    after = [nlp.get_pipe(name) for name in LINKER_STAGES if name in nlp.pipe_names]
    linked, recognised = [], []
    for record in records:
        doc = nlp.make_doc(record["text"])
        entities = record.get("entities", [])
        ensure_boundaries(doc, [o for e in entities for o in (e["start"], e["end"])])
        for _, pipe in before:
            doc = pipe(doc)
        recognised.append({"id": record["id"], "entities": [_entity(e) for e in doc.ents]})
        spans = []
        for entity in entities:
            span = doc.char_span(entity["start"], entity["end"], label=entity["label"], alignment_mode="strict")
            if span is None:
                from pipeline.errors import HanlinkError

                raise HanlinkError(f"gold {record['id']}: ({entity['start']}, {entity['end']}) is not on token "
                                   "boundaries after splitting; check the offsets")
            spans.append(span)
        if keep_other:
            taken = {i for span in spans for i in range(span.start, span.end)}
            spans += [e for e in doc.ents if not taken & set(range(e.start, e.end))]
        doc.ents = sorted(spans, key=lambda span: span.start)
        for pipe in after:
            doc = pipe(doc)
        linked.append({"id": record["id"], "text": doc.text, "entities": [_entity(e) for e in doc.ents]})
    return linked, recognised


def link_pipeline(nlp, records: Sequence[dict]) -> list[dict]:
    """Predictions of the whole pipeline (its own entities)."""
    docs = nlp.pipe([r["text"] for r in records])
    return [{"id": r["id"], "text": doc.text, "entities": [_entity(e) for e in doc.ents]}
            for r, doc in zip(records, docs)]


def load_gold_pipeline(gold: str | Path, model: str | Path | None = None, use_model: bool = True):
    """``pipeline.load`` with the gold tables beside the gold file (``speakers.csv``, ``institutions.csv``)."""
    from pipeline.loader import load

    folder = Path(gold).resolve().parent
    return load(model, speakers=folder / "speakers.csv", institutions=folder / "institutions.csv",
                use_model=use_model)


def evaluate_linking(gold: str | Path, *, nlp=None, model: str | Path | None = None, use_model: bool = True,
                     errors: bool = False) -> dict:
    """Figures on dev, test and all of a gold file: ``gold_spans`` and ``pipeline_spans`` modes."""
    records = list(read_records(gold))
    if nlp is None:
        nlp = load_gold_pipeline(gold, model, use_model)
    linker = nlp.get_pipe("hanlink_linker")
    linked, recognised = link_gold_spans(nlp, records)
    end_to_end = link_pipeline(nlp, records)
    parts = split_records(records)
    result = {"gold": str(gold), "documents": len(records),
              "mentions": sum(len(r.get("entities", [])) for r in records),
              "threshold": linker.threshold, "scorer": linker.scorer.meta.get("source", "fitted"),
              "pipeline": nlp.pipe_names, "mode": "gold_spans: linker on the gold mentions; "
              "pipeline_spans: on the mentions the pipeline found with the exact span"}
    for name, part in (("test", parts["test"]), ("dev", parts["dev"]), ("all", records)):
        figures = {
            "documents": len(part),
            "gold_spans": linking_metrics(part, linked),
            "recognition_coverage": linking_metrics(part, recognised)["coverage"],
            "pipeline_spans": linking_metrics(part, end_to_end),
        }
        if not errors:
            for mode in ("gold_spans", "pipeline_spans"):
                figures[mode].pop("errors")
        result[name] = figures
    result["calibration"] = calibration(parts["test"], linked)
    return result


def calibration(gold_records: Sequence[dict], predicted_records: Sequence[dict]) -> dict:
    """Brier score of the linking score as P(the decision is right), and a reliability table (test split)."""
    predicted = {str(r["id"]): {(e["start"], e["end"], e["label"]): e for e in r["entities"]}
                 for r in predicted_records}
    pairs = []
    for record in gold_records:
        found = predicted.get(str(record["id"]), {})
        for entity in record.get("entities", []):
            pred = found.get((entity["start"], entity["end"], entity["label"]))
            if pred is None or pred.get("kb_id") is None or pred.get("score") is None:
                continue
            pairs.append((float(pred["score"]), pred["kb_id"] == entity.get("kb_id")))
    if not pairs:
        return {"linked": 0}
    scores = np.array([p[0] for p in pairs])
    right = np.array([p[1] for p in pairs], dtype=float)
    bins = []
    for low, high in ((0.0, 0.7), (0.7, 0.9), (0.9, 0.97), (0.97, 1.01)):
        mask = (scores >= low) & (scores < high)
        if mask.any():
            bins.append({"scores": f"[{low}, {min(high, 1.0)})", "n": int(mask.sum()),
                         "mean_score": round(float(scores[mask].mean()), 3),
                         "accuracy": round(float(right[mask].mean()), 3)})
    return {"linked": len(pairs), "brier": round(float(((scores - right) ** 2).mean()), 4), "bins": bins}


# -- fitting ---------------------------------------------------------------------------------
def collect_training_pairs(nlp, records: Sequence[dict]) -> dict[str, list[tuple[np.ndarray, int]]]:
    """Per label, one ``(features of its candidates, index of the gold row or -1 for NIL)`` per gold mention
    with candidates (a gold row that is not among the candidates counts as NIL: the linker can only refuse)."""
    linker = nlp.get_pipe("hanlink_linker")
    linker.trace = []
    try:
        link_gold_spans(nlp, records)
        trace = linker.trace
    finally:
        linker.trace = None
    gold = {(str(r["id"]), e["start"], e["end"], e["label"]): e.get("kb_id")
            for r in records for e in r.get("entities", [])}
    texts = {r["text"]: str(r["id"]) for r in records}
    last = {(texts.get(item["text"]), item["start"], item["end"], item["label"]): item for item in trace}
    out: dict[str, list[tuple[np.ndarray, int]]] = {"PERSON": [], "ORG": []}
    for key, item in last.items():
        if key not in gold or not item["rows"]:
            continue
        ids = linker.kb.ids(item["label"])
        target = next((i for i, row in enumerate(item["rows"]) if ids[row] == gold[key]), -1)
        out[item["label"]].append((np.array(item["features"], dtype=float), target))
    return out


def fit_calibration(mentions: Sequence[tuple[np.ndarray, int]], *, prior: float = 0.01,
                    steps: int = 5000) -> dict[str, float]:
    """Temperature ``a`` and NIL offset ``b`` of the softmax ``exp(a·zᵢ + b) / (1 + Σⱼ exp(a·zⱼ + b))``
    (:meth:`pipeline.linking.linker.Scorer.probabilities`): maximum likelihood of the gold choice (a candidate or NIL)
    over ``(evidence of the candidates, gold index or -1)`` pairs, plus ``prior·((a − 1)² + b²)`` (keeps a
    separable development set finite); ``a ≥ 0.05``; gradient descent."""
    a, b = 1.0, 0.0
    n = max(len(mentions), 1)
    scale = max((float(np.abs(z).max()) for z, _ in mentions if len(z)), default=1.0)
    step = 1.0 / (scale ** 2 + 1.0)
    for _ in range(steps):
        grad_a, grad_b = 2 * prior * (a - 1.0), 2 * prior * b
        for z, target in mentions:
            logits = a * z + b
            top = max(float(logits.max()), 0.0)
            weights = np.exp(logits - top)
            p = weights / (np.exp(-top) + weights.sum())
            # d(−log P(target)) / d logit_i = p_i − [i = target]
            residual = p.copy()
            if target >= 0:
                residual[target] -= 1.0
            grad_a += float((residual * z).sum()) / n
            grad_b += float(residual.sum()) / n
        a = max(0.05, a - step * grad_a)
        b = b - step * grad_b
    return {"a": round(a, 4), "b": round(b, 4)}


def choose_threshold(gold_records: Sequence[dict], predicted_records: Sequence[dict]) -> tuple[float, dict]:
    """The threshold that maximises accuracy + NIL F1 on ``predicted_records`` made with threshold 0
    (each mention's best candidate and score); the middle of the best interval."""
    grid = [round(t, 3) for t in np.arange(0.05, 0.951, 0.01)]
    results = []
    for t in grid:
        thresholded = [{**r, "entities": [{**e, "kb_id": e["kb_id"] if (e["score"] or 0) >= t else None}
                                          for e in r["entities"]]} for r in predicted_records]
        m = linking_metrics(gold_records, thresholded)
        results.append((m["accuracy"] + (m["nil_f1"] or 0.0), t, m))
    best = max(r[0] for r in results)
    winners = [r for r in results if r[0] >= best - 1e-9]
    middle = winners[len(winners) // 2]
    return middle[1], {"objective": "accuracy + nil_f1", "value": round(best, 4),
                       "interval": [winners[0][1], winners[-1][1]], "accuracy": middle[2]["accuracy"],
                       "nil_f1": middle[2]["nil_f1"]}


def fit_scorer(gold: str | Path, *, rounds: int = 2, output: str | Path | None = None) -> dict:
    """Calibrate the scorer and choose the threshold on the dev split; write them as JSON (``data/linker_model.json``)."""
    from pipeline.linking.linker import FEATURES, HAND_WEIGHTS, Scorer

    records = list(read_records(gold))
    dev = split_records(records)["dev"]
    nlp = load_gold_pipeline(gold, use_model=False)
    linker = nlp.get_pipe("hanlink_linker")
    threshold_before = linker.threshold
    scorer = Scorer(HAND_WEIGHTS, {"source": "hand-set"})
    linker.scorer = scorer
    for _ in range(rounds):  # features depend on earlier links, which depend on the calibration
        pairs = collect_training_pairs(nlp, dev)
        calibration = {label: fit_calibration([(scorer.evidence(label, x), t) for x, t in pairs[label]])
                       for label in FEATURES}
        scorer = Scorer(HAND_WEIGHTS, {"source": "fitted"}, calibration)
        linker.scorer = scorer
    linker.threshold = 0.0
    linked, _ = link_gold_spans(nlp, dev)
    threshold, how = choose_threshold(dev, linked)
    linker.threshold = threshold_before
    model = {
        "source": "fitted", "date": _dt.date.today().isoformat(),
        "fitted_on": {"gold": str(gold), "split": "dev", "documents": len(dev),
                      "mentions": sum(len(r["entities"]) for r in dev),
                      "mentions_with_candidates": {label: len(pairs[label]) for label in pairs},
                      "candidates": {label: int(sum(len(x) for x, _ in pairs[label])) for label in pairs},
                      "nil_targets": {label: sum(t < 0 for _, t in pairs[label]) for label in pairs}},
        "method": "hand-set evidence weights; softmax calibration (temperature a, NIL offset b) per label by "
                  f"maximum likelihood of the gold choice on dev (prior 0.01·((a-1)²+b²)); {rounds} rounds of "
                  "relinking; threshold maximising accuracy + NIL F1 on dev",
        "threshold": threshold, "threshold_choice": how,
        "calibration": calibration, "weights": HAND_WEIGHTS,
    }
    target = Path(output) if output else data_path("linker_model.json")
    target.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluation.linking", description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", default=str(data_path("gold", "linking.jsonl")))
    parser.add_argument("--model", default=None, help="a trained pipeline folder (default: the shipped one)")
    parser.add_argument("--rules-only", action="store_true", help="no statistical NER")
    parser.add_argument("--errors", action="store_true", help="list the wrongly linked mentions")
    parser.add_argument("--fit", action="store_true", help="recalibrate the scorer and choose the threshold on dev")
    parser.add_argument("--output", default=None, help="with --fit: where to write the model JSON")
    args = parser.parse_args(argv)
    if args.fit:
        result = fit_scorer(args.gold, output=args.output)
    else:
        result = evaluate_linking(args.gold, model=args.model, use_model=not args.rules_only, errors=args.errors)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
