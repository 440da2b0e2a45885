"""Concentration measures (Gini coefficient, Lorenz curve, top share) and the paired difference with its
t-interval that the run, sweep and comparison reports use. Equations in docs/analysis.md."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


def _nonnegative(values: ArrayLike) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).ravel()
    if not np.isfinite(array).all():
        raise ValueError("values must be finite")
    if (array < 0).any():
        raise ValueError("values must be non-negative (followers, income, impressions)")
    return array


def gini(values: ArrayLike) -> float:
    """The Gini coefficient of non-negative `values`: mean absolute difference over twice the mean,
    ``G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)``, computed from the sorted values as
    ``G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n`` (i = 1..n). 0 when all are equal, (n - 1)/n when one holds
    everything. 0 for no values or an all-zero total (nothing to share, so no inequality).

    Raises:
        ValueError: a negative or non-finite value.
    """
    x = np.sort(_nonnegative(values))
    n, total = x.size, x.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(2.0 * np.sum(ranks * x) / (n * total) - (n + 1) / n)


def lorenz(values: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The Lorenz curve of non-negative `values`: ``(population_share, value_share)``, both of length n + 1 from
    (0, 0) to (1, 1); point k is the share of the total held by the k smallest values. An all-zero total gives
    the diagonal.

    Raises:
        ValueError: no values, or a negative or non-finite value.
    """
    x = np.sort(_nonnegative(values))
    if x.size == 0:
        raise ValueError("the Lorenz curve needs at least one value")
    population = np.arange(x.size + 1) / x.size
    total = x.sum()
    if total == 0:
        return population, population.copy()
    return population, np.concatenate(([0.0], np.cumsum(x) / total))


def top_share(values: ArrayLike, fraction: float) -> float:
    """The share of the total held by the top `fraction` of values: the ``ceil(fraction * n)`` largest (at least
    one) over the sum of all. 0 for an all-zero total.

    Raises:
        ValueError: `fraction` outside (0, 1], no values, or a negative or non-finite value.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    x = np.sort(_nonnegative(values))[::-1]
    if x.size == 0:
        raise ValueError("top_share needs at least one value")
    total = x.sum()
    if total == 0:
        return 0.0
    count = max(1, math.ceil(fraction * x.size - 1e-9))
    return float(x[:count].sum() / total)


@dataclass(frozen=True)
class PairedDifference:
    """``plan - baseline`` over paired replicates: the mean difference and its confidence interval."""

    mean: float
    low: float
    high: float
    std_error: float
    n: int
    confidence: float

    @property
    def significant(self) -> bool:
        """True when the interval excludes 0."""
        return self.low > 0 or self.high < 0


def paired_difference(baseline: ArrayLike, plan: ArrayLike, confidence: float = 0.95) -> PairedDifference:
    """Mean of the paired differences ``d_j = plan_j - baseline_j`` (replicate j run with the same seed under both)
    with the Student t-interval ``mean(d) -/+ t_{n-1, (1+confidence)/2} * sd(d) / sqrt(n)`` (scipy.stats.t).
    When every difference is the same the interval has zero width.

    Raises:
        ValueError: different lengths, fewer than two pairs, non-finite values, or `confidence` outside (0, 1).
    """
    before = np.asarray(baseline, dtype=np.float64).ravel()
    after = np.asarray(plan, dtype=np.float64).ravel()
    if before.shape != after.shape:
        raise ValueError(f"baseline has {before.size} values, plan {after.size}; they must be paired")
    if before.size < 2:
        raise ValueError("a paired difference needs at least two pairs")
    if not (np.isfinite(before).all() and np.isfinite(after).all()):
        raise ValueError("values must be finite")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    differences = after - before
    n = differences.size
    mean = float(differences.mean())
    std_error = float(differences.std(ddof=1) / math.sqrt(n))
    if std_error == 0:
        low = high = mean
    else:
        low, high = (float(v) for v in stats.t.interval(confidence, n - 1, loc=mean, scale=std_error))
    return PairedDifference(mean=mean, low=low, high=high, std_error=std_error, n=n, confidence=confidence)
