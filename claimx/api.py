"""The Python API: ``extract`` one text, ``extract_many`` a stream of texts."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from .dates import normalize_date
from .records import ArticleRecord, record_from_doc
from .sections import SECTION_CHARS, needs_sections, process_in_sections

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Share of control characters above which a text is taken for binary data.
MAX_CONTROL_SHARE = 0.01

_default_nlp: Language | None = None
_lock = threading.Lock()


@dataclass(frozen=True)
class ErrorRecord:
    """What a batch yields for an item it could not process."""

    id: str
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "error": self.error}


@dataclass(frozen=True)
class Item:
    """One article to process: id, text, stance target and publication date.

    ``date`` is the ISO text of :func:`claimx.dates.normalize_date` (``"2019-01-04"`` or a
    bare year ``"2019"``); :func:`as_item` and the input readers normalize it.
    """

    id: str
    text: str
    target: str | None = None
    date: str | None = None


def default_pipeline() -> Language:
    """The pipeline ``extract`` uses when none is passed: built once per process."""
    global _default_nlp
    with _lock:
        if _default_nlp is None:
            from .pipeline import load

            _default_nlp = load()
        return _default_nlp


def check_text(text: Any, id: str | None = None, max_chars: int | None = None) -> str:
    """Return ``text`` if it can be processed, else raise ``ValueError`` saying why.

    There is no length limit unless ``max_chars`` sets one: long texts are processed in
    sections (:mod:`claimx.sections`).
    """
    name = f"article {id!r}" if id is not None else "article"
    if not isinstance(text, str):
        raise ValueError(f"{name}: text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise ValueError(f"{name}: text is empty or whitespace only")
    if max_chars is not None and len(text) > max_chars:
        raise ValueError(
            f"{name}: text has {len(text):,} characters, more than the limit of {max_chars:,}"
        )
    if "\x00" in text:
        raise ValueError(f"{name}: text contains NUL bytes (binary data?)")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if control > MAX_CONTROL_SHARE * len(text):
        raise ValueError(f"{name}: text is {control / len(text):.0%} control characters (binary?)")
    return text


def as_item(obj: Any, index: int, target: str | None = None) -> Item:
    """Normalize a text or a ``{"id", "text"[, "target"][, "date"]}`` mapping into an
    :class:`Item`; a ``date`` that :func:`claimx.dates.normalize_date` rejects raises
    ``ValueError`` naming the item and the value."""
    if isinstance(obj, str):
        return Item(id=f"doc-{index}", text=obj, target=target)
    if isinstance(obj, Mapping):
        rid = obj.get("id")
        rid = f"doc-{index}" if rid is None else str(rid)
        if "text" not in obj:
            raise ValueError(f"item {rid!r} has no 'text' field")
        item_target = obj.get("target", target)
        if item_target is not None and not isinstance(item_target, str):
            raise ValueError(f"item {rid!r}: 'target' must be a string")
        date = normalize_date(obj.get("date"), f"item {rid!r}")
        return Item(id=rid, text=obj["text"], target=item_target, date=date)
    raise ValueError(f"item {index} must be a string or a mapping, not {type(obj).__name__}")


def _check_item(item: Item, max_chars: int | None) -> Item:
    """Raise ``ValueError`` if the item's text, target or date cannot be processed; return
    the item with its date normalized."""
    check_text(item.text, item.id, max_chars)
    if item.target is not None and not item.target.strip():
        raise ValueError(f"article {item.id!r}: target is empty")
    date = normalize_date(item.date, f"article {item.id!r}")
    return item if date == item.date else replace(item, date=date)


def _make_doc(nlp: Language, item: Item, text: str | None = None) -> Doc:
    """A fresh, unprocessed Doc of ``text`` (default: the item's) with the item's id, target
    and date."""
    from .extensions import register_extensions

    register_extensions()
    doc = nlp.make_doc(item.text if text is None else text)
    doc._.claimx_id = item.id
    if item.target is not None:
        doc._.claimx_target = item.target.strip()
        doc._.claimx_target_source = "caller"
    doc._.claimx_date_iso = item.date
    return doc


def extract(
    text: str,
    *,
    id: str | None = None,
    target: str | None = None,
    date: Any = None,
    nlp: Language | None = None,
    max_chars: int | None = None,
    section_chars: int = SECTION_CHARS,
) -> ArticleRecord:
    """Extract the record of one article.

    ``date``, the article's publication date (an ISO 8601 date or date and time string, a bare
    year, or a :class:`datetime.date`), is kept in the record as ``"date"`` and gives facts
    with no time of their own in the text the year they hold in ("last year": the year
    before); a malformed date raises ``ValueError`` naming it (:mod:`claimx.dates`).

    A text longer than ``section_chars`` is processed in sections and merged
    (:mod:`claimx.sections`); ``max_chars``, if given, rejects longer texts instead.

    >>> record = extract('"Demand will exceed supply," said David Roche.')  # doctest: +SKIP
    >>> record.claims[0].speaker  # doctest: +SKIP
    'David Roche'
    """
    nlp = nlp or default_pipeline()
    rid = id if id is not None else "doc-0"
    item = Item(id=rid, text=text, target=target, date=normalize_date(date, f"article {rid!r}"))
    doc = _process(nlp, _check_item(item, max_chars), section_chars)
    return record_from_doc(doc, item.id)


#: Batches of ``batch_size`` per ``nlp.pipe`` call of :func:`extract_many`: the transformer
#: encodes batches while the pipes before and after it work on the others
#: (:mod:`claimx.transformer`, ``overlap`` and ``ahead``), which needs several batches in one
#: call; the first and the last of a call overlap less. 4 before 2026-12-06: with up to 3
#: batches encoded ahead, 16 kept both cores busier (``benchmarks/speed.py``).
PIPE_BATCHES = 16


def call_size(batch_size: int) -> int:
    """Items per ``nlp.pipe`` call for pipeline batches of ``batch_size``:
    ``batch_size * PIPE_BATCHES`` (also the batch runner's output unit)."""
    return batch_size * PIPE_BATCHES


def extract_many(
    items: Iterable[str | Mapping[str, Any]],
    *,
    target: str | None = None,
    nlp: Language | None = None,
    batch_size: int = 8,
    errors: Literal["raise", "record"] = "raise",
    max_chars: int | None = None,
    section_chars: int = SECTION_CHARS,
) -> Iterator[ArticleRecord | ErrorRecord]:
    """Stream records for texts or ``{"id", "text"[, "target"][, "date"]}`` mappings, in
    input order. A ``"date"`` is the article's publication date, as in :func:`extract`.

    With ``errors="raise"`` the first bad item raises ``ValueError``; with
    ``errors="record"`` it becomes an :class:`ErrorRecord` and the stream goes on. Each run
    of ``batch_size * PIPE_BATCHES`` items goes through one ``nlp.pipe`` call, in batches of
    ``batch_size``, except texts longer than ``section_chars`` (or with a long run of
    non-whitespace), which are processed alone, in sections. If a call fails, its items are
    redone one at a time, so that only the failing article raises or becomes an error record.
    """
    if errors not in ("raise", "record"):
        raise ValueError(f"errors must be 'raise' or 'record', not {errors!r}")
    nlp = nlp or default_pipeline()
    buffer: list[Item | ErrorRecord] = []

    def flush() -> Iterator[ArticleRecord | ErrorRecord]:
        if not buffer:
            return
        todo = [
            e for e in buffer if isinstance(e, Item) and not needs_sections(e.text, section_chars)
        ]
        done: Iterator[Doc | ErrorRecord] | None
        try:
            docs = [_make_doc(nlp, item) for item in todo]
            done = iter([_without_vectors(doc) for doc in nlp.pipe(docs, batch_size=batch_size)])
        except Exception:
            done = None
        if done is None:
            # One bad doc fails its whole batch: redo it one fresh doc at a time, once the
            # failed stream is closed, and with it the transformer's encoding thread (spaCy's
            # error handler leaves the exception in a reference cycle with the frames that
            # hold the stream: only the collector frees them, out of the except block).
            gc.collect()
            done = iter([_process_one(nlp, item, errors, section_chars) for item in todo])
        for entry in buffer:
            if isinstance(entry, ErrorRecord):
                result: Doc | ErrorRecord = entry
            elif needs_sections(entry.text, section_chars):
                result = _process_one(nlp, entry, errors, section_chars)
            else:
                result = next(done)
            yield (
                result
                if isinstance(result, ErrorRecord)
                else record_from_doc(result, result._.claimx_id)
            )
        buffer.clear()

    for index, obj in enumerate(items):
        try:
            buffer.append(_check_item(as_item(obj, index, target), max_chars))
        except ValueError as err:
            if errors == "raise":
                raise
            rid = obj.get("id") if isinstance(obj, Mapping) else None
            buffer.append(ErrorRecord(str(rid if rid is not None else f"doc-{index}"), str(err)))
        if len(buffer) >= call_size(batch_size):
            yield from flush()
    yield from flush()


def _without_vectors(doc: Doc) -> Doc:
    """``doc`` without the vectors no record reads: the transformer's output
    (``doc._.trf_data``, about 1.5 MB for an article of 600 word pieces) and spaCy's token
    tensor (``doc.tensor``, 96 floats a token). A call's docs are all kept until its last
    one is done, so that a failing doc can be redone alone."""
    if doc.has_extension("trf_data"):
        doc._.trf_data = None
    doc.tensor = doc.tensor[:0]
    return doc


def _process(nlp: Language, item: Item, section_chars: int) -> Doc:
    """The processed Doc of one item; in sections if it is longer than ``section_chars``."""
    if not needs_sections(item.text, section_chars):
        return nlp(_make_doc(nlp, item))
    return process_in_sections(
        nlp, item.text, lambda text: _make_doc(nlp, item, text), section_chars
    )


def _process_one(nlp: Language, item: Item, errors: str, section_chars: int) -> Doc | ErrorRecord:
    try:
        return _process(nlp, item, section_chars)
    except Exception as err:
        if errors == "raise":
            raise
        return ErrorRecord(item.id, f"{type(err).__name__}: {err}")


def doc_record(doc: Doc, id: str | None = None) -> ArticleRecord:
    """The record of a Doc that a claimx pipeline has processed."""
    return record_from_doc(doc, id)
