"""The outlet of a byline or a dateline: who a reporter writes for.

    [서울=뉴시스] 김예진 기자        → 뉴시스
    (상하이=연합뉴스) 김도윤 특파원   → 연합뉴스
    [헤럴드경제(인천)=이홍석 기자]    → 헤럴드경제
    [인민망 서울 3월 2일] (천루 기자) → 인민망
"""
from __future__ import annotations

import re
from typing import Callable

from pipeline.roles.describe import Link
from pipeline.roles.titles import place_word

#: ``[place=outlet]`` right before the name
_PLACE_OUTLET = re.compile(r"[\[(（【]\s*([^\[\]()（）【】=\n]{1,20}?)\s*=\s*([^\[\]()（）【】=\n]{1,20}?)\s*[\])）】]\s*"
                           r"(?:[가-힣]{2,4}\s+){0,2}$")  # other reporters' names may stand between
#: ``[outlet(place)=`` right before the name
_OUTLET_PLACE = re.compile(r"[\[(（【]\s*([^\[\]()（）【】=\s]{1,20})\s*(?:[(（][^()（）\n]{0,12}[)）])?\s*=\s*$")
#: ``[outlet `` right before the name: ``[아시아경제 황상욱 기자]``
_BRACKET_OUTLET = re.compile(r"[\[【]\s*([^\[\]()（）【】=|\s]{2,20})\s*\|?\s+$")  # [SBS연예뉴스 | 김지혜 기자]
#: ``outlet `` alone at the start of a line, the byline ending in ``=``: ``아주경제 박흥서 기자 =``
_LINE_OUTLET = re.compile(r"^\s*([^\s\[\]()（）【】=]{2,20})\s+$")
#: ``[outlet place date] (`` right before a name in parentheses
_DATELINE = re.compile(r"[\[【]\s*([^\[\]【】\s]{1,20})[^\[\]【】\n]{0,30}[\]】]\s*[(（]?\s*$")
#: ``[place=outlet `` with the reporter inside the same bracket: ``[베이징=이데일리 신정은 특파원]``
_PLACE_OUTLET_OPEN = re.compile(r"[\[(（【]\s*[^\[\]()（）【】=\n]{1,20}?\s*=\s*([^\[\]()（）【】=\s]{2,20})\s+$")
#: the copyright line that closes an article, right after its reporter's byline:
#: ``김민영 기자 minyeong@ \n 중도일보(www.joongdo.co.kr), 무단전재``, ``ⓒ 상하이저널(http://…)``,
#: ``저작권자 © 서울이코노미뉴스 무단전재``
_COPYRIGHT = re.compile(r"^\s*(?:[ⓒ©]\s*|저작권자\s*[ⓒ©(]?c?\)?\s*|Copyright\s*[ⓒ©]?\s*)?"
                        r"([^\s()\[\],ⓒ©]{2,20})\s*(?:\((?:www\.|https?://)[^)\n]*\)|\s무단|,\s*무단)")
_WINDOW = 60
_CREDIT_LINE = re.compile(r"사진|자료|그래픽|제공|출처")


def byline_outlet(text: str, name_start: int, is_outlet: Callable[[str], bool], after: int | None = None) \
        -> Link | None:
    """The outlet written in the byline or dateline right before ``name_start``, if any.

    >>> def outlet(text, name):
    ...     found = byline_outlet(text, text.index(name), lambda s: True)
    ...     return found and found.text
    >>> outlet("[서울=뉴시스] 김예진 기자 =", "김예진"), outlet("[헤럴드경제(인천)=이홍석 기자]", "이홍석")
    ('뉴시스', '헤럴드경제')
    >>> outlet("[인민망 서울 3월 2일] (천루 기자)", "천루"), outlet("그는 말했다. 김예진 기자", "김예진")
    ('인민망', None)
    >>> outlet("[아시아경제 황상욱 기자] 외교안보연구원은", "황상욱"), outlet("(흑룡강신문=서울) 남석 기자=", "남석")
    ('아시아경제', '흑룡강신문')
    >>> outlet("[베이징=이데일리 신정은 특파원] 대사관은", "신정은")
    '이데일리'
    >>> byline_outlet("아주경제 박흥서 기자 = 인천발전연구원은", 5, lambda s: False, after=12).text
    '아주경제'

    """
    window_start = max(0, name_start - _WINDOW)
    line_start = text.rfind("\n", 0, name_start) + 1
    window_start = max(window_start, line_start)
    before = text[window_start:name_start]
    line_end = text.find("\n", name_start)
    rest = text[after if after is not None else name_start:line_end if line_end >= 0 else len(text)]
    byline_end = rest.lstrip().startswith("=")  # 김도윤 특파원 = …: the dateline form of news agencies
    for pattern, trusted in ((_PLACE_OUTLET, True), (_PLACE_OUTLET_OPEN, True), (_OUTLET_PLACE, True), (_BRACKET_OUTLET, True),
                             (_LINE_OUTLET, byline_end), (_DATELINE, False)):
        match = pattern.search(before)
        if match and _CREDIT_LINE.search(match.group(0)):
            continue  # [사진제공=한중기업가협회]: a picture credit, not a byline
        if match:
            group = 1
            if pattern is _PLACE_OUTLET:  # [서울=뉴시스]; the other way round, (흑룡강신문=서울)
                group = 1 if place_word(match.group(2).strip()) and not place_word(match.group(1).strip()) else 2
            outlet = match.group(group).strip()
            if pattern is _LINE_OUTLET and not byline_end:
                continue
            if outlet and (trusted or is_outlet(outlet)):
                start = window_start + match.start(group) + (len(match.group(group)) - len(match.group(group).lstrip()))
                return Link(start, start + len(outlet), outlet, True)
    return _copyright_outlet(text, line_end)


def _copyright_outlet(text: str, line_end: int) -> Link | None:
    r"""The outlet of the copyright line right after the byline's line (an e-mail address may end it).

    >>> def outlet(text):
    ...     found = _copyright_outlet(text, text.index("\n"))
    ...     return found and found.text
    >>> outlet("김민영 기자 minyeong@\n중도일보(www.joongdo.co.kr), 무단전재 및 수집")
    '중도일보'
    >>> outlet("▷고수미 기자\nⓒ 상하이저널(http://www.shanghaibang.net), 무단전재")
    '상하이저널'
    >>> outlet("김 기자\n이 기사는 잘 썼다.") is None
    True
    """
    if line_end < 0:
        return None
    next_end = text.find("\n", line_end + 1)
    line = text[line_end + 1:next_end if next_end >= 0 else len(text)]
    match = _COPYRIGHT.match(line)
    if not match:
        return None
    start = line_end + 1 + match.start(1)
    return Link(start, start + len(match.group(1)), match.group(1), True)
