"""Which PERSON spans are names: spaced foreign names joined, non-names dropped.

* A Chinese name in the official transcription or a Japanese or Western name is often written with a
  space (``쑨 밍하오``, ``마쓰모토 다카시``, ``야시엘 푸이그``); when recognition found only one word of
  it, the neighbouring word that reads as a name is joined: one PERSON for the whole name.
* A lone syllable that refers to nobody, a place (난닝시), an organisation word (홍보처, 통계국), a title
  or a dictionary word the analyser reads as a common noun (상호, 주선) is no person.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Callable, Sequence

from pipeline.names import _data
from pipeline.names.parens import hanja_in_paren, paren_after
from pipeline.names.script import is_hangul
from pipeline.roles.pieces import Piece
from pipeline.roles.spans import SpanIndex
from pipeline.roles.titles import RoleLexicon

#: analyser tags of a word that reads as part of a foreign name (mecab: proper noun, foreign, unknown)
_NAME_TAGS = frozenset({"NNP", "SL", "UNKNOWN", "NA", "UNK", "SH"})
_NOUN_LIKE = frozenset({"NNP", "NNG", "SL", "SH", "UNKNOWN", "NA", "UNK", "MM", "NNB", "NR", "NNBC"})
_COMMON_TAGS = frozenset({"NNG", "NNB", "NR", "NP", "VV", "VA", "MAG", "MM", "XSN", "XSV", "XSA", "VCP", "EC", "EF",
                          "ETM", "ETN", "EP", "IC", "MAJ"})


#: syllables press writes for Mandarin besides the official ones (웨이샤오얀, 션딩창, 꾸어펑, 쟝)
_PRESS_SYLLABLES = frozenset("얀션엔앤쟝꾸어쩐씬쨔따띠뚜")


@lru_cache(maxsize=1)
def transcription_syllables() -> frozenset[str]:
    """Hangul syllables of the official transcription of Mandarin (쑨, 밍, 하오, 짱 ...)."""
    from pipeline.names.transcribe import UNOFFICIAL_SYLLABLES

    syllables = set(UNOFFICIAL_SYLLABLES)
    for hangul in _data.pinyin_hangul().values():
        syllables.update(hangul)
    return frozenset(syllables)


def _reads_as_name(piece: Piece, lexicon: RoleLexicon, is_place: Callable[[str], bool], loose: bool = False) -> bool:
    """A word that can be one word of a spaced foreign name: Hangul, no particle, not a title, an
    institution or a place, and not a plain dictionary word."""
    text = piece.text
    if not is_hangul(text) or piece.tail or len(text) > 5:
        return False
    if lexicon.is_plain_title(text) or lexicon.title_of(text) or lexicon.org_shape(text, piece.tags) or is_place(text):
        return False
    if text in lexicon.former_markers or text in ("겸", "현", "및", "등", "또", "이번", "지난", "당시"):
        return False
    if mission_prefix(text, is_place):
        return False
    if len(text) == 1:
        return text in transcription_syllables()
    if all(tag in _COMMON_TAGS for tag in piece.tags) and len(piece.tags) == 1:
        return False  # one dictionary word: 교수, 경제, 오늘
    if loose:  # a Japanese name's other word (이시바 of 이시바 시게루(石破茂)): any noun-like word
        return all(tag in _NOUN_LIKE for tag in piece.tags)
    return any(tag in _NAME_TAGS for tag in piece.tags)


def japanese_names_glossed(pieces: Sequence[Piece], persons: Sequence[tuple[int, int]],
                           orgs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spaced Japanese names glossed in hanja that recognition missed: ``이다 유지(飯田祐二) 사무차관``."""
    taken = SpanIndex([*persons, *orgs])
    found = []
    for i in range(len(pieces) - 1):
        first, second = pieces[i], pieces[i + 1]
        if not first.spaced or first.tail or second.tail or not second.opens_paren or \
                not japanese_pair(first.text, second.text) or taken.overlaps(first.start, second.end):
            continue
        if i + 2 < len(pieces) and 2 <= len(pieces[i + 2].text) <= 6 and \
                all("\u4e00" <= ch <= "\u9fff" for ch in pieces[i + 2].text):
            found.append((first.start, second.end))
    return found


def mission_prefix(word: str, is_place: Callable[[str], bool]) -> bool:
    """駐 + where a mission is, written before it: 주한, 주중, 주상하이 (never a name)."""
    return word[:1] == "주" and len(word) >= 2 and (word[1:] in ("한", "중", "일", "미", "북", "러") or is_place(word[1:]))


