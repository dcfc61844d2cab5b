"""What a quantity measures, when it holds and who reports it, from the dependency parse.

* subject: the noun phrase the number measures: the subject of the verb whose object or
  complement holds the number (``Japan's arms exports stood at 21 million TIV``), the noun a
  quantity modifies (``a 5.2 litre engine``) or the base of a share (``5% of GDP``);
* time: a year or date expression in the same clause, else the nearest one in the sentence,
  written as the year or year range it names (:func:`year_of`): ``"2014"``, ``"2006-2007"``
  for ``2006–2007``, ``"1990-1999"`` for ``the 1990s``. With the article's publication date
  (``doc._.claimx_date``), relative expressions resolve against it (``last year``: the year
  before; ``this year``, ``on Friday``, ``yesterday``, ``in March``: its year, or the year
  of the day they name when the day is known; ``next year``: the year after; ``two years
  ago``) and a fact with no time expression holds in its year. Without a date, an
  expression that names no year is kept as written (``"last year"``) and no year is guessed;
  so is one that names a span back from the date (``the past five years``), date or not;
* source: the speaker of the claim whose content holds the fact, else the object of an
  ``according to`` in the same sentence.
"""

from __future__ import annotations

import copy
import datetime
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, overload

from spacy.tokens import Doc, Span, Token

from ..dates import ArticleDate
from ..entities import entity_at
from ..extensions import doc_text
from ..intervals import Intervals
from .numbers import parse_number

NOUNS = ("NOUN", "PROPN")
_CLIMB_DEPS = frozenset(
    "appos conj pobj prep npadvmod dobj attr acomp advmod nummod quantmod oprd dative pcomp "
    "amod compound nmod cc punct".split()
)
_MODIFIER_DEPS = frozenset({"nummod", "compound", "amod", "nmod", "quantmod", "npadvmod"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_UP_CLAUSE_DEPS = frozenset({"conj", "xcomp", "ccomp", "advcl", "relcl", "acl", "pcomp"})
_NP_LEFT = frozenset({"det", "poss", "compound", "amod", "nmod", "nummod", "case", "quantmod"})
_NP_RIGHT_PREPS = frozenset({"of", "for"})
_CONCEPT_PREPS = frozenset(
    {"of", "for", "in", "on", "to", "across", "between", "per", "from", "with"}
)
_NAME_ENTS = frozenset({"ORG", "PERSON", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"})
_AGGREGATE = frozenset({"total", "overall", "combined"})
_STOP_PUNCT = frozenset({",", ";", ":", "(", ")", "—", "–", "-", '"', "“", "”"})
_STOP_DEPS = frozenset({"relcl", "acl", "appos", "cc", "conj", "advcl"})
_EDGE_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PART", "PRON"})
_RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})
_ELLIPTIC = frozenset("most many some all both several few half others none".split())
_HELPER_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})
_TIME_WORDS = re.compile(
    r"\b(?:\d{4}|today|yesterday|tomorrow|tonight|last|this|next|past|previous|ago|earlier|"
    r"later|recent|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
    r"march|april|may|june|july|august|september|october|november|december|quarter|spring|"
    r"summer|autumn|winter|now|currently)\b",
    re.IGNORECASE,
)
_DAY_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "tonight".split()
)
_SOURCE_ENTS = ("PERSON", "ORG", "GPE", "NORP")
_TIME_NOUNS = frozenset(
    "year month week day quarter hour minute second decade century half season".split()
)
T = TypeVar("T")


@dataclass
class TimeAnchor:
    """A time expression: its characters, its text, and for a date fact the year or year
    range it names (``"2014"``, ``"2006-2007"``)."""

    start: int
    end: int
    text: str
    year: str | None = None


def year_string(value: float, upper: float | None = None) -> str:
    """A year or year range as RECORDS.md writes a fact's time: ``"2014"``, ``"2006-2007"``."""
    if upper is None or int(upper) == int(value):
        return str(int(value))
    return f"{int(value)}-{int(upper)}"


_DECADE = re.compile(r"\b(\d{3})0['’]?s\b")
_YEAR_RANGE = re.compile(r"\b(\d{4})\s*(?:-|–|—|to|through|until)\s*(\d{4})\b", re.I)
_YEAR = re.compile(r"(?<![\d./])(1\d{3}|20\d{2})(?![\d/])")
_YEAR_WORDS = re.compile(r"\b(?:years?|decades?|century|centuries|millenni(?:um|a))\b", re.I)
_AGO = re.compile(r"\b(?:(an?|\w+)[\s-]+)?(year|month|week|day)s?\s+(?:ago|back)\b", re.I)
_LAST_YEAR = re.compile(r"\b(?:last|previous|prior)\s+year\b", re.I)
_THIS_YEAR = re.compile(r"\b(?:this|current|present)\s+year\b|\byear\s+to\s+date\b", re.I)
_NEXT_YEAR = re.compile(r"\b(?:next|coming)\s+year\b", re.I)
_YESTERDAY = re.compile(r"\b(?:yesterday|last\s+night)\b", re.I)
_TOMORROW = re.compile(r"\btomorrow\b", re.I)
_LAST_UNIT = re.compile(r"\b(last|previous|next|coming)\s+(week|month)\b", re.I)


def explicit_year(text: str) -> str | None:
    """The year or year range that a time expression writes out, else ``None``.

    ``"in 2014"``: ``"2014"``; ``"2006–2007"``: ``"2006-2007"``; ``"the 1990s"``:
    ``"1990-1999"``; ``"March 1, 2019"``: ``"2019"``. Two different years that do not form a
    range (``"1430/2019"``) give ``None``.
    """
    decade = _DECADE.search(text)
    if decade is not None:
        return f"{decade[1]}0-{decade[1]}9"
    span = _YEAR_RANGE.search(text)
    if span is not None and int(span[1]) < int(span[2]):
        return f"{span[1]}-{span[2]}"
    years = set(_YEAR.findall(text))
    return years.pop() if len(years) == 1 else None


