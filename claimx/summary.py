"""A plain-text summary of one article record, for reading in a terminal."""

from __future__ import annotations

import textwrap

from .records import ArticleRecord, Claim, Fact

CONTENT_WIDTH = 100


def shorten(text: str, width: int = CONTENT_WIDTH) -> str:
    """Collapse whitespace and cut ``text`` to ``width`` characters at a word boundary."""
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder=" ...")


def format_value(fact: Fact) -> str:
    """The normalized value of a fact with its upper end and unit: ``"2,100-2,400 TIV"``."""
    if fact.kind == "date":
        upper = f"-{fact.upper:.0f}" if fact.upper is not None else ""
        return f"{fact.value:.0f}{upper}"
    value = f"{fact.value:,.10g}"
    if fact.upper is not None:
        value += f"-{fact.upper:,.10g}"
    return f"{value} {fact.unit}" if fact.unit else value


def _expert_line(name: str, kind: str, role: str | None, organization: str | None) -> str:
    about = ", ".join(part for part in (role, organization) if part)
    return f"  {name} ({kind})" + (f": {about}" if about else "")


def _claim_line(index: int, claim: Claim) -> str:
    cue = f" {claim.cue.text!r}" if claim.cue else ""
    return f"    [{index}] {claim.kind}{cue}: {shorten(claim.content.text)}"


def _fact_line(index: int, fact: Fact) -> str:
    details = [fact.kind, fact.bound]
    if fact.trend:
        details.append(f"trend {fact.trend}")
    for name, value in (("subject", fact.subject), ("time", fact.time), ("source", fact.source)):
        if value:
            details.append(f"{name}: {value}")
    if fact.claim is not None:
        details.append(f"claim {fact.claim}")
    return f"  [{index}] {fact.span.text!r} = {format_value(fact)} ({'; '.join(details)})"


def format_summary(record: ArticleRecord) -> str:
    """Experts with their claims, stances and numeric facts of ``record``, as text."""
    lines = [
        f"{record.id}: {len(record.text.split()):,} words, {len(record.experts)} experts, "
        f"{len(record.claims)} claims, {len(record.stances)} stances, {len(record.facts)} facts"
    ]
    target = record.extra.get("target")
    proposed = record.extra.get("target_source") == "proposed"
    if target:
        lines.append(f"Stance target ({'proposed' if proposed else 'given'}): {target}")

    by_speaker: dict[str | None, list[int]] = {}
    for i, claim in enumerate(record.claims):
        by_speaker.setdefault(claim.speaker, []).append(i)
    lines += ["", "Experts and their claims"]
    if not record.experts:
        lines.append("  (none)")
    for expert in record.experts:
        lines.append(_expert_line(expert.name, expert.kind, expert.role, expert.organization))
        lines += [_claim_line(i, record.claims[i]) for i in by_speaker.get(expert.name, [])]
    known = {e.name for e in record.experts}
    for speaker, indexes in by_speaker.items():
        if speaker in known:
            continue
        lines.append("  (unattributed)" if speaker is None else f"  {speaker} (not in experts)")
        lines += [_claim_line(i, record.claims[i]) for i in indexes]

    lines += ["", "Stances"]
    if not record.stances:
        lines.append("  (none)")
    for stance in record.stances:
        score = "" if stance.score is None else f" {stance.score:.2f}"
        origin = "proposed" if proposed and stance.target == target else "given"
        evidence = f", claims {', '.join(map(str, stance.evidence))}" if stance.evidence else ""
        lines.append(
            f"  {stance.speaker}: {stance.label}{score} toward {stance.target!r} "
            f"(target {origin}{evidence})"
        )

    lines += ["", "Numeric facts"]
    if not record.facts:
        lines.append("  (none)")
    lines += [_fact_line(i, fact) for i, fact in enumerate(record.facts)]
    return "\n".join(lines) + "\n"
