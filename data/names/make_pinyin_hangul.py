"""Generate ``pinyin_hangul.tsv``: every Mandarin pinyin syllable and its Hangul.

Run once (``python data/names/make_pinyin_hangul.py``); the product reads only
the TSV it writes. The correspondence is the National Institute of Korean
Language's (국립국어원) table for Chinese, 외래어 표기법 제2장 표 5 "중국어의 주음
부호와 한글 대조표", with the 중국어 표기 세칙 (제3장 제7절):

* 제1항 tones are not written;
* 제2항 after the consonants written ㅈ ㅉ ㅊ (j q zh ch z c), the vowels
  ㅑ ㅖ ㅛ ㅠ are written ㅏ ㅔ ㅗ ㅜ (jia 자, jie 제, jiao 자오, jiu 주, jian 젠,
  jiong 중).

A syllable is split into an initial (성모) and a final (운모). The final's
Hangul is the table's form without an initial (``ian`` 옌, ``uei`` 우이,
``üan`` 위안); the initial's consonant replaces the silent ㅇ of the final's
first syllable (b + 옌 → 볜, g + 우이 → 구이), then 제2항 is applied. Spellings
with y- and w- and the forms written without an initial (yan 옌, wei 웨이,
wen 원) come from the table's zero-initial column.

The syllable inventory is every toneless reading in pypinyin's character
dictionary (pypinyin 0.55.0), minus the nasal interjections m, n, ng, hm, hng
(not in the table), plus the spellings ``lue`` and ``nue`` for lüe and nüe.
"""
from __future__ import annotations

import sys
from pathlib import Path

# 표 5, 성모: the consonant each initial is written with.
INITIALS: dict[str, str] = {
    "b": "ㅂ", "p": "ㅍ", "m": "ㅁ", "f": "ㅍ", "d": "ㄷ", "t": "ㅌ", "n": "ㄴ", "l": "ㄹ",
    "g": "ㄱ", "k": "ㅋ", "h": "ㅎ", "j": "ㅈ", "q": "ㅊ", "x": "ㅅ",
    "zh": "ㅈ", "ch": "ㅊ", "sh": "ㅅ", "r": "ㄹ", "z": "ㅉ", "c": "ㅊ", "s": "ㅆ",
}

# 표 5, 운모: the final written after an initial (ㅇ stands for the initial).
FINALS: dict[str, str] = {
    "a": "아", "o": "오", "e": "어", "ê": "에", "ai": "아이", "ei": "에이", "ao": "아오",
    "ou": "어우", "an": "안", "en": "언", "ang": "앙", "eng": "엉", "er": "얼", "ong": "웅",
    "-i": "으",  # zhi chi shi ri zi ci si
    "i": "이", "ia": "야", "io": "요", "ie": "예", "iao": "야오", "iu": "유", "ian": "옌",
    "in": "인", "iang": "양", "ing": "잉", "iong": "융",
    "u": "우", "ua": "와", "uo": "워", "uai": "와이", "ui": "우이", "uan": "완", "un": "운",
    "uang": "왕", "ueng": "웡",
    "ü": "위", "üe": "웨", "üan": "위안", "ün": "윈",
}

# 표 5, the same finals written without an initial (y-, w- spellings).
ZERO_INITIAL: dict[str, str] = {
    "a": "아", "o": "오", "e": "어", "ê": "에", "ai": "아이", "ei": "에이", "ao": "아오",
    "ou": "어우", "an": "안", "en": "언", "ang": "앙", "eng": "엉", "er": "얼",
    "yi": "이", "ya": "야", "yo": "요", "ye": "예", "yao": "야오", "you": "유", "yan": "옌",
    "yin": "인", "yang": "양", "ying": "잉", "yong": "융",
    "wu": "우", "wa": "와", "wo": "워", "wai": "와이", "wei": "웨이", "wan": "완", "wen": "원",
    "wang": "왕", "weng": "웡", "wong": "웡",
    "yu": "위", "yue": "웨", "yuan": "위안", "yun": "윈",
}

# 중국어 표기 세칙 제2항.
SECHIK_CONSONANTS = frozenset("ㅈㅉㅊ")
SECHIK_VOWELS = {"ㅑ": "ㅏ", "ㅖ": "ㅔ", "ㅛ": "ㅗ", "ㅠ": "ㅜ"}

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ",
             "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]


def decompose(syllable: str) -> tuple[str, str, str]:
    """Split one Hangul syllable into its initial, vowel and final jamo."""
    index = ord(syllable) - 0xAC00
    return CHOSEONG[index // 588], JUNGSEONG[(index % 588) // 28], JONGSEONG[index % 28]


def compose(initial: str, vowel: str, final: str) -> str:
    """Build one Hangul syllable from jamo."""
    return chr(0xAC00 + CHOSEONG.index(initial) * 588 + JUNGSEONG.index(vowel) * 28
               + JONGSEONG.index(final))


def split_syllable(syllable: str) -> tuple[str, str]:
    """Split a pinyin syllable (ü written ü) into initial and final.

    >>> split_syllable("xuan"), split_syllable("zhi"), split_syllable("wei")
    (('x', 'üan'), ('zh', '-i'), ('', 'wei'))
    """
    for initial in ("zh", "ch", "sh"):
        if syllable.startswith(initial):
            break
    else:
        initial = syllable[0] if syllable[0] in INITIALS else ""
    final = syllable[len(initial):]
    if initial in ("zh", "ch", "sh", "r", "z", "c", "s") and final == "i":
        final = "-i"
    elif initial in ("j", "q", "x") and final.startswith("u"):
        final = "ü" + final[1:]  # ju = jü, xuan = xüan, qun = qün
    elif initial in ("n", "l") and final == "ue":
        final = "üe"  # lue, nue: the usual spellings of lüe, nüe
    elif final == "uen":
        final = "un"
    elif final == "uei":
        final = "ui"
    elif final == "iou":
        final = "iu"
    return initial, final


def to_hangul(syllable: str) -> str:
    """Transcribe one pinyin syllable by 표 5 and 세칙 제2항.

    >>> [to_hangul(s) for s in ("jian", "xue", "zhi", "gui", "wei", "juan", "jiong")]
    ['젠', '쉐', '즈', '구이', '웨이', '쥐안', '중']
    """
    initial, final = split_syllable(syllable)
    if not initial:
        return ZERO_INITIAL[final]
    written = FINALS[final]
    _, vowel, coda = decompose(written[0])
    consonant = INITIALS[initial]
    if consonant in SECHIK_CONSONANTS:
        vowel = SECHIK_VOWELS.get(vowel, vowel)
    return compose(consonant, vowel, coda) + written[1:]


def inventory() -> list[str]:
    """Every toneless syllable pypinyin knows, ü written ü, minus the nasal interjections."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            found.add(to_normal(reading).replace("v", "ü"))
    found -= {"m", "n", "ng", "hm", "hng"}
    found |= {"lue", "nue"}
    return sorted(found)


def main(out: Path) -> None:
    rows = []
    for syllable in inventory():
        initial, final = split_syllable(syllable)
        rows.append(f"{syllable}\t{to_hangul(syllable)}\t{initial}\t{final}\n")
    header = ("# pinyin syllable -> Hangul by 외래어 표기법 표 5 and 중국어 표기 세칙; generated by "
              "make_pinyin_hangul.py, do not edit by hand\npinyin\thangul\tinitial\tfinal\n")
    out.write_text(header + "".join(rows), encoding="utf-8")
    print(f"wrote {len(rows)} syllables to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(Path(__file__).with_name("pinyin_hangul.tsv"))
