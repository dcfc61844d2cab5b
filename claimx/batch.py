"""Streaming batch extraction into JSON Lines: input order, flushed per batch, resumable, parallel.

The input stream is cut into batches by input position (items ``[k * n, (k + 1) * n)`` form
batch ``k``, with ``n = batch_size * PIPE_BATCHES``: one ``nlp.pipe`` call, run in
:data:`~claimx.api.PIPE_BATCHES` pipeline batches of ``batch_size`` so that the transformer
encodes one while spaCy's pipes work on another), whatever was skipped or failed, so a batch
always holds the same articles: a resumed run and a run over several processes group the
articles into ``nlp.pipe`` calls exactly as one uninterrupted single-process run does, and
write the same bytes. (The grouping matters: claimx's stance encoder pads each batch, and in
bfloat16 the padding moves scores in the third decimal.)

Each batch's lines are written with one ``write`` and flushed, so a killed run leaves whole
batches behind; :func:`scan_output` counts the ids already written and cuts off a torn last
line (a power cut, a full disk), and :func:`extract_to_jsonl` skips those ids.

With ``n_process > 1`` a pool of worker processes runs the batches, at most ``2 * n_process``
in flight, and their lines are written in input order. On Linux the workers are forked from
the parent after it has built the pipeline, so it is built once and its pages are shared.

Torch runs ``torch_threads`` threads in each process (default: the CPUs shared out among
the processes). The thread count, too, moves bfloat16 scores in the fourth decimal: with
``torch_threads=1`` one process, several processes, a resumed run and the Ray backend write
the same bytes. On a shared machine one thread per process is also the fast setting: two
intra-op threads stall whenever another program holds one of the cores.

Worker processes run claimx's own batch code, not ``nlp.pipe(n_process=...)``: a failing
article then becomes an error record instead of losing its whole batch, long articles are
sectioned as in one process, and workers send back JSON lines rather than serialized Docs
with transformer outputs.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .api import PIPE_BATCHES, ErrorRecord, Item, call_size
from .memory import release_memory
from .sections import SECTION_CHARS

if TYPE_CHECKING:
    from spacy.language import Language

    from .records import ArticleRecord

Loader = Callable[[], "Language"]


@dataclass(frozen=True)
class Result:
    """One output line and what the progress bar and the summary need to know about it."""

    id: str
    line: str
    error: str | None = None
    claims: int = 0
    facts: int = 0
    words: int = 0


@dataclass
class BatchStats:
    """Counts of a run; ``skipped`` are the items a resumed run found already done."""

    articles: int = 0
    claims: int = 0
    facts: int = 0
    errors: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0

    def add(self, results: Iterable[Result]) -> None:
        for result in results:
            if result.error is not None:
                self.errors += 1
            else:
                self.articles += 1
                self.claims += result.claims
                self.facts += result.facts
                self.words += result.words


@dataclass(frozen=True)
class Options:
    """How each batch is processed (picklable, sent to worker processes)."""

    max_chars: int | None = None
    section_chars: int = SECTION_CHARS


def scan_output(path: str | Path) -> tuple[Counter[str], int]:
    """The ids of the complete lines of a JSONL output, counted; and the bytes of a torn last
    line, which is cut off the file.

    A line is complete when it ends with a newline: anything after the last newline is a
    torn write. A complete line that is not a JSON object with an ``"id"`` raises
    ``ValueError``: that file is not a claimx output, and resuming into it would mix data.
    """
    done: Counter[str] = Counter()
    path = Path(path)
    with path.open("r+b") as handle:
        size = handle.seek(0, 2)
        end = _complete_end(handle, size)
        if end < size:
            handle.truncate(end)
        handle.seek(0)
        for lineno, line in enumerate(handle, 1):
            if line.strip():
                done[_line_id(line, f"{path}:{lineno}")] += 1
    return done, size - end


def _complete_end(handle: IO[bytes], size: int, block: int = 1 << 16) -> int:
    """Offset just after the last newline of the file (0 if it has none)."""
    pos = size
    while pos > 0:
        start = max(0, pos - block)
        handle.seek(start)
        chunk = handle.read(pos - start)
        found = chunk.rfind(b"\n")
        if found >= 0:
            return start + found + 1
        pos = start
    return 0


_decoder = json.JSONDecoder()


def _line_id(line: bytes, where: str) -> str:
    """The ``"id"`` of one output line; the fast path reads only the id of claimx's lines."""
    text = line.decode("utf-8", errors="replace").strip()
    prefix = '{"id": '
    if text.startswith(prefix) and text.endswith("}"):
        try:
            value, _ = _decoder.raw_decode(text, len(prefix))
        except json.JSONDecodeError:
            value = None
        if isinstance(value, str):
            return value
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"{where}: not a JSON line of claimx output; cannot resume") from None
    if not isinstance(data, dict) or "id" not in data:
        raise ValueError(f"{where}: line has no 'id'; cannot resume into this file")
    return str(data["id"])


