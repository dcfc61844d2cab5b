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

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ..attribution.lexicon import GROUP_NOUNS, PRONOUNS, SPEECH_NOUNS, SPEECH_VERBS
from ..entities import entity_at
from ..extensions import doc_text
from ..intervals import Intervals
from .acronyms import FUNCTION_WORDS, is_acronym, name_aliases
from .names import HYPHENS as _HYPHENS
from .names import POSSESSIVE as _POSSESSIVE
from .names import strip_det as _strip_det

_ORG_LABELS = ("ORG", "NORP", "GPE", "FAC")
_ROLE_DEPS = ("compound", "amod", "nmod")
_LOOKBACK = 2000  # characters searched back for a pronoun's antecedent
_PLURAL_PRONOUNS = frozenset({"they", "them", "we"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
#: People who speak as a group in news besides :data:`GROUP_NOUNS` ("The creditors took
#: control ... They had threatened").
_AGENT_NOUNS = frozenset(
    """
    shareholder creditor prosecutor lawyer protester campaigner producer singer doctor
    teacher worker employee minister politician director manager regulator organiser
    organizer union player fan viewer consumer voter
    """.split()
)
_TITLE_PREPS = ("of", "to", "for")  # inside titles: "Secretary of State", "Ambassador to X"
#: Last words of organization and place names: "Hirtenberger Defence Group" is no person.
_ORG_WORDS = frozenset(
    """
    group inc corp corporation company co ltd limited llc plc bank party institute
    university college school academy ministry department agency council committee
    commission court association society foundation union federation service services
    police force forces army navy office center centre news times post press network
    organization organisation fund trust board authority club team league airlines
    airways house senate congress parliament government administration city county state
    states republic kingdom island islands river street coast hall palace hotel
    united rovers athletic wanderers albion rangers hotspur
    games communications analytics networks systems technologies industries holdings
    securities pictures records studios motors
    """.split()
)
#: Last words of organization names that are nobody's surname (unlike "Hall", "Court" or
#: "Post"): a PERSON entity ending in one ("Manchester United's") is no person.
_NO_SURNAMES = frozenset(
    """
    inc corp corporation co ltd limited llc plc party institute university ministry
    department agency council committee commission association federation police
    government administration united rovers athletic wanderers albion rangers hotspur
    center centre games communications analytics networks systems technologies industries
    holdings securities pictures records studios motors
    """.split()
)
#: Plurals naming a party ("the Lib Dems said") or its members ("Labour MPs said") that
#: the recognizer may label a person: no one's surname.
_PARTY_PLURALS = frozenset(
    "dems tories democrats republicans conservatives liberals nationalists unionists "
    "socialists".split()
)
_MEMBER_PLURALS = frozenset("mps meps msps mlas peers senators congressmen".split())
#: Nouns for a person of a nation or region, which news uses after "the" for someone named
#: before ("The Scot admitted", "said the German").
_DEMONYMS = frozenset(
    """
    Scot Scotsman Scotswoman Briton Englishman Englishwoman Welshman Welshwoman Irishman
    Irishwoman Ulsterman Yorkshireman Frenchman Frenchwoman Dutchman Dutchwoman Spaniard
    Swede Dane Finn Norwegian Swiss German Austrian Italian Belgian Portuguese Greek Turk
    Pole Czech Slovak Hungarian Croat Serb Romanian Bulgarian Russian Ukrainian Belarusian
    American Canadian Mexican Brazilian Argentine Argentinian Chilean Colombian Australian
    Aussie Kiwi Kenyan Ethiopian Nigerian Ghanaian Zimbabwean Jamaican Moroccan Egyptian
    Israeli Iranian Iraqi Indian Pakistani Japanese Chinese Korean
    """.split()
)
#: Those of :data:`_DEMONYMS` that are nouns only: "Frenchman Ronald Pognon" is Ronald
#: Pognon, while "Russian News Agency Interfax" keeps its adjective.
_DEMONYM_NOUNS = frozenset(
    """
    Scot Scotsman Scotswoman Briton Englishman Englishwoman Welshman Welshwoman Irishman
    Irishwoman Ulsterman Yorkshireman Frenchman Frenchwoman Dutchman Dutchwoman Spaniard
    Swede Dane Finn Turk Pole Croat Serb Aussie Kiwi
    """.split()
)
#: Courtesy and professional titles written before a name, not part of it.
_HONORIFICS = frozenset(
    """
    mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. sen. rep.
    gov. president senator governor mayor judge justice detective constable sergeant
    inspector officer captain lieutenant colonel general admiral chancellor minister
    secretary ambassador professor doctor reverend bishop archbishop cardinal monsignor
    monsenor monseñor baroness baron earl countess viscount marquess assemblyman
    assemblywoman treasurer premier commissioner superintendent speaker sheriff marshal
    assemblymember councilman councilwoman councillor alderman congressman congresswoman
    lt lt. col col. gen. maj maj. capt capt. sgt sgt. cmdr cmdr. adm adm. brig brig.
    rt rt.
    """.split()
)
#: Royal and religious titles that news writes after "the" for one person ("the Queen").
_ONE_PERSON_TITLES = frozenset(
    "queen king prince princess duke duchess pope emperor empress sultan sheikh tsar".split()
)
#: Nouns by which news refers back to a company it has named ("the company added").
_COMPANY_NOUNS = frozenset(
    """
    company firm group carrier airline bank lender insurer retailer manufacturer maker
    carmaker broadcaster conglomerate chain operator supermarket brewer
    """.split()
)
#: Company nouns no person is called by ("the firm"; a "maker" or "broadcaster" may be one).
_COMPANY_ONLY_NOUNS = frozenset(
    "company firm group carrier airline bank lender insurer retailer carmaker conglomerate chain "
    "supermarket".split()
)
#: Nouns that name an organization: the words of organization names and company nouns.
_BODY_NOUNS = _ORG_WORDS | _COMPANY_NOUNS
#: Adjectives that count or rank the members of a group rather than name it.
_NOT_A_KIND = frozenset(
    """
    many several some few most other more all both various numerous own latest recent
    average certain such different new same last first next previous former
    """.split()
)
#: The key of :meth:`SpeakerResolver._named_bodies` for organizations named as subjects.
_SUBJECT_ORG = " subject organization"
#: Key of :meth:`SpeakerResolver._named_bodies` for the organizations a company noun
#: describes ("web tracking company Envisional", "ABN Amro, the Netherlands' largest bank").
_DESCRIBED_ORG = " described organization"
_COLLECTIVE = frozenset(
    """
    police government team family staff crew management public media press army
    council committee board jury panel company firm agency ministry administration
    """.split()
)
#: Government portfolios that open a title ("Defense Minister", "Home Secretary").
_PORTFOLIOS = frozenset(
    """
    defense defence foreign finance interior home health education justice trade
    commerce treasury energy transport transportation labor labour agriculture
    environment economy culture housing
    """.split()
)
#: Words that qualify a title ("Shadow chancellor", "Vice president"), written with a
#: capital before it: no organization's name.
_ROLE_MODIFIERS = frozenset(
    "shadow vice acting deputy interim former assistant associate senior chief joint".split()
)
#: Relatives a person's possessive names ("Michael Jackson's mother"), with their gender.
_RELATIVES = {
    **dict.fromkeys("mother wife daughter sister widow girlfriend fiancee aunt niece".split(), "f"),
    **dict.fromkeys(
        "father husband son brother widower boyfriend fiance uncle nephew".split(), "m"
    ),
    **dict.fromkeys("partner spouse parent cousin".split(), ""),
}
#: The gender a singular pronoun or a courtesy title gives its person.
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
#: Post-nominal letters: honours, offices and degrees written after a name.
_POSTNOMINALS = frozenset("QC KC MP MEP MSP MLA MBE OBE CBE KBE DBE PhD FRS".split())
#: Lower-case words that open surnames ("van Persie", "de Villepin").
_NAME_PARTICLES = frozenset("van von de der den da di du la le al el bin ibn ter".split())
#: All-capital words that name no organization before a title ("TV presenter").
_COMMON_ABBREVIATIONS = frozenset("TV PC CEO CFO COO CTO DJ IT AI GP PR HR VIP DVD CD".split())
#: Parliamentary titles also written before a name ("MEP Nigel Farage").
_PRENOMINAL_LETTERS = frozenset("MP MEP MSP MLA".split())
#: A first-name initial ("B.", "J.R."), which the recognizer may leave out of the name, and
#: the places written in initials that are none.
_INITIAL = re.compile(r"(?:[A-Z]\.){1,3}")
_PLACE_INITIALS = frozenset("U.S. U.K. U.N. E.U. U.S.A. N.Y. D.C. L.A.".split())
#: Endings of title and occupation nouns ("Executive", "Skipper", "Director", "Chairman"),
#: which no given name before a surname is taken to have.
_TITLE_ENDINGS = ("er", "or", "ist", "ive", "ent", "ant", "man", "woman", "ian")
#: Words of time that open a sentence before a titled name, parsed into the title.
_TIME_OPENERS = frozenset("earlier later meanwhile previously separately elsewhere".split())
#: Marks that may open a quote, either way round (not the apostrophe or the right single
#: mark, which contractions use).
_QUOTE_MARKS = ('"', "\u201c", "\u201d", "\u2018", "\u00ab", "\u00bb", "\u201e")
#: Occupations news writes before a name, not family or given names (unlike "Baker",
#: "Singer" or "Carter"): "Producer Mel Gibson", the recognizer taking the title in.
_OCCUPATIONS = frozenset(
    """
    producer director actor actress author novelist writer playwright chef coach manager
    boss chairman chairwoman spokesman spokeswoman analyst economist lawyer striker
    midfielder defender goalkeeper comedian presenter broadcaster designer artist musician
    rapper drummer guitarist composer filmmaker photographer journalist editor critic
    founder strategist scientist researcher architect engineer entrepreneur businessman
    businesswoman campaigner activist farmer teacher singer nurse pilot
    """.split()
)
#: Courtesy titles, which name no role.
_COURTESY = frozenset("mr mrs ms mx miss messrs sir dame".split())
#: Titles that go with a name rather than a role ("economist Dr Jane Roe").
_NAME_TITLES = _COURTESY | {"dr", "prof", "rev", "rt", "monsignor", "monsenor", "monseñor"}
#: Peers' titles, written capitalized before the name ("Attorney General Lord Goldsmith").
_PEER_TITLES = frozenset("Lord Lady Baroness Baron".split())
#: Words of courtesy titles alone ("the Rt Rev" without "Rev"): no role.
_COURTESY_WORDS = _COURTESY | {"rt"}
#: Courtesy titles written before a surname ("Sir" and "Dame" go before a first name).
_SURNAME_TITLES = frozenset("mr mrs ms mx miss messrs".split())
#: Nouns by which news refers back to a person it has named, by occupation or trait ("The
#: Ballymena-born actor said" after "film star Liam Neeson", "The Wooster professor added"
#: after "said study co-author Karen Alley"). Titles of office ("the minister") are left to
#: :meth:`SpeakerResolver.titled_person`, and nouns for people news often leaves unnamed
#: ("the official", "the spokesman", "the witness") and kinship nouns are left out.
_DESCRIPTIVE_NOUNS = frozenset(
    """
    actor actress singer star musician rapper comedian comic director producer novelist
    author writer poet artist designer presenter broadcaster columnist commentator
    player striker forward midfielder defender winger goalkeeper keeper coach boss
    champion athlete sprinter golfer boxer cyclist swimmer jockey
    professor scientist researcher economist analyst strategist expert historian academic
    scholar lawyer attorney veteran campaigner activist entrepreneur investor founder
    co-author physicist biologist ecologist glaciologist epidemiologist psychologist
    """.split()
)
#: Titles of office by which news refers back to a person it has named without that title
#: ("Charles Kennedy has said ... the Lib Dem leader asked"); see
#: :meth:`SpeakerResolver.office_holder`.
_OFFICE_NOUNS = frozenset(
    """
    leader chancellor president premier minister secretary chairman chairwoman governor
    mayor senator congressman congresswoman lawmaker legislator mp commissioner ambassador
    """.split()
)
#: Words for what a source wrote or published; its author is the speaker.
_DOCUMENT_NOUNS = frozenset(
    {
        *SPEECH_NOUNS,
        *"release website site poll polling survey filing figure data statistic".split(),
        *"estimate research study analysis forecast review".split(),
    }
)
#: Words that say a group goes unnamed, not who it is.
_UNNAMED = frozenset("unnamed anonymous unidentified".split())
#: Heads of partitive sources: "one of the children", "some of the residents".
_PARTITIVES = frozenset("one two three some many several most all few none each".split())
#: Nouns for one unnamed person who speaks for a body ("a BPI spokesman", "a senior defence
#: official", "a spokeswoman for the firm"): named by their phrase, as groups are, with the
#: noun as role and the body as organization.
_UNNAMED_ROLES = frozenset(
    """
    spokesman spokeswoman spokesperson official source representative dispatcher
    correspondent aide adviser advisor insider
    """.split()
)
#: Quantifiers that stand alone for unnamed people as a subject ("Some have suggested").
_QUANTIFIERS = frozenset("some many several most few others both".split())


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


def has_word(text: str | None) -> bool:
    """Whether ``text`` holds a letter or digit: a name, not a stray quote mark or dash."""
    return text is not None and any(ch.isalnum() for ch in text)


@dataclass
class Found:
    """A classified source mention: the canonical name, its kind, the token to describe."""

    name: str
    kind: str
    head: Token
    name_span: Span | None = None  # the name, where it stands outside the mention
    role: str | None = None  # the title the mention gives the name, if any
    organization: str | None = None
    rank: int = 3  # how strongly the mention states them (see ``SpeakerResolver.describe``)


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
    ent = entity_at(token, _ORG_LABELS)
    if ent is not None:
        if ent[-1].pos_ in ("DET", "ADP", "CCONJ"):
            # "the Office of the [Deputy Prime Minister]": the recognizer stopped short;
            # the phrase runs on up to a comma or a clause ("..., which argued")
            end = ent.end
            while end <= ent.root.right_edge.i and not (
                token.doc[end].is_punct or token.doc[end].dep_ in ("relcl", "acl")
            ):
                end += 1
            ent = token.doc[ent.start : end]
        return _strip_det(ent).text or None
    if token.pos_ == "PROPN":
        return _strip_det(_proper_chain(token)).text or None
    return None


def _role_start(head: Token) -> int:
    """Where the role that ``head`` ends begins: its first left modifier."""
    words = [c for c in head.lefts if c.dep_ in _ROLE_DEPS and not c.ent_type_]
    start = min([w.i for w in words] + [head.i])
    return _hyphenated_word(head.doc[start]).start  # "then-manager"


def _role_words(head: Token) -> str:
    """ "research associate", "political scientist": the noun with its left modifiers."""
    return head.doc[_role_start(head) : head.i + 1].text


def _prep_objects(head: Token, preps: tuple[str, ...]) -> Iterator[tuple[Token, Token]]:
    """(preposition, object) of each prepositional phrase on ``head`` that one of
    ``preps`` opens, in text order: where the organization of a name or title is looked
    for ("Maria Lopez of Stanford University", "the mayor of Paris")."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    yield prep, obj


def apposition(head: Token) -> tuple[str | None, str | None]:
    """Role and organization from "NAME, ROLE at/of/with ORG"."""
    for child in head.children:
        if child.dep_ != "appos" or child.pos_ not in ("NOUN", "PROPN"):
            continue
        first, child = child, _hyphenated_end(child)
        if (
            child.pos_ == "PROPN"
            and not child.ent_type_
            and child.text[:1].isupper()
            and any(c.dep_ == "prep" and c.lower_ in ("of", "at", "for") for c in child.children)
        ):
            # "Nancy Pelosi, the Speaker of the House": a capitalized title with its
            # "of" phrase; a bare proper noun in apposition is a name, not a role.
            role, org = title_of(child)
            if role:
                return role, org
        title = child.doc[_role_start(first) : child.i + 1].text
        role = title if child.pos_ == "NOUN" else None
        org = None
        for prep, obj in _prep_objects(child, ("at", "of", "with", "for", "from")):
            person = entity_at(obj, ("PERSON",)) if prep.lower_ == "for" else None
            # "a spokesman for EU trade commissioner Peter Mandelson": a person's, no body's
            found = None if person is not None and len(person) > 1 else organization_of(obj)
            if found is not None:
                org = found
            elif (
                role
                and prep.lower_ == "of"
                and prep.i == child.i + 1
                and obj.pos_ == "NOUN"
                and not any(c.dep_ in ("det", "poss") for c in obj.children)
            ):
                # "head of research", "professor of economics": the field is part of the
                # role ("author of the study" names a thing, not a field)
                role = child.doc[_role_start(first) : obj.i + 1].text
        if org is None and role:
            # "Jane Roe, Acme's chief executive,": an organization as possessor
            org = _owner(*dict.fromkeys((first, child)))
            if org is None:
                # "X, the NASA administrator", "X, PPI research director": a place or body
                # that opens the title is no part of the role
                words, org = title_words(child.doc[_title_start(first) : child.i + 1])
                if org is not None and role == title:
                    role = words or role
        if role or org:
            return role, org
    return None, None


def premodifier(name: Span) -> tuple[str | None, str | None]:
    """Role and organization from titles before a name ("U.S. Defense Secretary X")."""
    head = name[-1]
    doc = head.doc
    start = name.start
    while start > 0:
        prev = doc[start - 1]
        if _joined(prev, doc[start]):
            start -= 1  # "co-author": the parts of a hyphenated word belong together
        elif prev.dep_ in _ROLE_DEPS and (
            start > head.left_edge.i or start <= prev.head.i < name.end
        ):
            start -= 1
        else:
            break
    prep = doc[start - 1] if start > 0 else None
    if (
        prep is not None
        and prep.lower_ in _TITLE_PREPS
        and head.head == prep
        and prep.head.i < prep.i
        and prep.head.text[:1].isupper()
        and prep.head.pos_ in ("NOUN", "PROPN")
    ):
        # "President of Argentina Alberto Fernández", "Ambassador to Germany Richard
        # Grenell": the parser makes the name the object of the title's preposition.
        start = _title_start(prep.head)
    elif start > 0 and doc[start - 1].dep_ == "pobj":
        # The same title hung on the name instead ("President" a modifier of "Fernández").
        prep = doc[start - 1].head
        title = prep.head
        if (
            prep.lower_ in _TITLE_PREPS
            and title.i < prep.i
            and title.dep_ in _ROLE_DEPS
            # on the name, or on a role word before it ("Institute for Fiscal Studies
            # director Robert Chote": "Institute" hangs on "director")
            and (title.head == head or start <= title.head.i < name.end)
            and title.text[:1].isupper()
            and title.pos_ in ("NOUN", "PROPN")
        ):
            start = _title_start(title)
    if start == name.start:
        return _shared_title(name)
    role, org = title_words(doc[start : name.start])
    last = doc[name.start - 1]
    if role and last.tag_ in ("NNS", "NNPS") and role.endswith(last.text):
        # "NASA astronauts Bob Behnken and ...": each of them is an astronaut
        role = role[: len(role) - len(last.text)] + last.lemma_
    return role, org


def _shared_title(name: Span) -> tuple[str | None, str | None]:
    """The plural title before the first of two or more conjoined names, for a later one:
    "NASA astronauts Bob Behnken and Doug Hurley" makes Hurley an astronaut of NASA too."""
    head = name[-1]
    first = head.head
    if head.dep_ != "conj" or first.i >= name.start or first.ent_type_ != "PERSON":
        return None, None
    first_name = person_span(first)
    if first_name is None or not len(first_name) or first_name.start == 0:
        return None, None
    if head.doc[first_name.start - 1].tag_ not in ("NNS", "NNPS"):
        return None, None
    return premodifier(first_name)


def title_words(words: Span) -> tuple[str | None, str | None]:
    """Role and organization of a title: "U.S. Defense Secretary", "NASA administrator".

    A place or organization that opens the title is the organization; a nationality
    ("Japanese Defense Minister") or party adjective ("Democratic chairman") is neither
    role nor organization.
    """
    doc = words.doc
    start, end = words.start, words.end
    while start < end and (
        doc[start].is_punct
        or doc[start].lower_ in ("the", "a", "an")
        or (doc[start].is_sent_start and doc[start].lower_ in _TIME_OPENERS)
    ):
        start += 1  # "Earlier Foreign Secretary Jack Straw said": "Earlier" is no title
    if start < end and _age_number(doc[start]):
        start = min(end, start + 5)  # "the 55-year-old Frenchman": an age is no role
    if start == end:
        return None, None
    org = None
    ent = entity_at(doc[start], ("GPE", "ORG", "NORP"))
    if ent is not None and len(ent) == 1 and ent[0].lower_ in _PORTFOLIOS:
        ent = None  # "Defense Minister": a portfolio, part of the title
    if ent is not None and ent.end < end and _joined(doc[ent.end - 1], doc[ent.end]):
        ent = None  # "Moscow-based US lawyer": a place in a compound word is part of the role
    if ent is not None and _strip_det(ent).start == start and ent.end < end:
        if ent.label_ != "NORP":
            org = _strip_det(ent).text
        start = ent.end
    elif ent is None:
        # "SpaceX founder", "USCG Captain", "Kamloops RCMP Constable": proper nouns before a
        # lower-case role or a one-word title, or an acronym, name the organization even
        # when the recognizer missed them.
        stop = start
        while (
            stop < end - 1
            and (_proper_or_acronym(doc[stop]) or _capitalized_as_name(doc[stop]))
            and not doc[stop].ent_type_
        ):
            # the tagger may take an acronym for a common noun ("USCG Captain"), and a
            # club or firm opening a sentence for an adjective ("Arsenal boss Arsene Wenger")
            stop += 1
        joiner = doc[stop] if start < stop < end - 1 and doc[stop].lower_ in ("for", "of") else None
        rest = entity_at(doc[stop + 1], ("ORG",)) if joiner is not None else None
        if rest is not None and rest.start == stop + 1 and rest.end < end:
            # "Center for Biological Diversity scientist": the recognizer labelled only the
            # words after "for"; the run before it and the entity are one name
            stop = rest.end
        words = doc[start:stop]
        if (
            len(words)
            and (
                doc[stop].text.islower()
                or all(t.is_upper and len(t) > 1 for t in words)
                or (
                    stop == end - 1
                    and doc[stop].lower_ in _HONORIFICS
                    # an acronym or an organization word: not "Prime Minister"
                    and any((t.is_upper and len(t) > 1) or t.lower_ in _ORG_WORDS for t in words)
                )
            )
            and all(t.text[:1].isupper() or t == joiner for t in words)
            and not (len(words) == 1 and _capital_of_position(words[0]))
            and not any(
                t.lower_ in _PORTFOLIOS or t.lower_ in _HONORIFICS or t.lower_ in _ROLE_MODIFIERS
                for t in words
            )
        ):
            org, start = words.text, stop
    if org is None and end - start >= 3 and doc[end - 1].ent_type_ in ("GPE", "ORG"):
        ent = entity_at(doc[end - 1], ("GPE", "ORG"))
        if (
            ent is not None
            and ent.end == end
            and ent.start > start + 1
            and doc[ent.start - 1].lower_ == "of"
        ):
            # "President of Argentina": the place or body is the organization.
            org, end = _strip_det(ent).text, ent.start - 1
    while end - start > 1 and (
        doc[end - 1].lower_.rstrip(".") in _NAME_TITLES or doc[end - 1].text in _PEER_TITLES
    ):
        # "CBI director-general Sir Digby Jones", "Attorney General Lord Goldsmith": "Sir"
        # and "Lord" are the name's, not the role's
        end -= 1
    role = doc[start:end].text if start < end else None
    if role is not None and all(w.lower().rstrip(".") in _COURTESY_WORDS for w in role.split()):
        role = None  # "Mr.", "Mrs", "Rt": a courtesy title says nothing of what one does
    if role in _DEMONYMS:
        role = None  # "Frenchman Ronald Pognon": a nationality, not what one does
    return role, org


def _capital_of_position(token: Token) -> bool:
    """Whether ``token`` owes its capital to opening a sentence: a capitalized word at a
    sentence start that the article writes in lower case elsewhere and never capitalized
    inside a sentence ("Film director Steven Spielberg said ... the film industry": "Film"
    names no organization; "Brentford boss Martin Allen said" keeps Brentford)."""
    if not token.is_sent_start or not token.text.istitle() or token.is_upper:
        return False
    lower = False
    for other in token.doc:
        if other.text == token.text and not other.is_sent_start:
            return False
        lower = lower or other.text == token.lower_
    return lower


def _capitalized_as_name(token: Token) -> bool:
    """Whether ``token``, a capitalized word the tagger did not take for a proper noun, is
    an organization's name: the article names an organization with it elsewhere
    ("Arsenal boss Arsene Wenger said", where "Arsenal" opens the sentence and is labelled
    an organization further on), not after a lower-case word of that name ("Dance teacher
    X" beside the "Royal Academy of Dance") nor as the start of a phrase it has here ("Road
    safety head X" beside the "Road Safety Bill"). A generic organization word ("Committee
    chairman") is none."""
    if not _capitalized(token) or token.lower_ in _ORG_WORDS:
        return False
    doc = token.doc
    after = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else None
    for ent in doc.ents:
        if ent.label_ != "ORG" or ent.start <= token.i < ent.end:
            continue
        for word in ent:
            if word.text != token.text or (word.i > ent.start and doc[word.i - 1].is_lower):
                continue  # "Dance" of "Royal Academy of Dance" names no dance body
            following = doc[word.i + 1] if word.i + 1 < ent.end else None
            if following is None or following.lower_ != after:
                return True
    return False


def _proper_or_acronym(token: Token) -> bool:
    """A proper noun, or an all-capital word of two letters or more ("USCG") that is no
    common abbreviation ("TV presenter", "CEO")."""
    if token.pos_ == "PROPN":
        return True
    return (
        token.is_upper
        and token.is_alpha
        and len(token) > 1
        and token.text not in _COMMON_ABBREVIATIONS
        and token.text not in _PRENOMINAL_LETTERS
    )


def _capitalized(token: Token) -> bool:
    """An alphabetic word written with a capital and then lower case ("Maróth")."""
    return token.is_alpha and token.is_title


def _proper_runs(doc: Doc, joiners: tuple[str, ...] = ()) -> Iterator[Span]:
    """The runs of capitalized proper nouns (:func:`_capitalized`) in ``doc``, in order; a
    word of ``joiners`` between two of them stays inside a run ("Fire and Rescue")."""

    def proper(i: int) -> bool:
        return i < len(doc) and doc[i].pos_ == "PROPN" and _capitalized(doc[i])

    i = 0
    while i < len(doc):
        j = i
        while j < len(doc):
            if proper(j):
                j += 1
            elif j > i and doc[j].lower_ in joiners and proper(j + 1):
                j += 2
            else:
                break
        if j == i:
            i += 1
            continue
        yield doc[i:j]
        i = j


def _name_words(name: Span) -> Iterator[str]:
    """The lower-case content words of a name, once each (the keys of a word index)."""
    return iter(dict.fromkeys(t.lower_ for t in name if t.is_alpha and not t.is_stop))


def _joined(left: Token, right: Token) -> bool:
    """Whether two tokens are parts of one hyphenated word ("co" "-" "author")."""
    return not left.whitespace_ and (left.text in _HYPHENS or right.text in _HYPHENS)


def _hyphenated_word(token: Token) -> Span:
    """The hyphenated word ``token`` is part of ("Kilroy-Silk" for "Kilroy" or "Silk"), or
    ``token`` alone."""
    doc = token.doc
    start = end = token.i
    while start > 0 and _joined(doc[start - 1], doc[start]):
        start -= 1
    while end + 1 < len(doc) and _joined(doc[end], doc[end + 1]):
        end += 1
    while start < end and doc[start].text in _HYPHENS:
        start += 1
    while end > start and doc[end].text in _HYPHENS:
        end -= 1
    return doc[start : end + 1]


def _owner(*heads: Token) -> str | None:
    """The organization a title noun belongs to as its possessor ("the BBC's correspondent",
    "WorldCom's ex-head"): the first possessive of ``heads`` (the parts of a hyphenated
    title), when the recognizer labels it an organization."""
    owners = [c for head in heads for c in head.children if c.dep_ == "poss"]
    if owners and entity_at(owners[0], ("ORG",)) is not None:
        return organization_of(owners[0])
    return None


def _hyphenated_end(token: Token) -> Token:
    """The last part of the hyphenated word ``token`` opens: "head" for "ex" in "ex-head"
    (the parser may make each part an apposition of its own, the first one the role's)."""
    doc = token.doc
    while (
        token.i + 2 < len(doc)
        and doc[token.i + 1].text in _HYPHENS
        and _joined(token, doc[token.i + 1])
        and _joined(doc[token.i + 1], doc[token.i + 2])
        and doc[token.i + 2].is_alpha
    ):
        token = doc[token.i + 2]
    return token


def _person_of_organization(head: Token) -> Span | None:
    """A two-word proper name the recognizer took for an organization that is a person of
    the organization named after it ("Nikki Holland of the National Crime Agency"): two
    capitalized words, neither an organization word, and "of"/"at" an organization."""
    ent = entity_at(head, ("ORG",))
    if ent is None or len(ent) != 2 or ent[-1] != head:
        return None
    if any(not t.is_title or t.pos_ != "PROPN" or t.lower_ in _ORG_WORDS for t in ent):
        return None
    return ent if affiliation(head) is not None else None


def affiliation(head: Token) -> str | None:
    """The organization in "Maria Lopez of Stanford University", "Ann Lee at Barclays"."""
    for _, obj in _prep_objects(head, ("of", "at")):
        if entity_at(obj, ("ORG",)) is not None:
            return organization_of(obj)
    return None


def possessor(head: Token) -> str | None:
    """The organization in "RAND's Aoki"."""
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return organization_of(child)
    return None


def person_span(token: Token) -> Span | None:
    """The PERSON entity containing ``token`` (possessive marks dropped)."""
    ent = entity_at(token, ("PERSON",))
    return None if ent is None else person_name(ent)


def person_name(ent: Span) -> Span | None:
    """The name in a PERSON entity, without determiner and titles; ``None`` when no word is
    left (a stray quote mark tagged PERSON)."""
    span = _strip_det(ent)
    while len(span) > 1 and (
        span[0].tag_ in ("VBD", "VBN")  # not "Will" of "Will Young"
        or (span[0].is_lower and span[0].pos_ != "PROPN" and span[0].lower_ not in _NAME_PARTICLES)
    ):
        span = span[1:]  # "he rang Lucy", "Remarked Center ...": a verb run into the name
    span = strip_titles(span)
    doc = span.doc
    while (
        len(span)
        and span.start > 0
        and _INITIAL.fullmatch(doc[span.start - 1].text)
        and doc[span.start - 1].text not in _PLACE_INITIALS
        and not span[0].is_sent_start
    ):
        # "B. Satyanarayana said", "Satyanarayana" alone labelled: the initial is the name's
        span = doc[span.start - 1 : span.end]
    if (
        len(span)
        and span.start > 0
        and _hyphenated_word(span[-1]).start == span.start
        and _given_name(doc[span.start - 1])
        and not span[0].is_sent_start
    ):
        # "Rock DJ Huw Stephens", "Founder Stelios Haji-Ioannou": the recognizer took the
        # surname alone, and the given name went into the title
        span = doc[span.start - 1 : span.end]
    if len(span) == 1 and _after_the(span[0]):
        # "The Scot admitted": someone named before, not a person called Scot; "the
        # Independent", "the Gunners": a person's name seldom takes "the" (a stage name
        # such as "The Game" does, and is lost)
        return None
    words = [t for t in span if t.text not in _POSSESSIVE]
    if words and (
        words[-1].lower_ in _NO_SURNAMES
        or words[-1].lower_ in _PARTY_PLURALS
        or words[-1].lower_ in _MEMBER_PLURALS
    ):
        return None  # "Manchester United's", "the Lib Dems", taken for a person
    return span if has_word(span.text) else None


def _after_the(token: Token) -> bool:
    """Whether ``token`` follows "the" and is no royal or other title ("the Queen")."""
    return (
        token.i > 0
        and token.doc[token.i - 1].lower_ == "the"
        and token.lower_ not in _HONORIFICS
        and token.lower_ not in _ONE_PERSON_TITLES
    )


def _age_number(token: Token) -> bool:
    """Whether ``token`` is the number of an age: "55" of "55-year-old"."""
    after = [t.lower_ for t in token.doc[token.i + 1 : token.i + 5]]
    return token.like_num and after in (["-", "year", "-", "old"], ["-", "years", "-", "old"])


def _age_start(token: Token) -> int:
    """Where an age right before ``token`` begins ("55" of "the 55-year-old Frenchman"),
    else ``token.i``."""
    i = token.i
    return i - 5 if i >= 5 and _age_number(token.doc[i - 5]) else i


def _given_name(token: Token) -> bool:
    """Whether ``token``, right before a one-word surname, is a given name: a capitalized
    proper noun of no other entity and no title, occupation or body word, nor of their
    endings ("Chief Executive Smith" keeps "Executive" a title)."""
    lower = token.lower_
    return (
        token.is_title
        and token.is_alpha
        and token.pos_ == "PROPN"
        and token.ent_type_ in ("", "PERSON")
        and lower not in _HONORIFICS
        and lower not in _OCCUPATIONS
        and lower not in _ROLE_MODIFIERS
        and lower not in _PORTFOLIOS
        and lower not in _ORG_WORDS
        and lower not in _AGENT_NOUNS
        and not lower.endswith(_TITLE_ENDINGS)
    )


def _bare_name(name: str) -> str:
    """``name`` without post-nominal letters ("Kama Melly QC") and without a sentence's
    full stop the tokenizer left on its last word ("said Norbert Ore."); initials ("John
    Q.") and "Jr." keep theirs."""
    parts = name.split()
    while len(parts) > 2 and parts[-1].rstrip(".") in _POSTNOMINALS:
        parts.pop()
        name = " ".join(parts)
    last = parts[-1] if len(parts) > 1 else ""
    stop = len(last) > 3 and last.endswith(".") and last[:-1].isalpha()
    if stop and last[:-1] not in _POSTNOMINALS:
        return " ".join([*parts[:-1], last[:-1]])
    return name


def _leading_occupation(token: Token) -> bool:
    """Whether ``token``, opening a person's name, is an occupation or nationality written
    before it: a capitalized occupation noun ("Producer"), a parliamentary title ("MEP") or
    a nation's noun for one person ("Frenchman Ronald Pognon"; :data:`_DEMONYM_NOUNS`)."""
    if token.text in _PRENOMINAL_LETTERS or token.text in _DEMONYM_NOUNS:
        return True
    return token.text.istitle() and token.lower_ in _OCCUPATIONS


def strip_titles(span: Span) -> Span:
    """A name without the titles an entity may include ("Detective Constable Jane Roe") and
    the post-nominal letters after it ("Durham Hall QC": "QC" would index every QC).

    Titles go while a capitalized word stays ("Mr Tong" gives "Tong"); royal and papal
    titles are kept, as news English writes them as part of the name ("Pope Francis").
    """
    while len(span) > 1 and span[0].lower_ in _HONORIFICS and span[1].text[:1].isupper():
        span = span[1:]
    if len(span) > 2 and _leading_occupation(span[0]) and span[1].text[:1].isupper():
        span = span[1:]  # "Producer Mel Gibson", "MEP Nigel Farage": the recognizer's title
    # letters after a name ("Judge Durham Hall QC", "Jane Roe MBE") are no part of it
    while len(span) > 2 and span[-1].text.rstrip(".") in _POSTNOMINALS:
        span = span[:-1]
    return span


def role_holder(head: Token) -> Span | None:
    """The person named in apposition to a title: "the mayor of Paris, Anne Hidalgo,", or
    after it with the closing comma missing ("The head of X, Simon Wright said").

    The parser often hangs the name on the last noun of the title's "of"/"at"/"for"
    phrase ("Paris", "the Ask Wellness Society"), but a place or body takes no person in
    apposition: the name is the title holder's. Searched through two such phrases ("the
    director of the office of X, NAME").
    """
    frontier = [head]
    for _ in range(3):
        following: list[Token] = []
        for token in frontier:
            for child in token.children:
                if child.dep_ == "appos" and child.i > head.i:
                    named = person_span(child) or _unlabelled_holder(head, child)
                    if named is not None and len(named):
                        return named
                if child.dep_ == "prep" and child.lower_ in ("of", "at", "for", "with", "in"):
                    following.extend(c for c in child.children if c.dep_ == "pobj")
                if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN"):
                    following.append(child)
        frontier = following
    # "The charity's head of HIV/Aids in Britain, Simon Wright said": the apposition's
    # closing comma missing, the parser makes title and name two subjects of the verb
    if head.dep_ == "nsubj":
        for other in head.head.children:
            if (
                other.dep_ == "nsubj"
                and other.i > head.i
                and other.left_edge.i > 0
                and head.doc[other.left_edge.i - 1].text == ","
            ):
                named = person_span(other)
                if named is not None and len(named):
                    return named
    return None


def _unlabelled_holder(title: Token, child: Token) -> Span | None:
    """A name in apposition to a title word that the recognizer did not label a person
    ("The Shadow Secretary of State for the Family, Theresa May, said": "May" taken for a
    date): two or three capitalized proper nouns ending at ``child``, none of them a
    place's or body's."""
    if title.lower_ not in _HONORIFICS and title.lower_ not in _OCCUPATIONS:
        return None
    name = _proper_chain(child)
    name = name.doc[name.start : child.i + 1]
    if not _name_shaped(name) or any(t.ent_type_ in (*_ORG_LABELS, "LOC") for t in name):
        return None
    return name


def _name_shaped(name: Span) -> bool:
    """Two or three capitalized proper nouns, the last no organization word: the shape of
    a person's name the recognizer left unlabelled or took into a longer entity."""
    return (
        2 <= len(name) <= 3
        and name[-1].lower_ not in _ORG_WORDS
        and all(t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() for t in name)
    )


def name_after_title(head: Token) -> Span | None:
    """The name right after a title that the parser cut off from it.

    "said study co-author Karen Alley", "US Ambassador to Germany Richard Grenell alleged":
    when the subject is a singular title noun followed, inside the same noun phrase, by a
    person's name, the name is the speaker. Between the two only nouns, adjectives,
    hyphens, "and" before a noun or adjective ("chairman and chief executive"),
    "of"/"to"/"for" with a lower-case field after a title of :data:`_HONORIFICS`
    ("minister for civil aviation") and, when the title itself is capitalized, with a
    capitalized object ("Secretary of State") may stand; a lower-case noun before "for"
    and a capitalized object is someone else ("a spokesman for Senator X").
    """
    if head.tag_ not in ("NN", "NNP") or head.i + 1 >= len(head.doc):
        return None
    doc = head.doc
    crossed = fielded = False
    for i in range(head.i + 1, min(len(doc), head.i + 9)):
        token = doc[i]
        ent = entity_at(token, ("PERSON",))
        if ent is not None:
            if ent.start != i or (crossed and not head.text[:1].isupper()):
                return None
            after = doc[ent.end] if ent.end < len(doc) else None
            if after is not None and after.text in _POSSESSIVE:
                return None  # "the lawyer of Smith's family"
            named = person_span(ent[-1])
            return named if named is not None and len(named) else None
        if token.text in _HYPHENS or token.pos_ in ("NOUN", "PROPN", "ADJ"):
            if token.is_punct and token.text not in _HYPHENS:
                return None
            if fielded and token.pos_ == "PROPN":
                return None  # "associate of former Yukos boss X": the name is someone else's
            continue
        if (
            token.lower_ in _TITLE_PREPS
            and i + 1 < len(doc)
            and doc[i + 1].text[:1].isupper()
            and not crossed
        ):
            crossed = True
            continue
        if (
            token.lower_ in _TITLE_PREPS
            and i + 1 < len(doc)
            and doc[i + 1].is_lower
            and doc[i + 1].pos_ in ("NOUN", "ADJ")
            and head.lower_ in _HONORIFICS
            and not (crossed or fielded)
        ):
            fielded = True  # "minister for civil aviation Praful Patel": the title's field
            continue
        if (
            token.lower_ == "and"
            and i + 1 < len(doc)
            and doc[i + 1].pos_ in ("NOUN", "ADJ")
            and head.lower_ not in _BODY_NOUNS
        ):
            continue  # "founder and director Elliot Grove": two titles (not "club and ...")
        return None
    return None


def dashed_name(head: Token) -> Span | None:
    """The person a description between dashes follows: "Fund manager Florian Hamm -
    Borussia Dortmund's largest investor - said" (the recognizer may run the name over the
    dash; the name ends there)."""
    doc = head.doc
    for i in range(head.i - 1, head.left_edge.i, -1):
        dash = doc[i]
        if dash.text not in (*_HYPHENS, "—") or not (dash.whitespace_ and doc[i - 1].whitespace_):
            continue
        ent = entity_at(doc[i - 1], ("PERSON",))
        if ent is None:
            return None
        name = person_name(doc[ent.start : i])
        return name if name is not None and len(name) else None
    return None


def title_of(head: Token) -> tuple[str | None, str | None]:
    """Role and organization of a title noun: "the mayor of Paris" gives (mayor, Paris),
    "the BBC's correspondent" (correspondent, BBC), "the NASA administrator"
    (administrator, NASA)."""
    role = _role_words(head)
    for prep, obj in _prep_objects(head, ("of", "at", "for", "with")):
        portfolio = obj.text == "State" or (obj.is_title and obj.lower_ in _PORTFOLIOS)
        if portfolio and prep.i == head.i + 1 and obj.i == prep.i + 1:
            # "Secretary of State", "Secretary of Defense": one title, whether or not the
            # recognizer took the portfolio for an organization
            return f"{role} of {obj.text}", None
        if entity_at(obj, _ORG_LABELS) is not None:
            return role, organization_of(obj)
        if obj.pos_ == "PROPN" and prep.i == head.i + 1:
            # "Secretary of State": a capitalized title phrase, no organization.
            return f"{role} {head.doc[prep.i : obj.i + 1].text}", None
        break  # the first phrase only
    owner = _owner(head)  # "the BBC's correspondent in Jakarta"
    if owner is not None:
        return role, owner
    # "Maroochydore assistant coach, Ben Radmall": a place or body that opens the title
    return role, title_words(head.doc[_title_start(head) : head.i + 1])[1]


def honorific_name(span: Span | None) -> tuple[Span, str] | None:
    """A name written after a title ("Detective Constable Jane Roe", "Mr Tong"), whatever
    label the entity recognizer gave it: a title word before capitalized proper nouns
    makes them a person's name. Returns the name and the title. A title word that opens an
    organization's name before one more word is part of that name ("General Motors").
    """
    if span is None:
        return None
    span = _strip_det(span)
    name = strip_titles(span)
    if name.start == span.start:
        return _inner_title_name(span)
    if not len(name):
        return None
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in name):
        return None
    title = span.doc[span.start : name.start].text
    courtesy = title.lower().rstrip(".") in _COURTESY
    ent = entity_at(span[0], _ORG_LABELS)
    if not courtesy and len(name) == 1 and ent is not None and ent.end >= name.end:
        return None  # "General Motors", "Justice Department": one organization's name
    return name, "" if courtesy else title


def _inner_title_name(span: Span) -> tuple[Span, str] | None:
    """A name after a title inside a longer mention the recognizer took as one name
    ("Suffolk Chief Constable Alastair McWhirter"): two or three capitalized proper nouns
    after the mention's last title word, which is not its first word ("General Motors
    Corp" stays an organization)."""
    titles = [t.i for t in span[1:] if t.lower_ in _HONORIFICS and t.text[:1].isupper()]
    if not titles:
        return None
    name = span.doc[titles[-1] + 1 : span.end]
    if not _name_shaped(name):
        return None
    return name, span.doc[span.start : name.start].text


def role_head(role: str) -> str:
    """The head word of a role, lower case: "Secretary of State" gives "secretary",
    "spokesperson from Icstis" "spokesperson"."""
    words = role.lower().split()
    for i, word in enumerate(words):
        if i and word in (*_TITLE_PREPS, "at", "from"):
            return words[i - 1]
    return words[-1] if words else ""


def _title_words_in(role: str) -> list[str]:
    """The words of ``role`` that are titles of their own (:data:`_HONORIFICS`), lower case."""
    return [w for w in role.lower().split() if w in _HONORIFICS and not w.endswith(".")]


def held_title(name: Token) -> Token | None:
    """The title noun a name stands in apposition to: "the mayor of Paris, Anne Hidalgo".

    The name's parent may be the title itself or the object of the title's "of"/"at"
    phrase (the parser's usual attachment); the title is the common noun reached by
    climbing such phrases.
    """
    if name.dep_ != "appos" or name.head.i > name.i:
        return None
    if any(c.dep_ in _ROLE_DEPS and c.pos_ in ("NOUN", "ADJ") for c in name.lefts):
        return None  # "the trial of Mr Ebbers, ex-finance chief Scott Sullivan": his own title
    doc = name.doc
    before = name.left_edge.i - 1  # the title phrase ends here, or before a comma here
    if before > 0 and doc[before].text == ",":
        before -= 1
    if before < 0:
        return None
    token = name.head
    for _ in range(3):
        if token.pos_ in ("NOUN", "PROPN") and not token.ent_type_:
            if (
                token.pos_ == "PROPN"
                and token.lower_ not in _HONORIFICS
                and any(c.dep_ == "compound" and c.lower_ in _HONORIFICS for c in token.lefts)
            ):
                return None  # "Lord Campbell of Alloway and ..., the Rt Rev X": a name
            if token.tag_ in ("NNS", "NNPS"):
                return None  # "two Cabinet officers, Commerce Secretary Wilbur Ross and ..."
            if not (token == doc[before] or token.is_ancestor(doc[before])):
                return None  # "The line has the support of the Mayor of London, Ken ..."
            # "In an interview with Reuters, Mr Sato": a speech event holds no title
            return None if token.lemma_.lower() in SPEECH_NOUNS else token
        prep = token.head
        if token.dep_ != "pobj" or prep.lower_ not in ("of", "at", "for", "with"):
            return None
        token = prep.head
    return None


def _title_start(head: Token) -> int:
    """Where a title noun phrase starts, after its determiner or possessor."""
    start = head.left_edge.i
    for child in head.lefts:
        # a verb left unattached: the cue of "Remarked Center for ... scientist X, '...'"
        # (:func:`claimx.attribution.frames.mark_inverted_leads`)
        if child.dep_ in ("det", "poss", "case", "predet", "punct") or (
            child.dep_ == "dep" and child.pos_ == "VERB"
        ):
            start = max(start, child.right_edge.i + 1)
    return min(start, head.i)


def group_end(head: Token) -> int:
    """Where an unnamed source's noun phrase ends, its restrictive modifiers included.

    Unnamed sources are named by their whole phrase ("authorities in the United Kingdom
    and the United States", "sources close to the investigation", "witness accounts and
    authorities"): prepositional and adjectival modifiers and coordinated nouns that
    follow the head without a comma; relative clauses and appositions are left out.
    """
    doc = head.doc
    end = head.i + 1
    for child in head.rights:
        if child.dep_ not in ("prep", "amod", "cc", "conj") or doc[end].is_punct:
            break
        if child.dep_ == "conj" and child.pos_ not in ("NOUN", "PROPN"):
            break
        last = child.right_edge.i
        inner = doc[end : last + 1]
        if any(t.is_punct and t.text not in _HYPHENS for t in inner) or any(
            t.pos_ in ("VERB", "AUX") for t in inner
        ):
            break
        if (
            inner[-1].lemma_.lower() in SPEECH_VERBS
            and last + 1 < len(doc)
            and doc[last + 1].pos_ not in ("VERB", "AUX", "PUNCT")
        ):
            # "Critics of the land reform policy claim [that] ...": the cue taken for a noun
            end = max(end, last)
            break
        end = last + 1
    if end > head.i + 1 and doc[end - 1].dep_ == "cc":
        end -= 1
    return end


def group_number(head: Token) -> bool | None:
    """Whether a group source is plural; None for collective nouns, which take either
    number ("the police say they ...", "the government said it ...")."""
    if head.lemma_.lower() in _COLLECTIVE:
        return None
    if head.lower_.rstrip(".") == "al" and head.i and head.nbor(-1).lower_ == "et":
        return True  # "Stamenković et al"
    return head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)


def partitive(head: Token) -> str | None:
    """A partitive source named by its phrase: "one of the children", "some of them"."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == head.i + 1:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return head.doc[head.i : objs[0].i + 1].text
    return None


#: Lower-case word -> start characters (sorted) and the names that start there.
_WordIndex = dict[str, tuple[list[int], list[str]]]


def _ranked(head: Token) -> bool:
    """Whether a definite noun phrase ranks what it names: "the world's second biggest
    insurer", "the country's largest bank", "the most valuable company" (a superlative
    adjective, after "the" or a possessive)."""
    lefts = list(head.lefts)
    if not any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ == "the") for c in lefts):
        return False
    return any(
        c.dep_ == "amod" and (c.tag_ == "JJS" or any(g.tag_ == "RBS" for g in c.children))
        for c in lefts
    )


def _names_a_kind(modifier: Token) -> bool:
    """Whether a modifier of a group noun says which group it is ("German", "industry",
    "prosecution"), not how many or which of them ("many", "latest", "own")."""
    if modifier.lower_ in _NOT_A_KIND:
        return False
    if modifier.dep_ == "amod":
        return modifier.tag_ == "JJ" and "-" not in modifier.text
    return modifier.pos_ in ("NOUN", "PROPN")


def _agent_noun(lemma: str) -> bool:
    """Whether a plural subject's lemma names people who can speak: a group noun
    (:data:`GROUP_NOUNS`), a company noun ("firms", "banks") or another noun for people
    who speak as a group (:data:`_AGENT_NOUNS`: "creditors", "singers", "producers")."""
    return lemma in GROUP_NOUNS or lemma in _COMPANY_NOUNS or lemma in _AGENT_NOUNS


def _word_index(entries: list[tuple[str, int, str]]) -> _WordIndex:
    """A :data:`_WordIndex` of ``(word, start, name)`` entries, in order of start."""
    index: _WordIndex = {}
    for word, start, name in sorted(entries, key=lambda entry: entry[1]):
        starts, names = index.setdefault(word, ([], []))
        starts.append(start)
        names.append(name)
    return index


def _company_described(ent: Span) -> bool:
    """Whether a company noun describes the organization ``ent``: right before it ("web
    tracking company Envisional", "building products group James Hardie") or in apposition
    ("ABN Amro, the Netherlands' largest bank")."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.tag_ == "NN" and before.lower_ in _COMPANY_NOUNS:
        return True
    return any(
        c.dep_ == "appos" and c.tag_ == "NN" and c.lower_ in _COMPANY_NOUNS
        for c in ent.root.children
    )


def _names_company(ent: Span, name: str) -> bool:
    """Whether organization ``ent`` is ``name``, alone or with the words of a company's
    legal name after it ("BAA plc", "Aston Martin Ltd")."""
    words = ent.text.split()
    size = len(name.split())
    return words[:size] == name.split() and all(w.lower() in _ORG_WORDS for w in words[size:])


def _latest_entry(index: _WordIndex, head: Token, word: str) -> tuple[int, str] | None:
    """The start and name ``index`` (lower-case word -> sorted start characters and their
    names) holds for ``word`` that starts last before ``head``; None when there is none."""
    starts, names = index.get(word, ([], []))
    i = bisect_left(starts, head.idx)
    return (starts[i - 1], names[i - 1]) if i else None


def _latest_before(index: _WordIndex, head: Token, word: str | None = None) -> str | None:
    """The name :func:`_latest_entry` finds for ``word`` (default: ``head``'s own)."""
    entry = _latest_entry(index, head, head.lower_ if word is None else word)
    return entry[1] if entry is not None else None


def _latest_holding(index: _WordIndex, head: Token, modifiers: list[Token]) -> str | None:
    """Like :func:`_latest_before`, the latest name before ``head`` holding its word, among
    those that hold every word of ``modifiers`` too."""
    starts, names = index.get(head.lower_, ([], []))
    wanted = {m.lower_ for m in modifiers}
    for i in range(bisect_left(starts, head.idx) - 1, -1, -1):
        if wanted <= {w.lower() for w in re.findall(r"\w+", names[i])}:
            return names[i]
    return None


class SpeakerResolver:
    """Assigns canonical speakers to the claims of one Doc."""

    def __init__(self, doc: Doc, quotes: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.quotes = quotes
        self._quote_cover = Intervals(quotes)
        self.people: dict[str, Person] = {}
        self.by_surname: dict[str, str] = {}
        # (source start, name) of resolved claims, kept sorted: people, and groups and
        # organizations; ``antecedent`` bisects them.
        self.spoken: list[tuple[int, str]] = []
        self.spoken_bodies: list[tuple[int, str]] = []
        # (source start, name) of the people who spoke under a name or title, not a pronoun
        self.named_spoken: list[tuple[int, str]] = []
        self.plural: dict[str, bool | None] = {}  # number of group speakers, None: either
        self._titled: _WordIndex | None = None
        self._subjects: tuple[list[int], list[tuple[int, str]]] | None = None
        self._bodies: _WordIndex | None = None
        self._contents = Intervals(())  # the claims' contents, set by ``resolve``
        # (start, end, speaker) of the contents of the claims resolved so far to a person,
        # "according to" claims left out (see ``_nearest_person``)
        self._reported: list[tuple[int, int, str]] = []
        self._groups: dict[bool, tuple[list[int], list[str | None]]] = {}
        self._chains: list[Span] = []  # person names the recognizer missed
        self._genders: dict[str, str] | None = None  # person -> "m" / "f" ("": unclear)
        # (group word, tag) -> its one fuller form: "official" and "officials" apart
        self._fuller: dict[tuple[str, str], str | None] = {}
        self._aliases: dict[str, str] | None = None  # acronyms and short names of bodies
        self._labels: dict[str, Counter[str]] | None = None  # entity text -> its labels
        self._plural_subjects: set[str] | None = None  # see ``_takes_plural_verb``
        self._bodies_by_label: dict[str, bool] = {}  # memo of ``_body_by_label``
        self._index_people()

    def _writer_speaks(self, pos: int) -> bool:
        """Whether an "I" at ``pos`` is the writer's (a column, readers' comments), no one
        the article names: outside every quote, with no opening quote mark before it in
        its paragraph either (where marks went unpaired, '"There was talk ... "When there
        was talk I just told him', the quote was not found)."""
        if self._in_quote(pos):
            return False
        text = doc_text(self.doc)
        start = text.rfind("\n", 0, pos) + 1
        return not any(mark in text[start:pos] for mark in _QUOTE_MARKS)

    def _in_quote(self, pos: int) -> bool:
        """Whether ``pos`` lies in a quote: ``a <= pos < b`` for some quote ``(a, b)``."""
        return pos in self._quote_cover

    def _index_people(self) -> None:
        """Longest form of each person named outside quotes, keyed by surname; a full name
        said only inside a quote serves a surname that no name outside quotes does
        ("Celtic manager O'Neill" after a quote's "Martin O'Neill")."""
        names: list[Span] = []
        quoted: list[Span] = []
        for ent in self.doc.ents:
            if ent.label_ == "PERSON":
                span = person_name(ent)
                if span is not None and len(span) and span[-1].pos_ == "PROPN":
                    (quoted if self._in_quote(ent.start_char) else names).append(span)
        for span in sorted(names, key=len, reverse=True):
            text = _bare_name(span.text)
            surname = text.split()[-1]
            if surname not in self.by_surname:
                self.by_surname[surname] = text
        for span in sorted(quoted, key=len, reverse=True):
            text = _bare_name(span.text)
            surname = text.split()[-1]
            if len(text.split()) > 1 and self.by_surname.get(surname, surname) == surname:
                self.by_surname[surname] = text
        for full in list(self.by_surname.values()):
            parts = full.split()
            if len(parts) > 1:
                self.by_surname.setdefault(parts[-1], full)
        self._chains = self._unlabelled_names()
        for chain in self._chains:
            self.by_surname.setdefault(chain[-1].text, chain.text)
        # A one-word name that opens exactly one longer name is that person: "Mr Tong" after
        # "Tong Yung-soo" (family name first), "Don" after "Don Imus"; but not when both are
        # surnames ("Mr Howard" and "Mr Flight" after "Howard Flight": someone else).
        surnames = {
            token.text
            for token in self.doc[1:]
            if self.doc[token.i - 1].lower_.rstrip(".") in _SURNAME_TITLES
        }
        opening: dict[str, set[str]] = {}
        for full in self.by_surname.values():
            parts = full.split()
            if len(parts) > 1:
                opening.setdefault(parts[0], set()).add(full)
        for word, longer in opening.items():
            last = next(iter(longer)).split()[-1]
            if word in surnames and last in surnames:
                continue
            if len(longer) == 1 and self.by_surname.get(word, word) == word:
                self.by_surname[word] = next(iter(longer))

    def _unlabelled_names(self) -> list[Span]:
        """Person names the entity recognizer missed or labelled an organization.

        A run of two or three capitalized proper nouns ("Gáspár Maróth") is a person's
        name when the article later uses its last word alone as the subject of a verb
        ("Maróth said"): news English refers to people, not to organizations or places, by
        a bare surname. Runs after "the", runs ending in an organization word ("Defence
        Group") and place or nationality names are left out.
        """
        doc = self.doc
        bare: set[str] = set()
        for token in doc:
            if (
                token.dep_ in ("nsubj", "nsubjpass")
                and _capitalized(token)
                and not (token.i > 0 and _capitalized(doc[token.i - 1]))
                and not (token.i + 1 < len(doc) and _capitalized(doc[token.i + 1]))
                and not (token.i > 0 and doc[token.i - 1].lower_ == "the")
                and not self._in_quote(token.idx)
            ):
                bare.add(token.text)
        chains: list[Span] = []
        for run in _proper_runs(doc):
            j = run.end
            if len(run) > 3 and not doc[j - 2].ent_type_ and not doc[j - 1].ent_type_:
                # "the House Intelligence Committee Represenative Adam Schiff": a title run
                # into the name; its last two words are the name.
                run = doc[j - 2 : j]
            run = strip_titles(run)  # "Boss Graeme Souness felt": the name is two words
            if (
                2 <= len(run) <= 3
                and run[-1].text in bare
                and run[-1].lower_ not in _ORG_WORDS
                and not any(t.ent_type_ in ("GPE", "NORP", "LOC", "FAC", "PERSON") for t in run)
                and not (run.start > 0 and doc[run.start - 1].lower_ == "the")
                and not self._in_quote(run.start_char)
            ):
                chains.append(run)
        return chains

    def canonical(self, name: str) -> str:
        """The longest form of the person ``name`` names: the one its last word indexes,
        unless ``name`` has other words that form lacks ("Maria Green" is not "Thomas
        Green", though both are "Green")."""
        name = _bare_name(name)  # "Kama Melly QC", a name the recognizer did not label
        parts = name.split()
        if not parts:
            return name
        full = self.by_surname.get(parts[-1], name)
        if len(parts) > 1 and not set(parts) <= set(full.split()):
            return name
        return full

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
        if head.tag_ not in ("NN", "NNP") or entity_at(head, ("PERSON", *_ORG_LABELS)):
            return None
        # "the Shadow Secretary" is not the Secretary named before: a title's modifier
        # ("shadow", "deputy", "former") must be in the person's title too
        word = head.lower_
        for child in head.lefts:
            if child.dep_ in ("amod", "compound") and child.lower_ in _ROLE_MODIFIERS:
                word = f"{child.lower_} {word}"
                break
        # The person named last before the title (entities do not overlap, so the latest
        # entity start is also the latest name start).
        return _latest_before(self._titled_people(), head, word)

    def named_body(self, head: Token) -> str | None:
        """The organization a bare common noun refers to: "The hotel said" after "The Hotel
        Arpit Palace", "Police said" after "Thames Valley Police".

        The mention is a noun with "the" alone before it, or the noun alone and capitalized;
        it resolves to the latest organization or facility named (in two words or more)
        before it, outside quotes, that holds the word, or the latest noun named by proper
        nouns before it ("The administration said" after "the Trump administration"). With
        lower-case modifiers ("the statistics office") the name must hold them too
        ("Federal Statistics Office"). Failing those, "the company", "the firm", "the bank"
        (:data:`_COMPANY_NOUNS`, singular) resolve to the organization last named as the
        subject of a finite verb before it ("Acme Corp said ... The company added"): over
        300 BBC articles, 46 claims moved from "company" or "firm" to a name, 43 of them
        rightly by a reading of the articles (one names the regulator of the previous
        sentence; two were claims of other speakers already). The one organization a
        company noun describes in the article ("web tracking company Envisional", "Cairn
        Energy, a UK oil firm") is a candidate too: over the 510 BBC business articles, 8
        claims moved to a name (7 said by a bare noun, one by "It" after one), all rightly.
        """
        if head.tag_ not in ("NN", "NNP", "NNS"):
            return None
        ent = entity_at(head, (*_ORG_LABELS, "PERSON"))
        if ent is not None and (
            len(_strip_det(ent)) > 1 or ent.label_ == "PERSON" or head.lower_ not in _ORG_WORDS
        ):
            return None  # a name of its own ("The Bank", "the Commission" are bare nouns)
        dets = [c for c in head.children if c.dep_ in ("det", "poss", "amod", "compound")]
        # "the statistics office" after "Federal Statistics Office": lower-case modifiers
        # the name holds too
        mods = [
            c
            for c in dets
            if c.dep_ in ("amod", "compound") and c.i < head.i and c.is_lower and c.is_alpha
        ]
        rest = [c for c in dets if c not in mods]
        definite = len(rest) == 1 and rest[0].lower_ == "the"
        if head.tag_ == "NN" and head.lower_ in _COMPANY_NOUNS and _ranked(head):
            # "the world's largest package delivery company, UPS, said": the name beside it
            for child in head.children:
                ent = entity_at(child, _ORG_LABELS) if child.dep_ == "appos" else None
                if ent is not None and child.i > head.i:
                    return _strip_det(ent).text
            # "The world's second biggest insurer said" after "according to Swiss Re"
            return self._last_organization(head)
        if mods:
            return _latest_holding(self._named_bodies(), head, mods) if definite else None
        if not (definite or (not dets and head.text[:1].isupper())):
            return None
        found = _latest_before(self._named_bodies(), head)
        if found is None and definite and head.tag_ == "NN" and head.lower_ in _COMPANY_NOUNS:
            # "Acme Corp said ... The company added": the organization last named as a
            # subject before it, or the one organization of the article a company noun
            # describes ("web tracking company Envisional said ... the firm"), whichever
            # came last; with two described ("publishing group X is buying a stake in
            # newspaper company Y"), neither
            index = self._named_bodies()
            keys = [_SUBJECT_ORG]
            if len(set(index.get(_DESCRIBED_ORG, ([], []))[1])) == 1:
                keys.append(_DESCRIBED_ORG)
            latest = [e for k in keys if (e := _latest_entry(index, head, k)) is not None]
            found = max(latest)[1] if latest else None
        return found

    def _last_organization(self, head: Token) -> str | None:
        """The organization that last spoke, or was last named as the subject of a finite
        verb, before ``head`` and within :data:`_LOOKBACK` characters."""
        found: list[tuple[int, str]] = []
        i = bisect_left(self.spoken_bodies, (head.idx,))
        while i > 0:
            i -= 1
            start, name = self.spoken_bodies[i]
            if self.people[name].kind == "organization":
                found.append((start, name))
                break
        starts, names = self._named_bodies().get(_SUBJECT_ORG, ([], []))
        i = bisect_left(starts, head.idx)
        if i:
            found.append((starts[i - 1], names[i - 1]))
        found = [f for f in found if head.idx - f[0] <= _LOOKBACK]
        return max(found)[1] if found else None

    def _named_bodies(self) -> _WordIndex:
        """Lower-case word -> start characters and names of the ORG and FAC entities of two
        words or more outside quotes that hold it (and of the organization names the
        recognizer missed, :meth:`_unlabelled_bodies`), and of the lower-case nouns named by
        proper nouns before them ("Trump administration", under "administration" only), in
        order (built once per doc); under :data:`_SUBJECT_ORG`, the organizations that are
        the subject of their clause."""
        if self._bodies is not None:
            return self._bodies
        found: list[tuple[str, int, str]] = []  # (word, start, name)
        for ent in self.doc.ents:
            if ent.label_ not in ("ORG", "FAC") or self._in_quote(ent.start_char):
                continue
            name = _strip_det(ent)
            if (
                ent.label_ == "ORG"
                and len(name)
                and ent.root.dep_ in ("nsubj", "nsubjpass")
                and not any(c.lower_ == "to" for c in ent.root.head.children)
            ):  # the subject of a finite verb: not "allow Singapore Airlines to fly"
                found.append((_SUBJECT_ORG, ent.start_char, name.text))
            if ent.label_ == "ORG" and len(name) and _company_described(ent):
                found.append((_DESCRIBED_ORG, ent.start_char, name.text))
            if len(name) > 1:
                found.extend((word, ent.start_char, name.text) for word in _name_words(name))
        for token in self.doc:
            # "the Trump administration": a lower-case noun named by proper nouns before it
            if token.pos_ != "NOUN" or not token.is_lower or token.ent_type_:
                continue
            if token.dep_ == "appos":
                continue  # "Gáspár Maróth, the Hungarian Government commissioner": a title
            first = token.i
            while first > 0 and (
                self.doc[first - 1].dep_ == "compound"
                and self.doc[first - 1].pos_ == "PROPN"
                and self.doc[first - 1].head.i in range(first, token.i + 1)
            ):
                first -= 1
            if first < token.i and not self._in_quote(self.doc[first].idx):
                name = self.doc[first : token.i + 1]
                found.append((token.lower_, name.start_char, name.text))
        for name in self._unlabelled_bodies():
            found.extend((word, name.start_char, name.text) for word in _name_words(name))
        self._bodies = _word_index(found)
        return self._bodies

    def _unlabelled_bodies(self) -> list[Span]:
        """Organization names the recognizer missed, outside quotes: runs of two or more
        capitalized proper nouns, "and" or "of" between them allowed, that end in an
        organization word and touch no entity ("North Wales Fire and Rescue Service")."""
        return [
            name
            for name in _proper_runs(self.doc, ("and", "of"))
            if len(name) > 1
            and name[-1].lower_ in _ORG_WORDS
            and not any(t.ent_type_ for t in name)
            and not self._in_quote(name.start_char)
        ]

    def _titled_people(self) -> _WordIndex:
        """Title head word -> start characters of the PERSON entities (and of the names the
        recognizer missed) outside quotes whose title or apposition ends in that word, in
        order, and their canonical names.

        Built once per doc, on the first bare title: ``titled_person`` used to describe
        every person named before each title, in time quadratic in the article's length.
        """
        if self._titled is not None:
            return self._titled
        found: list[tuple[str, int, str]] = []  # (title word, start, name)
        # people the recognizer labelled and the names it missed (``_unlabelled_names``)
        names = [ent for ent in self.doc.ents if ent.label_ == "PERSON"] + self._chains
        for ent in names:
            span = strip_titles(_strip_det(ent))
            if not len(span) or self._in_quote(span.start_char):
                continue
            roles = [premodifier(span)[0], apposition(span[-1])[0]]
            if span[-1].dep_ == "appos" and span[-1].head.pos_ in ("NOUN", "PROPN"):
                roles.append(span[-1].head.text)
            name = self.canonical(span.text)
            # the role's head, and any title word in it ("archbishop Monsenor")
            words = [w for r in roles if r for w in (role_head(r), *_title_words_in(r))]
            # and each title modifier with the head ("shadow secretary")
            words += [
                f"{w} {role_head(r)}"
                for r in roles
                if r
                for w in r.lower().split()
                if w in _ROLE_MODIFIERS
            ]
            found.extend((word, ent.start_char, name) for word in dict.fromkeys(words))
        self._titled = _word_index(found)
        return self._titled

    def classify(self, start: int, end: int) -> Found | None:
        """Name, kind and head token of a source mention, or None for a pronoun/unknown.

        ``Found.name_span`` is set when the speaker's name stands outside the mention
        ("The mayor of Paris, Anne Hidalgo, wrote": the mention "mayor", the name
        "Anne Hidalgo").
        """
        found = self._classify(start, end)
        if found is None or not has_word(found.name):
            return None
        return self._unabbreviated(found)

    def _unabbreviated(self, found: Found) -> Found:
        """``found`` named by the full name of the body when its name is an acronym the
        article defines or a shorter name of that body (:func:`.acronyms.name_aliases`:
        "IADB" and "Inter-American Development Bank (IADB)" are one speaker)."""
        if self._aliases is None:
            self._aliases = name_aliases(self.doc)
        full = self._aliases.get(found.name)
        if full is None or (found.kind == "person" and found.name != found.head.text):
            return found
        return replace(found, name=full, kind="organization")

    def _after_courtesy(self, start: int) -> bool:
        """Whether a courtesy title ("Mr", "Mrs", "Ms") stands right before ``start``."""
        span = self.doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None or span.start == 0:
            return False
        return self.doc[span.start - 1].lower_.rstrip(".") in _COURTESY

    def _classify(self, start: int, end: int) -> Found | None:
        head = self._head(start, end)
        if head is None or head.lower_ in PRONOUNS:
            return None
        authors = self._et_al(start, end)
        if authors is not None:
            return authors
        known = self.known_name(start, end)
        if known is not None:
            return Found(known, "person", head)
        holder = self._office_holder(head)
        if holder is not None:
            return holder
        described_body = self.described_body(head)
        if described_body is not None:
            return described_body
        if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and not entity_at(head, ("PERSON",))):
            # "The Senate Minority Leader, Chuck Schumer, said": the name in apposition;
            # "study co-author Karen Alley said": the name after a title the parser split.
            named = role_holder(head)
            if named is not None:
                role, org = title_of(head)
                return Found(self.canonical(named.text), "person", named[-1], named, role, org)
            named = dashed_name(head)
            if named is not None:
                return Found(
                    self.canonical(named.text), "person", named[-1], named, *title_of(head)
                )
            named = name_after_title(head)
            if named is not None:
                role, org = title_words(head.doc[_title_start(head) : named.start])
                return Found(self.canonical(named.text), "person", named[-1], named, role, org)
            titled = self.titled_person(head)
            if titled is not None:
                return Found(titled, "person", head)
            body = self.named_body(head)
            if body is not None:
                return Found(body, "organization", head)
            described = self.described_person(head)
            if described is not None:
                return Found(described, "person", head)
            referent = self.office_holder(head)
            if referent is not None:
                # "the Lib Dem leader" states a role, more weakly than a title by the name
                role, org = title_words(head.doc[_title_start(head) : head.i + 1])
                return Found(referent, "person", head, None, role, org, rank=1)
            if head.lemma_.lower() in _DOCUMENT_NOUNS:
                author = self.author(head)
                if author is not None:
                    return author
        if head.pos_ in ("NUM", "PRON", "DET") or head.lower_ in _PARTITIVES:
            group = partitive(head)
            if group is not None:
                return Found(group, "group", head)
            if head.lower_ in _QUANTIFIERS and head.pos_ in ("PRON", "DET", "ADJ", "NOUN"):
                # "Some have suggested", "Many had expected": unnamed people, no "he"
                return Found(head.text, "group", head)
        labelled = entity_at(head, ("PERSON",))
        if labelled is not None and (
            head.lower_ in _PARTY_PLURALS or head.lower_ in _MEMBER_PLURALS
        ):
            # "The Lib Dems said", "Labour MPs said", labelled a person
            kind = "organization" if head.lower_ in _PARTY_PLURALS else "group"
            return Found(_strip_det(labelled).text, kind, head)
        if self._the_demonym(head):
            # "The Scot admitted", "said the German": someone named before, like a "he"
            referent = self._nearest_person(head.left_edge.idx, None)
            if referent is not None:
                return Found(referent, "person", head)
        person = person_span(head)
        if person is not None and len(person) == 1 and self._body_by_label(person.text):
            # "Labour said", "Euronext said", labelled a person here, a body elsewhere
            return Found(person.text, "organization", head)
        if person is not None and len(person):
            return Found(self.canonical(person.text), "person", head)
        titled_name = honorific_name(self.doc.char_span(start, end, alignment_mode="expand"))
        if titled_name is not None:
            name, title = titled_name
            return Found(self.canonical(name.text), "person", head, name, title or None)
        surname = _hyphenated_word(head).text
        if (
            head.pos_ == "PROPN"
            and surname in self.by_surname
            and not self._body_by_label(self.canonical(surname))
        ):
            return Found(self.canonical(surname), "person", head)
        if head.pos_ == "PROPN" and self._after_courtesy(start):
            # "Mr Camus said" with "Camus" taken for an organization: "Mr" says who it is
            name = strip_titles(_strip_det(_proper_chain(head)))
            return Found(self.canonical(name.text or head.text), "person", head)
        lettered = entity_at(head, ("ORG",)) if head.text.rstrip(".") in _POSTNOMINALS else None
        if lettered is not None and lettered.end == head.i + 1:
            # "Prosecutor Kama Melly QC", the name labelled an organization: the letters
            # after it say it is a person's
            name = strip_titles(_strip_det(lettered))
            if len(name) > 1 and all(_capitalized(t) for t in name):
                return Found(self.canonical(name.text), "person", name[-1])
        named = _person_of_organization(head)
        if named is not None:
            # "Nikki Holland of the UK's National Crime Agency" labelled an organization
            return Found(self.canonical(named.text), "person", head)
        if entity_at(head, ("ORG", "NORP", "GPE")) is not None:
            org = organization_of(head)
            if org:
                return Found(org, "organization", head)
        if head.pos_ == "PROPN":
            chain = _strip_det(_proper_chain(head)).text
            words = chain.split()
            named_body = len(words) > 2 or (len(words) > 1 and words[-1].lower() in _ORG_WORDS)
            # "ECLAC said": an acronym names a body, not a person
            named_body = named_body or (len(words) == 1 and is_acronym(chain))
            # "the Independent said", labelled a person: a person's name seldom takes "the"
            named_body = named_body or (len(words) == 1 and _after_the(head))
            return Found(chain, "organization" if named_body else "person", head)
        relative = self.relative(head)
        if relative is not None:
            return relative
        if head.lemma_.lower() in GROUP_NOUNS or head.tag_ in ("NNS", "NN"):
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                return Found(head.text, "group", head)
            phrase = _strip_det(self.doc[span.start : max(span.end, group_end(head))])
            while len(phrase) > 1 and phrase[0].lower_ in _UNNAMED:
                phrase = phrase[1:]  # "unnamed industry experts" are "industry experts"
            if len(phrase) == 1:
                fuller = self.fuller_group(head)
                if fuller is not None:
                    return Found(fuller, "group", head)
            return Found(phrase.text, "group", head)
        return None

    @staticmethod
    def described_body(head: Token) -> Found | None:
        """The organization named right after a company noun, in apposition to it ("Web
        tracking company Envisional said", "Channel Tunnel operator Eurotunnel said"): the
        speaker, with its name as the mention."""
        if head.tag_ != "NN" or head.lower_ not in _COMPANY_NOUNS:
            return None
        for child in head.rights:
            if child.dep_ != "appos" or child.i != head.i + 1:
                continue
            ent = entity_at(child, ("ORG",))
            if ent is not None and ent.start == child.i:
                name = _strip_det(ent)
                if len(name):
                    return Found(name.text, "organization", name[-1], name)
        return None

    def relative(self, head: Token) -> Found | None:
        """A person's relative, unnamed: "Michael Jackson's mother said" is "Michael
        Jackson's mother" (a group-kind source named by its surface, with the person's full
        name), not "mother"."""
        if head.tag_ not in ("NN", "NNS") or head.lemma_.lower() not in _RELATIVES:
            return None  # "Michael Jackson's parents" too
        for child in head.lefts:
            if child.dep_ != "poss" or child.pos_ != "PROPN":
                continue
            person = person_span(child)
            if person is not None and len(person):
                return Found(f"{self.canonical(person.text)}'s {head.lower_}", "group", head)
        return None

    def _et_al(self, start: int, end: int) -> Found | None:
        """Authors cited as "Stamenković et al" (the mention, or the words just before it,
        hold "et al"): a group named for the first author's full name, "Vlada Stamenković et
        al.", whom "they" can take up again."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        for token in self.doc[max(0, span.start - 2) : span.end]:
            after = token.nbor(1) if token.i + 1 < len(self.doc) else None
            if token.lower_ != "et" or after is None or after.lower_.rstrip(".") != "al":
                continue
            first = token.i
            # the tagger may read a foreign surname as anything ("Stamenković": INTJ)
            while first > 0 and _capitalized(self.doc[first - 1]) and token.i - first < 3:
                first -= 1
            if first == token.i:
                return None
            name = self.canonical(self.doc[first : token.i].text)
            return Found(f"{name} et al.", "group", after)
        return None

    def _office_holder(self, head: Token) -> Found | None:
        """A person's office as a speaker, named for the person: "Mr Spitzer's office said"
        -> "Eliot Spitzer's office" (an organization, so that "it added" finds it again),
        not the bare "office"; a possessor that is no person leaves it alone."""
        if head.lower_ != "office":
            return None
        found = self._possessor(head)
        if found is not None and found.kind == "person":
            return Found(f"{found.name}'s office", "organization", head)
        return None

    def _possessor(self, head: Token) -> Found | None:
        """The speaker a noun's possessor names ("the ministry's statement", "Mr Spitzer's
        office"), or None."""
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ in ("NOUN", "PROPN"):
                found = self.classify(self.doc[_title_start(child)].idx, child.idx + len(child))
                if found is not None:
                    return found
        return None

    def fuller_group(self, head: Token) -> str | None:
        """The fuller name of a bare plural group noun ("officials" is "German officials"),
        or of a noun for an unnamed person who speaks for a body ("the spokesman" is "BPI
        spokesman", :data:`_UNNAMED_ROLES`), when the article names that group in one way
        only (outside quotes), with adjectives or nouns before the same word: the longest
        form in the article, as for names; else None."""
        if head.tag_ != "NNS" and not (head.tag_ == "NN" and head.lemma_.lower() in _UNNAMED_ROLES):
            return None
        key = (head.lemma_, head.tag_)
        if key in self._fuller:  # one scan of the doc per group word
            return self._fuller[key]
        forms: set[str] = set()
        for token in self.doc:
            if token.lemma_ != head.lemma_ or token.tag_ != head.tag_ or self._in_quote(token.idx):
                continue
            mods = [c for c in token.lefts if c.dep_ in ("amod", "compound", "nmod")]
            if mods and all(_names_a_kind(m) for m in mods):
                forms.add(self.doc[min(m.left_edge.i for m in mods) : token.i + 1].text)
        found = self._fuller[key] = forms.pop() if len(forms) == 1 else None
        return found

    def known_name(self, start: int, end: int) -> str | None:
        """The person a bare surname stands for ("Maróth said" after "Gáspár Maróth").

        Whatever label the entity recognizer gave the word: a capitalized word that is the
        surname of a person named in the article refers to that person.
        """
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        words = [t for t in span if not t.is_punct and t.text not in _POSSESSIVE]
        words = [t for t in words if t.lower_ not in ("the", "a", "an")]
        if not words or not _capitalized(words[0]):
            return None
        word = _hyphenated_word(words[0])
        if len(words) > 1 and (word.start, word.end) != (words[0].i, words[-1].i + 1):
            return None
        # "Kilroy-Silk said" after "Robert Kilroy-Silk": one hyphenated surname
        full = self.by_surname.get(word.text)
        return full if full is not None and full != word.text else None

    def author(self, head: Token) -> Found | None:
        """The author of a document source ("a tweet by X", "a NATO press release").

        Documents do not speak; whoever wrote or issued one does: the object of "by" or
        "from" ("figures from the Office for National Statistics"), the possessor ("the
        ministry's statement") or an organization named before the noun ("a NATO press
        release", "the Internal Revenue Service website").
        """
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                for obj in child.children:
                    # "reports from the country" name a place, not who made them; "a
                    # statement from the band's record company Universal" names who issued it
                    if obj.dep_ == "pobj" and (
                        child.lower_ == "by" or obj.ent_type_ or obj.lower_ in _BODY_NOUNS
                    ):
                        found = self.classify(self.doc[_title_start(obj)].idx, obj.idx + len(obj))
                        if found is not None:
                            return found
        found = self._possessor(head)
        if found is not None:
            return found
        for token in head.doc[head.left_edge.i : head.i]:
            ent = entity_at(token, ("ORG",))
            if ent is not None and ent.end <= head.i:
                return Found(_strip_det(ent).text, "organization", ent[-1])
        return None

    def antecedent(self, position: int, pronoun: str = "he") -> str | None:
        """The speaker a pronoun before ``position`` most likely refers to.

        A singular personal pronoun ("he", "she") takes the nearest person: an earlier
        speaker (at its source mention) or a capitalized person name that is a subject
        outside quotes. "They" and "we" take the nearest earlier plural group ("police",
        "researchers") or organization, or a plural group noun that was a subject since
        ("The researchers used ... they concluded"); "it" the nearest singular group or
        organization, or an organization that was the subject of a finite verb since: a
        plural pronoun never stands for one person.
        """
        pronoun = pronoun.lower()
        # Both lists are sorted: the latest candidate before ``position`` is the best.
        if pronoun in _PLURAL_PRONOUNS or pronoun == "it":
            plural = pronoun != "it"
            spoken: tuple[int, str] | None = None
            i = bisect_left(self.spoken_bodies, (position,))
            while i > 0 and position - self.spoken_bodies[i - 1][0] <= _LOOKBACK:
                i -= 1
                name = self.spoken_bodies[i][1]
                if self.plural.get(name, plural) in (plural, None):
                    spoken = self.spoken_bodies[i]
                    break
            if plural:
                # "The researchers used satellite images ... which, they observed, ...": a
                # group that did not speak before but is the subject of a clause
                starts, groups = self._group_subjects(agents=pronoun != "we")
                i = bisect_left(starts, position)
                group = groups[i - 1] if i else None
                if (
                    group is not None
                    and position - starts[i - 1] <= _LOOKBACK
                    and (spoken is None or starts[i - 1] > spoken[0])
                ):
                    self._person(group, "group")
                    self.plural.setdefault(group, True)
                    return group
            else:
                # "Deutsche Bank has challenged ... In a filing, it said": an organization
                # that did not speak before but is the subject of a finite verb, outside
                # what was reported ("X said Fiat was set to ... It said": X)
                starts, names = self._named_bodies().get(_SUBJECT_ORG, ([], []))
                i = bisect_left(starts, position)
                while i and starts[i - 1] in self._contents:
                    i -= 1
                if (
                    i
                    and position - starts[i - 1] <= _LOOKBACK
                    and (spoken is None or starts[i - 1] > spoken[0])
                ):
                    name = names[i - 1]
                    self._person(name, "organization")
                    return name
            return spoken[1] if spoken is not None else None
        return self._nearest_person(position, pronoun)

    def _nearest_person(self, position: int, pronoun: str | None) -> str | None:
        """The person nearest before ``position`` that a singular reference takes: the last
        person who spoke, the last named person who was a subject, or (for a ``pronoun``)
        the last unnamed person who spoke, of the pronoun's gender; None beyond
        :data:`_LOOKBACK`."""
        gender = _PRONOUN_GENDER.get(pronoun or "")
        candidates = []
        i = bisect_left(self.spoken, (position,))
        # the last who spoke, past those the article showed to be of the other gender
        # ("She added: ..." then "'...,' he said": not her)
        i = self._agreeing(self.spoken, i, gender)
        speaker = self.spoken[i - 1][1] if i else None
        if i:
            candidates.append(self.spoken[i - 1])
        # "The official said ... 'It is done,' he said": an unnamed person who spoke
        i = bisect_left(self.spoken_bodies, (position,))
        while (
            pronoun is not None and i > 0 and position - self.spoken_bodies[i - 1][0] <= _LOOKBACK
        ):
            i -= 1
            if self._unnamed_person(*self.spoken_bodies[i], pronoun):
                candidates.append(self.spoken_bodies[i])
                break
        ends, subjects = self._named_subjects()
        # a subject inside what the last person who spoke reported is theirs to name, not
        # the next "he"'s ("Vince Cable warned the picture was not as rosy as Mr Brown would
        # like ... he said": Cable)
        told = [
            s
            for s in subjects[: bisect_right(ends, position)]
            if speaker is None or not self._reported_by(s[0], speaker)
        ]
        i = self._agreeing(told, len(told), gender)
        if i:
            candidates.append(told[i - 1])
        candidates = [c for c in candidates if position - c[0] <= _LOOKBACK]
        return max(candidates)[1] if candidates else None

    def _counted(self, source: list[int]) -> bool:
        """Whether a source no rule classified is a share or count of people ("Some 47%
        said", "Thirty said" in a poll's report): no pronoun, so no one named before."""
        span = self.doc.char_span(source[0], source[1], alignment_mode="expand")
        return span is not None and any(
            t.text == "%" or (t.like_num and t.lower_ != "one" and not _age_number(t)) for t in span
        )  # an age ("said the 34-year-old") is one person's

    def _counted_group(self, source: list[int]) -> str | None:
        """The plural noun a share or count of people is taken of ("95% of the
        participants": "participants"), or None ("Some 47% said")."""
        span = self.doc.char_span(source[0], source[1], alignment_mode="expand")
        if span is None:
            return None
        for child in span.root.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.tag_ in ("NNS", "NNPS"):
                        return obj.text
        return None

    def _reported_by(self, start: int, speaker: str) -> bool:
        """Whether ``start`` lies in the content of a claim of ``speaker`` among the claims
        resolved so far (``_reported``)."""
        return any(a <= start < b and name == speaker for a, b, name in self._reported)

    def _agreeing(self, people: list[tuple[int, str]], i: int, gender: str | None) -> int:
        """``i`` moved back past the people before it whom the article shows to be of the
        other gender than ``gender`` ("m" / "f"; None: no move); once one is passed, only
        a person shown to be of that gender is taken (0: none)."""
        passed = False
        while i and gender is not None:
            found = self._gender(people[i - 1][1])
            if found == gender or (found is None and not passed):
                return i
            passed, i = True, i - 1
        return i

    def _gender(self, name: str) -> str | None:
        """A person's gender, "m" or "f", where the article shows it: a "he"/"she" source
        resolved to them, or "Mr"/"Mrs"/"Ms"/"Miss" before their surname; else None."""
        return self._gender_map().get(name) or None

    def _gender_map(self) -> dict[str, str]:
        """Person -> "m" / "f" ("": both seen), seeded from courtesy titles on first use."""
        if self._genders is None:
            self._genders = {}
            for token in self.doc[1:]:
                title = _TITLE_GENDER.get(self.doc[token.i - 1].lower_.rstrip("."))
                if title is not None and _capitalized(token):
                    full = self.canonical(token.text)
                    # a surname two people of both genders share tells nothing
                    self._genders[full] = title if self._genders.get(full, title) == title else ""
        return self._genders

    def described_person(self, head: Token) -> str | None:
        """The person a definite description refers back to, like a "he" or "she": "The
        Wooster professor added" after "said study co-author Karen Alley", "the 47-year-old
        director said" after "Spike Lee said".

        Only a singular noun of :data:`_DESCRIPTIVE_NOUNS` after "the", outside quotes, and
        only when the person is named within :data:`_LOOKBACK` characters before; an unnamed
        person who spoke before ("a spokesman") is not taken. A name in the phrase ("the
        actor Liam Neeson") was taken before this is asked.
        """
        if head.lemma_.lower() not in _DESCRIPTIVE_NOUNS or not self._the_noun(head):
            return None
        return self._nearest_person(head.left_edge.idx, None)

    def _body_by_label(self, name: str) -> bool:
        """Whether a one-word ``name`` labelled a person is an organization's: the article
        labels it an organization, place or nationality more often than a person, never
        writes a courtesy title before it ("Mr Camus") and names no person more fully with
        it ("Labour", "Euronext", "Chelsea" in a football report)."""
        if name not in self._bodies_by_label:
            self._bodies_by_label[name] = self._labelled_body(name)
        return self._bodies_by_label[name]

    def _labelled_body(self, name: str) -> bool:
        if self._labels is None:
            self._labels = {}
            for ent in self.doc.ents:
                text = _strip_det(ent).text
                self._labels.setdefault(text, Counter())[ent.label_] += 1
        labels = self._labels.get(name, Counter())
        bodies = labels["ORG"] + labels["GPE"] + labels["NORP"]
        if len(name.split()) != 1 or self.canonical(name) != name:
            return False
        if bodies <= labels["PERSON"] and name not in self._takes_plural_verb():
            return False
        return not any(
            t.text == name and t.i > 0 and self.doc[t.i - 1].lower_.rstrip(".") in _NAME_TITLES
            for t in self.doc
        )

    def _takes_plural_verb(self) -> set[str]:
        """The proper nouns that are, alone, the subject of a plural verb somewhere in the
        article ("Norwich have signed", "Chelsea were beaten"): a team or firm in British
        usage, never one person. Found in one pass over the doc, on first use."""
        if self._plural_subjects is None:
            self._plural_subjects = set()
            for token in self.doc:
                if token.dep_ != "nsubj" or token.pos_ != "PROPN":
                    continue
                if any(c.dep_ == "conj" for c in token.children):
                    continue  # "Smith and Jones have said"
                verb = token.head
                words = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
                if any(w.tag_ == "VBP" or w.lower_ == "were" for w in words if w.i > token.i):
                    self._plural_subjects.add(token.text)
        return self._plural_subjects

    def _the_demonym(self, head: Token) -> bool:
        """Whether ``head`` is a nation's or region's noun for one person after "the", an
        age between them or not ("the 55-year-old Frenchman"; :data:`_DEMONYMS`), outside
        quotes."""
        if head.text not in _DEMONYMS or self._in_quote(head.idx):
            return False
        return _after_the(head) or _after_the(head.doc[_age_start(head)])

    def _the_noun(self, head: Token) -> bool:
        """Whether ``head`` is a singular common noun after "the", outside quotes: the
        shape of a description that refers back ("the professor", "the chancellor")."""
        return (
            head.tag_ == "NN"
            and not self._in_quote(head.idx)
            and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
        )

    def office_holder(self, head: Token) -> str | None:
        """The person a bare title of office refers back to when no one in the article
        holds it: "The days of apologising are over, Gordon Brown has said. The chancellor,
        speaking in Africa, said ...".

        Only the subject "the (Lib Dem) leader", a singular noun of :data:`_OFFICE_NOUNS`
        with no "of"-phrase of its own ("the chairman of the Police Federation" is someone
        else), outside quotes; and only when exactly one person spoke under a name or title
        (not a pronoun) in the sentence before it or earlier in its own, with no other title
        known. A title after a pronoun speaker, or after a sentence that names a person who
        did not speak ("Mr Bush was sworn in. ... the prime minister said"), stays
        unresolved, as does one whose own sentence names that person ("But the chancellor
        said Mr Baume was never there") or that follows words addressed to someone ("wrote
        to Mr McConnell").
        """
        if (
            head.lower_ not in _OFFICE_NOUNS
            or head.dep_ != "nsubj"
            or not self._the_noun(head)
            or any(c.dep_ == "prep" for c in head.children)
        ):
            return None
        sent = head.sent
        before = sent.start - 1
        while before >= 0 and not any(t.is_alpha for t in self.doc[before].sent):
            before = self.doc[before].sent.start - 1
        first = self.doc[before].sent if before >= 0 else sent  # the sentence before
        lo = bisect_left(self.named_spoken, (first.start_char,))
        hi = bisect_left(self.named_spoken, (head.left_edge.idx,))
        names = {name for _, name in self.named_spoken[lo:hi]}
        if len(names) != 1:
            return None
        name = names.pop()
        role = self.people[name].role if name in self.people else None
        if role and role_head(role) != head.lower_:
            return None  # "Conservative Michael Fallon asked Mr Brown ... the chancellor"
        surname = name.split()[-1]
        if any(t.text == surname for t in self.doc[head.i + 1 : sent.end]):
            return None  # "But the chancellor said Mr Baume was never there": not Baume
        for token in self.doc[first.start : head.i]:
            # "Sturgeon wrote to Mr McConnell ... the first minister said": the one addressed
            if (
                token.dep_ == "pobj"
                and token.head.lower_ == "to"
                and token.ent_type_ == "PERSON"
                and token.text != surname
            ):
                return None
        return name

    def _unnamed_person(self, start: int, name: str, pronoun: str) -> bool:
        """Whether a group speaker is one unnamed person a singular "he"/"she" can stand
        for: a singular person noun of :data:`GROUP_NOUNS` ("the official", "a Trafford
        Centre spokeswoman"), of the pronoun's gender where the noun has one."""
        person = self.people.get(name)
        if person is None or person.kind != "group" or self.plural.get(name) is not False:
            return False
        if pronoun == "you":
            return False  # a review's "You might find that ...": the reader, no spokesman
        noun = role_head(name)  # "spokesman for the UK Film Council": a spokesman
        if noun in _RELATIVES:
            gender = _RELATIVES[noun]
            return not gender or gender == _PRONOUN_GENDER.get(pronoun, gender)
        if noun not in GROUP_NOUNS or noun in ("people", "source"):
            return False
        return not (
            (pronoun in ("he", "him") and noun == "spokeswoman")
            or (pronoun in ("she", "her") and noun == "spokesman")
        )

    def _group_subjects(self, agents: bool = True) -> tuple[list[int], list[str | None]]:
        """Start characters and names of the plural nouns outside quotes that are the
        subject of a clause (group nouns, :data:`GROUP_NOUNS`) or of a sentence's main
        verb (other nouns), in order (built once per doc): the name of a group noun (with
        ``agents``, of a company or agent noun too: :func:`_agent_noun`), None for other
        nouns ("Firms complained. Delegations have been heading to Washington. They
        say": the nearest plural subject is the likeliest antecedent, and a group that was
        a subject before it is a guess; one that spoke before it is kept). "We" takes the
        group nouns only: the firms or producers named before are seldom who speaks as
        "we" in a quote."""
        if agents in self._groups:
            return self._groups[agents]
        starts: list[int] = []
        names: list[str | None] = []
        for token in self.doc:
            if (
                token.dep_ not in ("nsubj", "nsubjpass")
                or token.tag_ != "NNS"
                or self._in_quote(token.idx)
            ):
                continue
            lemma = token.lemma_.lower()
            verb = token.head
            main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
            if not (main or lemma in GROUP_NOUNS):
                continue  # "places where coastal ice sheets had melted": no antecedent
            found = None
            if lemma in GROUP_NOUNS or (agents and _agent_noun(lemma)):
                found = self.classify(token.left_edge.idx, token.idx + len(token))
            starts.append(token.idx)
            names.append(found.name if found is not None and found.kind == "group" else None)
        self._groups[agents] = (starts, names)
        return self._groups[agents]

    def _named_subjects(self) -> tuple[list[int], list[tuple[int, str]]]:
        """End characters of the PERSON entities outside quotes that hold a subject (or a
        name in apposition to one) and a capitalized name, in order, and their (start
        character, canonical name).

        Built once per doc, on the first pronoun source (it was searched anew for each).
        """
        if self._subjects is not None:
            return self._subjects
        ends: list[int] = []
        subjects: list[tuple[int, str]] = []
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" or self._in_quote(ent.start_char):
                continue
            span = person_name(ent)
            if (
                span is not None
                and span.text[:1].isupper()
                and not (len(span) == 1 and self._body_by_label(span.text))
                and any(
                    t.dep_ in ("nsubj", "nsubjpass")
                    # "Her colleague, Tom Reed, disagreed": the name of the subject
                    or (t.dep_ == "appos" and t.head.dep_ in ("nsubj", "nsubjpass"))
                    for t in ent
                )
            ):
                ends.append(ent.end_char)
                subjects.append((ent.start_char, self.canonical(span.text)))
        # A bare surname of a person named in full is a named subject whatever its entity
        # label ("Amman, who was described as ..., sent" after "Sudesh Amman": GPE).
        for token in self.doc:
            if (
                token.dep_ in ("nsubj", "nsubjpass")
                and token.ent_type_ != "PERSON"
                and _capitalized(token)
                and not self._in_quote(token.idx)
                and not (token.i > 0 and _capitalized(self.doc[token.i - 1]))
            ):
                full = self.by_surname.get(token.text)
                if full is not None and full != token.text:
                    ends.append(token.idx + len(token))
                    subjects.append((token.idx, full))
        order = sorted(range(len(ends)), key=ends.__getitem__)
        self._subjects = ([ends[i] for i in order], [subjects[i] for i in order])
        return self._subjects

    def describe(self, person: Person, head: Token) -> None:
        """Fill role and organization from this mention's appositions, titles, possessives.

        An apposition ("X, strategist at Y") outranks a title before the name, which
        outranks a possessive ("RAND's X"); an earlier mention wins among equals.
        """
        candidates = [(3, *apposition(head))]
        if candidates[0][2] is None:
            candidates.append((3, None, self._apposition_body(head)))
        title = held_title(head)
        if title is not None:
            candidates.append((3, *title_of(title)))
        name = person_span(head)
        if name is not None:
            role, org = premodifier(name)
            # "Dr Greenspan" after "Fed chairman Alan Greenspan": a title of address alone
            # gives way to a title that says what the person does
            addressed = role is not None and all(
                w.lower().rstrip(".") in _NAME_TITLES for w in role.split()
            )
            candidates.append((2, None if addressed else role, org))
            if addressed:
                candidates.append((1, role, None))
        candidates.append((2, None, affiliation(head)))
        candidates.append((1, None, possessor(head)))
        for rank, role, org in candidates:
            if role and rank > person.role_rank:
                person.role, person.role_rank = role, rank
            if org and rank > person.org_rank:
                person.organization, person.org_rank = org, rank

    def describe_unnamed(self, person: Person, head: Token) -> None:
        """Role and organization of an unnamed person who speaks for a body
        (:data:`_UNNAMED_ROLES`): "BPI spokesman" is a spokesman of BPI, as is "a
        spokesman for BPI" or "BPI's spokesman"; "the firm" and "the company" stand for
        the body they refer to. A person's spokesman ("a spokesman for Mr Blair") has no
        organization."""
        if head.tag_ != "NN" or head.lemma_.lower() not in _UNNAMED_ROLES:
            return
        doc = self.doc
        start = _title_start(head)
        words = doc[start : head.i]
        role: str | None
        org: str | None
        # "our China correspondent" reports from China, not for it
        beat = head.lower_ == "correspondent" and any(t.ent_type_ == "GPE" for t in words)
        if beat:
            role, org = doc[start : head.i + 1].text, None
        elif (
            len(words)
            and words[0].text[:1].isupper()
            and all(
                t.text[:1].isupper() or t.lower_ in FUNCTION_WORDS or t.text in (",", "'s", "’s")
                for t in words
            )
            and not any(t.ent_type_ in ("NORP", "PERSON") for t in words)
        ):
            # "Department for Media, Culture and Sport spokeswoman", "Treasury spokesperson"
            # (a portfolio in a title, but a body before these nouns)
            role, org = head.text, words.text
        else:
            role, org = title_words(doc[start : head.i + 1])
        if org is None:
            for _, obj in _prep_objects(head, ("for", "of", "at", "from")):
                if not self._names_a_person(obj):
                    org = organization_of(obj) or self.named_body(obj)
                if org is not None:
                    break
        if org is None:
            owners = [c for c in head.children if c.dep_ == "poss" and c.pos_ != "PRON"]
            if owners and not self._names_a_person(owners[0]):
                org = organization_of(owners[0]) or self.named_body(owners[0])
        self.describe_title(person, Found(person.name, "group", head, None, role, org))

    def _names_a_person(self, token: Token) -> bool:
        """Whether ``token`` names a person: a PERSON entity, a title of address before it
        ("Mr Prescott") or a person the article names."""
        return (
            entity_at(token, ("PERSON",)) is not None
            or self._after_courtesy(token.idx)
            or token.text in self.by_surname
        )

    def _apposition_body(self, head: Token) -> str | None:
        """The organization named before that an apposition's "of/at the NOUN" refers to
        ("Dominic Hare, chief executive of the palace" after "Blenheim Palace")."""
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                for _, obj in _prep_objects(child, ("of", "at")):
                    if organization_of(obj) is None:
                        body = self.named_body(obj)
                        if body is not None:
                            return body
        return None

    @staticmethod
    def describe_title(person: Person, found: Found) -> None:
        """Role and organization from the title of a mention that names someone else
        ("The mayor of Paris, Anne Hidalgo"): as strong as an apposition; or that refers
        back to them ("the Lib Dem leader"): weaker than any title by the name."""
        if found.role and person.role_rank < found.rank:
            person.role, person.role_rank = found.role, found.rank
        if found.organization and person.org_rank < found.rank:
            person.organization, person.org_rank = found.organization, found.rank

    def _relative_antecedent(self, source: list[int]) -> tuple[int, int]:
        """The noun phrase a relative pronoun source stands for ("economics minister Heizo
        Takenaka, who said"), else ``source`` itself."""
        head = self._head(*source)
        if (
            head is not None
            and head.lower_ in _RELATIVE_PRONOUNS
            and head.head.dep_ == "relcl"
            and head.head.head.i < head.i
            and head.head.head.pos_ in ("NOUN", "PROPN")
            and head.head.head.lower_ != "one"  # "no one who is suggesting"
            and not self._in_quote(head.head.head.idx)  # 'a "revelatory debut" which'
        ):
            noun = head.head.head
            return noun.left_edge.idx, noun.idx + len(noun)
        return source[0], source[1]

    def resolve(self, claims: list[dict]) -> list[Person]:
        """Set ``claim["speaker"]`` for every claim; return the speakers in order of speech."""
        self._contents = Intervals(tuple(c["content"]) for c in claims if c.get("content"))
        for claim in claims:
            source = claim.get("source")
            name: str | None = None
            if source is not None and not has_word(doc_text(self.doc)[source[0] : source[1]]):
                # A stray mark parsed as the subject ("』 said") is no source mention.
                claim["source"] = claim["source_phrase"] = source = None
            if source is not None:
                found = self.classify(*self._relative_antecedent(source))
                if found is not None:
                    name = found.name
                    person = self._person(name, found.kind)
                    if found.kind == "person":
                        self.describe(person, found.head)
                        self.describe_title(person, found)
                    if found.kind == "group":
                        self.plural[name] = group_number(found.head)
                        self.describe_unnamed(person, found.head)
                    if found.name_span is not None:
                        named = found.name_span
                        claim["source"] = source = [named.start_char, named.end_char]
                    if found.kind == "person":
                        insort(self.named_spoken, (source[0], name))
                else:
                    position = min(source[0], claim["content"][0])
                    pronoun = doc_text(self.doc)[source[0] : source[1]].strip()
                    writer = pronoun.lower() == "i" and self._writer_speaks(source[0])
                    if self._counted(source):
                        # "More than 95% of the participants indicated": the participants
                        name = self._counted_group(source)
                        if name is not None:
                            self._person(name, "group")
                            self.plural.setdefault(name, True)
                    else:
                        name = None if writer else self.antecedent(position, pronoun)
                        gender = _PRONOUN_GENDER.get(pronoun.lower())
                        if name is not None and gender is not None:
                            self._gender_map().setdefault(name, gender)
                        if name is not None:
                            self._person(name, "person")
                            claim["confidence"] = round(claim.get("confidence", 0.5) * 0.9, 3)
                if name is not None:
                    self.people[name].mentions.append((source[0], source[1]))
                    if self.people[name].kind == "person":
                        insort(self.spoken, (source[0], name))
                    else:
                        insort(self.spoken_bodies, (source[0], name))
            elif claim.get("continues") is not None:
                name = claims[claim["continues"]].get("speaker")
            speaker = name if has_word(name) else None
            claim["speaker"] = speaker
            known = self.people.get(speaker) if speaker is not None else None
            # "according to The Independent, Wenger spoke to reporters": the paper reports
            # what Wenger did, and Wenger stays a subject a later "he" may stand for
            cue = claim.get("cue")
            according = cue is not None and doc_text(self.doc)[cue[0] : cue[1]].lower().startswith(
                "according"
            )
            if known is not None and known.kind == "person" and not according:
                self._reported.append((claim["content"][0], claim["content"][1], known.name))
        self._collect_mentions()
        for person in self.people.values():
            if person.kind == "person" and self._company_called_person(person):
                person.kind, person.role, person.organization = "organization", None, None
        order = list(dict.fromkeys(c["speaker"] for c in claims if c.get("speaker")))
        return [self.people[n] for n in order if n in self.people]

    def _company_called_person(self, person: Person) -> bool:
        """Whether a speaker taken for a person is a company the article describes as one
        ("supermarket group Winn-Dixie", "Yukos, the oil giant"): its role is a company
        noun ("investment firm"), or a noun that also describes people ("car maker": a
        film maker; "airport operator": a camera operator) and the article labels the
        name an organization somewhere."""
        words = (person.role or "").split()
        if not words or words[-1] != words[-1].lower() or {"of", "for", "at"} & set(words):
            return False
        if person.organization is not None and not any(
            ent.label_ == "GPE" and ent.text == person.organization for ent in self.doc.ents
        ):
            # "Paul Hofheinz of the Lisbon Council, a Brussels-based citizen action group":
            # the company noun describes the person's organization
            return False
        if words[-1] in _COMPANY_ONLY_NOUNS:
            return True
        return words[-1] in _COMPANY_NOUNS | {"giant"} and any(
            ent.label_ == "ORG" and _names_company(_strip_det(ent), person.name)
            for ent in self.doc.ents
        )

    def _collect_mentions(self) -> None:
        """Add every named mention of a speaker, and describe them from each."""
        # The mentions each speaker had before: a mention added here, from an entity, never
        # holds the start of a later entity (entities do not overlap).
        known = {name: Intervals(person.mentions) for name, person in self.people.items()}
        for ent in self.doc.ents:
            if ent.label_ == "PERSON":
                span = person_name(ent)
            else:
                # "Dominic Hare, chief executive of the palace, ..." labelled a facility,
                # then "Dominic Hare said": a speaker's full name is theirs under any label
                span = _strip_det(ent)
                person = self.people.get(_bare_name(span.text))
                if len(span) < 2 or person is None or person.kind != "person":
                    continue
            if span is None:
                continue
            name = self.canonical(span.text)
            person = self.people.get(name)
            if person is None:
                continue
            offsets = (span.start_char, span.end_char)
            if offsets[0] not in known[name]:
                person.mentions.append(offsets)
            self.describe(person, span[-1])
        for person in self.people.values():
            person.mentions.sort()
