"""Score predicted experts (names, roles, organizations) against gold (record format v1).

Names, roles and organizations are compared after case-folding and collapsing whitespace
(:func:`evaluation.claims.speaker_key`). Each metric scores one document's distinct items as
sets, then :func:`evaluation.spans.add_counts` sums the counts over documents (micro):

* ``expert_name``: the experts' canonical names;
* ``expert_role``: ``(name, role)`` pairs of the experts that have a role; a predicted role
  is right only for an expert of the same name with the same role;
* ``expert_organization``: ``(name, organization)`` pairs, the same way.

A gold expert without a role is not counted in ``expert_role``'s recall, and a predicted
expert without one not in its precision.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimx.records import Expert

from .claims import speaker_key
from .spans import prf

METRICS = ("expert_name", "expert_role", "expert_organization")


def _set_score(gold: set[tuple[str, ...]], pred: set[tuple[str, ...]]) -> dict[str, float]:
    tp = len(gold & pred)
    return prf(tp, len(pred) - tp, len(gold) - tp)


def _pairs(experts: Sequence[Expert], field: str) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for expert in experts:
        value = speaker_key(getattr(expert, field))
        if value:
            out.add((speaker_key(expert.name) or "", value))
    return out


def score_experts(gold: Sequence[Expert], pred: Sequence[Expert]) -> dict[str, dict[str, float]]:
    """The three expert metrics of one document."""
    return {
        "expert_name": _set_score(
            {(speaker_key(e.name) or "",) for e in gold},
            {(speaker_key(e.name) or "",) for e in pred},
        ),
        "expert_role": _set_score(_pairs(gold, "role"), _pairs(pred, "role")),
        "expert_organization": _set_score(
            _pairs(gold, "organization"), _pairs(pred, "organization")
        ),
    }
