"""``claimx_tagger``: a trainable BIO tagger for attribution SOURCE, CUE and CONTENT spans.

The default model listens to the pipeline's ``transformer`` (MiniLM) with ``grad_factor = 0``:
the encoder stays frozen and only the small head (:mod:`claimx.tagger.model`) is trained.
``set_annotations`` decodes the best BIO sequence (Viterbi under the BIO constraint) into
``doc.spans[spans_key]`` and the mean tag probability of each span into
``doc._.claimx_tagged_scores`` (a list of floats, one per span, in the same order).
``o_bias`` (default 0) is added to the log-probability of ``O`` before the decoding: below
zero the tagger finds more and longer spans (recall for precision), e.g. for PolNeAR's
scheme (:mod:`evaluation.polnear`); the span probabilities stay the model's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, SequenceCategoricalCrossentropy, set_dropout_rate
from thinc.types import Floats2d

from . import features as _features  # noqa: F401  (registers claimx.AttributionFeatures.v1)
from .data import LABELS, bio_decode, bio_encode, tag_names, token_bounds, viterbi_bio
from .model import keep_chunk_size  # (importing registers claimx.SpanTagger.v1 and v2)

SPANS_KEY = "claimx_tagged"
SCORES_ATTR = "claimx_tagged_scores"

PREDICT_TOKENS = 6000
"""At prediction the model reads a batch's docs in groups of at most this many tokens (a
longer doc alone), so that its activations stay bounded whatever the articles' length: 8 of
the longest BBC articles (26,781 tokens) at once took about 480 MB over the pipeline's other
needs. A batch of 8 news articles of usual length (about 3,600 tokens) is one group. The
probabilities do not depend on the grouping, up to float rounding (every layer, the BiLSTM
too, reads each doc on its own: :func:`claimx.tagger.model.per_sequence`)."""

DEFAULT_CONFIG_STR = """
[model]
@architectures = "claimx.SpanTagger.v1"
width = 128
depth = 1
window_size = 1
maxout_pieces = 2
lstm_depth = 1
chunk_size = 64
dropout = 0.1

[model.tok2vec]
@architectures = "spacy-transformers.TransformerListener.v1"
grad_factor = 0.0
upstream = "transformer"

[model.tok2vec.pooling]
@layers = "reduce_mean.v1"
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_CONFIG_STR)["model"]


def token_groups(docs: Sequence[Doc], size: int) -> Iterator[list[Doc]]:
    """``docs`` in order, in consecutive groups of at most ``size`` tokens; a doc longer
    than ``size`` makes a group of its own."""
    group: list[Doc] = []
    tokens = 0
    for doc in docs:
        if group and tokens + len(doc) > size:
            yield group
            group, tokens = [], 0
        group.append(doc)
        tokens += len(doc)
    if group:
        yield group


