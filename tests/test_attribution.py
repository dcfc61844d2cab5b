"""Attribution frames and speaker resolution on constructed news text."""

from __future__ import annotations

import json
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import claimx
from claimx.records import ArticleRecord
from claimx.tagger.merge import MergeConfig, TaggedSpan, merge_claims


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    return claimx.load(transformer=False, exclude=("claimx_facts", "claimx_stance"))


def extract(nlp: Language, text: str) -> ArticleRecord:
    return claimx.extract(text, nlp=nlp)


def claim_table(record: ArticleRecord) -> list[tuple[str, str | None, str | None, str]]:
    return [
        (c.kind, c.speaker, c.cue.text if c.cue else None, c.content.text) for c in record.claims
    ]


def test_quote_then_cue(rules_nlp: Language) -> None:
    record = extract(rules_nlp, "“Prices will keep rising this year,” Maria Lopez said.")
    assert claim_table(record) == [
        ("direct", "Maria Lopez", "said", "Prices will keep rising this year,")
    ]


def test_inverted_cue_with_apposition(rules_nlp: Language) -> None:
    text = (
        "The plan is too expensive for most towns, said Tom Baker, chief economist at "
        "the Bank of Leeds."
    )
    record = extract(rules_nlp, text)
    assert claim_table(record) == [
        ("indirect", "Tom Baker", "said", "The plan is too expensive for most towns")
    ]
    expert = record.experts[0]
    assert (expert.role, expert.organization) == ("chief economist", "Bank of Leeds")


def test_said_that_and_pronoun_with_surname(rules_nlp: Language) -> None:
    text = (
        "Anna Schmidt, a senior analyst at Moody's, said that the deficit would widen. "
        "“We expect a difficult year for the whole sector,” she said. "
        "Schmidt added that rates could fall."
    )
    record = extract(rules_nlp, text)
    assert [c.speaker for c in record.claims] == ["Anna Schmidt"] * 3
    assert [c.kind for c in record.claims] == ["indirect", "direct", "indirect"]
    assert record.claims[0].content.text == "the deficit would widen"
    assert record.claims[1].speaker_mention is not None
    assert record.claims[1].speaker_mention.text == "she"
    assert {e.name for e in record.experts} == {"Anna Schmidt"}


def test_according_to_organization(rules_nlp: Language) -> None:
    text = "Exports fell by a third last year, according to the World Trade Organization."
    record = extract(rules_nlp, text)
    assert claim_table(record) == [
        (
            "indirect",
            "World Trade Organization",
            "according to",
            "Exports fell by a third last year",
        )
    ]
    assert record.experts[0].kind == "organization"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "One child was, according to the fire service, among the dead.",
            "One child was, according to the fire service, among the dead",
        ),
        (  # an opener before the aside is no part of the content
            "Meanwhile, according to state press reports, Nanjing Auto is in negotiations.",
            "Nanjing Auto is in negotiations",
        ),
    ],
)
def test_according_to_inside_the_clause_it_attributes(
    rules_nlp: Language, text: str, content: str
) -> None:
    """An "according to" aside between commas inside its clause: the content is the whole
    clause, on both sides of it."""
    assert [c.content.text for c in extract(rules_nlp, text).claims] == [content]


def test_told_outlet_and_group_source(rules_nlp: Language) -> None:
    text = "The merger will face strong opposition in Brussels, analysts told Reuters."
    record = extract(rules_nlp, text)
    assert claim_table(record) == [
        ("indirect", "analysts", "told", "The merger will face strong opposition in Brussels")
    ]
    assert record.experts[0].kind == "group"


def test_mixed_quote_keeps_its_marks(rules_nlp: Language) -> None:
    text = "The mayor said the budget was in “very bad shape” after the flood."
    record = extract(rules_nlp, text)
    assert len(record.claims) == 1
    claim = record.claims[0]
    assert claim.kind == "mixed"
    assert claim.content.text == "the budget was in “very bad shape” after the flood"


def test_speech_noun_gives_the_quote_to_its_owner(rules_nlp: Language) -> None:
    text = (
        "Smith pointed to Senator Jane Doe’s speech last week: “We will not accept cuts to "
        "the health budget this year.”"
    )
    record = extract(rules_nlp, text)
    assert len(record.claims) == 1
    assert record.claims[0].speaker == "Jane Doe"
    assert record.claims[0].content.text.startswith("We will not accept cuts")


def test_colon_introduced_quote(rules_nlp: Language) -> None:
    text = "The minister said: “Our ports are ready for the new rules next month.”"
    record = extract(rules_nlp, text)
    assert claim_table(record)[0][0:3] == ("direct", "minister", "said")


def test_cueless_quote_continues_previous_speaker(rules_nlp: Language) -> None:
    text = (
        "“The harvest was the worst in a decade,” farmer John Miller said.\n\n"
        "“Nobody in this valley has seen anything like it before this year.”"
    )
    record = extract(rules_nlp, text)
    assert [c.speaker for c in record.claims] == ["John Miller", "John Miller"]
    assert record.claims[1].cue is None


def test_scare_quotes_and_titles_are_not_claims(rules_nlp: Language) -> None:
    text = "The country adopted the “Three Principles on Arms Exports” in 1967."
    assert extract(rules_nlp, text).claims == []


def test_every_claim_speaker_is_an_expert(rules_nlp: Language) -> None:
    text = (
        "“It is a good deal,” said Paul Grant of Acme Corp. Critics said the deal was rushed. "
        "According to Grant, the talks took two years."
    )
    record = extract(rules_nlp, text)
    record.validate()
    assert {c.speaker for c in record.claims} <= {e.name for e in record.experts}
    assert all(0 < (c.confidence or 0) <= 1 for c in record.claims)


