"""pipeline.explore: mention tables, displaCy labels, look-ups across scripts, charts with CJK fonts."""
from __future__ import annotations

import json
import warnings

import matplotlib
import pytest

matplotlib.use("Agg")

import pipeline.explore as explore  # noqa: E402
from pipeline.explore import (FRAME_COLUMNS, compare, configure_fonts, entity_label, lookup,  # noqa: E402
                              missing_glyphs, plot_institutions, render, speaker_institutions, to_frame)
from pipeline.records import doc_record  # noqa: E402

TEXTS = {
    "a": "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다.",
    "b": "He Jun 주임은 말했다. 贺俊 주임도 참석했다.",
    "c": "천밍(陳明) 푸단대학교 경제학원 교수는 설명했다.",
}


@pytest.fixture(scope="module")
def docs(nlp):
    return {doc_id: nlp(text) for doc_id, text in TEXTS.items()}


@pytest.fixture(scope="module")
def records(docs):
    return [doc_record(doc, doc_id) for doc_id, doc in docs.items()]


def test_to_frame_from_docs_and_records(docs, records):
    frame = to_frame(docs)
    assert list(frame.columns) == FRAME_COLUMNS
    assert frame.equals(to_frame(records))
    first = frame.iloc[0]
    assert (first.doc_id, first.text, first.kb_id, first["name"], first.hanja, first.pinyin, first.title,
            first.affiliation_kb_id) == ("a", "허쥔", "P0002", "허쥔", "賀俊", "He Jun", "주임", "I0004")
    people = frame[frame.label == "PERSON"]
    assert set(people[people.doc_id == "b"]["name"]) == {"허쥔"}
    nil = people[people.doc_id == "c"].iloc[0]
    assert (nil.kb_id, nil["name"], nil.hanja) == ("", "", "陳明")      # NIL: empty strings, not NaN


def test_to_frame_inputs(docs, records, nlp, tmp_path):
    assert list(to_frame([docs["a"]]).doc_id.unique()) == ["doc1"]
    assert to_frame(records[0]).equals(to_frame({"a": docs["a"]}))
    assert to_frame({"x": TEXTS["a"]}, nlp=nlp).drop(columns="doc_id").equals(
        to_frame({"a": docs["a"]}).drop(columns="doc_id"))
    path = tmp_path / "out.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert to_frame(str(path)).equals(to_frame(records))
    assert to_frame([]).empty and list(to_frame([]).columns) == FRAME_COLUMNS
    with pytest.raises(TypeError):
        to_frame([42])


def test_entity_label():
    he_jun = {"label": "PERSON", "text": "허쥔", "kb_id": "P0002", "hanja": "賀俊"}
    assert entity_label(he_jun) == "PERSON P0002 賀俊"
    # no hanja in the text: the linked row's
    assert entity_label({"label": "PERSON", "text": "He Jun", "kb_id": "P0002", "hanja": None}) == "PERSON P0002 賀俊"
    assert entity_label({"label": "PERSON", "text": "賀俊", "kb_id": "P0002", "hanja": None}) == "PERSON P0002"
    assert entity_label({"label": "PERSON", "text": "천밍", "kb_id": None, "hanja": "陳明"}) == "PERSON NIL 陳明"
    assert entity_label({"label": "ORG", "text": "KIEP", "kb_id": "I0001"}) == "ORG I0001"


def test_render_labels_and_colours(docs, records):
    html = render(docs["a"], jupyter=False)
    assert "PERSON P0002 賀俊" in html and "ORG I0004" in html
    html = render(records, jupyter=False)
    assert "PERSON NIL 陳明" in html and html.count("<h2") == 3
    assert explore.COLORS["PERSON"] in html and explore.COLORS["PERSON NIL"] in html
    # overlapping spans (possible in hand-made records) are drawn once, the first and longest kept
    overlapping = {"id": "o", "text": "허쥔 주임", "entities": [
        {"start": 0, "end": 2, "label": "PERSON", "kb_id": "P0002"},
        {"start": 1, "end": 2, "label": "PERSON", "kb_id": None}]}
    assert render(overlapping, jupyter=False).count("<mark") == 1


