"""Train the ``claimx_tagger`` head on PolNeAR over cached, frozen MiniLM features.

Run from the repository root::

    .venv/bin/python -m claimx.tagger.train --out models/attribution

Steps: cache the listener's token vectors for train and dev (``--cache-dir``, default
``~/.cache/claimx/tagger``; reused when present), train the head with Adam for ``--epochs``
epochs on shuffled articles (seed 0), score every epoch on dev at document level
(:mod:`evaluation.polnear`), keep the best epoch by the mean of the four F1 figures, then
score rules alone, tagger alone and the merge on dev, and save the tagger pipe (head weights
and config only, no encoder) to ``--out``.

With ``--adapters DIR`` (a folder holding encoder adapters from :mod:`claimx.tagger.finetune`,
such as ``models/attribution``) the features come from the encoder with those adapters
folded in, as the pipeline runs it, and are cached apart (the folder name carries a digest
of the adapters); the adapters are saved with the head::

    .venv/bin/python -m claimx.tagger.train --adapters models/attribution --chunk 0 --out DIR
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

from .adapters import has_adapters
from .data import (
    LABELS,
    Features,
    GoldArticle,
    bio_decode,
    bio_encode,
    cache_extra_ids,
    cache_features,
    default_cache_dir,
    load_gold,
    tag_names,
    viterbi_bio,
)
from .merge import MergeConfig, TaggedSpan, merge_claims
from .model import set_chunk_size

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .component import SpanTagger


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def gold_doc(gold: GoldArticle) -> Any:
    """The :class:`evaluation.polnear.GoldDoc` of an article."""
    from evaluation.polnear import GoldDoc

    doc = GoldDoc(gold.id, gold.text)
    for label, start, end in gold.spans:
        getattr(doc, label.lower()).append((start, end))
    return doc


def decode_spans(
    probs: numpy.ndarray, starts: numpy.ndarray, ends: numpy.ndarray, names: Sequence[str]
) -> list[TaggedSpan]:
    """Character spans of the best BIO sequence over one article's tag probabilities."""
    if len(probs) == 0:
        return []
    tags = viterbi_bio(numpy.log(probs + 1e-8), names)
    index = {n: i for i, n in enumerate(names)}
    out = []
    for label, b, e in bio_decode(tags):
        p = float(numpy.mean([probs[t, index[tags[t]]] for t in range(b, e)]))
        out.append(TaggedSpan(label, int(starts[b]), int(ends[e - 1]), p))
    return out


def score_tagged(golds: Sequence[GoldArticle], tagged: Sequence[list[TaggedSpan]]) -> dict:
    """Document-level PolNeAR scores of tagger spans taken as they are."""
    from evaluation.polnear import Spans, score_many

    preds = []
    for spans in tagged:
        pred = Spans()
        for t in spans:
            getattr(pred, t.label.lower()).append((t.start, t.end))
        preds.append(pred)
    return score_many([gold_doc(g) for g in golds], preds)


def score_claims(
    golds: Sequence[GoldArticle], docs: Sequence[Doc], claims: Sequence[list[dict[str, Any]]]
) -> dict:
    """Document-level PolNeAR scores of claim dicts, converted as evaluation.polnear does."""
    from evaluation.polnear import claims_spans, score_many

    preds = [claims_spans(doc.text, c) for doc, c in zip(docs, claims, strict=True)]
    return score_many([gold_doc(g) for g in golds], preds)


def mean_f(scores: dict) -> float:
    return float(numpy.mean([s["f"] for s in scores.values()]))


def fmt(scores: dict) -> str:
    return "  ".join(f"{k} {100 * v['f']:.1f}" for k, v in scores.items())


