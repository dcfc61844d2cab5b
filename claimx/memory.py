"""Hand freed heap memory back to the operating system between batches."""

from __future__ import annotations

import functools
from collections.abc import Callable


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
