"""Keep every model load on local files: claimx never reaches a model hub."""

from __future__ import annotations

import os

OFFLINE_VARIABLES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def set_offline() -> None:
    """Set the Hugging Face offline switches unless the caller already chose a value."""
    for key, value in OFFLINE_VARIABLES.items():
        os.environ.setdefault(key, value)
