"""Low-rank adapters (LoRA) on the linear layers of a BERT-style encoder.

Shared by the stance model (:mod:`claimx.stance.model`) and the tagger's encoder
fine-tuning (:mod:`claimx.tagger.finetune`): the encoder's own weights stay frozen, each
adapted linear layer learns ``W + B @ A * alpha / rank``, and only ``A`` and ``B`` are saved
(a few hundred KB to a few MB instead of the 90 MB encoder). For inference the update is
folded into the weights (:func:`merge_lora`), so adapters cost nothing at run time.
"""

from __future__ import annotations

import math

import torch
from torch import nn

LORA_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
"""The linear layers of one BERT layer that get adapters."""


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update ``B @ A``."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.base.requires_grad_(False)
        self.scaling = alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scaling

    def merged(self) -> nn.Linear:
        """The base layer with the update folded into its weight."""
        with torch.no_grad():
            self.base.weight += (self.lora_b @ self.lora_a) * self.scaling
        return self.base


def get_module(module: nn.Module, dotted: str) -> nn.Module:
    """The submodule at a dotted path (``"attention.self.query"``)."""
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


def set_module(module: nn.Module, dotted: str, value: nn.Module) -> None:
    """Replace the submodule at a dotted path."""
    *parents, last = dotted.split(".")
    for part in parents:
        module = getattr(module, part)
    setattr(module, last, value)


def add_lora(layers: nn.ModuleList, first: int, rank: int, alpha: float) -> None:
    """Wrap the :data:`LORA_TARGETS` of ``layers[first:]`` in :class:`LoRALinear`."""
    for index in range(first, len(layers)):
        layer = layers[index]
        for name in LORA_TARGETS:
            base = get_module(layer, name)
            if isinstance(base, nn.Linear):
                set_module(layer, name, LoRALinear(base, rank, alpha))


def merge_lora(layers: nn.ModuleList) -> None:
    """Fold every :class:`LoRALinear` of ``layers`` back into a plain linear layer."""
    for layer in layers:
        for name in LORA_TARGETS:
            module = get_module(layer, name)
            if isinstance(module, LoRALinear):
                set_module(layer, name, module.merged())


def lora_state(module: nn.Module) -> dict[str, torch.Tensor]:
    """The adapter weights of ``module`` (``lora_a``/``lora_b``), keyed as in its state dict."""
    return {k: v.detach().clone() for k, v in module.state_dict().items() if ".lora_" in k}
