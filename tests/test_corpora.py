"""Readers of the NER corpora (pipeline.training.corpora) on hand-made snippets, and on ../shared when present."""
from __future__ import annotations

from collections import Counter

import pytest

from pipeline.training.alignment import AlignStats, align_spans, to_docs
from pipeline.training.corpora import (
    InlineTagError,
    ReadStats,
    Sentence,
    apply_definition,
    is_country,
    is_dev_file,
    parse_inline,
    parse_klp_text,
    parse_klue_text,
    parse_kmou_corpus_text,
    read_jsonl_gold,
)
from pipeline.errors import HanlinkError

from conftest import shared_file

KMOU_SNIPPET = (
    "\ufeff## 1\n"
    "## 오에 겐자부로는 일본 작가 나쓰메 소세키(1867~1916)를 말했다.\n"
    "## <오에 겐자부로:PER>는 <일본:LOC> 작가 <나쓰메 소세키:PER>(<1867~1916:DUR>)를 말했다.\n"
    "오에\t오에\tNNG\tB-PER\n"
    "_\t_\t_\tI-PER\n"
    "겐자부로\t겐자부로\tNNP\tI-PER\n"
    "\n"
    "## 2\n"
    "## 삼성전자 김모 과장은 01:23:39에 왔다.\n"
    "## <삼성전자:ORG> <김모:PER> 과장은 <01:23:39:TIM>에 왔다.\n"
    "삼성전자\t삼성전자\tNNP\tB-ORG\n"
    "\n"
)

KLP_SNIPPET = (
    "; 나도 홍길동이보다는 한국은행을 믿는다.\n"
    "$나도 <홍길동:PS>이보다는 <한국은행:OG>을 믿는다.\n"
    "1\t나\tNP\tO\n"
    "1\t도\tJX\tO\n"
    "\n"
    "; 서울에서 만났다.\n"
    "$<서울:LC>에서 만났다.\n"
    "1\t서울\tNNP\tB_LC\n"
)

KLUE_SNIPPET = (
    "## 토큰, 레이블 구분자 : \\t\n"
    "## 컬럼명 : CHAR\tNE_TAG\n"
    "## klue-ner-v1_dev_00000-wikitree\t<경찰:OG>은 <김:PS>모씨\n"
    "경\tB-OG\n찰\tI-OG\n은\tO\n \tO\n김\tB-PS\n모\tO\n씨\tO\n"
    "\n"
    "## klue-ner-v1_dev_00001-nsmc\t<송강호:PS> <서울:LC>\n"
    "송\tB-PS\n강\tI-PS\n호\tI-PS\n \tO\n서\tB-LC\n울\tI-LC\n"
    "\n"
)


@pytest.mark.parametrize("raw,tagged,expected", [
    ("허쥔은 갔다", "<허쥔:PER>은 갔다", [(0, 2, "PER")]),
    ("01:23:39에", "<01:23:39:TIM>에", [(0, 8, "TIM")]),
    ("<2> 문제", "<<2>:NOH> 문제", [(0, 3, "NOH")]),
    ("a<b>c", "a<b>c", []),
    ("김 씨와 이 씨", "<김:PER> 씨와 <이:PER> 씨", [(0, 1, "PER"), (5, 6, "PER")]),
])
def test_parse_inline(raw, tagged, expected):
    spans = parse_inline(raw, tagged, ["PER", "ORG", "TIM", "NOH"])
    assert spans == expected
    for start, end, _ in spans:
        assert raw[start:end] in tagged


def test_parse_inline_mismatch_raises():
    with pytest.raises(InlineTagError):
        parse_inline("허쥔은 갔다", "<허쥔:PER>는 갔다", ["PER"])


def test_kmou_corpus_reader():
    stats = ReadStats()
    sentences = list(parse_kmou_corpus_text(KMOU_SNIPPET.lstrip("\ufeff"), "x.txt", stats))
    assert [s.text for s in sentences] == [
        "오에 겐자부로는 일본 작가 나쓰메 소세키(1867~1916)를 말했다.", "삼성전자 김모 과장은 01:23:39에 왔다."]
    first, second = sentences
    assert [(first.text[s:e], label) for s, e, label in first.spans] == [
        ("오에 겐자부로", "PERSON"), ("나쓰메 소세키", "PERSON")]  # LOC and DUR are dropped
    assert [(second.text[s:e], label) for s, e, label in second.spans] == [("삼성전자", "ORG"), ("김모", "PERSON")]
    assert first.source == "kmou" and first.id == "x.txt:1"
    assert stats.sentences == 2 and stats.failures == 0 and stats.spans == Counter(PERSON=3, ORG=1)


