"""Bootstrap confidence intervals and the paired comparison of two systems.

All resampling is vectorised numpy with a seeded ``numpy.random.Generator``, in chunks so
memory stays bounded (about 16 MB) however many examples there are.

- :func:`bootstrap_ci`: percentile bootstrap of the mean (resample examples with
  replacement, take the 2.5th and 97.5th percentiles of the resampled means).
- :func:`paired_comparison`: per-example differences ``a - b`` on the same examples; the
  CI is the percentile bootstrap of their mean, and the two-sided p-value is a sign-flip
  permutation test: under the null hypothesis that the two systems are exchangeable on
  each example, each difference's sign is a coin flip, so ``p = (1 + #{|mean(s * d)| >=
  |mean(d)|}) / (1 + resamples)`` over random sign vectors ``s``.
- :func:`mcnemar_exact`: for right/wrong outcomes, the exact McNemar test: of the pairs
  where the systems disagree, how unlikely a split this uneven is if each side were a coin
  flip (two-sided binomial with p = 1/2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from math import comb
from typing import Any

import numpy as np

#: Differences smaller than this count as a tie.
TIE_TOLERANCE = 1e-9
_CHUNK_CELLS = 2_000_000


@dataclass(frozen=True)
class Interval:
    """A mean with its bootstrap confidence interval over ``n`` examples."""

    mean: float
    low: float
    high: float
    n: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    """System A minus system B on the same ``n`` examples."""

    delta: float
    low: float
    high: float
    p_value: float
    won: int
    lost: int
    tied: int
    n: int

    @property
    def significant(self) -> bool:
        """Whether the confidence interval excludes zero."""
        return self.low > 0 or self.high < 0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "significant": self.significant}


def _chunks(resamples: int, n: int) -> list[int]:
    rows = max(1, _CHUNK_CELLS // max(n, 1))
    return [min(rows, resamples - start) for start in range(0, resamples, rows)]


def bootstrap_means(values: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``resamples`` bootstrap resamples of ``values``."""
    n = len(values)
    return np.concatenate(
        [values[rng.integers(0, n, size=(rows, n))].mean(axis=1) for rows in _chunks(resamples, n)]
    )


def bootstrap_ci(
    values: Sequence[float] | np.ndarray, *, resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> Interval:
    """Mean of ``values`` with a percentile-bootstrap confidence interval."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        raise ValueError("bootstrap_ci needs at least one value")
    means = bootstrap_means(x, resamples, np.random.default_rng(seed))
    alpha = 1.0 - confidence
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return Interval(mean=float(x.mean()), low=float(low), high=float(high), n=int(x.size))


def sign_flip_p_value(differences: np.ndarray, resamples: int, rng: np.random.Generator) -> float:
    """Two-sided sign-flip permutation p-value for ``mean(differences) == 0``."""
    n = len(differences)
    observed = abs(differences.mean())
    extreme = 0
    for rows in _chunks(resamples, n):
        signs = rng.integers(0, 2, size=(rows, n)) * 2 - 1
        extreme += int((np.abs((signs * differences).mean(axis=1)) >= observed - 1e-12).sum())
    return (1 + extreme) / (1 + resamples)


def paired_comparison(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Comparison:
    """``a - b`` on paired examples: mean delta, bootstrap CI, sign-flip p-value and the
    count of examples where A scored higher (won), lower (lost) or the same (tied)."""
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if x.shape != y.shape or x.size == 0:
        raise ValueError(f"paired_comparison needs two equal, non-empty samples (got {x.size} and {y.size})")
    d = x - y
    rng = np.random.default_rng(seed)
    means = bootstrap_means(d, resamples, rng)
    alpha = 1.0 - confidence
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return Comparison(
        delta=float(d.mean()),
        low=float(low),
        high=float(high),
        p_value=sign_flip_p_value(d, resamples, rng),
        won=int((d > TIE_TOLERANCE).sum()),
        lost=int((d < -TIE_TOLERANCE).sum()),
        tied=int((np.abs(d) <= TIE_TOLERANCE).sum()),
        n=int(d.size),
    )


def mcnemar_exact(won: int, lost: int) -> float:
    """Two-sided exact McNemar p-value from the discordant pairs: ``won`` items only system A
    got right, ``lost`` items only system B got right (1.0 when they never disagree)."""
    if won < 0 or lost < 0:
        raise ValueError(f"mcnemar_exact needs non-negative counts (got {won} and {lost})")
    n = won + lost
    tail = sum(comb(n, k) for k in range(min(won, lost) + 1))
    return min(1.0, 2 * tail / 2**n)
