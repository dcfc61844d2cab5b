"""The ``claimx`` command, run in-process on the session pipeline."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

import claimx
import claimx.stance
from claimx.cli import main
from claimx.display import render_html, speaker_colors
from claimx.records import ArticleRecord
from claimx.summary import format_summary

TEXTS = {
    "one": '"Demand will exceed supply," said David Roche, a strategist at Quantum Strategy.',
    "two": "Japan's arms exports stood at 21 million TIV in 2024, according to SIPRI.",
    "three": "Naoko Aoki said Japanese firms have limited domestic demand.",
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "articles"
    path.mkdir()
    for name, text in TEXTS.items():
        (path / f"{name}.txt").write_text(text, encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"claimx {claimx.__version__}"


def test_python_m_claimx() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "claimx", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == f"claimx {claimx.__version__}"


def test_help_does_not_import_spacy() -> None:
    code = (
        "import sys; from claimx.cli import main; main(['--help']); print('spacy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "extract" in done.stdout and done.stdout.strip().endswith("False")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["extract"],
        ["extract", "a.txt", "--batch-size", "0"],
        ["extract", "a.txt", "--tagger-heads", "0"],
        ["extract", "a.txt", "--target", "  "],
        ["extract", "a.txt", "-o", "/nonexistent-dir/out.jsonl"],
        ["show", "a.txt"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.strip()


def test_extract_folder_and_files_in_order(
    default_nlp: Language, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    single = folder / "two.txt"
    assert main(["extract", str(single), str(folder), "-o", str(out), "--batch-size", "2"]) == 0
    lines = read_jsonl(out)
    assert [line["id"] for line in lines] == ["two", "one", "three", "two"]
    assert [line["text"] for line in lines] == [TEXTS[x] for x in ("two", "one", "three", "two")]
    for line in lines:
        ArticleRecord.from_dict(line).validate()
    err = capsys.readouterr().err
    assert "claimx: 4 articles" in err and "0 errors" in err and "words/s" in err


def test_extract_tagger_heads_reach_the_pipeline(
    nlp: Language, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimx.pipeline

    asked: list[dict[str, Any]] = []

    def load(**kwargs: Any) -> Language:
        asked.append(kwargs)
        return nlp

    monkeypatch.setattr(claimx.pipeline, "load", load)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder / "one.txt"), "-o", str(out), "--tagger-heads", "1"]) == 0
    assert asked == [{"tagger_heads": 1}]
    assert [line["id"] for line in read_jsonl(out)] == ["one"]


def test_extract_jsonl_with_target(
    default_nlp: Language, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    rows = [
        {"id": "b", "text": TEXTS["one"]},
        {"id": "a", "text": TEXTS["two"], "target": "Japan exports few arms"},
    ]
    batch.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(batch), "-o", str(out), "--target", "Japan will export arms"]) == 0
    lines = read_jsonl(out)
    assert [line["id"] for line in lines] == ["b", "a"]
    assert lines[0]["target"] == "Japan will export arms"
    assert lines[1]["target"] == "Japan exports few arms"
    assert {line["target_source"] for line in lines} == {"caller"}


def test_extract_stdin_to_stdout(
    default_nlp: Language, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEXTS["three"]))
    assert main(["extract", "-", "-o", "-"]) == 0
    captured = capsys.readouterr()
    (line,) = captured.out.splitlines()
    record = json.loads(line)
    assert record["id"] == "stdin" and record["text"] == TEXTS["three"]
    assert "claimx: 1 articles" in captured.err


def test_extract_stdin_jsonl(
    default_nlp: Language,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [{"id": f"s{i}", "text": TEXTS[k]} for i, k in enumerate(["three", "one", "two"])]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(json.dumps(r) for r in rows)))
    out = tmp_path / "out.jsonl"
    assert main(["extract", "-", "-o", str(out)]) == 0
    assert [line["id"] for line in read_jsonl(out)] == ["s0", "s1", "s2"]


def test_render_html_escapes_and_colours(sample_record: ArticleRecord) -> None:
    page = render_html(sample_record)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "<link" not in page and "<style>" in page
    for name in ("David Roche", "SIPRI", "strategist", "Quantum Strategy"):
        assert name in page
    assert "<for a decade>" not in page
    assert "&lt;for a decade&gt;" in page and "&amp;" in page
    assert "21,000,000 TIV" in page and "favor" in page and "proposed" in page
    colors = speaker_colors(sample_record)
    assert colors["David Roche"] != colors["SIPRI"] != colors[None]
    assert colors["David Roche"] in page and colors["SIPRI"] in page


def test_render_html_escapes_names_and_labels(sample_record: ArticleRecord) -> None:
    sample_record.experts[0].name = "<b>Roche</b>"
    sample_record.claims[1].speaker = "<b>Roche</b>"
    sample_record.stances[0].speaker = "<b>Roche</b>"
    page = render_html(sample_record)
    assert "<b>Roche</b>" not in page and "&lt;b&gt;Roche&lt;/b&gt;" in page


def test_render_html_of_an_empty_record() -> None:
    page = render_html(ArticleRecord(id="empty", text="Nothing here.\n\nAt all."))
    assert "No claims found" in page and "Nothing here." in page


def test_show_record_file(
    sample_record: ArticleRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(sample_record.to_json() + "\n", encoding="utf-8")
    page = tmp_path / "page.html"
    assert main(["show", str(gold), "--record", "--id", "sample-1", "-o", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == render_html(sample_record)
    assert main(["show", str(gold), "--record", "--id", "nope", "-o", str(page)]) == 2
    assert "no record with id 'nope'" in capsys.readouterr().err


def test_show_extracts_a_text_file(
    default_nlp: Language, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "quote.txt"
    article.write_text(TEXTS["one"] + ' He said "<tags> & ampersands" matter.', encoding="utf-8")
    page = tmp_path / "page.html"
    assert main(["show", str(article), "-o", str(page), "--target", "Demand grows"]) == 0
    html = page.read_text(encoding="utf-8")
    assert "David" in html and "Roche" in html and "Demand grows" in html
    assert "&lt;tags&gt;" in html and "<tags>" not in html
    record = claimx.extract(article.read_text(encoding="utf-8"), id="quote", nlp=default_nlp)
    for expert in record.experts:
        assert expert.name.replace("&", "&amp;") in html


def test_format_summary(sample_record: ArticleRecord) -> None:
    text = format_summary(sample_record)
    assert "David Roche (person): strategist, Quantum Strategy" in text
    assert "[1] direct 'said': Demand will exceed supply <for a decade> & more," in text
    assert "(unattributed)" in text and "[2] indirect: Japan could export more" in text
    assert "David Roche: favor 0.80 toward 'Japan will export arms' (target proposed" in text
    assert "'21 million TIV' = 21,000,000 TIV (quantity; exact" in text
    assert "time: 2024" in text and "source: SIPRI" in text


def test_demo_writes_files_and_prints_summary(
    default_nlp: Language, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "demo"
    assert main(["demo", "--out-dir", str(out_dir)]) == 0
    stdout = capsys.readouterr().out
    jsonl, html = out_dir / "japan-arms-exports.jsonl", out_dir / "japan-arms-exports.html"
    assert f"Record: {jsonl}" in stdout and f"Page:   {html}" in stdout
    assert stdout.startswith("japan-arms-exports: 1,009 words")
    for heading in ("Experts and their claims", "Stances", "Numeric facts"):
        assert heading in stdout
    (record,) = claimx.read_records(jsonl)
    record.validate()
    assert html.read_text(encoding="utf-8") == render_html(record)
    for expert in record.experts:
        assert expert.name in stdout


def test_demo_with_a_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--input", str(tmp_path / "none.txt"), "--out-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file or directory" in err


def test_stance_wiring(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[list[dict[str, Any]]] = []

    def score_pairs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        calls.append(items)
        return [
            {"label": "favor" if "yes" in x["text"] else "against", "score": 0.5} for x in items
        ]

    monkeypatch.setattr(claimx.stance, "score_pairs", score_pairs, raising=False)
    rows = [
        {"id": "1", "text": "yes indeed", "target": "T1"},
        {"id": "2", "text": "no way"},
        {"id": "3", "text": "", "target": "T3"},
        {"id": "4", "text": "no", "target": "T4"},
        {"id": "5", "text": "yes", "target": "T5"},
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["stance", str(path), "-o", str(out), "--batch-size", "2"]) == 0
    assert read_jsonl(out) == [
        {"id": "1", "label": "favor", "score": 0.5},
        {"id": "2", "error": "item '2' has no 'target' (give one or --target)"},
        {"id": "3", "error": "article '3': text is empty or whitespace only"},
        {"id": "4", "label": "against", "score": 0.5},
        {"id": "5", "label": "favor", "score": 0.5},
    ]
    assert [[x["id"] for x in call] for call in calls] == [["1"], ["4"], ["5"]]
    assert calls[0][0] == {"id": "1", "text": "yes indeed", "target": "T1"}
    err = capsys.readouterr().err
    assert err.count("claimx: error: ") == 2


def test_stance_missing_scorer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delattr(claimx.stance, "score_pairs", raising=False)
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"id": "1", "text": "x", "target": "y"}\n', encoding="utf-8")
    assert main(["stance", str(path), "-o", str(tmp_path / "out.jsonl")]) == 1
    assert "claimx.stance.score_pairs" in capsys.readouterr().err
