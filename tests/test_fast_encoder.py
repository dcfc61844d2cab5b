"""``claimx.fast_encoder``: the packed inference path gives the Hugging Face encoder's states."""

from __future__ import annotations

from typing import Any

import pytest

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def encoder() -> Any:
    from claimx.stance.model import load_encoder

    _, model = load_encoder()
    return model.eval()


def _batch(lengths: list[int], width: int = 384) -> tuple[Any, Any]:
    generator = torch.Generator().manual_seed(0)
    hidden = torch.randn(len(lengths), max(lengths), width, generator=generator)
    keep = torch.arange(max(lengths))[None, :] < torch.tensor(lengths)[:, None]
    return hidden, keep


def _reference(encoder: Any, hidden: Any, keep: Any) -> Any:
    mask = (1.0 - keep[:, None, None, :].float()) * torch.finfo(torch.float32).min
    with torch.inference_mode():
        for layer in encoder.encoder.layer:
            hidden = layer(hidden, attention_mask=mask)[0]
    return hidden


def test_float32_states_equal_the_encoders_on_real_pieces(encoder: Any) -> None:
    from claimx.fast_encoder import FastBertEncoder

    hidden, keep = _batch([5, 17, 9, 1])
    fast = FastBertEncoder(encoder.encoder, torch.float32)
    with torch.inference_mode():
        out = fast.run(hidden, keep)
    ref = _reference(encoder, hidden, keep)
    assert out.shape == ref.shape
    assert torch.allclose(out[keep], ref[keep], atol=1e-4)
    assert not out[~keep].any()  # padding comes back as zeros


def test_bfloat16_states_stay_close(encoder: Any) -> None:
    from claimx.fast_encoder import FastBertEncoder

    hidden, keep = _batch([30, 12, 31])
    fast = FastBertEncoder(encoder.encoder, torch.bfloat16)
    with torch.inference_mode():
        out = fast.run(hidden, keep)[keep]
    ref = _reference(encoder, hidden, keep)[keep]
    assert out.dtype == torch.float32
    cos = torch.nn.functional.cosine_similarity(out, ref, dim=-1)
    assert cos.min() > 0.99


def test_forward_reads_the_masks_bert_model_passes(encoder: Any) -> None:
    from claimx.fast_encoder import FastBertEncoder

    hidden, keep = _batch([6, 4])
    fast = FastBertEncoder(encoder.encoder, torch.float32)
    additive = (1.0 - keep[:, None, None, :].float()) * torch.finfo(torch.float32).min
    with torch.inference_mode():
        by_keep = fast.run(hidden, keep)
        by_4d = fast(hidden, additive.expand(2, 1, 6, 6)).last_hidden_state
        by_2d = fast(hidden, keep.long()).last_hidden_state
        unmasked = fast(hidden, None).last_hidden_state
        full = fast.run(hidden, torch.ones_like(keep))
    assert torch.equal(by_keep, by_4d) and torch.equal(by_keep, by_2d)
    assert torch.equal(unmasked, full)
    with pytest.raises(ValueError, match="last hidden state"):
        fast(hidden, None, output_hidden_states=True)


