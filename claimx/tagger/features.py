"""Linguistic token features for the tagger, next to the frozen transformer's vectors.

MiniLM is a sentence-embedding model: its token vectors say little about clause structure,
which decides where an attributed content starts and ends and which noun is the source. The
parse of ``en_core_web_sm`` says it directly. :func:`token_features` turns every token into a
few hashed feature strings (one per column of :data:`COLUMNS`), built only from the parse,
the entity recognizer, claimx's cue lexicon and its quotation-mark pairing:

* ``tag``: the fine part-of-speech tag;
* ``dep``: the dependency label and the side its head is on;
* ``ent``: the entity IOB tag and type;
* ``cue``: the cue class of the token's lemma (speech verb, belief verb, speech noun,
  ``according``), else its coarse part of speech;
* ``head``: the cue class of the head with the token's dependency label (``nsubj`` of a
  speech verb is a likely source, ``ccomp`` of one a likely content head);
* ``branch``: for a token under a cue word in the same sentence, the label of the branch
  that holds it (``ccomp``, ``nsubj``, ``dobj``...) and the cue class; ``-`` otherwise;
* ``quote``: inside a quotation, a quote mark, or outside;
* ``edge``: first or last token of its sentence, or neither;
* ``rule`` (``claimx.AttributionFeatures.v2`` only): the token's role in the frames the
  attribution rules find (:func:`claimx.attribution.frames.find_frames`): BIO position,
  source / cue / content with the content's kind, and whether the frame's confidence
  reaches 0.6; ``O`` outside every frame. The tagger then learns where to trust the rules
  (stacking) instead of the merge deciding it by hand alone;
* ``lemma`` and ``governor`` (``claimx.AttributionFeatures.v3`` only): the token's own
  lower-case lemma (``PROPN`` / ``NUM`` / ``PUNCT`` for names, numbers and punctuation), and its
  dependency label with its head's lemma (``xcomp>want``, ``nsubj>call``). The cue lexicon
  knows the common reporting words; PolNeAR's long tail of cues (``wants``, ``called``,
  ``plans``, ``seems``) the head can only learn from the words themselves.

:func:`features_layer` embeds the columns (``HashEmbed`` per column, concatenated); the
``claimx.SpanTagger.v2`` architecture concatenates that with the listener's vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, LOWER, POS, SENT_START, TAG
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Token
from spacy.util import registry
from thinc.api import HashEmbed, Model, concatenate, with_array
from thinc.types import Floats2d, Ints2d

from ..attribution.lexicon import CLAUSE_ONLY, SPEECH_NOUNS, SPEECH_VERBS
from ..attribution.quotes import Quote, find_quotes
from ..extensions import doc_text

COLUMNS = ("tag", "dep", "ent", "cue", "head", "branch", "quote", "edge")
#: The columns of ``claimx.AttributionFeatures.v2``: :data:`COLUMNS` and the rules' roles.
COLUMNS_V2 = (*COLUMNS, "rule")
#: The columns of ``claimx.AttributionFeatures.v3``: :data:`COLUMNS` and two lexical ones.
LEXICAL = ("lemma", "governor")
COLUMNS_V3 = (*COLUMNS, *LEXICAL)
_OPAQUE = frozenset({"PROPN", "NUM", "PUNCT", "SYM", "SPACE", "X"})
_GOVERNORS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})


def cue_class(token: Token) -> str:
    """``say`` (speech verb), ``think`` (belief verb), ``claim`` (speech noun), ``according``,
    or the coarse part of speech of a token that is none of these."""
    return _cue_class(token.lemma_.lower(), token.lower_, token.pos_)


@lru_cache(maxsize=1 << 16)
def _cue_class(lemma: str, lower: str, pos: str) -> str:
    """:func:`cue_class` from the token's lower-case lemma, lower-case form and coarse tag."""
    if lower == "according":
        return "according"
    if pos in ("VERB", "AUX"):
        if lemma in CLAUSE_ONLY:
            return "think"
        if lemma in SPEECH_VERBS:
            return "say"
    if pos == "NOUN" and lemma in SPEECH_NOUNS:
        return "claim"
    return pos


