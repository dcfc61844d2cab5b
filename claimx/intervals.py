"""Character ranges indexed for overlap and membership questions in logarithmic time."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class Intervals:
    """Half-open character ranges ``(start, end)``.

    The starts in order with the furthest end reached so far, bisected: a question takes
    logarithmic time, where ``any(...)`` over the ranges takes linear (and made loops over
    every claim or sentence of a long article quadratic).

    >>> quotes = Intervals([(10, 20), (0, 4)])
    >>> 3 in quotes, 4 in quotes, quotes.overlaps(18, 30), quotes.overlaps(4, 10)
    (True, False, True, False)
    """

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted((int(a), int(b)) for a, b in ranges)
        self.starts = [a for a, _ in ordered]
        self.reach = list(accumulate((b for _, b in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some range ``(a, b)`` has ``a < end`` and ``start < b``."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start

    def __contains__(self, pos: int) -> bool:
        """Whether some range ``(a, b)`` has ``a <= pos < b``."""
        i = bisect_right(self.starts, pos)
        return i > 0 and self.reach[i - 1] > pos
