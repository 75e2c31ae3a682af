"""Long documents: does the time per character stay flat as a document grows (issue 14, C7)?

Runs every component of the shipped pipeline on documents of ``--sizes`` characters of three kinds —
the seed article repeated with its line breaks, the same text on one line, and one letter repeated —
and prints seconds per component and the growth ratio (time at the largest size / time at the
smallest, against the size ratio). Linear time shows as a time ratio close to the size ratio.

    .venv/bin/python benchmarks/long_documents.py --sizes 100000,400000
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def texts(size: int) -> dict[str, str]:
    seed_dir = Path(os.environ.get("HANLINK_SHARED") or REPO.parent / "shared") / "seeds"
    seed = next(iter(sorted(seed_dir.glob("*.txt")))).read_text(encoding="utf-8")
    lines = (seed + "\n") * (size // len(seed) + 1)
    return {"article, lines": lines[:size], "article, one line": lines.replace("\n", " ")[:size], "aaaa…": "a" * size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100000,400000", help="document sizes in characters (comma-separated)")
    args = ap.parse_args()
    import pipeline

    nlp = pipeline.load()
    sizes = [int(x) for x in args.sizes.split(",")]
    results: dict[tuple[str, int], dict[str, float]] = {}
    for size in sizes:
        for kind, text in texts(size).items():
            doc = nlp.make_doc(text)
            times = {}
            for name, proc in nlp.pipeline:
                start = time.perf_counter()
                doc = proc(doc)
                times[name] = time.perf_counter() - start
            times["total"] = sum(times.values())
            results[(kind, size)] = times
    names = [name for name, _ in nlp.pipeline] + ["total"]
    print(f"{'document':<20} {'chars':>9} " + " ".join(f"{n.replace('hanlink_', ''):>8}" for n in names))
    for (kind, size), times in results.items():
        print(f"{kind:<20} {size:>9} " + " ".join(f"{times[n]:>8.2f}" for n in names))
    small, large = sizes[0], sizes[-1]
    print(f"\ntime ratio {large:,} / {small:,} characters (size ratio {large / small:.1f}):")
    for kind in texts(10):
        a, b = results[(kind, small)], results[(kind, large)]
        print(f"{kind:<20} " + " ".join(f"{(b[n] / a[n] if a[n] > 0.01 else float('nan')):>8.1f}" for n in names))


if __name__ == "__main__":
    main()
