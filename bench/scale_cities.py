"""Which-cities over N synthetic documents: the per-city field and prose judgement path, timed directly.

A full Assistant over 1,000 generated documents would embed ~150k chunks and ~400k units (hours on two
cores), so this builds what WhichCities reads — fields, units with real Sudachi BM25 and derived vectors, the
field index (its labels embedded for real) — from the generated documents and times `WhichCities.answer`.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.scale_parts import LineTokens, percentiles, rss_mb
from bench.synth import derive_vectors, templates, write_corpus
from piaqa.config import Settings
from piaqa.records import Citation, Document

REPEATS = 3  # each which-cities question is answered this many times (the first one warms caches)


def unit_vectors(units: list[Any], real_units: dict[str, np.ndarray]) -> np.ndarray:
    """A derived vector per unit: its template's unit at the same position (cycled), moved by real offsets."""
    pools = {name: vecs for name, vecs in real_units.items()}
    seen: dict[str, int] = {}
    rows, base = [], []
    for u in units:
        template = u.doc.split("_", 1)[1]
        pool = pools[template]
        i = seen.get(u.doc, 0)
        seen[u.doc] = i + 1
        rows.append(pool[i % len(pool)])
    base = np.stack(rows)
    return derive_vectors(base, np.arange(len(base)), seed=len(base))


def cities_at(n_docs: int, assistant_parts: dict[str, Any], settings: Settings, work: Path) -> dict[str, Any]:
    """Generate `n_docs` assessments, build the which-cities stack over them and time two questions."""
    import bm25s

    from piaqa.answer.aggregate import Aggregator
    from piaqa.answer.whichcities import WhichCities
    from piaqa.parse.fields import extract_corpus_fields
    from piaqa.parse.ingest import scan_corpus
    from piaqa.parse.units import corpus_units
    from piaqa.search.ann import build_faiss, choose_index
    from piaqa.search.fieldsearch import FieldIndex
    from piaqa.search.index import Index, unit_text
    from piaqa.search.unitsearch import UnitSearcher
    from piaqa.understand.query import Understander

    tokenizer, embedder = assistant_parts["tokenizer"], assistant_parts["embedder"]
    corpus_dir = work / f"corpus{n_docs}"
    write_corpus(corpus_dir, templates(settings.corpus_dir), n_docs)
    t0 = time.perf_counter()
    docs: dict[str, Document] = {d.meta.doc: d for d in scan_corpus(corpus_dir, Settings(corpus_dir=corpus_dir)).docs}
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fields = extract_corpus_fields(list(docs.values()))
    units = corpus_units(list(docs.values()))
    fields_units_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    lines = LineTokens(tokenizer)
    titles = {d.meta.doc: d.meta.title for d in docs.values()}
    unit_bm25 = bm25s.BM25()
    unit_bm25.index([lines(unit_text(u, titles[u.doc]).replace(": ", "\n", 1)) for u in units], show_progress=False)
    plan = choose_index(len(units), 384, settings)
    unit_dense = build_faiss(unit_vectors(units, assistant_parts["real_units"]), plan)
    index_s = time.perf_counter() - t0

    def cite(doc: str, line_start: int, line_end: int, path: str = "") -> Citation:
        d = docs[doc]
        return Citation(doc=doc, city=d.meta.city, jimu=d.meta.jimu, path=path, line_start=line_start,
                        line_end=line_end, text=d.span(line_start, line_end))

    t0 = time.perf_counter()
    fi = FieldIndex(fields, tokenizer, embedder, [s.path[-1] for d in docs.values() for s in d.sections])
    field_index_s = time.perf_counter() - t0
    index = Index((), None, None, {}, tuple(units), unit_bm25, unit_dense)
    understander = Understander([d.meta for d in docs.values()], tokenizer)
    which = WhichCities(Aggregator(fi, docs, cite), UnitSearcher(index, embedder, tokenizer), understander,
                        list(docs))
    out: dict[str, Any] = {"documents": len(docs), "fields": len(fields), "units": len(units),
                           "unit_index": plan.manifest(), "parse_s": round(parse_s, 2),
                           "fields_units_s": round(fields_units_s, 2), "unit_index_s": round(index_s, 2),
                           "field_index_s": round(field_index_s, 2)}
    for name, question in (("field", assistant_parts["field_question"]), ("prose", assistant_parts["prose_question"])):
        query = understander.understand(question)
        times, answer = [], None
        for _ in range(REPEATS):
            t = time.perf_counter()
            answer = which.answer(query, settings.top_k, [])
            times.append(time.perf_counter() - t)
        out[name] = {"question": question, "cities_matched": len(answer.cities), "rows": len(answer.rows),
                     "first_ms": round(times[0] * 1000, 1), **percentiles(times)}
    out["rss_mb"] = rss_mb()
    return out
