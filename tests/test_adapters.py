"""Encoder adapters (LoRA) for the tagger: merging, saving, loading, fine-tuning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy
import pytest

torch = pytest.importorskip("torch")

TEXT = "The minister said on Tuesday that exports would double, analysts told Reuters."


def _base() -> Any:
    from claimx.pipeline import CLAIMX_PIPES, TAGGER, load

    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES))
    nlp.get_pipe("transformer").cfg["dtype"] = "float32"
    return nlp


def _features(nlp: Any) -> numpy.ndarray:
    trf = nlp.get_pipe("transformer")
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n == "claimx_tagger"]):
        doc = nlp(TEXT)
    assert trf.cfg["dtype"] == "float32"
    return numpy.asarray(doc._.trf_data.tensors[0]).reshape(-1, 384)


def _randomize(model: Any) -> None:
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith("lora_b"):
                param.copy_(torch.randn(param.shape, generator=generator) * 0.05)


def test_merged_adapters_compute_what_the_adapters_do() -> None:
    from claimx.lora import LoRALinear, add_lora, merge_lora
    from claimx.stance.model import load_encoder

    tokenizer, encoder = load_encoder()
    encoder.eval()
    add_lora(encoder.encoder.layer, 4, rank=4, alpha=8.0)
    assert isinstance(encoder.encoder.layer[5].attention.self.query, LoRALinear)
    assert not isinstance(encoder.encoder.layer[3].attention.self.query, LoRALinear)
    _randomize(encoder)
    inputs = tokenizer([TEXT], return_tensors="pt")
    with torch.no_grad():
        before = encoder(**inputs).last_hidden_state
        merge_lora(encoder.encoder.layer)
        after = encoder(**inputs).last_hidden_state
    assert not any(isinstance(m, LoRALinear) for m in encoder.modules())
    assert torch.allclose(before, after, atol=1e-4)


def test_adapters_saved_with_a_tagger_are_folded_in_on_load(tmp_path: Path) -> None:
    from claimx.pipeline import add_tagger, tagger_dir
    from claimx.tagger.adapters import AdapterConfig, add_adapters, save_adapters

    if not (tagger_dir() / "tagger").exists():
        pytest.skip("no trained tagger in models/attribution")
    plain = _features(_base())
    trained = _base()
    trf = trained.get_pipe("transformer")
    _randomize(add_adapters(trf, AdapterConfig(layers=2, rank=4, alpha=8.0)))
    adapted = _features(trained)
    assert not numpy.allclose(plain, adapted, atol=1e-3)

    folder = tmp_path / "attribution"
    shutil.copytree(tagger_dir() / "tagger", folder / "tagger")
    shutil.copyfile(tagger_dir() / "config.cfg", folder / "config.cfg")
    save_adapters(trf, folder, AdapterConfig(layers=2, rank=4, alpha=8.0))
    loaded = _base()
    assert add_tagger(loaded, folder)
    assert numpy.allclose(_features(loaded), adapted, atol=1e-4)
    # merged: no adapter modules are left at run time, and the weights can train again
    model = loaded.get_pipe("transformer").model.layers[0].shims[0]._model
    assert not [n for n, _ in model.named_parameters() if "lora_" in n]
    assert all(p.requires_grad for p in model.parameters())

    (folder / "encoder_lora.json").write_text(json.dumps({"layers": 3, "rank": 4, "alpha": 8.0}))
    with pytest.raises(ValueError, match="encoder_lora.safetensors"):
        add_tagger(_base(), folder)


def test_adapters_refuse_a_layer_count_the_encoder_lacks() -> None:
    from claimx.tagger.adapters import AdapterConfig, add_adapters

    with pytest.raises(ValueError, match="7 of the encoder's 6 layers"):
        add_adapters(_base().get_pipe("transformer"), AdapterConfig(layers=7))


def test_finetune_runs_keeps_the_best_point_and_saves(shared_dir: Path, tmp_path: Path) -> None:
    from claimx.pipeline import CLAIMX_PIPES, TAGGER, add_tagger, load, tagger_dir
    from claimx.tagger.finetune import main

    if not (shared_dir / "corpora" / "polnear").exists():
        pytest.skip("PolNeAR is absent")
    head = tmp_path / "head"  # the shipped head without its adapters
    shutil.copytree(tagger_dir() / "tagger", head / "tagger")
    shutil.copyfile(tagger_dir() / "config.cfg", head / "config.cfg")
    out = tmp_path / "out"
    args = ["--limit", "4", "--epochs", "1", "--eval-every", "1", "--layers", "1"]
    assert main([*args, "--init", str(head), "--cache-dir", str(tmp_path), "--out", str(out)]) == 0
    metrics = json.loads((out / "finetune.json").read_text())
    steps = [h["step"] for h in metrics["history"]]
    assert steps == [0, 1]  # scored before the first step and after each
    best = max(metrics["history"], key=lambda h: numpy.mean([s["f"] for s in h["dev"].values()]))
    assert metrics["best_step"] == best["step"]
    assert metrics["adapters"] == {"layers": 1, "rank": 8, "alpha": 16.0}
    for name in ("config.cfg", "encoder_lora.safetensors", "encoder_lora.json", "tagger"):
        assert (out / name).exists()
    assert (out / "config.cfg").read_text() == (tagger_dir() / "config.cfg").read_text()
    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES))
    assert add_tagger(nlp, out)
    assert nlp(TEXT).spans["claimx_tagged"] is not None
    # a second round trains on from the saved adapters, in their shape
    again = tmp_path / "again"
    rest = ["--limit", "4", "--epochs", "1", "--eval-every", "5", "--layers", "2"]
    assert main([*rest, "--init", str(out), "--cache-dir", str(tmp_path), "--out", str(again)]) == 0
    assert json.loads((again / "finetune.json").read_text())["adapters"]["layers"] == 1


def test_head_trains_on_adapted_features_and_keeps_the_adapters(
    shared_dir: Path, tmp_path: Path
) -> None:
    from claimx.pipeline import tagger_dir
    from claimx.tagger.data import Features, feature_pipeline, listener_features
    from claimx.tagger.train import adapters_digest, main

    if not (shared_dir / "corpora" / "polnear").exists():
        pytest.skip("PolNeAR is absent")
    adapters = tmp_path / "adapters"
    adapters.mkdir()
    for name in ("encoder_lora.safetensors", "encoder_lora.json"):
        shutil.copyfile(tagger_dir() / name, adapters / name)
    out = tmp_path / "out"
    args = ["--limit", "2", "--epochs", "1", "--no-merge", "--cache-dir", str(tmp_path)]
    assert main([*args, "--adapters", str(adapters), "--out", str(out)]) == 0
    for name in ("config.cfg", "tagger", "encoder_lora.safetensors", "encoder_lora.json"):
        assert (out / name).exists()
    # the features were cached apart from the plain encoder's, under the adapters' digest
    folder = tmp_path / f"train-limit2-lora-{adapters_digest(adapters)}"
    cached = Features.load(folder)
    (plain,) = listener_features([feature_pipeline()(TEXT)])
    (adapted,) = listener_features([feature_pipeline(adapters)(TEXT)])
    assert not numpy.allclose(plain, adapted, atol=1e-3)
    assert cached.vectors[0].shape[1] == adapted.shape[1] == 384
    with pytest.raises(ValueError, match="no encoder adapters"):
        main([*args, "--adapters", str(tmp_path / "none")])

    # a second head, with the lexical columns, joined with the first into an ensemble
    from claimx.pipeline import CLAIMX_PIPES, TAGGER, add_tagger, load
    from claimx.tagger.ensemble import main as join_main

    lexical = tmp_path / "lexical"
    assert (
        main([*args, "--adapters", str(adapters), "--lexical-features", "--out", str(lexical)]) == 0
    )
    assert (folder / "lexical.npy").exists()
    both = tmp_path / "both"
    members = ["--members", str(out), str(lexical)]
    assert (
        join_main([*members, "--out", str(both), "--limit", "1", "--cache-dir", str(tmp_path)]) == 0
    )
    assert "columns = [8, 10]" in (both / "config.cfg").read_text()
    assert len(json.loads((both / "metrics.json").read_text())["members"]) == 2
    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES))
    assert add_tagger(nlp, both)
    assert nlp(TEXT).spans["claimx_tagged"] is not None


def test_head_trains_on_from_a_trained_one(shared_dir: Path, tmp_path: Path) -> None:
    from claimx.pipeline import tagger_dir
    from claimx.tagger.train import parse_args, train

    if not (shared_dir / "corpora" / "polnear").exists():
        pytest.skip("PolNeAR is absent")
    args = ["--limit", "2", "--epochs", "1", "--no-merge", "--cache-dir", str(tmp_path)]
    first = tmp_path / "first"
    train(parse_args([*args, "--width", "8", "--out", str(first)]))
    # the architecture options give way to the trained head's own
    results = train(parse_args([*args, "--init", str(first), "--width", "16"]))
    assert [h["epoch"] for h in results["history"]] == [0, 1]  # scored before training too
    assert results["best_epoch"] in (0, 1)
    if "Ensemble" in (tagger_dir() / "config.cfg").read_text():
        with pytest.raises(ValueError, match="ensemble of heads"):
            train(parse_args([*args, "--init", str(tagger_dir())]))
    with pytest.raises(ValueError, match="no trained tagger"):
        train(parse_args([*args, "--init", str(tmp_path / "none")]))
