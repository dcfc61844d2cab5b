"""The cached lemmatizer gives the stock English rule lemmatizer's lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from claimx import lemmatizer
from claimx.lemmatizer import CachedLemmatizer, use_cached_lemmatizer
from claimx.pipeline import BASE_MODEL

TEXTS = [
    "The ministers said they were meeting again; prices rose, and the bigger firms' "
    "shares fell. She's been running since 2019, he'd argued.",
    'Mice ran faster than the geese. "We are not leaving," the workers\' union insisted. '
    "Better days lie ahead, analysts predicted on Monday.",
    'U.S. Defense Secretary Pete Hegseth\'s speech: "We ask, and indeed, we insist."',
]


@pytest.fixture(scope="module")
def stock() -> Language:
    return spacy.load(BASE_MODEL)


@pytest.fixture(scope="module")
def cached() -> Language:
    nlp = spacy.load(BASE_MODEL)
    assert use_cached_lemmatizer(nlp)
    return nlp


def _lemmas(nlp: Language, texts: list[str]) -> list[list[str]]:
    return [[t.lemma_ for t in doc] for doc in nlp.pipe(texts)]


def test_same_lemmas_as_the_stock_lemmatizer(
    stock: Language, cached: Language, seed_text: str
) -> None:
    texts = [*TEXTS, seed_text]
    assert isinstance(cached.get_pipe("lemmatizer"), CachedLemmatizer)
    assert cached.pipe_names == stock.pipe_names
    # twice: the second pass reads every lemma from the cache
    assert _lemmas(cached, texts) == _lemmas(stock, texts)
    assert _lemmas(cached, texts) == _lemmas(stock, texts)


def test_lemmas_set_before_are_kept(cached: Language) -> None:
    doc = cached.make_doc("The talks collapsed.")
    for name, proc in cached.pipeline:
        if name == "lemmatizer":
            break
        doc = proc(doc)
    doc[1].lemma_ = "negotiation"
    doc = cached.get_pipe("lemmatizer")(doc)
    assert [t.lemma_ for t in doc] == ["the", "negotiation", "collapse", "."]


def test_cache_is_bounded(
    stock: Language, cached: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lemmatizer, "MAX_CACHED", 3)
    pipe = cached.get_pipe("lemmatizer")
    assert isinstance(pipe, CachedLemmatizer)
    for _ in range(2):
        assert _lemmas(cached, TEXTS) == _lemmas(stock, TEXTS)
        assert len(pipe._lemma_ids) <= 3 + max(len(cached.make_doc(t)) for t in TEXTS)


def test_swap_is_refused_without_a_rule_lemmatizer() -> None:
    blank = spacy.blank("en")
    assert not use_cached_lemmatizer(blank)
    blank.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert not use_cached_lemmatizer(blank)
    assert not isinstance(blank.get_pipe("lemmatizer"), CachedLemmatizer)


def test_round_trip_through_disk(cached: Language, stock: Language, tmp_path: Path) -> None:
    cached.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert isinstance(loaded.get_pipe("lemmatizer"), CachedLemmatizer)
    assert _lemmas(loaded, TEXTS) == _lemmas(stock, TEXTS)


def test_claimx_pipeline_uses_it(nlp: Language) -> None:
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmatizer)


def test_initialize_drops_the_cached_lemmas(stock: Language) -> None:
    nlp = spacy.load(BASE_MODEL)
    assert use_cached_lemmatizer(nlp)
    pipe = nlp.get_pipe("lemmatizer")
    assert isinstance(pipe, CachedLemmatizer)
    _lemmas(nlp, TEXTS)
    assert pipe._lemma_ids
    pipe.initialize(lookups=pipe.lookups)
    assert not pipe._lemma_ids
    assert _lemmas(nlp, TEXTS) == _lemmas(stock, TEXTS)
