"""Claim-level news rules applied by the pipeline component after the model.

Two readings of news claims that the training data (opinion comments, headlines) hardly
teach, stated as general rules over cue words, never over names or topics:

- **Concession** ("X, but Y"; "Even if X, Y") read as favor: the claim grants a point and
  takes it back, so it weighs both sides. Its favor and against mass is balanced and half
  of it moves to neutral, so it neither carries a speaker's stance alone nor cancels one.
  A concessive claim already read as against keeps its label (the "but" part carries it).
- **Obstacle toward a capability target**: when the target states an ability or possibility
  ("X can become ...", "X will be able to ...") and the claim names a difficulty ("very
  difficult", "may face ... issues", "severe", "shortage"), the claim argues against it:
  its favor mass and ``strength`` of its neutral mass move to against.

The rules read single claims: texts of more than 60 words (several sentences, an opinion
comment) are left alone. Both rules are applied by
:class:`claimx.stance.component.StanceComponent` only; ``score_pairs`` returns the model's
probabilities (the effect of the rules on the benchmarks is reported in the model card).
"""

from __future__ import annotations

from collections.abc import Sequence

from .cues import capability_target, concessive, obstacle, words

OBSTACLE_STRENGTH = 0.6
MAX_WORDS = 60


def adjust(
    probs: Sequence[float], target: str, text: str, strength: float = OBSTACLE_STRENGTH
) -> tuple[list[float], str | None]:
    """The (favor, against, neutral) probabilities after the rules, and the rule that fired."""
    favor, against, neutral = (float(p) for p in probs)
    if len(words(text)) > MAX_WORDS:
        return [favor, against, neutral], None
    if concessive(text) and favor > against:
        half = (favor + against) / 4.0
        return [half, half, neutral + 2.0 * half], "concession"
    if obstacle(text) and capability_target(target):
        keep = 1.0 - strength
        return [0.0, against + favor + strength * neutral, keep * neutral], "obstacle"
    return [favor, against, neutral], None
