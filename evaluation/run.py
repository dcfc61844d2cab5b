"""Run evaluations and write their outputs: ``results.json``, ``report.md``, ``report.html``.

``claimx evaluate`` calls :func:`evaluate`; ``python -m evaluation.baselines`` calls
:func:`run_all`. A run over several tasks also writes ``summary.json`` and ``summary.md``
(each task's key figures) in the output folder, one sub-folder per task.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .report import plots, render_html, render_markdown
from .result import Evaluation, Settings, provenance, write_results
from .tasks import TASKS, evaluate_files, run_task

#: Everything ``--task`` accepts.
TASK_CHOICES = (*TASKS, "all")


def write_outputs(ev: Evaluation, out: Path, *, share_texts: bool = True) -> Path:
    """Write one run's files into ``out``; returns the HTML report's path.

    ``share_texts=False`` leaves the texts of corpora that may not be redistributed
    (PolNeAR, NewsQuant, VAST, Emergent) out of the reports and writes no predictions file
    for them: committed baselines are made that way.
    """
    out.mkdir(parents=True, exist_ok=True)
    if not ev.provenance:
        ev.provenance = provenance()
    write_results(ev, out / "results.json")
    for name, _, svg in plots(ev):
        (out / name).write_text(svg + "\n", encoding="utf-8")
    (out / "report.md").write_text(render_markdown(ev, share_texts), encoding="utf-8")
    page = out / "report.html"
    page.write_text(render_html(ev, share_texts), encoding="utf-8")
    if ev.predictions is not None and (share_texts or ev.shareable):
        with open(out / "predictions.jsonl", "w", encoding="utf-8") as handle:
            for record in ev.predictions:
                handle.write(record.to_json() + "\n")
    return page


def evaluate(
    *,
    gold: Sequence[str | Path] | None = None,
    pred: str | Path | None = None,
    task: str | None = None,
    out: str | Path = "eval-out",
    settings: Settings | None = None,
    share_texts: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[Evaluation, Path]]:
    """Score ``pred`` against ``gold``, or run ``task`` (``all``: every task).

    Returns each evaluation with its HTML report's path. One task writes into ``out``; a
    file comparison too; ``all`` writes ``out/<task>/`` plus the summary files.
    """
    settings = settings or Settings()
    out = Path(out)
    if task is None:
        if not gold or pred is None:
            raise ValueError("give gold and prediction files, or a task")
        ev = evaluate_files(list(gold), pred, settings)
        return [(ev, write_outputs(ev, out, share_texts=share_texts))]
    if task not in TASK_CHOICES:
        raise ValueError(f"task must be one of {', '.join(TASK_CHOICES)}, not {task!r}")
    if task != "all":
        ev = run_task(task, settings)
        return [(ev, write_outputs(ev, out, share_texts=share_texts))]
    return run_all(out, settings, share_texts=share_texts, progress=progress)


def run_all(
    out: str | Path,
    settings: Settings | None = None,
    *,
    tasks: Sequence[str] = TASKS,
    share_texts: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[Evaluation, Path]]:
    """Run ``tasks`` one after the other into ``out/<task>/`` and write the summary."""
    settings = settings or Settings()
    out = Path(out)
    done: list[tuple[Evaluation, Path]] = []
    started = time.perf_counter()
    for task in tasks:
        if progress:
            progress(f"{task}: running")
        ev = run_task(task, settings)
        page = write_outputs(ev, out / task, share_texts=share_texts)
        if progress:
            progress(f"{task}: {ev.elapsed_s:.0f} s, {page}")
        ev.predictions = None
        done.append((ev, page))
        gc.collect()
    write_summary([ev for ev, _ in done], out, time.perf_counter() - started)
    return done


def summary(evaluations: Sequence[Evaluation], elapsed_s: float) -> dict[str, Any]:
    """Every task's key figures and run time, with the provenance of the first run."""
    first = evaluations[0].provenance if evaluations else provenance()
    return {
        **{k: first.get(k) for k in ("date", "claimx_version", "git_hash", "versions", "cpu")},
        "elapsed_s": round(elapsed_s, 1),
        "tasks": {
            ev.task: {
                "title": ev.title,
                "headline": dict(ev.headline),
                "elapsed_s": round(ev.elapsed_s, 1),
            }
            for ev in evaluations
        },
    }


def write_summary(evaluations: Sequence[Evaluation], out: Path, elapsed_s: float) -> None:
    """``summary.json`` and ``summary.md`` in ``out``."""
    data = summary(evaluations, elapsed_s)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# claimx evaluation summary",
        "",
        f"claimx {data['claimx_version']} · git `{(data['git_hash'] or 'unknown')[:12]}` · "
        f"{data['date']} · total {data['elapsed_s']:.0f} s"
        + "".join(f" · {k} {v}" for k, v in (data.get("cpu") or {}).items()),
        "",
        "| task | metric | value |",
        "|---|---|---|",
    ]
    for task, entry in data["tasks"].items():
        for i, (metric, value) in enumerate(entry["headline"].items()):
            name = f"[{task}]({task}/report.md) ({entry['elapsed_s']:.0f} s)" if i == 0 else ""
            lines.append(f"| {name} | {metric} | {value} |")
    (out / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
