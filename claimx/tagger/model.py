"""The tagger's network: token vectors in, one probability per BIO tag out.

``claimx.SpanTagger.v1`` chains a ``tok2vec`` (in the shipped pipeline, a frozen
``TransformerListener`` over MiniLM) with a small head: a linear projection, optionally a
bidirectional LSTM, ``depth`` residual window layers (``expand_window`` + ``Maxout``, as
spaCy's ``MaxoutWindowEncoder``) and a ``Softmax``. Only the head has weights to train and ship.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    Dropout,
    LayerNorm,
    Linear,
    Maxout,
    Model,
    Softmax,
    chain,
    clone,
    concatenate,
    expand_window,
    residual,
    with_array,
)
from thinc.types import ArgsKwargs, Floats2d, Padded


def with_chunks(
    layer: Model[list[Floats2d], list[Floats2d]], size: int
) -> Model[list[Floats2d], list[Floats2d]]:
    """Run ``layer`` over consecutive pieces of at most ``size`` rows of every array
    (``size`` 0: each array whole). The size sits in ``attrs["size"]``, so training can read
    short pieces and prediction whole articles (:func:`set_chunk_size`)."""
    _check_size(size)

    def split(arrays: list[Floats2d], size: int) -> tuple[list[Floats2d], list[int]]:
        if not size:
            return list(arrays), [1] * len(arrays)
        pieces: list[Floats2d] = []
        counts = []
        for array in arrays:
            parts = [array[i : i + size] for i in range(0, len(array), size)] or [array]
            pieces += parts
            counts.append(len(parts))
        return pieces, counts

    def join(model: Model, pieces: list[Floats2d], counts: list[int]) -> list[Floats2d]:
        out, at = [], 0
        for n in counts:
            group = pieces[at : at + n]
            out.append(model.ops.xp.concatenate(group) if len(group) > 1 else group[0])
            at += n
        return out

    def forward(model: Model, Xs: list[Floats2d], is_train: bool) -> tuple[list[Floats2d], Any]:
        size = model.attrs["size"]
        pieces, counts = split(Xs, size)
        Ys, backprop_layer = model.layers[0](pieces, is_train)

        def backprop(dYs: list[Floats2d]) -> list[Floats2d]:
            d_pieces, _ = split(dYs, size)
            return join(model, backprop_layer(d_pieces), counts)

        return join(model, Ys, counts), backprop

    def init(model: Model, X: Any = None, Y: Any = None) -> None:
        model.layers[0].initialize(X=None if X is None else split(X, model.attrs["size"])[0])

    return Model("with_chunks", forward, init=init, layers=[layer], attrs={"size": size})


def _check_size(size: int) -> None:
    if not isinstance(size, int) or size < 0:
        raise ValueError(f"chunk size must be a whole number >= 0 (0: no chunks), not {size!r}")


def _chunk_layers(model: Model) -> list[Model]:
    return [node for node in model.walk() if node.name == "with_chunks"]


def set_chunk_size(model: Model, size: int) -> int:
    """Set the piece size of every ``with_chunks`` layer in ``model``; returns how many."""
    _check_size(size)
    layers = _chunk_layers(model)
    for node in layers:
        node.attrs["size"] = size
    return len(layers)


@contextmanager
def keep_chunk_size(model: Model) -> Iterator[None]:
    """Put back the ``with_chunks`` sizes ``model`` has now after the block (weights loaded
    from bytes, in place, bring the attrs they were saved with)."""
    sizes = [(node, node.attrs["size"]) for node in _chunk_layers(model)]
    yield
    for node, size in sizes:
        node.attrs["size"] = size


def per_sequence(lstm: Model[Any, Any]) -> Model[Any, Any]:
    """``lstm`` (thinc's ``PyTorchLSTM``) reading each sequence of a batch on its own.

    thinc hands PyTorch's LSTM the zero-padded batch, so the backward direction of every
    sequence shorter than the batch's longest started in the padding: a doc's tags then
    depended on the docs beside it in its batch (up to 0.11 in a tag probability between
    batches of 1 and 16 BBC articles). Here the LSTM also gets the sequences' lengths and
    reads the backward direction of each sequence from its own last token
    (:class:`claimx.tagger.lstm.ExactBiLSTM`); the weights and their names are the same.
    (PyTorch's ``PackedSequence`` does the same but ran 3 times slower on CPU.)
    """
    from .lstm import ExactBiLSTM

    wrapper = next(node for node in lstm.walk() if node.name == "pytorch")
    wrapper.shims[0]._model.__class__ = ExactBiLSTM
    wrapper.attrs["convert_inputs"] = _inputs_with_lengths
    return lstm


def _inputs_with_lengths(model: Model, Xp: Padded, is_train: bool) -> tuple[ArgsKwargs, Any]:
    """thinc's conversion of a padded batch for a PyTorch RNN, with the sequences' lengths
    as the second argument (where thinc passes no initial state)."""
    import torch
    from thinc.layers.pytorchwrapper import convert_rnn_inputs

    inputs, backprop = convert_rnn_inputs(model, Xp, is_train)
    lengths = torch.as_tensor(numpy.asarray(Xp.lengths), dtype=torch.int64)
    return ArgsKwargs(args=(inputs.args[0], lengths), kwargs={}), backprop


def build_head(
    width: int,
    depth: int,
    window_size: int,
    maxout_pieces: int,
    dropout: float,
    nO: int | None = None,
    lstm_depth: int = 0,
    chunk_size: int = 64,
) -> Model[list[Floats2d], list[Floats2d]]:
    """Projection, optional BiLSTM, residual window encoders and a softmax, per token."""
    if width < 1 or depth < 0 or window_size < 0 or maxout_pieces < 1 or lstm_depth < 0:
        raise ValueError(
            f"bad head sizes: width={width!r} depth={depth!r} window_size={window_size!r} "
            f"maxout_pieces={maxout_pieces!r} lstm_depth={lstm_depth!r}"
        )
    project: Model[Floats2d, Floats2d] = chain(Linear(width), LayerNorm(width))
    stages: list[Model] = [with_array(project)]
    if lstm_depth:
        from thinc.api import PyTorchLSTM

        lstm: Model[Any, Any] = per_sequence(
            PyTorchLSTM(
                # PyTorch applies LSTM dropout between stacked layers only.
                width,
                width,
                bi=True,
                depth=lstm_depth,
                dropout=dropout if lstm_depth > 1 else 0.0,
            )
        )
        stages.append(with_chunks(lstm, chunk_size))
    layers: list[Model] = []
    if depth:
        window: Model[Floats2d, Floats2d] = chain(
            expand_window(window_size=window_size),
            Maxout(
                nO=width,
                nI=width * (2 * window_size + 1),
                nP=maxout_pieces,
                dropout=dropout,
                normalize=True,
            ),
        )
        layers.append(clone(residual(window), depth))
    output = Softmax(nO=nO)
    layers += [Dropout(dropout), output]
    stages.append(with_array(chain(*layers), pad=window_size * depth))
    head: Model[list[Floats2d], list[Floats2d]] = chain(*stages)
    head.set_ref("output", output)
    return head


@registry.architectures("claimx.SpanTagger.v1")
def build_span_tagger(
    tok2vec: Model[list[Doc], list[Floats2d]],
    width: int = 96,
    depth: int = 2,
    window_size: int = 1,
    maxout_pieces: int = 2,
    dropout: float = 0.1,
    lstm_depth: int = 0,
    chunk_size: int = 64,
    nO: int | None = None,
) -> Model[list[Doc], list[Floats2d]]:
    """``tok2vec`` then the head; refs ``tok2vec``, ``head`` and ``output`` (the softmax).

    ``lstm_depth > 0`` puts that many bidirectional LSTM layers (PyTorch) after the
    projection, for content spans that run far from their cue; it reads each article in
    chunks of ``chunk_size`` tokens (0: whole), short chunks keeping CPU training fast.
    """
    head = build_head(width, depth, window_size, maxout_pieces, dropout, nO, lstm_depth, chunk_size)
    model: Model[list[Doc], list[Floats2d]] = chain(tok2vec, head)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("head", head)
    model.set_ref("output", head.get_ref("output"))
    return model


@registry.architectures("claimx.SpanTagger.v2")
def build_span_tagger_v2(
    tok2vec: Model[list[Doc], list[Floats2d]],
    features: Model[list[Doc], list[Floats2d]],
    width: int = 128,
    depth: int = 1,
    window_size: int = 1,
    maxout_pieces: int = 2,
    dropout: float = 0.1,
    lstm_depth: int = 1,
    chunk_size: int = 64,
    nO: int | None = None,
) -> Model[list[Doc], list[Floats2d]]:
    """``claimx.SpanTagger.v1`` reading ``tok2vec``'s vectors concatenated with ``features``
    (``claimx.AttributionFeatures.v1``: embedded parse, entity, cue and quote features).

    Refs as v1, plus ``features`` and ``embed`` (the trainable part of ``features``, which
    training on cached vectors runs on cached feature ids).
    """
    head = build_head(width, depth, window_size, maxout_pieces, dropout, nO, lstm_depth, chunk_size)
    model: Model[list[Doc], list[Floats2d]] = chain(concatenate(tok2vec, features), head)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("features", features)
    model.set_ref("embed", features.get_ref("embed"))
    model.set_ref("head", head)
    model.set_ref("output", head.get_ref("output"))
    return model


@registry.architectures("claimx.SpanTaggerEnsemble.v1")
def build_span_tagger_ensemble(
    tok2vec: Model[list[Doc], list[Floats2d]],
    columns: list[int],
    feature_width: int = 16,
    feature_rows: int = 2048,
    width: int = 128,
    depth: int = 1,
    window_size: int = 1,
    maxout_pieces: int = 2,
    dropout: float = 0.1,
    lstm_depth: int = 1,
    chunk_size: int = 64,
    nO: int | None = None,
) -> Model[list[Doc], list[Floats2d]]:
    """Several ``claimx.SpanTagger.v2`` heads over one ``tok2vec`` pass and one feature
    extraction, their tag probabilities averaged.

    Member ``i`` embeds the first ``columns[i]`` feature columns (8: the parse, entity, cue
    and quote columns of ``claimx.AttributionFeatures.v1``; 10: and the lexical ones of
    ``claimx.AttributionFeatures.v3``) and runs its own head (:func:`build_head`). Members
    are trained apart (``claimx.tagger.train`` with different seeds and columns) and joined
    by ``claimx.tagger.ensemble``; heads that err in different places average to better
    spans (PolNeAR dev, tagger alone: model card). Refs: ``tok2vec``, ``output`` (the
    first member's softmax; the others take its width at initialization), and
    ``member{i}_embed`` / ``member{i}_head``.
    """
    from .features import COLUMNS, COLUMNS_V3, embedder, extractor

    if not columns or any(c not in (len(COLUMNS), len(COLUMNS_V3)) for c in columns):
        raise ValueError(
            f"columns must list {len(COLUMNS)} or {len(COLUMNS_V3)} per member, not {columns!r}"
        )
    ids = extractor(lexical=max(columns) > len(COLUMNS))
    embeds = [embedder(feature_width, feature_rows, dropout, c) for c in columns]
    heads = [
        build_head(width, depth, window_size, maxout_pieces, dropout, nO, lstm_depth, chunk_size)
        for _ in columns
    ]
    n = len(columns)

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Any]:
        xp = model.ops.xp
        vectors, backprop_vectors = tok2vec(docs, is_train)
        feature_ids, _ = ids(docs, is_train)
        total: list[Floats2d] = []
        backprops = []
        for embed, head in zip(embeds, heads, strict=True):
            embedded, backprop_embed = embed(feature_ids, is_train)
            X = [xp.hstack([v, e]) for v, e in zip(vectors, embedded, strict=True)]
            Y, backprop_head = head(X, is_train)
            total = Y if not total else [t + y for t, y in zip(total, Y, strict=True)]
            if is_train:
                # At prediction the callbacks would keep every member's activations alive
                # until the last member is done (about 250 MB a member for a batch of 8
                # long articles); dropped, each member's are freed before the next runs.
                backprops.append((backprop_embed, backprop_head))
            del X, embedded, Y, backprop_embed, backprop_head
        mean = [t / n for t in total]

        def backprop(d_mean: list[Floats2d]) -> list[Any]:
            d_share = [d / n for d in d_mean]
            d_vectors = [model.ops.alloc2f(*v.shape) for v in vectors]
            for backprop_embed, backprop_head in backprops:
                d_X = backprop_head(d_share)
                for total, d in zip(d_vectors, d_X, strict=True):
                    total += d[:, : total.shape[1]]
                backprop_embed(
                    [
                        xp.ascontiguousarray(d[:, v.shape[1] :])
                        for d, v in zip(d_X, vectors, strict=True)
                    ]
                )
            return backprop_vectors(d_vectors)

        return mean, backprop

    def init(model: Model, X: list[Doc] | None = None, Y: Any = None) -> None:
        width = model.get_ref("output").maybe_get_dim("nO")
        for head in heads:
            if width is not None and not head.get_ref("output").has_dim("nO"):
                head.get_ref("output").set_dim("nO", width)
        if X is None:
            layers: list[Model] = [tok2vec, *embeds, *heads]
            for layer in layers:
                layer.initialize()
            return
        tok2vec.initialize(X=X)
        vectors = tok2vec.predict(X)
        feature_ids = ids.predict(X)
        for embed, head in zip(embeds, heads, strict=True):
            embed.initialize(X=feature_ids)
            embedded = embed.predict(feature_ids)
            head.initialize(
                X=[model.ops.xp.hstack([v, e]) for v, e in zip(vectors, embedded, strict=True)],
                Y=Y,
            )

    model: Model[list[Doc], list[Floats2d]] = Model(
        "span_tagger_ensemble",
        forward,
        init=init,
        layers=[tok2vec, ids, *embeds, *heads],
        attrs={"columns": list(columns)},
    )
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("output", heads[0].get_ref("output"))
    for i, (embed, head) in enumerate(zip(embeds, heads, strict=True)):
        model.set_ref(f"member{i}_embed", embed)
        model.set_ref(f"member{i}_head", head)
    return model
