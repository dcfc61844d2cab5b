"""Numeric facts component (placeholder until the facts module lands)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


@Language.factory("claimx_facts", assigns=["doc._.claimx_facts"])
def make_facts(nlp: Language, name: str) -> FactsComponent:
    return FactsComponent(name)


class FactsComponent:
    def __init__(self, name: str = "claimx_facts") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimx_facts = []
        return doc
