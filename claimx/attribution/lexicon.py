"""Reporting cues: verbs, nouns and particles that introduce attributed content.

Drawn from the PARC/PolNeAR annotation guidelines' cue classes (speech, belief, report)
and from newswire usage; lemmas, lower case.
"""

from __future__ import annotations

SPEECH_VERBS = frozenset(
    """
    say tell add note warn argue claim insist explain write state stress acknowledge admit
    announce contend suggest predict report reckon agree caution conclude maintain remark
    observe recall reply respond emphasise emphasize urge comment estimate forecast deny
    confirm testify tweet reveal indicate allege assert declare complain concede disclose
    recommend propose ask answer joke quip boast vow pledge promise threaten lament
    acknowledge assure believe think expect fear worry hope feel know learn find
    show posit counter retort recount describe caution reiterate charge speculate
    """.split()
)

#: Verbs that report what someone asked others to do: their to-infinitive is what was said
#: ("urged members to vote"), where after other verbs it is an intention or an act
#: ("plan to address", "refused to hand over").
DIRECTIVE_VERBS = frozenset(
    "urge order call encourage invite advise demand request appeal ask instruct direct".split()
)

#: Verbs that count as cues only with a particle or preposition ("point to", "point out").
PHRASAL_CUES = {"point": {"to", "out"}, "go": {"on"}, "weigh": {"in"}}

#: Belief and expectation verbs need a clause (``ccomp``), never a bare object.
CLAUSE_ONLY = frozenset("believe think expect fear worry hope feel know learn find show".split())

#: A cue made of one of these forms and one of :data:`CUE_TRIM_AFTER` after it ("said on
#: Monday", "said in a statement", "said of the plan") is cut back to the verb. On PolNeAR
#: train, the gold cue stops at the verb before these words more often than it goes on
#: ("in" 56%, "on" 70%, "of" 58%, "at" 65%, "to" 79%, "last" 77%, "after" 91%, "a" 93%),
#: while the tagger mostly takes the phrase; before weekdays, "about" and "during" it is
#: an even bet or goes on, and those stay.
CUE_TRIM_VERBS = frozenset("said says say saying told tells wrote writes".split())
CUE_TRIM_AFTER = frozenset("in on of at to last after a".split())

#: Verb forms (with their lemmas) that open a sentence whose speaker follows them, then a
#: comma or colon and the quote: "Said Wales assistant coach Scott Johnson: '...'", "Added
#: Smith, '...'". Not "Asked": "Asked whether ..., he said" is a participle clause.
INVERTED_LEADS = {
    form: lemma
    for lemma, forms in {
        "say": "said says",
        "add": "added adds",
        "write": "wrote writes",
        "remark": "remarked",
        "state": "stated",
        "continue": "continued",
        "explain": "explained",
        "note": "noted",
        "recall": "recalled",
        "warn": "warned",
        "insist": "insisted",
        "argue": "argued",
        "observe": "observed",
        "quip": "quipped",
        "reply": "replied",
        "declare": "declared",
        "comment": "commented",
        "conclude": "concluded",
        "counter": "countered",
        "caution": "cautioned",
        "concede": "conceded",
        "admit": "admitted",
        "acknowledge": "acknowledged",
        "tweet": "tweeted",
        "respond": "responded",
    }.items()
    for form in forms.split()
}

#: Nouns that stand for what someone said: "Hegseth's speech: '...'".
SPEECH_NOUNS = frozenset(
    """
    speech statement remarks remark words comments comment interview letter post tweet
    testimony address message note op-ed essay report briefing announcement
    """.split()
)

#: Unnamed collective sources that speak as a group ("experts told CNBC").
GROUP_NOUNS = frozenset(
    """
    expert analyst official source observer economist critic researcher scientist investor
    trader diplomat lawmaker resident witness aide insider executive banker strategist
    spokesperson spokesman spokeswoman people officer leader activist
    """.split()
)

PRONOUNS = frozenset("he she they i we it him her them".split())
