"""The exceptions hanlink raises.

Every error the product raises on purpose derives from :class:`HanlinkError`,
so a caller can catch one class. Messages name the file, row, column or
document id concerned and say what to do about it.
"""
from __future__ import annotations


class HanlinkError(Exception):
    """Base class of every error raised on purpose by hanlink."""


class TableError(HanlinkError, ValueError):
    """A speaker or institution table is malformed.

    Parameters
    ----------
    path : str
        The file the table was read from.
    message : str
        What is wrong and how to fix it.
    row : int, optional
        1-based line number in the CSV file (the header is line 1).
    column : str, optional
        The column concerned.
    """

    def __init__(self, path: str, message: str, row: int | None = None, column: str | None = None):
        self.path = str(path)
        self.row = row
        self.column = column
        where = self.path
        if row is not None:
            where += f", line {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


class InputDocumentError(HanlinkError, ValueError):
    """One input document cannot be processed (the batch goes on without it)."""

    def __init__(self, message: str, source: str | None = None, doc_id: str | None = None, line: int | None = None):
        self.source = source
        self.doc_id = doc_id
        self.line = line
        where = []
        if source is not None:
            where.append(str(source) + (f", line {line}" if line is not None else ""))
        if doc_id is not None:
            where.append(f"id {doc_id!r}")
        prefix = (" / ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)


class UsageError(HanlinkError):
    """The command line or the call was wrong (exit status 2)."""


class BackendUnavailableError(HanlinkError, RuntimeError):
    """A tokenizer backend (or an optional engine) cannot be used on this machine."""
