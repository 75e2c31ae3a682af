"""The part of a spaCy component that holds the speaker and institution tables.

Components that need the tables (``hanlink_rules``, ``hanlink_linker``) get them the way spaCy's own
``span_ruler`` and ``entity_linker`` get their data: never from paths in the component's config,
but through :meth:`TablesComponent.initialize` (``pipeline.load()`` calls it with the paths it was
given) or :meth:`TablesComponent.from_disk` (``spacy.load`` of a saved pipeline reads the copies
saved inside it). A saved pipeline is therefore self-contained: the CSV files it was built from
can be deleted.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from pipeline.kb.tables import Tables, load_tables


class TablesComponent:
    """Mixin: the tables of a pipeline component, loaded in ``initialize`` and saved with the pipeline.

    A component that was neither initialised nor loaded from disk uses the shipped tables on first use.
    """

    _tables: Tables | None = None

    @property
    def tables(self) -> Tables:
        """The component's tables (the shipped ones when none were given)."""
        if self._tables is None:
            self.set_tables(load_tables())
        return self._tables  # type: ignore[return-value]

    def set_tables(self, tables: Tables) -> None:
        """Use other tables (e.g. a directory built by ``hanlink directory``)."""
        self._tables = tables
        self._on_tables_changed()

    def _on_tables_changed(self) -> None:  # pragma: no cover - overridden
        pass

    def initialize(self, get_examples: Callable | None = None, *, nlp=None, speakers: str | Path | None = None,
                   institutions: str | Path | None = None) -> None:
        """Load the tables from CSV files (default: the shipped ``data/speakers.csv``, ``data/institutions.csv``).

        Parameters
        ----------
        get_examples, nlp
            Part of spaCy's ``initialize`` signature; unused.
        speakers, institutions : path, optional
            Tables in the contract's schema; ``None`` or ``""`` means the shipped table.

        Raises
        ------
        pipeline.errors.TableError
            When a table is missing or invalid (the message names file, row and column).
        """
        self.set_tables(load_tables(speakers or None, institutions or None))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.tables.to_disk(path)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()):
        path = Path(path)
        self.set_tables(load_tables(path / "speakers.csv", path / "institutions.csv"))
        return self