def test_kmou_reader_counts_failures():
    bad = "## 1\n## 허쥔은 갔다\n## <허쥔:PER>는 갔다\n"
    stats = ReadStats()
    assert list(parse_kmou_corpus_text(bad, "bad.txt", stats)) == []
    assert stats.failures == 1 and "bad.txt:1" in stats.failure_examples[0]


def test_klp_reader():
    stats = ReadStats()
    sentences = list(parse_klp_text(KLP_SNIPPET, "ner.test", stats))
    assert len(sentences) == 2
    text = sentences[0].text
    assert [(text[s:e], label) for s, e, label in sentences[0].spans] == [("홍길동", "PERSON"), ("한국은행", "ORG")]
    assert sentences[1].spans == []  # LC is not ours
    assert sentences[0].source == "2016klp"


def test_klue_reader():
    stats = ReadStats()
    sentences = list(parse_klue_text(KLUE_SNIPPET, stats))
    assert [s.id for s in sentences] == ["klue-ner-v1_dev_00000-wikitree", "klue-ner-v1_dev_00001-nsmc"]
    assert [s.source for s in sentences] == ["wikitree", "nsmc"]
    first, second = sentences
    assert first.text == "경찰은 김모씨"
    assert [(first.text[s:e], label) for s, e, label in first.spans] == [("경찰", "ORG"), ("김", "PERSON")]
    assert second.text == "송강호 서울" and second.spans == [(0, 3, "PERSON")]
    assert stats.sentences == 2 and stats.failures == 0