@pytest.mark.parametrize("pipeline", ["rules", "full"])
def test_reference_article(
    pipeline: str, rules_nlp: Language, nlp: Language, seed_text: str
) -> None:
    record = extract(rules_nlp if pipeline == "rules" else nlp, seed_text)
    experts = {e.name: e for e in record.experts}
    assert (experts["Rintaro Inoue"].role, experts["Rintaro Inoue"].organization) == (
        "research associate",
        "Institute of Geoeconomics",
    )
    assert (experts["Naoko Aoki"].role, experts["Naoko Aoki"].organization) == (
        "political scientist",
        "RAND",
    )
    assert (experts["David Roche"].role, experts["David Roche"].organization) == (
        "strategist",
        "Quantum Strategy",
    )
    assert experts["Pete Hegseth"].role == "Defense Secretary"
    direct = [(c.speaker, c.content.text[:20]) for c in record.claims if c.kind == "direct"]
    assert direct == [
        ("Rintaro Inoue", "This rationale has b"),
        ("Rintaro Inoue", "This created a sever"),
        ("Naoko Aoki", "Even if the JSDF nee"),
        ("David Roche", "Demand will exceed s"),
        ("Pete Hegseth", "We ask — and indeed,"),
        ("Pete Hegseth", "So it doesn’t make s"),
        ("David Roche", "If they distrust the"),
        ("Rintaro Inoue", "I think it’s very di"),
    ]
    sipri = [c for c in record.claims if c.cue is not None and c.cue.text == "according to"]
    assert sipri[0].speaker == "Stockholm International Peace Research Institute"
    mixed = [c for c in record.claims if c.kind == "mixed"]
    assert mixed[-1].speaker == "Naoko Aoki"
    assert mixed[-1].content.text.startswith("“Japan has the technical capacity")


def test_long_quote_closed_by_a_full_stop(rules_nlp: Language) -> None:
    quote = "This is a very long quote that goes on and on. " * 20
    record = extract(rules_nlp, f"“{quote.strip()}” Jane Smith said.")
    assert claim_table(record) == [("direct", "Jane Smith", "said", quote.strip())]


def test_title_subject_with_the_name_in_apposition(rules_nlp: Language) -> None:
    text = "The Senate Minority Leader, Chuck Schumer, said on Friday that talks had failed."
    record = extract(rules_nlp, text)
    assert [
        (c.speaker, c.speaker_mention.text if c.speaker_mention else None) for c in record.claims
    ] == [("Chuck Schumer", "Chuck Schumer")]


def test_bare_title_refers_to_the_person_named_with_it(rules_nlp: Language) -> None:
    text = (
        "City mayor Anne Hidalgo visited the site on Monday. "
        "The mayor said the square would reopen next year."
    )
    record = extract(rules_nlp, text)
    assert [c.speaker for c in record.claims] == ["Anne Hidalgo"]


def test_bare_title_without_a_named_holder_stays_a_group(rules_nlp: Language) -> None:
    record = extract(rules_nlp, "The mayor said the square would reopen next year.")
    assert [c.speaker for c in record.claims] == ["mayor"]


def test_cue_with_its_own_clause_does_not_take_the_quote_before_it(rules_nlp: Language) -> None:
    text = (
        "Maria Lopez said the port would reopen soon. “The repairs took far too long for "
        "everyone.” She writes that the budget was already spent."
    )
    record = extract(rules_nlp, text)
    assert claim_table(record) == [
        ("indirect", "Maria Lopez", "said", "the port would reopen soon"),
        ("direct", "Maria Lopez", None, "The repairs took far too long for everyone."),
        ("indirect", "Maria Lopez", "writes", "the budget was already spent"),
    ]


def _blank_doc(text: str) -> Doc:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(text)


def _at(text: str, piece: str, label: str, prob: float = 0.9) -> Any:
    start = text.index(piece)
    return TaggedSpan(label, start, start + len(piece), prob)


def test_merge_keeps_tagger_content_with_a_cue_but_no_source_when_asked() -> None:
    text = (
        "In 2021 the harbour was closed. It is expected to reopen in the spring, the report says."
    )
    doc = _blank_doc(text)
    tagged = [
        _at(text, "In 2021", "CONTENT"),
        _at(text, "It is expected to reopen in the spring", "CONTENT"),
        _at(text, "says", "CUE"),
    ]
    merged = merge_claims(doc, [], tagged, MergeConfig(sourceless=True))
    assert [(text[slice(*c["content"])], text[slice(*c["cue"])]) for c in merged] == [
        ("It is expected to reopen in the spring", "says")
    ]
    assert merged[0]["source"] is None
    assert merge_claims(doc, [], tagged) == []


def test_next_sentence_with_its_own_cue_is_not_introduced(rules_nlp: Language) -> None:
    text = (
        "The mayor pointed to the budget. Critics were angry, warning that the plan was "
        "“a waste of money for the whole town and its people.”"
    )
    # the critics warn (the participle's speaker is its clause's subject), not the mayor
    assert [c.speaker for c in extract(rules_nlp, text).claims] == ["Critics"]


def test_verb_with_an_object_does_not_take_the_quote_before_it(rules_nlp: Language) -> None:
    text = "“We will not sign this deal before the summer.” Patrick predicted a quick win in Texas."
    assert extract(rules_nlp, text).claims == []


def test_passive_cue_speaks_through_its_agent(rules_nlp: Language) -> None:
    text = "It was reported by the trade agency that exports fell sharply in May."
    record = extract(rules_nlp, text)
    assert claim_table(record) == [
        ("indirect", "trade agency", "was reported", "exports fell sharply in May")
    ]


def _off(text: str, piece: str) -> list[int]:
    start = text.index(piece)
    return [start, start + len(piece)]


def _clause_claim(text: str, content: str, cue: str, source: str) -> dict[str, Any]:
    """A rule claim of the clause-cue frame, as ``doc._.claimx_claims`` holds it."""
    return {
        "content": _off(text, content),
        "cue": _off(text, cue),
        "source": _off(text, source),
        "source_phrase": _off(text, source),
        "kind": "indirect",
        "confidence": 0.75,
        "continues": None,
        "rule": "clause-cue",
    }


def test_merge_can_prefer_the_outer_report_over_a_nested_rule_frame() -> None:
    text = "Maria Lopez told the council she believes the bridge will open in May."
    doc = _blank_doc(text)
    rule = _clause_claim(text, "the bridge will open in May", "believes", "she")
    tagged = [
        _at(text, "Maria Lopez", "SOURCE"),
        _at(text, "told", "CUE"),
        _at(text, "she believes the bridge will open in May", "CONTENT"),
    ]
    [claim] = merge_claims(doc, [rule], tagged, MergeConfig(nested=True))
    assert text[slice(*claim["content"])] == "she believes the bridge will open in May"
    assert text[slice(*claim["cue"])] == "told"
    assert text[slice(*claim["source_phrase"])] == "Maria Lopez"
    [kept] = merge_claims(doc, [rule], tagged, MergeConfig(cue_override=False))
    assert text[slice(*kept["cue"])] == "believes"


