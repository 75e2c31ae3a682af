"""Chinese forms of a name: traditional ↔ simplified (OpenCC) and pinyin (pypinyin).

Pinyin is computed from the simplified form (pypinyin reads traditional place
names wrongly: 重慶 would be zhong qing), a whole run of characters at a time so
that pypinyin's phrase dictionary picks the readings. For a person, the first
character (or a two-character compound surname such as 歐陽, 司馬, 諸葛) is
read from ``data/names/surnames.tsv``, which knows the surname readings of
heteronyms (曾 Zeng, 單 Shan, 解 Xie, 仇 Qiu, 區 Ou, 查 Zha, 朴 Piao, …).

Romanisation styles
-------------------
* person: surname and given name as two words, the syllables of each joined:
  ``He Jun``, ``Xi Jinping``, ``Ouyang Xiu``, ``Zhang Yuanyuan``; an
  apostrophe before a non-first syllable that starts with a, o or e (``Nu'er``).
  A name with a middle dot (努爾·白克力, a transliterated name) has no surname:
  one word per part.
* place: one word (``Shanghai``, ``Chongqing``, ``Xi'an``); a known place
  followed by more characters gives the place as one word and the rest as
  capitalised syllables (``Guizhou Sheng``).
* org: the leading place (if any) as one word, then one capitalised word per
  syllable (``Shanghai She Hui Ke Xue Yuan``). Chinese has no fixed word
  division for institution names; matching keys ignore the spaces anyway.
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.names import _data
from pipeline.names._data import Surname
from pipeline.names._text import clean, has_name_separator, split_parts
from pipeline.names.script import is_han
from pipeline.names.places import leading_place
from pipeline.names.transcribe import join_syllables, split_pinyin, syllables_to_hangul

KINDS = ("person", "org", "place")
_CACHE = 16384


@lru_cache(maxsize=None)
def _converter(config: str):
    """One shared OpenCC converter per configuration (``t2s``, ``s2t``)."""
    import opencc

    return opencc.OpenCC(config)


def _convert(text: str, config: str) -> str:
    cleaned = clean(text)
    if not any(is_han(ch) for ch in cleaned):
        return cleaned
    return _converter(config).convert(cleaned)


@lru_cache(maxsize=_CACHE)
def to_simplified(text: str) -> str:
    """Simplified characters (OpenCC ``t2s``).

    >>> to_simplified("賀俊"), to_simplified("上海社會科學院")
    ('贺俊', '上海社会科学院')
    """
    return _convert(text, "t2s")


def _in_big5(ch: str) -> bool:
    """Whether ``ch`` is in the traditional character set Big5 (code page 950)."""
    try:
        ch.encode("cp950")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=_CACHE)
def to_traditional(text: str) -> str:
    """Traditional characters (OpenCC ``s2t``), leaving traditional text alone.

    ``s2t`` is ambiguous (干 → 幹/乾/干, 里 → 裏/里); OpenCC's phrase tables choose.
    Text that already has traditional-only characters and nothing outside the
    Big5 character set is returned as it is (萬里長城 stays, not 萬裏長城); in
    other text, characters that are traditional already are kept. For person names
    use :func:`person_traditional`, which also respects surnames (余 stays 余, not 餘).

    >>> to_traditional("贺俊"), to_traditional("上海社会科学院"), to_traditional("萬里長城")
    ('賀俊', '上海社會科學院', '萬里長城')
    """
    cleaned = clean(text)
    if not any(is_han(ch) for ch in cleaned):
        return cleaned
    t2s = _converter("t2s")
    if t2s.convert(cleaned) != cleaned and all(_in_big5(ch) for ch in cleaned if is_han(ch)):
        return cleaned
    converted = _convert(cleaned, "s2t")
    if len(converted) != len(cleaned):
        return converted
    # keep characters that are traditional already (t2s changes them)
    return "".join(orig if is_han(orig) and t2s.convert(orig) != orig else new
                   for orig, new in zip(cleaned, converted))


def surname_entry(surname: str) -> Surname | None:
    """The ``surnames.tsv`` row of a surname in either script, or ``None``.

    >>> surname_entry("乐").pinyin, surname_entry("歐陽").reading
    (('yue', 'le'), ('구양',))
    """
    return _data.surnames().get(surname)


@lru_cache(maxsize=_CACHE)
def split_surname(name: str) -> tuple[str, str]:
    """Split a person's name in Chinese characters into (surname, given name).

    A two-character compound surname from the table (歐陽, 司馬, 尉遲 …) is taken
    when the name has at least three characters; otherwise the first character.

    >>> split_surname("歐陽修"), split_surname("司马迁"), split_surname("賀俊"), split_surname("東方")
    (('歐陽', '修'), ('司马', '迁'), ('賀', '俊'), ('東', '方'))
    """
    name = "".join(clean(name).split())
    if len(name) >= 3:
        entry = _data.surnames().get(name[:2])
        if entry is not None:
            return name[:2], name[2:]
    return name[:1], name[1:]


def _fix_surname(converted: str, original: str, form: str) -> str:
    """Replace the surname part of ``converted`` by the table's ``form`` of the
    original's surname (余 stays 余 in traditional; 乾 stays 乾 in simplified)."""
    surname, _ = split_surname(original)
    entry = _data.surnames().get(surname)
    if entry is None or len(converted) < len(surname):
        return converted
    return getattr(entry, form) + converted[len(surname):]


@lru_cache(maxsize=_CACHE)
def person_traditional(name: str) -> str:
    """Traditional form of a person's name; the surname from the surname table.

    >>> person_traditional("余华"), person_traditional("范冰冰"), person_traditional("贺俊")
    ('余華', '范冰冰', '賀俊')
    """
    name = "".join(clean(name).split())
    if has_name_separator(name):
        return to_traditional(name)
    return _fix_surname(to_traditional(name), name, "traditional")


