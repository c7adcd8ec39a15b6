"""Bootstrap CIs cover the true mean at about the nominal rate; the paired test finds
real shifts and not null ones; the exact McNemar test matches hand-computed binomial tails."""

from __future__ import annotations

import numpy as np
import pytest

from medtune.evaluation.stats import bootstrap_ci, mcnemar_exact, paired_comparison


def test_bootstrap_ci_covers_the_true_mean_at_about_95_percent() -> None:
    rng = np.random.default_rng(0)
    trials, n, true_mean = 200, 100, 0.3
    covered = 0
    for trial in range(trials):
        sample = rng.beta(3, 7, size=n)  # mean 3 / (3 + 7) = 0.3, skewed like ROUGE scores
        ci = bootstrap_ci(sample, resamples=1000, seed=trial)
        covered += ci.low <= true_mean <= ci.high
    coverage = covered / trials
    print(f"coverage of 95% bootstrap CIs: {coverage:.3f} over {trials} trials")
    assert 0.90 <= coverage <= 0.99


def test_bootstrap_ci_is_seeded() -> None:
    sample = np.arange(50, dtype=float)
    assert bootstrap_ci(sample, seed=3) == bootstrap_ci(sample, seed=3)


def test_paired_comparison_detects_a_real_shift() -> None:
    rng = np.random.default_rng(1)
    base = rng.beta(2, 8, size=80)
    tuned = base + 0.05 + rng.normal(0, 0.05, size=80)
    result = paired_comparison(tuned, base, seed=0)
    assert result.significant and result.low > 0
    assert result.p_value < 0.01
    assert result.won > result.lost and result.won + result.lost + result.tied == 80


def test_paired_comparison_stays_quiet_under_the_null() -> None:
    rng = np.random.default_rng(2)
    trials, false_alarms, small_p = 100, 0, 0
    for trial in range(trials):
        a, b = rng.beta(2, 8, size=60), rng.beta(2, 8, size=60)
        result = paired_comparison(a, b, resamples=500, seed=trial)
        false_alarms += result.significant
        small_p += result.p_value < 0.05
    print(f"null: {false_alarms} CIs excluding zero, {small_p} p < 0.05 in {trials} trials")
    assert false_alarms <= 12 and small_p <= 12


def test_ties_are_counted() -> None:
    result = paired_comparison([1.0, 0.0, 0.5], [1.0, 1.0, 0.25], seed=0)
    assert (result.won, result.lost, result.tied) == (1, 1, 1)
    assert paired_comparison([0.2] * 5, [0.2] * 5).p_value == 1.0


@pytest.mark.parametrize(
    ("won", "lost", "p"),
    [
        (0, 0, 1.0),  # never disagree: no evidence either way
        (1, 1, 1.0),  # an even split (the doubled tail is capped at 1)
        (5, 0, 2 / 32),  # 2 * P(X <= 0), X ~ Binomial(5, 1/2)
        (10, 2, 2 * (1 + 12 + 66) / 4096),  # 2 * P(X <= 2), X ~ Binomial(12, 1/2) = 0.0386
        (2, 10, 2 * (1 + 12 + 66) / 4096),  # two-sided: symmetric
        (6, 4, 2 * (1 + 10 + 45 + 120 + 210) / 1024),  # 0.754
    ],
)
def test_mcnemar_exact_matches_the_binomial_tail(won: int, lost: int, p: float) -> None:
    assert mcnemar_exact(won, lost) == pytest.approx(p, rel=1e-12)


def test_mcnemar_exact_handles_thousands_of_discordant_pairs() -> None:
    even, lopsided = mcnemar_exact(3000, 3000), mcnemar_exact(3200, 2800)
    assert even == 1.0 and 0 < lopsided < 1e-6  # 0.2 share shift on 6,000 pairs: z = 5.2
    with pytest.raises(ValueError, match="non-negative"):
        mcnemar_exact(-1, 3)
