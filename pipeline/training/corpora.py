"""Readers of the NER corpora: raw text plus character-offset PERSON/ORG spans.

Corpora (in ``../shared/data``, never copied into the repository):

``kmou-ner/corpus/*.txt`` (KMOU, non-commercial use only)
    Blocks separated by blank lines: ``## N``, ``## <raw text>``,
    ``## <tagged text>`` with inline ``<surface:LABEL>`` tags, then morpheme
    rows. Labels PER ORG LOC POH DAT TIM DUR MNY PNT NOH.
``kmou-ner/2016klp/ner.{train,dev,test}`` (KMOU, 2016 Korean NLP contest)
    Blocks: ``; <raw text>``, ``$<tagged text>``, then rows. Labels PS OG LC DT
    TI. (``2016klp/original/`` has the morpheme rows only, without the raw
    text, so offsets cannot be recovered from it: it is not used.)
``klue-ner/klue-ner-v1.1_dev.tsv`` (KLUE, CC BY-SA 4.0; **evaluation only**)
    One character per row with a BIO tag; each sentence starts with
    ``## klue-ner-v1_dev_00000-wikitree<TAB><tagged text>``. The rows, not the
    tagged header, are the truth (a few headers are malformed).

Offsets come from the inline tags checked against the raw text (the morpheme
rows of KMOU are the authors' analyser's, not ours). Labels: PER/PS → PERSON,
ORG/OG → ORG; the others are dropped.

The product's definition of PERSON and ORG (:func:`apply_definition`,
documented in ``models/hanlink_ner/MODEL_CARD.md``):

* PERSON is a person's name as written, without 모 ("a certain"): KMOU writes
  ``<김모:PER>``, the product (and KLUE) ``<김:PS>모``.
* ``이름(漢字)`` is one PERSON mention (the hanja is its ``hanja``), so KMOU's
  second PERSON span inside the parentheses is dropped.
* ORG is a named institution, company, party, team or other organised body.
  A country or its one-syllable abbreviation (``<일본:ORG> 사회``, ``<북:ORG>``)
  is a place, not an institution, and a generic noun for a kind of authority
  (정부, 경찰, 검찰, 당국, 재판부) names no particular body: such KMOU ORG spans
  are dropped (made O, so the model learns not to tag them).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from pipeline.errors import HanlinkError
from pipeline.paths import shared_dir
from pipeline.records import iter_records

__all__ = [
    "LABEL_MAP",
    "LABELS",
    "Sentence",
    "ReadStats",
    "parse_inline",
    "read_kmou_corpus",
    "read_klp",
    "read_klue",
    "read_jsonl_gold",
    "apply_definition",
    "is_country",
    "kmou_splits",
    "is_dev_file",
]

LABELS = ("PERSON", "ORG")
LABEL_MAP = {"PER": "PERSON", "PS": "PERSON", "ORG": "ORG", "OG": "ORG"}
"""Corpus label → product label; labels not listed are dropped."""

KMOU_CORPUS_LABELS = ("PER", "ORG", "LOC", "POH", "DAT", "TIM", "DUR", "MNY", "PNT", "NOH")
KLP_LABELS = ("PS", "OG", "LC", "DT", "TI")
KLUE_LABELS = ("PS", "OG", "LC", "DT", "TI", "QT")

DEV_FILE_PERCENT = 5
"""Share of the KMOU corpus files (by a hash of the file name) held out for model selection."""

Span = tuple[int, int, str]


@dataclass
class Sentence:
    """One sentence (or document) with gold spans.

    Attributes
    ----------
    id : str
        ``file:block`` for KMOU, the sentence id for KLUE, ``id`` for JSONL.
    text : str
        The raw text; ``text[start:end]`` is each span's surface.
    spans : list of (start, end, label)
        Product labels (PERSON, ORG), sorted.
    source : str
        ``kmou``, ``2016klp``, ``wikitree``, ``nsmc``, ``jsonl``.
    kb_ids : dict
        ``(start, end, label) → kb_id`` for JSONL gold that gives ``kb_id`` (None = NIL).
    """

    id: str
    text: str
    spans: list[Span]
    source: str
    kb_ids: dict[Span, str | None] = field(default_factory=dict)


@dataclass
class ReadStats:
    """What a reader saw: sentences, spans kept by label, spans it could not place."""

    sentences: int = 0
    spans: Counter = field(default_factory=Counter)
    failures: int = 0
    failure_examples: list[str] = field(default_factory=list)

    def fail(self, where: str, message: str) -> None:
        self.failures += 1
        if len(self.failure_examples) < 10:
            self.failure_examples.append(f"{where}: {message}")

    def as_dict(self) -> dict:
        return {"sentences": self.sentences, "spans": dict(self.spans), "failures": self.failures,
                "failure_examples": self.failure_examples}


class InlineTagError(HanlinkError, ValueError):
    """A tagged sentence does not match its raw text."""


def _tag_pattern(labels: Sequence[str], nested: bool = False) -> re.Pattern:
    alternatives = "|".join(sorted(labels, key=len, reverse=True))
    surface = r"(?:[^<>]|<[^<>:]*>)+" if nested else r"[^<>]+"
    return re.compile(rf"<({surface}):({alternatives})>")


def parse_inline(raw: str, tagged: str, labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans of the inline ``<surface:LABEL>`` tags of *tagged*, as offsets into *raw*.

    The tags are removed from *tagged*; the result must equal *raw*, which
    makes every offset exact. A surface may contain ``:`` (``<01:23:39:TI>``)
    and, on a second try, a bracketed token (``<<2>:NOH>``).

    Parameters
    ----------
    raw : str
        The untagged sentence.
    tagged : str
        The same sentence with inline tags.
    labels : sequence of str
        The corpus's labels (anything else in angle brackets is text).

    Returns
    -------
    list of (start, end, corpus label)

    Raises
    ------
    InlineTagError
        When the tagged text without its tags is not *raw*.

    Examples
    --------
    >>> parse_inline("허쥔은 갔다", "<허쥔:PER>은 갔다", ["PER"])
    [(0, 2, 'PER')]
    """
    for nested in (False, True):
        pattern = _tag_pattern(labels, nested)
        spans: list[tuple[int, int, str]] = []
        pieces: list[str] = []
        length = 0
        pos = 0
        for match in pattern.finditer(tagged):
            before = tagged[pos:match.start()]
            pieces.append(before)
            length += len(before)
            surface = match.group(1)
            spans.append((length, length + len(surface), match.group(2)))
            pieces.append(surface)
            length += len(surface)
            pos = match.end()
        pieces.append(tagged[pos:])
        if "".join(pieces) == raw:
            for start, end, _ in spans:
                if start >= end:
                    raise InlineTagError(f"empty tag in {tagged!r}")
            return spans
    raise InlineTagError(f"the tagged text does not reduce to the raw text: {tagged[:80]!r} vs {raw[:80]!r}")


