"""The linker against the gold tables: scripts, variants, namesakes, NIL, nested units; scoring; saving."""
from __future__ import annotations

import json

import numpy as np
import pytest
import spacy

import pipeline
from pipeline.kb.aliases import KeyType, name_keys, normalize_key, typed_keys
from pipeline.kb.knowledge_base import KnowledgeBase
from pipeline.linking.linker import DEFAULT_THRESHOLD, FEATURES, NEGATIVE_FEATURES, Scorer, decide
from pipeline.paths import data_path
from pipeline.kb.tables import load_tables

SPEAKERS = data_path("gold", "speakers.csv")
INSTITUTIONS = data_path("gold", "institutions.csv")


@pytest.fixture(scope="module")
def gold_nlp():
    return pipeline.load(speakers=SPEAKERS, institutions=INSTITUTIONS, use_model=False)


def on_spans(nlp, text, *mentions):
    """Link ``mentions`` (surface, label) of ``text`` given as the entities (the linker on known spans)."""
    from pipeline.evaluation.linking import link_gold_spans

    entities = []
    for surface, label in mentions:
        start = text.index(surface)
        entities.append({"start": start, "end": start + len(surface), "label": label})
    [linked], _ = link_gold_spans(nlp, [{"id": "t", "text": text, "entities": entities}], keep_other=True)
    return {(e["text"], e["label"]): e for e in linked["entities"]}


def entity(doc, text, label="PERSON"):
    found = [e for e in doc.ents if e.text == text and e.label_ == label]
    assert found, f"{text} not found as {label} in {[(e.text, e.label_) for e in doc.ents]}"
    return found[0]


@pytest.mark.parametrize("text,mention,expected", [
    # cross-script: every form reaches GP01 (賀俊 · 贺俊 · He Jun · 허쥔 · 하준 with hanja)
    ("賀俊 주임은 말했다.", "賀俊", "GP01"),
    ("贺俊 주임은 말했다.", "贺俊", "GP01"),
    ("He Jun 주임은 말했다.", "He Jun", "GP01"),
    ("허쥔 주임은 말했다.", "허쥔", "GP01"),
    ("하준(賀俊) 중국사회과학원 공업경제연구소 주임도 참석했다.", "하준", "GP01"),
    # the reading 하준 is also the name of a Korean (GP26): the context decides
    ("하준 중국사회과학원 공업경제연구소 주임은 답했다.", "하준", "GP01"),
    ("하준 한국개발연구원 연구원은 발표했다.", "하준", "GP26"),
    ("吴敬琏 연구원은 강조했다.", "吴敬琏", "GP18"),          # the row has only 吳敬璉
    ("張維迎 교수는 강조했다.", "張維迎", "GP19"),            # the row has only 张维迎
    # transcription variants (fuzzy, jamo)
    ("허준 중국사회과학원 공업경제연구소 주임은 말했다.", "허준", "GP01"),
    ("장웬웬 상하이사회과학원 응용경제연구소 부주임은 말했다.", "장웬웬", "GP02"),
    ("루오이홍 광둥성사회과학원 연구원은 말했다.", "루오이홍", "GP03"),
    ("정용녠 베이징대학 교수는 말했다.", "정용녠", "GP09"),
    # a Korean 허준 exists too: exact for him, fuzzy for 허쥔 when the context says so
    ("허준 KDI 연구위원은 말했다.", "허준", "GP31"),
    # namesakes resolved by the institution, its parent or unit, the hanja, the title
    ("장쥔 푸단대학 경제학원 원장은 말했다.", "장쥔", "GP10"),
    ("장쥔 중국사회과학원 세계경제정치연구소 연구원은 말했다.", "장쥔", "GP11"),
    ("리웨이(李巍) 소장은 말했다.", "리웨이", "GP13"),
    ("리웨이(李偉) 국무원 발전연구중심 주임은 말했다.", "리웨이", "GP12"),
    ("왕웨이 칭화대학 교수는 말했다.", "왕웨이", "GP15"),
    ("김상훈(金相勳) 교수는 말했다.", "김상훈", "GP22"),
    ("김상훈 산업연구원 해외산업연구실장은 말했다.", "김상훈", "GP21"),
    # people in neither table
    ("천밍(陳明) 푸단대학 교수는 말했다.", "천밍", None),
    ("허쥔(何俊) 칭화대학 교수는 말했다.", "허쥔", None),
    ("이준호 산업연구원 연구위원은 말했다.", "이준호", None),
    ("장쥔(張俊) 베이징대학 교수는 말했다.", "장쥔", None),
    ("허진 산업연구원 연구원은 말했다.", "허진", None),
])
def test_person(gold_nlp, text, mention, expected):
    found = on_spans(gold_nlp, text, (mention, "PERSON"))[(mention, "PERSON")]
    assert found["kb_id"] == expected
    assert 0.0 <= found["score"] <= 1.0
    if expected is None:
        assert found["score"] < gold_nlp.get_pipe("hanlink_linker").threshold
    else:
        assert found["score"] >= gold_nlp.get_pipe("hanlink_linker").threshold


