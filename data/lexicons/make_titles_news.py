"""Write data/lexicons/titles_news.txt: position and occupation words measured on news.

Source: ../shared/data/klue-train/konec-train-forms.tsv — the entity forms that the konec
re-annotation of KLUE-NER tags in the KLUE *training* split (CC BY-SA 4.0, see its SOURCE.txt),
labels CV_POSITION (감독, 대통령, 의원, 대표 ...) and CV_OCCUPATION (배우, 기자, 교수 ...).
Kept: forms seen at least MIN_FREQ times, one word of Hangul (or capital letters: CEO, PD),
at most 8 characters, minus collective nouns that never stand beside a name as a person's post
(EXCLUDE). Nothing of the KLUE dev split is read.

    .venv/bin/python data/lexicons/make_titles_news.py
"""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("HANLINK_SHARED") or HERE.parents[2] / "shared") / "data/klue-train/konec-train-forms.tsv"
LABELS = {"CV_POSITION", "CV_OCCUPATION"}
MIN_FREQ = 2
EXCLUDE = {"임직원", "제작진", "걸그룹", "대원", "병사", "간부", "대선", "정상", "인부", "요원", "직장인", "연예인",
           "공무원", "지도자", "총수", "임원", "군인", "여군", "학생", "회사원", "정치인", "군", "보이그룹", "아이돌",
           "선수단", "코칭스태프", "스태프", "경찰", "직원", "사원", "근로자", "노동자", "주민", "시민",
           "부상", "기사", "상인", "사냥꾼", "어민", "스파이", "브로커", "대통령직", "당원", "선원", "신입사원"}
SHAPE = re.compile(r"^(?:[가-힣]{1,8}|[A-Z]{2,4})$")


def main() -> None:
    counts: dict[str, int] = {}
    with open(SOURCE, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["label"] in LABELS:
                counts[row["form"]] = counts.get(row["form"], 0) + int(row["train_freq"])
    words = sorted(f for f, n in counts.items() if n >= MIN_FREQ and SHAPE.match(f) and f not in EXCLUDE)
    header = ("# Positions and occupations measured on news: konec CV_POSITION / CV_OCCUPATION forms of the\n"
              "# KLUE-NER training split (CC BY-SA 4.0), written by make_titles_news.py; do not edit by hand.\n")
    (HERE / "titles_news.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} titles written")


if __name__ == "__main__":
    main()
