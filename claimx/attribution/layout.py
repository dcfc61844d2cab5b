"""Attributions that the page layout makes, not a reporting verb: transcripts and sign-offs.

* **Transcript turns**: paragraphs that open with a speaker label in capitals and a colon
  (``WALLACE: Let's start with ...``, ``MR. TRUMP: ...``), as in the interview and debate
  transcripts that news sites print. The label is the source, the colon the cue and the rest
  of the paragraph the (direct) content. A doc must hold at least :data:`MIN_TURNS` such
  paragraphs, so that a lone heading ("UPDATE: ...") is not read as a speaker.
* **Dash sign-offs**: a paragraph that is one quotation followed by a dash and a name
  (``"He represents our greatest shame." ― Sonya Herridge``), as in reader-quote
  round-ups and epigraphs. The name is the source, the dash the cue, the quote the content.

Both work on the text alone (no parse), so they hold where the parser splits such
paragraphs oddly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .quotes import paragraphs, strip_span

MIN_TURNS = 2
"""Transcript turns a doc needs before any of them counts."""

#: First words of paragraph labels in capitals that head a paragraph without naming a
#: speaker ("UPDATE:", "EDITOR'S NOTE:", "READ MORE:").
HEADINGS = frozenset(
    """
    ABSTRACT ADVERTISEMENT ALERT BACKGROUND BREAKING CLARIFICATION CORRECTION CREDIT
    DISCLAIMER DISCLOSURE EDITOR'S EDITOR’S EXCLUSIVE FACT FULL LEAD LINK MORE NOTE PHOTO
    PHOTOS POLL QUESTION READ RELATED SEE SOURCE SOURCES SUBSCRIBE TEXT TRANSCRIPT UPDATE
    UPDATED VIDEO WARNING WATCH
    """.split()
)

_TITLE = r"(?:MR|MRS|MS|DR|SEN|REP|GOV|GEN|PROF)\.?\s"
_TURN = re.compile(
    r"[\"“”]?[ \t\xa0]?(?P<name>(?:" + _TITLE + r")?[A-Z][A-Z'’.\-]+(?:\s[A-Z][A-Z'’.\-]+){0,2})"
    r"\s*(?P<colon>:)[ \t\xa0]+(?P<body>\S.*)",
    re.DOTALL,
)
_NAME_WORD = r"[A-Z][^\W\d_]*(?:[.'’\-][^\W\d_]*)*\.?"
_SIGN_OFF = re.compile(
    r"(?P<quote>[\"“”«].+[\"“”»])[ \t\xa0]*(?P<dash>[―—–]|--)[ \t\xa0]*"
    r"(?P<name>" + _NAME_WORD + r"(?:[ \xa0]" + _NAME_WORD + r"){0,4})"
    r"(?P<tail>[ \t\xa0]*(?:[,(].*)?)",
    re.DOTALL,
)
_MARKS = "\"“”«»'‘’ \t\xa0"

Span = tuple[int, int]


def _inner(text: str, start: int, end: int) -> Span:
    """``start, end`` without spaces and quotation marks at either end."""
    return strip_span(text, start, end, _MARKS)


def _paragraph_matches(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The paragraphs of ``text`` that ``pattern`` matches whole (edge white space aside)."""
    for start, end in paragraphs(text):
        match = pattern.fullmatch(text, *strip_span(text, start, end))
        if match is not None:
            yield match


def transcript_turns(text: str) -> list[tuple[Span, Span, Span]]:
    """``(source, cue, content)`` character spans of the transcript turns of ``text``."""
    turns = []
    for match in _paragraph_matches(text, _TURN):
        if match["name"].split()[0] in HEADINGS:
            continue
        content = _inner(text, match.start("body"), match.end("body"))
        if len(text[content[0] : content[1]].split()) < 2:
            continue
        turns.append((match.span("name"), match.span("colon"), content))
    return turns if len(turns) >= MIN_TURNS else []


def sign_offs(text: str) -> list[tuple[Span, Span, Span]]:
    """``(source, cue, content)`` character spans of the dash sign-offs of ``text``."""
    found = []
    for match in _paragraph_matches(text, _SIGN_OFF):
        name_start, name_end = match.span("name")
        if text[name_end - 1] == "." and match["tail"].strip() == "":
            name_end -= 1  # "― Carla Sanchez." ends the sentence, not the name
        content = _inner(text, match.start("quote"), match.end("quote"))
        if len(text[content[0] : content[1]].split()) < 3:
            continue
        found.append(((name_start, name_end), match.span("dash"), content))
    return found
