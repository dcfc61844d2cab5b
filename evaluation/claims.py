"""Score predicted claims against gold claims (record format v1).

Metrics, each a :func:`evaluation.spans.prf` dict:

* ``content_strict`` / ``content_exact`` / ``content_overlap``: claim content spans labeled
  with the claim's kind; strict = same offsets and kind, exact = same offsets, overlap =
  ``overlap_ratio >= min_ratio`` (default 0.5; see :mod:`evaluation.spans`).
* ``cue_exact``, ``speaker_mention_exact``: the cue and source-mention spans of the claims
  that have one.
* ``claim_speaker``: a predicted claim is right when its content overlaps a gold claim's
  content (``>= min_ratio``) and both name the same canonical speaker (compared after
  case-folding and whitespace normalization; an unattributed claim matches only an
  unattributed one).
* ``kind/<kind>/content_exact`` and ``kind/<kind>/content_overlap``: the same content scores
  restricted to gold and predicted claims of that kind (``direct``, ``indirect``, ``mixed``);
  within one kind strict and exact coincide (spaCy's ``per_type`` scores).

:func:`score_corpus` sums counts over documents (micro average), pairing them by ``id``; a gold
document without a prediction counts all its claims as misses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from claimx.records import CLAIM_KINDS, ArticleRecord, Claim, Span

from .spans import (
    DEFAULT_MIN_RATIO,
    LabeledSpan,
    Offsets,
    add_counts,
    match_spans,
    prf,
    score_labeled,
    score_spans,
)

METRICS = (
    "content_strict",
    "content_exact",
    "content_overlap",
    "cue_exact",
    "speaker_mention_exact",
    "claim_speaker",
)


def _offsets(span: Span | None) -> list[Offsets]:
    return [] if span is None else [(span.start, span.end)]


def speaker_key(name: str | None) -> str | None:
    """A canonical name compared case- and space-insensitively."""
    return None if name is None else " ".join(name.split()).casefold()


def labeled(claims: Iterable[Claim]) -> list[LabeledSpan]:
    """Content spans labeled with the claim kind."""
    return [(c.content.start, c.content.end, c.kind) for c in claims]


def claim_speaker_score(
    gold: Sequence[Claim], pred: Sequence[Claim], min_ratio: float = DEFAULT_MIN_RATIO
) -> dict[str, float]:
    """Claims matched one-to-one on content overlap and same canonical speaker."""
    g = [(c.content.start, c.content.end) for c in gold]
    p = [(c.content.start, c.content.end) for c in pred]

    def same_speaker(i: int, j: int) -> bool:
        return speaker_key(gold[i].speaker) == speaker_key(pred[j].speaker)

    tp = len(match_spans(g, p, min_ratio=min_ratio, compatible=same_speaker))
    return prf(tp, len(p) - tp, len(g) - tp)


def score_claims(
    gold: ArticleRecord, pred: ArticleRecord | None, min_ratio: float = DEFAULT_MIN_RATIO
) -> dict[str, dict[str, float]]:
    """All claim metrics of one document; ``pred=None`` scores an empty prediction."""
    if pred is not None and pred.text != gold.text:
        raise ValueError(f"record {gold.id!r}: predicted text differs from the gold text")
    pc = [] if pred is None else pred.claims
    gc = gold.claims

    def content(claims: Iterable[Claim]) -> list[Offsets]:
        return [(c.content.start, c.content.end) for c in claims]

    scores = {
        "content_strict": score_labeled(labeled(gc), labeled(pc), "strict"),
        "content_exact": score_spans(content(gc), content(pc)),
        "content_overlap": score_spans(content(gc), content(pc), min_ratio=min_ratio),
        "cue_exact": score_spans(
            [o for c in gc for o in _offsets(c.cue)], [o for c in pc for o in _offsets(c.cue)]
        ),
        "speaker_mention_exact": score_spans(
            [o for c in gc for o in _offsets(c.speaker_mention)],
            [o for c in pc for o in _offsets(c.speaker_mention)],
        ),
        "claim_speaker": claim_speaker_score(gc, pc, min_ratio),
    }
    for kind in CLAIM_KINDS:
        gk = content(c for c in gc if c.kind == kind)
        pk = content(c for c in pc if c.kind == kind)
        scores[f"kind/{kind}/content_exact"] = score_spans(gk, pk)
        scores[f"kind/{kind}/content_overlap"] = score_spans(gk, pk, min_ratio=min_ratio)
    return scores


def score_corpus(
    golds: Iterable[ArticleRecord],
    preds: Iterable[ArticleRecord],
    min_ratio: float = DEFAULT_MIN_RATIO,
) -> dict[str, dict[str, float]]:
    """Micro-averaged claim metrics over documents paired by ``id``."""
    by_id = {p.id: p for p in preds}
    per_doc = [score_claims(g, by_id.get(g.id), min_ratio) for g in golds]
    if not per_doc:
        return {}
    return {name: add_counts(*(d[name] for d in per_doc)) for name in per_doc[0]}


def claim_errors(
    gold: ArticleRecord, pred: ArticleRecord | None, min_ratio: float = DEFAULT_MIN_RATIO
) -> list[dict[str, Any]]:
    """Misses, false alarms and wrong speakers of one document, in text order.

    A gold claim is missed when no predicted content overlaps it (``>= min_ratio``); a
    predicted claim is a false alarm when it overlaps no gold claim; an overlapping pair with
    different speakers is a wrong speaker. Each error is ``{"error", "start", "end", "kind",
    "speaker", "pred_speaker"}``.
    """
    pc = [] if pred is None else pred.claims
    gc = gold.claims
    g = [(c.content.start, c.content.end) for c in gc]
    p = [(c.content.start, c.content.end) for c in pc]
    pairs = match_spans(g, p, min_ratio=min_ratio)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    out: list[dict[str, Any]] = []
    for i, c in enumerate(gc):
        if i not in matched_g:
            out.append(_error("missed claim", c, c.speaker, None))
    for j, c in enumerate(pc):
        if j not in matched_p:
            out.append(_error("false alarm", c, None, c.speaker))
    for i, j in pairs:
        if speaker_key(gc[i].speaker) != speaker_key(pc[j].speaker):
            out.append(_error("wrong speaker", gc[i], gc[i].speaker, pc[j].speaker))
    return sorted(out, key=lambda e: (e["start"], e["end"], e["error"]))


def _error(kind: str, claim: Claim, speaker: str | None, pred: str | None) -> dict[str, Any]:
    return {
        "error": kind,
        "start": claim.content.start,
        "end": claim.content.end,
        "kind": claim.kind,
        "speaker": speaker,
        "pred_speaker": pred,
    }
