"""BIO tags for source, cue and content, and a cache of frozen transformer features.

Gold comes from PolNeAR (``<shared>/corpora/polnear``, see its README): first annotator per
article, headline spans skipped. The annotation is univocal, so every token has at most one
role; a discontinuous role gives several chunks, each opening with ``B-``. Character spans
are aligned to tokens by expansion (a span covering part of a token takes the whole token);
where two spans would claim the same token, the first one keeps it.

The cache holds, per split, the token vectors the ``TransformerListener`` gives the tagger
at inference (``reduce_mean`` over the MiniLM word pieces of each token), so that the head
can be trained for many epochs without running the frozen encoder again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LABELS = ("SOURCE", "CUE", "CONTENT")
Offsets = tuple[int, int]


def tag_names(labels: Sequence[str] = LABELS) -> list[str]:
    """``O`` then ``B-X``, ``I-X`` for every label, in that order."""
    names = ["O"]
    for label in labels:
        names += [f"B-{label}", f"I-{label}"]
    return names


def token_bounds(doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Start and end character offsets of every token."""
    starts = numpy.asarray([t.idx for t in doc], dtype="int64")
    ends = numpy.asarray([t.idx + len(t) for t in doc], dtype="int64")
    return starts, ends


def bio_encode(
    starts: Sequence[int] | numpy.ndarray,
    ends: Sequence[int] | numpy.ndarray,
    spans: Iterable[tuple[str, int, int]],
) -> list[str]:
    """BIO tags of tokens (given by char ``starts``/``ends``) for ``(label, start, end)`` spans.

    A token belongs to a span when they share a character; tokens already taken by an earlier
    span are left to it, and a span is then cut where the taken tokens are.
    """
    tags = ["O"] * len(starts)
    st = numpy.asarray(starts)
    en = numpy.asarray(ends)
    for label, start, end in spans:
        if end <= start:
            continue
        inside = numpy.nonzero((st < end) & (en > start))[0]
        previous = -2
        for raw in inside:
            i = int(raw)
            if tags[i] != "O":
                previous = -2
                continue
            tags[i] = ("I-" if previous == i - 1 else "B-") + label
            previous = i
    return tags


