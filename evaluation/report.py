"""Reports of an evaluation run: Markdown, self-contained HTML, and SVG plots.

The plots are hand-written SVG (no plotting dependency): grouped P / R / F1 bars per type
and the stance confusion matrix. ``report.html`` inlines them; ``report.md`` links the
``.svg`` files written beside it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from .examples import Example
from .result import Chart, Evaluation

BAR_COLORS = (("P", "#4c78a8"), ("R", "#f58518"), ("F1", "#54a24b"))
MARK_LEGEND = (
    ("gold", "gold span the system missed"),
    ("pred", "predicted span with no gold"),
    ("both", "span both have, with an error"),
    ("target", "stance target word"),
)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _wrap(label: str, width: int) -> list[str]:
    """Split a label into at most two lines of about ``width`` characters."""
    if len(label) <= width or " " not in label:
        return [label]
    cut = label.rfind(" ", 0, width + 1)
    cut = label.find(" ") if cut <= 0 else cut
    return [label[:cut], label[cut + 1 :]]


def bar_chart_svg(chart: Chart, width: int = 500, height: int = 280) -> str:
    """Grouped bars of P, R and F1 (0-100%) for each row of ``chart``."""
    left, right, top, bottom = 46, 16, 54, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(chart.rows))
    group = plot_w / n
    bar = min(34.0, group * 0.8 / 3)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(chart.title)}" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="600" fill="#222">'
        f"{_esc(chart.title)}</text>",
    ]
    for k, (name, color) in enumerate(BAR_COLORS):
        lx = width - right - 132 + 44 * k
        out.append(f'<rect x="{lx}" y="28" width="11" height="11" fill="{color}"/>')
        out.append(f'<text x="{lx + 15}" y="38" font-size="12" fill="#333">{name}</text>')
    for tick in range(0, 101, 25):
        y = top + plot_h * (1 - tick / 100)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{"#999" if tick == 0 else "#e3e3e3"}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#555">{tick}</text>'
        )
    for i, (label, *values) in enumerate(chart.rows):
        x0 = left + group * i + (group - 3 * bar) / 2
        for k, value in enumerate(values):
            h = plot_h * max(0.0, min(1.0, value))
            x = x0 + k * bar
            y = top + plot_h - h
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{BAR_COLORS[k][1]}"><title>{_esc(label)} {BAR_COLORS[k][0]} '
                f"{100 * value:.1f}</title></rect>"
            )
            if bar >= 13:
                out.append(
                    f'<text x="{x + (bar - 2) / 2:.1f}" y="{y - 3:.1f}" '
                    f'font-size="{10 if bar >= 20 else 8.5}" '
                    f'text-anchor="middle" fill="#333">{100 * value:.0f}</text>'
                )
        lines = _wrap(label, max(6, int(group / 6.5)))
        cx = left + group * i + group / 2
        for j, line in enumerate(lines):
            out.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16 + 13 * j:.1f}" font-size="11.5" '
                f'text-anchor="middle" fill="#222">{_esc(line)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def confusion_svg(confusion: dict[str, Any], title: str = "Stance confusion matrix") -> str:
    """Rows: gold labels; columns: predicted labels; cell shade: share of the gold row."""
    gold, pred, matrix = confusion["gold"], confusion["pred"], confusion["matrix"]
    if not any(matrix[i][-1] for i in range(len(gold))) and pred[-1] == "none":
        pred, matrix = pred[:-1], [row[:-1] for row in matrix]
    cell, left, top = 86, 120, 74
    width, height = left + cell * len(pred) + 20, top + cell * len(gold) + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)}" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-size="14" font-weight="600" fill="#222">{_esc(title)}</text>',
        f'<text x="{left + cell * len(pred) / 2:.0f}" y="42" font-size="12" text-anchor="middle" '
        'fill="#555">predicted</text>',
        f'<text x="16" y="{top + cell * len(gold) / 2:.0f}" font-size="12" fill="#555" '
        f'transform="rotate(-90 16 {top + cell * len(gold) / 2:.0f})" '
        'text-anchor="middle">gold</text>',
    ]
    for j, label in enumerate(pred):
        out.append(
            f'<text x="{left + cell * j + cell / 2:.0f}" y="{top - 8}" font-size="12" '
            f'text-anchor="middle" fill="#222">{_esc(label)}</text>'
        )
    for i, label in enumerate(gold):
        total = sum(matrix[i]) or 1
        out.append(
            f'<text x="{left - 10}" y="{top + cell * i + cell / 2 + 4:.0f}" font-size="12" '
            f'text-anchor="end" fill="#222">{_esc(label)}</text>'
        )
        for j, count in enumerate(matrix[i]):
            share = count / total
            shade = int(255 - 190 * share)
            color = (
                f"rgb({shade},{int(255 - 120 * share)},255)"
                if i == j
                else (f"rgb(255,{shade},{int(255 - 150 * share)})")
            )
            ink = "#fff" if share > 0.6 else "#222"
            x, y = left + cell * j, top + cell * i
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{color}" '
                'stroke="#ccc"/>'
            )
            out.append(
                f'<text x="{x + cell / 2 - 1:.0f}" y="{y + cell / 2 - 2:.0f}" font-size="16" '
                f'font-weight="600" text-anchor="middle" fill="{ink}">{count}</text>'
            )
            out.append(
                f'<text x="{x + cell / 2 - 1:.0f}" y="{y + cell / 2 + 16:.0f}" font-size="11" '
                f'text-anchor="middle" fill="{ink}">{100 * share:.0f}%</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def plots(ev: Evaluation) -> list[tuple[str, str, str]]:
    """``(file name, title, svg)`` of every plot of a run."""
    out = [
        (f"plot-{i + 1}.svg", chart.title, bar_chart_svg(chart))
        for i, chart in enumerate(ev.charts)
        if chart.rows
    ]
    if ev.confusion is not None:
        out.append(("confusion.svg", "Stance confusion matrix", confusion_svg(ev.confusion)))
    return out


def _marked_html(ex: Example) -> str:
    pieces, at = [], 0
    for start, end, cls in sorted(ex.marks):
        if start < at:
            continue
        pieces.append(_esc(ex.text[at:start]))
        pieces.append(f'<mark class="{cls}">{_esc(ex.text[start:end])}</mark>')
        at = end
    pieces.append(_esc(ex.text[at:]))
    return "".join(pieces)


def _md_escape(text: str) -> str:
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def _marked_md(ex: Example) -> str:
    pieces, at = [], 0
    for start, end, _ in sorted(ex.marks):
        if start < at:
            continue
        pieces.append(_md_escape(ex.text[at:start]))
        pieces.append(f"**{_md_escape(ex.text[start:end]).strip()}**")
        at = end
    pieces.append(_md_escape(ex.text[at:]))
    return "".join(pieces)


def _grouped(examples: Sequence[Example]) -> dict[str, list[Example]]:
    groups: dict[str, list[Example]] = {}
    for ex in examples:
        groups.setdefault(ex.category, []).append(ex)
    return groups


def _flat(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [kv for k, v in value.items() for kv in _flat(f"{prefix}.{k}" if prefix else k, v)]
    if isinstance(value, list):
        return [(prefix, ", ".join(map(str, value)))]
    return [(prefix, str(value))]


def _run_rows(ev: Evaluation) -> list[tuple[str, str]]:
    results = ev.results()
    rows = [
        ("task", ev.task),
        ("gold", ev.gold),
        ("predictions", ev.pred),
        ("date", str(results.get("date"))),
        ("claimx", str(results.get("claimx_version"))),
        ("git", str(results.get("git_hash"))),
        ("elapsed", f"{ev.elapsed_s:.1f} s"),
    ]
    rows += [(f"counts.{k}", v) for k, v in _flat("", ev.counts)]
    rows += [(f"settings.{k}", v) for k, v in _flat("", results["settings"])]
    rows += [(f"config.{k}", v) for k, v in _flat("", ev.config)]
    rows += [(f"versions.{k}", v) for k, v in _flat("", results.get("versions", {}))]
    rows += [(f"cpu.{k}", v) for k, v in _flat("", results.get("cpu", {}))]
    return rows


def render_markdown(ev: Evaluation, share_texts: bool = True) -> str:
    """The Markdown report (plots linked as the ``.svg`` files of :func:`plots`)."""
    results = ev.results()
    git = results.get("git_hash") or "unknown"
    lines = [
        f"# {ev.title}",
        "",
        f"Task `{ev.task}` · claimx {results.get('claimx_version')} · git `{git[:12]}` · "
        f"{results.get('date')} · {ev.elapsed_s:.0f} s",
        "",
        f"Gold: `{ev.gold}`; predictions: `{ev.pred}`. "
        "Definitions of every metric: `evaluation/README.md`.",
        "",
        "## Key figures",
        "",
        "| metric | value |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in ev.headline),
        "",
    ]
    for table in ev.tables:
        lines += [f"## {table.title}", "", "| " + " | ".join(table.columns) + " |"]
        lines.append(
            "|" + "|".join("---" if i == 0 else "---:" for i in range(len(table.columns))) + "|"
        )
        lines += ["| " + " | ".join(row) + " |" for row in table.rows]
        lines.append("")
    figures = plots(ev)
    if figures:
        lines += ["## Plots", ""]
        lines += [f"![{title}]({name})" for name, title, _ in figures]
        lines.append("")
    lines += _examples_md(ev, share_texts)
    if ev.notes:
        lines += ["## Notes", "", *(f"- {note}" for note in ev.notes), ""]
    lines += ["## Run", "", "| field | value |", "|---|---|"]
    lines += [f"| {k} | {_md_escape(v)} |" for k, v in _run_rows(ev)]
    return "\n".join(lines) + "\n"


def _examples_md(ev: Evaluation, share_texts: bool) -> list[str]:
    lines = ["## Error examples", ""]
    groups = _grouped(ev.examples)
    if not groups:
        return lines + ["No errors.", ""]
    if not share_texts and not ev.shareable:
        lines += [
            "Texts withheld: this corpus may not be redistributed. Run "
            f"`claimx evaluate --task {ev.task}` locally to see them.",
            "",
        ]
        for category, items in groups.items():
            ids = ", ".join(sorted({ex.doc for ex in items}))
            lines.append(f"- {category}: {len(items)} shown locally (documents: {ids})")
        return [*lines, ""]
    lines += ["Highlighted spans are in **bold**.", ""]
    for category, items in groups.items():
        lines += [f"### {category}", ""]
        for ex in items:
            note = f" ({_md_escape(ex.note)})" if ex.note else ""
            lines.append(f"- `{ex.doc}`{note}: {_marked_md(ex)}")
        lines.append("")
    return lines


CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; background: #fff;
  min-height: 100vh; box-shadow: 0 0 0 1px var(--line); }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 4px; font-size: 13px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg);
  padding: 1px 4px; border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px;
  margin: 18px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .value { font-size: 22px; font-weight: 650; }
.card .value small { font-size: 12px; font-weight: 400; color: var(--muted); }
.card .label { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13.5px; }
th, td { padding: 4px 12px; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: var(--bg); font-weight: 600; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 0 24px; }
figure { margin: 10px 0; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; }
.plots svg { border: 1px solid var(--line); border-radius: 6px; max-width: 100%; height: auto; }
mark { padding: 1px 2px; border-radius: 3px; }
mark.gold { background: #ffd7a8; box-shadow: inset 0 -2px 0 #e8590c; }
mark.pred { background: #d0e2ff; box-shadow: inset 0 -2px 0 #1c64d8; }
mark.both { background: #fff1a8; box-shadow: inset 0 -2px 0 #b8860b; }
mark.target { background: #d9f2d9; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 13px; color: var(--muted); }
.example { border-left: 3px solid var(--line); padding: 4px 0 4px 12px; margin: 8px 0; }
.example .where { font-size: 12.5px; color: var(--muted); }
.example p { margin: 2px 0 0; }
.notes li { margin: 4px 0; }
details summary { cursor: pointer; color: var(--muted); }
.run td { font-size: 12.5px; text-align: left; }
"""


