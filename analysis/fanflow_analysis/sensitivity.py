"""Global sensitivity analysis for parameter sweeps: Sobol indices (Saltelli design, Saltelli 2010 / Jansen
estimators, bootstrap intervals), Morris elementary effects (trajectory design, mu, mu*, sigma), and a warning
when confidence intervals overlap so that factors cannot be ranked. Equations in docs/analysis.md.

Designs are in the unit hypercube [0, 1]^k; :func:`scale` maps them onto the factors' ranges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import qmc


def scale(unit_points: ArrayLike, bounds: ArrayLike) -> np.ndarray:
    """Maps points of [0, 1]^k onto the box `bounds` ([k x 2]: low, high per factor): ``low + u (high - low)``."""
    points = np.asarray(unit_points, dtype=np.float64)
    box = np.asarray(bounds, dtype=np.float64)
    if box.ndim != 2 or box.shape[1] != 2 or box.shape[0] != points.shape[-1]:
        raise ValueError(f"bounds must be [{points.shape[-1]} x 2] (low, high per factor), got {box.shape}")
    if (box[:, 1] <= box[:, 0]).any():
        raise ValueError("every factor needs low < high")
    return box[:, 0] + points * (box[:, 1] - box[:, 0])


# --- Sobol indices ------------------------------------------------------------------------------------------


def saltelli_design(base_samples: int, factors: int, seed: int = 0) -> np.ndarray:
    """The Saltelli design in SALib ordering, in [0, 1]^k: ``base_samples * (factors + 2)`` rows.

    A and B are the first and last `factors` columns of a scrambled Sobol sequence in 2k dimensions
    (scipy.stats.qmc.Sobol, fixed `seed`). For base sample j the block of k + 2 consecutive rows is
    A_j, AB_j^(1), ..., AB_j^(k), B_j, where AB^(i) is A with column i taken from B.

    Raises:
        ValueError: fewer than 2 base samples or 1 factor.
    """
    if base_samples < 2 or factors < 1:
        raise ValueError(f"need at least 2 base samples and 1 factor, got {base_samples} and {factors}")
    sobol = qmc.Sobol(d=2 * factors, scramble=True, seed=seed)
    base = sobol.random(base_samples)
    a, b = base[:, :factors], base[:, factors:]
    design = np.empty((base_samples, factors + 2, factors))
    design[:, 0] = a
    for i in range(factors):
        design[:, 1 + i] = a
        design[:, 1 + i, i] = b[:, i]
    design[:, factors + 1] = b
    return design.reshape(-1, factors)


def _sobol_blocks(outputs: ArrayLike, base_samples: int, factors: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Splits Y (SALib ordering) into f(A) [N], f(AB^(i)) [N x k] and f(B) [N]."""
    y = np.asarray(outputs, dtype=np.float64).ravel()
    expected = base_samples * (factors + 2)
    if y.size != expected:
        raise ValueError(f"Y has {y.size} values; N (k + 2) = {base_samples} x {factors + 2} = {expected} expected")
    if not np.isfinite(y).all():
        raise ValueError("Y has non-finite values")
    blocks = y.reshape(base_samples, factors + 2)
    return blocks[:, 0], blocks[:, 1:-1], blocks[:, -1]


