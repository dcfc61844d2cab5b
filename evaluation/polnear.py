"""Score attribution predictions on PolNeAR at document level.

Gold: ``polnear.jsonl`` and ``polnear_attributions.jsonl`` from the shared corpora folder
(see its README). Per article the first annotator line is used; spans inside the headline
(``"in_headline": true``) are skipped, since ``text`` does not contain the headline.

Spans: every attribution gives its source, cue and content spans. A discontinuous role
(several spans, e.g. a quote broken by "he said") is scored **fragment by fragment**: each
fragment is a gold span of its own, and a prediction that joins the fragments into one span
matches none of them exactly (it may still overlap-match the longest one). This keeps the
gold univocal and the scores comparable with span-level results; it is harsh on content.

Scoring is at DOCUMENT level, without gold sentences: all predicted spans of an article are
matched against all its gold spans (:mod:`evaluation.spans`): exact P/R/F1 for source, cue
and content, and overlap P/R/F1 (>= 50% of the longer span's characters) for content.
Predictions are claimx records: ``claim.cue`` is the cue, with a colon right after it
(:func:`polnear_cue`; PolNeAR's cue takes it); the source is the claim's source
phrase (the full noun phrase, PolNeAR's extent) when the record carries it in
``polnear_source_phrases`` (:func:`run_claimx` adds it), else ``claim.speaker_mention`` (the
bare name); the content is ``claim.content`` widened to PolNeAR's convention
(:func:`polnear_content`: the quotation marks and a leading "that", which claimx leaves out;
also 'that "...').

claimx runs in PolNeAR's scheme by default here (``--scheme polnear``, :func:`use_scheme`):
claims whose content is a noun phrase ("criticized the decision"), an intention ("plan
to address") or a clause after a cue that reports nothing ("sentenced X to life") or after
a passive cue with no agent ("was charged with") are kept, as PolNeAR annotates them;
claimx's records leave them out (``--scheme records``, its default).

Run: ``.venv/bin/python -m evaluation.polnear --split dev [--limit N] [--pred FILE.jsonl]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from claimx.paths import shared_dir
from claimx.pipeline import TAGGER
from claimx.records import ArticleRecord

from .spans import DEFAULT_MIN_RATIO, Offsets, add_counts, score_spans

SPLITS = ("train", "dev")
#: Annotation schemes claimx's claims can follow (:func:`use_scheme`).
SCHEMES = ("polnear", "records")
#: Merge options of PolNeAR's scheme (:class:`claimx.tagger.merge.MergeConfig`). Chosen on the
#: first 150 train articles (2026-12-06, tenth session; exact source / cue / content, overlap:
#: 81.7 / 76.3 / 66.7 / 79.8 without, 82.2 / 77.8 / 67.6 / 81.1 with), then dev: 80.1 / 74.9
#: / 65.3 / 77.4 -> 80.5 / 75.2 / 65.0 / 77.8. With tagger v4 (2026-12-07, fifteenth session,
#: AVX2 CPU in float32), chosen on the same 150 train articles with :data:`POLNEAR_O_BIAS`
#: among one-option changes and their combinations: cue and source from the sentence before
#: or after too (``window``) and a rule claim matched to a tagger content that shares a fifth
#: of the longer span's characters, not three tenths (``min_overlap``): train150 82.3 /
#: 76.6 / 67.9 / 79.6 -> 82.6 / 76.6 / 68.7 / 80.8; dev 80.9 / 75.8 / 67.3 / 78.9 -> 81.8 /
#: 75.6 / 67.4 / 79.8. Claimx's records keep the defaults (``window=1`` cost 2.1 points of
#: attributed-claim F1 on the own corpus before).
POLNEAR_MERGE = {
    "sourceless": True,
    "nested": True,
    "min_prob_framed": 0.4,
    "window": 1,
    "min_overlap": 0.2,
}
#: ``o_bias`` of the tagger in PolNeAR's scheme (:class:`claimx.tagger.component.SpanTagger`):
#: PolNeAR annotates more and longer spans than the tagger finds at its most probable tags
#: (P/R source 87.7 / 77.5, content 74.4 / 62.5 on train150), so its ``O`` is made less
#: likely. Chosen on train150 among 0, -0.25, -0.5, -1, -1.5 (alone: 82.3 / 76.6 / 67.9 /
#: 79.6 -> 82.4 / 76.6 / 68.3 / 79.9 at -0.5); claimx's records keep 0.
POLNEAR_O_BIAS = -0.5
ROLES = ("source", "cue", "content")
METRICS = ("source_exact", "cue_exact", "content_exact", "content_overlap")


def polnear_dir() -> Path:
    """``<shared>/corpora/polnear``."""
    return shared_dir() / "corpora" / "polnear"


@dataclass
class GoldDoc:
    """One PolNeAR article with its gold spans, one list per role."""

    id: str
    text: str
    source: list[Offsets] = field(default_factory=list)
    cue: list[Offsets] = field(default_factory=list)
    content: list[Offsets] = field(default_factory=list)


@dataclass
class Spans:
    """Predicted spans of one article, one list per role."""

    source: list[Offsets] = field(default_factory=list)
    cue: list[Offsets] = field(default_factory=list)
    content: list[Offsets] = field(default_factory=list)


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(f"{path}:{lineno}: invalid JSON ({err.msg})") from None


def gold_spans(attributions: Iterable[Mapping[str, Any]], text: str) -> Spans:
    """Source, cue and content fragments of one annotation line, headline spans skipped."""
    out = Spans()
    for attribution in attributions:
        for role in ROLES:
            for span in attribution.get(role) or []:
                if span.get("in_headline"):
                    continue
                start, end = int(span["start"]), int(span["end"])
                if text[start:end] != span.get("text", text[start:end]):
                    raise ValueError(f"PolNeAR span {start}..{end} does not match its text")
                getattr(out, role).append((start, end))
    return out


def load_polnear(
    split: str = "dev", limit: int | None = None, folder: Path | None = None
) -> list[GoldDoc]:
    """The annotated articles of ``split`` in file order, at most ``limit`` of them."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    folder = polnear_dir() if folder is None else folder
    articles = _read_jsonl(folder / "polnear.jsonl")
    texts = {a["id"]: a["text"] for a in articles if a["split"] == split}
    docs: dict[str, GoldDoc] = {}
    for line in _read_jsonl(folder / "polnear_attributions.jsonl"):
        rid = line["id"]
        if rid not in texts or rid in docs:  # other split, or a second annotator
            continue
        spans = gold_spans(line.get("attributions") or [], texts[rid])
        docs[rid] = GoldDoc(rid, texts[rid], spans.source, spans.cue, spans.content)
    ordered = [docs[rid] for rid in texts if rid in docs]
    return ordered if limit is None else ordered[:limit]


