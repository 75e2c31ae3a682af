"""Sort the mistakes of ``hanlink evaluate --errors FILE`` into kinds.

EVALUATION.md explains where recognition falls short with counts; this module
is the command behind them, so that anyone can recount::

    hanlink evaluate --gold ../shared/data/klue-ner/klue-ner-v1.1_dev.tsv --format klue --errors klue-errors.jsonl
    python -m pipeline.evaluation.error_analysis klue-errors.jsonl

Kinds of a missed gold span, first that applies:

``boundary``
    a prediction of the same label overlaps it (the span is cut differently: 김 선수);
``label``
    a prediction of the other label overlaps it (원더걸스 predicted ORG, gold PS);
``inside a token``
    it starts or ends inside one of our morphemes, so no token-based prediction can match it;
``generic authority`` / ``country``
    an ORG the product's definition does not count (경찰, 정부; 북한, 일본);
``one-syllable surname``
    a PERSON of one syllable (박씨, 김 선수);
``other``
    none of these: the recogniser did not see it.

A spurious prediction is ``boundary`` or ``label`` when it overlaps a missed gold
span, else ``other``.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from pipeline.training.corpora import is_country, is_generic_org
from pipeline.errors import HanlinkError
from pipeline.records import json_lines

MISSED_KINDS = ("boundary", "label", "inside a token", "generic authority", "country", "one-syllable surname", "other")
SPURIOUS_KINDS = ("boundary", "label", "other")


def read_errors(path: str | Path) -> Iterator[dict]:
    """The records of an errors file (one JSON object a line; read with :func:`pipeline.records.json_lines`).

    Raises
    ------
    HanlinkError
        When the file cannot be read, or on a line that is not an errors record (naming the file and line).
    """
    path = Path(path)
    if not path.is_file():
        raise HanlinkError(f"cannot read {path}: no such file; write it with `hanlink evaluate ... --errors {path}`")
    for line in json_lines(path):
        record = line.value
        if line.problem is None and not (isinstance(record, dict) and {"missed", "spurious", "text"} <= record.keys()):
            problem = "expected an object with 'text', 'missed' and 'spurious'"
        else:
            problem = line.problem
        if problem is not None:
            raise HanlinkError(f"{path}, line {line.number}: not an errors record of `hanlink evaluate --errors` "
                               f"({problem})")
        yield record


def _overlaps(a: Sequence, b: Sequence) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def classify(records: Iterable[dict], tokenizer=None) -> dict[str, Counter]:
    """Count the kinds of mistakes, overall and by ``source``.

    Parameters
    ----------
    records : iterable of dict
        Errors records: ``text``, ``missed`` and ``spurious`` lists of ``[start, end, label, text]``,
        optional ``source``.
    tokenizer : callable, optional
        ``tokenizer(text) -> Doc``, for the ``inside a token`` kind (default: hanlink's mecab tokenizer).

    Returns
    -------
    dict
        ``{"missed": Counter((label, kind)), "spurious": Counter((label, kind)),
        "by_source": Counter((source, "missed" | "spurious", label))}``.

    Examples
    --------
    >>> record = {"text": "박씨는 경찰에 갔다.", "missed": [[0, 1, "PERSON", "박"], [4, 6, "ORG", "경찰"]],
    ...           "spurious": [[0, 2, "PERSON", "박씨"]]}
    >>> sorted(classify([record])["missed"].items())
    [(('ORG', 'generic authority'), 1), (('PERSON', 'boundary'), 1)]
    """
    if tokenizer is None:
        from pipeline.tokenization.tokenizer import make_nlp

        tokenizer = make_nlp().tokenizer
    missed: Counter = Counter()
    spurious: Counter = Counter()
    by_source: Counter = Counter()
    for record in records:
        source = record.get("source") or "all"
        doc = None
        for gold in record["missed"]:
            start, end, label, surface = gold[:4]
            overlapping = [p for p in record["spurious"] if _overlaps(gold, p)]
            if any(p[2] == label for p in overlapping):
                kind = "boundary"
            elif overlapping:
                kind = "label"
            else:
                if doc is None:
                    doc = tokenizer(record["text"])
                if doc.char_span(start, end) is None:
                    kind = "inside a token"
                elif label == "ORG" and is_generic_org(surface):
                    kind = "generic authority"
                elif label == "ORG" and is_country(surface):
                    kind = "country"
                elif label == "PERSON" and len(surface) == 1:
                    kind = "one-syllable surname"
                else:
                    kind = "other"
            missed[label, kind] += 1
            by_source[source, "missed", label] += 1
        for predicted in record["spurious"]:
            overlapping = [g for g in record["missed"] if _overlaps(predicted, g)]
            kind = ("boundary" if any(g[2] == predicted[2] for g in overlapping)
                    else "label" if overlapping else "other")
            spurious[predicted[2], kind] += 1
            by_source[source, "spurious", predicted[2]] += 1
    return {"missed": missed, "spurious": spurious, "by_source": by_source}


def report(counts: dict[str, Counter]) -> str:
    """The counts of :func:`classify` as Markdown tables."""
    lines = ["| missed gold span | PERSON | ORG |", "|---|---:|---:|"]
    for kind in MISSED_KINDS:
        lines.append(f"| {kind} | {counts['missed']['PERSON', kind]:,} | {counts['missed']['ORG', kind]:,} |")
    lines.append(f"| **all** | {sum(v for (l, _), v in counts['missed'].items() if l == 'PERSON'):,} "
                 f"| {sum(v for (l, _), v in counts['missed'].items() if l == 'ORG'):,} |")
    lines += ["", "| spurious prediction | PERSON | ORG |", "|---|---:|---:|"]
    for kind in SPURIOUS_KINDS:
        lines.append(f"| {kind} | {counts['spurious']['PERSON', kind]:,} | {counts['spurious']['ORG', kind]:,} |")
    sources = sorted({source for source, _, _ in counts["by_source"]})
    if len(sources) > 1:
        lines += ["", "| source | missed PERSON | missed ORG | spurious PERSON | spurious ORG |",
                  "|---|---:|---:|---:|---:|"]
        for source in sources:
            cells = [counts["by_source"][source, what, label] for what in ("missed", "spurious")
                     for label in ("PERSON", "ORG")]
            lines.append(f"| {source} | " + " | ".join(f"{c:,}" for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluation.error_analysis", description=__doc__.splitlines()[0])
    parser.add_argument("errors", help="the file written by `hanlink evaluate ... --errors FILE`")
    args = parser.parse_args(argv)
    try:
        print(report(classify(read_errors(args.errors))))
    except HanlinkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
