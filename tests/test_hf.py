"""Hugging Face datasets: record columns added by a batched map; corpora and records loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import Dataset
from spacy.language import Language

import claimx
from claimx.columns import record_row, record_schema, row_record
from claimx.hf import extract_dataset, load_articles, load_records, record_features
from claimx.records import ArticleRecord
from tests.articles import article, write_jsonl


def test_extract_dataset_adds_typed_record_columns(nlp: Language) -> None:
    texts = [article(0), " ", article(1), None]
    ds = Dataset.from_dict({"key": ["a", "b", "c", "d"], "text": texts})
    out = extract_dataset(ds, id_column="key", nlp=nlp, batch_size=2)
    assert out.column_names == [
        "key",
        "text",
        "experts",
        "claims",
        "stances",
        "facts",
        "target",
        "target_source",
        "error",
    ]
    assert out.features["claims"] == record_features()["claims"]
    expected = list(claimx.extract_many(texts[:3], nlp=nlp, batch_size=2, errors="record"))
    rows = out.to_list()
    assert rows[1]["error"] and "empty" in rows[1]["error"] and rows[1]["claims"] == []
    assert rows[3]["error"] == "row 3: text is not a string"
    for row, want in zip(rows[::2], expected[::2], strict=True):
        assert isinstance(want, ArticleRecord) and row["error"] is None
        got = row_record({**row, "id": want.id})
        assert got.to_dict() == want.to_dict()
        assert any(c["kind"] == "direct" for c in row["claims"])


def test_extract_dataset_ids_targets_and_clashes(nlp: Language) -> None:
    ds = Dataset.from_dict({"text": [article(2)], "claims": ["mine"], "t": ["Prices will rise"]})
    with pytest.raises(ValueError, match="already has columns \\['claims'\\]"):
        extract_dataset(ds, nlp=nlp)
    with pytest.raises(ValueError, match="no column 'body'"):
        extract_dataset(ds, text_column="body", nlp=nlp)
    out = extract_dataset(ds, target_column="t", prefix="claimx_", nlp=nlp)
    (row,) = out.to_list()
    assert row["claims"] == "mine" and row["claimx_claims"]
    assert (row["claimx_target"], row["claimx_target_source"]) == ("Prices will rise", "caller")
    assert row_record({**{k[7:]: v for k, v in row.items()}, "id": "row-0", "text": row["text"]})


def test_load_articles_keeps_bad_lines_as_errors(nlp: Language, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 4)
    ds = load_articles([str(source)], target="T", cache_dir=str(tmp_path / "cache"))
    assert ds.column_names == ["id", "text", "target", "date", "error"]
    rows = ds.to_list()
    assert [r["id"] for r in rows] == ["a00", "in:2", "a01", "empty", "a03"]
    assert rows[1]["text"] is None and "invalid JSON" in rows[1]["error"]
    assert rows[0]["target"] == "T" and rows[0]["error"] is None
    out = extract_dataset(ds, id_column="id", target_column="target", nlp=nlp)
    errors = dict(zip(out["id"], out["error"], strict=True))
    assert "invalid JSON" in errors["in:2"] and "empty" in errors["empty"]
    assert errors["a00"] is None and "error" in out.column_names


def test_load_records_round_trips(sample_record: ArticleRecord, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [sample_record.to_json(), json.dumps({"id": "bad", "error": "boom"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = load_records(path, cache_dir=str(tmp_path / "cache"))
    assert ds.features == record_features()
    first, second = ds.to_list()
    assert row_record(first).to_dict() == sample_record.to_dict()
    assert row_record(second).to_dict() == {"id": "bad", "error": "boom"}
    path.write_text('{"id": "x", "text": "t", "claims": [{"kind": "odd"}]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="records.jsonl:1: not a record"):
        load_records(path, cache_dir=str(tmp_path / "cache2"))


def test_record_rows_fit_the_arrow_schema(sample_record: ArticleRecord) -> None:
    import pyarrow as pa

    table = pa.Table.from_pylist([record_row(sample_record)], schema=record_schema())
    assert row_record(table.to_pylist()[0]).to_dict() == sample_record.to_dict()
