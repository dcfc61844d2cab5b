"""Join trained tagger heads into one ``claimx.SpanTaggerEnsemble.v1`` tagger.

Run from the repository root, with tagger folders written by :mod:`claimx.tagger.train`
(all trained with the same ``--adapters``, so on the same encoder)::

    .venv/bin/python -m claimx.tagger.ensemble --members DIR1 DIR2 ... --out models/attribution

Each member keeps its own feature embeddings and head; the joined tagger runs the encoder
and the feature extraction once and averages the members' tag probabilities. The members'
dev scores and the ensemble's (tagger alone, PolNeAR dev at document level, from the cached
features of :mod:`claimx.tagger.train`) go into ``metrics.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

if TYPE_CHECKING:
    from .component import SpanTagger

#: The head settings every member must share (they shape the ensemble's config).
HEAD_KEYS = ("width", "depth", "window_size", "maxout_pieces", "lstm_depth", "dropout")
_FEATURE_COLUMNS = {
    "claimx.AttributionFeatures.v1": 8,
    "claimx.AttributionFeatures.v3": 10,
}


def ensemble_model(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The ensemble's model block from its members' (``claimx.SpanTagger.v2``) model blocks
    (the first member's ``tok2vec``: in the pipeline the listener, with no weights of its
    own); ``ValueError`` naming the setting when members differ in one the ensemble shares."""
    if not members:
        raise ValueError("an ensemble needs at least one member")
    first = members[0]
    columns = []
    for i, block in enumerate(members):
        if block.get("@architectures") != "claimx.SpanTagger.v2":
            raise ValueError(f"member {i}: {block.get('@architectures')!r} is not SpanTagger.v2")
        features = block["features"]
        if features["@layers"] not in _FEATURE_COLUMNS:
            raise ValueError(f"member {i}: features {features['@layers']!r} cannot be shared")
        columns.append(_FEATURE_COLUMNS[features["@layers"]])
        for key in HEAD_KEYS:
            if block.get(key) != first.get(key):
                raise ValueError(f"member {i}: {key} {block.get(key)!r} != {first.get(key)!r}")
        for key in ("width", "rows"):
            if features.get(key) != first["features"].get(key):
                raise ValueError(f"member {i}: feature {key} differs from member 0's")
    model: dict[str, Any] = {
        "@architectures": "claimx.SpanTaggerEnsemble.v1",
        "tok2vec": dict(first["tok2vec"]),
        "columns": columns,
        "feature_width": first["features"]["width"],
        "feature_rows": first["features"]["rows"],
        "chunk_size": 0,
    }
    model.update({key: first[key] for key in HEAD_KEYS if key in first})
    return model


def load_member(folder: Path, block: dict[str, Any] | None = None) -> SpanTagger:
    """The trained tagger pipe in ``folder`` (its own config, its weights); ``block``: its
    model block, when the caller has read it already."""
    from .train import build_tagger, initial_model

    _, tagger = build_tagger({"model": initial_model(folder) if block is None else block})
    tagger.from_disk(folder / "tagger", exclude=["vocab"])
    return tagger


def join(members: list[SpanTagger], blocks: list[dict[str, Any]]) -> tuple[Any, SpanTagger]:
    """A blank pipeline with the ensemble tagger holding the members' weights (and the
    first member's ``tok2vec`` weights, where it has any)."""
    from .model import set_chunk_size
    from .train import build_tagger

    nlp, tagger = build_tagger({"model": ensemble_model(blocks)})
    for label in members[0].labels:
        tagger.add_label(label)
    tagger.model.get_ref("tok2vec").from_bytes(members[0].model.get_ref("tok2vec").to_bytes())
    for i, member in enumerate(members):
        if member.labels != members[0].labels:
            raise ValueError(f"member {i}: labels {member.labels} != {members[0].labels}")
        tagger.model.get_ref(f"member{i}_embed").from_bytes(
            member.model.get_ref("embed").to_bytes()
        )
        tagger.model.get_ref(f"member{i}_head").from_bytes(member.model.get_ref("head").to_bytes())
    set_chunk_size(tagger.model, 0)
    return nlp, tagger


