"""Character spans looked up by position in logarithmic time (long documents hold tens of thousands)."""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Iterator


class SpanIndex:
    """Sorted ``(start, end)`` spans with overlap and containment queries.

    >>> index = SpanIndex([(0, 3), (10, 15), (12, 14)])
    >>> index.overlaps(2, 4), index.overlaps(3, 10), list(index.overlapping(11, 13))
    (True, False, [(10, 15), (12, 14)])
    >>> index.covering(12, 14), index.covers(4, 5)
    ((10, 15), False)
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.spans = sorted(set(spans))
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def __len__(self) -> int:
        return len(self.spans)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self.spans)

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Spans that share a character with ``[start, end)``, in order."""
        last = bisect_right(self.starts, end - 1)
        first = bisect_right(self.starts, start - self.longest - 1)
        for s, e in self.spans[first:last]:
            if s < end and start < e:
                yield s, e

    def overlaps(self, start: int, end: int) -> bool:
        return next(self.overlapping(start, end), None) is not None

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """The first span holding all of ``[start, end)``, or None."""
        return next(((s, e) for s, e in self.overlapping(start, end) if s <= start and end <= e), None)

    def covers(self, start: int, end: int) -> bool:
        return self.covering(start, end) is not None

    def enters_from_before(self, start: int, end: int) -> bool:
        """A span begins before ``start`` and runs into ``[start, end)``."""
        return any(s < start for s, _ in self.overlapping(start, end))