def _product_spans(spans: Iterable[tuple[int, int, str]], stats: ReadStats | None) -> list[Span]:
    out = []
    for start, end, label in spans:
        mapped = LABEL_MAP.get(label)
        if mapped:
            out.append((start, end, mapped))
            if stats is not None:
                stats.spans[mapped] += 1
    return sorted(out)


def _tagged_sentence(sentence_id: str, raw: str, tagged: str, labels: Sequence[str], source: str,
                     stats: ReadStats | None) -> Sentence | None:
    """The sentence of a raw line and its inline-tagged twin, or None (counted as a failure) when they disagree."""
    try:
        spans = parse_inline(raw, tagged, labels)
    except InlineTagError as exc:
        if stats is not None:
            stats.fail(sentence_id, str(exc))
        return None
    if stats is not None:
        stats.sentences += 1
    return Sentence(sentence_id, raw, _product_spans(spans, stats), source)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise HanlinkError(f"cannot read {path}: {exc}") from exc


def _blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, lines)`` of the blank-line separated blocks of *text*."""
    lines = text.split("\n")
    block: list[str] = []
    first = 1
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not block:
                first = number
            block.append(line.rstrip("\r"))
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def parse_kmou_corpus_text(text: str, name: str, stats: ReadStats | None = None) -> Iterator[Sentence]:
    """Sentences of one KMOU corpus file's content (see the module docstring)."""
    for line_no, block in _blocks(text):
        headers = [line[3:] for line in block if line.startswith("## ")]
        if len(headers) < 3:
            if stats is not None and headers:
                stats.fail(f"{name}:{line_no}", "a block without the raw and tagged lines")
            continue
        sentence = _tagged_sentence(f"{name}:{line_no}", headers[1], headers[2], KMOU_CORPUS_LABELS, "kmou", stats)
        if sentence is not None:
            yield sentence


