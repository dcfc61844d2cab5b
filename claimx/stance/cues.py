"""News stance cues: hedges, negation, modality, reported speech and target overlap.

The lexicons follow the cue families of Ferreira & Vlachos (2016, Emergent): hedging and
refuting words, plus the reported-vs-asserted distinction of news writing. Every feature lies
in ``[0, 1]`` and is computed from raw text with regular expressions, so it costs nothing
next to the encoder and works the same on a claim span and on a plain text pair.
"""

from __future__ import annotations

import re

HEDGES = (
    "may", "might", "could", "possibly", "possible", "perhaps", "maybe", "likely", "unlikely",
    "probably", "reportedly", "allegedly", "apparently", "seemingly", "seems", "seem",
    "appears", "appear", "suggests", "suggest", "rumor", "rumour", "rumored", "rumoured",
    "unconfirmed", "unverified", "claims", "claimed", "speculation", "speculate", "whether",
    "purportedly", "supposedly", "believed", "expected", "potentially",
)  # fmt: skip
NEGATIONS = (
    "not", "no", "never", "none", "nothing", "neither", "nor", "without", "cannot", "nobody",
    "hardly", "barely", "lack", "lacks",
)  # fmt: skip
REFUTES = (
    "deny", "denies", "denied", "false", "fake", "hoax", "debunk", "debunked", "debunks",
    "refute", "refutes", "refuted", "reject", "rejects", "rejected", "dismiss", "dismisses",
    "dismissed", "untrue", "myth", "wrong", "bogus", "fabricated", "misleading", "doubt",
    "doubts", "oppose", "opposes", "opposed", "against", "fails", "failed",
)  # fmt: skip
WEAK_MODALS = ("may", "might", "could", "would", "can")
STRONG_MODALS = (
    "must", "will", "should", "shall", "certainly", "definitely", "clearly", "surely",
    "undoubtedly", "always", "indeed", "confirmed", "confirms", "proves", "proven",
)  # fmt: skip
REPORTING = (
    "said", "says", "say", "told", "tells", "according", "reports", "reported", "report",
    "claims", "claimed", "announced", "stated", "states", "added", "warns", "warned",
    "insists", "argued", "argues",
)  # fmt: skip
CONTRAST = ("but", "however", "although", "though", "yet", "whereas", "nevertheless", "despite")
OPINION = re.compile(
    r"\b(i|we) (think|believe|feel|doubt|hope|fear|suspect)\b|\bin my (view|opinion)\b"
)
OBSTACLES = (
    "difficult", "difficulty", "difficulties", "hard", "harder", "struggle", "struggles",
    "struggling", "challenge", "challenges", "challenging", "obstacle", "obstacles", "hurdle",
    "hurdles", "issues", "problem", "problems", "unable", "impossible", "limits", "constraint",
    "constraints", "constrained", "shortage", "shortages", "bottleneck", "bottlenecks",
    "barrier", "barriers", "severe", "poor", "lack", "lacks", "lacking", "declining",
    "shrinking", "falling",
)  # fmt: skip
# Ferreira & Vlachos (2016) hedging and refuting lists (Emergent), merged into the binary
# "any" cues of :func:`news_features` together with the lists above.
FV_HEDGES = (
    "alleged", "allegedly", "apparently", "appear", "appears", "claim", "claims", "could",
    "evidently", "largely", "likely", "mainly", "may", "maybe", "might", "mostly", "perhaps",
    "presumably", "probably", "purported", "purportedly", "reported", "reportedly", "rumor",
    "rumour", "rumors", "rumours", "rumored", "rumoured", "says", "seem", "somewhat",
    "supposedly", "unconfirmed", "report", "reports", "sources", "source", "whether", "if",
)  # fmt: skip
FV_REFUTES = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "not", "despite", "nope",
    "doubt", "doubts", "bogus", "debunk", "pranks", "retract",
)  # fmt: skip
CONCESSIVE_OPENERS = ("although", "though", "even if", "even though", "while", "despite")
CONCESSIVE_MIDDLE = ("but", "however", "although", "though", "yet", "nevertheless", "nonetheless")
CAPABILITY = re.compile(
    r"\b(can|could|able|capable|capacity|become|becomes|manage|compete|succeed|possible)\b"
)
STOPWORDS = frozenset(
    "a an the of to in on for and or but is are was were be been being it its this that these "
    "those with as at by from has have had do does did will would can could should may might "
    "must not no there their they them he she his her we our you your i me my so than then "
    "into over about more most such very also just only".split()
)

