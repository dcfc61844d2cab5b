"""Resolve source mentions to canonical speakers, with role and organization.

No coreference model ships offline, so this is the project's own, in the spirit of
quote-attribution systems such as the Gender Gap Tracker (Asr et al. 2021): names are
clustered by surname into their longest form in the article, pronoun sources take the
nearest preceding person named outside quotes (subjects and earlier speakers first),
cue-less quotes inherit the previous speaker, and roles and organizations come from
appositions ("X, research associate at Y"), title pre-modifiers ("Defense Secretary X")
and possessives ("RAND's X").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..attribution.lexicon import GROUP_NOUNS, PRONOUNS

_ORG_LABELS = ("ORG", "NORP", "GPE", "FAC")
_ROLE_DEPS = ("compound", "amod", "nmod")
_POSSESSIVE = ("'s", "’s", "'", "’")
_LOOKBACK = 2000  # characters searched back for a pronoun's antecedent


@dataclass
class Person:
    """A speaker cluster under construction."""

    name: str
    kind: str
    role: str | None = None
    organization: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    role_rank: int = 0
    org_rank: int = 0


def _strip_det(span: Span) -> Span:
    while len(span) and (span[0].lower_ in ("the", "a", "an") or span[0].is_punct):
        span = span[1:]
    while len(span) and (span[-1].text in _POSSESSIVE or span[-1].is_punct):
        span = span[:-1]
    return span


def _entity(token: Token, labels: tuple[str, ...]) -> Span | None:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end and ent.label_ in labels:
            return ent
    return None


def _proper_chain(head: Token) -> Span:
    """The run of proper nouns ending at ``head``, with an "of X" tail ("Institute of Y")."""
    doc = head.doc
    start = head.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i >= start - 1:
        start -= 1
    end = head.i + 1
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
            objs = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
            if objs:
                end = objs[0].i + 1
    return doc[start:end]


def organization_of(token: Token) -> str | None:
    """An organization named by a noun: its entity, or its proper-noun chain."""
    ent = _entity(token, _ORG_LABELS)
    if ent is not None:
        return _strip_det(ent).text or None
    if token.pos_ == "PROPN":
        return _strip_det(_proper_chain(token)).text or None
    return None


def _role_words(head: Token) -> str:
    """ "research associate", "political scientist": the noun with its left modifiers."""
    words = [c for c in head.lefts if c.dep_ in _ROLE_DEPS and not c.ent_type_]
    start = min([w.i for w in words] + [head.i])
    return head.doc[start : head.i + 1].text


def apposition(head: Token) -> tuple[str | None, str | None]:
    """Role and organization from "NAME, ROLE at/of/with ORG"."""
    for child in head.children:
        if child.dep_ != "appos" or child.pos_ not in ("NOUN", "PROPN"):
            continue
        role = _role_words(child) if child.pos_ == "NOUN" else None
        org = None
        for prep in child.children:
            if prep.dep_ == "prep" and prep.lower_ in ("at", "of", "with", "for", "from"):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        org = organization_of(obj)
        if role or org:
            return role, org
    return None, None


def premodifier(name: Span) -> tuple[str | None, str | None]:
    """Role and organization from titles before a name ("U.S. Defense Secretary X")."""
    head = name[-1]
    doc = head.doc
    start = name.start
    while start > head.left_edge.i and doc[start - 1].dep_ in _ROLE_DEPS:
        start -= 1
    if start == name.start:
        return None, None
    words = doc[start : name.start]
    org = None
    ent = _entity(words[0], ("GPE",))
    if ent is not None and ent.end < name.start:
        org = _strip_det(ent).text
        words = doc[ent.end : name.start]
    role = words.text if len(words) else None
    return role, org


def possessor(head: Token) -> str | None:
    """The organization in "RAND's Aoki"."""
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return organization_of(child)
    return None


def person_span(token: Token) -> Span | None:
    """The PERSON entity containing ``token`` (possessive marks dropped)."""
    ent = _entity(token, ("PERSON",))
    return _strip_det(ent) if ent is not None else None


class SpeakerResolver:
    """Assigns canonical speakers to the claims of one Doc."""

    def __init__(self, doc: Doc, quotes: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.quotes = quotes
        self.people: dict[str, Person] = {}
        self.by_surname: dict[str, str] = {}
        self.spoken: list[tuple[int, str]] = []  # (source start, person) of resolved claims
        self._index_people()

    def _in_quote(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.quotes)

    def _index_people(self) -> None:
        """Longest form of each person named outside quotes, keyed by surname."""
        names: list[Span] = []
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and not self._in_quote(ent.start_char):
                span = _strip_det(ent)
                if len(span) and span[-1].pos_ == "PROPN":
                    names.append(span)
        for span in sorted(names, key=len, reverse=True):
            surname = span[-1].text
            if surname not in self.by_surname:
                self.by_surname[surname] = span.text
        for full in list(self.by_surname.values()):
            parts = full.split()
            if len(parts) > 1:
                self.by_surname.setdefault(parts[-1], full)

    def canonical(self, name: str) -> str:
        parts = name.split()
        return self.by_surname.get(parts[-1], name) if parts else name

    def _person(self, name: str, kind: str) -> Person:
        if name not in self.people:
            self.people[name] = Person(name=name, kind=kind)
        return self.people[name]

    def _head(self, start: int, end: int) -> Token | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        tokens = [t for t in span if t.text not in _POSSESSIVE and not t.is_punct]
        return tokens[-1] if tokens else None

    def titled_person(self, head: Token) -> str | None:
        """The person a bare title refers to: "The President insists" after "President X".

        A singular common or title noun, not a name itself, resolves to the nearest person
        named before it whose title or apposition ends in the same word ("United States
        President Donald Trump", "Anne Hidalgo, the mayor of Paris").
        """
        if head.tag_ not in ("NN", "NNP") or _entity(head, ("PERSON", *_ORG_LABELS)):
            return None
        word = head.lower_
        best: tuple[int, str] | None = None
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" or ent.start_char >= head.idx:
                continue
            span = _strip_det(ent)
            if not len(span) or self._in_quote(span.start_char):
                continue
            roles = [premodifier(span)[0], apposition(span[-1])[0]]
            if span[-1].dep_ == "appos" and span[-1].head.pos_ in ("NOUN", "PROPN"):
                roles.append(span[-1].head.text)
            matches = any(r and r.split()[-1].lower() == word for r in roles)
            if matches and (best is None or span.start_char > best[0]):
                best = (span.start_char, self.canonical(span.text))
        return best[1] if best is not None else None

    def classify(self, start: int, end: int) -> tuple[str, str, Token] | None:
        """(name, kind, head token) of a source mention, or None for a pronoun/unknown."""
        head = self._head(start, end)
        if head is None or head.lower_ in PRONOUNS:
            return None
        if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and not _entity(head, ("PERSON",))):
            # "The Senate Minority Leader, Chuck Schumer, said": the name in apposition.
            for child in head.children:
                named = person_span(child) if child.dep_ == "appos" else None
                if named is not None and len(named):
                    return self.canonical(named.text), "person", named[-1]
            titled = self.titled_person(head)
            if titled is not None:
                return titled, "person", head
        person = person_span(head)
        if person is not None and len(person):
            return self.canonical(person.text), "person", head
        if head.pos_ == "PROPN" and head.text in self.by_surname:
            return self.canonical(head.text), "person", head
        if _entity(head, ("ORG", "NORP", "GPE")) is not None:
            org = organization_of(head)
            if org:
                return org, "organization", head
        if head.pos_ == "PROPN":
            chain = _strip_det(_proper_chain(head)).text
            return chain, "organization" if len(chain.split()) > 2 else "person", head
        if head.lemma_.lower() in GROUP_NOUNS or head.tag_ in ("NNS", "NN"):
            span = self.doc.char_span(start, end, alignment_mode="expand")
            text = _strip_det(span).text if span is not None else head.text
            return text, "group", head
        return None

    def antecedent(self, position: int) -> str | None:
        """The person a pronoun before ``position`` most likely refers to.

        Candidates are earlier speakers (at their source mention) and people named as
        subjects outside quotes; the nearest one wins.
        """
        candidates = [(start, name) for start, name in self.spoken if start < position]
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" or ent.end_char > position or self._in_quote(ent.start_char):
                continue
            if any(t.dep_ in ("nsubj", "nsubjpass") for t in ent):
                candidates.append((ent.start_char, self.canonical(_strip_det(ent).text)))
        candidates = [c for c in candidates if position - c[0] <= _LOOKBACK]
        return max(candidates)[1] if candidates else None

    def describe(self, person: Person, head: Token) -> None:
        """Fill role and organization from this mention's appositions, titles, possessives.

        An apposition ("X, strategist at Y") outranks a title before the name, which
        outranks a possessive ("RAND's X"); an earlier mention wins among equals.
        """
        candidates = [(3, *apposition(head))]
        name = person_span(head)
        if name is not None:
            candidates.append((2, *premodifier(name)))
        candidates.append((1, None, possessor(head)))
        for rank, role, org in candidates:
            if role and rank > person.role_rank:
                person.role, person.role_rank = role, rank
            if org and rank > person.org_rank:
                person.organization, person.org_rank = org, rank

    def resolve(self, claims: list[dict]) -> list[Person]:
        """Set ``claim["speaker"]`` for every claim; return the speakers in order of speech."""
        for claim in claims:
            source = claim.get("source")
            name: str | None = None
            if source is not None:
                found = self.classify(*source)
                if found is not None:
                    name, kind, head = found
                    person = self._person(name, kind)
                    if kind == "person":
                        self.describe(person, head)
                else:
                    position = min(source[0], claim["content"][0])
                    name = self.antecedent(position)
                    if name is not None:
                        self._person(name, "person")
                        claim["confidence"] = round(claim.get("confidence", 0.5) * 0.9, 3)
                if name is not None:
                    self.people[name].mentions.append((source[0], source[1]))
                    if self.people[name].kind == "person":
                        self.spoken.append((source[0], name))
            elif claim.get("continues") is not None:
                name = claims[claim["continues"]].get("speaker")
            claim["speaker"] = name
        self._collect_mentions()
        order = list(dict.fromkeys(c["speaker"] for c in claims if c.get("speaker")))
        return [self.people[n] for n in order if n in self.people]

    def _collect_mentions(self) -> None:
        """Add every named mention of a speaker, and describe them from each."""
        for ent in self.doc.ents:
            if ent.label_ != "PERSON":
                continue
            span = _strip_det(ent)
            if not len(span):
                continue
            name = self.canonical(span.text)
            person = self.people.get(name)
            if person is None:
                continue
            offsets = (span.start_char, span.end_char)
            if not any(a <= offsets[0] < b for a, b in person.mentions):
                person.mentions.append(offsets)
            self.describe(person, span[-1])
        for person in self.people.values():
            person.mentions.sort()
