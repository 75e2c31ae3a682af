"""Tests of pipeline.tokenization.tokenizer: morphemes, exact offsets, doc.text == text, serialisation."""
from __future__ import annotations

import configparser
import logging
import pickle
import subprocess
import sys
from functools import lru_cache

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc
from spacy.util import load_model_from_config
from spacy.vocab import Vocab
from thinc.api import Config

from pipeline.tokenization import backends as tk_backends
from pipeline.tokenization import tokenizer as tk
from pipeline.errors import BackendUnavailableError, HanlinkError, InputDocumentError
from pipeline.paths import REPO_ROOT
from pipeline.tokenization.tokenizer import (
    BACKENDS,
    MAX_CHUNK,
    KoreanTokenizer,
    _align_surfaces,
    _cover_gaps,
    _merge_overlaps,
    available_backends,
    create_korean_tokenizer,
    get_backend,
    make_nlp,
)

JAVA = sorted(tk.JAVA_BACKENDS)


def _param(name: str):
    if name in tk.JAVA_BACKENDS:  # marked: skipped with the reason without a JVM (conftest.py), failed in CI
        return pytest.param(name, id=name, marks=pytest.mark.java)
    return pytest.param(name, id=name)  # mecab and kiwi are dependencies: never skipped


ALL = [_param(name) for name in BACKENDS]
NATIVE = [_param(name) for name in BACKENDS if name not in tk.JAVA_BACKENDS]
JAVA_PARAMS = [_param(name) for name in JAVA]


@lru_cache(maxsize=None)
def nlp_for(backend: str = "mecab", user_words: tuple = ()) -> spacy.Language:
    return make_nlp(backend, user_words=user_words)


def texts(doc: Doc) -> list[str]:
    return [t.text for t in doc]


def assert_well_formed(doc: Doc, text: str) -> None:
    """doc.text == text, and the layout follows spaCy's whitespace convention."""
    assert doc.text == text
    for token in doc:
        assert token.text, "empty token"
        assert token.whitespace_ in ("", " ")
        if token.tag_ == tk.SPACE_TAG:
            assert token.text.isspace() and not token.whitespace_
        else:
            assert not any(c.isspace() for c in token.text), repr(token.text)
            assert token.tag_


def assert_complete(text: str, spans: list) -> None:
    """Spans are sorted, non-overlapping, non-empty and cover every non-whitespace character."""
    pos = 0
    for start, end, tag, sem in spans:
        assert pos <= start < end <= len(text), (pos, start, end)
        assert text[pos:start].isspace() or start == pos, repr(text[pos:start])
        assert isinstance(tag, str) and isinstance(sem, str)
        pos = end
    assert not text[pos:] or text[pos:].isspace()


# --- morphemes and tags (mecab, the default) ---------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("허쥔은", ["허쥔", "은"]),
        ("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은",
         ["허쥔", "(", "賀", "俊", ")", "중국", "사회과", "학원", "공업", "경제", "연구소", "주임", "은"]),
        ("양쥔(楊軍) 대변인은", ["양", "쥔", "(", "楊", "軍", ")", "대변인", "은"]),
        ("리커창 총리가 말했다.", ["리커창", "총리", "가", "말", "했", "다", "."]),
        ("  허쥔은", ["  ", "허쥔", "은"]),
        ("미국ㆍ프랑스ㆍ네덜란드", ["미국", "ㆍ", "프랑스", "ㆍ", "네덜란드"]),
        ("시진핑은\n\n리커창이", ["시진핑", "은", "\n\n", "리커창", "이"]),
        ("a\x00b", ["a", "\x00", "b"]),
    ],
)
def test_mecab_tokens(text, expected):
    doc = nlp_for()(text)
    assert texts(doc) == expected
    assert_well_formed(doc, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("허쥔은", [("허쥔", "NNP", "NameType=Prs"), ("은", "JX", "")]),
        ("중국에서 賀俊", [("중국", "NNP", "NameType=Geo"), ("에서", "JKB", ""), ("賀", "SH", ""), ("俊", "NNG", "")]),
        ("갔다", [("갔", "VV+EP", ""), ("다", "EC", "")]),
        ("a  b", [("a", "SL", ""), (" ", "_SP", ""), ("b", "SL", "")]),
    ],
)
def test_mecab_tags_and_name_types(text, expected):
    doc = nlp_for()(text)
    assert [(t.text, t.tag_, str(t.morph)) for t in doc] == expected


