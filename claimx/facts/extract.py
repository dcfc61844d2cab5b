"""Find quantity candidates in a parsed Doc: value, unit, bound, range, trend, dates.

Numbers are found on the text (:func:`claimx.facts.numbers.find_numbers`), units right
after them (:func:`claimx.facts.units.match_unit`) or, for counted things, from the noun the
number modifies in the dependency parse. Numbers that are part of names (``F-35``,
``Article 9``, ``Boeing 737``), times of day, days of the month, ordinals, phone numbers and
street addresses are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..extensions import doc_text
from .numbers import SCALE_ABBREVIATIONS, SCALES, NumberMatch, find_numbers, parse_number
from .units import (
    MULTI_YEAR,
    TIME_UNITS,
    currency_before,
    lookup_unit_word,
    match_rate,
    match_unit,
    singular,
    us_suffix,
)

MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_MONTH_RE = "|".join(MONTHS)
LABEL_NOUNS = frozenset(
    "article category level phase stage type class grade number no chapter section room gate "
    "flight route page episode game round tier version series model unit channel week act "
    "verse item exhibit figure table appendix bus platform terminal apartment suite".split()
)
YEAR_CUES = frozenset(
    "in since by from until till before after during of early late mid between through to "
    "around circa about fiscal fy year years summer spring autumn fall winter "
    "and or the".split()
)

_LOWER_RE = re.compile(
    r"(?:more\s+than|over\s+than|over|at\s+least|above|upwards\s+of|in\s+excess\s+of|"
    r"greater\s+than|exceeding|exceeded|north\s+of|topping|beyond|as\s+many\s+as\s+over)\s*$"
)
_UPPER_RE = re.compile(
    r"(?:less\s+than|fewer\s+than|under|below|up\s+to|at\s+most|no\s+more\s+than|"
    r"a\s+maximum\s+of|maximum\s+of|not\s+exceeding|sub-?)\s*$"
)
_APPROX_RE = re.compile(
    r"(?:about|nearly|almost|around|some|roughly|approximately|approx\.?|circa|c\.|~|≈|"
    r"an\s+estimated|estimated|close\s+to|barely|an\s+average\s+of|averaging|average\s+of)\s*$"
)
_FILLER_RE = re.compile(r"(?:just|only|still|even|well|a\s+further|another|an\s+additional)\s*$")
_UP = (
    r"rose|rise|rises|rising|risen|up|gained|gains|gain|gaining|jumped|jumps|jump|jumping|"
    r"climbed|climbs|climb|climbing|advanced|advances|advance|advancing|increased|increases|"
    r"increase|increasing|surged|surges|surge|surging|soared|soars|soar|soaring|added|adds|"
    r"grew|grows|grow|growing|grown|boosted|boosts|lifted|rallied|rallies|rally|spiked|higher|"
    r"upward|upwards|expanded|expands|widened|accelerated"
)
_DOWN = (
    r"fell|falls|fall|falling|fallen|down|dropped|drops|drop|dropping|declined|declines|"
    r"decline|declining|lost|loses|lose|losing|slid|slides|slide|sliding|slipped|slips|slip|"
    r"plunged|plunges|plunge|plunging|plummeted|plummets|plummeting|tumbled|tumbles|tumble|"
    r"decreased|decreases|decrease|decreasing|eased|eases|ease|easing|shed|sheds|sank|sinks|"
    r"sink|cut|cuts|reduced|shrank|shrinks|shrink|contracted|slumped|slumps|dipped|dips|dip|"
    r"lower|retreated|trimmed|downward|downwards|narrowed|slowed"
)
_TREND_RE = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\s+(?:(?:by|from)\s+)?$")
_SUFFIX_BOUND_RE = re.compile(
    r"\s*(?:(?P<lower>\+|-?plus\b|or\s+more\b|or\s+above\b|and\s+above\b|and\s+up\b)|"
    r"(?P<upper>or\s+less\b|or\s+fewer\b|or\s+below\b)|(?P<approx>-?odd\b|or\s+so\b))"
)
_TIME_OF_DAY_RE = re.compile(r"\s*(?:[ap]\.?m\.?|AM|PM|a\.m|p\.m|GMT|BST|EST|EDT|PST|PDT|ET|PT)\b")
_CLOCK_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_PHONE_RE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\+\d{1,3}(?:\s\d{2,5}){2,4}"
)
_ADDRESS_RE = re.compile(
    r"\b\d+(?:[-–]\d+)?\s+(?:[A-Z][\w'’]*\.?\s+){0,3}(?:St|Street|Rd|Road|Ave|Avenue|Way|Lane|"
    r"Ln|Drive|Dr|Boulevard|Blvd|Place|Pl|Court|Ct|Terrace|Square|Sq|Highway|Hwy|Crescent|"
    r"Close|Parkway)\b\.?"
)
_DATE_DAY_RE = re.compile(
    rf"(?i:\b(?:{_MONTH_RE})\.?)\s+(?P<a>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:%|per))"
    rf"|\b(?P<b>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?i:(?:{_MONTH_RE}))\b"
)
_DECADE_RE = re.compile(
    r"\b(?P<num>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
    r"(?P<unit>decades?|century|centuries)\b",
    re.IGNORECASE,
)
_CONNECTOR_RE = re.compile(
    r"^\s*(?:(?P<dash>[-–—]|to-?)|(?P<and>and)|(?P<or>or)|(?P<by>by))\s*$", re.IGNORECASE
)
_TALLY_GAP_RE = re.compile(r"\s*(?:[-–]|[-–]?to[-–]?)\s*", re.IGNORECASE)
_VOTE_RE = re.compile(r"\bvot(?:e|es|ed|ing)\b[^.;]*$", re.IGNORECASE)
_POUNDS_RE = re.compile(r"[\s-]?pounds?\b", re.IGNORECASE)
SCALE_WORDS = frozenset(SCALES)
KEEP_PLURAL = frozenset({"people", "police", "staff", "personnel", "cattle", "data"})
RELATIVE_TIME = frozenset({"last", "next", "this", "coming", "same"})
_PARALLEL_WORDS = frozenset({"by", "to", "at", "from", "of", "with"})
_PERSON_PRONOUNS = frozenset({"he", "she", "i", "you", "we", "they"})
_PERSON_OBJECT_VERBS = frozenset(
    "kill injure wound hurt rescue arrest detain evacuate hospitalize hospitalise kidnap abduct "
    "execute stab murder displace infect".split()
)
_PERSON_SUBJECT_VERBS = frozenset("die drown perish survive".split())
_ONE_BLOCKERS = frozenset("each every any no the this that which someone anyone".split())


@dataclass
class Candidate:
    """A quantity found in text, before context (subject, time, source) is attached."""

    start: int
    end: int
    value: float
    upper: float | None = None
    unit: str | None = None
    kind: str = "count"
    bound: str = "exact"
    trend: str | None = None
    scale: float = 1.0
    currency: bool = False
    unit_from_noun: bool = False


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _PHONE_RE.finditer(text)]
    spans += [m.span() for m in _ADDRESS_RE.finditer(text)]
    spans += [m.span() for m in _CLOCK_RE.finditer(text)]
    for m in _DATE_DAY_RE.finditer(text):
        group = "a" if m.group("a") else "b"
        spans.append(m.span(group))
    return spans


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0]


def _before(text: str, start: int, chars: int) -> str:
    """The last ``chars`` characters before ``start``: enough for a search anchored at the
    end (``$``, which also matches before a final newline) of a match at most ``chars - 1``
    long, which on the whole of ``text[:start]`` took time in the length of the text for
    every number (quadratic on a long article)."""
    return text[max(0, start - chars) : start]


def _word_before_hyphen(text: str, start: int) -> str | None:
    """The word of ``re.search(r"(?P<word>[A-Za-z]+)-$", text[:start])``, found near
    ``start``: the whole prefix is searched only when the word reaches back 40 characters."""
    window = max(0, start - 40)
    found = re.search(r"(?P<word>[A-Za-z]+)-$", text[window:start])
    if found is not None and found.start() == 0 and window > 0:
        found = re.search(r"(?P<word>[A-Za-z]+)-$", text[:start])
    return found.group("word") if found is not None else None


def _is_name_number(
    doc: Doc, text: str, number: NumberMatch, has_unit: bool, currency: bool
) -> bool:
    start = number.start
    if currency:
        return False
    if re.search(r"[A-Za-z]$", _before(text, start, 2)):
        return True
    hyphen = _word_before_hyphen(text, start)
    if hyphen and not hyphen.islower():
        return True
    if re.search(r"[#№]$", _before(text, start, 2)):
        return True
    token = _token_at(doc, start)
    if token is None:
        return False
    if not has_unit and _model_number(doc, token, number):
        return True
    if token.i == 0:
        return False
    prev = doc[token.i - 1]
    if prev.idx + len(prev.text) > start or not re.fullmatch(
        r"\s+", text[prev.idx + len(prev) : start] or " "
    ):
        return False
    word = prev.text
    if word.lower() in LABEL_NOUNS and not has_unit and number.form == "digits":
        return True
    if has_unit or word.islower() or (prev.is_sent_start and prev.pos_ != "PROPN"):
        return False
    if word.lower().rstrip(".") in MONTHS or not re.search(r"[A-Za-z]", word):
        return False
    return prev.pos_ in ("PROPN", "NOUN", "ADJ", "X") or word.isupper()


def _model_number(doc: Doc, token: Token, number: NumberMatch) -> bool:
    """A plain number written before a singular capitalized name: ``the 787 Dreamliner``,
    ``two new 737 Max jets``, ``the 90049 ZIP Code``, ``1922 UTC``: a model, a code or a
    time, not an amount (a year before a name, ``the 1965 Voting Rights Act``, stays)."""
    if number.form != "digits" or not re.fullmatch(r"\d+", token.text):
        return False
    if token.i + 1 >= len(doc) or not token.whitespace_:
        return False
    nxt = doc[token.i + 1]
    if nxt.text in ("UTC", "GMT"):
        return True
    if 1500 <= number.value <= 2100:
        return False  # a year: ``the 2020 United States presidential election``
    return (
        nxt.tag_ == "NNP"
        and nxt.text[:1].isupper()
        and nxt.is_alpha
        and nxt.lower_ not in MONTHS
        and lookup_unit_word(nxt.text) is None
        and nxt.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL")
    )


def bound_before(text: str, start: int) -> tuple[str, int]:
    """The bound that the words before ``start`` state, and where those words begin."""
    return _bound(text, start)


def _bound(text: str, start: int) -> tuple[str, int]:
    tail = text[max(0, start - 40) : start].lower()
    for name, pattern in (("upper", _UPPER_RE), ("lower", _LOWER_RE), ("approx", _APPROX_RE)):
        match = re.search(r"(?:^|(?<=[\s(~≈]))" + pattern.pattern, tail)
        if match:
            return name, start - (len(tail) - match.start())
    return "exact", start


def _trend(text: str, start: int) -> str | None:
    tail = text[max(0, start - 40) : start].lower()
    tail = _FILLER_RE.sub("", tail)
    match = _TREND_RE.search(tail)
    if match is None:
        return None
    return "up" if match.group("up") else "down"


def _noun_unit(doc: Doc, head: Token, first: int, with_modifiers: bool) -> str | None:
    """Unit named by the noun ``head``, with the modifiers written from char ``first`` on."""
    if re.search(r"\d", head.text):
        return None
    found = lookup_unit_word(head.text)
    if found is not None and found[1] != "percent":
        return found[0]
    if head.tag_ in ("NNS", "NNPS") and head.pos_ == "PROPN" or head.lemma_ == head.text:
        lemma = singular(head.text) if head.tag_ in ("NNS", "NNPS") else head.text
    else:
        lemma = head.lemma_
    if head.lower_ in KEEP_PLURAL:
        lemma = head.text
    words = ""
    if with_modifiers and first < head.idx:
        words = doc_text(doc)[first : head.idx]
        mods = [t for t in doc[: head.i] if t.idx >= first]
        for t in mods:
            if t.pos_ == "ADJ" and t.lemma_ != t.lower_:
                words = words.replace(t.text, t.lemma_)
    unit = re.sub(r"\s+", " ", f"{words}{lemma}").strip(" -–").lower()
    return unit if re.search(r"[a-z]", unit) else None


def _counted_noun(doc: Doc, number_end: int, with_modifiers: bool) -> tuple[str, int] | None:
    token = _token_at(doc, number_end - 1)
    if token is None or token.i + 1 >= len(doc):
        return None
    head = token.head
    if not (
        token.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod")
        and head.i > token.i
        and head.pos_ in ("NOUN", "PROPN")
        and head.i - token.i <= 4
    ):
        nxt = doc[token.i + 1]
        if nxt.tag_ not in ("NNS", "NNPS") or nxt.idx - number_end > 1:
            return _of_noun(doc, token, with_modifiers)
        head = nxt
    between = [t for t in doc[token.i + 1 : head.i] if not t.is_punct]
    if any(t.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB") for t in between):
        return None
    if head.tag_ == "NNP" and token.like_num and token.text[:1].isdigit():
        return None
    found = lookup_unit_word(head.text)
    if found is not None and found[0] in TIME_UNITS:
        if any(t.lower_ in RELATIVE_TIME for t in between):
            return None
        return found[0], head.idx + len(head.text)
    first = doc[token.i + 1].idx
    unit = _noun_unit(doc, head, first, with_modifiers)
    return None if unit is None else (unit, head.idx + len(head.text))


def _of_noun(doc: Doc, token: Token, with_modifiers: bool) -> tuple[str, int] | None:
    """Unit of ``one of the best speakers``: the plural noun after ``of``."""
    if token.i + 1 >= len(doc):
        return None
    of = doc[token.i + 1]
    if of.lower_ != "of":
        return None
    objs = [c for c in of.children if c.dep_ == "pobj"]
    if not objs or objs[0].i - of.i > 5:
        return None
    noun = objs[0]
    found = lookup_unit_word(noun.text)
    if found is not None:
        return found[0], noun.idx + len(noun.text)
    if noun.tag_ not in ("NNS", "NNPS"):
        return None
    mods = [t for t in doc[of.i + 1 : noun.i] if t.dep_ in ("amod", "compound")]
    first = mods[0].idx if mods else noun.idx
    unit = _noun_unit(doc, noun, first, with_modifiers)
    return None if unit is None else (unit, noun.idx + len(noun.text))


def _year_like(doc: Doc, text: str, number: NumberMatch) -> bool:
    digits = text[number.start : number.end]
    if not re.fullmatch(r"\d{4}", digits):
        return False
    value = int(digits)
    if not 1000 <= value <= 2199:
        return False
    token = _token_at(doc, number.start)
    if token is None:
        return False
    if token.ent_type_ == "DATE":
        return True
    prev = text[max(0, number.start - 20) : number.start].lower().split()
    cue = prev[-1].strip("(,") if prev else ""
    if cue in YEAR_CUES or cue.rstrip(".") in MONTHS or re.fullmatch(r"\d{1,2},", cue):
        return value >= 1500 or cue not in ("the", "and", "or", "to")
    if not 1900 <= value <= 2100:
        return False
    return not (token.dep_ == "nummod" and token.head.tag_ in ("NNS", "NNPS"))


def _vote_tally(text: str, a: Candidate, b: Candidate) -> bool:
    """``voted 66 to 27``, ``the vote passed, 230-to-198``: two bare counts of votes, not a
    range (the larger written first, as tallies are)."""
    if a.unit is not None or b.unit is not None or a.kind != "count" or b.kind != "count":
        return False
    if a.scale != 1.0 or b.scale != 1.0 or not a.value.is_integer() or a.value < b.value:
        return False
    if not _TALLY_GAP_RE.fullmatch(text[a.end : b.start]):
        return False
    return _VOTE_RE.search(text[max(0, a.start - 60) : a.start]) is not None


def _merge_ranges(text: str, cands: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    for cand in cands:
        if out and _vote_tally(text, out[-1], cand):
            out[-1].unit = cand.unit = "vote"
            out[-1].unit_from_noun = cand.unit_from_noun = True
            out.append(cand)
            continue
        if out and _joinable(text, out[-1], cand):
            out[-1] = _join(text, out[-1], cand)
            continue
        out.append(cand)
    return [c for c in out if not (c.upper == c.value and c.unit is None)]


def _joinable(text: str, a: Candidate, b: Candidate) -> bool:
    if a.upper is not None or b.upper is not None and b.kind != "date":
        return False
    gap = text[a.end : b.start]
    if b.currency:
        gap = re.sub(r"(?:US\s?\$|HK\s?\$|[$£€¥]|Y=|RM|PS|Rs\.?)\s*$", "", gap)
    connector = _CONNECTOR_RE.match(gap)
    if connector is None:
        return False
    if (a.kind == "date") != (b.kind == "date"):
        return False
    before = text[max(0, a.start - 30) : a.start].lower()
    if connector.group("and") and not re.search(r"between\s+(?:[$£€¥]|US\s?\$)?\s*$", before):
        return False
    if connector.group("by"):
        return False
    if connector.group("or") and not (a.unit is None and b.value - a.value == 1):
        return False
    if connector.group("dash") and connector.group("dash").startswith("to"):
        if a.trend is not None and not re.search(r"from\s+\S*$", before):
            return False
        if re.search(r"\bby\s+\S*$", before) and a.unit is not None:
            return False
    elif connector.group("dash") and "-" in gap and not gap.strip():
        return False
    if a.unit is None or b.unit is None or a.unit == b.unit:
        return True
    return a.unit.startswith(b.unit) or b.unit.startswith(a.unit)


def _join(text: str, a: Candidate, b: Candidate) -> Candidate:
    a_value = a.value
    if a.scale == 1.0 and b.scale != 1.0 and abs(a_value) <= abs(b.value / b.scale):
        a_value *= b.scale
    unit = b.unit if b.unit and (a.unit is None or len(b.unit) >= len(a.unit)) else a.unit
    kind = b.kind if b.unit else a.kind
    trend = a.trend or b.trend
    if trend is None and b.kind in ("percent", "money", "quantity"):
        trend = _trend(text, _bound(text, a.start)[1])
    if (
        trend is None
        and a.kind != "date"
        and re.search(r"from\s+\S*$", text[max(0, a.start - 30) : a.start].lower())
    ):
        tail = text[max(0, a.start - 60) : a.start].lower()
        match = _TREND_RE.search(re.sub(r"\s*from\s+\S*$", " ", tail).rstrip() + " ")
        if match:
            trend = "up" if match.group("up") else "down"
    return Candidate(
        start=a.start,
        end=b.end,
        value=a_value,
        upper=b.value,
        unit=unit,
        kind=kind,
        bound="range",
        trend=trend,
        scale=b.scale,
        currency=a.currency or b.currency,
    )


def find_candidates(
    doc: Doc, *, count_unit_modifiers: bool = True, age_unit: str = "year of age"
) -> list[Candidate]:
    """All quantity candidates of ``doc``, in text order, ranges joined.

    Ages (``a 36-year-old man``, ``Maddon, 66,``) get ``age_unit``: NewsQuant's ``year of
    age`` (a quantity), or RECORDS.md's ``year`` (a duration).
    """
    text = doc_text(doc)
    excluded = _excluded_spans(text)
    cands: list[Candidate] = []
    for number in find_numbers(text):
        if any(s <= number.start < e for s, e in excluded):
            continue
        cand = _candidate(doc, text, number, count_unit_modifiers)
        if cand is not None:
            cands.append(cand)
    for m in _DECADE_RE.finditer(text):
        if any(c.start <= m.start() < c.end or m.start() <= c.start < m.end() for c in cands):
            cands = [c for c in cands if not (m.start() <= c.start < m.end())]
        num = m.group("num").lower()
        count = 1.0 if num in ("a", "an", "one") else None
        if count is None:
            count = parse_number(num)
        if count is None:
            continue
        value = count * MULTI_YEAR[m.group("unit").lower()]
        bound, start = _bound(text, m.start())
        cands.append(
            Candidate(
                start if bound != "exact" else m.start(),
                m.end(),
                value,
                unit="year",
                kind="duration",
                bound=bound,
            )
        )
    cands.sort(key=lambda c: c.start)
    if age_unit != "year of age":
        for cand in cands:
            if cand.unit == "year of age":
                cand.unit = age_unit
                cand.kind = "duration" if age_unit in TIME_UNITS else "quantity"
    return _inherit_trends(doc, _inherit_units(doc, _suspended(text, _merge_ranges(text, cands))))


_SUSPENDED_GAP_RE = re.compile(r"-\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)", re.IGNORECASE)


def suspended_hyphen(text: str, a: Candidate, b: Candidate) -> bool:
    """Whether ``a`` is a number with a suspended hyphen that ``b`` completes: in ``four-,
    five- and six-cylinder engines`` the ``four-`` and ``five-`` count cylinders too."""
    return (
        a.upper is None
        and not a.currency
        and _SUSPENDED_GAP_RE.fullmatch(text[a.end : b.start]) is not None
    )


def _suspended(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Give numbers with a suspended hyphen the unit of the compound that ends their list
    (``two-, three- and four-bedroom flats``: bedrooms, all three)."""
    filled: set[int] = set()
    for i in range(len(cands) - 2, -1, -1):
        a, b = cands[i], cands[i + 1]
        if a.unit is not None or b.unit is None or not suspended_hyphen(text, a, b):
            continue
        if i + 1 in filled or re.search(r"-[A-Za-z]", text[b.start : b.end]):
            a.unit, a.kind, a.unit_from_noun = b.unit, b.kind, b.unit_from_noun
            filled.add(i)
    return cands


