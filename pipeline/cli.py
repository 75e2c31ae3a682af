"""The ``hanlink`` command line (see ``../shared/CONTRACT.md``).

Exit status: 0 when every document succeeded, 1 when some failed, 2 on a usage error.

Each command imports what it needs when it runs, so ``hanlink --help`` (and ``hanlink names``)
start without spaCy or pandas (``tests/test_fast_start.py``).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from pipeline.errors import HanlinkError, UsageError


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
    annotate.add_argument("--format", choices=["jsonl", "table", "csv"], default="jsonl",
                          help="jsonl (the contract's output), table (a readable list of the people found) or csv "
                               "(that list as CSV for a spreadsheet; with a byte-order mark when written to a file)")
    annotate.add_argument("--mentions", metavar="OUT.parquet",
                          help="also write a flat table of all mentions (doc id, offsets, label, text, kb_id, ...); "
                               "a name ending in .csv writes CSV for a spreadsheet")
    annotate.add_argument("--workers", type=int, default=2, metavar="N",
                          help="worker processes of the local Dask cluster (--engine dask without --scheduler)")
    annotate.add_argument("--batch-size", type=int, default=32, metavar="N",
                          help="documents per batch (local engine) or per task (Dask)")

    names = sub.add_parser("names", help="every form of a name: hanja, simplified, pinyin, Hangul, reading")
    names.add_argument("names", nargs="+", metavar="NAME")
    names.add_argument("--kind", choices=["person", "org"], default="person")

    evaluate = sub.add_parser("evaluate", help="precision, recall and F1 of PERSON and ORG against gold (JSON)")
    evaluate.add_argument("--gold", required=True, metavar="FILE", help="gold file (or KMOU corpus folder)")
    evaluate.add_argument("--format", choices=["klue", "jsonl", "klp", "kmou", "press"], default=None,
                          help="klue (KLUE-NER TSV), jsonl (annotate's shape), klp (KMOU 2016klp), kmou "
                               "(KMOU corpus), press (real press annotated by person: data/gold/README.md); "
                               "default: from the file name")
    evaluate.add_argument("--split", choices=["dev", "test"], default=None,
                          help="--format press: score only the dev or the test passages (default: all, "
                               "with both splits under by_split)")
    evaluate.add_argument("--model", metavar="PATH", help="trained pipeline folder (default: the shipped model)")
    evaluate.add_argument("--tokenizer", metavar="NAME", default=None, help="analyser (default mecab)")
    evaluate.add_argument("--speakers", metavar="CSV",
                          help="speaker table to link against (jsonl gold: default the one beside the gold file)")
    evaluate.add_argument("--institutions", metavar="CSV", help="institution table (likewise)")
    evaluate.add_argument("--limit", type=int, metavar="N", help="score only the first N documents")
    evaluate.add_argument("--by-source", action="store_true", default=None,
                          help="split the scores by source (always on for --format klue)")
    components = evaluate.add_mutually_exclusive_group()
    components.add_argument("--rules-only", action="store_true", help="the rule layer alone (no statistical model)")
    components.add_argument("--no-rules", action="store_true", help="the statistical model alone (no rule layer)")
    evaluate.add_argument("--product-definition", action="store_true",
                          help="apply the product's PERSON/ORG definition to the gold (김모 → 김, countries not ORG)")
    evaluate.add_argument("--errors", metavar="FILE", help="write the documents with mistakes there (JSONL)")
    evaluate.add_argument("--seen-from", metavar="SOURCE",
                          help="'kmou-train' or a gold file: also score mentions seen / never seen there (by_seen)")

    train = sub.add_parser("train", help="train the statistical NER on the KMOU corpora and package it in models/")
    from pipeline.training.train import add_arguments as _train_arguments

    _train_arguments(train)

    directory = sub.add_parser("directory", help="speaker directory (CSV, Parquet, SQLite) from annotate output")
    from pipeline.directory.command import add_arguments as _directory_arguments

    _directory_arguments(directory)

    from pipeline.review.command import register as _review_register  # export, import (issue 17)

    _review_register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "annotate":
            return _annotate(args)
        if args.command == "names":
            return _names(args)
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command == "train":
            from pipeline.training.train import run as _train_run

            return _train_run(args)
        if args.command == "directory":
            from pipeline.directory.command import command as _directory_command

            return _directory_command(args)
        if args.command in ("export", "import"):
            from pipeline.review.command import run as _review_run

            return _review_run(args)
    except UsageError as exc:
        print(f"hanlink {args.command}: {exc}", file=sys.stderr)
        return 2
    except HanlinkError as exc:
        print(f"hanlink {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: every line written is whole (flushed one by one)
        hint = " (what was written is kept: run again with --resume to finish)" \
            if args.command == "annotate" and getattr(args, "output", None) else ""
        print(f"hanlink {args.command}: interrupted{hint}", file=sys.stderr)
        return 130
    parser.error(f"unknown command {args.command}")
    return 2


def _names(args: argparse.Namespace) -> int:
    from pipeline.names.forms import MAX_NAME_CHARS, forms

    for position, name in enumerate(args.names, start=1):
        if len(name) > MAX_NAME_CHARS:
            raise UsageError(f"name {position} is {len(name):,} characters long; names are at most "
                             f"{MAX_NAME_CHARS} characters: give one name per argument")
    try:
        for name in args.names:
            print(json.dumps(forms(name, args.kind), ensure_ascii=False), flush=True)
    except BrokenPipeError:  # `hanlink names … | head`: the reader has gone; stop quietly
        _quiet_broken_pipe()
    return 0


def _quiet_broken_pipe() -> None:
    """Point standard output at /dev/null so that Python's flush at exit raises no second BrokenPipeError."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluation.ner import evaluate

    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    if args.format == "press" or (args.format is None and Path(args.gold).name.startswith("press")):
        from pipeline.evaluation.press import evaluate_press

        result = evaluate_press(args.gold, model=args.model, tokenizer=args.tokenizer, speakers=args.speakers,
                                institutions=args.institutions, split=args.split, errors_path=args.errors,
                                limit=args.limit)
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    if args.split:
        raise UsageError("--split applies to --format press only")
    result = evaluate(args.gold, args.format, model=args.model, limit=args.limit, by_source=args.by_source,
                      rules=not args.no_rules, statistical=not args.rules_only,
                      product_definition=args.product_definition, tokenizer=args.tokenizer,
                      errors_path=args.errors, speakers=args.speakers, institutions=args.institutions,
                      seen_from=args.seen_from)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def _annotate(args: argparse.Namespace) -> int:
    from pipeline import records
    from pipeline.batch import engine as batch
    from pipeline.batch.readers import read_inputs

    if args.n_process < 1 or args.workers < 1 or args.batch_size < 1:
        raise UsageError("--n-process, --workers and --batch-size must be at least 1")
    if args.resume and not args.output:
        raise UsageError("--resume needs -o OUT (the file to resume)")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    errors_path = Path(args.errors) if args.errors else batch.default_errors_path(args.output)
    _check_outputs(args, errors_path)
    batch.prepare_errors(errors_path)
    items = read_inputs(args.inputs, args.id_column, args.text_column)
    first = next(items, None)  # a missing input or a CSV without its columns fails here, before loading anything
    engine = _engine(args)
    errors = batch.open_errors(errors_path)
    people: list[dict] = []       # --format table: the people view, row by row as records are written
    mention_rows: list[dict] = []  # --mentions: the mention table, likewise

    def collect(record: dict) -> None:
        if args.format in ("table", "csv"):
            people.extend(records.people_rows([record]))
        if args.mentions:
            mention_rows.extend(records.mention_rows([record]))

    skip: "set[str] | batch.ResumeState" = set()
    if args.output:
        out_path = Path(args.output)
        try:
            out_path.parent.mkdir(parents=True, exist_ok=True)
            out = open(out_path, "a", encoding="utf-8")
        except OSError as exc:  # a read-only folder, a path through a file, ...
            raise UsageError(f"{exc.filename or out_path}: cannot write: {exc.strerror}; give -o a path in a "
                             "folder you can write to") from None
        try:
            _lock(out, out_path)
            if args.resume:
                skip = batch.read_resume(out_path, on_record=collect if args.mentions else None)
                for warning in _check_resume(args, skip, errors_path):
                    print(f"hanlink annotate: warning: {warning}", file=sys.stderr)
                skip.cut()
            else:
                out.truncate(0)
            batch.clear_errors(errors_path)  # every failure not in OUT is met, and listed, again
        except BaseException:
            out.close()
            raise
    else:
        out = sys.stdout
    target = _NullSink() if args.format != "jsonl" and out is sys.stdout else out  # the table replaces JSONL
    wanted = args.format != "jsonl" or args.mentions
    progress, close_progress = _progress_bar(args.quiet)
    try:
        result = batch.annotate(_chain(first, items), engine, target, errors, skip_ids=skip, progress=progress,
                                on_record=collect if wanted else None)
    finally:
        close_progress()
        if out is not sys.stdout:
            out.close()
    if args.mentions:
        batch.write_mentions(mention_rows, Path(args.mentions))
    if args.format == "table":
        from pipeline.report import people_table

        print(people_table(people))
    if args.format == "csv":
        _print_people_csv(people)
    if result.failed:
        print(f"hanlink annotate: {result.failed} document(s) failed; see {errors_path}", file=sys.stderr)
    return 1 if result.failed else 0


