"""From claim-level label probabilities to one stance per speaker."""

from __future__ import annotations

from collections.abc import Sequence

LABEL_ORDER = ("favor", "against", "neutral")


def claim_stance(probs: Sequence[float]) -> tuple[str, float]:
    """The most probable label of one claim and its probability."""
    best = max(range(len(LABEL_ORDER)), key=lambda i: probs[i])
    return LABEL_ORDER[best], float(probs[best])


def aggregate(
    probs: Sequence[Sequence[float]],
    weights: Sequence[float] | None = None,
    *,
    margin: float = 0.3,
    min_relevance: float = 0.5,
) -> tuple[str, float]:
    """A speaker's label and score from the (favor, against, neutral) probabilities of their claims.

    Claims are weighted by ``weights`` (e.g. attribution confidence) times their relevance,
    ``1 - p(neutral)``, so that off-topic claims do not drown the ones that take a side.

    - No claim takes a side (every relevance below ``min_relevance``): ``neutral``, scored by
      the mean neutral probability.
    - The favor and against mass nearly cancel (``|f - a| < margin * (f + a)``): the speaker
      argues both ways, ``neutral`` with score ``1 - 2 * min(f, a)``, low when both sides
      are confident.
    - Otherwise the stronger side, scored by its weighted mean probability.
    """
    if not probs:
        raise ValueError("cannot aggregate the stance of a speaker without claims")
    if weights is None:
        weights = [1.0] * len(probs)
    if len(weights) != len(probs):
        raise ValueError(f"{len(weights)} weights for {len(probs)} claims")
    weights = [max(float(w), 0.0) for w in weights]
    if not any(weights):
        weights = [1.0] * len(probs)
    neutral = sum(w * p[2] for w, p in zip(weights, probs, strict=True)) / sum(weights)
    relevance = [1.0 - float(p[2]) for p in probs]
    if max(relevance) < min_relevance:
        return "neutral", round(neutral, 4)
    mass = [w * r for w, r in zip(weights, relevance, strict=True)]
    total = sum(mass) or 1.0
    favor = sum(m * p[0] for m, p in zip(mass, probs, strict=True)) / total
    against = sum(m * p[1] for m, p in zip(mass, probs, strict=True)) / total
    if abs(favor - against) < margin * (favor + against):
        return "neutral", round(max(0.0, 1.0 - 2.0 * min(favor, against)), 4)
    if favor > against:
        return "favor", round(favor, 4)
    return "against", round(against, 4)
