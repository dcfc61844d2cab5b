"""claimx bounds oneDNN's primitive cache on import and respects a capacity the caller set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from claimx.memory import PRIMITIVE_CACHE_CAPACITY, release_memory

# An LSTM over lengths 5, 6, 7, then 5 again: oneDNN compiles one primitive per length, and
# the last call finds its primitive in the cache only if the cache holds more than one.
LSTM_RUN = """
import claimx, os, torch
print(os.environ.get("ONEDNN_PRIMITIVE_CACHE_CAPACITY"))
lstm = torch.nn.LSTM(8, 8, batch_first=True)
with torch.inference_mode():
    for n in (5, 6, 7, 5):
        lstm(torch.randn(1, n, 8))
"""


def _run(**variables: str) -> tuple[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if "PRIMITIVE_CACHE_CAPACITY" not in k}
    env.update(variables, ONEDNN_VERBOSE="2")
    done = subprocess.run(
        [sys.executable, "-c", LSTM_RUN], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    rnn = [
        line.split(",")[3]
        for line in lines
        if ",primitive,create:cache_" in line and ",rnn," in line
    ]
    if not rnn:
        pytest.skip("this torch build runs LSTMs without oneDNN")
    return lines[0], rnn


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="oneDNN verbose output")
def test_import_bounds_the_primitive_cache_and_it_still_reuses_kernels() -> None:
    capacity, rnn = _run()
    assert capacity == str(PRIMITIVE_CACHE_CAPACITY)
    assert rnn == ["create:cache_miss"] * 3 + ["create:cache_hit"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="oneDNN verbose output")
@pytest.mark.parametrize(
    "name", ["ONEDNN_PRIMITIVE_CACHE_CAPACITY", "DNNL_PRIMITIVE_CACHE_CAPACITY"]
)
def test_a_capacity_the_caller_set_wins(name: str) -> None:
    capacity, rnn = _run(**{name: "1"})
    assert capacity == ("1" if name.startswith("ONEDNN") else "None")
    assert rnn == ["create:cache_miss"] * 4  # one entry: the first length was evicted


def test_release_memory_runs_anywhere() -> None:
    release_memory()