@pytest.mark.parametrize("text,mentions,expected", [
    ("중국사회과학원 공업경제연구소는 보고서를 냈다.", ["중국사회과학원", "공업경제연구소"], ["GI01", "GI02"]),
    ("상하이사회과학원 공업경제연구소의 연구진", ["상하이사회과학원", "공업경제연구소"], ["GI03", "GI04"]),  # namesake unit
    ("상해사회과학원 응용경제연구소는 발표했다.", ["상해사회과학원", "응용경제연구소"], ["GI03", "GI05"]),  # 上海 read
    ("CASS 공업경제연구소 주임 허쥔은 말했다.", ["CASS", "공업경제연구소"], ["GI01", "GI02"]),
    ("북경대학 린이푸 교수는 말했다.", ["북경대학"], ["GI11"]),
    ("광동성사회과학원 뤄이훙 연구원은 말했다.", ["광동성사회과학원"], ["GI18"]),
    ("中國社會科學院은 발간했다.", ["中國社會科學院"], ["GI01"]),
    ("Peking University의 교수진", ["Peking University"], ["GI11"]),
    ("국무원발전연구센터는 발표했다.", ["국무원발전연구센터"], ["GI17"]),
    ("중국사회과학원은 공업경제연구소를 중심으로 꾸렸다.", ["중국사회과학원", "공업경제연구소"], ["GI01", "GI02"]),
    ("중국과학원은 발표했다.", ["중국과학원"], [None]),
])
def test_institution(gold_nlp, text, mentions, expected):
    found = on_spans(gold_nlp, text, *[(m, "ORG") for m in mentions])
    assert [found[(m, "ORG")]["kb_id"] for m in mentions] == expected


def _context(doc):
    from pipeline.linking.linker import DocContext, sentence_starts

    return DocContext(sentence_starts(doc.text))


def test_unit_row_knows_its_parent(gold_nlp):
    tables = gold_nlp.get_pipe("hanlink_linker").tables
    assert tables.ancestors("GI02") == ["GI01"] and tables.ancestors("GI04") == ["GI03"]
    assert set(tables.descendants("GI01")) == {"GI02", "GI06"}


def test_tied_namesakes_are_nil_never_a_coin_toss(gold_nlp):
    ent = entity(gold_nlp("장쥔 교수는 말했다."), "장쥔")      # two 장쥔, neither a 교수, no context
    assert ent.kb_id_ == ""
    # the score is each namesake's equal probability: what the linker knows, though it refuses to choose
    linker = gold_nlp.get_pipe("hanlink_linker")
    candidates = linker.generator("장쥔", "PERSON")
    assert len(candidates) == 2
    from pipeline.linking.linker import EntityView

    mention = EntityView.of(ent, ent.doc.text)
    p = linker.scorer.probabilities("PERSON", linker.person_features(mention, candidates, _context(ent.doc)))
    assert p[0] == pytest.approx(p[1]) and ent._.score == pytest.approx(p[0]) and p.sum() < 1.0


def test_weaker_context_gives_the_likelier_namesake_a_lower_score(gold_nlp):
    title_only = entity(gold_nlp("장쥔 원장은 말했다."), "장쥔")
    full = entity(gold_nlp("장쥔 푸단대학 경제학원 원장은 말했다."), "장쥔")
    assert title_only.kb_id_ == full.kb_id_ == "GP10"
    assert title_only._.score < full._.score


def test_later_mention_reuses_the_earlier_link(gold_nlp):
    doc = gold_nlp("장쥔 푸단대학 경제학원 원장은 말했다. 장쥔 교수는 또 제안했다.")
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert [e.kb_id_ for e in people] == ["GP10", "GP10"]


def test_scores_grow_with_evidence(gold_nlp):
    texts = ["허쥔 주임은 말했다.", "허쥔 중국사회과학원 공업경제연구소 주임은 말했다.",
             "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 말했다."]
    scores = [entity(gold_nlp(t), "허쥔")._.score for t in texts]
    assert scores == sorted(scores) and scores[-1] > 0.9