_CUES = frozenset({"say", "think", "claim", "according"})


def _quote_states(doc: Doc, quotes: list[Quote], starts: numpy.ndarray) -> list[str]:
    """``in``, ``mark`` or ``out`` for every token (``starts``: their character offsets),
    from claimx's quote pairing."""
    states = ["out"] * len(doc)
    if not len(doc):
        return states
    for quote in quotes:
        first = int(numpy.searchsorted(starts, quote.start, side="left"))
        last = int(numpy.searchsorted(starts, quote.end, side="left"))
        for i in range(first, last):
            states[i] = "in"
        for mark in (quote.open_mark, quote.close_mark):
            i = int(numpy.searchsorted(starts, mark, side="right")) - 1
            if 0 <= i < len(doc):
                states[i] = "mark"
    return states


def rule_roles(doc: Doc, quotes: list[Quote] | None = None) -> list[str]:
    """The ``rule`` column: each token's role in the rules' attribution frames (``quotes``:
    the doc's paired quotations, when the caller has them)."""
    from ..attribution.frames import find_frames

    roles = ["O"] * len(doc)
    if not len(doc) or not doc.has_annotation("DEP"):
        return roles  # the rules read the parse
    starts = numpy.asarray([t.idx for t in doc], dtype="int64")
    ends = starts + numpy.asarray([len(t) for t in doc], dtype="int64")
    for frame in find_frames(doc, quotes):
        level = "hi" if frame.confidence >= 0.6 else "lo"
        parts = (
            ("src", frame.source_phrase or frame.source),
            ("cue", frame.cue),
            (f"con-{frame.kind}", frame.content),
        )
        for role, offsets in parts:
            if offsets is None:
                continue
            first = int(numpy.searchsorted(ends, offsets[0], side="right"))
            last = int(numpy.searchsorted(starts, offsets[1], side="left"))
            for i in range(first, last):
                if roles[i] == "O":
                    roles[i] = f"{'B' if i == first else 'I'}-{role}-{level}"
    return roles