def _card(name: str, value: str) -> str:
    main, _, rest = value.partition(" ")
    extra = f" <small>{_esc(rest)}</small>" if rest else ""
    return (
        f'<div class="card"><div class="value">{_esc(main)}{extra}</div>'
        f'<div class="label">{_esc(name)}</div></div>'
    )


def _table_html(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<div><h3>{_esc(title)}</h3><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def render_html(ev: Evaluation, share_texts: bool = True) -> str:
    """A self-contained HTML page: key figures, tables, inline SVG plots, examples, run."""
    results = ev.results()
    git = results.get("git_hash") or "unknown"
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>claimx evaluation: {_esc(ev.title)}</title><style>{CSS}</style></head>",
        "<body><main>",
        f"<h1>{_esc(ev.title)}</h1>",
        f'<p class="meta">task <code>{_esc(ev.task)}</code> · claimx '
        f"{_esc(results.get('claimx_version'))} · git <code>{_esc(git[:12])}</code> · "
        f"{_esc(results.get('date'))} · {ev.elapsed_s:.0f} s</p>",
        f'<p class="meta">gold <code>{_esc(ev.gold)}</code> · predictions '
        f"<code>{_esc(ev.pred)}</code></p>",
        '<div class="cards">' + "".join(_card(n, v) for n, v in ev.headline) + "</div>",
    ]
    figures = plots(ev)
    if figures:
        parts.append('<h2>Per-type scores</h2><div class="plots">')
        parts += [f"<figure>{svg}</figure>" for _, _, svg in figures]
        parts.append("</div>")
    parts.append('<h2>Scores</h2><div class="tables">')
    parts += [_table_html(t.title, t.columns, t.rows) for t in ev.tables]
    parts.append("</div>")
    parts.append(_examples_html(ev, share_texts))
    if ev.notes:
        parts.append('<h2>Notes</h2><ul class="notes">')
        parts += [f"<li>{_esc(n)}</li>" for n in ev.notes]
        parts.append("</ul>")
    rows = "".join(f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in _run_rows(ev))
    parts.append(
        "<h2>Run</h2><details><summary>provenance, counts, settings, versions</summary>"
        f'<table class="run"><tbody>{rows}</tbody></table></details>'
    )
    parts.append(
        '<p class="meta">Metric definitions and worked examples: '
        "<code>evaluation/README.md</code>.</p></main></body></html>"
    )
    return "\n".join(parts) + "\n"


