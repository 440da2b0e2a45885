"""Sobol indices on the Ishigami function (analytic indices known), Morris elementary effects on linear
functions, and the ranking warning on hand-made intervals."""

from __future__ import annotations

import numpy as np
import pytest

from fanflow_analysis.sensitivity import (interval_too_wide, ishigami, ishigami_indices, morris, morris_design,
                                          saltelli_design, scale, sobol_indices)

PI_BOX = [[-np.pi, np.pi]] * 3


def test_analytic_ishigami_indices() -> None:
    first, total = ishigami_indices()
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)


def test_saltelli_design_layout() -> None:
    design = saltelli_design(8, 3, seed=2)
    assert design.shape == (8 * 5, 3)
    blocks = design.reshape(8, 5, 3)
    a, b = blocks[:, 0], blocks[:, 4]
    for i in range(3):
        expected = a.copy()
        expected[:, i] = b[:, i]
        assert np.array_equal(blocks[:, 1 + i], expected)
    assert ((design >= 0) & (design < 1)).all()
    assert np.array_equal(design, saltelli_design(8, 3, seed=2)), "the same seed gives the same design"


def test_sobol_indices_of_ishigami() -> None:
    base = 4096
    points = scale(saltelli_design(base, 3, seed=1), PI_BOX)
    indices = sobol_indices(ishigami(points), base, 3, bootstrap=200, seed=1)
    first, total = ishigami_indices()
    assert indices["S1"].to_numpy() == pytest.approx(first, abs=0.05)
    assert indices["ST"].to_numpy() == pytest.approx(total, abs=0.05)
    assert (indices["S1_low"] <= indices["S1"]).all() and (indices["S1"] <= indices["S1_high"]).all()
    assert (indices["ST_low"] <= indices["ST"]).all() and (indices["ST"] <= indices["ST_high"]).all()
    # The true values lie inside the 95% intervals.
    assert ((indices["ST_low"] <= total) & (total <= indices["ST_high"])).all()
    assert list(indices.index) == ["x1", "x2", "x3"]


def test_sobol_indices_of_an_additive_function() -> None:
    # f = x1 + 2 x2 on [0, 1]^2 (x3 unused): V1 = 1/12, V2 = 4/12, so S1 = ST = (0.2, 0.8, 0).
    base = 2048
    points = saltelli_design(base, 3, seed=4)
    y = points[:, 0] + 2 * points[:, 1]
    indices = sobol_indices(y, base, 3, bootstrap=100, seed=4, names=["a", "b", "unused"])
    assert indices["S1"].to_numpy() == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    assert indices["ST"].to_numpy() == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    assert indices.loc["unused", "ST"] == 0.0


def test_sobol_indices_refuse_wrong_sizes() -> None:
    with pytest.raises(ValueError, match="N \\(k \\+ 2\\)"):
        sobol_indices(np.ones(10), 4, 3)
    with pytest.raises(ValueError, match="does not vary"):
        sobol_indices(np.ones(20), 4, 3)


def test_morris_design_trajectories() -> None:
    design = morris_design(6, 4, levels=4, seed=3)
    assert design.shape == (6 * 5, 4)
    for trajectory in design.reshape(6, 5, 4):
        steps = np.diff(trajectory, axis=0)
        moved = np.abs(steps) > 1e-12
        assert (moved.sum(axis=1) == 1).all(), "each step moves exactly one factor"
        assert (moved.sum(axis=0) == 1).all(), "each factor moves exactly once"
        assert np.abs(steps[moved]) == pytest.approx(4 / 6)
    assert ((design >= 0) & (design <= 1)).all()


def test_morris_on_a_linear_function() -> None:
    # f = 3 x1 - 2 x2 + 0 x3 over x1 in [0, 10], x2 in [5, 7], x3 in [-1, 1]: effects per unit range are
    # coefficient x range: 30, -4, 0, the same everywhere (sigma 0).
    r, k = 10, 3
    unit = morris_design(r, k, seed=7)
    x = scale(unit, [[0, 10], [5, 7], [-1, 1]])
    y = 3 * x[:, 0] - 2 * x[:, 1] + 0 * x[:, 2]
    result = morris(unit, y, r, k, names=["x1", "x2", "x3"])
    assert result["mu"].to_numpy() == pytest.approx([30, -4, 0])
    assert result["mu_star"].to_numpy() == pytest.approx([30, 4, 0])
    assert result["sigma"].to_numpy() == pytest.approx([0, 0, 0], abs=1e-9)


def test_morris_sees_interaction_as_spread() -> None:
    r, k = 20, 2
    unit = morris_design(r, k, seed=9)
    result = morris(unit, unit[:, 0] * unit[:, 1], r, k)
    assert (result["sigma"] > 0).all()


def test_morris_refuses_a_step_that_moves_two_factors() -> None:
    points = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="2 factors changed"):
        morris(points, [0.0, 1.0, 2.0], 1, 2)


def test_interval_too_wide_when_intervals_overlap() -> None:
    warning = interval_too_wide([0.5, 0.4, 0.1], [0.4, 0.3, 0.05], [0.6, 0.5, 0.15], 1000, ["a", "b", "c"])
    assert warning is not None
    assert warning.overlapping == [("a", "b")]
    # Half-widths 0.1 + 0.1 over a gap of 0.1: N' = 1000 * (0.2 / 0.1)^2 = 4000.
    assert warning.base_samples_needed == 4000
    assert "a and b" in warning.message and "4000" in warning.message


def test_interval_too_wide_when_intervals_are_separate() -> None:
    assert interval_too_wide([0.5, 0.2], [0.45, 0.1], [0.55, 0.3], 500) is None


def test_interval_too_wide_with_equal_estimates() -> None:
    warning = interval_too_wide([0.3, 0.3], [0.2, 0.2], [0.4, 0.4], 100)
    assert warning is not None and warning.base_samples_needed is None


def test_interval_too_wide_on_sobol_estimates() -> None:
    # Ishigami at a small N: the S1 intervals of x1 and x2 overlap; at the suggested N they separate.
    base = 256
    points = scale(saltelli_design(base, 3, seed=1), PI_BOX)
    small = sobol_indices(ishigami(points), base, 3, bootstrap=300, seed=1)
    warning = interval_too_wide(small["S1"], small["S1_low"], small["S1_high"], base, list(small.index))
    assert warning is not None and ("x2", "x1") in warning.overlapping
    needed = warning.base_samples_needed
    assert needed is not None and needed > base
    larger = 2 ** int(np.ceil(np.log2(needed * 2)))
    points = scale(saltelli_design(larger, 3, seed=1), PI_BOX)
    big = sobol_indices(ishigami(points), larger, 3, bootstrap=300, seed=1)
    assert interval_too_wide(big["S1"], big["S1_low"], big["S1_high"], larger, list(big.index)) is None
