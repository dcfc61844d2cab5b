"""Very long articles, processed in sections and merged back into one record.

An article longer than ``section_chars`` characters is cut into contiguous sections of at most
that size, at the last paragraph break in the second half of the window, else the last line
break, else the last sentence end, else the last whitespace, and only as a last resort at a
character. A run of more than ``RUN_CHARS`` characters without whitespace (100,000 quote
marks, base64 data) gets sections of its own, ``RUN_CHARS`` long: spaCy's tokenizer strips
punctuation from such a run one character at a time, in time quadratic in its length (40,000
quote marks take about 140 s; 1,000 take 0.1 s).

Every section runs through the pipeline up to ``claimx_stance``; their claims, experts,
facts and quotes are merged with offsets shifted back into the full text; the
sections are joined into one Doc (``Doc.from_docs``) on which ``claimx_stance`` and every
component after it run once, so the stance target and each speaker's stance are those of the
whole article. Nothing is dropped: the record's ``text`` is the full article.

What sectioning loses: a quotation or an attribution frame that crosses a section boundary is
cut in two, and pronouns cannot reach a name in an earlier section. Experts are merged across
sections by name, and a one-word person name ("Inoue") that is the surname of exactly one
multi-word person name ("Rintaro Inoue") is merged into it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Default section size in characters: far above a news article (BBC's longest is ~25,000),
#: and small enough that sm's parser and the transformer keep memory and time bounded.
SECTION_CHARS = 100_000
#: Longest run of non-whitespace characters that one section may hold.
RUN_CHARS = 1_000
STANCE_PIPE = "claimx_stance"

_BOUNDARIES = (
    re.compile(r"\n[ \t\r\f\v]*\n\s*"),  # paragraph break
    re.compile(r"\n\s*"),  # line break
    re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*\s+"),  # sentence end
    re.compile(r"\s+"),  # any whitespace
)
_OFFSET_KEYS = ("content", "cue", "source", "source_phrase")


def needs_sections(text: str, max_chars: int = SECTION_CHARS, max_run: int = RUN_CHARS) -> bool:
    """Whether ``text`` is too long, or holds too long a run, to be processed in one piece."""
    return len(text) > max_chars or _long_run(max_run).search(text) is not None


def split_sections(
    text: str, max_chars: int = SECTION_CHARS, max_run: int = RUN_CHARS
) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` sections that cover ``text``, each at most ``max_chars``
    long, none holding more than ``max_run`` non-whitespace characters in a row.

    >>> split_sections("One two.\\n\\nThree four.", 12)
    [(0, 10), (10, 21)]
    """
    if max_chars < 1 or max_run < 1:
        raise ValueError(f"section sizes must be at least 1, not {max_chars} and {max_run}")
    long_run = _long_run(max_run)
    bounds: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while start < size or not bounds:
        end = min(size, start + max_chars)
        run = long_run.search(text, start, end)
        if run is not None:
            end = run.start() if run.start() > start else start + max_run
        elif end < size:
            end = _cut(text, start, end)
        bounds.append((start, end))
        start = end
    return bounds


@functools.lru_cache(maxsize=8)
def _long_run(max_run: int) -> re.Pattern[str]:
    return re.compile(rf"\S{{{max_run + 1},}}")


def _cut(text: str, start: int, limit: int) -> int:
    """The best place to end a section that starts at ``start`` and must end by ``limit``."""
    floor = start + (limit - start) // 2
    for pattern in _BOUNDARIES:
        end = None
        for match in pattern.finditer(text, floor, limit):
            end = match.end()
        if end is not None and end > start:
            return end
    return limit