@lru_cache(maxsize=_CACHE)
def person_simplified(name: str) -> str:
    """Simplified form of a person's name; the surname from the surname table.

    >>> person_simplified("乾隆"), person_simplified("蔣媛媛")
    ('乾隆', '蒋媛媛')
    """
    name = "".join(clean(name).split())
    if has_name_separator(name):
        return to_simplified(name)
    return _fix_surname(to_simplified(name), name, "simplified")


@lru_cache(maxsize=_CACHE)
def han_syllables(text: str) -> tuple[str, ...] | None:
    """Toneless pinyin syllables (ü as ü) of a run of Chinese characters, read as a
    phrase by pypinyin after conversion to simplified; ``None`` when a character has
    no reading the pinyin table knows, or ``text`` holds anything but Chinese characters.

    >>> han_syllables("重慶"), han_syllables("古天樂"), han_syllables("呂")
    (('chong', 'qing'), ('gu', 'tian', 'le'), ('lü',))
    """
    simplified = to_simplified("".join(clean(text).split()))
    if not simplified or not all(is_han(ch) for ch in simplified):
        return None
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(simplified, style=Style.NORMAL, v_to_u=True, errors=lambda chars: ["?"] * len(chars))
    table = _data.pinyin_hangul()
    if len(syllables) != len(simplified) or any(s not in table for s in syllables):
        return None
    return tuple(syllables)


def _surname_split_syllables(name: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(surname syllables, given-name syllables) for each surname reading, usual first."""
    syllables = han_syllables(name)
    if syllables is None:
        return []
    surname, _ = split_surname(name)
    entry = _data.surnames().get(surname)
    n = len(surname)
    given = syllables[n:]
    if entry is None:
        return [(syllables[:n], given)]
    out = []
    for reading in entry.pinyin:
        # the table writes compound surnames joined (ouyang); split by the pinyin parser
        parts = split_pinyin(reading)
        if parts:
            out.append((parts, given))
    return out or [(syllables[:n], given)]


@lru_cache(maxsize=_CACHE)
def pinyin_variants(name: str, kind: str = "person") -> tuple[str, ...]:
    """Every pinyin romanisation of a name in Chinese characters, the usual one first
    (several only for surnames with two real readings: 樂 Yue / Le); ``()`` if none.

    >>> pinyin_variants("樂毅")
    ('Yue Yi', 'Le Yi')
    """
    name = "".join(clean(name).split())
    if not name:
        return ()
    if kind == "person":
        if has_name_separator(name):
            words = []
            for part in split_parts(name):
                syllables = han_syllables(part)
                if syllables is None:
                    return ()
                words.append(join_syllables(syllables))
            return (" ".join(words),)
        out = []
        for surname, given in _surname_split_syllables(name):
            words = [join_syllables(surname)] + ([join_syllables(given)] if given else [])
            romanised = " ".join(words)
            if romanised not in out:
                out.append(romanised)
        return tuple(out)
    words = []
    rest = name
    found = leading_place(name)
    if found is not None:
        place, rest = found
        words.append(place.pinyin)
    if rest:
        syllables = han_syllables(rest)
        if syllables is None:
            return ()
        if kind == "place" and not words:
            words.append(join_syllables(syllables))
        else:
            words.extend(s.capitalize() for s in syllables)
    return (" ".join(words),)


def pinyin(name: str, kind: str = "person") -> str | None:
    """Pinyin of a name in Chinese characters (either script), or ``None``.

    Parameters
    ----------
    name : str
        Chinese characters (賀俊, 贺俊, 歐陽修, 重慶).
    kind : {"person", "place", "org"}
        Decides the surname handling and the word division (see the module docstring).

    Examples
    --------
    >>> pinyin("賀俊"), pinyin("習近平"), pinyin("曾國藩"), pinyin("歐陽修"), pinyin("單雄信")
    ('He Jun', 'Xi Jinping', 'Zeng Guofan', 'Ouyang Xiu', 'Shan Xiongxin')
    >>> pinyin("重慶", "place"), pinyin("西安", "place"), pinyin("上海社会科学院", "org")
    ('Chongqing', "Xi'an", 'Shanghai She Hui Ke Xue Yuan')
    """
    variants = pinyin_variants(name, kind)
    return variants[0] if variants else None


@lru_cache(maxsize=_CACHE)
def hangul_variants(name: str, kind: str = "person") -> tuple[str, ...]:
    """Mandarin-based Hangul transcriptions (NIKL rules) of a name in Chinese characters,
    one per pinyin variant.

    For ``kind="org"`` the Korean press writes a leading place transcribed and the
    rest in Sino-Korean reading (上海社会科学院 → 상하이사회과학원); that form is
    built in :mod:`pipeline.names.forms`, not here.

    >>> hangul_variants("賀俊"), hangul_variants("樂毅")
    (('허쥔',), ('웨이', '러이'))
    """
    out = []
    for variant in pinyin_variants(name, kind):
        syllables = split_pinyin(variant)
        hangul = syllables_to_hangul(syllables) if syllables else None
        if hangul and hangul not in out:
            out.append(hangul)
    return tuple(out)


def hangul(name: str, kind: str = "person") -> str | None:
    """The NIKL Hangul transcription of the Mandarin reading of a name, or ``None``.

    >>> hangul("賀俊"), hangul("蔣媛媛"), hangul("羅以洪"), hangul("王喜文"), hangul("楊軍")
    ('허쥔', '장위안위안', '뤄이훙', '왕시원', '양쥔')
    """
    variants = hangul_variants(name, kind)
    return variants[0] if variants else None
