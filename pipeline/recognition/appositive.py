"""The rule layer: gazetteer look-ups and the appositive patterns of Korean press.

Korean press introduces a speaker with an appositive, in a few fixed orders::

    허쥔(賀俊) 중국사회과학원 공업경제연구소 주임은      NAME(漢字) ORG… TITLE
    김상훈 산업연구원 해외산업연구실장은                NAME ORG… UNIT+TITLE (fused)
    중국권역별·성별연구팀 김주혜 연구원                 ORG… NAME TITLE
    KIEP 소장 양평섭은                                ORG… TITLE NAME
    김상훈 실장은                                     NAME TITLE

This module classifies each word (:mod:`pipeline.recognition.words`) as a name candidate,
an organisation, a title, a unit fused with a title, or something else, then
matches these patterns. It works on character offsets and returns
:class:`Mention` s; :mod:`pipeline.recognition.rules` turns them into spaCy spans.

Examples
--------
>>> from pipeline.tokenization.tokenizer import make_nlp
>>> from pipeline.kb.tables import load_tables
>>> doc = make_nlp()("김상훈 산업연구원 해외산업연구실장은 예측했다.")
>>> [(doc.text[m.start:m.end], m.label, m.title) for m in find_mentions(doc, load_tables())]
[('김상훈', 'PERSON', '실장'), ('산업연구원', 'ORG', None), ('해외산업연구실', 'ORG', None)]
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from spacy.tokens import Doc

from pipeline.lexicons import Lexicons, default_lexicons, read_entries
from pipeline.paths import data_path
from pipeline.kb.aliases import han_fold, typed_keys
from pipeline.kb.tables import Tables, normalize_key
from pipeline.names._data import korean_surnames
from pipeline.names.hanja import reading
from pipeline.names.korean import strip_particle
from pipeline.names.parens import hanja_in_paren
from pipeline.names.places import is_place
from pipeline.names.transcribe import looks_transcribed
from pipeline.names.script import has_han, is_han, is_hangul
from pipeline.recognition.words import Word, split_words

# word kinds
NAME, HAN_NAME, PERSON_GAZ, ORG, ORG_GAZ, ORG_GENERIC, TITLE, FUSED, OTHER = (
    "NAME", "HAN_NAME", "PERSON_GAZ", "ORG", "ORG_GAZ", "ORG_GENERIC", "TITLE", "FUSED", "OTHER")
_PERSONISH = {NAME, HAN_NAME, PERSON_GAZ}
_ORGISH = {ORG, ORG_GAZ}
_NOMINAL = re.compile(r"^(N|MM|XSN|SH|SL|SN|NA|UNKNOWN|Noun|Alpha|Foreign)")
_LATIN_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
#: Most words a table name may have and still be found across spaces (Chinese Academy of Social Sciences: 5).
_MAX_GAZETTEER_WORDS = 8
#: Shortest institution key matched through a derived form (a reading, a place variant): shorter ones collide.
_MIN_DERIVED_ORG = 4
#: Tags of one dictionary word: a word that is only one of these is a noun, not a name (시신(屍身), 국내).
_DICTIONARY_NOUN_TAGS = frozenset({"NNG", "NNB", "NR", "Noun"})
#: One proper noun the analyser knows but does not mark as a person (동대문, 샤넬, 음악원).
_PROPER_NOUN_TAGS = frozenset({"NNP"})
#: Tags of a word the analyser does not know: the only one-morpheme words that may be an unmarked
#: name (a one-morpheme word of its dictionary — noun, pronoun, determiner, adverb: 여러, 우리 — is not).
_UNKNOWN_WORD_TAGS = frozenset({"UNKNOWN", "NA", "UNK"})
#: Endings a place takes in Hangul (도쿄도, 오사카부, 나가사키현, 부산시).
_PLACE_ENDINGS = ("시", "도", "현", "부")
#: How many words before a foreign name may belong to it (앤 마리 게츠).
_MAX_SPACED_NAME_WORDS = 3


def load_word_list(path: str | Path) -> frozenset[str]:
    """The words of a lexicon file: whitespace-separated, any number a line, ``#`` starting a comment.

    Raises
    ------
    HanlinkError
        When the file cannot be read.
    """
    return frozenset(word for entry in read_entries(path) for word in entry.split())


@lru_cache(maxsize=None)
def default_word_list(name: str) -> frozenset[str]:
    """A shipped word list of ``data/lexicons/`` (``places.txt``, ``not_name_words.txt``), read once."""
    return load_word_list(data_path("lexicons", name))


@dataclass
class Mention:
    """A PERSON or ORG mention found by the rules, in character offsets.

    Attributes
    ----------
    start, end : int
        The name itself (no particle, no parenthesis).
    label : str
        ``"PERSON"`` or ``"ORG"``.
    source : str
        Which rule found it: ``"appositive"``, ``"gazetteer"``, ``"paren"``, ``"latin"`` (pinyin names)
        or ``"known"`` (well-known organisations).
    hanja : str, optional
        The original-script form given in parentheses (賀俊), or the mention itself when it is hanja.
    title : str, optional
        The title stated with a person (주임); for a unit fused with its head's title, the title.
    affiliation : tuple of int, optional
        Offsets of the affiliation text of a person (중국사회과학원 공업경제연구소).
    affiliation_unit : tuple of int, optional
        Offsets of the innermost organisation of the affiliation (the one a person works for).
    head : tuple of int, optional
        For an organisation inside an affiliation, the organisation named just before it
        (its likely parent: 중국사회과학원 for 공업경제연구소).
    """

    start: int
    end: int
    label: str
    source: str
    hanja: str | None = None
    title: str | None = None
    affiliation: tuple[int, int] | None = None
    affiliation_unit: tuple[int, int] | None = None
    head: tuple[int, int] | None = None
    table_ids: list[str] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass
class _Item:
    """A word, or several words that together form one gazetteer name, with its kind."""

    kind: str
    start: int
    end: int
    words: list[Word]
    hanja: str | None = None
    ids: list[str] = field(default_factory=list)
    unit_end: int = 0  # FUSED: end of the unit part
    title: str | None = None  # FUSED / TITLE: the title

    @property
    def last(self) -> Word:
        return self.words[-1]

    @property
    def tail(self) -> str:
        return self.last.tail

    @property
    def closed(self) -> bool:
        return self.last.closed


class AppositiveMatcher:
    """Finds PERSON and ORG mentions with the gazetteer and the appositive patterns.

    Parameters
    ----------
    tables : Tables
        The speaker and institution tables; their written names form the gazetteer.
    lexicons : Lexicons, optional
        Titles, organisation endings, fused titles and surnames (default: ``data/lexicons``).
    max_name_length : int
        Longest Hangul person name accepted from a pattern, in syllables (Chinese names in
        Hangul run long: 장위안위안, 누얼바이커리), when the analyser marks it as a name or
        hanja follow it; a name without either has 2-3 syllables (4 with a two-syllable surname).
    places : frozenset of str, optional
        Places beyond the Chinese place table, in Hangul or hanja (default:
        ``data/lexicons/places.txt``): never a person's name.
    not_name_words : frozenset of str, optional
        Words never taken as (part of) a name in a pattern (default:
        ``data/lexicons/not_name_words.txt``).
    """

    def __init__(self, tables: Tables, lexicons: Lexicons | None = None, *, max_name_length: int = 6,
                 places: frozenset[str] | None = None, not_name_words: frozenset[str] | None = None):
        self.tables = tables
        self.lexicons = lexicons or default_lexicons()
        self.max_name_length = max_name_length
        self.places = default_word_list("places.txt") if places is None else places
        self.not_name_words = default_word_list("not_name_words.txt") if not_name_words is None else not_name_words
        self.max_gazetteer_words = min(_MAX_GAZETTEER_WORDS, tables.max_words())
        self._derived_org_view = None
        self._surface_views: dict = {}

    # -- classification -------------------------------------------------------
    def _gazetteer(self, text: str, label: str, *, derived: bool = True) -> list[str]:
        """Ids of the table names written ``text``; Chinese characters in either script
        (中國社會科學院 finds the row written 中国社会科学院: the index holds the simplified fold);
        with ``derived``, one word may also be a derived form of an institution's name
        (상해사회과학원, the Sino-Korean reading of 上海社会科学院)."""
        names = self._surface_views.get(label)
        if names is None:  # the tables' view, fetched once (the property checks its index on every access)
            names = self._surface_views[label] = self.tables.surface.get(label, {})
        key = normalize_key(text)
        ids = names.get(key, [])
        if not ids and has_han(key):
            ids = names.get(han_fold(key), [])
        if not ids and derived and label == "ORG" and len(key) >= _MIN_DERIVED_ORG:
            ids = self._derived_orgs().get(key, [])
        return ids

    def _derived_orgs(self):
        """Every form of every institution name (상해사회과학원, the reading of 上海社会科学院)."""
        if self._derived_org_view is None:
            self._derived_org_view = self.tables.alias_index("ORG").view()
        return self._derived_org_view

    def _classify(self, word: Word, text: str) -> _Item:
        core = word.core(text)
        item = self._classify_core(word, core, text)
        if item.kind == OTHER and not word.tail:
            stem = strip_particle(core)
            if stem != core and core.startswith(stem):
                stripped = Word(word.start, word.end, word.core_start, word.core_start + len(stem), word.paren,
                                core[len(stem):], word.closed, word.tags, word.person_hint, word.place_hint)
                retry = self._classify_core(stripped, stem, text)
                if retry.kind in (TITLE, FUSED, ORG_GAZ, PERSON_GAZ, ORG):
                    return retry
        return item

    def _classify_core(self, word: Word, core: str, text: str) -> _Item:
        lex = self.lexicons
        start, end = word.core_start, word.core_start + len(core)
        hanja = hanja_in_paren(word.paren_text(text)) if word.paren else None
        if not core:
            return _Item(OTHER, start, end, [word])
        ids = self._gazetteer(core, "ORG")
        if ids:
            return _Item(ORG_GAZ, start, end, [word], hanja=hanja, ids=ids)
        ids = self._gazetteer(core, "PERSON")
        if ids:
            return _Item(PERSON_GAZ, start, end, [word], hanja=hanja, ids=ids)
        if core in lex.titles:
            return _Item(TITLE, start, end, [word], title=core)
        fused = lex.split_fused_title(core)
        if fused and self._is_unit(fused[0]):
            unit, title = fused
            return _Item(FUSED, start, end, [word], unit_end=start + len(unit), title=title,
                         ids=self._gazetteer(unit, "ORG"))
        suffix = lex.org_suffix(core)
        if suffix:
            return _Item(ORG if len(core) > len(suffix) else ORG_GENERIC, start, end, [word], hanja=hanja)
        if core[-1:] in lex.weak_org_suffixes and 2 <= len(core) <= 5 and is_hangul(core) \
                and not word.person_hint and not (hanja and not is_place(hanja)) and word.tags[:1] != ("NNG",):
            return _Item(ORG, start, end, [word], hanja=hanja)  # 민주당, 서강대 (not a person: 민주당 대변인)
        if _LATIN_ABBREVIATION.match(core):
            return _Item(ORG, start, end, [word])
        if self._is_place(word, core, hanja) or core in lex.not_organisations:
            return _Item(OTHER, start, end, [word], hanja=hanja)  # 베이징(北京) is a place, not a person
        if is_han(core) and 2 <= len(core) <= 4:
            return _Item(HAN_NAME, start, end, [word], hanja=core)
        if is_hangul(core) and 2 <= len(core) <= self.max_name_length:
            if hanja and self._looks_like_han_name(word, core, hanja):
                return _Item(HAN_NAME, start, end, [word], hanja=hanja)
            if not hanja and self._looks_like_name(word, core):
                return _Item(NAME, start, end, [word])
        return _Item(OTHER, start, end, [word], hanja=hanja)

    # -- what a name looks like -----------------------------------------------
    def _is_unit(self, unit: str) -> bool:
        """True when ``unit``, cut from a unit fused with a title, names an organisation unit.

        A known organisation, a unit ending with something before it (해외산업연구실), or a long
        enough unit; not a generic ending alone (사무국장 is a title, 사무국 no organisation).
        """
        if self._gazetteer(unit, "ORG"):
            return True
        suffix = self.lexicons.org_suffix(unit)
        if suffix:
            return len(unit) > len(suffix)
        return len(unit) >= 4

    def _is_place(self, word: Word, core: str, hanja: str | None) -> bool:
        """True when the word names a place: the place table, ``places.txt`` or the analyser's 지명."""
        if word.place_hint or is_place(core) or (hanja is not None and is_place(hanja)):
            return True
        forms = [core] + [core[:-len(e)] for e in _PLACE_ENDINGS if core.endswith(e) and len(core) > len(e) + 1]
        if hanja is not None:
            forms.append(hanja)
        return any(form in self.places for form in forms)

    def _is_excluded_name(self, word: Word, core: str) -> bool:
        """Words that are never a person's name, whatever the analyser says.

        Listed words (유엔, 전) and 駐 + a listed word or place (주유네스코); words ending in an
        organisation ending (더블린대, 주돈식청와대; a three-syllable name the analyser marks as a
        person may end in 대: 김종대); words ending in a title (경제수석, 공관위원장; 이수석, marked
        as a person, is a name).
        """
        lex = self.lexicons
        if core in self.not_name_words or lex.org_suffix(core):
            return True
        if core[:1] == "주" and (core[1:] in self.not_name_words or core[1:] in self.places):
            return True  # 駐 + a country or body: 주유네스코 대사, 주미 대사
        marked = word.person_hint and len(core) <= 3
        if core[-1:] in lex.weak_org_suffixes and not marked:
            return True
        return not marked and lex.ends_with_title(core)

    def _korean_name_shape(self, core: str) -> bool:
        """A Korean surname and a given name: 3 syllables (김상훈), 4 with a two-syllable surname (남궁민수)."""
        surnames = korean_surnames()
        return (len(core) == 3 and core[:1] in surnames) or (len(core) == 4 and core[:2] in surnames)

    def _looks_like_name(self, word: Word, core: str) -> bool:
        """True when a Hangul word without hanja can be the NAME of a pattern.

        Either the analyser marks it as a person's name, or it has a person name's shape:
        a surname (``surnames_hangul.txt``) and nominal morphemes, and either a Chinese name
        in the official Hangul transcription (저우샤오찬: not a common noun of the dictionary) or
        2-3 syllables (4 with a two-syllable surname) and not one word of the analyser's
        dictionary (국내, 발표자: nouns; 동대문, 샤넬, 음악원: proper nouns it does not call a person).
        """
        if self._is_excluded_name(word, core):
            return False
        if word.person_hint:
            return len(core) <= 5
        lex = self.lexicons
        if not lex.has_surname(core):
            return False
        one_word = len(word.tags) == 1
        if looks_transcribed(core) and 2 <= len(core) <= self.max_name_length:
            # a Chinese name in the official Hangul transcription (저우샤오찬, 쑨웨이, 리창): the
            # product's main case. The analyser often mangles such names (쑨 as a verb form), so its
            # tags are not asked to be nominal; one word of its dictionary must be a proper noun
            # (리창), not a common noun, pronoun or adverb (우리, 모두, 주로).
            return not one_word or word.tags[0] in _PROPER_NOUN_TAGS | _UNKNOWN_WORD_TAGS
        if not all(_NOMINAL.match(tag) for tag in word.tags):
            return False
        if not (2 <= len(core) <= 3 or (len(core) == 4 and core[:2] in lex.surnames)):
            return False
        return not one_word or word.tags[0] in _UNKNOWN_WORD_TAGS

    def _looks_like_han_name(self, word: Word, core: str, hanja: str) -> bool:
        """True when a Hangul word with hanja in parentheses is a person's name (허쥔(賀俊), 강용석(姜容碩)).

        Not a word glossed with its hanja (시신(屍身), 고하(高下)): one dictionary noun is not a
        name, and a word read as its hanja (a Korean word or name) needs a Korean name's shape.
        Places are sorted out before (:meth:`_is_place`).
        """
        if self._is_excluded_name(word, core):
            return False
        if word.person_hint:
            return True
        if len(word.tags) == 1 and word.tags[0] in _DICTIONARY_NOUN_TAGS:
            return False
        if not self.lexicons.has_surname(core):
            return False
        if reading(hanja) != core:
            return True  # a transcription (허쥔 賀俊): the hanja of a Chinese or Japanese name
        return self._korean_name_shape(core) and all(_NOMINAL.match(tag) for tag in word.tags)

    def _foreign_name_word(self, item: _Item, text: str) -> bool:
        """True when an item is one word of a spaced foreign name (앙겔라, 빌 in 빌 클린턴).

        One Hangul word of proper nouns the analyser marks as a person, without particle,
        parenthesis or punctuation, that is no place, no listed word and no Korean name.
        """
        if len(item.words) != 1 or item.kind not in (NAME, OTHER):
            return False
        word = item.last
        core = word.core(text)
        return (word.person_hint and is_hangul(core) and not word.tail and not word.paren and not word.closed
                and word.core_start == word.start and word.core_end == word.end
                and all(tag in _PROPER_NOUN_TAGS for tag in word.tags)
                and not self._is_place(word, core, None) and core not in self.not_name_words
                and not self._korean_name_shape(core))

    def _spaced_name_start(self, items: list[_Item], k: int, text: str) -> int:
        """Where the person name of ``items[k]`` begins: earlier when it is the last word of a
        spaced foreign name (앙겔라 메르켈 총리 → 앙겔라 메르켈), else at ``items[k]``."""
        person = items[k]
        word = person.words[0]
        core = text[person.start:person.end]
        if len(person.words) != 1 or not is_hangul(core) or self._korean_name_shape(core) \
                or not all(tag in _PROPER_NOUN_TAGS for tag in word.tags) or word.core_start != word.start:
            return person.start
        start = person.start
        i = k - 1
        while i >= 0 and k - i <= _MAX_SPACED_NAME_WORDS - 1 and self._foreign_name_word(items[i], text) \
                and not text[items[i].end:start].strip():
            start = items[i].start
            i -= 1
        return start

    def _items(self, doc: Doc, text: str) -> list[_Item]:
        words = split_words(doc, text)
        items: list[_Item] = []
        i = 0
        while i < len(words):
            merged = self._multiword_gazetteer(words, i, text)
            if merged is not None:
                items.append(merged)
                i += len(merged.words)
                continue
            item = self._classify(words[i], text)
            spaced = self._spaced_han_name(items, item, text)
            if spaced is not None:  # 왕 이(王毅): a spaced name whose hanja follow its last word
                items[-1] = spaced
                i += 1
                continue
            # a generic ending (연구센터) names an organisation together with the word before it
            if item.kind == ORG_GENERIC and items and items[-1].kind in (OTHER, NAME, ORG) \
                    and not items[-1].tail and not items[-1].last.paren and not items[-1].closed \
                    and items[-1].end == words[i - 1].core_end:
                previous = items.pop()
                item = _Item(ORG, previous.start, item.end, previous.words + item.words)
            items.append(item)
            i += 1
        return items

    def _spaced_han_name(self, items: list[_Item], item: _Item, text: str) -> _Item | None:
        """The name written in two words with its hanja after the second (왕 이(王毅), 천 밍(陈明)),
        when the two words together are a form of the hanja (transcription or reading); else None."""
        word = item.last
        if not word.paren or not items or len(item.words) != 1 or item.kind not in (OTHER, NAME, HAN_NAME):
            return None
        hanja = hanja_in_paren(word.paren_text(text))
        core = word.core(text)
        if not hanja or not 2 <= len(hanja) <= 4 or not is_hangul(core):
            return None
        previous = items[-1]
        first = previous.last
        if len(previous.words) != 1 or previous.kind not in (OTHER, NAME) or first.tail or first.paren \
                or first.closed or first.core_start != first.start or first.core_end != first.end \
                or text[first.end:word.start].strip():
            return None
        surname = first.core(text)
        joined = surname + core
        if surname not in self.lexicons.surnames or not is_hangul(joined) \
                or joined not in typed_keys(hanja, "person"):  # 신정 국가(神政國家) is no name
            return None
        return _Item(HAN_NAME, previous.start, item.end, previous.words + item.words, hanja=hanja)

    def _multiword_gazetteer(self, words: list[Word], i: int, text: str) -> _Item | None:
        for n in range(min(self.max_gazetteer_words, len(words) - i), 1, -1):
            group = words[i:i + n]
            if any(w.tail or w.paren or w.closed or w.core_end != w.end or w.core_start != w.start
                   for w in group[:-1]):
                continue
            surface = text[group[0].core_start:group[-1].core_end]
            for label, kind in (("ORG", ORG_GAZ), ("PERSON", PERSON_GAZ)):
                ids = self._gazetteer(surface, label, derived=False)  # a parent + unit pair stays two
                if ids:
                    last = group[-1]
                    hanja = hanja_in_paren(last.paren_text(text)) if last.paren else None
                    return _Item(kind, group[0].core_start, last.core_end, group, hanja=hanja, ids=ids)
        return None

    # -- patterns -------------------------------------------------------------
    def find(self, doc: Doc, text: str | None = None) -> list[Mention]:
        """All mentions in ``doc``, sorted by position; overlapping ones resolved (longest wins).

        ``text`` is ``doc.text`` when the caller has it already (it is rebuilt on every access).
        """
        text = doc.text if text is None else text
        items = self._items(doc, text)
        mentions: dict[tuple[int, int], Mention] = {}

        def add(mention: Mention) -> Mention:
            key = mention.span
            known = mentions.get(key)
            if known is None:
                mentions[key] = mention
                return mention
            for attr in ("hanja", "title", "affiliation", "affiliation_unit", "head"):
                if getattr(known, attr) is None and getattr(mention, attr) is not None:
                    setattr(known, attr, getattr(mention, attr))
            if mention.source == "appositive":
                known.source = "appositive"
            return known

        for j, item in enumerate(items):
            if item.kind in (TITLE, FUSED):
                self._match_title(items, j, text, add)
        # names anywhere: gazetteer names, Hangul names with hanja in parentheses
        for k, item in enumerate(items):
            if item.kind == ORG_GAZ:
                add(Mention(item.start, item.end, "ORG", "gazetteer", hanja=item.hanja, table_ids=item.ids))
                self._paren_org(item, text, add)
            elif item.kind == PERSON_GAZ:
                add(Mention(item.start, item.end, "PERSON", "gazetteer", hanja=item.hanja, table_ids=item.ids))
            elif item.kind == HAN_NAME and item.last.paren and not is_han(text[item.start:item.end]):
                start = self._spaced_name_start(items, k, text)
                add(Mention(start, item.end, "PERSON", "paren", hanja=item.hanja))
            elif item.kind == FUSED and item.ids:
                add(Mention(item.start, item.unit_end, "ORG", "gazetteer", table_ids=item.ids))
        return _resolve_overlaps(mentions.values())

    def _paren_org(self, item: _Item, text: str, add) -> None:
        word = item.last
        if not word.paren:
            return
        content = text[word.paren[0]:word.paren[1]].strip()
        ids = self._gazetteer(content, "ORG")
        if ids and content:
            start = text.index(content, word.paren[0])
            add(Mention(start, start + len(content), "ORG", "gazetteer", table_ids=ids))

    def _match_title(self, items: list[_Item], j: int, text: str, add) -> None:
        title_item = items[j]
        chain: list[_Item] = []
        k = j - 1
        while k >= 0:
            candidate = items[k]
            if candidate.closed or candidate.tail not in ("", "의"):
                break
            if candidate.kind in _ORGISH:
                chain.insert(0, candidate)
            elif candidate.kind == OTHER and chain and not candidate.last.paren and candidate.tail == "" \
                    and all(_NOMINAL.match(t) for t in candidate.last.tags):
                chain.insert(0, candidate)  # a place or descriptor inside the affiliation (베이징)
            else:
                break
            k -= 1
        while chain and chain[0].kind == OTHER:
            chain.pop(0)
        orgs = [c for c in chain if c.kind in _ORGISH]
        unit_span = None
        if title_item.kind == FUSED:
            unit_span = (title_item.start, title_item.unit_end)
        if k >= 0 and items[k].kind in _PERSONISH and items[k].tail == "" and not items[k].closed \
                and (orgs or k == j - 1):
            person = items[k]
            if not orgs and unit_span is None:
                orgs = self._org_chain_before(items, k)
        elif j + 1 < len(items) and orgs and k == j - len(chain) - 1 and items[j + 1].kind in _PERSONISH \
                and not title_item.tail and not title_item.closed:
            person = items[j + 1]  # ORG… TITLE NAME
        else:
            person = None
        if person is None:
            if unit_span is not None and (orgs or title_item.ids):
                self._emit_orgs(orgs, unit_span, title_item, add)
            return
        affiliation_unit = unit_span or ((orgs[-1].start, orgs[-1].end) if orgs else None)
        affiliation = None
        if orgs or unit_span:
            first = orgs[0].start if orgs else unit_span[0]
            affiliation = (first, affiliation_unit[1])
        start = person.start
        if k >= 0 and person is items[k] and person.kind != PERSON_GAZ:
            start = self._spaced_name_start(items, k, text)
        add(Mention(start, person.end, "PERSON", "appositive", hanja=person.hanja,
                    title=title_item.title, affiliation=affiliation, affiliation_unit=affiliation_unit,
                    table_ids=person.ids))
        self._emit_orgs(orgs, unit_span, title_item, add)

    def _org_chain_before(self, items: list[_Item], k: int) -> list[_Item]:
        """Organisations written right before a name (ORG… NAME TITLE)."""
        chain: list[_Item] = []
        i = k - 1
        while i >= 0 and items[i].kind in _ORGISH and items[i].tail in ("", "의") and not items[i].closed:
            chain.insert(0, items[i])
            i -= 1
        return chain

    @staticmethod
    def _emit_orgs(orgs: list[_Item], unit_span, title_item: _Item, add) -> None:
        previous: tuple[int, int] | None = None
        for org in orgs:
            add(Mention(org.start, org.end, "ORG", "appositive", hanja=org.hanja, head=previous, table_ids=org.ids))
            previous = (org.start, org.end)
        if unit_span is not None:
            add(Mention(unit_span[0], unit_span[1], "ORG", "appositive", head=previous, table_ids=title_item.ids))