OPEN_MARKS = '"“‘`«'
CLOSE_MARKS = '"”’»'


def _quote_open(piece: str) -> bool:
    """Whether a quotation opened in ``piece`` is still open at its end."""
    piece = piece.replace("``", "“").replace("''", '"')
    curly = piece.count("“") + piece.count("«") - piece.count("”") - piece.count("»")
    return curly > 0 or piece.count('"') % 2 == 1


def polnear_content(text: str, start: int, end: int) -> Offsets:
    """Widen a claimx content span to PolNeAR's extent.

    claimx keeps direct content inside the quote marks and indirect content without "that";
    PolNeAR's content takes both. A quote mark right before the span is taken; when the span
    then leaves a quotation open, the punctuation and the closing mark right after it are
    taken (only the punctuation when the quotation runs on to the paragraph's end); NYT's
    doubled ``''`` counts as one mark. A "that" right before the span, or before the quote
    mark taken, is taken too (PolNeAR train: 85 of 87 contents that open a quote after
    "that" hold the "that").
    """
    if start >= 2 and text[start - 2 : start] in ("``", "''"):
        start -= 2
    elif start >= 1 and text[start - 1] in OPEN_MARKS:
        start -= 1
    if text[max(0, start - 5) : start].lower() == "that " and (
        start < 6 or not text[start - 6].isalnum()
    ):
        start -= 5
    if _quote_open(text[start:end]):
        stop = end
        while stop < len(text) and text[stop] in ".,?!;:":
            stop += 1
        if text[stop : stop + 2] == "''":
            end = stop + 2
        elif stop < len(text) and text[stop] in CLOSE_MARKS:
            end = stop + 1
        elif stop == len(text) or text[stop].isspace():
            end = stop
    return start, end


