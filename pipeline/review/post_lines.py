"""A person's posts written as lines of text, for the per-span text fields of an annotation tool.

An annotator sees and edits a person's institution and posts in plain text boxes
(Label Studio's per-region ``TextArea``); these functions write a record's
``affiliation`` and ``roles`` (``../shared/CONTRACT.md``) as such lines and read
them back.

Syntax
------
institution   ``중국사회과학원 공업경제연구소 [I0004] (901-916)``
              the chain as written, the id in the institution table in brackets
              (``[]``: not in the table) and the character offsets of the
              institution as written in parentheses. Both are optional when typed
              by hand: without ``[...]`` the id is null; without ``(a-b)`` hanlink
              looks for the text in the document (nearest to the person) and
              leaves the offsets null when it is not there verbatim.
role          ``주임 @ 중국사회과학원 공업경제연구소 [I0004] (901-916)``
              the title, then ``@`` and an institution as above (optional);
              ``former: `` before a post that is over (전/前/전임);
              ``@ INSTITUTION`` alone for a post without a title.

Examples
--------
>>> role = {"title": "주임", "former": False,
...         "institution": {"text": "중국사회과학원", "kb_id": "I0003", "start": 4, "end": 11}}
>>> format_role(role)
'주임 @ 중국사회과학원 [I0003] (4-11)'
>>> parse_role(format_role(role), "허쥔 주임 중국사회과학원") == role
True
>>> parse_role("former: 부원장", "...")
{'title': '부원장', 'institution': None, 'former': True}
>>> parse_institution("중국사회과학원", "허쥔 중국사회과학원 주임", near=(0, 2))
{'text': '중국사회과학원', 'kb_id': None, 'start': 3, 'end': 10}
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMER", "format_institution", "parse_institution", "format_role", "parse_role"]

#: What starts the line of a post that is over.
FORMER = "former: "

_INSTITUTION = re.compile(r"^(?P<text>.*?)\s*(?:\[(?P<kb_id>[^\[\]]*)\])?\s*(?:\(\s*(?P<start>\d+)\s*-\s*(?P<end>\d+)\s*\))?$",
                          re.DOTALL)


def format_institution(institution: dict[str, Any] | None) -> str:
    """One line for an ``affiliation`` (or a role's ``institution``); ``""`` for None."""
    if not institution:
        return ""
    line = f"{institution['text']} [{institution.get('kb_id') or ''}]"
    start, end = institution.get("start"), institution.get("end")
    if start is not None and end is not None:
        line += f" ({start}-{end})"
    return line


def parse_institution(line: str, text: str, *, near: tuple[int, int] | None = None) -> dict[str, Any] | None:
    """The institution written in ``line`` (see the module's syntax), or None for a blank line.

    Parameters
    ----------
    line
        The line.
    text
        The document, to check the offsets against (and to find the institution in when
        the line gives none).
    near
        The person's span: when the line gives no offsets, the occurrence of the
        institution's text nearest to it is taken.

    Raises
    ------
    ValueError
        When the offsets lie outside the document or the name is empty; the message says what to write.
    """
    line = line.strip()
    if not line:
        return None
    match = _INSTITUTION.match(line)
    assert match is not None  # every part of the pattern is optional
    name = match["text"].strip()
    if not name:
        raise ValueError(f"{line!r} has no institution name; write it as 'NAME [ID] (START-END)'")
    kb_id = (match["kb_id"] or "").strip() or None
    if match["start"] is not None:
        start, end = int(match["start"]), int(match["end"])
        if not 0 <= start < end <= len(text):
            raise ValueError(f"{line!r}: ({start}-{end}) is not a span of the text of length {len(text)}; "
                             "correct the offsets or delete them (hanlink then finds the name in the text)")
    else:
        start, end = _nearest(text, name, near)
    return {"text": name, "kb_id": kb_id, "start": start, "end": end}


def _nearest(text: str, name: str, near: tuple[int, int] | None) -> tuple[int | None, int | None]:
    """Offsets of the occurrence of ``name`` in ``text`` nearest to ``near`` (the first without it)."""
    found = [match.start() for match in re.finditer(re.escape(name), text)]
    if not found:
        return None, None
    anchor = near[0] if near else 0
    start = min(found, key=lambda position: (abs(position - anchor), position))
    return start, start + len(name)


def format_role(role: dict[str, Any]) -> str:
    """One line for a role ``{"title", "institution", "former"}``."""
    parts = [role.get("title") or ""]
    institution = format_institution(role.get("institution"))
    if institution:
        parts.append(f"@ {institution}")
    line = " ".join(part for part in parts if part)
    return (FORMER + line) if role.get("former") else line


def parse_role(line: str, text: str, *, near: tuple[int, int] | None = None) -> dict[str, Any] | None:
    """The role written in ``line``, or None for a blank line.

    Raises
    ------
    ValueError
        When the line has neither a title nor an institution, or its institution is malformed.
    """
    line = line.strip()
    if not line:
        return None
    former = line.startswith(FORMER.strip())
    if former:
        line = line[len(FORMER.strip()):].strip()
    title, at, institution = line.partition("@")
    title = title.strip() or None
    parsed = parse_institution(institution, text, near=near) if at else None
    if title is None and parsed is None:
        raise ValueError(f"{line!r} has neither a title nor an institution; write 'TITLE @ INSTITUTION [ID]'")
    return {"title": title, "institution": parsed, "former": former}
