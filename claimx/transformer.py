"""``claimx_transformer``: the pipeline's MiniLM ``transformer``, optionally quantized.

spacy-transformers' ``Transformer`` with one switch, ``quantize``: predictions then run the
encoder layers with dynamic int8 quantization of their linear layers
(``torch.ao.quantization.quantize_dynamic``). The float weights stay the ones that are
trained and saved; the quantized copy of the encoder layers is built on first use and only
serves ``predict``.

Measured on the 2-core CPU machine: the transformer runs about 1.5x faster, and PolNeAR dev
exact F1 drops by 1 to 3 points (source 66.2 against 69.0), because the tagger was trained on
float features. It is off by default: ``claimx.load(quantize=True)`` turns it on, together
with int8 stance inference.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy_transformers.pipeline_component import Transformer

from .memory import release_memory

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from thinc.api import Model


class QuantizedTransformer(Transformer):
    """``Transformer`` whose predictions run the encoder with int8 dynamic quantization."""

    def __init__(self, *args: Any, quantize: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cfg["quantize"] = quantize
        self._quantized: Any = None
        self._quantized_from: Any = None

    def _encoder_holder(self) -> Any:
        """The Hugging Face model inside the thinc shim (``None`` before initialization)."""
        try:
            return self.model.layers[0].shims[0]._model
        except (AttributeError, IndexError):
            return None

    def predict(self, docs: Iterable[Doc]) -> Any:
        try:
            return self._predict(docs)
        finally:
            release_memory()

    def _predict(self, docs: Iterable[Doc]) -> Any:
        hf: Any = self._encoder_holder() if self.cfg.get("quantize") else None
        encoder = getattr(hf, "encoder", None)
        if encoder is None:
            return super().predict(docs)
        if self._quantized_from is not encoder:
            from .stance.model import quantize_encoder

            self._quantized = quantize_encoder(copy.deepcopy(encoder))
            self._quantized_from = encoder
        hf.encoder = self._quantized
        try:
            return super().predict(docs)
        finally:
            hf.encoder = encoder


@Language.factory(
    "claimx_transformer",
    default_config={"max_batch_items": 4096, "quantize": False},
    assigns=["doc._.trf_data"],
)
def make_quantized_transformer(
    nlp: Language,
    name: str,
    model: Model,
    max_batch_items: int,
    quantize: bool,
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
    )
