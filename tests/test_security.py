"""Security of the batch path: safe file names, no unpickling, no network, output where asked."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from spacy.language import Language

from claimx.cli import main
from claimx.paths import REPO_ROOT, safe_filename
from tests.articles import write_jsonl


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("../../etc/passwd", "etc_passwd-"),
        ("/abs/path", "abs_path-"),
        ("..", "article-"),
        (".hidden", "hidden-"),
        ("-rf", "rf-"),
        ("CON", "CON_-"),
        ("nul.txt", "nul.txt_-"),
        ("a\x00b\nc", "a_b_c-"),
        ("x" * 300, "x" * 100 + "-"),
    ],
)
def test_safe_filename_keeps_names_in_their_folder(name: str, start: str) -> None:
    safe = safe_filename(name)
    assert safe.startswith(start) and len(safe) == len(start) + 8
    assert "/" not in safe and "\\" not in safe and not safe.startswith((".", "-"))
    assert Path("out", safe).resolve().parent == Path("out").resolve()


def test_safe_filename_keeps_plain_ids_and_tells_changed_ones_apart() -> None:
    assert safe_filename("japan-arms-exports") == "japan-arms-exports"
    assert safe_filename("東京_2024.v1") == "東京_2024.v1"
    assert safe_filename("a/b") != safe_filename("a:b") != safe_filename("a_b")


def test_demo_writes_hostile_ids_inside_its_folder(default_nlp: Language, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    text = '"Prices will rise," said Naoko Aoki.'
    source.write_text(json.dumps({"id": "../../escape", "text": text}) + "\n", encoding="utf-8")
    out_dir = tmp_path / "deep" / "out"
    assert main(["demo", "--input", str(source), "--out-dir", str(out_dir)]) == 0
    written = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p != source)
    assert written == [f"{safe_filename('../../escape')}.{ext}" for ext in ("html", "jsonl")]
    assert all(p.parent == out_dir for p in out_dir.iterdir())


def test_extract_runs_with_sockets_blocked(
    default_nlp: Language, no_network: None, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 3, bad=False)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(source), "-o", str(out), "--batch-size", "2"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_claimx_never_unpickles() -> None:
    """No module of claimx imports pickle-based loaders or calls ``torch.load``."""
    banned = {"pickle", "cPickle", "dill", "joblib", "cloudpickle", "shelve", "marshal"}
    for path in sorted((REPO_ROOT / "claimx").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            elif isinstance(node, ast.Attribute) and node.attr in ("load", "loads"):
                value = node.value
                names = (
                    {"torch.load"} if isinstance(value, ast.Name) and value.id == "torch" else set()
                )
                names |= {"pickle"} if isinstance(value, ast.Name) and value.id in banned else set()
            else:
                continue
            assert not names & (banned | {"torch.load"}), f"{path}: {names & banned}"


def test_ray_usage_statistics_are_off(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ray")
    from claimx.ray_backend import require_ray

    monkeypatch.delenv("RAY_USAGE_STATS_ENABLED", raising=False)
    require_ray()
    assert os.environ["RAY_USAGE_STATS_ENABLED"] == "0"
