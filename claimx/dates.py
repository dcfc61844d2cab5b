"""An article's publication date: the optional ``date`` input field, checked and normalized.

A date is given as an ISO 8601 date (``"2019-01-04"``), an ISO 8601 date and time
(``"2019-01-04T09:30:00Z"``: the date as written is kept, the time and zone are dropped) or a
bare year (``"2019"``). In Python a :class:`datetime.date` or :class:`datetime.datetime`
works too. :func:`normalize_date` turns any of them into the ISO text that travels with the
item and the Doc (``"2019-01-04"``, or ``"2019"`` for a bare year, also given as a JSON
number) and that the record keeps
as its ``"date"``; anything else is a ``ValueError`` that names the value and the article.

The date is the reference point of relative time expressions: numeric facts with no time of
their own in the text hold in the year of the article's date, and ``"last year"`` is the year
before it (:mod:`claimx.facts.context`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

_YEAR = re.compile(r"\d{4}")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
EXPECTED = (
    "an ISO 8601 date ('2019-01-04'), date and time ('2019-01-04T09:30:00Z') or year ('2019')"
)


@dataclass(frozen=True)
class ArticleDate:
    """A normalized article date: its year, and its day unless only the year is known."""

    year: int
    day: datetime.date | None = None

    @classmethod
    def from_iso(cls, text: str) -> ArticleDate:
        """The date of a :func:`normalize_date` string (``"2019-01-04"`` or ``"2019"``)."""
        if _YEAR.fullmatch(text):
            return cls(int(text))
        day = datetime.date.fromisoformat(text)
        return cls(day.year, day)

    @property
    def iso(self) -> str:
        return self.day.isoformat() if self.day is not None else f"{self.year:04d}"

    @property
    def as_date(self) -> datetime.date:
        """The day, or January 1 of the year when only the year is known."""
        return self.day if self.day is not None else datetime.date(self.year, 1, 1)


def normalize_date(value: Any, name: str = "article") -> str | None:
    """The ISO text of an article date (``None`` stays ``None``), or ``ValueError`` naming
    ``name`` (``"article 'a1'"``) and the bad value.

    >>> normalize_date("2019-01-04T09:30:00Z"), normalize_date(" 2019 ")
    ('2019-01-04', '2019')
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 9999:
        return f"{value:04d}"
    if isinstance(value, str):
        text = value.strip()
        if _YEAR.fullmatch(text) and int(text) > 0:
            return text
        day = _DAY.match(text)
        if day is not None:
            try:
                found = datetime.date(int(day[1]), int(day[2]), int(day[3]))
                rest = text[day.end() :]
                if rest and (rest[0] not in "Tt " or len(rest) < 3):
                    raise ValueError(rest)
                if rest:
                    datetime.datetime.fromisoformat(text[: day.end()] + "T" + rest[1:])
                return found.isoformat()
            except ValueError:
                pass
    raise ValueError(f"{name}: bad 'date' {value!r}: expected {EXPECTED}")


def article_date(value: Any, name: str = "article") -> ArticleDate | None:
    """:func:`normalize_date`, as an :class:`ArticleDate`."""
    iso = normalize_date(value, name)
    return None if iso is None else ArticleDate.from_iso(iso)
