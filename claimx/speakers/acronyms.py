"""Acronyms an article defines, and the organization names they stand for.

News introduces a body once under its full name with the acronym in brackets ("the
Inter-American Development Bank (IADB) said") and then uses the acronym alone ("the IADB
said"). :func:`acronym_definitions` finds such definitions by matching the acronym's
letters to the initials of the capitalized words before the bracket, function words and
hyphenated word tails skipped (or read, as in "DfES": Department for Education and
Skills), so that a bracketed word that is no acronym of the words before it ("Zachary
(Cates)") defines nothing. :func:`name_aliases` maps the acronym, and any organization
entity that ends on the head word of an occurrence of the full name ("United Nations'
Economic Commission", the recognizer having stopped before "for Latin America and the
Caribbean"; not "Bank of England" in "Bank of England Monetary Policy Committee"), to the
full name the article defines: one speaker under one name, whatever the article calls it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .names import HYPHENS, POSSESSIVE, strip_det

#: Words an acronym may skip or take a letter from: "Office for National Statistics" (ONS),
#: "Department for Education and Skills" (DfES).
FUNCTION_WORDS = frozenset("of for and the on in to at de du des la le del &".split())
#: Two to eight letters, at least two of them capitals: "IADB", "DfES", "ECLAC".
_ACRONYM = re.compile(r"[A-Z][A-Za-z&]{1,7}")
_MAX_WORDS = 16  # tokens searched back from the bracket


def is_acronym(text: str) -> bool:
    """Whether ``text`` looks like an acronym: 2-8 letters, two or more of them capitals,
    capitals at least half of them."""
    if not _ACRONYM.fullmatch(text):
        return False
    capitals = sum(ch.isupper() for ch in text)
    return capitals >= 2 and 2 * capitals >= len(text)


def _expansion(doc: Doc, end: int, letters: str) -> int | None:
    """Start token of the words ending before token ``end`` whose initials spell
    ``letters`` (upper case), or None.

    Capitalized words must give the next letter; function words may give it or be
    skipped; hyphens, apostrophes and the lower-case tail of a hyphenated word
    ("Co-operation") are skipped. The first word must be a capitalized one.
    """
    lowest = max(0, end - _MAX_WORDS)

    def match(i: int, k: int) -> int | None:
        # tokens before i (exclusive) remain; letters[:k] remain to be spelled
        if k == 0:
            return i
        j = i - 1
        if j < lowest:
            return None
        token = doc[j]
        text = token.text
        if text in HYPHENS or text in POSSESSIVE:
            return match(j, k)
        if j > 0 and doc[j - 1].text in HYPHENS and token.is_lower:
            return match(j, k)  # "Co-operation": the tail of a hyphenated word
        if token.lower_ in FUNCTION_WORDS:
            skipped = match(j, k)
            if skipped is not None:
                return skipped
            if text[:1].upper() == letters[k - 1] and k > 1:
                return match(j, k - 1)
            return None
        if text[:1].isupper() and text[:1] == letters[k - 1]:
            return match(j, k - 1)
        return None

    # a function word never gives the first letter, so the expansion opens with a
    # capitalized word
    return match(end, len(letters))


def acronym_definitions(doc: Doc) -> dict[str, Span]:
    """Acronym -> the full name it is defined by, for each "Full Name (ACRONYM)" in
    ``doc`` (the first definition of each acronym)."""
    found: dict[str, Span] = {}
    for token in doc[2:-1]:
        i = token.i
        if (
            doc[i - 1].text != "("
            or doc[i + 1].text != ")"
            or token.text in found
            or not is_acronym(token.text)
        ):
            continue
        start = _expansion(doc, i - 1, token.text.upper())
        end = i - 1
        while start is not None and end > start and doc[end - 1].text in POSSESSIVE:
            end -= 1  # "Deutsche Boerse's (DB) shares": the name without its "'s"
        if start is not None:
            found[token.text] = doc[start:end]
    return found


def name_aliases(doc: Doc, definitions: dict[str, Span] | None = None) -> dict[str, str]:
    """Name -> the full name of the body it stands for: each defined acronym, and the text
    of each ORG entity whose last word is the head word of an occurrence of a defined full
    name ("United Nations' Economic Commission", "US Federal Communications Commission")."""
    definitions = acronym_definitions(doc) if definitions is None else definitions
    aliases: dict[str, str] = {}
    text = doc.text
    bodies = [ent for ent in doc.ents if ent.label_ == "ORG"]
    for acronym, full in definitions.items():
        name = full.text
        aliases.setdefault(acronym, name)
        for match in re.finditer(re.escape(name), text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None:
                continue
            for ent in bodies:
                if ent.end <= span.start or ent.start >= span.end:
                    continue
                words = strip_det(ent)
                if len(words) and words[-1].i == span.root.i and words.text != name:
                    aliases.setdefault(words.text, name)
    return aliases
