"""Matrix products of the shapes the pipeline's thinc layers run: blis against torch.

    .venv/bin/python benchmarks/products.py [--rows 4000] [--repeat 20]

Prints milliseconds per float32 product for thinc's ``NumpyOps.gemm`` (blis), claimx's
``TorchProductOps.gemm`` (``torch.matmul`` with torch's threads as they are) and torch in one
thread, for the shapes of the tagger heads (projection, window maxout) and of spaCy's
``tok2vec`` maxout. ``claimx.load(matmul="torch")`` is the default because the torch column
was the faster one on the CPUs measured (``claimx/ops.py``); run this to see it on yours.
"""

from __future__ import annotations

import argparse
import platform
import time
from typing import Any

import numpy

SHAPES = {
    "tagger projection": (544, 128),
    "tagger window maxout": (384, 256),
    "sm tok2vec maxout": (288, 288),
}
"""Inner and outer widths of the products (``rows x inner`` times ``inner x outer``)."""


def time_product(ops: Any, x: numpy.ndarray, w: numpy.ndarray, repeat: int) -> float:
    """Milliseconds per ``ops.gemm(x, w.T)``, after one product to warm up."""
    ops.gemm(x, w, trans2=True)
    start = time.perf_counter()
    for _ in range(repeat):
        ops.gemm(x, w, trans2=True)
    return (time.perf_counter() - start) / repeat * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4000, help="rows (tokens) per product")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    import torch
    from thinc.api import NumpyOps

    from claimx.ops import TorchProductOps

    print(f"{platform.processor() or platform.machine()}, torch threads {torch.get_num_threads()}")
    blis, ours = NumpyOps(), TorchProductOps()
    rng = numpy.random.default_rng(0)
    threads = torch.get_num_threads()
    print(f"\n{'product':24} {'shape':>16} {'blis ms':>8} {'torch ms':>9} {'1 thread':>9}")
    for name, (inner, outer) in SHAPES.items():
        x = rng.standard_normal((args.rows, inner), dtype=numpy.float32)
        w = rng.standard_normal((outer, inner), dtype=numpy.float32)
        row = [time_product(ops, x, w, args.repeat) for ops in (blis, ours)]
        torch.set_num_threads(1)
        row.append(time_product(ours, x, w, args.repeat))
        torch.set_num_threads(threads)
        shape = f"{args.rows}x{inner}x{outer}"
        print(f"{name:24} {shape:>16} {row[0]:8.2f} {row[1]:9.2f} {row[2]:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
