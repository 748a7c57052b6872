"""A long module for the stress deck: 120 lines shown over several slides."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Stage01:
    """Stage 1 of the evaluation pipeline."""

    threshold: float = 0.1
    weight: float = 1.01

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage02:
    """Stage 2 of the evaluation pipeline."""

    threshold: float = 0.2
    weight: float = 1.02

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage03:
    """Stage 3 of the evaluation pipeline."""

    threshold: float = 0.3
    weight: float = 1.03

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage04:
    """Stage 4 of the evaluation pipeline."""

    threshold: float = 0.4
    weight: float = 1.04

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage05:
    """Stage 5 of the evaluation pipeline."""

    threshold: float = 0.5
    weight: float = 1.05

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage06:
    """Stage 6 of the evaluation pipeline."""

    threshold: float = 0.6
    weight: float = 1.06

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage07:
    """Stage 7 of the evaluation pipeline."""

    threshold: float = 0.7
    weight: float = 1.07

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage08:
    """Stage 8 of the evaluation pipeline."""

    threshold: float = 0.8
    weight: float = 1.08

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)


@dataclass
class Stage09:
    """Stage 9 of the evaluation pipeline."""

    threshold: float = 0.9
    weight: float = 1.09

    def score(self, values: list[float]) -> float:
        kept = [v for v in values if v >= self.threshold]
        return self.weight * math.fsum(kept) / max(len(kept), 1)

STAGES = [
    Stage01(), Stage02(), Stage03(),
    Stage04(), Stage05(), Stage06(),
    Stage07(), Stage08(), Stage09(),
]
