"""How much time ``claimx_stance`` adds to the full claimx pipeline, over BBC articles.

    .venv/bin/python benchmarks/stance_speed.py --n 50

The texts go through the full pipeline (timed) and through every pipe but the stance one
(timed); the figure is the difference over the second time: what the stance pipe adds.
Since the transformer encodes in a background thread while the main thread runs the other
pipes (:mod:`claimx.transformer`, ``overlap``), the stance pipe partly runs beside it, and
its time alone over the same docs (also printed, ``stance_alone_s``) overstates what it
adds. ``--no-overlap`` runs the batches one after the other, as before. Targets are proposed
by the component, as when a caller gives none. Goal: at most 20%. On a shared CPU, use
``--repeat 3`` (each part keeps its fastest run); ``--dtype float32`` measures the
component without bf16 inference, ``--skip-off-topic`` with its optional shortcut, ``--target
TEXT`` with one caller's target for every article (then no claim states the target, and
every claim goes through the encoder).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bbc import bbc_path, bbc_texts

if TYPE_CHECKING:
    from spacy.tokens import Doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--exclude", nargs="*", default=[], help="pipes to leave out")
    parser.add_argument(
        "--dtype",
        choices=("auto", "float32", "bfloat16"),
        default="auto",
        help="stance inference dtype (auto: bfloat16 on CPUs with native bf16)",
    )
    parser.add_argument(
        "--skip-off-topic",
        action="store_true",
        help="turn on the component's off-topic shortcut (off by default)",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="give every article this target instead of proposing one (every claim is "
        "then encoded: no claim states it)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each part this often, keep the fastest"
    )
    parser.add_argument(
        "--no-overlap", action="store_true", help="transformer overlap off (see above)"
    )
    args = parser.parse_args()

    import torch

    from claimx.pipeline import load

    torch.set_num_threads(args.threads)
    corpus = args.corpus or bbc_path()
    if not corpus.exists():
        raise SystemExit(f"BBC corpus not found at {corpus}")
    texts = bbc_texts(args.n, corpus, with_title=True)
    nlp = load(exclude=tuple(args.exclude))
    stance = nlp.get_pipe("claimx_stance")
    if args.dtype != "auto":
        from claimx.stance.model import StanceModel

        stance.model = StanceModel.load(stance.model_path, dtype=args.dtype)
    if args.skip_off_topic:
        stance.cfg["skip_off_topic"] = True
    if args.no_overlap:
        nlp.get_pipe("transformer").cfg["overlap"] = False
    others = [name for name in nlp.pipe_names if name != "claimx_stance"]

    def run(enable: list[str]) -> tuple[float, list[Doc]]:
        docs = [nlp.make_doc(text) for text in texts]
        if args.target:
            for doc in docs:
                doc._.claimx_target, doc._.claimx_target_source = args.target, "caller"
        with nlp.select_pipes(enable=enable):
            start = time.perf_counter()
            out = list(nlp.pipe(docs, batch_size=args.batch_size))
            return time.perf_counter() - start, out

    list(nlp.pipe(texts[:2]))  # warm-up
    base = full = alone = float("inf")
    for _ in range(max(1, args.repeat)):
        seconds, docs = run(others)
        base = min(base, seconds)
        start = time.perf_counter()
        list(stance.pipe(docs, batch_size=args.batch_size))
        alone = min(alone, time.perf_counter() - start)
        seconds, docs = run(nlp.pipe_names)
        full = min(full, seconds)
    added = full - base

    words = sum(len(doc) for doc in docs)
    claims = sum(len(doc._.claimx_claims or []) for doc in docs)
    result = {
        "articles": len(docs),
        "tokens": words,
        "claims": claims,
        "pipes": others,
        "rest_of_pipeline_s": round(base, 2),
        "full_pipeline_s": round(full, 2),
        "stance_added_s": round(added, 2),
        "stance_share_of_rest": round(added / base, 4),
        "stance_share_of_total": round(added / full, 4),
        "stance_alone_s": round(alone, 2),
        "stance_alone_share_of_rest": round(alone / base, 4),
        "overlap": not args.no_overlap,
        "excluded": args.exclude,
        "threads": args.threads,
        "stance_dtype": str(stance.model.dtype).replace("torch.", ""),
        "skip_off_topic": stance.cfg["skip_off_topic"],
        "target": args.target or "proposed",
        "repeat": args.repeat,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
