"""Read articles from text files, folders of text files, JSONL files or stdin.

Every input becomes an :class:`~claimx.api.Item`, or an :class:`~claimx.api.ErrorRecord` that
names the problem and the item, in input order. JSONL files are read one line at a time.
"""

from __future__ import annotations

import io
import json
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .api import ErrorRecord, Item
from .dates import normalize_date

if TYPE_CHECKING:
    from spacy.language import Language

    from .records import ArticleRecord

STDIN = "-"


def iter_inputs(paths: list[str], target: str | None = None) -> Iterator[Item | ErrorRecord]:
    """Yield one item per article found in ``paths``, in order.

    A path is a text file (id: the file stem), a folder of ``.txt`` files (sorted by name), a
    ``.jsonl`` file of ``{"id", "text"[, "target"][, "date"]}`` lines, or ``"-"`` for stdin
    (plain text, or JSONL when every non-empty line is a JSON object). ``target`` applies to
    every item that has none of its own. A line's ``"date"`` is the article's publication
    date (:mod:`claimx.dates`); a malformed one makes the line an error naming it.
    """
    for raw in paths:
        if raw == STDIN:
            yield from _read_stdin(target)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _read_folder(path, target)
        elif not path.exists():
            yield ErrorRecord(path.stem or raw, f"{raw}: no such file or directory")
        elif path.suffix.lower() == ".jsonl":
            yield from _read_jsonl_file(path, target)
        else:
            yield _read_text_file(path, target)


def decode_text(data: bytes, where: str) -> str:
    """Decode UTF-8 article bytes, raising ``ValueError`` for binary or non-UTF-8 data."""
    if b"\x00" in data:
        raise ValueError(f"{where}: binary data (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{where}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None
    return text.removeprefix("\ufeff")


def _read_text_file(path: Path, target: str | None) -> Item | ErrorRecord:
    try:
        return Item(path.stem, decode_text(path.read_bytes(), str(path)), target)
    except (OSError, ValueError) as err:
        return ErrorRecord(path.stem, _message(err, path))


def _read_folder(path: Path, target: str | None) -> Iterator[Item | ErrorRecord]:
    try:
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    except OSError as err:
        yield ErrorRecord(path.name, _message(err, path))
        return
    if not files:
        yield ErrorRecord(path.name, f"{path}: folder has no .txt files")
    for file in files:
        yield _read_text_file(file, target)


def _read_jsonl_file(path: Path, target: str | None) -> Iterator[Item | ErrorRecord]:
    try:
        handle = path.open("rb")
    except OSError as err:
        yield ErrorRecord(path.stem, _message(err, path))
        return
    with handle:
        yield from _read_jsonl_lines(handle, str(path), path.stem, target)


def _read_jsonl_lines(
    lines: IO[bytes], name: str, stem: str, target: str | None
) -> Iterator[Item | ErrorRecord]:
    for lineno, line in enumerate(lines, 1):
        where = f"{name}:{lineno}"
        if not line.strip():
            continue
        try:
            data = json.loads(decode_text(line, where))
        except json.JSONDecodeError as err:
            yield ErrorRecord(f"{stem}:{lineno}", f"{where}: invalid JSON ({err.msg})")
            continue
        except ValueError as err:
            yield ErrorRecord(f"{stem}:{lineno}", str(err))
            continue
        yield item_from_json(data, where, f"{stem}:{lineno}", target)


def item_from_json(
    data: Any, where: str, default_id: str, target: str | None
) -> Item | ErrorRecord:
    """Turn one parsed JSONL value into an :class:`Item`, or an error naming ``where``.

    Fields: ``"text"`` (required), ``"id"``, ``"target"`` (default ``target``) and ``"date"``
    (an ISO 8601 date, date and time, or year; :func:`claimx.dates.normalize_date`).
    """
    if not isinstance(data, dict):
        return ErrorRecord(default_id, f"{where}: expected a JSON object, got {_kind(data)}")
    rid = default_id if data.get("id") is None else str(data["id"])
    if "text" not in data:
        return ErrorRecord(rid, f"{where}: item {rid!r} has no 'text' field")
    text = data["text"]
    if not isinstance(text, str):
        return ErrorRecord(
            rid, f"{where}: item {rid!r}: 'text' must be a string, not {_kind(text)}"
        )
    item_target = data.get("target", target)
    if item_target is not None and not isinstance(item_target, str):
        return ErrorRecord(
            rid, f"{where}: item {rid!r}: 'target' must be a string, not {_kind(item_target)}"
        )
    try:
        date = normalize_date(data.get("date"), f"{where}: item {rid!r}")
    except ValueError as err:
        return ErrorRecord(rid, str(err))
    return Item(rid, text, item_target, date)


def _read_stdin(target: str | None) -> Iterator[Item | ErrorRecord]:
    buffer = getattr(sys.stdin, "buffer", None)
    try:
        data = buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")
        text = decode_text(data, "<stdin>")
    except (OSError, ValueError) as err:
        yield ErrorRecord("stdin", str(err))
        return
    if _is_jsonl(text):
        yield from _read_jsonl_lines(io.BytesIO(data), "<stdin>", "stdin", target)
    else:
        yield Item("stdin", text, target)


def _is_jsonl(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except json.JSONDecodeError:
            return False
    return True


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _message(err: Exception, path: Path) -> str:
    if isinstance(err, FileNotFoundError):
        return f"{path}: no such file or directory"
    if isinstance(err, OSError):
        return f"{path}: {err.strerror or err}"
    return str(err)


def extract_items(
    items: Iterable[Item | ErrorRecord],
    *,
    nlp: Language | None = None,
    batch_size: int = 8,
    max_chars: int | None = None,
    section_chars: int | None = None,
) -> Iterator[ArticleRecord | ErrorRecord]:
    """Run :func:`~claimx.api.extract_many` over ``items``, passing errors through in order.

    Items that fail extraction become :class:`~claimx.api.ErrorRecord` too; one result per
    item, in input order. ``max_chars`` and ``section_chars`` go to ``extract_many``.
    """
    from . import api
    from .sections import SECTION_CHARS

    pending: deque[ErrorRecord | None] = deque()

    def feed() -> Iterator[dict[str, str]]:
        for item in items:
            if isinstance(item, ErrorRecord):
                pending.append(item)
                continue
            pending.append(None)
            data = {"id": item.id, "text": item.text}
            if item.target is not None:
                data["target"] = item.target
            if item.date is not None:
                data["date"] = item.date
            yield data

    results = api.extract_many(
        feed(),
        nlp=nlp,
        batch_size=batch_size,
        errors="record",
        max_chars=max_chars,
        section_chars=SECTION_CHARS if section_chars is None else section_chars,
    )
    for result in results:
        while (error := pending.popleft()) is not None:
            yield error
        yield result
    yield from (error for error in pending if error is not None)
