"""Rule-based attribution frames over a dependency parse.

A frame ties a content span to a cue and a source mention. The rules follow the PARC
attribution scheme (Pareti 2016) as used by PolNeAR: speech, belief and report cues with a
clausal complement ("X said (that) ..."), direct quotes next to a cue ("'...,' X said",
"X said: '...'"), inverted cues ("..., said X, ROLE"), "according to X", speech nouns
("X's speech: '...'"), and cue-less quotes that continue the previous speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..entities import entity_at
from ..extensions import doc_text
from ..speakers.names import HYPHENS
from .layout import sign_offs, transcript_turns
from .lexicon import CLAUSE_ONLY, INVERTED_LEADS, PHRASAL_CUES, SPEECH_NOUNS, SPEECH_VERBS
from .quotes import EDGE_CHARS, Quote, find_quotes, trim_edges

QUOTE_CHARS = set('"“”‘’«»`')
_JOINER = re.compile(r"[\s,]*(?:and)?[\s,]*")
_SUBJECTS = ("nsubj", "nsubjpass")
_OBJECTS = ("dobj", "xcomp", "attr", "oprd", "agent")
#: Subordinators of time, cause and concession: a clause they open is an adverbial the parser
#: hung on the cue as ``ccomp`` ("minutes before the committee voted, Trump claimed ..."),
#: never what the cue reports (that one is bare or opens with "that", "whether", "if").
_ADVERBIAL_MARKS = frozenset(
    "before after when whenever while because since as although though until unless once "
    "whereas".split()
)

#: Subordinators that set one report against another ("X say A, while critics argue B").
_CONTRAST_MARKS = frozenset({"while", "whereas", "whilst"})


@dataclass
class Frame:
    """One attribution; offsets are character offsets into the doc text."""

    content: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    source_phrase: tuple[int, int] | None = None
    confidence: float = 0.5
    continues: int | None = None  # index of the frame whose speaker a cue-less quote takes
    rule: str = ""
    quotes: list[Quote] = field(default_factory=list)


def _inside(pos: int, quotes: list[Quote]) -> Quote | None:
    for quote in quotes:
        if quote.open_mark <= pos < quote.close_mark + 1:
            return quote
    return None


def is_cue(token: Token) -> bool:
    """Whether ``token`` is a reporting verb (or "according" of "according to")."""
    if token.lower_ == "according":
        return any(c.lower_ == "to" for c in token.children)
    if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "aux", "auxpass"):
        return False
    lemma = token.lemma_.lower()
    if lemma in PHRASAL_CUES:
        return any(c.lower_ in PHRASAL_CUES[lemma] for c in token.children)
    if lemma == "read":
        # "The ministry's statement read: '...'": a document's words
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in SPEECH_NOUNS for c in token.children)
    if lemma == "speak":
        # "Bolton gave his account, speaking via Twitter: '...'": a participle whose phrase
        # a colon ends introduces a quote ("speak" alone reports nothing).
        after = token.right_edge.i + 1
        return (
            token.tag_ == "VBG"
            and token.dep_ == "advcl"
            and after < len(token.doc)
            and token.doc[after].text == ":"
        )
    return lemma in SPEECH_VERBS


def cue_span(token: Token) -> tuple[int, int]:
    """The cue's extent: adjacent auxiliaries and negation, the verb, and its particle."""
    doc = token.doc
    start = token.i
    while (
        start > 0
        and doc[start - 1].dep_ in ("aux", "auxpass", "neg")
        and (doc[start - 1].head == token)
    ):
        start -= 1
    end = token.i + 1
    lemma = token.lemma_.lower()
    if token.lower_ == "according" or lemma in PHRASAL_CUES:
        for child in token.children:
            if child.i == end and child.dep_ in ("prep", "prt"):
                end = child.i + 1
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def noun_phrase(token: Token) -> tuple[int, int]:
    """The source phrase: the token with its left modifiers, without appositions or clauses.

    This is PolNeAR's source extent ("longtime Democratic pollster Pat Caddell").
    """
    left = token.left_edge
    return left.idx, token.idx + len(token)


