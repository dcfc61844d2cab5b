"""Golden result files pin every record metric; strict spans equal spaCy's scorer."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from claimx.cli import main
from claimx.records import CLAIM_KINDS, ArticleRecord
from evaluation import loaders
from evaluation.score import score_records
from evaluation.spans import add_counts, score_labeled, score_per_label
from evaluation.stance import score_labels

GOLDEN = Path(__file__).resolve().parent / "golden"


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _golden() -> tuple[list[ArticleRecord], list[ArticleRecord], list[str]]:
    golds, _ = loaders.to_records(loaders.load_records(GOLDEN / "gold.jsonl"))
    preds, failed = loaders.to_records(loaders.load_records(GOLDEN / "pred.jsonl"))
    return golds, preds, failed


def test_golden_files_are_valid_records() -> None:
    golds, preds, failed = _golden()
    assert [g.id for g in golds] == ["golden-a", "golden-b", "golden-c"]
    assert [p.id for p in preds] == ["golden-a", "golden-b"] and failed == ["golden-c"]
    for record in golds + preds:
        record.validate()


def test_golden_record_scores() -> None:
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    golds, preds, failed = _golden()
    rs = score_records(golds, preds, failed)
    assert _json(rs.scores) == expected["records"]["scores"]
    assert _json(rs.counts) == expected["records"]["counts"]
    assert [[e.category, e.doc, e.note] for e in rs.examples] == expected["records"]["examples"]


def test_golden_stance_scores_and_bootstrap() -> None:
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    pairs = json.loads((GOLDEN / "stance.json").read_text(encoding="utf-8"))
    assert _json(score_labels(pairs["gold"], pairs["pred"])) == expected["stance"]


def test_golden_worked_example_numbers() -> None:
    """The figures evaluation/README.md derives by hand."""
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    claims = expected["records"]["scores"]["claims"]
    counts = {k: (v["tp"], v["fp"], v["fn"]) for k, v in claims.items()}
    assert counts["content_strict"] == (3, 3, 4)
    assert counts["content_exact"] == (4, 2, 3)
    assert counts["content_overlap"] == (5, 1, 2)
    assert counts["claim_speaker"] == (4, 2, 3)
    assert claims["content_strict"]["f"] == pytest.approx(6 / 13)
    facts = expected["records"]["scores"]["facts"]
    assert [facts[m]["tp"] for m in ("value", "value+unit", "value+bound", "value+time")] == [
        4,
        3,
        4,
        2,
    ]
    assert facts["value+unit"]["f"] == pytest.approx(6 / 11)
    stance = expected["stance"]
    assert stance["accuracy"] == 15 / 24
    assert stance["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 6 / 11) / 3)


def test_evaluate_command_on_golden_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "eval"
    argv = ["evaluate", "--gold", str(GOLDEN / "gold.jsonl"), "--pred", str(GOLDEN / "pred.jsonl")]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "attributed-claim F1 61.5" in printed
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    assert results["scores"] == expected["records"]["scores"]
    assert results["counts"] == expected["records"]["counts"]
    for key in ("date", "claimx_version", "git_hash", "versions", "config", "settings", "gold"):
        assert key in results
    assert results["settings"]["min_overlap"] == 0.5
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 4  # claims by kind, facts by kind, stance by label, confusion
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert '<mark class="gold">the dam is safe</mark>' in page
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "| attributed-claim F1 | 61.5 |" in markdown and "(confusion.svg)" in markdown
    assert (out / "confusion.svg").read_text(encoding="utf-8").startswith("<svg")


def test_min_overlap_setting(tmp_path: Path) -> None:
    golds, preds, failed = _golden()
    # "Prices will fall next year" vs "Prices will fall next year,": 26 / 27 = 0.963.
    assert (
        score_records(golds, preds, failed, min_ratio=0.96).scores["claims"]["content_overlap"][
            "tp"
        ]
        == 5
    )
    assert (
        score_records(golds, preds, failed, min_ratio=0.97).scores["claims"]["content_overlap"][
            "tp"
        ]
        == 4
    )


# -- strict span scores equal spaCy's Scorer.score_spans ----------------------------------


def _spacy_scores(docs: list[tuple[str, list, list]]) -> dict[str, Any]:
    """spaCy's labeled span scores of (text, gold, pred) character spans (token-aligned)."""
    import spacy
    from spacy.scorer import Scorer
    from spacy.training import Example

    nlp = spacy.blank("en")
    examples = []
    for text, gold, pred in docs:
        gold_doc, pred_doc = nlp.make_doc(text), nlp.make_doc(text)
        for doc, spans in ((gold_doc, gold), (pred_doc, pred)):
            made = [doc.char_span(s, e, label=lab, alignment_mode="strict") for s, e, lab in spans]
            assert all(span is not None for span in made), "spans must be token-aligned"
            doc.spans["claims"] = made
        examples.append(Example(pred_doc, gold_doc))
    return Scorer.score_spans(
        examples,
        "claims",
        getter=lambda doc, attr: doc.spans.get(attr, []),
        labeled=True,
        allow_overlap=True,
    )