def read_kmou_corpus(folder: str | Path | None = None, files: Iterable[str | Path] | None = None,
                     stats: ReadStats | None = None) -> Iterator[Sentence]:
    """Sentences of the KMOU corpus files (``kmou-ner/corpus/*.txt``), sorted by file name.

    Parameters
    ----------
    folder : path, optional
        Default ``../shared/data/kmou-ner/corpus``.
    files : paths, optional
        Read only these files.
    stats : ReadStats, optional
        Filled with counts and failures.
    """
    if files is None:
        folder = Path(folder) if folder else shared_dir() / "data" / "kmou-ner" / "corpus"
        if not folder.is_dir():
            raise HanlinkError(f"{folder} is not a folder: give the KMOU corpus folder (kmou-ner/corpus)")
        files = sorted(folder.glob("*.txt"))
    for path in files:
        path = Path(path)
        yield from parse_kmou_corpus_text(_read_text(path), path.name, stats)


def parse_klp_text(text: str, name: str, stats: ReadStats | None = None) -> Iterator[Sentence]:
    """Sentences of one 2016klp file's content (``; raw`` / ``$tagged`` / rows)."""
    for line_no, block in _blocks(text):
        raws = [line[2:] for line in block if line.startswith("; ")]
        tags = [line[1:] for line in block if line.startswith("$")]
        if len(raws) != 1 or len(tags) != 1:
            if stats is not None:
                stats.fail(f"{name}:{line_no}", "a block without exactly one '; ' and one '$' line")
            continue
        sentence = _tagged_sentence(f"{name}:{line_no}", raws[0], tags[0], KLP_LABELS, "2016klp", stats)
        if sentence is not None:
            yield sentence


def read_klp(path: str | Path, stats: ReadStats | None = None) -> Iterator[Sentence]:
    """Sentences of a 2016klp file (``kmou-ner/2016klp/ner.train`` …)."""
    path = Path(path)
    yield from parse_klp_text(_read_text(path), path.name, stats)


_KLUE_HEADER = re.compile(r"^## (\S+)\t")


def parse_klue_text(text: str, stats: ReadStats | None = None) -> Iterator[Sentence]:
    """Sentences of KLUE-NER TSV content (per-character BIO rows)."""
    sentence_id: str | None = None
    chars: list[str] = []
    tags: list[str] = []
    line_no = 0

    def flush() -> Sentence | None:
        if sentence_id is None:
            return None
        text = "".join(chars)
        spans: list[tuple[int, int, str]] = []
        start = label = None
        for i, tag in enumerate(tags + ["O"]):
            prefix, _, kind = tag.partition("-")
            if label is not None and (prefix != "I" or kind != label):
                spans.append((start, i, label))
                label = None
            if prefix == "B" or (prefix == "I" and label is None and kind):
                start, label = i, kind
        if stats is not None:
            stats.sentences += 1
        source = sentence_id.rsplit("-", 1)[-1] if "-" in sentence_id else "klue"
        return Sentence(sentence_id, text, _product_spans(spans, stats), source)

    for line_no, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if line.startswith("## "):
            header = _KLUE_HEADER.match(line)
            if header is None:
                continue  # the file's header comments (## 토큰, 레이블 구분자 : ...)
            head = header.group(1)
            done = flush()
            if done is not None:
                yield done
            sentence_id, chars, tags = head, [], []
            continue
        if not line:
            continue
        char, tab, tag = line.rpartition("\t")
        if not tab or len(char) != 1:
            if stats is not None:
                stats.fail(f"line {line_no}", f"not a CHAR<TAB>TAG row: {line!r}")
            continue
        chars.append(char)
        tags.append(tag)
    done = flush()
    if done is not None:
        yield done