def mention(token: Token) -> tuple[int, int]:
    """The speaker mention: the name, pronoun or group noun, without titles or possessors.

    "U.S. Defense Secretary Pete Hegseth" gives "Pete Hegseth", "RAND's Aoki" gives "Aoki",
    "the Senate Minority Leader, Chuck Schumer," gives "Chuck Schumer",
    "the Stockholm International Peace Research Institute" drops "the", "senior
    officials" stays whole.
    """
    doc = token.doc
    if token.pos_ in ("NOUN", "PROPN") and token.ent_type_ != "PERSON":
        # "The Senate Minority Leader, Chuck Schumer, said": the name in apposition.
        for child in token.children:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return mention(child)
    # the entity holding the token, read off the IOB tags around it (scanning ``doc.ents``
    # built every entity of the doc at each mention: quadratic on a long article)
    ent = entity_at(token, ("PERSON", "ORG", "NORP", "GPE"))
    if ent is not None:
        start = ent.start
        while start < token.i and (doc[start].lower_ == "the" or doc[start].dep_ == "case"):
            start += 1
        return doc[start].idx, token.idx + len(token)
    start = token.left_edge.i
    for child in token.lefts:
        if child.dep_ in ("det", "poss", "case", "predet", "punct") and not _hyphen(child):
            start = max(start, child.right_edge.i + 1)
    start = min(start, token.i)
    return doc[start].idx, token.idx + len(token)


def bare_mention(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The speaker mention inside a source phrase: the head with its name, no titles."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return start, end
    if not doc.has_annotation("DEP"):
        return span.start_char, span.end_char
    root = span.root
    last = span[-1]
    while last.i > span.start and last.is_punct:
        last = last.doc[last.i - 1]
    if root.pos_ == "DET" and last.i > root.i:
        # "The 31-year-old insisted": the parser hung "The" and "old" on the verb, with no
        # noun between; the phrase's last word is its head
        root = last
    if (
        root.pos_ == "PROPN"
        and root.ent_type_ != "PERSON"
        and last.ent_type_ == "PERSON"
        and last.i > root.i
        and not any(t.text == "," for t in doc[root.i : last.i])  # no apposition between
    ):
        # "Longtime Imus in the Morning writer and performer Rob Bartlett", "Ernst and
        # Young's Sanjay Mehta": the parser made another proper noun the head; English
        # names its speaker last.
        root = last
    s, e = mention(root)
    s, e = max(s, span.start_char), min(e, span.end_char)
    return (s, e) if e > s else (span.start_char, span.end_char)


def _hyphen(token: Token) -> bool:
    """A hyphen inside a word ("the 20-year-old"), not a dash between words."""
    return (
        token.text in HYPHENS
        and not token.whitespace_
        and token.i > 0
        and not token.doc[token.i - 1].whitespace_
    )


def subject_of(verb: Token, participle: bool = True) -> Token | None:
    """The speaker token of a cue verb: its subject (a passive one only where it speaks,
    see :func:`_passive_speaker`), passive agent, a name parsed as the object of an
    inverted cue, the object of a verb whose infinitive it is ("leading analysts to
    argue"), or the speaker of the verb it is coordinated with or, as a participle after
    the main verb (``participle``), subordinated to ("..., speaking via Twitter: ")."""
    # "The plan was criticized by Democrats": the agent speaks, not the passive subject.
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    for child in verb.children:
        if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and _passive_speaker(verb)):
            return child
    # "Politico quoted Tim Manning as saying ...", "Manning was quoted as saying ...": the
    # one quoted speaks, not the outlet.
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.pos_ == "VERB":
        for child in verb.head.head.children:
            if child.dep_ in ("dobj", "nsubjpass"):
                return child
    inverted = _inverted_object(verb)
    if inverted is not None:
        return inverted
    if verb.dep_ == "xcomp":
        # "leading some commentators to argue", "urged members to vote": the object speaks
        for child in verb.head.children:
            if child.dep_ == "dobj" and child.i < verb.i:
                return child
    if verb.dep_ in ("conj", "xcomp") and verb.head != verb:
        return subject_of(verb.head, participle=False)
    head = verb.head
    if (
        participle
        and verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and head.dep_ == "ROOT"
        and head.pos_ in ("VERB", "AUX")
        and head.i < verb.i
    ):
        # "Bolton gave his account, speaking via Twitter: '...'": a participle after the
        # main verb speaks for the main clause's subject (not for "it" of "it has been").
        found = subject_of(head, participle=False)
        return found if found is not None and found.lower_ not in ("it", "there") else None
    return None


def _inverted_object(verb: Token) -> Token | None:
    """The speaker the parser made an object in '"...," replied Smith': a proper noun right
    after a cue that follows a closing quotation mark, or the last person its phrase
    names."""
    doc = verb.doc
    if verb.i < 2 or doc[verb.i - 1].text not in QUOTE_CHARS:
        return None
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ == "PROPN" and child.left_edge.i == verb.i + 1:
            # "added Ernst and Young's Sanjay Mehta": the person the phrase ends with
            people = [t for t in child.subtree if t.ent_type_ == "PERSON"]
            return people[-1] if people else child
    return None


