"""Reading the posts a text states for one person, from the pieces around the name.

The shapes Korean press uses (every one has tests in ``tests/test_roles.py``)::

    허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은      name (hanja) chain title
    중국사회과학원 변강연구소 싱광청 소장은            chain name title
    인천대 이갑영 중국학술원 원장                      chain name chain title
    중국학술원 원장 이갑영                            chain title name
    안치영 인천대 중국학술원장                         name chain unit+title (fused)
    왕이(王毅, 전 외교부장)  ·  (소장 박정민)           posts inside parentheses
    A 교수 겸 B연구소장                               several posts, joined by 겸
    전 외교부장                                       a former post

A description runs over pieces separated by spaces only; a particle, a comma or a bracket ends it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from pipeline.roles.pieces import Piece
from pipeline.roles.spans import SpanIndex
from pipeline.names.script import is_hangul
from pipeline.roles.titles import _NOT_UNIVERSITIES, RoleLexicon, TitleMatch

CONCURRENT = frozenset({"겸", "兼"})
#: endings of government bodies: a country or place written before them stays in the chain (중국 외교부)
GOVERNMENT_ENDINGS = ("부", "성", "청", "처", "국", "국무원", "감사원", "법원", "대사관", "영사관", "정부", "의회", "위원회", "공안국", "판공실")
CURRENT = frozenset({"현", "現", "현직"})
MIDDLE_DOTS = frozenset({"·", "ㆍ", "•", "・"})
#: posts that govern a place: the place written before them is their institution (장시성 당서기)
PLACE_HEADS = frozenset({"당서기", "서기", "성장", "부성장", "상무부성장", "시장", "부시장", "상무부시장", "주석", "부주석",
                         "현장", "부현장", "구청장", "군수", "도지사", "지사", "성위서기", "시위서기"})
#: administrative endings of places below a country (not 중국, 일본)
_SUBNATIONAL = ("성", "시", "현", "자치구", "자치주", "구", "군", "도", "주")
#: a copula joining posts written before a name: 회장이며 … 사장인 조명권, 서기이자 주석인 왕타오
_AND_COPULA = frozenset({"이며", "이자", "이고", "이면서"})
#: how a post is given to someone named after it: 부의장에(는), 원내대변인으로, 비서실장은
_APPOINTED_TO = frozenset({"에", "에는", "엔", "으로", "로", "으로는", "로는", "은", "는"})
#: seniority and the like between the post and the name: 재선, 3선, 6선의, 초선
_SENIORITY = re.compile(r"^(?:재선|초선|다선|\d+선)(?:의)?$")
_CLAUSE_END = re.compile(r"[.!?\n]|다[.\s]")
_APPOINTING = re.compile(r"(?:선임|임명|선출|발탁|기용|승진|위촉|발령|맡[기겼게았아])")
_DESIGNATING = re.compile(r"(?:내정|지명|추천|거론)(?:[됐되된했하할]|자로)")  # not 원내정책
#: "in charge of": 외교 담당 국무위원, 교육담당 영사
IN_CHARGE = ("담당", "전담", "분관")
#: what a title names the head of when fused to it: 교수팀, 교수연구팀
TEAMS = ("연구팀", "연구진", "팀")


@dataclass
class Link:
    """One element of an institution chain: an institution, or a country or place written before one."""

    start: int
    end: int
    text: str
    is_org: bool = True
    written: bool = True  # ``text`` is what the document says at ``start:end``
    local: bool = False  # a local government vouched for by its head's post: the places before it stay


@dataclass
class Post:
    """One post of a person: a title and the institution chain it belongs to."""

    title: str | None
    title_start: int
    title_end: int
    chain: list[Link] = field(default_factory=list)
    former: bool = False
    distributed: list[Link] = field(default_factory=list)  # a parent filled in from a list or a delegation
    before_name: bool = False  # written before the name (배우 조병규 씨): a list after the name may share it

    @property
    def links(self) -> list[Link]:
        """The whole chain, distributed parent first, with places dropped unless an institution follows."""
        links: list[Link] = []
        for link in [*self.distributed, *self.chain]:
            if links and (links[-1].start, links[-1].end) == (link.start, link.end):
                continue
            links.append(link)
        if links and not any(link.is_org for link in links) and self.title in PLACE_HEADS and \
                links[-1].text.endswith(_SUBNATIONAL):
            # 인훙 장시성 당서기, 산이 랴오닝성 부성장: the province is the government its head serves
            last = links[-1]
            return [Link(last.start, last.end, last.text, True, last.written)]
        while links and not links[0].is_org and not any(link.is_org for link in links[1:]):
            links = links[1:]
        if not any(link.is_org for link in links):
            return []
        first_org = next(link for link in links if link.is_org)
        if not (first_org.local or first_org.text.endswith(GOVERNMENT_ENDINGS)):
            links = [link for link in links if link.is_org]  # 베이징 화샤…연구원: the city is no part of it
        return links

    @property
    def institution_text(self) -> str | None:
        links = self.links
        return " ".join(link.text for link in links) if links else None


@dataclass
class Reading:
    """What one piece is, for a description."""

    kind: str | None  # "title", "org", "place", "former", "current", "concurrent" or None
    text: str
    end: int
    tail: str
    title: TitleMatch | None = None


class Describer:
    """Reads posts from the pieces of one document.

    Parameters
    ----------
    pieces : the document's pieces (:func:`pipeline.roles.pieces.split_pieces`).
    lexicon : the role lexicon.
    org_spans : ``(start, end)`` of the document's ORG entities.
    person_starts : start offsets of PERSON entities (a description never runs into another person).
    """

    def __init__(self, pieces: Sequence[Piece], lexicon: RoleLexicon, org_spans: Sequence[tuple[int, int]],
                 person_starts: set[int], is_place, text: str = "") -> None:
        self.text = text
        self.pieces = pieces
        self.lex = lexicon
        self.org_spans = SpanIndex(org_spans)
        self.person_starts = person_starts
        self.is_place = is_place
        self._cache: dict[int, Reading] = {}

    # -- one piece ------------------------------------------------------------------------
    def _in_org(self, start: int, end: int) -> bool:
        return self.org_spans.overlaps(start, end)

    def read(self, index: int) -> Reading:
        """What piece ``index`` is (cached)."""
        if index not in self._cache:
            self._cache[index] = self._read(self.pieces[index])
        return self._cache[index]

    def _read(self, piece: Piece) -> Reading:
        lex = self.lex
        options = [(piece.text, piece.end, piece.tail)]
        if piece.tail:  # the analyser may read the end of a name as a particle: 사학과 → 사학 + 과
            options.insert(0, (piece.text + piece.tail, piece.tail_end, ""))
        for text, end, tail in options:
            if end != piece.end and not (lex.is_plain_title(text) or lex.title_of(text) or lex.org_shape(text)
                                         or self._org_covers(piece.start, end)
                                         or (piece.tail in ("도", "시", "군", "구") and self.is_place(piece.text)
                                             and lex.org_shape(text, local=True))):  # 충남 + 도 → 충남도
                continue  # the particle stays a particle unless the whole word is a title or an institution
            if text in lex.former_markers:
                return Reading("former", text, end, tail)
            if text in CURRENT:
                return Reading("current", text, end, tail)
            if text in CONCURRENT:
                return Reading("concurrent", text, end, tail)
            if text[-1:] in CONCURRENT and len(text) > 2 and lex.is_plain_title(text[:-1]):  # 주임겸 외교부장
                return Reading("title", text[:-1], end - 1, "겸", TitleMatch(text[:-1]))
            for copula in (*_AND_COPULA, "인"):  # 서기이자, 주석인: the analyser left the copula in the word
                head = text[:-len(copula)]
                if text.endswith(copula) and len(head) >= 2 and not tail and lex.is_plain_title(head):
                    return Reading("title", head, end - len(copula), copula, TitleMatch(head))
            for team in TEAMS:  # 김철수 교수팀은, 이 교수 연구팀: the post of the team's head
                if text.endswith(team) and lex.is_plain_title(text[:-len(team)]):
                    head = text[:-len(team)]
                    return Reading("title", head, end - len(team), team, TitleMatch(head))
            if lex.is_qualifier(text) or (text.endswith(IN_CHARGE) and len(text) > 2):  # 교육담당 영사
                return Reading("qualifier", text, end, tail)
            if lex.is_plain_title(text) and not self._org_before(piece.start, end):
                return Reading("title", text, end, tail, TitleMatch(text))
            if self._in_org(piece.start, end) or lex.org_shape(text, piece.tags):
                match = lex.title_of(text)
                if match and (match.unit or not lex.org_shape(text)) and not self._org_covers(piece.start, end):
                    return Reading("title", text, end, tail, match)  # 부산시교육감: an ORG 부산시 inside
                return Reading("org", text, end, tail)
            match = lex.title_of(text)
            if match:
                return Reading("title", text, end, tail, match)
            if lex.org_shape(text, piece.tags, local=True):
                return Reading("org", text, end, tail)
            if self.is_place(text) or text in ("주한", "주중", "주일", "주미"):
                return Reading("place", text, end, tail)
        return Reading(None, piece.text, piece.end, piece.tail)

    def _org_before(self, start: int, end: int) -> bool:
        """An ORG entity runs into the piece from before it (주한중국대사관 공사 tagged as one ORG)."""
        return self.org_spans.enters_from_before(start, end)

    def _org_covers(self, start: int, end: int) -> bool:
        """An ORG entity covers the whole piece (a fused title is then part of the name: 기획재정부장관 is not)."""
        return self.org_spans.covers(start, end)

    # -- sequences ---------------------------------------------------------------------------
    def _link(self, index: int, reading: Reading) -> Link:
        """The chain element piece ``index`` is: the whole ORG entity it lies in (중국권역별·성별연구팀,
        알리클라우드 연구센터), else the piece itself."""
        piece = self.pieces[index]
        covering = self.org_spans.covering(piece.start, reading.end)
        if covering is not None:
            s, e = covering
            return Link(s, e, self.text[s:e], True)
        return Link(piece.start, reading.end, reading.text, reading.kind == "org")

    def _title_post(self, index: int, reading: Reading, chain: list[Link], former: bool) -> Post:
        piece = self.pieces[index]
        match = reading.title
        assert match is not None
        if match.unit:
            # the unit is written inside the word, its last character shared with the title (연구소|장);
            # 국제협력부처장 → 국제협력처 is not written as such: no ORG entity is made from it
            written = reading.text.startswith(match.unit)
            unit_end = piece.start + (len(match.unit) if written else len(reading.text) - len(match.title))
            unit = Link(piece.start, unit_end, match.unit, True, written)
            return Post(match.title, reading.end - len(match.title), reading.end, [*chain, unit], former)
        return Post(match.title, piece.start, reading.end, list(chain), former)

    def forward(self, index: int, stop: int | None = None) -> tuple[list[Post], int]:
        """Posts written from piece ``index`` on (``chain… title [겸 chain… title]``); returns them and the
        index after the last piece used."""
        stop = len(self.pieces) if stop is None else stop
        posts: list[Post] = []
        chain: list[Link] = []
        former = False
        i = index
        used = index
        while i < stop:
            piece = self.pieces[i]
            if piece.start in self.person_starts:
                break
            reading = self.read(i)
            if reading.kind in (None, "title") and reading.text in self.lex.prefixes and not reading.tail and \
                    piece.spaced and i + 1 < stop and self.read(i + 1).kind == "title" and \
                    self.read(i + 1).title is not None and not self.read(i + 1).title.unit and \
                    self.pieces[i + 1].start not in self.person_starts:
                # 수석 연구위원, 선임 연구원: a prefix written apart from its title is one title
                following = self.read(i + 1)
                joined = self.text[piece.start:following.end]
                reading = Reading("title", joined, following.end, following.tail, TitleMatch(joined))
                i += 1
                piece = self.pieces[i]
            ends_here = bool(reading.tail) or not piece.spaced
            if reading.kind == "former":
                former = True
            elif reading.kind in ("current", "qualifier") or (reading.kind == "concurrent" and posts):
                pass
            elif reading.kind is None and piece.spaced and not reading.tail and i + 1 < stop and \
                    self.pieces[i + 1].text in IN_CHARGE and self.pieces[i + 1].spaced and not self.pieces[i + 1].tail:
                i += 2  # 중국 외교 담당 국무위원: the portfolio a post is in charge of
                continue
            elif reading.kind == "title" and reading.tail in (*_AND_COPULA, "인"):
                break  # 서기이자 주석인 왕타오: the posts of the name that follows them
            elif reading.kind == "title":
                posts.append(self._title_post(i, reading, chain, former))
                chain, former = [], False
                used = i + 1
                if reading.tail == "겸" and piece.spaced:
                    i += 1
                    continue
                if ends_here or i + 1 >= stop or self.read(i + 1).kind != "concurrent":
                    break
            elif reading.kind in ("org", "place", None) and piece.sep.strip() in MIDDLE_DOTS and not reading.tail \
                    and i + 1 < stop and self.read(i + 1).kind == "org" and self.pieces[i + 1].start not in self.person_starts:
                following = self.pieces[i + 1]  # 대한·서울상의: one institution written with a middle dot
                joined = self.read(i + 1)
                chain.append(Link(piece.start, joined.end, self.text[piece.start:joined.end], True))
                i += 1
                piece, reading = following, joined
                if reading.tail or not piece.spaced:
                    break
                i += 1
                continue
            elif reading.kind in ("org", "place"):
                link = self._link(i, reading)
                chain.append(link)
                if link.end > piece.tail_end:  # one ORG over several pieces: 흑룡강(黑龍江)일보
                    last = i
                    while last + 1 < stop and self.pieces[last + 1].start < link.end:
                        last += 1
                    if self.pieces[last].tail_end <= link.end and self.pieces[last].spaced and last + 1 < stop:
                        i = last + 1
                        continue
                    break
                after = self._after_gloss(i, stop) if piece.opens_paren and not reading.tail else None
                if after is not None:  # 국가안전보장국(NSS) 국장, 흑룡강일보(黑龍江日報) 총편집인
                    i = after
                    continue
            elif self._proper_before_title(i, stop) and not ends_here:
                # 김택진 엔씨소프트 대표, 김범수 카카오 의장: a proper noun between a name and its title
                chain.append(Link(piece.start, piece.end, piece.text, True))
            else:
                break
            if ends_here and reading.kind != "title":
                break
            i += 1
        return posts, used

    def _after_gloss(self, index: int, stop: int) -> int | None:
        """The index after a short parenthesis glossing piece ``index`` (an abbreviation, the original
        name), when the description goes on after it; else None."""
        depth = self.pieces[index].depth
        end = index + 1
        while end < stop and self.pieces[end].depth > depth:
            end += 1
        if end == index + 1 or end >= stop or end - index > 4:
            return None
        closing = self.pieces[end - 1].sep
        if closing.strip() not in (")", "）") or not closing[-1:].isspace():
            return None
        return end

    def _proper_before_title(self, index: int, stop: int) -> bool:
        """Piece ``index`` (and at most one more proper noun after it) stands between a name and a title:
        a company or a body the lexicons do not know (카카오 의장, 베스핀 글로벌 대표)."""
        for k in (index, index + 1):
            if k + 1 >= stop:
                return False
            piece = self.pieces[k]
            if len(piece.text) < 2 or piece.start in self.person_starts or piece.tail or not piece.spaced:
                return False
            if k == index and not (self._proper(piece) or self.lex.org_shape(piece.text)):  # 계명대 (NNG) 입학처장
                return False
            following = self.read(k + 1)
            if following.kind == "title":
                return True
            if k == index + 1 or not (self._noun_like(self.pieces[k + 1]) or following.kind == "org"):
                return False
        return False

    @staticmethod
    def _noun_like(piece: Piece) -> bool:
        return not piece.tail and all(tag in ("NNP", "SL", "SN", "NNG") for tag in piece.tags)

    @staticmethod
    def _proper(piece: Piece) -> bool:
        return all(tag in ("NNP", "SL", "SN", "NNG") for tag in piece.tags) and \
            ("NNP" in piece.tags or "SL" in piece.tags)

    def _unit_after_org(self, index: int) -> bool:
        """Piece ``index`` stands between an institution and a name and reads as a unit of it: a word
        with a unit ending the analyser split (서울대병원 신경과 김철수 교수: 신경 + 과) or a proper noun
        no lexicon knows (중앙일보 차이나랩 김경미 기자)."""
        piece = self.pieces[index]
        if index == 0 or piece.depth != self.pieces[index - 1].depth or not self.pieces[index - 1].spaced:
            return False
        word = piece.text + piece.tail
        if len(word) < 2 or not is_hangul(word) and not word.isascii() or self.is_place(word):
            return False
        unit = self.lex.is_unit(word) and len(word) >= 3 and \
            (not piece.tail or piece.tail == "과" and self.read(index).kind is None)  # not 의원과, 사장과
        proper = not piece.tail and all(tag in ("NNP", "SL") for tag in piece.tags)
        if not (unit or proper) or piece.start in self.person_starts or self.pieces[index - 1].start in self.person_starts:
            return False
        before = self.read(index - 1)
        return before.kind == "org" and not before.tail

    def concurrent_before(self, index: int) -> Post | None:
        """The first of the posts written before the name and joined by 겸 or a copula:
        ``혜주시 당서기 겸 인민대표회의 상임위원회 주임 첸이웨이`` → 당서기 of 혜주시; ``한국서울중국교민협회
        회장이며 한국신화보 사장인 조명권`` → 회장 of 한국서울중국교민협회 (``index``: the first piece of the
        later post's description)."""
        j = index - 1
        if j >= 0 and self.pieces[j].spaced and self.read(j).kind == "title" and self.read(j).tail in _AND_COPULA:
            title, k = self.read(j), j  # 회장이며, 서기이자
        elif j >= 1 and self.pieces[j].spaced and self.read(j).kind == "concurrent":
            title, k = self.read(j - 1), j - 1
            if title.kind != "title" or title.tail or not self.pieces[k].spaced:
                return None
        else:
            return None
        post = self._title_post(k, Reading("title", title.text, title.end, "", title.title), [], False)
        k -= 1
        chain: list[Link] = []
        while k >= 0 and self.pieces[k].spaced and not self.pieces[k].tail and "\n" not in self.pieces[k].sep and \
                self.pieces[k].start not in self.person_starts and self.read(k).kind in ("org", "place"):
            chain.insert(0, self._link(k, self.read(k)))
            k -= 1
        post.chain = chain + post.chain
        post.before_name = True
        earlier = self.concurrent_before(k + 1)
        return earlier if earlier is not None else post

    def _lone_institution(self, index: int) -> bool:
        """Piece ``index``, right before a name (or before the title before it), is a proper noun or an
        institution-shaped word no lexicon knows: the person's institution when a post follows
        (``두산 박지원 부회장``, ``계명대 박기현 교수``, ``한중동행 안승우 회장``)."""
        piece = self.pieces[index]
        word = piece.text
        if word[-1:] in ("시", "도", "군", "구") and len(word) >= 3:
            return False  # 부산 영도구 김기재 구청장: a local government, read with the places before it by local_government
        if piece.tail or not piece.spaced or "\n" in piece.sep or piece.start in self.person_starts or len(word) < 2 or \
                self.is_place(word) or self.lex.is_plain_title(word) or self.lex.title_of(word) or \
                word in self.lex.former_markers or word in CURRENT or word in CONCURRENT or self.lex.is_qualifier(word):
            return False
        if index > 0 and self.pieces[index - 1].spaced and not self.pieces[index - 1].tail and \
                self._proper(self.pieces[index - 1]) and not self.is_place(self.pieces[index - 1].text):
            return False  # 베스핀 글로벌: a longer name, read by nothing here
        if self.lex.org_shape(word) or (word.endswith("대") and len(word) >= 3 and is_hangul(word) and
                                        word not in _NOT_UNIVERSITIES):  # 중국 인민대 스인훙 교수
            return True
        name = self.pieces[index + 1] if index + 1 < len(self.pieces) else None
        if name is not None and name.opens_paren:
            return False  # 이노세 나오키(猪瀨直樹): the other word of a spaced name glossed in hanja
        return self._proper(piece) and all(tag in ("NNP", "SL") for tag in piece.tags)

    def backward(self, index: int) -> tuple[Post | None, list[Link], int]:
        """What stands before piece ``index`` (a name): a title right before it and the institution chain
        before that; returns ``(post or None, chain, first index used)``."""
        depth = self.pieces[index].depth
        j = index - 1
        post: Post | None = None
        glued = j >= 0 and depth > 0 and self.pieces[j].sep.strip() in MIDDLE_DOTS  # (소장·천진환)
        if j >= 0 and (self.pieces[j].spaced or glued) and self.pieces[j].depth == depth:
            reading = self.read(j)
            if reading.kind == "title" and reading.tail == "인" and self.pieces[j].start not in self.person_starts:
                reading = Reading("title", reading.text, reading.end, "", reading.title)  # 사장인 조명권 박사
            if reading.kind == "title" and not reading.tail and self.pieces[j].start not in self.person_starts:
                post = self._title_post(j, reading, [], False)
                post.before_name = True
                j -= 1
                if j >= 0 and self.pieces[j].spaced and self.read(j).kind == "former":
                    post.former = True
                    j -= 1
        if post is None and j >= 0 and self.pieces[j].text == "소속" and not self.pieces[j].tail and self.pieces[j].spaced:
            j -= 1  # 국회 외교통일위원회 소속 김철수 의원
        if j >= 0 and self.pieces[j].depth > depth and self.pieces[j].sep[-1:].isspace():
            k = j  # 한국개발연구원(KDI) 정규철: the gloss of the institution before the name
            while k >= 0 and self.pieces[k].depth > depth:
                k -= 1
            if k >= 0 and j - k <= 6 and self.pieces[k].opens_paren and self.read(k).kind == "org":
                j = k
        chain: list[Link] = []
        while j >= 0:
            piece = self.pieces[j]
            if piece.depth == depth and piece.opens_paren and not chain and self.read(j).kind == "org":
                chain.insert(0, self._link(j, self.read(j)))  # the institution its gloss follows
                j -= 1
                continue
            if not piece.spaced or piece.depth != depth or piece.start in self.person_starts or "\n" in piece.sep:
                break  # a description does not run over a line break (사진제공=한중기업가협회 ⏎ 첸이웨이 서기)
            reading = self.read(j)
            if reading.kind not in ("org", "place"):
                if chain or not self._unit_after_org(j):
                    break
                reading = Reading("org", piece.text + piece.tail, piece.tail_end, "")
            if reading.tail and not (reading.tail == "의" and not chain):
                break
            link = self._link(j, reading)
            chain.insert(0, link)
            j -= 1
            while j >= 0 and self.pieces[j].start >= link.start:
                j -= 1  # one ORG over several pieces: 디바이스솔루션(DS)부문
        if not chain and post is None and j == index - 1 >= 0 and self._lone_institution(j):
            chain = [self._link(j, Reading("org", self.pieces[j].text, self.pieces[j].end, ""))]
        if not chain and post is not None and j >= 0 and self.pieces[j].depth < depth and \
                self.pieces[j].sep.strip()[-1:] in ("(", "（"):
            reading = self.read(j)
            if reading.kind == "org":  # 순천향대학교(총장 서교일), 부산시(시장 박형준)
                chain = [self._link(j, reading)]
                k = j - 1  # and the chain before it: 동신대학교 동북아연구소(소장 고재휘)
                while k >= 0 and self.pieces[k].spaced and not self.pieces[k].tail and \
                        self.pieces[k].depth == self.pieces[j].depth and self.read(k).kind == "org":
                    chain.insert(0, self._link(k, self.read(k)))
                    k -= 1
        if post is None and not chain and depth > 0 and index > 0 and self.pieces[index - 1].depth < depth and \
                self.pieces[index - 1].opens_paren:
            reading = self.read(index - 1)  # 종로경찰서장(빈중석 경찰청 …팀장): the post the list gives
            if reading.kind == "title" and reading.title is not None and reading.title.unit:
                post = self._title_post(index - 1, reading, [], False)
                post.before_name = True
        if not any(link.is_org for link in chain):
            chain = []
        return post, chain, j + 1

    def local_government(self, index: int, ending: str) -> list[Link]:
        """The local government written right before a name whose post is that government's head
        (``부산 영도구 김기재 구청장``, ``전남 화순군 구복규 군수``): the word ending in the post's unit
        (구, 군, 시, 도) and the places written before it. The post vouches for a word the lexicons do
        not know as an institution.
        """
        depth = self.pieces[index].depth
        j = index - 1
        if j < 0:
            return []
        piece = self.pieces[j]
        text = piece.text
        if not piece.spaced or piece.depth != depth or piece.tail or piece.start in self.person_starts or \
                len(text) < 2 or not text.endswith(ending) or not is_hangul(text) or self.lex.is_plain_title(text):
            return []
        link = self._link(j, Reading("org", text, piece.end, ""))
        chain = [Link(link.start, link.end, link.text, True, link.written, local=True)]
        j -= 1
        while j >= 0:
            piece = self.pieces[j]
            if not piece.spaced or piece.depth != depth or piece.tail or piece.start in self.person_starts or \
                    self.read(j).kind != "place":
                break
            chain.insert(0, self._link(j, self.read(j)))
            j -= 1
        return chain

    def appointed(self, index: int, name_end: int) -> Post | None:
        """The post a person is given in the same clause, written before the name with 에/으로/은:
        ``원내정책수석부대표에 재선 허영 의원을 선임``, ``부의장에는 6선의 주호영 의원이 … 선출됐다``,
        ``원내대표 비서실장은 이기헌 의원을 임명`` — taken only when a verb of appointment follows in the
        clause (선임, 임명, 선출, 승진, 맡 …), not one of designation (내정, 지명: not yet the post)."""
        while index > 0 and self.pieces[index - 1].sep.strip() in MIDDLE_DOTS | {",", "，"} and \
                self.pieces[index - 1].start in self.person_starts:
            index -= 1  # 원내대변인으로 초선 김현정·문금주·백승아 의원을: the list shares the post
        k = index - 1
        while k >= 0 and self.pieces[k].spaced and (_SENIORITY.match(self.pieces[k].text) or
                                                   self.pieces[k].text in ("신임", "현", "초대") or
                                                   self.pieces[k].text.endswith(("급", "급인"))):  # 검사장급인
            k -= 1
        if k < 0 or not self.pieces[k].spaced or self.pieces[k].tail not in _APPOINTED_TO or \
                self.pieces[k].start in self.person_starts:
            return None
        piece = self.pieces[k]
        match = self.lex.title_of(piece.text)
        if match is None:
            return None
        clause_end = _CLAUSE_END.search(self.text, name_end)
        clause = self.text[name_end:clause_end.start() if clause_end else len(self.text)]
        verb = _APPOINTING.search(clause)
        if verb is None or _DESIGNATING.search(clause[:verb.start()]):
            return None
        reading = Reading("title", piece.text, piece.end, piece.tail, match)
        return self._title_post(k, reading, [], False)

    def parenthesis(self, index: int) -> tuple[list[Post], int]:
        """Posts inside the parenthesis opened right after piece ``index``: ``왕이(王毅, 전 외교부장)``,
        ``(중국사회과학원 부원장)``; returns them and the index after the parenthesis."""
        depth = self.pieces[index].depth
        i = index + 1
        end = i
        while end < len(self.pieces) and self.pieces[end].depth > depth:
            end += 1
        posts: list[Post] = []
        segment_start = i
        for k in range(i, end + 1):
            last = k == end or any(ch in self.pieces[k].sep for ch in ",，;·ㆍ、") or k == end - 1
            if k < end and not last:
                continue
            segment_stop = min(k + 1, end)
            if segment_start < segment_stop:
                found, _ = self.forward(segment_start, segment_stop)
                posts.extend(found)
            segment_start = segment_stop
            if k >= end - 1:
                break
        return posts, end