@pytest.mark.parametrize("name", ["賀俊", "贺俊", "He Jun", "허쥔", "하준", "hejun"])
def test_lookup_every_script(name, records):
    rows, mentions = lookup(name, records)
    assert rows.speaker_id.tolist() == ["P0002"]
    # 허쥔(賀俊) is one mention (hanja 賀俊), not two
    assert set(mentions.text) == {"허쥔", "He Jun", "贺俊"}
    assert mentions[mentions.text == "허쥔"].hanja.tolist() == ["賀俊"]
    assert set(mentions.kb_id) == {"P0002"}


def test_lookup_person_not_in_tables(records):
    rows, mentions = lookup("Chen Ming", records)
    assert rows.empty and "speaker_id" in rows.columns
    assert set(mentions.text) >= {"천밍"} and set(mentions.doc_id) == {"c"}
    assert lookup("陈明", records).mentions.equals(mentions)


def test_lookup_tables_only_and_org(nlp):
    result = lookup("王喜文", nlp=nlp)
    assert result.rows.speaker_id.tolist() == ["P0004"] and result.mentions.empty
    assert lookup("CASS", label="ORG").rows.institution_id.tolist() == ["I0003"]
    assert lookup("中国社会科学院", label="ORG").rows.institution_id.tolist() == ["I0003"]
    assert lookup("없는사람").rows.empty


def test_speaker_institutions(records):
    frame = to_frame(records)
    pairs = speaker_institutions(frame)
    he_jun = pairs[pairs.speaker_id == "P0002"]
    # 허쥔(賀俊): once; He Jun and 贺俊 state no institution and get the table's (I0004)
    assert he_jun[["institution_id", "mentions"]].values.tolist() == [["I0004", 3]]
    assert he_jun.person.iloc[0] == "허쥔 賀俊"
    assert pairs[pairs.speaker_id == ""].institution.tolist() == ["푸단대학교 경제학원"]
    stated = speaker_institutions(frame, use_table=False)
    assert stated[stated.speaker_id == "P0002"].mentions.tolist() == [1]
    top = speaker_institutions(frame, level="top")
    assert top[top.speaker_id == "P0002"].institution_id.tolist() == ["I0003"]
    with pytest.raises(ValueError):
        speaker_institutions(frame, level="bottom")


def test_fonts_cover_the_names():
    families = configure_fonts()
    assert families[0] == "NanumGothic" and families[-1] == "DejaVu Sans"
    names = "양평섭 허쥔 賀俊 김상훈 왕시원 王喜文 양쥔 楊軍 장위안위안 蔣媛媛 루오이홍 羅以洪 김주혜 천밍 陳明"
    assert missing_glyphs(names) == []
    assert explore._displayable("贺俊") == "賀俊"             # simplified → traditional when the font lacks it


@pytest.mark.parametrize("kind", ["bar", "network"])
def test_plot_institutions_renders_hangul_and_hanja(kind, records, tmp_path):
    import matplotlib.pyplot as plt

    frame = to_frame(records)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*(missing from|findfont).*")
        ax = plot_institutions(frame, kind=kind)
        ax.figure.savefig(tmp_path / "plot.png", dpi=60)
    texts = [t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_yticklabels()]
    assert "허쥔 賀俊" in texts and "천밍 陳明" in texts
    assert any("공업경제연구소" in t for t in texts)
    plt.close(ax.figure)
    with pytest.raises(ValueError):
        plot_institutions(frame, kind="pie")


def test_plot_without_people():
    import matplotlib.pyplot as plt

    ax = plot_institutions(to_frame([{"id": "e", "text": "", "entities": []}]))
    assert ax.texts[0].get_text() == "no person with an institution"
    plt.close(ax.figure)


def test_compare_marks_mistakes():
    html = compare([{"id": "s1", "text": "허쥔은 KIEP에 갔다", "gold": [(0, 2, "PERSON"), (4, 8, "ORG")],
                     "predicted": [(0, 2, "PERSON"), (4, 9, "ORG")]}], jupyter=False)
    assert "ORG missed" in html and "ORG spurious" in html and "s1" in html
    assert html.count("PERSON<") == 2          # found in both columns, no mistake mark