def batches(
    items: Iterable[Item | ErrorRecord], size: int, done: Counter[str] | None = None
) -> Iterator[tuple[list[Item | ErrorRecord], int]]:
    """Position-aligned batches of ``size`` items, less those ``done`` already counts; with
    the number skipped in each. ``done`` is consumed: an id counted twice is skipped twice."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    chunk: list[Item | ErrorRecord] = []
    skipped = 0
    for item in items:
        if done and done.get(item.id, 0) > 0:
            done[item.id] -= 1
            skipped += 1
        else:
            chunk.append(item)
        if len(chunk) + skipped >= size:
            yield chunk, skipped
            chunk, skipped = [], 0
    if chunk or skipped:
        yield chunk, skipped


def process_items(
    nlp: Language, items: list[Item | ErrorRecord], options: Options
) -> list[ArticleRecord | ErrorRecord]:
    """The records of one batch, in order: one ``nlp.pipe`` call over its good items, in
    :data:`~claimx.api.PIPE_BATCHES` pipeline batches."""
    from .inputs import extract_items

    return list(
        extract_items(
            items,
            nlp=nlp,
            batch_size=max(1, -(-len(items) // PIPE_BATCHES)),
            max_chars=options.max_chars,
            section_chars=options.section_chars,
        )
    )


def process_batch(nlp: Language, items: list[Item | ErrorRecord], options: Options) -> list[Result]:
    """The output lines of one batch, in order (see :func:`process_items`); then the memory
    the batch freed goes back to the system (:func:`release_memory`)."""
    out: list[Result] = []
    for result in process_items(nlp, items, options):
        if isinstance(result, ErrorRecord):
            line = json.dumps(result.to_dict(), ensure_ascii=False)
            out.append(Result(result.id, line, error=result.error))
        else:
            out.append(
                Result(
                    result.id,
                    result.to_json(),
                    claims=len(result.claims),
                    facts=len(result.facts),
                    words=len(result.text.split()),
                )
            )
    release_memory()
    return out


def iter_results(
    items: Iterable[Item | ErrorRecord],
    *,
    nlp: Language | None = None,
    loader: Loader | None = None,
    batch_size: int = 8,
    n_process: int = 1,
    done: Counter[str] | None = None,
    options: Options | None = None,
    torch_threads: int | None = None,
) -> Iterator[tuple[list[Result], int]]:
    """Each batch's results in input order, with how many of its items were skipped.

    The pipeline is ``nlp``, else ``loader()`` (default :func:`claimx.load`), built once in
    this process, or once per worker where workers cannot be forked. ``torch_threads`` sets
    torch's thread count while this runs (``None``: unchanged in this process, CPUs divided
    by ``n_process`` in workers).
    """
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, not {n_process}")
    options = options or Options()
    chunks = batches(items, call_size(batch_size), done)
    if n_process == 1:
        pipeline = nlp if nlp is not None else _load(loader)
        with set_torch_threads(torch_threads):
            for chunk, skipped in chunks:
                yield (process_batch(pipeline, chunk, options) if chunk else []), skipped
        return
    threads = torch_threads or max(1, (os.cpu_count() or 1) // n_process)
    yield from _parallel(chunks, nlp, loader, n_process, options, threads)


@contextlib.contextmanager
def set_torch_threads(threads: int | None) -> Iterator[None]:
    """Run the block with torch's intra-op thread count at ``threads`` (None: as it is)."""
    if threads is None:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def extract_to_jsonl(
    items: Iterable[Item | ErrorRecord],
    out: IO[str],
    *,
    nlp: Language | None = None,
    loader: Loader | None = None,
    batch_size: int = 8,
    n_process: int = 1,
    done: Counter[str] | None = None,
    options: Options | None = None,
    torch_threads: int | None = None,
    on_batch: Callable[[list[Result], int], None] | None = None,
) -> BatchStats:
    """Write one JSON line per item to ``out``, in input order, flushing after each batch.

    Items whose id ``done`` counts (see :func:`scan_output`) are skipped. ``on_batch`` sees
    each batch's results and skipped count once they are written.
    """
    stats = BatchStats()
    start = time.perf_counter()
    for results, skipped in iter_results(
        items,
        nlp=nlp,
        loader=loader,
        batch_size=batch_size,
        n_process=n_process,
        done=done,
        options=options,
        torch_threads=torch_threads,
    ):
        if results:
            out.write("".join(r.line + "\n" for r in results))
            out.flush()
        stats.add(results)
        stats.skipped += skipped
        if on_batch is not None:
            on_batch(results, skipped)
    stats.seconds = time.perf_counter() - start
    return stats


