"""Propose the central contested proposition of an article when the caller gives no target.

Rules, in order:

1. A yes/no question the article itself asks (outside any quote or claim), turned into a
   statement when its subject can be found ("Will Japan be able to compete?" -> "Japan will
   be able to compete"), else kept as a question. When there are several, the one whose
   words the claims share most.
2. The claim content that the most distinct speakers speak to (shared content words), when
   at least two speakers do.
3. The headline: the first sentence of at least five words that is not a credit line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..attribution.quotes import find_quotes
from ..extensions import doc_text
from .cues import content_stems

AUXILIARIES = frozenset(
    "will would can could should shall may might must is are was were am do does did has have "
    "had".split()
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"\u201d\u2019]?|$)")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(doc: Doc) -> list[Sentence]:
    """Sentences of ``doc``: spaCy's when the doc has them, a punctuation split otherwise."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents if s.text.strip()]
    out = []
    for match in _SENTENCE.finditer(doc_text(doc)):
        text = match.group()
        stripped = text.strip()
        if stripped:
            start = match.start() + text.index(stripped)
            out.append(Sentence(start, start + len(stripped), stripped))
    return out


def _quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """The doc's quotations (marks included): ``claimx_attribution``'s, or paired here."""
    found = doc._.get("claimx_quotes") if doc.has_extension("claimx_quotes") else None
    if found is None:
        found = [q.outer for q in find_quotes(doc_text(doc))]
    return [(int(a), int(b)) for a, b in found]


def _inside_claim(sentence: Sentence, claims: Sequence[dict]) -> bool:
    for claim in claims:
        s, e = claim["content"]
        if s < sentence.end and sentence.start < e:
            return True
    return False


def question_to_statement(question: str, span: Span | None = None) -> str | None:
    """Turn a yes/no question into a statement; ``None`` for other questions.

    With a parsed ``span`` the subject is its ``nsubj`` subtree; without one, the run of
    capitalized words after the auxiliary (``None`` when there is no such run).
    """
    words = question.strip().rstrip("?").split()
    if not is_yes_no(question):
        return None
    aux = words[0].lower()
    if span is not None and len(span) and span.doc.has_annotation("DEP"):
        subjects = [t for t in span if t.dep_ in ("nsubj", "nsubjpass", "expl")]
        if subjects and subjects[0].i > span.start:
            subj = subjects[0]
            left, right = subj.left_edge.i, subj.right_edge.i + 1
            subject = span.doc[left:right].text
            end = span.end - 1 if span[-1].text == "?" else span.end
            between = span.doc[span.start + 1 : left].text
            parts = [subject, aux, between, span.doc[right:end].text]
            return _sentence_case(" ".join(p for p in parts if p))
    count = 0
    while 1 + count < len(words) and words[1 + count][:1].isupper():
        count += 1
    if count == 0:
        return None
    subject = " ".join(words[1 : 1 + count])
    return _sentence_case(" ".join([subject, aux, *words[1 + count :]]))


def is_yes_no(question: str) -> bool:
    """Whether ``question`` opens with an auxiliary ("Will ...?", "Is ...?")."""
    words = question.split()
    return len(words) >= 3 and words[0].lower() in AUXILIARIES and question.rstrip().endswith("?")


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def _support(text: str, claim_stems: Sequence[tuple[str | None, set[str]]]) -> int:
    stems = content_stems(text)
    speakers = {speaker for speaker, other in claim_stems if len(stems & other) >= 2}
    return len(speakers)


def propose_target(
    doc: Doc, claims: Sequence[dict] | None = None, sents: list[Sentence] | None = None
) -> str | None:
    """The proposed stance target of ``doc``, or ``None`` for a doc with no usable sentence.

    ``claims`` default to ``doc._.claimx_claims``; ``sents`` to :func:`sentences`.
    """
    claims = list(claims if claims is not None else doc._.claimx_claims or [])
    text = doc_text(doc)
    claim_stems = [
        (c.get("speaker") or f"#{i}", content_stems(text[c["content"][0] : c["content"][1]]))
        for i, c in enumerate(claims)
    ]
    sents = sentences(doc) if sents is None else sents
    quotes = _quote_spans(doc)
    questions = []
    for sent in sents:
        if not sent.text.rstrip().endswith("?") or _inside_claim(sent, claims):
            continue
        if any(a < sent.start < b for a, b in quotes):
            continue
        if not is_yes_no(sent.text):
            continue
        span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
        statement = question_to_statement(sent.text, span) or sent.text.strip().rstrip("?")
        questions.append((statement, _support(sent.text, claim_stems)))
    if questions:
        return max(questions, key=lambda q: q[1])[0]
    best: tuple[int, str] | None = None
    for claim, (speaker, _) in zip(claims, claim_stems, strict=True):
        content = text[claim["content"][0] : claim["content"][1]].strip(' ,"\u201c\u201d')
        others = [(s, st) for s, st in claim_stems if s != speaker]
        support = 1 + _support(content, others)
        if support >= 2 and (best is None or support > best[0]):
            best = (support, content)
    if best is not None:
        return best[1]
    for sent in sents:
        words = sent.text.split()
        if len(words) >= 5 and "|" not in sent.text:
            return sent.text.strip()
    return None
