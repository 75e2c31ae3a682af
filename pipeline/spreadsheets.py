"""CSV for spreadsheets: what every CSV hanlink writes goes through (issue 14 W1/W2/W12, issue 17 point 3).

* **Excel on a Korean Windows machine** opens a CSV in the ANSI code page (CP949) unless the file starts
  with a UTF-8 byte-order mark: without it, Hangul and hanja turn to mojibake. :func:`write_csv`
  writes UTF-8 *with* the mark by default; every reader of hanlink (pandas, Python's ``csv`` with
  ``utf-8-sig``) skips it, so nothing is lost for scripts.
* **Line ends** are CRLF (RFC 4180), so a cell holding a lone CR or LF is quoted and read back as one
  cell.
* **Formulas**: a text cell (or a header cell) a spreadsheet would run (``=``, ``+``, ``-``, ``@``, tab,
  CR first) gets a leading ``'`` (:func:`neutralise`); :func:`unneutralise` gives the value back when
  hanlink reads its own CSV again (``--base``, :func:`pipeline.directory.build.read_directory`).
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import IO, Any

import pandas as pd

#: First characters that make a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: a cell a spreadsheet would run, or one that already looks neutralised ('=…): it gets one more '
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
#: The encoding of the CSV hanlink writes: UTF-8 with a byte-order mark.
CSV_ENCODING = "utf-8-sig"


def neutralise(value: Any) -> Any:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula.

    A cell that already starts with ``'`` and a formula character gets one more, so that
    :func:`unneutralise` gives it back as it was.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-5"), neutralise("P0001"), neutralise(3), neutralise("'=1")
    ("'=HYPERLINK(1)", "'-5", 'P0001', 3, "''=1")
    """
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """Undo :func:`neutralise` (a cell of a CSV hanlink wrote, read back).

    >>> unneutralise("'=1+2"), unneutralise("'quoted"), unneutralise("''=1")
    ('=1+2', "'quoted", "'=1")
    """
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and header cell passed through :func:`neutralise`."""
    out = frame.apply(lambda column: column.map(neutralise)) if len(frame) else frame.copy()
    out.columns = [neutralise(str(name)) for name in out.columns]
    return out


def unneutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and header cell passed through :func:`unneutralise`."""
    out = frame.apply(lambda column: column.map(unneutralise)) if len(frame) else frame.copy()
    out.columns = [unneutralise(name) for name in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike | IO[str], *, bom: bool = True) -> None:
    """``frame`` as CSV (header, no index) for a spreadsheet: UTF-8 with a byte-order mark (``bom``), CRLF
    line ends, formula-like text cells and header cells neutralised (:func:`neutralise`).

    ``path`` may be an open text stream (opened with ``newline=""``); the mark is then written when
    ``bom`` is true, whatever the stream's encoding.
    """
    safe = neutralise_frame(frame)
    if isinstance(path, (str, os.PathLike)):
        with open(path, "w", encoding=CSV_ENCODING if bom else "utf-8", newline="") as handle:
            safe.to_csv(handle, index=False, lineterminator="\r\n")
        return
    if bom:
        path.write("\ufeff")
    safe.to_csv(path, index=False, lineterminator="\r\n")


def is_regular_file(stream: IO[Any]) -> bool:
    """Whether ``stream`` writes into a regular file (``> people.csv``), rather than a terminal or a pipe."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # no descriptor (a test's captured stream)
        return False


def read_csv(path: str | os.PathLike | Path, **options: Any) -> pd.DataFrame:
    """A CSV as text cells (``dtype=str``, empty cells ``""``), with or without a byte-order mark, LF or CRLF."""
    options = {"dtype": str, "keep_default_na": False, "encoding": CSV_ENCODING, **options}
    return pd.read_csv(path, **options)