def test_mecab_offsets_do_not_drift_after_leading_whitespace():
    # python-mecab-ko's own span for the first morpheme here is (0, 2): the spaces
    assert get_backend("mecab").analyze("  허쥔은") == [(2, 4, "NNP", "인명"), (4, 5, "JX", "")]


def test_middle_dot_separator_does_not_glue_words():
    doc = nlp_for()("한국ㆍ중국ㆍ일본 정상")
    assert texts(doc)[:5] == ["한국", "ㆍ", "중국", "ㆍ", "일본"]


@pytest.mark.parametrize("backend", ALL)
def test_particles_are_tokens_for_every_backend(backend):
    doc = nlp_for(backend)("대한민국에서 왔다")
    assert texts(doc)[:2] == ["대한민국", "에서"]


@pytest.mark.parametrize(
    "text, expected",
    [("했다", [("했", "VV+EP"), ("다", "EF")]), ("그는 갔어요", [("그", "NP"), ("는", "JX"), ("갔", "VV+EP"), ("어요", "EF")])],
)
def test_kiwi_restored_forms_share_one_token(text, expected):
    assert [(t.text, t.tag_) for t in nlp_for("kiwi")(text)] == expected


# --- doc.text == text, always ----------------------------------------------

EDGE_CASES = [
    "", " ", "   ", "\n", "\t\t", "\r\n", "허쥔은 ", " 허쥔은", "  허쥔은  \n", "허쥔은\r\n갔다\r\n",
    "a\tb  c   d\n\n\ne", "\x00", "a\x00b\x00", "\x01\x02\x7f\x9f", "😀허쥔🇰🇷은👍🏽", "賀俊 楊軍 習近平",
    "\u1112\u1165\u110c\u1171\u11ab\u110b\u1173\u11ab", "ᄒᆞᆫ글 가\u11a8", "\u3000허쥔\u3000", "\ufeff허쥔은",
    "미국ㆍ프랑스", "ㆍ", "\u2028\u2029\x85\x0b\x0c", "ﾊﾝｸﾞﾙ ＡＢＣ", "e\u0301\u0301", "\U000e0001태그",
]


@pytest.mark.parametrize("backend", ALL)
@pytest.mark.parametrize("text", EDGE_CASES, ids=repr)
def test_doc_text_is_text(backend, text):
    assert_well_formed(nlp_for(backend)(text), text)
    assert_complete(text, get_backend(backend).analyze(text))


def test_lone_surrogates_are_covered_by_analyze_and_refused_by_spacy():
    text = "a\ud800b 허쥔\udfff은"
    assert_complete(text, get_backend("mecab").analyze(text))
    with pytest.raises(InputDocumentError, match="surrogate.*character 1"):
        nlp_for()(text)


