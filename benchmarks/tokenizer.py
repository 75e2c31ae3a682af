"""Speed and memory of each tokenizer backend: the raw analyser call vs. hanlink's spaCy tokenizer.

Usage::

    .venv/bin/python benchmarks/tokenizer.py               # mecab kiwi komoran okt hannanum
    .venv/bin/python benchmarks/tokenizer.py --kkma        # also Kkma (about 4k chars/s: slow)
    .venv/bin/python benchmarks/tokenizer.py --copies 2 --rounds 1 --backends mecab kiwi

Text: every file of konlpy's bundled corpora ``kolaw`` and ``kobill``, joined
and repeated ``--copies`` times, fed **line by line** (non-blank lines) to both
the raw call and our tokenizer. Speed is the best of ``--rounds`` passes.

Every measurement (backend × raw/ours) runs in a fresh subprocess, ``--pairs``
times alternating raw and ours so that a drifting machine load hits both; its peak
memory is that process's ``ru_maxrss`` (resident set, including the JVM and
the analysers' native memory, which tracemalloc cannot see). Start-up is the
time to create the analyser (or the spaCy pipeline) plus a first call.

Raw calls: python-mecab-ko ``MeCab().parse(line)``, kiwipiepy
``Kiwi(num_workers=0).tokenize(line)``, konlpy ``Tagger().pos(line)`` (Okt with
``norm=False, stem=False``, as our backend). Ours: ``make_nlp(backend).tokenizer(line)``,
which returns a spaCy ``Doc``.
"""
from __future__ import annotations

import argparse
import datetime
import json
import platform
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BACKENDS = ["mecab", "kiwi", "komoran", "okt", "hannanum"]


def corpus_lines(copies: int) -> list[str]:
    from konlpy.corpus import kobill, kolaw

    parts = [kolaw.open(f).read() for f in kolaw.fileids()] + [kobill.open(f).read() for f in kobill.fileids()]
    text = "\n".join(parts)
    return [line for line in text.split("\n") if line.strip()] * copies


def raw_analyser(backend: str):
    """The analyser's own call, as a function of one line."""
    if backend == "mecab":
        import mecab

        return mecab.MeCab().parse
    if backend == "kiwi":
        import kiwipiepy

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return kiwipiepy.Kiwi(num_workers=0).tokenize
    import konlpy.tag

    tagger = getattr(konlpy.tag, {"komoran": "Komoran", "okt": "Okt", "kkma": "Kkma", "hannanum": "Hannanum"}[backend])()
    if backend == "okt":
        return lambda line: tagger.pos(line, norm=False, stem=False)
    return tagger.pos


def our_tokenizer(backend: str):
    """hanlink's KoreanTokenizer, as a function of one line (returns a Doc).

    ``import pipeline`` loads nothing else (its attributes are lazy), so the memory
    figure is the tokenizer's, not the rest of the package's.
    """
    from pipeline.tokenization.tokenizer import make_nlp

    return make_nlp(backend).tokenizer


def worker(backend: str, mode: str, copies: int, rounds: int) -> dict:
    lines = corpus_lines(copies)
    chars = sum(len(line) for line in lines)
    start = time.perf_counter()
    if mode == "raw":
        call = raw_analyser(backend)
    elif mode == "ours":
        call = our_tokenizer(backend)
    else:  # "analyze": our backend's offsets alone, without building a spaCy Doc
        call = our_tokenizer(backend).backend.analyze
    call(lines[0])
    startup = time.perf_counter() - start
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for line in lines:
            call(line)
        best = min(best, time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"chars": chars, "lines": len(lines), "seconds": best, "chars_per_s": chars / best,
            "startup_s": startup, "peak_rss_mb": peak_mb}


def measure(backend: str, mode: str, copies: int, rounds: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", backend, mode, "--copies", str(copies), "--rounds", str(rounds)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=DEFAULT_BACKENDS, help="backends to measure")
    parser.add_argument("--kkma", action="store_true", help="also measure Kkma (slow: about 4k chars/s)")
    parser.add_argument("--copies", type=int, default=4, help="how many times the corpus is repeated (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="passes per measurement; the best counts (default 3)")
    parser.add_argument("--pairs", type=int, default=2,
                        help="fresh raw and ours subprocesses per backend, alternating; the fastest counts (default 2)")
    parser.add_argument("--analyze", action="store_true",
                        help="add a column: our Backend.analyze() alone (offsets, no spaCy Doc)")
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.copies, args.rounds)))
        return 0

    backends = list(args.backends) + (["kkma"] if args.kkma and "kkma" not in args.backends else [])
    lines = corpus_lines(args.copies)
    print(f"date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"text: konlpy kolaw + kobill x {args.copies} = {sum(map(len, lines)):,} chars in {len(lines):,} "
          f"non-blank lines, fed line by line; speed = best of {args.rounds} passes x {args.pairs} alternating "
          "fresh subprocesses; peak memory = ru_maxrss of the fastest subprocess")
    print()
    modes = ["raw", "ours"] + (["analyze"] if args.analyze else [])
    extra = (" analyze() chars/s |", "---:|") if args.analyze else ("", "")
    print("| backend | raw chars/s | ours chars/s | ours/raw | raw peak RSS | ours peak RSS | raw start-up | "
          f"ours start-up |{extra[0]}")
    print(f"|---|---:|---:|---:|---:|---:|---:|---:|{extra[1]}")
    for backend in backends:
        cells: dict[str, list[dict]] = {mode: [] for mode in modes}
        for _ in range(args.pairs):  # raw, ours, raw, ours...: drifting machine load hits both alike
            for mode in modes:
                cells[mode].append(measure(backend, mode, args.copies, args.rounds))
        failed = [cell["error"] for runs in cells.values() for cell in runs if "error" in cell]
        if failed:
            print(f"| {backend} | failed: {failed[0]} |||||||")
            continue
        best = {mode: max(runs, key=lambda cell: cell["chars_per_s"]) for mode, runs in cells.items()}
        raw, ours = best["raw"], best["ours"]
        analyze = f" {best['analyze']['chars_per_s']:,.0f} |" if args.analyze else ""
        print(
            f"| {backend} | {raw['chars_per_s']:,.0f} | {ours['chars_per_s']:,.0f} | "
            f"{ours['chars_per_s'] / raw['chars_per_s']:.2f} | {raw['peak_rss_mb']:,.0f} MB | "
            f"{ours['peak_rss_mb']:,.0f} MB | {raw['startup_s']:.2f} s | {ours['startup_s']:.2f} s |{analyze}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
