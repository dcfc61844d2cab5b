"""Article records, format v1 (``shared/spec/RECORDS.md``).

The same shape serves extraction output and hand-made gold, so any gold file can be scored
against any prediction file. Offsets are 0-based, end-exclusive character offsets into
``text``. Unknown fields in input are kept in ``extra`` and written back unchanged; claimx
writes three of its own there: ``target`` and ``target_source`` (the stance target used) and
``date`` (the article's publication date, when the caller gave one: ``"2019-01-04"``, or
``"2019"`` for a bare year).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

CLAIM_KINDS = ("direct", "indirect", "mixed")
EXPERT_KINDS = ("person", "organization", "group")
STANCE_LABELS = ("favor", "against", "neutral")
FACT_KINDS = ("quantity", "money", "percent", "count", "duration", "date")
FACT_BOUNDS = ("exact", "approx", "lower", "upper", "range")


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise ValueError(f"{where}: missing required field {key!r}")
    return data[key]


def _check_choice(value: Any, choices: tuple[str, ...], where: str) -> None:
    if value not in choices:
        raise ValueError(f"{where}: {value!r} is not one of {', '.join(choices)}")


@dataclass
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "span") -> Span:
        start, end = int(_require(data, "start", where)), int(_require(data, "end", where))
        if not 0 <= start <= end:
            raise ValueError(f"{where}: bad offsets {start}..{end}")
        return cls(start, end, str(data.get("text", "")))

    @classmethod
    def from_offsets(cls, text: str, offsets: list[int] | tuple[int, int]) -> Span:
        start, end = int(offsets[0]), int(offsets[1])
        return cls(start, end, text[start:end])

    def check(self, text: str, where: str = "span") -> None:
        """Raise ``ValueError`` unless ``text[start:end] == self.text``."""
        if text[self.start : self.end] != self.text:
            raise ValueError(
                f"{where}: text[{self.start}:{self.end}] is "
                f"{text[self.start : self.end]!r}, not {self.text!r}"
            )


def _span_or_none(data: Any, where: str) -> Span | None:
    return None if data is None else Span.from_dict(data, where)


@dataclass
class Expert:
    name: str
    kind: str = "person"
    role: str | None = None
    organization: str | None = None
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "organization": self.organization,
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "expert") -> Expert:
        kind = data.get("kind", "person")
        _check_choice(kind, EXPERT_KINDS, f"{where}.kind")
        return cls(
            name=str(_require(data, "name", where)),
            kind=kind,
            role=data.get("role"),
            organization=data.get("organization"),
            mentions=[
                Span.from_dict(m, f"{where}.mentions[{i}]")
                for i, m in enumerate(data.get("mentions") or [])
            ],
        )


@dataclass
class ClaimStance:
    target: str
    label: str
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "label": self.label, "score": self.score}


@dataclass
class Claim:
    speaker: str | None
    speaker_mention: Span | None
    content: Span
    cue: Span | None
    kind: str
    confidence: float | None = None
    stance: ClaimStance | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention.to_dict() if self.speaker_mention else None,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "kind": self.kind,
        }
        if self.confidence is not None:
            out["confidence"] = self.confidence
        if self.stance is not None:
            out["stance"] = self.stance.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "claim") -> Claim:
        kind = _require(data, "kind", where)
        _check_choice(kind, CLAIM_KINDS, f"{where}.kind")
        stance = data.get("stance")
        if stance is not None:
            _check_choice(stance.get("label"), STANCE_LABELS, f"{where}.stance.label")
        return cls(
            speaker=data.get("speaker"),
            speaker_mention=_span_or_none(data.get("speaker_mention"), f"{where}.speaker_mention"),
            content=Span.from_dict(_require(data, "content", where), f"{where}.content"),
            cue=_span_or_none(data.get("cue"), f"{where}.cue"),
            kind=kind,
            confidence=data.get("confidence"),
            stance=None
            if stance is None
            else ClaimStance(str(stance.get("target", "")), stance["label"], stance.get("score")),
        )


@dataclass
class Stance:
    speaker: str
    target: str
    label: str
    score: float | None = None
    evidence: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "target": self.target,
            "label": self.label,
            "score": self.score,
            "evidence": list(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "stance") -> Stance:
        label = _require(data, "label", where)
        _check_choice(label, STANCE_LABELS, f"{where}.label")
        return cls(
            speaker=str(_require(data, "speaker", where)),
            target=str(_require(data, "target", where)),
            label=label,
            score=data.get("score"),
            evidence=[int(i) for i in data.get("evidence") or []],
        )


@dataclass
class Fact:
    span: Span
    value: float
    unit: str | None
    kind: str
    bound: str = "exact"
    upper: float | None = None
    trend: str | None = None
    subject: str | None = None
    time: str | None = None
    source: str | None = None
    claim: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_dict(),
            "value": self.value,
            "upper": self.upper,
            "unit": self.unit,
            "kind": self.kind,
            "bound": self.bound,
            "trend": self.trend,
            "subject": self.subject,
            "time": self.time,
            "source": self.source,
            "claim": self.claim,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "fact") -> Fact:
        kind = _require(data, "kind", where)
        _check_choice(kind, FACT_KINDS, f"{where}.kind")
        bound = data.get("bound") or "exact"
        _check_choice(bound, FACT_BOUNDS, f"{where}.bound")
        upper = data.get("upper")
        return cls(
            span=Span.from_dict(_require(data, "span", where), f"{where}.span"),
            value=float(_require(data, "value", where)),
            upper=None if upper is None else float(upper),
            unit=data.get("unit"),
            kind=kind,
            bound=bound,
            trend=data.get("trend"),
            subject=data.get("subject"),
            time=None if data.get("time") is None else str(data["time"]),
            source=data.get("source"),
            claim=data.get("claim"),
        )


_KNOWN_KEYS = {"id", "text", "experts", "claims", "stances", "facts"}


@dataclass
class ArticleRecord:
    id: str
    text: str
    experts: list[Expert] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "experts": [e.to_dict() for e in self.experts],
            "claims": [c.to_dict() for c in self.claims],
            "stances": [s.to_dict() for s in self.stances],
            "facts": [f.to_dict() for f in self.facts],
        }
        out.update(self.extra)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArticleRecord:
        if not isinstance(data, Mapping):
            raise ValueError(f"record must be a JSON object, not {type(data).__name__}")
        rid = str(_require(data, "id", "record"))
        where = f"record {rid!r}"
        text = _require(data, "text", where)
        if not isinstance(text, str):
            raise ValueError(f"{where}: 'text' must be a string")
        record = cls(
            id=rid,
            text=text,
            experts=[
                Expert.from_dict(e, f"{where}.experts[{i}]")
                for i, e in enumerate(data.get("experts") or [])
            ],
            claims=[
                Claim.from_dict(c, f"{where}.claims[{i}]")
                for i, c in enumerate(data.get("claims") or [])
            ],
            stances=[
                Stance.from_dict(s, f"{where}.stances[{i}]")
                for i, s in enumerate(data.get("stances") or [])
            ],
            facts=[
                Fact.from_dict(f, f"{where}.facts[{i}]")
                for i, f in enumerate(data.get("facts") or [])
            ],
            extra={k: v for k, v in data.items() if k not in _KNOWN_KEYS},
        )
        return record

    @classmethod
    def from_json(cls, line: str) -> ArticleRecord:
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"invalid JSON record: {err}") from None
        return cls.from_dict(data)

    def validate(self) -> None:
        """Check offsets against the text and speakers against the experts list."""
        where = f"record {self.id!r}"
        names = {e.name for e in self.experts}
        for i, expert in enumerate(self.experts):
            for j, mention in enumerate(expert.mentions):
                mention.check(self.text, f"{where}.experts[{i}].mentions[{j}]")
        for i, claim in enumerate(self.claims):
            claim.content.check(self.text, f"{where}.claims[{i}].content")
            for name, span in (("cue", claim.cue), ("speaker_mention", claim.speaker_mention)):
                if span is not None:
                    span.check(self.text, f"{where}.claims[{i}].{name}")
            if claim.speaker is not None and claim.speaker not in names:
                raise ValueError(f"{where}.claims[{i}]: speaker {claim.speaker!r} is not an expert")
        for i, fact in enumerate(self.facts):
            fact.span.check(self.text, f"{where}.facts[{i}].span")
        for i, stance in enumerate(self.stances):
            for k in stance.evidence:
                if not 0 <= k < len(self.claims):
                    raise ValueError(f"{where}.stances[{i}]: evidence index {k} out of range")


def read_records(path: str | Path) -> Iterator[ArticleRecord]:
    """Read a JSONL file of records, raising ``ValueError`` with the line number on bad lines.

    Lines of the form ``{"id", "error"}`` (failed extractions) are skipped.
    """
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{lineno}: invalid JSON ({err.msg})") from None
            if isinstance(data, dict) and "error" in data and "text" not in data:
                continue
            try:
                yield ArticleRecord.from_dict(data)
            except ValueError as err:
                raise ValueError(f"{path}:{lineno}: {err}") from None


def write_records(records: Iterable[ArticleRecord], path: str | Path) -> int:
    """Write records as JSONL; returns how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record.to_json() + "\n")
            count += 1
    return count