def test_jsonl_gold(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "d1", "text": "허쥔은 갔다", "entities": [{"start": 0, "end": 2, "label": "PERSON", '
                    '"kb_id": "P0002"}]}\n{"text": "없음", "entities": []}\n', encoding="utf-8")
    first, second = read_jsonl_gold(path)
    assert first.id == "d1" and first.spans == [(0, 2, "PERSON")] and first.kb_ids == {(0, 2, "PERSON"): "P0002"}
    assert second.id == "gold.jsonl:2" and second.kb_ids == {}
    path.write_text('{"id": "d1", "text": "허쥔", "entities": [{"start": 0, "end": 5, "label": "PERSON"}]}\n',
                    encoding="utf-8")
    with pytest.raises(HanlinkError, match="line 1"):
        list(read_jsonl_gold(path))


@pytest.mark.parametrize("text,span,expected", [
    ("김모 과장", (0, 2, "PERSON"), [(0, 1, "PERSON")]),
    ("김 모 씨", (0, 3, "PERSON"), [(0, 1, "PERSON")]),
    ("A모 씨", (0, 2, "PERSON"), [(0, 1, "PERSON")]),
    ("가수 김건모", (3, 6, "PERSON"), [(3, 6, "PERSON")]),
    ("일본 사회", (0, 2, "ORG"), []),
    ("한미 동맹", (0, 2, "ORG"), []),
    ("일본은행", (0, 4, "ORG"), [(0, 4, "ORG")]),
    ("미국 국무부", (0, 6, "ORG"), [(0, 6, "ORG")]),
    ("경찰은 밝혔다", (0, 2, "ORG"), []),
    ("한·중 협력", (0, 3, "ORG"), []),
    ("북-미 회담", (0, 3, "ORG"), []),
    ("서울지방경찰청은", (0, 7, "ORG"), [(0, 7, "ORG")]),
])
def test_product_definition(text, span, expected):
    counts = Counter()
    out = apply_definition(Sentence("x", text, [span], "t"), counts)
    assert out.spans == expected


def test_paren_form_is_part_of_the_mention():
    text = "허쥔(賀俊) 주임과 왕밍(王明·58) 교수"
    spans = [(0, 2, "PERSON"), (3, 5, "PERSON"), (11, 13, "PERSON"), (14, 16, "PERSON")]
    assert apply_definition(Sentence("x", text, spans, "t")).spans == [(0, 2, "PERSON"), (11, 13, "PERSON")]
    # 국제통화기금(IMF): an abbreviation stays an ORG of its own
    assert apply_definition(Sentence("y", "국제통화기금(IMF)", [(0, 6, "ORG"), (7, 10, "ORG")], "t")).spans == [
        (0, 6, "ORG"), (7, 10, "ORG")]


def test_is_country_and_generic():
    from pipeline.training.corpora import is_generic_org

    assert is_country("중국") and is_country("北") and not is_country("중국사회과학원")
    assert is_generic_org("정부") and not is_generic_org("정부청사관리본부")


def test_dev_split_is_fixed_and_small():
    names = [f"{i:05d}_NER.txt" for i in range(2000)]
    dev = [n for n in names if is_dev_file(n)]
    assert dev == [n for n in names if is_dev_file(n)]  # deterministic
    assert 0.03 < len(dev) / len(names) < 0.07


@pytest.fixture(scope="module")
def tok_nlp():
    from pipeline.tokenization.tokenizer import make_nlp

    return make_nlp("mecab")


def test_align_strict_and_missing(tok_nlp):
    # mecab cuts 두환은 as 두 | 환은: the name 두환 ends inside a token
    text = "리의 머릿속에 두환은 나팔바지"
    sentence = Sentence("x", text, [(0, 1, "PERSON"), (8, 10, "PERSON")], "t")
    stats = AlignStats()
    doc = next(to_docs(tok_nlp, [sentence], stats, mode="missing"))
    assert [(e.text, e.label_) for e in doc.ents] == [("리", "PERSON")]
    assert [t.ent_iob_ for t in doc if t.text in ("두", "환은")] == ["", ""]  # unknown, not O
    assert stats.spans == 2 and stats.strict == 1 and stats.misaligned == 1 and stats.lost == 0
    doc = tok_nlp.make_doc(text)
    entities, missing = align_spans(doc, sentence.spans, mode="expand")
    assert [e.text for e in entities] == ["리", "두환은"] and missing == []
    entities, _ = align_spans(doc, sentence.spans, mode="contract")
    assert [e.text for e in entities] == ["리", "두"]


# --- the real corpora (../shared) ----------------------------------------------------------------

def test_klp_test_file_reads_cleanly():
    from pipeline.training.corpora import read_klp

    stats = ReadStats()
    sentences = list(read_klp(shared_file("data", "kmou-ner", "2016klp", "ner.test"), stats))
    assert len(sentences) == 366 and stats.failures == 0
    for s in sentences:
        for start, end, _ in s.spans:
            assert 0 <= start < end <= len(s.text)


def test_klue_dev_reads_cleanly():
    from pipeline.training.corpora import read_klue

    stats = ReadStats()
    sentences = list(read_klue(shared_file("data", "klue-ner", "klue-ner-v1.1_dev.tsv"), stats))
    assert len(sentences) == 5000 and stats.failures == 0
    assert Counter(s.source for s in sentences) == Counter(wikitree=2534, nsmc=2466)
    assert stats.spans == Counter(PERSON=4418, ORG=2182)


def test_kmou_corpus_files_read_cleanly(tok_nlp):
    from pipeline.training.corpora import read_kmou_corpus

    folder = shared_file("data", "kmou-ner", "corpus")
    files = sorted(folder.glob("*.txt"))[:20]
    stats = ReadStats()
    sentences = list(read_kmou_corpus(files=files, stats=stats))
    assert stats.failures == 0 and stats.sentences == len(sentences) > 100
    align = AlignStats()
    for _ in to_docs(tok_nlp, sentences, align):
        pass
    assert align.lost / align.spans < 0.01
    assert align.misaligned / align.spans < 0.03


def test_under_one_percent_of_the_kmou_gold_spans_fall_inside_a_token(tok_nlp):
    """Issue 4: gold spans that cannot be aligned to our tokens must stay under 1 %
    (the fused surname + title split, 박기자 → 박 + 기자, is what brings it there)."""
    from pipeline.training.corpora import kmou_splits

    splits = kmou_splits(shared_file("data", "kmou-ner"))
    align = AlignStats()
    for split in splits.values():
        for _ in to_docs(tok_nlp, split, align):
            pass
    assert align.spans > 35_000
    assert align.misaligned / align.spans < 0.01, align.as_dict()["examples"][:5]