def read_klue(path: str | Path | None = None, stats: ReadStats | None = None) -> Iterator[Sentence]:
    """Sentences of KLUE-NER TSV (default: ``../shared/data/klue-ner/klue-ner-v1.1_dev.tsv``).

    KLUE is **evaluation only** in hanlink: nothing is trained, tuned or chosen on it.
    ``Sentence.source`` is ``wikitree`` or ``nsmc`` (from the sentence id).
    """
    path = Path(path) if path else shared_dir() / "data" / "klue-ner" / "klue-ner-v1.1_dev.tsv"
    yield from parse_klue_text(_read_text(path), stats)


def read_jsonl_gold(path: str | Path, stats: ReadStats | None = None) -> Iterator[Sentence]:
    """Gold in the shape of ``hanlink annotate`` output: ``{"id", "text", "entities": [{start, end, label, kb_id?}]}``.

    Read with :func:`pipeline.records.iter_records` (a line without ``id`` gets
    ``FILE:LINE``). An optional ``source`` field is kept (``Sentence.source``, for
    ``--by-source``).

    Raises
    ------
    HanlinkError
        On a line that is not such an object, or an entity outside the text.
    """
    path = Path(path)
    for line_no, record, _ in iter_records(path, require_id=False):
        text = record.get("text")
        if not isinstance(text, str):
            raise HanlinkError(f"{path}, line {line_no}: no 'text'; a gold object needs the text and its entities "
                               "[{start, end, label}]")
        spans: list[Span] = []
        kb_ids: dict[Span, str | None] = {}
        for ent in record["entities"]:
            span = (ent["start"], ent["end"], LABEL_MAP.get(ent["label"], ent["label"]))
            spans.append(span)
            if "kb_id" in ent:
                kb_ids[span] = ent["kb_id"]
        if stats is not None:
            stats.sentences += 1
            stats.spans.update(label for _, _, label in spans)
        yield Sentence(record["id"], text, sorted(spans), str(record.get("source") or "jsonl"), kb_ids)


# --- the product's definition of PERSON and ORG -----------------------------------------------

