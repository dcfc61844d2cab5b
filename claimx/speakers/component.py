"""``claimx_speakers``: canonical speakers, roles and organizations for the claims."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..attribution.quotes import find_quotes
from ..extensions import doc_text, register_extensions
from .resolve import SpeakerResolver


@Language.factory(
    "claimx_speakers",
    assigns=["doc._.claimx_experts"],
    requires=["doc._.claimx_claims", "doc.ents"],
)
def make_speakers(nlp: Language, name: str) -> SpeakersComponent:
    return SpeakersComponent(name)


class SpeakersComponent:
    """Resolves each claim's source mention to a canonical expert."""

    def __init__(self, name: str = "claimx_speakers") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        claims = doc._.claimx_claims or []
        found = doc._.claimx_quotes
        if found is None:  # run without claimx_attribution
            found = [q.outer for q in find_quotes(doc_text(doc))]
        quotes = [(int(a), int(b)) for a, b in found]
        people = SpeakerResolver(doc, quotes).resolve(claims)
        doc._.claimx_experts = [
            {
                "name": p.name,
                "kind": p.kind,
                "role": p.role,
                "organization": p.organization,
                "mentions": [list(m) for m in p.mentions],
            }
            for p in people
        ]
        return doc
