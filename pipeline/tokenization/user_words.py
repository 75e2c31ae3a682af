"""Names from the tables taught to the analyser: a word the analyser cuts (양쥔 → 양 + 쥔) stays one token."""
from __future__ import annotations

from typing import Iterable, Sequence

from pipeline.errors import HanlinkError
from pipeline.names._text import final_kind
from pipeline.tokenization.alignment import Morph
from pipeline.tokenization.backends import Backend

class UserWords:
    """Words from the tables, imposed on the analysis as a post-pass.

    A user word that starts where a morpheme starts becomes one token. If it
    ends inside a morpheme (mecab: 딩쉐샹이 → 딩/쉐/샹이), the rest of the word
    is re-analysed behind a known proper noun with the same final consonant
    (후진타오/시진핑/서울), so the particle gets its proper tag (이/JKS).

    Parameters
    ----------
    words : iterable of (surface, tag) or (surface, tag, sem)
        e.g. ``[("딩쉐샹", "NNP", "인명")]``. Surfaces may not contain whitespace.
    """

    PROXIES = {"none": "후진타오", "rieul": "서울", "other": "시진핑"}

    def __init__(self, words: Iterable[Sequence[str]]) -> None:
        self.words: dict[str, tuple[str, str]] = {}
        for entry in words:
            entry = tuple(entry)
            surface, tag, sem = (entry + ("",))[:3] if len(entry) in (2, 3) else ("", "", "")
            if not surface or any(c.isspace() for c in surface) or not tag:
                raise HanlinkError(
                    f"bad user word {tuple(entry)!r}: give (surface, tag[, sem]) with a non-empty "
                    "surface without whitespace and a tag such as 'NNP'"
                )
            self.words[surface] = (tag, sem)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        self.first_chars = frozenset(w[0] for w in self.words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def as_tuples(self) -> list[tuple[str, str, str]]:
        """The words as ``(surface, tag, sem)`` tuples, in insertion order."""
        return [(w, tag, sem) for w, (tag, sem) in self.words.items()]

    def apply(self, text: str, spans: list[Morph], backend: Backend) -> list[Morph]:
        """Return *spans* with user words merged (and split out) as single tokens."""
        out: list[Morph] = []
        i, n = 0, len(spans)
        while i < n:
            start = spans[i][0]
            match = None
            if text[start] in self.first_chars:
                for length in self.lengths:
                    candidate = text[start:start + length]  # shorter near the end of the text
                    if candidate in self.words:
                        match = start + len(candidate)
                        break
            if match is None:
                out.append(spans[i])
                i += 1
                continue
            word = text[start:match]
            tag, sem = self.words[word]
            j = i
            while j < n and spans[j][1] < match:
                j += 1
            out.append((start, match, tag, sem))
            if j < n and spans[j][0] < match < spans[j][1]:  # ends inside morpheme j
                k = j
                while k + 1 < n and spans[k + 1][0] == spans[k][1]:
                    k += 1
                out.extend(reanalyse_after(text, match, spans[j:k + 1], word, backend))
                i = k + 1
            else:
                i = j + 1
        return out


def reanalyse_after(text: str, start: int, rest: list[Morph], word: str, backend: Backend) -> list[Morph]:
    """Analyse ``text[start:rest[-1].end]`` behind a proxy noun standing for ``word``, which ends at
    ``start``; *rest*'s first morpheme straddles *start*.

    The proxy (후진타오, 서울 or 시진핑) ends like ``word`` (no final consonant, ㄹ, another), so the
    particle that follows gets its proper tag: 딩쉐샹|이 → 이/JKS.
    """
    proxy = UserWords.PROXIES[final_kind(word) or "none"]
    shift = start - len(proxy)
    spans = backend.analyze(proxy + text[start:rest[-1][1]])
    if any(s < len(proxy) < e for s, e, _, _ in spans) or not any(e == len(proxy) for _, e, _, _ in spans):
        # the proxy was not analysed as a word of its own: keep the analyser's tags
        first = rest[0]
        return [(start, first[1], first[2], ""), *rest[1:]]
    return [(s + shift, e + shift, tag, sem) for s, e, tag, sem in spans if s >= len(proxy)]
