"""Stance scores: accuracy, per-label and macro F1, confusion matrix, bootstrap intervals.

Labels are ``favor``, ``against`` and ``neutral``. A prediction may also be ``none`` (an
expert the extractor gave no stance): it is always wrong and is nobody's false positive.

* ``accuracy``: share of items whose predicted label equals the gold label;
* per label: P = right / predicted with the label, R = right / gold with the label,
  F1 = 2PR / (P + R), 0.0 when undefined;
* ``macro_f1``: mean F1 over the labels that occur in the gold or the predicted labels
  (scikit-learn's default; with all three present it is ``claimx.stance.train``'s
  macro-F1); ``favor_against_f1``: the same mean over favor and against only (VAST's caveat:
  most neutral rows are synthetic);
* ``ci``: percentile bootstrap intervals (default 95%, 1,000 resamples of the items with
  replacement, ``numpy.random.default_rng(seed)``) for accuracy, macro-F1 and favor/against
  F1.

Expert stance in records (:func:`expert_stance_labels`): one item per gold stance; the
predicted label is that of the predicted stance of the same speaker (names compared as in
:func:`evaluation.claims.speaker_key`) in the same article, preferring one with the same
target, else ``none``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from claimx.records import ArticleRecord

from .claims import speaker_key

LABELS = ("favor", "against", "neutral")
NONE = "none"
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0


def _f1_table(gold: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F1 of each label (columns) for each row of label-index arrays ``(rows, n)``, and
    whether the label occurs in that row's gold or predictions."""
    f1 = np.zeros((gold.shape[0], len(LABELS)))
    present = np.zeros((gold.shape[0], len(LABELS)), dtype=bool)
    for k in range(len(LABELS)):
        tp = ((gold == k) & (pred == k)).sum(axis=1)
        denom = (pred == k).sum(axis=1) + (gold == k).sum(axis=1)
        f1[:, k] = np.divide(2.0 * tp, denom, out=np.zeros(len(tp)), where=denom > 0)
        present[:, k] = denom > 0
    return f1, present


def _mean_present(f1: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Row means of ``f1`` over the present labels (0.0 where none is present)."""
    count = present.sum(axis=1)
    total = (f1 * present).sum(axis=1)
    return np.divide(total, count, out=np.zeros(len(count)), where=count > 0)


def _encode(labels: Sequence[str]) -> np.ndarray:
    index = {label: k for k, label in enumerate(LABELS)}
    for label in labels:
        if label not in index and label != NONE:
            raise ValueError(f"stance label {label!r} is not one of {', '.join(LABELS)}, {NONE}")
    return np.array([index.get(label, len(LABELS)) for label in labels], dtype=np.int64)


def confusion(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """``{"gold": labels, "pred": labels + ["none"], "matrix": rows of counts}``."""
    g, p = _encode(gold), _encode(pred)
    matrix = [[int(((g == i) & (p == j)).sum()) for j in range(len(LABELS) + 1)] for i in range(3)]
    return {"gold": list(LABELS), "pred": [*LABELS, NONE], "matrix": matrix}


def bootstrap(
    gold: Sequence[str],
    pred: Sequence[str],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> dict[str, Any]:
    """Percentile bootstrap intervals of accuracy, macro-F1 and favor/against F1."""
    g, p = _encode(gold), _encode(pred)
    n = len(g)
    info: dict[str, Any] = {"resamples": resamples, "seed": seed, "level": level}
    if n == 0 or resamples < 1:
        return info
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(resamples, n))
    gs, ps = g[idx], p[idx]
    f1, present = _f1_table(gs, ps)
    values = {
        "accuracy": (gs == ps).mean(axis=1),
        "macro_f1": _mean_present(f1, present),
        "favor_against_f1": _mean_present(f1[:, :2], present[:, :2]),
    }
    tail = 100 * (1 - level) / 2
    for name, vals in values.items():
        low, high = np.percentile(vals, [tail, 100 - tail])
        info[name] = {"low": float(low), "high": float(high)}
    return info


def score_labels(
    gold: Sequence[str],
    pred: Sequence[str],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Accuracy, per-label P/R/F1, macro-F1, favor/against F1, confusion and bootstrap CIs."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels for {len(pred)} predictions")
    g, p = _encode(gold), _encode(pred)
    per_label = {}
    for k, label in enumerate(LABELS):
        tp = int(((g == k) & (p == k)).sum())
        n_pred, n_gold = int((p == k).sum()), int((g == k).sum())
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
        per_label[label] = {"p": prec, "r": rec, "f": f1, "support": n_gold, "predicted": n_pred}
    table, present = _f1_table(g[None, :], p[None, :])
    return {
        "n": len(g),
        "accuracy": float((g == p).mean()) if len(g) else 0.0,
        "macro_f1": float(_mean_present(table, present)[0]),
        "favor_against_f1": float(_mean_present(table[:, :2], present[:, :2])[0]),
        "per_label": per_label,
        "confusion": confusion(gold, pred),
        "ci": bootstrap(gold, pred, resamples=resamples, seed=seed),
    }


def expert_stance_labels(
    golds: Sequence[ArticleRecord], preds: Sequence[ArticleRecord | None]
) -> list[dict[str, Any]]:
    """One ``{"doc", "speaker", "target", "gold", "pred", "evidence"}`` item per gold stance."""
    items = []
    for gold, pred in zip(golds, preds, strict=True):
        for stance in gold.stances:
            key = speaker_key(stance.speaker)
            same = [s for s in (pred.stances if pred else []) if speaker_key(s.speaker) == key]
            on_target = [s for s in same if speaker_key(s.target) == speaker_key(stance.target)]
            chosen = on_target[0] if on_target else same[0] if same else None
            items.append(
                {
                    "doc": gold.id,
                    "speaker": stance.speaker,
                    "target": stance.target,
                    "gold": stance.label,
                    "pred": NONE if chosen is None else chosen.label,
                    "evidence": list(stance.evidence),
                }
            )
    return items
