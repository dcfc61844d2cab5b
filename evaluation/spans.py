"""Span matching primitives over ``(start, end)`` character offsets (end-exclusive).

Two ways for a predicted span to match a gold one:

* **exact**: same start and same end.
* **overlap**: the shared characters, divided by the length of the *longer* of the two spans,
  reach ``min_ratio`` (default 0.5)::

      ratio = overlap_chars / max(len(gold), len(pred))

  Worked example: gold ``(10, 30)`` (20 chars), pred ``(20, 35)`` (15 chars). They share
  ``(20, 30)``, 10 chars; the longer span has 20 chars; ratio = 10 / 20 = 0.5, a match at
  the default threshold. Pred ``(0, 40)`` covers all of gold but is 40 chars long: ratio =
  20 / 40 = 0.5, still a match; pred ``(0, 50)`` gives 20 / 50 = 0.4, no match. Dividing by
  the longer span punishes both a too-short and a too-long prediction, and two spans that
  touch (``(0, 5)`` and ``(5, 9)``) never match.

Labeled spans ``(start, end, label)`` (a claim's content with its kind) are scored in three
modes (:func:`score_labeled`), as nervaluate does for entities:

* **strict**: same start, same end and same label;
* **exact**: same start and same end, label ignored;
* **overlap**: ``overlap_ratio >= min_ratio``, label ignored.

Matching is one-to-one and greedy: candidate pairs are taken best ratio first (ties: gold
order, then prediction order), each gold and each predicted span used at most once. Scores
treat the spans of one document as sets (duplicates count once), as spaCy's
``Scorer.score_spans`` does, so strict scores equal spaCy's on the same data (micro and per
label: :func:`score_per_label` restricts both sides to one label, like spaCy's ``per_type``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

#: A character span: (start, end), end-exclusive.
Offsets = tuple[int, int]
#: A labeled character span: (start, end, label).
LabeledSpan = tuple[int, int, str]
#: Span matching modes of :func:`score_labeled`.
MODES = ("strict", "exact", "overlap")

DEFAULT_MIN_RATIO = 0.5


def exact_match(gold: Offsets, pred: Offsets) -> bool:
    """True when both spans have the same start and end."""
    return gold[0] == pred[0] and gold[1] == pred[1]


def overlap_chars(a: Offsets, b: Offsets) -> int:
    """Number of characters the two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlap_ratio(gold: Offsets, pred: Offsets) -> float:
    """Shared characters over the length of the longer span; 0.0 when both are empty."""
    longest = max(gold[1] - gold[0], pred[1] - pred[0])
    return overlap_chars(gold, pred) / longest if longest > 0 else 0.0


def overlap_match(gold: Offsets, pred: Offsets, min_ratio: float = DEFAULT_MIN_RATIO) -> bool:
    """True when the spans share characters and ``overlap_ratio >= min_ratio``."""
    if not 0.0 < min_ratio <= 1.0:
        raise ValueError(f"min_ratio must be in (0, 1], not {min_ratio!r}")
    return overlap_chars(gold, pred) > 0 and overlap_ratio(gold, pred) >= min_ratio


def unique(spans: Iterable[Offsets]) -> list[Offsets]:
    """The distinct spans, sorted by offsets."""
    return sorted({(int(s[0]), int(s[1])) for s in spans})


def match_spans(
    gold: Sequence[Offsets],
    pred: Sequence[Offsets],
    *,
    min_ratio: float | None = None,
    compatible: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching; returns ``(gold_index, pred_index)`` pairs.

    ``min_ratio=None`` asks for exact matches; a number asks for overlap matches at that
    threshold. ``compatible(i, j)``, if given, must also hold for gold ``i`` and pred ``j``
    (for example: same speaker).
    """
    candidates: list[tuple[float, int, int]] = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if min_ratio is None:
                ok, ratio = exact_match(g, p), 1.0
            else:
                ok, ratio = overlap_match(g, p, min_ratio), overlap_ratio(g, p)
            if ok and (compatible is None or compatible(i, j)):
                candidates.append((-ratio, i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """``{"p", "r", "f", "tp", "fp", "fn"}``; a ratio with a zero denominator is 0.0."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def add_counts(*scores: Mapping[str, float]) -> dict[str, float]:
    """Micro-average: sum the tp/fp/fn of several :func:`prf` dicts and recompute."""
    tp = sum(int(s["tp"]) for s in scores)
    fp = sum(int(s["fp"]) for s in scores)
    fn = sum(int(s["fn"]) for s in scores)
    return prf(tp, fp, fn)


def score_spans(
    gold: Iterable[Offsets],
    pred: Iterable[Offsets],
    *,
    min_ratio: float | None = None,
) -> dict[str, float]:
    """P/R/F1 of one document's predicted spans against its gold spans (as sets).

    ``min_ratio=None``: exact match; otherwise one-to-one overlap match at that threshold.
    """
    g, p = unique(gold), unique(pred)
    tp = len(match_spans(g, p, min_ratio=min_ratio))
    return prf(tp, len(p) - tp, len(g) - tp)


def score_labeled(
    gold: Iterable[LabeledSpan],
    pred: Iterable[LabeledSpan],
    mode: str,
    *,
    min_ratio: float = DEFAULT_MIN_RATIO,
) -> dict[str, float]:
    """P/R/F1 of one document's labeled spans in ``mode`` (strict, exact or overlap).

    Strict scores the distinct ``(start, end, label)`` triples, so a span predicted with two
    labels counts twice; exact and overlap score the distinct ``(start, end)`` pairs.
    """
    if mode == "strict":
        g = sorted({(int(s), int(e), str(lab)) for s, e, lab in gold})
        p = sorted({(int(s), int(e), str(lab)) for s, e, lab in pred})
        pairs = match_spans(
            [(s, e) for s, e, _ in g],
            [(s, e) for s, e, _ in p],
            compatible=lambda i, j: g[i][2] == p[j][2],
        )
        return prf(len(pairs), len(p) - len(pairs), len(g) - len(pairs))
    if mode == "exact":
        return score_spans([(s, e) for s, e, _ in gold], [(s, e) for s, e, _ in pred])
    if mode == "overlap":
        return score_spans(
            [(s, e) for s, e, _ in gold], [(s, e) for s, e, _ in pred], min_ratio=min_ratio
        )
    raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")


def score_per_label(
    gold: Iterable[LabeledSpan],
    pred: Iterable[LabeledSpan],
    labels: Iterable[str],
    *,
    min_ratio: float = DEFAULT_MIN_RATIO,
) -> dict[str, dict[str, dict[str, float]]]:
    """``{label: {"strict": prf, "overlap": prf}}``: both sides restricted to one label.

    Within one label strict and exact coincide, so only strict and overlap are given.
    """
    gold, pred = list(gold), list(pred)
    out = {}
    for label in labels:
        g = [s for s in gold if s[2] == label]
        p = [s for s in pred if s[2] == label]
        out[label] = {
            "strict": score_labeled(g, p, "strict"),
            "overlap": score_labeled(g, p, "overlap", min_ratio=min_ratio),
        }
    return out
