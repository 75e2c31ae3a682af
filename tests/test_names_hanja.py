"""Sino-Korean reading with the initial-sound rule and surname readings."""
from __future__ import annotations

import pytest

from pipeline.names.hanja import char_reading, initial_rule, person_reading_variants, reading


@pytest.mark.parametrize("name, expected", [
    # the initial-sound rule on the surname only, never inside the given name
    ("申砬", "신립"), ("李強", "이강"), ("羅以洪", "나이홍"), ("柳成龍", "유성룡"), ("林立", "임립"),
    ("盧武鉉", "노무현"), ("呂蒙", "여몽"), ("梁啓超", "양계초"), ("劉備", "유비"), ("陸遜", "육손"),
    ("龍雲", "용운"), ("廉頗", "염파"),
    # surname readings that differ from the character's common one
    ("金大中", "김대중"), ("金立群", "김립군"), ("沈從文", "심종문"), ("單雄信", "선웅신"),
    ("樂毅", "악의"), ("朴槿惠", "박근혜"),
    # pre-1911 figures: the Korean press writes the reading
    ("韓愈", "한유"), ("王羲之", "왕희지"), ("司馬遷", "사마천"), ("諸葛亮", "제갈량"), ("歐陽修", "구양수"),
    ("李白", "이백"), ("杜甫", "두보"), ("孔子", "공자"),
    # the seed press release's people
    ("賀俊", "하준"), ("王喜文", "왕희문"), ("楊軍", "양군"), ("蔣媛媛", "장원원"),
    # simplified characters
    ("贺俊", "하준"), ("杨军", "양군"), ("蒋媛媛", "장원원"), ("罗以洪", "나이홍"), ("习近平", "습근평"),
    # 렬/률 after a vowel or ㄴ
    ("韓烈", "한열"), ("李烈", "이열"), ("金烈", "김렬"),
])
def test_person_reading(name: str, expected: str) -> None:
    assert reading(name) == expected


def test_surname_alternatives() -> None:
    assert person_reading_variants("樂毅") == ("악의", "낙의")
    assert person_reading_variants("尉遲恭") == ("울지공", "위지공")


@pytest.mark.parametrize("name, kind, expected", [
    ("上海", "place", "상해"), ("北京", "place", "북경"), ("遼寧", "place", "요령"), ("洛陽", "place", "낙양"),
    ("寧夏", "place", "영하"), ("貴州省", "place", "귀주성"),
    ("上海社會科學院", "org", "상해사회과학원"), ("上海社会科学院", "org", "상해사회과학원"),
    ("贵州省社会科学院", "org", "귀주성사회과학원"),
    ("中国社会科学院工业经济研究所", "org", "중국사회과학원공업경제연구소"),
    ("中國勞動關係學院", "org", "중국노동관계학원"), ("國際聯合", "org", "국제연합"),
    ("上海旅遊局", "org", "상해여유국"),
])
def test_place_and_org_reading(name: str, kind: str, expected: str) -> None:
    assert reading(name, kind) == expected


@pytest.mark.parametrize("syllable, expected", [
    ("리", "이"), ("려", "여"), ("례", "예"), ("료", "요"), ("류", "유"), ("량", "양"), ("녀", "여"),
    ("뇨", "요"), ("뉴", "유"), ("니", "이"), ("라", "나"), ("래", "내"), ("로", "노"), ("뢰", "뇌"),
    ("루", "누"), ("르", "느"), ("룡", "용"), ("륙", "육"), ("림", "임"), ("락", "낙"), ("하", "하"),
    ("", ""), ("a", "a"),
])
def test_initial_rule(syllable: str, expected: str) -> None:
    assert initial_rule(syllable) == expected


@pytest.mark.parametrize("ch, expected", [
    ("賀", "하"), ("贺", "하"), ("宁", "령"), ("寧", "령"), ("瑩", "영"), ("a", None), ("", None),
    ("賀俊", None), ("허", None),
])
def test_char_reading(ch: str, expected: str | None) -> None:
    assert char_reading(ch) == expected


@pytest.mark.parametrize("text", ["", "허쥔", "He Jun", "賀俊(허쥔)", "😀"])
def test_no_reading_without_hanja(text: str) -> None:
    for kind in ("person", "org", "place"):
        assert reading(text, kind) is None
