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

from bench.scale_parts import WARMUP_QUESTION, LineTokens, percentiles, rss_mb
from bench.synth import derive_vectors, templates, write_corpus
from piaqa.config import Settings
from piaqa.records import Citation, Document

# each which-cities question is answered this many times; the first is a new question (its embedding, tokens,
# cached conditions computed), the rest repeat it. p50 / p95 are over all of them
REPEATS = 5


def unit_vectors(units: list[Any], real_units: dict[str, np.ndarray]) -> np.ndarray:
    """A derived vector per unit: its template's unit at the same position (cycled), moved by real offsets."""
    seen: dict[str, int] = {}
    rows = []
    for u in units:
        pool = real_units[u.doc.split("_", 1)[1]]  # s00012_000_….txt was written from 000_….txt
        i = seen.get(u.doc, 0)
        seen[u.doc] = i + 1
        rows.append(pool[i % len(pool)])
    base = np.stack(rows)
    return derive_vectors(base, np.arange(len(base)), seed=len(base))


def timed_answers(which: Any, understander: Any, questions: dict[str, str], k: int) -> dict[str, Any]:
    """Each question answered REPEATS times over every document: p50 / p95 and what it found. First the process
    is warmed by another question (lexicons, glossaries and the model session load on a process's first question)."""
    t = time.perf_counter()
    which.answer(understander.understand(WARMUP_QUESTION), k, [])
    out: dict[str, Any] = {"warmup_ms": round((time.perf_counter() - t) * 1000, 1)}
    for name, question in questions.items():
        query = understander.understand(question)
        times, answer = [], None
        for _ in range(REPEATS):
            t = time.perf_counter()
            answer = which.answer(query, k, [])
            times.append(time.perf_counter() - t)
        out[name] = {"question": question, "cities_matched": len(answer.cities), "rows": len(answer.rows),
                     "first_ms": round(times[0] * 1000, 1), **percentiles(times)}
    return out


def per_city_check(which: Any, understander: Any, question: str) -> dict[str, int]:
    """The prose question's per-city hits from the one shared scoring (`search_each`) against one unit search
    per city (what which-cities ran before): how many cities get exactly the same hits (units, order, scores)."""
    from piaqa.answer.whichcities import PROSE_CANDIDATES, PROSE_COVERAGE_RANK
    from piaqa.understand.condition import grammar_of, parse_condition
    from piaqa.understand.glossary import lexical_terms
    from piaqa.text import nfkc

    query = understander.understand(question)
    same = total = 0
    for atom in parse_condition(query.text, query.lang).atoms:
        lang = grammar_of(nfkc(atom.text), query.lang)
        tokens, extra = which._tokens(atom.text, lang), lexical_terms(atom.text)
        each = which.units.search_each(atom.text, tokens, which.docs, k=PROSE_CANDIDATES, extra_terms=extra,
                                       lang=lang, coverage_weight=PROSE_COVERAGE_RANK)
        for doc in which.docs:
            one = which.units.search(atom.text, tokens, docs=[doc], k=PROSE_CANDIDATES, extra_terms=extra,
                                     lang=lang, coverage_weight=PROSE_COVERAGE_RANK)
            same += one == each.get(doc, [])
            total += 1
    return {"cities": total, "same_hits": same}


def unit_index(docs: dict[str, Document], units: list[Any], parts: dict[str, Any], settings: Settings) -> Any:
    """The units' side of an Index: BM25 of real tokens (line cache) and a FAISS index of derived vectors."""
    import bm25s

    from piaqa.search.ann import build_faiss, choose_index
    from piaqa.search.index import Index, unit_text

    lines = LineTokens(parts["tokenizer"])
    titles = {d.meta.doc: d.meta.title for d in docs.values()}
    unit_bm25 = bm25s.BM25()
    unit_bm25.index([lines(unit_text(u, titles[u.doc]).replace(": ", "\n", 1)) for u in units], show_progress=False)
    plan = choose_index(len(units), 384, settings)
    unit_dense = build_faiss(unit_vectors(units, parts["real_units"]), plan)
    return Index((), None, None, {"dense_index": {"units": plan.manifest()}}, tuple(units), unit_bm25, unit_dense)


def cities_at(n_docs: int, parts: dict[str, Any], settings: Settings, work: Path,
              check: bool = False) -> dict[str, Any]:
    """Generate `n_docs` assessments, build the which-cities stack over them and time two questions (with
    `check`, then compare the prose question's shared scoring with one unit search per city)."""
    from piaqa.answer.aggregate import Aggregator
    from piaqa.answer.whichcities import WhichCities
    from piaqa.parse.fields import extract_corpus_fields
    from piaqa.parse.ingest import scan_corpus
    from piaqa.parse.units import corpus_units
    from piaqa.search.fieldsearch import FieldIndex
    from piaqa.search.unitsearch import UnitSearcher
    from piaqa.understand.query import Understander

    corpus_dir = work / f"corpus{n_docs}"
    write_corpus(corpus_dir, templates(settings.corpus_dir), n_docs)
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return round(clock[-1] - clock[-2], 2)

    docs: dict[str, Document] = {d.meta.doc: d for d in scan_corpus(corpus_dir, Settings(corpus_dir=corpus_dir)).docs}
    out: dict[str, Any] = {"documents": len(docs), "parse_s": lap()}
    fields, units = extract_corpus_fields(list(docs.values())), corpus_units(list(docs.values()))
    out.update(fields=len(fields), units=len(units), fields_units_s=lap())
    index = unit_index(docs, units, parts, settings)
    out.update(unit_index=index.manifest["dense_index"]["units"], unit_index_s=lap())
    fi = FieldIndex(fields, parts["tokenizer"], parts["embedder"],
                    [s.path[-1] for d in docs.values() for s in d.sections])
    out["field_index_s"] = lap()

    def cite(doc: str, line_start: int, line_end: int, path: str = "") -> Citation:
        d = docs[doc]
        return Citation(doc=doc, city=d.meta.city, jimu=d.meta.jimu, path=path, line_start=line_start,
                        line_end=line_end, text=d.span(line_start, line_end))

    understander = Understander([d.meta for d in docs.values()], parts["tokenizer"])
    which = WhichCities(Aggregator(fi, docs, cite), UnitSearcher(index, parts["embedder"], parts["tokenizer"]),
                        understander, list(docs))
    out["which_cities_s"] = lap()
    questions = {"field": parts["field_question"], "prose": parts["prose_question"]}
    out.update(timed_answers(which, understander, questions, settings.top_k), rss_mb=rss_mb())
    if check:
        out["per_city_check"] = per_city_check(which, understander, parts["prose_question"])
    return out
