"""Score record files (record format v1): claims, experts, facts and expert stances.

Gold and predicted records are paired by ``id``. A gold article without a prediction (or
whose extraction failed) is scored as an empty prediction; a prediction with another text
than its gold raises ``ValueError``. Span, expert and fact metrics are micro averages: the
tp/fp/fn of every article are summed, then P/R/F1 computed once. Definitions and worked
examples: ``evaluation/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimx.records import ArticleRecord

from .claims import claim_errors, score_claims
from .examples import Example, example
from .experts import score_experts
from .facts import fact_errors, score_facts
from .spans import DEFAULT_MIN_RATIO, add_counts
from .stance import DEFAULT_RESAMPLES, DEFAULT_SEED, expert_stance_labels, score_labels

#: Error categories, in report order.
CATEGORIES = (
    "missed claim",
    "false alarm claim",
    "wrong speaker",
    "missed fact",
    "false alarm fact",
    "wrong unit",
    "wrong stance",
)


@dataclass
class RecordScores:
    """Scores by section, counts, error examples and the expert-stance items."""

    scores: dict[str, Any]
    counts: dict[str, int]
    examples: list[Example] = field(default_factory=list)
    stance_items: list[dict[str, Any]] = field(default_factory=list)


def _micro(per_doc: Sequence[Mapping[str, Mapping[str, float]]]) -> dict[str, dict[str, float]]:
    if not per_doc:
        return {}
    return {name: add_counts(*(d[name] for d in per_doc)) for name in per_doc[0]}


def score_records(
    golds: Iterable[ArticleRecord],
    preds: Iterable[ArticleRecord],
    failed: Iterable[str] = (),
    *,
    min_ratio: float = DEFAULT_MIN_RATIO,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    max_examples: int = 8,
) -> RecordScores:
    """Score predictions against gold records; ``failed`` ids are extractions that raised."""
    golds = list(golds)
    by_id = {p.id: p for p in preds}
    failed = set(failed)
    paired = [None if g.id in failed else by_id.get(g.id) for g in golds]
    claims, experts, facts = [], [], []
    examples: dict[str, list[Example]] = {c: [] for c in CATEGORIES}

    def add(ex: Example) -> None:
        if len(examples[ex.category]) < max_examples:
            examples[ex.category].append(ex)

    for gold, pred in zip(golds, paired, strict=True):
        claims.append(score_claims(gold, pred, min_ratio))
        experts.append(score_experts(gold.experts, pred.experts if pred else []))
        facts.append(score_facts(gold.facts, pred.facts if pred else []))
        for err in claim_errors(gold, pred, min_ratio):
            category = "false alarm claim" if err["error"] == "false alarm" else err["error"]
            mark = {"missed claim": "gold", "false alarm claim": "pred"}.get(category, "both")
            note = f"{err['kind']}; gold speaker {err['speaker']!r}"
            if category == "false alarm claim":
                note = f"{err['kind']}; predicted speaker {err['pred_speaker']!r}"
            elif category == "wrong speaker":
                note += f", predicted {err['pred_speaker']!r}"
            add(example(category, gold.id, gold.text, err["start"], err["end"], mark, note))
        for err in fact_errors(gold.facts, pred.facts if pred else []):
            category = "false alarm fact" if err["error"] == "false alarm" else err["error"]
            mark = {"missed fact": "gold", "false alarm fact": "pred"}.get(category, "both")
            add(example(category, gold.id, gold.text, err["start"], err["end"], mark, err["note"]))

    items = expert_stance_labels(golds, paired)
    by_doc = {g.id: g for g in golds}
    for item in items:
        if item["gold"] != item["pred"]:
            gold = by_doc[item["doc"]]
            note = (
                f"{item['speaker']} toward {item['target']!r}: gold {item['gold']}, "
                f"predicted {item['pred']}"
            )
            if item["evidence"]:
                content = gold.claims[item["evidence"][0]].content
                add(
                    example(
                        "wrong stance", gold.id, gold.text, content.start, content.end, "both", note
                    )
                )
            else:
                add(Example("wrong stance", gold.id, "", [], note))

    scores: dict[str, Any] = {
        "claims": _micro(claims),
        "experts": _micro(experts),
        "facts": _micro(facts),
    }
    if items:
        scores["stance"] = score_labels(
            [i["gold"] for i in items], [i["pred"] for i in items], resamples=resamples, seed=seed
        )
    predicted = [p for p in paired if p is not None]
    counts = {
        "docs": len(golds),
        "predicted_docs": len(predicted),
        "missing_docs": sum(1 for g in golds if g.id not in by_id and g.id not in failed),
        "failed_docs": sum(1 for g in golds if g.id in failed),
        "gold_claims": sum(len(g.claims) for g in golds),
        "pred_claims": sum(len(p.claims) for p in predicted),
        "gold_experts": sum(len(g.experts) for g in golds),
        "pred_experts": sum(len(p.experts) for p in predicted),
        "gold_facts": sum(len(g.facts) for g in golds),
        "pred_facts": sum(len(p.facts) for p in predicted),
        "gold_stances": len(items),
        "pred_stances": sum(len(p.stances) for p in predicted),
    }
    flat = [ex for c in CATEGORIES for ex in examples[c]]
    return RecordScores(scores, counts, flat, items)
