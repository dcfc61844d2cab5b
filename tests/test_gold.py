"""The hand-made gold record of the reference article."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

import pytest

from claimx.paths import corpora_dir
from claimx.records import ArticleRecord, read_records

SEED = corpora_dir() / "seed"
GOLD = SEED / "japan-arms-exports.gold.jsonl"
TEXT = SEED / "japan-arms-exports.txt"


def _build_gold() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gold", SEED / "build_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gold() -> ArticleRecord:
    records = list(read_records(GOLD))
    assert len(records) == 1
    return records[0]


def test_gold_parses_and_validates(gold: ArticleRecord) -> None:
    assert gold.id == "seed-japan-arms-exports"
    assert gold.text == TEXT.read_bytes().decode("utf-8")
    gold.validate()
    assert GOLD.read_text(encoding="utf-8").count("\n") == 1


def test_build_script_reproduces_the_file() -> None:
    assert _build_gold().render() == GOLD.read_text(encoding="utf-8")


def test_every_speaker_is_an_expert(gold: ArticleRecord) -> None:
    names = {e.name for e in gold.experts}
    assert all(c.speaker in names for c in gold.claims)
    assert all(f.source is None or f.source in names for f in gold.facts)
    assert all(s.speaker in names for s in gold.stances)


def test_experts(gold: ArticleRecord) -> None:
    experts = {e.name: e for e in gold.experts}
    expected = {
        "Rintaro Inoue": ("person", "research associate", "Institute of Geoeconomics"),
        "Naoko Aoki": ("person", "political scientist", "RAND"),
        "David Roche": ("person", "strategist", "Quantum Strategy"),
        "Pete Hegseth": ("person", "Defense Secretary", "U.S."),
        "Gen Nakatani": ("person", "Defense Minister", None),
        "Stockholm International Peace Research Institute": ("organization", None, None),
        "experts": ("group", None, None),
    }
    assert set(experts) == set(expected)
    for name, (kind, role, org) in expected.items():
        assert (experts[name].kind, experts[name].role, experts[name].organization) == (
            kind,
            role,
            org,
        )
    inoue = [m.text for m in experts["Rintaro Inoue"].mentions]
    assert inoue == ["Rintaro Inoue", "he", "Inoue", "Inoue", "Inoue", "he"]
    assert "IOG’s" not in "".join(inoue)


def test_claims(gold: ArticleRecord) -> None:
    claims = gold.claims
    assert len(claims) == 19
    kinds = [c.kind for c in claims]
    assert (kinds.count("direct"), kinds.count("indirect"), kinds.count("mixed")) == (8, 9, 2)
    by_start = {c.content.text.split()[0]: c for c in claims}
    sipri = next(c for c in claims if c.cue and c.cue.text == "according to")
    assert sipri.speaker == "Stockholm International Peace Research Institute"
    assert sipri.content.text.startswith("As of 2024") and sipri.content.text.endswith("exports")
    aoki = claims[-1]
    assert (aoki.speaker, aoki.kind) == ("Naoko Aoki", "mixed")
    assert aoki.content.text.startswith("“Japan has the technical capacity")
    hegseth = by_start["We"]
    assert (hegseth.speaker, hegseth.speaker_mention and hegseth.speaker_mention.text) == (
        "Pete Hegseth",
        "Pete Hegseth",
    )
    experts = next(c for c in claims if c.speaker == "experts")
    assert experts.cue is not None and experts.cue.text == "told"
    for claim in claims:
        if claim.kind == "direct":
            text = claim.content.text
            assert text[0] not in '“”"' and text[-1] not in '“”"'
            assert gold.text[claim.content.start - 1] == "“"
            assert gold.text[claim.content.end] == "”"
    he = [c for c in claims if c.speaker_mention and c.speaker_mention.text == "he"]
    assert [c.speaker for c in he] == ["Rintaro Inoue", "David Roche", "Rintaro Inoue"]


def test_facts(gold: ArticleRecord) -> None:
    facts = {(f.span.text, f.span.start): f for f in gold.facts}
    assert len(gold.facts) == 20
    texts = [f.span.text for f in gold.facts]
    for surface in ("21 million TIV", "0.1%", "936 million TIV", "3.3%", "1.13 billion", "3.9%"):
        assert surface in texts
    assert texts.count("2023") == 3 and texts.count("2024") == 2
    assert not {"F-35", "SPY-7", "9", "35", "7"} & set(texts)
    tiv = next(f for (t, _), f in facts.items() if t == "21 million TIV")
    assert (tiv.value, tiv.unit, tiv.kind, tiv.time, tiv.subject) == (
        21_000_000.0,
        "TIV",
        "quantity",
        "2024",
        "Japan's arms exports",
    )
    assert tiv.source == "Stockholm International Peace Research Institute"
    assert tiv.claim is not None
    cue = gold.claims[tiv.claim].cue
    assert cue is not None and cue.text == "according to"
    companies = next(f for f in gold.facts if f.span.text == "more than 100 companies")
    assert (companies.value, companies.bound, companies.unit, companies.kind) == (
        100.0,
        "lower",
        "company",
        "count",
    )
    decade = next(f for f in gold.facts if f.span.text == "a decade")
    assert (decade.value, decade.unit, decade.kind) == (10.0, "year", "duration")
    years = next(f for f in gold.facts if f.span.text == "2020-2024")
    assert (years.value, years.upper, years.bound, years.kind) == (2020.0, 2024.0, "range", "date")
    for fact in gold.facts:
        if fact.kind == "date":
            assert fact.unit == "year"
        if fact.kind == "percent":
            assert fact.unit == "percent"


def test_stances(gold: ArticleRecord) -> None:
    labels = {s.speaker: s.label for s in gold.stances}
    assert labels == {"David Roche": "favor", "Rintaro Inoue": "against", "Naoko Aoki": "neutral"}
    for stance in gold.stances:
        assert stance.target == "Japan can become a major global arms exporter"
        assert stance.evidence
        assert all(gold.claims[i].speaker == stance.speaker for i in stance.evidence)


def test_gold_line_is_plain_json() -> None:
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    assert ArticleRecord.from_dict(data).to_dict() == data


# -- the Wikinews corpus ---------------------------------------------------------------------

WIKINEWS = corpora_dir() / "wikinews"


def _wikinews_builder() -> ModuleType:
    path = WIKINEWS / "build_gold.py"
    spec = importlib.util.spec_from_file_location("wikinews_build_gold", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wikinews_gold_is_built_from_the_annotations() -> None:
    builder = _wikinews_builder()
    records, errors = builder.build_all(strict=False)
    assert errors == []
    assert builder.render(records) == (WIKINEWS / "wikinews.gold.jsonl").read_text("utf-8")


def test_wikinews_gold_covers_every_article_with_a_target_and_stances() -> None:
    articles = _wikinews_builder().read_articles()
    gold = {r.id: r for r in read_records(WIKINEWS / "wikinews.gold.jsonl")}
    assert len(gold) >= 25
    assert set(gold) == set(articles)
    for rid, record in gold.items():
        assert record.text == articles[rid]["text"]
        record.validate()
        assert record.extra.get("target"), rid
        experts = {e.name for e in record.experts}
        assert all(c.speaker is None or c.speaker in experts for c in record.claims), rid
        assert {s.speaker for s in record.stances} == experts, rid


def test_wikinews_annotation_errors_name_the_article() -> None:
    builder = _wikinews_builder()
    article = {"id": "x", "text": "He said it rained."}
    bad = {
        "id": "x",
        "experts": [],
        "claims": [
            {
                "key": "k",
                "speaker": None,
                "mention": None,
                "cue": ["said", 0],
                "content": ["snowed", 0],
                "kind": "indirect",
            }
        ],
    }
    with pytest.raises(builder.AnnotationError, match="x claim 'k'"):
        builder.build_record(article, bad)
