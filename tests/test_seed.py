"""The press release hanlink started from: every person and institution must come out right.

Expected values are read off the release by hand (../shared/seeds/000_a6a31bb9b0a80964.txt).
"""
from __future__ import annotations

import pytest

# name, hanja, title, affiliation text, speaker id, affiliation id
PEOPLE = [
    ("양평섭", None, "소장", "KIEP 세계지역연구센터", "P0001", "I0002"),
    ("허쥔", "賀俊", "주임", "중국사회과학원 공업경제연구소", "P0002", "I0004"),
    ("김상훈", None, "실장", "산업연구원 해외산업연구실", "P0003", "I0006"),
    ("왕시원", "王喜文", "원장", "화샤공업인터넷 스마트기술연구원", "P0004", "I0007"),
    ("양쥔", "楊軍", "전략디렉터", "알리클라우드 연구센터", "P0005", "I0008"),
    ("장위안위안", "蔣媛媛", "부주임", "상하이사회과학원의 응용경제연구소", "P0006", "I0011"),
    ("루오이홍", "羅以洪", "부연구원", "구이저우성사회과학원 지역경제연구소", "P0007", "I0013"),
    ("김주혜", None, "연구원", "중국권역별·성별연구팀", "P0008", "I0014"),
]
INSTITUTIONS = [
    ("대외경제정책연구원", "I0001"),
    ("KIEP", "I0001"),
    ("세계지역연구센터", "I0002"),
    ("중국사회과학원", "I0003"),
    ("공업경제연구소", "I0004"),
    ("산업연구원", "I0005"),
    ("해외산업연구실", "I0006"),
    ("화샤공업인터넷 스마트기술연구원", "I0007"),
    ("알리클라우드 연구센터", "I0008"),
    ("상하이사회과학원", "I0010"),
    ("응용경제연구소", "I0011"),
    ("구이저우성사회과학원", "I0012"),
    ("지역경제연구소", "I0013"),
    ("중국권역별·성별연구팀", "I0014"),
]


@pytest.fixture(scope="module")
def seed_doc(nlp, seed_path):
    return nlp(seed_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def people(seed_doc):
    return {e.text: e for e in seed_doc.ents if e.label_ == "PERSON"}


def test_text_unchanged(seed_doc, seed_path):
    assert seed_doc.text == seed_path.read_text(encoding="utf-8")


def test_exactly_the_eight_people(people):
    assert sorted(people) == sorted(p[0] for p in PEOPLE)


@pytest.mark.parametrize("name,hanja,title,affiliation,speaker_id,institution_id", PEOPLE)
def test_person(people, seed_doc, name, hanja, title, affiliation, speaker_id, institution_id):
    ent = people[name]
    assert seed_doc.text[ent.start_char:ent.end_char] == name  # exact span, no particle
    assert ent._.hanja == hanja
    assert ent._.title == title
    assert ent._.affiliation["text"] == affiliation
    assert ent._.affiliation["kb_id"] == institution_id
    assert ent.kb_id_ == speaker_id
    assert 0.9 <= ent._.score <= 1.0


@pytest.mark.parametrize("name,institution_id", INSTITUTIONS)
def test_institution(seed_doc, name, institution_id):
    found = [e for e in seed_doc.ents if e.label_ == "ORG" and e.text == name]
    assert found, f"{name} not found as ORG"
    assert {e.kb_id_ for e in found} == {institution_id}


def test_nothing_else_is_an_entity(seed_doc):
    """Every entity is one of the release's people or institutions: no particle, parenthesis or place crept in."""
    expected = {p[0] for p in PEOPLE} | {name for name, _ in INSTITUTIONS}
    assert {e.text for e in seed_doc.ents} <= expected


def test_no_person_is_an_institution(seed_doc):
    labels = {e.text: e.label_ for e in seed_doc.ents}
    assert labels["KIEP"] == "ORG"
    assert "베이징" not in labels and "서울" not in labels