def test_words_before_a_quote_that_a_cue_follows_are_content(rules_nlp: Language) -> None:
    text = "Yet the plan is also a “real chance for the town,” Maria Lopez said."
    assert claim_table(extract(rules_nlp, text)) == [
        ("mixed", "Maria Lopez", "said", "Yet the plan is also a “real chance for the town,”")
    ]


def test_indirect_question_keeps_whether(rules_nlp: Language) -> None:
    text = "The mayor asked whether the bridge would open in May."
    assert claim_table(extract(rules_nlp, text)) == [
        ("indirect", "mayor", "asked", "whether the bridge would open in May")
    ]


def test_merge_drops_a_trailing_conjunction_of_tagger_content() -> None:
    text = "Critics called the plan too costly and said nothing more."
    doc = _blank_doc(text)
    tagged = [
        _at(text, "Critics", "SOURCE"),
        _at(text, "called", "CUE"),
        _at(text, "the plan too costly and", "CONTENT"),
    ]
    [claim] = merge_claims(doc, [], tagged)
    assert text[slice(*claim["content"])] == "the plan too costly"


def test_merge_keeps_the_rule_clause_when_the_tagger_stops_before_its_verb(
    rules_nlp: Language,
) -> None:
    """The tagger's "[safety standards] are routinely ignored" stops inside the rule's clause
    before any verb: its slip, so the rule's boundaries stand."""
    text = "Fires are common in India. Activists claim safety standards are routinely ignored."
    doc = rules_nlp(text)
    rule = _clause_claim(text, "safety standards are routinely ignored", "claim", "Activists")
    tagged = [
        _at(text, "Activists", "SOURCE"),
        _at(text, "claim", "CUE"),
        _at(text, "safety standards", "CONTENT"),
    ]
    [claim] = merge_claims(doc, [rule], tagged)
    assert text[slice(*claim["content"])] == "safety standards are routinely ignored"
    # without part-of-speech tags the guard cannot tell, and the tagger's boundaries stand
    [claim] = merge_claims(_blank_doc(text), [rule], tagged)
    assert text[slice(*claim["content"])] == "safety standards"


def test_merge_keeps_a_tagger_content_mostly_outside_the_rule_content() -> None:
    text = "Anna Schmidt said rates would rise, adding that the bank had waited too long to act."
    doc = _blank_doc(text)
    rule = _clause_claim(text, "rates would rise, adding that the", "said", "Anna Schmidt")
    tagged = [
        _at(text, "Anna Schmidt", "SOURCE"),
        _at(text, "said", "CUE"),
        _at(text, "rates would rise", "CONTENT"),
        _at(text, "adding", "CUE"),
        _at(text, "that the bank had waited too long to act", "CONTENT"),
    ]
    merged = merge_claims(doc, [rule], tagged)
    assert [text[slice(*c["cue"])] for c in merged] == ["said", "adding"]
    assert text[slice(*merged[1]["content"])] == "the bank had waited too long to act"
    assert len(merge_claims(doc, [rule], tagged, MergeConfig(covered=0.0, recount=False))) == 1


def test_merge_judges_what_a_claim_covers_by_the_boundaries_it_takes() -> None:
    # The rule's one content holds both reports; the claim takes the tagger's first content,
    # so the second (its cue's subject is the same "He") becomes a claim of its own.
    text = "He said the attacks had helped him and said that Trump did not represent the party."
    doc = _blank_doc(text)
    content = "the attacks had helped him and said that Trump did not represent the party"
    rule = _clause_claim(text, content, "said", "He")
    tagged = [
        _at(text, "He", "SOURCE"),
        _at(text, "said", "CUE"),
        _at(text, "the attacks had helped him", "CONTENT"),
        TaggedSpan("CUE", text.rindex("said"), text.rindex("said") + 4, 0.9),
        _at(text, "that Trump did not represent the party", "CONTENT"),
    ]
    merged = merge_claims(doc, [rule], tagged)
    assert [text[slice(*c["content"])] for c in merged] == [
        "the attacks had helped him",
        "Trump did not represent the party",
    ]
    assert [c["cue"][0] for c in merged] == [text.index("said"), text.rindex("said")]
    assert [text[slice(*c["source"])] for c in merged] == ["He", "He"]
    assert len(merge_claims(doc, [rule], tagged, MergeConfig(recount=False))) == 1


def test_merge_skips_a_nearer_cue_that_introduces_another_content() -> None:
    # "called" is nearer the first content's end than "said" is to its start, but it frames
    # "a con artist"; the first report keeps "said" (and its source).
    text = "Rubio said that he had begun to unmask Trump, whom he called a con artist."
    doc = _blank_doc(text)
    rule = _clause_claim(
        text, "he had begun to unmask Trump, whom he called a con artist", "said", "Rubio"
    )
    tagged = [
        _at(text, "Rubio", "SOURCE"),
        _at(text, "said", "CUE"),
        _at(text, "that he had begun to unmask Trump, whom", "CONTENT"),
        TaggedSpan("SOURCE", text.index("he called"), text.index("he called") + 2, 0.9),
        _at(text, "called", "CUE"),
        _at(text, "a con artist", "CONTENT"),
    ]
    merged = merge_claims(doc, [rule], tagged)
    first = merged[0]
    assert text[slice(*first["cue"])] == "said"
    assert text[slice(*first["source"])] == "Rubio"
    old = merge_claims(doc, [rule], tagged, MergeConfig(bound_cues=False))[0]
    assert text[slice(*old["cue"])] == "called"