@pytest.mark.slow
def test_five_megabyte_document():
    paragraph = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 23일 서울에서 열린 회의에서 이같이 말했다.  \n"
    text = paragraph * (5_000_000 // len(paragraph) + 1)
    doc = nlp_for().tokenizer(text)  # nlp(text) itself refuses texts over nlp.max_length (10⁶)
    assert doc.text == text
    assert len(doc) > 5_000_000 // len(paragraph) * 20
    assert [t.text for t in doc[:3]] == ["허쥔", "(", "賀"]


@pytest.mark.parametrize("backend", NATIVE)
def test_long_lines_are_cut_into_bounded_chunks(backend, monkeypatch):
    seen = []
    real_raw = BACKENDS[backend].raw

    def spy(self, text):
        seen.append(len(text))
        return real_raw(self, text)

    monkeypatch.setattr(BACKENDS[backend], "raw", spy)
    spaced = "허쥔은 서울에서 말했다 " * 2_000          # one line of 26k characters
    unspaced = "허쥔은서울에서말했다" * 2_500            # no whitespace at all: hard cuts
    for text in (spaced, unspaced):
        seen.clear()
        doc = nlp_for(backend)(text)
        assert_well_formed(doc, text)
        assert seen and max(seen) <= MAX_CHUNK and len(seen) >= 3


def test_analyser_failure_falls_back_word_by_word(monkeypatch, caplog):
    real_raw = tk.MecabBackend.raw

    def fragile(self, text):
        if "폭탄" in text:
            raise tk.AnalyserFailure("simulated crash")
        return real_raw(self, text)

    monkeypatch.setattr(tk.MecabBackend, "raw", fragile)
    text = "허쥔은 폭탄발언을 했다"
    with caplog.at_level(logging.WARNING, logger="pipeline.tokenization.tokenizer"):
        doc = nlp_for()(text)
    assert texts(doc) == ["허쥔", "은", "폭탄발언을", "했", "다"]
    assert doc[2].tag_ == "SY"
    assert "simulated crash" in caplog.text


# --- properties -----------------------------------------------------------

KOREAN = list("허쥔은대한민국에서왔다중국사회과학원주임賀俊楊軍ㆍ·()., \n\t\r\u3000") + ["\u1100", "\u1161", "\u11a8"]
MIXED = st.text(st.one_of(
    st.characters(), st.sampled_from(KOREAN), st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
))
ANY_TEXT = st.one_of(st.text(), MIXED)


def check_everything(backend: str, text: str) -> None:
    if any("\ud800" <= c <= "\udfff" for c in text):  # spaCy's StringStore cannot hold them
        with pytest.raises(InputDocumentError, match="surrogate"):
            nlp_for(backend)(text)
    else:
        assert_well_formed(nlp_for(backend)(text), text)
    assert_complete(text, get_backend(backend).analyze(text))


@pytest.mark.parametrize("backend", NATIVE)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT)
def test_property_any_unicode_native(backend, text):
    check_everything(backend, text)


@pytest.mark.parametrize("backend", JAVA_PARAMS)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT)
def test_property_any_unicode_java(backend, text):
    check_everything(backend, text)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab \n\t\r\u3000"))
def test_property_whitespace_layout_matches_spacy(text):
    ours = nlp_for()(text)
    spacys = spacy.blank("xx")(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in spacys]


@settings(max_examples=300, deadline=None)
@given(text=MIXED, surfaces=st.lists(st.tuples(st.one_of(MIXED, st.sampled_from(["허", "쥐", "ㄴ", "은", "다"])), st.just("T"))))
def test_property_alignment_never_loses_or_duplicates(text, surfaces):
    assert_complete(text, _cover_gaps(text, _align_surfaces(text, surfaces), "X"))


@settings(max_examples=100, deadline=None)
@given(data=st.data(), text=st.text(st.sampled_from(KOREAN), min_size=1, max_size=60))
def test_property_user_words_never_lose_text(data, text):
    start = data.draw(st.integers(0, len(text) - 1))
    length = data.draw(st.integers(1, 6))
    words = [(word, "NNP") for word in text[start:start + length].split()]
    doc = make_nlp("mecab", user_words=words)(text)
    assert_well_formed(doc, text)


# --- alignment of surfaces without offsets (konlpy) -------------------------

