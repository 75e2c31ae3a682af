"""Who is who across documents: new institutions and new people for ``hanlink directory``.

Institutions
    Every organisation of a person's affiliation (the ORG entities inside the
    affiliation span, outermost first: 중국사회과학원 → 공업경제연구소) is
    resolved in turn: its ``kb_id`` when linked, else an existing row that
    shares a name key and sits under the organisation named before it, else a
    new institution keyed by ``(parent id, smallest name key)``.

People
    A NIL person mention becomes an *atom* ``(Hangul name, hanja, institution)``.
    Atoms with an institution are clustered first, in a fixed order (with hanja
    first, then from the top of the institution tree down): an atom joins the
    cluster that shares a name key with it (any script, :func:`pipeline.kb.tables.name_keys`),
    has no other hanja, and all of whose institutions are the atom's institution,
    one of its parents or one of its units. These clusters are then mapped to
    ids (below). Then atoms without an institution join the one person (table
    row or new entry) they fit (the one named in the same document when there
    are several), or cluster among themselves. A mention that fits several and
    no document decides is left out (``ambiguous``).

Ids
    ``"N" + sha1("person|<smallest Hangul name>|<root institution id>")[:10]``
    for people and ``"NI" + sha1("org|<parent id>|<smallest name key>")[:10]``
    for institutions (16 digits, and the hanja and institution in the key, when
    two clusters would share an id). A computed id that a row of the tables
    (or of ``--base``) already has, or that a row lists in ``merged_ids``, is
    that row: the directory remembers its entries. Otherwise a cluster with an
    institution that fits exactly one row (shared name key, no different
    hanja, related or empty institution), and is the only cluster to fit it,
    joins that row.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from pipeline.directory.files import DatedRecord
from pipeline.names.forms import detect_script, forms
from pipeline.kb.tables import SPEAKER_COLUMNS, Tables, ancestor_chain, name_keys, normalize_key


def stable_id(prefix: str, key: str, length: int = 10) -> str:
    """``prefix`` + the first ``length`` hex digits (upper case) of the SHA-1 of ``key``.

    >>> stable_id("N", "person|천밍|I0003")
    'NFEFC4E8F2D'
    """
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:length].upper()


def hanja_identity(hanja: str | None) -> str | None:
    """The traditional-character key of a name in Chinese characters (陳明 and 陈明 → 陳明), or None."""
    if not hanja or detect_script(hanja) != "hanja":
        return None
    return normalize_key(forms(hanja, "person").get("traditional", hanja)) or None


def hangul_name(text: str, hanja: str | None) -> str:
    """The Hangul a mention stands for: the mention when it is Hangul, else the transcription of its hanja."""
    if detect_script(text) == "hangul":
        return normalize_key(text)
    for source in (hanja, text):
        if source:
            derived = forms(source, "person").get("hangul")
            if derived:
                return normalize_key(derived)
    return normalize_key(text)


# ---------------------------------------------------------------------------
# institutions


@dataclass
class NewInstitution:
    id: str
    key: str
    parent: str
    surfaces: Counter = field(default_factory=Counter)


class InstitutionResolver:
    """Resolves the organisations of affiliations to existing or new institution ids."""

    def __init__(self, frame: pd.DataFrame, redirect: dict[str, str]):
        self.rows = {row["institution_id"]: row for row in frame.to_dict("records")}
        self.parent = {key: row["parent_id"] for key, row in self.rows.items()}
        self.index = Tables(pd.DataFrame(columns=SPEAKER_COLUMNS), frame)
        self.redirect = redirect
        self.new: dict[str, NewInstitution] = {}
        self._by_key: dict[str, str] = {}
        self._seen: dict[tuple, str | None] = {}

    def known(self, kb_id: str | None) -> str | None:
        """``kb_id`` (through merges) when it names an existing or new institution."""
        if not kb_id:
            return None
        kb_id = self.redirect.get(kb_id, kb_id)
        return kb_id if kb_id in self.rows or kb_id in self.new else None

    def ancestors(self, institution_id: str) -> list[str]:
        """Parents of an existing or new institution, nearest first."""
        return ancestor_chain(self.parent, institution_id)

    def related(self, a: str, b: str) -> bool:
        """Same institution, or one is a parent (at any depth) of the other."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    def root(self, institution_id: str) -> str:
        chain = self.ancestors(institution_id)
        return chain[-1] if chain else institution_id

    def resolve(self, doc_id: str, orgs: list[tuple[str, str | None, int | None, int | None]]) -> str | None:
        """The institution of an affiliation chain ``[(text, kb_id, start, end), ...]`` (outermost first).

        An organisation that cannot be told apart from several existing rows
        ends the chain: the person gets the last organisation resolved.
        """
        current: str | None = None
        for text, kb_id, start, end in orgs:
            cache = (doc_id, start, end, text, current)
            if cache in self._seen:
                found = self._seen[cache]
            else:
                found = self.known(kb_id) or self._resolve(text, current)
                self._seen[cache] = found
                if found in self.new and not self.known(kb_id):
                    self.new[found].surfaces[text.strip()] += 1
            if found is None:
                break
            current = found
        return current

    def _resolve(self, text: str, parent: str | None) -> str | None:
        keys = name_keys(text, "org")
        if not keys:
            return None
        key = f"org|{parent or ''}|{min(keys)}"
        if key in self._by_key:
            return self._by_key[key]
        tentative = stable_id("NI", key)
        remembered = self.redirect.get(tentative, tentative)
        if remembered in self.rows:
            self._by_key[key] = remembered
            return remembered
        candidates: list[str] = []
        for found in self.index.lookup(text, "ORG"):
            found = self.redirect.get(found, found)
            if found in self.rows and found not in candidates and (not parent or parent in self.ancestors(found)):
                candidates.append(found)
        if len(candidates) == 1:
            self._by_key[key] = candidates[0]
            return candidates[0]
        if candidates:
            return None
        if tentative in self.new or tentative in self.rows:
            tentative = stable_id("NI", key, 16)
        self.new[tentative] = NewInstitution(tentative, key, parent or "")
        self.parent[tentative] = parent or ""
        self._by_key[key] = tentative
        return tentative


