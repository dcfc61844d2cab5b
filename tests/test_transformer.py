"""``claimx_transformer``: the MiniLM pipe in bfloat16 or int8 at prediction."""

from __future__ import annotations

from typing import Any

import numpy
import pytest

TEXT = "The minister said on Tuesday that exports would double, analysts told Reuters."


@pytest.fixture(scope="module")
def pipes() -> tuple[Any, Any]:
    import claimx

    return (
        claimx.load(exclude=("claimx_stance",)),
        claimx.load(quantize=True),
    )


def _features(nlp: Any) -> numpy.ndarray:
    doc = nlp(TEXT)
    return numpy.asarray(doc._.trf_data.tensors[0]).reshape(-1, 384)


def test_quantize_is_off_by_default_and_on_when_asked(pipes: tuple[Any, Any]) -> None:
    plain, fast = pipes
    assert plain.get_pipe("transformer").cfg["quantize"] is False
    assert fast.get_pipe("transformer").cfg["quantize"] is True


def test_quantized_features_stay_close_to_float_ones(pipes: tuple[Any, Any]) -> None:
    plain, fast = pipes
    a, b = _features(plain), _features(fast)
    assert a.shape == b.shape
    assert not numpy.allclose(a, b)  # the int8 path really ran
    cos = (a * b).sum(-1) / (numpy.linalg.norm(a, axis=-1) * numpy.linalg.norm(b, axis=-1))
    # measured: min 0.94, mean 0.97 (one scale per weight matrix gave 0.90 and 0.94)
    assert cos.min() > 0.92 and cos.mean() > 0.95


def test_quantized_transformer_scales_each_output_row(pipes: tuple[Any, Any]) -> None:
    import torch

    _, fast = pipes
    fast(TEXT)
    encoder = fast.get_pipe("transformer")._fast
    query = encoder.layer[0].attention.self.query
    assert query.weight().qscheme() == torch.per_channel_affine


def test_quantized_pipeline_runs_its_stance_encoder_in_int8(pipes: tuple[Any, Any]) -> None:
    _, fast = pipes
    model = fast.get_pipe("claimx_stance").model
    assert model.int8 and model.fast is None  # the fast encoder reads float layers only
    doc = fast('"Exports will double next year," the minister said on Tuesday.')
    claims = doc._.claimx_claims
    assert claims
    assert all(c["stance"]["label"] in ("favor", "against", "neutral") for c in claims)


def test_float_weights_stay_in_place_for_saving(pipes: tuple[Any, Any]) -> None:
    import torch

    _, fast = pipes
    fast(TEXT)
    hf = fast.get_pipe("transformer").model.layers[0].shims[0]._model
    linear = hf.encoder.layer[0].attention.self.query
    assert isinstance(linear, torch.nn.Linear)
    assert linear.weight.dtype == torch.float32


def test_bfloat16_features_stay_close_to_float32_ones(pipes: tuple[Any, Any]) -> None:
    plain, _ = pipes
    pipe = plain.get_pipe("transformer")
    assert pipe.cfg["dtype"] == "auto"
    try:
        pipe.cfg["dtype"] = "float32"
        a = _features(plain)
        pipe.cfg["dtype"] = "bfloat16"
        b = _features(plain)
    finally:
        pipe.cfg["dtype"] = "auto"
    assert pipe.prediction_dtype() in ("float32", "bfloat16")
    assert not numpy.array_equal(a, b)  # the bfloat16 path really ran
    assert b.dtype == numpy.float32
    cos = (a * b).sum(-1) / (numpy.linalg.norm(a, axis=-1) * numpy.linalg.norm(b, axis=-1))
    assert cos.min() > 0.99  # bf16 keeps about three significant digits


def test_unknown_dtype_is_refused_with_its_name() -> None:
    import spacy

    from claimx import transformer  # noqa: F401  (registers the factory)
    from claimx.pipeline import transformer_config

    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="'float16'"):
        nlp.add_pipe("claimx_transformer", config={**transformer_config(), "dtype": "float16"})


