"""claimx never reaches the network: offline switches on import, a full run with no sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

import claimx
from claimx.offline import OFFLINE_VARIABLES


def test_no_network_fixture_blocks_sockets(no_network: None) -> None:
    with pytest.raises(OSError, match="network access is disabled"):
        socket.create_connection(("example.com", 80), timeout=1)
    with pytest.raises(OSError, match="network access is disabled"):
        socket.socket()


def test_import_sets_offline_switches_and_stays_light() -> None:
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_VARIABLES}
    code = (
        "import os, sys, claimx; "
        "print(os.environ.get('HF_HUB_OFFLINE'), os.environ.get('TRANSFORMERS_OFFLINE'), "
        "'spacy' in sys.modules, 'torch' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1", "False", "False"]


def test_offline_switches_in_this_process() -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_build_and_extract_without_network(no_network: None, seed_text: str) -> None:
    nlp = claimx.load()
    assert "transformer" in nlp.pipe_names
    record = claimx.extract(seed_text, id="seed-japan-arms-exports", nlp=nlp)
    record.validate()
    assert record.id == "seed-japan-arms-exports" and record.text == seed_text
    assert os.environ["HF_HUB_OFFLINE"] == "1"
