"""``claimx evaluate``: usage, task wiring (with stand-in tasks), outputs; slow real runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimx.cli import EVAL_TASKS, main
from evaluation import run as eval_run
from evaluation.result import Chart, Evaluation, Settings, Table
from evaluation.run import TASK_CHOICES

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_task_choices_agree() -> None:
    assert EVAL_TASKS == TASK_CHOICES


@pytest.mark.parametrize(
    "argv",
    [
        ["evaluate"],
        ["evaluate", "--gold", "g.jsonl"],
        ["evaluate", "--task", "corpus", "--pred", "p.jsonl"],
        ["evaluate", "--task", "nope"],
        ["evaluate", "--gold", "g.jsonl", "--pred", "p.jsonl", "--min-overlap", "0"],
        ["evaluate", "--gold", "g.jsonl", "--pred", "p.jsonl", "--limit", "0"],
    ],
)
def test_evaluate_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err


def test_evaluate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["evaluate", "--gold", str(tmp_path / "g.jsonl"), "--pred", str(tmp_path / "p.jsonl")]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 1
    assert "not found" in capsys.readouterr().err


def test_evaluate_text_mismatch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (GOLDEN / "pred.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["text"] += " More."
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(first) + "\n", encoding="utf-8")
    argv = ["evaluate", "--gold", str(GOLDEN / "gold.jsonl"), "--pred", str(pred)]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 1
    assert "differs" in capsys.readouterr().err


def test_evaluate_help_does_not_import_spacy() -> None:
    code = (
        "import sys; from claimx.cli import main; main(['evaluate', '--help']); "
        "print('spacy' in sys.modules, 'datasets' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "--task" in done.stdout and done.stdout.strip().endswith("False False")


def _fake(task: str, settings: Settings) -> Evaluation:
    shareable = task == "corpus"
    from evaluation.examples import example

    return Evaluation(
        task=task,
        title=f"fake {task}",
        gold="gold",
        pred="pred",
        scores={"x": {"p": 0.5, "r": 0.5, "f": 0.5}},
        counts={"docs": 1},
        config={"pipes": ["a", "b"]},
        settings=settings,
        headline=[("x F1", "50.0")],
        tables=[Table("x", ["metric", "F1"], [["x", "50.0"]])],
        charts=[Chart("x", [("x", 0.5, 0.5, 0.5)])],
        confusion={"gold": ["favor"], "pred": ["favor", "none"], "matrix": [[1, 0]]},
        examples=[example("missed", "doc-1", "A secret text here.", 2, 8, "gold", "note")],
        shareable=shareable,
    )


def test_evaluate_task_all_writes_every_task_and_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(eval_run, "run_task", _fake)
    out = tmp_path / "base"
    argv = ["evaluate", "--task", "all", "--out", str(out), "--no-shared-text", "--limit", "3"]
    assert main(argv) == 0
    printed = capsys.readouterr()
    for task in eval_run.TASKS:
        assert f"{task}: x F1 50.0" in printed.out
        results = json.loads((out / task / "results.json").read_text(encoding="utf-8"))
        assert results["task"] == task and results["settings"]["limit"] == 3
        page = (out / task / "report.html").read_text(encoding="utf-8")
        assert ("secret" in page) == (task == "corpus")  # texts withheld for shared corpora
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(summary["tasks"]) == list(eval_run.TASKS)
    assert "| [corpus](corpus/report.md)" in (out / "summary.md").read_text(encoding="utf-8")


def test_evaluate_one_task_shares_texts_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(eval_run, "run_task", _fake)
    assert main(["evaluate", "--task", "vast-dev", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<mark class="gold">secret</mark>' in page


def test_git_hash_is_none_outside_a_repository(tmp_path: Path) -> None:
    from evaluation.result import git_hash

    assert git_hash(tmp_path) is None


# -- real runs (slow: they load the pipeline or the stance model) --------------------------


@pytest.mark.slow
@pytest.mark.parametrize("task", ["newsquant-dev", "vast-dev", "emergent-test", "polnear-dev"])
def test_real_task_on_a_few_items(task: str, tmp_path: Path, shared_dir: Path) -> None:
    assert main(["evaluate", "--task", task, "--limit", "5", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["task"] == task and results["scores"]


@pytest.mark.slow
def test_real_corpus_task(tmp_path: Path) -> None:
    assert main(["evaluate", "--task", "corpus", "--limit", "2", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["counts"]["docs"] == 2
    assert (tmp_path / "predictions.jsonl").exists()


def test_committed_baselines_cover_every_task() -> None:
    folder = Path(__file__).resolve().parent.parent / "evaluation" / "baselines"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["tasks"]) == set(eval_run.TASKS)
    for task in eval_run.TASKS:
        results = json.loads((folder / task / "results.json").read_text(encoding="utf-8"))
        assert results["task"] == task and results["scores"] and results["settings"]
        for name in ("report.md", "report.html"):
            assert (folder / task / name).stat().st_size > 0