def _print_people_csv(people: list[dict]) -> None:
    """``--format csv``: the people view as CSV on standard output, with a byte-order mark when that is a file
    (``> people.csv``, for Excel on Korean Windows), plain UTF-8 into a terminal or a pipe."""
    import io

    import pandas as pd

    from pipeline.records import PEOPLE_COLUMNS
    from pipeline.spreadsheets import is_regular_file, write_csv

    text = io.StringIO(newline="")
    write_csv(pd.DataFrame(people, columns=list(PEOPLE_COLUMNS)), text, bom=is_regular_file(sys.stdout))
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.getvalue().encode("utf-8"))
        sys.stdout.flush()
    except BrokenPipeError:  # `... --format csv | head`
        _quiet_broken_pipe()


def _check_outputs(args: argparse.Namespace, errors_path: Path | None) -> None:
    """Refuse (before anything is touched) an OUT, errors file or mention table that is one of the inputs or
    tables (the same file, through a symlink or a hard link too), or that names the same file as another."""
    from pipeline.kb.tables import default_institutions_path, default_speakers_path

    protected: list[tuple[str, Path]] = []
    for name in args.inputs:
        if name != "-":
            protected.append(("input", Path(name)))
    protected.append(("speaker table", Path(args.speakers) if args.speakers else default_speakers_path()))
    protected.append(("institution table", Path(args.institutions) if args.institutions
                      else default_institutions_path()))
    if args.model:
        protected.append(("model", Path(args.model)))
    outputs = [("-o", Path(args.output) if args.output else None), ("--errors", errors_path),
               ("--mentions", Path(args.mentions) if args.mentions else None)]
    outputs = [(flag, path) for flag, path in outputs if path is not None]
    for flag, path in outputs:
        if path.is_dir():
            raise UsageError(f"{flag} {path} is a directory; give the name of a file to write")
        for kind, other in protected:
            if _same_file(path, other):
                raise UsageError(f"{flag} {path} would overwrite the {kind} {other}; "
                                 "write the output to another file")
            if kind == "input" and other.is_dir() and _inside(path, other) and path.suffix.lower() == ".txt":
                raise UsageError(f"{flag} {path} lies in the input folder {other} and would be read back as a "
                                 "document; write the output outside it")
    for position, (flag, path) in enumerate(outputs):
        for other_flag, other in outputs[position + 1:]:
            if _same_file(path, other) or path.resolve() == other.resolve():
                raise UsageError(f"{flag} {path} and {other_flag} {other} are the same file; give two files")