def tagger_score(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """Exact span P/R/F1 of ``doc.spans[spans_key]``, overall and per label."""
    key = kwargs.pop("spans_key", SPANS_KEY)
    kwargs.setdefault("allow_overlap", True)
    return Scorer.score_spans(
        examples,
        attr=f"spans_{key}",
        getter=lambda doc, attr: doc.spans.get(attr[len("spans_") :], []),
        has_annotation=lambda doc: key in doc.spans,
        **kwargs,
    )


@registry.scorers("claimx.tagger_scorer.v1")
def make_tagger_scorer() -> Callable[..., dict[str, Any]]:
    return tagger_score


@Language.factory(
    "claimx_tagger",
    assigns=["doc.spans", f"doc._.{SCORES_ATTR}"],
    default_config={
        "model": DEFAULT_MODEL,
        "spans_key": SPANS_KEY,
        "o_bias": 0.0,
        "scorer": {"@scorers": "claimx.tagger_scorer.v1"},
    },
    default_score_weights={f"spans_{SPANS_KEY}_f": 1.0},
)
def make_tagger(
    nlp: Language,
    name: str,
    model: Model[list[Doc], list[Floats2d]],
    spans_key: str,
    o_bias: float,
    scorer: Callable[..., dict[str, Any]] | None,
) -> SpanTagger:
    """Build a :class:`SpanTagger`."""
    return SpanTagger(nlp.vocab, model, name, spans_key=spans_key, o_bias=o_bias, scorer=scorer)


def register_tagger_extensions() -> None:
    """Register ``doc._.claimx_tagged_scores`` once."""
    if not Doc.has_extension(SCORES_ATTR):
        Doc.set_extension(SCORES_ATTR, default=None)


class SpanTagger(TrainablePipe):
    """Tags tokens B-/I- SOURCE, CUE, CONTENT or O and writes the decoded spans."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model[list[Doc], list[Floats2d]],
        name: str = "claimx_tagger",
        *,
        spans_key: str = SPANS_KEY,
        o_bias: float = 0.0,
        scorer: Callable[..., dict[str, Any]] | None = tagger_score,
    ) -> None:
        register_tagger_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: dict[str, Any] = {"labels": [], "spans_key": spans_key}
        self.o_bias = float(o_bias)
        """Added to the log-probability of ``O`` before decoding (below 0: more spans)."""

    @property
    def labels(self) -> tuple[str, ...]:
        """The span labels (``SOURCE``, ``CUE``, ``CONTENT`` once initialized)."""
        return tuple(self.cfg["labels"])

    @property
    def label_data(self) -> tuple[str, ...]:
        return self.labels

    @property
    def tags(self) -> list[str]:
        """The BIO tag names, in the order of the model's outputs."""
        return tag_names(self.labels)

    @property
    def spans_key(self) -> str:
        return str(self.cfg["spans_key"])

    def add_label(self, label: str) -> int:
        """Add a span label; returns 1 if it is new, 0 if it was known."""
        if not isinstance(label, str) or not label or "-" in label:
            raise ValueError(f"a span label must be a non-empty string without '-', not {label!r}")
        if label in self.labels:
            return 0
        self._allow_extra_label()
        self.cfg["labels"].append(label)
        self.vocab.strings.add(label)
        return 1

    def predict(self, docs: Iterable[Doc]) -> list[Floats2d]:
        """Tag probabilities per token, one array per doc; the docs are not changed."""
        docs = list(docs)
        self._require_labels()
        width = len(self.tags)
        scores: list[Floats2d] = []
        for group in token_groups(docs, PREDICT_TOKENS):
            if any(len(doc) for doc in group):
                scores += self.model.predict(group)
            else:
                scores += [self.model.ops.alloc2f(0, width) for _ in group]
        return [self.model.ops.to_numpy(s) for s in scores]

    def decode(self, doc: Doc, scores: Floats2d) -> list[tuple[Span, float]]:
        """The spans of the best BIO sequence (``O`` shifted by :attr:`o_bias`), each with its
        mean tag probability (the model's, unshifted)."""
        probs = numpy.asarray(scores, dtype="float32")
        if len(doc) == 0 or probs.shape[0] == 0:
            return []
        names = self.tags
        index = {name: i for i, name in enumerate(names)}
        log_probs = numpy.log(probs + 1e-8)
        if self.o_bias:
            log_probs[:, index["O"]] += self.o_bias
        tags = viterbi_bio(log_probs, names)
        out = []
        for label, begin, end in bio_decode(tags):
            p = float(numpy.mean([probs[t, index[tags[t]]] for t in range(begin, end)]))
            out.append((Span(doc, begin, end, label=label), p))
        return out

    def set_annotations(self, docs: Iterable[Doc], scores: list[Floats2d]) -> None:
        """Write the decoded spans into ``doc.spans[spans_key]`` and their probabilities."""
        for doc, doc_scores in zip(docs, scores, strict=True):
            found = self.decode(doc, doc_scores)
            doc.spans[self.spans_key] = [span for span, _ in found]
            doc._.set(SCORES_ATTR, [round(p, 4) for _, p in found])

    def gold_tags(self, example: Example) -> list[str | None]:
        """BIO tags of the predicted tokens from the reference's ``spans_key`` group."""
        ref = example.reference
        if self.spans_key not in ref.spans:
            return [None] * len(example.predicted)
        aligned = example.get_aligned_spans_y2x(ref.spans[self.spans_key], allow_overlap=True)
        starts, ends = token_bounds(example.predicted)
        spans = [(s.label_, s.start_char, s.end_char) for s in aligned if s.label_ in self.labels]
        return list(bio_encode(starts, ends, spans))

    def get_loss(self, examples: Iterable[Example], scores: list[Floats2d]) -> tuple[float, Any]:
        """Categorical cross-entropy of the tag probabilities against the gold BIO tags."""
        examples = list(examples)
        validate_examples(examples, "SpanTagger.get_loss")
        loss_func = SequenceCategoricalCrossentropy(names=self.tags, normalize=False)
        truths = [self.gold_tags(eg) for eg in examples]
        d_scores, loss = loss_func(scores, truths)  # type: ignore[arg-type]
        if self.model.ops.xp.isnan(loss):
            raise ValueError(f"{self.name}: the loss is NaN")
        return float(loss), d_scores

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """One gradient step on a batch of examples."""
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "SpanTagger.update")
        if not any(len(eg.predicted) for eg in examples):
            return losses
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update([eg.predicted for eg in examples])
        loss, d_scores = self.get_loss(examples, scores)
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        """Add the labels (given, or ``SOURCE``/``CUE``/``CONTENT``) and size the model."""
        validate_get_examples(get_examples, "SpanTagger.initialize")
        for label in LABELS if labels is None else labels:
            self.add_label(label)
        docs, truths = [], []
        names = self.tags
        for eg in list(get_examples())[:10]:
            docs.append(eg.predicted)
            gold = self.gold_tags(eg)
            truths.append(
                self.model.ops.asarray2f(
                    [[1.0 if tag == name else 0.0 for name in names] for tag in gold]
                )
                if gold
                else self.model.ops.alloc2f(0, len(names))
            )
        self.model.get_ref("output").set_dim("nO", len(names))
        self.model.initialize(X=docs or None, Y=truths or None)

    def initialize_head(self, vectors: Sequence[Any], labels: Iterable[str] = LABELS) -> None:
        """Add ``labels`` and size the head from token vectors (training on cached features)."""
        for label in labels:
            self.add_label(label)
        head = self.model.get_ref("head")
        self.model.get_ref("output").set_dim("nO", len(self.tags))
        sample = [self.model.ops.asarray2f(v) for v in vectors[:10]]
        head.initialize(
            X=sample, Y=[self.model.ops.alloc2f(len(v), len(self.tags)) for v in sample]
        )

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> SpanTagger:
        """Load weights; the BiLSTM chunk size stays the configured one (it shapes no
        weight, and the stored one is the size the head was trained with)."""
        with keep_chunk_size(self.model):
            super().from_bytes(bytes_data, exclude=exclude)
        return self

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> SpanTagger:
        """As :meth:`from_bytes`, from a folder."""
        with keep_chunk_size(self.model):
            super().from_disk(path, exclude=exclude)
        return self
