"""The appositive rule layer on hand-written sentences (tables: the shipped ones)."""
from __future__ import annotations

import pytest

from pipeline.recognition.boundaries import ensure_boundaries
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


def test_ensure_boundaries_keeps_text(rules_nlp):
    doc = rules_nlp.make_doc("해외산업연구실장은 말했다")
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


def test_a_parenthesised_form_found_by_the_model_is_folded_into_the_name(rules_nlp):
    """The statistical model may tag 賀俊 in 허쥔(賀俊) as a second person: it is the first one's hanja."""
    from pipeline.linking.forms import FormsComponent
    from pipeline.recognition.rules import EntityMerger

    text = "쑨밍(孫明) 씨와 리웨이(李偉·45) 씨가 왔다."
    doc = rules_nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(name), text.index(name) + len(name), label="PS")
                for name in ("쑨밍", "孫明", "리웨이", "李偉")]
    doc = FormsComponent(rules_nlp)(EntityMerger(rules_nlp, label_map={"PS": "PERSON"})(doc))
    assert [(e.text, e._.hanja) for e in doc.ents] == [("쑨밍", "孫明"), ("리웨이", "李偉")]


@pytest.mark.parametrize("text,kept", [
    ("중국 중앙정부", False),
    ("구이저우성", False),
    ("정부", False),
    ("네트워크화", False),
    ("푸단대학교", True),
    ("삼성전자", True),
])
def test_merger_keeps_only_institutions_from_the_model(rules_nlp, text, kept):
    from pipeline.recognition.rules import EntityMerger

    doc = rules_nlp.make_doc(text)
    doc.ents = [doc.char_span(0, len(text), label="OG")]
    doc = EntityMerger(rules_nlp, label_map={"OG": "ORG"})(doc)
    assert [e.text for e in doc.ents] == ([text] if kept else [])


# -- precision of the rule layer on general news (EVALUATION.md, "Where it falls short", 7) ------------------
def rule_spans(doc, label=None):
    """The rule layer's own spans (before the statistical model is merged in)."""
    return [(s.text, s.label_) for s in doc.spans["hanlink_rules"] if label is None or s.label_ == label]


@pytest.mark.parametrize("text", [
    "교토(京都)에서 열린 회의에 참석했다.",       # mecab's 지명 and places.txt
    "지난해 일본 도쿄(東京) 시내 한 카페에서",
    "그는 도쿄도(東京都)에서 열린 행사에 갔다.",
    "베이징(北京) 시장은 말했다.",               # the Chinese place table
    "심천(深圳)에 공장을 세웠다.",
])
def test_a_place_with_hanja_is_not_a_person(rules_nlp, text):
    assert rule_spans(rules_nlp(text), "PERSON") == []


@pytest.mark.parametrize("text", [
    "민요섭의 시신(屍身)과 함께 떠올랐다.",       # one dictionary noun glossed with its hanja
    "움직일 수 없는 물증(物證)이나 되듯",
    "필요하다고 생각되면 부처(部處)나 고하(高下)를 가리지 않고",
    "이순신의 진중음(陣中吟)을 옮겨 쓴 글",      # read as its hanja, not a name's morphemes
])
def test_a_word_glossed_with_hanja_is_not_a_person(rules_nlp, text):
    assert rule_spans(rules_nlp(text), "PERSON") == []


@pytest.mark.parametrize("text,name,hanja", [
    ("강용석(姜容碩) 전 의원의 복당(復黨)과 관련해", "강용석", "姜容碩"),  # a Korean name, marked by the analyser
    ("허쥔(賀俊) 주임은 말했다.", "허쥔", "賀俊"),                          # a transcription of a Chinese name
])
def test_a_name_with_hanja_is_still_a_person(nlp, text, name, hanja):
    doc = nlp(text)
    assert rule_spans(doc, "PERSON") == [(name, "PERSON")]
    assert [s._.hanja for s in doc.spans["hanlink_rules"] if s.label_ == "PERSON"] == [hanja]


