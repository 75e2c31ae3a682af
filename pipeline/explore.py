"""Helpers for notebooks and scripts: mention tables, displaCy views, look-ups across scripts, charts.

=============================  ================================================================
:func:`to_frame`               Docs or annotation records → a pandas table, one row per mention
:func:`render`                 displaCy entities labelled with the linked id and the hanja
                               (``PERSON P0002 賀俊``)
:func:`compare`                gold and predicted entities side by side (displaCy)
:func:`lookup`                 a name in any script (賀俊, 贺俊, He Jun, 허쥔) → the table rows
                               and every mention of it
:func:`plot_institutions`      who spoke for which institution: a stacked bar chart or a
                               speaker–institution network (matplotlib)
:func:`configure_fonts`        a CJK font for matplotlib, so Hangul and hanja render
=============================  ================================================================

Everything takes spaCy ``Doc`` objects or the JSON records of ``hanlink
annotate`` (:func:`pipeline.records.doc_record`), so a script can work on a
JSONL file without loading the pipeline. matplotlib is needed only by the
plotting functions (``pip install -e .[notebooks]``).

Examples
--------
>>> record = {"id": "d1", "text": "허쥔(賀俊) 주임", "entities": [
...     {"start": 0, "end": 2, "text": "허쥔", "label": "PERSON", "kb_id": "P0002", "score": 1.0,
...      "hanja": "賀俊", "forms": {"pinyin": "He Jun"}, "title": "주임", "affiliation": None}]}
>>> to_frame([record])[["doc_id", "text", "kb_id", "name", "hanja", "pinyin"]].values.tolist()
[['d1', '허쥔', 'P0002', '허쥔', '賀俊', 'He Jun']]
>>> entity_label(record["entities"][0])
'PERSON P0002 賀俊'
>>> rows, mentions = lookup("He Jun", [record])
>>> rows["speaker_id"].tolist(), mentions["text"].tolist()
(['P0002'], ['허쥔'])
>>> "PERSON P0002 賀俊" in render(record, jupyter=False)
True
"""
from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from pipeline.kb.tables import Tables, load_tables, name_keys

__all__ = [
    "to_frame", "render", "compare", "lookup", "Lookup", "plot_institutions", "configure_fonts",
    "entity_label", "institution_label", "person_label", "speaker_institutions", "missing_glyphs",
    "cjk_font_files", "FRAME_COLUMNS",
]

#: Columns of :func:`to_frame`: those of :func:`pipeline.records.mentions_frame`, then
#: ``name`` (the table's name of ``kb_id``) and ``pinyin`` (from the mention's forms).
FRAME_COLUMNS = ["doc_id", "start", "end", "label", "text", "kb_id", "name", "score", "hanja", "pinyin",
                 "title", "affiliation", "affiliation_kb_id", "source"]

#: displaCy colours: linked mentions strong, NIL mentions pale.
COLORS = {"PERSON": "#f7c873", "PERSON NIL": "#fbe7c2", "ORG": "#9fd3f0", "ORG NIL": "#dcecf5"}


# ---------------------------------------------------------------------------
# documents and records


def _tables(nlp=None, tables: Tables | None = None) -> Tables:
    """The tables given, else those of ``nlp``'s linker, else the shipped ones."""
    if tables is not None:
        return tables
    if nlp is not None and "hanlink_linker" in getattr(nlp, "pipe_names", ()):
        found = getattr(nlp.get_pipe("hanlink_linker"), "tables", None)
        if isinstance(found, Tables):
            return found
    return load_tables()


def _is_doc(item: Any) -> bool:
    return hasattr(item, "ents") and hasattr(item, "text") and not isinstance(item, dict)


