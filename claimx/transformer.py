"""``claimx_transformer``: the pipeline's MiniLM ``transformer``, in the CPU's fastest precision.

spacy-transformers' ``Transformer`` with two switches that only change how predictions run
the encoder layers; the float32 weights stay the ones that are trained and saved, and the
converted copy of the encoder layers is built on first use and only serves ``predict``:

* ``dtype``: ``"auto"`` (default) runs them in bfloat16 where the CPU has native bf16 matrix
  units (:func:`claimx.stance.model.bf16_native`), else in float32; ``"float32"`` and
  ``"bfloat16"`` force one. The embeddings and the output stay float32.
  Measured on the 2-core CPU machine (AVX512-BF16): the transformer runs about 1.6x faster
  (5.2 s against 3.2 s over 50 BBC articles) with the same PolNeAR dev figures within
  0.1 point (see the attribution model card).
* ``quantize``: int8 dynamic quantization of their linear layers
  (``torch.ao.quantization.quantize_dynamic``, a scale per output row of each weight),
  about 1.5x faster than float32 but PolNeAR dev exact F1 drops by 0.5 to 1.1 points (81.3
  / 75.0 / 66.3, overlap 79.2, against float32's 81.8 / 75.6 / 67.4 / 79.8 on an AVX2 CPU;
  one scale per matrix lost 1.2 to 1.8), because the tagger was trained on float features.
  Off by default: ``claimx.load(quantize=True)`` turns it on, together with int8 stance
  inference; it overrides ``dtype``.

and two that change how ``nlp.pipe`` schedules it:

* ``overlap`` (default ``True``): :meth:`QuantizedTransformer.pipe` runs the encoder in a
  background thread while the main thread takes later batches through the pipes before it
  (spaCy's tagger, parser, NER: single-threaded) and earlier ones through the pipes after it.
  The encoder only reads the tokens (no doc is written while it runs; the main thread
  attaches its output), and torch releases the GIL in its kernels, so on a multi-core CPU
  the two run side by side. It needs several batches per ``nlp.pipe`` call
  (``extract_many`` makes :data:`claimx.api.PIPE_BATCHES` of them). While it runs, torch's
  intra-op threads are halved (:func:`shared_threads`): two workers share the cores. Outputs
  are the same; ``overlap=False`` runs the batches one after the other, as
  spacy-transformers does.
* ``ahead`` (default 3): how many batches the encoder may have queued behind the one the
  main thread hands on. The stance pipe gathers several batches' claims before it encodes
  them (:meth:`claimx.stance.component.StanceComponent.pipe`), a stretch of main-thread work that
  one queued batch could not cover. Measured figures: ``benchmarks/speed.py`` and the
  attribution model card.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import torch
from spacy.language import Language
from spacy.util import minibatch
from spacy_transformers.pipeline_component import Transformer
from spacy_transformers.util import batch_by_length

from .fast_encoder import pack_linears
from .memory import release_memory

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from thinc.api import Model


DTYPES = ("auto", "float32", "bfloat16")


WINDOW_CHUNK = 64
"""The bfloat16 layers run at most this many windows at once (see :class:`_Bfloat16Layers`)."""


class _Bfloat16Layers(torch.nn.Module):
    """A bfloat16 copy of a BERT encoder's layers that takes and gives float32 tensors.

    The windows of a batch go through the layers :data:`WINDOW_CHUNK` at a time (each
    window is encoded on its own, so the output is the same): the attention scores and
    feed-forward activations of a whole long article at once took 575 MB for a 16,000-word
    text (some 200 windows); chunks cap that transient, whatever the length. A batch of 8
    news articles seldom holds more than 64 windows.
    """

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__()
        self.inner = pack_linears(copy.deepcopy(encoder).to(torch.bfloat16))

    def forward(
        self, hidden_states: torch.Tensor, attention_mask: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if isinstance(attention_mask, torch.Tensor) and attention_mask.is_floating_point():
            attention_mask = attention_mask.to(torch.bfloat16)
        hidden = hidden_states.to(torch.bfloat16)
        rows = hidden.shape[0]
        if rows <= WINDOW_CHUNK:
            out = self.inner(hidden, attention_mask, *args, **kwargs)
        else:
            parts = [
                self.inner(
                    hidden[start : start + WINDOW_CHUNK],
                    _rows(attention_mask, rows, start),
                    *args,
                    **{key: _rows(value, rows, start) for key, value in kwargs.items()},
                )
                for start in range(0, rows, WINDOW_CHUNK)
            ]
            out = parts[0]
            out.last_hidden_state = torch.cat([part.last_hidden_state for part in parts])
            for field in ("hidden_states", "attentions"):  # per layer, when asked for
                if getattr(out, field, None) is not None:
                    layers = zip(*(getattr(part, field) for part in parts), strict=True)
                    setattr(out, field, tuple(torch.cat(layer) for layer in layers))
        out.last_hidden_state = out.last_hidden_state.float()
        if getattr(out, "hidden_states", None) is not None:
            out.hidden_states = tuple(h.float() for h in out.hidden_states)
        return out


def _rows(value: Any, rows: int, start: int) -> Any:
    """The windows ``start : start + WINDOW_CHUNK`` of a per-window tensor (a mask); any
    other argument as it is."""
    if isinstance(value, torch.Tensor) and value.dim() > 0 and value.shape[0] == rows:
        return value[start : start + WINDOW_CHUNK]
    return value


@contextmanager
def shared_threads() -> Iterator[None]:
    """Halve torch's intra-op threads (at least one) for the block, then put the count back.

    While the encoder runs in the pool thread, the main thread runs the other pipes, some of
    them in torch too (the tagger's LSTMs and products, the stance encoder): two workers
    share the cores, and each running torch on all of them oversubscribes the CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(max(1, threads // 2))
    try:
        yield
    finally:
        torch.set_num_threads(threads)


class QuantizedTransformer(Transformer):
    """``Transformer`` whose predictions run the encoder layers in bfloat16 or int8."""

    def __init__(
        self,
        *args: Any,
        quantize: bool = False,
        dtype: str = "auto",
        overlap: bool = True,
        ahead: int = 3,
        **kwargs: Any,
    ) -> None:
        if dtype not in DTYPES:
            raise ValueError(f"unknown transformer dtype {dtype!r}; known: {DTYPES}")
        if isinstance(ahead, bool) or not isinstance(ahead, int) or ahead < 1:
            raise ValueError(f"transformer 'ahead' must be a whole number >= 1, not {ahead!r}")
        super().__init__(*args, **kwargs)
        cfg: dict[str, Any] = self.cfg  # spacy-transformers types its values as int
        cfg["quantize"] = quantize
        cfg["dtype"] = dtype
        cfg["overlap"] = overlap
        cfg["ahead"] = ahead
        self._fast: Any = None
        self._fast_for: tuple[Any, str] | None = None  # (encoder, dtype) it was built from
        # ``_predict`` swaps the encoder's layers for the fast copy: one thread at a time
        self._swap = threading.RLock()

    def prediction_dtype(self) -> str:
        """What the encoder layers run in at prediction: int8, bfloat16 or float32."""
        if self.cfg.get("quantize"):
            return "int8"
        dtype = self.cfg.get("dtype", "auto")
        if dtype == "auto":
            from .stance.model import bf16_native

            return "bfloat16" if bf16_native() else "float32"
        return str(dtype)

    def hf_model(self) -> Any:
        """The Hugging Face model inside the thinc shim (``None`` before initialization)."""
        try:
            return self.model.layers[0].shims[0]._model
        except (AttributeError, IndexError):
            return None

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Annotate ``stream`` in batches, each encoded while the main thread works on the
        batches around it when ``overlap`` is on (see the module's docstring)."""
        if not self.cfg.get("overlap", True):
            yield from super().pipe(stream, batch_size=batch_size)
            return
        from spacy_transformers.pipeline_component import install_extensions

        install_extensions()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimx-transformer") as pool:
            pending: deque[tuple[list[Doc], Future[list[tuple[list[int], Any]]]]] = deque()
            ahead = int(self.cfg.get("ahead", 3))
            # Pulling a batch from ``stream`` runs the pipes before this one on it, on this
            # thread, while the batches before it are encoded in the pool; a batch goes on to
            # the pipes after this one once ``ahead`` later batches are queued behind it.
            try:
                with shared_threads():
                    for batch in minibatch(stream, batch_size):
                        docs = list(batch)
                        pending.append((docs, pool.submit(self._encode, docs)))
                        if len(pending) > ahead:
                            yield from self._annotate(*pending.popleft())
                    while pending:
                        yield from self._annotate(*pending.popleft())
            finally:
                # Closed early (a later pipe raised, or the caller stopped reading): the
                # batches not yet encoded are dropped, and leaving the pool waits for the
                # one being encoded, so no encoding goes on after the stream is closed.
                for _, future in pending:
                    future.cancel()

    def _encode(self, docs: list[Doc]) -> list[tuple[list[int], Any]]:
        """Predictions for ``docs`` by sub-batch, as ``pipe`` makes them (docs unmodified)."""
        return [
            (indices, self.predict([docs[i] for i in indices]))
            for indices in batch_by_length(docs, self.cfg["max_batch_items"])
        ]

    def _annotate(
        self, docs: list[Doc], future: Future[list[tuple[list[int], Any]]]
    ) -> Iterator[Doc]:
        for indices, predictions in future.result():
            self.set_annotations([docs[i] for i in indices], predictions)
        yield from docs

    def predict(self, docs: Iterable[Doc]) -> Any:
        try:
            with self._swap:
                return self._predict(docs)
        finally:
            release_memory()

    def _predict(self, docs: Iterable[Doc]) -> Any:
        dtype = self.prediction_dtype()
        hf: Any = self.hf_model() if dtype != "float32" else None
        encoder = getattr(hf, "encoder", None)
        if encoder is None:
            return super().predict(docs)
        if self._fast_for is None or self._fast_for[0] is not encoder or self._fast_for[1] != dtype:
            if dtype == "int8":
                from .stance.model import quantize_encoder

                self._fast = quantize_encoder(copy.deepcopy(encoder), per_channel=True)
            else:
                self._fast = _Bfloat16Layers(encoder)
            self._fast_for = (encoder, dtype)
        hf.encoder = self._fast
        try:
            return super().predict(docs)
        finally:
            hf.encoder = encoder


@Language.factory(
    "claimx_transformer",
    default_config={
        "max_batch_items": 4096,
        "quantize": False,
        "dtype": "auto",
        "overlap": True,
        "ahead": 3,
    },
    assigns=["doc._.trf_data"],
)
def make_quantized_transformer(
    nlp: Language,
    name: str,
    model: Model,
    max_batch_items: int,
    quantize: bool,
    dtype: str,
    overlap: bool,
    ahead: int,
) -> QuantizedTransformer:
    """The ``transformer`` pipe of claimx (see :class:`QuantizedTransformer`)."""
    from spacy_transformers.annotation_setters import null_annotation_setter

    return QuantizedTransformer(
        nlp.vocab,
        model,
        null_annotation_setter,
        name=name,
        max_batch_items=max_batch_items,
        quantize=quantize,
        dtype=dtype,
        overlap=overlap,
        ahead=ahead,
    )
