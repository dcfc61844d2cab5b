"""Matrix products of the pipeline's thinc layers through torch instead of blis.

spaCy's layers (the ``tok2vec`` of ``en_core_web_sm``, the NER's own ``tok2vec``, the
parser's precomputed features) and the ``claimx_tagger`` heads compute their matrix
products with ``NumpyOps.gemm``, which calls blis. On some CPUs blis is far from the
machine's speed: on an AMD EPYC of family 26 (Zen 5) it multiplied 4,000 x 512 by 512 x 128
float32 matrices in 12.7 ms against 5.2 ms for torch in one thread and 2.4 ms in two
(``benchmarks/products.py``). :class:`TorchProductOps` is ``NumpyOps`` with the product
handed to ``torch.matmul`` in float32 (same arithmetic, other rounding order: outputs can
differ in the last bits); everything else stays thinc's. :func:`use_torch_products` puts it
under every thinc layer of a loaded pipeline (``claimx.load(matmul="torch")``, the default).

torch is imported when the first product runs; the transformer pipe has loaded it already.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.language import Language
from thinc.api import Model, NumpyOps

MATMULS = ("torch", "thinc")
"""The values of ``claimx.load(matmul=...)``: torch's products, or thinc's own (blis)."""


class TorchProductOps(NumpyOps):
    """``NumpyOps`` whose ``gemm`` runs ``torch.matmul`` on float32 arrays (others: blis)."""

    name = "claimx_torch_products"

    def gemm(
        self,
        x: Any,
        y: Any,
        out: Any = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> Any:
        if not _torch_ready(x, y, out):
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        import torch

        a = torch.from_numpy(x)
        b = torch.from_numpy(y)
        if trans1:
            a = a.T
        if trans2:
            b = b.T
        if out is None:
            return torch.matmul(a, b).numpy()
        torch.matmul(a, b, out=torch.from_numpy(out))
        return out


def _torch_ready(x: Any, y: Any, out: Any) -> bool:
    """Whether torch can take the arrays as they are: 2-d float32 numpy arrays, writable
    (``torch.from_numpy`` warns on read-only memory), ``out`` C-contiguous."""
    arrays = (x, y) if out is None else (x, y, out)
    usable = all(
        isinstance(a, numpy.ndarray)
        and a.ndim == 2
        and a.dtype == numpy.float32
        and a.flags.writeable
        for a in arrays
    )
    return usable and (out is None or out.flags.c_contiguous)


def use_torch_products(nlp: Language) -> int:
    """Give every thinc layer of ``nlp``'s pipes :class:`TorchProductOps`; returns how many
    layers. Layers on another backend (a GPU's ``CupyOps``) are left as they are, as are pipes
    whose model is not a thinc ``Model`` (the stance encoder, the transformer's torch model
    inside its thinc wrapper runs in torch anyway)."""
    ops = TorchProductOps()
    count = 0
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
                count += 1
    return count


def check_matmul(matmul: str) -> None:
    """Raise a ValueError naming ``matmul`` unless it is one of :data:`MATMULS`."""
    if matmul not in MATMULS:
        raise ValueError(f"unknown matmul {matmul!r}; known: {', '.join(MATMULS)}")
