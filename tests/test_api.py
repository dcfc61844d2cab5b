"""extract_many: order, per-item errors, and one failing doc not failing its batch."""

from __future__ import annotations

from typing import Any

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import claimx
from claimx.api import ErrorRecord


@Language.component("test_fail_on_boom")
def fail_on_boom(doc: Doc) -> Doc:
    if "BOOM" in doc.text:
        raise RuntimeError("component failed")
    return doc


@pytest.fixture(scope="module")
def tiny_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("test_fail_on_boom")
    return nlp


def test_one_failing_doc_does_not_fail_its_batch(tiny_nlp: Language) -> None:
    items = [{"id": "a", "text": "fine one"}, {"id": "b", "text": "BOOM"}, "fine two", "  "]
    out = list(claimx.extract_many(items, nlp=tiny_nlp, batch_size=8, errors="record"))
    assert [type(r).__name__ for r in out] == [
        "ArticleRecord",
        "ErrorRecord",
        "ArticleRecord",
        "ErrorRecord",
    ]
    assert [r.id for r in out] == ["a", "b", "doc-2", "doc-3"]
    assert isinstance(out[1], ErrorRecord) and "component failed" in out[1].error
    assert isinstance(out[3], ErrorRecord) and "empty" in out[3].error


def test_errors_raise_stops_at_the_bad_item(tiny_nlp: Language) -> None:
    with pytest.raises(ValueError, match="no 'text' field"):
        list(claimx.extract_many([{"id": "x"}], nlp=tiny_nlp))
    with pytest.raises(RuntimeError):
        list(claimx.extract_many(["BOOM"], nlp=tiny_nlp))


def test_target_is_recorded(tiny_nlp: Language) -> None:
    (record,) = claimx.extract_many([{"id": "t", "text": "x y", "target": " T "}], nlp=tiny_nlp)
    assert not isinstance(record, ErrorRecord)
    assert (record.extra["target"], record.extra["target_source"]) == ("T", "caller")
    with pytest.raises(ValueError, match="target is empty"):
        claimx.extract("x y", target=" ", nlp=tiny_nlp)


class BatchRecorder:
    """A pipe that records the batches ``nlp.pipe`` hands it, per call."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, doc: Doc) -> Doc:
        self.calls.append([1])
        return doc

    def pipe(self, stream: Any, *, batch_size: int = 128) -> Any:
        from spacy.util import minibatch

        self.calls.append([])
        for batch in minibatch(stream, batch_size):
            self.calls[-1].append(len(batch))
            yield from batch


@Language.factory("test_batch_recorder")
def make_batch_recorder(nlp: Language, name: str) -> BatchRecorder:
    return BatchRecorder()


def test_each_pipe_call_holds_several_batches() -> None:
    """The transformer overlaps its encoding with the other pipes only across the batches
    of one ``nlp.pipe`` call, so ``extract_many`` and the batch runner make several."""
    from claimx.api import PIPE_BATCHES, as_item
    from claimx.batch import Options, process_items

    nlp = spacy.blank("en")
    recorder: BatchRecorder = nlp.add_pipe("test_batch_recorder")  # type: ignore[assignment]
    texts = [f"Text number {i}." for i in range(2 * PIPE_BATCHES + 1)]
    out = list(claimx.extract_many(texts, nlp=nlp, batch_size=2))
    assert len(out) == len(texts)
    assert recorder.calls == [[2] * PIPE_BATCHES, [1]]
    recorder.calls.clear()
    items = [as_item(t, i) for i, t in enumerate(texts[: 2 * PIPE_BATCHES])]
    assert len(process_items(nlp, items, Options())) == len(items)
    assert recorder.calls == [[2] * PIPE_BATCHES]


def test_extract_many_lets_go_of_the_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call's docs wait for its last one; their transformer output and token tensor are
    dropped as each comes out of the pipeline (no record reads them)."""
    from spacy_transformers.pipeline_component import install_extensions

    import claimx.api

    install_extensions()
    nlp = spacy.blank("en")
    kept: list[Doc] = []

    @Language.component("test_fake_transformer_output")
    def fake_output(doc: Doc) -> Doc:
        doc._.trf_data = "a large tensor"
        doc.tensor = numpy.ones((len(doc), 4), dtype="float32")
        kept.append(doc)
        return doc

    nlp.add_pipe("test_fake_transformer_output")
    seen: list[Any] = []
    record_from_doc = claimx.api.record_from_doc

    def recording(doc: Doc, id: str | None = None) -> Any:
        seen.append(doc._.trf_data)
        return record_from_doc(doc, id)

    monkeypatch.setattr(claimx.api, "record_from_doc", recording)
    out = list(claimx.extract_many(["One text.", "Another text."], nlp=nlp))
    assert len(out) == 2 and len(kept) == 2
    assert seen == [None, None]
    assert [doc._.trf_data for doc in kept] == [None, None]
    assert [doc.tensor.size for doc in kept] == [0, 0]


def test_retries_wait_for_the_failed_streams_encoding(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A doc failing a pipe after the transformer fails its batch; the one-by-one retries
    must not run beside the transformer's encoding thread (on a bf16 CPU the two raced on
    the packed weights, and good articles came back as errors)."""
    import threading

    from claimx import api
    from claimx.pipeline import CLAIMX_PIPES, TAGGER

    trf_nlp = claimx.load(exclude=(TAGGER, *CLAIMX_PIPES))
    trf_nlp.add_pipe("test_fail_on_boom")
    alive: list[list[str]] = []
    process = api._process

    def recording(*args: Any) -> Any:
        names = [t.name for t in threading.enumerate() if t.is_alive()]
        alive.append([n for n in names if n.startswith("claimx-transformer")])
        return process(*args)

    monkeypatch.setattr(api, "_process", recording)
    items = [f"Smith said the plan number {i} was fine." for i in range(12)]
    items[1] = "BOOM said Smith."
    out = list(claimx.extract_many(items, nlp=trf_nlp, batch_size=2, errors="record"))
    assert [isinstance(r, ErrorRecord) for r in out] == [i == 1 for i in range(12)]
    assert alive and all(not names for names in alive)
