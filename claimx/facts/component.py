"""``claimx_facts``: numeric facts (value, unit, bound, trend, subject, time, source).

Rules only, no training: numbers and units are found on the text, their context on the
dependency parse (see :mod:`.extract` and :mod:`.context`). Runs after the parser and NER,
and after ``claimx_attribution``/``claimx_speakers`` when they are in the pipeline, so that a
fact inside a claim gets the claim's speaker as its source.

A fact's ``time`` is a year or year range string (RECORDS.md): a date fact's own
(``"2014"``, ``"2006-2007"``); for other facts the one their time expression names, resolved
against the article's publication date (``doc._.claimx_date``) when the caller gave one,
which is also the year of a fact with no time expression (see :mod:`.context`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..dates import ArticleDate
from ..extensions import doc_text, register_extensions
from .context import (
    Claims,
    Quantities,
    TimeAnchors,
    fact_span,
    source_of,
    subject_of,
    time_anchors,
    time_of,
    year_string,
)
from .extract import Candidate, find_candidates, suspended_hyphen
from .units import lookup_unit_word

ALL_KINDS = ("quantity", "money", "percent", "count", "duration", "date")


NEWSQUANT_UNITS: dict[str, Any] = {"count_unit_modifiers": True, "age_unit": "year of age"}
"""The ``claimx_facts`` config that names units as NewsQuant's gold does."""


@Language.factory(
    "claimx_facts",
    assigns=["doc._.claimx_facts"],
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
    default_config={
        "kinds": list(ALL_KINDS),
        "count_unit_modifiers": False,
        "age_unit": "year",
        "unit_from_subject": True,
        "context": True,
    },
)
def make_facts(
    nlp: Language,
    name: str,
    kinds: list[str],
    count_unit_modifiers: bool,
    age_unit: str,
    unit_from_subject: bool,
    context: bool,
) -> FactsComponent:
    return FactsComponent(
        name,
        kinds=kinds,
        count_unit_modifiers=count_unit_modifiers,
        age_unit=age_unit,
        unit_from_subject=unit_from_subject,
        context=context,
    )