def test_switching_precision_after_a_prediction_rebuilds_the_fast_copy(
    pipes: tuple[Any, Any],
) -> None:
    plain, fast = pipes
    pipe = plain.get_pipe("transformer")
    try:
        pipe.cfg["dtype"] = "bfloat16"
        bf16 = _features(plain)
        pipe.cfg["quantize"] = True
        int8 = _features(plain)
    finally:
        pipe.cfg["dtype"], pipe.cfg["quantize"] = "auto", False
    assert not numpy.allclose(bf16, int8)
    assert numpy.allclose(int8, _features(fast), atol=1e-5)  # the int8 path, not bf16's copy


TEXTS = [
    TEXT,
    '"We will not sell," the chief executive told Nikkei. Analysts disagreed.',
    "According to SIPRI, exports rose 10% last year.",
    "Rain is expected on Friday.",
    "She warned that the plan could fail, adding that costs would rise.",
]


def _run(nlp: Any, overlap: bool) -> list[tuple[numpy.ndarray, Any]]:
    pipe = nlp.get_pipe("transformer")
    before = pipe.cfg["overlap"]
    pipe.cfg["overlap"] = overlap
    try:
        docs = list(nlp.pipe(TEXTS, batch_size=2))
    finally:
        pipe.cfg["overlap"] = before
    return [
        (numpy.asarray(doc._.trf_data.tensors[0]).reshape(-1, 384), doc._.claimx_claims)
        for doc in docs
    ]


def test_overlapped_batches_give_the_same_features_and_claims(pipes: tuple[Any, Any]) -> None:
    plain, _ = pipes
    assert plain.get_pipe("transformer").cfg["overlap"] is True  # the default
    one_by_one, overlapped = _run(plain, False), _run(plain, True)
    assert len(overlapped) == len(TEXTS)
    for (a, claims_a), (b, claims_b) in zip(one_by_one, overlapped, strict=True):
        assert numpy.array_equal(a, b)
        assert claims_a == claims_b
    assert any(claims for _, claims in overlapped)


def test_encoding_ahead_shares_the_threads_and_gives_back_the_count(
    pipes: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    plain, _ = pipes
    pipe = plain.get_pipe("transformer")
    assert pipe.cfg["ahead"] == 3  # the default
    reference = _run(plain, True)
    predict = pipe.predict
    seen: list[int] = []

    def counting(docs: Any) -> Any:
        seen.append(torch.get_num_threads())
        return predict(docs)

    monkeypatch.setattr(pipe, "predict", counting)
    threads = torch.get_num_threads()
    torch.set_num_threads(4)
    try:
        for ahead in (1, 5):
            monkeypatch.setitem(pipe.cfg, "ahead", ahead)
            for (a, claims_a), (b, claims_b) in zip(reference, _run(plain, True), strict=True):
                assert numpy.allclose(a, b, atol=1e-2) and claims_a == claims_b
            assert torch.get_num_threads() == 4  # put back after the pipe
    finally:
        torch.set_num_threads(threads)
    assert seen and set(seen) == {2}  # the encoder thread ran on half of them


def test_bad_ahead_is_refused_with_its_value() -> None:
    import spacy

    from claimx import transformer  # noqa: F401  (registers the factory)
    from claimx.pipeline import transformer_config

    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="'ahead' must be a whole number >= 1, not 0"):
        nlp.add_pipe("claimx_transformer", config={**transformer_config(), "ahead": 0})


