"""Record format v1: JSON round trip, validation, readable errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from claimx.records import ArticleRecord, read_records, write_records


def test_json_round_trip_keeps_every_field(sample_record: ArticleRecord) -> None:
    sample_record.validate()
    line = sample_record.to_json()
    again = ArticleRecord.from_json(line)
    assert again == sample_record
    assert again.to_dict() == json.loads(line)
    assert again.extra == {"target": "Japan will export arms", "target_source": "proposed"}
    assert again.claims[1].stance is not None and again.claims[1].stance.label == "favor"
    assert again.facts[0].value == 21_000_000.0 and again.facts[0].claim == 0


def test_write_then_read_records(sample_record: ArticleRecord, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    assert write_records([sample_record, sample_record], path) == 2
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "failed", "error": "article \'failed\': text is empty"}\n\n')
    assert list(read_records(path)) == [sample_record, sample_record]


def test_validate_catches_a_bad_offset(sample_record: ArticleRecord) -> None:
    sample_record.claims[1].content.start += 1
    with pytest.raises(ValueError, match=r"claims\[1\]\.content"):
        sample_record.validate()


def test_validate_catches_an_unknown_speaker(sample_record: ArticleRecord) -> None:
    sample_record.claims[0].speaker = "Nobody Known"
    with pytest.raises(ValueError, match="'Nobody Known' is not an expert"):
        sample_record.validate()


def test_validate_catches_bad_evidence_index(sample_record: ArticleRecord) -> None:
    sample_record.stances[0].evidence = [7]
    with pytest.raises(ValueError, match="evidence index 7"):
        sample_record.validate()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("claims", 0, "kind"), "quoted", r"claims\[0\]\.kind: 'quoted' is not one of"),
        (("facts", 1, "bound"), "about", r"facts\[1\]\.bound: 'about' is not one of"),
        (("stances", 0, "label"), "pro", r"stances\[0\]\.label: 'pro' is not one of"),
        (("experts", 1, "kind"), "robot", r"experts\[1\]\.kind: 'robot' is not one of"),
        (("facts", 0, "span", "start"), -3, r"facts\[0\]\.span: bad offsets -3"),
    ],
)
def test_from_dict_errors_name_the_field(
    sample_record: ArticleRecord, path: tuple, value: object, message: str
) -> None:
    data = copy.deepcopy(sample_record.to_dict())
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ValueError, match=r"record 'sample-1'\." + message):
        ArticleRecord.from_dict(data)


@pytest.mark.parametrize("field", ["content", "kind"])
def test_from_dict_names_a_missing_claim_field(sample_record: ArticleRecord, field: str) -> None:
    data = sample_record.to_dict()
    del data["claims"][2][field]
    with pytest.raises(ValueError, match=rf"claims\[2\]: missing required field '{field}'"):
        ArticleRecord.from_dict(data)


def test_from_dict_names_missing_text() -> None:
    with pytest.raises(ValueError, match="missing required field 'text'"):
        ArticleRecord.from_dict({"id": "x"})
    with pytest.raises(ValueError, match="'text' must be a string"):
        ArticleRecord.from_dict({"id": "x", "text": 3})


def test_read_records_reports_line_numbers(sample_record: ArticleRecord, tmp_path: Path) -> None:
    bad_json = tmp_path / "bad-json.jsonl"
    bad_json.write_text(sample_record.to_json() + "\n\n{not json}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad-json\.jsonl:3: invalid JSON"):
        list(read_records(bad_json))

    data = sample_record.to_dict()
    data["claims"][0]["kind"] = "rumour"
    bad_field = tmp_path / "bad-field.jsonl"
    bad_field.write_text(sample_record.to_json() + "\n" + json.dumps(data) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad-field\.jsonl:2: record 'sample-1'\.claims\[0\]"):
        list(read_records(bad_field))
