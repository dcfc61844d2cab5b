"""Streaming batch extraction: aligned batches, resume, torn lines, processes, SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from spacy.language import Language

from claimx.api import ErrorRecord, Item
from claimx.batch import batches, estimate_count, scan_output
from claimx.cli import main
from tests.articles import write_jsonl


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_batches_are_aligned_on_input_positions() -> None:
    items: list[Item | ErrorRecord] = [Item(f"i{k}", "x") for k in range(7)]
    items[3] = ErrorRecord("e3", "bad")
    got = [([x.id for x in chunk], skipped) for chunk, skipped in batches(items, 3)]
    assert got == [(["i0", "i1", "i2"], 0), (["e3", "i4", "i5"], 0), (["i6"], 0)]
    done = Counter({"i0": 1, "i1": 1, "i4": 1})
    got = [([x.id for x in chunk], skipped) for chunk, skipped in batches(items, 3, done)]
    assert got == [(["i2"], 2), (["e3", "i5"], 1), (["i6"], 0)]
    with pytest.raises(ValueError, match="at least 1"):
        list(batches(items, 0))


def test_repeated_ids_are_skipped_as_often_as_they_were_written() -> None:
    items: list[Item | ErrorRecord] = [Item("a", "1"), Item("b", "2"), Item("a", "3")]
    chunks = list(batches(items, 8, Counter({"a": 1})))
    assert [[x.text for x in chunk if isinstance(x, Item)] for chunk, _ in chunks] == [["2", "3"]]


def test_scan_output_counts_ids_and_cuts_a_torn_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = ['{"id": "a", "text": "x"}', '{"id": "b", "error": "bad"}', '{"text": "y", "id": "a"}']
    out.write_text("\n".join(lines) + '\n{"id": "c", "text": "tor', encoding="utf-8")
    done, torn = scan_output(out)
    assert done == Counter({"a": 2, "b": 1}) and torn == len('{"id": "c", "text": "tor')
    assert out.read_text(encoding="utf-8") == "\n".join(lines) + "\n"
    complete = '{"id": "a", "text": "complete JSON, but no newline"}'
    out.write_text(complete, encoding="utf-8")
    assert scan_output(out) == (Counter(), len(complete))
    assert out.read_bytes() == b""


@pytest.mark.parametrize("line", ["not json at all", '["a list"]', '{"no": "id"}'])
def test_scan_output_refuses_a_file_that_is_not_claimx_output(tmp_path: Path, line: str) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "text": "x"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="out.jsonl:2: .*cannot resume"):
        scan_output(out)


def test_estimate_count(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.md"):
        (folder / name).write_text("x", encoding="utf-8")
    batch = write_jsonl(tmp_path / "in.jsonl", 5, bad=False)
    assert estimate_count([str(folder), str(batch), str(tmp_path / "one.txt")]) == 8
    assert estimate_count(["-"]) is None


def test_resume_after_a_torn_write_gives_the_uninterrupted_output(
    default_nlp: Language, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 7)
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    assert main(["extract", str(source), "-o", str(full), "--batch-size", "2"]) == 0
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 8 and "in:3" in ids(full) and "empty" in ids(full)
    part.write_text("".join(lines[:4]) + lines[4][:50], encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", str(source), "-o", str(part), "--batch-size", "2", "--resume"]) == 0
    err = capsys.readouterr().err
    assert "cut off a torn last line (50 bytes)" in err and "4 already done" in err
    assert part.read_bytes() == full.read_bytes()
    assert main(["extract", str(source), "-o", str(part), "--resume"]) == 0
    assert part.read_bytes() == full.read_bytes()
    assert "0 articles, 0 claims, 0 facts, 0 errors, 8 already done" in capsys.readouterr().err


def test_resume_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "in.jsonl", "--resume"]) == 2
    assert "--resume needs an output file" in capsys.readouterr().err


def test_two_processes_write_what_one_writes(default_nlp: Language, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 6)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    common = ["--batch-size", "2", "--torch-threads", "1"]
    assert main(["extract", str(source), "-o", str(one), *common]) == 0
    assert main(["extract", str(source), "-o", str(two), *common, "--n-process", "2"]) == 0
    assert two.read_bytes() == one.read_bytes()
    assert len(ids(one)) == 7


def test_sigkill_then_resume_gives_the_uninterrupted_output(
    default_nlp: Language, tmp_path: Path
) -> None:
    """Kill ``claimx extract`` with SIGKILL once its first batch is on disk, tear its last
    line as a crash mid-write would, resume: the bytes of an uninterrupted run, no duplicates."""
    source = write_jsonl(tmp_path / "in.jsonl", 20)  # 21 lines, one bad
    reference, out = tmp_path / "reference.jsonl", tmp_path / "out.jsonl"
    argv = [
        "extract",
        str(source),
        "-o",
        str(reference),
        "--batch-size",
        "1",
    ]  # a write per PIPE_BATCHES items
    assert main(argv) == 0
    command = [sys.executable, "-m", "claimx", *argv[:2], "-o", str(out), *argv[4:]]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 2:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    written = out.read_bytes().count(b"\n")
    assert 2 <= written < 21, f"{written} lines written before the kill"
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "a19", "text": "half a li')
    done = subprocess.run(
        [*command, "--resume"], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "cut off a torn last line" in done.stderr
    assert out.read_bytes() == reference.read_bytes()
    assert len(ids(out)) == len(set(ids(out))) == 21
