"""The Ray Data backend of ``claimx extract``: the local backend's batches on a Ray cluster.

    claimx extract corpus/*.jsonl -o out.jsonl --backend ray --n-process 8 [--ray-address auto]

Inputs are ``.jsonl`` files (each read whole by one task and split into lines with the local
reader's rules: same ids, same errors for bad lines) or Parquet files or folders with
``id``, ``text`` and optionally ``target`` and ``date`` (publication date) columns. Every
row is a block of its own, and the actor pool bundles exactly
:func:`~claimx.api.call_size` of them (``batch_size`` times ``PIPE_BATCHES``), in order,
per call: one batch of the local backend; ``map_batches`` runs an actor class,
:class:`ClaimxActor`, over a pool of ``concurrency`` actors (``ActorPoolStrategy``) of
``torch_threads`` CPUs each; each actor builds the pipeline once and processes one block per
call with the local backend's :func:`claimx.batch.process_batch`. Order is preserved. Output
is a JSONL file written by the driver in input order, byte-identical to the local backend's,
or, for an ``OUT`` ending in ``.parquet``, a folder of Parquet files written by the workers
with the typed columns of :mod:`claimx.columns`. Read tasks ask for no CPU, so that actors
holding every CPU of a small cluster do not starve them.

Ray is an optional extra: ``pip install 'claimx[ray]'``. ``ray`` is imported on call.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .api import ErrorRecord, Item, call_size
from .batch import BatchStats, Options, Result, process_batch
from .columns import ITEM_COLUMNS, item_row

if TYPE_CHECKING:
    import pyarrow as pa

RAY_MISSING = "the Ray backend needs Ray: pip install 'claimx[ray]'"
LINE_COLUMNS = ("id", "line", "error", "claims", "facts", "words")
#: CPUs a read task asks for: reads are light, and the actors may hold every CPU.
READ_CPUS = 0
#: Ray Data's target block size during a run: small enough that every row is a block.
ROW_BLOCK_BYTES = 1


def require_ray() -> Any:
    """Import and return ``ray`` (usage statistics off), or raise ``ValueError`` saying how
    to install it."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ValueError(RAY_MISSING) from None
    return ray


def is_parquet(path: str) -> bool:
    return path.lower().rstrip("/").endswith(".parquet")


class ClaimxActor:
    """A Ray Data actor: builds the claimx pipeline once, then extracts batch after batch."""

    def __init__(
        self,
        options: Options,
        parquet: bool,
        torch_threads: int = 1,
        done: frozenset[str] = frozenset(),
        tagger_heads: int | None = None,
    ) -> None:
        import torch

        from .pipeline import load

        torch.set_num_threads(torch_threads)
        self.nlp = load(tagger_heads=tagger_heads)
        self.options = options
        self.parquet = parquet
        self.done = done

    def __call__(self, batch: dict[str, Any]) -> pa.Table:
        import pyarrow as pa

        items = [item for item in _batch_items(batch) if not (self.done and item.id in self.done)]
        if self.parquet:
            from .batch import process_items
            from .columns import record_row, record_schema
            from .memory import release_memory

            rows = [record_row(r) for r in process_items(self.nlp, items, self.options)]
            release_memory()
            return pa.Table.from_pylist(rows, schema=record_schema())
        results = process_batch(self.nlp, items, self.options) if items else []
        columns = {name: [getattr(r, name) for r in results] for name in LINE_COLUMNS}
        return pa.Table.from_pydict(columns, schema=_line_schema())