def bio_decode(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Token chunks ``(label, first, last + 1)`` of a BIO sequence; a stray ``I-`` opens one."""
    chunks: list[tuple[str, int, int]] = []
    label: str | None = None
    begin = 0
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, name = tag.partition("-")
        continues = prefix == "I" and name == label
        if label is not None and not continues:
            chunks.append((label, begin, i))
            label = None
        if prefix in ("B", "I") and not continues:
            label, begin = name, i
    return chunks


def viterbi_bio(log_probs: numpy.ndarray, names: Sequence[str]) -> list[str]:
    """Best tag sequence under the BIO constraint (``I-X`` only after ``B-X`` or ``I-X``)."""
    n, k = log_probs.shape
    if n == 0:
        return []
    allowed = numpy.ones((k, k), dtype=bool)  # previous -> current
    start_ok = numpy.ones(k, dtype=bool)
    for j, name in enumerate(names):
        if name.startswith("I-"):
            start_ok[j] = False
            label = name[2:]
            for i, prev in enumerate(names):
                allowed[i, j] = prev in (f"B-{label}", f"I-{label}")
    penalty = numpy.where(allowed, 0.0, -1e9)
    score = log_probs[0] + numpy.where(start_ok, 0.0, -1e9)
    back = numpy.zeros((n, k), dtype="int32")
    for t in range(1, n):
        cand = score[:, None] + penalty
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    best = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    best.reverse()
    return [names[j] for j in best]


@dataclass
class GoldArticle:
    """A PolNeAR article: text and its gold ``(label, start, end)`` spans."""

    id: str
    text: str
    spans: list[tuple[str, int, int]]


def load_gold(split: str, limit: int | None = None) -> list[GoldArticle]:
    """PolNeAR articles of ``split`` with SOURCE, CUE and CONTENT spans, in file order."""
    from evaluation.polnear import load_polnear

    out = []
    for gold in load_polnear(split, limit):
        spans = [
            (label, s, e)
            for label, role in zip(LABELS, ("source", "cue", "content"), strict=True)
            for s, e in getattr(gold, role)
        ]
        spans.sort(key=lambda x: (x[1], x[2]))
        out.append(GoldArticle(gold.id, gold.text, spans))
    return out


def default_cache_dir() -> Path:
    """``$CLAIMX_CACHE`` or ``~/.cache/claimx/tagger`` (outside the repository)."""
    base = os.environ.get("CLAIMX_CACHE")
    return Path(base) if base else Path.home() / ".cache" / "claimx" / "tagger"


def feature_pipeline(adapters: Path | None = None) -> Language:
    """The base pipeline (parse, entities, paragraph sentence starts) and the
    ``transformer`` pipe, exactly as :func:`claimx.load` has them before the tagger; with
    ``adapters``, a folder holding encoder adapters (:mod:`claimx.tagger.adapters`), the
    encoder has them folded in, as :func:`claimx.load` does for a tagger shipped with them."""
    from ..pipeline import CLAIMX_PIPES, TAGGER, load

    nlp = load(exclude=(TAGGER, *CLAIMX_PIPES))
    if adapters is not None:
        from .adapters import load_adapters

        load_adapters(nlp.get_pipe("transformer"), Path(adapters))
    return nlp


def listener_features(docs: Sequence[Doc], width: int = 384) -> list[numpy.ndarray]:
    """Token vectors of docs carrying ``doc._.trf_data``, as the tagger's listener pools them."""
    from spacy.util import registry
    from spacy_transformers.layers import TransformerListener  # noqa: F401 (registers)
    from thinc.api import reduce_mean

    make = registry.architectures.get("spacy-transformers.TransformerListener.v1")
    listener = make(grad_factor=0.0, pooling=reduce_mean(), upstream="transformer")
    listener.layers[0].set_dim("nO", width)
    return [numpy.asarray(a, dtype="float32") for a in listener.predict(list(docs))]


@dataclass
class Features:
    """Cached token vectors of one split, with token offsets and hashed linguistic features
    (:func:`claimx.tagger.features.feature_ids`) per article."""

    ids: list[str]
    vectors: list[numpy.ndarray]
    starts: list[numpy.ndarray]
    ends: list[numpy.ndarray]
    feats: list[numpy.ndarray]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        lengths = numpy.asarray([len(v) for v in self.vectors], dtype="int64")
        numpy.save(
            folder / "vectors.npy",
            numpy.concatenate(self.vectors)
            if self.vectors
            else numpy.zeros((0, 384), dtype="float32"),
        )
        numpy.save(
            folder / "starts.npy", numpy.concatenate(self.starts + [numpy.zeros(0, "int64")])
        )
        numpy.save(folder / "ends.npy", numpy.concatenate(self.ends + [numpy.zeros(0, "int64")]))
        numpy.save(folder / "lengths.npy", lengths)
        numpy.save(
            folder / "feats.npy",
            numpy.concatenate(self.feats) if self.feats else numpy.zeros((0, 0), dtype="uint64"),
        )
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Features:
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        lengths = numpy.load(folder / "lengths.npy")
        cuts = numpy.cumsum(lengths)[:-1]
        vectors = numpy.load(folder / "vectors.npy")
        return cls(
            ids,
            list(numpy.split(vectors, cuts)),
            list(numpy.split(numpy.load(folder / "starts.npy"), cuts)),
            list(numpy.split(numpy.load(folder / "ends.npy"), cuts)),
            list(numpy.split(numpy.load(folder / "feats.npy"), cuts)),
        )


def cache_features(
    articles: Sequence[GoldArticle],
    folder: Path,
    batch_size: int = 4,
    log: Callable[[str], None] = print,
    adapters: Path | None = None,
) -> Features:
    """Load the split's features from ``folder``, computing and saving them when missing;
    ``adapters`` as in :func:`feature_pipeline` (the caller keeps their features in a
    folder of their own)."""
    from .features import feature_ids

    if (folder / "ids.json").exists() and (folder / "feats.npy").exists():
        feats = Features.load(folder)
        if feats.ids == [a.id for a in articles]:
            return feats
        log(f"cache {folder} holds other articles; recomputing")
    nlp = feature_pipeline(adapters)
    feats = Features([], [], [], [], [])
    begin = time.time()
    texts = (a.text for a in articles)
    for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
        (vectors,) = listener_features([doc])
        starts, ends = token_bounds(doc)
        doc._.trf_data = None
        feats.ids.append(articles[i].id)
        feats.vectors.append(vectors)
        feats.starts.append(starts)
        feats.ends.append(ends)
        feats.feats.append(feature_ids(doc))
        if (i + 1) % 50 == 0 or i + 1 == len(articles):
            log(f"  features {i + 1}/{len(articles)} docs, {time.time() - begin:.0f}s")
    feats.save(folder)
    return feats


def cache_extra_ids(
    articles: Sequence[GoldArticle],
    folder: Path,
    feats: Features,
    kind: str,
    batch_size: int = 8,
    log: Callable[[str], None] = print,
) -> list[numpy.ndarray]:
    """Extra hashed feature columns of every article, cached in ``folder / f"{kind}.npy"``:
    ``kind`` "rules" (the rules' roles, :func:`claimx.tagger.features.rule_ids`) or
    "lexical" (lemmas, :func:`claimx.tagger.features.lexical_ids`)."""
    from .features import lexical_ids, rule_ids

    columns = {"rules": rule_ids, "lexical": lexical_ids}
    if kind not in columns:
        raise ValueError(f"unknown feature columns {kind!r}; known: {sorted(columns)}")
    return cache_column_ids(articles, folder / f"{kind}.npy", feats, columns[kind], batch_size, log)


def cache_column_ids(
    articles: Sequence[GoldArticle],
    path: Path,
    feats: Features,
    columns: Callable[[Doc], numpy.ndarray],
    batch_size: int = 8,
    log: Callable[[str], None] = print,
) -> list[numpy.ndarray]:
    """Extra hashed feature columns (``columns`` of a parsed doc) of every article, cached in
    ``path``; the articles are parsed without the transformer (same tokens and parse as
    :func:`feature_pipeline`)."""
    from ..pipeline import CLAIMX_PIPES, load

    lengths = [len(f) for f in feats.feats]
    if path.exists():
        flat = numpy.load(path)
        if len(flat) == sum(lengths):
            return list(numpy.split(flat, numpy.cumsum(lengths)[:-1]))
        log(f"cache {path} does not match the features; recomputing")
    nlp = load(transformer=False, exclude=CLAIMX_PIPES)
    out = []
    begin = time.time()
    for i, doc in enumerate(nlp.pipe((a.text for a in articles), batch_size=batch_size)):
        ids = columns(doc)
        if len(ids) != lengths[i]:
            raise ValueError(f"article {articles[i].id!r}: {len(ids)} tokens, cached {lengths[i]}")
        out.append(ids)
        if (i + 1) % 100 == 0 or i + 1 == len(articles):
            log(f"  {path.stem} columns {i + 1}/{len(articles)} docs, {time.time() - begin:.0f}s")
    numpy.save(path, numpy.concatenate(out) if out else numpy.zeros((0, 1), dtype="uint64"))
    return out
