"""Tune the ``transformer`` pipe's MiniLM for attribution roles on its own, as a word-piece
tagger, with LoRA adapters (PyTorch only).

Stage one of a two-stage recipe for the tagger's encoder; stage two trains the tagger's heads
on the tuned encoder's features (``claimx.tagger.train --adapters DIR``). Run from the
repository root::

    .venv/bin/python -m claimx.tagger.encoder_tune prepare --out DIR
    .venv/bin/python -m claimx.tagger.encoder_tune train --data DIR --out DIR

``prepare`` (spaCy) cuts every PolNeAR article of train and dev into the windows the pipe
encodes (:func:`pipe_windows`, its ``strided_spans``: 128 tokens, stride 96), turns each
window into the MiniLM word pieces the pipe gives it and labels each piece with its token's
BIO tag (a piece after the first of a ``B-`` token gets the ``I-`` tag):
``windows-train.npz`` and ``windows-dev.npz``. ``train`` needs numpy, torch, transformers
and safetensors only, so it runs wherever those arrays and the encoder's files
(``--encoder``, default: the installed MiniLM) are, a GPU machine included (``--device
cuda``). It puts rank-``--rank`` adapters on every linear layer
of the six layers, trains them with a linear head over the pieces (cross-entropy, AdamW,
linear warm-up and decay), scores dev after every epoch (mean exact F1 of the three roles'
piece chunks, a proxy of the tagger's figures) and keeps the best epoch's adapters in
``--out`` as :mod:`claimx.tagger.adapters` stores them (``encoder_lora.safetensors``,
``encoder_lora.json``) with ``encoder_tune.json`` (settings and dev history) and the
piece head (``piece_head.safetensors``, not used by the pipeline). ``--init DIR`` starts from
the adapters and piece head an earlier ``train`` saved in ``DIR`` (same rank), to go on
training with a fresh warm-up and decay (each run's schedule covers its own ``--epochs``).

On a GPU machine without spaCy: ``prepare`` here, copy its folder and the encoder (saved in
float16, ~45 MB, to travel light; ``train`` reads it back in float32) into a folder the
machine receives, run ``train --device cuda --encoder THAT_FOLDER``, bring the adapters back
and train the heads here (stage two).
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

from .adapters import (
    ADAPTERS_FILE,
    TUNE_METRICS,
    AdapterConfig,
    read_adapters,
    read_config,
    write_adapters,
)
from .data import bio_decode, tag_names

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

PIECE_HEAD = "piece_head.safetensors"
"""The piece head ``train`` saves beside the adapters (for ``--init``)."""

IGNORE = -100
"""Label of the special pieces ([CLS], [SEP]): no loss, no score."""


def pipe_windows() -> Callable[[list[Doc]], list[list[Span]]]:
    """The span getter of the ``transformer`` pipe as :func:`claimx.load` configures it
    (``spacy-transformers.strided_spans.v1``): the windows it encodes a doc in."""
    from spacy.util import registry

    from ..pipeline import transformer_config

    getter = dict(transformer_config()["model"]["get_spans"])
    make: Callable[..., Callable[[list[Doc]], list[list[Span]]]]
    make = registry.get("span_getters", getter.pop("@span_getters"))
    return make(**getter)


def piece_labels(
    offsets: Sequence[tuple[int, int]], token_starts: Sequence[int], token_tags: Sequence[int]
) -> list[int]:
    """The label of each word piece of one window.

    ``offsets`` are the pieces' character offsets in the window's text (``(0, 0)`` for a
    special piece), ``token_starts`` its tokens' starts in the same text and ``token_tags``
    their tag ids (:func:`~claimx.tagger.data.tag_names` order: ``O``, then ``B-X``, ``I-X``).
    A piece takes its token's tag, except that the pieces after the first of a ``B-`` token
    take the ``I-`` tag.

    >>> piece_labels([(0, 0), (0, 3), (3, 5), (6, 9), (0, 0)], [0, 6], [1, 0])
    [-100, 1, 2, 0, -100]
    """
    labels: list[int] = []
    previous = -1
    for start, end in offsets:
        if start == end:
            labels.append(IGNORE)
            continue
        token = max(bisect.bisect_right(token_starts, start) - 1, 0)
        tag = int(token_tags[token])
        if token == previous and tag % 2 == 1:  # B-X (odd ids) inside its token: I-X
            tag += 1
        labels.append(tag)
        previous = token
    return labels


def prepare_split(
    nlp: Language, tokenizer: Any, split: str, limit: int | None = None
) -> dict[str, numpy.ndarray]:
    """Word pieces and labels of every window of a PolNeAR split, as flat arrays:
    ``ids`` (int32), ``labels`` (int8) and ``lengths`` (pieces per window, int32)."""
    from .data import bio_encode, load_gold, token_bounds

    names = tag_names()
    index = {name: i for i, name in enumerate(names)}
    ids: list[int] = []
    labels: list[int] = []
    lengths: list[int] = []
    get_windows = pipe_windows()
    for article in load_gold(split, limit):
        doc = nlp.make_doc(article.text)
        starts, ends = token_bounds(doc)
        tags = [index[t] for t in bio_encode(starts, ends, article.spans)]
        for span in get_windows([doc])[0]:
            encoded = tokenizer(span.text, return_offsets_mapping=True)
            rel = [int(s) - span.start_char for s in starts[span.start : span.end]]
            window_tags = tags[span.start : span.end]
            ids.extend(encoded["input_ids"])
            labels.extend(piece_labels(encoded["offset_mapping"], rel, window_tags))
            lengths.append(len(encoded["input_ids"]))
    return {
        "ids": numpy.asarray(ids, dtype="int32"),
        "labels": numpy.asarray(labels, dtype="int8"),
        "lengths": numpy.asarray(lengths, dtype="int32"),
    }


def prepare(out: Path, limit: int | None = None) -> None:
    """Write ``windows-train.npz`` and ``windows-dev.npz`` into ``out``."""
    from transformers import AutoTokenizer

    from ..pipeline import CLAIMX_PIPES, TAGGER, encoder_path, load

    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES, "transformer"))
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_path()), use_fast=True)
    out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "dev"):
        arrays = prepare_split(nlp, tokenizer, split, limit)
        numpy.savez_compressed(
            out / f"windows-{split}.npz",
            ids=arrays["ids"],
            labels=arrays["labels"],
            lengths=arrays["lengths"],
        )
        print(
            f"{split}: {len(arrays['lengths'])} windows, {len(arrays['ids'])} pieces",
            file=sys.stderr,
        )


def load_windows(path: Path) -> list[tuple[numpy.ndarray, numpy.ndarray]]:
    """``(ids, labels)`` per window from a ``prepare`` file."""
    data = numpy.load(path)
    cuts = numpy.cumsum(data["lengths"])[:-1]
    return list(zip(numpy.split(data["ids"], cuts), numpy.split(data["labels"], cuts), strict=True))


def chunk_f1(gold: Sequence[Sequence[int]], pred: Sequence[Sequence[int]]) -> dict[str, float]:
    """Exact F1 of each role's chunks over windows of piece tag ids (special pieces dropped
    beforehand), and their mean under ``"mean"``."""
    names = tag_names()
    counts = {label: [0, 0, 0] for label in ("SOURCE", "CUE", "CONTENT")}  # tp, fp, fn
    for g, p in zip(gold, pred, strict=True):
        gold_chunks = set(bio_decode([names[i] for i in g]))
        pred_chunks = set(bio_decode([names[i] for i in p]))
        for label, count in counts.items():
            gl = {c for c in gold_chunks if c[0] == label}
            pl = {c for c in pred_chunks if c[0] == label}
            count[0] += len(gl & pl)
            count[1] += len(pl - gl)
            count[2] += len(gl - pl)
    scores = {
        label: 2 * tp / (2 * tp + fp + fn) if tp else 0.0 for label, (tp, fp, fn) in counts.items()
    }
    scores["mean"] = sum(scores.values()) / len(counts)
    return scores


@dataclass
class TuneConfig:
    """Settings of a ``train`` run (saved with its results)."""

    rank: int = 16
    alpha: float = 32.0
    epochs: int = 3
    batch_size: int = 16
    lr: float = 1e-3
    head_lr: float = 2e-3
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 0
    bf16: int = 0  # 1: the training forward passes under bfloat16 autocast (AVX-512 bf16, GPUs)


def _tensors(
    windows: Sequence[tuple[numpy.ndarray, numpy.ndarray]], batch: Sequence[int], device: Any
) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(windows[j][0]) for j in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, j in enumerate(batch):
        n = len(windows[j][0])
        ids[row, :n] = torch.from_numpy(windows[j][0].astype("int64"))
        labels[row, :n] = torch.from_numpy(windows[j][1].astype("int64"))
        mask[row, :n] = 1
    return ids.to(device), labels.to(device), mask.to(device)


def evaluate(
    encoder: Any,
    head: Any,
    windows: Sequence[tuple[numpy.ndarray, numpy.ndarray]],
    device: Any,
    batch_size: int = 64,
) -> dict[str, float]:
    """:func:`chunk_f1` of the arg-max tags over ``windows``."""
    import torch

    encoder.eval()
    head.eval()
    gold: list[list[int]] = []
    pred: list[list[int]] = []
    order = sorted(range(len(windows)), key=lambda j: len(windows[j][0]))
    with torch.no_grad():
        for k in range(0, len(order), batch_size):
            batch = order[k : k + batch_size]
            ids, labels, mask = _tensors(windows, batch, device)
            states = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            best = head(states).argmax(-1).cpu().numpy()
            for row, j in enumerate(batch):
                keep = windows[j][1] != IGNORE
                gold.append(windows[j][1][keep].tolist())
                pred.append(best[row, : len(keep)][keep].tolist())
    encoder.train()
    head.train()
    return chunk_f1(gold, pred)


def train(
    data: Path,
    out: Path,
    config: TuneConfig,
    encoder_dir: Path | None = None,
    device_name: str = "cpu",
    limit: int | None = None,
    log: Any = print,
    init: Path | None = None,
) -> dict[str, Any]:
    """Train adapters and a piece head on ``data``'s windows; save the best epoch in ``out``.

    With ``init``, start from the adapters (and the piece head, where saved) of an earlier run.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModel

    from ..lora import add_lora
    from ..stance.train import length_batches

    if encoder_dir is None:
        from ..pipeline import encoder_path

        encoder_dir = encoder_path()
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    device = torch.device(device_name)
    train_windows = load_windows(data / "windows-train.npz")[:limit]
    dev_windows = load_windows(data / "windows-dev.npz")[:limit]
    encoder = AutoModel.from_pretrained(str(encoder_dir), torch_dtype=torch.float32)
    for param in encoder.parameters():
        param.requires_grad_(False)
    add_lora(encoder.encoder.layer, 0, config.rank, config.alpha)
    head = torch.nn.Linear(encoder.config.hidden_size, len(tag_names()))
    if init is not None:
        _load_init(encoder, head, init, config)
        log(f"starting from the adapters in {init}")
    encoder.to(device).train()
    head.to(device).train()
    adapters = [p for p in encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [
            {"params": adapters, "lr": config.lr},
            {"params": head.parameters(), "lr": config.head_lr},
        ],
        weight_decay=config.weight_decay,
    )
    rng = random.Random(config.seed)
    steps = config.epochs * math.ceil(len(train_windows) / config.batch_size)
    warmup = max(1, int(steps * config.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))),
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    history: list[dict[str, Any]] = []
    best: dict[str, Any] = {"epoch": 0, "dev": evaluate(encoder, head, dev_windows, device)}
    history.append({"epoch": 0, "dev": best["dev"]})
    log(f"epoch 0: dev {best['dev']}")
    out.mkdir(parents=True, exist_ok=True)
    step = 0
    begin = time.time()
    for epoch in range(1, config.epochs + 1):
        total, since = 0.0, 0  # loss summed over the steps since the last log line
        for batch in length_batches([len(w[0]) for w in train_windows], config.batch_size, rng):
            ids, labels, mask = _tensors(train_windows, batch, device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bool(config.bf16)):
                states = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
                logits = head(states)
            logits = logits.float()
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*adapters, *head.parameters()], 1.0)
            optimizer.step()
            scheduler.step()
            total += float(loss.detach())
            since += 1
            step += 1
            if step % 100 == 0:
                log(f"  step {step}/{steps} loss {total / since:.4f} {time.time() - begin:.0f}s")
                total, since = 0.0, 0
        dev = evaluate(encoder, head, dev_windows, device)
        history.append({"epoch": epoch, "dev": dev, "seconds": round(time.time() - begin)})
        log(f"epoch {epoch}: dev {dev}")
        if dev["mean"] > best["dev"]["mean"]:
            best = {"epoch": epoch, "dev": dev}
            layers = len(encoder.encoder.layer)  # all of them carry adapters
            write_adapters(encoder, out, AdapterConfig(layers, config.rank, config.alpha))
            head_state = {k: v.contiguous().cpu() for k, v in head.state_dict().items()}
            save_file(head_state, str(out / PIECE_HEAD))
    if best["epoch"] == 0:
        log(f"no epoch beat the start on dev: no adapters saved in {out}")
    report: dict[str, Any] = {
        "config": asdict(config),
        "init": str(init) if init is not None else None,
        "history": history,
        "best": best,
    }
    if init is not None and (init / TUNE_METRICS).exists():
        # the run it went on from, so the file tells the whole recipe
        report["init_run"] = json.loads((init / TUNE_METRICS).read_text(encoding="utf-8"))
    (out / TUNE_METRICS).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def _load_init(encoder: Any, head: Any, init: Path, config: TuneConfig) -> None:
    """Load ``init``'s adapters into ``encoder`` (and its piece head into ``head``, if saved)."""
    from safetensors.torch import load_file

    if not (init / ADAPTERS_FILE).exists():
        raise FileNotFoundError(f"--init {init}: no {ADAPTERS_FILE} there")
    saved = read_config(init)
    if saved.rank != config.rank:
        raise ValueError(f"--init {init}: adapters of rank {saved.rank}, --rank is {config.rank}")
    read_adapters(encoder, init)
    if (init / PIECE_HEAD).exists():
        head.load_state_dict(load_file(str(init / PIECE_HEAD)))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="windows, word pieces and labels of PolNeAR (spaCy)")
    prep.add_argument("--out", type=Path, required=True)
    prep.add_argument("--limit", type=int, default=None, help="the first N articles per split")
    run = sub.add_parser("train", help="train the adapters (PyTorch only)")
    run.add_argument("--data", type=Path, required=True, help="the folder `prepare` wrote")
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--encoder", type=Path, default=None, help="encoder folder (Hugging Face)")
    run.add_argument("--device", default="cpu")
    run.add_argument("--limit", type=int, default=None, help="the first N windows per split")
    run.add_argument("--threads", type=int, default=2, help="torch threads on the CPU")
    run.add_argument("--init", type=Path, default=None, help="go on from an earlier --out")
    defaults = TuneConfig()
    for name, value in asdict(defaults).items():
        run.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare(args.out, args.limit)
        return
    import torch

    torch.set_num_threads(args.threads)
    config = TuneConfig(**{name: getattr(args, name) for name in asdict(defaults)})
    train(args.data, args.out, config, args.encoder, args.device, args.limit, init=args.init)


if __name__ == "__main__":
    main()
