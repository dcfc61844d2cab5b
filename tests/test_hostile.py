"""Hostile input: control characters, floods of quote marks, HTML, huge articles, empty text.

Each finishes in bounded time with a valid record or an error record naming the problem.
Very long articles are processed in sections (``claimx.sections``), never rejected or cut.
"""

from __future__ import annotations

import random
import time

import pytest
from spacy.language import Language

import claimx
from claimx.api import ErrorRecord
from claimx.records import ArticleRecord
from claimx.sections import RUN_CHARS, needs_sections, split_sections

QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201f\u2039\u203a\u300c\u300d\u300e\u300f`"
PARAGRAPH = (
    '"Demand will exceed supply for a decade," said David Roche, a strategist at Quantum '
    "Strategy. Exports rose 5% to $2.1bn in 2024, according to the ministry. Roche added that "
    "Japan could export more.\n\n"
)


def extract_in_time(nlp: Language, text: str, seconds: float, **kwargs: object) -> ArticleRecord:
    start = time.perf_counter()
    record = claimx.extract(text, id="hostile", nlp=nlp, **kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.0f} s"
    assert record.text == text
    check_spans(record)
    return record


def check_spans(record: ArticleRecord) -> None:
    """Every span of ``record`` indexes its text (``validate`` less the speaker check)."""
    spans = [m for e in record.experts for m in e.mentions] + [f.span for f in record.facts]
    for claim in record.claims:
        spans += [s for s in (claim.content, claim.cue, claim.speaker_mention) if s is not None]
    for span in spans:
        span.check(record.text)
    assert all(0 <= k < len(record.claims) for s in record.stances for k in s.evidence)


def test_split_sections_prefers_paragraphs_then_sentences_and_covers_the_text() -> None:
    text = PARAGRAPH * 20
    bounds = split_sections(text, 1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(0 < end - start <= 1000 for start, end in bounds)
    assert all(text[:end].endswith("\n\n") for _, end in bounds[:-1])
    one_paragraph = PARAGRAPH.replace("\n\n", " ") * 10
    for _, end in split_sections(one_paragraph, 500)[:-1]:
        assert one_paragraph[:end].endswith((". ", '," ')) or one_paragraph[end - 2] in ".,"
    assert split_sections("x" * 2500, 1000, max_run=10_000) == [
        (0, 1000),
        (1000, 2000),
        (2000, 2500),
    ]


def test_long_runs_without_whitespace_get_sections_of_their_own() -> None:
    text = "Short words here. " + '"' * (3 * RUN_CHARS + 5) + " and then more words."
    bounds = split_sections(text, 100_000)
    assert needs_sections(text) and not needs_sections(PARAGRAPH * 10)
    assert all(end - start <= RUN_CHARS for start, end in bounds[1:-1])
    assert "".join(text[s:e] for s, e in bounds) == text
    with pytest.raises(ValueError, match="at least 1"):
        split_sections(text, 0)


def test_a_long_article_in_sections_has_valid_offsets_and_one_target(nlp: Language) -> None:
    text = PARAGRAPH * 30
    whole = claimx.extract(text, id="long", nlp=nlp)
    record = extract_in_time(nlp, text, 300, section_chars=1_000)
    assert len(split_sections(text, 1_000)) > 5
    assert len(record.claims) == len(whole.claims) >= 30
    assert len(record.facts) == len(whole.facts)
    assert record.claims[-1].content.start > len(text) - len(PARAGRAPH)
    assert [e.name for e in record.experts] == [e.name for e in whole.experts]
    assert record.extra["target"] == whole.extra["target"]
    assert len(record.experts[0].mentions) == len(whole.experts[0].mentions)
    assert {s.speaker for s in record.stances} == {s.speaker for s in whole.stances}
    assert all(0 <= k < len(record.claims) for s in record.stances for k in s.evidence)
    assert all(f.claim is None or 0 <= f.claim < len(record.claims) for f in record.facts)


def test_surnames_in_later_sections_join_the_full_name(nlp: Language) -> None:
    first = PARAGRAPH.replace("David Roche", "Rintaro Inoue").replace("Roche", "Inoue")
    later = '"Prices will fall," Inoue said on Monday.\n\n'
    record = extract_in_time(nlp, first + later * 20, 300, section_chars=300)
    names = [e.name for e in record.experts]
    assert "Rintaro Inoue" in names and "Inoue" not in names
    assert {c.speaker for c in record.claims if "Prices" in c.content.text} == {"Rintaro Inoue"}


def test_ten_thousand_quote_marks(nlp: Language) -> None:
    record = extract_in_time(nlp, '"' * 10_000, 180)
    assert record.claims == [] or all(c.content.text for c in record.claims)


def quote_soup(seed: int = 0, n: int = 6000) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice([*QUOTES, "said", "Roche", " ", "\n", "5%", "."]) for _ in range(n))


def test_quote_marks_of_every_style_with_words(nlp: Language) -> None:
    extract_in_time(nlp, quote_soup(), 180)


def test_quote_soup_speakers_are_experts(nlp: Language) -> None:
    record = claimx.extract(quote_soup(), id="soup", nlp=nlp)
    record.validate()
    for claim in record.claims:
        assert claim.speaker is None or any(ch.isalnum() for ch in claim.speaker)
        mention = claim.speaker_mention
        assert mention is None or any(ch.isalnum() for ch in mention.text)


def test_random_unicode_and_control_characters(nlp: Language) -> None:
    rng = random.Random(1)
    text = "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(5000))
    text += "".join(rng.choice("\t\n\r\x0b\x0c\x85\u2028\u2029\u200b\ufeff") for _ in range(200))
    extract_in_time(nlp, text, 180)
    binary = "".join(chr(rng.randrange(1, 32)) for _ in range(200)) + "text" * 50
    (error,) = claimx.extract_many([binary], nlp=nlp, errors="record")
    assert isinstance(error, ErrorRecord) and "control characters" in error.error


def test_html_page(nlp: Language) -> None:
    body = "".join(
        f'<p class="x">&ldquo;Sales fell {i}%,&rdquo; said <b>Jane Doe</b> of ACME &amp; Co.</p>\n'
        for i in range(40)
    )
    head = "<!DOCTYPE html><html><head><script>var q = '\"';</script></head>"
    page = f"{head}<body>{body}</body></html>"
    extract_in_time(nlp, page, 180)


def test_empty_and_whitespace_texts_are_error_records(nlp: Language) -> None:
    results = list(claimx.extract_many(["", " \n\t ", "\u3000"], nlp=nlp, errors="record"))
    assert [type(r).__name__ for r in results] == ["ErrorRecord"] * 3
    assert all("empty" in r.error for r in results if isinstance(r, ErrorRecord))


@pytest.mark.slow
def test_a_hundred_thousand_quote_marks(nlp: Language) -> None:
    record = extract_in_time(nlp, '"' * 100_000, 1800)
    assert record.text.count('"') == 100_000


@pytest.mark.slow
def test_a_five_megabyte_article(nlp: Language) -> None:
    """5 MB of news text: sectioned (about 50 sections), every offset valid in the full text."""
    import resource

    text = (PARAGRAPH * (5_000_000 // len(PARAGRAPH) + 1))[:5_000_000]
    record = extract_in_time(nlp, text, 3600)
    assert len(record.text) == 5_000_000
    assert len(record.claims) > 10_000
    assert record.claims[-1].content.end > 4_900_000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 6_000, f"peak RSS {peak_mb:.0f} MB"