def _records(docs: Any, nlp=None) -> list[dict]:
    """Annotation records of ``docs``.

    ``docs`` is a Doc, a record (dict), a text, a path to an annotate JSONL
    file, an iterable of those, or a mapping ``{doc_id: Doc | record | text}``.
    Docs without a mapping key get the ids ``doc1``, ``doc2`` …; texts are
    annotated with ``nlp`` (loaded when None).
    """
    from pipeline.records import doc_record

    if docs is None:
        return []
    if isinstance(docs, Path) or (isinstance(docs, str) and docs.endswith(".jsonl") and os.path.exists(docs)):
        from pipeline.records import read_records

        return list(read_records(Path(docs)))
    if isinstance(docs, Mapping) and "entities" not in docs:
        pairs = [(str(key), value) for key, value in docs.items()]
    elif isinstance(docs, (dict, str)) or _is_doc(docs):
        pairs = [(None, docs)]
    else:
        pairs = [(None, value) for value in docs]
    out: list[dict] = []
    for number, (key, item) in enumerate(pairs, 1):
        if isinstance(item, (str, Path)) and str(item).endswith(".jsonl") and os.path.exists(item):
            out.extend(_records(Path(item)))
            continue
        if isinstance(item, str):
            if nlp is None:
                from pipeline.loader import load

                nlp = load()
            item = nlp(item)
        if _is_doc(item):
            out.append(doc_record(item, key or f"doc{number}"))
        elif isinstance(item, dict):
            out.append(item if key is None or item.get("id") == key else {**item, "id": key})
        else:
            raise TypeError(f"cannot read {type(item).__name__} as a document: give Docs, records or texts")
    return out


def _row(tables: Tables, label: str, kb_id: str | None) -> dict:
    if not kb_id or not isinstance(kb_id, str):
        return {}
    try:
        return tables.speaker(kb_id) if label == "PERSON" else tables.institution(kb_id)
    except KeyError:
        return {}


_TEXT_COLUMNS = ["kb_id", "hanja", "title", "affiliation", "affiliation_kb_id", "source"]


def to_frame(docs: Any, *, tables: Tables | None = None, nlp=None) -> pd.DataFrame:
    """One row per mention of ``docs`` (Docs, annotate records, texts or a JSONL path).

    The columns are :data:`FRAME_COLUMNS`: ``doc_id, start, end, label, text,
    kb_id, name, score, hanja, pinyin, title, affiliation, affiliation_kb_id,
    source``. ``name`` is the name of the linked row in ``tables`` (default:
    the shipped tables, or ``nlp``'s), empty for NIL; ``pinyin`` comes from
    the mention's forms. Text cells that the record leaves null (``kb_id`` of
    a NIL mention, ``hanja``, ``title`` …) are empty strings, as in the
    tables: ``frame[frame.kb_id == ""]`` are the NIL mentions.
    """
    from pipeline.records import mentions_frame

    records = _records(docs, nlp)
    frame = mentions_frame(records)
    for column in _TEXT_COLUMNS:
        frame[column] = [value if isinstance(value, str) else "" for value in frame[column]]
    tables = _tables(nlp, tables)
    frame["name"] = [_row(tables, label, kb_id).get("name", "")
                     for label, kb_id in zip(frame["label"], frame["kb_id"])]
    frame["pinyin"] = [(ent.get("forms") or {}).get("pinyin") or ""
                       for record in records for ent in record.get("entities", [])]
    return frame[FRAME_COLUMNS]


# ---------------------------------------------------------------------------
# displaCy


def entity_label(entity: dict, tables: Tables | None = None) -> str:
    """The displaCy label of one entity record: ``LABEL ID HANJA`` (``PERSON P0002 賀俊``, ``ORG NIL``).

    The hanja is the one the text gives, else the linked row's; it is left
    out when it is the mention itself.
    """
    label = entity.get("label", "")
    kb_id = entity.get("kb_id") or ""
    hanja = entity.get("hanja") or ""
    if not hanja and kb_id and label == "PERSON":
        hanja = _row(tables or load_tables(), label, kb_id).get("hanja", "")
    parts = [label, kb_id or "NIL"]
    if hanja and hanja != entity.get("text"):
        parts.append(hanja)
    return " ".join(parts)