def _passive_speaker(verb: Token) -> bool:
    """Whether the passive subject of ``verb`` is its speaker: "X was quoted / reported as
    saying", "X is said to have warned"; not "no impact could be expected" (the thing
    expected) or "he was asked" (the one asked)."""
    if verb.lemma_ == "quote" or any(c.dep_ == "xcomp" for c in verb.children):
        return True
    return any(
        prep.dep_ == "prep"
        and prep.lower_ == "as"
        and any(c.dep_ == "pcomp" for c in prep.children)
        for prep in verb.children
    )


def _sentence_end(sent: Span) -> int:
    start, end = trim_edges(doc_text(sent.doc), sent.start_char, sent.end_char)
    return end


def _clause_content(verb: Token, clause: Token, source: Token | None) -> tuple[int, int] | None:
    """Content of a clausal complement, reaching the sentence edge on its side of the cue."""
    text = doc_text(verb.doc)
    sent = verb.sent
    if clause.i > verb.i:
        start = clause.left_edge
        while start.dep_ == "mark" and start.lower_ == "that" and (start.head == clause):
            start = start.doc[start.i + 1]
        end = _sentence_end(sent)
        for tail in clause.children:
            # ", signaling a clear shift ...": the writer's comment, not the speaker's.
            if tail.dep_ == "advcl" and tail.tag_ == "VBG" and tail.i > clause.i:
                comma = verb.doc[tail.left_edge.i - 1]
                rest = verb.doc[tail.right_edge.i + 1 : sent.end]
                if comma.text == "," and all(t.is_punct or t.is_space for t in rest):
                    end = min(end, comma.idx)
            # ", while critics argue it should stay closed": another speaker's report that
            # the writer sets against this one, not part of it (and a frame of its own)
            if (
                tail.dep_ == "advcl"
                and tail.i > clause.i
                and is_cue(tail)
                and any(c.dep_ in _SUBJECTS for c in tail.children)
                and any(c.dep_ == "mark" and c.lower_ in _CONTRAST_MARKS for c in tail.children)
            ):
                first = tail.left_edge
                before = verb.doc[first.i - 1] if first.i > clause.i else None
                end = min(end, before.idx if before is not None and before.is_punct else first.idx)
        for token in clause.subtree:
            # ", which he said would allow ...": a relative clause that runs to the end of the
            # sentence after a comma is the writer's comment on the content
            first = token.left_edge
            if (
                token.dep_ == "relcl"
                and token.i > clause.i
                and first.lower_ == "which"
                and first.i > 0
                and verb.doc[first.i - 1].text == ","
                and all(
                    t.is_punct or t.is_space for t in verb.doc[token.right_edge.i + 1 : sent.end]
                )
            ):
                end = min(end, verb.doc[first.i - 1].idx)
        for conj in verb.children:
            if conj.dep_ == "conj" and conj.i > clause.i:
                end = min(end, conj.left_edge.idx)
                cut = conj.left_edge.i - 1
                while cut > clause.i and verb.doc[cut].dep_ in ("cc", "punct"):
                    end = min(end, verb.doc[cut].idx)
                    cut -= 1
        span = trim_edges(text, start.idx, end)
    else:
        limit = verb.idx
        if source is not None and source.i < verb.i:
            limit = min(limit, source.left_edge.idx)
        span = trim_edges(text, sent.start_char, limit)
    return span if span[1] > span[0] else None


def _adjacent_quote(verb: Token, quotes: list[Quote], source: Token | None) -> Quote | None:
    """A quote closing right before the cue's clause or opening right after "X said:"."""
    doc = verb.doc
    sent = verb.sent
    text = doc_text(doc)
    # "'...,' X said." / "'...,' said X." : only punctuation, the source and the cue between.
    # A cue with a clause of its own after it ("He writes that ...") does not report the
    # quote that ends right before it: that quote belongs to the previous sentence.
    own_clause = any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)
    # A quote that ends a sentence ('"... win."') is reported by a bare cue after it
    # ('she said.'), not by a verb with an object of its own ('Patrick predicted a win').
    has_object = any(c.dep_ in _OBJECTS and c.i > verb.i for c in verb.children)
    first = min(verb.i, source.left_edge.i if source is not None else verb.i)
    # "speaking ...:" introduces the quote after its colon only (see :func:`is_cue`)
    for quote in quotes if not (own_clause or verb.lemma_ == "speak") else ():
        if has_object and text[quote.start : quote.end].rstrip().endswith("."):
            continue
        if quote.close_mark < doc[first].idx:
            gap = text[quote.close_mark + 1 : doc[first].idx]
            if not gap.strip(" ,—–-\n"):
                return quote
    # "X said: '...'" / "X said in a statement: '...'" / "X said, '...'", in the same sentence
    after = verb.idx + len(verb)
    for quote in quotes:
        if quote.open_mark >= after:
            gap = text[after : quote.open_mark].strip()
            # 'One, who asked not to be named, said: "..."': the later cue introduces it
            between = (t for t in doc[verb.i + 1 : sent.end] if t.idx < quote.open_mark)
            if (
                quote.open_mark < sent.end_char
                and (gap.endswith(":") or gap == ",")
                and not any(is_cue(t) for t in between)
            ):
                return quote
            break
    return None