def korean_shaped(word: str, surnames: frozenset[str] | None = None) -> bool:
    """Three Hangul syllables starting with a Korean surname (김철수), or four with a compound one."""
    if surnames is None:
        from pipeline.lexicons import default_lexicons

        surnames = default_lexicons().surnames
    if not is_hangul(word):
        return False
    return (len(word) == 3 and word[0] in surnames) or (len(word) == 4 and word[:2] in surnames)


def _single_proper(piece: Piece) -> bool:
    """One analyser token read as a proper noun, a foreign word or unknown: 카카오 is, 아시아경제
    (아시아 + 경제) is not."""
    return len(piece.tags) == 1 and piece.tags[0] in _NAME_TAGS


def join_spaced_names(persons: Sequence[tuple[int, int]], pieces: Sequence[Piece], starts: list[int], text: str,
                      lexicon: RoleLexicon, is_place: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
    """``persons`` with each one-word foreign name extended over the spaced word before or after it
    that completes it (``밍하오`` → ``쑨 밍하오``, ``푸이그`` → ``야시엘 푸이그``).

    Only a Hangul name of one word that is not shaped like a Korean name is extended, by one word,
    and only when the two words together look like a foreign name: a one-syllable Chinese surname
    before a transcribed given name, or two words of at least two syllables, the other one read by
    the analyser as one proper noun (or written in transcription syllables).
    """
    from pipeline.lexicons import default_lexicons
    from pipeline.roles.titles import place_word

    surnames = default_lexicons().surnames
    is_place = is_place or place_word
    persons = _merge_neighbours(sorted(persons), text, surnames)
    taken = SpanIndex(persons)
    result = []
    for start, end in persons:
        name = text[start:end]
        index = bisect_right(starts, start) - 1
        hanja = paren_hanja(text, end)
        if " " in name or not is_hangul(name) or len(name) > 5 or index < 0 or pieces[index].start != start or \
                (korean_shaped(name, surnames) and (not hanja or reads_as(name, hanja)) and
                 not (index > 0 and japanese_pair(pieces[index - 1].text, name))):
            # a Korean name (김철수(金哲洙)), unless hanja that do not read as it gloss it (기시다 후미오(岸田文雄))
            result.append((start, end))
            continue
        new = (start, end)
        own = pieces[index]
        before = pieces[index - 1] if index > 0 else None
        after = pieces[index + 1] if index + 1 < len(pieces) else None
        # 이시바 시게루(石破茂): more syllables than characters and no Chinese reading of them (쿵쉬안유(孔鉉佑) is one)
        japanese = bool(hanja) and before is not None and len(before.text) + len(name) > len(hanja) + 1 and \
            not reads_as(name, hanja)
        pair = before is not None and japanese_pair(before.text, name) and not before.tail and \
            not (lexicon.is_plain_title(before.text) or lexicon.org_shape(before.text) or is_place(before.text))
        japanese = japanese or pair
        if before is not None and before.spaced and before.depth == own.depth and \
                (_reads_as_name(before, lexicon, is_place, loose=japanese) or pair) and \
                (japanese or not korean_shaped(before.text, surnames)) and \
                not taken.overlaps(before.start, before.start + 1):
            if (len(before.text) == 1 and before.text in chinese_surnames_hangul() and 1 <= len(name) <= 4
                and all(ch in transcription_syllables() for ch in name)) \
                    or (len(before.text) >= 2 and len(name) >= 2 and (_single_proper(before) or japanese)):
                new = (before.start, end)
        if new == (start, end) and after is not None and own.spaced and not own.tail and end == own.end and \
                after.depth == own.depth and _reads_as_name(after, lexicon, is_place) and \
                not korean_shaped(after.text, surnames) and not taken.overlaps(after.start, after.start + 1) and \
                len(name) >= 2 and len(after.text) >= 2 and _single_proper(after):
            new = (start, after.end)
        result.append(new)
    return sorted(set(result))


def paren_hanja(text: str, end: int) -> str:
    """The hanja printed in the parenthesis right after ``end`` (``시게루(石破茂)`` → 石破茂), or ``""``."""
    content = paren_after(text, end)
    return (hanja_in_paren(content) or "") if content else ""


#: Hangul syllables of Japanese as Korean writes it (가나 → 아이우에오, 가기구게고, 카키쿠케코, 사시스세소,
#: 다지쓰데도, 타치테토, 나니누네노, 하히후헤호, 마미무메모, 야유요, 라리루레로, 와; 잇, 신, 켄 …)
_JAPANESE = frozenset("아이우에오가기구게고카키쿠케코사시스세소자지즈제조다데도타치쓰츠테토나니누네노하히후헤호바비부베보"
                      "파피푸페포마미무메모야유요라리루레로와갸규교캬큐쿄샤슈쇼자주조차추초냐뉴뇨햐휴효랴류료"
                      "신진켄겐준슌잇핫겐젠덴텐넨센렌간칸산잔단탄난한반만란완운훈분문순준둔")
#: syllables Korean names almost never have: one of them makes a word Japanese (하코다, 데쓰야, 나카토)
_JAPANESE_MARKERS = frozenset("쓰즈츠코쿠키케토테카타치후히로루레요유")


def japanese_shaped(word: str) -> bool:
    """A word written in the syllables of Japanese, one of them un-Korean (하코다, 데쓰야, 오코노기; not
    김철수, 마사오 alone).

    >>> [japanese_shaped(w) for w in ("하코다", "데쓰야", "오코노기", "마사오", "김철수")]
    [True, True, True, False, False]
    """
    return 2 <= len(word) <= 5 and all(ch in _JAPANESE for ch in word) and any(ch in _JAPANESE_MARKERS for ch in word)


def japanese_pair(first: str, second: str) -> bool:
    """Two spaced words that make one Japanese name: both in Japanese syllables, one of them un-Korean."""
    return all(all(ch in _JAPANESE for ch in w) and 2 <= len(w) <= 5 for w in (first, second)) and \
        (japanese_shaped(first) or japanese_shaped(second))


def _merge_neighbours(persons: list[tuple[int, int]], text: str, surnames: frozenset[str]) -> list[tuple[int, int]]:
    """Two one-word PERSON spans separated by one space that make one foreign name (이시바 + 시게루):
    both of at least two syllables and not both shaped like Korean names (김철수 박영희 stay two), or a
    one-syllable transcribed surname before a transcribed given name (쑨 + 밍하오)."""
    merged: list[tuple[int, int]] = []
    for span in persons:
        if merged:
            a, b = merged[-1]
            first, second = text[a:b], text[span[0]:span[1]]
            korean = korean_shaped(first, surnames) or korean_shaped(second, surnames)
            hanja = paren_hanja(text, span[1])
            if hanja and len(first) + len(second) > len(hanja) + 1 and not reads_as(second, hanja) or \
                    japanese_pair(first, second):
                korean = False  # 이시바 시게루(石破茂), 하코다 데쓰야: a Japanese name
            if text[b:span[0]] == " " and is_hangul(first) and is_hangul(second) and not korean and (
                    (len(first) >= 2 and len(second) >= 2)
                    or (len(first) == 1 and first in transcription_syllables() and len(second) <= 3)):
                merged[-1] = (a, span[1])
                continue
        merged.append(span)
    return merged


def _place_stem(word: str, is_place: Callable[[str], bool]) -> bool:
    """``word`` is a place with a one-syllable institution ending (한국부, 중국국)."""
    return len(word) >= 3 and is_place(word[:-1])


def not_a_person(name: str, posts, lexicon: RoleLexicon, is_place: Callable[[str], bool], *,
                 anonymous: bool = False) -> bool:
    """True for a PERSON span that is no name (a lone syllable, a place, an organisation word, a title).

    ``anonymous``: the span is followed by 씨/모/군/양 (김씨, 이모 씨), the way press writes a person it
    does not name, or by a title (박 대통령은) when recognition found it and no earlier mention is its
    antecedent (KLUE's guideline tags both as persons); such a syllable stays a person.

    >>> from pipeline.roles.titles import role_lexicon
    >>> from pipeline.names.places import is_place
    >>> [not_a_person(n, None, role_lexicon(), is_place) for n in ("김", "난닝시", "홍보처", "교수", "허쥔")]
    [True, True, True, True, False]
    """
    compact = name.replace(" ", "")
    if len(compact) <= 1:
        if anonymous or compact in _SINGLE_NAMES:
            return False  # 김씨, 이모 씨, A씨: a person the text does not name
        from pipeline.lexicons import default_lexicons

        return compact in default_lexicons().surnames or compact in _NOT_SINGLE_NAMES

    if any("가" <= ch <= "힣" for ch in compact):
        if is_place(compact) or lexicon.is_plain_title(compact):
            return True
        if lexicon.org_shape(compact) and not posts:
            # 박종대 is a name, 홍콩대 and 베이징대 are universities: a name-shaped word ending in 대 is an
            # institution only after a place
            return not (korean_shaped(compact) and compact.endswith("대") and not is_place(compact[:-1]))
        if compact.endswith(("처", "국", "청", "망", "부")) and len(compact) >= 3 and compact[:-1] in lexicon.ministry_stems:
            return True
        if compact.endswith(("시", "성", "현", "구", "군")) and is_place(compact[:-1]):
            return True
        if compact.endswith("당") and len(compact) >= 4 and " " not in name:
            return True  # 조국혁신당, 더불어민주당: a party
    return False


def spaced_transcribed_names(pieces: Sequence[Piece], describer, persons: Sequence[tuple[int, int]],
                             orgs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Chinese names written spaced in the official transcription right before a title, that recognition
    missed: ``난징대 동아시아연구소 쑨 밍하오 부소장`` → ``쑨 밍하오``.

    The surname is one Hangul syllable of the transcription, the given name up to four (밍하오), and a
    title follows.
    """
    syllables = transcription_syllables()
    taken = SpanIndex([*persons, *orgs])
    found = []
    for i in range(2, len(pieces)):
        reading = describer.read(i)
        if reading.kind != "title":
            continue
        surname, given = pieces[i - 2], pieces[i - 1]
        if not (surname.spaced and given.spaced and surname.depth == given.depth == pieces[i].depth):
            continue
        if surname.tail or given.tail or len(surname.text) != 1 or not 1 <= len(given.text) <= 4:
            continue
        if not all(ch in syllables for ch in surname.text + given.text):
            continue
        if any(describer.read(k).kind is not None for k in (i - 2, i - 1)):
            continue
        if taken.overlaps(surname.start, given.end):
            continue
        found.append((surname.start, given.end))
    return found


#: Han surnames common enough to take a Hangul word + (漢字) for a name (with data/names/surnames.tsv)
_COMMON_HAN_SURNAMES = frozenset("王李張张劉刘陳陈楊杨黃黄趙赵吳吴周徐孫孙馬马朱胡郭何高林羅罗鄭郑梁謝谢宋唐許许韓韩馮冯鄧邓曹彭曾蕭萧田董袁潘于蔣蒋蔡賈贾丁魏薛葉叶閻阎余杜戴夏鍾钟汪任姜范方石姚譚谭廖鄒邹熊金陸陆郝孔白崔康毛邱秦江史顧顾侯邵孟龍龙萬万段錢钱湯汤尹黎易常武喬乔賀贺賴赖龔龚文沈申朴李崔鄭姜趙尹張林韓吳徐權权黃安宋柳洪全高孫文梁裵白許南沈盧河丁成車車具閔兪柳羅陳池嚴蔡元千方孔玄咸卞廉楊邊呂秋都魯蘇慎石薛宣馬吉延表明奇潘王琴玉陸印孟諸卓秦")

#: words of three syllables starting with a surname syllable that are no names (a guard for
#: :func:`korean_names_before_posts`; the analyser reads most such words as one dictionary noun)
#: particles that cannot join a noun to the institution after it, so the syllable is the name's own
#: (이상만 경남대 … 교수; not 후임의, 감사와, 시기에)
_ODD_BEFORE_NOUNS = frozenset({"만"})
#: a lawmaker's seniority before the name (재선 허영 의원, 6선의 주호영 의원)
_SENIORITY = re.compile(r"^(?:재선|초선|다선|\d+선)(?:의)?$")
#: bullets of lists in press (△내과 진상만, 김혜련 △신경외과 김강민)
_BULLETS = frozenset("△▲◇◆■□○●▶▷※•")
#: last syllables of common nouns for people and things (전문가, 관계자, 연구원, 사업가, 대표단)
_COMMON_NOUN_ENDINGS = frozenset("가자원사인단측들")
_NOT_NAMES = frozenset({"전문가", "이번달", "이사장", "정부는", "한편", "최고위", "조사단", "고위급",
                        # function nouns shaped like a transcribed name (이후 대한항공 조종사)
                        "이후", "이전", "이상", "이하", "이내", "이외", "이래", "이날", "이번", "차이", "사이", "당시",
                        "주요국", "주요", "이어서", "이어"})


@lru_cache(maxsize=1)
def chinese_surnames_hangul() -> frozenset[str]:
    """The commonest Chinese surnames in the official Hangul transcription (왕, 자오, 쑨, 저우 ...)."""
    from pipeline.lexicons import read_entries
    from pipeline.names.transcribe import syllable_to_hangul
    from pipeline.paths import data_path

    pinyin = [w for entry in read_entries(data_path("lexicons", "chinese_surnames_pinyin.txt")) for w in entry.split()]
    return frozenset(h for h in (syllable_to_hangul(p) for p in pinyin) if h)


def transcribed_shaped(word: str) -> bool:
    """Two to four Hangul syllables of the official transcription of Mandarin, starting with a common
    Chinese surname: 류젠, 쑨웨이둥, 자오러지.

    >>> transcribed_shaped("류젠"), transcribed_shaped("쑨웨이둥"), transcribed_shaped("정부"), transcribed_shaped("김상훈")
    (True, True, True, False)
    """
    if not 2 <= len(word) <= 5 or not is_hangul(word) or \
            not all(ch in transcription_syllables() or ch in _PRESS_SYLLABLES for ch in word):
        return False
    surnames = chinese_surnames_hangul()
    return any(word[:k] in surnames and len(word) > k for k in (1, 2))


def korean_names_before_posts(pieces: Sequence[Piece], describer, persons: Sequence[tuple[int, int]],
                              orgs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names recognition missed, in the commonest shape of press: ``NAME [institution…] title``
    (``조철 산업연구원 연구위원이``, ``고재휘 교수``, ``류젠 국제부장``).

    The word has three Hangul syllables and begins with a Korean surname (four with a compound one),
    or is a Chinese name in the official transcription (:func:`transcribed_shaped`); the analyser split
    it or read it as a proper noun (a single dictionary noun such as 전문가 or 정부 is not taken); a
    title follows, after at most a chain of institutions.
    """
    from pipeline.lexicons import default_lexicons

    surnames = default_lexicons().surnames
    taken = SpanIndex([*persons, *orgs])
    found = []
    for i, piece in enumerate(pieces[:-1]):
        if not piece.spaced or (piece.text in _NOT_NAMES and not piece.tail) or piece.text + piece.tail in _NOT_NAMES:
            continue
        word, end = piece.text, piece.end
        if piece.tail:  # 왕이 외교부장, 장가을 기자: the analyser took the name's last syllable for a particle
            word, end = piece.text + piece.tail, piece.tail_end
            byline_next = i + 1 < len(pieces) and pieces[i + 1].text in describer.lex.byline_titles
            if len(piece.tail) != 1 or not (transcribed_shaped(word) or (korean_shaped(word, surnames) and
                                                                         (byline_next or piece.tail in _ODD_BEFORE_NOUNS
                                                                          and _institution_next(describer, i)))):
                continue
        elif not (korean_shaped(word, surnames) or transcribed_shaped(word) or _byline_name(pieces, i, describer.lex, surnames)):
            continue
        reading = describer.read(i)
        # one syllable that reads as a title before its particle (왕 + 이 of 왕이 외교부장) may be a surname
        surname_title = piece.tail and len(piece.text) == 1 and reading.kind == "title" and transcribed_shaped(word)
        if (reading.kind is not None and not surname_title) or taken.overlaps(piece.start, end):
            continue
        if i > 0 and pieces[i - 1].spaced and not pieces[i - 1].tail and \
                taken.overlaps(pieces[i - 1].start, pieces[i - 1].end) and \
                (describer.lex.org_shape(word) or korean_shaped(pieces[i - 1].text, surnames)):
            continue  # 김한수 계명대 입학처장, 박지원 두산 부회장: the word between a name and its title is its institution
        posts, _ = describer.forward(i + 1)
        if not posts or not posts[0].title:
            continue
        with_institution = any(link.is_org for link in posts[0].chain)
        noun_like = transcribed_shaped(word) or all(tag in _NOUN_LIKE for tag in piece.tags)
        dictionary_word = len(piece.tags) == 1 and piece.tags[0] != "NNP" and not piece.tail and \
            not (transcribed_shaped(word) and (len(word) >= 3 or with_institution))  # 중홍눠, 천징 … 부주임; 정부
        # a name before an institution and a title, however the analyser tagged it (강애리 푸단대 …생);
        # before a title alone, not a verb form (순직한 경찰관) nor one dictionary noun
        # a word of the dictionary that starts a clause and stands before an institution and a title
        # (… 파견했습니다. 천해성 한국 통일부 차관은): the analyser's dictionary has names too
        clause_start = i == 0 or pieces[i - 1].sep.strip()[-1:] in (".", ",", "，", "!", "?") or "\n" in pieces[i - 1].sep
        named_clause = with_institution and clause_start and korean_shaped(word, surnames) and not piece.tail and \
            word[-1:] not in _COMMON_NOUN_ENDINGS
        if (with_institution and (not dictionary_word or piece.person_hint or named_clause)) or \
                (noun_like and not dictionary_word) or _byline_name(pieces, i, describer.lex, surnames):
            found.append((piece.start, end))
    # (소장 고재휘·사진), (총장 서교일): a name right after a title that opens a parenthesis
    for i in range(1, len(pieces)):
        piece, before = pieces[i], pieces[i - 1]
        if piece.tail or before.tail or not before.spaced or before.depth != piece.depth or piece.depth == 0:
            continue
        if not (korean_shaped(piece.text, surnames) or transcribed_shaped(piece.text)):
            continue
        if i >= 2 and not pieces[i - 2].sep.strip().endswith(("(", "（")):
            continue
        if describer.read(i - 1).kind == "title" and not taken.overlaps(piece.start, piece.end):
            found.append((piece.start, piece.end))
    # 션딩창(沈定昌): a Hangul word with a name in Han characters in the parenthesis after it
    from pipeline.names.zh import split_surname
    from pipeline.names import _data

    for i, piece in enumerate(pieces[:-1]):
        if piece.tail or not piece.opens_paren or not is_hangul(piece.text) or not 2 <= len(piece.text) <= 6:
            continue
        hanja = paren_hanja(describer.text, piece.end)
        if not hanja or not len(hanja) <= len(piece.text) <= 2 * len(hanja) + 1:
            continue
        surname, _ = split_surname(hanja)
        known = surname in _data.surnames() or surname in _COMMON_HAN_SURNAMES
        # a Chinese name in the transcription of its hanja (겅쉐펑(耿學鵬)); a Sino-Korean reading only with a
        # known surname (왕국유(王國維)), as words glossed with hanja read the same way (동북공정(東北工程))
        if not (reads_as(piece.text, hanja, ("hangul",)) or (known and reads_as(piece.text, hanja))):
            continue
        if describer.read(i).kind is not None or taken.overlaps(piece.start, piece.end):
            continue
        found.append((piece.start, piece.end))
    # 유형준기자: a byline name written fused to its title
    for piece in pieces:
        for title in describer.lex.byline_titles:
            stem = piece.text[:-len(title)]
            if piece.text.endswith(title) and korean_shaped(stem, surnames) and \
                    not taken.overlaps(piece.start, piece.end):
                found.append((piece.start, piece.start + len(stem)))
                break
    return found


#: one-syllable names recognition may find that are not surnames (존, 맷) are kept; these are not names
_NOT_SINGLE_NAMES = frozenset({"씬", "신", "컷", "팀", "편", "분", "명", "측", "쪽"})
_SINGLE_NAMES = frozenset()
_ANONYMOUS = re.compile(r"^\s?(?:모\s?)?(?:[(（][0-9·,\s가-힣]{1,12}[)）]\s?)?(?:씨|氏|군|양|모씨|모\b)")


def _institution_next(describer, index: int) -> bool:
    """An institution and then a title follow piece ``index`` (사회는 이상만 경남대 극동문제연구소 교수가: the
    analyser read 이상 + 만)."""
    posts, _ = describer.forward(index + 1)
    return bool(posts) and bool(posts[0].title) and any(link.is_org for link in posts[0].chain)


def listed_with_titles(pieces: Sequence[Piece], index: int, lexicon: RoleLexicon) -> bool:
    """Piece ``index`` is a two-syllable Korean name in a list of names with their titles
    (``조미선 부회장, 주엽 사무총장, …``)."""
    from pipeline.lexicons import default_lexicons

    piece = pieces[index]
    if len(piece.text) != 2 or piece.text[0] not in default_lexicons().surnames or piece.tail or \
            index == 0 or index + 1 >= len(pieces) or not piece.spaced:
        return False
    before, following = pieces[index - 1], pieces[index + 1]
    return before.sep.strip() in (",", "，") and not before.tail and lexicon.is_plain_title(before.text) and \
        lexicon.is_plain_title(following.text) and following.sep.strip() in (",", "，") and not following.tail


def _byline_name(pieces: Sequence[Piece], index: int, lexicon: RoleLexicon, surnames: frozenset[str]) -> bool:
    """A two-syllable Korean name where nothing else can stand: in a byline (``남석 기자=``), between a
    lawmaker's seniority and 의원 (``재선 허영 의원을``), or in a list of names with their titles
    (``조미선 부회장, 주엽 사무총장, 이예나 … 회장``)."""
    piece = pieces[index]
    if len(piece.text) != 2 or piece.text[0] not in surnames or index + 1 >= len(pieces) or piece.tail:
        return False
    following = pieces[index + 1]
    if listed_with_titles(pieces, index, lexicon):
        return True
    if index > 0 and pieces[index - 1].spaced and _SENIORITY.match(pieces[index - 1].text) and \
            following.text == "의원" and piece.spaced:
        return True
    return piece.tags == ("NNP",) and following.text in lexicon.byline_titles and not following.tail and \
        following.sep.strip()[:1] == "="


def is_anonymous(text: str, end: int) -> bool:
    """``text[end:]`` starts the way an unnamed person is written after a surname: 김씨, 이모 씨, A씨.

    >>> is_anonymous("김씨는 말했다", 1), is_anonymous("이모 씨는", 1), is_anonymous("A(44)씨가", 1)
    (True, True, True)
    >>> is_anonymous("김 원장은", 1)
    False
    """
    return _ANONYMOUS.match(text[end:end + 18]) is not None


def _between_commas(pieces: Sequence[Piece], index: int) -> bool:
    """A comma on both sides of piece ``index``: a list member, however the analyser read it (나정임)."""
    return index > 0 and pieces[index - 1].sep.strip() in (",", "，") and pieces[index].sep.strip() in (",", "，")


def listed_names(pieces: Sequence[Piece], persons: Sequence[tuple[int, int]],
                 orgs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Korean names in a comma list next to a recognised person that recognition skipped:
    ``이강선 부의장, 장동현, 김성우, 임정열, 성한경 의원`` → 임정열.

    The word is shaped like a Korean name, carries no particle, and a comma separates it from a
    person (or from another such word) before or after it.
    """
    from pipeline.lexicons import default_lexicons

    surnames = default_lexicons().surnames
    starts = {s for s, _ in persons}
    ends = {e for _, e in persons}
    taken = SpanIndex([*persons, *orgs])
    from pipeline.roles.titles import role_lexicon

    lexicon = role_lexicon()
    position = {id(p): k for k, p in enumerate(pieces)}

    def listed(k: int) -> bool:
        """Piece ``k`` opens or continues a list: a comma before it, a heading after a bullet before it
        (△내과 진상만, 김혜련), or a title heading it (배우 전종서, 이희준)."""
        return k > 0 and (pieces[k - 1].sep.strip() in (",", "，", "·") or
                          (k > 1 and any(ch in _BULLETS for ch in pieces[k - 2].sep)) or
                          (pieces[k - 1].spaced and not pieces[k - 1].tail and lexicon.is_plain_title(pieces[k - 1].text)))

    def word(p: Piece) -> str:
        # 진상만, 김혜련: a name whose last syllable the analyser read as a particle, in a list, before a
        # comma and another full name (not ‘…’라는 주제로, 홍명교 사업가가; not 친구 사이로, 조씨는)
        k = position[id(p)]
        if len(p.tail) != 1 or not korean_shaped(p.text + p.tail, surnames) or k + 1 >= len(pieces) or not listed(k):
            return p.text
        after = pieces[k + 1]
        before_name = p.sep.strip() in (",", "，", "·") and korean_shaped(after.text, surnames)
        before_title = p.spaced and k > 0 and pieces[k - 1].sep.strip() in (",", "，") and \
            lexicon.is_plain_title(after.text)  # …, 김해나 배우 등
        return p.text + p.tail if before_name or before_title else p.text

    def end(p: Piece) -> int:
        return p.start + len(word(p))

    candidates = [i for i, p in enumerate(pieces) if korean_shaped(word(p), surnames)
                  and (not p.tail or word(p) != p.text)
                  and word(p) not in _NOT_NAMES and not taken.overlaps(p.start, end(p))
                  and (all(tag in _NOUN_LIKE or tag == "XSN" for tag in p.tags) or _between_commas(pieces, i))
                  and not lexicon.org_shape(word(p), p.tags)
                  and not lexicon.is_plain_title(word(p))]
    found: set[int] = set()
    changed, rounds = True, 0
    while changed and rounds < 8:  # each round reaches one more name along a list
        rounds += 1
        changed = False
        for i in candidates:
            if i in found:
                continue
            piece = pieces[i]
            before = pieces[i - 1] if i else None
            after = pieces[i + 1] if i + 1 < len(pieces) else None
            left = before is not None and before.sep.strip() in (",", "，", "·") and \
                (end(before) in ends or before.end in ends or (i - 1) in found)
            right = after is not None and piece.sep.strip() in (",", "，", "·") and \
                (after.start in starts or (i + 1) in found)
            if left or right:
                found.add(i)
                changed = True
    return [(pieces[i].start, end(pieces[i])) for i in sorted(found)]


def reads_as(hangul: str, hanja: str, kinds: tuple[str, ...] = ("hangul", "reading")) -> bool:
    """``hangul`` is the transcription or the Sino-Korean reading of ``hanja``, up to the vowel and
    consonant variants press uses (겅쉐펑 for 耿學鵬, 션딩창 for 沈定昌).

    >>> reads_as("겅쉐펑", "耿學鵬"), reads_as("션딩창", "沈定昌"), reads_as("김철수", "東北工程")
    (True, True, False)
    """
    from pipeline.names.forms import forms
    from pipeline.names.korean import jamo_similarity

    derived = forms(hanja, "person")
    return any(form and (form == hangul or jamo_similarity(form, hangul) >= 0.8)
               for form in (derived.get(kind) for kind in kinds))


#: particles a two-syllable name can be misread to end in: 신정은 = 신정 + 은
_NAME_FINAL_PARTICLES = frozenset({"은", "는"})
#: connective endings a verb form the model took for a name ends in (전하며); not 하니, a stage name
_CONNECTIVE_ENDINGS = ("며", "면서", "고", "도록", "지만")
#: two-syllable unit endings a fused title shares (홍성지청장, 베이징지부장): a name never ends inside one
_UNIT_HEADS = ("지청", "지부", "지국", "총국", "센터", "본부", "지사", "사무국", "사무소")
#: what may follow the title for the particle reading to be the wrong one (신정은 특파원] , 정성은 부사장은)
_AFTER_TITLE = frozenset({"", "은", "는"})


def reshape_person(span: tuple[int, int], pieces: Sequence[Piece], starts: list[int], text: str,
                   lexicon: RoleLexicon, is_place: Callable[[str], bool]) -> tuple[int, int] | None:
    """The PERSON span recognition should have given, or None when its shape says it is no name.

    * A spaced name whose last word is the start of a longer word loses that word (``따이린 정무과``:
      ``따이린 정`` → ``따이린``).
    * A two-syllable name the analyser read as noun + topic particle, right before a title, takes the
      particle back (``이데일리 신정은 특파원``: ``신정`` → ``신정은``; a topic particle cannot stand
      between a name and its title).
    * No name runs into digits (``코로나19``), starts with a pronoun (``이들 부회장``), ends in a
      verbal ending (``전하며``) or is 駐 + a place (``주부산 총영사``, ``주선양(瀋陽)``).

    >>> from pipeline.tokenization.tokenizer import make_nlp
    >>> from pipeline.roles.pieces import split_pieces
    >>> from pipeline.roles.titles import role_lexicon, place_word
    >>> text = "[베이징=이데일리 신정은 특파원] 코로나19가 퍼졌다."
    >>> pieces = split_pieces(make_nlp()(text)); starts = [p.start for p in pieces]
    >>> reshape_person((10, 12), pieces, starts, text, role_lexicon(), place_word), reshape_person((20, 23), pieces, starts, text, role_lexicon(), place_word)
    ((10, 13), None)
    """
    start, end = span
    if end < len(text) and text[end].isdigit() or start > 0 and text[start - 1].isdigit():
        return None
    name = text[start:end]
    if " " in name and name.split(" ")[0] == "주" and is_place(name.split(" ", 1)[1]):
        return None  # 주 후쿠오카 (총영사관): 駐 written apart from the place
    if " " in name:
        head = name.split(" ")[0]
        if len(head) >= 3 and (lexicon.org_shape(head) or head.endswith("당")):  # 조국혁신당 조국: the party is no part of the name
            return reshape_person((start + len(head) + 1, end), pieces, starts, text, lexicon, is_place)
    index = bisect_right(starts, end - 1) - 1
    if index < 0:
        return span
    piece = pieces[index]
    if " " in text[start:end] and piece.start < end < piece.end and piece.start > start and is_hangul(piece.text) \
            and end - piece.start == 1:  # 정 of 정무과; not 졸리 of 졸리는, 뎀시 of 뎀시라는
        cut = text.rfind(" ", start, end)
        return reshape_person((start, cut), pieces, starts, text, lexicon, is_place) if cut > start else None
    if piece.start == start and end < piece.end:
        match = lexicon.title_of(piece.text)  # 홍성지청장: 홍성지청 + 지청장, not 홍성지 + 청장
        if match is not None and len(match.unit) > end - start and match.unit.endswith(_UNIT_HEADS) and \
                piece.text.startswith(match.unit[:end - start + 1]):
            return None
    rest = piece.text[1:]
    if end - start == 1 and piece.start == start and piece.end > end and not piece.tail and \
            korean_shaped(piece.text) and all(tag in _NOUN_LIKE for tag in piece.tags) and \
            not lexicon.org_shape(piece.text, piece.tags) and not lexicon.title_of(piece.text) and \
            rest not in ("모", "씨") and not rest.startswith(("모씨", "모 ", "씨")) and \
            not any(lexicon.is_plain_title(rest[:k]) for k in range(1, len(rest) + 1)):
        return start, piece.end  # 박 of 박석연: the model stopped after the surname
    first = bisect_right(starts, start) - 1
    head = pieces[first] if first >= 0 else piece
    if head.start == start and head.tags[:1] == ("NP",) and end - start >= 2:  # 이들, not 이(씨)
        return None
    name = text[start:end]
    word = head.text + head.tail
    if head.start == start and name.startswith("주") and len(word) >= 3 and \
            (is_place(word[1:]) or any(is_place(word[1:k]) for k in range(3, len(word)))):
        return None
    if piece.start == start and end == piece.end and piece.tags[:1] in (("VV",), ("VA",)) and \
            piece.tags[-1] == "EC" and name.endswith(_CONNECTIVE_ENDINGS) and not transcribed_shaped(name):
        return None
    if (piece.start, piece.end) == (start, end) and len(name) == 2 and piece.tail in _NAME_FINAL_PARTICLES and \
            piece.spaced and index + 1 < len(pieces) and korean_shaped(name + piece.tail) and \
            lexicon.is_plain_title(pieces[index + 1].text) and pieces[index + 1].tail in _AFTER_TITLE:
        return start, piece.tail_end
    return span