def test_merge_binds_a_participle_cue_to_the_content_after_its_comma() -> None:
    # "adding" lies nearer the first content than "told" does, but it introduces the quote
    # after its comma (an -ing cue does, a finite "said" before a comma does not).
    text = 'Trump told Newsmax that Romney "had a crazy policy," adding, "He lost the Asians."'
    doc = _blank_doc(text)
    adding = next(t for t in doc if t.text == "adding")
    rule = _clause_claim(text, 'Romney "had a crazy policy,"', "told", "Trump")
    rule["kind"] = "mixed"
    tagged = [
        _at(text, "Trump", "SOURCE"),
        _at(text, "told", "CUE"),
        _at(text, 'that Romney "had a crazy policy,"', "CONTENT"),
        _at(text, "adding", "CUE"),
        _at(text, '"He lost the Asians."', "CONTENT"),
    ]
    assert text[slice(*merge_claims(doc, [rule], tagged)[0]["cue"])] == "adding"
    adding.tag_ = "VBG"
    first, second = merge_claims(doc, [rule], tagged)
    assert text[slice(*first["cue"])] == "told"
    assert text[slice(*second["cue"])] == "adding"


def test_merge_takes_the_source_with_the_tagger_cue_that_replaced_the_rules() -> None:
    # The parse made the parenthetical "he said" the frame; the tagger's frame is "Christie
    # said [that ...]": its cue replaces the rule's, and its source goes with it.
    text = "Christie said that was part of the race, no different, he said, from Bush."
    doc = _blank_doc(text)
    rule = _clause_claim(text, "was part of the race, no different", "he said", "he")
    rule["cue"] = [text.index("he said") + 3, text.index("he said") + 7]
    tagged = [
        _at(text, "Christie", "SOURCE"),
        _at(text, "said", "CUE"),
        _at(text, "that was part of the race, no different", "CONTENT"),
    ]
    [claim] = merge_claims(doc, [rule], tagged)
    assert claim["cue"] == _off(text, "said")
    assert text[slice(*claim["source"])] == "Christie"


def test_merge_can_take_a_less_probable_content_only_with_cue_and_source() -> None:
    text = "Tom Baker backed the new tariff on steel. The tariff was also praised in the press."
    doc = _blank_doc(text)
    framed = [
        _at(text, "Tom Baker", "SOURCE"),
        _at(text, "backed", "CUE"),
        _at(text, "the new tariff on steel", "CONTENT", 0.5),
    ]
    lower = MergeConfig(min_prob_framed=0.4)
    [claim] = merge_claims(doc, [], framed, lower)
    assert text[slice(*claim["content"])] == "the new tariff on steel"
    cue_only = [_at(text, "praised", "CUE"), _at(text, "in the press", "CONTENT", 0.5)]
    assert merge_claims(doc, [], cue_only, lower) == []
    assert merge_claims(doc, [], framed) == []


def test_merge_counts_a_two_sentence_tagger_span_as_the_rule_claims() -> None:
    text = "Prices rose, said Tom Baker, an analyst at Acme. Exports fell in May, the bank said."
    doc = _blank_doc(text)
    rule = {
        "content": _off(text, "Exports fell in May"),
        "cue": [text.rindex("said"), text.rindex("said") + 4],
        "source": _off(text, "bank"),
        "source_phrase": _off(text, "the bank"),
        "kind": "indirect",
        "confidence": 0.75,
        "continues": None,
        "rule": "clause-cue",
    }
    tagged = [
        _at(text, "an analyst at Acme. Exports fell in May", "CONTENT"),
        _at(text, "the bank", "SOURCE"),
    ]
    merged = merge_claims(doc, [rule], tagged)
    assert [text[slice(*c["content"])] for c in merged] == ["Exports fell in May"]


def test_clause_that_opens_a_quote_takes_the_whole_quote(rules_nlp: Language) -> None:
    # The parse sees "I can do it" as the clause of "said"; the claim is the quote it opens,
    # past the sentence break inside it.
    text = 'Maria Lopez said on Friday "I can do it if I want. I may do it." Then she left.'
    assert claim_table(extract(rules_nlp, text)) == [
        ("direct", "Maria Lopez", "said", "I can do it if I want. I may do it.")
    ]


def test_clause_that_runs_past_a_quote_stays_mixed(rules_nlp: Language) -> None:
    text = 'Maria Lopez said the plan was "dead on arrival" and would fail.'
    assert claim_table(extract(rules_nlp, text)) == [
        ("mixed", "Maria Lopez", "said", 'the plan was "dead on arrival" and would fail')
    ]


def test_cue_inside_another_clause_introduces_no_next_sentence(rules_nlp: Language) -> None:
    # "as he proposed" is no frame whose content is the next sentence: the quote there is
    # Schiff's, by his own verb, not "he"'s.
    text = (
        "Senator Dick Durbin questioned the plan as he proposed. "
        'Adam Schiff called it "a non-starter".'
    )
    claims = claim_table(extract(rules_nlp, text))
    assert all(speaker != "Dick Durbin" for _, speaker, _, content in claims if "non" in content)


@pytest.mark.parametrize(
    "text",
    [
        "The Herald quoted Jane Roe, a council member, as saying that the bridge would close.",
        "Jane Roe was quoted as saying that the bridge would close.",
    ],
)
def test_quoted_as_saying_gives_the_claim_to_the_one_quoted(rules_nlp: Language, text: str) -> None:
    assert claim_table(extract(rules_nlp, text)) == [
        ("indirect", "Jane Roe", "saying", "the bridge would close")
    ]


def test_merge_keeps_a_noun_phrase_content_only_in_polnear_scheme(rules_nlp: Language) -> None:
    # PolNeAR annotates "congratulated Pelosi"; claimx's records hold reported clauses.
    text = "President Biden congratulated Nancy Pelosi on Thursday."
    doc = rules_nlp(text)
    tagged = [
        _at(text, "President Biden", "SOURCE"),
        _at(text, "congratulated", "CUE"),
        _at(text, "Nancy Pelosi", "CONTENT"),
    ]
    assert merge_claims(doc, [], tagged) == []
    [claim] = merge_claims(doc, [], tagged, MergeConfig(nominal=True))
    assert text[slice(*claim["content"])] == "Nancy Pelosi"