def _examples_html(ev: Evaluation, share_texts: bool) -> str:
    groups = _grouped(ev.examples)
    out = ["<h2>Error examples</h2>"]
    if not groups:
        return out[0] + "<p>No errors.</p>"
    if not share_texts and not ev.shareable:
        out.append(
            "<p>Texts withheld: this corpus may not be redistributed. Run "
            f"<code>claimx evaluate --task {_esc(ev.task)}</code> locally to see them.</p><ul>"
        )
        for category, items in groups.items():
            ids = ", ".join(sorted({ex.doc for ex in items}))
            out.append(f"<li>{_esc(category)}: {len(items)} (documents: {_esc(ids)})</li>")
        return "".join(out) + "</ul>"
    used = {cls for ex in ev.examples for _, _, cls in ex.marks}
    out.append('<div class="legend">')
    out += [
        f'<span><mark class="{cls}">&nbsp;&nbsp;&nbsp;</mark> {_esc(text)}</span>'
        for cls, text in MARK_LEGEND
        if cls in used
    ]
    out.append("</div>")
    for category, items in groups.items():
        out.append(f"<h3>{_esc(category)} <small>({len(items)})</small></h3>")
        for ex in items:
            note = f" · {_esc(ex.note)}" if ex.note else ""
            text = f"<p>{_marked_html(ex)}</p>" if ex.text else ""
            out.append(
                f'<div class="example"><div class="where"><code>{_esc(ex.doc)}</code>{note}</div>'
                f"{text}</div>"
            )
    return "\n".join(out)