def _opened_by(content: tuple[int, int], verb: Token, quotes: list[Quote]) -> Quote | None:
    """The quote after ``verb`` whose first words begin ``content`` and that holds all of
    it ('said on Friday "I can do it. I may do it."': the clause is "I can do it"), or all
    of it up to quotes joined to it by "and" ('as saying "A" and "B"': the first; the next
    ones continue it); else None. Only edge characters may stand between the opening mark
    and the content."""
    text = doc_text(verb.doc)
    for k, quote in enumerate(quotes):
        if quote.open_mark < verb.idx:
            continue
        if quote.open_mark > content[0]:
            break
        lead = text[quote.start : content[0]]
        if not all(ch in EDGE_CHARS for ch in lead):
            break
        last = quote
        for following in quotes[k + 1 :]:
            if content[1] <= last.end + 1 or following.open_mark >= content[1]:
                break
            if _JOINER.fullmatch(text[last.close_mark + 1 : following.open_mark]) is None:
                break
            last = following
        return quote if content[1] <= last.end + 1 else None
    return None


def _lead_in(doc: Doc, quote: Quote, quotes: list[Quote]) -> int | None:
    """Start of the speaker's own words before a quote that a cue follows: "Yet he is a
    'change agent,' Cole said" gives "Yet he is a"; None when the quote opens its sentence
    or the words before it hold another quote or a cue."""
    token = doc.char_span(quote.open_mark, quote.open_mark + 1, alignment_mode="expand")
    if token is None:
        return None
    sent = token[0].sent
    start, _ = trim_edges(doc_text(doc), sent.start_char, quote.open_mark)
    if start >= quote.open_mark:
        return None
    before = doc.char_span(start, quote.open_mark, alignment_mode="contract")
    if before is None or len([t for t in before if t.is_alpha]) < 2:
        return None
    if any(_inside(t.idx, quotes) or is_cue(t) or t.text in QUOTE_CHARS for t in before):
        return None
    return start


def _speech_noun_source(verb: Token) -> tuple[Token, Token] | None:
    """For "pointed to X's speech", the speech noun and its possessor."""
    for child in verb.subtree:
        if child.lemma_.lower() in SPEECH_NOUNS and child.head.i <= child.i:
            for grand in child.children:
                if grand.dep_ == "poss":
                    return child, grand
    return None


def with_marks(content: tuple[int, int], quotes: list[Quote]) -> tuple[int, int]:
    """Widen a mixed content span over the marks of quotes that open or close at its edges."""
    start, end = content
    for quote in quotes:
        if quote.open_mark < start <= quote.start:
            start = quote.open_mark
        if quote.end <= end <= quote.close_mark:
            end = quote.close_mark + 1
    return start, end


def _kind(content: tuple[int, int], quotes: list[Quote]) -> str:
    if any(q.start <= content[0] + 1 and content[1] <= q.end + 1 for q in quotes):
        return "direct"  # inside one quotation, its last comma left out ("''We won,'' said X")
    inner = [q for q in quotes if content[0] <= q.start and q.end <= content[1]]
    if not inner:
        return "indirect"
    if len(inner) == 1 and inner[0].start <= content[0] + 1 and inner[0].end >= content[1] - 1:
        return "direct"
    return "mixed"


