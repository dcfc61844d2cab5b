"""Short synthetic news articles for batch, Ray and datasets tests."""

from __future__ import annotations

import json
from pathlib import Path

SPEAKERS = ("David Roche", "Naoko Aoki", "Rintaro Inoue", "Maria Lopez")


def article(i: int) -> str:
    """A short news-like article, different for every ``i``."""
    who = SPEAKERS[i % len(SPEAKERS)]
    return (
        f"Exports of machine tools rose {i + 3}% in 20{10 + i}, the ministry said on "
        f"Tuesday.\n\n"
        f'"Demand will exceed supply for {i + 2} years," said {who}, an analyst at a bank '
        f"in Tokyo. {who.split()[-1]} added that prices could climb to ${i + 1}.5bn.\n\n"
        f"Critics argued that the forecast of {20 + i} million units was too optimistic."
    )


def write_jsonl(path: Path, n: int, bad: bool = True) -> Path:
    rows = [json.dumps({"id": f"a{i:02d}", "text": article(i)}) for i in range(n)]
    if bad:
        rows[n // 2] = json.dumps({"id": "empty", "text": " "})
        rows.insert(n // 3, "{not json")
    path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return path
