"""A stacked calibrator: multinomial logistic regression over the encoder's logits and news cues.

The cross-encoder learns mostly from long opinion comments (VAST); news headlines and claims
carry strong lexical signals (hedges, attribution, refuting words, questions) that it
under-uses. The calibrator applies to **short texts only** (at most 30 words: headlines and
most news claims; no VAST comment is that short), where it replaces the softmax; longer
texts keep the encoder's softmax. It is fitted after the encoder, on the short texts of
the training data (Emergent train, a sample of VAST train), over

- the encoder's centred logits,
- the 13 cue rates of :func:`claimx.stance.cues.cue_features`,
- the binary cues of :func:`claimx.stance.cues.news_features` (all but ``short``).

Inference is a matrix product in numpy; the weights are kept in ``calibrator.json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .cues import FEATURE_NAMES, NEWS_FEATURE_NAMES, SHORT_WORDS, cue_features, news_features, words

CALIBRATOR_FILE = "calibrator.json"
LOGIT_NAMES = ("logit_favor", "logit_against", "logit_neutral")


def feature_names() -> list[str]:
    """Names of the calibrator's input columns, in order."""
    return [*LOGIT_NAMES, *FEATURE_NAMES, *NEWS_FEATURE_NAMES[1:]]


def applies(text: str) -> bool:
    """Whether the calibrator scores ``text`` (at most ``SHORT_WORDS`` words)."""
    return len(words(text)) <= SHORT_WORDS


def features(
    logits: np.ndarray,
    targets: Sequence[str],
    texts: Sequence[str],
    cues: np.ndarray | None = None,
) -> np.ndarray:
    """The calibrator's input matrix, shape ``(n, len(feature_names()))``.

    ``cues``, the pairs' :func:`~claimx.stance.cues.cue_features` rows when the caller has
    them already (the encoder reads the same vector), saves computing them again.
    """
    logits = np.asarray(logits, dtype=np.float32).reshape(len(texts), -1)
    centred = logits - logits.mean(axis=1, keepdims=True)
    if cues is None:
        cues = np.array(
            [cue_features(t, x) for t, x in zip(targets, texts, strict=True)], dtype=np.float32
        )
    cues = np.asarray(cues, dtype=np.float32).reshape(len(texts), len(FEATURE_NAMES))
    news = np.array(
        [news_features(t, x) for t, x in zip(targets, texts, strict=True)], dtype=np.float32
    ).reshape(len(texts), len(NEWS_FEATURE_NAMES))
    return np.hstack([centred, cues, news[:, 1:]])


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


@dataclass
class Calibrator:
    """Weights ``(labels, features)`` and bias of a multinomial logistic regression."""

    weight: np.ndarray
    bias: np.ndarray
    names: list[str]
    info: dict[str, Any]

    def predict_proba(
        self,
        logits: np.ndarray,
        targets: Sequence[str],
        texts: Sequence[str],
        cues: np.ndarray | None = None,
    ) -> np.ndarray:
        """Calibrated probabilities for short texts, the softmax of ``logits`` for the rest
        (``cues``: the pairs' cue vectors if already computed, see :func:`features`)."""
        out = softmax(np.asarray(logits, dtype=np.float32))
        rows = [i for i, text in enumerate(texts) if applies(text)]
        if rows:
            x = features(
                np.asarray(logits, dtype=np.float32)[rows],
                [targets[i] for i in rows],
                [texts[i] for i in rows],
                None if cues is None else np.asarray(cues)[rows],
            )
            out[rows] = softmax(x @ self.weight.T + self.bias)
        return out

    def save(self, path: str | Path) -> None:
        data = {
            "names": self.names,
            "weight": self.weight.round(6).tolist(),
            "bias": self.bias.round(6).tolist(),
            "info": self.info,
        }
        Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Calibrator:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data["names"] != feature_names():
            raise ValueError(f"calibrator at {str(path)!r} does not match the current features")
        return cls(
            np.array(data["weight"], dtype=np.float32),
            np.array(data["bias"], dtype=np.float32),
            list(data["names"]),
            dict(data.get("info") or {}),
        )


def fit(
    logits: np.ndarray,
    targets: Sequence[str],
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    l2: float = 1e-3,
    n_labels: int = 3,
    info: dict[str, Any] | None = None,
) -> Calibrator:
    """Fit by L-BFGS on class-balanced cross-entropy plus ``l2`` times the squared weights.

    Only the rows whose text :func:`applies` are used.
    """
    import torch

    rows = [i for i, text in enumerate(texts) if applies(text)]
    logits = np.asarray(logits, dtype=np.float32)[rows]
    x = torch.tensor(features(logits, [targets[i] for i in rows], [texts[i] for i in rows]))
    y = torch.tensor([labels[i] for i in rows], dtype=torch.long)
    counts = torch.bincount(y, minlength=n_labels).float().clamp(min=1.0)
    class_weight = counts.sum() / (n_labels * counts)
    weight = torch.zeros(n_labels, x.shape[1], requires_grad=True)
    bias = torch.zeros(n_labels, requires_grad=True)
    optimizer = torch.optim.LBFGS([weight, bias], max_iter=500, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(x @ weight.T + bias, y, weight=class_weight)
        loss = loss + l2 * (weight**2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return Calibrator(
        weight.detach().numpy().copy(),
        bias.detach().numpy().copy(),
        feature_names(),
        dict(info or {}),
    )
