"""A bidirectional LSTM that reads each sequence of a padded batch on its own."""

from __future__ import annotations

import functools
from typing import Any

import torch
from torch.func import functional_call


class ExactBiLSTM(torch.nn.LSTM):
    """``torch.nn.LSTM`` whose ``forward(padded, lengths)`` reads, in every bidirectional
    layer, each sequence backwards from its own last token.

    The backward direction runs as a one-way LSTM (the layer's ``_reverse`` weights, lent
    through ``torch.func.functional_call``) over each sequence reversed within its length,
    padding left at the end, where the forward direction reads it too; so no sequence's
    output depends on the others' lengths. Without ``lengths``, or when all are equal, it is
    the plain LSTM. Same parameters and state-dict names as ``torch.nn.LSTM``.
    """

    def forward(self, input: Any, lengths: Any = None) -> Any:
        if lengths is None or not self.bidirectional or not lengths.numel():
            return super().forward(input)
        if bool((lengths == lengths[0]).all()):  # no padding to step over
            return super().forward(input)
        steps = torch.arange(input.shape[0], device=input.device)[:, None]
        ends = lengths.to(input.device)[None, :]
        order = torch.where(steps < ends, ends - 1 - steps, steps)  # its own inverse
        hidden = input
        for layer in range(self.num_layers):
            if layer and self.dropout and self.training:
                hidden = torch.nn.functional.dropout(hidden, self.dropout)
            ahead = self._one_way(layer, "", hidden)
            back = self._one_way(layer, "_reverse", _reorder(hidden, order))
            hidden = torch.cat([ahead, _reorder(back, order)], dim=-1)
        return hidden, None

    def _one_way(self, layer: int, suffix: str, hidden: Any) -> Any:
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")[: 4 if self.bias else 2]
        weights = {f"{n}_l0": getattr(self, f"{n}_l{layer}{suffix}") for n in names}
        one_way = _one_way_lstm(hidden.shape[-1], self.hidden_size, self.bias)
        return functional_call(one_way, weights, (hidden,))[0]


@functools.cache
def _one_way_lstm(inputs: int, hidden: int, bias: bool) -> torch.nn.LSTM:
    """A weightless (meta-device) one-layer LSTM: ``functional_call`` lends it weights."""
    return torch.nn.LSTM(inputs, hidden, 1, bias=bias, device="meta")


def _reorder(values: Any, order: Any) -> Any:
    """``values`` (steps x batch x width) with each column's steps taken in ``order``."""
    return values.gather(0, order[..., None].expand(-1, -1, values.shape[-1]))
