"""``hanlink directory``: its options and its run (the command line reaches the directory through here).

Kept apart from :mod:`pipeline.directory.build` so that ``hanlink --help`` does not import pandas.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from pipeline.errors import InputDocumentError, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``hanlink directory``."""
    parser.add_argument("inputs", nargs="+", metavar="ANNOTATIONS",
                        help="output of `hanlink annotate` (JSONL files, or folders of them)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR",
                        help="folder to write speakers/institutions/affiliations .csv/.parquet and directory.sqlite")
    parser.add_argument("--speakers", metavar="CSV", help="speaker table the annotations used (default: shipped)")
    parser.add_argument("--institutions", metavar="CSV", help="institution table (default: the shipped one)")
    parser.add_argument("--base", metavar="DIR", help="a directory written before: keep its ids and hand edits")
    parser.add_argument("--strict", action="store_true", help="stop at the first bad input line (exit 1)")
    parser.add_argument("--quiet", action="store_true", help="no summary line")


def command(args: argparse.Namespace) -> int:
    """Run ``hanlink directory``: 0 when every input line was used, 1 when some were skipped (or
    ``--strict`` stopped at one), 2 on a usage error (raised as :class:`UsageError`/``TableError``)."""
    from pipeline.directory.build import build_directory

    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output}: exists and is not a folder; -o names the folder of the directory")
    try:
        directory = build_directory(args.inputs, speakers=args.speakers, institutions=args.institutions,
                                    base=args.base, strict=args.strict)
    except InputDocumentError as exc:
        print(f"hanlink directory: {exc}; nothing was written (drop --strict to skip bad lines)", file=sys.stderr)
        return 1
    for problem in directory.problems:
        print(f"hanlink directory: {problem}", file=sys.stderr)
    for warning in directory.warnings:
        print(f"hanlink directory: warning: {warning}", file=sys.stderr)
    try:
        directory.write(output)
    except (OSError, sqlite3.Error) as exc:  # a full disk, a read-only folder: the cause, in one line
        reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
        raise UsageError(f"{output}: cannot write the directory: {reason}; free some space or give -o a folder you "
                         "can write to (the files there are as they were)") from None
    if not args.quiet:
        print(f"hanlink directory: {directory.summary()}; written to {output}", file=sys.stderr)
    if directory.problems:
        print(f"hanlink directory: {len(directory.problems)} input line(s) skipped", file=sys.stderr)
    return 1 if directory.problems else 0
