"""A self-contained HTML page of one article record, built on displaCy's span renderer.

The page works from an :class:`~claimx.records.ArticleRecord`, not a Doc, so gold files render
the same way as extraction output.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from html import escape
from typing import Any

from .records import ArticleRecord, Span
from .summary import format_value

#: One colour per speaker, in order of first claim; unattributed claims are grey.
PALETTE = (
    "#7aecec",
    "#feca74",
    "#bfeeb7",
    "#ff9561",
    "#c887fb",
    "#aa9cfc",
    "#9cc9cc",
    "#ffeb80",
    "#ff8197",
    "#e4e7d2",
    "#bfe1d9",
    "#f0d0ff",
)
UNATTRIBUTED_COLOR = "#dddddd"
FACT_COLOR = "#3b8686"
CUE_COLOR = "#555555"

_CSS = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2rem;
       color: #222; max-width: 72rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f4f4f4; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 0.2rem;
          vertical-align: middle; margin-right: 0.3rem; }
.muted { color: #777; }
.text .spans { margin-bottom: 0.5rem; }
"""


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    label: str
    color: str


def speaker_colors(record: ArticleRecord) -> dict[str | None, str]:
    """Map each speaker (``None`` for unattributed claims) to a colour."""
    colors: dict[str | None, str] = {None: UNATTRIBUTED_COLOR}
    names = [e.name for e in record.experts] + [c.speaker for c in record.claims if c.speaker]
    for name in names:
        if name not in colors:
            colors[name] = PALETTE[(len(colors) - 1) % len(PALETTE)]
    return colors


def render_html(record: ArticleRecord, title: str | None = None) -> str:
    """Return a standalone HTML page showing the claims, speakers, stances and facts."""
    colors = speaker_colors(record)
    heading = title or f"claimx: {record.id}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(heading)}</h1>",
        _counts(record),
        _target(record),
        _experts_table(record, colors),
        _stances_table(record),
        "<h2>Article</h2>",
        _legend(),
        f'<div class="text">{_render_text(record, colors)}</div>',
        _claims_table(record, colors),
        _facts_table(record),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _counts(record: ArticleRecord) -> str:
    words = len(record.text.split())
    return (
        f'<p class="muted">{words:,} words &middot; {len(record.experts)} experts &middot; '
        f"{len(record.claims)} claims &middot; {len(record.stances)} stances &middot; "
        f"{len(record.facts)} facts</p>"
    )


def _target(record: ArticleRecord) -> str:
    target = record.extra.get("target")
    if not target:
        return ""
    source = record.extra.get("target_source")
    how = " (proposed by claimx)" if source == "proposed" else ""
    return f"<p><b>Stance target:</b> {escape(str(target))}{escape(how)}</p>"


