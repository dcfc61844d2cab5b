"""The ``claimx`` command: ``extract``, ``show``, ``demo``, ``stance`` and ``evaluate``.

spaCy and torch are imported inside the commands, so ``claimx --help`` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .about import __version__
from .api import PIPE_BATCHES, ErrorRecord, Item

if TYPE_CHECKING:
    from collections import Counter

    from .records import ArticleRecord

PROG = "claimx"
DEMO_INPUT = Path("seed") / "japan-arms-exports.txt"
#: ``claimx evaluate --task`` choices (``evaluation.run.TASK_CHOICES``).
EVAL_TASKS = ("polnear-dev", "newsquant-dev", "vast-dev", "emergent-test", "corpus", "all")


class UsageError(Exception):
    """A problem with the command line itself: exit status 2."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except UsageError as err:
        _error(str(err))
        return 2
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ValueError, OSError) as err:
        _error(str(err))
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``claimx`` command."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Who claimed what in the news: claims, experts, stances, facts."
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    inputs_help = (
        "a .txt file, a folder of .txt files, a .jsonl file of {id, text[, target][, date]} "
        "lines, "
        "or - for stdin"
    )

    p = sub.add_parser("extract", help="extract records from articles into JSONL")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=inputs_help)
    p.add_argument("-o", "--output", default="-", metavar="OUT", help="JSONL output (- stdout)")
    p.add_argument("--target", help="stance target for articles that give none")
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        default=8,
        metavar="N",
        help=f"articles per pipeline batch; output is written every {PIPE_BATCHES} batches "
        "(default: 8)",
    )
    p.add_argument(
        "--n-process",
        type=_positive_int,
        default=1,
        metavar="N",
        help="worker processes (local) or pipeline actors (ray); default: 1",
    )
    p.add_argument(
        "--torch-threads",
        type=_positive_int,
        default=None,
        metavar="N",
        help="torch threads per process (default: CPUs / processes; Ray: 1); "
        "1 makes any --n-process and --backend write the same bytes",
    )
    p.add_argument(
        "--tagger-heads",
        type=_positive_int,
        default=None,
        metavar="N",
        help="run only the first N heads of the attribution tagger (default: all 3; "
        "1 is about 10%% faster, about one point lower on PolNeAR)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="skip the ids already in OUT (a torn last line is cut off and redone), append",
    )
    p.add_argument(
        "--backend",
        choices=("local", "ray"),
        default="local",
        help="ray: Ray Data over .jsonl/.parquet inputs (pip install 'claimx[ray]')",
    )
    p.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="Ray cluster to join, e.g. auto (default: $RAY_ADDRESS, else a local Ray)",
    )
    p.add_argument(
        "--section-chars",
        type=_positive_int,
        default=None,
        metavar="N",
        help="process longer articles in sections of at most N characters (default: 100000)",
    )
    p.add_argument(
        "--max-chars",
        type=_positive_int,
        default=None,
        metavar="N",
        help="reject articles longer than N characters as errors (default: no limit)",
    )
    p.set_defaults(run=cmd_extract)

    p = sub.add_parser("show", help="write an HTML page of one article's claims and facts")
    p.add_argument("input", metavar="INPUT", help=inputs_help)
    p.add_argument("-o", "--output", required=True, metavar="PAGE", help="HTML output (- stdout)")
    p.add_argument("--target", help="stance target")
    p.add_argument("--id", help="which article of INPUT to show (default: the first)")
    p.add_argument(
        "--record",
        action="store_true",
        help="INPUT is a records JSONL file (claimx output or gold): show it without extracting",
    )
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("demo", help="extract the reference article and print a summary")
    p.add_argument("--input", metavar="PATH", help="article to use (default: the seed article)")
    p.add_argument("--out-dir", default="demo-out", metavar="DIR", help="default: demo-out")
    p.add_argument("--target", help="stance target (default: claimx proposes one)")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("stance", help="score stance of {id, text, target} lines")
    p.add_argument("input", metavar="INPUT", help="JSONL of {id, text, target} lines, or -")
    p.add_argument("-o", "--output", default="-", metavar="OUT", help="JSONL output (- stdout)")
    p.add_argument("--target", help="target for lines that give none")
    p.add_argument("--batch-size", type=_positive_int, default=32, metavar="N")
    p.set_defaults(run=cmd_stance)

    p = sub.add_parser("evaluate", help="score records against gold, or run a benchmark task")
    p.add_argument("--gold", nargs="+", metavar="G", help="gold records JSONL file(s)")
    p.add_argument("--pred", metavar="P", help="predicted records JSONL, matched to gold by id")
    p.add_argument("--task", choices=EVAL_TASKS, help="run claimx on a benchmark and score it")
    p.add_argument("--out", default="eval-out", metavar="DIR", help="default: eval-out")
    p.add_argument("--min-overlap", type=float, default=0.5, metavar="R", help="default: 0.5")
    p.add_argument("--limit", type=_positive_int, metavar="N", help="first N gold items only")
    p.add_argument("--batch-size", type=_positive_int, default=8, metavar="N")
    p.add_argument("--resamples", type=int, default=1000, metavar="N", help="bootstrap, 1000")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    p.add_argument(
        "--no-shared-text",
        action="store_true",
        help="leave the texts of non-redistributable corpora out of the reports",
    )
    p.set_defaults(run=cmd_evaluate)
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    """``claimx extract``: one JSON line per input article, in input order, flushed per batch."""
    from .batch import BatchStats, Options, Result, estimate_count, extract_to_jsonl
    from .sections import SECTION_CHARS

    target = _target(args.target)
    options = Options(max_chars=args.max_chars, section_chars=args.section_chars or SECTION_CHARS)
    if args.resume and args.output == "-":
        raise UsageError("--resume needs an output file (-o OUT)")
    done = _resume_state(args.output) if args.resume else None
    if args.backend == "ray":
        _print_summary(_extract_ray(args, target, options, done), args.resume)
        return 0

    from tqdm import tqdm

    from . import api
    from .inputs import iter_inputs

    mode = "a" if done is not None else "w"
    with _open_output(args.output, mode) as out:
        if args.tagger_heads is None:
            nlp = api.default_pipeline()
        else:
            from .pipeline import load

            nlp = load(tagger_heads=args.tagger_heads)
        total = estimate_count(args.inputs) if sys.stderr.isatty() else None
        bar = tqdm(total=total, unit=" articles", file=sys.stderr, disable=None, smoothing=0.1)
        words = 0
        start = time.perf_counter()

        def on_batch(results: list[Result], skipped: int) -> None:
            nonlocal words
            for result in results:
                words += result.words
                if result.error is not None:
                    tqdm.write(f"{PROG}: error: {result.id}: {result.error}", file=sys.stderr)
            if total is not None and skipped:
                bar.total = max(0, (bar.total or 0) - skipped)
            bar.update(len(results))
            elapsed = max(time.perf_counter() - start, 1e-9)
            bar.set_postfix_str(f"{words / elapsed:,.0f} words/s", refresh=False)

        with bar:
            stats: BatchStats = extract_to_jsonl(
                iter_inputs(args.inputs, target),
                out,
                nlp=nlp,
                batch_size=args.batch_size,
                n_process=args.n_process,
                done=done,
                options=options,
                torch_threads=args.torch_threads,
                on_batch=on_batch,
            )
    _print_summary(stats, args.resume)
    return 0


