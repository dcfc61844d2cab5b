"""Fine-tune the pipeline's MiniLM for the ``claimx_tagger`` with LoRA adapters, on PolNeAR.

Run from the repository root::

    .venv/bin/python -m claimx.tagger.finetune --init models/attribution --out DIR

Starts from a trained tagger folder (``--init``: its head, and its encoder adapters when it
has them), puts new adapters on the top ``--layers`` layers (default: all six) of the
``transformer`` pipe's encoder (:mod:`claimx.tagger.adapters`) and trains adapters and head
together through spaCy's own update path: the tagger's listener passes its gradient back to
the transformer (``grad_factor`` 1 while training; the saved config keeps 0, since nothing
trains at inference). PolNeAR dev is scored at document level (tagger alone) before the
first step and every ``--eval-every`` steps; the best point by the mean of the four F1
figures is kept, so a round never ends worse than its start. Adapters at ``--lr``, head at
``--head-lr``. ``--out`` gets the tagger pipe, its ``config.cfg``, the adapters and
``finetune.json`` (dev history, the best step, and the rules+tagger merge on dev; the head's
own ``metrics.json`` from ``claimx.tagger.train`` is left as it is).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

from .adapters import (
    FINETUNE_METRICS,
    AdapterConfig,
    add_adapters,
    encoder_of,
    has_adapters,
    load_adapters,
    save_adapters,
)
from .data import LABELS, GoldArticle, default_cache_dir, load_gold, tag_names, token_bounds
from .train import (
    cached_docs,
    decode_spans,
    fmt,
    log,
    mean_f,
    parsed_docs,
    score_claims,
    score_tagged,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example


def base_docs(nlp: Language, golds: list[GoldArticle], path: Path) -> list[Doc]:
    """The articles through the base pipes (parse, entities, paragraphs), cached as DocBin."""
    return cached_docs(nlp, golds, path, disable=("transformer", "claimx_tagger"))


def make_examples(docs: list[Doc], golds: list[GoldArticle], key: str) -> list[Example]:
    """Examples whose reference holds the gold spans in ``doc.spans[key]``."""
    from spacy.tokens import Doc
    from spacy.training import Example

    out = []
    for doc, gold in zip(docs, golds, strict=True):
        ref = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        spans = []
        for label, start, end in gold.spans:
            span = ref.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        ref.spans[key] = spans
        out.append(Example(doc, ref))
    return out


def tagged_dev(nlp: Language, docs: list[Doc]) -> list[Any]:
    """Tagger spans of the dev articles with the current weights (no dropout)."""
    trf: Any = nlp.get_pipe("transformer")
    tagger: Any = nlp.get_pipe("claimx_tagger")
    names = tag_names(LABELS)
    out = []
    for i in range(0, len(docs), 4):
        batch = docs[i : i + 4]
        trf.set_annotations(batch, trf.predict(batch))
        for doc, probs in zip(batch, tagger.predict(batch), strict=True):
            starts, ends = token_bounds(doc)
            out.append(decode_spans(numpy.asarray(probs), starts, ends, names))
            doc._.trf_data = None
    return out


def finetune(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from spacy.util import fix_random_seed
    from thinc.api import Adam, warmup_linear

    from ..lora import lora_state
    from ..pipeline import CLAIMX_PIPES, TAGGER, add_tagger, load

    begin = time.time()
    fix_random_seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES))
    if not add_tagger(nlp, args.init, adapters=False):
        raise ValueError(f"no trained tagger at {str(args.init)!r}")
    trf: Any = nlp.get_pipe("transformer")
    tagger: Any = nlp.get_pipe(TAGGER)
    trf.cfg["dtype"] = "float32"
    if has_adapters(args.init):  # train on from the saved adapters, in their shape
        config = load_adapters(trf, args.init, merge=False)
        log(f"adapters from {args.init}: {config} (--layers/--rank/--alpha ignored)")
    else:
        config = AdapterConfig(args.layers, args.rank, args.alpha)
        add_adapters(trf, config)
    encoder = encoder_of(trf)
    factors = [node for node in tagger.model.walk() if "grad_factor" in node.attrs]
    if not factors:
        raise ValueError("the tagger's model does not listen to the transformer")
    for node in factors:
        node.attrs["grad_factor"] = 1.0
    trf.find_listeners(tagger)

    dev_limit = None if args.limit is None else max(1, args.limit // 10)
    train_golds = load_gold("train", args.limit)
    dev_golds = load_gold("dev", dev_limit)
    tag = "" if args.limit is None else f"-limit{args.limit}"
    train_docs = base_docs(nlp, train_golds, args.cache_dir / f"train{tag}_base.spacy")
    dev_docs = base_docs(nlp, dev_golds, args.cache_dir / f"dev{tag}_base.spacy")
    examples = make_examples(train_docs, train_golds, tagger.spans_key)
    log(f"{len(examples)} train, {len(dev_docs)} dev articles after {time.time() - begin:.0f}s")

    steps = args.epochs * -(-len(examples) // args.batch_size)
    warmup = max(1, steps // 20)
    adapters_rate: Any = warmup_linear(args.lr, warmup, steps)
    head_rate: Any = warmup_linear(args.head_lr, warmup, steps)
    adapters_opt = Adam(adapters_rate, grad_clip=1.0)
    head_opt = Adam(head_rate, grad_clip=1.0)
    history: list[dict[str, Any]] = []

    def evaluate(step: int) -> float:
        scores = score_tagged(dev_golds, tagged_dev(nlp, dev_docs))
        history.append({"step": step, "dev": scores, "seconds": round(time.time() - begin)})
        score = mean_f(scores)
        log(f"step {step:4d}  dev {fmt(scores)}  mean {100 * score:.1f}")
        return score

    def snapshot(score: float, step: int) -> dict[str, Any]:
        """The current head and adapters, with their dev score."""
        return {
            "score": score,
            "step": step,
            "head": tagger.model.to_bytes(),
            "adapters": lora_state(encoder),
        }

    best = snapshot(evaluate(0), 0)
    rng = numpy.random.default_rng(args.seed)
    step = 0
    loss = 0.0
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(len(examples))
        for i in range(0, len(order), args.batch_size):
            batch = [examples[j] for j in order[i : i + args.batch_size]]
            losses: dict[str, float] = {}
            # the transformer hands its output to the tagger's listener, whose backward
            # pass runs the transformer's; each pipe then steps at its own rate
            trf.update(batch, drop=args.dropout, losses=losses)
            tagger.update(batch, drop=args.dropout, losses=losses)
            for pipe, optimizer in ((trf, adapters_opt), (tagger, head_opt)):
                pipe.finish_update(optimizer)
                optimizer.step_schedules()
            loss += losses.get(TAGGER, 0.0)
            step += 1
            if step % args.eval_every == 0 or step == steps:
                log(f"epoch {epoch} step {step}/{steps} loss {loss:.0f}")
                loss = 0.0
                score = evaluate(step)
                if score > best["score"]:
                    best = snapshot(score, step)
    log(f"best step {best['step']} (dev mean F1 {100 * best['score']:.1f})")
    tagger.model.from_bytes(best["head"])
    encoder.load_state_dict(best["adapters"], strict=False)
    for node in factors:
        node.attrs["grad_factor"] = 0.0
    results: dict[str, Any] = {"best_step": best["step"], "history": history}
    tagged = tagged_dev(nlp, dev_docs)
    results["tagger"] = score_tagged(dev_golds, tagged)
    rule_docs = parsed_docs(dev_golds, args.cache_dir / f"dev{tag}_parsed.spacy")
    rules = [list(d._.claimx_claims or []) for d in rule_docs]
    from .merge import MergeConfig, merge_claims

    merged = [
        merge_claims(d, r, t, MergeConfig(nominal=True))
        for d, r, t in zip(rule_docs, rules, tagged, strict=True)
    ]
    results["merged"] = score_claims(dev_golds, rule_docs, merged)
    for name in ("tagger", "merged"):
        log(f"dev {name:<7} {fmt(results[name])}")
    if args.out is not None:
        save(nlp, args.out, config, results, args.init)
        log(f"saved to {args.out}")
    results["seconds"] = round(time.time() - begin)
    return results


def save(
    nlp: Language, out: Path, config: AdapterConfig, results: dict[str, Any], init: Path
) -> None:
    """Tagger pipe, its config (copied from ``init``), adapters and metrics into ``out``."""
    import json

    out.mkdir(parents=True, exist_ok=True)
    tagger: Any = nlp.get_pipe("claimx_tagger")
    tagger.to_disk(out / "tagger", exclude=["vocab"])
    if (init / "config.cfg").resolve() != (out / "config.cfg").resolve():
        shutil.copyfile(init / "config.cfg", out / "config.cfg")
    save_adapters(nlp.get_pipe("transformer"), out, config)
    summary = {**{k: v for k, v in results.items() if k != "history"}, "adapters": vars(config)}
    summary["history"] = results["history"]
    (out / FINETUNE_METRICS).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--init", type=Path, default=None, help="trained tagger folder")
    parser.add_argument("--out", type=Path, default=None, help="folder for the result")
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="first N train articles")
    parser.add_argument("--batch-size", type=int, default=4, help="articles per step")
    parser.add_argument("--lr", type=float, default=1e-3, help="peak rate of the adapters")
    parser.add_argument("--head-lr", type=float, default=1e-4, help="peak rate of the head")
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--layers", type=int, default=6, help="top encoder layers adapted")
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16.0)
    parser.add_argument("--eval-every", type=int, default=50, help="steps between dev scores")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.init is None:
        from ..pipeline import tagger_dir

        args.init = tagger_dir()
    results = finetune(args)
    log(f"done in {results['seconds']}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