def test_an_error_in_the_background_encoder_reaches_the_caller(
    pipes: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimx

    plain, _ = pipes
    pipe = plain.get_pipe("transformer")
    predict = pipe.predict

    def failing(docs: Any) -> Any:
        docs = list(docs)
        if any("BOOM" in doc.text for doc in docs):
            raise RuntimeError("encoder failed")
        return predict(docs)

    monkeypatch.setattr(pipe, "predict", failing)
    texts = [*TEXTS[:3], "BOOM said the encoder.", TEXTS[3]]
    with pytest.raises(RuntimeError, match="encoder failed"):
        list(plain.pipe(texts, batch_size=2))
    out = list(claimx.extract_many(texts, nlp=plain, batch_size=2, errors="record"))
    assert [type(r).__name__ for r in out] == ["ArticleRecord"] * 3 + [
        "ErrorRecord",
        "ArticleRecord",
    ]


def test_windows_in_chunks_give_the_same_features(
    pipes: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimx import transformer

    plain, _ = pipes
    # the chunks are the bfloat16 layers' (what "auto" runs where the CPU has bf16 units)
    monkeypatch.setitem(plain.get_pipe("transformer").cfg, "dtype", "bfloat16")
    text = " ".join(f"Minister {i} said on Tuesday that exports would double." for i in range(60))
    whole = numpy.asarray(plain(text)._.trf_data.tensors[0])
    assert whole.shape[0] > 4  # several windows
    monkeypatch.setattr(transformer, "WINDOW_CHUNK", 2)
    starts: list[int] = []
    rows = transformer._rows

    def spy(value: Any, n: int, start: int) -> Any:
        starts.append(start)
        return rows(value, n, start)

    monkeypatch.setattr(transformer, "_rows", spy)
    chunked = numpy.asarray(plain(text)._.trf_data.tensors[0])
    assert 2 in starts  # the layers really ran two windows at a time
    # equal where oneDNN has bf16 kernels; where bf16 is emulated (AVX2), the kernels'
    # blocking follows the batch's shape, and values may differ in the last bit
    numpy.testing.assert_allclose(whole, chunked, rtol=0, atol=1e-5)


def test_chunked_layers_slice_masks_and_keep_every_layer(
    pipes: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    from claimx import transformer

    plain, _ = pipes
    encoder = plain.get_pipe("transformer").hf_model().encoder
    layers = transformer._Bfloat16Layers(encoder).eval()  # no dropout
    hidden = torch.randn(5, 16, 384)
    mask = torch.zeros(5, 1, 1, 16)
    mask[1, ..., 9:] = torch.finfo(torch.float32).min  # window 1 has padding
    with torch.inference_mode():
        asked = {"output_hidden_states": True, "output_attentions": True}
        whole = layers(hidden, mask, **asked)
        monkeypatch.setattr(transformer, "WINDOW_CHUNK", 2)
        chunked = layers(hidden, mask, **asked)
    assert torch.equal(whole.last_hidden_state, chunked.last_hidden_state)
    assert len(chunked.hidden_states) == len(whole.hidden_states) == 7
    for a, b in zip(whole.hidden_states, chunked.hidden_states, strict=True):
        assert a.shape == b.shape == (5, 16, 384)
        assert torch.equal(a, b)
    assert len(chunked.attentions) == len(whole.attentions) == 6
    for a, b in zip(whole.attentions, chunked.attentions, strict=True):
        assert a.shape == b.shape == (5, 12, 16, 16)
        assert torch.allclose(a.float(), b.float())


@pytest.mark.parametrize("quantize", [False, True])
def test_predict_from_two_threads_keeps_the_encoder(quantize: bool) -> None:
    """``predict`` swaps the encoder's layers for their fast copy and back: two threads at
    once (a retry beside the overlapped encoding) must each see the original layers (on a
    bf16 CPU the second built its copy from the first's packed one and raised)."""
    from concurrent.futures import ThreadPoolExecutor

    import claimx
    from claimx.pipeline import CLAIMX_PIPES, TAGGER

    nlp = claimx.load(exclude=(TAGGER, *CLAIMX_PIPES), quantize=quantize)
    trf = nlp.get_pipe("transformer")
    encoder = trf.hf_model().encoder
    docs = [nlp.make_doc(f"Officials said exports would rise by {i} percent.") for i in range(4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outs = list(pool.map(lambda i: trf.predict(docs[i % 4 : i % 4 + 1]), range(24)))
    assert len(outs) == 24
    assert trf.hf_model().encoder is encoder
    if trf.prediction_dtype() == "float32":  # a CPU without bf16 units: no fast copy
        assert trf._fast_for is None
    else:
        assert trf._fast_for is not None and trf._fast_for[0] is encoder