def record_from_doc(doc: Doc, id: str | None = None) -> ArticleRecord:
    """Build the record of a Doc processed by a claimx pipeline."""
    text = doc.text

    def span(offsets: Any) -> Span | None:
        return None if offsets is None else Span.from_offsets(text, offsets)

    experts = [
        Expert(
            name=e["name"],
            kind=e.get("kind", "person"),
            role=e.get("role"),
            organization=e.get("organization"),
            mentions=[Span.from_offsets(text, m) for m in e.get("mentions", [])],
        )
        for e in doc._.claimx_experts or []
    ]
    claims = []
    for c in doc._.claimx_claims or []:
        st = c.get("stance")
        claims.append(
            Claim(
                speaker=c.get("speaker"),
                speaker_mention=span(c.get("source")),
                content=Span.from_offsets(text, c["content"]),
                cue=span(c.get("cue")),
                kind=c["kind"],
                confidence=c.get("confidence"),
                stance=None if st is None else ClaimStance(st["target"], st["label"], st["score"]),
            )
        )
    stances = [
        Stance(s["speaker"], s["target"], s["label"], s.get("score"), list(s.get("evidence", [])))
        for s in doc._.claimx_stances or []
    ]
    facts = [
        Fact(
            span=Span.from_offsets(text, f["span"]),
            value=f["value"],
            upper=f.get("upper"),
            unit=f.get("unit"),
            kind=f["kind"],
            bound=f.get("bound", "exact"),
            trend=f.get("trend"),
            subject=f.get("subject"),
            time=f.get("time"),
            source=f.get("source"),
            claim=f.get("claim"),
        )
        for f in doc._.claimx_facts or []
    ]
    extra: dict[str, Any] = {}
    if doc._.claimx_target is not None:
        extra["target"] = doc._.claimx_target
        extra["target_source"] = doc._.claimx_target_source
    date = doc._.claimx_date_iso
    if date is not None:
        extra["date"] = date
    return ArticleRecord(
        id=id if id is not None else (doc._.claimx_id or ""),
        text=text,
        experts=experts,
        claims=claims,
        stances=stances,
        facts=facts,
        extra=extra,
    )
