"""Combine the rules' attribution frames with the tagger's SOURCE / CUE / CONTENT spans.

The rules are precise on direct quotes and on the frames they are confident about; the
tagger finds far more attributions (beliefs, reports, documents) and draws PolNeAR's
boundaries. The merge:

1. keeps every rule claim that is a direct quote or reaches ``rule_confidence``; a weaker
   rule claim is kept only when a tagger CONTENT span overlaps it; a tagger CONTENT span
   counts as the rule claim's (and makes no claim of its own) when more than ``covered``
   of it, or of one of its sentences, lies inside the rule's content ("X said A, adding
   that B": the tagger's B, mostly outside a rule content "A, adding", still becomes a
   claim; a span that runs over two sentences, one of them a rule's, does not);
2. where a kept rule claim overlaps a tagger CONTENT span, takes the content boundaries of
   the side named for that kind (``direct_content`` / ``indirect_content``), and the cue and
   source of the side named by ``cue_from`` / ``source_from`` when the tagger has one near.
   The tagger's source replaces the rule's only where its phrase holds the rule's mention;
   its cue replaces the rule's where it holds it, and (``cue_override``) wherever they
   differ, except for the rules that find the speaker through their own cue ("Hegseth's
   speech: '...'", "according to X"). Where the rule's cue lies inside the tagger's
   content (``nested``: the rule found "he thinks X" inside "She said he thinks X"),
   the tagger's whole frame wins: its content, cue and source (PolNeAR annotates the
   outer report); with ``nested`` off, a tagger content that holds the rule's cue and
   replaces the rule's content brings its source along ("X said that A leads them to
   believe B": X, not "them"; PolNeAR dev source exact +0.3);
3. turns every tagger CONTENT span that overlaps no rule claim into a new claim, with the
   nearest tagger CUE in the same sentence or the ``window`` sentences around it, and the
   tagger SOURCE nearest that cue; a span with neither a source nor a cue near is dropped
   (``sourceless=False``: one with no source is dropped). PolNeAR has source-less
   attributions ("..., the report says" with the source out of the sentence); the cue
   keeps a stray content span ("In 2023") out. A new claim whose content is a bare noun
   phrase (no verb, no quote marks: "congratulated Pelosi", "pointed to still-strict
   regulations"), a to-infinitive after a verb that neither speaks nor directs ("plan to
   address", "refused to hand over"; not "urged members to vote"), or whose cue is a verb
   that reports no speech or belief ("sentenced X to life", "banned X from flying") is
   dropped unless ``nominal``: PolNeAR annotates such contents, claimx's records
   (``RECORDS.md``: the reported clause) do not. A new claim whose content overlaps a kept
   claim's by half or more (of the longer) repeats it and is dropped.

A tagger content loses a trailing comment of the writer's after a comma (", which was one
of his campaign promises", ", signaling a clear shift ..."; ``comment``), as the rules'
clause contents do.

Tagger CONTENT spans below ``min_prob`` (mean tag probability) are not used, unless
``min_prob_framed`` is set lower: spans from ``min_prob_framed`` up to ``min_prob`` then
become new claims only with both a cue and a source near and no claim over them (0.4: on
PolNeAR dev source +0.9, cue +0.5, content exact -0.5, overlap -0.2; on train 150 +0.7,
+0.3, -0.1, 0.0; off by default, see :class:`MergeConfig`).

Claims keep claimx's conventions: direct content inside the quote marks, indirect content
without a leading "that", ``source`` the bare mention and ``source_phrase`` the full noun
phrase (PolNeAR's source extent, which the tagger predicts).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc, Span

from ..attribution.frames import bare_mention
from ..attribution.lexicon import DIRECTIVE_VERBS, PHRASAL_CUES, SPEECH_NOUNS, SPEECH_VERBS
from ..attribution.quotes import in_word, trim_edges
from ..extensions import doc_text
from ..intervals import Intervals
from ..speakers.resolve import has_word

Offsets = tuple[int, int]
QUOTE_MARKS = "\"“”‘’'«»`"
_COLON_QUOTE = re.compile(r":\s*([\"“‘«])")
_OWN_CUE_RULES = frozenset({"speech-noun-colon", "according-to"})
#: Lemmas that make a tagger cue a report (with ``nominal`` off, see :func:`_acts`).
_SPEAKING = SPEECH_VERBS | DIRECTIVE_VERBS
_REPORTING = _SPEAKING | SPEECH_NOUNS | set(PHRASAL_CUES) | {"according"}


@dataclass(frozen=True)
class TaggedSpan:
    """A tagger span: label, character offsets and mean tag probability."""

    label: str
    start: int
    end: int
    prob: float = 1.0


@dataclass
class MergeConfig:
    """Which side wins where rules and tagger meet (chosen on PolNeAR dev).

    With tagger v1 the rules' content boundaries beat the tagger's for direct and indirect
    claims on dev (content exact F1 +3). With v2.1 reading whole articles the tagger's win
    for indirect ones, cut to the rule claim's sentences (PolNeAR train150 content exact
    +2.7, dev +1.1; own corpus attributed-claim F1 -0.3, content strict +0.7), so
    ``indirect_content`` is "tagger" since 2026-12-05; direct quotes keep the rules' (the
    tagger's: dev -0.6). The tagger's cues and source phrases beat the rules' (+2 and +5).
    ``cue_override`` and ``covered`` were chosen on PolNeAR train (150 articles) and checked
    on dev. ``sourceless``, ``nested`` and ``min_prob_framed=0.4`` follow PolNeAR's
    annotation (every belief and report, sourceless ones too, the outer frame of a nested
    report): all three on, PolNeAR dev exact F1 rises by 1.1 / 1.2 / 0.1 (source / cue /
    content) and overlap by 1.2, but claimx's own corpus (RECORDS.md claims with a speaker)
    loses 5.7 points of attributed-claim F1 (65.1 -> 59.4), so they are off by default.
    ``nominal`` keeps the new claims whose content is a noun phrase, a to-infinitive after
    a verb that neither speaks nor directs, or a clause after a cue that reports nothing or
    after a passive cue with no agent; PolNeAR annotates them ("criticized the decision",
    "announced plans"). On (2026-12-06), PolNeAR dev exact F1 source / cue / content 78.1 /
    73.6 / 63.4 and overlap 76.4; with noun phrases off, 75.5 / 70.4 / 61.3 / 73.6, while
    claimx's own corpus gains 4.5 points of attributed-claim F1 (66.5 -> 71.0; infinitives
    off as well: 71.4; non-reporting cues off as well: 73.0 -> 74.1, PolNeAR dev 71.3 /
    66.6 / 59.2 / 69.8). Later the same day, with it off: a noun with its relative clause
    counts as a noun phrase ("proposed legislation that would ..."; own corpus 3 false
    alarms fewer, none missed; PolNeAR dev 70.4 / 66.1 / 58.8 / 69.0), and passive cues with
    no agent are dropped ("was charged with"; own corpus 3 false alarms fewer; PolNeAR dev
    70.4 / 66.0 / 58.8 / 69.0); PolNeAR's scheme is unchanged by both. Off by default
    (records hold reported clauses); :mod:`evaluation.polnear` turns it on to score PolNeAR
    in its own scheme.
    ``comment`` (2026-12-06), on new claims: PolNeAR dev content exact +0.1, own corpus
    content overlap +0.2; on the tagger boundaries a rule claim takes too: PolNeAR content
    exact -0.7, own corpus attributed-claim F1 -0.4 (not done).
    One at a time with tagger v2.1 (2026-12-05, model card): ``sourceless`` dev +0.3 cue,
    +0.6 overlap, own corpus -2.8; ``window=1`` dev content +0.3, overlap +0.7, source -0.3,
    own corpus -2.1; ``nested`` and ``min_prob_framed=0.4`` mixed on dev.
    ``recount`` (2026-12-06, tenth session): a rule claim that takes the tagger's content
    boundaries covers only the tagger contents inside them, so "He said [A] and said that
    [B]" (one rule content) gives two claims. ``bound_cues`` (same day): a tagger cue that a
    tagger content follows at once is that content's cue: it frames the claim of that
    content and no other, however near ("Rubio said that [A], whom he called [a con
    artist]": A's cue is "said"). Chosen on the first 150 train articles (exact source /
    cue / content, overlap: 81.3 / 75.2 / 66.0 / 79.1 -> 81.7 / 76.3 / 66.7 / 79.8), then
    dev: 79.8 / 74.5 / 64.9 / 77.0 -> 80.1 / 74.9 / 65.3 / 77.4. Where that cue replaces a
    rule cue elsewhere (the parse made a parenthetical "he said" the frame), the tagger's
    source goes with it: PolNeAR's scheme train150 source 82.2 -> 82.5, dev 80.5 -> 80.7;
    own corpus 2 speakers of 235 claims changed, expert name F1 83.9 -> 82.9. An -ing cue
    that a comma parts from a tagger content introduces it too ('told X that [A], adding,
    ["B"]': A keeps "told"): PolNeAR unchanged, own corpus attributed-claim F1 79.6 -> 79.7,
    content strict 79.4 -> 79.6.
    ``enclosed`` (2026-12-07, twelfth session): a claim whose content lies inside another
    claim's content with the same cue and source is dropped ('said the attack was
    "sickening"' gave a second claim for 'was "sickening"'; 4 in 300 BBC articles). On an
    AVX2 CPU (float32), train150 exact source / cue / content, overlap 82.4 / 77.8 / 67.7 /
    81.1 -> 82.4 / 77.8 / 67.9 / 81.3; dev 80.6 / 75.1 / 64.9 / 77.7 -> 80.6 / 75.1 / 65.0 /
    77.8; own corpus attributed-claim F1 80.0 -> 80.2, content strict 79.4 -> 79.6.
    """

    rule_confidence: float = 0.6
    direct_content: str = "rule"
    indirect_content: str = "tagger"
    cue_from: str = "tagger"
    source_from: str = "tagger"
    new_claims: bool = True
    min_prob: float = 0.6
    min_overlap: float = 0.3
    window: int = 0
    sourceless: bool = False
    cue_override: bool = True
    min_prob_framed: float = 0.6
    nested: bool = False
    tidy: bool = True
    covered: float = 0.5
    nominal: bool = False
    comment: bool = True
    bound_cues: bool = True
    recount: bool = True
    enclosed: bool = True

    def __post_init__(self) -> None:
        for name in ("direct_content", "indirect_content", "cue_from", "source_from"):
            if getattr(self, name) not in ("rule", "tagger"):
                raise ValueError(f"{name} must be 'rule' or 'tagger', not {getattr(self, name)!r}")


def _overlap(a: Offsets, b: Offsets) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    longest = max(a[1] - a[0], b[1] - b[0])
    return shared / longest if shared > 0 and longest > 0 else 0.0


_REFERRING = frozenset({"PRON", "PROPN", "NOUN", "NUM"})
_NOMINAL_HEADS = frozenset({"NOUN", "PROPN", "PRON"})


def _function_words_only(doc: Doc, start: int, end: int) -> bool:
    """Whether ``[start, end)`` holds only function words and punctuation ("to", "the").

    A pronoun counts as content: "he does not defend it" reports a stance on "it".
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    return all((t.is_stop and t.pos_ not in _REFERRING) or t.is_punct or t.is_space for t in span)


def _noun_phrase(doc: Doc, start: int, end: int) -> bool:
    """Whether ``[start, end)`` is a noun phrase, not a reported clause: it holds no verb,
    or every word whose head lies outside it is a noun or pronoun ("legislation that would
    fund the government", "a new mechanism by which currents erode the ice"). False where
    the doc has no part-of-speech tags."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not doc.has_annotation("POS"):
        return False
    if not any(t.pos_ in ("VERB", "AUX") for t in span):
        return True
    if not doc.has_annotation("DEP"):
        return False
    # every word whose head lies outside the span is a noun or pronoun: "citizens to continue
    # paying" (object and infinitive, both on the cue) stays a clause
    tops = [t for t in span if not span.start <= t.head.i < span.end or t.head.i == t.i]
    return all(t.pos_ in _NOMINAL_HEADS or t.is_punct for t in tops)


def drop_comment(doc: Doc, start: int, end: int) -> Offsets:
    """``[start, end)`` without a trailing comment after a comma: a non-restrictive
    relative clause (", which was one of his campaign promises") or a participle clause
    (", signaling a clear shift"), the writer's words rather than the speaker's."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return start, end
    for i in range(2, len(span)):
        token = span[i]
        if span[i - 1].text != ",":
            continue
        if token.lower_ in ("which", "who") or (
            token.tag_ == "VBG" and token.dep_ in ("advcl", "acl")
        ):
            cut = span[i - 1].idx
            return (start, cut) if cut > start else (start, end)
    return start, end


def _cue_words(doc: Doc, cue: TaggedSpan | None) -> Span | None:
    """The tokens of a tagger cue (None without one), read once for the tests below."""
    return None if cue is None else doc.char_span(cue.start, cue.end, alignment_mode="expand")


def _intention(doc: Doc, box: Offsets, cue: Span | None) -> bool:
    """Whether ``box`` is a to-infinitive after a cue (its words, :func:`_cue_words`) that
    neither speaks nor directs ("plan to address", "refused to hand over"; not "urged members
    to vote"), or one that completes a noun before it ("announced plans to pull out")."""
    span = doc.char_span(box[0], box[1], alignment_mode="expand")
    if span is None or len(span) < 2 or span[0].lower_ != "to" or span[1].tag_ != "VB":
        return False
    if cue is None:
        return True
    if span[1].head.pos_ in ("NOUN", "PROPN") and not span.start <= span[1].head.i < span.end:
        return True  # "announced plans to pull out": the infinitive belongs to a noun
    return not {t.lemma_.lower() for t in cue} & _SPEAKING


def _acts(cue: Span | None) -> bool:
    """Whether a tagger cue's words are a verb that reports no speech, belief or request
    ("banned", "sentenced", "authorized"): none of its words is a cue of the lexicon."""
    if cue is None or not any(t.pos_ == "VERB" for t in cue):
        return False
    return not {t.lemma_.lower() for t in cue} & _REPORTING


def _passive(cue: Span | None) -> bool:
    """Whether a tagger cue's words are a passive verb with no agent ("was charged with",
    "was declared", "Asked whether ..."): the one who says it is not named, and the subject
    is not the speaker."""
    if cue is None or not cue.doc.has_annotation("DEP"):
        return False
    for token in cue:
        if token.pos_ != "VERB":
            continue
        children = list(token.children)
        if any(c.dep_ == "agent" for c in children):
            continue
        if any(c.dep_ == "auxpass" for c in children):
            return True
        if (
            token.tag_ == "VBN"
            and token.dep_ in ("advcl", "acl")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in children)
        ):
            return True  # "Asked whether he would resign, Smith said": a reduced passive
    return False


