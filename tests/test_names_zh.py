"""Traditional ↔ simplified, pinyin of names, the surname table."""
from __future__ import annotations

import pytest

from pipeline.names import _data, zh
from pipeline.names.transcribe import split_pinyin


@pytest.mark.parametrize("traditional, simplified", [
    ("賀俊", "贺俊"), ("楊軍", "杨军"), ("蔣媛媛", "蒋媛媛"), ("羅以洪", "罗以洪"), ("王喜文", "王喜文"),
    ("上海社會科學院", "上海社会科学院"), ("貴州省社會科學院", "贵州省社会科学院"), ("重慶", "重庆"),
])
def test_traditional_simplified(traditional: str, simplified: str) -> None:
    assert zh.to_simplified(traditional) == simplified
    assert zh.to_traditional(simplified) == traditional
    assert zh.to_traditional(traditional) == traditional  # already traditional: unchanged


@pytest.mark.parametrize("text", ["萬里長城", "臺灣", "李彥宏"])
def test_traditional_input_is_kept(text: str) -> None:
    assert zh.to_traditional(text) == text


@pytest.mark.parametrize("simplified, traditional", [
    ("余华", "余華"),      # surname 余, not 餘
    ("范冰冰", "范冰冰"),  # not 範
    ("于丹", "于丹"),      # not 於
    ("叶剑英", "葉劍英"),
    ("郁达夫", "郁達夫"),  # not 鬱
    ("万俟卨", "万俟卨"),
])
def test_person_traditional_respects_surnames(simplified: str, traditional: str) -> None:
    assert zh.person_traditional(simplified) == traditional


def test_person_simplified_respects_surnames() -> None:
    assert zh.person_simplified("乾隆") == "乾隆"  # t2s would give 干隆


@pytest.mark.parametrize("name, expected", [
    # the seed press release's people
    ("賀俊", "He Jun"), ("王喜文", "Wang Xiwen"), ("楊軍", "Yang Jun"), ("蔣媛媛", "Jiang Yuanyuan"),
    ("羅以洪", "Luo Yihong"),
    ("习近平", "Xi Jinping"), ("習近平", "Xi Jinping"), ("毛澤東", "Mao Zedong"),
    ("張媛媛", "Zhang Yuanyuan"), ("李强", "Li Qiang"),
    # heteronymous surnames: pypinyin alone gives ceng, dan, jie, chou, qu, cha, pu …
    ("曾國藩", "Zeng Guofan"), ("單雄信", "Shan Xiongxin"), ("解縉", "Xie Jin"), ("仇英", "Qiu Ying"),
    ("區嘉雯", "Ou Jiawen"), ("查良鏞", "Zha Liangyong"), ("朴槿惠", "Piao Jinhui"),
    ("尉遲恭", "Yuchi Gong"), ("樂毅", "Yue Yi"), ("蓋聶", "Ge Nie"), ("繆斯", "Miao Si"),
    ("覃輝", "Qin Hui"), ("召忽", "Shao Hu"), ("万俟卨", "Moqi Xie"), ("長孫無忌", "Zhangsun Wuji"),
    ("重耳", "Chong Er"), ("黑豹", "He Bao"), ("种師道", "Chong Shidao"), ("秘書", "Bi Shu"),
    ("过儿", "Guo Er"), ("薄熙來", "Bo Xilai"), ("翟志剛", "Zhai Zhigang"),
    # compound surnames
    ("歐陽修", "Ouyang Xiu"), ("司馬遷", "Sima Qian"), ("諸葛亮", "Zhuge Liang"), ("上官婉兒", "Shangguan Wan'er"),
    ("夏侯惇", "Xiahou Dun"), ("皇甫嵩", "Huangfu Song"), ("公孫瓚", "Gongsun Zan"), ("令狐沖", "Linghu Chong"),
    ("東方朔", "Dongfang Shuo"), ("慕容復", "Murong Fu"), ("宇文泰", "Yuwen Tai"), ("司徒雷登", "Situ Leideng"),
    ("鮮于輔", "Xianyu Fu"), ("南宮雲", "Nangong Yun"), ("獨孤信", "Dugu Xin"), ("端木賜", "Duanmu Ci"),
    # a transliterated name: parts, no surname
    ("努爾·白克力", "Nu'er Baikeli"),
])
def test_person_pinyin(name: str, expected: str) -> None:
    assert zh.pinyin(name) == expected


def test_two_readings_kept() -> None:
    assert zh.pinyin_variants("樂嘉") == ("Yue Jia", "Le Jia")
    assert zh.hangul_variants("樂嘉") == ("웨자", "러자")


@pytest.mark.parametrize("name, kind, expected", [
    ("重慶", "place", "Chongqing"), ("西安", "place", "Xi'an"), ("上海", "place", "Shanghai"),
    ("貴州省", "place", "Guizhou Sheng"), ("長沙", "place", "Changsha"),
    ("上海社会科学院", "org", "Shanghai She Hui Ke Xue Yuan"),
])
def test_place_and_org_pinyin(name: str, kind: str, expected: str) -> None:
    assert zh.pinyin(name, kind) == expected


@pytest.mark.parametrize("name, hangul", [
    ("賀俊", "허쥔"), ("王喜文", "왕시원"), ("楊軍", "양쥔"), ("蔣媛媛", "장위안위안"), ("羅以洪", "뤄이훙"),
    ("曾國藩", "쩡궈판"), ("歐陽修", "어우양슈"), ("司馬遷", "쓰마첸"), ("諸葛亮", "주거량"),
])
def test_person_hangul(name: str, hangul: str) -> None:
    assert zh.hangul(name) == hangul


@pytest.mark.parametrize("name, expected", [
    ("歐陽修", ("歐陽", "修")), ("司马迁", ("司马", "迁")), ("賀俊", ("賀", "俊")),
    ("東方", ("東", "方")),  # two characters: a single surname and a given name
    ("", ("", "")),
])
def test_split_surname(name: str, expected: tuple[str, str]) -> None:
    assert zh.split_surname(name) == expected


def test_surname_table_is_consistent() -> None:
    seen = set()
    for entry in set(_data.surnames().values()):
        assert entry.traditional and entry.simplified
        assert len(entry.traditional) == len(entry.simplified) <= 2, entry
        for reading in entry.pinyin:
            syllables = split_pinyin(reading)
            assert syllables is not None and len(syllables) == len(entry.traditional), entry
        for reading in entry.reading:
            assert len(reading) == len(entry.traditional), entry
            assert all("가" <= ch <= "힣" for ch in reading), entry
        seen.add(entry.traditional)
    for required in ["曾", "單", "解", "仇", "區", "查", "朴", "尉遲", "樂", "蓋", "繆", "覃", "召", "万俟", "長孫",
                     "重", "黑", "种", "秘", "過", "歐陽", "司馬", "諸葛", "上官", "夏侯", "皇甫", "公孫", "令狐",
                     "東方", "慕容", "宇文", "司徒", "鮮于", "南宮", "獨孤", "端木"]:
        assert required in seen, required


@pytest.mark.parametrize("text", ["", " ", "abc", "허쥔", "😀", "\x00", "賀俊(허쥔)"])
def test_no_pinyin_without_chinese_characters_only(text: str) -> None:
    assert zh.han_syllables(text) is None
    assert zh.pinyin(text, "place") is None