def process_in_sections(
    nlp: Language,
    text: str,
    make_doc: Callable[[str], Doc],
    section_chars: int = SECTION_CHARS,
) -> Doc:
    """Run ``nlp`` over ``text`` section by section and return one Doc of the whole text.

    ``make_doc`` turns a section's text into an unprocessed Doc that carries the article's
    id, target and date (see :func:`claimx.api.extract`), so that each section's facts take
    their time from the article's date; the joined Doc carries them too. Two sections are in
    memory at a time (the transformer encodes one while spaCy's pipes parse the next), plus
    the light, annotation-only Docs of the sections already done.
    """
    from spacy.tokens import Doc

    from .memory import release_memory

    section_chars = min(section_chars, nlp.max_length)
    bounds = split_sections(text, section_chars, min(RUN_CHARS, section_chars))
    names = list(nlp.pipe_names)
    tail = names[names.index(STANCE_PIPE) :] if STANCE_PIPE in names else []
    first = make_doc(text[bounds[0][0] : bounds[0][1]])
    ident = (
        first._.claimx_id,
        first._.claimx_target,
        first._.claimx_target_source,
        first._.claimx_date_iso,
    )

    def docs() -> Any:
        yield first
        for start, end in bounds[1:]:
            yield make_doc(text[start:end])

    merged = _Merge()
    done: list[Doc] = []
    for (start, _), doc in zip(bounds, nlp.pipe(docs(), batch_size=1, disable=tail), strict=True):
        merged.add(doc, start)
        doc.user_data.clear()  # transformer outputs and claimx values: taken or not needed
        doc.tensor = doc.tensor[:0]
        done.append(doc)
        release_memory()
    whole = Doc.from_docs(  # type: ignore[call-arg]
        done, ensure_whitespace=False, exclude=["tensor", "user_data"]
    )
    done.clear()
    if whole.text != text:
        raise ValueError("sections do not add up to the article (tokenizer changed the text?)")
    (
        whole._.claimx_id,
        whole._.claimx_target,
        whole._.claimx_target_source,
        whole._.claimx_date_iso,
    ) = ident
    merged.write(whole)
    for name in tail:
        whole = nlp.get_pipe(name)(whole)
    return whole


class _Merge:
    """Claims, experts, facts and quotes of successive sections, offsets in the full text."""

    def __init__(self) -> None:
        self.claims: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []
        self.quotes: list[list[int]] = []
        self.experts: dict[str, dict[str, Any]] = {}

    def add(self, doc: Doc, offset: int) -> None:
        base = len(self.claims)
        for claim in doc._.claimx_claims or []:
            claim = dict(claim)
            for key in _OFFSET_KEYS:
                claim[key] = _shift(claim.get(key), offset)
            if claim.get("continues") is not None:
                claim["continues"] = int(claim["continues"]) + base
            self.claims.append(claim)
        for fact in doc._.claimx_facts or []:
            fact = dict(fact)
            fact["span"] = _shift(fact["span"], offset)
            if fact.get("claim") is not None:
                fact["claim"] = int(fact["claim"]) + base
            self.facts.append(fact)
        self.quotes.extend(
            [int(q[0]) + offset, int(q[1]) + offset] for q in doc._.claimx_quotes or []
        )
        for expert in doc._.claimx_experts or []:
            mentions = [_shift(m, offset) for m in expert.get("mentions") or []]
            known = self.experts.get(expert["name"])
            if known is None:
                self.experts[expert["name"]] = {**expert, "mentions": mentions}
                continue
            known["mentions"].extend(mentions)
            for key in ("role", "organization"):
                if known.get(key) is None and expert.get(key) is not None:
                    known[key] = expert[key]

    def write(self, doc: Doc) -> None:
        renames = self._surnames()
        for old, new in renames.items():
            expert = self.experts.pop(old)
            full = self.experts[new]
            full["mentions"].extend(expert["mentions"])
            for key in ("role", "organization"):
                if full.get(key) is None:
                    full[key] = expert.get(key)
        for expert in self.experts.values():
            expert["mentions"].sort()
        for items, key in ((self.claims, "speaker"), (self.facts, "source")):
            for item in items:
                if item.get(key) in renames:
                    item[key] = renames[item[key]]
        doc._.claimx_claims = self.claims
        doc._.claimx_facts = self.facts
        doc._.claimx_quotes = self.quotes
        doc._.claimx_experts = list(self.experts.values())

    def _surnames(self) -> dict[str, str]:
        """One-word person names that are the last word of exactly one longer person name."""
        persons = [n for n, e in self.experts.items() if e.get("kind", "person") == "person"]
        full: dict[str, list[str]] = {}
        for name in persons:
            words = name.split()
            if len(words) > 1:
                full.setdefault(words[-1], []).append(name)
        return {
            name: full[name][0]
            for name in persons
            if " " not in name and len(full.get(name, [])) == 1
        }


def _shift(offsets: Any, by: int) -> list[int] | None:
    if offsets is None:
        return None
    return [int(offsets[0]) + by, int(offsets[1]) + by]
