"""Transcript turns, dash sign-offs (attributions made by the layout of the page), cue extent."""

from __future__ import annotations

import pytest
from spacy.language import Language

import claimx
from claimx.attribution.layout import sign_offs, transcript_turns

TRANSCRIPT = (
    "Partial transcript as follows:\n\n"
    "\"WALLACE: Let's start with the debate story and the guest list.\n\n"
    '"PENCE: Well, look, the campaign thinks this is a game show.\n\n'
    "UPDATE: The debate starts at nine.\n\n"
    "MR. SMITH: We will be there tomorrow night."
)
SIGN_OFFS = (
    "Readers told us what they thought.\n\n"
    "“He made simple blanket statements about people he knows nothing about.” ― Pamela Padilla\n"
    "“I cannot believe a man like him got this far.”\xa0― Carla Sanchez.\n"
    '"This was a good night for the city," — Jane Doe, a teacher in Ohio\n'
    "“Too short.” ― Bob Brown"
)


def _texts(text: str, found: list) -> list[tuple[str, str, str]]:
    return [tuple(text[a:b] for a, b in spans) for spans in found]


def test_transcript_turns_skip_headings() -> None:
    assert _texts(TRANSCRIPT, transcript_turns(TRANSCRIPT)) == [
        ("WALLACE", ":", "Let's start with the debate story and the guest list."),
        ("PENCE", ":", "Well, look, the campaign thinks this is a game show."),
        ("MR. SMITH", ":", "We will be there tomorrow night."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON: The Senate voted on Tuesday to keep the budget as it was.",
        "Mr. Smith: we will be there.\n\nMs. Jones: so will we.",  # not capitals
        "NOTE: This story was updated.\n\nCORRECTION: An earlier version misspelled a name.",
    ],
)
def test_no_transcript_without_two_speaker_labels(text: str) -> None:
    assert transcript_turns(text) == []


def test_sign_offs() -> None:
    assert _texts(SIGN_OFFS, sign_offs(SIGN_OFFS)) == [
        (
            "Pamela Padilla",
            "―",
            "He made simple blanket statements about people he knows nothing about.",
        ),
        ("Carla Sanchez", "―", "I cannot believe a man like him got this far."),
        ("Jane Doe", "—", "This was a good night for the city,"),
    ]


def test_no_sign_off_inside_running_text() -> None:
    text = "He called it “a disaster” — Smith disagreed, and said so at length."
    assert sign_offs(text) == []


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    return claimx.load(transformer=False, exclude=("claimx_facts", "claimx_stance"))


def test_layout_frames_reach_the_records(rules_nlp: Language) -> None:
    record = claimx.extract(TRANSCRIPT + "\n\n" + SIGN_OFFS, nlp=rules_nlp)
    mentions = [c.speaker_mention.text if c.speaker_mention else None for c in record.claims]
    cues = [c.cue.text if c.cue else None for c in record.claims]
    assert {("WALLACE", ":"), ("PENCE", ":"), ("Pamela Padilla", "―")} <= set(
        zip(mentions, cues, strict=True)
    )
    padilla = record.claims[mentions.index("Pamela Padilla")]
    assert padilla.kind == "direct"
    assert padilla.content.text.startswith("He made simple blanket statements")


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("said in a statement", "said"),
        ("has said on Monday", "has said"),
        ("told reporters", "told reporters"),
        ("said Sunday", "said Sunday"),
        ("pointed to", "pointed to"),
        ("said", "said"),
    ],
)
def test_trim_cue(cue: str, expected: str) -> None:
    from claimx.attribution.component import trim_cue

    text = f"The mayor {cue} that the roads would reopen."
    start = len("The mayor ")
    trimmed = trim_cue(text, [start, start + len(cue)])
    assert text[trimmed[0] : trimmed[1]] == expected


@pytest.mark.parametrize(
    ("phrase", "comma", "expected"),
    [
        ("Caddell, ", True, "Caddell"),
        ("PolitiFact\xa0", True, "PolitiFact"),
        ("Jane Doe, a teacher,", True, "Jane Doe, a teacher,"),
        ("said,", False, "said,"),
        ("  ", True, "  "),
    ],
)
def test_tidy_span(phrase: str, comma: bool, expected: str) -> None:
    from claimx.attribution.component import tidy_span

    text = f"Then {phrase} spoke."
    start = len("Then ")
    tidied = tidy_span(text, [start, start + len(phrase)], comma=comma)
    assert text[tidied[0] : tidied[1]] == expected