@pytest.mark.parametrize(
    "text, morphs, expected",
    [
        ("허쥔은", [("허", "NNP"), ("쥐", "NNG"), ("ㄴ", "JX"), ("은", "JX")],
         [(0, 1, "NNP", ""), (1, 2, "NNG+JX", ""), (2, 3, "JX", "")]),
        ("갔어요 다음", [("가", "P"), ("아아", "E"), ("다음", "N")], [(0, 3, "P+E", ""), (4, 6, "N", "")]),
        ("먹었음", [("먹", "VV"), ("어", "EP"), ("ㅁ", "ETN")], [(0, 1, "VV", ""), (1, 3, "EP+ETN", "")]),
        ("하다", [("하", "VV"), ("ㄴ", "X"), ("다", "EF")], [(0, 1, "VV", ""), (1, 2, "X+EF", "")]),
        ("  a b", [("a b", "N")], [(2, 3, "N", ""), (4, 5, "N", "")]),
        ("주임은", [("주", "N"), ("이", "J"), ("ㅁ", "E"), ("은", "J")],
         [(0, 1, "N", ""), (1, 2, "J+E", ""), (2, 3, "J", "")]),
    ],
)
def test_align_surfaces(text, morphs, expected):
    assert _align_surfaces(text, morphs) == expected


def test_merge_overlaps_joins_restored_forms():
    spans = [(0, 1, "VV", ""), (0, 1, "EP", ""), (1, 2, "EF", ""), (2, 2, "X", ""), (3, 5, "NNG", ""), (4, 6, "NNG", "")]
    assert _merge_overlaps(spans) == [(0, 1, "VV+EP", ""), (1, 2, "EF+X", ""), (3, 6, "NNG+NNG", "")]


# --- user words -------------------------------------------------------------

NAMES = (("딩쉐샹", "NNP", "인명"), ("천민얼", "NNP"), ("양쥔", "NNP", "인명"))


def test_user_words_mecab_split_particles_off():
    doc = nlp_for("mecab", NAMES)("딩쉐샹이 천민얼을 만났다. 양쥔은 딩쉐샹과의 회담에서")
    assert [(t.text, t.tag_) for t in doc][:4] == [("딩쉐샹", "NNP"), ("이", "JKS"), ("천민얼", "NNP"), ("을", "JKO")]
    assert str(doc[0].morph) == "NameType=Prs" and str(doc[2].morph) == ""
    assert texts(doc)[7:11] == ["양쥔", "은", "딩쉐샹", "과"]
    assert_well_formed(doc, doc.text)


@pytest.mark.parametrize("backend", ALL)
def test_user_words_every_backend(backend):
    text = "딩쉐샹이 천민얼을 만났다"
    doc = nlp_for(backend, NAMES)(text)
    assert_well_formed(doc, text)
    assert {"딩쉐샹", "천민얼"} <= set(texts(doc))
    assert texts(doc)[1] == "이"


@pytest.mark.parametrize("bad", [("양 쥔", "NNP"), ("", "NNP"), ("양쥔", ""), ("양쥔",)])
def test_bad_user_word_is_refused(bad):
    with pytest.raises(HanlinkError, match="user word"):
        KoreanTokenizer(Vocab(), user_words=[bad])


# --- serialisation, multiprocessing, registration ---------------------------

SAMPLES = [
    "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다.",
    "  딩쉐샹이 천민얼을 만났다\n\n리커창 총리가 말했다.",
    "미국ㆍ프랑스ㆍ네덜란드 정상이 서울에서 만났다.\t😀",
] * 4


def signature(doc: Doc) -> list[tuple]:
    return [(t.text, t.whitespace_, t.tag_, str(t.morph)) for t in doc]


def test_pickle_round_trip():
    tok = KoreanTokenizer(Vocab(), backend="mecab", user_words=[("딩쉐샹", "NNP", "인명")])
    clone = pickle.loads(pickle.dumps(tok))
    assert isinstance(clone, KoreanTokenizer)
    assert (clone.backend_name, clone.user_words.as_tuples()) == ("mecab", [("딩쉐샹", "NNP", "인명")])
    assert [signature(clone(t)) for t in SAMPLES] == [signature(tok(t)) for t in SAMPLES]