COUNTRIES: frozenset[str] = frozenset("""
한국 대한민국 남한 북한 미국 중국 일본 러시아 소련 영국 프랑스 독일 서독 동독 이탈리아 스페인 포르투갈 네덜란드
벨기에 스위스 오스트리아 스웨덴 노르웨이 덴마크 핀란드 아일랜드 아이슬란드 그리스 터키 튀르키예 폴란드 체코 슬로바키아
헝가리 루마니아 불가리아 세르비아 크로아티아 보스니아 슬로베니아 알바니아 우크라이나 벨라루스 몰도바 조지아 그루지야
아르메니아 아제르바이잔 카자흐스탄 우즈베키스탄 키르기스스탄 타지키스탄 투르크메니스탄 몽골 대만 타이완 홍콩 마카오
베트남 태국 타이 캄보디아 라오스 미얀마 버마 말레이시아 싱가포르 인도네시아 필리핀 브루나이 동티모르 인도 파키스탄
방글라데시 스리랑카 네팔 부탄 아프가니스탄 이란 이라크 시리아 레바논 요르단 이스라엘 팔레스타인 사우디 사우디아라비아
쿠웨이트 카타르 바레인 오만 예멘 아랍에미리트 이집트 리비아 튀니지 알제리 모로코 수단 남수단 에티오피아 소말리아 케냐
탄자니아 우간다 르완다 나이지리아 가나 세네갈 말리 니제르 차드 카메룬 콩고 앙골라 잠비아 짐바브웨 모잠비크
남아공 남아프리카공화국 마다가스카르 코트디부아르 라이베리아 시에라리온 기니 캐나다 멕시코 쿠바 과테말라 온두라스
니카라과 코스타리카 파나마 콜롬비아 베네수엘라 에콰도르 페루 볼리비아 칠레 아르헨티나 우루과이 파라과이 브라질
호주 오스트레일리아 뉴질랜드 피지 아이티 자메이카 도미니카 바티칸 모나코 룩셈부르크 리투아니아 라트비아 에스토니아
유고 유고슬라비아 체첸 코소보 유럽 아시아 아프리카 중동 서방 중화인민공화국 중화민국 조선민주주의인민공화국 북조선 한반도
미 중 일 북 남 한 러 영 독 불 이 호 대 인 日 中 美 韓 北 英 獨 佛 露
남북 한미 한일 한중 북미 미중 미일 중일 북일 북중 미러 한러 중러 한미일 한중일 북중러 남북한 미북
""".split())
"""Countries, their one-syllable abbreviations and pairs (한미, 남북): places, not institutions."""


GENERIC_ORGS: frozenset[str] = frozenset("""
정부 중앙정부 지방정부 연방정부 경찰 검찰 법원 재판부 당국 군 여당 야당 여 야 여야 노 사 노사 노조 경찰당국 검찰당국 사법당국 금융당국
보건당국 방역당국 교육당국 소방당국 수사당국 외교당국 군당국 정치권 학교 회사 교회
""".split())
"""Common nouns that KMOU tags ORG only now and then (정부: 76 of about 350 occurrences in train):
a kind of authority, not a named institution."""


def is_generic_org(surface: str) -> bool:
    """True when *surface* is a generic reference to a kind of organisation (정부, 경찰, 당국).

    >>> is_generic_org("경찰"), is_generic_org("서울지방경찰청")
    (True, False)
    """
    return surface.strip() in GENERIC_ORGS


def is_country(surface: str) -> bool:
    """True when *surface* names a country (or a pair of them), not an institution.

    >>> is_country("일본"), is_country("한미"), is_country("한·중"), is_country("일본은행")
    (True, True, True, False)
    """
    surface = surface.strip()
    if surface in COUNTRIES:
        return True
    parts = [part for part in _COUNTRY_SEPARATORS.split(surface) if part]
    return len(parts) > 1 and all(part in COUNTRIES for part in parts)


_COUNTRY_SEPARATORS = re.compile(r"[·ㆍ\-–,/ ]+")
_MO = re.compile(r"^([가-힣]|[A-Z]|남궁|제갈|선우|독고|황보|사공|서문|동방)\s?모$")


