"""The shipped statistical model (models/hanlink_ner): loads, is small, finds people it never saw."""
from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.loader import SHIPPED_MODEL, shipped_model_path
from pipeline.paths import models_dir

MODEL = models_dir() / SHIPPED_MODEL


@pytest.fixture(scope="module")
def model_path():
    path = shipped_model_path()
    if path is None:
        pytest.fail(f"no trained model in {MODEL}: run `hanlink train`")
    return path


def test_model_is_small_and_labelled(model_path):
    size = sum(p.stat().st_size for p in model_path.rglob("*") if p.is_file())
    assert size < 50 * 1024 * 1024
    meta = json.loads((model_path / "meta.json").read_text(encoding="utf-8"))
    assert sorted(meta["labels"]["ner"]) == ["ORG", "PERSON"]
    assert meta["pipeline"] == ["tok2vec", "ner"]


def test_model_card_says_non_commercial(model_path):
    card = (model_path / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "NON-COMMERCIAL" in card and "MIT" in card and "hanlink train" in card


def test_spacy_load_brings_our_tokenizer(model_path):
    import pipeline  # noqa: F401  (registers hanlink.KoreanTokenizer.v1)
    from pipeline.tokenization.tokenizer import KoreanTokenizer

    nlp = spacy.load(model_path)
    assert isinstance(nlp.tokenizer, KoreanTokenizer) and nlp.tokenizer.backend_name == "mecab"
    doc = nlp("허쥔은 말했다")
    assert doc.text == "허쥔은 말했다" and [t.text for t in doc][:2] == ["허쥔", "은"]


def test_load_puts_the_model_between_rules_and_merge(nlp):
    names = nlp.pipe_names
    assert names.index("hanlink_rules") < names.index("hanlink_model") < names.index("hanlink_merge")
    # the trained components stay in the pipeline (saved with it) but run through hanlink_model
    assert nlp.disabled == ["tok2vec", "ner"]


ARTICLE = ("배우 정하늘은 어제 서울에서 열린 시상식에서 신인상을 받았다. 박서진 감독은 새 영화의 촬영을 마쳤다고 밝혔다.\n"
           "한빛전자는 올해 매출이 크게 늘었다고 발표했다.\n")


def _model_entities(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents if e._.source == "ner"]


def test_a_long_document_is_annotated_in_pieces_like_its_parts(nlp):
    """Long documents go through the model piece by piece (memory stays flat); each piece is
    annotated as the same text alone would be."""
    from pipeline.recognition.model_runner import piece_bounds

    runner = nlp.get_pipe("hanlink_model")
    text = ARTICLE * 100
    doc = nlp.make_doc(text)
    assert len(doc) > runner.max_tokens
    pieces = piece_bounds(doc, runner.max_tokens)
    assert len(pieces) >= 2 and all(b - a <= runner.max_tokens for a, b in pieces)
    assert all("\n" in doc[b - 1].text_with_ws or doc[b - 1].tag_ == "SF" for a, b in pieces[:-1])
    whole = nlp(text)
    one = nlp(ARTICLE)
    expected = [(s + k * len(ARTICLE), e + k * len(ARTICLE), label)
                for k in range(100) for s, e, label in _model_entities(one)]
    assert _model_entities(whole) == expected
    assert ("정하늘", "PERSON") in [(e.text, e.label_) for e in whole.ents][:3]


FIVE_MB_LINE = "허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 말했다.\n"


@Language.component("spy_statistical")
def spy_statistical(piece: Doc) -> Doc:
    """Stands in for tok2vec/ner: records the length of what it is given and marks its first token."""
    SPY_LENGTHS.append(len(piece))
    piece.ents = [Span(piece, 0, 1, label="PERSON")]
    return piece


SPY_LENGTHS: list[int] = []


def repeated_doc(vocab_nlp, line: str, copies: int) -> Doc:
    """``line`` × ``copies`` as a Doc, built from one tokenized copy (seconds, where tokenizing 5 MB takes minutes)."""
    one = vocab_nlp(line)
    return Doc(vocab_nlp.vocab, words=[t.text for t in one] * copies,
               spaces=[bool(t.whitespace_) for t in one] * copies, tags=[t.tag_ for t in one] * copies)


def test_a_five_megabyte_document_reaches_the_model_in_bounded_pieces():
    """The 5 MB guarantee at the component level, in seconds: the statistical components (whose memory
    grows with what they are given, ~1 GB per 100,000 characters) never see more than ``max_tokens``
    tokens at once. ``piece_bounds`` cuts a 5 MB document into such pieces at line ends, and
    ``hanlink_model`` gives its components exactly those pieces and puts their entities back at the right
    offsets (shown on a twentieth of it). The end-to-end run of a large document is in test_batch.py."""
    from pipeline.recognition.model_runner import ModelRunner, piece_bounds
    from pipeline.tokenization.tokenizer import make_nlp

    nlp = make_nlp()
    copies = 5_000_000 // len(FIVE_MB_LINE.encode("utf-8")) + 1
    doc = repeated_doc(nlp, FIVE_MB_LINE, copies)
    assert len(doc.text.encode("utf-8")) >= 5_000_000 and doc.text == FIVE_MB_LINE * copies
    bounds = piece_bounds(doc, 2000)
    assert max(end - start for start, end in bounds) <= 2000
    assert bounds[0][0] == 0 and bounds[-1][1] == len(doc) and all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(doc[end - 1].text == "\n" for _, end in bounds[:-1])             # cut at line ends

    part = repeated_doc(nlp, FIVE_MB_LINE, copies // 20)
    nlp.add_pipe("spy_statistical")
    runner = ModelRunner(nlp, components=["spy_statistical"], max_tokens=2000)
    SPY_LENGTHS.clear()
    runner(part)
    assert SPY_LENGTHS == [end - start for start, end in piece_bounds(part, 2000)]
    assert [e.start for e in part.ents] == [start for start, _ in piece_bounds(part, 2000)]


def test_piece_bounds_cut_hard_when_no_sentence_ends(nlp):
    from pipeline.recognition.model_runner import piece_bounds

    doc = nlp.make_doc("가나다 " * 50)
    bounds = piece_bounds(doc, 7)
    assert bounds[0] == (0, 7) and bounds[-1][1] == len(doc)
    assert all(b1 == a2 for (_, b1), (a2, _) in zip(bounds, bounds[1:]))
    with pytest.raises(ValueError):
        piece_bounds(doc, 0)


# Sentences written for this test (not from any corpus): the model must find the
# people and organisations without the rules or the tables knowing them.
@pytest.mark.parametrize("text,expected", [
    ("배우 정하늘은 어제 서울에서 열린 시상식에서 신인상을 받았다.", ("정하늘", "PERSON")),
    ("박서진 감독은 새 영화의 촬영을 마쳤다고 밝혔다.", ("박서진", "PERSON")),
    ("한빛전자는 올해 매출이 크게 늘었다고 발표했다.", ("한빛전자", "ORG")),
])
def test_model_finds_unseen_names(nlp, text, expected):
    doc = nlp(text)
    found = [(e.text, e.label_) for e in doc.ents]
    assert expected in found
    ent = next(e for e in doc.ents if (e.text, e.label_) == expected)
    assert ent._.source == "ner"


def test_rules_still_win_over_the_model(nlp):
    doc = nlp("허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은 강조했다.")
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert [(e.text, e._.hanja, e.kb_id_) for e in people] == [("허쥔", "賀俊", "P0002")]