def test_pipe_with_two_processes_matches_one():
    nlp = nlp_for("mecab", NAMES)
    single = [signature(doc) for doc in nlp.pipe(SAMPLES)]
    multi = [signature(doc) for doc in nlp.pipe(SAMPLES, n_process=2, batch_size=3)]
    assert multi == single


@pytest.mark.parametrize("backend", NATIVE)
def test_to_disk_and_spacy_load(backend, tmp_path):
    nlp = make_nlp(backend, user_words=NAMES)
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert isinstance(loaded.tokenizer, KoreanTokenizer)
    assert loaded.tokenizer.backend_name == backend
    assert loaded.tokenizer.user_words.as_tuples() == nlp.tokenizer.user_words.as_tuples()
    assert [signature(loaded(t)) for t in SAMPLES] == [signature(nlp(t)) for t in SAMPLES]


def test_to_bytes_from_bytes():
    tok = KoreanTokenizer(Vocab(), backend="kiwi", user_words=[("천민얼", "NNP")])
    other = KoreanTokenizer(Vocab()).from_bytes(tok.to_bytes())
    assert (other.backend_name, other.user_words.as_tuples()) == ("kiwi", [("천민얼", "NNP", "")])


def test_from_disk_of_a_wrong_folder_says_what_to_do(tmp_path):
    with pytest.raises(HanlinkError, match="nlp.to_disk"):
        KoreanTokenizer(Vocab()).from_disk(tmp_path)


def test_registered_in_spacy_config():
    assert spacy.registry.tokenizers.get("hanlink.KoreanTokenizer.v1") is create_korean_tokenizer
    config = Config().from_str(
        """
        [nlp]
        lang = "xx"
        pipeline = []

        [nlp.tokenizer]
        @tokenizers = "hanlink.KoreanTokenizer.v1"
        backend = "kiwi"
        """
    )
    nlp = load_model_from_config(config, auto_fill=True)
    assert nlp.tokenizer.backend_name == "kiwi"
    assert texts(nlp("대한민국은")) == ["대한민국", "은"]


def test_setup_cfg_entry_point_names_the_factory():
    cfg = configparser.ConfigParser()
    cfg.read(REPO_ROOT / "setup.cfg")
    entry = cfg["options.entry_points"]["spacy_tokenizers"].strip()
    name, target = (part.strip() for part in entry.split("="))
    assert name == "hanlink.KoreanTokenizer.v1"
    assert target == "pipeline.tokenization.tokenizer:create_korean_tokenizer"


# --- backends: availability and errors --------------------------------------

def test_unknown_backend_is_refused():
    with pytest.raises(BackendUnavailableError, match="unknown tokenizer backend 'nope'.*mecab"):
        KoreanTokenizer(Vocab(), backend="nope")
    with pytest.raises(BackendUnavailableError):
        make_nlp("nope")


def test_java_backends_without_a_jvm(monkeypatch):
    monkeypatch.setattr(tk_backends, "_find_jvm", lambda: None)
    assert not set(available_backends()) & tk.JAVA_BACKENDS
    assert {"mecab", "kiwi"} <= set(available_backends())
    for name in JAVA:
        with pytest.raises(BackendUnavailableError, match="Java runtime"):
            BACKENDS[name]()


