"""Throughput of :func:`pipeline.names.forms` on 10,000 distinct Chinese person names.

Names are generated deterministically (seeded) from common surnames (single and
compound) and given-name characters (``benchmarks/_names.py``, shared with ``linking.py``), half of them written in traditional
characters. One run prints a Markdown table: an uncached pass (every per-name
cache cleared first; the data tables, OpenCC and pypinyin stay loaded, their
one-off start-up is reported separately) and a cached second pass, with the ratio.

Usage::

    python benchmarks/names.py [--names 10000] [--repeat 3] [--seed 20181030]
"""
from __future__ import annotations

import argparse
import platform
import random
import time

from _names import COMPOUND_SURNAMES, GIVEN, SURNAMES  # this folder: sys.path[0]


def make_names(count: int, seed: int) -> list[str]:
    """``count`` distinct names; every second one converted to traditional characters."""
    from pipeline.names.zh import to_traditional

    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.03 else rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
        name = surname + given
        if len(names) % 2:
            name = to_traditional(name)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def timed_pass(names: list[str]) -> float:
    from pipeline.names import forms

    start = time.perf_counter()
    for name in names:
        forms(name)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="uncached passes; the best is reported")
    parser.add_argument("--seed", type=int, default=20181030)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from pipeline.names import clear_caches, forms

    forms("賀俊"), forms("上海社会科学院", "org"), forms("He Jun")  # load tables, OpenCC, pypinyin
    startup = time.perf_counter() - start
    names = make_names(args.names, args.seed)

    uncached = []
    for _ in range(max(1, args.repeat)):
        clear_caches()
        uncached.append(timed_pass(names))
    cold = min(uncached)
    warm = timed_pass(names)  # every name is in the caches now

    n = len(names)
    print(f"# forms() on {n:,} distinct names (seed {args.seed}); Python {platform.python_version()}, "
          f"{platform.machine()}")
    print(f"# one-off start-up (imports, tables, OpenCC, pypinyin): {startup:.2f} s")
    print("| pass | seconds | names/s | µs/name |")
    print("|---|---:|---:|---:|")
    print(f"| uncached (best of {len(uncached)}) | {cold:.3f} | {n / cold:,.0f} | {cold / n * 1e6:.1f} |")
    print(f"| cached (second pass) | {warm:.4f} | {n / warm:,.0f} | {warm / n * 1e6:.2f} |")
    print(f"| ratio cached / uncached | | {cold / warm:,.1f}× | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
