"""Span modes, experts, facts, stance scores and bootstrap, error examples."""

from __future__ import annotations

from typing import Any

import pytest

from claimx.records import ArticleRecord, Expert, Fact, Span, Stance
from evaluation.examples import snippet
from evaluation.experts import score_experts
from evaluation.facts import fact_errors, match_facts, score_facts
from evaluation.spans import score_labeled, score_per_label
from evaluation.stance import bootstrap, confusion, expert_stance_labels, score_labels


def test_score_labeled_modes() -> None:
    gold = [(0, 10, "direct"), (20, 30, "indirect"), (40, 50, "mixed")]
    pred = [(0, 10, "direct"), (20, 30, "mixed"), (41, 50, "mixed"), (60, 70, "direct")]
    strict = score_labeled(gold, pred, "strict")
    exact = score_labeled(gold, pred, "exact")
    overlap = score_labeled(gold, pred, "overlap")
    assert (strict["tp"], strict["fp"], strict["fn"]) == (1, 3, 2)
    assert (exact["tp"], exact["fp"], exact["fn"]) == (2, 2, 1)
    assert (overlap["tp"], overlap["fp"], overlap["fn"]) == (3, 1, 0)
    assert score_labeled(gold, pred, "overlap", min_ratio=0.95)["tp"] == 2  # 9/10 < 0.95
    # One span with two labels is two strict items but one exact item.
    double = score_labeled([(0, 5, "direct")], [(0, 5, "direct"), (0, 5, "mixed")], "strict")
    assert (double["tp"], double["fp"]) == (1, 1)
    assert (
        score_labeled([(0, 5, "direct")], [(0, 5, "mixed"), (0, 5, "direct")], "exact")["fp"] == 0
    )
    per = score_per_label(gold, pred, ("direct", "mixed"))
    assert per["direct"]["strict"]["fp"] == 1 and per["mixed"]["overlap"]["tp"] == 1
    with pytest.raises(ValueError, match="mode"):
        score_labeled(gold, pred, "partial")


def test_score_experts() -> None:
    gold = [
        Expert("Ann Lee", role="economist", organization="Acme Bank"),
        Expert("Bo Chan", role="senator"),
        Expert("experts", kind="group"),
    ]
    pred = [
        Expert("ann  lee", role="Economist", organization="Acme"),
        Expert("Bo Chan", role="governor"),
        Expert("Cy Dee", role="mayor"),
    ]
    s = score_experts(gold, pred)
    assert (s["expert_name"]["tp"], s["expert_name"]["fp"], s["expert_name"]["fn"]) == (2, 1, 1)
    assert (s["expert_role"]["tp"], s["expert_role"]["fp"], s["expert_role"]["fn"]) == (1, 2, 1)
    org = s["expert_organization"]
    assert (org["tp"], org["fp"], org["fn"]) == (0, 1, 1)


def _fact(text: str, surface: str, value: float, unit: str | None, **kw: Any) -> Fact:
    start = text.index(surface)
    kind = kw.pop("kind", "count")
    return Fact(Span(start, start + len(surface), surface), value, unit, kind, **kw)


TEXT = "Sales rose 5% to $2 billion in 2023, about 300 people said, from 2020-2024."


def test_match_facts_prefers_same_unit_and_needs_overlap() -> None:
    gold = [_fact(TEXT, "$2 billion", 2e9, "USD", kind="money")]
    pred = [
        _fact(TEXT, "2 billion", 2e9, "dollar", kind="money"),
        _fact(TEXT, "$2", 2e9, "USD", kind="money"),
        _fact(TEXT, "300 people", 2e9, "USD", kind="money"),  # no overlap
    ]
    assert match_facts(gold, pred) == [(0, 1)]
    # A range matches only a range with the same upper end.
    g = [_fact(TEXT, "2020-2024", 2020.0, "year", kind="date", upper=2024.0, bound="range")]
    assert match_facts(g, [_fact(TEXT, "2020", 2020.0, "year", kind="date")]) == []
    assert match_facts(g, [_fact(TEXT, "2020-2024", 2020.0, "year", kind="date", upper=2024.0)])
    # Relative tolerance 1e-6.
    near = [_fact(TEXT, "$2 billion", 2e9 * (1 + 1e-7), "USD", kind="money")]
    assert match_facts(gold, near) == [(0, 0)]
    far = [_fact(TEXT, "$2 billion", 2e9 * (1 + 1e-5), "USD", kind="money")]
    assert match_facts(gold, far) == []