FEATURE_NAMES = (
    "hedge", "negation", "refute", "weak_modal", "strong_modal", "reported", "question",
    "contrast", "opinion", "target_coverage", "target_jaccard", "target_any", "length",
)  # fmt: skip

NEWS_FEATURE_NAMES = (
    "short", "hedge_any", "refute_any", "negation_any", "reported_any", "question_any",
    "obstacle", "concessive", "capability_obstacle",
)  # fmt: skip
SHORT_WORDS = 30

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, with "n't" split off as "not"."""
    text = text.lower().replace("\u2019", "'").replace("n't", " not")
    return _WORD.findall(text)


def _stem(word: str) -> str:
    return word[:5]


def content_stems(text: str) -> set[str]:
    """Crude stems (5-letter prefixes) of the content words of ``text``."""
    return {_stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 2}


def target_coverage(target: str, text: str) -> float:
    """The share of the target's content stems that ``text`` holds (0 for a target with none).

    >>> target_coverage("Japan can become a major arms exporter", "Japan exports arms")
    0.6
    """
    target_stems = content_stems(target)
    return len(target_stems & content_stems(text)) / len(target_stems) if target_stems else 0.0


def _rate(tokens: list[str], lexicon: frozenset[str], cap: float = 2.0) -> float:
    hits = sum(1 for t in tokens if t in lexicon)
    return min(hits / cap, 1.0)


_RATED = tuple(
    (frozenset(lexicon), cap)
    for lexicon, cap in (
        (HEDGES, 2.0),
        (NEGATIONS, 2.0),
        (REFUTES, 2.0),
        (WEAK_MODALS, 2.0),
        (STRONG_MODALS, 2.0),
        (REPORTING, 1.0),
    )
)
_CONTRAST_SET = frozenset(CONTRAST)


def cue_features(target: str, text: str) -> list[float]:
    """The cue vector of a (target, text) pair, in the order of :data:`FEATURE_NAMES`."""
    tokens = words(text)
    lowered = " ".join(tokens)
    target_stems = content_stems(target)
    text_stems = {_stem(t) for t in tokens if t not in STOPWORDS and len(t) > 2}
    shared = target_stems & text_stems
    union = target_stems | text_stems
    return [
        *(_rate(tokens, lexicon, cap) for lexicon, cap in _RATED),
        1.0 if "?" in text else 0.0,
        _rate(tokens, _CONTRAST_SET, cap=1.0),
        1.0 if OPINION.search(lowered) else 0.0,
        len(shared) / len(target_stems) if target_stems else 0.0,
        len(shared) / len(union) if union else 0.0,
        1.0 if shared else 0.0,
        min(len(tokens) / 100.0, 1.0),
    ]


def obstacle(text: str) -> bool:
    """Whether ``text`` names a difficulty or obstacle ("very difficult", "may face issues")."""
    return any(t in OBSTACLES for t in words(text))


def concessive(text: str) -> bool:
    """Whether ``text`` is an "X, but Y" / "Even if X, Y" claim that weighs two sides.

    A contrast word must have at least two words on either side; an opening concessive
    ("Although", "Even if") must be followed by a comma-separated main clause.
    """
    tokens = words(text)
    joined = " ".join(tokens)
    if any(joined.startswith(o + " ") for o in CONCESSIVE_OPENERS) and "," in text:
        return True
    return any(t in CONCESSIVE_MIDDLE for t in tokens[2:-2])


def capability_target(target: str) -> bool:
    """Whether the target states an ability or possibility ("X can become ...", "X will be
    able to ..."), for which a named obstacle argues against."""
    return CAPABILITY.search(" ".join(words(target))) is not None


_HEDGE_SET = frozenset(HEDGES) | frozenset(FV_HEDGES)
_REFUTE_SET = frozenset(REFUTES) | frozenset(FV_REFUTES)


def news_features(target: str, text: str) -> list[float]:
    """Binary news cues for the stacked calibrator, in the order of :data:`NEWS_FEATURE_NAMES`.

    ``short`` marks headline- or claim-length texts (at most 30 words), so that the
    calibrator can weigh the cues differently for them and for long opinion texts.
    """
    tokens = words(text)
    present = set(tokens)
    obstructed = obstacle(text)
    flags = [
        len(tokens) <= SHORT_WORDS,
        bool(present & _HEDGE_SET),
        bool(present & _REFUTE_SET),
        bool(present.intersection(NEGATIONS)),
        bool(present.intersection(REPORTING)),
        "?" in text,
        obstructed,
        concessive(text),
        obstructed and capability_target(target),
    ]
    return [1.0 if f else 0.0 for f in flags]
