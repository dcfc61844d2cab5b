"""Pair quotation marks into quotes, robust to any mark style and to stray marks.

Handles curly (“ ” ‘ ’), straight (" '), guillemets (« ») and NYT-style doubled apostrophes
(``''...''``); nesting (single marks inside double ones); quotes continued into the next
paragraph (the paragraph opens with a mark while the previous one left its quote open, the
newspaper convention), also where the paragraph break was lost and the next paragraph's mark
follows in the same line (``"A. B. "C."``, common in the BBC corpus); and unbalanced marks,
which are dropped without losing the document.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

#: Marks that only open / only close, and marks that may do either (resolved by context).
OPENERS = {"“": "”", "«": "»", "„": "“", "‘": "’", "``": "''"}
CLOSERS = {"”", "»", "’"}
AMBIGUOUS = {'"', "''", "'"}
DOUBLE = {"“", "”", "«", "»", "„", '"', "''", "``"}

_MARK = re.compile(r"''|``|[\"“”«»„‘’']")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True)
class Quote:
    """A quoted stretch: ``start``/``end`` bound the inside, marks excluded."""

    start: int
    end: int
    open_mark: int
    close_mark: int
    continued: bool = False

    @property
    def outer(self) -> tuple[int, int]:
        """Offsets including the marks."""
        return self.open_mark, self.close_mark + 1


@dataclass(frozen=True)
class _Mark:
    pos: int
    text: str
    role: str  # "open" | "close" | "soft" (closes an open quote, else an apostrophe)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def in_word(text: str, pos: int, length: int = 1) -> bool:
    """Whether the mark ``text[pos : pos + length]`` stands between two letters or digits
    (Japan’s, don't): an apostrophe, no quote mark."""
    end = pos + length
    return pos > 0 and end < len(text) and _is_word(text[pos - 1]) and _is_word(text[end])


def _role(text: str, pos: int, mark: str) -> str | None:
    """Decide whether a mark at ``pos`` opens or closes a quote, or is no quote mark at all."""
    before = text[pos - 1] if pos > 0 else " "
    after_pos = pos + len(mark)
    after = text[after_pos] if after_pos < len(text) else " "
    if mark in ("'", "’"):
        # Inside a word (Japan’s, don't) an apostrophe; after one (investors') maybe a closer.
        if in_word(text, pos, len(mark)):
            return None
        if _is_word(before) and (after.isspace() or after in ".,;:!?" or after_pos >= len(text)):
            return "soft"
        if mark == "’":
            return "close" if not before.isspace() else None
    if mark in OPENERS and mark not in AMBIGUOUS:
        return None if after.isspace() else "open"
    if mark in CLOSERS:
        return "close"
    opens = before.isspace() or before in "([{—–-/:" or pos == 0
    closes = after.isspace() or after in ".,;:!?)]}—–-" or after_pos >= len(text)
    if opens and not after.isspace():
        return "open"
    if closes and not before.isspace():
        return "close"
    if closes and mark in DOUBLE:
        # '... tomorrow.\' "': a double mark between spaces closes a quote left open
        return "soft"
    return None


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    out = []
    for match in _MARK.finditer(text, start, end):
        role = _role(text, match.start(), match.group())
        if role is not None:
            out.append(_Mark(match.start(), match.group(), role))
    return out


#: Reporting words that, inside what would be a quote run on from a lost paragraph break,
#: show the writer's narrative instead: a closing mark is missing ('"A, the group said. B.').
#: One after "I", "we" or "you" ("We said we only had ...") is the speaker's own: no sign.
_REPORTING = re.compile(
    r"(?<!\bI )(?<!\bwe )(?<!\bWe )(?<!\byou )(?<!\bYou )"
    r"\b(?:said|says|saying|told|tells|added|adds|noted|warned|explained|insisted|argued|"
    r"claimed|stated|according)\b"
)


def _runs_on(text: str, opened: _Mark, mark: _Mark) -> bool:
    """Whether the opener ``mark``, met while ``opened`` is still open, starts the next
    paragraph of the same quotation with the paragraph break lost: ``He said: "A. B. "C."``
    (an opener right after a sentence's end, the quote before it holding a sentence and no
    reporting word, which would rather show a closing mark missing)."""
    before = text[opened.pos + len(opened.text) : mark.pos]
    return (
        mark.text == opened.text
        and _REPORTING.search(before) is None
        and before[-1:].isspace()
        and before.rstrip()[-1:] in (".", "!", "?")
        and len(before.split()) >= 3
        and mark.pos + len(mark.text) < len(text)
        and text[mark.pos + len(mark.text)].isupper()
    )


def _pair(
    marks: list[_Mark], double: bool, text: str = ""
) -> tuple[list[tuple[_Mark, _Mark]], _Mark | None]:
    """Pair marks of one family left to right; returns pairs and a quote left open.

    An opener met while a quote is open closes that quote where :func:`_runs_on` (with
    ``text``) says the quotation went on in a new paragraph; else the first opener was
    stray, and pairing restarts from the new one.
    """
    pairs: list[tuple[_Mark, _Mark]] = []
    opened: _Mark | None = None
    for mark in marks:
        if (mark.text in DOUBLE) != double:
            continue
        if mark.role == "open":
            if opened is not None and text and _runs_on(text, opened, mark):
                pairs.append((opened, _Mark(mark.pos - 1, "", "close")))
            opened = mark
        elif opened is not None and (
            mark.role == "close" or mark.text in (opened.text, OPENERS.get(opened.text))
        ):
            pairs.append((opened, mark))
            opened = None
    return pairs, opened


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the non-empty paragraphs (lines) of ``text``."""
    spans, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


#: What :func:`trim_edges` drops from span ends: spaces, commas, colons, dashes, periods and
#: quote marks.
EDGE_CHARS = frozenset(" \n\t,;:—–-.\"“”‘’'«»`")


def strip_span(
    text: str, start: int, end: int, chars: Container[str] | None = None
) -> tuple[int, int]:
    """``start, end`` moved inward past ``chars`` (white space when ``None``) at either end."""

    def edge(ch: str) -> bool:
        return ch.isspace() if chars is None else ch in chars

    while start < end and edge(text[start]):
        start += 1
    while end > start and edge(text[end - 1]):
        end -= 1
    return start, end


_DOTTED = re.compile(r"(?<![\w.])(?:[A-Za-z]\.)+[A-Za-z]$")
"""The end of a dotted abbreviation before its last period ("U.S", "D.C", "p.m")."""


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` without :data:`EDGE_CHARS` at either end; the last period of a dotted
    abbreviation stays ("from entering the U.S."; PolNeAR train: 33 of the 39 contents that
    end in one keep it, while only 210 of 16,946 other contents outside quotes keep a final
    period)."""
    start, end = strip_span(text, start, end, EDGE_CHARS)
    if text[end : end + 1] == "." and _DOTTED.search(text[max(start, end - 12) : end]):
        end += 1
    return start, end


def find_quotes(text: str, nested: bool = False) -> list[Quote]:
    """Return the quotes of ``text`` in order.

    With ``nested=False`` only top-level quotes come back (double marks, or single marks in
    a paragraph without double ones, the British convention); quotes inside quotes are part
    of their outer quote's content.
    """
    quotes: list[Quote] = []
    pending: tuple[int, int] | None = None  # (open mark pos, content start) left open
    for p_start, p_end in paragraphs(text):
        marks = _marks(text, p_start, p_end)
        has_double = any(m.text in DOUBLE for m in marks)
        pairs, left_open = _pair(marks, double=has_double, text=text)
        if pending is not None:
            first = marks[0] if marks else None
            if (
                first is not None
                and first.role == "open"
                and text.startswith(first.text, pending[0])
                and not text[p_start : first.pos].strip()
                and pairs
            ):
                # The quote runs on: join it to this paragraph's first quote.
                head = pairs[0]
                s, e = strip_span(text, pending[1], head[1].pos)
                quotes.append(Quote(s, e, pending[0], head[1].pos, continued=True))
                pairs = pairs[1:]
            pending = None
        for open_mark, close_mark in pairs:
            s, e = strip_span(text, open_mark.pos + len(open_mark.text), close_mark.pos)
            if e > s:
                quotes.append(Quote(s, e, open_mark.pos, close_mark.pos))
        if left_open is not None:
            pending = (left_open.pos, left_open.pos + len(left_open.text))
        if nested:
            for open_mark, close_mark in _pair(marks, double=not has_double)[0]:
                s, e = strip_span(text, open_mark.pos + len(open_mark.text), close_mark.pos)
                if e > s:
                    quotes.append(Quote(s, e, open_mark.pos, close_mark.pos))
    quotes.sort(key=lambda q: q.start)
    return quotes
