"""Behaviour fingerprint: does a change leave annotate output and evaluation figures byte-identical?

Runs the installed ``hanlink`` command (so it measures any version of the code, before or after a
refactoring) on three inputs and hashes what comes out:

* the seed release (``../shared/seeds/000_*.txt``),
* the texts of ``data/gold/linking.jsonl``,
* the first ``--klue N`` sentences of KLUE-NER dev (evaluation data; only hashes are stored),

plus the JSON figures of ``hanlink evaluate --gold data/gold/linking.jsonl``.

Usage::

    .venv/bin/python benchmarks/behaviour.py --record benchmarks/behaviour-reference.json   # before
    .venv/bin/python benchmarks/behaviour.py --check benchmarks/behaviour-reference.json    # after

``--check`` prints a table (input, documents, identical, differing) and exits 1 when anything differs.
The reference holds one SHA-256 per output line, never the texts.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    return Path(os.environ.get("HANLINK_SHARED") or REPO.parent / "shared")


def klue_sentences(limit: int) -> list[dict]:
    """The first ``limit`` KLUE dev sentences as ``{"id", "text"}`` (text rebuilt from the character rows)."""
    path = shared_dir() / "data" / "klue-ner" / "klue-ner-v1.1_dev.tsv"
    out: list[dict] = []
    sent_id, chars = None, []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("## klue-ner"):
            sent_id, chars = line[3:].split("\t", 1)[0], []
        elif line.startswith("##"):
            continue
        elif line == "":
            if sent_id is not None and chars:
                out.append({"id": sent_id, "text": "".join(chars)})
                if len(out) >= limit:
                    break
            sent_id, chars = None, []
        else:
            chars.append(line.split("\t", 1)[0] or " ")
    return out


def inputs(klue: int) -> dict[str, list[dict]]:
    seeds = sorted((shared_dir() / "seeds").glob("*.txt"))
    gold = [json.loads(x) for x in (REPO / "data/gold/linking.jsonl").read_text(encoding="utf-8").splitlines() if x]
    return {
        "seed": [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in seeds],
        "linking-gold": [{"id": g["id"], "text": g["text"]} for g in gold],
        "klue-dev": klue_sentences(klue),
    }


def hanlink() -> str:
    exe = Path(sys.executable).with_name("hanlink")
    return str(exe) if exe.exists() else "hanlink"


def annotate(docs: list[dict], tmp: Path, name: str) -> dict[str, str]:
    src, out = tmp / f"{name}.jsonl", tmp / f"{name}.out.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    subprocess.run([hanlink(), "annotate", str(src), "-o", str(out), "--quiet"], check=False)
    hashes = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        hashes[json.loads(line)["id"]] = hashlib.sha256(line.encode("utf-8")).hexdigest()
    return hashes


#: fields of the evaluate output that differ from run to run (timings) or with the clone's folder (paths)
VOLATILE = frozenset({"seconds", "chars_per_second", "gold", "model", "tables"})


def stable(value):
    """``value`` without the volatile fields, at any depth."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    return value


def evaluate_linking() -> dict:
    res = subprocess.run([hanlink(), "evaluate", "--gold", str(REPO / "data/gold/linking.jsonl")],
                         capture_output=True, text=True, check=True)
    return stable(json.loads(res.stdout))


def fingerprint(klue: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return {"outputs": {name: annotate(docs, Path(tmp), name) for name, docs in inputs(klue).items()},
                "evaluate_linking": evaluate_linking(), "klue": klue}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--record", type=Path, help="write the fingerprint here")
    group.add_argument("--check", type=Path, help="compare with a fingerprint written by --record")
    ap.add_argument("--klue", type=int, default=1000, help="KLUE dev sentences to include (default 1000)")
    args = ap.parse_args(argv)
    if args.record:
        fp = fingerprint(args.klue)
        args.record.write_text(json.dumps(fp, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {sum(len(v) for v in fp['outputs'].values())} documents in {args.record}")
        return 0
    ref = json.loads(args.check.read_text(encoding="utf-8"))
    now = fingerprint(ref.get("klue", args.klue))
    bad = 0
    print(f"{'input':<14} {'documents':>9} {'identical':>9} {'differing':>9}")
    for name, hashes in ref["outputs"].items():
        got = now["outputs"].get(name, {})
        same = sum(1 for k, v in hashes.items() if got.get(k) == v)
        diff = [k for k in hashes if got.get(k) != hashes[k]] + [k for k in got if k not in hashes]
        bad += len(diff)
        print(f"{name:<14} {len(hashes):>9} {same:>9} {len(diff):>9}" + (f"   e.g. {diff[:3]}" if diff else ""))
    same_eval = now["evaluate_linking"] == stable(ref["evaluate_linking"])
    print(f"{'evaluate':<14} {'':>9} {'yes' if same_eval else 'NO':>9}")
    return 0 if bad == 0 and same_eval else 1


if __name__ == "__main__":
    sys.exit(main())
