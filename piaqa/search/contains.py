"""Which of many texts hold a short string: each distinct text tested once, most skipped by a character signature.

A which-cities question asks whether each of a few question words occurs in every evidence unit of every
document (hundreds of thousands at national scale). Testing each unit in Python costs tens of microseconds
per unit; here each distinct text carries a bit signature of its characters, a word is looked for (`in`,
exactly as before) only in the texts whose signature holds all of the word's characters, and texts that
several units share (form boilerplate) are tested once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# 256 bits: a 150-character unit has ~80 distinct characters and sets ~1/4 of them, so an absent
# two-character word still passes the signature of ~7% of texts (64 bits would be nearly all set)
SIGNATURE_BITS = 256
_BYTES = SIGNATURE_BITS // 8
_HASH = 2654435761  # Knuth's multiplicative hash: neighbouring code points (カ, ガ, キ) land on unrelated bits
_SHIFT = 32 - 8  # the top 8 bits of the 32-bit product: a bit number 0-255
BATCH_CHARS = 2_000_000  # signatures are built this many characters at a time (bounded temporary memory)


def _bit_numbers(text: str) -> np.ndarray:
    """The signature bit of each character of a text (lone surrogates too: PDFs leave some)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    return ((codes * _HASH) & 0xFFFFFFFF) >> _SHIFT


def signatures(texts: Sequence[str]) -> np.ndarray:
    """(SIGNATURE_BITS / 64, len(texts)) uint64: bit b of a text's signature is set when one of its characters
    hashes to b (one row per 64-bit word: a word's test then reads one contiguous row)."""
    out = np.zeros((len(texts), _BYTES), dtype=np.uint8)
    start = 0
    while start < len(texts):
        end, size = start, 0
        while end < len(texts) and (end == start or size + len(texts[end]) <= BATCH_CHARS):
            size += len(texts[end])
            end += 1
        batch = texts[start:end]
        lengths = np.fromiter((len(t) for t in batch), dtype=np.int64, count=len(batch))
        owner = np.repeat(np.arange(len(batch)), lengths)
        bits = np.zeros((len(batch), SIGNATURE_BITS), dtype=bool)
        bits[owner, _bit_numbers("".join(batch)).astype(np.int64)] = True
        out[start:end] = np.packbits(bits, axis=1, bitorder="little")
        start = end
    return np.ascontiguousarray(out.view(np.uint64).T)


def distinct_ids(items: Sequence[str]) -> np.ndarray:
    """A number per item, the same for equal items (in order of first appearance), int64."""
    ids: dict[str, int] = {}
    return np.fromiter((ids.setdefault(t, len(ids)) for t in items), dtype=np.int64, count=len(items))


@dataclass(frozen=True)
class Haystack:
    """Many texts (one per item, repeats allowed) searched for short strings: `holding(s)[i]` is `s in items[i]`."""

    distinct: tuple[str, ...]  # each distinct text once
    of: np.ndarray  # the distinct text of each item (int64)
    signature: np.ndarray  # (SIGNATURE_BITS / 64, len(distinct)) uint64

    @classmethod
    def build(cls, items: Sequence[str]) -> Haystack:
        """The haystack of the items' texts."""
        of = distinct_ids(items)
        distinct = tuple(dict.fromkeys(items))  # in order of first appearance, as the ids count
        return cls(distinct, of, signatures(distinct))

    def holding(self, needle: str) -> np.ndarray:
        """Whether each item's text contains `needle` (bool per item), exactly `needle in text`."""
        return self.distinct_holding(needle)[self.of]

    def distinct_holding(self, needle: str) -> np.ndarray:
        """Whether each distinct text contains `needle`: tested only where the signature allows it."""
        maybe = np.ones(len(self.distinct), dtype=bool)
        for row, want in zip(self.signature, signatures([needle])[:, 0]):
            if want:
                maybe &= (row & want) == want
        maybe = np.flatnonzero(maybe)
        out = np.zeros(len(self.distinct), dtype=bool)
        texts = self.distinct
        out[maybe] = np.fromiter((needle in texts[i] for i in maybe.tolist()), dtype=bool, count=len(maybe))
        return out