@pytest.mark.parametrize("text,expected", [
    ("샤넬 수석 디자이너는 말했다.", []),                     # a proper noun mecab does not call a person
    ("미국 스마트폰 시장에서 두각을 보였다.", []),
    ("경심이와 친구는 동대문 시장에 가서", []),
    ("박지원 문화관광부 장관이 방문했다.", []),                 # five syllables, no person mark
    ("박병원 전 대통령 경제수석 비서관이 왔다.", []),          # a word ending in a title
    ("김선웅 선수협 사무국장은 말했다.", []),                  # 선수협 no name, 사무국 no organisation
    ("주유네스코 대사에 이병현씨", []),                        # 駐 + an international body
    ("앤 마리 게츠 전 유엔 수석 고문은", [("유엔", "ORG")]),  # 유엔: not a name (not_name_words.txt), a known organisation
    ("제33대 김운용 회장이 사퇴했다.", [("김운용", "PERSON")]),  # 제33대 is no organisation
    ("김철수 서강대 교수는 말했다.", [("김철수", "PERSON"), ("서강대", "ORG")]),
])
def test_no_organisation_or_noun_taken_for_a_name_before_a_title(rules_nlp, text, expected):
    assert rule_spans(rules_nlp(text)) == expected


@pytest.mark.parametrize("text,expected", [
    ("앙겔라 메르켈 총리는 말했다.", "앙겔라 메르켈"),
    ("민주당의 빌 클린턴 대통령 후보도", "빌 클린턴"),
    ("릴라이언스의 무케시 암바니 회장은", "무케시 암바니"),
    ("도요토미 히데요시(豊臣秀吉·1536~98)와 같은", "도요토미 히데요시"),  # with hanja: the paren rule
    ("일본 아베 총리는 말했다.", "아베"),                   # a country before the name is not part of it
    ("홍길동 김철수 교수는 말했다.", "김철수"),             # a Korean name is not a foreign name's last word
])
def test_a_spaced_foreign_name_is_taken_whole(rules_nlp, text, expected):
    assert [name for name, _ in rule_spans(rules_nlp(text), "PERSON")] == [expected]


@pytest.mark.parametrize("text,orgs", [
    ("이한구 공관위원장 대변인은 말했다.", []),              # no unit 공관위 from 공관위원장
    ("박 검열위원장은 말했다.", []),
    ("김상훈 산업연구원 해외산업연구실장은 예측했다.", ["산업연구원", "해외산업연구실"]),
    ("이수석 통일전략연구실장은 말했다.", ["통일전략연구실"]),
])
def test_only_a_real_unit_is_cut_from_a_fused_title(nlp, text, orgs):
    doc = nlp(text)
    assert [name for name, _ in rule_spans(doc, "ORG")] == orgs
    assert all(name not in ("공관위원장", "검열위원장", "공관위", "검열위") for name, _ in rule_spans(doc))


def _merged(nlp, text, ents):
    """``doc.ents`` after the merger, the statistical model having found ``ents`` ((text, label) pairs)."""
    from pipeline.linking.forms import FormsComponent
    from pipeline.recognition.rules import EntityMerger

    doc = nlp.make_doc(text)
    spans, pos = [], 0
    for name, label in ents:
        start = text.index(name, pos)
        spans.append(doc.char_span(start, start + len(name), label=label))
        pos = start + len(name)
    doc.ents = spans
    # the merger folds the parenthesis into the name; the forms component (the one owner of hanja) reads it
    return [(e.text, e.label_, e._.hanja) for e in FormsComponent(nlp)(EntityMerger(nlp)(doc)).ents]


def test_a_romanisation_in_the_parenthesis_is_a_form_of_the_name_whatever_its_label(rules_nlp):
    text = "장위안위안(Jiang Yuanyuan) 부주임은 말했다."
    assert _merged(rules_nlp, text, [("장위안위안", "PERSON"), ("Jiang Yuanyuan", "ORG")]) == [
        ("장위안위안", "PERSON", None)]


def test_the_rest_of_a_parenthesis_is_left_alone_and_its_hanja_part_taken(rules_nlp):
    text = "김철수(金哲洙·더불어민주당) 의원과 왕이(王毅, 전 외교부장)가 만났다."
    assert _merged(rules_nlp, text, [("김철수", "PERSON"), ("더불어민주당", "ORG"), ("왕이", "PERSON")]) == [
        ("김철수", "PERSON", "金哲洙"), ("더불어민주당", "ORG", None), ("왕이", "PERSON", "王毅")]
    assert _merged(rules_nlp, "김영희(45) 씨는 말했다.", [("김영희", "PERSON")]) == [("김영희", "PERSON", None)]


