"""Field or prose: which kind of evidence answers a lookup, decided from scores, not from phrases.

The weights are a logistic regression fitted by `bench/fit_choice.py` on labelled lookups (see the
constants' comments for the data and the held-back check); positive means the prose unit answers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from piaqa.records import Answer, Field
from piaqa.search.unitsearch import UnitHit

FIELD_LONG = 60  # characters: a field value this long is itself prose


@dataclass(frozen=True)
class SourceEvidence:
    """What the best field and the best prose unit offer for one question."""

    field_score: float  # label score of the field answer (0 without one)
    field_choice: bool  # the field is a choice (a rating such as 十分に行っている)
    field_long: bool  # the field's value is prose itself
    unit_dense: float  # cosine of question and best unit
    unit_coverage: float  # idf-weighted share of the question's content words in the best unit
    field_coverage: float  # the same share in the field's section title, label and value

    def vector(self) -> list[float]:
        """Features in the order of WEIGHTS."""
        return [self.field_score, float(self.field_choice), float(self.field_long), self.unit_dense,
                self.unit_coverage, self.field_coverage]


# Fitted by bench/fit_choice.py on the lookups of shared/eval dev_questions + dev_prose and bench/dev2-4
# (126 questions, 40 where exactly one source was right); C=3 chosen by 5-fold cross-validation:
# 100 of 126 right on folds never fitted on, against 88 with fields alone (111 possible).
# Order as SourceEvidence.vector(): field score, choice, long value, unit cosine, unit coverage, field coverage.
WEIGHTS = (-3.859, 0.174, 0.48, 0.621, 2.252, -1.124)
BIAS = 1.564


def field_words(f: Field) -> str:
    """The words a field offers to match a question: its section title, label and value."""
    return " ".join([*f.path[-1:], f.label, f.value])


def evidence(field_answer: Answer | None, unit: UnitHit | None, field_coverage: float) -> SourceEvidence:
    """Features of the two candidates."""
    f = field_answer.field if field_answer is not None else None
    return SourceEvidence(field_answer.score if field_answer is not None else 0.0, bool(f and f.options),
                          bool(f and len(f.value) >= FIELD_LONG), unit.dense if unit else 0.0,
                          unit.coverage if unit else 0.0, field_coverage)


def prose_probability(ev: SourceEvidence) -> float:
    """Probability that the prose unit, not the field, answers the question."""
    z = BIAS + sum(w * x for w, x in zip(WEIGHTS, ev.vector()))
    return 1.0 / (1.0 + math.exp(-z))
