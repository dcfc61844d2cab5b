"""Property-based fuzzing of the whole extractor: any text gives a valid record or a
``ValueError`` naming the article, never a crash.

Texts mix news words, speech verbs, names, quote marks of every style, numbers with units and
currencies, brackets, HTML, control characters and arbitrary Unicode. The fast tests run a
few dozen cases; the slow suite (``-m slow``) runs 2,000 single texts through
``claimx.extract`` and 300 batches of up to 8 texts through ``extract_many``, the full
pipeline each time (transformer included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import claimx
from claimx.api import ErrorRecord

if TYPE_CHECKING:
    from spacy.language import Language

QUOTES = list(
    "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201f\u2039\u203a\u300c\u300d\u300e\u300f"
)
WORDS = (
    "said told according to added argued warned claimed stated he she they it the a of in "
    "that will would not David Roche Ms Aoki Dr Inoue Quantum Strategy Reuters analysts "
    "experts ministry exports rose fell grew by to from between and about nearly over under "
    "million billion bn m per cent percent year years month day 2024 Q3 GDP US UK Japan"
).split()
NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda x: f"{x:g}"),
    st.sampled_from(
        [
            "5%",
            "$1.13bn",
            "£600m",
            "€3,000",
            "¥12.5 trillion",
            "1-2",
            "3½",
            "½",
            "twenty-one",
            "1,000,000",
            "0.5pp",
            "10km",
            "9 mph",
            "1e9",
            "2020-2024",
            "−4.2%",
            "IV",
            "#1",
            "3:2",
            "1/3",
        ]
    ),
)
PUNCT = st.sampled_from(list(".,;:!?()[]{}<>-—–…/\\&*@#|~^_=+"))
CONTROL = st.sampled_from(list("\t\n\r\x0b\x0c\x1b\x07\x85\u2028\u2029\u200b\u200e\ufeff\x00"))
HTML = st.sampled_from(["<p>", "</p>", "<b>", "&amp;", "&ldquo;", "<br/>", "<script>", "-->"])
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(QUOTES),
    NUMBERS,
    PUNCT,
    st.sampled_from([" ", " ", " ", "\n", "\n\n"]),
    CONTROL,
    HTML,
    st.text(max_size=4),
)
TEXTS = st.lists(PIECES, max_size=120).map("".join)

FAST = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(FAST, max_examples=2000)
SLOW_BATCHES = settings(FAST, max_examples=300)


def check(nlp: Language, text: str) -> None:
    try:
        record = claimx.extract(text, id="fuzz", nlp=nlp)
    except ValueError as err:
        assert str(err).startswith("article 'fuzz': "), err
        return
    record.validate()
    assert record.text == text


def check_batch(nlp: Language, texts: list[str]) -> None:
    results = list(claimx.extract_many(texts, nlp=nlp, batch_size=8, errors="record"))
    assert [r.id for r in results] == [f"doc-{i}" for i in range(len(texts))]
    for result, text in zip(results, texts, strict=True):
        if isinstance(result, ErrorRecord):
            assert result.error.startswith(f"article '{result.id}': "), result.error
        else:
            result.validate()
            assert result.text == text


@FAST
@given(text=TEXTS)
@example(text="1/3")  # found by the slow suite: a fraction as the last token
def test_extract_never_crashes(nlp: Language, text: str) -> None:
    check(nlp, text)


@FAST
@given(texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_extract_many_never_crashes(nlp: Language, texts: list[str]) -> None:
    check_batch(nlp, texts)


@pytest.mark.slow
@SLOW
@given(text=TEXTS)
def test_extract_never_crashes_2000(nlp: Language, text: str) -> None:
    check(nlp, text)


@pytest.mark.slow
@SLOW_BATCHES
@given(texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_extract_many_never_crashes_300_batches(nlp: Language, texts: list[str]) -> None:
    check_batch(nlp, texts)
