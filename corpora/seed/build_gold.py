"""Build the hand-made gold record of the reference article (record format v1).

Every annotation below is written as the exact surface string plus an occurrence index
(counted over whole-word matches in the article, 0-based) and located by search, so the
offsets are exact by construction. See ``corpora/README.md`` for the guide and the
borderline decisions.

Run from the repo root: ``.venv/bin/python corpora/seed/build_gold.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from claimx.records import ArticleRecord

HERE = Path(__file__).resolve().parent
TEXT_PATH = HERE / "japan-arms-exports.txt"
GOLD_PATH = HERE / "japan-arms-exports.gold.jsonl"
RECORD_ID = "seed-japan-arms-exports"
TARGET = "Japan can become a major global arms exporter"
SIPRI = "Stockholm International Peace Research Institute"

#: A located string: (surface, occurrence index among whole-word matches).
Loc = tuple[str, int]

# -- experts: canonical name, kind, role and organization as stated, every mention ----------
EXPERTS: list[dict[str, Any]] = [
    {
        "name": "Gen Nakatani",
        "kind": "person",
        "role": "Defense Minister",
        "organization": None,
        "mentions": [("Gen Nakatani", 0), ("he", 0)],
    },
    {
        "name": "experts",
        "kind": "group",
        "role": None,
        "organization": None,
        "mentions": [("experts", 0), ("Experts", 0)],
    },
    {
        "name": "Rintaro Inoue",
        "kind": "person",
        "role": "research associate",
        "organization": "Institute of Geoeconomics",
        "mentions": [
            ("Rintaro Inoue", 0),
            ("he", 1),
            ("Inoue", 1),
            ("Inoue", 2),
            ("Inoue", 3),
            ("he", 4),
        ],
    },
    {
        "name": "Naoko Aoki",
        "kind": "person",
        "role": "political scientist",
        "organization": "RAND",
        "mentions": [("Naoko Aoki", 0), ("Aoki", 1), ("Aoki", 2)],
    },
    {
        "name": SIPRI,
        "kind": "organization",
        "role": None,
        "organization": None,
        "mentions": [(SIPRI, 0)],
    },
    {
        "name": "David Roche",
        "kind": "person",
        "role": "strategist",
        "organization": "Quantum Strategy",
        "mentions": [
            ("David Roche", 0),
            ("he", 3),
            ("Roche", 1),
            ("Roche", 2),
            ("Roche", 3),
            ("Roche", 4),
        ],
    },
    {
        "name": "Pete Hegseth",
        "kind": "person",
        "role": "Defense Secretary",
        "organization": "U.S.",
        "mentions": [("Pete Hegseth", 0), ("Hegseth", 1)],
    },
]

# -- claims, in reading order; "key" names a claim for stances and facts --------------------
CLAIMS: list[dict[str, Any]] = [
    {
        "key": "nakatani-promote",
        "speaker": "Gen Nakatani",
        "mention": ("Gen Nakatani", 0),
        "cue": ("told", 0),
        "content": ("he wanted to promote Japan’s defense exports", 0),
        "kind": "indirect",
    },
    {
        "key": "experts-motivations",
        "speaker": "experts",
        "mention": ("experts", 0),
        "cue": ("told", 1),
        "content": (
            "While the shift in stance comes at a time when global defense spending has been on "
            "the rise, Japan’s motivations are linked more to its security concerns than "
            "profiting from the surge in global arms demand",
            0,
        ),
        "kind": "indirect",
    },
    {
        "key": "inoue-biggest-reason",
        "speaker": "Rintaro Inoue",
        "mention": ("Rintaro Inoue", 0),
        "cue": ("said", 0),
        "content": (
            "The biggest reason behind this shift is to deepen ties and increase "
            "interoperability of Japanese forces with allies and partners",
            0,
        ),
        "kind": "indirect",
    },
    {
        "key": "inoue-main-pillar",
        "speaker": "Rintaro Inoue",
        "mention": ("he", 1),
        "cue": ("said", 1),
        "content": (
            "This rationale has been the main pillar after Prime Minister [Shinzo] Abe created "
            "the concept of ‘proactive contribution to peace’ in 2013 which aims to deepen "
            "cooperation with other Western countries in this area, and especially in security "
            "fields,",
            0,
        ),
        "kind": "direct",
    },
    {
        "key": "inoue-industrial-base",
        "speaker": "Rintaro Inoue",
        "mention": ("Inoue", 1),
        "cue": ("said", 2),
        "content": (
            "Japan also wants to develop its defense industrial base, which had been in “very "
            "poor conditions” before the country moved to increase its defense budget in 2022",
            0,
        ),
        "kind": "mixed",
    },
    {
        "key": "inoue-severe-situation",
        "speaker": "Rintaro Inoue",
        "mention": ("Inoue", 2),
        "cue": ("said", 3),
        "content": (
            "This created a severe situation among the defense industry based in Japan, and "
            "several companies have left the industry, especially in the supply chain,",
            0,
        ),
        "kind": "direct",
    },
    {
        "key": "aoki-limited-demand",
        "speaker": "Naoko Aoki",
        "mention": ("Naoko Aoki", 0),
        "cue": ("said", 4),
        "content": (
            "Japanese defense firms have traditionally operated with limited domestic demand "
            "from the JSDF",
            0,
        ),
        "kind": "indirect",
    },
    {
        "key": "aoki-one-time-request",
        "speaker": "Naoko Aoki",
        "mention": ("Aoki", 1),
        "cue": ("said", 5),
        "content": (
            "Even if the JSDF needed more of, for example munitions, these companies would not "
            "be eager to invest in new facilities to produce more of them, if they think that is "
            "a one-time request. If there were more stable demand at a higher level, however, "
            "they can justify the investment,",
            0,
        ),
        "kind": "direct",
    },
    {
        "key": "sipri-exports",
        "speaker": SIPRI,
        "mention": (SIPRI, 0),
        "cue": ("according to", 0),
        "content": (
            "As of 2024, Japan’s arms exports stood at 21 million TIV — just 0.1% of global arms "
            "exports",
            0,
        ),
        "kind": "indirect",
    },
    {
        "key": "roche-growth-sector",
        "speaker": "David Roche",
        "mention": ("David Roche", 0),
        "cue": ("according to", 1),
        "content": ("Defense is attractive as a growth sector", 0),
        "kind": "indirect",
    },
    {
        "key": "roche-demand-supply",
        "speaker": "David Roche",
        "mention": ("he", 3),
        "cue": ("said", 6),
        "content": ("Demand will exceed supply for a decade,", 0),
        "kind": "direct",
    },
    {
        "key": "roche-transactional",
        "speaker": "David Roche",
        "mention": ("Roche", 1),
        "cue": ("said", 7),
        "content": (
            "if nations such as Japan stay dependent on the U.S., the Trump administration’s "
            "more transactional approach will oblige them to pay for much more of their own "
            "defense, or defense equipment supplied by the U.S.",
            0,
        ),
        "kind": "indirect",
    },
    {
        "key": "hegseth-insist",
        "speaker": "Pete Hegseth",
        "mention": ("Pete Hegseth", 0),
        "cue": ("speech", 0),
        "content": (
            "We ask — and indeed, we insist — that our allies and partners do their part on "
            "defense … NATO members are pledging to spend 5% of their GDP on defense, even "
            "Germany.",
            0,
        ),
        "kind": "direct",
    },
    {
        "key": "hegseth-asia",
        "speaker": "Pete Hegseth",
        "mention": ("Hegseth", 1),
        "cue": ("added", 0),
        "content": (
            "So it doesn’t make sense for countries in Europe to do that while key allies in "
            "Asia spend less on defense in the face of an even more formidable threat, not to "
            "mention North Korea,",
            0,
        ),
        "kind": "direct",
    },
    {
        "key": "roche-own-security",
        "speaker": "David Roche",
        "mention": ("Roche", 3),
        "cue": ("said", 8),
        "content": (
            "If they distrust the U.S. to honor its treaty engagements, then individual nations "
            "must ensure their own security and spend a lot of money doing so,",
            0,
        ),
        "kind": "direct",
    },
    {
        "key": "roche-major-supplier",
        "speaker": "David Roche",
        "mention": ("Roche", 4),
        "cue": ("says", 0),
        "content": (
            "Japan has the knowledge, skills and technology to be a major arms supplier",
            0,
        ),
        "kind": "indirect",
    },
    {
        "key": "inoue-manufacturing-issues",
        "speaker": "Rintaro Inoue",
        "mention": ("Inoue", 3),
        "cue": ("warns", 0),
        "content": (
            "Japan may face manufacturing issues due to its falling population and growing "
            "proportion of seniors",
            0,
        ),
        "kind": "indirect",
    },
    {
        "key": "inoue-very-difficult",
        "speaker": "Rintaro Inoue",
        "mention": ("he", 4),
        "cue": ("said", 9),
        "content": (
            "I think it’s very difficult for Japan to once again focus into manufacturing jobs,",
            0,
        ),
        "kind": "direct",
    },
    {
        "key": "aoki-strict-regulations",
        "speaker": "Naoko Aoki",
        "mention": ("Aoki", 2),
        "cue": ("pointed to", 1),
        "content": (
            "“Japan has the technical capacity to do many things,” but as export regulations "
            "remain severe, it will use exports mainly as a tool to strengthen its defense "
            "industrial base and defense relations with like-minded countries, particularly "
            "the U.S.",
            0,
        ),
        "kind": "mixed",
    },
]

# -- stances toward the article's central question -------------------------------------------
STANCES: list[dict[str, Any]] = [
    {
        "speaker": "David Roche",
        "label": "favor",
        "evidence": ["roche-growth-sector", "roche-demand-supply", "roche-major-supplier"],
    },
    {
        "speaker": "Rintaro Inoue",
        "label": "against",
        "evidence": [
            "inoue-severe-situation",
            "inoue-manufacturing-issues",
            "inoue-very-difficult",
        ],
    },
    {
        "speaker": "Naoko Aoki",
        "label": "neutral",
        "evidence": ["aoki-limited-demand", "aoki-strict-regulations"],
    },
]

# -- numeric facts, years included; written in any order, sorted by offset on output --------
FACTS: list[dict[str, Any]] = [
    {
        "span": ("2013", 0),
        "value": 2013,
        "unit": "year",
        "kind": "date",
        "subject": "Abe's concept of 'proactive contribution to peace'",
        "time": "2013",
        "source": "Rintaro Inoue",
        "claim": "inoue-main-pillar",
    },
    {
        "span": ("2022", 0),
        "value": 2022,
        "unit": "year",
        "kind": "date",
        "subject": "Japan's move to increase its defense budget",
        "time": "2022",
        "source": "Rintaro Inoue",
        "claim": "inoue-industrial-base",
    },
    {
        "span": ("2023", 0),
        "value": 2023,
        "unit": "year",
        "kind": "date",
        "subject": "report of companies leaving Japan's defense industry",
        "time": "2023",
    },
    {
        "span": ("more than 100 companies", 0),
        "value": 100,
        "unit": "company",
        "kind": "count",
        "bound": "lower",
        "subject": "companies that left Japan's defense industry",
        "time": "2023",
    },
    {
        "span": ("20 years", 0),
        "value": 20,
        "unit": "year",
        "kind": "duration",
        "subject": "period in which the companies left Japan's defense industry",
        "time": "2023",
    },
    {
        "span": ("2024", 0),
        "value": 2024,
        "unit": "year",
        "kind": "date",
        "subject": "Japan's arms exports",
        "time": "2024",
        "source": SIPRI,
        "claim": "sipri-exports",
    },
    {
        "span": ("21 million TIV", 0),
        "value": 21_000_000,
        "unit": "TIV",
        "kind": "quantity",
        "subject": "Japan's arms exports",
        "time": "2024",
        "source": SIPRI,
        "claim": "sipri-exports",
    },
    {
        "span": ("0.1%", 0),
        "value": 0.1,
        "unit": "percent",
        "kind": "percent",
        "subject": "Japan's share of global arms exports",
        "time": "2024",
        "source": SIPRI,
        "claim": "sipri-exports",
    },
    {
        "span": ("936 million TIV", 0),
        "value": 936_000_000,
        "unit": "TIV",
        "kind": "quantity",
        "subject": "South Korea's arms exports",
        "time": "2024",
        "source": SIPRI,
    },
    {
        "span": ("2024", 1),
        "value": 2024,
        "unit": "year",
        "kind": "date",
        "subject": "South Korea's arms exports",
        "time": "2024",
        "source": SIPRI,
    },
    {
        "span": ("3.3%", 0),
        "value": 3.3,
        "unit": "percent",
        "kind": "percent",
        "subject": "South Korea's share of global arms exports",
        "time": "2024",
        "source": SIPRI,
    },
    {
        "span": ("2020-2024", 0),
        "value": 2020,
        "upper": 2024,
        "unit": "year",
        "kind": "date",
        "bound": "range",
        "subject": "China as the largest Asian arms exporter",
        "time": "2020-2024",
        "source": SIPRI,
    },
    {
        "span": ("1.13 billion", 0),
        "value": 1_130_000_000,
        "unit": "TIV",
        "kind": "quantity",
        "subject": "China's arms exports",
        "time": "2024",
        "source": SIPRI,
    },
    {
        "span": ("3.9%", 0),
        "value": 3.9,
        "unit": "percent",
        "kind": "percent",
        "subject": "China's share of global arms exports",
        "time": "2024",
        "source": SIPRI,
    },
    {
        "span": ("a decade", 0),
        "value": 10,
        "unit": "year",
        "kind": "duration",
        "subject": "period in which defense demand will exceed supply",
        "source": "David Roche",
        "claim": "roche-demand-supply",
    },
    {
        "span": ("2025", 0),
        "value": 2025,
        "unit": "year",
        "kind": "date",
        "subject": "Shangri-La Dialogue",
        "time": "2025",
    },
    {
        "span": ("5%", 0),
        "value": 5,
        "unit": "percent",
        "kind": "percent",
        "subject": "NATO members' pledged defense spending as a share of GDP",
        "time": "2025",
        "source": "Pete Hegseth",
        "claim": "hegseth-insist",
    },
    {
        "span": ("1967", 0),
        "value": 1967,
        "unit": "year",
        "kind": "date",
        "subject": "Japan's adoption of the Three Principles on Arms Exports",
        "time": "1967",
    },
    {
        "span": ("2023", 1),
        "value": 2023,
        "unit": "year",
        "kind": "date",
        "subject": "Fumio Kishida's further easing of the export curbs",
        "time": "2023",
    },
    {
        "span": ("2023", 2),
        "value": 2023,
        "unit": "year",
        "kind": "date",
        "subject": "Japan's agreement to make and export Patriot interceptor missiles to the U.S.",
        "time": "2023",
    },
]


def read_text(path: Path = TEXT_PATH) -> str:
    """The article exactly as read from disk (utf-8, no newline translation)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def locate(text: str, loc: Loc) -> dict[str, Any]:
    """Span dict of the ``n``-th whole-word occurrence of ``surface`` in ``text``."""
    surface, n = loc
    left = r"(?<!\w)" if surface[0].isalnum() else ""
    right = r"(?!\w)" if surface[-1].isalnum() else ""
    starts = [m.start() for m in re.finditer(left + re.escape(surface) + right, text)]
    if n >= len(starts):
        raise ValueError(f"{surface!r}: occurrence {n} asked, {len(starts)} found")
    start = starts[n]
    end = start + len(surface)
    assert text[start:end] == surface
    return {"start": start, "end": end, "text": surface}


