"""Speaker resolution component (placeholder)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


@Language.factory("claimx_speakers", assigns=["doc._.claimx_experts"])
def make_speakers(nlp: Language, name: str) -> SpeakersComponent:
    return SpeakersComponent(name)


class SpeakersComponent:
    def __init__(self, name: str = "claimx_speakers") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimx_experts = []
        return doc
