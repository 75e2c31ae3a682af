"""Documents per second of `hanlink annotate`: 1 process, 2 processes, Dask with 2 workers.

Usage: python benchmarks/batch.py [--docs 3000] [--repeat 1]

Every configuration runs the real command on the same JSONL input in a fresh
process (start-up included: loading the pipeline, starting the Dask cluster),
one after the other in this run, and checks that all outputs are identical.
The table gives documents per second and the ratio to one process.
"""
from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANLINK = str(Path(sys.executable).with_name("hanlink"))
SEED_SENTENCES = [
    "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 스마트화를 특징으로 한 4차 산업혁명을 강조했다.",
    "김상훈 산업연구원 해외산업연구실장은 재편을 야기할 가능성이 높다고 예측했다.",
    "양쥔(楊軍) 알리클라우드 연구센터 전략디렉터는 도시 관리 사례를 소개했다.",
    "장위안위안(蔣媛媛) 상하이사회과학원의 응용경제연구소 부주임은 주요 내용을 밝혔다.",
]


def make_corpus(path: Path, n: int) -> None:
    """``n`` documents of about 1,000 characters: konlpy's kobill paragraphs with seed sentences mixed in."""
    from konlpy.corpus import kobill, kolaw

    paragraphs = []
    for corpus in (kolaw, kobill):
        for name in corpus.fileids():
            paragraphs += [p.strip() for p in corpus.open(name).read().split("\n") if len(p.strip()) > 40]
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            body = " ".join(paragraphs[(i * 7 + k) % len(paragraphs)] for k in range(3))[:800]
            text = SEED_SENTENCES[i % len(SEED_SENTENCES)] + "\n" + body
            handle.write(json.dumps({"id": f"d{i:05d}", "text": text}, ensure_ascii=False) + "\n")


def run(label: str, args: list[str], source: Path, out: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([HANLINK, "annotate", str(source), "-o", str(out), "--quiet", *args],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{label} failed: {result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (best is kept)")
    options = parser.parse_args()
    configs = [
        ("1 process", ["--n-process", "1"]),
        ("2 processes", ["--n-process", "2"]),
        ("Dask, 2 workers", ["--engine", "dask", "--workers", "2", "--batch-size", "64"]),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "docs.jsonl"
        make_corpus(source, options.docs)
        chars = sum(len(json.loads(line)["text"]) for line in open(source, encoding="utf-8"))
        times, outputs = {}, {}
        for label, args in configs:
            out = tmp / f"{label.replace(' ', '_').replace(',', '')}.jsonl"
            times[label] = min(run(label, args, source, out) for _ in range(options.repeat))
            outputs[label] = out.read_bytes()
        same = len(set(outputs.values())) == 1
    print(f"# benchmarks/batch.py --docs {options.docs} --repeat {options.repeat}  "
          f"({datetime.date.today().isoformat()}, {options.docs} documents, {chars:,} characters)")
    print(f"{'engine':<18}{'seconds':>9}{'docs/s':>9}{'ratio to 1 process':>20}")
    base = times["1 process"]
    for label, _ in configs:
        print(f"{label:<18}{times[label]:>9.1f}{options.docs / times[label]:>9.1f}{base / times[label]:>20.2f}")
    print(f"outputs identical: {same}")


if __name__ == "__main__":
    main()
