"""Korean-side helpers: particles, titles, romanisation of Korean names, jamo similarity.

Examples
--------
>>> strip_particle("허쥔은"), strip_particle("중국사회과학원의"), strip_particle("장쯔이")
('허쥔', '중국사회과학원', '장쯔이')
>>> strip_title("허쥔 주임은")
('허쥔', '주임')
>>> romanize_korean("김상훈"), romanize_korean("양평섭"), romanize_korean("남궁민")
('Kim Sanghun', 'Yang Pyeongseop', 'Namgung Min')
>>> jamo_similarity("허쥔", "허준") > 0.8 > jamo_similarity("허쥔", "김상훈")
True
"""
from __future__ import annotations

from functools import lru_cache
from typing import Collection

from pipeline.names import _data
from pipeline.names._text import clean, decompose
from pipeline.names.script import is_hangul

_CACHE = 65536

# ---------------------------------------------------------------------------
# particles (조사)


def _ends_with_consonant(syllable: str) -> bool:
    return is_hangul(syllable) and decompose(syllable)[2] != 0


def _particle_fits(stem: str, condition: str) -> bool:
    """Whether a particle with ``condition`` (C, V, VL, A) can follow ``stem``'s last syllable.

    은 을 과 이 으로 follow a final consonant (C); 는 를 와 가 follow a vowel (V);
    로 follows a vowel or ㄹ (VL); 의 에 도 … follow anything (A).
    """
    last = stem[-1:]
    if not last or not is_hangul(last):
        return condition == "A"
    final = decompose(last)[2]
    if condition == "C":
        return final != 0
    if condition == "V":
        return final == 0
    if condition == "VL":
        return final in (0, 8)  # none or ㄹ
    if condition == "CL":
        return final not in (0, 8)  # 으로 after a consonant other than ㄹ
    return True


@lru_cache(maxsize=_CACHE)
def _strip_particle(word: str) -> str:
    for particle, condition in _data.particles():
        if word.endswith(particle):
            stem = word[: -len(particle)]
            if sum(1 for ch in stem if is_hangul(ch)) >= 2 and _particle_fits(stem, condition):
                return stem
    return word


def strip_particle(word: str, known: Collection[str] | None = None) -> str:
    """Remove one Korean particle from the end of a word, conservatively.

    The longest particle of ``data/names/particles.tsv`` that fits phonologically
    (은/이/을/과 only after a final consonant, 는/가/를/와 only after a vowel) is
    removed when at least two Hangul syllables remain.

    Parameters
    ----------
    word : str
        One eojeol, e.g. ``"허쥔은"``.
    known : collection of str, optional
        Names known to exist. A word that is itself known is returned unchanged
        (a name ending in 이 is not cut); otherwise a stem that is known wins.

    Examples
    --------
    >>> strip_particle("허쥔은"), strip_particle("김주혜가"), strip_particle("상하이사회과학원의")
    ('허쥔', '김주혜', '상하이사회과학원')
    >>> strip_particle("왕시원이라고"), strip_particle("김영이"), strip_particle("김영이", known={"김영이"})
    ('왕시원', '김영', '김영이')
    """
    word = clean(word)
    if known is not None:
        if word in known:
            return word
        for particle, condition in _data.particles():
            stem = word[: -len(particle)]
            if word.endswith(particle) and stem in known:
                return stem
    return _strip_particle(word)


# ---------------------------------------------------------------------------
# titles


@lru_cache(maxsize=_CACHE)
def strip_title(text: str) -> tuple[str, str | None]:
    """Split a trailing title (and a particle after it) from a name.

    Titles come from ``data/lexicons/titles.txt`` (the recogniser's list); the longest title that leaves at least two Hangul
    syllables wins, written with or without a space.

    Returns
    -------
    tuple of (str, str or None)
        The name and the title (``None`` if there is none).

    Examples
    --------
    >>> strip_title("허쥔 주임"), strip_title("양평섭 소장은"), strip_title("양쥔 전략디렉터")
    (('허쥔', '주임'), ('양평섭', '소장'), ('양쥔', '전략디렉터'))
    >>> strip_title("루오이홍 부연구원"), strip_title("김상훈")
    (('루오이홍', '부연구원'), ('김상훈', None))
    """
    text = clean(text)
    words = text.split()
    if not words:
        return text, None
    words[-1] = strip_particle(words[-1])
    joined = " ".join(words)
    for title in _data.titles():
        if joined.endswith(title):
            name = joined[: -len(title)].rstrip()
            if sum(1 for ch in name if is_hangul(ch)) >= 2:
                return name, title
    return joined, None