def test_a_reading_of_the_hanja_anywhere_in_the_parenthesis_is_a_form_of_the_name(rules_nlp):
    # 하준 is the Sino-Korean reading of 賀俊: the same person, not a second one
    assert _merged(rules_nlp, "허쥔(賀俊·하준) 주임은 말했다.", [("허쥔", "PERSON"), ("하준", "PERSON")]) == [
        ("허쥔", "PERSON", "賀俊")]
    # another person named in the parenthesis stays
    assert _merged(rules_nlp, "김철수(金哲洙·박영희 의원 보좌관)는 말했다.", [("김철수", "PERSON"), ("박영희", "PERSON")]) == [
        ("김철수", "PERSON", "金哲洙"), ("박영희", "PERSON", None)]


@pytest.mark.parametrize("text, expected", [
    # the surname and the given name in two words, the hanja after the second
    ("왕 이(王毅) 부장은 말했다.", [("왕 이", "王毅", "부장")]),
    ("천 밍(陈明) 교수는 말했다.", [("천 밍", "陈明", "교수")]),
    ("남궁 민(南宮珉) 교수는 말했다.", [("남궁 민", "南宮珉", "교수")]),
    # a parenthesis with spaces in it belongs to the word before it: the title after it is the name's
    ("천밍(陈明, Chen Ming) 교수가 참석했다.", [("천밍", "陈明", "교수")]),
    # the post inside the parenthesis is the person's (the roles stage reads it)
    ("리창(李强, 국무원 총리)은 회견에서 밝혔다.", [("리창", "李强", "총리")]),
])
def test_names_with_spaces_or_spaced_parentheses(nlp, text, expected):
    assert [(n, h, t) for n, h, t, _ in people(nlp(text))] == expected


def test_a_spaced_noun_read_as_its_hanja_is_no_name(rules_nlp):
    assert rule_spans(rules_nlp("통일된 신정 국가(神政國家)를 건설하고"), "PERSON") == []


@pytest.mark.parametrize("text, expected", [
    ("Chen Ming(陈明) 교수는 말했다.", [("Chen Ming", "陈明", "교수")]),
    ("Liu Hong(刘洪·52) 교수가 왔다.", [("Liu Hong", "刘洪", "교수")]),
    ("Xi Jinping 주석이 말했다.", [("Xi Jinping", None, "주석")]),
    ("Zhōu Xiǎochuān 행장은 회고했다.", [("Zhōu Xiǎochuān", None, "행장")]),  # pinyin with tone marks
    # hanja of another pinyin (蔣 is Jiang): a person by the title; the hanja are what the text gives
    ("Zhang Yuanyuan(蔣媛媛) 부주임은 말했다.", [("Zhang Yuanyuan", "蔣媛媛", "부주임")]),
    ("Zhang Yuanyuan(蔣媛媛)의 발표", []),  # neither the same name in hanja nor a title
    ("Jiang Yuanyuan(蔣媛媛)의 발표", [("Jiang Yuanyuan", "蔣媛媛", None)]),
    # not pinyin, or neither hanja nor a title after it
    ("Goldman Sachs 회장은 말했다.", []),
    ("China Daily 기자는 말했다.", []),
    ("Chen Ming 덕분이다.", []),
])
def test_a_pinyin_name_in_latin_letters_is_a_person(rules_nlp, text, expected):
    doc = rules_nlp(text)
    spans = [(s.text, s._.hanja, s._.title) for s in doc.spans["hanlink_rules"] if s.label_ == "PERSON"]
    assert spans == expected


def test_the_merger_drops_a_title_or_a_nominalisation_the_model_took_for_a_person(rules_nlp):
    assert _merged(rules_nlp, "양쥔 디렉터는 말했다.", [("양쥔", "PERSON"), ("디렉터", "PERSON")]) == [
        ("양쥔", "PERSON", None)]
    assert _merged(rules_nlp, "네트워크화를 이끈 이정화 교수", [("네트워크화", "PERSON"), ("이정화", "PERSON")]) == [
        ("이정화", "PERSON", None)]


