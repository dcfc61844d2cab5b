"""Hugging Face ``datasets``: extract over a Dataset, load corpora and records as Datasets.

:func:`extract_dataset` adds claimx's record columns to a Dataset with a batched
``Dataset.map``; the columns are typed, nested Arrow columns (:mod:`claimx.columns`), so
``ds.filter(lambda r: any(c["kind"] == "direct" for c in r["claims"]))`` and Parquet export
work without JSON parsing. :func:`load_articles` reads claimx inputs (JSONL, text files,
folders) and :func:`load_records` reads record files (claimx output or gold) into Datasets
with explicit ``Features``. ``datasets`` is imported on call.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .about import __version__
from .api import ErrorRecord, Item
from .columns import ITEM_COLUMNS, LIST_COLUMNS, item_row, record_row, record_schema
from .dates import normalize_date
from .sections import SECTION_CHARS

if TYPE_CHECKING:
    from datasets import Dataset, Features
    from spacy.language import Language

#: Columns :func:`extract_dataset` adds (after ``prefix``).
ADDED_COLUMNS = (*LIST_COLUMNS, "target", "target_source", "error")


def record_features() -> Features:
    """``datasets.Features`` of record rows (see :mod:`claimx.columns`)."""
    from datasets import Features

    return Features.from_arrow_schema(record_schema())


def article_features() -> Features:
    """``datasets.Features`` of article rows: ``id``, ``text``, ``target``, ``date``,
    ``error``."""
    from datasets import Features, Value

    return Features({name: Value("string") for name in ITEM_COLUMNS})


def extract_dataset(
    ds: Dataset,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    target_column: str | None = None,
    target: str | None = None,
    date_column: str | None = None,
    batch_size: int = 8,
    nlp: Language | None = None,
    prefix: str = "",
    max_chars: int | None = None,
    section_chars: int = SECTION_CHARS,
) -> Dataset:
    """``ds`` with claimx's record columns added, one ``nlp.pipe`` call per ``batch_size`` rows.

    Added columns (each name after ``prefix``): ``experts``, ``claims``, ``stances``,
    ``facts`` (lists of structs, record format v1), ``target`` and ``target_source`` (the
    stance target used), ``error`` (null, or why the row could not be processed: the row
    keeps its place and the map goes on). Ids are ``id_column``'s values, else ``row-<index>``.
    ``date_column`` holds each article's publication date (ISO 8601 date or date and time
    strings, or years, as :mod:`claimx.dates` reads them; nulls for none): facts take their
    time from it, and a malformed one is that row's ``error``.
    A dataset's own ``error`` column (from :func:`load_articles`) carries through as errors,
    and a ``target_column`` named like the added ``target`` is replaced by the target used.
    The map's fingerprint is derived from ``ds``'s and the settings, so the pipeline object
    is never hashed.
    """
    from datasets.fingerprint import Hasher

    from .batch import Options, process_items
    from .memory import release_memory

    for column in (text_column, id_column, target_column, date_column):
        if column is not None and column not in ds.column_names:
            raise ValueError(f"dataset has no column {column!r}; it has {ds.column_names}")
    added = {name: prefix + name for name in ADDED_COLUMNS}
    replaced = [
        n for n in (added["error"], target_column) if n in added.values() and n in ds.column_names
    ]
    clash = [n for n in added.values() if n in ds.column_names and n not in replaced]
    if clash:
        raise ValueError(f"dataset already has columns {clash}: pass a prefix, e.g. 'claimx_'")
    if nlp is None:
        from .api import default_pipeline

        nlp = default_pipeline()
    pipeline = nlp
    options = Options(max_chars=max_chars, section_chars=section_chars)
    carried_errors = added["error"] in ds.column_names

    def add_records(batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        items: list[Item | ErrorRecord] = []
        for k, index in enumerate(indices):
            rid = str(batch[id_column][k]) if id_column else f"row-{index}"
            if carried_errors and batch[added["error"]][k] is not None:
                items.append(ErrorRecord(rid, str(batch[added["error"]][k])))
                continue
            text = batch[text_column][k]
            item_target = batch[target_column][k] if target_column else target
            item_date = batch[date_column][k] if date_column else None
            if not isinstance(text, str):
                items.append(ErrorRecord(rid, f"row {index}: text is not a string"))
                continue
            try:
                date = normalize_date(item_date, f"row {index} (id {rid!r})")
            except ValueError as err:
                items.append(ErrorRecord(rid, str(err)))
                continue
            items.append(Item(rid, text, item_target, date))
        rows = [record_row(r) for r in process_items(pipeline, items, options)]
        release_memory()
        return {added[name]: [row[name] for row in rows] for name in ADDED_COLUMNS}

    schema = record_features()
    features = ds.features.copy()
    for name in replaced:
        del features[name]
    for name in ADDED_COLUMNS:
        features[added[name]] = schema[name]
    fingerprint = Hasher.hash(
        [
            ds._fingerprint,
            __version__,
            list(pipeline.pipe_names),
            text_column,
            id_column,
            target_column,
            target,
            date_column,
            batch_size,
            prefix,
            max_chars,
            section_chars,
        ]
    )
    return ds.map(
        add_records,
        batched=True,
        batch_size=batch_size,
        with_indices=True,
        features=features,
        remove_columns=replaced or None,
        new_fingerprint=fingerprint,
        desc="claimx",
    )


def load_articles(
    paths: list[str], target: str | None = None, cache_dir: str | None = None
) -> Dataset:
    """Articles from claimx inputs (``.jsonl``, ``.txt``, folders) as a Dataset of
    ``id``, ``text``, ``target``, ``date``, ``error`` (a bad line or file: ``text`` null,
    ``error`` set); pass ``date_column="date"`` to :func:`extract_dataset` to use the dates.

    Built with ``Dataset.from_generator``, which streams to an Arrow cache (in ``cache_dir``,
    default the ``datasets`` cache); the cache key includes each file's size and mtime.
    """
    from datasets import Dataset

    return Dataset.from_generator(
        _article_rows,
        features=article_features(),
        cache_dir=cache_dir,
        gen_kwargs={"paths": list(paths), "target": target, "stamp": _stamp(paths)},
    )


def load_records(path: str | Path, cache_dir: str | None = None) -> Dataset:
    """A JSONL file of records (claimx output, ``{"id", "error"}`` lines included, or gold)
    as a Dataset with :func:`record_features`; bad lines raise ``ValueError``."""
    from datasets import Dataset
    from datasets.exceptions import DatasetGenerationError

    try:
        return Dataset.from_generator(
            _record_rows,
            features=record_features(),
            cache_dir=cache_dir,
            gen_kwargs={"path": str(path), "stamp": _stamp([str(path)])},
        )
    except DatasetGenerationError as err:
        if isinstance(err.__cause__, ValueError):
            raise err.__cause__ from None
        raise


def _article_rows(paths: list[str], target: str | None, stamp: str) -> Iterator[dict[str, Any]]:
    from .inputs import iter_inputs

    for item in iter_inputs(paths, target):
        yield item_row(item)


def _record_rows(path: str, stamp: str) -> Iterator[dict[str, Any]]:
    from .records import ArticleRecord

    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not ("error" in data and "text" not in data):
                    data = ArticleRecord.from_dict(data).to_dict()
            except (json.JSONDecodeError, ValueError, TypeError) as err:
                raise ValueError(f"{path}:{lineno}: not a record ({err})") from None
            yield record_row(data)


def _stamp(paths: list[str]) -> str:
    """Sizes and modification times of ``paths`` (folders: of their files), for cache keys."""
    digest = hashlib.sha256()
    for raw in paths:
        path = Path(raw)
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
