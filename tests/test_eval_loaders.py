"""The ``datasets`` loaders: explicit Features, round trips, the shared corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimx.records import ArticleRecord
from evaluation import loaders


def test_record_features_are_nested_and_explicit() -> None:
    from datasets import List, Value

    features = loaders.record_features()
    assert features["id"] == Value("string")
    claims = features["claims"]
    assert isinstance(claims, List)
    assert claims.feature["content"]["start"] == Value("int32")
    assert features["facts"].feature["value"] == Value("float64")
    assert features["stances"].feature["evidence"] == List(Value("int32"))


def test_records_round_trip(tmp_path: Path, sample_record: ArticleRecord) -> None:
    sample_record.extra["polnear_source_phrases"] = [[0, 5], None, None]
    path = tmp_path / "records.jsonl"
    lines = [sample_record.to_json(), json.dumps({"id": "broken", "error": "bad input"})]
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    ds = loaders.load_records(path)
    assert ds.num_rows == 2 and ds.features == loaders.record_features()
    row = ds[0]
    assert row["claims"][1]["content"]["text"].startswith("Demand will exceed")
    assert row["claims"][2]["cue"] is None and row["target"] == "Japan will export arms"
    assert json.loads(row["extra"]) == {
        "polnear_source_phrases": [[0, 5], None, None],
        "target_source": "proposed",
    }
    assert ds[1]["error"] == "bad input" and ds[1]["text"] == ""
    records, errors = loaders.to_records(ds)
    assert errors == ["broken"]
    assert records[0].to_dict() == sample_record.to_dict()
    again = loaders.records_dataset(records)
    assert loaders.to_records(again)[0][0].to_dict() == sample_record.to_dict()


def test_load_records_errors(tmp_path: Path, sample_record: ArticleRecord) -> None:
    with pytest.raises(ValueError, match="not found"):
        loaders.load_records(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: invalid JSON"):
        loaders.load_records(bad)
    twice = tmp_path / "twice.jsonl"
    twice.write_text(sample_record.to_json() + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="occurs twice"):
        loaders.load_records(twice, twice)
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"id": "x", "text": "t", "claims": [{}]}) + "\n")
    with pytest.raises(ValueError, match=r"wrong.jsonl:1: .*missing required field"):
        loaders.load_records(wrong)


def test_load_polnear_from_a_folder(tmp_path: Path) -> None:
    from tests.test_eval_spans import _write_polnear

    _write_polnear(tmp_path)
    ds = loaders.load_polnear("dev", folder=tmp_path)
    assert ds.num_rows == 1 and ds.features == loaders.polnear_features()
    (doc,) = loaders.polnear_docs(ds)
    assert [doc.text[s:e] for s, e in doc.content] == ["“It works,”", "taxes", "rise"]
    assert [doc.text[s:e] for s, e in doc.source] == ["she", "Officials"]


def test_load_newsquant_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "nq.json"
    item = {
        "text": "Sales rose 5%.",
        "quantities": [
            {"value": "5", "unit": "%", "normalized_unit": "percentage", "change": "up"}
        ],
    }
    path.write_text(json.dumps([item]), encoding="utf-8")
    ds = loaders.load_newsquant(path)
    assert ds.features == loaders.newsquant_features()
    assert ds[0]["quantities"][0]["referred_concepts"] is None
    assert ds[0]["quantities"][0]["change"] == "up"


def test_shared_corpora_loaders(shared_dir: Path) -> None:
    polnear_file = shared_dir / "corpora" / "polnear" / "polnear.jsonl"
    if not polnear_file.exists():
        pytest.skip("PolNeAR is absent")
    polnear = loaders.load_polnear("dev", limit=2)
    assert polnear.num_rows == 2 and polnear[0]["content"]
    newsquant = loaders.load_newsquant()
    assert newsquant.num_rows == 295
    assert sum(len(q) for q in newsquant["quantities"]) == 461
    vast = loaders.load_vast("dev")
    assert vast.num_rows == 2062
    assert set(loaders.stance_labels(vast)) == {"favor", "against", "neutral"}
    emergent = loaders.load_emergent("test")
    assert emergent.num_rows == 524
    labels = loaders.stance_labels(emergent)
    assert (labels.count("favor"), labels.count("against"), labels.count("neutral")) == (
        246,
        91,
        187,
    )