def dev_scores(
    members: list[SpanTagger],
    blocks: list[dict[str, Any]],
    folders: list[Path],
    cache: Path,
    limit: int | None = None,
) -> dict[str, Any]:
    """PolNeAR dev scores (tagger alone) of every member (loaded from ``folders``, with
    their model ``blocks``) and of their average (``limit``: the first dev articles only),
    from the cached features of :mod:`claimx.tagger.train` (the encoder adapted by the
    first member's adapters, which all members share)."""
    from .data import LABELS, cache_extra_ids, cache_features, load_gold, tag_names
    from .model import set_chunk_size
    from .train import adapters_digest, decode_spans, log, predict_probs, score_tagged

    adapters = folders[0]
    golds = load_gold("dev", limit)
    first = "" if limit is None else f"-first{limit}"
    folder = cache / f"dev{first}-lora-{adapters_digest(adapters)}"
    feats = cache_features(golds, folder, log=log, adapters=adapters)
    lexical = cache_extra_ids(golds, folder, feats, "lexical", log=log)
    names = tag_names(LABELS)
    out: dict[str, Any] = {"members": []}
    total: list[numpy.ndarray] | None = None
    for tagger, block, path in zip(members, blocks, folders, strict=True):
        set_chunk_size(tagger.model, 0)
        ids = feats.feats
        if _FEATURE_COLUMNS[block["features"]["@layers"]] > feats.feats[0].shape[1]:
            ids = [numpy.hstack([a, b]) for a, b in zip(feats.feats, lexical, strict=True)]
        embedded = tagger.model.get_ref("embed").predict(list(ids))
        joined = [numpy.hstack([v, e]) for v, e in zip(feats.vectors, embedded, strict=True)]
        probs = predict_probs(tagger, joined)
        tagged = [
            decode_spans(p, s, e, names)
            for p, s, e in zip(probs, feats.starts, feats.ends, strict=True)
        ]
        out["members"].append({"folder": str(path), "dev": score_tagged(golds, tagged)})
        total = probs if total is None else [a + b for a, b in zip(total, probs, strict=True)]
    assert total is not None
    mean = [p / len(folders) for p in total]
    tagged = [
        decode_spans(p, s, e, names) for p, s, e in zip(mean, feats.starts, feats.ends, strict=True)
    ]
    out["ensemble"] = score_tagged(golds, tagged)
    return out


def main(argv: list[str] | None = None) -> int:
    from .adapters import ADAPTERS_FILE, has_adapters
    from .train import fmt, initial_model, log, save

    args = parse_args(argv)
    begin = time.time()
    blocks = []
    for folder in args.members:
        blocks.append(initial_model(folder))
        if not has_adapters(folder):
            raise ValueError(f"member {str(folder)!r} holds no encoder adapters")
    adapter_files = {(folder / ADAPTERS_FILE).read_bytes() for folder in args.members}
    if len(adapter_files) != 1:
        raise ValueError("the members were trained on differently adapted encoders")
    members = [load_member(f, b) for f, b in zip(args.members, blocks, strict=True)]
    nlp, tagger = join(members, blocks)
    results = dev_scores(members, blocks, list(args.members), args.cache_dir, args.limit)
    for member in results["members"]:
        log(f"dev {member['folder']}: {fmt(member['dev'])}")
    log(f"dev ensemble: {fmt(results['ensemble'])}")
    results["tagger"] = results.pop("ensemble")
    save(nlp, tagger, args.out, results, adapters=args.members[0])
    log(f"saved to {args.out} in {time.time() - begin:.0f}s")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options of ``python -m claimx.tagger.ensemble``."""
    from .data import default_cache_dir

    parser = argparse.ArgumentParser(description="Join trained claimx_tagger heads.")
    parser.add_argument("--members", type=Path, nargs="+", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    parser.add_argument("--limit", type=int, default=None, help="score the first N dev articles")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