def polnear_cue(text: str, start: int, end: int) -> Offsets:
    """Widen a claimx cue to PolNeAR's extent: a colon right after it is taken ("said:";
    PolNeAR train: 283 of 300 cues right before a colon hold it)."""
    return (start, end + 1) if text[end : end + 1] == ":" else (start, end)


def claims_spans(text: str, claims: Iterable[Mapping[str, Any]]) -> Spans:
    """PolNeAR spans of claim dicts (``doc._.claimx_claims``).

    The source is the claim's ``source_phrase`` (the full noun phrase, PolNeAR's extent) when
    it has one, else its ``source`` mention; content is widened by :func:`polnear_content`.
    """
    out = Spans()
    for claim in claims:
        source = claim.get("source_phrase") or claim.get("source")
        if source is not None:
            out.source.append((int(source[0]), int(source[1])))
        if claim.get("cue") is not None:
            out.cue.append(polnear_cue(text, int(claim["cue"][0]), int(claim["cue"][1])))
        out.content.append(
            polnear_content(text, int(claim["content"][0]), int(claim["content"][1]))
        )
    return out


#: Record field (kept in ``ArticleRecord.extra``) with each claim's source phrase or null.
PHRASES_FIELD = "polnear_source_phrases"
_PHRASES: dict[str, list[Any]] = {}


@Language.component("polnear_source_phrases")
def keep_source_phrases(doc: Doc) -> Doc:
    """Pipe that notes each claim's ``source_phrase`` by article id, for :func:`run_claimx`."""
    _PHRASES[str(doc._.claimx_id)] = [c.get("source_phrase") for c in doc._.claimx_claims or []]
    return doc


def record_spans(record: ArticleRecord) -> Spans:
    """Predicted spans of a claimx record: source, widened cue and content of each claim.

    The source is the claim's source phrase when the record carries them (``run_claimx``
    adds them under ``polnear_source_phrases``), else its speaker mention.
    """
    out = Spans()
    phrases = record.extra.get(PHRASES_FIELD)
    if not isinstance(phrases, list) or len(phrases) != len(record.claims):
        phrases = [None] * len(record.claims)
    for claim, phrase in zip(record.claims, phrases, strict=True):
        if phrase is not None:
            out.source.append((int(phrase[0]), int(phrase[1])))
        elif claim.speaker_mention is not None:
            out.source.append((claim.speaker_mention.start, claim.speaker_mention.end))
        if claim.cue is not None:
            out.cue.append(polnear_cue(record.text, claim.cue.start, claim.cue.end))
        out.content.append(polnear_content(record.text, claim.content.start, claim.content.end))
    return out


def score_many(golds: Iterable[GoldDoc], preds: Iterable[Spans | None]) -> dict[str, dict]:
    """Micro-averaged metrics of predicted spans, one :class:`Spans` per gold article."""
    per_doc = [score_doc(g, p) for g, p in zip(golds, preds, strict=True)]
    return {m: add_counts(*(d[m] for d in per_doc)) for m in METRICS}


def score_doc(gold: GoldDoc, pred: Spans | None) -> dict[str, dict[str, float]]:
    """The four metrics of one article; ``pred=None`` scores an empty prediction."""
    pred = Spans() if pred is None else pred
    return {
        "source_exact": score_spans(gold.source, pred.source),
        "cue_exact": score_spans(gold.cue, pred.cue),
        "content_exact": score_spans(gold.content, pred.content),
        "content_overlap": score_spans(gold.content, pred.content, min_ratio=DEFAULT_MIN_RATIO),
    }


