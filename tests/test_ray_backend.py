"""The Ray Data backend on a local two-CPU Ray: the local backend's bytes, and Parquet rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from spacy.language import Language

from claimx.cli import main
from claimx.columns import row_record
from tests.articles import write_jsonl


def test_missing_ray_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    source = write_jsonl(tmp_path / "in.jsonl", 2, bad=False)
    argv = ["extract", str(source), "-o", str(tmp_path / "out.jsonl"), "--backend", "ray"]
    assert main(argv) == 1
    assert "pip install 'claimx[ray]'" in capsys.readouterr().err


def test_ray_backend_writes_what_the_local_backend_writes(
    default_nlp: Language,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    ray = pytest.importorskip("ray")
    import pyarrow.parquet as pq

    source = write_jsonl(tmp_path / "in.jsonl", 7).resolve()
    local, remote, table = (tmp_path / n for n in ("local.jsonl", "ray.jsonl", "out.parquet"))
    common = ["--batch-size", "2", "--torch-threads", "1"]
    assert main(["extract", str(source), "-o", str(local), *common]) == 0
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        ray_args = [*common, "--backend", "ray", "--n-process", "2"]
        assert main(["extract", str(source), "-o", str(remote), *ray_args]) == 0
        assert remote.read_bytes() == local.read_bytes()
        assert main(["extract", str(source), "-o", str(table), *ray_args]) == 0
        lines = remote.read_bytes().splitlines(keepends=True)
        remote.write_bytes(b"".join(lines[:3]) + lines[3][:20])
        assert main(["extract", str(source), "-o", str(remote), *ray_args, "--resume"]) == 0
    finally:
        ray.shutdown()
    assert remote.read_bytes() == local.read_bytes()
    err = capsys.readouterr().err
    assert err.count("claimx: 6 articles") == 3 and err.count("2 errors") == 3
    assert "cut off a torn last line (20 bytes)" in err and "3 already done" in err
    lines = local.read_text(encoding="utf-8").splitlines()
    rows = pq.read_table(table).to_pylist()
    assert [row["id"] for row in rows] == [line.split('"')[3] for line in lines]
    for row, line in zip(rows, lines, strict=True):
        assert row_record(row).to_dict() == json.loads(line)