def apply_definition(sentence: Sentence, counts: Counter | None = None) -> Sentence:
    """The sentence with the product's PERSON/ORG definition applied (a new object).

    * a PERSON in parentheses right after a PERSON (``허쥔(賀俊)``, ``(王明·58)``) is
      part of that mention (its ``hanja``), not a second entity: dropped.
    * ``김모`` / ``김 모`` / ``A모`` (PERSON: a surname or a letter + 모) → ``김``: 모 is not part
      of a name. Names ending in 모 (김건모, 유영모) are kept.
    * an ORG span that is a country (:func:`is_country`) or a generic noun
      for a kind of authority (:func:`is_generic_org`: 정부, 경찰, 당국) is dropped.

    *counts* receives ``person_mo_stripped``, ``org_country_dropped`` and ``org_generic_dropped``.
    """
    spans: list[Span] = []
    text = sentence.text
    for start, end, label in sentence.spans:
        surface = text[start:end]
        if label == "PERSON" and spans and spans[-1][2] == "PERSON" and text[spans[-1][1]:start] in ("(", "（") \
                and text[end:end + 1] in (")", "）", "·", ","):
            # 허쥔(賀俊): the form in parentheses belongs to the mention before it
            if counts is not None:
                counts["person_paren_form_dropped"] += 1
            continue
        if label == "PERSON":
            match = _MO.match(surface)
            if match:
                end = start + len(match.group(1))
                if counts is not None:
                    counts["person_mo_stripped"] += 1
        elif label == "ORG" and is_country(surface):
            if counts is not None:
                counts["org_country_dropped"] += 1
            continue
        elif label == "ORG" and is_generic_org(surface):
            if counts is not None:
                counts["org_generic_dropped"] += 1
            continue
        spans.append((start, end, label))
    return Sentence(sentence.id, sentence.text, spans, sentence.source, dict(sentence.kb_ids))


# --- splits ------------------------------------------------------------------------------------

def is_dev_file(name: str, percent: int = DEV_FILE_PERCENT) -> bool:
    """True when the KMOU corpus file *name* belongs to the fixed development split (hash of the name)."""
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def kmou_splits(root: str | Path | None = None, stats: dict[str, ReadStats] | None = None,
                definition: bool = True, counts: Counter | None = None) -> dict[str, list[Sentence]]:
    """The fixed KMOU splits: ``train``, ``dev`` (model selection) and ``test`` (report only).

    * train: 2016klp ``ner.train`` + the corpus files not in the dev hash split;
    * dev: 2016klp ``ner.dev`` + a deterministic 5% of the corpus files (:func:`is_dev_file`);
    * test: 2016klp ``ner.test``.

    Sentences whose text occurs in dev or test are removed from train, and
    repeated texts are kept once (first occurrence). KLUE is not involved.

    Parameters
    ----------
    root : path, optional
        The ``kmou-ner`` folder (default ``../shared/data/kmou-ner``).
    stats : dict, optional
        Filled with a :class:`ReadStats` per split.
    definition : bool
        Apply :func:`apply_definition` (the product's labels).
    counts : Counter, optional
        Receives the definition's counts and ``duplicates_removed``.
    """
    root = Path(root) if root else shared_dir() / "data" / "kmou-ner"
    if not (root / "corpus").is_dir() or not (root / "2016klp").is_dir():
        raise HanlinkError(f"{root} has no corpus/ and 2016klp/ folders: give the kmou-ner folder")
    stats = stats if stats is not None else {}
    counts = counts if counts is not None else Counter()
    for split in ("train", "dev", "test"):
        stats.setdefault(split, ReadStats())
    files = sorted((root / "corpus").glob("*.txt"))
    dev_files = [f for f in files if is_dev_file(f.name)]
    train_files = [f for f in files if not is_dev_file(f.name)]
    raw = {
        "test": list(read_klp(root / "2016klp" / "ner.test", stats["test"])),
        "dev": list(read_klp(root / "2016klp" / "ner.dev", stats["dev"]))
        + list(read_kmou_corpus(files=dev_files, stats=stats["dev"])),
        "train": list(read_klp(root / "2016klp" / "ner.train", stats["train"]))
        + list(read_kmou_corpus(files=train_files, stats=stats["train"])),
    }
    seen: set[str] = set()
    out: dict[str, list[Sentence]] = {}
    for split in ("test", "dev", "train"):
        kept = []
        for sentence in raw[split]:
            if sentence.text in seen:
                counts[f"duplicates_removed_{split}"] += 1
                continue
            seen.add(sentence.text)
            kept.append(apply_definition(sentence, counts) if definition else sentence)
        out[split] = kept
    return {split: out[split] for split in ("train", "dev", "test")}