def _according(token: Token, quotes: list[Quote]) -> Frame | None:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if to is None or obj is None:
        return None
    doc = token.doc
    text = doc_text(doc)
    head = token.head if token.head != token else token
    sent = token.sent
    # The attributed clause is the rest of the sentence, before or after the phrase.
    phrase_start, phrase_end = token.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)
    before = trim_edges(text, sent.start_char, phrase_start)
    after = trim_edges(text, phrase_end, sent.end_char)
    after = _past_participle_aside(doc, after, sent)
    content = before if before[1] - before[0] >= after[1] - after[0] else after
    lead = doc.char_span(*before, alignment_mode="expand") if before[1] > before[0] else None
    if (
        lead is not None
        and after[1] > after[0]
        and text[before[1] : phrase_start].strip() == ","
        and text[phrase_end : after[0]].strip() == ","
        and len([t for t in lead if t.is_alpha]) >= 3
        and not any(is_cue(t) for t in lead)
    ):
        # "One child was, according to the fire service, among the dead": an aside inside
        # the clause it attributes, which runs on both sides of it (not after an opener,
        # "Meanwhile, according to ...", nor after another report, "The IMF said that, ...")
        content = (before[0], after[1])
    if content[1] <= content[0] or head.is_punct:
        return None
    return Frame(
        content=content,
        kind=_kind(content, quotes),
        cue=(token.idx, to.idx + len(to)),
        source=mention(obj),
        source_phrase=noun_phrase(obj),
        confidence=0.8,
        rule="according-to",
    )


def _past_participle_aside(doc: Doc, span: tuple[int, int], sent: Span) -> tuple[int, int]:
    """``span`` without a participle clause that opens it between commas: in "according to
    the report, released by the World Bank on Monday, growth will slow" the clause describes
    the source; what the report says begins after it."""
    words = doc.char_span(span[0], span[1], alignment_mode="expand")
    if words is None or len(words) < 3:
        return span
    first = words[0]
    if first.tag_ not in ("VBN", "VBG") or first.dep_ not in ("advcl", "acl"):
        return span
    comma = first.right_edge.i + 1
    if comma + 1 >= sent.end or doc[comma].text != ",":
        return span
    rest = trim_edges(doc_text(doc), doc[comma + 1].idx, span[1])
    return rest if rest[1] > rest[0] else span


def _quote_then_act(content: tuple[int, int], clause: Token, quotes: list[Quote]) -> Quote | None:
    """The quotation that opens ``content`` when what follows it is the speaker's next act:
    'He said "it's over" and walked out' (the parse joins "walked" to the quoted clause);
    a verb joined by "and", "but" or "then" with no subject of its own and no quote mark
    after the closing one. Else None."""
    text = doc_text(clause.doc)
    for quote in quotes:
        if quote.open_mark >= content[0]:
            break
        lead = text[quote.start : content[0]]
        if quote.end >= content[1] or any(ch not in EDGE_CHARS for ch in lead):
            continue
        rest = [t for t in clause.sent if quote.close_mark < t.idx < content[1]]
        words = [t for t in rest if not t.is_punct]
        if any(t.text in QUOTE_CHARS for t in rest) or len(words) < 2:
            return None
        if words[0].lower_ not in ("and", "but", "then"):
            return None
        if words[1].lower_ == "then" and len(words) > 2:  # "and then left"
            words = words[1:]
        act = words[1] if words[1].pos_ in ("VERB", "AUX") else None
        if act is None or act.dep_ != "conj" or any(c.dep_ in _SUBJECTS for c in act.children):
            return None
        return quote
    return None


def _quote_frame(
    quote: Quote, cue: tuple[int, int], source: Token, lead: int | None = None
) -> Frame:
    """The frame of a quote its cue reports: the quoted text ("direct"), or from ``lead``
    (the speaker's own words before it) over the closing mark ("mixed")."""
    return Frame(
        content=(lead, quote.close_mark + 1) if lead is not None else (quote.start, quote.end),
        kind="mixed" if lead is not None else "direct",
        cue=cue,
        source=mention(source),
        source_phrase=noun_phrase(source),
        confidence=0.9,
        rule="quote-cue",
        quotes=[quote],
    )


