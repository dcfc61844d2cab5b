"""Attribution component (placeholder)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


@Language.factory("claimx_attribution", assigns=["doc._.claimx_claims"])
def make_attribution(nlp: Language, name: str) -> AttributionComponent:
    return AttributionComponent(name)


class AttributionComponent:
    def __init__(self, name: str = "claimx_attribution") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimx_claims = []
        return doc
