"""``claimx_stance``: a stance toward the target for every claim and every person who speaks.

The target is ``doc._.claimx_target`` when the caller set it, else the proposition that
:func:`claimx.stance.target.propose_target` finds. The claims of a batch of docs go through
the cross-encoder of :mod:`claimx.stance.model` together; speakers' stances are aggregated by
:func:`claimx.stance.aggregate.aggregate`. torch and transformers load on ``initialize``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import doc_text, register_extensions
from ..paths import models_dir
from .aggregate import LABEL_ORDER, aggregate, claim_stance
from .cues import content_stems, target_coverage
from .rules import adjust
from .target import CLAIM_EDGES, Sentence, propose_target, sentence_at, sentences

if TYPE_CHECKING:
    from .model import StanceModel

CFG_FILE = "cfg.json"
# Claims that share no content word with the target skip the encoder (``skip_off_topic``)
# and get this (favor, against, neutral): close to the mean the model gives them (0.03,
# 0.08, 0.89 over 209 such BBC claims, 206 of them labelled neutral).
OFF_TOPIC = (0.05, 0.05, 0.9)
# A claim whose text is the target itself (the proposed target is often a claim's content)
# asserts it: favor, without the encoder. Close to the model's mean over such pairs (0.83,
# 0.07, 0.11 over 33 in 50 BBC articles, 31 of them favor, one "against" itself).
ASSERTS_TARGET = (0.9, 0.02, 0.08)
MODEL_FOLDER = "model"


def states_target(target: str, text: str) -> bool:
    """Whether claim ``text`` is the ``target`` itself, case and the edge characters that
    :func:`~claimx.stance.target.propose_target` strips from a claim it proposes
    (:data:`~claimx.stance.target.CLAIM_EDGES`) aside.

    >>> states_target("exports will double", '"Exports will double,"')
    True
    >>> states_target("exports will double", "exports will not double")
    False
    """
    return text.strip(CLAIM_EDGES).casefold() == target.strip(CLAIM_EDGES).casefold()


@Language.factory(
    "claimx_stance",
    assigns=[
        "doc._.claimx_stances",
        "doc._.claimx_target",
        "doc._.claimx_target_source",
        "doc._.claimx_claims",
    ],
    requires=["doc._.claimx_claims", "doc._.claimx_experts"],
    default_config={
        "model_dir": None,
        "batch_size": 64,
        "min_words": 6,
        "margin": 0.3,
        "min_relevance": 0.5,
        "news_rules": True,
        "skip_off_topic": False,
        "quantize": False,
        "coverage_weight": 6.0,
    },
)
def make_stance(
    nlp: Language,
    name: str,
    model_dir: str | None,
    batch_size: int,
    min_words: int,
    margin: float,
    min_relevance: float,
    news_rules: bool,
    skip_off_topic: bool,
    quantize: bool,
    coverage_weight: float,
) -> StanceComponent:
    return StanceComponent(
        name,
        model_dir=model_dir,
        batch_size=batch_size,
        min_words=min_words,
        margin=margin,
        min_relevance=min_relevance,
        news_rules=news_rules,
        skip_off_topic=skip_off_topic,
        quantize=quantize,
        coverage_weight=coverage_weight,
    )


@dataclass
class DocStance:
    """What :meth:`StanceComponent.predict` found for one doc."""

    target: str | None
    source: str | None
    probs: np.ndarray | None


def claim_text(
    doc: Doc,
    claim: dict,
    min_words: int = 6,
    sents: list[Sentence] | None = None,
    starts: list[int] | None = None,
) -> str:
    """The model's text for a claim: its content, or its sentence when the content is short.

    ``sents`` default to :func:`~claimx.stance.target.sentences`, ``starts`` to their start
    characters: pass both when calling for many claims of one doc.
    """
    start, end = claim["content"]
    text = doc_text(doc)[start:end].strip()
    if len(text.split()) >= min_words:
        return text
    sents = sentences(doc) if sents is None else sents
    sent = sentence_at(sents, [s.start for s in sents] if starts is None else starts, start)
    if sent is not None:
        return doc_text(doc)[min(sent.start, start) : max(sent.end, end)].strip()
    return text


class StanceComponent:
    """Labels claims and every speaker favor / against / neutral toward the doc's target.

    Claim probabilities come from the model (encoder plus calibrator), then, with
    ``news_rules``, from the concession and obstacle rules of :mod:`claimx.stance.rules`;
    a claim whose content is the target itself (:func:`states_target`) is not encoded and gets
    :data:`ASSERTS_TARGET` (favor 0.9).
    With ``skip_off_topic``, claims sharing no content word with the target are not
    encoded and get :data:`OFF_TOPIC` (neutral 0.9). With ``quantize``, the encoder runs
    with int8 dynamic quantization (faster on CPU, slightly less accurate).

    A speaker's stance aggregates their claims (:func:`~claimx.stance.aggregate.aggregate`),
    each weighted by its attribution confidence times ``1 + coverage_weight * c``, where
    ``c`` is the share of the target's content words its content holds
    (:func:`~claimx.stance.cues.target_coverage`): a claim about the target itself weighs
    more than one beside it. On claimx's own corpus (138 gold expert stances, gold targets)
    expert stance accuracy by weight: 0 -> 0.435, 1 -> 0.442, 3 -> 0.449, 6 and 12 -> 0.457
    (2026-12-06; chosen there, so optimistic); after the day's last attribution change,
    0 -> 0.420, 3 -> 0.435, 6 -> 0.442.
    """

    def __init__(
        self,
        name: str = "claimx_stance",
        *,
        model_dir: str | None = None,
        batch_size: int = 64,
        min_words: int = 6,
        margin: float = 0.3,
        min_relevance: float = 0.5,
        news_rules: bool = True,
        skip_off_topic: bool = False,
        quantize: bool = False,
        coverage_weight: float = 6.0,
    ) -> None:
        register_extensions()
        self.name = name
        self.cfg: dict[str, Any] = {
            "model_dir": model_dir,
            "batch_size": batch_size,
            "min_words": min_words,
            "margin": margin,
            "min_relevance": min_relevance,
            "news_rules": news_rules,
            "skip_off_topic": skip_off_topic,
            "quantize": quantize,
            "coverage_weight": coverage_weight,
        }
        self.model: StanceModel | None = None

    @property
    def model_path(self) -> Path:
        """Where ``initialize`` reads the weights: ``model_dir`` or ``models_dir()/stance``."""
        return Path(self.cfg["model_dir"] or models_dir() / "stance")

    @property
    def _dtype(self) -> str:
        """Inference dtype of the encoder: int8 with ``quantize``, else the CPU's best float."""
        return "int8" if self.cfg.get("quantize") else "auto"

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Load the trained adapters and head; ``ValueError`` if they are missing."""
        from .model import load_cached

        self.model = load_cached(self.model_path, dtype=self._dtype)

    def _require_model(self) -> StanceModel:
        if self.model is None:
            raise ValueError(
                f"{self.name!r} is not initialized: call nlp.initialize() or "
                f"pipe.initialize() to load the weights from {str(self.model_path)!r}"
            )
        return self.model

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 16) -> Iterator[Doc]:
        """Docs in order; a batch closes at ``batch_size`` docs once it holds at least
        ``4 * cfg["batch_size"]`` claims (or at 8 * ``batch_size`` docs), so that the
        encoder sees full, length-sorted batches."""
        batch: list[Doc] = []
        claims = 0
        wanted = 4 * int(self.cfg["batch_size"])
        for doc in stream:
            batch.append(doc)
            claims += len(doc._.claimx_claims or [])
            if (len(batch) >= batch_size and claims >= wanted) or len(batch) >= 8 * batch_size:
                self.set_annotations(batch, self.predict(batch))
                yield from batch
                batch, claims = [], 0
        if batch:
            self.set_annotations(batch, self.predict(batch))
            yield from batch

    def predict(self, docs: list[Doc]) -> list[DocStance]:
        """Targets and claim probabilities for ``docs``; the docs are not modified."""
        model = self._require_model()
        found: list[DocStance] = []
        targets: list[str] = []
        texts: list[str] = []
        asserted: list[bool] = []  # the claim's content is the target itself
        for doc in docs:
            claims = doc._.claimx_claims or []
            target, source = doc._.claimx_target, doc._.claimx_target_source
            sents = sentences(doc)
            if target is None:
                target, source = propose_target(doc, claims, sents), "proposed"
            found.append(DocStance(target, source if target is not None else None, None))
            if target is None:
                continue
            starts = [s.start for s in sents]
            for claim in claims:
                targets.append(target)
                texts.append(claim_text(doc, claim, self.cfg["min_words"], sents, starts))
                start, end = claim["content"]
                asserted.append(states_target(target, doc_text(doc)[start:end]))
        scored = [i for i, same in enumerate(asserted) if not same]
        if self.cfg.get("skip_off_topic", False):
            stems: dict[str, set[str]] = {}
            scored = [
                i
                for i in scored
                if stems.setdefault(targets[i], content_stems(targets[i])) & content_stems(texts[i])
            ]
        probs = np.tile(np.array(OFF_TOPIC, dtype=np.float32), (len(texts), 1))
        probs[np.asarray(asserted, dtype=bool)] = ASSERTS_TARGET
        if scored:
            probs[scored] = model.predict_proba(
                [targets[i] for i in scored],
                [texts[i] for i in scored],
                batch_size=self.cfg["batch_size"],
            )
        if self.cfg.get("news_rules", True):
            for i, (target, text) in enumerate(zip(targets, texts, strict=True)):
                if not asserted[i]:
                    probs[i] = adjust(probs[i].tolist(), target, text)[0]
        offset = 0
        for doc, result in zip(docs, found, strict=True):
            if result.target is not None:
                count = len(doc._.claimx_claims or [])
                result.probs = probs[offset : offset + count]
                offset += count
        return found

    def set_annotations(self, docs: list[Doc], results: list[DocStance]) -> None:
        """Write claim stances, speaker stances and the target onto the docs."""
        for doc, result in zip(docs, results, strict=True):
            doc._.claimx_stances = []
            if result.target is None or result.probs is None:
                continue
            if doc._.claimx_target is None:
                doc._.claimx_target = result.target
                doc._.claimx_target_source = result.source
            claims = doc._.claimx_claims or []
            for claim, probs in zip(claims, result.probs, strict=True):
                label, score = claim_stance(probs)
                claim["stance"] = {
                    "target": result.target,
                    "label": label,
                    "score": round(score, 4),
                }
            # Every expert who makes a claim: people, organizations and groups alike.
            speakers = [e["name"] for e in doc._.claimx_experts or []]
            text = doc_text(doc)
            weight = float(self.cfg.get("coverage_weight", 0.0))
            made: dict[Any, list[int]] = {}  # speaker -> indices of their claims, in order
            for i, claim in enumerate(claims):
                made.setdefault(claim.get("speaker"), []).append(i)
            for name in dict.fromkeys(speakers):
                evidence = made.get(name, [])
                if not evidence:
                    continue
                weights = [
                    float(claims[i].get("confidence") or 1.0)
                    * (
                        1.0
                        + weight
                        * target_coverage(result.target, text[slice(*claims[i]["content"])])
                    )
                    for i in evidence
                ]
                label, score = aggregate(
                    [result.probs[i].tolist() for i in evidence],
                    weights,
                    margin=self.cfg["margin"],
                    min_relevance=self.cfg["min_relevance"],
                )
                doc._.claimx_stances.append(
                    {
                        "speaker": name,
                        "target": result.target,
                        "label": label,
                        "score": score,
                        "evidence": evidence,
                    }
                )

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the settings and, once initialized, the adapters and head."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / CFG_FILE).write_text(json.dumps(self.cfg, indent=2) + "\n", encoding="utf-8")
        if self.model is not None:
            self.model.save(path / MODEL_FOLDER)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> StanceComponent:
        """Read what :meth:`to_disk` wrote; without weights the pipe stays uninitialized."""
        from .model import load_cached

        path = Path(path)
        if (path / CFG_FILE).exists():
            self.cfg.update(json.loads((path / CFG_FILE).read_text(encoding="utf-8")))
        if (path / MODEL_FOLDER).exists():
            self.model = load_cached(path / MODEL_FOLDER, dtype=self._dtype)
        return self


__all__ = [
    "ASSERTS_TARGET",
    "LABEL_ORDER",
    "StanceComponent",
    "claim_text",
    "make_stance",
    "states_target",
]
