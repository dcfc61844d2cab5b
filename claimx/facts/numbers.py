"""Numeric expressions in running text: digits, scale words, number words and fractions.

:func:`parse_number` turns one expression into a float; :func:`find_numbers` scans a text
and returns every expression with its character span. Currency and units are not handled
here (see :mod:`claimx.facts.units`), except that :func:`parse_number` ignores a leading
currency symbol so that ``"$5bn"`` parses as 5e9.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "million": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "billion": 1e9,
    "trillion": 1e12,
}
SCALE_ABBREVIATIONS = {
    "k": 1e3,
    "K": 1e3,
    "m": 1e6,
    "M": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "B": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
AMBIGUOUS_ABBREVIATIONS = frozenset({"m", "b"})
DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅛": 0.125}
PLURAL_SCALES = {
    "dozens": 12.0,
    "scores": 20.0,
    "hundreds": 1e2,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}

_WORD = "|".join(sorted([*ONES, *TENS, *SCALES, "dozen"], key=len, reverse=True))
_AFTER_SCALE = "|".join(f"(?<={w})" for w in ("hundred", "thousand", "million", "billion"))
_WORDNUM = rf"(?:{_WORD})(?:(?:[\s-]+|(?:{_AFTER_SCALE})\s+and\s+)(?:{_WORD}))*"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+)(?:\.\d+)?|\.\d+"
_SCALE_WORDS = "|".join(sorted(SCALES, key=len, reverse=True))
_ABBREV = "|".join(sorted(SCALE_ABBREVIATIONS, key=len, reverse=True))
_FRACTION_WORDS = "|".join(sorted(DENOMINATORS, key=len, reverse=True))

DIGIT_RE = re.compile(
    rf"(?P<sign>(?:\bminus[\s-]?|(?<![A-Za-z\d])[-−](?=\d)|\+(?=\d))?)(?<![\d.])(?P<num>{_DIGITS})"
    rf"(?:\s*[×x]\s*10\^?(?P<exp>[-−]?\d+))?"
    rf"(?P<scale>(?:[\s-]*(?:{_SCALE_WORDS})\b)*)"
    rf"(?P<abbrev>(?:\s?(?:{_ABBREV}))(?![A-Za-z0-9]))?"
    rf"(?P<frac>\s*[½⅓⅔¼¾⅕⅛])?",
    re.IGNORECASE,
)
SLASH_FRACTION_RE = re.compile(r"(?<![\d/.,])(?P<num>\d+)\s*[/⁄](?P<den>\d+)(?![\d/])")
WORD_RE = re.compile(
    rf"\b(?P<sign>minus[\s-]?)?(?P<a>an?\s+(?=hundred|thousand|million|billion|dozen))?"
    rf"(?P<words>{_WORDNUM})"
    rf"(?P<half>\s+and\s+a\s+half)?\b",
    re.IGNORECASE,
)
WORD_FRACTION_RE = re.compile(
    rf"\b(?P<num>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d+)[\s-]+"
    rf"(?P<den>{_FRACTION_WORDS})\b",
    re.IGNORECASE,
)
HALF_RE = re.compile(r"\bhalf\b(?=\s+(?:of|the|a|an|its|their|his|her|our|that|those)\b)", re.I)
PLURAL_RE = re.compile(
    r"\b(?:(?P<tens>tens|hundreds)\s+of\s+)?(?P<plural>dozens|scores|hundreds|thousands|"
    r"millions|billions|trillions)(?=\s+of\b)",
    re.IGNORECASE,
)
OUT_OF_RE = re.compile(
    rf"\b(?P<num>{_WORDNUM}|\d+)\s+(?:out\s+of|in)\s+(?P<den>{_WORDNUM}|\d+)\b(?!\s*%)",
    re.IGNORECASE,
)


@dataclass
class NumberMatch:
    """A numeric expression found in text; ``upper`` is set for vague plurals."""

    start: int
    end: int
    value: float
    upper: float | None = None
    form: str = "digits"
    abbrev: str | None = None


def _digits_value(text: str) -> float:
    text = text.replace(",", "")
    return float(text)


def parse_words(text: str) -> float | None:
    """Value of number words: ``"three hundred and twelve"``, ``"twenty-one"``, ``"a dozen"``."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an"):
        words = ["one", *words[1:]] if len(words) > 1 else []
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        if word in ONES:
            current += ONES[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            try:
                current += float(word.replace(",", ""))
            except ValueError:
                return None
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> float | None:
    """Parse one numeric expression; ``None`` when ``text`` is not one.

    Handles digits with separators and decimals, signs (``-``, ``minus``), scale words and
    abbreviations (``1.13 billion``, ``$5bn``, ``£3.2m``, ``2.5k``, ``3 crore``), number
    words, fractions (``1/16``, ``two-thirds``, ``half``, ``½``) and ``"hundreds"``-style
    plurals (their lower end).
    """
    text = text.strip()
    text = re.sub(r"^(?:US\$|[$£€¥₹])\s*", "", text)
    if not text:
        return None
    low = text.lower()
    if low in ("half", "a half"):
        return 0.5
    match = WORD_FRACTION_RE.fullmatch(text)
    if match:
        num = match.group("num").lower()
        numerator = 1.0 if num in ("a", "an") else parse_number(num)
        if numerator is None:
            return None
        return numerator / DENOMINATORS[match.group("den").lower()]
    match = SLASH_FRACTION_RE.fullmatch(text)
    if match and int(match.group("den")):
        return int(match.group("num")) / int(match.group("den"))
    plural = re.fullmatch(
        r"(?:(tens|hundreds)\s+of\s+)?(dozens|scores|hundreds|thousands|millions|billions|"
        r"trillions)",
        low,
    )
    if plural:
        base = PLURAL_SCALES[plural.group(2)]
        return base * (10.0 if plural.group(1) == "tens" else 100.0 if plural.group(1) else 1.0)
    match = DIGIT_RE.fullmatch(text)
    if match:
        return _digit_match_value(match, allow_ambiguous=True)
    match = WORD_RE.fullmatch(text)
    if match:
        return _word_match_value(match)
    return None


def _digit_match_value(match: re.Match[str], allow_ambiguous: bool) -> float:
    value = _digits_value(match.group("num"))
    if match.group("exp"):
        value *= 10.0 ** int(match.group("exp").replace("−", "-"))
    for word in re.findall(r"[a-z]+", (match.group("scale") or "").lower()):
        value *= SCALES[word]
    abbrev = (match.group("abbrev") or "").strip()
    if abbrev and (allow_ambiguous or abbrev not in AMBIGUOUS_ABBREVIATIONS):
        value *= SCALE_ABBREVIATIONS.get(abbrev, SCALE_ABBREVIATIONS.get(abbrev.lower(), 1.0))
    if match.group("frac"):
        value += VULGAR[match.group("frac").strip()]
    if match.group("sign").strip() and match.group("sign").strip() != "+":
        value = -value
    return value


def _word_match_value(match: re.Match[str]) -> float | None:
    value = parse_words(match.group("words"))
    if value is None:
        return None
    if match.group("half"):
        value += 0.5
    if match.group("sign"):
        value = -value
    return value


def find_numbers(text: str) -> list[NumberMatch]:
    """Every numeric expression in ``text``, left to right, without overlaps.

    Ambiguous abbreviations (``m`` metre or million, ``b``) are reported in ``abbrev`` and
    not applied; the caller decides with the currency context.
    """
    found: list[NumberMatch] = []
    for m in DIGIT_RE.finditer(text):
        abbrev = (m.group("abbrev") or "").strip() or None
        end = m.end()
        if abbrev in AMBIGUOUS_ABBREVIATIONS:
            end = m.end("abbrev") - len(m.group("abbrev"))
            if m.group("frac"):
                end = m.end()
        found.append(
            NumberMatch(m.start(), end, _digit_match_value(m, False), abbrev=abbrev, form="digits")
        )
    for m in SLASH_FRACTION_RE.finditer(text):
        denominator = int(m.group("den"))
        if denominator and int(m.group("num")) < denominator:
            share = int(m.group("num")) / denominator
            found.append(NumberMatch(m.start(), m.end(), share, form="fraction"))
    for m in WORD_FRACTION_RE.finditer(text):
        num = m.group("num").lower()
        if num in ("a", "an") and not re.match(r"\s+of\b", text[m.end() :]):
            continue
        numerator = 1.0 if num in ("a", "an") else parse_number(num)
        if numerator is not None:
            share = numerator / DENOMINATORS[m.group("den").lower()]
            found.append(NumberMatch(m.start(), m.end(), share, form="fraction"))
    for m in HALF_RE.finditer(text):
        found.append(NumberMatch(m.start(), m.end(), 0.5, form="fraction"))
    for m in OUT_OF_RE.finditer(text):
        top, den = parse_number(m.group("num")), parse_number(m.group("den"))
        if top is not None and den and top < den <= 100:
            found.append(NumberMatch(m.start(), m.end(), top / den, form="fraction"))
    for m in PLURAL_RE.finditer(text):
        base = PLURAL_SCALES[m.group("plural").lower()]
        tens = (m.group("tens") or "").lower()
        base *= 10.0 if tens == "tens" else 100.0 if tens else 1.0
        found.append(NumberMatch(m.start(), m.end(), base, upper=base * 10, form="plural"))
    for m in WORD_RE.finditer(text):
        worded = _word_match_value(m)
        if worded is not None:
            found.append(NumberMatch(m.start(), m.end(), worded, form="words"))
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    kept: list[NumberMatch] = []
    for number in found:
        if kept and number.start < kept[-1].end:
            continue
        kept.append(number)
    return _merge_digit_words(text, kept)


def _merge_digit_words(text: str, numbers: list[NumberMatch]) -> list[NumberMatch]:
    """Join ``"4 hundred million"``: digits followed by scale words parsed as words."""
    out: list[NumberMatch] = []
    for number in numbers:
        if (
            out
            and out[-1].form == "digits"
            and number.form == "words"
            and re.fullmatch(r"\s+", text[out[-1].end : number.start])
        ):
            words = text[number.start : number.end].lower().split()
            if words and all(w in SCALES for w in words):
                prev = out[-1]
                scale = 1.0
                for w in words:
                    scale *= SCALES[w]
                out[-1] = NumberMatch(prev.start, number.end, prev.value * scale, form="digits")
                continue
        out.append(number)
    return out
