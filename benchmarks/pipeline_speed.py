"""Whole hanlink pipeline vs konlpy's Komoran ``pos()`` alone, on the same text, in one run.

The text is konlpy's bundled corpora (kolaw: the constitution; kobill: ten
bills), one non-blank line per call. Each contender runs in a fresh
subprocess, so that its peak memory (``ru_maxrss``) is its own:

``hanlink``       ``pipeline.load()`` (KoreanTokenizer/mecab → rules → statistical NER →
                  merge → names → linker), ``nlp.pipe(lines)``
``hanlink-2proc`` the same with ``n_process=2`` (peak memory: parent + largest worker)
``hanlink-rules`` ``pipeline.load(use_model=False)``: the same without the statistical model
``komoran``       ``konlpy.tag.Komoran().pos(line)`` for each line (JVM in-process)

Two floors, to show where the time goes (not the product):

``tokenizer``     hanlink's Korean tokenizer alone (mecab → spaCy ``Doc``), ``nlp.make_doc(line)``
``ner-floor``     the smallest ``tok2vec + ner`` of the shipped architecture (``pipeline/training/configs/ner.cfg``
                  with width 32, depth 1, attributes NORM and TAG, hidden width 16), initialised on two
                  hand-made sentences: what *any* spaCy NER of this kind costs before rules, names and
                  linking (untrained weights cost the same per token as trained ones)

Characters per second are the best of ``--repeat`` timed passes after one
warm-up pass; start-up (loading) is reported separately.

Usage::

    .venv/bin/python benchmarks/pipeline_speed.py            # table on stdout
    .venv/bin/python benchmarks/pipeline_speed.py --json out.json --repeat 3
    .venv/bin/python benchmarks/pipeline_speed.py --model build/cand96   # another trained model
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

CONTENDERS = ("hanlink", "hanlink-2proc", "hanlink-rules", "tokenizer", "ner-floor", "komoran")


def corpus_lines() -> list[str]:
    """Non-blank lines of konlpy's kolaw and kobill corpora."""
    from konlpy.corpus import kobill, kolaw

    texts = [kolaw.open(f).read() for f in kolaw.fileids()] + [kobill.open(f).read() for f in kobill.fileids()]
    return [line for text in texts for line in text.split("\n") if line.strip()]


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)  # Linux: kilobytes


def worker(name: str, repeat: int, model: str | None = None) -> dict:
    """Run one contender in this process; returns its measurements."""
    lines = corpus_lines()
    chars = sum(len(line) for line in lines)
    started = time.perf_counter()
    if name.startswith("hanlink"):
        import pipeline

        nlp = pipeline.load(use_model=False) if name == "hanlink-rules" else pipeline.load(model)
        n_process = 2 if name == "hanlink-2proc" else 1

        def run() -> int:
            return sum(len(doc.ents) for doc in nlp.pipe(lines, batch_size=64, n_process=n_process))
    elif name == "tokenizer":
        from pipeline.tokenization.tokenizer import make_nlp

        blank = make_nlp()

        def run() -> int:
            return sum(len(blank.make_doc(line)) for line in lines)
    elif name == "ner-floor":
        floor = smallest_ner()

        def run() -> int:
            return sum(len(doc) for doc in floor.pipe(lines, batch_size=64))
    elif name == "komoran":
        from konlpy.tag import Komoran

        komoran = Komoran()

        def run() -> int:
            return sum(len(komoran.pos(line)) for line in lines)
    else:
        raise SystemExit(f"unknown contender {name!r}; use one of {', '.join(CONTENDERS)}")
    load_seconds = time.perf_counter() - started
    output = run()  # warm-up (JIT, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    best = min(times)
    return {"name": name, "chars": chars, "lines": len(lines), "seconds": round(best, 3),
            "chars_per_second": round(chars / best), "load_seconds": round(load_seconds, 2),
            "peak_rss_mb": _peak_mb(), "output_items": output}


def smallest_ner():
    """The shipped training config shrunk to the smallest encoder (see ``ner-floor`` above), initialised."""
    import spacy
    from spacy.training import Example
    from thinc.api import Config

    from pipeline.training.train import DEFAULT_CONFIG  # also registers the Korean tokenizer

    config = Config().from_disk(DEFAULT_CONFIG, interpolate=False)
    components = config["components"]
    components["tok2vec"]["model"]["encode"].update(width=32, depth=1)
    components["tok2vec"]["model"]["embed"].update(attrs=["NORM", "TAG"], rows=[5000, 500])
    components["ner"]["model"]["hidden_width"] = 16
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": [(0, end, label)]})
                for text, end, label in (("허쥔 주임은 말했다.", 2, "PERSON"), ("중국사회과학원은 밝혔다.", 7, "ORG"))]
    nlp.initialize(lambda: examples)
    return nlp


def measure(name: str, repeat: int, model: str | None = None) -> dict:
    """Run :func:`worker` for *name* in a fresh interpreter and return its JSON."""
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, __file__, "--worker", name, "--repeat", str(repeat),
                           *(["--model", model] if model else [])],
                          capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(results: list[dict]) -> str:
    base = next(r for r in results if r["name"] == "komoran")
    rows = ["| contender | chars/s | × Komoran | peak RSS MB | × Komoran | load s |",
            "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        rows.append(f"| {r['name']} | {r['chars_per_second']:,} | {r['chars_per_second'] / base['chars_per_second']:.2f} "
                    f"| {r['peak_rss_mb']:,} | {r['peak_rss_mb'] / base['peak_rss_mb']:.2f} | {r['load_seconds']} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per contender (best is kept)")
    parser.add_argument("--only", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--model", metavar="DIR", help="statistical model for the hanlink contenders "
                        "(default: the shipped models/hanlink_ner)")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat, args.model)))
        return 0
    names = list(dict.fromkeys([*args.only, "komoran"]))
    results = [measure(name, args.repeat, args.model) for name in names]
    first = results[0]
    print(f"text: konlpy kolaw + kobill, {first['lines']} lines, {first['chars']:,} characters; "
          f"best of {args.repeat} passes after a warm-up; each contender in a fresh process; "
          f"model {args.model or 'models/hanlink_ner'}")
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