def test_importing_and_using_mecab_never_starts_a_jvm():
    code = (
        "import sys; from pipeline.tokenization import tokenizer as t; t.available_backends(); t.make_nlp()('허쥔은');"
        "print('jpype' in sys.modules and sys.modules['jpype'].isJVMStarted())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_backend_objects_are_cached():
    assert get_backend("mecab") is get_backend("mecab")
    assert KoreanTokenizer(Vocab()).backend is KoreanTokenizer(Vocab()).backend


def test_java_backend_refuses_to_run_after_fork():
    backend = object.__new__(tk.OktBackend)  # no JVM needed: the check comes first
    backend._pid = -1
    with pytest.raises(BackendUnavailableError, match="n_process"):
        backend.analyze("허쥔은")


# --- fused surname + title (pipeline/tokenization/surname_titles.py) ------------------------------------------

@pytest.fixture(scope="module")
def tok_nlp_mecab():
    return make_nlp("mecab")


def _tokens(nlp, text):
    return [(t.text, t.tag_) for t in nlp(text)]


@pytest.mark.parametrize("text, expected", [
    ("그리고 박기자는 그 돌토", ["그리고", "박", "기자", "는", "그", "돌", "토"]),  # mecab: 박기 | 자
    ("김일병이 왔다", ["김", "일병", "이", "왔", "다"]),  # mecab: 김일병 (NNP)
    ("허씨는 말했다", ["허", "씨", "는", "말", "했", "다"]),
    ("이씨 사건", ["이", "씨", "사건"]),  # mecab: 이씨 (IC, an interjection)
    ("이모 씨는", ["이", "모", "씨", "는"]),  # 모 before 씨: Lee so-and-so, not an aunt
    ("박모 상무는", ["박", "모", "상무", "는"]),
    ("강의원이 말했다", ["강", "의원", "이", "말", "했", "다"]),  # mecab: 강의 | 원이
])
def test_a_title_fused_to_a_surname_is_split_off(tok_nlp_mecab, text, expected):
    assert [t for t, _ in _tokens(tok_nlp_mecab, text)] == expected
    surname = expected[1] if text.startswith("그리고") else expected[0]
    tags = dict(_tokens(tok_nlp_mecab, text))
    assert tags[surname] == "NNP"


def test_the_particle_after_a_split_title_is_analysed_again(tok_nlp_mecab):
    assert _tokens(tok_nlp_mecab, "강의원이")[-1] == ("이", "JKS")
    doc = tok_nlp_mecab("그리고 박기자는")
    assert doc[1].morph.get("NameType") == ["Prs"]


@pytest.mark.parametrize("text, whole", [
    ("이모가 왔다", "이모"),  # an aunt: 모 without 씨 or a title after it
    ("이사장은 말했다", "이사장"),  # the analyser's common noun
    ("조교수는 말했다", "조교수"),
    ("도지사는 말했다", "도지사"),  # 도: an administrative unit far more often than a surname
    ("부사장은 말했다", "부사장"),  # 부-: vice
    ("성씨를 물었다", "성씨"),  # listed as never split
])
def test_words_that_only_look_like_surname_plus_title_stay_whole(tok_nlp_mecab, text, whole):
    assert whole in [t for t, _ in _tokens(tok_nlp_mecab, text)]


def test_a_title_whose_end_is_inside_another_word_is_not_split(tok_nlp_mecab):
    # 정부|장관 (government minister) is not 정 + 부장 + 관
    assert [t for t, _ in _tokens(tok_nlp_mecab, "정부장관은")][:2] == ["정부", "장관"]


def test_the_split_can_be_switched_off_and_the_switch_is_saved():
    tok = KoreanTokenizer(Vocab(), split_surname_titles=False)
    assert [t.text for t in tok("김일병이")][0] == "김일병"
    restored = KoreanTokenizer(Vocab()).from_bytes(tok.to_bytes())
    assert restored.split_surname_titles is False
    assert [t.text for t in KoreanTokenizer(Vocab())("김일병이")][0] == "김"


_PIECES = ["박", "김", "이", "허", "기자", "일병", "씨", "모", "선생", "님", "는", "이", "가", "(", "45", ")",
           " ", " ", "상무", "이사장", "의원", "장관", "정부", "말했다", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_surname_title_split_keeps_the_text_exact(tok_nlp_mecab, pieces):
    text = "".join(pieces)
    doc = tok_nlp_mecab(text)
    assert doc.text == text
    assert all(t.text.strip() or t.tag_ == "_SP" for t in doc)
