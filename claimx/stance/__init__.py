"""claimx stance: favor / against / neutral toward a target proposition.

``score_pairs`` scores free (text, target) pairs with the same model as the
``claimx_stance`` pipeline component. torch loads on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..paths import models_dir
from .aggregate import claim_stance


def _check_item(item: Any, index: int) -> tuple[str, str, str]:
    if not isinstance(item, Mapping):
        raise ValueError(f"item {index} must be a mapping, not {type(item).__name__}")
    rid = str(item["id"]) if item.get("id") is not None else f"pair-{index}"
    for key in ("text", "target"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"item {rid!r}: {key!r} must be a non-empty string")
    return rid, item["text"], item["target"]


def score_pairs(
    items: Iterable[Mapping[str, Any]],
    *,
    model_dir: str | Path | None = None,
    batch_size: int = 64,
) -> Iterator[dict[str, Any]]:
    """Stance of each ``{"id", "text", "target"}`` item, as ``{"id", "label", "score"}``, in order.

    A bad item raises ``ValueError`` naming it; missing weights raise ``ValueError`` too.
    """
    from .model import load_cached

    model = load_cached(model_dir if model_dir is not None else models_dir() / "stance")
    chunk: list[tuple[str, str, str]] = []

    def flush() -> Iterator[dict[str, Any]]:
        probs = model.predict_proba(
            [c[2] for c in chunk], [c[1] for c in chunk], batch_size=batch_size
        )
        for (rid, _, _), row in zip(chunk, probs, strict=True):
            label, score = claim_stance(row.tolist())
            yield {"id": rid, "label": label, "score": round(score, 4)}
        chunk.clear()

    for index, item in enumerate(items):
        chunk.append(_check_item(item, index))
        if len(chunk) >= batch_size * 4:
            yield from flush()
    if chunk:
        yield from flush()


__all__ = ["score_pairs"]