def _lead_word(text: str, cand: Candidate) -> str:
    """The word before a quantity and its bound words (``by`` in ``fell by about 2%``)."""
    _, start = _bound(text, cand.start)
    match = re.search(r"([A-Za-z]+)\W*$", text[max(0, start - 20) : start])
    return match.group(1).lower() if match else ""


def _inherit_units(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Give a bare number the unit of an earlier parallel quantity in its sentence.

    ``the DAX rose by 2 percent but the Nasdaq fell by 1``, ``ended at 1,463.78 points
    while the TA-125 ended at 1,334.20``, ``from 14 mpg to 24``: the bare number and the
    quantity with a unit follow the same preposition (or ``from ... to``). A bare number
    right after ``<quantity> to`` is the other side of a score or tally (``won by 12 points to
    10``).
    """
    text = doc_text(doc)
    for i, cand in enumerate(cands):
        if cand.unit is not None or cand.kind != "count":
            continue
        key = _lead_word(text, cand)
        if key not in _PARALLEL_WORDS:
            continue
        token = _token_at(doc, cand.start)
        if token is None:
            continue
        sent = token.sent
        options = []
        prev = cands[i - 1] if i else None
        if (
            key == "to"
            and prev is not None
            and prev.unit is not None
            and prev.upper is None
            and prev.trend is None
            and re.fullmatch(r"\s+to\s+", text[prev.end : cand.start])
        ):
            cand.unit, cand.kind, cand.unit_from_noun = prev.unit, prev.kind, prev.unit_from_noun
            continue
        for j, other in enumerate(cands[:i]):
            if (
                other.unit is None
                or other.unit_from_noun
                or other.kind not in ("percent", "quantity")
                or not (sent.start_char <= other.start < sent.end_char)
            ):
                continue
            lead = _lead_word(text, other)
            if lead == key or (key == "to" and lead == "from" and j == i - 1):
                options.append((abs(i - j), other))
        if options:
            other = min(options, key=lambda o: o[0])[1]
            cand.unit, cand.kind = other.unit, other.kind
            if cand.trend is None:
                cand.trend = _trend(text, _bound(text, cand.start)[1])
    return cands


def _candidate(doc: Doc, text: str, number: NumberMatch, with_modifiers: bool) -> Candidate | None:
    start, end, value = number.start, number.end, number.value
    after = text[end : end + 12]
    if number.form == "digits":
        if re.match(r"(?:st|nd|rd|th)\b", after) or _TIME_OF_DAY_RE.match(after):
            return None
        if re.match(r"[:.]\d", after) or re.search(r"\d[:/]$", _before(text, start, 3)):
            return None
    currency = currency_before(text, start)
    base = _base_value(text[start:end])
    scale = value / base if base else 1.0
    if number.abbrev in ("m", "b") and currency is not None:
        abbrev_match = re.match(r"\s?[mMbB]\b", text[end:])
        if abbrev_match:
            factor = SCALE_ABBREVIATIONS[number.abbrev]
            value *= factor
            scale *= factor
            end += abbrev_match.end()
    unit_match = match_unit(text, end)
    if unit_match is not None and unit_match.unit == "penny" and currency is not None:
        unit_match = None
    has_unit = currency is not None or unit_match is not None
    if number.form in ("digits", "words") and _is_name_number(
        doc, text, number, has_unit, currency is not None
    ):
        return None
    if number.form == "words" and not _word_number_ok(doc, text, number):
        return None
    cand = Candidate(start, end, value, upper=number.upper, scale=scale)
    if number.upper is not None:
        cand.bound = "range"
    if currency is not None:
        cand.currency = True
        cand.start = currency[1]
        cand.unit, cand.kind = currency[0], "money"
        rate = match_rate(text, end)
        end = us_suffix(text, end)
        if rate is not None:
            cand.unit, end = f"{currency[0]} per {rate.unit}", rate.end
        elif unit_match is not None and unit_match.kind == "money":
            end = unit_match.end
        cand.end = end
    elif unit_match is not None:
        cand.unit, cand.kind, cand.end = unit_match.unit, unit_match.kind, unit_match.end
    else:
        pounds = _POUNDS_RE.match(text, end)
        if pounds:
            money = scale != 1.0
            cand.unit, cand.kind = ("GBP", "money") if money else ("pound-mass", "quantity")
            cand.end = pounds.end()
        elif number.form == "fraction":
            token = _token_at(doc, end - 1)
            noun = _of_noun(doc, token, False) if token is not None else None
            if noun is not None and lookup_unit_word(noun[0]) is not None:
                cand.unit, cand.end = noun
                cand.kind = "quantity"
        else:
            if re.match(r"s\b", after) and _year_like(doc, text, number):
                cand.kind, cand.unit, cand.bound = "date", "year", "range"
                cand.upper = value + 9
                cand.end = end + 1
                return cand
            if re.match(r"[A-Za-z]", after):
                return None
            if _year_like(doc, text, number) and not cand.currency:
                cand.kind, cand.unit = "date", "year"
                return cand
            noun = _counted_noun(doc, end, with_modifiers)
            if noun is None and _is_age(doc, start, end, value):
                cand.unit, cand.kind = "year of age", "quantity"
            elif noun is None and _counts_people(doc, start, end):
                cand.unit, cand.unit_from_noun = "people", True
            elif noun is not None:
                cand.unit, cand.end, cand.unit_from_noun = noun[0], noun[1], True
                rate = match_rate(text, cand.end)
                if rate is not None:
                    cand.unit, cand.end = f"{cand.unit} per {rate.unit}", rate.end
    if cand.unit in TIME_UNITS:
        cand.kind = "duration"
    elif cand.unit_from_noun or cand.unit is None:
        cand.kind = "count"
    bound, bound_start = _bound(text, cand.start)
    if cand.bound == "exact" and bound != "exact":
        cand.bound = bound
    suffix = _SUFFIX_BOUND_RE.match(text, cand.end)
    if suffix and cand.bound == "exact":
        cand.bound = next(k for k in ("lower", "upper", "approx") if suffix.group(k))
    if text[start] == "+" or (number.form == "digits" and re.search(r"\+\s*$", text[:start])):
        cand.trend = "up"
    elif cand.kind in ("percent", "money", "quantity"):
        cand.trend = _trend(text, bound_start if bound != "exact" else cand.start)
    return cand


def _inherit_trends(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Bounds and trends that the text states once for several quantities.

    A conversion in brackets or after a slash shares the bound and trend of the quantity it
    converts (``just under 296 hp (224 kW)``); ``by 2.6%`` with no verb of change takes the
    trend of the verb that ``by`` depends on (``grow sales by 35%``) or, when elided, of
    the previous quantity of the same kind in the sentence (``A was down 2.3%, B by 2.6%``).
    """
    text = doc_text(doc)
    for i, cand in enumerate(cands):
        if cand.kind == "date" or i == 0:
            continue
        prev = cands[i - 1]
        if prev.kind == "date":
            continue
        gap = text[prev.end : cand.start]
        if re.fullmatch(r"\s*[(/]\s*", gap):
            if cand.bound == "exact":
                cand.bound = prev.bound
            cand.trend = cand.trend or prev.trend
            continue
        if cand.trend is not None or _lead_word(text, cand) != "by":
            continue
        if cand.kind not in ("percent", "money", "quantity"):
            continue
        token = _token_at(doc, cand.start)
        if token is None:
            continue
        window = doc[max(0, token.i - 4) : token.i]
        by = next((t for t in reversed(window) if t.lower_ == "by"), None)
        if by is None:
            continue
        verb = by.head
        match = _TREND_RE.search(verb.lower_ + " ")
        if verb.pos_ == "VERB" or match:
            if match:
                cand.trend = "up" if match.group("up") else "down"
            continue
        same = [
            c
            for c in cands[:i]
            if c.kind == cand.kind and c.trend and c.start >= token.sent.start_char
        ]
        if same:
            cand.trend = same[-1].trend
    return cands


def _is_age(doc: Doc, start: int, end: int, value: float) -> bool:
    """A bare whole number that is someone's age: ``Maddon, 66,``, ``she will be 35``,
    ``aged 17``, ``at age 10``."""
    if not (value.is_integer() and 1 <= value <= 120):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span[0]
    head = token.head
    after = doc[token.i + 1].text if token.i + 1 < len(doc) else ""
    if token.i > 0 and doc[token.i - 1].lower_ in ("age", "aged") and after not in ("%", "per"):
        return True
    if token.dep_ == "appos" and head.pos_ == "PROPN" and after in (",", ")"):
        return head.ent_type_ not in ("ORG", "PRODUCT", "LAW", "EVENT", "FAC")
    if token.dep_ not in ("attr", "acomp", "dobj") or head.lemma_ not in ("be", "turn"):
        return False
    if after and doc[token.i + 1].pos_ in ("NOUN", "PROPN"):
        return False
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return False
    subj = subjects[0]
    return (
        subj.lower_ in _PERSON_PRONOUNS
        or subj.ent_type_ == "PERSON"
        or subj.lemma_.lower() in ("age", "expectancy")
    )


def _counts_people(doc: Doc, start: int, end: int) -> bool:
    """A bare number that stands for people: ``killing four``, ``35 were rescued``,
    ``three died``: the object or passive subject of a verb whose object is a person, or
    the subject of a verb whose subject is a person (RECORDS.md: ``people`` when the text
    leaves the counted noun out)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span[0]
    verb = token.head
    if verb.pos_ != "VERB" or any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return False
    if token.dep_ in ("dobj", "nsubjpass"):
        return verb.lemma_.lower() in _PERSON_OBJECT_VERBS
    return token.dep_ == "nsubj" and verb.lemma_.lower() in _PERSON_SUBJECT_VERBS


def _base_value(number_text: str) -> float | None:
    match = re.match(r"[-−+]?(?:minus[\s-]?)?([\d,]*\.?\d+)", number_text)
    if match is None:
        return None
    try:
        return float(match.group(1).replace(",", "")) or None
    except ValueError:
        return None


def _word_number_ok(doc: Doc, text: str, number: NumberMatch) -> bool:
    token = _token_at(doc, number.start)
    if token is None:
        return False
    words = text[number.start : number.end]
    if words.lower() in SCALE_WORDS:
        return False
    if re.match(r"[\s-]+(?:\$|£|€)?\d", text[number.end :]):
        return False
    if words.lower() == "one" and re.match(r"-[a-z]", text[number.end :]):
        return match_unit(text, number.end) is not None
    if words.lower() == "one":
        if token.tag_ != "CD":
            return False
        prev = doc[token.i - 1].lower_ if token.i > 0 else ""
        if prev in _ONE_BLOCKERS:
            return False
    if words[:1].isupper() and token.i + 1 < len(doc):
        nxt = doc[token.i + 1]
        first = token.is_sent_start or (
            token.i > 0
            and doc[token.i - 1].is_sent_start
            and doc[token.i - 1].is_punct
            and doc[token.i - 1].text not in "“\"'‘"
        )
        if nxt.text[:1].isupper() and nxt.pos_ == "PROPN" and not first:
            return False
    return True