@dataclass
class Report:
    """Micro-averaged scores plus how many articles were scored, raised or lost."""

    scores: dict[str, dict[str, float]]
    docs: int
    raised: int
    lost: int
    mismatched: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "scores": self.scores,
            "docs": self.docs,
            "raised": self.raised,
            "lost": self.lost,
            "mismatched": self.mismatched,
        }


def score_predictions(
    golds: list[GoldDoc],
    preds: Mapping[str, ArticleRecord],
    raised: Iterable[str] = (),
) -> Report:
    """Score records (by id) against gold articles.

    An article whose id is in ``raised`` counts as raised, one with no record as lost, one whose
    record has another text as mismatched; all three are scored as empty predictions.
    """
    failed = set(raised)
    per_doc = []
    n_raised = n_lost = n_mismatched = 0
    for gold in golds:
        record = preds.get(gold.id)
        spans: Spans | None = None
        if gold.id in failed:
            n_raised += 1
        elif record is None:
            n_lost += 1
        elif record.text != gold.text:
            n_mismatched += 1
        else:
            spans = record_spans(record)
        per_doc.append(score_doc(gold, spans))
    scores = {m: add_counts(*(d[m] for d in per_doc)) for m in METRICS}
    return Report(scores, len(golds), n_raised, n_lost, n_mismatched)


def read_predictions(path: Path) -> tuple[dict[str, ArticleRecord], set[str]]:
    """Records by id, and the ids of ``{"id", "error"}`` lines (failed extractions)."""
    records: dict[str, ArticleRecord] = {}
    errors: set[str] = set()
    for data in _read_jsonl(path):
        if "error" in data and "text" not in data:
            errors.add(str(data.get("id")))
        else:
            record = ArticleRecord.from_dict(data)
            records[record.id] = record
    return records, errors


