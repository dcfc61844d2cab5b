"""What a quantity measures, when it holds and who reports it, from the dependency parse.

* subject: the noun phrase the number measures: the subject of the verb whose object or
  complement holds the number (``Japan's arms exports stood at 21 million TIV``), the noun a
  quantity modifies (``a 5.2 litre engine``) or the base of a share (``5% of GDP``);
* time: a year or date expression in the same clause, else the nearest one in the sentence;
* source: the speaker of the claim whose content holds the fact, else the object of an
  ``according to`` in the same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

NOUNS = ("NOUN", "PROPN")
_CLIMB_DEPS = frozenset(
    "appos conj pobj prep npadvmod dobj attr acomp advmod nummod quantmod oprd dative pcomp "
    "amod compound nmod cc punct".split()
)
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_UP_CLAUSE_DEPS = frozenset({"conj", "xcomp", "ccomp", "advcl", "relcl", "acl", "pcomp"})
_NP_LEFT = frozenset({"det", "poss", "compound", "amod", "nmod", "nummod", "case", "quantmod"})
_NP_RIGHT_PREPS = frozenset({"of", "for"})
_STOP_PUNCT = frozenset({",", ";", ":", "(", ")", "—", "–", "-", '"', "“", "”"})
_STOP_DEPS = frozenset({"relcl", "acl", "appos", "cc", "conj", "advcl"})
_EDGE_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PART", "PRON"})
_RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})
_TIME_WORDS = re.compile(
    r"\b(?:\d{4}|today|yesterday|tomorrow|tonight|last|this|next|past|previous|ago|earlier|"
    r"later|recent|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
    r"march|april|may|june|july|august|september|october|november|december|quarter|spring|"
    r"summer|autumn|winter|now|currently)\b",
    re.IGNORECASE,
)
_SOURCE_ENTS = ("PERSON", "ORG", "GPE", "NORP")


@dataclass
class TimeAnchor:
    start: int
    end: int
    text: str


def fact_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters ``start:end``."""
    return doc.char_span(start, end, alignment_mode="expand")


def noun_phrase(token: Token, exclude: Span | None = None) -> str | None:
    """Text of the noun phrase headed by ``token``, without determiners and clauses."""
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
                add(child, depth + 1)
            elif child.i > tok.i and child.dep_ == "prep" and child.lower_ in _NP_RIGHT_PREPS:
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    keep.append(child)
                    add(objs[0], depth + 1)

    add(token, 0)
    doc = token.doc
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    if exclude is not None and lo <= exclude.end - 1 and exclude.start <= hi:
        if token.i < exclude.start:
            hi = exclude.start - 1
        elif token.i >= exclude.end:
            lo = exclude.end
        else:
            return None
    for i in range(token.i, hi + 1):
        if doc[i].text in _STOP_PUNCT or doc[i].dep_ in _STOP_DEPS:
            hi = i - 1
            break
    for i in range(token.i, lo - 1, -1):
        if doc[i].text in _STOP_PUNCT:
            lo = i + 1
            break
    while lo <= hi and (doc[lo].is_punct or doc[lo].pos_ in _EDGE_POS):
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].pos_ in _EDGE_POS):
        hi -= 1
    if lo > hi:
        return None
    text = doc[lo : hi + 1].text.strip()
    return text if re.search(r"[A-Za-z]", text) else None


def _subject_token(span: Span) -> Token | None:
    root = span.root
    head = root.head
    if (
        head.i >= span.end
        and head.pos_ in NOUNS
        and root.dep_
        in (
            "nummod",
            "compound",
            "amod",
            "nmod",
            "quantmod",
            "npadvmod",
        )
    ):
        return head
    token = root
    for _ in range(8):
        if token.dep_ == "pobj" and token.head.dep_ == "prep":
            prep = token.head
            if (
                prep.head.pos_ in NOUNS
                and prep.lower_ in ("of", "for", "in", "with")
                and not (span.start <= prep.head.i < span.end)
            ):
                return prep.head
        if token.dep_ in _SUBJECT_DEPS:
            return None
        if token.head is token or token.dep_ not in _CLIMB_DEPS:
            break
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            break
    verb = token
    for _ in range(6):
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            subj = subjects[0]
            if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            if span.start <= subj.i < span.end:
                return None
            return subj
        if verb.dep_ in _UP_CLAUSE_DEPS and verb.head is not verb:
            if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in NOUNS:
                return verb.head
            verb = verb.head
            continue
        break
    return None


def _fallback_subject(span: Span) -> Token | None:
    for ancestor in span.root.ancestors:
        if ancestor.pos_ not in ("VERB", "AUX"):
            continue
        for child in ancestor.children:
            if child.dep_ in _SUBJECT_DEPS and not (span.start <= child.i < span.end):
                if child.pos_ != "PRON":
                    return child
                if child.lower_ in _RELATIVE and ancestor.dep_ == "relcl":
                    return ancestor.head
    nouns = [
        t
        for t in span.sent
        if t.i < span.start and t.pos_ in NOUNS and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    ]
    return nouns[-1] if nouns else None


def subject_of(span: Span) -> tuple[str | None, Token | None]:
    """Subject phrase and its head token for the quantity at ``span``."""
    token = _share_base(span) or _subject_token(span)
    phrase = noun_phrase(token, exclude=span) if token is not None else None
    if phrase is None:
        token = _fallback_subject(span)
        phrase = noun_phrase(token, exclude=span) if token is not None else None
    return phrase, token if phrase is not None else None


def _share_base(span: Span) -> Token | None:
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ != "of":
        return None
    if not re.search(r"%|per ?cent|percent|pc\b|half|third|quarter", span.text, re.I):
        return None
    objs = [c for c in doc[span.end].children if c.dep_ == "pobj"]
    return objs[0] if objs else None


def time_anchors(doc: Doc, dates: Sequence[tuple[int, int]]) -> list[TimeAnchor]:
    """Date facts plus date entities that name a point or period in time."""
    anchors = [TimeAnchor(s, e, doc.text[s:e]) for s, e in dates]
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
        if token.head is token:
            return token
        token = token.head
    return token


def time_of(span: Span, anchors: Sequence[TimeAnchor]) -> str | None:
    """The time expression that anchors the quantity at ``span``."""
    sent = span.sent
    doc = span.doc
    options = [
        a
        for a in anchors
        if sent.start_char <= a.start < sent.end_char
        and not (a.start < span.end_char and span.start_char < a.end)
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

    return min(options, key=distance).text


def source_of(span: Span, claims: Sequence[dict[str, Any]] | None) -> tuple[str | None, int | None]:
    """Speaker and claim index of the claim holding the fact, else an ``according to``."""
    best: tuple[int, int] | None = None
    for i, claim in enumerate(claims or []):
        content = claim.get("content")
        if not content:
            continue
        cs, ce = int(content[0]), int(content[1])
        if cs <= span.start_char and span.end_char <= ce and (best is None or ce - cs < best[1]):
            best = (i, ce - cs)
    if best is not None and claims is not None:
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
        for ent in sent.ents:
            if ent.label_ in _SOURCE_ENTS and ent.start <= obj.i < ent.end:
                return re.sub(r"^the\s+", "", ent.text, flags=re.I)
        return noun_phrase(obj)
    return None
