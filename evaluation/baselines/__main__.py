"""``python -m evaluation.baselines``: run every task into ``evaluation/baselines/``."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from evaluation.result import Settings
from evaluation.run import run_all
from evaluation.tasks import TASKS

from . import HERE

SCREENSHOT = "corpus-report.png"


def screenshot(page: Path, png: Path, size: str = "1200,1800") -> bool:
    """Render ``page`` with headless Chromium into ``png``; False when no Chromium is found."""
    browser = next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )
    if browser is None:
        return False
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--screenshot={png}",
        f"--window-size={size}",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.returncode == 0 and png.exists()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE, help="default: evaluation/baselines")
    parser.add_argument("--tasks", nargs="+", choices=TASKS, default=list(TASKS))
    parser.add_argument("--screenshot", action="store_true", help="PNG of the corpus report")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    done = run_all(
        args.out,
        Settings(),
        tasks=args.tasks,
        share_texts=False,
        progress=lambda line: print(f"baselines: {line}", file=sys.stderr, flush=True),
    )
    for ev, _ in done:
        figures = "; ".join(f"{name} {value}" for name, value in ev.headline)
        print(f"{ev.task} ({ev.elapsed_s:.0f} s): {figures}")
    if args.screenshot and "corpus" in args.tasks:
        ok = screenshot(args.out / "corpus" / "report.html", args.out / SCREENSHOT)
        print(f"screenshot: {args.out / SCREENSHOT if ok else 'no Chromium found'}")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