def _legend() -> str:
    items = [
        ("claim content", "labelled with claim number, speaker and kind", UNATTRIBUTED_COLOR),
        ("cue / speaker mention", "in the speaker's colour", CUE_COLOR),
        ("fact", "numeric fact with its normalized value", FACT_COLOR),
    ]
    return (
        '<p class="muted">'
        + " &middot; ".join(
            f'<span class="swatch" style="background:{color}"></span>{escape(name)}: {escape(what)}'
            for name, what, color in items
        )
        + "</p>"
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    return '<span class="muted">&ndash;</span>' if value is None else escape(str(value))


def _experts_table(record: ArticleRecord, colors: dict[str | None, str]) -> str:
    if not record.experts:
        return '<h2>Experts</h2><p class="muted">No experts found.</p>'
    claims_by: dict[str, int] = {}
    for claim in record.claims:
        if claim.speaker:
            claims_by[claim.speaker] = claims_by.get(claim.speaker, 0) + 1
    rows = [
        [
            f'<span class="swatch" style="background:{colors[e.name]}"></span>{escape(e.name)}',
            _cell(e.kind),
            _cell(e.role),
            _cell(e.organization),
            str(claims_by.get(e.name, 0)),
            str(len(e.mentions)),
        ]
        for e in record.experts
    ]
    headers = ["Name", "Kind", "Role", "Organization", "Claims", "Mentions"]
    return "<h2>Experts</h2>" + _table(headers, rows)


def _stances_table(record: ArticleRecord) -> str:
    if not record.stances:
        return '<h2>Stances</h2><p class="muted">No stances.</p>'
    proposed = record.extra.get("target_source") == "proposed"
    rows = [
        [
            escape(s.speaker),
            escape(s.label),
            _cell(None if s.score is None else f"{s.score:.2f}"),
            escape(s.target),
            "proposed" if proposed and s.target == record.extra.get("target") else "given",
            escape(", ".join(str(i) for i in s.evidence)),
        ]
        for s in record.stances
    ]
    headers = ["Speaker", "Label", "Score", "Target", "Target from", "Evidence claims"]
    return "<h2>Stances</h2>" + _table(headers, rows)


def _claims_table(record: ArticleRecord, colors: dict[str | None, str]) -> str:
    if not record.claims:
        return '<h2>Claims</h2><p class="muted">No claims found.</p>'
    rows = []
    for i, c in enumerate(record.claims):
        swatch = f'<span class="swatch" style="background:{colors[c.speaker]}"></span>'
        rows.append(
            [
                str(i),
                swatch + _cell(c.speaker),
                _cell(c.speaker_mention.text if c.speaker_mention else None),
                _cell(c.cue.text if c.cue else None),
                escape(c.kind),
                escape(c.content.text),
                _cell(None if c.stance is None else f"{c.stance.label}"),
            ]
        )
    headers = ["#", "Speaker", "Mention", "Cue", "Kind", "Content", "Stance"]
    return "<h2>Claims</h2>" + _table(headers, rows)


def _facts_table(record: ArticleRecord) -> str:
    if not record.facts:
        return '<h2>Facts</h2><p class="muted">No numeric facts found.</p>'
    rows = [
        [
            str(i),
            escape(f.span.text),
            escape(format_value(f)),
            escape(f.kind),
            escape(f.bound),
            _cell(f.trend),
            _cell(f.subject),
            _cell(f.time),
            _cell(f.source),
            _cell(f.claim),
        ]
        for i, f in enumerate(record.facts)
    ]
    headers = ["#", "Text", "Value", "Kind", "Bound", "Trend", "Subject", "Time", "Source", "Claim"]
    return "<h2>Facts</h2>" + _table(headers, rows)


def _marks(record: ArticleRecord, colors: dict[str | None, str]) -> list[_Mark]:
    marks: list[_Mark] = []
    mention_spans: set[tuple[int, int]] = set()
    for expert in record.experts:
        for m in expert.mentions:
            marks.append(_Mark(m.start, m.end, expert.name, colors[expert.name]))
            mention_spans.add((m.start, m.end))
    for i, c in enumerate(record.claims):
        color = colors[c.speaker]
        marks.append(
            _Mark(c.content.start, c.content.end, f"{i} {c.speaker or '?'} ({c.kind})", color)
        )
        if c.cue is not None:
            marks.append(_Mark(c.cue.start, c.cue.end, f"cue {i}", color))
        source = c.speaker_mention
        if source is not None and (source.start, source.end) not in mention_spans:
            marks.append(_Mark(source.start, source.end, f"source {i}", color))
    for f in record.facts:
        marks.append(_Mark(f.span.start, f.span.end, format_value(f), FACT_COLOR))
    return [m for m in marks if m.start < m.end]


_WORD = re.compile(r"\S+")


def _render_text(record: ArticleRecord, colors: dict[str | None, str]) -> str:
    """Render the text paragraph by paragraph with ``displacy.render(style="span")``."""
    from spacy import displacy

    text = record.text
    marks = _marks(record, colors)
    blocks = []
    for para in _paragraphs(text):
        inside = [m for m in marks if m.start < para.end and m.end > para.start]
        cuts = {para.start, para.end}
        for m in inside:
            cuts.update(c for c in (m.start, m.end) if para.start < c < para.end)
        tokens: list[tuple[int, str]] = []
        bounds = sorted(cuts)
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            tokens.extend((w.start(), w.group()) for w in _WORD.finditer(text, lo, hi))
        if not tokens:
            continue
        starts = [s for s, _ in tokens]
        spans = []
        palette = {}
        for m in inside:
            first, last = bisect_left(starts, m.start), bisect_left(starts, m.end)
            if first < last:
                label = escape(m.label)
                palette[label] = m.color
                spans.append({"start_token": first, "end_token": last, "label": label})
        doc = {"text": para.text, "tokens": [t for _, t in tokens], "spans": spans}
        blocks.append(displacy.render(doc, style="span", manual=True, options={"colors": palette}))
    return "\n".join(blocks)


def _paragraphs(text: str) -> list[Span]:
    spans = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append(Span(start, start + len(line), line))
        start += len(line) + 1
    return spans
