"""Mention replacement for the training data (pipeline/training/augment.py), on hand-written sentences."""
from __future__ import annotations

import pytest

from pipeline.training.augment import final_class, replace_mentions
from pipeline.training.corpora import Sentence

SENTENCES = [
    Sentence("a:1", "허쥔은 중국사회과학원에서 왕이를 만났다.", [(0, 2, "PERSON"), (4, 11, "ORG"), (14, 16, "PERSON")], "kmou"),
    Sentence("a:2", "김상훈 산업연구원 실장과 박상훈 씨가 서울로 갔다.", [(0, 3, "PERSON"), (4, 9, "ORG"), (14, 17, "PERSON")], "kmou"),
    Sentence("a:3", "Chen Ming 교수와 KBS 기자가 왔다.", [(0, 9, "PERSON"), (14, 17, "ORG")], "kmou"),
    Sentence("a:4", "아무 이름도 없는 문장이다.", [], "kmou"),
    Sentence("a:5", "구이저우성사회과학원으로 갔다.", [(0, 10, "ORG")], "kmou"),
]


def test_the_fixture_spans_are_the_names():
    assert [[s.text[a:b] for a, b, _ in s.spans] for s in SENTENCES] == [
        ["허쥔", "중국사회과학원", "왕이"], ["김상훈", "산업연구원", "박상훈"], ["Chen Ming", "KBS"], [],
        ["구이저우성사회과학원"]]


def outside(sentence: Sentence) -> list[str]:
    """The text between and around the mentions."""
    pieces, position = [], 0
    for start, end, _ in sentence.spans:
        pieces.append(sentence.text[position:start])
        position = end
    return pieces + [sentence.text[position:]]


def test_final_class():
    assert [final_class(w) for w in ("허쥔", "왕이", "서울", "KBS", "")] == ["C", "V", "L", None, None]


@pytest.mark.parametrize("seed", range(5))
def test_replacements_keep_the_rest_of_the_sentence_and_the_particles_right(seed):
    originals = {s.id: s for s in SENTENCES}
    out = replace_mentions(SENTENCES, copies=2, seed=seed)
    assert out, "every sentence with a Hangul mention gives new sentences"
    for new in out:
        base = originals[new.id.split("#")[0]]
        assert new.id.startswith(base.id + "#aug")
        assert outside(new) == outside(base)  # particles, spaces and other words untouched
        assert [label for *_, label in new.spans] == [label for *_, label in base.spans]
        for (s0, e0, label), (s1, e1, _) in zip(base.spans, new.spans):
            old, replacement = base.text[s0:e0], new.text[s1:e1]
            assert replacement.strip() == replacement and replacement
            if final_class(old) is None or (label == "PERSON" and not old.isalpha()):
                continue
            # 허쥔은 stays with a name ending in a consonant, 왕이를 with a vowel, 서울로 with ㄹ
            assert final_class(replacement) == final_class(old), (old, replacement)


def test_latin_person_names_are_kept_and_a_sentence_without_mentions_gives_nothing():
    out = replace_mentions(SENTENCES, copies=3, seed=1)
    for new in out:
        if new.id.startswith("a:3#"):
            start, end, _ = new.spans[0]
            assert new.text[start:end] == "Chen Ming"
    assert not [s for s in out if s.id.startswith("a:4#")]


def test_replacement_is_seeded():
    first = [(s.id, s.text) for s in replace_mentions(SENTENCES, copies=2, seed=7)]
    again = [(s.id, s.text) for s in replace_mentions(SENTENCES, copies=2, seed=7)]
    other = [(s.id, s.text) for s in replace_mentions(SENTENCES, copies=2, seed=8)]
    assert first == again
    assert first != other


def test_new_names_appear():
    names = {new.text[a:b] for new in replace_mentions(SENTENCES * 20, copies=2, seed=0)
             for a, b, label in new.spans if label == "PERSON"}
    assert names - {"허쥔", "왕이", "김상훈", "박상훈", "Chen Ming"}, "names other than the training ones"


def test_copies_must_not_be_negative():
    assert replace_mentions(SENTENCES, copies=0) == []
    with pytest.raises(ValueError, match="copies"):
        replace_mentions(SENTENCES, copies=-1)


def test_prepare_data_augments_only_the_training_split(tmp_path):
    """``hanlink train --augment 1`` on a tiny hand-made kmou-ner folder: dev and test stay as read."""
    import json

    from spacy.tokens import DocBin

    from pipeline.training.train import prepare_data
    from pipeline.tokenization.tokenizer import make_nlp

    root = tmp_path / "kmou-ner"
    (root / "corpus").mkdir(parents=True)
    (root / "2016klp").mkdir()

    def klp(raw: str, tagged: str) -> str:
        return f"; {raw}\n${tagged}\n1\t{raw[0]}\tNNP\tO\n\n"

    (root / "2016klp" / "ner.train").write_text(
        klp("나도 홍길동이보다는 한국은행을 믿는다.", "나도 <홍길동:PS>이보다는 <한국은행:OG>을 믿는다.")
        + klp("김상훈 씨가 왔다.", "<김상훈:PS> 씨가 왔다."), encoding="utf-8")
    (root / "2016klp" / "ner.dev").write_text(klp("박상훈 씨가 갔다.", "<박상훈:PS> 씨가 갔다."), encoding="utf-8")
    (root / "2016klp" / "ner.test").write_text(klp("이상훈 씨가 갔다.", "<이상훈:PS> 씨가 갔다."), encoding="utf-8")
    out = tmp_path / "build"
    info = prepare_data(out, kmou_root=root, augment=2, seed=3)
    added = info["augmented_sentences"]
    assert info["settings"]["augment"] == 2 and 1 <= added <= 4  # a copy that drew the same names is dropped
    counts = {split: len(list(DocBin().from_disk(out / f"{split}.spacy").get_docs(make_nlp().vocab)))
              for split in ("train", "dev", "test")}
    assert counts == {"train": 2 + added, "dev": 1, "test": 1}
    assert [json.loads(line)["text"] for line in (out / "dev.jsonl").open(encoding="utf-8")] == ["박상훈 씨가 갔다."]
    # without --augment the same folder is converted anew (the settings differ), with the original two
    plain = prepare_data(out, kmou_root=root)
    assert "augment" not in plain["settings"] and plain["splits"]["train"]["sentences"] == 2
