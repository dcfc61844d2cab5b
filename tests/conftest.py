"""Shared fixtures: one claimx pipeline per session, the shared corpora folder, no network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import claimx
from claimx import paths

if TYPE_CHECKING:
    from spacy.language import Language

SEED_ARTICLE = paths.corpora_dir() / "seed" / "japan-arms-exports.txt"


@pytest.fixture(scope="session")
def nlp() -> Iterator[Language]:
    """The default claimx pipeline, built once for the whole session."""
    from spacy.util import fix_random_seed

    fix_random_seed(0)
    yield claimx.load()


@pytest.fixture()
def default_nlp(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> Language:
    """Make ``claimx.api.default_pipeline()`` return the session pipeline."""
    from claimx import api

    monkeypatch.setattr(api, "default_pipeline", lambda: nlp)
    return nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared corpora folder; skips the test when it is absent."""
    path = paths.shared_dir()
    if not path.is_dir():
        pytest.skip(f"shared corpora folder {path} is absent")
    return path


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every attempt to open a socket fail."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


SAMPLE_TEXT = (
    "Exports reached 21 million TIV in 2024, according to SIPRI.\n"
    '"Demand will exceed supply <for a decade> & more," said David Roche, a strategist at '
    "Quantum Strategy.\n"
    "Roche added that Japan could export more."
)


def _span(text: str, piece: str, start: int = 0) -> dict[str, Any]:
    begin = text.index(piece, start)
    return {"start": begin, "end": begin + len(piece), "text": piece}


@pytest.fixture()
def sample_record() -> claimx.ArticleRecord:
    """A hand-made record that uses every field of format v1."""
    t = SAMPLE_TEXT
    data = {
        "id": "sample-1",
        "text": t,
        "experts": [
            {
                "name": "David Roche",
                "kind": "person",
                "role": "strategist",
                "organization": "Quantum Strategy",
                "mentions": [_span(t, "David Roche"), _span(t, "Roche", t.index("Roche added"))],
            },
            {
                "name": "SIPRI",
                "kind": "organization",
                "role": None,
                "organization": None,
                "mentions": [_span(t, "SIPRI")],
            },
        ],
        "claims": [
            {
                "speaker": "SIPRI",
                "speaker_mention": _span(t, "SIPRI"),
                "content": _span(t, "Exports reached 21 million TIV in 2024"),
                "cue": _span(t, "according to"),
                "kind": "indirect",
            },
            {
                "speaker": "David Roche",
                "speaker_mention": _span(t, "David Roche"),
                "content": _span(t, "Demand will exceed supply <for a decade> & more,"),
                "cue": _span(t, "said"),
                "kind": "direct",
                "confidence": 0.93,
                "stance": {"target": "Japan will export arms", "label": "favor", "score": 0.8},
            },
            {
                "speaker": None,
                "speaker_mention": None,
                "content": _span(t, "Japan could export more"),
                "cue": None,
                "kind": "indirect",
            },
        ],
        "stances": [
            {
                "speaker": "David Roche",
                "target": "Japan will export arms",
                "label": "favor",
                "score": 0.8,
                "evidence": [1],
            }
        ],
        "facts": [
            {
                "span": _span(t, "21 million TIV"),
                "value": 21_000_000.0,
                "upper": None,
                "unit": "TIV",
                "kind": "quantity",
                "bound": "exact",
                "trend": None,
                "subject": "exports",
                "time": "2024",
                "source": "SIPRI",
                "claim": 0,
            },
            {
                "span": _span(t, "2024"),
                "value": 2024.0,
                "upper": None,
                "unit": "year",
                "kind": "date",
                "bound": "exact",
                "trend": None,
                "subject": None,
                "time": None,
                "source": None,
                "claim": None,
            },
        ],
        "target": "Japan will export arms",
        "target_source": "proposed",
    }
    return claimx.ArticleRecord.from_dict(data)