# ---------------------------------------------------------------------------
# people


@dataclass
class PersonMention:
    doc: str
    date: str | None
    text: str
    hanja: str | None
    identity: str | None
    name: str
    keys: frozenset
    title: str | None
    institution: str | None
    speaker: str | None = None


@dataclass
class Cluster:
    mentions: list[PersonMention] = field(default_factory=list)
    keys: set = field(default_factory=set)
    identities: set = field(default_factory=set)
    institutions: set = field(default_factory=set)
    docs: set = field(default_factory=set)
    existing: str | None = None

    def add(self, atom: list[PersonMention]) -> None:
        for mention in atom:
            self.mentions.append(mention)
            self.keys |= mention.keys
            if mention.identity:
                self.identities.add(mention.identity)
            if mention.institution:
                self.institutions.add(mention.institution)
            self.docs.add(mention.doc)


def extract_mentions(documents: Iterable[DatedRecord], resolver: InstitutionResolver, speaker_ids: set[str],
                     redirect: dict[str, str], warnings: list[str]) -> list[PersonMention]:
    """Every PERSON entity as a :class:`PersonMention` with its institution resolved (new ones registered)."""
    out: list[PersonMention] = []
    unknown: list[str] = []

    def check_org(doc: DatedRecord, kb_id: str | None) -> None:
        if kb_id and not resolver.known(kb_id):
            unknown.append(f"{doc.source}, line {doc.line} / id {doc.id!r}: ORG kb_id {kb_id!r} is in no institution "
                           "table; the organisation is taken as unlinked")

    for doc in documents:
        for ent in doc.entities:
            if ent.get("label") == "ORG":
                check_org(doc, ent.get("kb_id"))
            for role in ent.get("roles") or []:
                check_org(doc, (role.get("institution") or {}).get("kb_id"))
            check_org(doc, (ent.get("affiliation") or {}).get("kb_id"))
        orgs = sorted((e for e in doc.entities if e.get("label") == "ORG" and e.get("start") is not None
                       and e.get("end") is not None), key=lambda e: (e["start"], e["end"]))
        by_offsets = {(e.get("start"), e.get("end")): e for e in doc.entities if e.get("label") == "PERSON"}
        for ent in doc.entities:
            if ent.get("label") != "PERSON" or not ent["text"].strip():
                continue
            antecedent = ent.get("antecedent")
            if antecedent:  # 김 원장은: counted for the person named before (its name, hanja and id)
                named = by_offsets.get((antecedent.get("start"), antecedent.get("end")))
                if named is None:
                    continue
                ent = {**named, "title": ent.get("title") or named.get("title"),
                       "affiliation": ent.get("affiliation") or named.get("affiliation")}
            institution = None
            affiliation = ent.get("affiliation")
            if affiliation and affiliation["text"].strip():
                start, end = affiliation.get("start"), affiliation.get("end")
                chain = [(o["text"], o.get("kb_id"), o["start"], o["end"]) for o in orgs
                         if start is not None and end is not None and o["start"] >= start and o["end"] <= end]
                if not chain:
                    chain = [(affiliation["text"], affiliation.get("kb_id"), start, end)]
                institution = resolver.resolve(doc.id, chain)
                institution = resolver.known(affiliation.get("kb_id")) or institution
            text = ent["text"].strip()
            hanja = ent.get("hanja") or (text if detect_script(text) == "hanja" else None)
            speaker = None
            if ent.get("kb_id"):
                speaker = redirect.get(ent["kb_id"], ent["kb_id"])
                if speaker not in speaker_ids:
                    unknown.append(f"{doc.source}, line {doc.line} / id {doc.id!r}: PERSON kb_id {ent['kb_id']!r} is in "
                                   "no speaker table; the mention is clustered as unlinked")
                    speaker = None
            keys = set(name_keys(text, "person"))
            if hanja:
                keys |= name_keys(hanja, "person")
            title = (ent.get("title") or "").strip() or None
            out.append(PersonMention(doc.id, doc.date, text, hanja, hanja_identity(hanja), hangul_name(text, hanja),
                                     frozenset(keys), title, institution, speaker))
    if unknown:  # each line named (the first ones), then what to do
        unique = list(dict.fromkeys(unknown))
        warnings.extend(unique[:MAX_LISTED])
        more = f" ({len(unique) - MAX_LISTED} more not listed)" if len(unique) > MAX_LISTED else ""
        warnings.append(f"{len(unique)} kb_id(s) of the input are in no table{more}: give the tables the "
                        "annotations were made with (--speakers, --institutions, or --base)")
    return out


