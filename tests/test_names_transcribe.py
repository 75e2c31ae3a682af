"""Pinyin → Hangul (NIKL table for Chinese) and the pinyin syllable parser."""
from __future__ import annotations

import doctest
import importlib.util

import pytest

from pipeline.names import _data
from pipeline.names.transcribe import (
    is_pinyin, join_syllables, normalize_pinyin, pinyin_to_hangul, split_pinyin, syllable_to_hangul,
)
from pipeline.paths import data_path

# (syllable, Hangul) by 외래어 표기법 표 5 and the 중국어 표기 세칙
SYLLABLES = [
    # zhi chi shi ri / zi ci si: 으 after the retroflexes and dentals
    ("zhi", "즈"), ("chi", "츠"), ("shi", "스"), ("ri", "르"), ("zi", "쯔"), ("ci", "츠"), ("si", "쓰"),
    # 세칙 제2항: ㅈ ㅉ ㅊ + ㅑ ㅖ ㅛ ㅠ → ㅏ ㅔ ㅗ ㅜ
    ("jia", "자"), ("jie", "제"), ("jiao", "자오"), ("jiu", "주"), ("jian", "젠"), ("jiang", "장"),
    ("jiong", "중"), ("qia", "차"), ("qie", "체"), ("qiao", "차오"), ("qiu", "추"), ("qian", "첸"),
    ("qiang", "창"), ("qiong", "충"),
    # x is ㅅ, not affected by the rule
    ("xia", "샤"), ("xie", "셰"), ("xiao", "샤오"), ("xiu", "슈"), ("xian", "셴"), ("xiang", "샹"),
    ("xiong", "슝"),
    # -ian 옌
    ("bian", "볜"), ("pian", "폔"), ("mian", "몐"), ("dian", "뎬"), ("tian", "톈"), ("nian", "녠"),
    ("lian", "롄"), ("yan", "옌"),
    # ü after j q x, and yu-
    ("ju", "쥐"), ("qu", "취"), ("xu", "쉬"), ("yu", "위"), ("lü", "뤼"), ("nü", "뉘"),
    ("jue", "줴"), ("que", "췌"), ("xue", "쉐"), ("yue", "웨"), ("lüe", "뤠"), ("lue", "뤠"),
    ("juan", "쥐안"), ("quan", "취안"), ("xuan", "쉬안"), ("yuan", "위안"),
    ("jun", "쥔"), ("qun", "췬"), ("xun", "쉰"), ("yun", "윈"),
    # -ong 웅, -iong 융
    ("dong", "둥"), ("tong", "퉁"), ("long", "룽"), ("hong", "훙"), ("zhong", "중"), ("chong", "충"),
    ("song", "쑹"), ("zong", "쭝"), ("cong", "충"), ("rong", "룽"), ("yong", "융"),
    # er, -ui 우이 (uei), wei 웨이, -iu 유, -un 운, -uo 워
    ("er", "얼"), ("gui", "구이"), ("hui", "후이"), ("cui", "추이"), ("rui", "루이"), ("sui", "쑤이"),
    ("wei", "웨이"), ("liu", "류"), ("niu", "뉴"), ("diu", "듀"), ("dun", "둔"), ("sun", "쑨"),
    ("chun", "춘"), ("wen", "원"), ("duo", "둬"), ("guo", "궈"), ("luo", "뤄"), ("zuo", "쭤"),
    ("zhuo", "줘"), ("wo", "워"),
    # the rest of the finals
    ("ai", "아이"), ("ao", "아오"), ("ou", "어우"), ("ei", "에이"), ("e", "어"), ("o", "오"),
    ("bo", "보"), ("zhou", "저우"), ("shuai", "솨이"), ("zhuang", "좡"), ("huang", "황"),
    ("weng", "웡"), ("ying", "잉"), ("you", "유"), ("ye", "예"), ("yi", "이"),
]


@pytest.mark.parametrize("syllable, hangul", SYLLABLES)
def test_syllable_table(syllable: str, hangul: str) -> None:
    # through the function the product calls (names.forms → pinyin_to_hangul), not only the table look-up
    assert pinyin_to_hangul(syllable) == hangul
    assert syllable_to_hangul(syllable) == hangul