def render(docs: Any, jupyter: bool | None = None, *, tables: Tables | None = None, page: bool = False,
           colors: Mapping[str, str] | None = None) -> str | None:
    """Show entities with displaCy, each labelled with its linked id and hanja.

    ``docs``: a Doc, a record, or several (see :func:`to_frame`). ``jupyter``:
    None detects a notebook (then the HTML is displayed and None returned),
    False returns the HTML string. Linked mentions are drawn in strong
    colours, NIL mentions pale; ``colors`` overrides ``{"PERSON": ..., "ORG
    NIL": ...}``.
    """
    from spacy import displacy

    palette = {**COLORS, **(colors or {})}
    tables = tables or load_tables()
    examples, labels, label_colors = [], [], {}
    for record in _records(docs):
        ents, last_end = [], -1
        for entity in sorted(record.get("entities", []), key=lambda e: (e["start"], -e["end"])):
            if entity["start"] < last_end:          # displaCy draws non-overlapping spans only
                continue
            label = entity_label(entity, tables)
            kind = entity.get("label", "") + ("" if entity.get("kb_id") else " NIL")
            label_colors[label] = palette.get(kind, palette.get(entity.get("label", ""), "#ddd"))
            if label not in labels:
                labels.append(label)
            ents.append({"start": entity["start"], "end": entity["end"], "label": label})
            last_end = entity["end"]
        examples.append({"text": record.get("text", ""), "ents": ents, "title": record.get("id")})
    options = {"ents": labels, "colors": label_colors}
    return displacy.render(examples, style="ent", manual=True, jupyter=jupyter, page=page, options=options)


_MISTAKE_COLOR = "#f59c9c"


def _mark(text: str, spans: Iterable, other: set, note: str) -> dict:
    ents = []
    for start, end, label, *_ in sorted(spans):
        ok = (start, end, label) in other
        ents.append({"start": start, "end": end, "label": label if ok else f"{label} {note}"})
    return {"text": text, "ents": ents}


def compare(examples: Iterable[Mapping], jupyter: bool | None = None) -> str | None:
    """Gold and predicted entities side by side, one row per sentence (displaCy, as an HTML table).

    Each example is ``{"text", "gold": [(start, end, label), ...], "predicted": [...]}`` (plus
    an optional ``"id"``). Spans found in both are drawn in the usual colours;
    a gold span the model missed is labelled ``LABEL missed`` and a predicted
    span not in the gold ``LABEL spurious``, both in red.
    """
    from html import escape

    from spacy import displacy
    from spacy.util import is_in_jupyter

    colors = {**COLORS, **{f"{label} {note}": _MISTAKE_COLOR for label in ("PERSON", "ORG")
                            for note in ("missed", "spurious")}}
    rows = []
    for example in examples:
        gold = {tuple(span[:3]) for span in example.get("gold", [])}
        predicted = {tuple(span[:3]) for span in example.get("predicted", [])}
        cells = []
        for spans, other, note in ((gold, predicted, "missed"), (predicted, gold, "spurious")):
            data = _mark(example["text"], spans, other, note)
            cells.append(displacy.render(data, style="ent", manual=True, jupyter=False,
                                         options={"colors": colors, "ents": list(colors)}))
        title = f'<td style="vertical-align:top;font-size:0.8em">{escape(str(example.get("id", "")))}</td>'
        rows.append(f"<tr>{title}" + "".join(f'<td style="vertical-align:top;text-align:left">{cell}</td>'
                                            for cell in cells) + "</tr>")
    html = ('<table style="width:100%;table-layout:fixed"><colgroup><col style="width:12%"><col style="width:44%">'
            '<col style="width:44%"></colgroup><tr><th>sentence</th><th>gold</th><th>model</th></tr>'
            + "".join(rows) + "</table>")
    if jupyter or (jupyter is None and is_in_jupyter()):
        from IPython.display import HTML, display

        display(HTML(html))
        return None
    return html


# ---------------------------------------------------------------------------
# look-up across scripts


class Lookup(NamedTuple):
    """What :func:`lookup` returns: the table rows and the mentions (unpacks as a pair)."""

    rows: pd.DataFrame
    mentions: pd.DataFrame


