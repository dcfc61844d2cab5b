"""Stance training and evaluation corpora: VAST and Emergent as (target, text, label) pairs."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..paths import shared_dir

LABELS = ("favor", "against", "neutral")
VAST_LABELS = {"pro": "favor", "con": "against", "neutral": "neutral"}
EMERGENT_LABELS = {"for": "favor", "against": "against", "observing": "neutral"}


@dataclass(frozen=True)
class Pair:
    """One stance example: the stance of ``text`` toward ``target``."""

    target: str
    text: str
    label: str
    source: str


def vast_path(split: str) -> Path:
    """``vast_{split}.min.csv`` under the shared corpora folder."""
    return shared_dir() / "corpora" / "vast" / f"vast_{split}.min.csv"


def emergent_path() -> Path:
    return shared_dir() / "corpora" / "emergent" / "emergent_headline_stance.csv"


def _check(path: Path) -> Path:
    if not path.exists():
        raise ValueError(f"stance corpus not found: {str(path)!r}")
    return path


def read_vast(split: str) -> list[Pair]:
    """VAST rows of ``split`` (``train`` or ``dev``); rows with an empty post are skipped."""
    path = _check(vast_path(split))
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Pair(row["target"].strip(), row["text"].strip(), VAST_LABELS[row["label"]], "vast")
        for row in rows
        if row["text"].strip() and row["target"].strip()
    ]


def read_emergent(split: str) -> list[Pair]:
    """Emergent (claim, headline) rows of ``split`` (``train`` or ``test``)."""
    path = _check(emergent_path())
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Pair(
            row["claimHeadline"].strip(),
            row["articleHeadline"].strip(),
            EMERGENT_LABELS[row["articleHeadlineStance"]],
            "emergent",
        )
        for row in rows
        if row["split"] == split
    ]