def _resume_state(output: str) -> Counter[str] | None:
    """Ids already in ``output`` (None if it does not exist yet); a torn last line is cut."""
    from .batch import scan_output

    if not Path(output).exists():
        return None
    if not Path(output).is_file():
        raise UsageError(f"cannot resume into {output}: not a file")
    done, torn = scan_output(output)
    if torn:
        print(
            f"{PROG}: {output}: cut off a torn last line ({torn:,} bytes); it is redone",
            file=sys.stderr,
        )
    return done


def _extract_ray(
    args: argparse.Namespace, target: str | None, options: Any, done: Counter[str] | None
) -> Any:
    from .ray_backend import run_ray

    return run_ray(
        args.inputs,
        args.output,
        target=target,
        batch_size=args.batch_size,
        concurrency=args.n_process,
        torch_threads=args.torch_threads or 1,
        tagger_heads=args.tagger_heads,
        address=args.ray_address,
        options=options,
        done=done,
        on_error=lambda rid, error: print(f"{PROG}: error: {rid}: {error}", file=sys.stderr),
    )


def _print_summary(stats: Any, resumed: bool) -> None:
    seconds = max(stats.seconds, 1e-9)
    skipped = f", {stats.skipped} already done" if resumed else ""
    print(
        f"{PROG}: {stats.articles} articles, {stats.claims} claims, {stats.facts} facts, "
        f"{stats.errors} errors{skipped} in {stats.seconds:.1f} s "
        f"({(stats.articles + stats.errors) / seconds:,.2f} articles/s, "
        f"{stats.words / seconds:,.0f} words/s)",
        file=sys.stderr,
    )


