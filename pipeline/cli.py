"""The ``hanlink`` command line (see ``../shared/CONTRACT.md``).

Exit status: 0 when every document succeeded, 1 when some failed, 2 on a usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .errors import HanlinkError, UsageError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hanlink", description="Find and link Chinese and Korean people and "
                                     "institutions in Korean text.")
    sub = parser.add_subparsers(dest="command", required=True)

    annotate = sub.add_parser("annotate", help="annotate documents; JSONL out")
    annotate.add_argument("inputs", nargs="*", metavar="INPUT",
                          help=".txt, directory, .jsonl, .csv, .parquet or - (standard input; the default)")
    annotate.add_argument("-o", "--output", metavar="OUT", help="output JSONL (default: standard output)")
    annotate.add_argument("--speakers", metavar="CSV", help="speaker table (default: the shipped one)")
    annotate.add_argument("--institutions", metavar="CSV", help="institution table (default: the shipped one)")
    annotate.add_argument("--model", metavar="PATH", help="trained pipeline folder (default: the shipped model)")
    annotate.add_argument("--tokenizer", metavar="NAME", default=None,
                          help="analyser: mecab (default), kiwi, komoran, okt, kkma, hannanum")
    annotate.add_argument("--n-process", type=int, default=1, metavar="N", help="worker processes (default 1)")
    annotate.add_argument("--engine", choices=["local", "dask"], default="local")
    annotate.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (absent: a local cluster)")
    annotate.add_argument("--resume", action="store_true", help="skip ids already present in OUT")
    annotate.add_argument("--errors", metavar="FILE", help="failed documents (default: OUT.errors.jsonl)")
    annotate.add_argument("--quiet", action="store_true", help="no progress bar")
    annotate.add_argument("--id-column", default="id", help="id column of JSONL/CSV/Parquet input (default id)")
    annotate.add_argument("--text-column", default="text", help="text column of JSONL/CSV/Parquet input")
    annotate.add_argument("--format", choices=["jsonl", "table"], default="jsonl",
                          help="jsonl (the contract's output) or table (a readable list of the people found)")

    names = sub.add_parser("names", help="every form of a name: hanja, simplified, pinyin, Hangul, reading")
    names.add_argument("names", nargs="+", metavar="NAME")
    names.add_argument("--kind", choices=["person", "org"], default="person")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "annotate":
            return _annotate(args)
        if args.command == "names":
            return _names(args)
    except UsageError as exc:
        print(f"hanlink {args.command}: {exc}", file=sys.stderr)
        return 2
    except HanlinkError as exc:
        print(f"hanlink {args.command}: {exc}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command}")
    return 2


def _names(args: argparse.Namespace) -> int:
    from .names.forms import forms

    for name in args.names:
        print(json.dumps(forms(name, args.kind), ensure_ascii=False))
    return 0


def _annotate(args: argparse.Namespace) -> int:
    from . import batch
    from .loader import load

    if args.n_process < 1:
        raise UsageError("--n-process must be at least 1")
    if args.resume and not args.output:
        raise UsageError("--resume needs -o OUT (the file to resume)")
    if args.engine == "dask":
        raise UsageError("--engine dask is not available in this version; use --engine local")
    items = batch.read_inputs(args.inputs, args.id_column, args.text_column)
    # read everything lazily, but fail on a missing input before loading the model
    first = next(items, None)
    nlp = load(args.model, tokenizer=args.tokenizer, speakers=args.speakers, institutions=args.institutions)
    stream = _chain(first, items)
    errors_path = Path(args.errors) if args.errors else batch.default_errors_path(args.output)
    errors = batch.open_errors(errors_path)
    skip: set[str] = set()
    if args.output:
        out_path = Path(args.output)
        if args.resume:
            skip = batch.completed_ids(out_path)
        elif out_path.exists():
            out_path.unlink()
        if errors_path.exists() and not args.resume:
            errors_path.unlink()
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(out_path, "a", encoding="utf-8")
    else:
        out = sys.stdout
    progress, close_progress = _progress_bar(args.quiet)
    records: list[dict] = []
    target = _TableCollector(records, out if out is not sys.stdout else None) if args.format == "table" else out
    try:
        result = batch.annotate(nlp, stream, target, errors, n_process=args.n_process, skip_ids=skip,
                                progress=progress)
    finally:
        close_progress()
        if out is not sys.stdout:
            out.close()
    if args.format == "table":
        from .report import people_table

        print(people_table(records))
    if result.failed:
        print(f"hanlink annotate: {result.failed} document(s) failed; see {errors_path}", file=sys.stderr)
    return 1 if result.failed else 0


def _chain(first, rest):
    if first is not None:
        yield first
    yield from rest


class _TableCollector:
    """A file-like sink that keeps the records for the table view (and still writes OUT when given)."""

    def __init__(self, records: list[dict], out=None):
        self.records = records
        self.out = out

    def write(self, line: str) -> None:
        if self.out is not None:
            self.out.write(line)
        if line.strip():
            self.records.append(json.loads(line))

    def flush(self) -> None:
        if self.out is not None:
            self.out.flush()


def _progress_bar(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(unit="doc", file=sys.stderr)
    return bar.update, bar.close


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