def test_table_size_and_spelling() -> None:
    table = _data.pinyin_hangul()
    assert 400 <= len(table) <= 440
    for syllable, hangul in table.items():
        assert syllable and hangul, syllable
        assert all("가" <= ch <= "힣" for ch in hangul), (syllable, hangul)


def test_table_matches_its_generator() -> None:
    """The TSV is what make_pinyin_hangul.py writes (nobody edited it by hand), and the generator's own
    docstring examples hold (it lives in data/, outside the --doctest-modules run over pipeline/)."""
    path = data_path("names", "make_pinyin_hangul.py")
    spec = importlib.util.spec_from_file_location("make_pinyin_hangul", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generated = {s: module.to_hangul(s) for s in module.inventory()}
    assert generated == dict(_data.pinyin_hangul())
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("text, expected", [
    ("Jinping", ("jin", "ping")),
    ("xian", ("xian",)),                   # one syllable, not xi'an
    ("Xi'an", ("xi", "an")),
    ("Xi’an", ("xi", "an")),
    ("xi1an1", ("xi", "an")),               # tone numbers are boundaries
    ("Xí Jìnpíng", ("xi", "jin", "ping")),
    ("Lǚ", ("lü",)), ("lv", ("lü",)), ("lu:", ("lü",)),
    ("Changan", ("chan", "gan")),           # without an apostrophe, chang'an would be written Chang'an
    ("Chang'an", ("chang", "an")),
    ("Ouyang", ("ou", "yang")),
    ("Shangguan", ("shang", "guan")),
    ("yuanyuan", ("yuan", "yuan")),
    ("Zhuangzhuang", ("zhuang", "zhuang")),
    ("Jin-ping", ("jin", "ping")),
    ("Smith", None), ("", None), ("123", None), ("ng", None),
])
def test_split_pinyin(text: str, expected) -> None:
    assert split_pinyin(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("He Jun", True), ("Xi Jinping", True), ("Ouyang Xiu", True), ("Jiang Yuanyuan", True),
    ("Kim Sanghun", False), ("Yang Pyeongseop", False), ("Lee", False), ("Tse-tung", False),
    ("Nuerbaikeli", False), ("Nu'erbaikeli", True),
])
def test_is_pinyin(text: str, expected: bool) -> None:
    assert is_pinyin(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Xi Jinping", "시진핑"), ("He Jun", "허쥔"), ("Wang Xiwen", "왕시원"), ("Yang Jun", "양쥔"),
    ("Jiang Yuanyuan", "장위안위안"), ("Luo Yihong", "뤄이훙"), ("Xi'an", "시안"), ("xian", "셴"),
    ("Mao Zedong", "마오쩌둥"), ("Deng Xiaoping", "덩샤오핑"), ("Hu Jintao", "후진타오"),
    ("Li Keqiang", "리커창"), ("Zhang Ziyi", "장쯔이"), ("Sun Yang", "쑨양"), ("Lǚ Yàn", "뤼옌"),
    ("Guo Jingming", "궈징밍"), ("Zhou Jielun", "저우제룬"), ("Chongqing", "충칭"),
    ("Smith", None), ("", None),
])
def test_pinyin_to_hangul(text: str, expected: str | None) -> None:
    assert pinyin_to_hangul(text) == expected


def test_pinyin_to_hangul_separator() -> None:
    assert pinyin_to_hangul("Shanghai Shi", sep=" ") == "상하이 스"


@pytest.mark.parametrize("text, expected", [
    ("xi jinping", "Xi Jinping"), ("HE JUN", "He Jun"), ("Xí Jìn-píng", "Xi Jinping"),
    ("xi'an", "Xi'an"), ("lv jiangang", "Lü Jiangang"), ("John", None),
])
def test_normalize_pinyin(text: str, expected: str | None) -> None:
    assert normalize_pinyin(text) == expected


def test_join_syllables_apostrophes() -> None:
    assert join_syllables(["tian", "an", "men"]) == "Tian'anmen"
    assert join_syllables(["nu", "er"], capitalize=False) == "nu'er"
    assert join_syllables(["jin", "ping"]) == "Jinping"
