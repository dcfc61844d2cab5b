"""Stance component (placeholder until the stance model lands)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


@Language.factory("claimx_stance", assigns=["doc._.claimx_stances"])
def make_stance(nlp: Language, name: str) -> StanceComponent:
    return StanceComponent(name)


class StanceComponent:
    def __init__(self, name: str = "claimx_stance") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimx_stances = []
        return doc
