"""Build the gold records of the Wikinews corpus (record format v1) from the annotations.

``articles.jsonl`` holds the articles (CC BY 2.5, Wikinews contributors; the URL of each is in
its line). ``annotations/<id>.json`` holds one article's hand annotation, every span written
as ``[surface, occurrence]``: the exact surface string and its 0-based index among the
whole-word matches in the article text, located by search so offsets are never typed by
hand. The annotation file's shape::

    {"id": "wikinews-2019-002",
     "target": "a proposition the article's experts take sides on",
     "experts": [{"name", "kind", "role", "organization", "mentions": [[surface, n], ...]}],
     "claims": [{"key", "speaker", "mention": [s, n] | null, "cue": [s, n] | null,
                 "content": [s, n], "kind": "direct|indirect|mixed", "far": false}],
     "stances": [{"speaker", "label", "evidence": [claim keys]}],
     "facts": [{"span": [s, n], "value", "upper", "unit", "kind", "bound", "trend",
                "subject", "time", "source", "claim": claim key | null}],
     "notes": ["borderline decisions, one per line"]}

A claim's cue and mention must sit in the paragraph where its content starts, or in the
paragraph just before, unless the claim says ``"far": true``.

Run from the repo root: ``.venv/bin/python corpora/wikinews/build_gold.py`` (writes
``wikinews.gold.jsonl``; ``--check`` only validates and reports).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from claimx.records import ArticleRecord

HERE = Path(__file__).resolve().parent
ARTICLES_PATH = HERE / "articles.jsonl"
ANNOTATIONS = HERE / "annotations"
GOLD_PATH = HERE / "wikinews.gold.jsonl"

KINDS = {"direct", "indirect", "mixed"}
LABELS = {"favor", "against", "neutral"}
FACT_KINDS = {"quantity", "money", "percent", "count", "duration", "date"}
BOUNDS = {"exact", "approx", "lower", "upper", "range"}


class AnnotationError(ValueError):
    """An annotation that cannot be located or breaks a rule of the guide."""


def read_articles(path: Path = ARTICLES_PATH) -> dict[str, dict[str, Any]]:
    """The corpus articles by id, in file order."""
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["id"]: row for row in rows}


def locate(text: str, loc: list[Any] | tuple[str, int], where: str = "") -> dict[str, Any]:
    """Span dict of the ``n``-th whole-word occurrence of ``surface`` in ``text``."""
    if not isinstance(loc, (list, tuple)) or len(loc) != 2:
        raise AnnotationError(f"{where}: a span is [surface, occurrence], got {loc!r}")
    surface, n = loc
    if not surface or not isinstance(n, int):
        raise AnnotationError(f"{where}: a span is [surface, occurrence], got {loc!r}")
    left = r"(?<!\w)" if surface[0].isalnum() else ""
    right = r"(?!\w)" if surface[-1].isalnum() else ""
    starts = [m.start() for m in re.finditer(left + re.escape(surface) + right, text)]
    if n >= len(starts):
        raise AnnotationError(f"{where}: {surface!r} occurrence {n} asked, {len(starts)} found")
    start = starts[n]
    return {"start": start, "end": start + len(surface), "text": surface}


def _paragraph(text: str, offset: int) -> int:
    return len(re.findall(r"\n\s*\n", text[:offset]))


def build_record(article: dict[str, Any], ann: dict[str, Any]) -> ArticleRecord:
    """One validated gold record from an article and its annotation."""
    text = article["text"]
    rid = article["id"]
    experts = []
    for e in ann.get("experts", []):
        if e.get("kind") not in {"person", "organization", "group"}:
            raise AnnotationError(f"{rid}: expert {e.get('name')!r} has kind {e.get('kind')!r}")
        mentions = [locate(text, m, f"{rid} expert {e['name']}") for m in e.get("mentions", [])]
        experts.append(
            {
                "name": e["name"],
                "kind": e["kind"],
                "role": e.get("role"),
                "organization": e.get("organization"),
                "mentions": sorted(mentions, key=lambda s: s["start"]),
            }
        )
    names = {e["name"] for e in experts}
    raw = ann.get("claims", [])
    keys = [c["key"] for c in raw]
    if len(set(keys)) != len(keys):
        raise AnnotationError(f"{rid}: claim keys must be unique")
    claims = []
    for c in raw:
        where = f"{rid} claim {c['key']!r}"
        if c.get("kind") not in KINDS:
            raise AnnotationError(f"{where}: kind {c.get('kind')!r}")
        if c.get("speaker") is not None and c["speaker"] not in names:
            raise AnnotationError(f"{where}: speaker {c['speaker']!r} is not an expert")
        content = locate(text, c["content"], where)
        cue = None if c.get("cue") is None else locate(text, c["cue"], where)
        mention = None if c.get("mention") is None else locate(text, c["mention"], where)
        home = _paragraph(text, content["start"])
        for part in (cue, mention):
            if part is None or c.get("far"):
                continue
            if _paragraph(text, part["start"]) not in (home, home - 1):
                raise AnnotationError(f"{where}: {part['text']!r} is far from the content")
        claims.append(
            {
                "key": c["key"],
                "speaker": c.get("speaker"),
                "speaker_mention": mention,
                "content": content,
                "cue": cue,
                "kind": c["kind"],
            }
        )
    claims.sort(key=lambda c: (c["content"]["start"], c["content"]["end"]))
    order = [c.pop("key") for c in claims]
    stances = []
    for s in ann.get("stances", []):
        if s.get("label") not in LABELS or s.get("speaker") not in names:
            raise AnnotationError(f"{rid}: bad stance {s!r}")
        missing = [k for k in s.get("evidence", []) if k not in order]
        if missing:
            raise AnnotationError(f"{rid}: stance evidence {missing} names no claim")
        stances.append(
            {
                "speaker": s["speaker"],
                "target": ann["target"],
                "label": s["label"],
                "score": None,
                "evidence": sorted(order.index(k) for k in s.get("evidence", [])),
            }
        )
    facts = []
    for f in ann.get("facts", []):
        where = f"{rid} fact {f.get('span')!r}"
        if f.get("kind") not in FACT_KINDS or f.get("bound", "exact") not in BOUNDS:
            raise AnnotationError(f"{where}: kind {f.get('kind')!r} / bound {f.get('bound')!r}")
        if f.get("source") is not None and f["source"] not in names:
            raise AnnotationError(f"{where}: source {f['source']!r} is not an expert")
        if f.get("claim") is not None and f["claim"] not in order:
            raise AnnotationError(f"{where}: claim {f['claim']!r} names no claim")
        facts.append(
            {
                "span": locate(text, f["span"], where),
                "value": float(f["value"]),
                "upper": None if f.get("upper") is None else float(f["upper"]),
                "unit": f.get("unit"),
                "kind": f["kind"],
                "bound": f.get("bound", "exact"),
                "trend": f.get("trend"),
                "subject": f.get("subject"),
                "time": f.get("time"),
                "source": f.get("source"),
                "claim": None if f.get("claim") is None else order.index(f["claim"]),
            }
        )
    facts.sort(key=lambda f: (f["span"]["start"], f["span"]["end"]))
    record = ArticleRecord.from_dict(
        {
            "id": rid,
            "text": text,
            "experts": experts,
            "claims": claims,
            "stances": stances,
            "facts": facts,
            "target": ann.get("target"),
            "title": article.get("title"),
            "url": article.get("url"),
        }
    )
    record.validate()
    return record


def build_all(strict: bool = True) -> tuple[list[ArticleRecord], list[str]]:
    """Records of every annotated article, in corpus order, and the errors met."""
    articles = read_articles()
    records, errors = [], []
    for rid, article in articles.items():
        path = ANNOTATIONS / f"{rid}.json"
        if not path.exists():
            continue
        try:
            ann = json.loads(path.read_text(encoding="utf-8"))
            if ann.get("id") != rid:
                raise AnnotationError(f"{path.name}: id {ann.get('id')!r} != {rid!r}")
            records.append(build_record(article, ann))
        except (AnnotationError, KeyError, TypeError, ValueError) as err:
            if strict:
                raise
            errors.append(f"{rid}: {err}")
    return records, errors


def render(records: list[ArticleRecord]) -> str:
    """The gold file's exact content: one JSON line per annotated article."""
    return "".join(r.to_json() + "\n" for r in records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = parser.parse_args(argv)
    records, errors = build_all(strict=False)
    for err in errors:
        print("error:", err, file=sys.stderr)
    n_claims = sum(len(r.claims) for r in records)
    n_facts = sum(len(r.facts) for r in records)
    print(f"{len(records)} articles, {n_claims} claims, {n_facts} facts, {len(errors)} errors")
    if errors:
        return 1
    if not args.check:
        GOLD_PATH.write_text(render(records), encoding="utf-8")
        print(f"wrote {GOLD_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