def _check_resume(args: argparse.Namespace, state, errors_path: Path) -> list[str]:
    """W4: refuse to resume OUT from an input that changed (another text, a document gone, another order), before
    OUT is touched; the warnings to print (new documents that land out of order). Standard input is not read
    here: its document is checked as it is read (:func:`pipeline.batch.engine.annotate`)."""
    from pipeline.batch import engine as batch
    from pipeline.batch.readers import read_inputs

    if not state.done:
        return []
    files = [name for name in args.inputs if name != "-"]
    unseen = {"stdin"} if not args.inputs or "-" in args.inputs else set()
    items = read_inputs(files, args.id_column, args.text_column) if files else iter(())
    return batch.check_resume(state, items, failed_before=batch.failed_ids(errors_path), unseen=unseen)


def _lock(handle, path: Path) -> None:
    """Hold an exclusive lock on OUT for the run, so that a second run on it stops before touching it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover (not POSIX)
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise UsageError(f"{path}: another hanlink annotate is writing this file; wait for it to end "
                         "(then --resume it), or give another -o") from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # follows symlinks: same device and inode
    except OSError:  # one of them does not exist yet (or cannot be read): it cannot be the other
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _engine(args: argparse.Namespace):
    from pipeline.batch import engine as batch

    settings = batch.PipelineSettings(args.model or "", args.tokenizer or "", args.speakers or "",
                                      args.institutions or "")
    if args.engine == "dask":
        from pipeline.batch.dask_engine import DaskEngine

        engine = DaskEngine(settings, scheduler=args.scheduler, n_workers=args.workers,
                            partition_size=args.batch_size)
        engine.connect()  # an unreachable --scheduler stops the run here, before OUT is touched
        return engine
    from pipeline.loader import load

    if args.n_process > 1:
        return batch.ProcessPoolEngine(settings, args.n_process, partition_size=args.batch_size)
    nlp = load(args.model, tokenizer=args.tokenizer, speakers=args.speakers, institutions=args.institutions)
    return lambda documents: batch.frozen_local_engine(nlp, documents, batch_size=args.batch_size)


def _chain(first, rest):
    if first is not None:
        yield first
    yield from rest


class _NullSink:
    """Where the JSONL goes when the table view replaces it on standard output."""

    def write(self, line: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _progress_bar(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(unit="doc", file=sys.stderr)
    return bar.update, bar.close


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