def _compare(docs: list[tuple[str, list, list]], labels: tuple[str, ...]) -> None:
    theirs = _spacy_scores(docs)
    strict = add_counts(*(score_labeled(g, p, "strict") for _, g, p in docs))
    assert strict["tp"] > 0 and strict["fp"] > 0 and strict["fn"] > 0
    for ours, key in ((strict["p"], "p"), (strict["r"], "r"), (strict["f"], "f")):
        assert ours == pytest.approx(theirs[f"claims_{key}"], abs=1e-12)
    per_doc = [score_per_label(g, p, labels) for _, g, p in docs]
    for label, scores in (theirs["claims_per_type"] or {}).items():
        ours_label = add_counts(*(d[label]["strict"] for d in per_doc))
        for key in ("p", "r", "f"):
            assert ours_label[key] == pytest.approx(scores[key], abs=1e-12), (label, key)


def test_strict_scores_equal_spacy_on_golden_claims() -> None:
    golds, preds, _ = _golden()
    by_id = {p.id: p for p in preds}
    docs = []
    for gold in golds:
        pred = by_id.get(gold.id)
        g = [(c.content.start, c.content.end, c.kind) for c in gold.claims]
        p = [] if pred is None else [(c.content.start, c.content.end, c.kind) for c in pred.claims]
        docs.append((gold.text, g, p))
    _compare(docs, CLAIM_KINDS)
    # The record scorer's content_strict and per-kind exact are the same numbers.
    rs = score_records(golds, preds, ["golden-c"]).scores["claims"]
    theirs = _spacy_scores(docs)
    assert rs["content_strict"]["f"] == pytest.approx(theirs["claims_f"], abs=1e-12)
    for kind, scores in theirs["claims_per_type"].items():
        assert rs[f"kind/{kind}/content_exact"]["f"] == pytest.approx(scores["f"], abs=1e-12)


def test_strict_scores_equal_spacy_on_random_labeled_spans() -> None:
    rng = random.Random(7)
    labels = ("direct", "indirect", "mixed")
    vocab = ["said", "he", "that", "the", "U.S.", "x", "“", "”", "officials", "rose"]
    docs = []
    for _ in range(15):
        words = [rng.choice(vocab) for _ in range(30)]
        text = " ".join(words)
        starts = [0]
        for w in words[:-1]:
            starts.append(starts[-1] + len(w) + 1)

        def spans(
            k: int, starts: list[int] = starts, words: list[str] = words
        ) -> list[tuple[int, int, str]]:
            out = []
            for _ in range(k):
                a = rng.randrange(0, 29)
                b = rng.randrange(a + 1, min(30, a + 6) + 1)
                out.append((starts[a], starts[b - 1] + len(words[b - 1]), rng.choice(labels)))
            return out

        gold = spans(rng.randrange(0, 6))
        pred = [s for s in gold if rng.random() < 0.6] + spans(rng.randrange(0, 4))
        pred += [(s, e, rng.choice(labels)) for s, e, _ in gold if rng.random() < 0.2]
        if pred and rng.random() < 0.3:
            pred.append(pred[0])
        docs.append((text, gold, pred))
    _compare(docs, labels)
