"""Is a prose atom stated in each document? A logistic model over what each document's best units offer.

A which-cities question whose condition is stated in prose ("which cities burn their paper records") is decided per
document from the units that best support the condition (`WhichCities.prose_supports`). The decision reads how
much of the condition's distinctive words the document's best unit holds against the best document's, whether that
reaches the old rule's ratio, how strongly BM25 ranks the document's units against the best document's, and how
many documents come near the best (when all of them do, the shared words say little). The weights are a logistic
regression fitted by `bench/fit_prose_judge.py`; see JUDGE_WEIGHTS for the data and the check.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# A document's best unit holding this share of the best document's distinctive coverage stated the atom under the
# rule used from the twenty-ninth to the thirty-sixth session (fitted then by bench/fit_prose_judge.py on 250 dev
# decisions); the model keeps it as a step feature, and counts the documents that reach it.
NEAR_RATIO = 0.60


@dataclass(frozen=True)
class JudgeFeatures:
    """What one document offers for one prose atom, relative to the documents judged with it."""

    ratio: float  # its best unit's distinctive coverage / the best document's (0 when no document covers any)
    near: bool  # ratio ≥ NEAR_RATIO
    lexical: float  # its units' best BM25 score / the best document's (0 when no document scores)
    crowd: float  # share of the judged documents that are near the best
    english: bool  # the atom is read as English

    def vector(self) -> list[float]:
        """Features in the order of JudgeWeights."""
        return [self.ratio, float(self.near), self.lexical, self.crowd, float(self.english)]


@dataclass(frozen=True)
class JudgeWeights:
    """A logistic regression's coefficients, in JudgeFeatures.vector() order, and its intercept."""

    coefficients: tuple[float, ...]
    bias: float


@dataclass(frozen=True)
class DocSupport:
    """One document's support for an atom: its best unit's distinctive coverage and its units' best BM25 score."""

    coverage: float
    lexical: float


# Fitted by bench/fit_prose_judge.py (thirty-seventh session, C=10) on the single-atom prose which-cities questions
# of every dev set (shared/eval dev_prose + dev_questions, bench/dev*_questions but dev34: 50 questions, 250
# decisions): 228-229 right on 5-fold cross-validation over questions (five shuffles; the ratio rule: 222). Checked
# on every fresh and check set (145 questions, 725 decisions, never fitted on): 610 right (the rule: 589), Japanese
# 300 vs 289 of 360, English 310 vs 300 of 365; richer sets (dense cosines, the absolute coverage) did no better on
# cross-validation.
JUDGE_WEIGHTS = JudgeWeights((1.3984, 2.9183, 5.0817, -3.7974, 0.2440), -3.8807)
STATED_PROBABILITY = 0.5  # the model's own decision boundary (no threshold fitted beside the weights)


def judge_features(support: Mapping[str, DocSupport], english: bool) -> dict[str, JudgeFeatures]:
    """Every document's features for one atom, from the supports of all the documents judged together."""
    best = max((s.coverage for s in support.values()), default=0.0)
    top = max((s.lexical for s in support.values()), default=0.0)
    ratios = {d: s.coverage / best if best > 0 else 0.0 for d, s in support.items()}
    crowd = sum(r >= NEAR_RATIO for r in ratios.values()) / len(support) if support else 0.0
    return {d: JudgeFeatures(ratios[d], ratios[d] >= NEAR_RATIO, s.lexical / top if top > 0 else 0.0, crowd, english)
            for d, s in support.items()}


def stated_probability(features: JudgeFeatures, weights: JudgeWeights = JUDGE_WEIGHTS) -> float:
    """The model's probability that the document states the atom."""
    z = weights.bias + sum(w * x for w, x in zip(weights.coefficients, features.vector()))
    return 1.0 / (1.0 + math.exp(-z))


def stated_each(support: Mapping[str, DocSupport], english: bool,
                weights: JudgeWeights = JUDGE_WEIGHTS) -> dict[str, bool]:
    """Each document's decision: stated when the model says so and its best unit covers anything at all."""
    feats = judge_features(support, english)
    return {d: support[d].coverage > 0 and stated_probability(f, weights) > STATED_PROBABILITY
            for d, f in feats.items()}
