"""Where claimx finds its trained weights and the reference corpus."""

from __future__ import annotations

import hashlib
import os
import re
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


_UNSAFE = re.compile(r"[^\w.-]+")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def safe_filename(name: str, default: str = "article", max_chars: int = 100) -> str:
    """A file name made from an article id that cannot leave its folder or clash.

    Runs of characters other than letters, digits, ``_``, ``.`` and ``-`` become ``_``;
    leading dots and dashes go (no hidden files, no names read as options); Windows device
    names get a ``_``; long names are cut to ``max_chars``. A name that had to change gets
    ``-`` and 8 hex digits of its SHA-1, so that ids that differ keep files that differ.

    >>> safe_filename("japan-arms-exports")
    'japan-arms-exports'
    >>> safe_filename("../../etc/passwd")
    'etc_passwd-936d7c04'
    """
    cleaned = _UNSAFE.sub("_", name).lstrip(".-_") or default
    if cleaned.split(".")[0].lower() in _RESERVED:
        cleaned = f"{cleaned}_"
    cleaned = cleaned[:max_chars]
    if cleaned == name:
        return cleaned
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned}-{digest}"
