"""Propose the central contested proposition of an article when the caller gives no target.

Rules, in order:

1. A yes/no question the article itself asks (outside any quote or claim), turned into a
   statement when its subject can be found ("Will Japan be able to compete?" -> "Japan will
   be able to compete"), else kept as a question. When there are several, the one whose
   words the claims share most.
2. The claim content that the most distinct speakers speak to (shared content words), when
   at least two speakers do.
3. The headline: the first sentence of at least five words that is not a credit line.

Only the first :data:`MAX_TARGET_CLAIMS` claims count as support (rules 1 and 2) and as
candidates (rule 2): far more than a news article holds, and it keeps the proposal for a
huge text (a 5 MB article has some 75,000 claims) from growing with the square of its length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..attribution.quotes import find_quotes
from ..extensions import doc_text
from ..intervals import Intervals
from .cues import content_stems

AUXILIARIES = frozenset(
    "will would can could should shall may might must is are was were am do does did has have "
    "had".split()
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"\u201d\u2019]?|$)")
#: Claims that ``propose_target`` reads: support for a proposition and candidates for one.
MAX_TARGET_CLAIMS = 1_000
#: What ``propose_target`` strips from the ends of a claim content it proposes.
CLAIM_EDGES = ' ,"\u201c\u201d'


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


def sentence_at(sents: Sequence[Sentence], starts: Sequence[int], pos: int) -> Sentence | None:
    """The sentence of ``sents`` (in order, not overlapping, as :func:`sentences` gives
    them) that holds character ``pos``, or ``None``; ``starts`` are their start characters.

    >>> sents = [Sentence(0, 3, "Hi."), Sentence(4, 7, "Yo.")]
    >>> sentence_at(sents, [0, 4], 5), sentence_at(sents, [0, 4], 3)
    (Sentence(start=4, end=7, text='Yo.'), None)
    """
    i = bisect_right(starts, pos) - 1
    return sents[i] if i >= 0 and pos < sents[i].end else None


def _quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """The doc's quotations (marks included): ``claimx_attribution``'s, or paired here."""
    found = doc._.get("claimx_quotes") if doc.has_extension("claimx_quotes") else None
    if found is None:
        found = [q.outer for q in find_quotes(doc_text(doc))]
    return [(int(a), int(b)) for a, b in found]


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


class Support:
    """How many distinct speakers speak to a text: those of the claims that share at least
    two content stems with it.

    Claims with the same stems are kept once (with all their speakers), and an inverted
    index from stem to those stem sets finds the ones a text shares stems with, so that a
    text is not compared with every claim.
    """

    def __init__(self, claim_stems: Iterable[tuple[str, set[str]]]) -> None:
        self.speakers: list[set[str]] = []  # per distinct stem set
        self.index: dict[str, list[int]] = {}
        groups: dict[frozenset[str], int] = {}
        for speaker, stems in claim_stems:
            key = frozenset(stems)
            group = groups.get(key)
            if group is None:
                group = groups[key] = len(self.speakers)
                self.speakers.append(set())
                for stem in key:
                    self.index.setdefault(stem, []).append(group)
            self.speakers[group].add(speaker)

    def count(self, text: str, exclude: str | None = None) -> int:
        """Distinct speakers, ``exclude`` left out, of the claims sharing two stems with
        ``text``."""
        shared: Counter[int] = Counter()
        for stem in content_stems(text):
            shared.update(self.index.get(stem, ()))
        speakers: set[str] = set()
        for group, count in shared.items():
            if count >= 2:
                speakers |= self.speakers[group]
        if exclude is not None:
            speakers.discard(exclude)
        return len(speakers)


def propose_target(
    doc: Doc, claims: Sequence[dict] | None = None, sents: list[Sentence] | None = None
) -> str | None:
    """The proposed stance target of ``doc``, or ``None`` for a doc with no usable sentence.

    ``claims`` default to ``doc._.claimx_claims``; ``sents`` to :func:`sentences`. Only the
    first :data:`MAX_TARGET_CLAIMS` claims support a proposition or are one.
    """
    claims = list(claims if claims is not None else doc._.claimx_claims or [])
    text = doc_text(doc)
    read = claims[:MAX_TARGET_CLAIMS]
    speakers = [c.get("speaker") or f"#{i}" for i, c in enumerate(read)]
    contents = [text[c["content"][0] : c["content"][1]] for c in read]
    support: Support | None = None
    sents = sentences(doc) if sents is None else sents
    in_claims: Intervals | None = None
    quotes: Intervals | None = None
    questions = []
    asked: dict[str, int] = {}  # support of each question text
    for sent in sents:
        if not sent.text.rstrip().endswith("?"):
            continue
        if in_claims is None or quotes is None:
            in_claims = Intervals(c["content"] for c in claims)
            quotes = Intervals(_quote_spans(doc))
        # Not inside a claim, not begun inside a quotation.
        if in_claims.overlaps(sent.start, sent.end) or quotes.overlaps(sent.start, sent.start):
            continue
        if not is_yes_no(sent.text):
            continue
        span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
        statement = question_to_statement(sent.text, span) or sent.text.strip().rstrip("?")
        if sent.text not in asked:
            if support is None:
                support = Support(zip(speakers, map(content_stems, contents), strict=True))
            asked[sent.text] = support.count(sent.text)
        questions.append((statement, asked[sent.text]))
    if questions:
        return max(questions, key=lambda q: q[1])[0]
    if support is None:
        support = Support(zip(speakers, map(content_stems, contents), strict=True))
    best: tuple[int, str] | None = None
    seen: set[tuple[str, str]] = set()  # a repeated claim has the support it had before
    for speaker, whole in zip(speakers, contents, strict=True):
        content = whole.strip(CLAIM_EDGES)
        if (content, speaker) in seen:
            continue
        seen.add((content, speaker))
        count = 1 + support.count(content, exclude=speaker)
        if count >= 2 and (best is None or count > best[0]):
            best = (count, content)
    if best is not None:
        return best[1]
    for sent in sents:
        words = sent.text.split()
        if len(words) >= 5 and "|" not in sent.text:
            return sent.text.strip()
    return None