@pytest.mark.parametrize(
    ("text", "frames", "kept"),
    [
        # A verb inside a relative clause does not make the object a reported clause; an
        # object with its own infinitive after a directive ("advises citizens to ...") does.
        (
            "Pelosi has proposed legislation that would fund the government through "
            "September. The agency advises citizens to continue paying their taxes.",
            [
                ("Pelosi", "has proposed", "legislation that would fund the government"),
                ("The agency", "advises", "citizens to continue paying their taxes"),
            ],
            "citizens to continue paying their taxes",
        ),
        # Nobody named says what a passive cue with no agent reports.
        (
            "David Turpin was charged with making false statements. "
            "It was announced by the ministry that the bridge will reopen in May.",
            [
                ("David Turpin", "was charged with", "making false statements"),
                ("the ministry", "was announced", "the bridge will reopen in May"),
            ],
            "the bridge will reopen in May",
        ),
    ],
)
def test_merge_keeps_one_of_two_tagger_claims_in_records_scheme(
    rules_nlp: Language, text: str, frames: list[tuple[str, str, str]], kept: str
) -> None:
    doc = rules_nlp(text)
    tagged = [
        _at(text, part, label)
        for frame in frames
        for part, label in zip(frame, ("SOURCE", "CUE", "CONTENT"), strict=True)
    ]
    contents = [text[slice(*c["content"])] for c in merge_claims(doc, [], tagged)]
    assert contents == [kept]
    assert len(merge_claims(doc, [], tagged, MergeConfig(nominal=True))) == 2


def test_merge_keeps_a_tagger_clause_in_either_scheme(rules_nlp: Language) -> None:
    text = "Officials believe the bridge will reopen in May."
    doc = rules_nlp(text)
    tagged = [
        _at(text, "Officials", "SOURCE"),
        _at(text, "believe", "CUE"),
        _at(text, "the bridge will reopen in May", "CONTENT"),
    ]
    assert len(merge_claims(doc, [], tagged)) == 1


def test_attribution_pipe_takes_the_scheme_from_its_config() -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("claimx_attribution", config={"nominal_claims": True})
    assert pipe.nominal_claims is True
    assert nlp.get_pipe_config("claimx_attribution")["nominal_claims"] is True


def test_attribution_pipe_takes_merge_options_and_names_an_unknown_one() -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe(
        "claimx_attribution", config={"nominal_claims": True, "merge_options": {"sourceless": True}}
    )
    config = pipe.merge_config()
    assert config.sourceless is True and config.nominal is True and config.nested is False
    with pytest.raises(ValueError, match="'sourcless'.*known: .*sourceless"):
        spacy.blank("en").add_pipe("claimx_attribution", config={"merge_options": {"sourcless": 1}})


def test_merge_drops_an_intention_unless_in_polnear_scheme(rules_nlp: Language) -> None:
    text = (
        "Democrats plan to address the shutdown. Leaders urged members to vote no. "
        "Five firms have announced plans to pull out of the country."
    )
    doc = rules_nlp(text)
    tagged = [
        _at(text, "Democrats", "SOURCE"),
        _at(text, "plan", "CUE"),
        _at(text, "to address the shutdown", "CONTENT"),
        _at(text, "Leaders", "SOURCE"),
        _at(text, "urged", "CUE"),
        _at(text, "members to vote no", "CONTENT"),
        _at(text, "Five firms", "SOURCE"),
        _at(text, "have announced", "CUE"),
        _at(text, "to pull out of the country", "CONTENT"),
    ]
    contents = [text[slice(*c["content"])] for c in merge_claims(doc, [], tagged)]
    assert contents == ["members to vote no"]
    polnear = merge_claims(doc, [], tagged, MergeConfig(nominal=True))
    assert len(polnear) == 3


def test_merge_drops_the_writers_comment_and_a_repeat_of_a_rule_claim(
    rules_nlp: Language,
) -> None:
    text = (
        "Defense Minister Gen Nakatani told Nikkei that he wanted to promote defense "
        "exports, signaling a clear shift in the country's arms policy, which has so far been "
        "largely restricted to catering to the Japan Self-Defense Forces."
    )
    doc = rules_nlp(text)
    [rule] = doc._.claimx_claims
    assert text[slice(*rule["content"])] == "he wanted to promote defense exports"
    tagged = [
        _at(text, "Defense Minister Gen Nakatani", "SOURCE"),
        _at(text, "told", "CUE"),
        _at(text, text[text.index("that he") : -1], "CONTENT"),
    ]
    # the tagger span holds the rule content and much more: no match, so a claim of its own;
    # without the comment it repeats the rule claim
    [claim] = merge_claims(doc, [rule], tagged)
    assert text[slice(*claim["content"])] == "he wanted to promote defense exports"
    [tagger_only] = merge_claims(doc, [], tagged)
    assert text[slice(*tagger_only["content"])] == "he wanted to promote defense exports"
    [kept] = merge_claims(doc, [], tagged, MergeConfig(comment=False))
    assert text[slice(*kept["content"])].endswith("Self-Defense Forces")


def test_clause_opened_by_before_is_not_what_the_cue_reports(rules_nlp: Language) -> None:
    # The parse hangs "before the committee voted ..." on "claimed" as a clausal complement,
    # beside the clause it reports.
    text = (
        "On June 12, minutes before the Oversight Committee voted to refer them to the full "
        "House to be held in contempt, Maria Lopez formally claimed the documents were subject "
        "to executive privilege."
    )
    assert claim_table(extract(rules_nlp, text)) == [
        ("indirect", "Maria Lopez", "claimed", "the documents were subject to executive privilege")
    ]


def test_a_report_set_against_another_by_while_is_a_claim_of_its_own(
    rules_nlp: Language,
) -> None:
    # The parse hangs "while critics argue ..." inside the first reported clause; it is the
    # critics' report, not the officials'.
    text = "Officials say the bridge will reopen in May, while critics argue it should stay closed."
    assert claim_table(extract(rules_nlp, text)) == [
        ("indirect", "Officials", "say", "the bridge will reopen in May"),
        ("indirect", "critics", "argue", "it should stay closed"),
    ]


def test_clause_content_leaves_out_a_final_which_clause(rules_nlp: Language) -> None:
    text = (
        "Maria Lopez said she may declare an emergency, which she said would let "
        "her build the wall."
    )
    claim = extract(rules_nlp, text).claims[0]
    assert claim.content.text == "she may declare an emergency"


def test_merge_drops_a_clause_after_a_verb_that_reports_nothing(rules_nlp: Language) -> None:
    text = "Judge Roe sentenced the couple to life in prison for abusing their children."
    doc = rules_nlp(text)
    tagged = [
        _at(text, "Judge Roe", "SOURCE"),
        _at(text, "sentenced", "CUE"),
        _at(text, "the couple to life in prison for abusing their children", "CONTENT"),
    ]
    assert merge_claims(doc, [], tagged) == []
    assert len(merge_claims(doc, [], tagged, MergeConfig(nominal=True))) == 1