def _paragraph(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def build(text: str | None = None) -> ArticleRecord:
    """The validated gold record."""
    text = read_text() if text is None else text
    experts = [
        {
            **e,
            "mentions": sorted((locate(text, m) for m in e["mentions"]), key=lambda s: s["start"]),
        }
        for e in EXPERTS
    ]
    keys = [c["key"] for c in CLAIMS]
    assert len(set(keys)) == len(keys), "claim keys must be unique"
    claims = []
    for c in CLAIMS:
        content = locate(text, c["content"])
        cue = None if c["cue"] is None else locate(text, c["cue"])
        mention = None if c["mention"] is None else locate(text, c["mention"])
        for part in (cue, mention):
            # The cue and source mention sit in the paragraph of the content they introduce.
            if part is not None and _paragraph(text, part["start"]) != _paragraph(
                text, content["start"]
            ):
                raise ValueError(f"claim {c['key']!r}: {part['text']!r} is in another paragraph")
        claims.append(
            {
                "speaker": c["speaker"],
                "speaker_mention": mention,
                "content": content,
                "cue": cue,
                "kind": c["kind"],
            }
        )
    order = sorted(range(len(claims)), key=lambda i: claims[i]["content"]["start"])
    assert order == list(range(len(claims))), "claims must be listed in reading order"
    stances = [
        {
            "speaker": s["speaker"],
            "target": TARGET,
            "label": s["label"],
            "score": None,
            "evidence": [keys.index(k) for k in s["evidence"]],
        }
        for s in STANCES
    ]
    facts = []
    for f in FACTS:
        facts.append(
            {
                "span": locate(text, f["span"]),
                "value": float(f["value"]),
                "upper": None if f.get("upper") is None else float(f["upper"]),
                "unit": f["unit"],
                "kind": f["kind"],
                "bound": f.get("bound", "exact"),
                "trend": f.get("trend"),
                "subject": f.get("subject"),
                "time": f.get("time"),
                "source": f.get("source"),
                "claim": None if f.get("claim") is None else keys.index(f["claim"]),
            }
        )
    facts.sort(key=lambda f: f["span"]["start"])
    record = ArticleRecord.from_dict(
        {
            "id": RECORD_ID,
            "text": text,
            "experts": experts,
            "claims": claims,
            "stances": stances,
            "facts": facts,
            "target": TARGET,
        }
    )
    record.validate()
    names = {e.name for e in record.experts}
    for fact in record.facts:
        assert fact.source is None or fact.source in names, fact.source
    return record


def render(record: ArticleRecord | None = None) -> str:
    """The gold file's exact content: one JSON line."""
    return (record or build()).to_json() + "\n"


def main() -> None:
    GOLD_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {GOLD_PATH}")


if __name__ == "__main__":
    main()
