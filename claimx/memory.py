"""Keep a long extraction run's memory flat: hand freed heap memory back to the operating
system between batches, and bound oneDNN's cache of compiled kernels."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

PRIMITIVE_CACHE_CAPACITY = 64
"""oneDNN primitives (compiled kernels, one per input shape) kept per process; oneDNN's
default is 1,024."""

_CACHE_VARIABLES = ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "DNNL_PRIMITIVE_CACHE_CAPACITY")


def bound_primitive_cache(capacity: int = PRIMITIVE_CACHE_CAPACITY) -> None:
    """Cap oneDNN's primitive cache at ``capacity`` entries unless the caller set a capacity
    (``ONEDNN_PRIMITIVE_CACHE_CAPACITY`` or ``DNNL_PRIMITIVE_CACHE_CAPACITY``).

    oneDNN, which runs torch's CPU kernels, compiles and keeps one primitive per input shape,
    up to 1,024 of them, and some hold their own copy of reordered weights. The tagger's
    BiLSTM meets a new shape with nearly every article (one per article length) and the
    transformer one per number of windows in a batch, so over the 2,225 BBC articles one
    process grew from 1.0 GB to 1.5 GB of RSS and peaked at 1,603 MB. With 64 entries its
    RSS stays at 0.8-1.0 GB (peak 1,262-1,327 MB, around the longest article), and the words/s
    do not change: a shape seen once is compiled either way. oneDNN reads the variable when it
    first builds its cache, so claimx sets it on import.
    """
    if not any(name in os.environ for name in _CACHE_VARIABLES):
        os.environ[_CACHE_VARIABLES[0]] = str(capacity)


def release_memory() -> None:
    """Return the heap memory that a batch freed to the system (glibc ``malloc_trim``;
    elsewhere a no-op).

    Torch's CPU tensors of varying shapes fragment glibc's heap: over the 2,225 BBC articles
    a process kept growing from 1.5 GB to 3.6 GB of RSS although nothing was retained
    (``malloc_trim`` brought 1,476 MB back to 848 MB after 240 articles). The transformer
    pipe calls this after every batch, and the batch paths after every batch of records; it
    costs a few milliseconds.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None