def _sobol_estimates(f_a: np.ndarray, f_ab: np.ndarray, f_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S1 (Saltelli 2010) and ST (Jansen) for every factor from one set of base samples."""
    variance = np.var(np.concatenate((f_a, f_b)))
    if variance == 0:
        raise ValueError("the output does not vary over the design, so its variance cannot be apportioned")
    first = np.mean(f_b[:, None] * (f_ab - f_a[:, None]), axis=0) / variance
    total = 0.5 * np.mean((f_a[:, None] - f_ab) ** 2, axis=0) / variance
    return first, total


def sobol_indices(outputs: ArrayLike, base_samples: int, factors: int, bootstrap: int = 1000, seed: int = 0,
                  confidence: float = 0.95, names: list[str] | None = None) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with bootstrap confidence intervals.

    `outputs` holds f at the rows of :func:`saltelli_design` (SALib ordering, N (k + 2) values). With
    V = Var([f(A), f(B)]): ``S1_i = mean(f(B) (f(AB^(i)) - f(A))) / V`` and
    ``ST_i = mean((f(A) - f(AB^(i)))^2) / (2 V)``. The intervals are percentiles of the estimates over
    `bootstrap` resamples of the N base samples (with replacement, numpy generator seeded with `seed`).

    Returns a DataFrame indexed by factor (`names`, else x1..xk) with columns S1, S1_low, S1_high, ST, ST_low,
    ST_high; ``df.attrs`` holds base_samples, bootstrap and confidence.

    Raises:
        ValueError: Y of the wrong size or with non-finite values, constant Y, fewer than 1 resample, names of the
            wrong length.
    """
    if bootstrap < 1:
        raise ValueError(f"bootstrap must be at least 1, got {bootstrap}")
    labels = _factor_names(names, factors)
    f_a, f_ab, f_b = _sobol_blocks(outputs, base_samples, factors)
    first, total = _sobol_estimates(f_a, f_ab, f_b)
    rng = np.random.default_rng(seed)
    resampled_first = np.empty((bootstrap, factors))
    resampled_total = np.empty((bootstrap, factors))
    for r in range(bootstrap):
        rows = rng.integers(0, base_samples, base_samples)
        try:
            resampled_first[r], resampled_total[r] = _sobol_estimates(f_a[rows], f_ab[rows], f_b[rows])
        except ValueError:  # a resample with no variance (tiny N): it says nothing about the indices
            resampled_first[r] = resampled_total[r] = np.nan
    tail = 100 * (1 - confidence) / 2
    frame = pd.DataFrame({
        "S1": first,
        "S1_low": np.nanpercentile(resampled_first, tail, axis=0),
        "S1_high": np.nanpercentile(resampled_first, 100 - tail, axis=0),
        "ST": total,
        "ST_low": np.nanpercentile(resampled_total, tail, axis=0),
        "ST_high": np.nanpercentile(resampled_total, 100 - tail, axis=0),
    }, index=pd.Index(labels, name="factor"))
    frame.attrs.update(base_samples=base_samples, bootstrap=bootstrap, confidence=confidence)
    return frame


def ishigami(points: ArrayLike, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function ``sin x1 + a sin^2 x2 + b x3^4 sin x1`` on points of [-pi, pi]^3 ([n x 3]), the
    standard check of Sobol estimators (its indices are known in closed form)."""
    x = np.asarray(points, dtype=np.float64)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """The analytic first-order and total Sobol indices of :func:`ishigami`."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    variance = v1 + v2 + v13
    first = np.array([v1, v2, 0.0]) / variance
    total = np.array([v1 + v13, v2, v13]) / variance
    return first, total


# --- Morris elementary effects ------------------------------------------------------------------------------


def morris_design(trajectories: int, factors: int, levels: int = 4, seed: int = 0) -> np.ndarray:
    """Morris trajectories in [0, 1]^k: ``trajectories * (factors + 1)`` rows, each trajectory k + 1 consecutive
    points on the grid {0, 1/(p-1), ..., 1} (p = `levels`, even) that differ in exactly one factor, by
    ``delta = p / (2 (p - 1))``, each factor once, in a random order, up or down so the point stays in [0, 1].

    Raises:
        ValueError: fewer than 1 trajectory or factor, or `levels` not an even number >= 2.
    """
    if trajectories < 1 or factors < 1:
        raise ValueError(f"need at least 1 trajectory and 1 factor, got {trajectories} and {factors}")
    if levels < 2 or levels % 2:
        raise ValueError(f"levels must be an even number >= 2, got {levels}")
    rng = np.random.default_rng(seed)
    delta = levels / (2 * (levels - 1))
    grid = np.arange(levels) / (levels - 1)
    design = np.empty((trajectories, factors + 1, factors))
    for t in range(trajectories):
        point = rng.choice(grid, size=factors)
        design[t, 0] = point
        for step, factor in enumerate(rng.permutation(factors), start=1):
            point = point.copy()
            point[factor] += delta if point[factor] + delta <= 1 + 1e-12 else -delta
            design[t, step] = point
    return design.reshape(-1, factors)


def morris(unit_points: ArrayLike, outputs: ArrayLike, trajectories: int, factors: int,
           names: list[str] | None = None) -> pd.DataFrame:
    """Morris screening: mean (mu), mean of absolute values (mu*) and standard deviation (sigma, ddof 1; 0 with
    one trajectory) of the elementary effects ``EE_i = (f(x + e_i D) - f(x)) / D`` of each factor.

    `unit_points` are the design's points in [0, 1]^k ([r (k + 1) x k], as :func:`morris_design` makes them) and
    `outputs` f at those points. Each trajectory is k + 1 consecutive points; the factor of each step is found
    from the points (the one coordinate that changed), so effects are per unit of the factor's range: a linear
    term c x_i over a range of width w gives mu* = |c| w and sigma = 0.

    Returns a DataFrame indexed by factor with columns mu, mu_star, sigma.

    Raises:
        ValueError: shapes that do not match r and k, a step that changes no factor or more than one, or a
            trajectory that does not move every factor exactly once.
    """
    labels = _factor_names(names, factors)
    points = np.asarray(unit_points, dtype=np.float64)
    y = np.asarray(outputs, dtype=np.float64).ravel()
    rows = trajectories * (factors + 1)
    if points.shape != (rows, factors) or y.size != rows:
        raise ValueError(f"expected {rows} points of {factors} factors and {rows} outputs "
                         f"({trajectories} trajectories), got points {points.shape} and {y.size} outputs")
    effects = np.empty((trajectories, factors))
    for t in range(trajectories):
        x = points[t * (factors + 1):(t + 1) * (factors + 1)]
        f = y[t * (factors + 1):(t + 1) * (factors + 1)]
        effects[t] = _trajectory_effects(x, f, t)
    sigma = effects.std(axis=0, ddof=1) if trajectories > 1 else np.zeros(factors)
    return pd.DataFrame({"mu": effects.mean(axis=0), "mu_star": np.abs(effects).mean(axis=0), "sigma": sigma},
                        index=pd.Index(labels, name="factor"))


def _trajectory_effects(x: np.ndarray, f: np.ndarray, trajectory: int) -> np.ndarray:
    factors = x.shape[1]
    effects = np.full(factors, np.nan)
    for step in range(factors):
        change = x[step + 1] - x[step]
        moved = np.flatnonzero(np.abs(change) > 1e-12)
        if moved.size != 1:
            raise ValueError(f"trajectory {trajectory}, step {step + 1}: {moved.size} factors changed; "
                             "a Morris step changes exactly one")
        factor = moved[0]
        if not np.isnan(effects[factor]):
            raise ValueError(f"trajectory {trajectory}: factor {factor} moved twice; each moves exactly once")
        effects[factor] = (f[step + 1] - f[step]) / change[factor]
    return effects


# --- can the factors be ranked? -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingWarning:
    """Factors whose confidence intervals overlap, and how many base samples would separate them."""

    overlapping: list[tuple[str, str]]
    base_samples: int
    base_samples_needed: int | None  # None: two estimates are equal, so no sample size separates them
    message: str


def interval_too_wide(estimates: ArrayLike, low: ArrayLike, high: ArrayLike, base_samples: int,
                      names: list[str] | None = None) -> RankingWarning | None:
    """Says when the confidence intervals of neighbouring factors (ranked by estimate) overlap, so the factors
    cannot be ranked, and estimates the base samples that would separate them.

    Intervals shrink as 1/sqrt(N): two neighbours with estimates a > b, half-widths h_a, h_b (measured from
    each estimate, so asymmetric intervals count their inner side) separate once
    ``(h_a + h_b) sqrt(N / N') < a - b``, i.e. ``N' > N ((h_a + h_b) / (a - b))^2``; the largest over the
    overlapping pairs, rounded up, is returned. Returns None when every neighbouring pair is separated.

    Raises:
        ValueError: arrays of different lengths, an estimate outside its interval, or base_samples < 1.
    """
    value = np.asarray(estimates, dtype=np.float64).ravel()
    lower = np.asarray(low, dtype=np.float64).ravel()
    upper = np.asarray(high, dtype=np.float64).ravel()
    if not value.size == lower.size == upper.size:
        raise ValueError("estimates, low and high must have the same length")
    if base_samples < 1:
        raise ValueError(f"base_samples must be at least 1, got {base_samples}")
    if ((lower > value + 1e-12) | (upper < value - 1e-12)).any():
        raise ValueError("every estimate must lie inside its interval")
    labels = _factor_names(names, value.size)
    order = np.argsort(-value, kind="stable")
    overlapping: list[tuple[str, str]] = []
    ratios: list[float] = []
    for above, below in zip(order[:-1], order[1:]):
        if lower[above] > upper[below]:
            continue
        overlapping.append((labels[above], labels[below]))
        gap = value[above] - value[below]
        inner = (value[above] - lower[above]) + (upper[below] - value[below])
        ratios.append(math.inf if gap <= 0 else (inner / gap) ** 2)
    if not overlapping:
        return None
    worst = max(ratios)
    needed = None if math.isinf(worst) else math.ceil(base_samples * worst)
    pairs = ", ".join(f"{a} and {b}" for a, b in overlapping)
    advice = (f"about {needed} base samples (now {base_samples}) would separate them"
              if needed is not None else "equal estimates: no number of base samples separates them")
    message = f"cannot rank {pairs}: their confidence intervals overlap; {advice}"
    return RankingWarning(overlapping=overlapping, base_samples=base_samples, base_samples_needed=needed,
                          message=message)


def _factor_names(names: list[str] | None, factors: int) -> list[str]:
    if names is None:
        return [f"x{i + 1}" for i in range(factors)]
    if len(names) != factors:
        raise ValueError(f"{len(names)} names for {factors} factors")
    return [str(n) for n in names]