def _verb_frame(verb: Token, quotes: list[Quote]) -> Frame | None:
    text = doc_text(verb.doc)
    source = subject_of(verb)
    if source is not None and _inside(source.idx, quotes):
        source = None
    cue = cue_span(verb)
    quote = _adjacent_quote(verb, quotes, source)
    if quote is not None:
        speech = _speech_noun_source(verb) if quote.open_mark > verb.idx else None
        if speech is not None:
            noun, owner = speech
            return Frame(
                content=(quote.start, quote.end),
                kind="direct",
                cue=(noun.idx, noun.idx + len(noun)),
                source=mention(owner),
                source_phrase=noun_phrase(owner),
                confidence=0.8,
                rule="speech-noun-colon",
                quotes=[quote],
            )
        if source is None:
            return None
        lead = _lead_in(verb.doc, quote, quotes) if quote.close_mark < verb.idx else None
        return _quote_frame(quote, cue, source, lead)
    clause = _reported_clause(verb)
    if clause is None and source is not None and verb.dep_ == "parataxis":
        return _parenthetical(verb, source, cue, quotes)
    if clause is None or source is None:
        return None
    content = _clause_content(verb, clause, source)
    if content is None:
        return None
    span = trim_edges(text, *content)
    opened = _opened_by(span, verb, quotes) or _quote_then_act(span, clause, quotes)
    if opened is not None:
        # 'Trump said on Friday "I can do it. I may do it."': the clause opens a quote that
        # the cue introduces; the claim is the whole quote, past the sentence the parse saw.
        return _quote_frame(opened, cue, source)
    return Frame(
        content=span,
        kind=_kind(span, quotes),
        cue=cue,
        source=mention(source),
        source_phrase=noun_phrase(source),
        confidence=0.75,
        rule="clause-cue",
    )


def _reported_clause(verb: Token) -> Token | None:
    """The first clausal complement of ``verb`` that no adverbial subordinator opens."""
    for child in verb.children:
        if child.dep_ != "ccomp":
            continue
        if any(c.dep_ == "mark" and c.lower_ in _ADVERBIAL_MARKS for c in child.children):
            continue
        if child.i < verb.i and any(
            t.text == ";" for t in verb.doc[child.right_edge.i + 1 : verb.i]
        ):
            # "Many guests were Indian; the embassy confirmed two pilgrims died": a clause
            # a semicolon parts from the cue is the writer's, not the report
            continue
        return child
    return None


def _parenthetical(
    verb: Token, source: Token, cue: tuple[int, int], quotes: list[Quote]
) -> Frame | None:
    """ "The museum, Mr. Bush said, celebrated ...": the sentence around the cue's clause.

    The content is the longer of the two stretches beside the parenthetical (a record holds
    one content span; PolNeAR splits such content into two fragments).
    """
    text = doc_text(verb.doc)
    sent = verb.sent
    left, right = verb.left_edge, verb.right_edge
    before = trim_edges(text, sent.start_char, left.idx)
    after = trim_edges(text, right.idx + len(right), sent.end_char)
    content = max(before, after, key=lambda span: span[1] - span[0])
    if content[1] - content[0] < 8:
        return None
    return Frame(
        content=content,
        kind=_kind(content, quotes),
        cue=cue,
        source=mention(source),
        source_phrase=noun_phrase(source),
        confidence=0.65,
        rule="parenthetical-cue",
    )


