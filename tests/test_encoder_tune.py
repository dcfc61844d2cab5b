"""The encoder's own tuning for attribution roles (claimx.tagger.encoder_tune)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy
import pytest

torch = pytest.importorskip("torch")

from claimx.tagger.data import tag_names  # noqa: E402
from claimx.tagger.encoder_tune import (  # noqa: E402
    IGNORE,
    TUNE_METRICS,
    TuneConfig,
    chunk_f1,
    load_windows,
    piece_labels,
    pipe_windows,
    train,
)

TAGS = {name: i for i, name in enumerate(tag_names())}


def test_windows_are_the_transformer_pipes() -> None:
    from spacy.tokens import Doc

    from claimx.pipeline import CLAIMX_PIPES, TAGGER, load

    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES))
    pipes = nlp.get_pipe("transformer").model.attrs["get_spans"]
    ours = pipe_windows()
    for n in (1, 95, 96, 127, 128, 129, 200, 224, 225, 300, 1000):
        doc = Doc(nlp.vocab, words=["w"] * n)
        expected = [(s.start, s.end) for s in pipes([doc])[0]]
        assert [(s.start, s.end) for s in ours([doc])[0]] == expected, n
        assert expected[0][0] == 0 and expected[-1][1] == n


def test_pieces_after_the_first_of_a_b_token_continue_it() -> None:
    from transformers import AutoTokenizer

    from claimx.pipeline import encoder_path

    tokenizer = AutoTokenizer.from_pretrained(str(encoder_path()), use_fast=True)
    text = "Ditchedness said the vote was unprecedented"
    words = text.split()
    starts = [text.index(w) for w in words]
    tags = ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT"]
    encoded = tokenizer(text, return_offsets_mapping=True)
    labels = piece_labels(encoded["offset_mapping"], starts, [TAGS[t] for t in tags])
    pieces = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    named = [tag_names()[x] if x != IGNORE else None for x in labels]
    assert named[0] is None and named[-1] is None  # [CLS], [SEP]
    first_word = [n for p, n in zip(pieces, named, strict=True) if p not in ("[CLS]", "[SEP]")]
    assert len(pieces) > len(words) + 2  # some word is cut into pieces
    assert first_word[0] == "B-SOURCE"
    assert named.count("B-SOURCE") == 1 and named.count("B-CUE") == 1
    assert named.count("B-CONTENT") == 1
    assert "I-SOURCE" in named  # "Ditchedness" is more than one piece


def test_chunk_f1_counts_exact_chunks_per_role() -> None:
    gold = [[TAGS["B-SOURCE"], TAGS["B-CUE"], TAGS["B-CONTENT"], TAGS["I-CONTENT"]]]
    pred = [[TAGS["B-SOURCE"], TAGS["B-CUE"], TAGS["B-CONTENT"], TAGS["O"]]]
    scores = chunk_f1(gold, pred)
    assert scores["SOURCE"] == 1.0 and scores["CUE"] == 1.0
    assert scores["CONTENT"] == 0.0
    assert scores["mean"] == pytest.approx(2 / 3)


def _write_windows(path: Path, texts: list[str]) -> None:
    from transformers import AutoTokenizer

    from claimx.pipeline import encoder_path

    tokenizer = AutoTokenizer.from_pretrained(str(encoder_path()), use_fast=True)
    ids: list[int] = []
    labels: list[int] = []
    lengths: list[int] = []
    for text in texts:
        words = text.split()
        starts = [text.index(w) for w in words]
        tags = [TAGS["B-SOURCE"], TAGS["B-CUE"]] + [TAGS["B-CONTENT"]]
        tags += [TAGS["I-CONTENT"]] * (len(words) - 3)
        encoded = tokenizer(text, return_offsets_mapping=True)
        ids += encoded["input_ids"]
        labels += piece_labels(encoded["offset_mapping"], starts, tags)
        lengths.append(len(encoded["input_ids"]))
    numpy.savez_compressed(
        path,
        ids=numpy.asarray(ids, dtype="int32"),
        labels=numpy.asarray(labels, dtype="int8"),
        lengths=numpy.asarray(lengths, dtype="int32"),
    )


def test_tuned_adapters_load_into_the_pipeline(tmp_path: Path) -> None:
    from claimx.pipeline import CLAIMX_PIPES, TAGGER, load
    from claimx.tagger.adapters import has_adapters, load_adapters, read_config

    texts = [
        "Officials said exports would double next year",
        "Analysts warned prices could rise again",
        "Smith argued the plan was a mistake",
        "Reuters reported talks had stalled",
    ]
    _write_windows(tmp_path / "windows-train.npz", texts)
    _write_windows(tmp_path / "windows-dev.npz", texts)
    assert [len(ids) for ids, _ in load_windows(tmp_path / "windows-dev.npz")] == [
        len(ids) for ids, _ in load_windows(tmp_path / "windows-train.npz")
    ]
    config = TuneConfig(rank=2, alpha=4.0, epochs=4, batch_size=2, lr=5e-3, head_lr=5e-2)
    out = tmp_path / "tuned"
    report = train(tmp_path, out, config, log=lambda _: None)
    assert [h["epoch"] for h in report["history"]] == [0, 1, 2, 3, 4]
    assert report["best"]["epoch"] > 0  # it learns the four windows it sees
    assert json.loads((out / TUNE_METRICS).read_text())["config"]["rank"] == 2
    assert has_adapters(out) and read_config(out).rank == 2

    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES))
    trf = nlp.get_pipe("transformer")
    before = [p.detach().clone() for p in trf.hf_model().encoder.layer[0].parameters()]
    load_adapters(trf, out)
    after = list(trf.hf_model().encoder.layer[0].parameters())
    assert len(before) == len(after)
    assert any(not torch.equal(b, a) for b, a in zip(before, after, strict=True))

    # --init goes on from the saved adapters and piece head: the run starts where the best
    # epoch of the first one ended
    again = train(tmp_path, tmp_path / "again", config, log=lambda _: None, init=out)
    assert again["history"][0]["dev"] == report["best"]["dev"]
    assert again["init"] == str(out)
    assert again["init_run"]["best"] == json.loads(json.dumps(report["best"]))
    # the same run with its forward passes under bfloat16 autocast learns them too
    half = train(tmp_path, tmp_path / "bf16", replace(config, bf16=1), log=lambda _: None)
    assert half["best"]["epoch"] > 0 and half["config"]["bf16"] == 1
    with pytest.raises(ValueError, match="rank 2"):
        train(tmp_path, tmp_path / "bad", TuneConfig(rank=4), log=lambda _: None, init=out)
    with pytest.raises(FileNotFoundError, match="no encoder_lora"):
        train(tmp_path, tmp_path / "bad", config, log=lambda _: None, init=tmp_path / "none")