def relative_year(text: str, date: ArticleDate) -> str | None:
    """The year that a time expression without a written year names, seen from ``date``.

    ``last year``: the year before; ``this year``: its year; ``next year``: the year after;
    ``N years ago``: N years before. Expressions of days, weeks, months and seasons
    (``on Friday``, ``today``, ``in March``, ``this summer``) hold in the date's year, or
    in the year of the day they name when it can be counted from a full date (``yesterday``,
    ``three weeks ago``, ``last month``). Other spans of years (``the past five years``, ``a
    decade``) give ``None``: they name no single year.
    """
    year = date.year
    if _LAST_YEAR.search(text):
        return str(year - 1)
    if _NEXT_YEAR.search(text):
        return str(year + 1)
    if _THIS_YEAR.search(text):
        return str(year)
    ago = _AGO.search(text)
    if ago is not None:
        word = (ago[1] or "a").lower()
        count = 1.0 if word in ("a", "an") else parse_number(word)
        if count is None or count != int(count):
            return None
        unit = ago[2].lower()
        if unit == "year":
            return str(year - int(count))
        return _shifted_year(date, -int(count), unit)
    if _YEAR_WORDS.search(text):
        return None
    if _YESTERDAY.search(text):
        return _shifted_year(date, -1, "day")
    if _TOMORROW.search(text):
        return _shifted_year(date, 1, "day")
    last = _LAST_UNIT.search(text)
    if last is not None:
        step = -1 if last[1].lower() in ("last", "previous") else 1
        return _shifted_year(date, step, last[2].lower())
    return str(year)


