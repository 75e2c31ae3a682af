"""Word lists the rule layer reads from ``data/lexicons/``.

Each list is a plain text file, one entry per line (or per space for the
surname list), ``#`` starting a comment. They are data, not code: add a title
or an organisation ending by editing the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.errors import HanlinkError
from pipeline.paths import data_path


def read_entries(path: str | Path) -> list[str]:
    """The entries of a lexicon file: one a line, ``#`` starting a comment, blank lines skipped.

    Raises
    ------
    HanlinkError
        When the file cannot be read or is not UTF-8; the message names the file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise HanlinkError(f"cannot read the lexicon {path}: {error}; reinstall hanlink or set HANLINK_DATA "
                           "to a folder holding lexicons/") from error
    entries: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries




@dataclass(frozen=True)
class Lexicons:
    """The rule layer's word lists.

    Attributes
    ----------
    titles : frozenset of str
        Titles and positions (소장, 주임, 전략디렉터, ...).
    fused_titles : dict
        Title → the unit ending it shares when written fused to the unit
        (``{"실장": "실"}``: 해외산업연구실장 = 해외산업연구실 + 실장), longest first.
    org_suffixes : tuple of str
        Endings that make a word an organisation name (연구원, 사회과학원, ...), longest first.
    surnames : frozenset of str
        Syllables that begin person names written in Hangul.
    not_organisations : frozenset of str
        Countries and generic government words that are not institutions on their own (중국, 정부).
    weak_org_suffixes : frozenset of str
        One-syllable endings of short organisation names (민주당, 서강대): an organisation
        unless the analyser marks the word as a person's name.
    """

    titles: frozenset[str]
    fused_titles: dict[str, str]
    org_suffixes: tuple[str, ...]
    surnames: frozenset[str]
    not_organisations: frozenset[str] = frozenset()
    weak_org_suffixes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # longest first; set look-ups instead of one endswith per entry
        object.__setattr__(self, "_suffix_set", frozenset(self.org_suffixes))
        object.__setattr__(self, "_suffix_lengths", sorted({len(s) for s in self.org_suffixes}, reverse=True))
        object.__setattr__(self, "_fused_lengths", sorted({len(t) for t in self.fused_titles}, reverse=True))
        object.__setattr__(self, "_title_lengths", sorted({len(t) for t in self.titles}, reverse=True))
        object.__setattr__(self, "_titles_by_length_desc",
                           tuple(sorted((t for t in self.titles if t not in self.fused_titles), key=len,
                                        reverse=True)))

    def org_suffix(self, word: str) -> str:
        """The organisation ending of ``word`` or ``""``.

        >>> default_lexicons().org_suffix("상하이사회과학원")
        '사회과학원'
        """
        for length in self._suffix_lengths:
            if word[-length:] in self._suffix_set:
                return word[-length:]
        return ""

    def ends_with_title(self, word: str) -> bool:
        """True when ``word`` is something followed by a title (경제수석, 공관위원장).

        >>> default_lexicons().ends_with_title("경제수석"), default_lexicons().ends_with_title("수석")
        (True, False)
        """
        return any(word[-n:] in self.titles for n in self._title_lengths if len(word) > n)

    def split_fused_title(self, word: str) -> tuple[str, str] | None:
        """Split a unit name fused with its head's title.

        >>> default_lexicons().split_fused_title("해외산업연구실장")
        ('해외산업연구실', '실장')
        >>> default_lexicons().split_fused_title("실장") is None
        True
        """
        for length in self._fused_lengths:
            title = word[-length:]
            unit_suffix = self.fused_titles.get(title)
            if unit_suffix is None or len(word) - length < 2:
                continue
            # 수석부회장 is two titles, not a unit 수석부회 headed by a 회장
            if any(word.endswith(t) and len(t) > length for t in self._titles_by_length_desc):
                return None
            return word[:-length] + unit_suffix, title
        return None

    def has_surname(self, word: str) -> bool:
        """True when ``word`` begins with a known surname syllable (or compound)."""
        return word[:1] in self.surnames or word[:2] in self.surnames


def load_lexicons(folder: str | Path | None = None) -> Lexicons:
    """Read the lexicons from ``folder`` (default: ``data/lexicons``)."""
    folder = Path(folder) if folder else data_path("lexicons")
    fused: dict[str, str] = {}
    for entry in read_entries(folder / "fused_titles.tsv"):
        title, _, unit = entry.partition("\t")
        title, unit = title.strip(), unit.strip()
        if not unit or not title.startswith(unit):
            raise HanlinkError(f"{folder / 'fused_titles.tsv'}: {title!r}: the unit ending {unit!r} must begin the "
                               "title (실장 → 실), so that the unit is written inside the fused word")
        fused[title] = unit
    surnames = {part for entry in read_entries(folder / "surnames_hangul.txt") for part in entry.split()}
    return Lexicons(
        titles=frozenset(read_entries(folder / "titles.txt")),
        fused_titles=dict(sorted(fused.items(), key=lambda kv: -len(kv[0]))),
        org_suffixes=tuple(sorted(set(read_entries(folder / "org_suffixes.txt")), key=len, reverse=True)),
        surnames=frozenset(surnames),
        not_organisations=frozenset(read_entries(folder / "not_organisations.txt")),
        weak_org_suffixes=frozenset(read_entries(folder / "weak_org_suffixes.txt")),
    )


@lru_cache(maxsize=1)
def default_lexicons() -> Lexicons:
    """The shipped lexicons, read once."""
    return load_lexicons()
