"""Train the stance cross-encoder on VAST and Emergent (CPU: about 40 min alone, 83 min shared).

    .venv/bin/python -m claimx.stance.train --out models/stance

The frozen layers below ``--tuned-layers`` (by default none: LoRA on all six) run once over
every example and their outputs are cached, so each step only runs (and back-propagates
through) the tuned layers. Emergent train is split by claim (:func:`split_emergent`): 80%
trains, 20% is held out. The model kept is the one with the best sum of VAST dev macro-F1
and held-out Emergent macro-F1 among the evaluations (twice per epoch); it is saved as soon
as it is found. Then the stacked calibrator (:mod:`claimx.stance.calibrate`) is fitted on the
encoder's logits over the held-out Emergent claims, and both are scored on VAST dev and
Emergent test (report only). ``--calibrate-only`` refits the calibrator on the encoder
already in ``--out`` (seconds of fitting, a minute of encoding).
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import random
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from .data import LABELS, Pair, read_emergent, read_vast

log = logging.getLogger("claimx.stance.train")


def score_labels(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-label F1, macro-F1 and the favor/against mean F1."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels for {len(pred)} predictions")
    f1 = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == label)
        n_pred, n_gold = sum(p == label for p in pred), sum(g == label for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1[label] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    correct = sum(1 for g, p in zip(gold, pred, strict=True) if g == p)
    return {
        "n": len(gold),
        "accuracy": correct / len(gold) if gold else 0.0,
        "f1": f1,
        "macro_f1": sum(f1.values()) / len(LABELS),
        "favor_against_f1": (f1["favor"] + f1["against"]) / 2,
    }


def length_batches(lengths: Sequence[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of indexes of similar length (sorted within pools of 50 batches);
    also :mod:`claimx.tagger.encoder_tune`'s."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    pool = size * 50
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def split_emergent(seed: int = 0, held_out: float = 0.2) -> tuple[list[Pair], list[Pair]]:
    """Emergent train split by claim into (fit, held-out) parts, seeded.

    The encoder trains on the first part; the held-out claims select the checkpoint and fit
    the calibrator on logits the encoder has not been trained on (proper stacking). Emergent
    test is never used for either.
    """
    pairs = read_emergent("train")
    claims = sorted({p.target for p in pairs})
    random.Random(seed).shuffle(claims)
    held = set(claims[: round(len(claims) * held_out)])
    return [p for p in pairs if p.target not in held], [p for p in pairs if p.target in held]


def unrelated_pairs(pairs: Sequence[Pair], seed: int = 0) -> list[Pair]:
    """Half of ``pairs``' texts re-paired with another of their claims, labelled ``neutral``.

    Emergent pairs are always on topic; VAST makes its unrelated-topic neutrals this way, and
    without them a model learns to give off-topic news claims a side.
    """
    rng = random.Random(seed)
    claims = sorted({p.target for p in pairs})
    out = []
    for p in rng.sample(list(pairs), len(pairs) // 2):
        other = rng.choice([c for c in claims if c != p.target])
        out.append(Pair(other, p.text, "neutral", "unrelated"))
    return out


def fit_calibrator(
    model: Any,
    *,
    seed: int = 0,
    l2: float = 1e-3,
    batch_size: int = 64,
    limit: int | None = None,
    held_out: float = 0.2,
) -> dict[str, Any]:
    """Fit ``model.calibrator``; score VAST dev and Emergent test with and without it.

    The calibrator is fitted on the encoder's logits over the held-out Emergent train claims
    of :func:`split_emergent` (texts of at most 30 words; the encoder never trained on
    them), plus half of those headlines re-paired with another claim as ``neutral``
    (:func:`unrelated_pairs`). ``held_out=0`` fits on all of Emergent train (in-sample
    logits; the v2 recipe). Neither evaluation set is used in fitting.
    """
    from .calibrate import applies, fit

    if held_out:
        _, emergent = split_emergent(seed, held_out)
    else:
        emergent = read_emergent("train")
    candidates = emergent + unrelated_pairs(emergent, seed)
    pairs = [p for p in candidates if applies(p.text)][:limit]
    targets, texts = [p.target for p in pairs], [p.text for p in pairs]
    logits = model.predict_logits(targets, texts, batch_size)
    info = {
        "fitted_on": {
            source: sum(1 for p in pairs if p.source == source)
            for source in ("emergent", "unrelated")
        },
        "emergent_held_out": held_out,
        "short_words": 30,
        "l2": l2,
        "seed": seed,
    }
    calibrator = fit(
        logits, targets, texts, [LABELS.index(p.label) for p in pairs], l2=l2, info=info
    )
    results: dict[str, Any] = {"calibrator": info}
    for name, eval_pairs in (
        ("vast_dev", read_vast("dev")),
        ("emergent_test", read_emergent("test")),
    ):
        eval_pairs = eval_pairs[:limit]
        t, x = [p.target for p in eval_pairs], [p.text for p in eval_pairs]
        raw = model.predict_logits(t, x, batch_size)
        gold = [p.label for p in eval_pairs]
        results[name] = {
            "encoder": score_labels(gold, [LABELS[i] for i in raw.argmax(1)]),
            "calibrated": score_labels(
                gold, [LABELS[i] for i in calibrator.predict_proba(raw, t, x).argmax(1)]
            ),
        }
        log.info(
            "%s: encoder macro-F1 %.4f acc %.4f -> calibrated macro-F1 %.4f acc %.4f",
            name,
            results[name]["encoder"]["macro_f1"],
            results[name]["encoder"]["accuracy"],
            results[name]["calibrated"]["macro_f1"],
            results[name]["calibrated"]["accuracy"],
        )
    model.calibrator = calibrator
    return results


def calibrate_only(
    out: Path, *, seed: int = 0, threads: int = 2, held_out: float = 0.2
) -> dict[str, Any]:
    """Refit the calibrator of the model in ``out`` and add its scores to ``metrics.json``."""
    import torch

    from .calibrate import CALIBRATOR_FILE
    from .model import StanceModel

    started = time.time()
    torch.set_num_threads(threads)
    model = StanceModel.load(out)
    results = fit_calibrator(model, seed=seed, held_out=held_out)
    assert model.calibrator is not None
    model.calibrator.save(out / CALIBRATOR_FILE)
    results["seconds"] = round(time.time() - started, 1)
    metrics_file = out / "metrics.json"
    metrics = json.loads(metrics_file.read_text(encoding="utf-8")) if metrics_file.exists() else {}
    metrics["calibrated"] = results
    metrics_file.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def load_initial(net: Any, init: Path) -> None:
    """Load the adapters and heads saved in ``init`` into ``net`` (LoRA already added)."""
    from .model import CONFIG_FILE, WEIGHTS_FILE, StanceConfig, load_trained

    init = Path(init)
    config_file, weights_file = init / CONFIG_FILE, init / WEIGHTS_FILE
    if not weights_file.exists():
        raise ValueError(f"--init {str(init)!r}: no {WEIGHTS_FILE} there")
    saved = StanceConfig.from_dict(json.loads(config_file.read_text(encoding="utf-8")))
    # The lengths shape no weight: a model trained at 128 pieces may go on at 256.
    lengths = ("max_length", "predict_max_length")
    wanted = asdict(net.config)
    differ = sorted(
        key
        for key, value in asdict(saved).items()
        if key not in lengths and wanted.get(key) != value
    )
    if differ:
        raise ValueError(
            f"--init {str(init)!r}: its config.json differs from this run's settings "
            f"({', '.join(differ)})"
        )
    state = load_trained(net, weights_file)
    log.info("initialised from %s (%d tensors)", init, len(state))


def train(
    out: Path,
    *,
    epochs: int = 2,
    batch_size: int = 32,
    max_length: int = 128,
    predict_max_length: int = 256,
    tuned_layers: int = 6,
    lora_rank: int = 8,
    lr: float = 5e-4,
    emergent_repeat: int = 2,
    news_head: bool = True,
    held_out: float = 0.2,
    seed: int = 0,
    threads: int = 2,
    limit: int | None = None,
    init: Path | None = None,
) -> dict[str, Any]:
    """Train, select on VAST dev + held-out Emergent train claims, save to ``out``.

    With ``init`` (a directory holding a trained model of the same config), training starts
    from its adapters and heads instead of fresh ones: a further round of training with its
    own warm-up and decay. With ``news_head`` the short texts (headlines, news claims) get a
    head of their own on the shared encoder; the fit part of Emergent train also comes
    re-paired with other claims as unrelated neutrals. Returns the metrics written there.
    """
    import torch

    from .model import StanceConfig, StanceModel, StanceNet, load_encoder

    started = time.time()
    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)

    if held_out:
        emergent_fit, emergent_held = split_emergent(seed, held_out)
    else:
        emergent_fit, emergent_held = read_emergent("train"), []
    unrelated = unrelated_pairs(emergent_fit, seed) if news_head else []
    train_pairs = read_vast("train") + emergent_fit * emergent_repeat + unrelated
    dev_pairs, test_pairs = read_vast("dev"), read_emergent("test")
    if limit:
        rng0 = random.Random(seed)
        train_pairs = rng0.sample(train_pairs, min(limit, len(train_pairs)))
        dev_pairs = dev_pairs[: limit // 4]
        test_pairs = test_pairs[: limit // 8]
        emergent_held = emergent_held[: limit // 8]
    log.info(
        "pairs: train %d, vast dev %d, emergent held-out %d, emergent test %d",
        *map(len, (train_pairs, dev_pairs, emergent_held, test_pairs)),
    )

    config = StanceConfig(
        max_length=max_length,
        predict_max_length=predict_max_length,
        tuned_layers=tuned_layers,
        lora_rank=lora_rank,
        news_head=news_head,
    )
    tokenizer, encoder = load_encoder()
    net = StanceNet(encoder, config)
    model = StanceModel(config, tokenizer, net)

    Item = tuple[torch.Tensor, torch.Tensor, bool]

    def cache(pairs: list[Pair], name: str) -> list[Item]:
        """Per example: frozen-layer states (fp16, unpadded), cue features, short flag."""
        unique: dict[tuple[str, str], int] = {}
        for p in pairs:
            unique.setdefault((p.target, p.text), len(unique))
        keys = list(unique)
        done: list[Any] = [None] * len(keys)
        order = sorted(range(len(keys)), key=lambda i: len(keys[i][0]) + len(keys[i][1]))
        net.eval()
        t0 = time.time()
        with torch.inference_mode():
            for n, start in enumerate(range(0, len(order), 64)):
                idx = order[start : start + 64]
                enc = model.encode([keys[i][0] for i in idx], [keys[i][1] for i in idx])
                hidden = net.embed(enc["input_ids"], enc["token_type_ids"], enc["attention_mask"])
                lengths = enc["attention_mask"].sum(1).tolist()
                for row, i in enumerate(idx):
                    done[i] = (
                        hidden[row, : lengths[row]].half().clone(),
                        enc["features"][row],
                        bool(enc["short"][row]),
                    )
                if n % 50 == 0:
                    log.info("cache %s: %d/%d (%.0fs)", name, start, len(order), time.time() - t0)
        return [done[unique[(p.target, p.text)]] for p in pairs]

    def collate(items: list[Item]) -> tuple[torch.Tensor, ...]:
        longest = max(h.shape[0] for h, _, _ in items)
        hidden = torch.zeros(len(items), longest, items[0][0].shape[1])
        mask = torch.zeros(len(items), longest, dtype=torch.long)
        for row, (h, _, _) in enumerate(items):
            hidden[row, : h.shape[0]] = h.float()
            mask[row, : h.shape[0]] = 1
        short = torch.tensor([s for _, _, s in items], dtype=torch.bool)
        return hidden, mask, torch.stack([f for _, f, _ in items]), short

    def predict(items: list[Item]) -> list[str]:
        net.eval()
        labels: list[str] = []
        with torch.inference_mode():
            for start in range(0, len(items), 128):
                logits = net.forward_from(*collate(items[start : start + 128]))
                labels += [LABELS[i] for i in logits.argmax(-1).tolist()]
        return labels

    train_items = cache(train_pairs, "train")
    dev_items, test_items = cache(dev_pairs, "dev"), cache(test_pairs, "test")
    held_items = cache(emergent_held, "held-out") if emergent_held else []
    dev_gold, test_gold = [p.label for p in dev_pairs], [p.label for p in test_pairs]
    held_gold = [p.label for p in emergent_held]
    targets = torch.tensor([LABELS.index(p.label) for p in train_pairs])
    counts = torch.bincount(targets, minlength=len(LABELS)).float()
    class_weights = counts.sum() / (len(LABELS) * counts.clamp(min=1.0))
    log.info("class weights %s", [round(w, 3) for w in class_weights.tolist()])

    net.add_lora()
    if init is not None:
        load_initial(net, init)
    params = [p for p in net.parameters() if p.requires_grad]
    log.info("trainable parameters: %d", sum(p.numel() for p in params))
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    rng = random.Random(seed)
    lengths = [h.shape[0] for h, _, _ in train_items]
    steps_per_epoch = (len(train_items) + batch_size - 1) // batch_size
    total = epochs * steps_per_epoch
    warmup = max(1, total // 16)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / (total - warmup)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weights)
    best: dict[str, Any] = {"macro_f1": -1.0}
    history: list[dict[str, Any]] = []

    def evaluate(epoch: int) -> None:
        """Score the current weights; keep (and save) them if they are the best so far."""
        dev = score_labels(dev_gold, predict(dev_items))
        test = score_labels(test_gold, predict(test_items))
        held = score_labels(held_gold, predict(held_items)) if held_items else None
        entry = {
            "epoch": epoch,
            "step": step,
            "vast_dev": dev,
            "emergent_held_out": held,
            "emergent_test": test,
        }
        history.append(entry)
        # Selection: VAST dev and the held-out Emergent claims, never Emergent test.
        score = dev["macro_f1"] + (held["macro_f1"] if held else 0.0)
        log.info(
            "eval step %d: VAST dev macro-F1 %.4f (favor/against %.4f), "
            "Emergent held-out macro-F1 %.4f; Emergent test acc %.4f (report only)",
            step, dev["macro_f1"], dev["favor_against_f1"],
            held["macro_f1"] if held else float("nan"), test["accuracy"],
        )  # fmt: skip
        if score > best["macro_f1"]:
            best.clear()
            best.update(macro_f1=score, entry=entry, state=net.trainable_state())
            # Saved as it goes: a stopped run leaves its best checkpoint, which
            # `--calibrate-only` completes.
            model.save(out, best["state"])

    step = 0
    if init is not None:
        evaluate(0)  # the starting point competes too
    for epoch in range(epochs):
        batches = length_batches(lengths, batch_size, rng)
        checkpoints = {len(batches) // 2, len(batches)}
        running = 0.0
        for n, batch in enumerate(batches, 1):
            net.train()
            hidden, mask, feats, short = collate([train_items[i] for i in batch])
            loss = loss_fn(net.forward_from(hidden, mask, feats, short), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            running += loss.item()
            if n % 50 == 0:
                log.info(
                    "epoch %d step %d/%d loss %.4f (%.0fs)",
                    epoch + 1, n, len(batches), running / 50, time.time() - started,
                )  # fmt: skip
                running = 0.0
            if n in checkpoints:
                evaluate(epoch + 1)

    model.save(out, best["state"])
    net.load_state_dict(best["state"], strict=False)
    net.merge_lora()
    net.eval()
    calibrated = fit_calibrator(model, seed=seed, limit=limit, held_out=held_out)
    model.save(out, best["state"])
    import torch as _torch
    import transformers

    metrics = {
        "selected": {k: v for k, v in best["entry"].items()},
        "history": history,
        "calibrated": calibrated,
        "settings": {
            "epochs": epochs,
            "batch_size": batch_size,
            "lr": lr,
            "emergent_repeat": emergent_repeat,
            "news_head": news_head,
            "held_out": held_out,
            "seed": seed,
            "threads": threads,
            "limit": limit,
            "init": str(init) if init is not None else None,
            "train_pairs": len(train_pairs),
        },
        "config": asdict(config),
        "versions": {
            "python": platform.python_version(),
            "torch": _torch.__version__,
            "transformers": transformers.__version__,
        },
        "train_seconds": round(time.time() - started, 1),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m claimx.stance.train", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("models/stance"))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument(
        "--predict-max-length",
        type=int,
        default=256,
        help="word pieces a pair keeps at prediction (model selection included)",
    )
    parser.add_argument("--tuned-layers", type=int, default=6)
    parser.add_argument("--lora-rank", type=int, default=8)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--emergent-repeat", type=int, default=2)
    parser.add_argument(
        "--no-news-head", action="store_true", help="one head for comments and headlines (v2)"
    )
    parser.add_argument(
        "--held-out",
        type=float,
        default=0.2,
        help="fraction of Emergent train claims kept for selection and the calibrator",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="train on a sample (smoke test)")
    parser.add_argument(
        "--init",
        type=Path,
        default=None,
        help="start from the adapters and heads of a trained model directory (same settings)",
    )
    parser.add_argument(
        "--calibrate-only",
        action="store_true",
        help="keep the encoder in --out, refit only the stacked calibrator",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.calibrate_only:
        done = calibrate_only(
            args.out, seed=args.seed, threads=args.threads, held_out=args.held_out
        )
        print(json.dumps(done["calibrated"], indent=2))
        return
    metrics = train(
        args.out,
        epochs=args.epochs,
        batch_size=args.batch_size,
        max_length=args.max_length,
        predict_max_length=args.predict_max_length,
        tuned_layers=args.tuned_layers,
        lora_rank=args.lora_rank,
        lr=args.lr,
        emergent_repeat=args.emergent_repeat,
        news_head=not args.no_news_head,
        held_out=args.held_out,
        seed=args.seed,
        threads=args.threads,
        limit=args.limit,
        init=args.init,
    )
    selected = metrics["selected"]
    print(json.dumps({k: selected[k] for k in ("step", "vast_dev", "emergent_test")}, indent=2))


if __name__ == "__main__":
    main()