def test_score_facts_fields_and_slots() -> None:
    gold = [
        _fact(TEXT, "5%", 5.0, "percent", kind="percent", time="2023", source="Ann Lee"),
        _fact(TEXT, "about 300 people", 300.0, "people", bound="approx"),
    ]
    pred = [
        _fact(TEXT, "5%", 5.0, "Percent", kind="percent", time="2024", source="ann lee"),
        _fact(TEXT, "300 people", 300.0, "people", time="2023"),
        _fact(TEXT, "2023", 2023.0, "year", kind="date"),
    ]
    s = score_facts(gold, pred)
    assert (s["value"]["tp"], s["value"]["fp"], s["value"]["fn"]) == (2, 1, 0)
    assert s["value+unit"]["tp"] == 2  # units compare case-insensitively
    assert s["value+bound"]["tp"] == 1
    assert s["value+time"]["tp"] == 0  # 2023 vs 2024; null vs 2023
    assert s["value+source"]["tp"] == 2  # a null equals a null
    assert (s["time"]["tp"], s["time"]["fp"], s["time"]["fn"]) == (0, 2, 1)
    assert (s["source"]["tp"], s["source"]["fp"], s["source"]["fn"]) == (1, 0, 0)
    assert s["kind/date/value+unit"]["fp"] == 1
    errors = fact_errors(gold, pred)
    assert [e["error"] for e in errors] == ["false alarm"]


def test_score_labels_matches_claimx_stance_train() -> None:
    from claimx.stance.train import score_labels as train_scores

    gold = ["favor", "against", "neutral", "favor", "against", "neutral", "favor", "favor"]
    pred = ["favor", "neutral", "neutral", "against", "against", "favor", "favor", "neutral"]
    ours, theirs = score_labels(gold, pred), train_scores(gold, pred)
    assert ours["accuracy"] == theirs["accuracy"]
    assert ours["macro_f1"] == pytest.approx(theirs["macro_f1"], abs=1e-12)
    assert ours["favor_against_f1"] == pytest.approx(theirs["favor_against_f1"], abs=1e-12)
    for label in ("favor", "against", "neutral"):
        assert ours["per_label"][label]["f"] == pytest.approx(theirs["f1"][label], abs=1e-12)
    assert confusion(gold, pred)["matrix"] == [[2, 1, 1, 0], [0, 1, 1, 0], [1, 0, 1, 0]]
    with pytest.raises(ValueError, match="label"):
        score_labels(["favor"], ["pro"])
    with pytest.raises(ValueError, match="gold labels"):
        score_labels(["favor"], [])


def test_macro_f1_averages_present_labels_only() -> None:
    s = score_labels(["favor", "favor"], ["favor", "favor"])
    assert s["macro_f1"] == 1.0 and s["ci"]["macro_f1"] == {"low": 1.0, "high": 1.0}
    none = score_labels(["favor", "against"], ["none", "against"])
    assert none["accuracy"] == 0.5 and none["per_label"]["favor"]["predicted"] == 0
    assert none["confusion"]["matrix"][0][3] == 1


def test_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    gold = ["favor"] * 30 + ["against"] * 20 + ["neutral"] * 10
    pred = ["favor"] * 24 + ["against"] * 6 + ["against"] * 15 + ["neutral"] * 5 + ["favor"] * 10
    one = bootstrap(gold, pred, resamples=500, seed=3)
    assert one == bootstrap(gold, pred, resamples=500, seed=3)
    assert one != bootstrap(gold, pred, resamples=500, seed=4)
    point = score_labels(gold, pred)
    for name in ("accuracy", "macro_f1", "favor_against_f1"):
        assert one[name]["low"] <= point[name] <= one[name]["high"]
        assert one[name]["high"] - one[name]["low"] < 0.4
    assert bootstrap([], [], resamples=10) == {"resamples": 10, "seed": 0, "level": 0.95}


def test_expert_stance_labels_prefers_same_target() -> None:
    gold = ArticleRecord("a", "x", stances=[Stance("Ann Lee", "T", "favor", None, [])])
    pred = ArticleRecord(
        "a",
        "x",
        stances=[Stance("ann lee", "Other", "against"), Stance("Ann Lee", "t", "favor")],
    )
    assert [i["pred"] for i in expert_stance_labels([gold], [pred])] == ["favor"]
    only_other = ArticleRecord("a", "x", stances=[Stance("Ann Lee", "Other", "against")])
    assert [i["pred"] for i in expert_stance_labels([gold], [only_other])] == ["against"]
    assert [i["pred"] for i in expert_stance_labels([gold], [None])] == ["none"]


def test_snippet_context_and_long_spans() -> None:
    text = "word " * 100
    snip, marks = snippet(text, 250, 254, width=20)
    ((start, end, cls),) = marks
    assert snip[start:end] == "word" and cls == "gold"
    assert snip.startswith("…") and snip.endswith("…")
    long_text = "a" * 1000
    snip, marks = snippet(long_text, 10, 990, "pred", max_span=100)
    assert len(marks) == 2 and " … " in snip
    assert all(snip[s:e] == "a" * 50 for s, e, _ in marks)
    assert "\n" not in snippet("one\ntwo three", 4, 7)[0]
    with pytest.raises(ValueError, match="mark"):
        snippet("abc", 0, 1, "red")


def test_cqe_metric_worked_example() -> None:
    from evaluation.newsquant import Quantity, score

    gold = [[Quantity(275.0, "pound-foot", "="), Quantity(3000.0, "revolutions per minute", "=")]]
    pred = [[Quantity(275.0, "pound-foot", "="), Quantity(3000.0, "-", "=")]]
    s = score(gold, pred)
    assert (s["value"]["P"], s["value"]["R"]) == (100.0, 100.0)
    assert (s["value+unit"]["P"], s["value+unit"]["R"]) == (50.0, 50.0)
