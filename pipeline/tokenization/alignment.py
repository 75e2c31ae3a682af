"""Exact character offsets for an analyser's morphemes.

An analyser may restore forms (했 → 하+었), skip characters or choke on some (NUL, lone surrogates); the
functions here turn what it returns into spans ``(start, end, tag, semantic)`` over the original text that
cover every non-whitespace character exactly once, and cut long texts into chunks it can take.
"""
from __future__ import annotations

import logging
import re
from typing import Iterable, Iterator

logger = logging.getLogger("pipeline.tokenization.tokenizer")

Morph = tuple[int, int, str, str]
"""One morpheme: ``(start, end, tag, sem)``; ``sem`` is mecab's semantic class
(``"인명"``, ``"지명"``, ...) or ``""``."""

MAX_CHUNK = 10_000
"""Longest piece of text handed to an analyser in one call (characters)."""

SPACE_TAG = "_SP"
"""``tag_`` of whitespace tokens (spaCy's convention)."""

NAME_TYPES = {"인명": "NameType=Prs", "지명": "NameType=Geo"}
"""mecab semantic class → ``token.morph`` value."""

_WS = re.compile(r"\s*")
_NON_WS = re.compile(r"\S*")
_NON_WS_RUN = re.compile(r"\S+")
# What no analyser gets to see: non-space whitespace, control characters,
# lone surrogates, and the ㆍ separator (U+318D) that mecab glues to words.
_UNSAFE = r"[^\S ]|[\x00-\x1f\x7f-\x9f\ud800-\udfff\u318d]"
_ASTRAL = r"|[\U00010000-\U0010ffff]"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _sanitise_char(match: re.Match) -> str:
    return "·" if match.group() == "\u318d" else " "


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, chunk)``: the non-blank lines of *text*, long ones cut.

    A line longer than :data:`MAX_CHUNK` is cut after the last space in the
    window (or hard at the limit when the window has no space).
    """
    n = len(text)
    start = 0
    while start < n:
        newline = text.find("\n", start)
        end = n if newline < 0 else newline
        while end - start > MAX_CHUNK:
            cut = text.rfind(" ", start + 1, start + MAX_CHUNK)
            if cut < 0:
                cut = start + MAX_CHUNK
            piece = text[start:cut]
            if not piece.isspace():
                yield start, piece
            start = cut
        if end > start:
            piece = text[start:end]
            if not piece.isspace():
                yield start, piece
        start = end + 1


def _cover_gaps(text: str, spans: list[Morph], fallback_tag: str) -> list[Morph]:
    """Return *spans* plus a token for every non-whitespace run they miss.

    *spans* must be sorted and non-overlapping.
    """
    out: list[Morph] = []
    pos = 0
    for span in spans:
        start = span[0]
        if start > pos and not text[pos:start].isspace():
            out.extend((m.start(), m.end(), fallback_tag, "") for m in _NON_WS_RUN.finditer(text, pos, start))
        out.append(span)
        pos = span[1]
    if pos < len(text) and not text[pos:].isspace():
        out.extend((m.start(), m.end(), fallback_tag, "") for m in _NON_WS_RUN.finditer(text, pos))
    return out


def _merge_overlaps(spans: Iterable[Morph]) -> list[Morph]:
    """Merge morphemes that share or overlap a span (Kiwi: 했 → 하+었).

    Tags are joined with ``+``; zero-width morphemes join the previous one.
    """
    out: list[Morph] = []
    for start, end, tag, sem in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and (start < out[-1][1] or end <= start):
            p_start, p_end, p_tag, p_sem = out[-1]
            out[-1] = (p_start, max(p_end, end), f"{p_tag}+{tag}", p_sem or sem)
        elif end > start:
            out.append((start, end, tag, sem))
    return out


def _align_surfaces(text: str, morphs: Iterable[tuple[str, str]]) -> list[Morph]:
    """Align analyser surfaces (without offsets) to *text*.

    Each surface is looked for where the previous one ended (after
    whitespace). A surface that is not there — a restored or normalised form
    such as 쥐+ㄴ for 쥔 — is held back until a later surface is found within
    the current or the next word; the stretch in between becomes one token
    whose tag joins the held-back tags. Nothing is lost or duplicated: what
    remains uncovered is left to :func:`_cover_gaps`.

    Examples
    --------
    >>> _align_surfaces("허쥔은", [("허", "NNP"), ("쥐", "VV"), ("ㄴ", "ETM"), ("은", "JX")])
    [(0, 1, 'NNP', ''), (1, 2, 'VV+ETM', ''), (2, 3, 'JX', '')]
    """
    out: list[Morph] = []
    pending: list[str] = []
    pos = 0
    for raw_surface, tag in morphs:
        for surface in raw_surface.split():
            pos = _WS.match(text, pos).end()
            if not pending:
                if text.startswith(surface, pos):
                    out.append((pos, pos + len(surface), tag, ""))
                    pos += len(surface)
                else:
                    pending.append(tag)
                continue
            word_end = _NON_WS.match(text, pos).end()
            window_end = _NON_WS.match(text, _WS.match(text, word_end).end()).end()
            found = text.find(surface, pos, window_end)
            if found < 0:
                pending.append(tag)
                continue
            if found == pos:  # the held-back morphemes had no surface of their own
                tag = "+".join([*pending, tag])
            else:
                joined = "+".join(pending)
                out.extend((m.start(), m.end(), joined, "") for m in _NON_WS_RUN.finditer(text, pos, found))
            pending = []
            out.append((found, found + len(surface), tag, ""))
            pos = found + len(surface)
    if pending:
        pos = _WS.match(text, pos).end()
        end = _NON_WS.match(text, pos).end()
        if end > pos:
            out.append((pos, end, "+".join(pending), ""))
    return out
