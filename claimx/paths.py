"""Where claimx finds its trained weights and the reference corpus."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    """The folder of trained claimx weights: ``$CLAIMX_MODELS`` or the repo's ``models/``."""
    return Path(os.environ.get("CLAIMX_MODELS", REPO_ROOT / "models"))


def corpora_dir() -> Path:
    return REPO_ROOT / "corpora"


def shared_dir() -> Path:
    """The shared corpora folder (``../shared`` beside the repo); may be absent."""
    return Path(os.environ.get("CLAIMX_SHARED", REPO_ROOT.parent / "shared"))