def read_items(paths: list[str], target: str | None) -> Any:
    """A Ray Dataset of ``id``, ``text``, ``target``, ``date``, ``error`` rows from JSONL or
    Parquet."""
    ray = require_ray()
    kinds = {"parquet" if _parquet_input(p) else Path(p).suffix.lower() for p in paths}
    if kinds == {".jsonl"}:
        files = ray.data.read_binary_files(
            [str(Path(p).resolve()) for p in paths], include_paths=True, num_cpus=READ_CPUS
        )
        return files.map_batches(
            _jsonl_rows,
            fn_kwargs={"target": target},
            batch_size=1,
            batch_format="numpy",
            num_cpus=READ_CPUS,
        )
    if kinds == {"parquet"}:
        data = ray.data.read_parquet([str(Path(p).resolve()) for p in paths], num_cpus=READ_CPUS)
        names = set(data.schema().names)
        if not {"id", "text"} <= names:
            raise ValueError(f"Parquet input needs 'id' and 'text' columns; it has {sorted(names)}")
        return data.map_batches(
            _parquet_rows, fn_kwargs={"target": target}, batch_format="numpy", num_cpus=READ_CPUS
        )
    raise ValueError(
        "the Ray backend reads .jsonl files or Parquet files/folders (one kind per run); "
        f"got {', '.join(paths)}"
    )


def run_ray(
    inputs: list[str],
    output: str,
    *,
    target: str | None = None,
    batch_size: int = 8,
    concurrency: int = 1,
    torch_threads: int = 1,
    address: str | None = None,
    options: Options | None = None,
    done: Counter[str] | None = None,
    on_error: Callable[[str, str], None] | None = None,
    on_batch: Callable[[list[Result]], None] | None = None,
    tagger_heads: int | None = None,
) -> BatchStats:
    """Extract ``inputs`` into ``output`` (JSONL file, ``-``, or a ``.parquet`` folder) with
    Ray Data, each actor running ``claimx.load(tagger_heads=tagger_heads)``. Joins ``address``
    (or ``$RAY_ADDRESS``), else uses the running Ray or starts a local one, which it shuts
    down at the end. ``done`` ids are skipped (JSONL output). ``on_batch`` sees the results
    of each batch written (JSONL output)."""
    ray = require_ray()
    parquet = is_parquet(output)
    if parquet and done is not None:
        raise ValueError("--resume works with JSONL output; Parquet output is written anew")
    if parquet and Path(output).exists() and any(Path(output).iterdir()):
        raise ValueError(f"{output} is not empty: Parquet output goes to a new or empty folder")
    started = False
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
        started = True
    try:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = sys.stderr.isatty()
        stats = BatchStats()
        start = time.perf_counter()
        # One row per block after the reader, so that the actor pool bundles exactly
        # call_size(batch_size) rows, in order, per call: the local backend's batches. (A
        # streaming repartition would do it too, but its tasks ask for a CPU, which actors
        # that hold every CPU of a small cluster never leave free.)
        context.target_max_block_size = ROW_BLOCK_BYTES
        data = read_items(inputs, target).map_batches(
            ClaimxActor,
            fn_constructor_kwargs={
                "options": options or Options(),
                "parquet": parquet,
                "torch_threads": torch_threads,
                "done": frozenset(done or ()),
                "tagger_heads": tagger_heads,
            },
            batch_size=call_size(batch_size),
            compute=ray.data.ActorPoolStrategy(size=concurrency),
            num_cpus=torch_threads,
            batch_format="numpy",
        )
        if parquet:
            data.write_parquet(output)
            _parquet_stats(output, stats, on_error)
        else:
            _write_lines(
                data, output, append=bool(done), stats=stats, on_error=on_error, on_batch=on_batch
            )
        if done:
            stats.skipped = sum(done.values())
        stats.seconds = time.perf_counter() - start
        return stats
    finally:
        if started:
            ray.shutdown()


def _write_lines(
    data: Any,
    output: str,
    *,
    append: bool,
    stats: BatchStats,
    on_error: Callable[[str, str], None] | None,
    on_batch: Callable[[list[Result]], None] | None = None,
) -> None:
    handle = sys.stdout if output == "-" else open(output, "a" if append else "w", encoding="utf-8")  # noqa: SIM115
    try:
        for batch in data.iter_batches(batch_size=None, batch_format="pyarrow"):
            results = [Result(**row) for row in batch.to_pylist()]
            if results:
                handle.write("".join(r.line + "\n" for r in results))
                handle.flush()
            stats.add(results)
            for r in results:
                if r.error is not None and on_error is not None:
                    on_error(r.id, r.error)
            if on_batch is not None:
                on_batch(results)
    finally:
        if handle is not sys.stdout:
            handle.close()