def _resolve_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions, preferring appositive over gazetteer and longer over shorter.

    O(n log n): kept intervals are disjoint, so they stay sorted by start and one
    bisection finds the only neighbours a new interval could overlap.
    """
    rank = {"appositive": 0, "paren": 1, "gazetteer": 2}
    ordered = sorted(mentions, key=lambda m: (rank.get(m.source, 3), -(m.end - m.start), m.start))
    starts: list[int] = []
    kept: list[Mention] = []
    for mention in ordered:
        position = bisect_left(starts, mention.start)
        if position > 0 and kept[position - 1].end > mention.start:
            continue
        if position < len(kept) and kept[position].start < mention.end:
            continue
        starts.insert(position, mention.start)
        kept.insert(position, mention)
    return kept


def add_without_overlap(mentions: list[Mention], additions: list[Mention]) -> list[Mention]:
    """``mentions`` plus those of ``additions`` that overlap none of them, sorted by position.

    Linear after sorting (a 5 MB document has hundreds of thousands of mentions): an addition
    overlaps a mention iff some mention starting before the addition's end ends after its start.

    >>> [(m.start, m.end) for m in add_without_overlap([Mention(0, 3, "ORG", "gazetteer")],
    ...                                                [Mention(2, 5, "ORG", "known"), Mention(5, 8, "ORG", "known")])]
    [(0, 3), (5, 8)]
    """
    if not additions:
        return mentions
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    reach: list[int] = []  # reach[i]: the furthest end among ordered[:i + 1]
    for m in ordered:
        reach.append(max(m.end, reach[-1]) if reach else m.end)
    kept = []
    for addition in additions:
        i = bisect_left(starts, addition.end)
        if i == 0 or reach[i - 1] <= addition.start:
            kept.append(addition)
    if not kept:
        return mentions
    return sorted(mentions + kept, key=lambda m: (m.start, m.end))


def find_mentions(doc: Doc, tables: Tables, lexicons: Lexicons | None = None) -> list[Mention]:
    """Shortcut: :meth:`AppositiveMatcher.find` with the given tables."""
    return AppositiveMatcher(tables, lexicons).find(doc)