def _introducer(verb: Token) -> Frame | None:
    """A cue whose content is the next sentence ("Aoki pointed to X. '...,' but ...")."""
    source = subject_of(verb)
    if source is None or verb.lemma_.lower() in CLAUSE_ONLY:
        return None
    if any(c.dep_ == "ccomp" for c in verb.children):
        return None
    # Only a sentence's main verb hands it on: not "as he proposed" inside another clause.
    if not (verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")):
        return None
    return Frame(
        content=(0, 0),
        kind="indirect",
        cue=cue_span(verb),
        source=mention(source),
        source_phrase=noun_phrase(source),
        confidence=0.6,
        rule="introducer",
    )


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_frames(doc: Doc, quotes: list[Quote] | None = None) -> list[Frame]:
    """All attribution frames of a parsed Doc, in text order, with non-overlapping content."""
    text = doc_text(doc)
    if quotes is None:
        quotes = find_quotes(text)
    frames: list[Frame] = []
    introducers: dict[int, Frame] = {}  # sentence start char -> cue waiting for content
    sents = list(doc.sents)
    for index, sent in enumerate(sents):
        for token in sent:
            if not is_cue(token) or _inside(token.idx, quotes):
                continue
            if token.lower_ == "according":
                frame = _according(token, quotes)
            else:
                frame = _verb_frame(token, quotes)
                if frame is None and index + 1 < len(sents):
                    intro = _introducer(token)
                    if intro is not None:
                        introducers[sents[index + 1].start_char] = intro
            if frame is not None:
                frames.append(frame)
    frames.extend(_layout_frames(text, quotes))
    # first, so that they win the tie with the quote frame the parser's reading gives
    # ('"Said Wales ... Scott Johnson: '...'" with "Wales" as the subject of "Said")
    frames = _lead_frames(doc, quotes) + frames
    frames = _dedupe(frames)
    covered = [f.content for f in frames]
    previous: int | None = None
    for sent in sents:
        sent_quotes = [q for q in quotes if sent.start_char <= q.open_mark < sent.end_char]
        for quote in sent_quotes:
            if any(_overlaps((quote.start, quote.end), c) for c in covered):
                continue
            intro = introducers.get(sent.start_char)
            if intro is not None and _has_own_cue(sent, quotes):
                intro = None  # "She called it X. He added: '...'": the sentence has its cue
            span = trim_edges(text, sent.start_char, sent.end_char)
            quoted_whole = quote.open_mark <= span[0] + 1 and quote.close_mark >= span[1] - 2
            if intro is not None and quote is sent_quotes[0]:
                content = (quote.start, quote.end) if quoted_whole else span
                frames.append(
                    Frame(
                        content=content,
                        kind="direct" if quoted_whole else "mixed",
                        cue=intro.cue,
                        source=intro.source,
                        source_phrase=intro.source_phrase,
                        confidence=0.6,
                        rule="introduced",
                        quotes=[quote],
                    )
                )
                covered.append(content)
                continue
            if not _is_statement(doc, quote, quoted_whole):
                continue
            previous = _previous_frame(frames, quote.open_mark)
            if previous is None:
                continue
            frames.append(
                Frame(
                    content=(quote.start, quote.end),
                    kind="direct",
                    confidence=0.5,
                    continues=previous,
                    rule="continuation",
                    quotes=[quote],
                )
            )
            covered.append((quote.start, quote.end))
    for frame in frames:
        if frame.kind == "mixed":
            frame.content = with_marks(frame.content, quotes)
    frames.sort(key=lambda f: f.content[0])
    return _relink(frames)


LEAD_WORDS = 12
"""At most this many words name the speaker after a sentence-opening cue ("Said ...:")."""


def inverted_leads(doc: Doc, quotes: list[Quote]) -> list[tuple[Token, Span, Quote]]:
    """Sentences that open with a reporting verb, name the speaker after it and give the quote
    after a comma or colon: "Said Wales assistant coach Scott Johnson: '...'", "Added Smith,
    '...'". The parser takes such a verb for part of a name and the recognizer glues it to
    one ("Said Comey" as a person), so the pattern is read off the words: the verb
    (:data:`~claimx.attribution.lexicon.INVERTED_LEADS`, capitalized), up to
    :data:`LEAD_WORDS` words with a noun or name and no other punctuation, a comma or colon,
    then a quote's opening mark. Returns the verb, the speaker's words and the quote."""
    text = doc_text(doc)
    found = []
    for sent in doc.sents:
        first = sent[0]
        if (
            first.lower_ not in INVERTED_LEADS
            or not first.text[:1].isupper()
            or _inside(first.idx, quotes)
        ):
            continue
        end = first.i + 1
        limit = min(sent.end, end + LEAD_WORDS)
        while end < limit and doc[end].text not in (",", ":"):
            end += 1
        phrase = doc[first.i + 1 : end]
        if (
            end >= limit
            or not len(phrase)
            or phrase[0].pos_ in ("ADP", "ADV", "SCONJ", "CCONJ", "PART", "VERB", "AUX")
            or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in phrase)
            or any(t.is_space or t.text in QUOTE_CHARS or _punct_in_name(t) for t in phrase)
        ):
            continue
        after = doc[end].idx + 1
        quote = next((q for q in quotes if q.open_mark >= after), None)
        if quote is not None and not text[after : quote.open_mark].strip():
            found.append((first, phrase, quote))
    return found


def _punct_in_name(token: Token) -> bool:
    """Punctuation that no speaker's name or title holds (a hyphen or a dot may)."""
    return token.is_punct and token.text not in ("-", ".", "'", "’")


def _lead_frames(doc: Doc, quotes: list[Quote]) -> list[Frame]:
    """Frames of :func:`inverted_leads`: the quote, the verb as cue, the named speaker."""
    return [
        Frame(
            content=(quote.start, quote.end),
            kind="direct",
            cue=(cue.idx, cue.idx + len(cue)),
            source=bare_mention(doc, phrase.start_char, phrase.end_char),
            source_phrase=(phrase.start_char, phrase.end_char),
            confidence=0.9,
            rule="inverted-lead",
            quotes=[quote],
        )
        for cue, phrase, quote in inverted_leads(doc, quotes)
    ]


