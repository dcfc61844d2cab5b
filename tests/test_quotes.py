"""Quotation-mark pairing: every mark style, nesting, continuation, stray marks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimx.attribution.quotes import find_quotes, paragraphs


def inner(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Curly quotes,” he said.", ["Curly quotes,"]),
        ('"Straight quotes," he said.', ["Straight quotes,"]),
        ("«Guillemets» ici.", ["Guillemets"]),
        ("NYT says ''doubled apostrophes,'' he said.", ["doubled apostrophes,"]),
        ("She said ‘single marks’ only.", ["single marks"]),
        ("BBC style: 'single straight marks', they said.", ["single straight marks"]),
    ],
)
def test_mark_styles(text: str, expected: list[str]) -> None:
    assert inner(text) == expected


def test_apostrophes_are_not_quotes() -> None:
    assert inner("Japan’s exports and the investors' money don't count.") == []


def test_nested_single_marks_stay_inside_the_outer_quote() -> None:
    text = "“Abe created the concept of ‘proactive contribution to peace’ in 2013,” he said."
    assert inner(text) == ["Abe created the concept of ‘proactive contribution to peace’ in 2013,"]
    nested = [text[q.start : q.end] for q in find_quotes(text, nested=True)]
    assert "proactive contribution to peace" in nested


def test_quote_continued_into_next_paragraph_is_one_quote() -> None:
    text = "He said: “The first part.\n\n“The second part,” he added.\n\nNext paragraph."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert quotes[0].continued
    assert text[quotes[0].start : quotes[0].end].startswith("The first part.")
    assert text[quotes[0].start : quotes[0].end].endswith("The second part,")


def test_quote_run_on_with_the_paragraph_break_lost_ends_before_the_next_opener() -> None:
    # BBC texts often lose the break between a quote's paragraphs: the next paragraph's
    # opening mark follows the first one's last sentence in the same line
    text = 'He said: "We are delighted. It is a great club. "We have hard work ahead." He left.'
    assert inner(text) == ["We are delighted. It is a great club.", "We have hard work ahead."]
    # with a reporting word inside, the closing mark is more likely missing: not joined
    text = (
        '"Policy will wait, the agency said in its report. Growth will slow. "It is a challenge."'
    )
    assert inner(text) == ["It is a challenge."]
    # the speaker's own reporting words are no sign of a missing mark
    text = 'He said: "We were confident. "We said we only had 11 points to make up. "It worked."'
    assert inner(text) == [
        "We were confident.",
        "We said we only had 11 points to make up.",
        "It worked.",
    ]
    # an opener that follows no sentence end restarts the pairing, as before
    text = 'He called it "a sham and "a disgrace" of a deal.'
    assert inner(text) == ["a disgrace"]


def test_multi_sentence_quote() -> None:
    text = "“One. Two. Three,” Aoki said."
    assert inner(text) == ["One. Two. Three,"]


def test_stray_marks_do_not_lose_the_document() -> None:
    text = "A stray “ mark here.\n\n“A real quote,” he said. Another ” stray."
    assert inner(text) == ["A real quote,"]


def test_unbalanced_straight_quotes() -> None:
    text = 'He said "unclosed and then nothing.\n\nNo mark opens this. "Closed," she said.'
    assert inner(text) == ["Closed,"]


def test_a_straight_mark_between_spaces_closes_an_open_quote() -> None:
    text = "He wrote: \"I offered and Trump said, 'Let's talk tomorrow.' \"\n\nLater \" text."
    assert inner(text) == ["I offered and Trump said, 'Let's talk tomorrow.'"]


def test_paragraphs() -> None:
    text = "One.\n\nTwo.\nThree.\n\n"
    assert [text[a:b] for a, b in paragraphs(text)] == ["One.", "Two.", "Three."]


def test_hundred_thousand_marks_finish() -> None:
    text = "“" * 50_000 + "”" * 50_000
    assert isinstance(find_quotes(text), list)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n\"'“”‘’«»`")), max_size=200))
def test_any_text_gives_valid_quotes(text: str) -> None:
    for quote in find_quotes(text):
        assert 0 <= quote.open_mark < quote.start <= quote.end <= quote.close_mark <= len(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("to ban Muslims from entering the U.S.", "to ban Muslims from entering the U.S."),
        ("results after the polls close at 7 p.m.,", "results after the polls close at 7 p.m."),
        ("the office in Washington, D.C. ", "the office in Washington, D.C."),
        ("exports would double.", "exports would double"),
        ("it is in the US.", "it is in the US"),
        ('"We will win."', "We will win"),
    ],
)
def test_trim_edges_keeps_the_period_of_a_dotted_abbreviation(text: str, kept: str) -> None:
    from claimx.attribution.quotes import trim_edges

    start, end = trim_edges(text, 0, len(text))
    assert text[start:end] == kept