def test_reference_article_claims_match_the_gold_one_to_one(nlp: Language, seed_text: str) -> None:
    # Every gold attribution found (content overlap >= 50%) with its canonical speaker, and
    # nothing else: no claim of a noun phrase ("pointed to still-strict regulations"), no
    # second claim of one report with other boundaries.
    from claimx.paths import corpora_dir
    from evaluation.claims import claim_errors

    line = (corpora_dir() / "seed" / "japan-arms-exports.gold.jsonl").read_text("utf-8")
    gold = ArticleRecord.from_dict(json.loads(line.splitlines()[0]))
    pred = claimx.extract(seed_text, nlp=nlp)
    assert len(gold.claims) == 19
    assert claim_errors(gold, pred) == []


def test_quotes_joined_by_and_after_a_cue_are_claims_of_their_own(rules_nlp: Language) -> None:
    text = (
        'The Herald quoted Jane Roe as saying "the bridge must close before the winter" and '
        '"if it does not close, someone will get hurt on it."'
    )
    assert claim_table(extract(rules_nlp, text)) == [
        ("direct", "Jane Roe", "saying", "the bridge must close before the winter"),
        ("direct", "Jane Roe", None, "if it does not close, someone will get hurt on it."),
    ]


def test_named_speakers_joined_by_and_get_a_claim_each(rules_nlp: Language) -> None:
    text = "Dr. Amy Chen and Professor Lee Wong said the results were promising."
    record = extract(rules_nlp, text)
    assert claim_table(record) == [
        ("indirect", "Amy Chen", "said", "the results were promising"),
        ("indirect", "Lee Wong", "said", "the results were promising"),
    ]
    mentions = [c.speaker_mention.text for c in record.claims if c.speaker_mention]
    assert mentions == ["Amy Chen", "Lee Wong"]
    roles = {e.name: e.role for e in record.experts}
    assert roles == {"Amy Chen": "Dr.", "Lee Wong": "Professor"}


def test_group_nouns_and_one_name_with_and_stay_one_claim(rules_nlp: Language) -> None:
    # "Officials and experts" names nobody; the parser reads "Smith, Jones and Brown" as
    # one organization (a firm): one speaker each time.
    for text, speaker in (
        ("Officials and experts said the dam was safe.", "Officials and experts"),
        ("Smith, Jones and Brown said the vote was rigged.", "Smith, Jones and Brown"),
    ):
        assert [c.speaker for c in extract(rules_nlp, text).claims] == [speaker]


def test_split_speakers_keeps_continuation_indexes(rules_nlp: Language) -> None:
    from claimx.attribution.component import split_coordinated

    doc = rules_nlp("Ann Lee and Bob Cole said the bill was dead.")
    claims = [
        {"content": [0, 3], "source": None, "continues": None},
        {"content": [4, 8], "source": [0, 7], "continues": None},  # "Ann Lee"
        {"content": [9, 12], "source": None, "continues": 1},
        {"content": [13, 16], "source": None, "continues": 0},
    ]
    out = split_coordinated(doc, claims)
    assert [doc.text[slice(*c["source"])] if c["source"] else None for c in out] == [
        None,
        "Ann Lee",
        "Bob Cole",
        None,
        None,
    ]
    assert [c["continues"] for c in out] == [None, None, None, 1, 0]


def test_nyt_quote_before_an_inverted_cue_is_direct(rules_nlp: Language) -> None:
    text = "''We are not going anywhere,'' said Senator Mark Hale."
    assert claim_table(extract(rules_nlp, text)) == [
        ("direct", "Mark Hale", "said", "We are not going anywhere")
    ]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said "it is over" and walked out.', "it is over"),
        ('Ann Lee said "we will fight" and then left the room.', "we will fight"),
    ],
)
def test_a_quote_followed_by_the_speakers_next_act_is_the_claim(
    rules_nlp: Language, text: str, quoted: str
) -> None:
    # The parse joins "walked" / "left" to the quoted clause; the claim is the quotation.
    claims = extract(rules_nlp, text).claims
    assert [(c.kind, c.content.text) for c in claims] == [("direct", quoted)]


def test_a_mixed_quote_keeps_what_follows_its_closing_mark(rules_nlp: Language) -> None:
    text = 'Ann Lee said the deal "is done" and would be signed on Monday.'
    claims = extract(rules_nlp, text).claims
    assert [(c.kind, c.content.text) for c in claims] == [
        ("mixed", 'the deal "is done" and would be signed on Monday')
    ]


def test_according_to_skips_a_participle_clause_about_the_source(rules_nlp: Language) -> None:
    text = "According to the report, released by the World Bank on Monday, growth will slow."
    assert claim_table(extract(rules_nlp, text)) == [
        ("indirect", "report", "According to", "growth will slow")
    ]


def test_a_short_quote_that_is_its_sentence_continues_the_speaker(rules_nlp: Language) -> None:
    text = '"This is a disaster," said one trader. "Nobody saw it coming."'
    claims = extract(rules_nlp, text).claims
    assert [(c.speaker, c.content.text) for c in claims] == [
        ("one trader", "This is a disaster,"),
        ("one trader", "Nobody saw it coming."),
    ]


def test_a_short_scare_quote_inside_a_sentence_is_no_continuation(rules_nlp: Language) -> None:
    text = '"This is a disaster," said one trader. Others called the sale "a good deal".'
    claims = extract(rules_nlp, text).claims
    assert [c.content.text for c in claims if c.cue is None] == []


def test_a_quote_continuing_a_speaker_takes_no_source_named_before_that_speaker() -> None:
    text = 'Politico quoted Tim Manning as saying "help is coming" and "we need funds."'
    doc = _blank_doc(text)
    first = _clause_claim(text, "help is coming", "quoted", "Tim Manning")
    first.update(kind="direct", rule="quote-cue", confidence=0.9)
    second = {
        "content": _off(text, "we need funds."),
        "cue": None,
        "source": None,
        "kind": "direct",
        "confidence": 0.5,
        "continues": 0,
        "rule": "continuation",
    }
    tagged = [
        _at(text, "Politico", "SOURCE"),
        _at(text, "quoted", "CUE"),
        _at(text, '"help is coming"', "CONTENT"),
        _at(text, '"we need funds."', "CONTENT"),
    ]
    merged = merge_claims(doc, [first, second], tagged)
    # the outlet's phrase lies before the quoted speaker: the continuation keeps no source
    assert [c["source"] for c in merged][1] is None
    assert merged[1]["continues"] == 0