def _parquet_stats(
    folder: str, stats: BatchStats, on_error: Callable[[str, str], None] | None
) -> None:
    """Counts of the Parquet output, read back column by column."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    for file in sorted(Path(folder).glob("*.parquet")):
        table = pq.read_table(file, columns=["id", "text", "claims", "facts", "error"])
        errors = table["error"].is_valid()
        stats.errors += pc.sum(errors).as_py() or 0
        stats.articles += table.num_rows - (pc.sum(errors).as_py() or 0)
        stats.claims += pc.sum(pc.list_value_length(table["claims"])).as_py() or 0
        stats.facts += pc.sum(pc.list_value_length(table["facts"])).as_py() or 0
        words = pc.list_value_length(pc.utf8_split_whitespace(table["text"]))
        stats.words += pc.sum(words).as_py() or 0
        if on_error is not None:
            for rid, error in zip(table["id"].to_pylist(), table["error"].to_pylist(), strict=True):
                if error is not None:
                    on_error(rid, error)


def _parquet_input(path: str) -> bool:
    p = Path(path)
    return is_parquet(path) or (p.is_dir() and any(p.glob("*.parquet")))


def _line_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("id", pa.string()),
            ("line", pa.string()),
            ("error", pa.string()),
            ("claims", pa.int64()),
            ("facts", pa.int64()),
            ("words", pa.int64()),
        ]
    )


def _item_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in ITEM_COLUMNS])


def _table(items: Iterator[Item | ErrorRecord]) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pylist([item_row(x) for x in items], schema=_item_schema())


def _jsonl_rows(batch: dict[str, Any], target: str | None) -> pa.Table:
    """Whole JSONL files into item rows, with the local reader's ids and error messages."""
    from .inputs import _read_jsonl_lines

    def items() -> Iterator[Item | ErrorRecord]:
        for data, path in zip(batch["bytes"], batch["path"], strict=True):
            name = str(path)
            stream = io.BytesIO(bytes(data))
            yield from _read_jsonl_lines(stream, name, Path(name).stem, target)

    return _table(items())


def _parquet_rows(batch: dict[str, Any], target: str | None) -> pa.Table:
    """Parquet rows into item rows, checked as JSONL lines are. A ``date`` column may hold
    strings or Arrow dates and timestamps (read as their ISO text)."""
    from .inputs import item_from_json

    def items() -> Iterator[Item | ErrorRecord]:
        for k, rid in enumerate(batch["id"]):
            data = {"id": rid, "text": batch["text"][k]}
            if "target" in batch and batch["target"][k] is not None:
                data["target"] = batch["target"][k]
            if "date" in batch and batch["date"][k] is not None:
                date = batch["date"][k]
                data["date"] = date if isinstance(date, str) else _iso(date)
            yield item_from_json(data, f"row {rid!r}", "(no id)", target)

    return _table(items())


def _batch_items(batch: dict[str, Any]) -> Iterator[Item | ErrorRecord]:
    for k, rid in enumerate(batch["id"]):
        error = batch["error"][k]
        if error is not None:
            yield ErrorRecord(str(rid), str(error))
        else:
            target = batch["target"][k]
            date = batch["date"][k] if "date" in batch else None
            yield Item(
                str(rid),
                str(batch["text"][k]),
                None if target is None else str(target),
                None if date is None else str(date),
            )


def _iso(value: Any) -> Any:
    """A Parquet date or timestamp value (numpy ``datetime64``, ``datetime``) as ISO text;
    other values unchanged, for :func:`claimx.dates.normalize_date` to accept or reject."""
    import numpy as np

    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(np.datetime_as_string(value, unit="D"))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    return value