# ---------------------------------------------------------------------------
# Revised Romanization for Korean personal names

_RR_INITIAL = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
               "k", "t", "p", "h")
_RR_VOWEL = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "eu", "ui", "i")
_RR_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
             "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_KOREAN_COMPOUND_SURNAMES = frozenset({"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방",
                                       "망절", "어금", "장곡"})


def romanize_syllables(text: str) -> str:
    """Revised Romanization of Hangul, letter by letter, with no sound changes between
    syllables (the rule for personal names); ㄹ after ㄹ is ``l`` (ll).
    Characters other than Hangul syllables are kept.

    >>> romanize_syllables("상훈"), romanize_syllables("복남"), romanize_syllables("빛나"), romanize_syllables("별님")
    ('sanghun', 'boknam', 'bitna', 'byeolnim')
    """
    out = []
    previous_final = 0
    for ch in text:
        if not is_hangul(ch):
            out.append(ch)
            previous_final = 0
            continue
        cho, jung, jong = decompose(ch)
        initial = _RR_INITIAL[cho]
        if cho == 5 and previous_final == 8:  # ㄹㄹ → ll
            initial = "l"
        out.append(initial + _RR_VOWEL[jung] + _RR_FINAL[jong])
        previous_final = jong
    return "".join(out)


@lru_cache(maxsize=_CACHE)
def romanize_korean(name: str) -> str | None:
    """Romanise a Korean person's name written in Hangul: the surname in its
    conventional spelling (``data/names/korean_surnames.tsv``: 김 Kim, 이 Lee,
    박 Park, 최 Choi, 정 Jung …), the given name by the Revised Romanization
    without assimilation, its syllables joined.

    Returns ``None`` unless the name is Hangul syllables (and spaces) only.

    Examples
    --------
    >>> romanize_korean("김주혜"), romanize_korean("이순신"), romanize_korean("선우 정아")
    ('Kim Juhye', 'Lee Sunsin', 'Sunwoo Jeonga')
    >>> romanize_korean("Kim") is None
    True
    """
    name = clean(name)
    words = name.split()
    if not words or not all(is_hangul(ch) for word in words for ch in word):
        return None
    if len(words) >= 2:
        surname, given = words[0], "".join(words[1:])
    elif len(name) >= 3 and name[:2] in _KOREAN_COMPOUND_SURNAMES:
        surname, given = name[:2], name[2:]
    else:
        surname, given = name[:1], name[1:]
    conventional = _data.korean_surnames().get(surname)
    surname_latin = conventional or romanize_syllables(surname).capitalize()
    return f"{surname_latin} {romanize_syllables(given).capitalize()}".strip()


# ---------------------------------------------------------------------------
# jamo-level similarity

# Three spellings of a name compared by jamo_similarity. Indices follow
# _text.CHOSEONG / JUNGSEONG / JONGSEONG; silent ㅇ is "" everywhere.
_INITIAL_STRICT = ("g", "g", "n", "d", "d", "r", "m", "b", "b", "s", "s", "", "z", "z", "c",
                   "k", "t", "p", "h")  # tense = plain (쑨/순, 쭤/줘)
_INITIAL_LOOSE = ("g", "g", "n", "d", "d", "r", "m", "b", "b", "s", "s", "", "z", "z", "z",
                  "g", "d", "b", "h")  # aspirated = plain too (따오/타오, 저/처)
# strict: compound vowels as glide + vowel (ㅟ u+i, ㅝ u+o, ㅖ j+e), ㅐ = ㅔ
_VOWEL_STRICT = ("a", "e", "ja", "je", "o", "e", "jo", "je", "O", "Oa", "Oe", "Oi", "jO", "u",
                 "uo", "ue", "ui", "ju", "U", "Ui", "i")
