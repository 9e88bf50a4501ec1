"""The section feature of the unit order: each evidence unit's section (its chunk) is ranked by the question's
cosine among the searched documents' sections, on the real index, model and corpus."""
from __future__ import annotations

import numpy as np

from piaqa.search.index import has_vector

QUESTION = "高知市は紙の書類をどうやって廃棄していますか"


def test_every_unit_sits_in_a_chunk_of_its_own_section(assistant):
    units = assistant.units
    placed = 0
    for position, unit in enumerate(units.units):
        assert unit.id == position  # ids are places: chunk_of reads the unit's row by its id
        chunk = units.chunk_of(unit)
        if chunk is None:
            continue
        placed += 1
        assert chunk.doc == unit.doc and has_vector(chunk)
        assert chunk.line_start <= unit.line_start <= chunk.line_end
        assert chunk.path[: len(unit.path)] == unit.path[: len(chunk.path)]  # the same section (or its parent)
    assert placed >= 0.95 * len(units.units)


def test_a_hit_carries_one_over_the_place_of_its_section_by_cosine(assistant):
    """The section value of every hit equals 1 / place of its chunk among the document's embedded chunks, the
    places computed here from the chunk retriever's own cosines; the best section's units carry 1.0."""
    doc = next(d for d, x in assistant.docs.items() if x.meta.city == "高知市")
    query = assistant.understander.understand(QUESTION)
    assert query.docs == (doc,)
    hits = assistant.unit_hits(query, query.docs, k=30, ordered=False)
    chunks = assistant.index.chunks
    mask = np.array([c.doc == doc and has_vector(c) for c in chunks])
    cosine = assistant.retriever.dense(query.text, mask)
    order = sorted(np.flatnonzero(mask), key=lambda i: -cosine[i])
    place = {chunks[i]: p for p, i in enumerate(order, 1)}
    for h in hits:
        chunk = assistant.units.chunk_of(h.unit)
        assert h.section == (1.0 / place[chunk] if chunk is not None else 0.0)
    best = chunks[order[0]]
    assert any(h.section == 1.0 for h in hits)
    assert all(assistant.units.chunk_of(h.unit) == best for h in hits if h.section == 1.0)
    assert "保管・消去" in best.path[-1]  # the section on disposal: where paper is said to be burned
