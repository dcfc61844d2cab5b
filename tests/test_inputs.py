"""Reading inputs: every kind of INPUT, and every kind of bad input, in the library and the CLI."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from spacy.language import Language

import claimx
from claimx.api import ErrorRecord, Item
from claimx.cli import main
from claimx.inputs import extract_items, iter_inputs

GOOD = "The minister said exports rose 5% in 2024."


def write(path: Path, data: str | bytes) -> str:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


def jsonl(*lines: object) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def errors_of(results: list[Item | ErrorRecord]) -> dict[str, str]:
    return {r.id: r.error for r in results if isinstance(r, ErrorRecord)}


def test_text_file_id_is_the_stem(tmp_path: Path) -> None:
    path = write(tmp_path / "article-one.txt", "\ufeffHello there.\r\nSecond line.")
    assert list(iter_inputs([path], "a target")) == [
        Item("article-one", "Hello there.\r\nSecond line.", "a target")
    ]


def test_folder_is_read_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b", "a", "c"):
        write(tmp_path / f"{name}.txt", f"text {name}")
    write(tmp_path / "notes.md", "not an article")
    (tmp_path / "sub.txt").mkdir()
    assert [i.id for i in iter_inputs([str(tmp_path)], None)] == ["a", "b", "c"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    (result,) = iter_inputs([str(tmp_path)], None)
    assert isinstance(result, ErrorRecord) and "has no .txt files" in result.error


def test_jsonl_items_keep_order_ids_and_targets(tmp_path: Path) -> None:
    path = write(
        tmp_path / "batch.jsonl",
        jsonl({"id": 7, "text": "first"}, "", {"text": "second", "target": "own target"}),
    )
    assert list(iter_inputs([path], "default")) == [
        Item("7", "first", "default"),
        Item("batch:3", "second", "own target"),
    ]


def test_mixed_inputs_keep_their_order(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "A")
    batch = write(tmp_path / "batch.jsonl", jsonl({"id": "j1", "text": "J1"}))
    folder = tmp_path / "folder"
    folder.mkdir()
    write(folder / "f.txt", "F")
    ids = [r.id for r in iter_inputs([batch, a, str(folder), str(tmp_path / "gone.txt")], None)]
    assert ids == ["j1", "a", "f", "gone"]


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Plain text.\n{not json}\n"))
    assert list(iter_inputs(["-"], None)) == [Item("stdin", "Plain text.\n{not json}\n")]


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    data = jsonl({"id": "x", "text": "X"}, "", {"id": "y", "text": "Y", "target": "T"})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    assert list(iter_inputs(["-"], None)) == [Item("x", "X"), Item("y", "Y", "T")]


def test_stdin_non_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"caf\xe9")))
    (result,) = iter_inputs(["-"], None)
    assert isinstance(result, ErrorRecord)
    assert result.error == "<stdin>: not UTF-8 text (byte 0xe9 at offset 3)"


def test_bad_files_become_errors_naming_the_problem(tmp_path: Path) -> None:
    paths = [
        write(tmp_path / "latin1.txt", "caf\xe9 au lait".encode("latin-1")),
        write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        str(tmp_path / "missing.txt"),
    ]
    errors = errors_of(list(iter_inputs(paths, None)))
    assert errors == {
        "latin1": f"{paths[0]}: not UTF-8 text (byte 0xe9 at offset 3)",
        "binary": f"{paths[1]}: binary data (contains NUL bytes), not text",
        "missing": f"{paths[2]}: no such file or directory",
    }


def test_bad_jsonl_lines_become_errors_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mixed.jsonl",
        jsonl(
            {"id": "ok1", "text": "fine"},
            '{"id": "broken", "text": ',
            {"id": "no-text", "body": "x"},
            {"id": "number", "text": 42},
            {"id": "bad-target", "text": "x", "target": ["a"]},
            '["not", "an", "object"]',
            {"id": "ok2", "text": "also fine"},
        ),
    )
    results = list(iter_inputs([path], None))
    assert [r.id for r in results] == [
        "ok1",
        "mixed:2",
        "no-text",
        "number",
        "bad-target",
        "mixed:6",
        "ok2",
    ]
    errors = errors_of(results)
    assert errors["mixed:2"].startswith(f"{path}:2: invalid JSON (")
    assert errors["no-text"] == f"{path}:3: item 'no-text' has no 'text' field"
    assert errors["number"] == f"{path}:4: item 'number': 'text' must be a string, not int"
    assert (
        errors["bad-target"] == f"{path}:5: item 'bad-target': 'target' must be a string, not list"
    )
    assert errors["mixed:6"] == f"{path}:6: expected a JSON object, got list"


def test_jsonl_line_with_invalid_utf8(tmp_path: Path) -> None:
    path = write(
        tmp_path / "enc.jsonl", b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "\xff"}\n'
    )
    results = list(iter_inputs([path], None))
    assert results[0] == Item("a", "ok")
    assert errors_of(results) == {"enc:2": f"{path}:2: not UTF-8 text (byte 0xff at offset 21)"}


def test_jsonl_is_streamed(tmp_path: Path) -> None:
    path = write(tmp_path / "s.jsonl", jsonl({"id": "1", "text": "a"}, {"id": "2", "text": "b"}))
    stream = iter_inputs([path], None)
    assert next(stream) == Item("1", "a")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "3", "text": "c"}) + "\n")
    assert [i.id for i in stream] == ["2", "3"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "article 'bad': text is empty or whitespace only"),
        ("  \n\t ", "article 'bad': text is empty or whitespace only"),
        ("x" * 5_000_000, "article 'bad': text has 5,000,000 characters, more than the limit"),
        ("abc\x00def", "article 'bad': text contains NUL bytes"),
    ],
)
def test_library_extract_rejects_bad_text(nlp: Language, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        claimx.extract(text, id="bad", nlp=nlp, max_chars=1_000_000)


def test_extract_items_passes_errors_through_in_order(nlp: Language) -> None:
    items: list[Item | ErrorRecord] = [
        ErrorRecord("e0", "before"),
        Item("a", GOOD),
        Item("empty", "   "),
        ErrorRecord("e1", "between"),
        Item("b", GOOD, "Exports will rise"),
        ErrorRecord("e2", "after"),
    ]
    results = list(extract_items(items, nlp=nlp, batch_size=2))
    assert [r.id for r in results] == ["e0", "a", "empty", "e1", "b", "e2"]
    assert [type(r).__name__ for r in results] == [
        "ErrorRecord",
        "ArticleRecord",
        "ErrorRecord",
        "ErrorRecord",
        "ArticleRecord",
        "ErrorRecord",
    ]
    assert results[4].extra["target"] == "Exports will rise"  # type: ignore[union-attr]


def test_cli_reports_bad_items_and_goes_on(
    default_nlp: Language, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a-good.txt", GOOD)
    write(folder / "b-huge.txt", "word " * 40_000)
    write(folder / "c-empty.txt", "  \n ")
    write(folder / "d-latin1.txt", "caf\xe9".encode("latin-1"))
    write(folder / "e-binary.txt", b"\x00\x01\x02binary")
    batch = write(
        tmp_path / "batch.jsonl",
        jsonl({"id": "j-good", "text": GOOD}, "{oops", {"id": "j-no-text"}),
    )
    out = tmp_path / "out.jsonl"
    argv = ["extract", str(folder), batch, str(tmp_path / "missing.txt"), "-o", str(out)]
    argv += ["--max-chars", "100000"]
    assert main(argv) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = ["a-good", "b-huge", "c-empty", "d-latin1", "e-binary", "j-good", "batch:2"]
    assert [line["id"] for line in lines] == ids + ["j-no-text", "missing"]
    errors = {line["id"]: line["error"] for line in lines if "error" in line}
    assert set(errors) == set(ids[1:5] + ["batch:2", "j-no-text", "missing"])
    assert all(set(line) == {"id", "error"} for line in lines if "error" in line)
    assert "200,000 characters, more than the limit of 100,000" in errors["b-huge"]
    assert "empty or whitespace" in errors["c-empty"]
    assert "not UTF-8" in errors["d-latin1"]
    assert "binary" in errors["e-binary"]
    assert "invalid JSON" in errors["batch:2"]
    assert "no 'text' field" in errors["j-no-text"]
    assert "no such file" in errors["missing"]
    assert lines[0]["text"] == GOOD and lines[5]["text"] == GOOD

    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    for rid, message in errors.items():
        assert captured.err.count(f"claimx: error: {rid}: {message}\n") == 1
    error_lines = [x for x in captured.err.splitlines() if x.startswith("claimx: error:")]
    assert len(error_lines) == len(errors)
    assert "2 articles" in captured.err and f"{len(errors)} errors" in captured.err