def use_scheme(nlp: Language, scheme: str = "polnear") -> Language:
    """Set ``nlp``'s attribution pipe to an annotation scheme (:data:`SCHEMES`) and return it.

    ``"polnear"`` keeps the claims whose content is a noun phrase ("criticized the
    decision"), an intention or a clause after a cue that reports nothing or after a passive
    cue with no agent, which PolNeAR annotates (the attribution pipe's ``nominal_claims``),
    and one claim for a source that joins several names (PolNeAR marks one source span;
    ``split_speakers`` off), and the merge options that follow PolNeAR's annotation
    (:data:`POLNEAR_MERGE`: claims with a cue and no source named, the outer frame of a
    nested report, less probable tagger contents framed by a cue and a source, cues and
    sources from the sentence before or after too, looser matches of rule and tagger
    contents), and a tagger that marks more spans
    (:data:`POLNEAR_O_BIAS`); ``"records"`` is claimx's default, the reported clauses of
    ``RECORDS.md``.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    if "claimx_attribution" in nlp.pipe_names:
        pipe: Any = nlp.get_pipe("claimx_attribution")
        pipe.nominal_claims = scheme == "polnear"
        pipe.split_speakers = scheme != "polnear"
        pipe.merge_options = dict(POLNEAR_MERGE) if scheme == "polnear" else {}
    if TAGGER in nlp.pipe_names:
        tagger: Any = nlp.get_pipe(TAGGER)
        tagger.o_bias = POLNEAR_O_BIAS if scheme == "polnear" else 0.0
    return nlp


def run_claimx(
    golds: list[GoldDoc],
    batch_size: int = 4,
    save: Path | None = None,
    nlp: Language | None = None,
    scheme: str = "polnear",
) -> tuple[dict[str, ArticleRecord], set[str]]:
    """Run ``nlp`` (default ``claimx.load()``) over the articles, its attribution pipe set
    to ``scheme`` (:func:`use_scheme`).

    Returns records by id and the ids that raised. A crash of the whole stream stops the
    run; the articles not reached are then lost.
    """
    from tqdm import tqdm

    import claimx
    from claimx.api import ErrorRecord, extract_many

    nlp = use_scheme(claimx.load() if nlp is None else nlp, scheme)
    if "polnear_source_phrases" not in nlp.pipe_names:
        nlp.add_pipe("polnear_source_phrases", last=True)
    records: dict[str, ArticleRecord] = {}
    errors: set[str] = set()
    items = [{"id": g.id, "text": g.text} for g in golds]
    with ExitStack() as stack:
        out = stack.enter_context(open(save, "w", encoding="utf-8")) if save else None
        try:
            stream = extract_many(items, nlp=nlp, batch_size=batch_size, errors="record")
            for result in tqdm(stream, total=len(items), desc="claimx", unit="doc"):
                if isinstance(result, ErrorRecord):
                    errors.add(result.id)
                    line = json.dumps(result.to_dict(), ensure_ascii=False)
                else:
                    phrases = _PHRASES.pop(result.id, None)
                    if phrases is not None and any(p is not None for p in phrases):
                        result.extra[PHRASES_FIELD] = phrases
                    records[result.id] = result
                    line = result.to_json()
                if out is not None:
                    out.write(line + "\n")
        except Exception as err:  # report, then score what was done
            print(f"claimx stopped: {type(err).__name__}: {err}", file=sys.stderr)
    return records, errors


def format_table(report: Report) -> str:
    """The scores as a plain-text table (percentages) with document counts."""
    lines = [f"{'metric':<16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} {'fn':>6}"]
    for name in METRICS:
        s = report.scores[name]
        lines.append(
            f"{name:<16} {100 * s['p']:6.1f} {100 * s['r']:6.1f} {100 * s['f']:6.1f} "
            f"{int(s['tp']):6d} {int(s['fp']):6d} {int(s['fn']):6d}"
        )
    lines.append(
        f"docs {report.docs}, raised {report.raised}, lost {report.lost}, "
        f"text mismatch {report.mismatched}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--limit", type=int, default=None, help="score the first N articles")
    parser.add_argument("--pred", type=Path, help="score this predictions JSONL file")
    parser.add_argument("--save-pred", type=Path, help="write claimx's predictions here")
    parser.add_argument("--out", type=Path, help="write the scores as JSON here")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument(
        "--scheme",
        choices=SCHEMES,
        default="polnear",
        help="annotation scheme of claimx's claims: PolNeAR's (noun-phrase contents kept, "
        "the default here) or claimx's records",
    )
    parser.add_argument(
        "--tagger-heads",
        type=int,
        default=None,
        help="run only the first N heads of the tagger ensemble (claimx.load(tagger_heads=N))",
    )
    parser.add_argument(
        "--quantize",
        action="store_true",
        help="int8 encoders, faster on CPU and a little less accurate (claimx.load(quantize=True))",
    )
    args = parser.parse_args(argv)
    folder = polnear_dir()
    if not (folder / "polnear.jsonl").exists():
        print(f"PolNeAR not found in {folder}", file=sys.stderr)
        return 2
    golds = load_polnear(args.split, args.limit, folder)
    if args.pred is not None:
        preds, raised = read_predictions(args.pred)
    else:
        import claimx

        nlp = claimx.load(tagger_heads=args.tagger_heads, quantize=args.quantize)
        preds, raised = run_claimx(
            golds, args.batch_size, args.save_pred, nlp=nlp, scheme=args.scheme
        )
    report = score_predictions(golds, preds, raised)
    scheme = "" if args.pred is not None else f", claimx in the {args.scheme!r} scheme"
    print(f"PolNeAR {args.split}, document level{scheme}")
    print(format_table(report))
    if args.out is not None:
        result = {"split": args.split, "limit": args.limit, "pred": str(args.pred or "claimx")}
        if args.pred is None:
            result["scheme"] = args.scheme
        args.out.write_text(json.dumps(result | report.to_dict(), indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