def test_a_passive_subject_is_not_the_speaker(rules_nlp: Language) -> None:
    text = (
        "Marc Ostwald, a strategist at Monument Securities, told Reuters that while no "
        'immediate impact could be expected, "it is enough to underline the risk".'
    )
    assert [c.speaker for c in extract(rules_nlp, text).claims] == ["Marc Ostwald"]


def test_a_participle_with_a_colon_introduces_a_quote(rules_nlp: Language) -> None:
    text = (
        "Bolton gave a different account of events, also speaking via Twitter: "
        '"I offered to resign last night."'
    )
    assert claim_table(extract(rules_nlp, text)) == [
        ("direct", "Bolton", "speaking", "I offered to resign last night.")
    ]
    # "speaking" with no colon reports nothing
    text = "Bolton gave a different account of events, speaking via Twitter on Monday."
    assert extract(rules_nlp, text).claims == []


def test_the_object_of_a_verb_speaks_its_infinitive(rules_nlp: Language) -> None:
    text = (
        "The central bank has kept rates on hold for three months, leading some "
        "commentators to argue that rates may have peaked."
    )
    assert claim_table(extract(rules_nlp, text)) == [
        ("indirect", "commentators", "to argue", "rates may have peaked")
    ]


def test_the_tagger_content_holding_the_rule_cue_brings_its_own_source() -> None:
    text = (
        "Andy Clarke said that the advice misleads people as it leads them to believe "
        "that airlines could be liable for payouts if flights are delayed by bad weather."
    )
    doc = _blank_doc(text)
    reported = "airlines could be liable for payouts if flights are delayed by bad weather"
    rule = _clause_claim(text, reported, "to believe", "them")
    tagged = [
        _at(text, "Andy Clarke", "SOURCE"),
        _at(text, "said", "CUE"),
        _at(
            text,
            "that the advice misleads people as it leads them to believe that " + reported,
            "CONTENT",
        ),
    ]
    [claim] = merge_claims(doc, [rule], tagged)
    assert text[slice(*claim["cue"])] == "said"
    assert text[slice(*claim["source"])] == "Andy Clarke"


def test_a_name_parsed_as_the_object_of_an_inverted_cue_speaks(rules_nlp: Language) -> None:
    text = '"I don\'t think so," replied Smith.'
    assert claim_table(extract(rules_nlp, text)) == [
        ("direct", "Smith", "replied", "I don't think so,")
    ]
    text = '"It could ignite interest," added Ernst and Young\'s Sanjay Mehta.'
    assert [c.speaker for c in extract(rules_nlp, text).claims] == ["Sanjay Mehta"]


def test_a_tagger_content_holding_the_only_cue_keeps_the_rule_content() -> None:
    text = "Ahmed, a teacher from Cairo, said he feared for his job."
    doc = _blank_doc(text)
    rule = _clause_claim(text, "he feared for his job", "said", "Ahmed")
    tagged = [
        _at(text, "Ahmed,", "SOURCE"),
        _at(text, "a teacher from Cairo, said he feared for his job", "CONTENT"),
    ]
    [claim] = merge_claims(doc, [rule], tagged)
    assert text[slice(*claim["content"])] == "he feared for his job"
    assert text[slice(*claim["cue"])] == "said"


def test_a_colon_alone_is_no_cue_for_a_rule_claim() -> None:
    text = 'Asked about it, Mr Musk told reporters: "It is done."'
    doc = _blank_doc(text)
    rule = _clause_claim(text, "It is done.", "told", "Musk")
    rule.update(kind="direct", rule="quote-cue", confidence=0.9)
    tagged = [
        _at(text, "Mr Musk", "SOURCE"),
        _at(text, "told", "CUE"),
        _at(text, ":", "CUE"),
        _at(text, '"It is done."', "CONTENT"),
    ]
    [claim] = merge_claims(doc, [rule], tagged)
    assert text[slice(*claim["cue"])] == "told"


def test_words_before_a_colon_opening_the_quote_are_no_content(rules_nlp: Language) -> None:
    from claimx.tagger.merge import tidy

    text = 'The statement on the death read: "He loved his family."'
    doc = _blank_doc(text)
    start, end = tidy(doc, text.index("the death"), len(text))
    assert text[start:end] == '"He loved his family."'
    # a lead-in with a verb is the speaker's own: a mixed quote stays whole
    text = 'He added that his government was close to achieving: "The best deal in history."'
    start = text.index("his government")
    assert tidy(rules_nlp(text), start, len(text)) == (start, len(text))


def test_a_document_read_with_a_colon_introduces_its_quote(rules_nlp: Language) -> None:
    text = 'The ministry\'s statement read: "All flights are cancelled until further notice."'
    assert claim_table(extract(rules_nlp, text)) == [
        ("direct", "ministry", "read", "All flights are cancelled until further notice.")
    ]
    assert extract(rules_nlp, "He read the report before he signed it.").claims == []


def test_a_later_cue_introduces_the_quote_after_its_colon(rules_nlp: Language) -> None:
    text = 'One resident, who asked not to be named, said: "It shook the whole house."'
    [claim] = extract(rules_nlp, text).claims
    assert claim.cue is not None and claim.cue.text.startswith("said")
    assert claim.speaker_mention is not None and claim.speaker_mention.text != "who"


def test_an_outer_report_keeps_the_report_its_content_holds(rules_nlp: Language) -> None:
    # "said [she did not believe X]": the inner belief, whose content the parser runs on
    # past the outer one's end, does not push the outer report out.
    text = (
        "Senator Jane Miller said she did not believe the tax cuts had helped the town, "
        "arguing that it was the new factory that brought the jobs."
    )
    assert claim_table(extract(rules_nlp, text))[0] == (
        "indirect",
        "Jane Miller",
        "said",
        "she did not believe the tax cuts had helped the town",
    )