def _is_mark(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a quote mark: not the straight apostrophe, and not a curly one
    between two letters or digits ("administration’s", "don’t")."""
    ch = text[i]
    if ch not in QUOTE_MARKS or ch == "'":
        return False
    return ch != "’" or not in_word(text, i)


def _drop_that(text: str, start: int, end: int, trim: bool = True) -> Offsets:
    """The span without a leading complementizer "that" (when more follows), then without
    edge punctuation (``trim``) or only the white space after "that"."""
    if text[start : start + 5].lower() == "that " and end - start > 5:
        if trim:
            s, e = trim_edges(text, start + 5, end)
        else:
            s, e = start + 5, end
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            return s, e
    return start, end


def _close_quote(text: str, start: int, end: int) -> int:
    """The end of a span that leaves a quotation open, moved over the punctuation and the
    closing mark right after it ('went on for "years."'); else ``end``."""
    marks = [text[i] for i in range(start, end) if _is_mark(text, i)]
    opens = sum(m in "“«" for m in marks) - sum(m in "”»" for m in marks)
    if opens <= 0 and marks.count('"') % 2 == 0:
        return end
    stop = end
    while stop < len(text) and text[stop] in ".,?!;:":
        stop += 1
    return stop + 1 if stop < len(text) and text[stop] in '"”»' else end


def claimx_content(text: str, start: int, end: int) -> tuple[Offsets, str]:
    """A PolNeAR-style content span in claimx's convention, with its kind.

    A span wholly inside one pair of quote marks becomes the quoted text ("direct"); a span
    with quote marks inside stays as it is ("mixed"), without a leading "that" and closed
    over the closing mark when it leaves a quotation open; otherwise a leading "that" and
    edge punctuation are dropped ("indirect"). Apostrophes inside words are no quote marks.
    """
    piece = text[start:end]
    inner = trim_edges(text, start, end)
    marks = [i for i in range(len(piece)) if _is_mark(text, start + i)]
    if not marks:
        s, e = _drop_that(text, *inner)
        return ((s, e) if e > s else (start, end)), "indirect"
    opened = piece.lstrip()[:1] in QUOTE_MARKS
    inside = [m for m in marks if start + m >= inner[0] and start + m < inner[1]]
    if opened and not inside:
        return inner, "direct"
    if inner[1] <= inner[0]:
        return (start, end), "mixed"
    s, e = _drop_that(text, *inner, trim=False)
    return (s, _close_quote(text, s, e)), "mixed"


def tidy(doc: Doc, start: int, end: int, on: bool = True) -> Offsets:
    """A tagger content span without a trailing conjunction ("... was crazy and"), and
    without a verbless lead-in before a colon that opens the quotation ending it ("the
    death read: '...'" gives the quotation)."""
    if not on:
        return start, end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return start, end
    tokens = list(span)
    while len(tokens) > 1 and (
        tokens[-1].lower_ in ("and", "or", "but") or tokens[-1].text in (",", ";")
    ):
        tokens = tokens[:-1]
    new_end = min(end, tokens[-1].idx + len(tokens[-1]))
    if new_end <= start:
        return start, end
    # "the death read: '...'": verbless words before a colon that opens the quotation
    # ending the span introduce it; the quotation is the content ("he was close to
    # achieving: '...'" is the speaker's own lead-in: a mixed quote)
    text = doc_text(doc)
    opened = _COLON_QUOTE.search(text, start, new_end)
    if (
        opened is not None
        and text[new_end - 1] in QUOTE_MARKS
        and not any(ch in QUOTE_MARKS for ch in text[start : opened.start()])
        and not any(t.pos_ in ("VERB", "AUX") and t.idx < opened.start() for t in tokens)
    ):
        return opened.start(1), new_end
    return start, new_end


def _pieces(starts: list[int], span: TaggedSpan) -> list[Offsets]:
    """A span cut at the sentence starts inside it (``starts`` in order)."""
    cuts = starts[bisect.bisect_right(starts, span.start) : bisect.bisect_left(starts, span.end)]
    edges = [span.start, *cuts, span.end]
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]


def _covers(box: Sequence[int], pieces: list[Offsets], share: float) -> bool:
    """Whether more than ``share`` of one of ``pieces`` (a span cut at sentence starts,
    :func:`_pieces`) lies inside ``box``."""
    return any(min(box[1], b) - max(box[0], a) > share * (b - a) for a, b in pieces)


def _sentence_index(doc: Doc) -> list[int]:
    starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    return starts or [0]


def _sent_of(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


class _BySentence:
    """Tagger spans found by the sentence they start in.

    Looking only at the spans of the sentences asked about keeps the merge linear in the
    claims of a long article (a scan of every span per claim made it quadratic).
    """

    def __init__(self, spans: Sequence[TaggedSpan], starts: list[int]) -> None:
        self.spans = list(spans)
        self.order = sorted(range(len(self.spans)), key=lambda k: self.spans[k].start)
        # a span's sentence never decreases with its start: sorted too
        self.sents = [_sent_of(starts, self.spans[k].start) for k in self.order]

    def within(self, first: int, last: int) -> list[TaggedSpan]:
        """The spans starting in sentences ``first`` to ``last``, in the order given."""
        lo = bisect.bisect_left(self.sents, first)
        hi = bisect.bisect_right(self.sents, last)
        return [self.spans[k] for k in sorted(self.order[lo:hi])]


def _nearest(
    spans: _BySentence,
    content: Offsets,
    starts: list[int],
    window: int,
    outside: Offsets | None = None,
    skip: Callable[[TaggedSpan], bool] | None = None,
) -> TaggedSpan | None:
    """The span closest to ``content`` (by characters) within ``window`` sentences; with
    ``outside``, not one that overlaps it; with ``skip``, not one it accepts. Of spans as
    close, the first given."""
    first = _sent_of(starts, content[0])
    last = _sent_of(starts, max(content[0], content[1] - 1))
    best: tuple[int, TaggedSpan] | None = None
    for span in spans.within(first - window, last + window):
        if span.start < content[1] and content[0] < span.end:
            continue
        if outside is not None and span.start < outside[1] and outside[0] < span.end:
            continue
        if skip is not None and skip(span):
            continue
        gap = span.start - content[1] if span.start >= content[1] else content[0] - span.end
        if best is None or gap < best[0]:
            best = (gap, span)
    return None if best is None else best[1]


#: Links from a word to the head of its noun phrase on its right.
_PHRASE_LINKS = frozenset({"compound", "det", "amod", "nummod"})


def _whole_phrase(doc: Doc, span: TaggedSpan, others: Intervals) -> TaggedSpan:
    """A tagger source cut inside its noun phrase ("Donald" of "Donald Trump", "The New" of
    "The New Yorker") run on to the phrase's head, unless the tagger gave the words on the
    way another role or the head is a cue word ("Trump claims", the verb parsed as a
    noun)."""
    if not doc.has_annotation("DEP"):
        return span
    tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return span
    last = head = tokens[-1]
    while head.dep_ in _PHRASE_LINKS and head.i < head.head.i <= last.i + 4:
        head = head.head
    if head is last or head.pos_ not in _NOMINAL_HEADS:
        return span
    if {head.lemma_.lower(), head.lower_.removesuffix("s")} & SPEECH_VERBS:
        return span  # "the former doctor maintains": a cue parsed as a noun
    end = head.idx + len(head)
    if any(t.is_punct or t.is_space for t in doc[last.i + 1 : head.i + 1]) or others.overlaps(
        span.end, end
    ):
        return span
    return replace(span, end=end)


def _source_for(
    sources: _BySentence,
    cues: _BySentence,
    content: Offsets,
    starts: list[int],
    window: int,
    skip: Callable[[TaggedSpan], bool] | None = None,
    cue: TaggedSpan | None = None,
) -> TaggedSpan | None:
    """The source of a content: the one nearest its cue ("X said", "said X"), else nearest.
    The cue is ``cue`` when given, else the nearest that ``skip`` does not rule out
    (:func:`_foreign_cue`)."""
    if cue is None:
        cue = _nearest(cues, content, starts, window, skip=skip)
    if cue is not None:
        found = _nearest(sources, (cue.start, cue.end), starts, 0, outside=content)
        if found is not None:
            return found
    return _nearest(sources, content, starts, window)


def _has_verb(doc: Doc, start: int, end: int) -> bool:
    """Whether the characters ``start:end`` of ``doc`` hold a verb or auxiliary."""
    span = doc.char_span(start, end, alignment_mode="contract")
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)


def _introduced(doc: Doc, tagged: Sequence[TaggedSpan]) -> dict[Offsets, Offsets]:
    """Each tagger cue that a tagger content follows at once (white space or a colon between:
    "called [a con artist]", "said: [...]"), with that content: the report it frames."""
    text = doc_text(doc)
    contents = sorted((t.start, t.end) for t in tagged if t.label == "CONTENT")
    firsts = [c[0] for c in contents]
    out: dict[Offsets, Offsets] = {}
    for t in tagged:
        if t.label != "CUE":
            continue
        k = bisect.bisect_left(firsts, t.end)
        if k >= len(contents):
            continue
        gap = text[t.end : contents[k][0]]
        if not gap.strip(" \t\n\xa0:") or (gap.strip() == "," and _participle(_cue_words(doc, t))):
            out[(t.start, t.end)] = contents[k]
    return out


def _participle(cue: Span | None) -> bool:
    """Whether a cue's words (:func:`_cue_words`) end in an -ing participle ("adding",
    "saying"): one that a comma parts from its content still introduces it ('..., adding,
    "..."')."""
    return cue is not None and len(cue) > 0 and cue[-1].tag_ == "VBG"


def _foreign_cue(introduced: dict[Offsets, Offsets], *own: Offsets) -> Callable[[TaggedSpan], bool]:
    """Whether a cue frames another report than ``own`` (a content and its spans): the
    nearest cue to "Rubio said that [A], whom he called [a con artist]" is "called", but it
    introduces a content of its own."""

    def foreign(cue: TaggedSpan) -> bool:
        target = introduced.get((cue.start, cue.end))
        return target is not None and not any(
            target[0] < box[1] and box[0] < target[1] for box in own
        )

    return foreign


def _antecedent_source(claims: Sequence[dict[str, Any]], claim: dict[str, Any]) -> Any:
    """The source mention of the claim that ``claim`` continues, if any."""
    index = claim.get("continues")
    if index is None or not 0 <= index < len(claims):
        return None
    return claims[index].get("source")


def _agrees(rule: Sequence[int] | None, tagged: tuple[int, int]) -> bool:
    """Whether a tagger span may stand for a rule span: none to keep, or one inside it."""
    return rule is None or (tagged[0] <= rule[0] and rule[1] <= tagged[1])


def _drop_enclosed(
    claims: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """``claims`` without those whose content lies inside another claim's content of the
    same cue and source: 'said the attack was "sickening"' is one report, not a second one
    for its quoted words ('was "sickening"'). Also returns, by ``id()`` of each dropped
    claim, the claim that encloses it (a quote continuing a dropped claim continues that)."""

    def frame(claim: dict[str, Any]) -> tuple[Any, Any]:
        return tuple(claim["cue"]), tuple(claim.get("source") or ())

    frames: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for claim in claims:
        if claim.get("cue") is not None:
            frames.setdefault(frame(claim), []).append(claim)
    kept = []
    enclosing: dict[int, dict[str, Any]] = {}
    for claim in claims:
        if claim.get("cue") is not None:
            s, e = claim["content"]
            outer = [
                other
                for other in frames[frame(claim)]
                if other["content"][0] <= s
                and e <= other["content"][1]
                and (other["content"][0], other["content"][1]) != (s, e)
            ]
            if outer:
                # the widest one: it is enclosed by no other of the frame
                enclosing[id(claim)] = max(outer, key=lambda c: c["content"][1] - c["content"][0])
                continue
        kept.append(claim)
    return kept, enclosing


def merge_claims(
    doc: Doc,
    claims: Sequence[dict[str, Any]],
    tagged: Sequence[TaggedSpan],
    config: MergeConfig | None = None,
) -> list[dict[str, Any]]:
    """The final claims of ``doc``: rule claims (dicts as ``doc._.claimx_claims``) and tags."""
    cfg = MergeConfig() if config is None else config
    text = doc_text(doc)
    starts = _sentence_index(doc)
    contents = [t for t in tagged if t.label == "CONTENT" and t.prob >= cfg.min_prob]
    others = Intervals((t.start, t.end) for t in tagged if t.label != "SOURCE")
    sources = _BySentence(
        [_whole_phrase(doc, t, others) for t in tagged if t.label == "SOURCE"], starts
    )
    cues = _BySentence([t for t in tagged if t.label == "CUE"], starts)
    introduced = _introduced(doc, tagged) if cfg.bound_cues else {}
    introducer = {box: TaggedSpan("CUE", *cue) for cue, box in introduced.items()}
    # Only the content spans overlapping a claim can match it or be covered by it (a span
    # overlapping none has overlap 0 and no piece with a share of the claim); ``covered``
    # below 0 would take those too: then every span is looked at, as before.
    content_index = Intervals((t.start, t.end) for t in contents)
    used: set[int] = set()
    out: list[dict[str, Any]] = []
    kept: dict[int, int] = {}  # index in ``claims`` -> id() of its copy in ``out``
    for index, claim in enumerate(claims):
        region = tuple(claim["content"])
        near = content_index.overlapping(region[0], region[1])
        match: tuple[int | None, float] = max(
            ((i, _overlap(region, (contents[i].start, contents[i].end))) for i in near),
            key=lambda x: x[1],
            default=(None, 0.0),
        )
        if match[1] <= 0:
            match = (0 if contents else None, 0.0)  # no overlap: the first span, as before
        hit = match[0] if match[1] >= cfg.min_overlap else None
        overlapped = [
            i
            for i in (near if cfg.covered >= 0 else range(len(contents)))
            if _covers(region, _pieces(starts, contents[i]), cfg.covered)
        ]
        strong = claim["kind"] == "direct" or float(claim.get("confidence") or 0) >= (
            cfg.rule_confidence
        )
        if not strong and hit is None:
            continue
        new = dict(claim)
        if hit is not None:
            span = contents[hit]
            # The cue of this report: the tagger's cue right before its content, else the
            # nearest one that frames no other content.
            own = introducer.get((span.start, span.end))
            skip = _foreign_cue(introduced, (span.start, span.end))
            side = cfg.direct_content if claim["kind"] == "direct" else cfg.indirect_content
            rule_cue = claim.get("cue")
            # "She said he thinks X": the rule found the inner report, whose cue lies inside
            # the tagger's content; PolNeAR annotates the outer one, so the tagger's frame wins.
            holds_cue = (
                rule_cue is not None
                and claim.get("rule") not in _OWN_CUE_RULES
                and span.start <= rule_cue[0]
                and rule_cue[1] <= span.end
            )
            # A tagger content holding the rule's cue with no cue of its own outside is the
            # tagger's error, not an outer report ("Ahmed, [a teacher, said he feared]").
            stray = holds_cue and _nearest(cues, (span.start, span.end), starts, 0) is None
            if stray:
                used.add(hit)  # the rule's claim stands for it
            inner = holds_cue and not stray
            nested = cfg.nested and inner
            # The tagger's content holding the rule's cue is the outer report: its frame's
            # source goes with it ("X said that A leads them to believe B": X, not "them").
            outer = inner and side == "tagger"
            # "Activists claim [safety standards] are routinely ignored": a tagger content that
            # stops inside the rule's clause before any verb is the tagger's slip
            truncated = (
                not nested
                and claim["kind"] == "indirect"
                and claim["content"][0] == span.start
                and span.end < claim["content"][1]
                and not _has_verb(doc, span.start, span.end)
                and _has_verb(doc, span.end, claim["content"][1])
            )
            if ((side == "tagger" and not stray) or nested) and not truncated:
                a, b = span.start, span.end
                if not nested:  # the tagger's boundaries, in the rule's sentences only
                    rule_box = claim["content"]
                    kept_pieces = [
                        p
                        for p in _pieces(starts, span)
                        if p[0] < rule_box[1] and rule_box[0] < p[1]
                    ]
                    if kept_pieces:
                        a, b = kept_pieces[0][0], kept_pieces[-1][1]
                (s, e), kind = claimx_content(text, *tidy(doc, a, b, cfg.tidy))
                new["content"], new["kind"] = [s, e], kind
            box = tuple(new["content"])
            # The rule's cue and mention carry its speaker ("Hegseth's speech: '...'"): the
            # tagger's replace them only where they agree (same cue, phrase around the mention).
            if cfg.cue_from == "tagger":
                cue = own or _nearest(cues, box, starts, 0, skip=skip)
                if cue is not None and not has_word(text[cue.start : cue.end]):
                    cue = None  # a colon alone ("told reporters: '...'") is no cue
                if cue is not None and (
                    nested
                    or _agrees(rule_cue, (cue.start, cue.end))
                    or (cfg.cue_override and claim.get("rule") not in _OWN_CUE_RULES)
                ):
                    new["cue"] = [cue.start, cue.end]
            if cfg.source_from == "tagger":
                src = _source_for(sources, cues, box, starts, cfg.window, skip, own)
                # A quote continuing a speaker takes no source phrase from before that
                # speaker's mention ('Politico quoted X as saying "A" and "B"').
                before = _antecedent_source(claims, claim)
                if before is not None and src is not None and src.end <= before[0]:
                    src = None
                # The tagger's own frame took the place of the rule's (its cue, right before
                # the content, replaced a rule cue elsewhere): its source goes with it.
                moved = (
                    own is not None
                    and rule_cue is not None
                    and new.get("cue") == [own.start, own.end]
                    and not (own.start < rule_cue[1] and rule_cue[0] < own.end)
                )
                if src is not None and (
                    nested or outer or moved or _agrees(claim.get("source"), (src.start, src.end))
                ):
                    new["source_phrase"] = [src.start, src.end]
                    new["source"] = list(bare_mention(doc, src.start, src.end))
        if cfg.recount and tuple(new["content"]) != region:
            # The claim took the tagger's boundaries: what it covers is judged by them ("He
            # said [A] and said that [B]": the rule's one content held both, B is a claim).
            box = tuple(new["content"])
            overlapped = [
                i
                for i in overlapped
                if i == hit or _covers(box, _pieces(starts, contents[i]), cfg.covered)
            ]
        used.update(overlapped)
        kept[index] = id(new)
        out.append(new)
    weak = [
        t for t in tagged if t.label == "CONTENT" and cfg.min_prob_framed <= t.prob < cfg.min_prob
    ]
    if cfg.new_claims:
        kept_boxes = [(c["content"][0], c["content"][1]) for c in out]
        taken = Intervals(kept_boxes)
        for i, span in enumerate([*contents, *weak]):
            if i in used:
                continue
            framed = i >= len(contents)
            if framed and taken.overlaps(span.start, span.end):
                continue
            (s, e), kind = claimx_content(text, *tidy(doc, span.start, span.end, cfg.tidy))
            if _function_words_only(doc, s, e):
                continue  # "pointed to": a frame's function word is no statement
            if not cfg.nominal and kind == "indirect" and _noun_phrase(doc, s, e):
                continue  # "congratulated Pelosi": an object, not a reported clause
            if cfg.comment and kind == "indirect":
                s, e = drop_comment(doc, s, e)
            if any(
                _overlap((s, e), kept_boxes[k]) >= 0.5
                or (out[k]["kind"] == "direct" and abs(s - kept_boxes[k][0]) <= 1)
                for k in taken.overlapping(s, e)
            ):
                # a kept claim again, with other boundaries (tagger spans never overlap), or a
                # kept quotation run on past its closing mark ('"it's over" and walked out')
                continue
            box = (s, e)
            skip = _foreign_cue(introduced, (span.start, span.end), box)
            own = introducer.get((span.start, span.end))
            cue = own or _nearest(cues, box, starts, cfg.window, skip=skip)
            src = _source_for(sources, cues, box, starts, cfg.window, skip, own)
            if not cfg.nominal and kind == "indirect":
                words = _cue_words(doc, cue)
                if _intention(doc, box, words):
                    continue  # "plan to address": an intention, not a reported clause
                if _acts(words):
                    continue  # "sentenced X to life": an act, not a report
                if _passive(words):
                    continue  # "was charged with", "was declared": nobody named says it
            if src is None and (not cfg.sourceless or cue is None):
                continue  # a content span with no source or cue near is no attribution
            if framed and (src is None or cue is None):
                continue  # a less probable span needs both a cue and a source near
            out.append(
                {
                    "content": [s, e],
                    "cue": [cue.start, cue.end] if cue else None,
                    "source": list(bare_mention(doc, src.start, src.end)) if src else None,
                    "source_phrase": [src.start, src.end] if src else None,
                    "kind": kind,
                    "speaker": None,
                    "confidence": round(span.prob, 4),
                    "stance": None,
                    "continues": None,
                    "rule": "tagger",
                }
            )
    if cfg.enclosed:
        out, enclosing = _drop_enclosed(out)
        kept = {k: id(enclosing[v]) if v in enclosing else v for k, v in kept.items()}
    out.sort(key=lambda c: c["content"][0])
    position = {id(c): i for i, c in enumerate(out)}
    for claim in out:
        if claim.get("continues") is not None:
            target = kept.get(int(claim["continues"]))
            claim["continues"] = position.get(target) if target is not None else None
            if claim["continues"] is not None and claim["continues"] >= position[id(claim)]:
                claim["continues"] = None
    return out


def tagged_spans(doc: Doc, spans_key: str = "claimx_tagged") -> list[TaggedSpan]:
    """The tagger's spans of ``doc`` with their probabilities (1.0 when none were kept)."""
    group = doc.spans.get(spans_key, [])
    probs = doc._.get("claimx_tagged_scores") if Doc.has_extension("claimx_tagged_scores") else None
    if probs is None or len(probs) != len(group):
        probs = [1.0] * len(group)
    return [
        TaggedSpan(span.label_, span.start_char, span.end_char, float(p))
        for span, p in zip(group, probs, strict=True)
    ]
