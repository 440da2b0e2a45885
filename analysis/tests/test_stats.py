"""Concentration measures and the paired difference against hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from fanflow_analysis.stats import gini, lorenz, paired_difference, top_share


def test_gini_of_equal_values_is_zero() -> None:
    assert gini([5, 5, 5, 5]) == 0.0


def test_gini_when_one_holds_everything() -> None:
    # n = 4, one value 10: sum |xi - xj| over ordered pairs = 2 * 3 * 10 = 60; 60 / (2 * 16 * 2.5) = 0.75.
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)


def test_gini_hand_case() -> None:
    # 1, 2, 3, 4: pairwise |differences| 1,2,3,1,2,1 (sum 10, twice for ordered pairs: 20); mean 2.5;
    # G = 20 / (2 * 16 * 2.5) = 0.25.
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)


def test_gini_matches_the_mean_absolute_difference_definition() -> None:
    values = np.random.default_rng(3).lognormal(size=200)
    by_definition = np.abs(values[:, None] - values[None, :]).sum() / (2 * values.size**2 * values.mean())
    assert gini(values) == pytest.approx(by_definition)


def test_gini_of_nothing_is_zero() -> None:
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0


def test_gini_refuses_negative_values() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        gini([1, -1])


def test_lorenz_hand_case() -> None:
    population, share = lorenz([3, 1, 0, 6])
    assert population == pytest.approx([0, 0.25, 0.5, 0.75, 1])
    assert share == pytest.approx([0, 0, 0.1, 0.4, 1])


def test_lorenz_area_gives_the_gini() -> None:
    values = np.random.default_rng(5).pareto(1.5, 500)
    population, share = lorenz(values)
    area = np.trapz(share, population)
    assert 1 - 2 * area == pytest.approx(gini(values), abs=1e-9)


def test_lorenz_of_all_zero_is_the_diagonal() -> None:
    population, share = lorenz([0, 0, 0])
    assert share == pytest.approx(population)


def test_top_share_hand_cases() -> None:
    values = list(range(1, 101))  # 1..100, total 5050
    assert top_share(values, 0.03) == pytest.approx((100 + 99 + 98) / 5050)
    assert top_share(values, 1.0) == pytest.approx(1.0)
    assert top_share([7, 1, 2], 0.01) == pytest.approx(0.7)  # at least one value
    assert top_share([0, 0], 0.5) == 0.0


def test_top_share_refuses_a_bad_fraction() -> None:
    with pytest.raises(ValueError, match="fraction"):
        top_share([1, 2], 0)
    with pytest.raises(ValueError, match="fraction"):
        top_share([1, 2], 1.5)


def test_paired_difference_hand_case() -> None:
    baseline = [10.0, 12.0, 9.0, 11.0]
    plan = [12.0, 13.0, 12.0, 13.0]  # differences 2, 1, 3, 2: mean 2, sd sqrt(2/3)
    result = paired_difference(baseline, plan)
    half = scipy_stats.t.ppf(0.975, 3) * math.sqrt(2 / 3) / 2
    assert result.mean == pytest.approx(2.0)
    assert result.low == pytest.approx(2.0 - half)
    assert result.high == pytest.approx(2.0 + half)
    assert result.n == 4 and result.significant


def test_paired_difference_of_noise_includes_zero() -> None:
    rng = np.random.default_rng(1)
    baseline = rng.normal(size=30)
    result = paired_difference(baseline, baseline + rng.normal(scale=1e-3, size=30) - 5e-5)
    assert result.low < 0 < result.high and not result.significant


def test_paired_difference_with_constant_differences() -> None:
    result = paired_difference([1, 2, 3], [2, 3, 4])
    assert (result.low, result.mean, result.high) == (1.0, 1.0, 1.0)


def test_paired_difference_refuses_unpaired_input() -> None:
    with pytest.raises(ValueError, match="paired"):
        paired_difference([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="two pairs"):
        paired_difference([1], [2])
