"""LoRA adapters of the ``transformer`` pipe's encoder, trained with the tagger.

:mod:`claimx.tagger.finetune` trains them; a tagger folder that holds
:data:`ADAPTERS_FILE` and :data:`ADAPTERS_CONFIG` beside its ``tagger/`` pipe gets them
folded into the transformer's weights when :func:`claimx.pipeline.add_tagger` loads it
(:func:`load_adapters`), so the tagger reads the encoder it was trained with, at no run-time
cost. Only the adapters are stored (about 1.3 MB for rank 8 on all six layers), never a
second copy of the encoder.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ADAPTERS_FILE = "encoder_lora.safetensors"
ADAPTERS_CONFIG = "encoder_lora.json"
FINETUNE_METRICS = "finetune.json"
"""Dev history and scores of the fine-tuning round that trained the adapters."""
TUNE_METRICS = "encoder_tune.json"
"""Settings and dev history of :mod:`claimx.tagger.encoder_tune`, when it trained them."""


@dataclass
class AdapterConfig:
    """Where the adapters sit and their size: the top ``layers`` layers, rank, alpha."""

    layers: int = 6
    rank: int = 8
    alpha: float = 16.0


def encoder_of(trf: Any) -> Any:
    """The Hugging Face model inside the ``transformer`` pipe (``claimx_transformer``),
    ``ValueError`` if it has none yet."""
    model = trf.hf_model()
    if model is None:
        raise ValueError("the transformer pipe holds no initialized encoder")
    return model


def add_adapters(trf: Any, config: AdapterConfig) -> Any:
    """Freeze the pipe's encoder and put trainable adapters on its top layers; the encoder."""
    from ..lora import add_lora

    model = encoder_of(trf)
    layers = model.encoder.layer
    if not 0 < config.layers <= len(layers):
        raise ValueError(f"cannot adapt {config.layers} of the encoder's {len(layers)} layers")
    for param in model.parameters():
        param.requires_grad_(False)
    add_lora(layers, len(layers) - config.layers, config.rank, config.alpha)
    return model


def save_adapters(trf: Any, folder: Path, config: AdapterConfig) -> None:
    """Write the adapter weights of the pipe's encoder and their config into ``folder``."""
    write_adapters(encoder_of(trf), folder, config)


def write_adapters(model: Any, folder: Path, config: AdapterConfig) -> None:
    """Write the adapter weights of ``model`` (a Hugging Face encoder with adapters, on any
    device) and their config into ``folder``."""
    from safetensors.torch import save_file

    from ..lora import lora_state

    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.contiguous().cpu() for k, v in lora_state(model).items()}
    if not state:
        raise ValueError("the transformer pipe has no adapters to save")
    save_file(state, str(folder / ADAPTERS_FILE))
    (folder / ADAPTERS_CONFIG).write_text(json.dumps(asdict(config)) + "\n", encoding="utf-8")


def has_adapters(folder: Path) -> bool:
    return (folder / ADAPTERS_FILE).exists() and (folder / ADAPTERS_CONFIG).exists()


def read_config(folder: Path) -> AdapterConfig:
    """The :class:`AdapterConfig` saved in ``folder``."""
    return AdapterConfig(**json.loads((folder / ADAPTERS_CONFIG).read_text(encoding="utf-8")))


def load_adapters(trf: Any, folder: Path, *, merge: bool = True) -> AdapterConfig:
    """Put the adapters saved in ``folder`` on the transformer pipe's encoder and, with
    ``merge``, fold them into its weights; their config.

    ``ValueError`` naming the file when the adapters do not fit the encoder.
    """
    from ..lora import merge_lora

    config = read_config(folder)
    model = add_adapters(trf, config)
    read_adapters(model, folder)
    if merge:
        merge_lora(model.encoder.layer)
        for param in model.parameters():
            param.requires_grad_(True)
    return config


def read_adapters(model: Any, folder: Path) -> None:
    """Load the adapter weights saved in ``folder`` into ``model``, whose adapters are in
    place; ``ValueError`` naming the file unless they are exactly ``model``'s."""
    from safetensors.torch import load_file

    path = folder / ADAPTERS_FILE
    state = load_file(str(path))
    expected = {k for k in model.state_dict() if ".lora_" in k}
    if set(state) != expected:
        raise ValueError(f"encoder adapters at {str(path)!r} do not fit the encoder")
    model.load_state_dict(state, strict=False)
