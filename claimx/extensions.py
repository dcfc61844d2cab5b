"""Custom Doc attributes where claimx components keep their annotations.

Every value is JSON-able (lists, dicts, strings, numbers) so that it survives
``Doc.to_bytes`` / ``DocBin``. Offsets are character offsets into ``doc.text``
written as ``[start, end]`` pairs; records are built from them on demand
(:func:`claimx.records.record_from_doc`).

``claimx_claims``: one dict per attribution::

    {"content": [s, e], "cue": [s, e] | None, "source": [s, e] | None,
     "kind": "direct" | "indirect" | "mixed", "speaker": str | None,
     "confidence": float, "stance": None | {"target", "label", "score"}}

``claimx_experts``: ``{"name", "kind", "role", "organization", "mentions": [[s, e], ...]}``.

``claimx_facts``: ``{"span": [s, e], "value", "upper", "unit", "kind", "bound", "trend",
"subject", "time", "source", "claim"}`` (see RECORDS.md).

``claimx_stances``: ``{"speaker", "target", "label", "score", "evidence": [int, ...]}``.

``claimx_quotes``: ``[open mark, close mark + 1]`` of each top-level quotation, set by
``claimx_attribution`` for the components after it.

``claimx_target``: the stance target used for the doc; ``claimx_target_source`` says whether
the caller gave it (``"caller"``) or the stance component proposed it (``"proposed"``).

``claimx_date_iso``: the article's publication date as the caller gave it, normalized
(:func:`claimx.dates.normalize_date`): ``"2019-01-04"``, ``"2019"`` for a bare year, or None.
``claimx_date`` reads it as a :class:`datetime.date` (a bare year: January 1 of that year) and
sets it from a date, a datetime or an ISO string; the facts component resolves fact times
against it and the record keeps it as ``"date"``.
"""

from __future__ import annotations

import datetime
import weakref
from typing import Any

from spacy.tokens import Doc

_TEXTS: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc.

    spaCy builds ``Doc.text`` anew from every token on each access, so a component that
    slices it per claim or per verb pays for the whole article each time (about a fifth of
    the pipeline's time on BBC articles, before this cache). A doc's text never changes
    (retokenizing keeps it), so it is kept here, for as long as the doc lives.
    """
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


LIST_ATTRS = ("claimx_claims", "claimx_experts", "claimx_facts", "claimx_stances", "claimx_quotes")
VALUE_ATTRS = ("claimx_target", "claimx_target_source", "claimx_id", "claimx_date_iso")


def register_extensions() -> None:
    """Register claimx's Doc attributes once; safe to call repeatedly."""
    for name in LIST_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in VALUE_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("claimx_date"):
        Doc.set_extension("claimx_date", getter=_get_date, setter=_set_date)


def _get_date(doc: Doc) -> datetime.date | None:
    from .dates import ArticleDate

    iso = doc._.claimx_date_iso
    return None if iso is None else ArticleDate.from_iso(iso).as_date


def _set_date(doc: Doc, value: Any) -> None:
    from .dates import normalize_date

    doc._.claimx_date_iso = normalize_date(value, f"article {doc._.claimx_id!r}")


def get_list(doc: Doc, name: str) -> list:
    """Return the list stored under ``doc._.<name>``, creating it if unset."""
    value = doc._.get(name)
    if value is None:
        value = []
        doc._.set(name, value)
    return value
