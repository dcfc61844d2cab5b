"""Write the golden files: gold/pred records, stance label pairs, expected scores.

    .venv/bin/python tests/golden/make_golden.py              # gold.jsonl, pred.jsonl, stance.json
    .venv/bin/python tests/golden/make_golden.py --expected   # also rewrite expected.json

Every span is written by hand as its surface string and occurrence index, then located in
the text, so offsets are never typed. The expected scores (``expected.json``) were checked
by hand: the worked examples of ``evaluation/README.md`` derive them.
``tests/test_eval_golden.py`` recomputes them and compares exactly; rewrite ``expected.json``
only after checking a change by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

TEXT_A = (
    '"Prices will fall next year," said Ann Lee, an economist at Acme Bank. '
    "Lee said that exports rose 5% in 2023. "
    "Bo Chan, a senator, warned that the plan costs $2 billion."
)
TEXT_B = (
    'According to the ministry, about 300 people left the town. "We will return," one '
    "resident said. Officials said the dam is safe. The river rose 2 metres overnight."
)
TEXT_C = "Mayor Jo Park said 12 roads are closed."
TARGET_A = "The economy will improve"
TARGET_B = "The town is safe"


def span(text: str, surface: str, n: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(n + 1):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "text": surface}


def expert(name: str, kind: str = "person", role: str | None = None, org: str | None = None):
    return {"name": name, "kind": kind, "role": role, "organization": org, "mentions": []}


def claim(t: str, speaker, mention, cue, content, kind: str) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "speaker_mention": None if mention is None else span(t, *mention),
        "content": span(t, *content),
        "cue": None if cue is None else span(t, *cue),
        "kind": kind,
    }


def fact(t: str, surface, value, unit, kind, bound="exact", time=None, source=None, claim=None):
    return {
        "span": span(t, *surface),
        "value": value,
        "upper": None,
        "unit": unit,
        "kind": kind,
        "bound": bound,
        "trend": None,
        "subject": None,
        "time": time,
        "source": source,
        "claim": claim,
    }


def stance(speaker: str, target: str, label: str, evidence: list[int]) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "target": target,
        "label": label,
        "score": None,
        "evidence": evidence,
    }


def record(rid, text, experts, claims, facts, stances, target=None) -> dict[str, Any]:
    out = {
        "id": rid,
        "text": text,
        "experts": experts,
        "claims": claims,
        "stances": stances,
        "facts": facts,
    }
    if target is not None:
        out["target"] = target
    return out


def gold() -> list[dict[str, Any]]:
    a, b, c = TEXT_A, TEXT_B, TEXT_C
    return [
        record(
            "golden-a",
            a,
            [
                expert("Ann Lee", role="economist", org="Acme Bank"),
                expert("Bo Chan", role="senator"),
            ],
            [
                claim(
                    a,
                    "Ann Lee",
                    ("Ann Lee",),
                    ("said",),
                    ("Prices will fall next year,",),
                    "direct",
                ),
                claim(
                    a, "Ann Lee", ("Lee", 1), ("said", 1), ("exports rose 5% in 2023",), "indirect"
                ),
                claim(
                    a,
                    "Bo Chan",
                    ("Bo Chan",),
                    ("warned",),
                    ("the plan costs $2 billion",),
                    "indirect",
                ),
            ],
            [
                fact(a, ("5%",), 5.0, "percent", "percent", time="2023", source="Ann Lee", claim=1),
                fact(a, ("2023",), 2023.0, "year", "date", time="2023", source="Ann Lee", claim=1),
                fact(a, ("$2 billion",), 2e9, "USD", "money", source="Bo Chan", claim=2),
            ],
            [
                stance("Ann Lee", TARGET_A, "favor", [0, 1]),
                stance("Bo Chan", TARGET_A, "against", [2]),
            ],
            TARGET_A,
        ),
        record(
            "golden-b",
            b,
            [
                expert("ministry", kind="organization"),
                expert("one resident", kind="group"),
                expert("Officials", kind="group"),
            ],
            [
                claim(
                    b,
                    "ministry",
                    ("ministry",),
                    ("According to",),
                    ("about 300 people left the town",),
                    "indirect",
                ),
                claim(
                    b, "one resident", ("one resident",), ("said",), ("We will return,",), "direct"
                ),
                claim(
                    b, "Officials", ("Officials",), ("said", 1), ("the dam is safe",), "indirect"
                ),
            ],
            [
                fact(
                    b,
                    ("about 300 people",),
                    300.0,
                    "people",
                    "count",
                    "approx",
                    source="ministry",
                    claim=0,
                ),
                fact(b, ("2 metres",), 2.0, "metre", "quantity"),
            ],
            [
                stance("one resident", TARGET_B, "neutral", [1]),
                stance("Officials", TARGET_B, "favor", [2]),
            ],
            TARGET_B,
        ),
        record(
            "golden-c",
            c,
            [expert("Jo Park", role="Mayor")],
            [claim(c, "Jo Park", ("Jo Park",), ("said",), ("12 roads are closed",), "indirect")],
            [fact(c, ("12 roads",), 12.0, "road", "count", source="Jo Park", claim=0)],
            [],
        ),
    ]


def pred() -> list[dict[str, Any]]:
    a, b = TEXT_A, TEXT_B
    return [
        record(
            "golden-a",
            a,
            [
                expert("Ann Lee", role="economist", org="Acme"),
                expert("Bo Chan"),
            ],
            [
                claim(
                    a, "Ann Lee", ("Ann Lee",), ("said",), ("Prices will fall next year",), "direct"
                ),
                claim(a, "Ann Lee", ("Lee", 1), ("said", 1), ("exports rose 5% in 2023",), "mixed"),
                claim(a, "Ann Lee", None, ("warned",), ("the plan costs $2 billion",), "indirect"),
            ],
            [
                fact(a, ("5%",), 5.0, "percent", "percent", time="2023", source="Ann Lee", claim=1),
                fact(a, ("2023",), 2023.0, "year", "date"),
                fact(a, ("2 billion",), 2e9, "dollar", "money", time="2023", source="Bo Chan"),
            ],
            [stance("Ann Lee", TARGET_A, "favor", [0, 1])],
            TARGET_A,
        ),
        record(
            "golden-b",
            b,
            [expert("ministry", kind="organization"), expert("one resident", kind="group")],
            [
                claim(
                    b,
                    "ministry",
                    ("ministry",),
                    ("According to",),
                    ("about 300 people left the town",),
                    "indirect",
                ),
                claim(
                    b, "one resident", ("one resident",), ("said",), ("We will return,",), "direct"
                ),
                claim(b, None, None, None, ("The river rose 2 metres overnight",), "indirect"),
            ],
            [
                fact(
                    b,
                    ("300 people",),
                    300.0,
                    "people",
                    "count",
                    "approx",
                    source="ministry",
                    claim=0,
                ),
                fact(b, ("one",), 1.0, "resident", "count"),
            ],
            [
                stance("one resident", TARGET_B, "favor", [1]),
                stance("Officials", TARGET_B, "favor", []),
            ],
            TARGET_B,
        ),
    ]


#: 24 hand-written stance items: 10 favor, 8 against, 6 neutral gold labels.
STANCE_GOLD = ["favor"] * 10 + ["against"] * 8 + ["neutral"] * 6
STANCE_PRED = (
    ["favor"] * 7
    + ["against"] * 2
    + ["neutral"]
    + ["against"] * 5
    + ["favor"] * 2
    + ["neutral"]
    + ["neutral"] * 3
    + ["favor"] * 2
    + ["none"]
)


def expected() -> dict[str, Any]:
    """The scores of the golden files as ``tests/test_eval_golden.py`` computes them."""
    from evaluation import loaders
    from evaluation.score import score_records
    from evaluation.stance import score_labels

    golds, _ = loaders.to_records(loaders.load_records(HERE / "gold.jsonl"))
    preds, failed = loaders.to_records(loaders.load_records(HERE / "pred.jsonl"))
    rs = score_records(golds, preds, failed)
    pairs = json.loads((HERE / "stance.json").read_text(encoding="utf-8"))
    return {
        "records": {
            "scores": rs.scores,
            "counts": rs.counts,
            "examples": [[e.category, e.doc, e.note] for e in rs.examples],
        },
        "stance": score_labels(pairs["gold"], pairs["pred"]),
    }


def main() -> None:
    import sys

    from claimx.records import ArticleRecord

    for name, rows in (("gold", gold()), ("pred", pred())):
        for row in rows:
            ArticleRecord.from_dict(row).validate()
        lines = [json.dumps(row, ensure_ascii=False) for row in rows]
        if name == "pred":
            lines.append(json.dumps({"id": "golden-c", "error": "ValueError: simulated failure"}))
        (HERE / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = {"gold": STANCE_GOLD, "pred": STANCE_PRED}
    (HERE / "stance.json").write_text(json.dumps(pairs) + "\n", encoding="utf-8")
    if "--expected" in sys.argv[1:]:
        text = json.dumps(expected(), indent=1, sort_keys=True)
        (HERE / "expected.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