def _shifted_year(date: ArticleDate, count: int, unit: str) -> str:
    """The year ``count`` days, weeks or months from the date (its year if only that is
    known)."""
    if date.day is None:
        return str(date.year)
    if unit == "month":
        months = date.day.year * 12 + date.day.month - 1 + count
        return str(months // 12)
    days = count * (7 if unit == "week" else 1)
    try:
        return str((date.day + datetime.timedelta(days=days)).year)
    except OverflowError:
        return str(date.year)


def year_of(anchor: TimeAnchor, date: ArticleDate | None = None) -> str:
    """A fact's time from its anchor: the year or year range it names (:func:`explicit_year`,
    or with the article's ``date`` :func:`relative_year`), else the anchor's text."""
    if anchor.year is not None:
        return anchor.year
    found = explicit_year(anchor.text)
    if found is None and date is not None:
        found = relative_year(anchor.text, date)
    return anchor.text if found is None else found


class _ListView(Sequence[T]):
    """A read-only sequence over the list ``self._items``."""

    _items: list[T]

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._items[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)


class Quantities(_ListView[tuple[int, int]]):
    """The character ranges of a doc's other quantities (the ``avoid`` of
    :func:`subject_of` and :func:`noun_phrase`), indexed once per doc.

    A plain list of ranges is scanned whole, and each range cut out with ``char_span``, at
    every noun phrase of every fact: quadratic in the facts of a long article. This index
    answers the same questions (which ranges hold a character, end in a stretch, or cover
    or overlap some tokens) from the ranges near the place asked about. :meth:`without`
    leaves out the ranges equal to one (a fact's own) without copying the index.

    >>> import spacy
    >>> doc = spacy.blank("en")("Sales rose 5% to $2 billion in 2024.")
    >>> others = Quantities(doc, [(11, 13), (17, 27), (31, 35)]).without((11, 13))
    >>> list(others), others.holds(12), others.holds(20), others.ending_in(27, 35)
    ([(17, 27), (31, 35)], False, True, (31, 35))
    """

    def __init__(self, doc: Doc, ranges: Sequence[tuple[int, int]]) -> None:
        self.doc = doc
        self.ranges = [(r[0], r[1]) for r in ranges]
        self._chars = Intervals(self.ranges)
        self._by_end = sorted(range(len(self.ranges)), key=lambda k: (self.ranges[k][1], k))
        self._ends = [self.ranges[k][1] for k in self._by_end]
        # the ranges' tokens, cut on first use; one list shared by the views of :meth:`without`
        self._cuts: list[tuple[list[tuple[int, Span]], Intervals]] = []
        self._skip: tuple[int, int] | None = None

    def without(self, skip: tuple[int, int]) -> Quantities:
        """The same ranges less those equal to ``skip``, sharing this index."""
        view = copy.copy(self)
        view._skip = (skip[0], skip[1])
        view.__dict__.pop("_items", None)  # the kept ranges of ``self``, if listed
        return view

    @cached_property
    def _items(self) -> list[tuple[int, int]]:  # type: ignore[override]
        """The ranges kept, listed on first use (the pipeline's views are never listed)."""
        return [r for r in self.ranges if r != self._skip]

    def holds(self, pos: int) -> bool:
        """Whether a range ``(a, b)`` has ``a <= pos < b``."""
        for k in self._chars.overlapping(pos, pos + 1):
            a, b = self.ranges[k]
            if a <= pos < b and self.ranges[k] != self._skip:
                return True
        return False

    def ending_in(self, after: int, upto: int) -> tuple[int, int] | None:
        """The first range (in the order given) with ``after < end <= upto``."""
        lo, hi = bisect_right(self._ends, after), bisect_right(self._ends, upto)
        found = sorted(k for k in self._by_end[lo:hi] if self.ranges[k] != self._skip)
        return self.ranges[found[0]] if found else None

    def _token_cuts(self) -> tuple[list[tuple[int, Span]], Intervals]:
        """Each range's tokens (``char_span``, expanded; empty ones dropped), cut once."""
        if not self._cuts:
            cuts = []
            for k, (start, end) in enumerate(self.ranges):
                cut = self.doc.char_span(start, end, alignment_mode="expand")
                if cut is not None and len(cut) > 0:
                    cuts.append((k, cut))
            self._cuts.append((cuts, Intervals((cut.start, cut.end) for _, cut in cuts)))
        return self._cuts[0]

    def cuts_over(self, lo: int, hi: int) -> list[Span]:
        """The ranges' tokens that overlap tokens ``lo`` to ``hi``, in the order given."""
        cuts, index = self._token_cuts()
        found = [cuts[j] for j in index.overlapping(lo, hi + 1)]
        return [cut for k, cut in found if self.ranges[k] != self._skip]

    def cut_at(self, i: int) -> bool:
        """Whether token ``i`` lies in a range's tokens."""
        cuts, index = self._token_cuts()
        return any(self.ranges[cuts[j][0]] != self._skip for j in index.overlapping(i, i + 1))


class TimeAnchors(_ListView[TimeAnchor]):
    """Time anchors (:func:`time_anchors`) indexed by start, built once per doc: a fact's
    options are found among those of its sentence, not by a scan of all of them."""

    def __init__(self, anchors: Sequence[TimeAnchor]) -> None:
        self._items = list(anchors)
        self._order = sorted(range(len(self._items)), key=lambda k: (self._items[k].start, k))
        self._starts = [self._items[k].start for k in self._order]

    def starting_in(self, lo: int, hi: int) -> list[TimeAnchor]:
        """The anchors with ``lo <= start < hi``, in the order given."""
        found = self._order[bisect_left(self._starts, lo) : bisect_left(self._starts, hi)]
        return [self._items[k] for k in sorted(found)]


class Claims(_ListView[dict[str, Any]]):
    """A doc's claims (``doc._.claimx_claims``, or none) indexed by content, built once per
    doc: the claims holding a fact are found among those reaching it, not by a scan of all."""

    def __init__(self, claims: Sequence[dict[str, Any]] | None) -> None:
        self._items = list(claims or [])
        self._with_content = [i for i, c in enumerate(self._items) if c.get("content")]
        self._contents = Intervals(
            (int(self._items[i]["content"][0]), int(self._items[i]["content"][1]))
            for i in self._with_content
        )

    def reaching(self, start: int, end: int) -> list[int]:
        """The positions, in order, of the claims with content ``(cs, ce)``, ``cs <= end``
        and ``start <= ce`` (all those holding ``start:end``, and some more)."""
        return [self._with_content[j] for j in self._contents.overlapping(start - 1, end + 1)]


def as_quantities(doc: Doc, avoid: Sequence[tuple[int, int]]) -> Quantities:
    """``avoid`` as a :class:`Quantities` of ``doc`` (itself when it is one)."""
    return avoid if isinstance(avoid, Quantities) else Quantities(doc, avoid)


def fact_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters ``start:end``."""
    return doc.char_span(start, end, alignment_mode="expand")


def _hyphen_inside(doc: Doc, i: int) -> bool:
    """Whether ``doc[i]`` is a hyphen written inside a word (``blue-chip``)."""
    return (
        doc[i].text in ("-", "–")
        and 0 < i < len(doc) - 1
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
    )


def noun_phrase(
    token: Token,
    exclude: Span | None = None,
    avoid: Sequence[tuple[int, int]] = (),
    preps: frozenset[str] = _NP_RIGHT_PREPS,
    concept: bool = False,
) -> str | None:
    """Text of the noun phrase headed by ``token``, without determiners and clauses.

    A phrase that starts inside a name takes the whole name (``study`` under ``Bureau of
    Economic Research``: ``National Bureau of Economic Research study``).

    ``exclude`` (the quantity itself) and the character spans in ``avoid`` (other
    quantities) are cut off; ``preps`` are the prepositions whose objects are kept.

    With ``concept`` the phrase is the fuller one NewsQuant names as a referred concept:
    coordinated nouns are kept (``shares of Urban Outfitters and Ross``, ``sport utility
    vehicles, or SUVs``), aggregate words are not (``a total system output``), so are an
    abbreviation in parentheses after it (``West Texas Intermediate (WTI)``) and the
    adjectives, nouns and names written before the quantity (``a sharp 3 percent drop``:
    ``sharp drop``; ``Lipitor 20mg tablets``: ``Lipitor tablets``), not the words of another
    amount or a possessive pronoun; so is a participle right after the noun with its
    prepositional phrases (``the charge stored in the capacitor``); prepositional phrases
    that only give a time (``revenue in the quarter``) are left out.
    """
    if token.pos_ == "PRON":
        return None
    keep: list[Token] = []

    def add(tok: Token, depth: int) -> None:
        keep.append(tok)
        if depth > 4:
            return
        for child in tok.children:
            if child.dep_ == "case" or (child.i < tok.i and child.dep_ in _NP_LEFT):
                if child.dep_ == "det" and child.i == min(t.i for t in [child, *keep]):
                    continue
                if concept and child.dep_ == "amod" and child.lower_ in _AGGREGATE:
                    continue  # ``a total system output``: the concept is the output
                if child.dep_ == "compound" and child.lower_ in _DAY_WORDS:
                    continue  # ``said Tuesday the firm will``: a time, not part of a name
                add(child, depth + 1)
            elif child.i > tok.i and child.dep_ == "prep" and child.lower_ in preps:
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs and not (concept and _is_time(objs[0])):
                    keep.append(child)
                    add(objs[0], depth + 1)
            elif (
                child.dep_ == "nummod"
                and child.i == tok.i + 1
                and tok.pos_ == "PROPN"
                and re.fullmatch(r"\d+", child.text)
            ):
                # a number written right after a name is part of it: ``S&P 500``, ``iPhone 11``
                keep.append(child)
            elif (
                concept
                and child.dep_ == "acl"
                and child.tag_ == "VBN"
                and child.i == tok.i + 1
                and depth < 2
            ):
                # a participle right after the noun narrows it down: ``the charge stored in
                # the capacitor``, ``a skull found in Dali County``
                places = [
                    (prep, obj)
                    for prep in child.children
                    if prep.dep_ == "prep" and prep.lower_ in preps
                    for obj in prep.children
                    if obj.dep_ == "pobj" and obj.pos_ in NOUNS and not _is_time(obj)
                ]
                if places:
                    keep.append(child)
                for prep, obj in places:
                    keep.append(prep)
                    add(obj, depth + 1)
            elif concept and child.dep_ == "conj" and child.i > tok.i and child.pos_ in NOUNS:
                links = [c for c in tok.children if c.dep_ == "cc" and tok.i < c.i < child.i]
                simple = all(c.dep_ in _NP_LEFT for c in child.children)
                if simple and links and links[0].lower_ in ("and", "or", "&"):
                    keep.append(links[0])
                    add(child, depth + 1)

    add(token, 0)
    if token.dep_ in _SUBJECT_DEPS:
        # a name the parser split into two subjects of one verb: ``The base iPhone 11 has``
        twins = [c for c in token.head.children if c.dep_ == token.dep_ and c.i > token.i]
        for twin in twins:
            if twin.left_edge.i != max(t.i for t in keep) + 1:
                break
            add(twin, 1)
    doc = token.doc
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    lead: list[Token] = []
    paren = 0
    others = as_quantities(doc, avoid)
    # the quantity, then the others that reach into ``lo:hi`` (the loop below only narrows
    # ``lo:hi`` and passes over the cuts outside it); ``cut_at`` asks about all of them
    cuts = [exclude] if exclude is not None else []
    cuts += others.cuts_over(lo, hi)

    def cut_at(i: int) -> bool:
        return (exclude is not None and exclude.start <= i < exclude.end) or others.cut_at(i)

    for cut in cuts:
        if not (lo <= cut.end - 1 and cut.start <= hi):
            continue
        if token.i < cut.start:
            hi = min(hi, cut.start - 1)
            inside = set(cut.root.subtree)
            while hi >= lo and doc[hi] in inside:
                hi -= 1
        elif token.i >= cut.end:
            if concept:
                lead = [
                    t
                    for t in keep
                    if t.i < cut.start
                    and t.dep_ in ("amod", "compound", "nmod")
                    and t.i >= lo
                    and t.pos_ != "PRON"
                    and not any(d.like_num for d in t.subtree)
                ]
            lo = cut.end
        elif lo < cut.start and doc[cut.start - 1].pos_ == "PROPN" and doc[cut.start].like_num:
            # the head noun is the unit of another quantity that modifies the name before
            # it: ``MacBook Pro 16 inch`` names a ``MacBook Pro``
            hi = cut.start - 1
            token = doc[hi]
        else:
            return None
    kept = set(keep)

    def cut_off(t: Token) -> bool:
        if cut_at(t.i):
            return True
        return t.dep_ == "prep" and all(cut_off(o) for o in t.children if o.dep_ == "pobj")

    hi = max((t.i for t in keep if lo <= t.i <= hi and not cut_off(t)), default=token.i)
    for i in range(token.i + 1, hi + 1):
        if _hyphen_inside(doc, i):
            continue
        if doc[i].text == "," and i < hi and doc[i + 1] in kept and doc[i + 1].dep_ == "cc":
            continue  # a coordinated noun after a comma: ``sport utility vehicles, or SUVs``
        if doc[i].text in _STOP_PUNCT or (doc[i].dep_ in _STOP_DEPS and doc[i] not in kept):
            hi = i - 1
            break
    if (
        concept
        and hi + 3 < len(doc)
        and doc[hi + 1].text == "("
        and doc[hi + 3].text == ")"
        and doc[hi + 2].head.i == hi
        and re.search(r"[A-Z]", doc[hi + 2].text)
        and not cut_at(hi + 2)
    ):
        paren = hi + 3
    for i in range(token.i, lo - 1, -1):
        if doc[i].text in _STOP_PUNCT and not _hyphen_inside(doc, i):
            lo = i + 1
            break
    while lo > 1 and _hyphen_inside(doc, lo - 1) and doc[lo - 2].is_alpha:
        lo -= 2
    while (
        hi + 2 < len(doc)
        and _hyphen_inside(doc, hi + 1)
        and doc[hi + 2].is_alpha
        and not cut_at(hi + 2)
    ):
        hi += 2  # the rest of a hyphenated word: ``Ben-Moshe``
    while lo <= hi and (doc[lo].is_punct or doc[lo].pos_ in _EDGE_POS):
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].pos_ in _EDGE_POS):
        hi -= 1
    if lo > hi:
        return None
    start = lo
    while start > 0 and doc[start].ent_iob_ == "I" and doc[start].ent_type_ in _NAME_ENTS:
        start -= 1  # a name the phrase starts inside: ``National Bureau of Economic Research``
    if start < lo and not any(doc[j].text in _STOP_PUNCT or cut_at(j) for j in range(start, lo)):
        lo = start
        while doc[lo].is_punct or doc[lo].pos_ in _EDGE_POS:
            lo += 1
    if paren and paren == hi + 3:
        hi = paren
    if concept:
        # a referred concept is its content words: ``price of gold per ounce`` is the
        # concept ``price gold ounce``, ``growth across EM`` ``growth EM``
        words = [
            t
            for t in doc[lo : hi + 1]
            if not (t.dep_ in ("prep", "det") and t in kept and t.whitespace_ and t.i > lo)
        ]
        text = "".join(t.text_with_ws for t in words).strip()
    else:
        text = doc[lo : hi + 1].text.strip()
    if lead:
        text = " ".join([*(t.text for t in sorted(lead, key=lambda t: t.i)), text])
    return text if re.search(r"[A-Za-z]", text) else None


def _is_time(token: Token) -> bool:
    """Whether the noun ``token`` names a time (``the quarter``, ``May``, ``2019``)."""
    return token.ent_type_ in ("DATE", "TIME")


def _time_noun(token: Token) -> bool:
    """Whether ``token`` is a noun for a stretch of time (``year over year``, ``the first
    quarter``): a time is when a quantity holds, never what it measures."""
    return token.pos_ == "NOUN" and (
        token.lemma_.lower() in _TIME_NOUNS or token.ent_type_ in ("DATE", "TIME")
    )


def _inside(token: Token, avoid: Sequence[tuple[int, int]]) -> bool:
    return as_quantities(token.doc, avoid).holds(token.idx)


def _subject_token(
    span: Span, avoid: Sequence[tuple[int, int]] = ()
) -> tuple[Token | None, Token | None]:
    """The token naming what ``span`` measures, and the verb when it is that verb's subject.

    The token is a noun the quantity modifies or is a complement of through a preposition
    (``of``, ``for``, ``in``, ``with``, ``on``, ``to``: ``price cuts on 30 products``, ``a
    tax rise to 22 per cent``; verb ``None``), else the subject of the governing verb or the
    noun a relative clause hangs on. A noun inside another quantity (``1.8 billion-mile
    (2.8bn km) journey``) is passed through to the noun both modify.
    """
    root = span.root
    head = root.head
    if (
        root.dep_ == "nummod"
        and head.tag_ in ("NNS", "NNPS")
        and head.i > span.end
        and all(t.like_num for t in span)
        and span.end < len(span.doc)
        and span.doc[span.end].is_alpha
    ):
        # a count of a plural noun (``grounding two new 737 Max jets``): the noun is what
        # is counted, the unit; what the count is about is found above it
        root = head
        head = root.head
    elif (
        head.i >= span.end
        and head.pos_ in NOUNS
        and root.dep_ in _MODIFIER_DEPS
        and not _time_noun(_noun_head(head))
    ):
        head = _noun_head(head)
        while _inside(head, avoid) and head.dep_ in _MODIFIER_DEPS and head.head.i > head.i:
            head = _noun_head(head.head)
        return head, None
    if (
        root.dep_ == "appos"
        and head.pos_ == "NOUN"
        and head.i < span.start
        and not _time_noun(head)
        and not _inside(head, avoid)
    ):
        # an amount set off after a noun measures it: ``a larger battery, 4500 mAh, than``
        return head, None
    token = root
    for _ in range(8):
        if token.dep_ == "pobj" and token.head.dep_ == "prep":
            prep = token.head
            if (
                prep.head.pos_ in NOUNS
                and (
                    prep.lower_ in ("of", "for", "in", "with", "on", "to")
                    or (
                        prep.lower_ in ("over", "under", "above", "below") and not _time_noun(token)
                    )
                )
                and not (span.start <= prep.head.i < span.end)
            ):
                return prep.head, None
        if token.dep_ in _SUBJECT_DEPS:
            return None, None
        if token.head.i == token.i or token.dep_ not in _CLIMB_DEPS:
            break
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            break
    return _clause_subject(token, span), token


def _is_verb(token: Token) -> bool:
    """Whether ``token`` heads a clause: a verb, or a word the tagger took for a noun that
    the parser gave a subject and an object (``Vancouver hosts one refinery``, ``hosts``
    tagged as a plural noun)."""
    if token.pos_ in ("VERB", "AUX"):
        return True
    deps = {c.dep_ for c in token.children}
    return token.pos_ in NOUNS and "nsubj" in deps and bool(deps & {"dobj", "attr"})


def _clause_subject(verb: Token, span: Span | None = None) -> Token | None:
    """Subject of the clause headed by ``verb``, climbing through embedded clauses."""
    for _ in range(6):
        subjects = _subjects(verb)
        if subjects:
            subj = subjects[0]
            if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return _antecedent(subj, verb)
            if span is not None and span.start <= subj.i < span.end:
                return None
            return subj
        if verb.dep_ in _UP_CLAUSE_DEPS and verb.head.i != verb.i:
            if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in NOUNS:
                if not _infinitive(verb) and not _time_noun(verb.head):
                    return verb.head
                above = _governing_verb(verb.head)
                if above is None:
                    return verb.head
                verb = above
                continue
            verb = verb.head
            continue
        break
    return None


def _named_before(token: Token) -> Token | None:
    """A name right before the subject ``token`` that the parser made a second subject of
    the same verb: an apposition without commas (``Evaldas Rimasauskas a 50 year-old man
    from Lithuania pled guilty``)."""
    if token.dep_ not in _SUBJECT_DEPS:
        return None
    for twin in token.head.children:
        if (
            twin.dep_ == token.dep_
            and twin.pos_ == "PROPN"
            and twin.right_edge.i + 1 == token.left_edge.i
        ):
            return twin
    return None


def _subjects(verb: Token) -> list[Token]:
    """The subjects of ``verb``; a noun the parser hung on a verb as a compound before it
    is one too (``The stock trades on 6.5 times earnings``: ``stock`` is no modifier of
    a verb). Of two subjects before the verb with a comma between them, the first is a
    phrase set before the subject (``A veteran of ten wars, the general said``): the
    second is the subject. A conjoined clause without one may have its subject stranded
    elsewhere by the parser (:func:`_stranded_subject`); one whose subject is a bare
    quantifier (``..., but most landed 40 feet deep``) is about the first clause's
    subject."""
    found = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if len(found) > 1 and found[-1].i < verb.i:
        gap = verb.doc[found[0].right_edge.i + 1 : found[-1].left_edge.i]
        if any(t.text == "," for t in gap):
            found = found[-1:]
    if not found and verb.pos_ == "VERB":
        found = [c for c in verb.lefts if c.dep_ == "compound" and c.pos_ in NOUNS]
    if not found and verb.dep_ == "conj":
        stranded = _stranded_subject(verb)
        if stranded is not None:
            found = [stranded]
    if (
        found
        and found[0].lower_ in _ELLIPTIC
        and not any(c.dep_ == "prep" for c in found[0].children)
        and verb.dep_ == "conj"
        and verb.head.i != verb.i
    ):
        # ``the debris stretched for 7 miles, but most landed 40 feet deep``: a bare
        # quantifier names part of the first clause's subject
        before = _subjects(verb.head)
        if before and before[0].pos_ in NOUNS:
            found = before
    return found


def _stranded_subject(verb: Token) -> Token | None:
    """The subject of a conjoined clause that the parser hung elsewhere: in ``the charge
    was 2 C and the voltage across it was 5 volts`` the ``voltage`` opens the second clause
    (the parser made it a conjunct of ``2 C``), so ``was 5 volts`` is said of it, not of the
    charge.

    The subject is the noun phrase that opens right after the last conjunction before the
    verb (``and``, ``but``, ``while``; the verb's auxiliaries, adverbs and commas aside); a
    verb right after the conjunction shares the first clause's subject (``rose 2% and fell
    1%``).
    """
    doc = verb.doc
    head = verb.head
    end = verb.i - 1
    while end > head.i and (
        doc[end].is_punct or (doc[end].head.i == verb.i and doc[end].dep_ in _HELPER_DEPS)
    ):
        end -= 1  # auxiliaries, negation and adverbs of the verb, commas
    start = next(
        (i for i in range(end, head.i, -1) if doc[i].pos_ in ("CCONJ", "SCONJ")),
        None,
    )
    if start is None or start >= end:
        return None
    noun = doc[start + 1]
    while noun.head.pos_ in NOUNS and start < noun.head.i <= end:
        noun = noun.head
    if noun.pos_ not in NOUNS or noun.left_edge.i <= start:
        return None
    return noun


def _antecedent(relative: Token, clause: Token) -> Token:
    """The noun a relative pronoun stands for: the noun right before it (``the country
    that is 90 miles wide``), else the head the parser gave the relative clause."""
    doc = relative.doc
    i = relative.i - 1
    if i >= 0 and doc[i].pos_ in NOUNS and doc[i].dep_ != "compound":
        return doc[i]
    return clause.head


def _infinitive(verb: Token) -> bool:
    """Whether ``verb`` is a to-infinitive (``plans to lay off 6,650 employees``): its
    understood subject is the subject of the clause around the noun it completes."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` (``None`` when ``token`` is itself a subject)."""
    for _ in range(12):
        if _is_verb(token) and token.dep_ not in ("aux", "auxpass"):
            return token
        if token.dep_ in _SUBJECT_DEPS or token.head.i == token.i:
            return None
        token = token.head
    return None


def _agent(token: Token, span: Span) -> Token | None:
    """The subject of the clause around the noun ``token`` (who has, pays, reports it).

    A relative pronoun stands for its antecedent, also when ``token`` is the object of the
    relative clause itself: in ``triathlons that entail a 750 meter swim`` the swim belongs
    to the triathlons, although the clause is part of their phrase.
    """
    verb = first = _governing_verb(token) or _absolute_verb(token)
    relative: Token | None = None
    for _ in range(6):
        if verb is None:
            return None
        subjects = _subjects(verb)
        if not subjects and verb.tag_ == "VBN" and verb is first:
            # a passive participle names its doer with ``by``: ``the list led by two
            # brothers with a net worth of $1 billion`` (not through an infinitive: in ``an
            # engine tuned by M-Sport to produce 450 Nm of torque`` the engine produces it)
            subjects = [
                o
                for c in verb.children
                if c.dep_ == "agent"
                for o in c.children
                if o.dep_ == "pobj"
            ]
        if subjects:
            agent = subjects[0]
            if agent.lower_ in _RELATIVE and verb.dep_ == "relcl":
                agent = _antecedent(agent, verb)
                relative = verb
            break
        if verb.dep_ not in _UP_CLAUSE_DEPS or verb.head.i == verb.i:
            return None
        verb = _governing_verb(verb.head)
    else:
        return None
    if agent.pos_ == "PRON" or span.start <= agent.i < span.end:
        return None
    if agent.i == token.i or agent in token.subtree:
        return None
    if token in agent.subtree and not (
        relative is not None and token.dep_ == "dobj" and token.head == relative
    ):
        return None
    return agent


def _absolute_verb(token: Token) -> Token | None:
    """The verb above a ``with`` clause whose subject holds ``token`` (``the survey painted
    a picture with 24 per cent of adults saying ...``): who reports the amount is the
    subject of that verb."""
    for _ in range(12):
        if token.dep_ in _SUBJECT_DEPS:
            clause = token.head
            if clause.tag_ == "VBG" and clause.dep_ == "pcomp" and clause.head.lower_ == "with":
                return _governing_verb(clause.head.head)
            return None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _object_of(verb: Token, span: Span) -> Token | None:
    """The direct object of ``verb`` when the quantity at ``span`` lies outside it."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ in NOUNS:
            sub = list(child.subtree)
            if not (sub[0].i < span.end and span.start <= sub[-1].i) and not _measure(child):
                return child
    return None


def _measure(noun: Token) -> bool:
    """Whether ``noun`` only frames another amount: ``an average of 70 days``, ``a total of
    $5 million``; such an object says nothing about what a different quantity measures."""
    return any(
        prep.dep_ == "prep"
        and prep.lower_ == "of"
        and any(t.like_num or t.tag_ == "$" for t in prep.subtree)
        for prep in noun.children
    )


def _fallback_subjects(span: Span) -> Iterator[Token]:
    """Tokens to try, in order, when the parse gives no subject for ``span``.

    The subject of a verb right before the quantity that the parser did not link it to
    (``the life expectancy for men in Glasgow is around 73``: the expectancy), a subject
    higher up, the last subject or object noun before the quantity, the nearest noun before
    it, then the first noun after it in the sentence (``a 352 μm pixel pitch``), else a
    subjectless "verb" opening the sentence (a plural noun heading a verbless fragment).
    """
    doc = span.doc
    i = span.start - 1
    while i >= 0 and span.start <= doc[i].head.i < span.end and not doc[i].is_punct:
        i -= 1  # a bound word of the quantity: ``around``
    if i >= 0 and doc[i].pos_ in ("VERB", "AUX") and span.root not in doc[i].subtree:
        for subject in _subjects(doc[i]):
            if subject.pos_ in NOUNS and subject.i < doc[i].i:
                yield subject
    for ancestor in span.root.ancestors:
        if ancestor.pos_ not in ("VERB", "AUX"):
            continue
        for child in ancestor.children:
            if child.dep_ in _SUBJECT_DEPS and not (span.start <= child.i < span.end):
                if child.pos_ != "PRON":
                    yield child
                elif child.lower_ in _RELATIVE and ancestor.dep_ == "relcl":
                    antecedent = _antecedent(child, ancestor)
                    if antecedent.pos_ in NOUNS:
                        yield antecedent
    before = [t for t in span.sent if t.i < span.start and t.pos_ in NOUNS and _wordlike(t)]
    args = [t for t in before if t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")]
    if args:
        yield args[-1]
    if before:
        yield _noun_head(before[-1])
    after = [t for t in span.sent if t.i >= span.end and t.pos_ in NOUNS and _wordlike(t)]
    if after:
        yield _noun_head(after[0])
    first = span.sent[0]
    if first.tag_ == "VBZ" and first.i < span.start and not _subjects(first):
        # a verbless fragment whose plural noun was tagged as a verb with no subject:
        # ``wavelengths at least 2.4 μm``
        yield first


def _wordlike(token: Token) -> bool:
    """Whether ``token`` has a letter (a symbol such as ``≈`` may be tagged as a name)."""
    return any(ch.isalpha() for ch in token.text)


def _noun_head(token: Token) -> Token:
    """The noun a compound modifier ``token`` belongs to."""
    while token.dep_ == "compound" and token.head.pos_ in NOUNS and token.head.i > token.i:
        token = token.head
    return token


def subject_of(
    span: Span, avoid: Sequence[tuple[int, int]] = ()
) -> tuple[str | None, Token | None, list[str]]:
    """Subject phrase and head token for the quantity at ``span``, plus its concepts.

    The concepts are what NewsQuant calls referred concepts: the subject (with its
    prepositional phrases), and with it the clause subject when the quantity
    hangs on a noun (``5% of its workforce``: ``Dell``), or the verb's object when the
    subject is the clause subject (``Arnold bought a notebook for $500``: ``notebook``). The
    name of a verbless change (``JD Sports, down 2p``) stands alone, and so does a subject
    guessed from nearby nouns when the parse links none to the quantity. The clause subject
    of a passive participle is its ``by`` phrase; a noun in a phrase on a verb with an object
    gets that object instead (``measure activity in the brains of 13 people``). A ``for``
    phrase after the quantity adds what the amount is for (``paid $500 for flights``).
    """
    avoid = as_quantities(span.doc, avoid)
    share = _share_base(span, avoid)
    verb: Token | None = None
    named = _verbless_subject(span, avoid) if share is None else None
    token = share if share is not None else named
    result: Token | None = None
    if token is None:
        token, verb = _subject_token(span, avoid)
        result = _resulting_object(span, verb) if verb is not None else None
        if result is not None:
            token, verb = result, None
    phrase = noun_phrase(token, exclude=span, avoid=avoid) if token is not None else None
    if (
        phrase is None
        and verb is not None
        and token is not None
        and token.pos_ == "PRON"
        and span.root.dep_ != "dobj"
    ):
        # a pronoun subject names nothing: the verb's object is what the amount is about
        # (``it will boost the driving range by 35 miles``), unless the amount is an object
        # too and the other is whom it goes to (``it will cost buyers $42,500``)
        obj = _object_of(verb, span)
        if obj is not None:
            phrase = noun_phrase(obj, exclude=span, avoid=avoid)
            token, verb = obj, None
    guessed = phrase is None
    if phrase is None:
        verb = None
        for token in _fallback_subjects(span):
            phrase = noun_phrase(token, exclude=span, avoid=avoid)
            if phrase is not None:
                break
    if phrase is None or token is None:
        return None, None, []
    other: Token | None = None
    if verb is not None:
        other = _object_of(verb, span)
        if other is None and verb.dep_ == "acl" and token.dep_ in _SUBJECT_DEPS:
            # the quantity completes a participle modifying a noun: what changes is the
            # object of the clause around it (``Apple lowered its guidance for the quarter
            # ended December to $84 billion``)
            other = _object_of(token.head, span)
    elif (
        not guessed
        and (named is None or token is not named)
        and (result is None or token.i != result.i)
        and not _adjunct(token)
    ):
        other = _verb_object(token, span, avoid) or _agent(token, span) or _named_before(token)
    concepts = [_concept(token, span, avoid) or phrase]
    extra = _concept(other, span, avoid) if other is not None else None
    if extra and extra not in concepts[0] and concepts[0] not in extra:
        concepts.insert(0 if verb is not None else 1, extra)
    for more in (_purpose(span, avoid), _kind_of_example(token, span)):
        if more is not None and more not in (token, other):
            found = _concept(more, span, avoid)
            if found and not any(found in c or c in found for c in concepts):
                concepts.append(found)
    return phrase, token, concepts


def _resulting_object(span: Span, verb: Token) -> Token | None:
    """The object a change is said of in a resultative clause: in ``the banks pulled the
    index 0.7 percent lower`` the index is what ends lower, the banks only move it.

    The quantity measures a comparative (``lower``, ``higher``) after it that completes
    ``verb`` or that the parser hung on the verb's noun object.
    """
    head = span.root.head
    if head.tag_ not in ("RBR", "JJR") or head.i < span.end:
        return None
    if head.head.i == verb.i:
        return _object_of(verb, span)
    obj = head.head
    if obj.dep_ == "dobj" and obj.head.i == verb.i and obj.pos_ in NOUNS and obj.i < span.start:
        return obj
    return None


def _kind_of_example(token: Token, span: Span) -> Token | None:
    """The noun a list of examples names when the subject ``token`` is one of them:
    ``properties including: a villa in Nice, worth $3 million``, ``firms such as Acme,
    which gained 4%``."""
    for ancestor in [token, *token.ancestors]:
        if span.start <= ancestor.i < span.end:
            return None  # the subject hangs on the quantity: it is no example itself
        if ancestor.dep_ != "prep":
            continue
        example = ancestor.lower_ in ("including", "like") or (
            ancestor.lower_ == "as" and ancestor.i > 0 and ancestor.nbor(-1).lower_ == "such"
        )
        if example and ancestor.head.pos_ in NOUNS:
            return ancestor.head
        if example and ancestor.head.pos_ == "VERB":
            # hung on the verb, the list gives examples of its object, else of its subject
            # (``giant squid have been recorded, including a sighting of one ...``)
            verb = ancestor.head
            for deps in (("dobj",), _SUBJECT_DEPS):
                kinds = [c for c in verb.children if c.dep_ in deps and c.pos_ in NOUNS]
                if kinds and kinds[0].i < ancestor.i:
                    return kinds[0]
            return None
    return None


def _purpose(span: Span, avoid: Sequence[tuple[int, int]]) -> Token | None:
    """The noun a ``for`` after the quantity names: what the amount is for or whom it holds
    for (``paid $500 for flights``, ``rose to 29 mpg for mid-sized cars``).

    The ``for`` hangs on the quantity or on a word above it up to its verb; a time
    (``for the year``) or another quantity is no purpose.
    """
    heads = list(span)  # the ``for`` may hang on the end of a range
    for ancestor in span.root.ancestors:
        heads.append(ancestor)
        if ancestor.pos_ in ("VERB", "AUX"):
            break
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ != "for" or prep.i < span.end:
                continue
            objs = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ in NOUNS]
            if objs and not (_time_noun(objs[0]) or _is_time(objs[0]) or _inside(objs[0], avoid)):
                return objs[0]
    return None


def _verb_object(token: Token, span: Span, avoid: Sequence[tuple[int, int]]) -> Token | None:
    """The object of the verb a prepositional phrase holding ``token`` hangs on: in
    ``measure electrical activity in the brains of 13 people`` the brains are where the
    activity is measured, and the activity is what the count is about, more than who
    measures."""
    if token.dep_ != "pobj" or token.head.head.pos_ not in ("VERB", "AUX"):
        return None
    obj = _object_of(token.head.head, span)
    return obj if obj is not None and _concept(obj, span, avoid) else None


_ADJUNCT_PREPS = frozenset(
    "than below above under over during after before since until despite like unlike".split()
)
_CAUSE_WORDS = frozenset({"due", "because", "thanks", "owing"})


def _adjunct(token: Token) -> bool:
    """Whether the noun ``token`` is the object of a phrase of comparison, time or cause
    (``wider than the loss of 61 cents``, ``during a run of seven games``, ``due to 50mph
    winds``), or of a phrase set before the subject (``In a survey of 300 firms, analysts
    found``) or set off with a comma after the verb (``the index closed higher, on volume
    of 9 million shares``): such a phrase sets the clause against something else or frames
    it, and the clause subject neither has nor does what it names."""
    if token.dep_ != "pobj":
        return False
    prep = token.head
    if prep.lower_ in _ADJUNCT_PREPS or prep.lower_ in _CAUSE_WORDS:
        return True
    while prep.head.dep_ == "pobj" and prep.head.head.dep_ == "prep":
        prep = prep.head.head  # ``in a study of a bureau of ...``: the outermost phrase
    verb = prep.head
    if verb.pos_ in ("VERB", "AUX"):
        # a phrase set before the subject frames the clause: ``In a study of 135
        # startups, researchers found ...``
        subjects = _subjects(verb)
        if subjects and prep.i < subjects[0].left_edge.i:
            return True
        if prep.i > verb.i and prep.i > 0 and prep.nbor(-1).text == ",":
            return True  # set off after the clause: ``..., on turnover of $5 million``
    return prep.lower_ in ("to", "of") and prep.head.lower_ in _CAUSE_WORDS


def _concept(token: Token, span: Span, avoid: Sequence[tuple[int, int]]) -> str | None:
    """A noun phrase as a referred concept, with its prepositional phrases."""
    return noun_phrase(token, exclude=span, avoid=avoid, preps=_CONCEPT_PREPS, concept=True)


def _verbless_subject(span: Span, avoid: Sequence[tuple[int, int]]) -> Token | None:
    """The noun of a verbless change: ``Unite Group, down 68p at 1112p``, ``Dow +0.2%``.

    The quantity follows ``up``/``down`` (or is signed) right after a name, or is the
    ``to``/``at`` level after such a change; the name is what changes.
    """
    doc = span.doc
    i = span.start - 1
    gapped = _gapped_name(doc, i, avoid)
    if gapped is not None:
        return gapped
    if i > 0 and doc[i].lower_ in ("to", "at"):
        before = as_quantities(doc, avoid).ending_in(doc[i - 1].idx, doc[i].idx)
        if before is None:
            return None
        first = doc.char_span(before[0], before[1], alignment_mode="expand")
        if first is None:
            return None
        i = first.start - 1
        signed = first.text[:1] in "+-−"
    else:
        signed = span.text[:1] in "+-−"
    if i >= 0 and doc[i].lower_ in ("up", "down"):
        i -= 1
    elif not signed:
        return None
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i > 0 and doc[i].dep_ == "nummod" and doc[i].head.i == i - 1 and doc[i - 1].pos_ == "PROPN":
        i -= 1  # a name ending in a number: ``S&P 500 +0.3%``
    if i < 0 or doc[i].pos_ not in NOUNS or _inside(doc[i], avoid):
        return None
    return _noun_head(doc[i])


def _gapped_name(doc: Doc, i: int, avoid: Sequence[tuple[int, int]]) -> Token | None:
    """The name of a clause with its verb left out: ``Shares of A rose 2.3%, B by 2.6%``,
    ``dairy prices rose between 4% and 5% and fats and oils between 6% and 7%``.

    ``doc[i]`` is the word before the quantity: ``by`` or ``between`` right after a noun
    that opens a list item (after a comma or a conjunction). Coordinated nouns (``fats and
    oils``) are named by the first.
    """
    if i < 2 or doc[i].lower_ not in ("by", "between"):
        return None
    name = doc[i - 1]
    if name.pos_ not in NOUNS or _inside(name, avoid) or not name.is_alpha:
        return None
    first = name
    while first.dep_ == "conj" and first.head.pos_ in NOUNS and first.head.i < first.i:
        first = first.head
    lead = doc[first.left_edge.i - 1] if first.left_edge.i > 0 else None
    if lead is None or not (lead.text == "," or lead.pos_ == "CCONJ"):
        return None
    return first


_CURRENCY = r"[$£€¥₹₿]"


def _share_base(span: Span, avoid: Sequence[tuple[int, int]] = ()) -> Token | None:
    """The noun an ``of`` after the quantity names: ``5% of GDP``, ``64GB of storage``.

    A share or a measure followed by ``of`` measures the object of ``of`` (a parenthesis
    between them, ``450 Nm (332 lb-ft) of torque``, is skipped); a bare number is left out
    (``280 million of the 1.5 billion``; an amount of money is not bare: ``$12 million of
    claims``), and so is an object inside another quantity. The same holds for the quantity
    inside the parenthesis (``8 miles (13 km) of tunnels``).
    An amount of money followed by ``in`` and a common noun is an amount of that noun
    (``$1 billion in gains``).
    """
    doc = span.doc
    i = span.end
    if i < len(doc) and doc[i].text == "(":
        close = next((j for j in range(i + 1, min(len(doc), i + 8)) if doc[j].text == ")"), None)
        i = close + 1 if close is not None else i
    elif i + 1 < len(doc) and doc[i].text == ")":
        i += 1
    if i >= len(doc) or doc[i].lower_ not in ("of", "in"):
        return None
    if doc[i].lower_ == "in":
        # ``$1 billion in gains``, ``£2m in donations``: an amount of money in a noun
        if not re.search(_CURRENCY, span.text):
            return None
    elif not re.search(r"[^\d\s.,]", span.text) or (
        span[-1].like_num and not re.search(_CURRENCY, span.text)
    ):
        return None
    objs = [c for c in doc[i].children if c.dep_ == "pobj" and c.pos_ in NOUNS]
    if not objs:
        return None
    obj = objs[0]
    if doc[i].lower_ == "in" and (
        obj.pos_ != "NOUN"
        or _time_noun(obj)
        or obj.ent_type_
        or any(c.dep_ in ("det", "poss") for c in obj.children)
    ):
        return None
    if as_quantities(doc, avoid).holds(obj.idx):
        return None
    return obj


def time_anchors(
    doc: Doc, dates: Sequence[tuple[int, int]], years: Sequence[str | None] | None = None
) -> list[TimeAnchor]:
    """Date facts plus date entities that name a point or period in time.

    ``years`` are the date facts' own years (:func:`year_string`), in the order of ``dates``.
    """
    years = list(years) if years is not None else [None] * len(dates)
    text = doc_text(doc)
    anchors = [TimeAnchor(s, e, text[s:e], y) for (s, e), y in zip(dates, years, strict=True)]
    for ent in doc.ents:
        if ent.label_ != "DATE" or not _TIME_WORDS.search(ent.text):
            continue
        if any(a.start < ent.end_char and ent.start_char < a.end for a in anchors):
            continue
        text = re.sub(r"^(?:the|a|an)\s+", "", ent.text, flags=re.I)
        anchors.append(TimeAnchor(ent.start_char, ent.end_char, text))
    return anchors


def _clause_head(token: Token) -> Token:
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return token
        if token.head.i == token.i:
            return token
        token = token.head
    return token


def time_of(span: Span, anchors: TimeAnchors, date: ArticleDate | None = None) -> str | None:
    """When the quantity at ``span`` holds: the year its time expression names
    (:func:`year_of`, relative to the article's ``date`` if known), else with a ``date`` the
    date's year, else ``None``."""
    anchor = time_anchor_of(span, anchors)
    if anchor is not None:
        return year_of(anchor, date)
    return None if date is None else str(date.year)


def time_anchor_of(span: Span, anchors: TimeAnchors) -> TimeAnchor | None:
    """The time expression that anchors the quantity at ``span``: one that starts in its
    sentence and does not overlap it."""
    sent = span.sent
    doc = span.doc
    options = [
        a
        for a in anchors.starting_in(sent.start_char, sent.end_char)
        if not (a.start < span.end_char and span.start_char < a.end)
    ]
    if not options:
        return None
    head = _clause_head(span.root)

    def distance(anchor: TimeAnchor) -> tuple[int, int]:
        aspan = doc.char_span(anchor.start, anchor.end, alignment_mode="expand")
        same = aspan is not None and _clause_head(aspan.root) == head
        gap = (
            anchor.start - span.end_char
            if anchor.start >= span.end_char
            else (span.start_char - anchor.end)
        )
        return (0 if same else 1, gap)

    return min(options, key=distance)


def source_of(span: Span, claims: Claims) -> tuple[str | None, int | None]:
    """Speaker and claim index of the (shortest, then first) claim holding the fact, else an
    ``according to``."""
    best: tuple[int, int] | None = None
    for i in claims.reaching(span.start_char, span.end_char):
        cs, ce = int(claims[i]["content"][0]), int(claims[i]["content"][1])
        if cs <= span.start_char and span.end_char <= ce and (best is None or ce - cs < best[1]):
            best = (i, ce - cs)
    if best is not None:
        return claims[best[0]].get("speaker"), best[0]
    return according_to(span.sent), None


def according_to(sent: Span) -> str | None:
    """Who ``according to X`` in the sentence names, or ``None``."""
    for token in sent:
        if token.lower_ != "according" or token.i + 1 >= len(token.doc):
            continue
        to = token.doc[token.i + 1]
        if to.lower_ != "to":
            continue
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            continue
        obj = objs[0]
        # the entity of ``sent.ents`` holding the object (``sent.ents`` builds every entity
        # of the doc: once per fact, quadratic on a long article)
        ent = entity_at(obj, _SOURCE_ENTS)
        if ent is not None and sent.start <= ent.start and ent.end <= sent.end:
            return re.sub(r"^the\s+", "", ent.text, flags=re.I)
        return noun_phrase(obj)
    return None
