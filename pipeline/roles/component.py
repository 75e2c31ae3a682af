"""The ``hanlink_roles`` component: every PERSON's posts, institutions and later short references.

Runs after recognition (``hanlink_merge``) and before ``hanlink_forms`` / ``hanlink_linker``:

1. reads the posts written around each person (:mod:`pipeline.roles.describe`), the outlet of bylines
   (:mod:`pipeline.roles.bylines`), and fills parents that a list or a delegation distributes
   (:mod:`pipeline.roles.distribute`);
2. makes every institution of a chain an ORG entity with offsets, also when no table and no model knew
   it (난징대 동아시아연구소), and institution-shaped words elsewhere (연변대학, 평양사회과학원);
3. ties later short references (``김 원장은``) to their antecedent (:mod:`pipeline.roles.references`);
4. drops what is no person: lone syllables that refer to nobody, places, organisation words, titles,
   and joins spaced foreign names (``쑨 밍하오``, ``마쓰모토 다카시``).

It sets ``span._.roles`` (contract: ``[{"title", "institution", "former"}]`` in text order),
``span._.title`` and ``span._.affiliation`` (the first role that is not former, else the first), and
``span._.antecedent`` on references.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline import extensions  # noqa: F401
from pipeline.lexicons import default_lexicons, read_entries
from pipeline.names.script import is_hangul
from pipeline.recognition.appositive import default_word_list
from pipeline.paths import data_path
from pipeline.recognition.boundaries import ensure_boundaries
from pipeline.roles.bylines import byline_outlet
from pipeline.roles.describe import Describer, Link, Post
from pipeline.roles.distribute import distribute_parents
from pipeline.roles.names import (is_anonymous, japanese_names_glossed, japanese_pair, join_spaced_names,
                                  korean_names_before_posts, korean_shaped, listed_names, listed_with_titles,
                                  mission_prefix, not_a_person, paren_hanja, reshape_person,
                                  spaced_transcribed_names, transcribed_shaped)
from pipeline.roles.pieces import Piece, split_pieces
from pipeline.roles.references import Named, find_references
from pipeline.roles.spans import SpanIndex
from pipeline.roles.titles import LOCAL_HEADS, RoleLexicon, place_word as is_place, role_lexicon


#: one-syllable endings that make an institution outside a description, after a proper or ministry stem
_WEAK_OUTSIDE = frozenset("부국처청성망당")
_CAPITALS = re.compile(r"^[A-Z]{3,6}$")
#: an institution glossed in hanja inside its name: 흑룡강(黑龍江)일보
_GLOSSED_ORG = re.compile(r"(?<![가-힣])([가-힣]{2,15})\(([\u3400-\u9fff]{1,12}|[A-Z][A-Za-z&]{1,7})\)([가-힣]{1,10})(?![가-힣])")
_MISSIONS = ("대사관", "총영사관", "영사관", "대표부")
#: capital words that name no organisation in Korean text
_NOT_ABBREVIATIONS = frozenset("""CEO CTO CFO COO CCTV GDP GNP DNA RNA USB LED LCD PDF URL VIP OST SUV CPU GPU
    SNS APP MVP FTA ETF PER ROE IPO M&A ESG CES AI IT PC TV NFT VR AR UHD HD OTT YTN KTX SRT ATM QR
    LNG LPG CNG EV PCR RT BTS EXO AOA TWICE NCT SEO API KPI MOU OECD AFC UFC MMA NBA MLB NFL PGA LPGA""".split())
_SHORT_OK = ("부", "성", "청", "망")
_NEXT_WORD = re.compile(r" ?([가-힣]+)")
#: credit lines of agency copy: 편집: 왕팅, 사진: 김철수, 번역 : 리나
_CREDIT = re.compile(r"(?<![가-힣])(편집|번역|사진|촬영|취재|정리|글)\s*[:：]\s*([가-힣]{2,4})(?![가-힣])")


class RolesComponent:
    """Who holds which post where: see the module docstring.

    Parameters
    ----------
    nlp : Language
        The pipeline (unused; part of the factory signature).
    name : str
        Component name.
    orgs_from_shape : bool
        Also make institution-shaped words outside any description ORG entities.

    Examples
    --------
    >>> import pipeline
    >>> doc = pipeline.load()("난징대 동아시아연구소 쑨 밍하오 부소장은 말했다. 쑨 부소장은 덧붙였다.")
    >>> [(e.text, e.label_, e._.title, (e._.affiliation or {}).get("text")) for e in doc.ents]
    [('난징대 동아시아연구소', 'ORG', None, None), ('쑨 밍하오', 'PERSON', '부소장', '난징대 동아시아연구소'), ('쑨', 'PERSON', '부소장', None)]
    >>> doc.ents[-1]._.antecedent
    {'start': 12, 'end': 17}
    """

    def __init__(self, nlp: Language, name: str = "hanlink_roles", *, orgs_from_shape: bool = True):
        self.name = name
        self.orgs_from_shape = orgs_from_shape
        self.lexicon: RoleLexicon = role_lexicon()
        self.known_outlets = frozenset(read_entries(data_path("lexicons", "known_organisations.txt")))
        self.surname_titles = tuple(read_entries(data_path("lexicons", "surname_titles.txt")))

    def _is_outlet(self, text: str) -> bool:
        return text in self.known_outlets or text in self.lexicon.outlets or self.lexicon.org_shape(text)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        pieces = split_pieces(doc)
        if not pieces:
            return doc
        starts = [p.start for p in pieces]
        ents = list(doc.ents)
        # 1. names: spaced foreign names joined, non-persons dropped
        persons = [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
        orgs = [self._trim_org(s, e, pieces, starts) for s, e in
                ((e.start_char, e.end_char) for e in ents if e.label_ == "ORG")]
        orgs = [(s + text[s:e].index("=") + 1, e) if _CREDIT_PREFIX.match(text[s:e]) else (s, e) for s, e in orgs]
        places = default_word_list("places.txt")
        orgs = [span for span in orgs if span[1] > span[0] and text[span[0]:span[1]] not in places]  # 동북아
        orgs = self._whole_orgs(orgs, persons, pieces, starts, text)
        orgs, japanese = self._japanese_names_in_orgs(orgs, pieces, starts, text)
        persons += japanese
        persons, orgs = self._names_inside_institutions(persons, orgs, pieces, starts)
        # a name the model ran into the institution after it (가오첸 주한중국상공회의소): a person, then the ORG
        for index, span in enumerate(orgs):
            first = bisect_right(starts, span[0]) - 1
            if 0 <= first < len(pieces) - 1 and pieces[first].start == span[0] and pieces[first].spaced and \
                    not mission_prefix(pieces[first].text, is_place) and \
                    pieces[first + 1].end <= span[1] and not pieces[first].tail and \
                    (transcribed_shaped(pieces[first].text) or
                     (korean_shaped(pieces[first].text) and pieces[first].person_hint)) and \
                    not self.lexicon.org_shape(pieces[first].text, pieces[first].tags) and \
                    self.lexicon.org_shape(text[pieces[first + 1].start:span[1]].split(" ")[-1]):
                orgs[index] = (pieces[first + 1].start, span[1])
                persons.append((pieces[first].start, pieces[first].end))
        # a PERSON that is the institution between a name and its title (김택진 엔씨소프트 대표)
        persons.sort()
        moved: set[tuple[int, int]] = set()
        for left, right in zip(persons, persons[1:]):
            index = bisect_right(starts, right[0]) - 1
            name, other = text[left[0]:left[1]], text[right[0]:right[1]]
            gap = text[left[1]:right[0]]
            glossed = bool(_HANJA_GAP.fullmatch(gap))  # 왕서원(王受文) 상업부 부부장
            tags = pieces[index].tags if 0 <= index < len(pieces) else ()
            if (gap == " " and korean_shaped(name) and (not korean_shaped(other) or self.lexicon.org_shape(other))
                    or glossed and self.lexicon.org_shape(other, tags)) and \
                    (gap == " " or not transcribed_shaped(other)) and " " not in other and 0 <= index < len(pieces) - 1 and \
                    pieces[index].end == right[1] and pieces[index].spaced and not pieces[index].tail and \
                    (self.lexicon.is_plain_title(pieces[index + 1].text) or self.lexicon.title_of(pieces[index + 1].text)) \
                    and not paren_hanja(text, right[1]):
                moved.add(right)  # 김명희 원광대 입학관리처장
                orgs.append(right)
        persons = [span for span in persons if span not in moved]
        # an ORG that is a name before a title (천루 기자): a person
        for span in list(orgs):
            if span in moved:
                continue
            name = text[span[0]:span[1]]
            index = bisect_right(starts, span[0]) - 1
            if 0 <= index < len(pieces) - 1 and pieces[index].start == span[0] and pieces[index].end == span[1] and \
                    (transcribed_shaped(name) or (korean_shaped(name) and pieces[index].person_hint) or
                     listed_with_titles(pieces, index, self.lexicon)) and \
                    not self.lexicon.org_shape(name, pieces[index].tags) and pieces[index].spaced and \
                    self.lexicon.is_plain_title(pieces[index + 1].text):
                orgs.remove(span)
                persons.append(span)
        # credit lines: 편집: 왕팅, 사진: 김철수
        credits = {}
        occupied = SpanIndex([*persons, *orgs])
        for match in _CREDIT.finditer(text):
            span = (match.start(2), match.end(2))
            if not occupied.overlaps(*span):
                persons.append(span)
            credits[span] = (match.group(1), match.start(1), match.end(1))
        persons = sorted({shaped for span in persons
                          if (shaped := reshape_person(span, pieces, starts, text, self.lexicon, is_place))})
        # a PERSON starting inside a word is a piece of that word (천체철 of 인천체철)
        persons = [span for span in persons if not self._starts_inside_word(span, pieces, starts, text)]
        # recognition's PERSONs that are institutions (홍콩대) or places never hold a description
        shaped = [span for span in persons if len(text[span[0]:span[1]]) > 1
                  and not_a_person(text[span[0]:span[1]], None, self.lexicon, is_place, anonymous=True)]
        shaped_set = set(shaped)
        persons = [span for span in persons if span not in shaped_set]
        orgs += [span for span in shaped if self.lexicon.org_shape(text[span[0]:span[1]]) or
                 (text[span[0]:span[1]].endswith("당") and span[1] - span[0] >= 4)]  # 조국혁신당
        persons = join_spaced_names(persons, pieces, starts, text, self.lexicon, is_place)
        describer = Describer(pieces, self.lexicon, orgs, {s for s, _ in persons}, is_place, text)
        found_names = spaced_transcribed_names(pieces, describer, persons, orgs) + \
            korean_names_before_posts(pieces, describer, persons, orgs)
        found_names += listed_names(pieces, [*persons, *found_names], orgs)
        found_names += japanese_names_glossed(pieces, [*persons, *found_names], orgs)
        found_names = [span for span in found_names
                       if reshape_person(span, pieces, starts, text, self.lexicon, is_place) == span]
        if found_names:
            persons = sorted([*persons, *found_names])
            describer = Describer(pieces, self.lexicon, orgs, {s for s, _ in persons}, is_place, text)
        # 2. posts
        posts: dict[tuple[int, int], list[Post]] = {}
        for start, end in persons:
            posts[(start, end)] = self._posts(describer, pieces, starts, start, end, text)
        for span, (title, title_start, title_end) in credits.items():
            if span in posts and not posts[span]:
                posts[span] = [Post(title, title_start, title_end)]
        distribute_parents(posts, pieces, starts, describer, text, self.lexicon)
        self._shared_bylines(posts, text)
        # 3. later short references
        named = [Named(s, e, text[s:e]) for s, e in persons if len(text[s:e].replace(" ", "")) > 1]
        person_index = SpanIndex(persons)
        inside_names = {p.start for p in pieces for s, e in person_index.overlapping(p.start, p.start + 1)
                        if (p.start, p.end) != (s, e)}
        references = find_references(pieces, named, self.lexicon, inside_names)
        referenced = {(r.start, r.end): r for r in references}
        # 4. what stays a person
        keep_persons = []
        for span in persons:
            if span in referenced:
                continue
            single_with_title = span[1] - span[0] == 1 and (
                any(post.title for post in posts.get(span, ())) or self._title_follows(text, span[1]))
            if not_a_person(text[span[0]:span[1]], posts.get(span), self.lexicon, is_place,
                            anonymous=is_anonymous(text, span[1]) or single_with_title):
                continue
            keep_persons.append(span)
        # 5. institutions of the chains, and institution-shaped words
        new_orgs: list[tuple[int, int]] = []
        for span in keep_persons:
            for post in posts.get(span, ()):
                for link in post.chain:
                    if link.is_org and link.written and link.end > link.start:
                        new_orgs.append((link.start, link.end))
        if self.orgs_from_shape:
            new_orgs += self._shaped_orgs(pieces, describer)
        offsets = [x for span in [*keep_persons, *referenced, *orgs, *new_orgs] for x in span]
        ensure_boundaries(doc, offsets)
        return self._rebuild(doc, text, keep_persons, orgs, new_orgs, posts, references)

    @staticmethod
    def _starts_inside_word(span: tuple[int, int], pieces: list[Piece], starts: list[int], text: str) -> bool:
        index = bisect_right(starts, span[0]) - 1
        if index < 0:
            return False
        piece = pieces[index]
        return piece.start < span[0] < piece.end and text[span[0] - 1].isalpha() and \
            not any("\u4e00" <= ch <= "\u9fff" for ch in text[piece.start:span[0]])

    def _title_follows(self, text: str, end: int) -> bool:
        """A title or a form of address follows ``end`` (박 당선인은, 이 할머니가, 김감독님께서)."""
        match = _NEXT_WORD.match(text, end)
        if not match:
            return False
        word = match.group(1)
        return any(word.startswith(t) for t in self.surname_titles) or \
            any(self.lexicon.is_plain_title(word[:k]) for k in range(len(word), 1, -1))

    def _trim_org(self, start: int, end: int, pieces: list[Piece], starts: list[int]) -> tuple[int, int]:
        """An ORG entity without a title the model took into it (주한중국대사관 공사 → 주한중국대사관)."""
        last = bisect_right(starts, end - 1) - 1
        if 0 <= last < len(pieces) and pieces[last].start < end < pieces[last].end and \
                self.lexicon.is_plain_title(pieces[last].text):
            return start, start  # an ORG ending inside a title (제1부부 of 제1부부장): none
        if 0 <= last < len(pieces) and (pieces[last].start, pieces[last].end) == (start, end):
            match = self.lexicon.title_of(pieces[last].text)  # one word: 세종특별자치시장
            if match is not None and match.unit and pieces[last].text.startswith(match.unit):
                return start, start + len(match.unit)  # the unit, without its head's title
            if match is not None and not match.unit and not self.lexicon.org_shape(pieces[last].text):
                return start, start
        while last >= 0 and pieces[last].start > start and pieces[last].end <= end:
            match = self.lexicon.title_of(pieces[last].text)
            if match is None or (match.unit and not self.lexicon.is_plain_title(pieces[last].text)):
                break  # 순천향대 산학협력부총장 → 순천향대; 인천대 중국학술원장 stays (the unit is named in it)
            end = pieces[last - 1].end
            last -= 1
        return start, end

    # -- posts of one person ---------------------------------------------------------------------
    def _posts(self, describer: Describer, pieces: list[Piece], starts: list[int], start: int, end: int,
               text: str) -> list[Post]:
        first = max(0, bisect_right(starts, start) - 1)
        last = max(0, bisect_right(starts, end - 1) - 1)
        name_piece = pieces[last]
        covers_tail = end >= name_piece.tail_end
        free = covers_tail or not name_piece.tail
        found: list[Post] = []
        following = last + 1
        rest = text[end:name_piece.end]
        go_on = False
        if rest and self.lexicon.is_plain_title(rest):  # 유형준기자, 박기자는: the title fused to the name
            found.append(Post(rest, end, name_piece.end))
        elif free and name_piece.opens_paren:
            in_paren, following = describer.parenthesis(last)
            found += in_paren
            closing = pieces[following - 1].sep if following - 1 > last else ""
            # 유인균(柳仁均)인천제철 사장: older copy glues the description to the parenthesis
            go_on = following < len(pieces) and closing.strip() in (")", "）")
        else:
            go_on = free and name_piece.spaced and not rest
        if go_on:
            after, _ = describer.forward(following)
            found += after
        before, chain, used = describer.backward(first)
        head = found[0] if found else before
        if head is not None and not chain and not head.chain and head.title in LOCAL_HEADS:
            chain = describer.local_government(first if found else used, LOCAL_HEADS[head.title])
        earlier = describer.concurrent_before(used) if before is not None and found else None
        if earlier is not None:
            found = [earlier, *found]  # 한국서울중국교민협회 회장이며 … 사장인 조명권 박사: the posts before lead
        elif found and before is not None and (chain or before.links) and pieces[first].depth > 0:
            # (원장 김도종 총장), 종로경찰서장(빈중석 …팀장): the post before the name leads, with its institution
            before.chain = [*chain, *before.chain]
            found = [before, *found]
        elif found:
            if chain:
                found[0].chain = [*chain, *found[0].chain]
        elif before is not None:
            before.chain = [*chain, *before.chain]
            found = [before]
            earlier = describer.concurrent_before(used)
            if earlier is not None:
                found = [earlier, before]  # 혜주시 당서기 겸 … 상임위원회 주임 첸이웨이: the first post leads
        appointed = describer.appointed(first, end) if free else None
        if appointed is not None and not (found and found[0].title == appointed.title):
            found = [appointed, *found]  # 원내대변인으로 김현정 의원을 임명: the post given is the title
        if found and found[0].title in self.lexicon.byline_titles and not found[0].links:
            outlet = byline_outlet(text, start, self._is_outlet, after=found[0].title_end)
            if outlet is not None:
                found[0].chain = [outlet]
        return found

    def _shared_bylines(self, posts: dict[tuple[int, int], list[Post]], text: str) -> None:
        """Reporters listed in one byline share its outlet: ``[신화망 …] (루루이(陸睿), 겅쉐펑(耿學鵬) 기자)``."""
        outlet, outlet_end = None, -1
        for span in sorted(posts):
            found = posts[span]
            if not found or found[0].title not in self.lexicon.byline_titles:
                outlet = None
                continue
            if found[0].links:
                outlet, outlet_end = found[0].links[0], span[1]
                continue
            own = byline_outlet(text, span[0], self._is_outlet, after=found[0].title_end)
            if own is not None:
                found[0].chain = [own]
                outlet, outlet_end = own, span[1]
            elif outlet is not None and span[0] - outlet_end <= 20:
                found[0].chain = [outlet]
                outlet_end = span[1]

    def _whole_orgs(self, orgs: list[tuple[int, int]], persons: list[tuple[int, int]], pieces: list[Piece],
                    starts: list[int], text: str) -> list[tuple[int, int]]:
        """ORG spans made whole: an institution glossed in hanja inside its name (``흑룡강(黑龍江)일보``,
        ``중국차하얼(察哈爾)학회``) is one span, and a mission keeps the 駐 word before it
        (``주한 중국대사관``, ``주상하이 총영사관``)."""
        found = list(orgs)
        for match in _GLOSSED_ORG.finditer(text):
            name, ending = match.group(1) + match.group(3), match.group(3)
            # the part after the gloss is an institution's ending alone (일보, 학회), not a name of its own
            # (김동진(金東晉)현대우주항공 is a person and a company)
            if not (ending in self.lexicon.strong_endings or default_lexicons().org_suffix(ending) == ending) or \
                    not (self.lexicon.org_shape(name) or default_lexicons().org_suffix(name)) or \
                    any(s <= match.start() < e for s, e in persons):
                continue
            span = (match.start(), match.end())
            found = [o for o in found if not (o[0] < span[1] and span[0] < o[1])] + [span]
        whole = []
        for start, end in found:
            index = bisect_right(starts, start) - 1
            while 0 < index < len(pieces) and pieces[index].start == start and \
                    pieces[index - 1].sep in ("·", "ㆍ", "・") and is_hangul(pieces[index - 1].text) and \
                    self.lexicon.title_of(pieces[index - 1].text) is not None:
                index -= 1  # 전국시장·군수·구청장협의회: office holders' association (not 현대·기아차, 하나·외환은행)
                start = pieces[index].start
            name = text[start:end]
            if name.endswith(_MISSIONS) and 0 < index < len(pieces) and pieces[index].start == start:
                before = pieces[index - 1]
                if before.spaced and not before.tail and mission_prefix(before.text, is_place):
                    start = before.start  # 주한 중국대사관, 주상하이 총영사관
                elif before.spaced and not before.tail and is_place(before.text) and index > 1 and \
                        pieces[index - 2].text == "주" and pieces[index - 2].spaced:
                    start = pieces[index - 2].start  # 주 요코하마 대한민국총영사관
                elif before.spaced and before.text == "주" and is_place(pieces[index].text):
                    start = before.start  # the same, the place already in the ORG
            whole.append((start, end))
        return sorted(set(whole))

    def _names_inside_institutions(self, persons: list[tuple[int, int]], orgs: list[tuple[int, int]],
                                   pieces: list[Piece], starts: list[int]) \
            -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """A name that is part of a unit's name, between a person's institution and its unit
        (``도쓰카 에쓰로 류코쿠대학 안중근 동양평화연구센터 객원연구원``): the unit ``안중근 동양평화연구센터``,
        not a person. Only when another person stands right before the institution (``인천대 이갑영
        중국학술원 원장`` keeps its person)."""
        org_index = SpanIndex(orgs)
        person_ends = {e for _, e in persons}
        dropped, added = set(), []
        for span in persons:
            i = bisect_right(starts, span[0]) - 1
            if i < 2 or i + 2 >= len(pieces) or (pieces[i].start, pieces[i].end) != span or not pieces[i].spaced:
                continue
            before, after = pieces[i - 1], pieces[i + 1]
            owner = pieces[i - 2]
            if before.spaced and not before.tail and \
                    (org_index.covers(before.start, before.end) or self.lexicon.org_shape(before.text)) and \
                    (owner.end in person_ends or owner.tail_end in person_ends) and owner.spaced and after.spaced and not after.tail and \
                    self.lexicon.org_shape(after.text) and self.lexicon.is_unit(after.text) and \
                    self.lexicon.is_plain_title(pieces[i + 2].text):
                dropped.add(span)
                added.append((span[0], after.end))
        if not dropped:
            return persons, orgs
        orgs = [o for o in orgs if not any(o[0] < e and a[0] < o[1] for a in added for e in (a[1],))] + added
        return [p for p in persons if p not in dropped], orgs

    def _japanese_names_in_orgs(self, orgs: list[tuple[int, int]], pieces: list[Piece], starts: list[int],
                                text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """ORG spans that are a spaced Japanese name (``도쓰카 에쓰(로)``: the analyser read 로 as a particle)
        become PERSON spans; an ORG that stops before a unit ending the analyser took for a particle
        before a title takes it back (``국제관계연구`` + ``과 교수`` → ``국제관계연구과``)."""
        kept, persons = [], []
        for start, end in orgs:
            last = bisect_right(starts, end - 1) - 1
            piece = pieces[last] if last >= 0 else None
            words = text[start:end].split(" ")
            if piece is not None and len(words) == 2 and piece.end == end:
                whole = words[1] + (piece.tail if len(piece.tail) == 1 else "")
                if japanese_pair(words[0], whole):
                    persons.append((start, start + len(words[0]) + 1 + len(whole)))
                    continue
            if piece is not None and piece.end == end and piece.tail == "과" and piece.spaced and \
                    last + 1 < len(pieces) and self.lexicon.is_plain_title(pieces[last + 1].text):
                end = piece.tail_end  # 리쓰메이칸대학 국제관계연구과 교수
            kept.append((start, end))
        return kept, persons

    def _shaped_orgs(self, pieces: list[Piece], describer: Describer) -> list[tuple[int, int]]:
        """Institution-shaped words outside descriptions (연변대학, 평양사회과학원, 방위성): a strong ending
        after a stem of two syllables or more, or a ministry-like one-syllable ending after a proper noun."""
        found = []
        lex = self.lexicon
        for i, piece in enumerate(pieces):
            reading = describer.read(i)
            text = reading.text
            if reading.kind == "title" and reading.title and reading.title.unit and text.startswith(reading.title.unit):
                text = reading.title.unit  # 중국학술원장 → 중국학술원
            elif reading.kind != "org":
                continue
            if text.isascii():
                continue
            if len(text) < 4 and not any(text.endswith(e) for e in _SHORT_OK):
                if not (len(text) == 3 and piece.tags == ("NNP",) and text[-1:] in _WEAK_OUTSIDE):
                    continue
            ending = next((e for e in lex.strong_endings if text.endswith(e)), "")
            if ending:
                if len(text) - len(ending) < 2 or text[:-len(ending)] in lex.org_stop_stems:
                    continue
            elif text[-1:] in _WEAK_OUTSIDE:
                if not (text[:-1] in lex.ministry_stems or "NNP" in piece.tags[:-1]):
                    continue
            elif not default_lexicons().org_suffix(text):
                continue
            found.append((piece.start, piece.start + len(text)))
        for i, piece in enumerate(pieces):  # abbreviations in capitals glossing or standing for an institution
            if _CAPITALS.match(piece.text) and piece.text not in _NOT_ABBREVIATIONS and \
                    not lex.is_plain_title(piece.text) and self._beside_institution(pieces, i, describer):
                found.append((piece.start, piece.end))
        return found

    @staticmethod
    def _beside_institution(pieces: list[Piece], index: int, describer: Describer) -> bool:
        """A capital abbreviation in parentheses after an institution (국가안전보장국(NSS)), or before a
        title (KIET 연구위원)."""
        piece = pieces[index]
        if index and piece.depth > pieces[index - 1].depth and describer.read(index - 1).kind == "org":
            return True
        return index + 1 < len(pieces) and piece.spaced and describer.read(index + 1).kind == "title"

    # -- the new doc.ents ---------------------------------------------------------------------
    @staticmethod
    def _stripped(spans, text: str) -> list[tuple[int, int]]:
        """Spans without whitespace at either end (the model can end a name on a line break: 왕\\n)."""
        out = []
        for start, end in spans:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append((start, end))
        return out

    def _rebuild(self, doc: Doc, text: str, persons: list[tuple[int, int]], orgs: list[tuple[int, int]],
                 new_orgs: list[tuple[int, int]], posts: dict, references: list) -> Doc:
        person_spans: list[Span] = []
        for span in persons:  # posts follow a span whose whitespace is cut off its ends
            for stripped in self._stripped([span], text):
                if stripped != span and span in posts:
                    posts[stripped] = posts[span]
        persons, orgs = self._stripped(persons, text), self._stripped(orgs, text)
        new_orgs = self._stripped(new_orgs, text)
        for start, end in persons:
            span = doc.char_span(start, end, label="PERSON", alignment_mode="strict")
            if span is not None:
                person_spans.append(span)
        reference_spans = []
        for ref in references:
            span = doc.char_span(ref.start, ref.end, label="PERSON", alignment_mode="strict")
            if span is not None:
                reference_spans.append((span, ref))
        org_spans = [s for s in (doc.char_span(a, b, label="ORG", alignment_mode="strict") for a, b in orgs) if s]
        person_cover = [(s.start_char, s.end_char) for s in person_spans] + \
                       [(s.start_char, s.end_char) for s, _ in reference_spans]
        added = []
        occupied = SpanIndex([*orgs, *person_cover])
        for a, b in dict.fromkeys(new_orgs):
            if occupied.overlaps(a, b):
                continue
            span = doc.char_span(a, b, label="ORG", alignment_mode="strict")
            if span is not None:
                span._.source = "roles"
                added.append(span)
        ents = filter_spans([*person_spans, *(s for s, _ in reference_spans), *org_spans, *added])
        doc.ents = sorted(ents, key=lambda s: s.start)
        for span in person_spans:
            key = (span.start_char, span.end_char)
            found = posts.get(key) or []
            self._set_roles(span, text, found)
        for span, ref in reference_spans:
            span._.antecedent = {"start": ref.antecedent.start, "end": ref.antecedent.end}
            span._.title = ref.title
            span._.roles = [{"title": ref.title, "institution": None, "former": False}]
            span._.source = "reference"
        return doc

    @staticmethod
    def _institution(post: Post) -> dict[str, Any] | None:
        links = post.links
        if not links:
            return None
        written = [link for link in links if link.written] or links
        orgs = [link for link in written if link.is_org] or written
        return {"text": post.institution_text, "start": written[0].start, "end": written[-1].end,
                "unit_start": orgs[-1].start, "unit_end": orgs[-1].end, "kb_id": None}

    def _set_roles(self, span: Span, text: str, found: list[Post]) -> None:
        given = span._.affiliation
        if given and "\n" in text[min(given["end"], span.start_char):span.start_char]:
            span._.affiliation = None  # a credit line above the name is not its description
        if not found:
            title, affiliation = span._.title, span._.affiliation
            span._.roles = [{"title": title, "institution": affiliation, "former": False}] \
                if (title or affiliation) else []
            return
        roles = [{"title": post.title, "institution": self._institution(post), "former": post.former}
                 for post in found]
        primary = next((role for role in roles if not role["former"]), roles[0])
        if primary["title"] or not span._.title:
            span._.title = primary["title"]
        if primary["institution"] is not None or span._.affiliation is None:
            if span._.affiliation is None or primary["institution"] is not None:
                span._.affiliation = primary["institution"]
        span._.roles = roles


#: a picture credit the model took into an institution's name: 사진제공=한중기업가협회
_CREDIT_PREFIX = re.compile(r"^(?:사진|자료|그래픽|영상)?\s*(?:제공|출처|촬영)?\s*=(?=\S)")
#: a name's hanja between it and the next word: "(王受文) "
_HANJA_GAP = re.compile(r"\([\u3400-\u9fff]{1,8}\) ")


@Language.factory(
    "hanlink_roles",
    default_config={"orgs_from_shape": True},
    requires=["doc.ents"],
    assigns=["doc.ents", "span._.roles", "span._.title", "span._.affiliation", "span._.antecedent"],
)
def make_roles_component(nlp: Language, name: str, orgs_from_shape: bool) -> RolesComponent:
    """Factory of :class:`RolesComponent`."""
    return RolesComponent(nlp, name, orgs_from_shape=orgs_from_shape)


__all__ = ["RolesComponent", "make_roles_component", "Link", "Post"]