class FactsComponent:
    """Writes ``doc._.claimx_facts``: one JSON-able dict per quantity (RECORDS.md).

    Besides the RECORDS.md fields each dict has ``concepts``: the noun phrases the quantity
    refers to (CQE's "referred concepts", as content words: prepositions and articles inside
    a phrase are left out), used by the NewsQuant adapter, ignored by records.

    Two options choose between RECORDS.md's unit names (the defaults) and NewsQuant's
    (:data:`NEWSQUANT_UNITS`, which the NewsQuant adapter passes): ``count_unit_modifiers``
    keeps the words before a counted noun (RECORDS.md: ``member``; NewsQuant: ``crew member``),
    ``age_unit`` names ages (RECORDS.md: ``year``, a duration; NewsQuant: ``year of age``).
    """

    def __init__(
        self,
        name: str = "claimx_facts",
        *,
        kinds: Iterable[str] = ALL_KINDS,
        count_unit_modifiers: bool = False,
        age_unit: str = "year",
        unit_from_subject: bool = True,
        context: bool = True,
    ) -> None:
        register_extensions()
        unknown = set(kinds) - set(ALL_KINDS)
        if unknown:
            raise ValueError(f"unknown fact kinds {sorted(unknown)}; known: {ALL_KINDS}")
        self.name = name
        self.kinds = tuple(kinds)
        self.count_unit_modifiers = count_unit_modifiers
        self.age_unit = age_unit
        self.unit_from_subject = unit_from_subject
        self.context = context

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimx_facts = self.predict(doc)
        return doc

    def predict(self, doc: Doc) -> list[dict[str, Any]]:
        """The facts of ``doc``, without writing them."""
        cands = find_candidates(
            doc, count_unit_modifiers=self.count_unit_modifiers, age_unit=self.age_unit
        )
        dates = [c for c in cands if c.kind == "date"]
        # indexed once per doc: each fact looks at the quantities, time anchors and claims
        # near it (scanning all of them per fact was quadratic on a long article)
        anchors = TimeAnchors(
            time_anchors(doc, [(c.start, c.end) for c in dates], [_year(c) for c in dates])
            if self.context
            else []
        )
        iso = doc._.claimx_date_iso
        date = ArticleDate.from_iso(iso) if iso is not None else None
        seen_units = {c.unit for c in cands if c.unit and not c.unit_from_noun and c.kind != "date"}
        claims = Claims(doc._.claimx_claims)
        quantities = Quantities(doc, [(c.start, c.end) for c in cands])
        previous: dict[str, Any] | None = None
        made = []
        for cand in cands:
            others = quantities.without((cand.start, cand.end))
            fact = self._fact(doc, cand, anchors, seen_units, claims, others, date)
            if previous is not None and _restates(doc_text(doc), previous, fact):
                fact["subject"], fact["concepts"] = previous["subject"], list(previous["concepts"])
            if fact["kind"] != "date":
                previous = fact
            made.append(fact)
        for i in range(len(made) - 2, -1, -1):
            # ``four-, five- and six-cylinder engines``: the list measures one thing
            if made[i]["unit"] == made[i + 1]["unit"] and suspended_hyphen(
                doc_text(doc), cands[i], cands[i + 1]
            ):
                made[i]["subject"] = made[i + 1]["subject"]
                made[i]["concepts"] = list(made[i + 1]["concepts"])
        return [fact for fact in made if fact["kind"] in self.kinds]

    def _fact(
        self,
        doc: Doc,
        cand: Candidate,
        anchors: TimeAnchors,
        seen_units: set[str],
        claims: Claims,
        others: Quantities,
        date: ArticleDate | None = None,
    ) -> dict[str, Any]:
        subject = time = source = None
        claim = None
        concepts: list[str] = []
        span = fact_span(doc, cand.start, cand.end)
        if self.context and span is not None and len(span) > 0 and cand.kind != "date":
            subject, head, concepts = subject_of(span, others)
            if self.unit_from_subject and cand.unit is None and head is not None:
                self._unit_from(cand, head.text, seen_units)
            time = time_of(span, anchors, date)
            source, claim = source_of(span, claims)
        elif span is not None and len(span) > 0:
            source, claim = source_of(span, claims)
        if cand.kind == "date":
            time = _year(cand)
        return {
            "span": [cand.start, cand.end],
            "value": float(cand.value),
            "upper": None if cand.upper is None else float(cand.upper),
            "unit": cand.unit,
            "kind": cand.kind,
            "bound": cand.bound,
            "trend": cand.trend,
            "subject": subject,
            "time": time,
            "source": source,
            "claim": claim,
            "concepts": concepts,
        }

    @staticmethod
    def _unit_from(cand: Candidate, word: str, seen_units: set[str]) -> None:
        found = lookup_unit_word(word)
        if found is not None and found[1] == "quantity" and len(word) > 2:
            cand.unit, cand.kind = found
        elif word in seen_units:
            cand.unit, cand.kind = word, "quantity"


def _year(cand: Candidate) -> str | None:
    """A date fact's own year or year range (``"2014"``, ``"2006-2007"``)."""
    if cand.kind != "date":
        return None
    return year_string(cand.value, cand.upper)


def _restates(text: str, before: dict[str, Any], fact: dict[str, Any]) -> bool:
    """Whether ``fact`` is a conversion in parentheses right after ``before``.

    ``$800 million (£620 million)``, ``87 mph (140 km/h)``: the parenthesis gives the same
    amount in other units, so it measures the same thing.
    """
    gap = text[before["span"][1] : fact["span"][0]]
    return (
        fact["kind"] != "date"
        and before["subject"] is not None
        and re.fullmatch(r"\s*\(\s*", gap) is not None
    )