def lookup(name: str, docs: Any = None, nlp=None, *, label: str = "PERSON",
           tables: Tables | None = None) -> Lookup:
    """The table rows matching any script of ``name``, and its mentions in ``docs``.

    ``name`` may be hanja (賀俊), simplified (贺俊), pinyin (He Jun), the Hangul
    transcription (허쥔) or the Sino-Korean reading (하준). ``rows`` are the
    rows of the speaker table (``label="ORG"``: the institution table) sharing
    a name key with it; ``mentions`` are the rows of :func:`to_frame` of
    ``docs`` that are linked to one of those rows, or share a name key with
    ``name`` through their text or hanja (so NIL mentions of a person not in
    the tables are found too). ``nlp`` annotates texts in ``docs`` and
    provides its linker's tables.
    """
    tables = _tables(nlp, tables)
    kind = "person" if label == "PERSON" else "org"
    ids = tables.lookup(name, label)
    frame = tables.speakers if label == "PERSON" else tables.institutions
    id_column = "speaker_id" if label == "PERSON" else "institution_id"
    rows = frame[frame[id_column].isin(ids)].copy()
    rows = rows.set_index(rows[id_column].map(ids.index)).sort_index().reset_index(drop=True)
    mentions = to_frame(docs, tables=tables, nlp=nlp)
    wanted = name_keys(name, kind)

    def matches(row) -> bool:
        if row["label"] != label:
            return False
        if row["kb_id"] and row["kb_id"] in ids:
            return True
        texts = [row["text"], row["hanja"]] if row["hanja"] else [row["text"]]
        return any(wanted & name_keys(text, kind) for text in texts)

    keep = mentions.apply(matches, axis=1).astype(bool) if len(mentions) else pd.Series([], dtype=bool)
    return Lookup(rows, mentions[keep].reset_index(drop=True))


# ---------------------------------------------------------------------------
# who spoke for which institution


def institution_label(institution_id: str, tables: Tables | None = None) -> str:
    """A readable name of an institution: a unit is prefixed by its parent's abbreviation or name.

    >>> institution_label("I0004")
    'CASS 공업경제연구소'
    >>> institution_label("I0001")
    '대외경제정책연구원'
    """
    tables = tables or load_tables()
    row = _row(tables, "ORG", institution_id)
    if not row:
        return institution_id
    parent = _row(tables, "ORG", row.get("parent_id"))
    if parent and not row["name"].startswith((parent["name"], parent.get("abbreviation") or parent["name"])):
        return f"{parent.get('abbreviation') or parent.get('name')} {row['name']}"
    return row["name"]


def person_label(text: str, kb_id: str | None = None, hanja: str | None = None,
                 tables: Tables | None = None) -> str:
    """``name hanja`` of a person: the table's name and hanja when linked, else the mention's.

    >>> person_label("He Jun", "P0002")
    '허쥔 賀俊'
    >>> person_label("천밍", None, "陳明")
    '천밍 陳明'
    """
    row = _row(tables or load_tables(), "PERSON", kb_id)
    name = row.get("name") or text
    hanja = row.get("hanja") or hanja or ""
    return f"{name} {hanja}" if hanja and hanja != name else name


def speaker_institutions(frame: pd.DataFrame, *, tables: Tables | None = None,
                         use_table: bool = True, level: str = "stated") -> pd.DataFrame:
    """PERSON mentions with an institution: ``person, institution, speaker_id, institution_id, mentions``.

    The institution is the one the text states (its table name when linked,
    else the text as written); with ``use_table``, a linked person whose
    mention states none gets the institution of their table row. Mentions
    with no institution are left out, and so is the hanja in parentheses
    right after a name (허쥔(賀俊) counts once). ``level="top"`` counts a
    linked unit for the top of its parent chain (공업경제연구소 → 중국사회과학원).
    """
    if level not in ("stated", "top"):
        raise ValueError(f"level must be 'stated' or 'top', not {level!r}")
    tables = tables or load_tables()
    rows = []
    previous = None
    for row in frame[frame["label"] == "PERSON"].itertuples(index=False):
        echo = (previous is not None and previous.doc_id == row.doc_id and 0 <= row.start - previous.end <= 1
                and ((row.kb_id and row.kb_id == previous.kb_id) or (previous.hanja and previous.hanja == row.text)))
        previous = row
        if echo:                                    # 賀俊 in 허쥔(賀俊): the same mention
            continue
        kb_id = row.kb_id or None
        institution_id = row.affiliation_kb_id or None
        institution = institution_label(institution_id, tables) if institution_id else (row.affiliation or "")
        if not institution and use_table and kb_id:
            institution_id = _row(tables, "PERSON", kb_id).get("institution_id") or None
            institution = institution_label(institution_id, tables) if institution_id else ""
        if not institution:
            continue
        if level == "top" and institution_id:
            chain = tables.ancestors(institution_id)
            if chain:
                institution_id = chain[-1]
                institution = institution_label(institution_id, tables)
        rows.append({"person": person_label(row.text, kb_id, row.hanja, tables), "institution": institution,
                     "speaker_id": kb_id or "", "institution_id": institution_id or ""})
    columns = ["person", "institution", "speaker_id", "institution_id"]
    table = pd.DataFrame(rows, columns=columns)
    counted = table.groupby(columns, sort=False).size().reset_index(name="mentions")
    counted = counted.sort_values(["institution", "mentions"], ascending=[True, False], kind="stable")
    return counted.reset_index(drop=True)


