"""Score predicted numeric facts against gold facts (record format v1).

**Matching.** A predicted fact can match a gold fact when their spans share at least one
character and their values are equal (relative tolerance 1e-6; a range matches only a range
with the same ``upper``). Pairs are taken one-to-one, greedily: same unit first, then the
larger span overlap ratio, then gold order, then prediction order.

**Metrics** (one :func:`evaluation.spans.prf` dict each; fp = predicted facts minus hits,
fn = gold facts minus hits):

* ``value``: hits = matched pairs;
* ``value+unit``, ``value+bound``, ``value+time``, ``value+source``: matched pairs that also
  agree on that field (as in the CQE paper's value+unit; a null equals a null; units, times
  and sources compared case- and space-insensitively);
* ``time`` and ``source``: slot filling, where nulls earn nothing: hits = matched pairs whose
  field is set on both sides and equal; fp = predicted facts with the field set, minus hits;
  fn = gold facts with the field set, minus hits;
* ``kind/<kind>/value+unit``: ``value+unit`` with both sides restricted to facts of one kind
  (``quantity``, ``money``, ``percent``, ``count``, ``duration``, ``date``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from claimx.records import FACT_KINDS, Fact

from .claims import speaker_key
from .spans import overlap_chars, overlap_ratio, prf

REL_TOL = 1e-6
FIELDS = ("unit", "bound", "time", "source")
METRICS = (
    "value",
    "value+unit",
    "value+bound",
    "value+time",
    "value+source",
    "time",
    "source",
)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-9)


def values_equal(gold: Fact, pred: Fact) -> bool:
    """Same value and same upper end (both null, or equal within the tolerance)."""
    return _close(gold.value, pred.value) and _close(gold.upper, pred.upper)


def field_key(fact: Fact, field: str) -> str | None:
    """A fact's unit, bound, time or source, normalized for comparison."""
    return speaker_key(getattr(fact, field))


def match_facts(gold: Sequence[Fact], pred: Sequence[Fact]) -> list[tuple[int, int]]:
    """One-to-one ``(gold_index, pred_index)`` pairs of overlapping facts with equal values."""
    candidates = []
    for i, g in enumerate(gold):
        gs = (g.span.start, g.span.end)
        for j, p in enumerate(pred):
            ps = (p.span.start, p.span.end)
            if overlap_chars(gs, ps) > 0 and values_equal(g, p):
                other_unit = field_key(g, "unit") != field_key(p, "unit")
                candidates.append((other_unit, -overlap_ratio(gs, ps), i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _score(gold: Sequence[Fact], pred: Sequence[Fact]) -> dict[str, dict[str, float]]:
    pairs = match_facts(gold, pred)
    n_g, n_p = len(gold), len(pred)
    out = {"value": prf(len(pairs), n_p - len(pairs), n_g - len(pairs))}
    for field in FIELDS:
        hits = sum(field_key(gold[i], field) == field_key(pred[j], field) for i, j in pairs)
        out[f"value+{field}"] = prf(hits, n_p - hits, n_g - hits)
    for field in ("time", "source"):
        hits = sum(
            field_key(gold[i], field) is not None
            and field_key(gold[i], field) == field_key(pred[j], field)
            for i, j in pairs
        )
        set_g = sum(field_key(f, field) is not None for f in gold)
        set_p = sum(field_key(f, field) is not None for f in pred)
        out[field] = prf(hits, set_p - hits, set_g - hits)
    return out


def score_facts(gold: Sequence[Fact], pred: Sequence[Fact]) -> dict[str, dict[str, float]]:
    """All fact metrics of one document."""
    out = _score(gold, pred)
    for kind in FACT_KINDS:
        gk = [f for f in gold if f.kind == kind]
        pk = [f for f in pred if f.kind == kind]
        out[f"kind/{kind}/value+unit"] = _score(gk, pk)["value+unit"]
    return out


def fact_errors(gold: Sequence[Fact], pred: Sequence[Fact]) -> list[dict[str, Any]]:
    """Missed facts, false alarms and unit mismatches of one document, in text order."""
    pairs = match_facts(gold, pred)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    out: list[dict[str, Any]] = []

    def entry(error: str, fact: Fact, note: str) -> dict[str, Any]:
        return {"error": error, "start": fact.span.start, "end": fact.span.end, "note": note}

    for i, f in enumerate(gold):
        if i not in matched_g:
            out.append(entry("missed fact", f, f"gold {describe(f)}"))
    for j, f in enumerate(pred):
        if j not in matched_p:
            out.append(entry("false alarm", f, f"predicted {describe(f)}"))
    for i, j in pairs:
        if field_key(gold[i], "unit") != field_key(pred[j], "unit"):
            note = f"gold unit {gold[i].unit!r}, predicted {pred[j].unit!r}"
            out.append(entry("wrong unit", gold[i], note))
    return sorted(out, key=lambda e: (e["start"], e["end"], e["error"]))


def describe(fact: Fact) -> str:
    """``value[-upper] unit (kind, bound)`` in a few words."""
    value = f"{fact.value:g}" + ("" if fact.upper is None else f"-{fact.upper:g}")
    unit = f" {fact.unit}" if fact.unit else ""
    return f"{value}{unit} ({fact.kind}, {fact.bound})"
