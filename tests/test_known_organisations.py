"""Well-known organisations (data/lexicons/known_organisations.txt) found by name."""
from __future__ import annotations

import pytest

from pipeline.recognition.appositive import Mention
from pipeline.errors import HanlinkError
from pipeline.recognition.known_organisations import (add_known_organisations, find_known_organisations,
                                          load_known_organisations)


def found(text: str, path=None) -> list[str]:
    return [text[m.start:m.end] for m in find_known_organisations(text, path)]


def test_the_list_is_read_and_has_the_expected_size():
    names = load_known_organisations()
    assert 300 <= len(names) <= 600
    assert {"KBS", "MBC", "SBS", "JTBC", "YTN", "NC", "FIVB", "EC", "연합뉴스", "신화통신"} <= set(names)
    assert len(set(names)) == len(names)
    assert all("#" not in n and n == n.strip() for n in names)


@pytest.mark.parametrize("excluded", ["중국", "정부", "경찰", "현대", "기아", "삼성", "한화", "한국경제", "CCTV",
                                      "G20", "APEC", "유튜브"])
def test_countries_generic_and_ambiguous_words_are_not_listed(excluded):
    assert excluded not in load_known_organisations()


@pytest.mark.parametrize("text,expected", [
    ("KBS는 보도했다.", ["KBS"]),
    ("연합뉴스에 따르면 유엔과 한국은행은 합의했다.", ["연합뉴스", "유엔", "한국은행"]),
    ("신화통신이 전했다.", ["신화통신"]),
    ("국회에서는", ["국회"]),
    ("FIVB(국제배구연맹)의 결정", ["FIVB", "국제배구연맹"]),
    ("“KBS·MBC·SBS 3사”", ["KBS", "MBC", "SBS"]),
    ("삼성전자와 LG전자가", ["삼성전자", "LG전자"]),
    ("채널A의 보도", ["채널A"]),
    ("(서울=뉴스1)", ["뉴스1"]),
    ("美CNN은 보도했다.", ["CNN"]),  # a Chinese character before: 美 is an abbreviation of a country
])
def test_names_with_particles_and_punctuation(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text,expected", [
    # not inside a longer word
    ("KBS2 드라마", []),
    ("MBC스포츠플러스 중계", []),
    ("abcKBS", []),
    ("국회의원들은", []),
    ("유엔가입", []),
    ("노동부장관", []),
    ("EPIC 게임", []),  # EC is not inside EPIC
    ("SK-II 매장", []),
    # a particle must fit the last syllable: 유엔가 is not 유엔 + 가
    ("유엔가 ", []),
    # the longest listed name wins
    ("KT&G는", ["KT&G"]),
    ("SK하이닉스의", ["SK하이닉스"]),
    ("LG 트윈스는 이겼다", ["LG 트윈스"]),
    ("LG 트윈스타", ["LG"]),
    ("현대차그룹", ["현대차그룹"]),
    # a name that heads a longer name, a channel, a competition is left to the other recognisers
    ("국회 국방위원회 소속", []),
    ("KBS 보도국은", []),
    ("서울대 공대 학장", []),
    ("KBS 2TV ‘드라마’", []),
    ("MBC TV를 통해", []),
    ("KBO 리그", []),
    # but not every next word: 국회 통과, KBS TV조선
    ("법안은 국회 통과를 앞두고", ["국회"]),
    ("KBS TV조선", ["KBS", "TV조선"]),
])
def test_word_boundaries_and_longest_match(text, expected):
    assert found(text) == expected


def test_mentions_are_org_without_a_table_id():
    (mention,) = find_known_organisations("YTN이 보도했다.")
    assert (mention.start, mention.end, mention.label, mention.source, mention.table_ids) == (0, 3, "ORG", "known", [])


def test_additions_only_where_no_other_rule_mention_overlaps():
    text = "KBS 연구센터 김철수 연구원과 MBC는"
    other = Mention(0, 8, "ORG", "appositive")  # "KBS 연구센터"
    merged = add_known_organisations([other], text)
    assert [(text[m.start:m.end], m.source) for m in merged] == [("KBS 연구센터", "appositive"), ("MBC", "known")]
    assert add_known_organisations([other], "아무 기관도 없다") == [other]


def test_another_list_and_an_unreadable_one(tmp_path):
    lexicon = tmp_path / "orgs.txt"
    lexicon.write_text("# comment\n한국해양대  # inline comment\nKMOU\n\n", encoding="utf-8")
    assert load_known_organisations(lexicon) == ("한국해양대", "KMOU")
    assert found("KMOU와 한국해양대는", lexicon) == ["KMOU", "한국해양대"]
    missing = tmp_path / "missing.txt"
    with pytest.raises(HanlinkError, match="missing.txt"):
        find_known_organisations("KBS", missing)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00K")
    with pytest.raises(HanlinkError, match="binary.txt"):
        load_known_organisations(binary)


def test_empty_text_and_empty_list(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert find_known_organisations("") == []
    assert find_known_organisations("KBS는", empty) == []


def test_pipeline_kbs_is_an_org_left_nil(nlp):
    doc = nlp("KBS는 보도했다.")
    ents = [(e.text, e.label_, e.kb_id_ or None, e._.source) for e in doc.ents]
    assert ents == [("KBS", "ORG", None, "known")]
    assert [(s.text, s._.source) for s in doc.spans["hanlink_rules"]] == [("KBS", "known")]


def test_pipeline_known_name_does_not_replace_a_rule_mention(nlp):
    # the seed's affiliations come from the appositive rules, with their table ids
    doc = nlp("양평섭 KIEP 세계지역연구센터 소장은 연합뉴스에 말했다.")
    by_text = {e.text: (e.label_, e._.source) for e in doc.ents}
    assert by_text["연합뉴스"] == ("ORG", "known")
    assert by_text["양평섭"][0] == "PERSON"
    assert all(s._.source != "known" or s.text == "연합뉴스" for s in doc.spans["hanlink_rules"])