def plot_institutions(frame: pd.DataFrame, ax=None, *, kind: str = "bar", tables: Tables | None = None,
                      use_table: bool = True, level: str = "stated", top: int | None = 15,
                      title: str | None = None):
    """Who spoke for which institution, drawn with matplotlib; returns the Axes.

    ``frame`` is :func:`to_frame` output. ``kind="bar"``: one horizontal bar
    per institution (the ``top`` most mentioned), stacked by person, each
    segment labelled ``name hanja``. ``kind="network"``: people on the left,
    institutions on the right, a line per pair, as thick as its mentions.
    ``use_table`` and ``level`` as in :func:`speaker_institutions`. A CJK
    font is configured first (:func:`configure_fonts`).
    """
    import matplotlib.pyplot as plt

    configure_fonts()
    tables = tables or load_tables()
    pairs = speaker_institutions(frame, tables=tables, use_table=use_table, level=level)
    totals = pairs.groupby("institution", sort=False)["mentions"].sum().sort_values(ascending=False, kind="stable")
    if top:
        totals = totals.head(top)
    pairs = pairs[pairs["institution"].isin(totals.index)]
    if ax is None:
        height = max(3.0, 0.55 * (len(totals) if kind == "bar" else max(len(totals), pairs["person"].nunique())) + 1.2)
        _, ax = plt.subplots(figsize=(10, height), layout="constrained")
    if pairs.empty:
        ax.text(0.5, 0.5, "no person with an institution", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    people = list(dict.fromkeys(pairs.sort_values("mentions", ascending=False, kind="stable")["person"]))
    cmap = plt.get_cmap("tab20")
    color = {person: cmap(i % 20) for i, person in enumerate(people)}
    if kind == "bar":
        _bar(ax, pairs, list(totals.index), color)
    elif kind == "network":
        _network(ax, pairs, list(totals.index), color)
    else:
        raise ValueError(f"kind must be 'bar' or 'network', not {kind!r}")
    ax.set_title(title or "Who spoke for which institution", loc="left", fontsize=13)
    return ax


def _bar(ax, pairs: pd.DataFrame, institutions: list[str], color: dict) -> None:
    order = institutions[::-1]                      # the most mentioned on top
    y = {name: i for i, name in enumerate(order)}
    left = dict.fromkeys(order, 0)
    for row in pairs.itertuples(index=False):
        start = left[row.institution]
        ax.barh(y[row.institution], row.mentions, left=start, color=color[row.person], edgecolor="white", height=0.7)
        ax.text(start + row.mentions / 2, y[row.institution], _displayable(row.person), ha="center",
                va="center", fontsize=9)
        left[row.institution] = start + row.mentions
    ax.set_yticks(range(len(order)), [_displayable(name) for name in order])
    ax.set_xlabel("person mentions naming the institution")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)