def test_whole_bert_model_with_the_fast_encoder(encoder: Any) -> None:
    import copy

    from claimx.fast_encoder import FastBertEncoder

    model = copy.deepcopy(encoder)
    ids = torch.tensor([[101, 2023, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.inference_mode():
        ref = model(input_ids=ids, attention_mask=mask).last_hidden_state
        model.encoder = FastBertEncoder(model.encoder, torch.float32)
        out = model(input_ids=ids, attention_mask=mask).last_hidden_state
    real = mask.bool()
    assert torch.allclose(out[real], ref[real], atol=1e-4)


def test_share_uses_the_encoders_modules_and_copy_does_not(encoder: Any) -> None:
    from claimx.fast_encoder import FastBertEncoder

    dense = encoder.encoder.layer[0].intermediate.dense
    shared = FastBertEncoder(encoder.encoder, torch.float32, share=True)
    copied = FastBertEncoder(encoder.encoder, torch.float32)
    assert shared.layers[0].ffn_in is dense
    assert copied.layers[0].ffn_in is not dense
    converted = FastBertEncoder(encoder.encoder, torch.bfloat16, share=True)
    assert converted.layers[0].ffn_in is not dense  # another dtype: always a copy
    assert dense.weight.dtype == torch.float32


def test_unsupported_encoder_is_refused(encoder: Any) -> None:
    import copy

    from claimx.fast_encoder import FastBertEncoder

    other = copy.deepcopy(encoder.encoder)
    other.config = copy.deepcopy(other.config)
    other.config.position_embedding_type = "relative_key"
    with pytest.raises(ValueError, match="relative_key"):
        FastBertEncoder(other)


def test_stance_logits_are_the_same_with_and_without_it() -> None:
    from claimx import paths
    from claimx.stance.model import StanceModel

    model = StanceModel.load(paths.models_dir() / "stance", dtype="float32")
    assert model.fast is not None
    targets = ["Japan can become a major global arms exporter"] * 2
    texts = ["Exports will grow fast.", "It is very difficult for Japan to export arms now."]
    fast = model.predict_logits(targets, texts)
    model.fast = None
    plain = model.predict_logits(targets, texts)
    assert fast == pytest.approx(plain, abs=1e-4)


def test_packed_linear_gives_the_linear_layers_output() -> None:
    from claimx.fast_encoder import PackedLinear, packing_supported

    if not packing_supported(torch.bfloat16):
        pytest.skip("no oneDNN bfloat16 packing on this CPU build")
    generator = torch.Generator().manual_seed(0)
    linear = torch.nn.Linear(64, 96).to(torch.bfloat16)
    x = torch.randn(37, 64, generator=generator).to(torch.bfloat16)
    with torch.inference_mode():
        assert torch.equal(PackedLinear(linear)(x), linear(x))


def test_pack_linears_swaps_plain_bfloat16_linears_only() -> None:
    from claimx.fast_encoder import PackedLinear, pack_linears, packing_supported

    model = torch.nn.Sequential(
        torch.nn.Linear(8, 8).to(torch.bfloat16),
        torch.nn.Sequential(torch.nn.Linear(8, 8).to(torch.bfloat16)),
        torch.nn.Linear(8, 8),  # float32: left alone
    )
    pack_linears(model)
    packed = packing_supported(torch.bfloat16)
    assert isinstance(model[0], PackedLinear) is packed
    assert isinstance(model[1][0], PackedLinear) is packed
    assert type(model[2]) is torch.nn.Linear


def test_attention_in_chunks_gives_the_same_states(
    encoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimx.fast_encoder as fe

    hidden, keep = _batch([5, 17, 9, 1, 12])
    fast = fe.FastBertEncoder(encoder.encoder, torch.float32)
    with torch.inference_mode():
        whole = fast.run(hidden, keep)
        monkeypatch.setattr(fe, "ATTENTION_SCORES", 12 * 17 * 17 * 2)  # two pairs at a time
        chunked = fast.run(hidden, keep)
    assert torch.allclose(whole, chunked, atol=1e-6)


def test_a_cpu_without_onednn_bf16_keeps_plain_bfloat16_linears(
    encoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An AVX2-only CPU: no weight packing (oneDNN's reorder raises there), and a bfloat16
    encoder still runs, on plain linears; "auto" keeps float32."""
    import claimx.fast_encoder as fe
    from claimx.stance import model as stance_model

    monkeypatch.setattr(fe, "onednn_bf16", lambda: False)
    monkeypatch.setattr(stance_model, "onednn_bf16", lambda: False)
    assert not fe.packing_supported(torch.bfloat16)
    assert not stance_model.bf16_native()
    linear = torch.nn.Linear(8, 8).to(torch.bfloat16)
    assert fe.pack_linears(linear) is linear
    hidden, keep = _batch([30, 12])
    fast = fe.FastBertEncoder(encoder.encoder, torch.bfloat16)
    assert not any(isinstance(m, fe.PackedLinear) for m in fast.modules())
    with torch.inference_mode():
        out = fast.run(hidden, keep)[keep]
    ref = _reference(encoder, hidden, keep)[keep]
    assert torch.nn.functional.cosine_similarity(out, ref, dim=-1).min() > 0.99


@pytest.mark.parametrize(
    ("units", "native"),
    [
        ({"avx512_f": True, "avx512_bw": True, "avx512_bf16": False}, False),
        ({"avx512_f": True, "avx512_bf16": True}, True),
        ({"amx_bf16": True}, True),
        ({"architecture": "arm64", "bf16": True}, True),
        ({}, False),
    ],
)
def test_auto_takes_bfloat16_only_where_the_cpu_has_bf16_units(
    units: dict[str, Any], native: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """oneDNN runs bf16 on plain AVX-512 too, by converting to float32, about 3x slower than
    float32 there: "auto" needs the units (AVX512-BF16, AMX, Arm BF16) as well."""
    from claimx.stance import model as stance_model

    monkeypatch.setattr(stance_model, "onednn_bf16", lambda: True)
    monkeypatch.setattr(torch.cpu, "get_capabilities", lambda: units)
    assert stance_model.bf16_native() is native
