"""``claimx_lemmatizer``: en_core_web_sm's rule lemmatizer with every lemma cached.

spaCy's English rule lemmatizer caches only the lemmas it derives by rule; a token it
takes as a base form (singular nouns, infinitives, positive adjectives: most tokens of news
text) is checked again every time, through ``token.morph.to_dict()``, and the loop makes a
``Token`` per word. Its lemma is a function of the token's text, coarse part of speech and
morphology alone (see ``Lemmatizer.rule_lemmatize`` and ``EnglishLemmatizer.is_base_form``),
so :class:`CachedLemmatizer` reads those three columns with ``Doc.to_array``, looks each
triple up in one dictionary, asks the stock lemmatizer only on a miss, and writes the lemmas
back with ``Doc.from_array``: the same lemmas (a test compares them with the stock pipe's),
about 15 times faster (200 BBC articles: 1.04 s -> 0.06 s).

:func:`use_cached_lemmatizer` swaps it into a loaded pipeline in place of its
``lemmatizer``, keeping the pipe's name, settings and lookup tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_CACHED = 200_000
"""The lemma cache is emptied when it holds more entries than this (long batch runs)."""


class CachedLemmatizer(EnglishLemmatizer):
    """An ``EnglishLemmatizer`` whose ``__call__`` caches the lemma of every
    (text, part of speech, morphology) it meets; same output as the stock one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lemma_ids: dict[tuple[int, int, int], int] = {}

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        """As the stock lemmatizer's (new lookup tables); the cached lemmas are dropped."""
        self._lemma_ids.clear()
        super().initialize(*args, **kwargs)

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = columns[:, 3].copy()
            cache = self._lemma_ids
            if len(cache) > MAX_CACHED:
                cache.clear()
            strings = doc.vocab.strings
            for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
                if lemma and not self.overwrite:
                    continue  # set before (the attribute ruler), as the stock pipe keeps it
                key = (orth, pos, morph)
                value = cache.get(key)
                if value is None:
                    value = cache[key] = strings.add(self.lemmatize(doc[i])[0])
                lemmas[i] = value
            doc.from_array([LEMMA], cast(Any, lemmas.reshape(-1, 1)))
            return doc
        except Exception as e:
            error_handler(self.name, self, [doc], e)
            return doc


@Language.factory(
    "claimx_lemmatizer",
    assigns=["token.lemma"],
    default_config={
        "model": None,
        "mode": "rule",
        "overwrite": False,
        "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"},
    },
    default_score_weights={"lemma_acc": 1.0},
)
def make_cached_lemmatizer(
    nlp: Language, model: Any, name: str, mode: str, overwrite: bool, scorer: Any
) -> CachedLemmatizer:
    """The cached English lemmatizer (see the module docstring)."""
    return CachedLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def use_cached_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Replace the rule lemmatizer ``name`` of ``nlp`` by a :class:`CachedLemmatizer` with
    the same settings and lookup tables; False (nothing changed) when ``nlp`` has no such
    pipe, or it is not an English rule lemmatizer."""
    if name not in nlp.pipe_names:
        return False
    old: Any = nlp.get_pipe(name)
    if isinstance(old, CachedLemmatizer):
        return True
    if not isinstance(old, EnglishLemmatizer) or old.mode != "rule":
        return False
    new: Any = nlp.replace_pipe(
        name, "claimx_lemmatizer", config={"mode": old.mode, "overwrite": old.overwrite}
    )
    new.lookups = old.lookups
    return True
