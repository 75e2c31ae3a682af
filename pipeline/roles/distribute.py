"""Parents that a list or a delegation distributes over its members.

    고려대 정치외교학과 최민수 교수, 사학과 정혜린 교수     → 정혜린: 고려대 사학과
    광저우일보 대표단은 … 류젠 국제부장, 허칭 처장          → 류젠: 광저우일보 국제부; 허칭: 광저우일보

A member whose chain starts with a unit (학과, 연구소, 국제부 ...) or is empty gets the head of the
delegation named earlier in the same or the previous sentence; otherwise a member whose chain starts
with a unit gets the head of the previous member of the same list (separated by a comma, ·, 와/과, 및).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Sequence

from pipeline.roles.describe import Describer, Link, Post
from pipeline.roles.pieces import Piece
from pipeline.roles.titles import RoleLexicon

_LIST_GAP = re.compile(r"^\s*(?:[,，·ㆍ、]|및|와|과|그리고|또)?\s*(?:[,，·ㆍ、]|및|그리고)?\s*$")
#: how far after a delegation its members may be listed (characters)
DELEGATION_REACH = 400


def _words(link: Link) -> list[Link]:
    """A link of several words (one ORG entity 고려대 정치외교학과) as one link per word."""
    if " " not in link.text or not link.written:
        return [link]
    parts, offset = [], link.start
    for word in link.text.split(" "):
        if word:
            parts.append(Link(offset, offset + len(word), word, link.is_org))
        offset += len(word) + 1
    return parts


def _head(chain: Sequence[Link], lexicon: RoleLexicon) -> list[Link]:
    """The elements of ``chain`` before its first unit (고려대 of 고려대 정치외교학과)."""
    head = []
    for link in (part for link in chain for part in _words(link)):
        if link.is_org and lexicon.is_unit(link.text) and head:
            break
        head.append(link)
    return head if any(link.is_org for link in head) else []


def _needs_parent(post: Post, lexicon: RoleLexicon) -> bool:
    chain = [link for link in post.chain if link.is_org]
    return not chain or lexicon.is_unit(chain[0].text)


def _delegations(pieces: Sequence[Piece], describer: Describer, lexicon: RoleLexicon) -> list[tuple[int, list[Link]]]:
    """``(offset, chain)`` of each delegation named in the text (광저우일보 대표단)."""
    found = []
    for i, piece in enumerate(pieces):
        word = next((w for w in lexicon.delegation_words if piece.text.endswith(w)), None)
        if word is None:
            continue
        chain: list[Link] = []
        stem = piece.text[:-len(word)]
        if stem and lexicon.org_shape(stem):
            chain = [Link(piece.start, piece.start + len(stem), stem)]
        else:
            _, chain, _ = describer.backward(i)
        if chain:
            found.append((piece.start, chain))
    return found


#: what may stand between two names that share the post written after the last one:
#: ``신윤우 한종화 기자``, ``루루이(陸睿), 겅쉐펑(耿學鵬) 기자``, ``닝푸쿠이·추궈홍·싱하이밍 전 대사``
_NAME_LIST_GAP = re.compile(r"^\s*(?:[(（][^()（）]{0,20}[)）])?\s*[,，·ㆍ、&＆]?\s*$")


#: between two names of a list that a title before the first one heads: ``배우 조병규 씨, 진서연 씨``
_HEADED_LIST_GAP = re.compile(r"^\s*(?:씨|님|氏)?\s*[,，·ㆍ、]\s*$")


def _copy(posts: list[Post]) -> list[Post]:
    return [Post(p.title, p.title_start, p.title_end, list(p.chain), p.former, list(p.distributed), p.before_name)
            for p in posts]


def share_list_posts(posts: dict[tuple[int, int], list[Post]], text: str) -> None:
    """Names listed one after the other take the post written after the last of them (신윤우 한종화
    기자), or the one written before the first of them (배우 조병규 씨, 진서연 씨), in place."""
    spans = sorted(posts)
    for left, right in zip(spans, spans[1:]):
        if posts[left] and posts[left][0].before_name and not posts[right] and \
                _HEADED_LIST_GAP.match(text[left[1]:right[0]]):
            posts[right] = _copy(posts[left])
    for left, right in reversed(list(zip(spans, spans[1:]))):
        if posts[left] or not posts[right]:
            continue
        if _NAME_LIST_GAP.match(text[left[1]:right[0]]):
            posts[left] = _copy(posts[right])


#: particles that make an institution the topic or subject of its sentence (신신제약은, 진천군의회 의원 일동은)
_TOPIC_TAILS = frozenset({"은", "는", "이", "가"})


def _topics(pieces: Sequence[Piece], describer: Describer, text: str) -> tuple[list[int], dict[int, Link]]:
    """Sentence number of each piece, and the institution each sentence is about: the first ORG of
    the sentence that carries a topic or subject particle (or stands before 의원 일동/관계자)."""
    sentence_of, sentence = [], 0
    for piece in pieces:
        sentence_of.append(sentence)
        if any(mark in piece.sep for mark in (".", "?", "!", "\n", "。")):
            sentence += 1
    topics: dict[int, Link] = {}
    newline_after = {sentence_of[i] for i, piece in enumerate(pieces) if "\n" in piece.sep}
    starts = [p.start for p in pieces]
    for start, end in describer.org_spans:
        last = bisect_right(starts, end - 1) - 1
        if last < 0:
            continue
        number = sentence_of[last]
        if number in topics:
            continue
        following = pieces[last + 1].text if last + 1 < len(pieces) else ""
        if pieces[last].tail in _TOPIC_TAILS or following in ("의원", "관계자", "측", "임직원", "직원"):
            topics[number] = Link(start, end, text[start:end], True)
    # the lead sentence's institution stays the topic of the next sentence of its paragraph
    # (진천군의회 의원 일동은 … . 이날 이재명 의장을 비롯하여 …)
    for number in sorted(topics):
        if number + 1 not in topics and number not in newline_after:
            topics[number + 1] = topics[number]
    return sentence_of, topics


def distribute_topic(posts: dict[tuple[int, int], list[Post]], pieces: Sequence[Piece], starts: list[int],
                     describer: Describer, text: str, lexicon: RoleLexicon) -> None:
    """A person with a title and no institution in a sentence about an institution holds the post there:
    ``신신제약은 … 이병기 사장의 단독 대표이사 체제로`` → 이병기: 신신제약. Bylines are left alone."""
    sentence_of, topics = _topics(pieces, describer, text)
    if not topics:
        return
    for span, found in posts.items():
        if not found or found[0].links or found[0].title in lexicon.byline_titles or not found[0].title:
            continue
        index = bisect_right(starts, span[0]) - 1
        topic = topics.get(sentence_of[index]) if index >= 0 else None
        if topic is not None and topic.end <= span[0]:
            found[0].distributed = [topic]


def distribute_parents(posts: dict[tuple[int, int], list[Post]], pieces: Sequence[Piece], starts: list[int],
                       describer: Describer, text: str, lexicon: RoleLexicon) -> None:
    """Fill ``Post.distributed`` of list and delegation members, in place."""
    share_list_posts(posts, text)
    delegations = _delegations(pieces, describer, lexicon)
    delegation_offsets = [offset for offset, _ in delegations]
    previous: tuple[tuple[int, int], Post] | None = None
    for span in sorted(posts):
        found = posts[span]
        if not found:
            previous = None
            continue
        post = found[0]
        if _needs_parent(post, lexicon):
            at = bisect_right(delegation_offsets, span[0] - 1) - 1
            delegation = delegations[at][1] if at >= 0 and span[0] <= delegations[at][0] + DELEGATION_REACH else None
            own_head = [link.text for link in post.chain[:1]]
            if delegation and [link.text for link in delegation][:1] != own_head:
                post.distributed = list(delegation)
            elif previous is not None and post.chain:
                prev_span, prev_post = previous
                gap = text[_description_end(prev_post, prev_span):post.chain[0].start]
                head = _head(prev_post.distributed + prev_post.chain, lexicon)
                if head and _LIST_GAP.match(gap) and head[0].text != post.chain[0].text:
                    post.distributed = head
        previous = (span, post)
    distribute_topic(posts, pieces, starts, describer, text, lexicon)


def _description_end(post: Post, span: tuple[int, int]) -> int:
    return max(span[1], post.title_end)
