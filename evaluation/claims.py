"""Score predicted claims against gold claims (record format v1).

Metrics, each a :func:`evaluation.spans.prf` dict:

* ``content_exact`` / ``content_overlap``: claim content spans, exact or overlap match
  (``min_ratio``, default 0.5; see :mod:`evaluation.spans`).
* ``cue_exact``, ``speaker_mention_exact``: the cue and source-mention spans of the claims
  that have one.
* ``claim_speaker``: a predicted claim is right when its content overlaps a gold claim's
  content (``>= min_ratio``) and both name the same canonical speaker (compared after
  case-folding and whitespace normalization; an unattributed claim matches only an
  unattributed one).
* ``kind/<kind>/content_exact`` and ``kind/<kind>/content_overlap``: the same content scores
  restricted to gold and predicted claims of that kind (``direct``, ``indirect``, ``mixed``).

:func:`score_corpus` sums counts over documents (micro average), pairing them by ``id``; a gold
document without a prediction counts all its claims as misses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from claimx.records import CLAIM_KINDS, ArticleRecord, Claim, Span

from .spans import DEFAULT_MIN_RATIO, Offsets, add_counts, match_spans, prf, score_spans

METRICS = (
    "content_exact",
    "content_overlap",
    "cue_exact",
    "speaker_mention_exact",
    "claim_speaker",
)


def _offsets(span: Span | None) -> list[Offsets]:
    return [] if span is None else [(span.start, span.end)]


def _speaker_key(name: str | None) -> str | None:
    return None if name is None else " ".join(name.split()).casefold()


def claim_speaker_score(
    gold: Sequence[Claim], pred: Sequence[Claim], min_ratio: float = DEFAULT_MIN_RATIO
) -> dict[str, float]:
    """Claims matched one-to-one on content overlap and same canonical speaker."""
    g = [(c.content.start, c.content.end) for c in gold]
    p = [(c.content.start, c.content.end) for c in pred]

    def same_speaker(i: int, j: int) -> bool:
        return _speaker_key(gold[i].speaker) == _speaker_key(pred[j].speaker)

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
