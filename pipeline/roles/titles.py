"""Titles and institution shapes: what a word of a person's description is.

Title words come from lexicons in ``data/lexicons/`` — ``titles.txt`` (research, academic and
government posts), ``titles_news.txt`` (positions and occupations measured on news),
``title_affixes.tsv`` (productive prefixes and suffixes: 부-, 수석-, 명예-, -대행) and
``fused_titles.tsv`` (a title written fused to its unit: 연구소장 = 연구소 + 소장). Institution shapes
come from ``org_suffixes.txt`` (연구원, 대학교, 일보 ...), ``unit_suffixes.txt`` (the endings of units
that belong to a parent: 학과, 연구소, 센터 ...) and capital abbreviations (KDI, CICIR).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.lexicons import default_lexicons, read_entries
from pipeline.names.places import is_place
from pipeline.names.script import is_hangul
from pipeline.paths import data_path

#: a local government's head written fused to its place: 부산시장 = 부산시 + 시장
_LOCAL_UNITS = {"시장": "시", "도지사": "도", "군수": "군", "구청장": "구", "시의원": "시", "도의원": "도"}
#: the posts of a local government's people, and the ending of that government's name:
#: ``영도구 김기재 구청장``, ``화순군 구복규 군수``, ``김해시 홍태용 시장``
LOCAL_HEADS = {"구청장": "구", "부구청장": "구", "구의원": "구", "군수": "군", "부군수": "군", "군의원": "군",
               "시장": "시", "부시장": "시", "행정부시장": "시", "정무부시장": "시", "경제부시장": "시", "시의원": "시",
               "도지사": "도", "부지사": "도", "행정부지사": "도", "정무부지사": "도", "경제부지사": "도", "지사": "도",
               "도의원": "도"}
#: titles that also end institution names: never split off a longer word
_ALSO_ORG_ENDINGS = frozenset({"공사", "위원", "연구원", "이사"})
_LOCAL_GOVERNMENTS = ("특별자치시", "특별자치도", "특별시", "광역시", "시", "도", "군", "구")
_MISSION_HOSTS = frozenset({"한", "중", "일", "미", "북", "러", "영", "독", "불"})
_STRONG_TITLES = frozenset({"총장", "차관", "장관", "대사", "교수", "위원", "의원", "대표", "수석", "특파원", "기자", "총리",
                            "주석", "서기", "국장", "부장", "처장", "원장", "소장", "회장", "사장", "이사", "감독"})
_NOT_UNIVERSITIES = frozenset("""시간대 연령대 가격대 시위대 기동대 경비대 방위대 원정대 군악대 구조대 특공대 수비대 소방대
    의용대 결사대 선발대 진압대 경호대 응원대 탐사대 봉사대 자경대 민병대 평화유지대 대학대""".split())
_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9&]*[A-Z0-9]$")
#: a court or prosecutors' office as the press shortens it: a place, a district, the kind (서울중앙지법)
_COURT = re.compile(r"^([가-힣]{2,4}?)(?:중앙|동부|서부|남부|북부)?"
                    r"(?:지법|지검|고법|고검|지방법원|고등법원|지방검찰청|고등검찰청|가정법원|행정법원|회생법원)$")
#: a prosecutors' or a ministry's numbered division: 반부패수사1부, 공공수사2부, 형사3부
_NUMBERED_DIVISION = re.compile(r"^[가-힣]{2,10}\d{1,2}(?:부|과|팀|국)$")
#: who runs an institution, written before its name: 국립외교원, 시립미술관
_PUBLIC = ("국립", "국영", "공립", "시립", "도립", "구립", "군립", "사립")
#: a court's bench: 형사합의21부, 민사12부, 행정1부, 형사항소2부
_COURT_BENCH = re.compile(r"^(?:형사|민사|행정|가사|특허|파산|회생)(?:합의|항소|단독)?\d{1,3}(?:부|단독)$")


@dataclass(frozen=True)
class TitleMatch:
    """A word read as a title.

    ``unit`` is the part of the word that names a unit when the title is fused to it
    (``중국학술원장`` → unit ``중국학술원``, title ``원장``), else ``""``.
    """

    title: str
    unit: str = ""


@dataclass(frozen=True)
class RoleLexicon:
    """Everything the roles stage needs to know about words."""

    titles: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    fused: dict[str, str]
    unit_suffixes: tuple[str, ...]
    org_stop_stems: frozenset[str]
    former_markers: frozenset[str]
    delegation_words: tuple[str, ...]
    byline_titles: frozenset[str]
    not_titles: frozenset[str]
    outlets: frozenset[str] = frozenset()
    qualifier_endings: tuple[str, ...] = ()
    strong_endings: tuple[str, ...] = ()
    weak_endings: frozenset[str] = frozenset()
    local_endings: frozenset[str] = frozenset()
    ministry_stems: frozenset[str] = frozenset()

    # -- titles ---------------------------------------------------------------------
    def is_plain_title(self, word: str) -> bool:
        """A title on its own, possibly with a productive prefix or suffix (부소장, 수석연구위원, 총장대행).

        >>> lex = role_lexicon()
        >>> lex.is_plain_title("교수"), lex.is_plain_title("부소장"), lex.is_plain_title("명예교수"), lex.is_plain_title("연구")
        (True, True, True, False)
        """
        if word in self.not_titles or not word:
            return False
        if word in self.titles:
            return True
        for prefix in self.prefixes:
            if word.startswith(prefix) and len(word) > len(prefix) and self.is_plain_title(word[len(prefix):]):
                return True
        for suffix in self.suffixes:
            if word.endswith(suffix) and len(word) > len(suffix) and word[:-len(suffix)] in self.titles:
                return True
        return False

    def title_of(self, word: str) -> TitleMatch | None:
        """Read ``word`` as a title, splitting a unit fused to it.

        >>> lex = role_lexicon()
        >>> lex.title_of("주임"), lex.title_of("공업경제연구소장"), lex.title_of("국제협력부처장")
        (TitleMatch(title='주임', unit=''), TitleMatch(title='소장', unit='공업경제연구소'), TitleMatch(title='부처장', unit='국제협력처'))
        >>> lex.title_of("부원장"), lex.title_of("연구"), lex.title_of("사회")
        (TitleMatch(title='부원장', unit=''), None, None)
        """
        if self.is_plain_title(word):
            return TitleMatch(word)
        for title, ending in self.fused.items():
            for head in ("부", ""):
                fused = head + title
                if not word.endswith(fused):
                    continue
                stem = word[:-len(fused)]
                if len(stem) < 2 or stem in self.not_titles or \
                        (self.is_plain_title(stem) and stem not in self.ministry_stems and title not in ("과장", "실장")):  # 형사과장, 비서실장
                    continue
                return TitleMatch(fused, stem + ending)
        # a position ending a longer word: 경제수석, 서울시장, 주한중국대사, 산학협력부총장; a ministry's head
        # before a portfolio reading (법무부장관 → 법무부 + 장관, not 법무 + 부장관)
        for length in range(min(len(word) - 2, 6), 1, -1):
            tail, head = word[-length:], word[:-length]
            if tail in self.titles and tail not in self.fused and len(head) >= 2 and \
                    head[-1] in "부처청원" and self.org_shape(head) and self._ministry_stem(head[:-1]):
                return TitleMatch(tail, head)
        for length in range(min(len(word) - 1, 6), 1, -1):
            tail = word[-length:]
            if tail not in self.titles or tail in self.fused:
                continue
            head = word[:-length]
            if head[:1] == "주" and len(head) >= 2 and (place_word(head[1:]) or head[1:] in _MISSION_HOSTS
                                                     or any(place_word(head[1:k]) for k in range(2, len(head)))):
                return TitleMatch(tail)  # 주한중국대사, 주부산중국총영사: a mission abroad, no unit written
            if place_word(head) and tail[:1] in ("시", "도") and self.is_plain_title(tail[1:]) and \
                    tail[1:] not in _LOCAL_UNITS:
                return TitleMatch(tail[1:], head + tail[0])  # 부산시교육감 → 부산시 + 교육감, not 부산 + 시교육감
            if place_word(head) or (tail in _LOCAL_UNITS and len(head) >= 2 and is_hangul(head)):
                unit = head + _LOCAL_UNITS[tail] if tail in _LOCAL_UNITS else ""
                if not unit and len(head) >= 3 and head.endswith(_LOCAL_GOVERNMENTS) and is_hangul(head):
                    unit = head  # 부산시교육감 → 부산시 + 교육감 (a government, not a bare place)
                return TitleMatch(tail, unit)  # 부산시장 → 부산시 + 시장, 거창군수 → 거창군 + 군수
            if tail in _ALSO_ORG_ENDINGS:
                continue  # 한국전력공사 is a corporation, not a 공사 (minister) of 한국전력
            if self.org_shape(head) or (len(head) >= 3 and head.endswith(_LOCAL_GOVERNMENTS)):
                return TitleMatch(tail, head)  # 세종특별자치시교육감 → 세종특별자치시 + 교육감
            if len(head) >= 2 and (len(tail) >= 3 or tail in _STRONG_TITLES) and is_hangul(head) and \
                    not self.org_shape(word):  # 스마트기술연구원 is an institution, not a researcher
                return TitleMatch(word)  # 산학협력부총장, 사무차관: a portfolio, not a unit
        return None

    def _ministry_stem(self, stem: str) -> bool:
        """``stem`` names a ministry or agency, or two joined (법무; 외교통상 = 외교 + 통상): not 행정 of 행정부시장."""
        return stem in self.ministry_stems or \
            any(stem.startswith(m) and stem[len(m):] in self.ministry_stems for m in self.ministry_stems if len(m) >= 2)

    # -- institutions -----------------------------------------------------------------
    def org_shape(self, word: str, tags: tuple[str, ...] = (), *, local: bool = False) -> bool:
        """``word`` is shaped like an institution name: a proper stem and an institution ending, or an
        abbreviation in capitals. One-syllable endings (외교부, 통계국, 방위성, 신화망) need a stem the
        analyser tagged as a proper noun (``tags``); ``local`` also accepts local governments (부산시, 거창군).

        >>> lex = role_lexicon()
        >>> [lex.org_shape(w) for w in ("난징대", "중국학술원", "CICIR", "연구원", "이번대학", "확대", "KDI")]
        [True, True, True, False, False, False, True]
        >>> lex.org_shape("외교부", ("NNG", "NNG")), lex.org_shape("방위성", ("NNP", "NNG")), lex.org_shape("관계성", ("NNG", "NNG"))
        (True, True, False)
        >>> lex.org_shape("부산시", ("NNP", "NNG")), lex.org_shape("부산시", ("NNP", "NNG"), local=True)
        (False, True)
        """
        if not word or self.is_plain_title(word):
            return False
        if place_word(word) and not (local and word[-1:] in self.local_endings and len(word) >= 3):
            return False
        if _COURT_BENCH.match(word) or _court(word) or _NUMBERED_DIVISION.match(word):
            return True
        if _ABBREVIATION.match(word) and len(word) <= 10 and not word.isdigit():
            return True
        for ending in self.strong_endings:
            if word.endswith(ending) and len(word) > len(ending):
                return word[:-len(ending)] not in self.org_stop_stems
        lexicons = default_lexicons()
        suffix = lexicons.org_suffix(word)
        if suffix:
            stem = word[:-len(suffix)]
            return len(stem) >= 1 and stem not in self.org_stop_stems
        last = word[-1:]
        stem = word[:-1]
        if len(stem) < 2 or stem in self.org_stop_stems or not is_hangul(stem):
            return False
        if last == "대":  # 인천대, 난징대 — not 시위대, 연령대 (groups and ranges)
            return word not in _NOT_UNIVERSITIES and (not tags or "NNP" in tags or "SL" in tags or is_place(stem))
        if tags == ("NNP",) and len(word) >= 3 and last in self.weak_endings:
            return True  # one proper noun with an institution ending: 민주당, 자민당
        proper = "NNP" in tags[:-1] or is_place(stem) or self._ministry_stem(stem) or (local and place_word(stem)) or \
            (word.startswith(_PUBLIC) and len(stem) >= 3)  # 국립외교원, 시립미술관
        if last in self.weak_endings:
            return proper
        return local and last in self.local_endings and proper

    def is_qualifier(self, word: str) -> bool:
        """A word that qualifies a post without naming anything (중국측 원장, 석사 졸업생)."""
        return word in self.qualifier_endings or \
            any(word.endswith(q) and len(word) > len(q) for q in self.qualifier_endings if len(q) == 1)

    def is_unit(self, word: str) -> bool:
        """``word`` names a unit that belongs to a parent (정치외교학과, 공업경제연구소, 국제부).

        >>> role_lexicon().is_unit("사학과"), role_lexicon().is_unit("고려대")
        (True, False)
        """
        return any(word.endswith(s) and len(word) > len(s) for s in self.unit_suffixes)


@lru_cache(maxsize=4096)
def place_word(text: str) -> bool:
    """A country, region or city (the Chinese place table and ``data/lexicons/places.txt``), with or
    without its administrative ending.

    >>> place_word("일본"), place_word("베이징"), place_word("난닝시"), place_word("교수")
    (True, True, True, False)
    """
    from pipeline.recognition.appositive import default_word_list

    places = default_word_list("places.txt") | _role_places()
    if text in places or is_place(text):
        return True
    return len(text) >= 3 and text[-1] in "시도현주성" and text[:-1] in places


def _court(word: str) -> bool:
    """A court or prosecutors' office as the press shortens it: a place, perhaps a district, and the
    kind (서울중앙지법, 수원지검, 대전고법, 서울가정법원) — not 아동복지법, a law.

    >>> _court("서울중앙지법"), _court("대구지법"), _court("아동복지법")
    (True, True, False)
    """
    match = _COURT.match(word)
    return bool(match) and place_word(match.group(1))


def _local_head(word: str) -> bool:
    """``word`` is a place fused to its head's title (부산시장, 거창군수), not a title of its own (부시장)."""
    return any(word.endswith(tail) and len(word) - len(tail) >= 2 and is_hangul(word[:-len(tail)])
               for tail in _LOCAL_UNITS)


