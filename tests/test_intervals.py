"""claimx.intervals against a plain scan of the ranges."""

from __future__ import annotations

import random

from claimx.intervals import Intervals


def test_intervals_agree_with_a_scan_of_the_ranges() -> None:
    rng = random.Random(5)
    for _ in range(200):
        ranges = [(a, a + rng.randint(0, 8)) for a in rng.choices(range(40), k=rng.randint(0, 6))]
        intervals = Intervals(ranges)
        for start in range(-1, 50):
            assert (start in intervals) == any(a <= start < b for a, b in ranges)
            for end in (start, start + 1, start + 5):
                naive = any(a < end and start < b for a, b in ranges)
                assert intervals.overlaps(start, end) == naive
                found = [k for k, (a, b) in enumerate(ranges) if a < end and start < b]
                assert intervals.overlapping(start, end) == found