def test_a_tagger_source_cut_inside_a_name_runs_on_to_its_head(rules_nlp: Language) -> None:
    def source_phrase(text: str, source: str, cue: str) -> str:
        tagged = [
            _at(text, source, "SOURCE"),
            _at(text, cue, "CUE"),
            _at(text, "that the mayor had resigned", "CONTENT"),
        ]
        [claim] = merge_claims(rules_nlp(text), [], tagged)
        return text[slice(*claim["source_phrase"])]

    text = "The New Yorker reported that the mayor had resigned."
    assert source_phrase(text, "The New", "reported") == "The New Yorker"
    # the tagger's cue is no part of a source phrase, though the parser may take it for a noun
    text = "Trump claims that the mayor had resigned."
    assert source_phrase(text, "Trump", "claims") == "Trump"


def test_a_definite_noun_with_modifiers_takes_the_organization_holding_them(
    rules_nlp: Language,
) -> None:
    text = (
        "The Federal Statistics Office published its figures on Monday. According to the "
        "statistics office, exports fell by 2% in the last quarter."
    )
    assert [c.speaker for c in extract(rules_nlp, text).claims] == ["Federal Statistics Office"]
    # a modifier the name lacks: "the tax office" is another one
    text = (
        "The Federal Statistics Office published its figures on Monday. According to the "
        "tax office, exports fell by 2% in the last quarter."
    )
    assert [c.speaker for c in extract(rules_nlp, text).claims] != ["Federal Statistics Office"]


def test_a_cue_inside_a_title_makes_no_claim(rules_nlp: Language) -> None:
    from claimx.attribution.component import drop_title_cues, title_cue

    text = (
        "Band Aid's Do They Know It's Christmas has gone straight in at number one. "
        'Observes Mr Hadi: "The charts are full of old songs." THE SHOW GOES ON tonight.'
    )
    doc = rules_nlp(text)

    def at(word: str) -> list[int]:
        return _off(text, word)

    assert title_cue(doc, at("Know"))
    assert title_cue(doc, at("GOES"))
    assert not title_cue(doc, at("Observes"))  # opens its sentence
    claims = [
        {"content": at("It's Christmas"), "cue": at("Know"), "continues": None},
        {"content": at("The charts are full of old songs."), "cue": None, "continues": 0},
        {"content": at("The charts"), "cue": at("Observes"), "continues": None},
        {"content": at("old songs"), "cue": None, "continues": 2},
    ]
    kept = drop_title_cues(doc, claims)
    assert [c["cue"] for c in kept] == [None, at("Observes"), None]
    # what continued a dropped claim continues nothing; later links follow their claims
    assert [c["continues"] for c in kept] == [None, None, 1]


def test_quote_run_on_in_one_line_stays_its_speaker_s(rules_nlp: Language) -> None:
    """A quote whose next paragraph's mark follows it in the same line (the paragraph break
    lost) is one claim to its end, and "I" inside it is no new speaker."""
    text = (
        'Gerald Krasner refused to give any details. He told BBC Five Live: "I am not going '
        "into the figures. If Ken wants to give them up that is up to him. I can not tell you "
        'what the money will be used for. "This deal is not about money for the current '
        'board." Krasner left.'
    )
    assert claim_table(extract(rules_nlp, text)) == [
        (
            "direct",
            "Gerald Krasner",
            "told",
            "I am not going into the figures. If Ken wants to give them up that is up to him. "
            "I can not tell you what the money will be used for.",
        ),
        ("direct", "Gerald Krasner", None, "This deal is not about money for the current board."),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "role", "organization"),
    [
        (
            'Said Wales assistant coach Scott Johnson: "They have worked through the weekend."',
            "Scott Johnson",
            "Said",
            "assistant coach",
            "Wales",
        ),
        ('The group sued. Added Smith, "We will keep fighting."', "Smith", "Added", None, None),
        ('He is fit. Said Comey, "The thought is absurd."', "Comey", "Said", None, None),
        (  # the recognizer labels only "Biological Diversity" an organization
            'Remarked Center for Biological Diversity scientist Tierra Curry, "It is a reprieve."',
            "Tierra Curry",
            "Remarked",
            "scientist",
            "Center for Biological Diversity",
        ),
    ],
)
def test_sentence_opening_cue_with_the_speaker_after_it(
    rules_nlp: Language,
    text: str,
    speaker: str,
    cue: str,
    role: str | None,
    organization: str | None,
) -> None:
    """The parser glues "Said" or "Added" to the name after it; the quote is still the
    speaker's, and the verb is no part of the name or title."""
    record = extract(rules_nlp, text)
    quote = text[text.index(":" if ":" in text else ", ") + 3 : -1]
    assert claim_table(record) == [("direct", speaker, cue, quote)]
    expert = next(e for e in record.experts if e.name == speaker)
    assert (expert.role, expert.organization) == (role, organization)


def test_a_name_that_begins_like_a_cue_stays_whole(rules_nlp: Language) -> None:
    """No quote after a comma or colon: "Said Jalili" is a name."""
    record = extract(rules_nlp, "Said Jalili said talks would resume.")
    assert claim_table(record) == [("indirect", "Said Jalili", "said", "talks would resume")]


def test_a_clause_before_a_semicolon_is_not_the_later_cue_s(rules_nlp: Language) -> None:
    """The parser hangs both clauses on "confirmed"; only the one after the semicolon is
    what the embassy confirmed."""
    text = (
        "Many of the affected guests were Indian; the Myanma embassy confirmed two Buddhist "
        "pilgrims from Myanmar also died."
    )
    assert [c.content.text for c in extract(rules_nlp, text).claims] == [
        "two Buddhist pilgrims from Myanmar also died"
    ]


def test_a_sentence_opening_cue_keeps_a_hyphenated_speaker_whole(rules_nlp: Language) -> None:
    """The words after the cue give their mention as any source phrase does
    (``bare_mention``): "the 30-year-old", not "30-year"."""
    record = extract(rules_nlp, 'Roger Federer won. Said the 30-year-old: "Great."')
    [claim] = record.claims
    assert claim.speaker == "Roger Federer"
    assert claim.speaker_mention is not None and claim.speaker_mention.text == "30-year-old"