@lru_cache(maxsize=1)
def _role_places() -> frozenset[str]:
    """Countries as press abbreviates them before a title (미 대통령, 중 외교부): ``place`` rows of role_words.tsv."""
    rows = (entry.partition("\t") for entry in read_entries(data_path("lexicons", "role_words.tsv")))
    return frozenset(word.strip() for kind, _, word in rows if kind.strip() == "place")


def _affix_rows(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    prefixes, suffixes = [], []
    for entry in read_entries(path):
        kind, _, affix = entry.partition("\t")
        (prefixes if kind.strip() == "prefix" else suffixes).append(affix.strip())
    return tuple(sorted(prefixes, key=len, reverse=True)), tuple(sorted(suffixes, key=len, reverse=True))


@lru_cache(maxsize=1)
def role_lexicon(folder: str | Path | None = None) -> RoleLexicon:
    """The shipped role lexicon (``data/lexicons``), read once."""
    folder = Path(folder) if folder else data_path("lexicons")
    base = default_lexicons()
    prefixes, suffixes = _affix_rows(folder / "title_affixes.tsv")
    fused = {title: unit for title, unit in base.fused_titles.items()}
    for entry in read_entries(folder / "fused_titles_more.tsv"):
        title, _, unit = entry.partition("\t")
        fused[title.strip()] = unit.strip()
    words = {w: "" for w in read_entries(folder / "role_words.tsv")}
    sections: dict[str, list[str]] = {}
    for entry in words:
        kind, _, word = entry.partition("\t")
        sections.setdefault(kind.strip(), []).append(word.strip())
    not_titles = frozenset(sections.get("not_title", ()))
    # positions measured on news that are a place's head (부산시장, 김해시장) or a known institution's
    # (국정원장) are left to title_of, which splits them; the curated lists are kept whole (행정부시장)
    known = set(read_entries(folder / "known_organisations.txt"))
    news = frozenset(word for word in read_entries(folder / "titles_news.txt") if not _local_head(word) and
                     not any(word.endswith(title) and word[:-len(title)] + unit in known
                             for title, unit in fused.items() if len(word) > len(title)))
    titles = (base.titles | news | frozenset(sections.get("title", ()))) - not_titles
    endings: dict[str, list[str]] = {}
    for entry in read_entries(folder / "org_endings.tsv"):
        kind, _, ending = entry.partition("\t")
        endings.setdefault(kind.strip(), []).append(ending.strip())
    return RoleLexicon(
        strong_endings=tuple(sorted(endings.get("strong", ()), key=len, reverse=True)),
        weak_endings=frozenset(endings.get("weak", ())),
        local_endings=frozenset(endings.get("local", ())),
        ministry_stems=frozenset(sections.get("ministry_stem", ())),
        qualifier_endings=tuple(sections.get("qualifier", ())),
        outlets=frozenset(sections.get("outlet", ())),
        titles=titles,
        prefixes=prefixes,
        suffixes=suffixes,
        fused=dict(sorted(fused.items(), key=lambda kv: -len(kv[0]))),
        unit_suffixes=tuple(sorted(read_entries(folder / "unit_suffixes.txt"), key=len, reverse=True)),
        org_stop_stems=frozenset(sections.get("org_stop_stem", ())),
        former_markers=frozenset(sections.get("former", ())),
        delegation_words=tuple(sections.get("delegation", ())),
        byline_titles=frozenset(sections.get("byline_title", ())),
        not_titles=not_titles,
    )
