"""``claimx_attribution``: claims with content, cue and source mention.

``claimx_paragraphs`` runs before the parser and starts a sentence after every line break,
so that no sentence (and no attribution) straddles two paragraphs, and none right after a
word on the same line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..entities import entity_at
from ..extensions import doc_text, register_extensions
from ..tagger.merge import MergeConfig, merge_claims, tagged_spans
from .frames import Frame, find_frames, mark_inverted_leads, mention
from .lexicon import CUE_TRIM_AFTER, CUE_TRIM_VERBS
from .quotes import find_quotes, strip_span

SPANS_KEY = "claimx"
#: The names ``merge_options`` may set (:class:`~claimx.tagger.merge.MergeConfig` fields).
_MERGE_FIELDS = frozenset(f.name for f in fields(MergeConfig))
TAGGER_KEY = "claimx_tagged"


def tidy_span(text: str, span: list[int], *, comma: bool = False) -> list[int]:
    """``span`` without white space (no-break spaces included) at either end and, with
    ``comma``, without a trailing comma when it holds no other ("Caddell," -> "Caddell"; an
    apposition, "Jane Doe, a teacher,", keeps it). An all-space span is left as it is."""
    start, end = strip_span(text, span[0], span[1])
    if comma and end > start and text[end - 1] == "," and "," not in text[start : end - 1]:
        start, end = strip_span(text, start, end - 1)
    return [start, end] if end > start else list(span)


def trim_cue(text: str, cue: list[int]) -> list[int]:
    """``cue`` cut back to its verb where a word of
    :data:`~claimx.attribution.lexicon.CUE_TRIM_AFTER` follows a verb of
    :data:`~claimx.attribution.lexicon.CUE_TRIM_VERBS` ("said in a statement" -> "said")."""
    start, end = cue
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
    for (first, last), (second, stop) in zip(words, words[1:], strict=False):
        if text[start + first : start + last].lower() in CUE_TRIM_VERBS:
            if text[start + second : start + stop].lower() in CUE_TRIM_AFTER:
                return [start, start + last]
            break
    return list(cue)


#: Marks after which a capitalized word may open a sentence the parser did not split.
_SENTENCE_BREAKS = frozenset(".!?:\"”’'")


def title_cue(doc: Doc, cue: list[int] | None) -> bool:
    """Whether a cue is a word of a title or heading: capitalized inside a sentence ("Do
    They Know It's Christmas", "I Still Haven't Found What I'm Looking For") or in
    capitals ("THE SHOW ALWAYS GOES ON"). "Observes Mr Hadi:", "Asked whether ..." open
    their sentence."""
    if cue is None or not doc.has_annotation("SENT_START"):
        return False
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return False
    first = span[0]
    if first.is_upper and len(first) > 1 and first.is_alpha:
        return True
    if not first.text[:1].isupper() or first.is_sent_start or first.i == 0:
        return False
    before = doc[first.i - 1]
    return not (before.is_space or before.text[-1:] in _SENTENCE_BREAKS)


def drop_title_cues(doc: Doc, claims: list[dict]) -> list[dict]:
    """The claims whose cue is no word of a title (:func:`title_cue`). A claim that
    continued a dropped one continues what that one continued, if anything."""
    dropped = {i for i, c in enumerate(claims) if title_cue(doc, c.get("cue"))}
    if not dropped:
        return claims
    moved: dict[int, int] = {}  # old index -> new index
    out: list[dict] = []
    for index, claim in enumerate(claims):
        if index not in dropped:
            moved[index] = len(out)
            out.append(claim)
    for claim in out:
        target = claim.get("continues")
        seen: set[int] = set()
        while target is not None and int(target) in dropped and int(target) not in seen:
            seen.add(int(target))
            target = claims[int(target)].get("continues")
        claim["continues"] = None if target is None else moved.get(int(target))
    return out


_NAMED = ("PERSON", "ORG")


def _named_conjuncts(doc: Doc, source: list[int] | None) -> list[Token]:
    """The named speakers a source mention holds: the mention's head and the names joined
    to it by "and" ("Dr. Amy Chen and Professor Lee Wong"), when each is a person or an
    organization of its own; else none."""
    if source is None or not doc.has_annotation("DEP") or not doc.has_annotation("ENT_IOB"):
        return []
    span = doc.char_span(source[0], source[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    head = span.root
    conjuncts = [head]
    frontier = [head]
    while frontier:  # "A, B and C": B hangs on A, C on B (or all on A)
        token = frontier.pop()
        for child in token.children:
            if child.dep_ == "conj" and child.i > token.i:
                conjuncts.append(child)
                frontier.append(child)
    if len(conjuncts) < 2 or not any(t.lower_ == "and" for t in head.subtree):
        return []
    entities = [entity_at(t, _NAMED) for t in conjuncts]
    starts = {e.start for e in entities if e is not None}
    if None in entities or len(starts) < len(conjuncts):
        return []  # a common noun among them, or one name ("Smith, Jones and Brown", a firm)
    return sorted(conjuncts, key=lambda t: t.i)


def _conjunct_phrase(token: Token) -> list[int]:
    """The words of one conjunct: its subtree without its own conjuncts and conjunctions."""
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ in ("conj", "cc", "punct"):
            skip.update(t.i for t in child.subtree)
    words = [t for t in token.subtree if t.i not in skip and not t.is_punct]
    return [words[0].idx, words[-1].idx + len(words[-1])]


def split_coordinated(doc: Doc, claims: list[dict]) -> list[dict]:
    """One claim per named speaker where a source joins several ("Dr. Amy Chen and Professor
    Lee Wong said ..."): a record's claim has one speaker. Indexes in ``continues`` follow
    the claims they point to."""
    out: list[dict] = []
    moved: dict[int, int] = {}  # old index -> new index
    for index, claim in enumerate(claims):
        moved[index] = len(out)
        names = _named_conjuncts(doc, claim.get("source"))
        if not names:
            out.append(claim)
            continue
        for token in names:
            # each copy owns its offset lists: later pipes may edit one claim's in place
            copy = {k: list(v) if isinstance(v, list) else v for k, v in claim.items()}
            copy["source"] = list(mention(token))
            copy["source_phrase"] = _conjunct_phrase(token)
            out.append(copy)
    for claim in out:
        if claim.get("continues") is not None:
            claim["continues"] = moved.get(int(claim["continues"]))
    return out


@Language.component("claimx_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a new sentence at the first token after a line break, and none right after a
    word or number on the same line: the parser splits "she felt the 13th || Amendment was
    ..." or "disparaging remarks || Trump had made" there (13 of the 14 such starts in
    PolNeAR dev, 6 of 7 in 400 BBC articles, were wrong), and the parser keeps to both."""
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if "\n" in token.text_with_ws:
            following.is_sent_start = True
        elif token.text[-1:].isalnum():
            following.is_sent_start = False
    return doc


@Language.factory(
    "claimx_attribution",
    assigns=["doc._.claimx_claims"],
    requires=["token.dep", "token.pos", "token.lemma"],
    default_config={
        "min_confidence": 0.0,
        "spans_key": SPANS_KEY,
        "tagger_key": TAGGER_KEY,
        "nominal_claims": False,
        "split_speakers": True,
        "merge_options": {},
    },
)
def make_attribution(
    nlp: Language,
    name: str,
    min_confidence: float,
    spans_key: str,
    tagger_key: str,
    nominal_claims: bool,
    split_speakers: bool,
    merge_options: dict[str, Any],
) -> AttributionComponent:
    return AttributionComponent(
        name,
        min_confidence=min_confidence,
        spans_key=spans_key,
        tagger_key=tagger_key,
        nominal_claims=nominal_claims,
        split_speakers=split_speakers,
        merge_options=merge_options,
    )


class AttributionComponent:
    """Finds attributions with rules over quotes and the dependency parse.

    When ``claimx_tagger`` ran before (``doc.spans[tagger_key]`` is set), the rules' claims
    are merged with its spans (:func:`claimx.tagger.merge.merge_claims`). The tagger's
    claims whose content is a noun phrase ("congratulated Pelosi", "proposed legislation
    that would ..."), an intention ("plan to address") or a clause after a cue that reports
    nothing ("sentenced X to life") or after a passive cue with no agent ("was charged
    with") are kept only with ``nominal_claims``: PolNeAR annotates them, claimx's records do not
    (:attr:`claimx.tagger.merge.MergeConfig.nominal`). With ``split_speakers`` a claim whose
    source joins several named people or organizations ("Dr. Amy Chen and Professor Lee
    Wong said ...") becomes one claim per name (:func:`split_coordinated`); PolNeAR marks
    one source span there. ``merge_options`` sets other fields of the merge's
    :class:`~claimx.tagger.merge.MergeConfig` (``{"sourceless": True}``: a tagger content
    with a cue but no source near is a claim too); an unknown name raises ``ValueError``.
    """

    def __init__(
        self,
        name: str = "claimx_attribution",
        *,
        min_confidence: float = 0.0,
        spans_key: str = SPANS_KEY,
        tagger_key: str = TAGGER_KEY,
        nominal_claims: bool = False,
        split_speakers: bool = True,
        merge_options: Mapping[str, Any] | None = None,
    ) -> None:
        register_extensions()
        self.name = name
        self.min_confidence = min_confidence
        self.spans_key = spans_key
        self.tagger_key = tagger_key
        self.nominal_claims = nominal_claims
        self.split_speakers = split_speakers
        self.merge_options = dict(merge_options or {})
        self.merge_config()  # an unknown or bad option fails here, not on the first doc

    def merge_config(self) -> MergeConfig:
        """The merge settings: ``nominal_claims`` and ``merge_options`` over the defaults."""
        unknown = sorted(set(self.merge_options) - _MERGE_FIELDS)
        if unknown:
            raise ValueError(
                f"{self.name}: unknown merge option(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(sorted(_MERGE_FIELDS))}"
            )
        return MergeConfig(**{"nominal": self.nominal_claims, **self.merge_options})

    def __call__(self, doc: Doc) -> Doc:
        quotes = find_quotes(doc_text(doc))
        doc._.claimx_quotes = [list(q.outer) for q in quotes]
        mark_inverted_leads(doc, quotes)
        frames = [f for f in find_frames(doc, quotes) if f.confidence >= self.min_confidence]
        claims = [self._claim(f) for f in frames]
        if self.tagger_key in doc.spans:
            config = self.merge_config()
            claims = merge_claims(doc, claims, tagged_spans(doc, self.tagger_key), config)
        claims = drop_title_cues(doc, claims)
        if self.split_speakers:
            claims = split_coordinated(doc, claims)
        text = doc_text(doc)
        for claim in claims:
            if claim.get("cue"):
                claim["cue"] = trim_cue(text, tidy_span(text, claim["cue"]))
            if claim.get("source_phrase"):
                claim["source_phrase"] = tidy_span(text, claim["source_phrase"], comma=True)
        doc._.claimx_claims = claims
        doc.spans[self.spans_key] = self._claim_spans(doc, claims)
        return doc

    @staticmethod
    def _claim_spans(doc: Doc, claims: list[dict]) -> list[Span]:
        spans = []
        for claim in claims:
            for label, key in (("CONTENT", "content"), ("CUE", "cue"), ("SOURCE", "source_phrase")):
                offsets = claim.get(key)
                if offsets is None:
                    continue
                span = doc.char_span(offsets[0], offsets[1], label=label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        return spans

    @staticmethod
    def _claim(frame: Frame) -> dict:
        return {
            "content": list(frame.content),
            "cue": list(frame.cue) if frame.cue else None,
            "source": list(frame.source) if frame.source else None,
            "source_phrase": list(frame.source_phrase) if frame.source_phrase else None,
            "kind": frame.kind,
            "speaker": None,
            "confidence": frame.confidence,
            "stance": None,
            "continues": frame.continues,
            "rule": frame.rule,
        }
