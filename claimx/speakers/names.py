"""Token-level pieces shared by speaker resolution and acronym expansion: the marks that
end a possessive or join a hyphenated word, and a name stripped of its determiner."""

from __future__ import annotations

from spacy.tokens import Span

#: Possessive marks the tokenizer splits off a name ("RAND's", "Bankers'").
POSSESSIVE = ("'s", "’s", "'", "’")
#: Hyphens and dashes that join the parts of a word ("Inter-American", "co-author").
HYPHENS = ("-", "‐", "–")


def strip_det(span: Span) -> Span:
    """A name without its determiner, edge punctuation, possessive mark and an acronym
    in brackets left open ("the British Bankers' Association (BBA" gives "British
    Bankers' Association")."""
    while len(span) and (span[0].lower_ in ("the", "a", "an") or span[0].is_punct):
        span = span[1:]
    while len(span) and (span[-1].text in POSSESSIVE or span[-1].is_punct):
        span = span[:-1]
    opened = [t.i for t in span if t.text == "("]
    if opened and not any(t.text == ")" for t in span.doc[opened[-1] : span.end]):
        span = span.doc[span.start : opened[-1]]
        while len(span) and span[-1].is_punct:
            span = span[:-1]
    return span
