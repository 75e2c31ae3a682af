"""``hanlink evaluate --format press``: people, their hanja, titles and institutions on real press passages.

The gold is annotated by person, not by span (``data/gold/README.md``), one JSON object a line::

    {"id", "source", "text",
     "persons": [{"name", "hanja", "title", "institution", "aliases"?, "former"?}],
     "orgs": ["..."]}

Scoring (``../shared/CONTRACT.md``):

* a gold person is *found* when a predicted PERSON's text equals its ``name`` or one of its ``aliases``;
* precision counts the distinct predicted PERSON texts of a passage that are no form of a gold person
  (a predicted PERSON with an ``antecedent`` — a later short reference — is never an extra person);
* ``hanja`` is correct when a found mention's ``hanja`` equals the gold (over gold persons with hanja);
* ``title`` / ``affiliation`` are correct when one of the found mentions' ``title`` (``affiliation.text``)
  and the gold contain one another (over gold persons with a title / institution);
* an org string is found when it equals or lies inside a predicted ORG's text.

Passages are split into ``dev`` and ``test`` by a hash of their id (:func:`split_of`): tune on dev,
report test.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from pipeline.errors import HanlinkError

SPLITS = ("dev", "test")


@dataclass(frozen=True)
class GoldPerson:
    """One person of a press passage as the annotator wrote it."""

    name: str
    hanja: str | None = None
    title: str | None = None
    institution: str | None = None
    aliases: tuple[str, ...] = ()
    former: bool = False

    @property
    def surfaces(self) -> frozenset[str]:
        """Every text a predicted PERSON may have to count as this person."""
        return frozenset((self.name, *self.aliases))


@dataclass(frozen=True)
class PressPassage:
    """One annotated passage of real press."""

    id: str
    source: str
    text: str
    persons: tuple[GoldPerson, ...]
    orgs: tuple[str, ...]
    line: int = 0

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(passage_id: str) -> str:
    """``dev`` or ``test``, from the CRC-32 of the id (stable across runs and machines).

    >>> split_of("press-a-01") in SPLITS
    True
    """
    return SPLITS[zlib.crc32(passage_id.encode("utf-8")) % 2]


def _optional_text(value: Any, where: str, key: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise HanlinkError(f"{where}: {key!r} must be a string or null, not {type(value).__name__}")
    return value


def read_press_gold(path: str | Path) -> list[PressPassage]:
    """The passages of a press gold file.

    Raises
    ------
    HanlinkError
        Naming the file and line: not JSON, a missing ``id``/``text``/``persons``, a person without
        a ``name``, or a name, alias or org that does not occur in the passage's text.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as error:
        raise HanlinkError(f"{path}: cannot read the press gold ({error})") from None
    passages: list[PressPassage] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            obj = json.loads(line)
        except ValueError as error:
            raise HanlinkError(f"{where}: not a JSON object ({error})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or "id" not in obj:
            raise HanlinkError(f"{where}: a press gold line needs 'id', 'text', 'persons' and 'orgs'")
        text, passage_id = obj["text"], str(obj["id"])
        if passage_id in seen:
            raise HanlinkError(f"{where}: duplicate id {passage_id!r}")
        seen.add(passage_id)
        persons = []
        for k, person in enumerate(obj.get("persons") or []):
            pwhere = f"{where}, person {k + 1}"
            if not isinstance(person, dict) or not isinstance(person.get("name"), str) or not person["name"]:
                raise HanlinkError(f"{pwhere}: every person needs a 'name'")
            aliases = tuple(a for a in person.get("aliases") or () if a)
            for surface in (person["name"], *aliases):
                if surface not in text:
                    raise HanlinkError(f"{pwhere}: {surface!r} does not occur in the passage's text")
            persons.append(GoldPerson(
                name=person["name"], hanja=_optional_text(person.get("hanja"), pwhere, "hanja"),
                title=_optional_text(person.get("title"), pwhere, "title"),
                institution=_optional_text(person.get("institution"), pwhere, "institution"),
                aliases=aliases, former=bool(person.get("former", False))))
        orgs = tuple(obj.get("orgs") or ())
        for org in orgs:
            if not isinstance(org, str) or org not in text:
                raise HanlinkError(f"{where}: org {org!r} does not occur in the passage's text")
        passages.append(PressPassage(id=passage_id, source=str(obj.get("source") or ""), text=text,
                                     persons=tuple(persons), orgs=orgs, line=number))
    return passages


@dataclass
class _Counts:
    person_found: int = 0
    person_total: int = 0
    predicted_distinct: int = 0
    predicted_extra: int = 0
    hanja_correct: int = 0
    hanja_total: int = 0
    title_correct: int = 0
    title_total: int = 0
    affiliation_correct: int = 0
    affiliation_total: int = 0
    orgs_found: int = 0
    orgs_total: int = 0
    passages: int = 0

    def result(self) -> dict:
        precision = (1 - self.predicted_extra / self.predicted_distinct) if self.predicted_distinct else 0.0
        recall = self.person_found / self.person_total if self.person_total else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

        def part(correct: int, total: int, key: str = "accuracy") -> dict:
            return {"correct": correct, "total": total, key: round(correct / total, 4) if total else None}

        return {
            "passages": self.passages,
            "persons": {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                        "found": self.person_found, "total": self.person_total,
                        "predicted": self.predicted_distinct, "extra": self.predicted_extra},
            "hanja": part(self.hanja_correct, self.hanja_total),
            "title": part(self.title_correct, self.title_total),
            "affiliation": part(self.affiliation_correct, self.affiliation_total),
            "orgs": {"found": self.orgs_found, "total": self.orgs_total,
                     "recall": round(self.orgs_found / self.orgs_total, 4) if self.orgs_total else None},
        }


def _contain(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = " ".join(a.split()), " ".join(b.split())
    return a in b or b in a


def score_passage(passage: PressPassage, entities: Sequence[dict], counts: _Counts | None = None) -> dict:
    """Score the predicted ``entities`` (annotate's entity objects) of one passage; returns its mistakes."""
    counts = counts if counts is not None else _Counts()
    counts.passages += 1
    people = [e for e in entities if e.get("label") == "PERSON"]
    orgs = [e for e in entities if e.get("label") == "ORG"]
    mistakes: dict[str, list] = {"missed": [], "extra": [], "hanja": [], "title": [], "affiliation": [],
                                 "orgs_missed": []}
    gold_surfaces = set().union(*(p.surfaces for p in passage.persons)) if passage.persons else set()
    distinct = {e["text"] for e in people if not e.get("antecedent")}
    extra = sorted(t for t in distinct if t not in gold_surfaces)
    counts.predicted_distinct += len(distinct)
    counts.predicted_extra += len(extra)
    mistakes["extra"] = extra
    for person in passage.persons:
        counts.person_total += 1
        found = [e for e in people if e["text"] in person.surfaces]
        if found:
            counts.person_found += 1
        else:
            mistakes["missed"].append(person.name)
        if person.hanja:
            counts.hanja_total += 1
            if any(e.get("hanja") == person.hanja for e in found):
                counts.hanja_correct += 1
            elif found:
                mistakes["hanja"].append([person.name, person.hanja, [e.get("hanja") for e in found]])
        if person.title:
            counts.title_total += 1
            if any(_contain(e.get("title"), person.title) for e in found):
                counts.title_correct += 1
            else:
                mistakes["title"].append([person.name, person.title, sorted({e.get("title") or "" for e in found})])
        if person.institution:
            counts.affiliation_total += 1
            if any(_contain((e.get("affiliation") or {}).get("text"), person.institution) for e in found):
                counts.affiliation_correct += 1
            else:
                mistakes["affiliation"].append([person.name, person.institution,
                                                sorted({(e.get("affiliation") or {}).get("text") or "" for e in found})])
    for org in passage.orgs:
        counts.orgs_total += 1
        if any(org in e["text"] for e in orgs):
            counts.orgs_found += 1
        else:
            mistakes["orgs_missed"].append(org)
    return {key: value for key, value in mistakes.items() if value}


def score(passages: Sequence[PressPassage], predictions: Iterable[Sequence[dict]]) -> tuple[dict, list[dict]]:
    """Figures over all passages and per split, and the mistakes of each passage."""
    total, per_split = _Counts(), {name: _Counts() for name in SPLITS}
    errors = []
    for passage, entities in zip(passages, predictions):
        mistakes = score_passage(passage, entities, total)
        score_passage(passage, entities, per_split[passage.split])
        if mistakes:
            errors.append({"id": passage.id, "split": passage.split, **mistakes})
    result = total.result()
    result["by_split"] = {name: counts.result() for name, counts in per_split.items()}
    return result, errors


def evaluate_press(gold_path: str | Path, *, nlp=None, model: str | Path | None = None, tokenizer: str | None = None,
                   speakers: str | Path | None = None, institutions: str | Path | None = None,
                   split: str | None = None, errors_path: str | Path | None = None,
                   limit: int | None = None) -> dict:
    """Run the pipeline over the passages of a press gold file and score it (what ``hanlink evaluate
    --format press`` prints).

    Parameters
    ----------
    split : ``dev``, ``test`` or None (all passages; ``by_split`` always holds both).
    errors_path : write each passage's mistakes there (JSONL: missed, extra, hanja, title, affiliation,
        orgs_missed).
    """
    from pipeline.loader import load
    from pipeline.records import doc_record

    passages = read_press_gold(gold_path)
    if split:
        if split not in SPLITS:
            raise HanlinkError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
        passages = [p for p in passages if p.split == split]
    if limit:
        passages = passages[:limit]
    if nlp is None:
        nlp = load(model, tokenizer=tokenizer, speakers=speakers, institutions=institutions)
    predictions = [doc_record(doc, p.id)["entities"] for p, doc in zip(passages, nlp.pipe(p.text for p in passages))]
    result, errors = score(passages, predictions)
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as out:
            for record in errors:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"gold": str(gold_path), "format": "press", "split": split or "all", **result}


__all__ = ["GoldPerson", "PressPassage", "SPLITS", "evaluate_press", "read_press_gold", "score", "score_passage",
           "split_of"]