def cmd_show(args: argparse.Namespace) -> int:
    """``claimx show``: an HTML page of one article."""
    from .display import render_html

    if args.record:
        record = _pick_record(args.input, args.id)
    else:
        record = _extract_one(_pick_item(args.input, args.id, _target(args.target)))
    html = render_html(record)
    with _open_output(args.output) as out:
        out.write(html)
    if args.output != "-":
        print(f"{PROG}: wrote {args.output}", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``claimx demo``: extract one article, print its summary, write its JSONL and HTML."""
    from .display import render_html
    from .paths import corpora_dir, safe_filename
    from .summary import format_summary

    path = args.input or str(corpora_dir() / DEMO_INPUT)
    record = _extract_one(_pick_item(path, None, _target(args.target)))
    out_dir = Path(args.out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create {out_dir}: {err.strerror or err}") from None
    name = safe_filename(record.id)
    jsonl, html = out_dir / f"{name}.jsonl", out_dir / f"{name}.html"
    jsonl.write_text(record.to_json() + "\n", encoding="utf-8")
    html.write_text(render_html(record), encoding="utf-8")
    print(format_summary(record))
    print(f"Record: {jsonl}")
    print(f"Page:   {html}")
    return 0


def cmd_stance(args: argparse.Namespace) -> int:
    """``claimx stance``: ``{"id", "label", "score"}`` per ``{"id", "text", "target"}`` line."""
    from .api import check_text
    from .inputs import iter_inputs

    try:
        score_pairs = importlib.import_module(f"{__package__}.stance").score_pairs
    except (ImportError, AttributeError):
        raise ValueError("the stance scorer (claimx.stance.score_pairs) is not available") from None
    target = _target(args.target)
    with _open_output(args.output) as out:
        batch: list[Item | ErrorRecord] = []
        for item in iter_inputs([args.input], target):
            if isinstance(item, Item):
                try:
                    check_text(item.text, item.id)
                    if not (item.target or "").strip():
                        raise ValueError(f"item {item.id!r} has no 'target' (give one or --target)")
                except ValueError as err:
                    item = ErrorRecord(item.id, str(err))
            batch.append(item)
            if len(batch) >= args.batch_size:
                _write_stances(batch, score_pairs, out)
                batch.clear()
        _write_stances(batch, score_pairs, out)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``claimx evaluate``: results.json, report.md and report.html per scored run."""
    if args.task is None and not (args.gold and args.pred):
        raise UsageError("give --gold and --pred, or --task")
    if args.task is not None and (args.gold or args.pred):
        raise UsageError("--task runs claimx itself: give --task or --gold/--pred, not both")
    if not 0.0 < args.min_overlap <= 1.0:
        raise UsageError(f"--min-overlap must be in (0, 1], not {args.min_overlap}")
    try:
        from evaluation.result import Settings
        from evaluation.run import evaluate
    except ImportError as err:
        raise ValueError(f"the evaluation package is not available ({err})") from None
    settings = Settings(args.min_overlap, args.resamples, args.seed, args.limit, args.batch_size)
    done = evaluate(
        gold=args.gold,
        pred=args.pred,
        task=args.task,
        out=args.out,
        settings=settings,
        share_texts=not args.no_shared_text,
        progress=lambda line: print(f"{PROG}: {line}", file=sys.stderr),
    )
    for ev, page in done:
        figures = "; ".join(f"{name} {value}" for name, value in ev.headline)
        print(f"{ev.task}: {figures}")
        print(f"  report: {page}")
    return 0


def _write_stances(batch: list[Item | ErrorRecord], score_pairs: Any, out: IO[str]) -> None:
    """Score the good items of ``batch`` in one call; write one line per entry, in order."""
    pairs = [{"id": x.id, "text": x.text, "target": x.target} for x in batch if isinstance(x, Item)]
    scored = iter(score_pairs(pairs) if pairs else [])
    for entry in batch:
        if isinstance(entry, ErrorRecord):
            line: dict[str, Any] = entry.to_dict()
            print(f"{PROG}: error: {entry.id}: {entry.error}", file=sys.stderr)
        else:
            label, score = _label_score(next(scored))
            line = {"id": entry.id, "label": label, "score": score}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()


def _pick_item(path: str, rid: str | None, target: str | None) -> Item:
    from .inputs import iter_inputs

    for item in iter_inputs([path], target):
        if rid is None or item.id == rid:
            if isinstance(item, ErrorRecord):
                raise UsageError(f"{item.id}: {item.error}")
            return item
    raise UsageError(f"{path}: no article with id {rid!r}")


def _pick_record(path: str, rid: str | None) -> ArticleRecord:
    from .records import read_records

    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    for record in read_records(path):
        if rid is None or record.id == rid:
            return record
    raise UsageError(f"{path}: no record" + ("" if rid is None else f" with id {rid!r}"))


def _extract_one(item: Item) -> ArticleRecord:
    from . import api

    return api.extract(
        item.text, id=item.id, target=item.target, date=item.date, nlp=api.default_pipeline()
    )


@contextlib.contextmanager
def _open_output(path: str, mode: str = "w") -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        return
    try:
        handle = open(path, mode, encoding="utf-8")  # noqa: SIM115
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None
    with handle:
        yield handle


def _label_score(result: Any) -> tuple[str, float | None]:
    """Read ``(label, score)`` from a dict, a pair or an object with those attributes."""
    if isinstance(result, dict):
        return str(result["label"]), result.get("score")
    if isinstance(result, (tuple, list)):
        return str(result[0]), result[1] if len(result) > 1 else None
    return str(result.label), getattr(result, "score", None)


def _target(target: str | None) -> str | None:
    if target is not None and not target.strip():
        raise UsageError("--target is empty")
    return target


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)
