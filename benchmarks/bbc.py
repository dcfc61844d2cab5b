"""The BBC benchmark corpus: the first N distinct articles of ``../shared/corpora/bbc``."""

from __future__ import annotations

import json
from pathlib import Path

from claimx.paths import shared_dir


def bbc_path() -> Path:
    return shared_dir() / "corpora" / "bbc" / "bbc.jsonl"


def bbc_texts(n: int, path: Path | None = None, with_title: bool = False) -> list[str] | None:
    """The first ``n`` articles that are not duplicates, or ``None`` without the corpus."""
    path = path or bbc_path()
    if not path.is_file():
        return None
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("duplicate_of"):
                continue
            texts.append(f"{row['title']}\n\n{row['text']}" if with_title else row["text"])
            if len(texts) >= n:
                break
    return texts
