"""The assembled pipeline: saving and loading, multiprocessing, other tables."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
import spacy

import pipeline

TEXT = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 말했다. 양쥔(楊軍) 알리클라우드 연구센터 전략디렉터는 설명했다."


def summary(doc):
    return [(e.start_char, e.end_char, e.label_, e.kb_id_, e._.hanja, e._.title, e._.score,
             (e._.affiliation or {}).get("kb_id"), tuple(sorted((e._.forms or {}).items()))) for e in doc.ents]


def test_pipe_names(nlp):
    assert nlp.pipe_names[0] == "hanlink_rules"
    assert nlp.pipe_names[-4:] == ["hanlink_merge", "hanlink_roles", "hanlink_linker", "hanlink_forms"]


def test_to_disk_and_spacy_load_in_a_fresh_process(nlp, tmp_path):
    nlp.to_disk(tmp_path / "saved")
    assert (tmp_path / "saved" / "hanlink_linker" / "speakers.csv").is_file()
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]); "
        "doc = nlp('허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은'); "
        "print([(e.text, e.kb_id_) for e in doc.ents])"
    )
    # no `import pipeline`: the factories and the tokenizer come from the package's entry points
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "saved")], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('허쥔', 'P0002'), ('중국사회과학원', 'I0003'), ('공업경제연구소', 'I0004')]"


def test_saved_pipeline_needs_none_of_the_files_it_was_built_from(tmp_path):
    """Issue 13's bug: the table paths given to load() used to be written into the saved config,
    so spacy.load failed once they were deleted although the tables were saved inside the folder."""
    import shutil

    from pipeline.paths import data_path

    tables = tmp_path / "tables"
    tables.mkdir()
    shutil.copy(data_path("institutions.csv"), tables / "institutions.csv")
    speakers = data_path("speakers.csv").read_text(encoding="utf-8").rstrip("\n")
    (tables / "speakers.csv").write_text(speakers + "\nP0777,쑨밍하오,孫明浩,孙明浩,Sun Minghao,,I0003,부소장,CN,\n",
                                         encoding="utf-8")
    built = pipeline.load(speakers=tables / "speakers.csv", institutions=tables / "institutions.csv",
                          use_model=False)
    built.to_disk(tmp_path / "saved")
    shutil.rmtree(tables)
    config = (tmp_path / "saved" / "config.cfg").read_text(encoding="utf-8")
    assert str(tables) not in config
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]); "
        "doc = nlp('쑨밍하오(孫明浩) 중국사회과학원 부소장은 말했다.'); "
        "print([(e.text, e.kb_id_) for e in doc.ents if e.label_ == 'PERSON'])"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "saved")], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('쑨밍하오', 'P0777')]"


def test_components_declare_what_they_need_and_set(nlp):
    analysis = nlp.analyze_pipes(pretty=False)
    assert all(not problems for problems in analysis["problems"].values()), analysis["problems"]
    assert "doc.ents" in analysis["summary"]["hanlink_merge"]["assigns"]
    assert "token.ent_kb_id" in analysis["summary"]["hanlink_forms"]["requires"]  # forms come after linking
    assert "span._.hanja" not in analysis["summary"]["hanlink_linker"]["assigns"]  # one owner of hanja


def test_saved_tables_travel_with_the_pipeline(nlp, tmp_path):
    nlp.to_disk(tmp_path / "saved")
    # edit the saved copy: the reloaded pipeline must use it, not data/
    speakers = tmp_path / "saved" / "hanlink_linker" / "speakers.csv"
    speakers.write_text(speakers.read_text(encoding="utf-8").replace("P0002,", "P9999,"), encoding="utf-8")
    reloaded = spacy.load(tmp_path / "saved")
    [person] = [e for e in reloaded("허쥔(賀俊) 주임은").ents if e.label_ == "PERSON"]
    assert person.kb_id_ == "P9999"


def test_doc_pickles_with_extensions(nlp):
    doc = nlp(TEXT)
    again = pickle.loads(pickle.dumps(doc))
    assert summary(again) == summary(doc)


def test_pipe_with_two_processes_matches_one(nlp):
    texts = [TEXT, "김상훈 산업연구원 해외산업연구실장은 예측했다.", "KIEP", TEXT[:30]] * 3
    single = [summary(doc) for doc in nlp.pipe(texts)]
    double = [summary(doc) for doc in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert double == single
    assert any(single)


def test_other_tables(tmp_path):
    (tmp_path / "i.csv").write_text(
        "institution_id,name,original,abbreviation,aliases,parent_id,country,note\n"
        "X1,푸단대학교,复旦大学,,푸단대,,CN,\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text(
        "speaker_id,name,hanja,simplified,latin,aliases,institution_id,title,country,note\n"
        "S1,천밍,陳明,陈明,Chen Ming,,X1,교수,CN,\n", encoding="utf-8")
    nlp = pipeline.load(speakers=tmp_path / "s.csv", institutions=tmp_path / "i.csv")
    doc = nlp("천밍(陳明) 푸단대학교 교수는 말했다. 허쥔(賀俊) 주임도 왔다.")
    ids = {e.text: e.kb_id_ for e in doc.ents}
    assert ids == {"천밍": "S1", "푸단대학교": "X1", "허쥔": ""}


@pytest.mark.parametrize("text, mention", [("贺俊 주임은 말했다.", "贺俊"), ("習近平 주석은 말했다.", "習近平")])
def test_a_mention_written_in_hanja_is_its_own_hanja(nlp, text, mention):
    ent = next(e for e in nlp(text).ents if e.text == mention)
    assert ent._.hanja == mention
    assert ent._.forms["pinyin"] in ("He Jun", "Xi Jinping")
    assert ent._.forms["hangul"] in ("허쥔", "시진핑")
