"""Particles, titles, romanisation of Korean names, jamo similarity."""
from __future__ import annotations

import pytest

from pipeline.names.korean import jamo_similarity, romanize_korean, romanize_syllables, strip_particle, strip_title


@pytest.mark.parametrize("word, expected", [
    ("허쥔은", "허쥔"), ("허쥔이", "허쥔"), ("허쥔을", "허쥔"), ("허쥔과", "허쥔"), ("허쥔의", "허쥔"),
    ("허쥔도", "허쥔"), ("허쥔에게", "허쥔"), ("김주혜가", "김주혜"), ("김주혜는", "김주혜"),
    ("김주혜를", "김주혜"), ("김주혜와", "김주혜"), ("김주혜로", "김주혜"), ("김상훈으로", "김상훈"),
    ("중국사회과학원의", "중국사회과학원"), ("상하이사회과학원에서", "상하이사회과학원"),
    ("알리클라우드에서는", "알리클라우드"), ("왕시원이라고", "왕시원"), ("양쥔께서", "양쥔"),
    # not particles: the phonology does not fit (이 after a vowel, 는 after a consonant) …
    ("장쯔이", "장쯔이"), ("리니나", "리니나"), ("왕시원는", "왕시원는"),
    # … or too little would remain
    ("허", "허"), ("허은", "허은"), ("이", "이"), ("", ""),
    ("허쥔", "허쥔"), ("He Jun", "He Jun"),
])
def test_strip_particle(word: str, expected: str) -> None:
    assert strip_particle(word) == expected


def test_strip_particle_known_names() -> None:
    assert strip_particle("김영이") == "김영"
    assert strip_particle("김영이", known={"김영이"}) == "김영이"
    assert strip_particle("김영이가", known={"김영이"}) == "김영이"
    assert strip_particle("허쥔은", known=set()) == "허쥔"


@pytest.mark.parametrize("text, expected", [
    ("허쥔 주임", ("허쥔", "주임")), ("양평섭 소장은", ("양평섭", "소장")), ("김상훈 실장", ("김상훈", "실장")),
    ("왕시원 원장", ("왕시원", "원장")), ("양쥔 전략디렉터는", ("양쥔", "전략디렉터")),
    ("장위안위안 부주임", ("장위안위안", "부주임")), ("루오이홍 부연구원", ("루오이홍", "부연구원")),
    ("김주혜 연구원", ("김주혜", "연구원")), ("시진핑 국가주석", ("시진핑", "국가주석")),
    ("허쥔주임", ("허쥔", "주임")), ("허쥔", ("허쥔", None)), ("주임", ("주임", None)), ("", ("", None)),
])
def test_strip_title(text: str, expected: tuple[str, str | None]) -> None:
    assert strip_title(text) == expected


@pytest.mark.parametrize("name, expected", [
    ("김주혜", "Kim Juhye"), ("김상훈", "Kim Sanghun"), ("양평섭", "Yang Pyeongseop"), ("이순신", "Lee Sunsin"),
    ("박지성", "Park Jiseong"), ("최한울", "Choi Hanul"), ("정은", "Jung Eun"), ("허준", "Heo Jun"),
    ("남궁민", "Namgung Min"), ("선우 정아", "Sunwoo Jeonga"), ("한복남", "Han Boknam"),
    ("홍빛나", "Hong Bitna"), ("박별림", "Park Byeollim"), ("곽재우", "Kwak Jaeu"),
    ("Kim", None), ("", None), ("김主혜", None),
])
def test_romanize_korean(name: str, expected: str | None) -> None:
    assert romanize_korean(name) == expected


def test_romanize_syllables_no_assimilation() -> None:
    # 종로 would be pronounced 종노 (Jongno); names are transliterated without assimilation
    assert romanize_syllables("종로") == "jongro"
    assert romanize_syllables("신라") == "sinra"
    assert romanize_syllables("설리") == "seolli"  # ㄹㄹ is ll


VARIANTS = [("허쥔", "허준"), ("장위안위안", "장웬웬"), ("왕시원", "왕시웬"), ("뤄이훙", "루오이홍"),
            ("리커창", "이커창"), ("쑨원", "순원"), ("리옌훙", "리엔훙"), ("저우언라이", "주은라이")]
DIFFERENT = [("허쥔", "김상훈"), ("양쥔", "양평섭"), ("왕시원", "장위안위안"), ("김주혜", "김상훈"),
             ("시진핑", "리커창")]


@pytest.mark.parametrize("a, b", VARIANTS)
def test_similarity_of_variants_is_high(a: str, b: str) -> None:
    assert jamo_similarity(a, b) >= 0.8
    assert jamo_similarity(a, b) == jamo_similarity(b, a)


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_similarity_of_different_people_is_low(a: str, b: str) -> None:
    assert jamo_similarity(a, b) <= 0.6


def test_similarity_separates() -> None:
    lowest_variant = min(jamo_similarity(a, b) for a, b in VARIANTS)
    highest_different = max(jamo_similarity(a, b) for a, b in DIFFERENT)
    assert lowest_variant - highest_different >= 0.2
    assert jamo_similarity("시진핑", "시진핑") == 1.0
    assert jamo_similarity("허쥔", "양평섭") < jamo_similarity("허쥔", "허준")


@pytest.mark.parametrize("a, b, expected", [("", "", 1.0), ("", "허쥔", 0.0), ("Kim", "kim", 1.0)])
def test_similarity_edges(a: str, b: str, expected: float) -> None:
    assert jamo_similarity(a, b) == expected