#: Lines named one by one in a warning about ids in no table; the rest are counted.
MAX_LISTED = 20


class _Pool:
    """Clusters in order of creation, indexed by name key."""

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._position: dict[int, int] = {}

    def sharing(self, atom: list[PersonMention]) -> list[Cluster]:
        """The clusters sharing a name key with ``atom``, oldest first."""
        found = {i for mention in atom for key in mention.keys for i in self._by_key.get(key, ())}
        return [self.clusters[i] for i in sorted(found)]

    def add(self, cluster: Cluster, atom: list[PersonMention]) -> None:
        position = self._position.get(id(cluster))
        if position is None:
            position = self._position[id(cluster)] = len(self.clusters)
            self.clusters.append(cluster)
        before = set(cluster.keys)
        cluster.add(atom)
        for key in cluster.keys - before:
            self._by_key[key].append(position)


@dataclass
class ClusterResult:
    new: dict[str, Cluster]            # new speaker id -> its cluster
    ambiguous: list[PersonMention]     # left out: fit several people


class PersonClusterer:
    """Clusters NIL person mentions and maps clusters to existing rows or new ids."""

    def __init__(self, speakers: pd.DataFrame, institutions: pd.DataFrame, resolver: InstitutionResolver,
                 redirect: dict[str, str]):
        self.resolver = resolver
        self.redirect = redirect
        self.rows = {row["speaker_id"]: row for row in speakers.to_dict("records")}
        self.index = Tables(speakers, institutions.iloc[0:0])
        self.row_identity = {key: hanja_identity(row["hanja"] or row["simplified"]) for key, row in self.rows.items()}

    # -- compatibility -----------------------------------------------------------
    def _fits(self, cluster: Cluster, atom: list[PersonMention]) -> bool:
        first = atom[0]
        if not cluster.keys & set().union(*(m.keys for m in atom)):
            return False
        if first.identity and cluster.identities and first.identity not in cluster.identities:
            return False
        if first.institution and any(not self.resolver.related(first.institution, i) for i in cluster.institutions):
            return False
        return True

    def _rows_fitting(self, mentions: list[PersonMention], institutions: set[str]) -> list[str]:
        found: list[str] = []
        for mention in mentions:
            for source in filter(None, (mention.text, mention.hanja)):
                for row_id in self.index.lookup(source, "PERSON"):
                    row_id = self.redirect.get(row_id, row_id)
                    if row_id in self.rows and row_id not in found:
                        found.append(row_id)
        identity = next((m.identity for m in mentions if m.identity), None)
        fitting = []
        for row_id in found:
            row_identity = self.row_identity[row_id]
            if identity and row_identity and identity != row_identity:
                continue
            own = self.rows[row_id]["institution_id"]
            if own and any(not self.resolver.related(own, i) for i in institutions):
                continue
            fitting.append(row_id)
        return fitting

    # -- clustering ----------------------------------------------------------------
    def _join(self, pool: _Pool, atom: list[PersonMention]) -> bool:
        """Join the one cluster of ``pool`` that ``atom`` fits, the rule of both clustering passes.

        When several fit, only those sharing a document with ``atom`` count; when none (then) counts,
        ``atom`` starts a new cluster. False, and nothing added, when several still fit: ambiguous.
        """
        fits = [c for c in pool.sharing(atom) if self._fits(c, atom)]
        if len(fits) > 1:
            docs = {m.doc for m in atom}
            fits = [c for c in fits if c.docs & docs]
        if len(fits) > 1:
            return False
        pool.add(fits[0] if fits else Cluster(), atom)
        return True

    def run(self, mentions: list[PersonMention], linked_in: Callable[[str], set[str]]) -> ClusterResult:
        """Set ``speaker`` of the NIL mentions; return the new clusters by id and the ambiguous mentions."""
        nil = [m for m in mentions if m.speaker is None]
        ambiguous: list[PersonMention] = []
        atoms: dict[tuple, list[PersonMention]] = defaultdict(list)
        for mention in nil:
            if mention.institution:
                atoms[("", mention.name, mention.identity or "", mention.institution)].append(mention)
            else:
                atoms[(mention.doc, mention.name, mention.identity or "", "")].append(mention)

        def order(key: tuple) -> tuple:
            doc, name, identity, institution = key
            depth = len(self.resolver.ancestors(institution)) if institution else 0
            return (not identity, identity, depth, institution, name, doc)

        # 1. mentions with an institution, clustered among themselves, then mapped to rows or new ids
        anchored = _Pool()
        for key in sorted((k for k in atoms if k[3]), key=order):
            atom = atoms[key]
            if not self._join(anchored, atom):
                ambiguous.extend(atom)
        new = self._assign_ids(anchored.clusters, {}, match_rows=True)
        present: dict[str, set[str]] = defaultdict(set)
        for mention in mentions:
            if mention.speaker:
                present[mention.doc].add(mention.speaker)

        # 2. mentions without one: the one person (row or new entry) they fit, else clustered among themselves
        loose = _Pool()
        for key in sorted((k for k in atoms if not k[3]), key=order):
            atom, doc = atoms[key], key[0]
            fitting = {c.mentions[0].speaker for c in anchored.sharing(atom) if self._fits(c, atom)}
            fitting.update(self._rows_fitting(atom, set()))
            if len(fitting) > 1:
                fitting = fitting & (present[doc] | linked_in(doc))
                if not fitting:
                    ambiguous.extend(atom)
                    continue
            if len(fitting) > 1:
                ambiguous.extend(atom)
            elif fitting:
                [speaker] = fitting
                if speaker in new:
                    new[speaker].add(atom)
                for mention in atom:
                    mention.speaker = speaker
            elif not self._join(loose, atom):
                ambiguous.extend(atom)
        new.update(self._assign_ids(loose.clusters, new, match_rows=False))
        return ClusterResult(new, ambiguous)

    def _deepest(self, cluster: Cluster) -> str:
        if not cluster.institutions:
            return ""
        return max(sorted(cluster.institutions), key=lambda i: len(self.resolver.ancestors(i)))

    def _assign_ids(self, clusters: list[Cluster], taken: dict[str, Cluster], match_rows: bool) \
            -> dict[str, Cluster]:
        """Give each cluster a row it is remembered as (or fits, with ``match_rows``) or a new id."""
        keyed: dict[str, list[Cluster]] = defaultdict(list)
        for cluster in clusters:
            deepest = self._deepest(cluster)
            name = min(m.name for m in cluster.mentions)
            keyed[f"person|{name}|{self.resolver.root(deepest) if deepest else ''}"].append(cluster)
        final: dict[str, Cluster] = {}
        for key, group in keyed.items():
            if len(group) > 1:
                group = sorted(group, key=lambda c: (sorted(c.identities), self._deepest(c), sorted(c.keys),
                                                     sorted(c.docs)))
                keys = [f"{key}|{''.join(sorted(c.identities))}|{self._deepest(c)}" for c in group]
                keys = [k if keys.count(k) == 1 else f"{k}|{n}" for n, k in enumerate(keys)]
            else:
                keys = [key]
            for cluster_key, cluster in zip(keys, group):
                final[cluster_key] = cluster
        short: Counter = Counter(stable_id("N", k) for k in final)
        plan: list[tuple[Cluster, str, str | None, str | None]] = []
        for key in sorted(final):
            cluster = final[key]
            tentative = stable_id("N", key)
            if short[tentative] > 1 or tentative in taken:
                tentative = stable_id("N", key, 16)
            remembered = self.redirect.get(tentative, tentative)
            remembered = remembered if remembered in self.rows else None
            fit = None
            if remembered is None and match_rows:
                fitting = self._rows_fitting(cluster.mentions, cluster.institutions)
                fit = fitting[0] if len(fitting) == 1 else None
            plan.append((cluster, tentative, remembered, fit))
        # a row that another cluster is remembered as, or that several clusters fit (namesakes at
        # unrelated institutions), is not given to a cluster that merely fits it
        claims = Counter(remembered or fit for _, _, remembered, fit in plan if remembered or fit)
        new: dict[str, Cluster] = {}
        for cluster, tentative, remembered, fit in plan:
            target = remembered or (fit if fit and claims[fit] == 1 else None)
            if target is None:
                target = tentative
                new[tentative] = cluster
            for mention in cluster.mentions:
                mention.speaker = target
        return new
