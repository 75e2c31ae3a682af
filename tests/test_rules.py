"""The appositive rule layer on hand-written sentences (tables: the shipped ones)."""
from __future__ import annotations

import pytest

from pipeline.boundaries import ensure_boundaries
from pipeline.lexicons import default_lexicons


def people(doc):
    return [(e.text, e._.hanja, e._.title, (e._.affiliation or {}).get("text")) for e in doc.ents
            if e.label_ == "PERSON"]


@pytest.mark.parametrize("text,expected", [
    # NAME(漢字) ORG… TITLE
    ("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 말했다.",
     [("허쥔", "賀俊", "주임", "중국사회과학원 공업경제연구소")]),
    # NAME ORG UNIT+TITLE, the unit fused with the title
    ("김상훈 산업연구원 해외산업연구실장은 예측했다.", [("김상훈", None, "실장", "산업연구원 해외산업연구실")]),
    # ORG… NAME TITLE
    ("중국권역별·성별연구팀 김주혜 연구원에게 문의", [("김주혜", None, "연구원", "중국권역별·성별연구팀")]),
    # ORG… TITLE NAME
    ("KIEP 세계지역연구센터 소장 양평섭은 말했다.", [("양평섭", None, "소장", "KIEP 세계지역연구센터")]),
    # NAME TITLE
    ("김상훈 실장은 예측했다.", [("김상훈", None, "실장", None)]),
    # a person not in the tables, with an unknown institution ending in a known suffix
    ("천밍(陳明) 푸단대학교 교수는 말했다.", [("천밍", "陳明", "교수", "푸단대학교")]),
    # hanja in the parenthesis among other things
    ("왕밍(王明·58) 베이징대학 교수가 참석했다.", [("왕밍", "王明", "교수", "베이징대학")]),
    # a bare hanja name with a title
    ("習近平 주석은 말했다.", [("習近平", "習近平", "주석", None)]),
    # no name: common nouns before a title
    ("국내 연구원 10명이 참석했다.", []),
    # a place with its hanja is not a person; an organisation before a title is not a person
    ("베이징(北京) 시장은 말했다.", []),
    ("민주당 대변인은 논평했다.", []),
    ("서강대 교수들이 참석했다.", []),
    ("김철수 서강대 교수는 말했다.", [("김철수", None, "교수", "서강대")]),
    ("이번 세미나에는 전문가들이 참석했다.", []),
])
def test_patterns(nlp, text, expected):
    doc = nlp(text)
    assert doc.text == text
    assert people(doc) == expected


def test_unknown_person_is_nil(nlp):
    doc = nlp("천밍(陳明) 푸단대학교 교수는 말했다.")
    [person] = [e for e in doc.ents if e.label_ == "PERSON"]
    assert person.kb_id_ == "" and person._.score == 0.0


def test_fused_title_splits_the_token(nlp):
    doc = nlp("김상훈 산업연구원 해외산업연구실장은")
    units = [e for e in doc.ents if e.text == "해외산업연구실"]
    assert units and units[0].kb_id_ == "I0006"
    assert doc.text == "김상훈 산업연구원 해외산업연구실장은"


def test_ensure_boundaries_keeps_text(nlp):
    doc = nlp.make_doc("해외산업연구실장은 말했다")
    before = doc.text
    assert ensure_boundaries(doc, [7, 8, 0, len(before)]) == 1
    assert doc.text == before
    assert doc.char_span(0, 7) is not None and doc.char_span(7, 8) is not None


@pytest.mark.parametrize("word,expected", [
    ("해외산업연구실장", ("해외산업연구실", "실장")),
    ("공업경제연구소장", ("공업경제연구소", "소장")),
    ("실장", None),
    ("수석부회장", None),  # two titles, not a unit 수석부회 headed by a 회장
    ("공관위원장", None),  # 위원장 heads a 위원회, which is not written inside the word
])
def test_split_fused_title(word, expected):
    assert default_lexicons().split_fused_title(word) == expected


def test_a_parenthesised_form_found_by_the_model_is_folded_into_the_name(nlp):
    """The statistical model may tag 賀俊 in 허쥔(賀俊) as a second person: it is the first one's hanja."""
    from pipeline.recognize import EntityMerger

    text = "쑨밍(孫明) 씨와 리웨이(李偉·45) 씨가 왔다."
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(name), text.index(name) + len(name), label="PS")
                for name in ("쑨밍", "孫明", "리웨이", "李偉")]
    doc = EntityMerger(nlp, label_map={"PS": "PERSON"})(doc)
    assert [(e.text, e._.hanja) for e in doc.ents] == [("쑨밍", "孫明"), ("리웨이", "李偉")]


@pytest.mark.parametrize("text,kept", [
    ("중국 중앙정부", False),
    ("구이저우성", False),
    ("정부", False),
    ("네트워크화", False),
    ("푸단대학교", True),
    ("삼성전자", True),
])
def test_merger_keeps_only_institutions_from_the_model(nlp, text, kept):
    from pipeline.recognize import EntityMerger

    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(0, len(text), label="OG")]
    doc = EntityMerger(nlp, label_map={"OG": "ORG"})(doc)
    assert [e.text for e in doc.ents] == ([text] if kept else [])
