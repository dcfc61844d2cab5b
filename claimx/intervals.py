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
    >>> quotes.overlapping(0, 12), quotes.overlapping(4, 10)
    ([0, 1], [])
    """

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted((int(a), int(b), k) for k, (a, b) in enumerate(ranges))
        self.starts = [a for a, _, _ in ordered]
        self.ends = [b for _, b, _ in ordered]
        self.order = [k for _, _, k in ordered]
        self.reach = list(accumulate(self.ends, max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some range ``(a, b)`` has ``a < end`` and ``start < b``."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start

    def __contains__(self, pos: int) -> bool:
        """Whether some range ``(a, b)`` has ``a <= pos < b``."""
        i = bisect_right(self.starts, pos)
        return i > 0 and self.reach[i - 1] > pos

    def overlapping(self, start: int, end: int) -> list[int]:
        """The positions, in the order given, of the ranges ``(a, b)`` with ``a < end`` and
        ``start < b`` (``overlapping(i, i + 1)``: the ranges holding ``i``).

        Only the ranges from the last one that ends by ``start`` on are looked at: the
        ranges near ``start:end``, unless a long one reaches over it from further back.
        """
        found = []
        i = bisect_left(self.starts, end)
        while i > 0 and self.reach[i - 1] > start:
            i -= 1
            if self.ends[i] > start:
                found.append(self.order[i])
        found.sort()
        return found