@pytest.mark.parametrize("label", ["PERSON", "ORG"])
def test_calibrated_probability_is_monotone_in_each_feature(label):
    scorer = Scorer.load()
    names = FEATURES[label]
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2, size=(50, len(names))).astype(float)

    def alone(rows):  # each row as the only candidate of its mention
        return np.array([scorer.probabilities(label, row[None, :])[0] for row in rows])

    p = alone(base)
    assert ((0.0 <= p) & (p <= 1.0)).all()
    for i, name in enumerate(names):
        more = base.copy()
        more[:, i] = np.maximum(more[:, i], 1.0)
        moved = alone(more)
        if name in NEGATIVE_FEATURES:
            assert (moved <= p + 1e-12).all(), name
        else:
            assert (moved >= p - 1e-12).all(), name


def test_decide_takes_the_best_and_refuses_ties():
    assert decide(np.array([])) == (None, 0.0)
    assert decide(np.array([0.9])) == (0, pytest.approx(0.9))
    assert decide(np.array([0.2, 0.7])) == (1, pytest.approx(0.7))
    index, score = decide(np.array([0.4, 0.4]))
    assert index is None and score == pytest.approx(0.4)


def test_candidates_and_nil_share_one_probability():
    scorer = Scorer.load()
    width = len(FEATURES["PERSON"])
    one = np.zeros((1, width))
    one[0, 0] = 1.0  # a written match
    alone = scorer.probabilities("PERSON", one)
    assert 0.0 < alone[0] < 1.0
    assert alone[0] == pytest.approx(1 / (1 + np.exp(-scorer.logits("PERSON", one)[0])))
    twins = scorer.probabilities("PERSON", np.vstack([one, one]))
    assert twins[0] == pytest.approx(twins[1]) and twins.sum() < 1.0 and twins[0] < alone[0]
    # a namesake the context contradicts takes almost nothing from the one it agrees with
    agree, against = one.copy(), one.copy()
    agree[0, FEATURES["PERSON"].index("aff_exact")] = 1.0
    against[0, FEATURES["PERSON"].index("aff_conflict")] = 1.0
    many = scorer.probabilities("PERSON", np.vstack([agree] + [against] * 50))
    assert many[0] > 0.9 * scorer.probabilities("PERSON", agree)[0]


def test_threshold_comes_from_the_config(tmp_path):
    model = json.loads(data_path("linker_model.json").read_text(encoding="utf-8"))
    assert DEFAULT_THRESHOLD == model["threshold"]  # the constant is the one chosen on the dev split
    nlp = pipeline.load(speakers=SPEAKERS, institutions=INSTITUTIONS, use_model=False)
    assert nlp.get_pipe("hanlink_linker").threshold == DEFAULT_THRESHOLD
    nlp.remove_pipe("hanlink_linker")
    linker = nlp.add_pipe("hanlink_linker", config={"threshold": 0.999})
    linker.initialize(speakers=SPEAKERS, institutions=INSTITUTIONS)
    ent = entity(nlp("허쥔 주임은 말했다."), "허쥔")
    assert ent.kb_id_ == "" and ent._.score > 0.5
    nlp.to_disk(tmp_path / "strict")
    again = spacy.load(tmp_path / "strict")
    assert again.get_pipe("hanlink_linker").threshold == 0.999
    assert entity(again("허쥔 주임은 말했다."), "허쥔").kb_id_ == ""


def test_pipeline_round_trip_keeps_tables_kb_and_links(gold_nlp, tmp_path):
    texts = ["허준 중국사회과학원 공업경제연구소 주임은 말했다.", "장쥔 푸단대학 경제학원 원장은 말했다.",
             "상해사회과학원 응용경제연구소는 발표했다.", "천밍(陳明) 푸단대학 교수는 말했다."]
    before = [[(e.text, e.kb_id_, round(e._.score, 6)) for e in gold_nlp(t).ents] for t in texts]
    gold_nlp.to_disk(tmp_path / "saved")
    folder = tmp_path / "saved" / "hanlink_linker"
    for name in ("speakers.csv", "institutions.csv", "kb/kb.npz", "kb/kb.json", "kb/fuzzy.npz", "scorer.json"):
        assert (folder / name).is_file(), name
    reloaded = spacy.load(tmp_path / "saved")
    linker = reloaded.get_pipe("hanlink_linker")
    assert linker.kb.restored
    after = [[(e.text, e.kb_id_, round(e._.score, 6)) for e in reloaded(t).ents] for t in texts]
    assert after == before


