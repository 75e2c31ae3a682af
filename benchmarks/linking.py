"""Linking at directory scale: build time, peak memory and per-mention link time for 1k, 100k and 1M speakers.

Usage::

    python benchmarks/linking.py [--sizes 1000,100000,1000000] [--docs 400] [--repeat 3] [--workdir DIR]

One run:

1. generates (seeded) one speaker table of the largest size — 55 % Chinese
   people (surname by a Zipf-like weight from 100 common surnames and 12 compound
   ones, one or two given-name characters from 225 by Zipf weights (``benchmarks/_names.py``); hanja
   in traditional, simplified, pinyin, the NIKL Hangul transcription as ``name``)
   and 45 % Korean people (surnames with their real frequency ranks, two given
   syllables from 60 common ones with their usual hanja; hanja for half, a
   romanisation for 60 %) — so common names have hundreds of namesakes at 1M
   — and an institution table of ~1,000 rows (Chinese academies, universities and
   research centres of every province with units; Korean institutes);
   the smaller tables are its first 1,000 and 100,000 rows;
2. writes documents, each with one person mention of a row among the first 1,000
   (so present at every size): with an appositive affiliation, bare with a
   title, in hanja, in Latin, as a Hangul transcription variant (허준 for 허쥔),
   and people in none of the tables (NIL);
3. for each size, in a **fresh subprocess**: reads and validates the tables,
   builds the knowledge base (alias index, attributes) and the fuzzy index — the
   build time —, runs the pipeline (rules only, no statistical NER) up to the
   linker on the documents, then times the linker alone over them (best of
   ``--repeat`` passes after a warm-up pass, the candidate cache emptied before
   each; per mention, PERSON and ORG) and reports the peak resident memory of the
   process (``ru_maxrss``). ``HANLINK_CACHE=0``: nothing comes from the cache folder.

The output is a Markdown table plus one JSON line per size.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _names import COMPOUND_SURNAMES, GIVEN, SURNAMES  # this folder: sys.path[0]

ROOT = Path(__file__).resolve().parent.parent

KOREAN_SURNAMES = [("김", "金"), ("이", "李"), ("박", "朴"), ("최", "崔"), ("정", "鄭"), ("강", "姜"), ("조", "趙"),
                   ("윤", "尹"), ("장", "張"), ("임", "林"), ("한", "韓"), ("오", "吳"), ("서", "徐"), ("신", "申"),
                   ("권", "權"), ("황", "黃"), ("안", "安"), ("송", "宋"), ("류", "柳"), ("전", "全"), ("홍", "洪"),
                   ("고", "高"), ("문", "文"), ("양", "梁"), ("손", "孫"), ("배", "裵"), ("백", "白"), ("허", "許"),
                   ("남", "南"), ("심", "沈"), ("노", "盧"), ("하", "河"), ("곽", "郭"), ("성", "成"), ("차", "車"),
                   ("주", "朱"), ("우", "禹"), ("구", "具"), ("민", "閔"), ("나", "羅"), ("진", "陳"), ("지", "池"),
                   ("엄", "嚴"), ("채", "蔡"), ("원", "元"), ("천", "千"), ("방", "方"), ("공", "孔"), ("현", "玄")]
KOREAN_GIVEN = [("민", "敏"), ("준", "俊"), ("서", "瑞"), ("연", "妍"), ("지", "智"), ("현", "賢"), ("우", "宇"),
                ("수", "秀"), ("영", "英"), ("진", "眞"), ("호", "浩"), ("은", "恩"), ("성", "成"), ("정", "貞"),
                ("혜", "惠"), ("윤", "允"), ("도", "道"), ("훈", "勳"), ("재", "在"), ("희", "熙"), ("상", "相"),
                ("경", "京"), ("미", "美"), ("동", "東"), ("석", "錫"), ("태", "泰"), ("한", "翰"), ("승", "承"),
                ("주", "周"), ("하", "夏"), ("예", "藝"), ("시", "始"), ("원", "元"), ("철", "哲"), ("용", "龍"),
                ("기", "基"), ("광", "光"), ("혁", "赫"), ("규", "圭"), ("범", "範"), ("종", "鍾"), ("형", "亨"),
                ("유", "裕"), ("채", "彩"), ("아", "雅"), ("소", "素"), ("나", "娜"), ("린", "潾"), ("빈", "彬"),
                ("건", "建"), ("찬", "燦"), ("율", "律"), ("환", "煥"), ("식", "植"), ("학", "學"), ("옥", "玉"),
                ("순", "順"), ("숙", "淑"), ("자", "子"), ("길", "吉")]
TITLES = ("교수", "연구원", "연구위원", "선임연구위원", "소장", "원장", "주임", "부주임", "실장", "센터장", "팀장",
          "부원장")
CN_TYPES = ("社会科学院", "大学", "发展研究中心")
CN_UNITS = ("经济研究所", "金融研究所", "公共管理学院")
KR_REGIONS = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
              "전북", "전남", "경북", "경남", "제주")
# spellings the Korean press uses beside the NIKL transcription (허준 for 허쥔, 장웬웬 for 장위안위안)
VARIANTS = (("위안", "웬"), ("뤄", "루오"), ("저우", "조우"), ("쥔", "준"), ("췬", "춘"), ("쉰", "순"), ("윈", "운"),
            ("훙", "홍"), ("룽", "롱"), ("둥", "동"), ("퉁", "통"), ("궁", "공"), ("쑹", "송"), ("쑨", "순"),
            ("충", "중"), ("옌", "엔"), ("롄", "렌"), ("녠", "넨"), ("몐", "멘"), ("톈", "텐"), ("젠", "지엔"),
            ("쩌", "저"), ("쯔", "즈"), ("융", "용"), ("슝", "숑"), ("샤오", "사오"), ("쉬", "슈"), ("웨", "위에"))
SPEAKER_HEADER = "speaker_id,name,hanja,simplified,latin,aliases,institution_id,title,country,note\n"
INSTITUTION_HEADER = "institution_id,name,original,abbreviation,aliases,parent_id,country,note\n"


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (rank + 1) ** s for rank in range(n)]


class ChineseNames:
    """Forms of generated Chinese names, composed per character (cached)."""

    def __init__(self) -> None:
        from pipeline.kb.aliases import _given_forms, _surname_forms
        from pipeline.names import _data
        from pipeline.names.transcribe import join_syllables, syllables_to_hangul
        from pipeline.names.zh import to_traditional

        self._given_forms, self._surname_forms = _given_forms, _surname_forms
        self._surnames, self._join, self._hangul = _data.surnames(), join_syllables, syllables_to_hangul
        self._trad = to_traditional
        self._char_trad: dict[str, str] = {}

    def traditional(self, surname: str, given: str) -> str:
        entry = self._surnames.get(surname)
        head = entry.traditional if entry is not None else self._char(surname)
        return head + "".join(self._char(c) for c in given)

    def _char(self, ch: str) -> str:
        found = self._char_trad.get(ch)
        if found is None:
            found = self._trad(ch)
            found = found if len(found) == len(ch) else ch
            self._char_trad[ch] = found
        return found

    def forms(self, surname: str, given: str) -> tuple[str, str] | None:
        """(pinyin ``Zhang Weiying``, Hangul transcription) or None."""
        pinyins, _ = self._surname_forms(surname)
        syllables, _ = self._given_forms(given)
        if not pinyins or syllables is None:
            return None
        latin = f"{self._join(pinyins[0])} {self._join(syllables)}"
        hangul = self._hangul(pinyins[0] + syllables)
        return (latin, hangul) if hangul else None


def make_institutions(path: Path) -> tuple[list[tuple], list[tuple]]:
    """Write the institution table; returns (Chinese rows, Korean rows) as (id, name, parent name or '')."""
    from pipeline.names import _data, forms

    rows, chinese, korean = [], [], []
    number = 0
    places = [p for p in _data.places() if p.simplified and p.hangul][:80]
    for place in places:
        for kind in CN_TYPES:
            number += 1
            top_id = f"BI{number:05d}"
            original = place.simplified + kind
            name = forms(original, "org").get("hangul") or original
            rows.append((top_id, name, original, "", "", "", "CN", ""))
            chinese.append((top_id, name, ""))
            for unit in CN_UNITS:
                number += 1
                unit_name = forms(unit, "org").get("reading") or unit
                rows.append((f"BI{number:05d}", unit_name, original + unit, "", "", top_id, "CN", ""))
                chinese.append((f"BI{number:05d}", unit_name, name))
    for region in KR_REGIONS:
        for kind in ("연구원", "대학교"):
            number += 1
            top_id = f"BI{number:05d}"
            name = region + kind
            rows.append((top_id, name, "", "", "", "", "KR", ""))
            korean.append((top_id, name, ""))
            for unit in ("경제학과", "정책연구실"):
                number += 1
                rows.append((f"BI{number:05d}", unit, "", "", "", top_id, "KR", ""))
                korean.append((f"BI{number:05d}", unit, name))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(INSTITUTION_HEADER)
        for row in rows:
            handle.write(",".join(row) + "\n")
    return chinese, korean


def make_speakers(path: Path, n: int, seed: int, chinese_inst: list, korean_inst: list) -> list[dict]:
    """Write ``n`` speakers; returns the first 1,000 as dicts (for the documents)."""
    from pipeline.names.korean import romanize_korean

    rng = random.Random(seed)
    names = ChineseNames()
    cn_surnames = list(SURNAMES)
    cn_weights = zipf_weights(len(cn_surnames), 0.9)
    given_chars = list(dict.fromkeys(GIVEN))
    given_weights = zipf_weights(len(given_chars), 0.8)
    kr_weights = zipf_weights(len(KOREAN_SURNAMES), 1.1)
    kr_given_weights = zipf_weights(len(KOREAN_GIVEN), 0.6)
    first: list[dict] = []
    roman_cache: dict[str, str] = {}
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(SPEAKER_HEADER)
        i = 0
        while i < n:
            if rng.random() < 0.55:
                surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else \
                    rng.choices(cn_surnames, cn_weights)[0]
                given = "".join(rng.choices(given_chars, given_weights, k=1 if rng.random() < 0.3 else 2))
                found = names.forms(surname, given)
                if found is None:
                    continue
                latin, hangul = found
                inst = rng.choice(chinese_inst)
                row = {"name": hangul, "hanja": names.traditional(surname, given), "simplified": surname + given,
                       "latin": latin, "institution": inst, "country": "CN"}
            else:
                s_hangul, s_hanja = rng.choices(KOREAN_SURNAMES, kr_weights)[0]
                parts = rng.choices(KOREAN_GIVEN, kr_given_weights, k=2)
                name = s_hangul + parts[0][0] + parts[1][0]
                hanja = s_hanja + parts[0][1] + parts[1][1] if rng.random() < 0.5 else ""
                latin = ""
                if rng.random() < 0.6:
                    latin = roman_cache.get(name) or roman_cache.setdefault(name, romanize_korean(name) or "")
                inst = rng.choice(korean_inst)
                row = {"name": name, "hanja": hanja, "simplified": "", "latin": latin, "institution": inst,
                       "country": "KR"}
            i += 1
            row["id"] = f"BP{i:07d}"
            row["title"] = rng.choice(TITLES)
            handle.write(",".join((row["id"], row["name"], row["hanja"], row["simplified"], row["latin"], "",
                                   row["institution"][0], row["title"], row["country"], "")) + "\n")
            if i <= 1000:
                first.append(row)
    return first


def prefix_table(source: Path, target: Path, rows: int) -> None:
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
        for number, line in enumerate(src):
            if number > rows:
                break
            out.write(line)


def variant_of(name: str) -> str | None:
    for official, variant in VARIANTS:
        if official in name:
            return name.replace(official, variant, 1)
    return None


def make_documents(path: Path, first: list[dict], all_names: set[str], count: int, seed: int) -> dict:
    """Write ``count`` documents with one person mention each; returns how many of each kind."""
    rng = random.Random(seed + 1)
    kinds = Counter()
    nil_pool = [s + g1 + g2 for s in ("독고", "황보", "선우", "제갈") for g1 in "가나다라마" for g2 in "바사아자차"]
    docs = []
    while len(docs) < count:
        row = rng.choice(first)
        draw = rng.random()
        title = row["title"]
        inst_id, inst_name, parent = row["institution"]
        affiliation = f"{parent} {inst_name}".strip()
        if draw < 0.30:
            kind, text = "context", f"{row['name']} {affiliation} {title}은 이날 발표했다."
        elif draw < 0.45:
            kind, text = "bare", f"{row['name']} {title}은 말했다."
        elif draw < 0.55 and row["hanja"]:
            kind, text = "hanja", f"{row['hanja']} {title}은 말했다."
        elif draw < 0.60 and row["latin"]:
            kind, text = "latin", f"{row['latin']} {title}은 말했다."
        elif draw < 0.80 and row["country"] == "CN" and variant_of(row["name"]):
            kind, text = "variant", f"{variant_of(row['name'])} {affiliation} {title}은 강조했다."
        elif draw >= 0.80:
            name = rng.choice(nil_pool)
            if name in all_names:
                continue
            kind, text = "nil", f"{name} {affiliation} {title}은 반박했다."
        else:
            continue
        kinds[kind] += 1
        docs.append({"id": f"d{len(docs):04d}", "text": text, "kind": kind,
                     "expected": None if kind == "nil" else row["id"]})
    with open(path, "w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return dict(kinds)


# -- child: one size -----------------------------------------------------------------------------
def child(size: int, workdir: Path, repeat: int) -> dict:
    import resource

    os.environ["HANLINK_CACHE"] = "0"
    started = time.perf_counter()
    import pipeline
    from pipeline.kb.tables import load_tables

    base_nlp = pipeline.load(use_model=False)
    base_nlp("허쥔 주임은 말했다.")
    import_seconds = time.perf_counter() - started
    rss_base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speakers, institutions = workdir / f"speakers_{size}.csv", workdir / "institutions.csv"
    t0 = time.perf_counter()
    tables = load_tables(speakers, institutions)
    t_read = time.perf_counter() - t0
    nlp = pipeline.load(speakers=speakers, institutions=institutions, use_model=False)
    linker = nlp.get_pipe("hanlink_linker")
    t1 = time.perf_counter()
    kb = linker.kb
    t_kb = time.perf_counter() - t1
    t2 = time.perf_counter()
    fuzzy = linker.generator.fuzzy_index
    t_fuzzy = time.perf_counter() - t2
    t3 = time.perf_counter()
    tables.surface  # the gazetteer's view (built from the full index: free)
    t_surface = time.perf_counter() - t3
    records = [json.loads(line) for line in open(workdir / "docs.jsonl", encoding="utf-8")]
    texts = [r["text"] for r in records]
    with nlp.select_pipes(disable=["hanlink_linker"]):
        docs = list(nlp.pipe(texts))
    mentions = sum(len(doc.ents) for doc in docs)
    people = sum(1 for doc in docs for e in doc.ents if e.label_ == "PERSON")
    timings = []
    for _ in range(repeat + 1):  # the first pass fills the per-name caches of pipeline.names
        linker.generator.clear_cache()  # but every pass looks the candidates up again
        t = time.perf_counter()
        for doc in docs:
            linker(doc)
        timings.append(time.perf_counter() - t)
    linked = sum(1 for doc in docs for e in doc.ents if e.label_ == "PERSON" and e.kb_id_)
    outcome: dict[str, Counter] = {}
    for record, doc in zip(records, docs):
        people_found = [e for e in doc.ents if e.label_ == "PERSON"]
        got = people_found[0].kb_id_ or None if people_found else "missed"
        verdict = ("missed" if got == "missed" else "right" if got == record["expected"]
                   else "nil" if got is None else "wrong")
        outcome.setdefault(record["kind"], Counter())[verdict] += 1
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size, "speakers": len(tables.speakers), "institutions": len(tables.institutions),
        "person_keys": len(kb.person_alias), "fuzzy_forms": len(fuzzy.forms),
        "read_validate_s": round(t_read, 2), "kb_s": round(t_kb, 2), "fuzzy_s": round(t_fuzzy, 2),
        "surface_s": round(t_surface, 3), "build_s": round(t_read + t_kb + t_fuzzy, 2),
        "docs": len(docs), "mentions": mentions, "people": people, "people_linked": linked,
        "first_pass_us": round(timings[0] / mentions * 1e6, 1),
        "per_mention_us": round(min(timings[1:]) / mentions * 1e6, 1),
        "rss_base_mb": round(rss_base), "rss_peak_mb": round(rss_peak), "startup_s": round(import_seconds, 2),
        "outcome": {kind: dict(counts) for kind, counts in sorted(outcome.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20181030)
    parser.add_argument("--workdir", default=None, help="where the generated tables go (default: a temporary folder)")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, Path(args.workdir), args.repeat)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="hanlink-linking-"))
    workdir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    chinese, korean = make_institutions(workdir / "institutions.csv")
    largest = workdir / f"speakers_{max(sizes)}.csv"
    first = make_speakers(largest, max(sizes), args.seed, chinese, korean)
    for size in sizes:
        if size != max(sizes):
            prefix_table(largest, workdir / f"speakers_{size}.csv", size)
    import csv

    with open(largest, encoding="utf-8") as handle:
        all_names = {row["name"] for row in csv.DictReader(handle)}
    kinds = make_documents(workdir / "docs.jsonl", first, all_names, args.docs, args.seed)
    print(f"generated {max(sizes):,} speakers, {len(chinese) + len(korean)} institutions, {args.docs} documents "
          f"{kinds} in {time.perf_counter() - t:.0f} s ({workdir})", file=sys.stderr)
    results = []
    for size in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(size), "--workdir", str(workdir),
                              "--repeat", str(args.repeat)], capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            sys.exit(f"size {size} failed:\n{out.stderr}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), file=sys.stderr)
    small = results[0]
    print(f"\nRun {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}\n")
    print("| speakers | keys | fuzzy forms | read+validate s | KB s | fuzzy s | build s | peak RSS MB "
          "| µs/mention | ratio to 1k | people linked |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['size']:,} | {r['person_keys']:,} | {r['fuzzy_forms']:,} | {r['read_validate_s']} | {r['kb_s']} "
              f"| {r['fuzzy_s']} | {r['build_s']} | {r['rss_peak_mb']:,} (base {r['rss_base_mb']}) "
              f"| {r['per_mention_us']} | {r['per_mention_us'] / small['per_mention_us']:.2f}× "
              f"| {r['people_linked']}/{r['people']} |")
    print("\nPerson mentions by kind (right / wrong / NIL / not recognised) — the row the document was written from:\n")
    kinds_seen = sorted({k for r in results for k in r["outcome"]})
    print("| speakers | " + " | ".join(kinds_seen) + " |")
    print("|---:|" + "---:|" * len(kinds_seen))
    for r in results:
        cells = []
        for kind in kinds_seen:
            c = r["outcome"].get(kind, {})
            cells.append(f"{c.get('right', 0)} / {c.get('wrong', 0)} / {c.get('nil', 0)} / {c.get('missed', 0)}")
        print(f"| {r['size']:,} | " + " | ".join(cells) + " |")
    print()
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
