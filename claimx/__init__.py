"""claimx: who claimed what in the news, as a spaCy pipeline.

>>> import claimx
>>> record = claimx.extract(text, target="Japan can become a major arms exporter")  # doctest: +SKIP

Heavy libraries (spaCy, torch, transformers) are imported on first use, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .about import __version__
from .memory import bound_primitive_cache
from .offline import set_offline

set_offline()
bound_primitive_cache()

if TYPE_CHECKING:
    from .api import ErrorRecord, extract, extract_many
    from .hf import extract_dataset
    from .pipeline import load
    from .records import ArticleRecord, Claim, Expert, Fact, Span, Stance, read_records

__all__ = [
    "__version__",
    "load",
    "extract",
    "extract_many",
    "extract_dataset",
    "ErrorRecord",
    "ArticleRecord",
    "Claim",
    "Expert",
    "Fact",
    "Span",
    "Stance",
    "read_records",
]

_LAZY = {
    "load": "pipeline",
    "extract": "api",
    "extract_many": "api",
    "extract_dataset": "hf",
    "ErrorRecord": "api",
    "ArticleRecord": "records",
    "Claim": "records",
    "Expert": "records",
    "Fact": "records",
    "Span": "records",
    "Stance": "records",
    "read_records": "records",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'claimx' has no attribute {name!r}")