class _Parse:
    """A parsed doc's token attributes as plain lists, read in one ``Doc.to_array`` call
    (creating a ``Token`` per attribute read costs more than the features themselves)."""

    def __init__(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        rows = doc.to_array([TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, POS, LEMMA, LOWER, IDX, SENT_START])
        n = len(doc)
        self.starts = rows[:, 8].astype("int64")
        self.sent_starts = rows[:, 9].view("int64")
        # HEAD holds the offset to the head, negative ones wrapped around in the uint64 array
        self.heads = (rows[:, 2].view("int64") + numpy.arange(n, dtype="int64")).tolist()
        name = _Names(strings)
        self.tags = name(rows[:, 0])
        self.deps = name(rows[:, 1])
        self.iobs = [_IOB[int(v)] for v in rows[:, 3].tolist()]
        self.ent_types = name(rows[:, 4])
        self.pos = name(rows[:, 5])
        self.lemmas = [lemma.lower() for lemma in name(rows[:, 6])]
        self.lowers = name(rows[:, 7])

    def cue_classes(self) -> list[str]:
        return [
            _cue_class(lemma, lower, pos)
            for lemma, lower, pos in zip(self.lemmas, self.lowers, self.pos, strict=True)
        ]


_IOB = ("", "I", "O", "B")
"""``Token.ent_iob_`` by the integer ``ENT_IOB`` holds."""


class _Names(dict[int, str]):
    """String store lookups of a column of ids, each distinct id looked up once (the same
    memo as :class:`_Hashes`)."""

    def __init__(self, strings: Any) -> None:
        super().__init__()
        self.strings = strings

    def __missing__(self, value: int) -> str:
        name: str = self.strings[value]
        self[value] = name
        return name

    def __call__(self, ids: numpy.ndarray) -> list[str]:
        return [self[value] for value in ids.tolist()]


def lexical_features(doc: Doc) -> list[list[str]]:
    """The two :data:`LEXICAL` columns of every token: its lemma and its governor's."""
    return _lexical_rows(_Parse(doc))


def _lexical_rows(parse: _Parse) -> list[list[str]]:
    words = [
        pos if pos in _OPAQUE else lemma for lemma, pos in zip(parse.lemmas, parse.pos, strict=True)
    ]
    rows = []
    for i, head in enumerate(parse.heads):
        governed = head != i and parse.pos[head] in _GOVERNORS
        rows.append([words[i], f"{parse.deps[i]}>{words[head]}" if governed else "-"])
    return rows


def token_features(doc: Doc, rules: bool = False, lexical: bool = False) -> list[list[str]]:
    """The feature strings of every token of a parsed ``doc``, one per :data:`COLUMNS`
    (:data:`COLUMNS_V2` with ``rules``, :data:`COLUMNS_V3` with ``lexical``)."""
    if not len(doc):
        return []
    parse = _Parse(doc)
    quotes = find_quotes(doc_text(doc))
    states = _quote_states(doc, quotes, parse.starts)
    edges = _sentence_edges(doc, parse.sent_starts)
    roles = rule_roles(doc, quotes) if rules else None
    words = _lexical_rows(parse) if lexical else None
    heads, deps = parse.heads, parse.deps
    classes = parse.cue_classes()
    rows = []
    for i, head in enumerate(heads):
        side = "<" if head < i else (">" if head > i else "=")
        rows.append(
            [
                parse.tags[i],
                deps[i] + side,
                f"{parse.iobs[i]}-{parse.ent_types[i]}",
                classes[i],
                # the root too reads "ROOT>VERB": the trained taggers learned it so
                f"{deps[i]}>{classes[head]}",
                _branch_of(i, heads, deps, classes),
                states[i],
                edges[i],
            ]
        )
        if roles is not None:
            rows[-1].append(roles[i])
        if words is not None:
            rows[-1].extend(words[i])
    return rows


def _sentence_edges(doc: Doc, sent_starts: numpy.ndarray) -> list[str]:
    """``first``, ``last`` or ``-`` for every token: ``doc.sents``' boundaries, read from the
    ``SENT_START`` array (a sentence starts at token 0 and wherever ``SENT_START`` is 1)."""
    n = len(doc)
    edges = ["-"] * n
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return edges
    starts = [0, *(int(i) for i in numpy.flatnonzero(sent_starts[1:] == 1) + 1)]
    for start, end in zip(starts, [*starts[1:], n], strict=True):
        edges[end - 1] = "last"
        edges[start] = "first"
    return edges


def _branch_of(i: int, heads: list[int], deps: list[str], classes: list[str]) -> str:
    """The branch label of token ``i`` under its nearest cue ancestor, with the cue's class
    ("ccomp<say"), or "-": from per-token heads, dependency labels and cue classes (the
    head chain ends at a token that is its own head)."""
    child = i
    ancestor = heads[i]
    for _ in range(len(heads)):
        if ancestor == child:
            break
        kind = classes[ancestor]
        if kind in _CUES:
            return f"{deps[child]}<{kind}"
        child, ancestor = ancestor, heads[ancestor]
    return "-"


def columns_of(rules: bool = False, lexical: bool = False) -> tuple[str, ...]:
    """The feature columns with the rules' roles and / or the lexical ones."""
    return (*COLUMNS, *(("rule",) if rules else ()), *(LEXICAL if lexical else ()))


def feature_ids(doc: Doc, rules: bool = False, lexical: bool = False) -> numpy.ndarray:
    """:func:`token_features` hashed: an ``(n_tokens, n_columns)`` uint64 array."""
    return _hashed(token_features(doc, rules=rules, lexical=lexical), columns_of(rules, lexical))


def _hashed(rows: list[list[str]], columns: Sequence[str]) -> numpy.ndarray:
    out = numpy.zeros((len(rows), len(columns)), dtype="uint64")
    for j, values in enumerate(zip(*rows, strict=True)):
        known = _column_hashes(columns[j])
        out[:, j] = [known[value] for value in values]
    return out


class _Hashes(dict[str, int]):
    """A column's feature strings to their hashes, each hashed once."""

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def __missing__(self, value: str) -> int:
        hashed = self[value] = _hash(self.column, value)
        return hashed


_HASHES: dict[str, _Hashes] = {}
_MAX_HASHES = 1 << 17
"""A column's memo is emptied past this many strings (lemmas have no end in a large batch)."""


def _column_hashes(column: str) -> _Hashes:
    known = _HASHES.get(column)
    if known is None or len(known) > _MAX_HASHES:
        known = _HASHES[column] = _Hashes(column)
    return known


def lexical_ids(doc: Doc) -> numpy.ndarray:
    """The hashed :data:`LEXICAL` columns alone: an ``(n_tokens, 2)`` uint64 array."""
    return _hashed(lexical_features(doc), LEXICAL)


def rule_ids(doc: Doc) -> numpy.ndarray:
    """The hashed ``rule`` column alone: an ``(n_tokens, 1)`` uint64 array."""
    return _hashed([[role] for role in rule_roles(doc)], ("rule",))


def _hash(column: str, value: str) -> int:
    return int(hash_string(f"{column}={value}"))


def extractor(rules: bool = False, lexical: bool = False) -> Model[list[Doc], list[Ints2d]]:
    """Docs to their hashed feature columns (no weights)."""

    def forward(model: Model, docs: Sequence[Doc], is_train: bool) -> tuple[list[Ints2d], Any]:
        ids = [cast(Ints2d, model.ops.xp.asarray(feature_ids(doc, rules, lexical))) for doc in docs]
        return ids, lambda d_ids: []

    return Model("claimx_features", forward)


def embedder(
    width: int, rows: int, dropout: float, columns: int = len(COLUMNS)
) -> Model[list[Ints2d], list[Floats2d]]:
    """One ``HashEmbed`` of ``width`` per column, concatenated: ``width * columns`` dims."""
    embeds: list[Model[Ints2d, Floats2d]] = [
        HashEmbed(nO=width, nV=rows, column=i, seed=101 + i, dropout=dropout)
        for i in range(columns)
    ]
    return with_array(concatenate(*embeds))


@registry.layers("claimx.AttributionFeatures.v1")
def features_layer(
    width: int = 16, rows: int = 2048, dropout: float = 0.0
) -> Model[list[Doc], list[Floats2d]]:
    """Embedded linguistic features per token (see the module docstring); ref ``embed``."""
    return _features(width, rows, dropout, rules=False)


@registry.layers("claimx.AttributionFeatures.v2")
def features_layer_v2(
    width: int = 16, rows: int = 2048, dropout: float = 0.0
) -> Model[list[Doc], list[Floats2d]]:
    """``claimx.AttributionFeatures.v1`` and the rules' roles (column ``rule``)."""
    return _features(width, rows, dropout, rules=True)


@registry.layers("claimx.AttributionFeatures.v3")
def features_layer_v3(
    width: int = 16, rows: int = 2048, dropout: float = 0.0
) -> Model[list[Doc], list[Floats2d]]:
    """``claimx.AttributionFeatures.v1`` and the lexical columns (``lemma``, ``governor``)."""
    return _features(width, rows, dropout, lexical=True)


def _features(
    width: int, rows: int, dropout: float, rules: bool = False, lexical: bool = False
) -> Model[list[Doc], list[Floats2d]]:
    if width < 1 or rows < 1:
        raise ValueError(f"bad feature sizes: width={width!r} rows={rows!r}")
    from thinc.api import chain

    columns = len(columns_of(rules, lexical))
    embed = embedder(width, rows, dropout, columns)
    model: Model[list[Doc], list[Floats2d]] = chain(extractor(rules, lexical), embed)
    model.set_ref("embed", embed)
    return model