def cached_docs(
    nlp: Language,
    golds: Sequence[GoldArticle],
    path: Path,
    *,
    disable: Sequence[str] = (),
    user_data: bool = False,
) -> list[Doc]:
    """The articles run through ``nlp`` (less ``disable``), cached as a DocBin at ``path``
    and read back from it while it holds the same texts."""
    from spacy.tokens import DocBin

    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == [g.text for g in golds]:
            return docs
    log(f"parsing {len(golds)} articles -> {path}")
    store = DocBin(store_user_data=user_data)
    docs = []
    with nlp.select_pipes(disable=list(disable)):
        for doc in nlp.pipe((g.text for g in golds), batch_size=8):
            store.add(doc)
            docs.append(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    store.to_disk(path)
    return docs


def parsed_docs(golds: Sequence[GoldArticle], path: Path) -> list[Doc]:
    """The articles run through claimx without transformer (rules only), cached as DocBin."""
    import claimx

    nlp = claimx.load(
        transformer=False, exclude=("claimx_speakers", "claimx_facts", "claimx_stance")
    )
    return cached_docs(nlp, golds, path, user_data=True)


def build_tagger(config: dict[str, Any] | None = None) -> tuple[Language, SpanTagger]:
    """A blank English pipeline holding only the tagger (its listener reads ``trf_data``)."""
    import spacy

    from .component import SpanTagger

    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_tagger", config=config or {})
    assert isinstance(pipe, SpanTagger)
    return nlp, pipe


def gold_ids(feats: Features, golds: Sequence[GoldArticle], names: list[str]) -> list[Any]:
    index = {n: i for i, n in enumerate(names)}
    return [
        numpy.asarray([index[t] for t in bio_encode(s, e, g.spans)], dtype="int32")
        for s, e, g in zip(feats.starts, feats.ends, golds, strict=True)
    ]


def predict_probs(tagger: SpanTagger, vectors: Sequence[numpy.ndarray]) -> list[numpy.ndarray]:
    head = tagger.model.get_ref("head")
    out = []
    for i in range(0, len(vectors), 16):
        out += [numpy.asarray(p) for p in head.predict(list(vectors[i : i + 16]))]
    return out


class Inputs:
    """The head's inputs from cached features: the listener's vectors, joined (with a
    ``claimx.SpanTagger.v2`` model) by the embedded linguistic feature ids."""

    def __init__(
        self, tagger: SpanTagger, vectors: Sequence[numpy.ndarray], ids: Sequence[numpy.ndarray]
    ) -> None:
        self.embed = tagger.model.get_ref("embed") if tagger.model.has_ref("embed") else None
        if self.embed is not None:
            self.embed.initialize(X=list(ids))

    def join(
        self, vectors: Sequence[numpy.ndarray], ids: Sequence[numpy.ndarray]
    ) -> list[numpy.ndarray]:
        if self.embed is None:
            return list(vectors)
        embedded = self.embed.predict(list(ids))
        return [numpy.hstack([v, e]) for v, e in zip(vectors, embedded, strict=True)]

    def begin_update(
        self, vectors: Sequence[numpy.ndarray], ids: Sequence[numpy.ndarray]
    ) -> tuple[list[numpy.ndarray], Any]:
        if self.embed is None:
            return list(vectors), lambda d_inputs: None
        embedded, backprop = self.embed.begin_update(list(ids))
        width = vectors[0].shape[1]

        def finish(d_inputs: list[numpy.ndarray]) -> None:
            backprop([numpy.ascontiguousarray(d[:, width:]) for d in d_inputs])

        joined = [numpy.hstack([v, e]) for v, e in zip(vectors, embedded, strict=True)]
        return joined, finish


def train(args: argparse.Namespace) -> dict[str, Any]:
    from spacy.util import fix_random_seed
    from thinc.api import Adam, SequenceCategoricalCrossentropy, set_dropout_rate, warmup_linear

    fix_random_seed(args.seed)
    begin = time.time()
    dev_limit = None if args.limit is None else max(1, args.limit // 10)
    train_golds = load_gold("train", args.limit)
    dev_golds = load_gold("dev", dev_limit)
    cache = args.cache_dir
    tag = "" if args.limit is None else f"-limit{args.limit}"
    if args.adapters is not None:
        tag += f"-lora-{adapters_digest(args.adapters)}"
    log(f"features: {len(train_golds)} train, {len(dev_golds)} dev articles -> {cache}")
    train_f = cache_features(train_golds, cache / f"train{tag}", log=log, adapters=args.adapters)
    dev_f = cache_features(dev_golds, cache / f"dev{tag}", log=log, adapters=args.adapters)
    if args.rule_features and args.lexical_features:
        raise ValueError("--rule-features and --lexical-features: one or the other")
    extras = "rules" if args.rule_features else "lexical" if args.lexical_features else None
    if extras is not None:
        for split, golds, f in (("train", train_golds, train_f), ("dev", dev_golds, dev_f)):
            extra = cache_extra_ids(golds, cache / f"{split}{tag}", f, extras, log=log)
            f.feats = [numpy.hstack([a, b]) for a, b in zip(f.feats, extra, strict=True)]
    log(f"features ready after {time.time() - begin:.0f}s")

    model: dict[str, Any] = {
        "width": args.width,
        "depth": args.depth,
        "window_size": args.window,
        "maxout_pieces": args.pieces,
        "lstm_depth": args.lstm,
        "chunk_size": args.predict_chunk,
        "dropout": args.dropout,
    }
    if args.feature_width:
        from .component import DEFAULT_MODEL

        model["@architectures"] = "claimx.SpanTagger.v2"
        model["tok2vec"] = dict(DEFAULT_MODEL["tok2vec"])
        model["features"] = {
            "@layers": "claimx.AttributionFeatures."
            + ("v2" if args.rule_features else "v3" if args.lexical_features else "v1"),
            "width": args.feature_width,
            "rows": args.feature_rows,
            "dropout": args.dropout,
        }
    if args.init is not None:  # the trained head's own architecture
        model = initial_model(args.init)
        if model.get("@architectures") == "claimx.SpanTaggerEnsemble.v1":
            raise ValueError(
                f"{str(args.init)!r} holds an ensemble of heads (--init needs one head): "
                "train each member and join them with claimx.tagger.ensemble"
            )
        model["chunk_size"] = args.predict_chunk
    nlp, tagger = build_tagger({"model": model})
    names = tag_names(LABELS)
    inputs = Inputs(tagger, train_f.vectors[:10], train_f.feats[:10])
    tagger.initialize_head(inputs.join(train_f.vectors[:10], train_f.feats[:10]))
    if args.init is not None:
        tagger.from_disk(args.init / "tagger", exclude=["vocab"])
        log(f"head from {args.init}")
        if has_adapters(args.init) and args.adapters is None:
            log(
                f"note: the head in {args.init} read an adapted encoder; this run feeds it "
                "the plain encoder's features (--adapters to keep its own)"
            )
    head = tagger.model.get_ref("head")
    truths = gold_ids(train_f, train_golds, names)
    steps = args.epochs * -(-len(train_f.vectors) // args.batch_size)
    learn_rate: Any = (
        warmup_linear(args.lr, max(1, steps // 20), steps) if args.schedule == "linear" else args.lr
    )
    optimizer = Adam(learn_rate, L2=1e-6, grad_clip=1.0)
    loss_func = SequenceCategoricalCrossentropy(normalize=False)
    rng = numpy.random.default_rng(args.seed)
    best: dict[str, Any] = {"score": -1.0}
    history = []

    def evaluate(epoch: int, loss: float) -> None:
        nonlocal best
        set_dropout_rate(head, 0.0)
        set_chunk_size(head, args.predict_chunk)
        dev_probs = predict_probs(tagger, inputs.join(dev_f.vectors, dev_f.feats))
        tagged = [
            decode_spans(p, s, e, names)
            for p, s, e in zip(dev_probs, dev_f.starts, dev_f.ends, strict=True)
        ]
        scores = score_tagged(dev_golds, tagged)
        score = mean_f(scores)
        history.append({"epoch": epoch, "loss": loss, "dev": scores})
        log(f"epoch {epoch:2d} loss {loss:9.1f}  dev {fmt(scores)}  mean {100 * score:.1f}")
        if score > best["score"]:
            best = {"score": score, "epoch": epoch, "bytes": tagger.model.to_bytes()}

    if args.init is not None:  # a round from a trained head never ends below its start
        evaluate(0, 0.0)
    for epoch in range(1, args.epochs + 1):
        set_dropout_rate(head, args.dropout)
        set_chunk_size(head, args.chunk)
        order = rng.permutation(len(train_f.vectors))
        total = 0.0
        for i in range(0, len(order), args.batch_size):
            batch = order[i : i + args.batch_size]
            keep = [j for j in batch if len(train_f.vectors[j])]
            if not keep:
                continue
            X, backprop_inputs = inputs.begin_update(
                [train_f.vectors[j] for j in keep], [train_f.feats[j] for j in keep]
            )
            Y = [truths[j] for j in keep]
            probs, backprop = head.begin_update(X)
            d_probs, loss = loss_func(probs, Y)
            backprop_inputs(backprop([d / sum(len(x) for x in X) for d in d_probs]))
            tagger.model.finish_update(optimizer)
            optimizer.step_schedules()
            total += float(loss)
        evaluate(epoch, total)
    tagger.model.from_bytes(best["bytes"])
    log(f"best epoch {best['epoch']} (dev mean F1 {100 * best['score']:.1f})")
    dev_probs = predict_probs(tagger, inputs.join(dev_f.vectors, dev_f.feats))
    tagged = [
        decode_spans(p, s, e, names)
        for p, s, e in zip(dev_probs, dev_f.starts, dev_f.ends, strict=True)
    ]
    results: dict[str, Any] = {
        "best_epoch": best["epoch"],
        "history": history,
        "tagger": score_tagged(dev_golds, tagged),
    }
    if not args.no_merge:
        docs = parsed_docs(dev_golds, cache / f"dev{tag}_parsed.spacy")
        rules = [list(d._.claimx_claims or []) for d in docs]
        results["rules"] = score_claims(dev_golds, docs, rules)
        merged = [
            merge_claims(d, r, t, MergeConfig(nominal=True))
            for d, r, t in zip(docs, rules, tagged, strict=True)
        ]
        results["merged"] = score_claims(dev_golds, docs, merged)
        for name in ("rules", "tagger", "merged"):
            log(f"dev {name:<7} {fmt(results[name])}")
    if args.out is not None:
        save(nlp, tagger, args.out, results, adapters=args.adapters)
        log(f"saved to {args.out}")
    results["seconds"] = round(time.time() - begin)
    return results


def initial_model(folder: Path) -> dict[str, Any]:
    """The model block of the tagger config saved in ``folder`` (``--init``); ``ValueError``
    naming the folder when it holds no trained tagger."""
    from thinc.api import Config

    if not (folder / "config.cfg").exists() or not (folder / "tagger").is_dir():
        raise ValueError(f"no trained tagger in {str(folder)!r} (--init)")
    config = Config().from_disk(folder / "config.cfg", interpolate=False)
    return dict(config["components"]["claimx_tagger"]["model"])


def adapters_digest(folder: Path) -> str:
    """A short digest of the encoder adapters in ``folder`` (their features' cache name);
    ``ValueError`` naming the folder when it holds none."""
    import hashlib

    from .adapters import ADAPTERS_FILE

    if not has_adapters(folder):
        raise ValueError(f"no encoder adapters in {str(folder)!r} (--adapters)")
    return hashlib.sha1((folder / ADAPTERS_FILE).read_bytes()).hexdigest()[:10]


def save(
    nlp: Language,
    tagger: SpanTagger,
    out: Path,
    results: dict[str, Any],
    adapters: Path | None = None,
) -> None:
    """Write the tagger pipe (cfg and head weights, no vocab, no encoder) and its config.

    A head trained on the plain encoder's features: encoder adapters left in ``out`` by
    :mod:`claimx.tagger.finetune` are removed. One trained on adapted features
    (``adapters``): those adapters (and their fine-tuning record) go into ``out`` with it.
    """
    import shutil

    from thinc.api import Config

    from .adapters import ADAPTERS_CONFIG, ADAPTERS_FILE, FINETUNE_METRICS, TUNE_METRICS

    out.mkdir(parents=True, exist_ok=True)
    tagger.to_disk(out / "tagger", exclude=["vocab"])
    for name in (ADAPTERS_FILE, ADAPTERS_CONFIG, FINETUNE_METRICS, TUNE_METRICS):
        if adapters is not None:
            source = adapters / name
            if source.exists() and source.resolve() != (out / name).resolve():
                shutil.copyfile(source, out / name)
        elif (out / name).exists():  # this head read the frozen encoder
            (out / name).unlink()
            log(f"removed {out / name}: it adapted the encoder for another head")
    component = dict(nlp.config["components"][tagger.name])
    Config({"components": {tagger.name: component}}).to_disk(out / "config.cfg")
    summary = {k: v for k, v in results.items() if k != "history"}
    (out / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    results = train(parse_args(argv))
    log(f"done in {results['seconds']}s")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options of ``python -m claimx.tagger.train``."""
    parser = argparse.ArgumentParser(description="Train the claimx_tagger head on PolNeAR.")
    parser.add_argument("--out", type=Path, default=None, help="folder for the trained pipe")
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--limit", type=int, default=None, help="first N train articles")
    parser.add_argument("--batch-size", type=int, default=16, help="articles per step")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument(
        "--schedule",
        choices=("constant", "linear"),
        default="constant",
        help="learning rate: constant, or linear warm-up (5%% of steps) and decay to 0",
    )
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--depth", type=int, default=1)
    parser.add_argument("--window", type=int, default=1)
    parser.add_argument("--pieces", type=int, default=2, help="maxout pieces")
    parser.add_argument("--lstm", type=int, default=1, help="BiLSTM layers (0: none)")
    parser.add_argument(
        "--chunk", type=int, default=64, help="tokens per BiLSTM chunk in training steps"
    )
    parser.add_argument(
        "--predict-chunk",
        type=int,
        default=0,
        help="tokens per BiLSTM chunk when scoring dev and in the saved config (0: whole article)",
    )
    parser.add_argument(
        "--rule-features",
        action="store_true",
        help="add the rules' roles as a feature column (claimx.AttributionFeatures.v2)",
    )
    parser.add_argument(
        "--lexical-features",
        action="store_true",
        help="add each token's lemma and its governor's as feature columns "
        "(claimx.AttributionFeatures.v3)",
    )
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument(
        "--feature-width",
        type=int,
        default=16,
        help="width of each embedded linguistic feature (claimx.SpanTagger.v2); 0: v1",
    )
    parser.add_argument("--feature-rows", type=int, default=2048, help="hash rows per feature")
    parser.add_argument(
        "--init",
        type=Path,
        default=None,
        help="trained tagger folder: train on from its head, in its architecture (the "
        "architecture options are ignored); dev is scored before the first epoch too",
    )
    parser.add_argument(
        "--adapters",
        type=Path,
        default=None,
        help="folder with encoder adapters (claimx.tagger.finetune): train the head on the "
        "adapted encoder's features and save the adapters with it",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-merge", action="store_true", help="skip the rules and the merge")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
