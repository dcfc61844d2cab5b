"""Committed results of the current pipeline on every task (see ``README.md`` here).

Regenerate them all (about 10 minutes on the 2-core machine)::

    .venv/bin/python -m evaluation.baselines [--screenshot]

which is ``claimx evaluate --task all --no-shared-text --out evaluation/baselines``, plus,
with ``--screenshot``, a headless-Chromium screenshot of the corpus report.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