# loose: ㅓ ㅔ ㅐ ㅕ ㅖ ㅒ one vowel, ㅗ ㅜ ㅛ ㅠ ㅡ one vowel, glide j dropped (옌/엔/연, 훙/홍, 웬/원)
_VOWEL_LOOSE = ("A", "E", "A", "E", "E", "E", "E", "E", "U", "UA", "UE", "UE", "U", "U", "UE",
                "UE", "U", "U", "U", "I", "I")
_FINAL = ("", "K", "K", "K", "N", "N", "N", "T", "L", "K", "M", "L", "L", "L", "P", "L",
          "M", "P", "P", "T", "T", "G", "T", "T", "K", "T", "P", "T")


@lru_cache(maxsize=_CACHE)
def jamo_key(text: str, mode: str) -> str:
    """The comparison string of ``text`` in ``mode`` (``strict``, ``loose``,
    ``skeleton``): Hangul syllables as jamo codes, other letters and digits
    lower-cased, everything else dropped. ``skeleton`` writes every vowel as V and
    merges vowels in hiatus (위안 = 웬 = V+N): the blocking keys of the fuzzy candidate search.

    >>> jamo_key("허쥔", "loose") == jamo_key("허준", "loose")
    True
    >>> jamo_key("위안", "skeleton") == jamo_key("웬", "skeleton")
    True
    """
    initial = _INITIAL_STRICT if mode == "strict" else _INITIAL_LOOSE
    vowel = _VOWEL_STRICT if mode == "strict" else _VOWEL_LOOSE
    out: list[str] = []
    for ch in clean(text):
        if is_hangul(ch):
            cho, jung, jong = decompose(ch)
            if mode == "skeleton":
                if cho == 11 and out and out[-1].endswith("V"):
                    out.append(_FINAL[jong])  # vowel after vowel: one cluster
                else:
                    out.append(initial[cho] + "V" + _FINAL[jong])
            else:
                out.append(initial[cho] + vowel[jung] + _FINAL[jong])
        elif ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


@lru_cache(maxsize=_CACHE)
def jamo_similarity(a: str, b: str) -> float:
    """How alike two names sound, in [0, 1], from their jamo.

    Formula::

        similarity = (r(S(a), S(b)) + r(L(a), L(b)) + r(K(a), K(b))) / 3

    where ``r`` is :func:`rapidfuzz.fuzz.ratio` / 100 (1 − normalised Indel
    distance) and each name is spelt three ways, silent ㅇ dropped in all:

    * ``S`` strict jamo: tense consonants as plain (쑨 = 순), compound vowels as
      glide + vowel (ㅟ = u+i, ㅝ = u+o, ㅖ = j+e), ㅐ = ㅔ;
    * ``L`` loose: also aspirated = plain, ㅓ ㅔ ㅐ ㅕ ㅖ ㅒ one vowel, ㅗ ㅜ ㅛ ㅠ ㅡ
      one vowel, the glide j dropped — the vowels on which transcriptions of one
      Chinese syllable disagree (옌/엔, 훙/홍, 웬/원);
    * ``K`` skeleton: consonants as in ``L``, each vowel (or run of vowels in
      hiatus: 위안, 루오) one symbol.

    Identical strings score 1.0, as do strings with identical strict spellings.
    Non-Hangul letters and digits are compared lower-cased; a string with nothing
    to compare scores 0.0 against one with something.

    Examples
    --------
    >>> [round(jamo_similarity(a, b), 2) for a, b in [("허쥔", "허준"), ("장위안위안", "장웬웬"),
    ...     ("왕시원", "왕시웬"), ("뤄이훙", "루오이홍")]]
    [0.97, 0.83, 0.96, 0.83]
    >>> [round(jamo_similarity(a, b), 2) for a, b in [("허쥔", "김상훈"), ("양쥔", "양평섭")]]
    [0.42, 0.37]
    """
    if a == b:
        return 1.0
    from rapidfuzz.fuzz import ratio

    strict_a, strict_b = jamo_key(a, "strict"), jamo_key(b, "strict")
    if strict_a == strict_b:
        return 1.0
    total = ratio(strict_a, strict_b)
    for mode in ("loose", "skeleton"):
        total += ratio(jamo_key(a, mode), jamo_key(b, mode))
    return max(0.0, min(1.0, total / 300.0))
