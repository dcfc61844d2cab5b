"""Span matching, claim scoring and the PolNeAR scorer on small hand-made data."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from claimx.paths import REPO_ROOT, shared_dir
from claimx.records import ArticleRecord, Claim, Expert, Span

if str(REPO_ROOT) not in sys.path:  # `evaluation` is a repo folder, not an installed package
    sys.path.insert(0, str(REPO_ROOT))

from evaluation import polnear  # noqa: E402
from evaluation.claims import score_claims, score_corpus  # noqa: E402
from evaluation.spans import (  # noqa: E402
    add_counts,
    exact_match,
    match_spans,
    overlap_match,
    overlap_ratio,
    prf,
    score_spans,
)


def test_exact_match() -> None:
    assert exact_match((3, 9), (3, 9))
    assert not exact_match((3, 9), (3, 10))
    assert not exact_match((3, 9), (2, 9))


def test_overlap_ratio_worked_examples() -> None:
    # The docstring's example: 10 shared chars over the longer span (20 chars).
    assert overlap_ratio((10, 30), (20, 35)) == 0.5
    assert overlap_match((10, 30), (20, 35))
    assert overlap_ratio((10, 30), (0, 40)) == 0.5
    assert overlap_match((10, 30), (0, 40))
    assert overlap_ratio((10, 30), (0, 50)) == 0.4
    assert not overlap_match((10, 30), (0, 50))
    assert overlap_match((10, 30), (0, 50), min_ratio=0.4)
    # Touching spans share nothing; empty spans never match.
    assert overlap_ratio((0, 5), (5, 9)) == 0.0
    assert not overlap_match((0, 5), (5, 9))
    assert not overlap_match((4, 4), (4, 4))
    with pytest.raises(ValueError, match="min_ratio"):
        overlap_match((0, 1), (0, 1), min_ratio=0.0)


def test_greedy_matching_is_one_to_one() -> None:
    gold = [(0, 10), (20, 30)]
    pred = [(0, 9), (1, 10), (21, 30), (40, 50)]
    # (0, 9) and (1, 10) both overlap gold 0 at 0.9: the earlier prediction wins, once.
    assert match_spans(gold, pred, min_ratio=0.5) == [(0, 0), (1, 2)]
    assert match_spans(gold, pred) == []
    # The best ratio is taken first even when it comes later in the list.
    assert match_spans([(0, 10)], [(0, 6), (0, 10)], min_ratio=0.5) == [(0, 1)]
    assert match_spans([(0, 10)], [(0, 10)], compatible=lambda i, j: False) == []


def test_prf_and_micro_sums() -> None:
    assert prf(2, 1, 1) == pytest.approx(
        {"p": 2 / 3, "r": 2 / 3, "f": 2 / 3, "tp": 2, "fp": 1, "fn": 1}
    )
    assert prf(0, 0, 0) == {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 0, "fn": 0}
    total = add_counts(prf(1, 0, 1), prf(1, 2, 0))
    assert (total["tp"], total["fp"], total["fn"]) == (2, 2, 1)
    assert total["p"] == 0.5


def test_score_spans_exact_and_overlap() -> None:
    gold = [(0, 10), (20, 30), (40, 44)]
    pred = [(0, 10), (0, 10), (22, 30), (60, 70)]  # duplicates count once
    exact = score_spans(gold, pred)
    assert (exact["tp"], exact["fp"], exact["fn"]) == (1, 2, 2)
    loose = score_spans(gold, pred, min_ratio=0.5)
    assert (loose["tp"], loose["fp"], loose["fn"]) == (2, 1, 1)


def _random_docs(seed: int, n_docs: int = 12) -> list[tuple[list[str], list, list]]:
    """Token lists with gold and predicted (start, end) token spans."""
    rng = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        words = [
            rng.choice(["said", "he", "that", "the", "U.S.", "“", "”", "x"]) for _ in range(30)
        ]

        def spans(k: int) -> list[tuple[int, int]]:
            out = []
            for _ in range(k):
                start = rng.randrange(0, 29)
                out.append((start, rng.randrange(start + 1, min(30, start + 6) + 1)))
            return out

        gold = spans(rng.randrange(0, 6))
        pred = gold[: rng.randrange(0, len(gold) + 1)] + spans(rng.randrange(0, 4))
        if pred and rng.random() < 0.3:
            pred.append(pred[0])  # a duplicate
        docs.append((words, gold, pred))
    return docs


def test_strict_scores_equal_spacy_score_spans() -> None:
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.vocab import Vocab

    vocab = Vocab()
    examples = []
    ours = []
    for words, gold, pred in _random_docs(0):
        gold_doc, pred_doc = Doc(vocab, words=words), Doc(vocab, words=words)
        gold_doc.spans["content"] = [gold_doc[s:e] for s, e in gold]
        pred_doc.spans["content"] = [pred_doc[s:e] for s, e in pred]
        examples.append(Example(pred_doc, gold_doc))

        def chars(doc: Doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
            return [(doc[s:e].start_char, doc[s:e].end_char) for s, e in spans]

        ours.append(score_spans(chars(gold_doc, gold), chars(pred_doc, pred)))
    theirs = Scorer.score_spans(
        examples,
        "content",
        getter=lambda doc, attr: doc.spans.get(attr, []),
        labeled=False,
        allow_overlap=True,
    )
    total = add_counts(*ours)
    assert total["tp"] > 0 and total["fp"] > 0 and total["fn"] > 0
    assert total["p"] == pytest.approx(theirs["content_p"])
    assert total["r"] == pytest.approx(theirs["content_r"])
    assert total["f"] == pytest.approx(theirs["content_f"])


TEXT = "“Demand will rise,” he said. Roche said that exports grow. Aoki warned of costs."


def _span(text: str, surface: str, after: str = "") -> Span:
    """Span of ``surface``, searched from the first occurrence of ``after``."""
    start = text.index(surface, text.index(after) if after else 0)
    return Span(start, start + len(surface), surface)


def _record(claims: list[Claim]) -> ArticleRecord:
    names = {c.speaker for c in claims if c.speaker}
    return ArticleRecord("t1", TEXT, experts=[Expert(n) for n in sorted(names)], claims=claims)


def _claim(speaker: str | None, mention: str, content: str, cue: Span, kind: str) -> Claim:
    return Claim(speaker, _span(TEXT, mention), _span(TEXT, content), cue, kind)


def test_score_claims() -> None:
    said_1, said_2 = _span(TEXT, "said"), _span(TEXT, "said", after="Roche")
    gold = _record(
        [
            _claim("David Roche", "he", "Demand will rise,", said_1, "direct"),
            _claim("David Roche", "Roche", "exports grow", said_2, "indirect"),
            _claim("Naoko Aoki", "Aoki", "of costs", _span(TEXT, "warned"), "indirect"),
        ]
    )
    pred = _record(
        [
            _claim("david  roche", "he", "Demand will rise", said_1, "direct"),  # no comma
            _claim("Rintaro Inoue", "Roche", "that exports grow", said_2, "indirect"),
        ]
    )
    gold.validate()
    pred.validate()
    s = score_claims(gold, pred)
    assert s["content_exact"]["tp"] == 0
    # 16/17 and 12/17 of the longer span: both match at 0.5.
    assert (s["content_overlap"]["tp"], s["content_overlap"]["fn"]) == (2, 1)
    assert (s["cue_exact"]["tp"], s["cue_exact"]["fn"]) == (2, 1)
    assert s["speaker_mention_exact"]["tp"] == 2
    # Speakers compare case- and space-insensitively; Inoue is the wrong speaker.
    assert (s["claim_speaker"]["tp"], s["claim_speaker"]["fp"]) == (1, 1)
    assert s["kind/direct/content_overlap"]["f"] == 1.0
    assert s["kind/indirect/content_overlap"]["tp"] == 1
    assert s["kind/mixed/content_overlap"]["tp"] == 0
    micro = score_corpus([gold, gold], [pred])  # both golds pair with the one prediction
    assert micro["content_overlap"]["tp"] == 4
    micro = score_corpus([gold, ArticleRecord("t2", TEXT, claims=gold.claims)], [pred])
    assert micro["content_overlap"]["fn"] == 1 + 3  # t2 has no prediction


def test_score_claims_rejects_other_text() -> None:
    gold = _record([])
    other = ArticleRecord("t1", TEXT + " more")
    with pytest.raises(ValueError, match="differs"):
        score_claims(gold, other)


def _write_polnear(folder: Path) -> None:
    text = "“It works,” she said. Officials said that taxes rise."
    articles = [
        {"id": "polnear-a", "text": text, "split": "dev", "headline_raw": "Taxes"},
        {"id": "polnear-b", "text": "Nothing here.", "split": "train", "headline_raw": "x"},
    ]

    def sp(surface: str, after: str = "") -> dict[str, object]:
        span = _span(text, surface, after)
        return {"start": span.start, "end": span.end, "text": surface}

    headline = {"start": 0, "end": 5, "text": "Taxes", "in_headline": True}
    first = {
        "id": "polnear-a",
        "annotator": "a1",
        "attributions": [
            {
                "type": "Attribution",
                "source": [sp("she")],
                "cue": [sp("said")],
                "content": [sp("“It works,”")],
            },
            {
                "type": "Attribution",
                "source": [sp("Officials")],
                "cue": [sp("said", "Officials")],
                "content": [sp("taxes"), sp("rise"), headline],
            },
        ],
    }
    second = {"id": "polnear-a", "annotator": "a2", "attributions": []}
    lines = [json.dumps(a) for a in articles]
    (folder / "polnear.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ann = [
        json.dumps(first),
        json.dumps(second),
        json.dumps({"id": "polnear-b", "attributions": []}),
    ]
    (folder / "polnear_attributions.jsonl").write_text("\n".join(ann) + "\n", encoding="utf-8")


def test_polnear_scorer_on_hand_made_data(tmp_path: Path) -> None:
    _write_polnear(tmp_path)
    golds = polnear.load_polnear("dev", folder=tmp_path)
    assert [g.id for g in golds] == ["polnear-a"]
    gold = golds[0]
    text = gold.text
    # Discontinuous content: two fragments; the headline span is dropped.
    assert [text[s:e] for s, e in gold.content] == ["“It works,”", "taxes", "rise"]
    assert [text[s:e] for s, e in gold.source] == ["she", "Officials"]

    pred = ArticleRecord(
        "polnear-a",
        text,
        claims=[
            Claim(
                None, _span(text, "she"), _span(text, "It works,"), _span(text, "said"), "direct"
            ),
            Claim(None, _span(text, "Officials"), _span(text, "taxes rise"), None, "indirect"),
        ],
    )
    report = polnear.score_predictions(golds, {"polnear-a": pred})
    s = report.scores
    assert (s["source_exact"]["tp"], s["source_exact"]["fn"]) == (2, 0)
    assert (s["cue_exact"]["tp"], s["cue_exact"]["fn"]) == (1, 1)
    # "It works," is widened over its marks to PolNeAR's "“It works,”" and matches exactly.
    assert (s["content_exact"]["tp"], s["content_exact"]["fp"]) == (1, 1)
    # "taxes rise" is widened over its "that": "that taxes rise" vs "taxes" is 5/15 < 0.5.
    assert (s["content_overlap"]["tp"], s["content_overlap"]["fn"]) == (1, 2)
    assert (report.docs, report.raised, report.lost) == (1, 0, 0)

    raised = polnear.score_predictions(golds, {}, raised={"polnear-a"})
    lost = polnear.score_predictions(golds, {})
    assert (raised.raised, lost.lost) == (1, 1)
    assert lost.scores["content_exact"]["fn"] == 3

    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text(pred.to_json() + "\n" + json.dumps({"id": "x", "error": "bad"}) + "\n")
    records, errors = polnear.read_predictions(pred_file)
    assert set(records) == {"polnear-a"} and errors == {"x"}
    assert "content_overlap" in polnear.format_table(report)


POLNEAR = shared_dir() / "corpora" / "polnear" / "polnear.jsonl"


@pytest.mark.skipif(not POLNEAR.exists(), reason="shared PolNeAR corpus not available")
def test_polnear_loader_on_the_real_dev_split() -> None:
    golds = polnear.load_polnear("dev", limit=5)
    assert len(golds) == 5
    for gold in golds:
        assert gold.content and gold.cue
        for start, end in gold.source + gold.cue + gold.content:
            assert 0 <= start < end <= len(gold.text)


def test_use_scheme_sets_the_attribution_pipe_and_names_a_bad_scheme() -> None:
    import spacy

    from evaluation.polnear import POLNEAR_O_BIAS, use_scheme

    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("claimx_tagger")
    pipe = nlp.add_pipe("claimx_attribution")
    assert use_scheme(nlp) is nlp and pipe.nominal_claims is True
    assert pipe.merge_config().sourceless is True and pipe.merge_config().window == 1
    assert tagger.o_bias == POLNEAR_O_BIAS < 0
    assert use_scheme(nlp, "records").get_pipe("claimx_attribution").nominal_claims is False
    assert pipe.merge_options == {} and pipe.merge_config().sourceless is False
    assert tagger.o_bias == 0.0
    with pytest.raises(ValueError, match="'propbank'"):
        use_scheme(nlp, "propbank")