def estimate_count(paths: Iterable[str]) -> int | None:
    """About how many articles ``paths`` hold, for a progress bar's total; None for stdin.

    Lines of a ``.jsonl`` file (blank lines included), ``.txt`` files of a folder, 1 for a
    file; it reads the JSONL files' bytes once, which is fast next to extraction.
    """
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        try:
            if path.is_dir():
                total += sum(1 for p in path.iterdir() if p.suffix.lower() == ".txt")
            elif path.suffix.lower() == ".jsonl" and path.is_file():
                with path.open("rb") as handle:
                    total += sum(
                        block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")
                    )
            else:
                total += 1
        except OSError:
            total += 1
    return total


def _load(loader: Loader | None) -> Language:
    if loader is not None:
        return loader()
    from .pipeline import load

    return load()


# Worker processes: the pipeline is inherited (fork) or built by the initializer (spawn).
_worker_nlp: Language | None = None


def _init_worker(loader: Loader | None, threads: int) -> None:
    global _worker_nlp
    import torch

    torch.set_num_threads(threads)
    if _worker_nlp is None:
        _worker_nlp = _load(loader)


def _work(chunk: list[Item | ErrorRecord], options: Options) -> list[Result]:
    assert _worker_nlp is not None
    return process_batch(_worker_nlp, chunk, options)


def _parallel(
    chunks: Iterator[tuple[list[Item | ErrorRecord], int]],
    nlp: Language | None,
    loader: Loader | None,
    n_process: int,
    options: Options,
    threads: int,
) -> Iterator[tuple[list[Result], int]]:
    global _worker_nlp
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        _worker_nlp = nlp if nlp is not None else _load(loader)
    elif nlp is not None:
        raise ValueError("n_process > 1 without fork needs loader=, not nlp=")
    context = multiprocessing.get_context("fork" if fork else "spawn")
    pending: deque[tuple[Future[list[Result]] | None, int]] = deque()
    try:
        with ProcessPoolExecutor(
            n_process,
            mp_context=context,
            initializer=_init_worker,
            initargs=(None if fork else loader, threads),
        ) as pool:
            for chunk, skipped in chunks:
                pending.append((pool.submit(_work, chunk, options) if chunk else None, skipped))
                while len(pending) > 2 * n_process:
                    yield _collect(*pending.popleft())
            while pending:
                yield _collect(*pending.popleft())
    finally:
        if fork:
            _worker_nlp = None


def _collect(future: Future[list[Result]] | None, skipped: int) -> tuple[list[Result], int]:
    from concurrent.futures.process import BrokenProcessPool

    if future is None:
        return [], skipped
    try:
        return future.result(), skipped
    except BrokenProcessPool:
        raise RuntimeError(
            "a worker process died (out of memory?); the batches written so far are kept: "
            "run again with --resume"
        ) from None
