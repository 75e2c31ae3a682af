"""``hanlink export`` and ``hanlink import``: annotations out to an annotation tool and the corrections back.

Kept free of heavy imports so that ``hanlink --help`` stays fast (``tests/test_fast_start.py``).

Exit status: 0 on success; 1 when the file to import is not a tool's export or a
span in it is wrong (the message names the task or line and the region); 2 on a
usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.errors import InputDocumentError, UsageError

__all__ = ["TOOLS", "register", "run", "run_export", "run_import"]

#: The annotation tools hanlink writes for and reads from.
TOOLS = ("label-studio", "doccano")

DOCCANO_SETUP = ("doccano has no labeling configuration file: create a 'Sequence labeling' project with "
                 "'Use relation labeling' on, span labels PERSON and ORG, and relation types antecedent and "
                 "affiliation, then import the JSONL of `hanlink export --to doccano`")


def register(subparsers: Any) -> None:
    """Add ``export`` and ``import`` to the ``hanlink`` sub-command parsers."""
    export = subparsers.add_parser("export", help="annotations as pre-annotated tasks for Label Studio or doccano")
    export.add_argument("inputs", nargs="*", metavar="ANNOTATIONS", help="output of `hanlink annotate` (JSONL)")
    export.add_argument("--to", choices=TOOLS, default="label-studio",
                        help="label-studio (a JSON list of tasks with predictions; the default) or doccano (JSONL "
                             "for a sequence-labelling project with relations)")
    export.add_argument("-o", "--output", metavar="OUT", help="file to write (default: standard output)")
    export.add_argument("--labeling-config", action="store_true",
                        help="print the Label Studio labeling configuration (XML) the tasks are made for")

    imported = subparsers.add_parser("import", help="a tool's export of corrected tasks as gold JSONL "
                                                    "(annotate's shape, for `hanlink evaluate --gold`)")
    imported.add_argument("export_file", metavar="EXPORTED",
                          help="Label Studio's JSON export (.json) or doccano's JSONL export (.jsonl)")
    imported.add_argument("-o", "--output", metavar="GOLD", help="gold JSONL to write (default: standard output)")
    imported.add_argument("--from", dest="tool", choices=TOOLS, default=None,
                          help="the tool that wrote EXPORTED (default: .jsonl is doccano, anything else Label Studio)")
    imported.add_argument("--unreviewed", choices=["skip", "predictions"], default="skip",
                          help="Label Studio tasks nobody submitted: leave them out (default) or take their "
                               "predictions as they are")


def run(args: argparse.Namespace) -> int:
    """Run ``hanlink export`` or ``hanlink import`` with parsed ``args``."""
    return run_export(args) if args.command == "export" else run_import(args)


def run_export(args: argparse.Namespace) -> int:
    """``hanlink export``: the tasks, or with ``--labeling-config`` the configuration."""
    if args.labeling_config:
        if args.inputs:
            raise UsageError("--labeling-config prints the configuration only; run export again without it "
                             "for the tasks")
        if args.to == "doccano":
            raise UsageError(DOCCANO_SETUP)
        from pipeline.review.label_studio import labeling_config

        _write_text(labeling_config(), args.output)
        return 0
    if not args.inputs:
        raise UsageError("give the annotate output to export (ANNOTATIONS.jsonl), or --labeling-config")
    _refuse_overwrite(args.output, args.inputs)
    from pipeline.records import read_records

    records = [record for path in args.inputs for record in _read(path, read_records)]
    if args.to == "label-studio":
        from pipeline.review.label_studio import records_to_tasks

        text = json.dumps(records_to_tasks(records, model_version=_model_version()), ensure_ascii=False,
                          indent=1) + "\n"
    else:
        from pipeline.review.doccano import record_to_line

        text = "".join(json.dumps(record_to_line(record), ensure_ascii=False) + "\n" for record in records)
    _write_text(text, args.output)
    print(f"hanlink export: {len(records)} document(s), {sum(len(r['entities']) for r in records)} entities "
          f"→ {args.output or 'standard output'} ({args.to})", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """``hanlink import``: a tool's export → gold JSONL."""
    path = Path(args.export_file)
    _refuse_overwrite(args.output, [args.export_file])
    tool = args.tool or ("doccano" if path.suffix.lower() == ".jsonl" else "label-studio")
    if args.unreviewed != "skip" and tool != "label-studio":
        raise UsageError("--unreviewed applies to Label Studio exports only")
    try:
        if tool == "label-studio":
            records, left_out, warnings = _from_label_studio(path, args.unreviewed)
        else:
            records, left_out, warnings = _from_doccano(path), [], []
    except ValueError as exc:
        print(f"hanlink import: {exc}; nothing was written", file=sys.stderr)
        return 1
    from pipeline.review.gold import write_gold

    for warning in warnings:
        print(f"hanlink import: warning: {warning}", file=sys.stderr)
    written = write_gold(records, args.output)
    if left_out:
        shown = ", ".join(left_out[:5]) + (", ..." if len(left_out) > 5 else "")
        print(f"hanlink import: {len(left_out)} task(s) without a submitted annotation left out ({shown}); "
              "submit them in Label Studio, or use --unreviewed predictions", file=sys.stderr)
    print(f"hanlink import: {written} document(s), {sum(len(r['entities']) for r in records)} entities → "
          f"{args.output or 'standard output'}", file=sys.stderr)
    return 0


def _from_label_studio(path: Path, unreviewed: str) -> tuple[list[dict], list[str], list[str]]:
    from pipeline.review.label_studio import tasks_to_records

    try:
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise ValueError(f"{path}: not JSON ({exc}); give Label Studio's 'JSON' export (Export → JSON)") from None
    records, report = tasks_to_records(tasks, source_name=str(path), unreviewed=unreviewed)
    return records, report.unreviewed, report.warnings


def _from_doccano(path: Path) -> list[dict]:
    from pipeline.records import json_lines
    from pipeline.review.doccano import line_to_record

    records = []
    try:
        for line in json_lines(path):
            if line.problem is not None:
                raise ValueError(f"{path}, line {line.number}: {line.problem}")
            records.append(line_to_record(line.value, str(path), line.number))
    except InputDocumentError as exc:  # the file cannot be opened
        raise UsageError(str(exc)) from None
    return records


def _read(path: str, read_records: Any) -> list[dict]:
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file; give the JSONL written by `hanlink annotate -o`")
    return list(read_records(path))


def _refuse_overwrite(output: str | None, inputs: list[str]) -> None:
    if output is None:
        return
    out = Path(output)
    if out.is_dir():
        raise UsageError(f"-o {out} is a directory; give the name of a file to write")
    for name in inputs:
        if Path(name).exists() and out.exists() and out.resolve() == Path(name).resolve():
            raise UsageError(f"-o {out} would overwrite the input {name}; write to another file")


def _write_text(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)


def _model_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"hanlink {version('hanlink')}"
    except PackageNotFoundError:
        return "hanlink"
