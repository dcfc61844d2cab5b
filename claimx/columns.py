"""Records as table rows: one Arrow schema for Parquet output and Hugging Face datasets.

A row holds a record's fields as nested, typed columns, the same shape as record format v1::

    id: string            text: string           error: string (null unless extraction failed)
    experts: list<{name, kind, role, organization, mentions: list<span>}>
    claims:  list<{speaker, speaker_mention: span, content: span, cue: span, kind,
                   confidence: double, stance: {target, label, score: double}}>
    stances: list<{speaker, target, label, score: double, evidence: list<int64>}>
    facts:   list<{span: span, value: double, upper: double, unit, kind, bound, trend,
                   subject, time, source, claim: int64}>
    target, target_source: string
    date: string (the article's publication date when given: "2019-01-04", or "2019")
    span = {start: int64, end: int64, text: string}

Absent optional values are nulls. Fields outside the schema (a gold file's extras) are not
kept. An error row has ``id`` and ``error``, empty lists and null text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .api import ErrorRecord, Item
from .records import ArticleRecord

if TYPE_CHECKING:
    import pyarrow as pa

RECORD_COLUMNS = (
    "id",
    "text",
    "experts",
    "claims",
    "stances",
    "facts",
    "target",
    "target_source",
    "date",
    "error",
)
LIST_COLUMNS = ("experts", "claims", "stances", "facts")
ITEM_COLUMNS = ("id", "text", "target", "date", "error")
"""Columns of an input article row (all strings): what the datasets loader and the Ray
backend read, before extraction."""


def record_schema() -> pa.Schema:
    """The Arrow schema of record rows (pyarrow is imported on call)."""
    import pyarrow as pa

    string, double, integer = pa.string(), pa.float64(), pa.int64()
    span = pa.struct([("start", integer), ("end", integer), ("text", string)])
    expert = pa.struct(
        [
            ("name", string),
            ("kind", string),
            ("role", string),
            ("organization", string),
            ("mentions", pa.list_(span)),
        ]
    )
    claim = pa.struct(
        [
            ("speaker", string),
            ("speaker_mention", span),
            ("content", span),
            ("cue", span),
            ("kind", string),
            ("confidence", double),
            ("stance", pa.struct([("target", string), ("label", string), ("score", double)])),
        ]
    )
    stance = pa.struct(
        [
            ("speaker", string),
            ("target", string),
            ("label", string),
            ("score", double),
            ("evidence", pa.list_(integer)),
        ]
    )
    fact = pa.struct(
        [
            ("span", span),
            ("value", double),
            ("upper", double),
            ("unit", string),
            ("kind", string),
            ("bound", string),
            ("trend", string),
            ("subject", string),
            ("time", string),
            ("source", string),
            ("claim", integer),
        ]
    )
    return pa.schema(
        [
            ("id", string),
            ("text", string),
            ("experts", pa.list_(expert)),
            ("claims", pa.list_(claim)),
            ("stances", pa.list_(stance)),
            ("facts", pa.list_(fact)),
            ("target", string),
            ("target_source", string),
            ("date", string),
            ("error", string),
        ]
    )


def item_row(item: Item | ErrorRecord) -> dict[str, Any]:
    """An input item as a row of :data:`ITEM_COLUMNS` (a bad input: ``text`` null, ``error``
    set)."""
    if isinstance(item, ErrorRecord):
        return {"id": item.id, "text": None, "target": None, "date": None, "error": item.error}
    return {
        "id": item.id,
        "text": item.text,
        "target": item.target,
        "date": item.date,
        "error": None,
    }


def record_row(result: ArticleRecord | ErrorRecord | Mapping[str, Any]) -> dict[str, Any]:
    """One row of :func:`record_schema` from a record, an error record or their dicts."""
    data: Mapping[str, Any] = (
        result.to_dict() if isinstance(result, ArticleRecord | ErrorRecord) else result
    )
    if "error" in data and "text" not in data:
        row: dict[str, Any] = {name: None for name in RECORD_COLUMNS}
        row.update({name: [] for name in LIST_COLUMNS})
        row.update(id=str(data.get("id")), error=str(data["error"]))
        return row
    return {
        "id": str(data["id"]),
        "text": data["text"],
        "experts": [
            {**_fill(e, ("role", "organization")), "mentions": list(e.get("mentions") or [])}
            for e in data.get("experts") or []
        ],
        "claims": [
            _fill(c, ("speaker", "speaker_mention", "cue", "confidence", "stance"))
            for c in data.get("claims") or []
        ],
        "stances": [
            {**_fill(s, ("score",)), "evidence": list(s.get("evidence") or [])}
            for s in data.get("stances") or []
        ],
        "facts": [
            _fill(f, ("upper", "unit", "bound", "trend", "subject", "time", "source", "claim"))
            for f in data.get("facts") or []
        ],
        "target": data.get("target"),
        "target_source": data.get("target_source"),
        "date": None if data.get("date") is None else str(data["date"]),
        "error": None,
    }


def row_record(row: Mapping[str, Any]) -> ArticleRecord | ErrorRecord:
    """The record (or error record) of one row; the inverse of :func:`record_row`."""
    if row.get("error") is not None:
        return ErrorRecord(str(row["id"]), str(row["error"]))
    data = {key: row[key] for key in ("id", "text", *LIST_COLUMNS)}
    for key in ("target", "target_source", "date"):
        if row.get(key) is not None:
            data[key] = row[key]
    return ArticleRecord.from_dict(data)


def _fill(data: Mapping[str, Any], optional: tuple[str, ...]) -> dict[str, Any]:
    out = dict(data)
    for key in optional:
        out.setdefault(key, None)
    return out