def test_kb_save_and_restore(tmp_path):
    tables = load_tables(SPEAKERS, INSTITUTIONS)
    kb = KnowledgeBase(tables)
    kb.to_disk(tmp_path / "kb")
    restored = KnowledgeBase.from_disk(tmp_path / "kb", load_tables(SPEAKERS, INSTITUTIONS))
    assert restored.restored and not kb.restored
    for name, array in kb.arrays().items():
        assert np.array_equal(array, restored.arrays()[name]), name
    assert restored.titles == kb.titles
    assert restored.rows_of("贺俊", "PERSON") == kb.rows_of("贺俊", "PERSON")


def test_restoring_a_kb_leaves_the_shared_tables_alone(tmp_path):
    """The tables are cached and shared by every component: the KB restored from disk keeps its own
    alias index instead of writing it into them (issue 13)."""
    import shutil

    speakers, institutions = tmp_path / "speakers.csv", tmp_path / "institutions.csv"
    shutil.copy(SPEAKERS, speakers)
    shutil.copy(INSTITUTIONS, institutions)
    KnowledgeBase(load_tables(speakers, institutions)).to_disk(tmp_path / "kb")
    shared = load_tables(speakers, institutions)  # the cached object the rule layer also holds
    restored = KnowledgeBase.from_disk(tmp_path / "kb", shared)
    assert restored.restored
    assert shared.alias_index("PERSON") is not restored.person_alias
    assert shared.alias_index("ORG") is not restored.org_alias
    assert restored.rows_of("贺俊", "PERSON") == KnowledgeBase(shared).rows_of("贺俊", "PERSON")


def test_kb_is_rebuilt_for_other_tables(tmp_path):
    KnowledgeBase(load_tables(SPEAKERS, INSTITUTIONS)).to_disk(tmp_path / "kb")
    speakers = tmp_path / "s.csv"
    speakers.write_text(SPEAKERS.read_text(encoding="utf-8").replace("GP01,", "GP99,"), encoding="utf-8")
    kb = KnowledgeBase.from_disk(tmp_path / "kb", load_tables(speakers, INSTITUTIONS))
    assert not kb.restored
    ids = [kb.person_ids[r] for r in kb.rows_of("賀俊", "PERSON")]
    assert "GP99" in ids and "GP01" not in ids


def test_large_tables_go_through_the_cache_folder(tmp_path, monkeypatch):
    from pipeline.kb import knowledge_base as kb_module
    from pipeline.kb.candidates import generator_for

    monkeypatch.setenv("HANLINK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(kb_module, "CACHE_MIN_ROWS", 0)
    tables = load_tables(SPEAKERS, INSTITUTIONS)
    first = generator_for(tables, 0.8)
    assert not first.kb.restored
    assert (tmp_path / "cache" / "kb" / tables.fingerprint() / "kb.npz").is_file()
    second = generator_for(load_tables(SPEAKERS, INSTITUTIONS), 0.8)
    assert second.kb.restored and second.has_fuzzy_index
    monkeypatch.setenv("HANLINK_CACHE", "0")
    assert kb_module.cache_folder(tables) is None


@pytest.mark.parametrize("name", ["賀俊", "蔣媛媛", "羅以洪", "吳敬璉", "张维迎", "周小川", "歐陽修", "曾國藩", "樂毅"])
def test_composed_keys_match_the_names_module(name):
    from pipeline.kb.aliases import han_fold
    from pipeline.names import keys
    from pipeline.names.zh import person_traditional

    reference = {normalize_key(k) for k in keys(name)} - ({normalize_key(person_traditional(name))} - {name})
    assert name_keys(name) == reference | {han_fold(name)}


def test_key_types():
    keys = typed_keys("賀俊")
    assert keys["賀俊"] is keys["贺俊"] is KeyType.WRITTEN
    assert (keys["허쥔"], keys["hejun"], keys["하준"]) == (KeyType.TRANSCRIPTION, KeyType.PINYIN, KeyType.READING)


def test_alias_views():
    tables = load_tables(SPEAKERS, INSTITUTIONS)
    assert tables.surface["PERSON"].get("하준") == ["GP26"]        # written: the Korean 하준 only
    assert tables.index["PERSON"]["하준"] == ["GP01", "GP26"]      # every form: also the reading of 賀俊
    assert "He Jun" in tables.index["PERSON"] and "Nobody" not in tables.index["PERSON"]
    assert tables.index["ORG"].get("상해사회과학원") == ["GI03"] and tables.surface["ORG"].get("상해사회과학원") is None
    with pytest.raises(TypeError):
        list(tables.index["PERSON"])


def test_korean_hanja_gives_no_mandarin_forms():
    tables = load_tables(SPEAKERS, INSTITUTIONS)
    assert tables.lookup("허쥔", "PERSON") == ["GP01"]   # not GP26, whose 河俊 would be 허쥔 in Mandarin
    assert tables.lookup("Ha Jun", "PERSON") == ["GP26"]
