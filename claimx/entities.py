"""Entity lookups shared by the attribution, speaker and facts code."""

from __future__ import annotations

from spacy.tokens import Span, Token

IOB_IN, IOB_BEGIN = 1, 3
"""``Token.ent_iob`` values: inside an entity, beginning one (0: unset, 2: outside)."""


def entity_at(token: Token, labels: tuple[str, ...]) -> Span | None:
    """The entity of ``doc.ents`` that holds ``token``, if its label is one of ``labels``.

    Read off the tokens' IOB tags around ``token``, as ``Doc.ents`` builds its spans, rather
    than by scanning ``doc.ents``: that builds a Span for every entity of the doc on each
    call, which made speaker resolution quadratic in the length of the article.
    """
    if token.ent_iob not in (IOB_IN, IOB_BEGIN):
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob == IOB_IN:
        start -= 1
    first = doc[start]
    if first.ent_iob != IOB_BEGIN or not first.ent_type or first.ent_type_ not in labels:
        return None
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob == IOB_IN:
        end += 1
    return Span(doc, start, end, label=first.ent_type, kb_id=first.ent_kb_id, span_id=first.ent_id)
