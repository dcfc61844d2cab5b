"""Evaluation corpora as ``datasets.Dataset`` objects with explicit ``datasets.Features``.

* :func:`load_records`: record-format-v1 JSONL (gold or predictions);
* :func:`load_polnear`: PolNeAR articles with their gold source / cue / content spans;
* :func:`load_newsquant`: NewsQuant sentences with their gold quantities;
* :func:`load_vast` and :func:`load_emergent`: stance pairs ``(id, target, text, label)``.

Records keep their nested structure: spans are ``{"start", "end", "text"}`` struct features
and the lists of experts, claims, stances and facts are ``List`` features of structs, so
``ds[0]["claims"][0]["content"]["start"]`` works as in the JSON (an optional span or struct
is ``None``). Fields outside the schema (``target_source``, ``polnear_source_phrases``, ...)
go into the ``extra`` column as one JSON string; the stance ``target`` has its own column.
``{"id", "error"}`` lines (failed extractions) become rows with ``error`` set and an empty
``text``. Files are read and validated by the project's own readers (``claimx.records``,
:mod:`evaluation.polnear`, :mod:`evaluation.newsquant`, ``claimx.stance.data``) and built
with ``Dataset.from_list(rows, features=...)``: record files carry optional extra fields
that ``load_dataset("json", features=...)`` would reject, and nothing is cached on disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimx.records import ArticleRecord

if TYPE_CHECKING:
    from datasets import Dataset, Features

    from .polnear import GoldDoc

#: Record fields with a column of their own; the rest goes to ``extra``.
RECORD_COLUMNS = ("id", "text", "experts", "claims", "stances", "facts", "target")


def _span() -> dict[str, Any]:
    from datasets import Value

    return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


def record_features() -> Features:
    """The schema of record format v1 (``shared/spec/RECORDS.md``)."""
    from datasets import Features, List, Value

    string, number = Value("string"), Value("float64")
    return Features(
        {
            "id": string,
            "text": string,
            "experts": List(
                {
                    "name": string,
                    "kind": string,
                    "role": string,
                    "organization": string,
                    "mentions": List(_span()),
                }
            ),
            "claims": List(
                {
                    "speaker": string,
                    "speaker_mention": _span(),
                    "content": _span(),
                    "cue": _span(),
                    "kind": string,
                    "confidence": number,
                    "stance": {"target": string, "label": string, "score": number},
                }
            ),
            "stances": List(
                {
                    "speaker": string,
                    "target": string,
                    "label": string,
                    "score": number,
                    "evidence": List(Value("int32")),
                }
            ),
            "facts": List(
                {
                    "span": _span(),
                    "value": number,
                    "upper": number,
                    "unit": string,
                    "kind": string,
                    "bound": string,
                    "trend": string,
                    "subject": string,
                    "time": string,
                    "source": string,
                    "claim": Value("int32"),
                }
            ),
            "target": string,
            "extra": string,
            "error": string,
        }
    )


def _record_row(record: ArticleRecord) -> dict[str, Any]:
    data = record.to_dict()
    claims = data["claims"]
    for claim in claims:
        claim.setdefault("confidence", None)
        claim.setdefault("stance", None)
    extra = {k: v for k, v in record.extra.items() if k != "target"}
    target = record.extra.get("target")
    return {
        **{k: data[k] for k in RECORD_COLUMNS if k != "target"},
        "target": None if target is None else str(target),
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None,
        "error": None,
    }


def _error_row(rid: str, error: str) -> dict[str, Any]:
    empty: dict[str, Any] = {"experts": [], "claims": [], "stances": [], "facts": []}
    return {"id": rid, "text": "", **empty, "target": None, "extra": None, "error": error}


def _record_rows(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{lineno}: invalid JSON ({err.msg})") from None
            if isinstance(data, dict) and "error" in data and "text" not in data:
                yield _error_row(str(data.get("id")), str(data["error"]))
                continue
            try:
                yield _record_row(ArticleRecord.from_dict(data))
            except ValueError as err:
                raise ValueError(f"{path}:{lineno}: {err}") from None


def records_dataset(records: Iterable[ArticleRecord]) -> Dataset:
    """A Dataset of records already in memory."""
    from datasets import Dataset

    return Dataset.from_list([_record_row(r) for r in records], features=record_features())


def load_records(*paths: str | Path) -> Dataset:
    """Records of one or more JSONL files, in file order (ids must be unique)."""
    from datasets import Dataset

    rows: list[dict[str, Any]] = []
    for path in paths:
        if not Path(path).is_file():
            raise ValueError(f"record file not found: {str(path)!r}")
        rows.extend(_record_rows(Path(path)))
    seen: set[str] = set()
    for row in rows:
        if row["id"] in seen:
            raise ValueError(
                f"record id {row['id']!r} occurs twice in {', '.join(map(str, paths))}"
            )
        seen.add(row["id"])
    return Dataset.from_list(rows, features=record_features())


def to_records(ds: Dataset) -> tuple[list[ArticleRecord], list[str]]:
    """The records of a :func:`load_records` Dataset, and the ids of its error rows."""
    records, errors = [], []
    for row in ds:
        assert isinstance(row, dict)
        if row.get("error") is not None:
            errors.append(str(row["id"]))
            continue
        data = {k: row[k] for k in RECORD_COLUMNS if k != "target"}
        data.update(json.loads(row["extra"]) if row.get("extra") else {})
        if row.get("target") is not None:
            data["target"] = row["target"]
        records.append(ArticleRecord.from_dict(data))
    return records, errors


def _offsets() -> Any:
    from datasets import List, Value

    return List({"start": Value("int32"), "end": Value("int32")})


def polnear_features() -> Features:
    """One PolNeAR article: id, text, and its gold spans per role."""
    from datasets import Features, Value

    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "source": _offsets(),
            "cue": _offsets(),
            "content": _offsets(),
        }
    )


def load_polnear(
    split: str = "dev", limit: int | None = None, folder: Path | None = None
) -> Dataset:
    """PolNeAR ``split`` read by :func:`evaluation.polnear.load_polnear` (first annotator)."""
    from datasets import Dataset

    from . import polnear

    rows = [
        {
            "id": doc.id,
            "text": doc.text,
            **{
                role: [{"start": s, "end": e} for s, e in getattr(doc, role)]
                for role in polnear.ROLES
            },
        }
        for doc in polnear.load_polnear(split, limit, folder)
    ]
    return Dataset.from_list(rows, features=polnear_features())


def polnear_docs(ds: Dataset) -> list[GoldDoc]:
    """The :class:`evaluation.polnear.GoldDoc` objects of a :func:`load_polnear` Dataset."""
    from .polnear import ROLES, GoldDoc

    docs = []
    for row in ds:
        assert isinstance(row, dict)
        spans = {role: [(int(s["start"]), int(s["end"])) for s in row[role]] for role in ROLES}
        docs.append(GoldDoc(row["id"], row["text"], **spans))
    return docs


def newsquant_features() -> Features:
    """One NewsQuant sentence and its gold quantities (all fields strings, as in the file)."""
    from datasets import Features, List, Value

    string = Value("string")
    quantity = {
        "value": string,
        "unit": string,
        "normalized_unit": string,
        "change": string,
        "referred_concepts": string,
    }
    return Features({"text": string, "quantities": List(quantity)})


def load_newsquant(path: str | Path | None = None, limit: int | None = None) -> Dataset:
    """NewsQuant sentences read by :func:`evaluation.newsquant.load`."""
    from datasets import Dataset

    from . import newsquant

    keys = ("value", "unit", "normalized_unit", "change", "referred_concepts")
    rows = [
        {
            "text": item["text"],
            "quantities": [
                {k: None if q.get(k) is None else str(q[k]) for k in keys}
                for q in item["quantities"]
            ],
        }
        for item in newsquant.load(path)[:limit]
    ]
    return Dataset.from_list(rows, features=newsquant_features())


def stance_features() -> Features:
    """One stance pair: the stance of ``text`` toward ``target``."""
    from datasets import ClassLabel, Features, Value

    from claimx.stance.data import LABELS

    return Features(
        {
            "id": Value("string"),
            "target": Value("string"),
            "text": Value("string"),
            "label": ClassLabel(names=list(LABELS)),
        }
    )


def _stance_dataset(name: str, pairs: list[Any], limit: int | None) -> Dataset:
    from datasets import Dataset

    rows = [
        {"id": f"{name}-{i}", "target": p.target, "text": p.text, "label": p.label}
        for i, p in enumerate(pairs[:limit])
    ]
    return Dataset.from_list(rows, features=stance_features())


def load_vast(split: str = "dev", limit: int | None = None) -> Dataset:
    """VAST ``split`` via ``claimx.stance.data.read_vast`` (pro/con -> favor/against)."""
    from claimx.stance.data import read_vast

    return _stance_dataset(f"vast-{split}", read_vast(split), limit)


def load_emergent(split: str = "test", limit: int | None = None) -> Dataset:
    """Emergent ``split`` (``claimx.stance.data.read_emergent``: for/against/observing)."""
    from claimx.stance.data import read_emergent

    return _stance_dataset(f"emergent-{split}", read_emergent(split), limit)


def stance_labels(ds: Dataset) -> list[str]:
    """The gold labels of a stance Dataset as strings."""
    names = ds.features["label"].names
    return [names[i] for i in ds["label"]]