@pytest.mark.parametrize("text, name, title", [
    ("쑨웨이 교수는 말했다.", "쑨웨이", "교수"),  # mecab: 쑨 as a verb form
    ("저우샤오찬 행장은 답했다.", "저우샤오찬", "행장"),  # five syllables, a two-syllable surname
    ("인민은행 천위루 부행장은 약속했다.", "천위루", "부행장"),  # mecab: 루 as a particle
    ("리창 교수는 연구한다.", "리창", "교수"),
    ("장위엔위엔 부주임은 들었다.", "장위엔위엔", "부주임"),  # 위엔: an unofficial spelling of yuan
])
def test_a_chinese_name_in_the_official_transcription_is_a_name_before_a_title(rules_nlp, text, name, title):
    doc = rules_nlp(text)
    assert [(s.text, s._.title) for s in doc.spans["hanlink_rules"] if s.label_ == "PERSON"] == [(name, title)]


@pytest.mark.parametrize("word", ["우리", "모두", "주로", "이미", "하지만", "여러"])
def test_a_dictionary_word_before_a_title_is_no_name(rules_nlp, word):
    """우리 주임은: 우 + 리 are transcription syllables and 우 a surname, but 우리 is a pronoun."""
    doc = rules_nlp(f"{word} 주임은 말했다.")
    assert [s.text for s in doc.spans["hanlink_rules"] if s.label_ == "PERSON"] == []


def test_additions_that_overlap_no_rule_mention_are_kept():
    from pipeline.recognition.appositive import Mention, add_without_overlap

    mentions = [Mention(0, 10, "ORG", "appositive"), Mention(3, 4, "PERSON", "appositive"),
                Mention(20, 22, "PERSON", "gazetteer")]
    additions = [Mention(a, b, "ORG", "known") for a, b in [(2, 5), (10, 12), (12, 25), (22, 24), (30, 31)]]
    kept = add_without_overlap(mentions, additions)
    assert [(m.start, m.end) for m in kept] == [(0, 10), (3, 4), (10, 12), (20, 22), (22, 24), (30, 31)]
    assert add_without_overlap(mentions, []) is mentions


# -- table names in other scripts and in several words -------------------------------------------------------
@pytest.mark.parametrize("text, name, kb_id", [
    # the table writes 中国社会科学院 (simplified): the traditional form is the same institution
    ("中國社會科學院 공업경제연구소의 연구원은 말했다.", "中國社會科學院", "I0003"),
    ("上海社會科學院은 보고서를 냈다.", "上海社會科學院", "I0010"),
    # an English alias of five words (more than the four words the gazetteer once joined)
    ("그는 Chinese Academy of Social Sciences 관계자와 만났다.", "Chinese Academy of Social Sciences", "I0003"),
])
def test_a_table_name_in_another_script_or_several_words_is_found(nlp, text, name, kb_id):
    assert (name, "ORG") in rule_spans(nlp(text))
    assert [e.kb_id_ for e in nlp(text).ents if e.text == name] == [kb_id]


def test_a_reading_the_table_does_not_write_finds_the_institution(tmp_path):
    """상해사회과학원 is the Sino-Korean reading of 上海社会科学院; only 상하이사회과학원 is written."""
    import pipeline

    (tmp_path / "speakers.csv").write_text(
        "speaker_id,name,hanja,simplified,latin,aliases,institution_id,title,country,note\n", encoding="utf-8")
    (tmp_path / "institutions.csv").write_text(
        "institution_id,name,original,abbreviation,aliases,parent_id,country,note\n"
        "X1,상하이사회과학원,上海社会科学院,,,,CN,\n"
        "X2,응용경제연구소,上海社会科学院应用经济研究所,,,X1,CN,\n", encoding="utf-8")
    nlp = pipeline.load(speakers=tmp_path / "speakers.csv", institutions=tmp_path / "institutions.csv",
                        use_model=False)
    doc = nlp("상해사회과학원 응용경제연구소는 결과를 공개했다.")
    # the parent and its unit stay two mentions, although the unit's original reads as both together
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("상해사회과학원", "X1"), ("응용경제연구소", "X2")]