def _network(ax, pairs: pd.DataFrame, institutions: list[str], color: dict) -> None:
    people = list(color)
    y_person = {p: 1 - (i + 0.5) / len(people) for i, p in enumerate(people)}
    y_inst = {n: 1 - (i + 0.5) / len(institutions) for i, n in enumerate(institutions)}
    widest = pairs["mentions"].max()
    for row in pairs.itertuples(index=False):
        ax.plot([0.3, 0.7], [y_person[row.person], y_inst[row.institution]], color=color[row.person],
                linewidth=1 + 4 * row.mentions / widest, alpha=0.8, solid_capstyle="round")
    for person, y in y_person.items():
        ax.scatter([0.3], [y], s=90, color=color[person], zorder=3)
        ax.text(0.28, y, _displayable(person), ha="right", va="center", fontsize=10)
    for name, y in y_inst.items():
        ax.scatter([0.7], [y], s=90, marker="s", color="#555", zorder=3)
        ax.text(0.72, y, _displayable(name), ha="left", va="center", fontsize=10)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()


# ---------------------------------------------------------------------------
# fonts

_CJK_FAMILIES = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Noto Sans CJK JP", "Noto Sans CJK SC",
                 "Source Han Sans K", "Source Han Sans KR", "UnDotum", "Baekmuk Gulim")
_configured: list[str] = []


def cjk_font_files() -> list[Path]:
    """Font files with Hangul and hanja: NanumGothic of the koreanize-matplotlib package, then system ones.

    The package's fonts are found without importing it (its import needs
    ``distutils``, gone in Python 3.12). System fonts: Noto Sans CJK (Debian's
    ``fonts-noto-cjk``), Nanum, Source Han, UnFonts, Baekmuk.
    """
    files: list[Path] = []
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
                if (Path(folder) / "fonts" / name).exists():
                    files.append(Path(folder) / "fonts" / name)
    from matplotlib import font_manager

    for path in sorted(font_manager.findSystemFonts()):
        lowered = os.path.basename(path).lower()
        if any(key in lowered for key in ("notosanscjk", "notosanskr", "nanumgothic", "sourcehansans", "undotum",
                                          "baekmuk")):
            files.append(Path(path))
    return files


def configure_fonts() -> list[str]:
    """Make matplotlib draw Hangul and hanja; returns the font families in fallback order.

    Registers :func:`cjk_font_files` and sets ``font.family`` to the CJK
    families found (NanumGothic first), then DejaVu Sans; matplotlib falls
    back glyph by glyph along that list. Raises RuntimeError when no CJK font
    is installed (``pip install koreanize-matplotlib``, or ``apt-get install
    fonts-noto-cjk``).
    """
    import matplotlib
    from matplotlib import font_manager

    if _configured and matplotlib.rcParams["font.family"] == _configured:
        return list(_configured)
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    for path in cjk_font_files():
        try:
            font_manager.fontManager.addfont(str(path))
            known.add(font_manager.FontProperties(fname=str(path)).get_name())
        except (OSError, RuntimeError, ValueError):     # an unreadable font file: skip it
            continue
    families = [name for name in _CJK_FAMILIES if name in known]
    if not families:
        raise RuntimeError("no CJK font for matplotlib: pip install koreanize-matplotlib "
                           "(or apt-get install fonts-noto-cjk)")
    _configured[:] = families + ["DejaVu Sans"]
    matplotlib.rcParams["font.family"] = list(_configured)
    matplotlib.rcParams["axes.unicode_minus"] = False
    return list(_configured)


def _charmaps() -> list[set[int]]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    maps = []
    for family in configure_fonts():
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        maps.append(set(FT2Font(path).get_charmap()))
    return maps


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` that no configured font can draw.

    >>> missing_glyphs("허쥔 賀俊 He Jun")
    []
    """
    maps = _charmaps()
    return [ch for ch in dict.fromkeys(text) if not ch.isspace() and not any(ord(ch) in m for m in maps)]


def _displayable(text: str) -> str:
    """``text`` as the fonts can draw it: simplified characters missing from a Korean font become
    traditional (贺俊 → 賀俊); a part still missing glyphs is dropped."""
    if not missing_glyphs(text):
        return text
    from pipeline.names import to_traditional

    converted = " ".join(to_traditional(part) or part for part in text.split(" "))
    if not missing_glyphs(converted):
        return converted
    return " ".join(part for part in converted.split(" ") if not missing_glyphs(part))