def mark_inverted_leads(doc: Doc, quotes: list[Quote]) -> None:
    """Undo what the tagger and recognizer made of the sentence-opening cue of
    :func:`inverted_leads`: it is a verb with its lemma, not a proper noun of the speaker's
    name or title ("Added Smith" is no name), and no part of an entity ("Said Comey" ->
    "Comey"; "Said Wales" before "assistant coach Scott Johnson" loses its label: the
    recognizer took it for a person only with the verb)."""
    leads = inverted_leads(doc, quotes)
    if not leads:
        return
    phrases: dict[int, Span] = {}
    for cue, phrase, _ in leads:
        cue.pos_ = "VERB"
        cue.tag_ = "VBZ" if cue.lower_.endswith("s") else "VBD"
        cue.lemma_ = INVERTED_LEADS[cue.lower_]
        cue.dep_ = "dep"
        phrases[cue.i] = phrase
    ents = list(doc.ents)
    kept = [ent for ent in ents if ent.start not in phrases]
    if len(kept) == len(ents):
        return
    for ent in ents:
        words = phrases.get(ent.start)
        if words is None or len(ent) == 1:
            continue
        if not any(e.label_ == "PERSON" and ent.end <= e.start < words.end for e in ents):
            kept.append(Span(doc, ent.start + 1, ent.end, label=ent.label))
    doc.ents = sorted(kept, key=lambda e: e.start)


def _layout_frames(text: str, quotes: list[Quote]) -> list[Frame]:
    """Transcript turns and dash sign-offs (:mod:`claimx.attribution.layout`) as frames."""
    found = [("transcript", turn) for turn in transcript_turns(text)]
    found += [("sign-off", sign) for sign in sign_offs(text)]
    return [
        Frame(
            content=content,
            kind="direct",
            cue=cue,
            source=source,
            source_phrase=source,
            confidence=0.8,
            rule=rule,
            quotes=[q for q in quotes if content[0] <= q.start < content[1]],
        )
        for rule, (source, cue, content) in found
    ]


def _has_own_cue(sent: Span, quotes: list[Quote]) -> bool:
    """Whether a sentence holds a reporting verb of its own outside its quotes."""
    return any(is_cue(t) and not _inside(t.idx, quotes) for t in sent)


def _is_statement(doc: Doc, quote: Quote, whole: bool = False) -> bool:
    """A quote that reads as speech (a clause of some length), not a title or scare quote.

    With ``whole`` (the quote is its sentence), three words with a verb and a full stop,
    question or exclamation mark inside the marks will do: '"Nobody saw it coming."'.
    """
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
        return False
    words = [t for t in span if not t.is_punct and not t.is_space]
    if len(words) >= 6:
        return True
    text = doc_text(doc)[quote.start : quote.end].rstrip()
    return whole and len(words) >= 3 and text[-1:] in ".?!"


def _previous_frame(frames: list[Frame], before: int) -> int | None:
    """The nearest earlier frame with a source, within a short distance."""
    best: int | None = None
    for i, frame in enumerate(frames):
        speaks = frame.source is not None or frame.continues is not None
        if (
            speaks
            and frame.content[1] <= before + 1
            and (best is None or frame.content[1] > frames[best].content[1])
        ):
            best = i
    if best is not None and before - frames[best].content[1] > 600:
        return None
    return best


def _reports_inside(frame: Frame, frames: list[Frame]) -> bool:
    """Whether ``frame``'s cue lies in the content of another frame that overlaps it: the
    inner report of "Perdue said [he didn't believe X]", which the outer one holds."""
    cue = frame.cue
    return cue is not None and any(
        other is not frame
        and other.content[0] <= cue[0]
        and cue[1] <= other.content[1]
        and _overlaps(frame.content, other.content)
        for other in frames
    )


def _dedupe(frames: list[Frame]) -> list[Frame]:
    """Keep one frame per content region: direct quotes first, then outer reports before
    the reports their content holds, then confidence, then length."""
    inner = {id(f) for f in frames if _reports_inside(f, frames)}
    ranked = sorted(
        frames,
        key=lambda f: (
            f.kind != "direct",
            id(f) in inner,
            -f.confidence,
            -(f.content[1] - f.content[0]),
        ),
    )
    kept: list[Frame] = []
    for frame in ranked:
        if not any(_overlaps(frame.content, k.content) for k in kept):
            kept.append(frame)
    return kept


def _relink(frames: list[Frame]) -> list[Frame]:
    """After sorting, point each continuation at the index of its antecedent frame."""
    for i, frame in enumerate(frames):
        if frame.continues is not None:
            frame.continues = _previous_frame(frames[:i], frame.content[0])
    return frames
