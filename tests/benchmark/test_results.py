"""The benchmark's statistics on constructed outcomes: accuracy CIs, the paired comparison and
McNemar p on the same items, the size-weighted aggregate and the regression list."""

from __future__ import annotations

import pytest

from medtune.benchmark.harness import Item
from medtune.benchmark.results import compare, regressions, summarize

STATS = {"resamples": 2000, "seed": 0}


def items(task: str, correct: list[bool]) -> list[Item]:
    return [Item(task, n, ok, "A" if ok else "B", "A") for n, ok in enumerate(correct)]


# 20 items: both right on 0-5, only fine-tuned on 6-15, only base on 16-17, both wrong on 18-19.
FINE_TUNED = [True] * 16 + [False] * 4
BASE = [True] * 6 + [False] * 10 + [True] * 2 + [False] * 2


def test_compare_pairs_the_same_items() -> None:
    c = compare(items("t", FINE_TUNED), items("t", BASE)[::-1], **STATS)  # order does not matter
    assert c["delta"] == pytest.approx(0.4)  # 16/20 - 8/20
    assert (c["won"], c["lost"], c["tied"], c["n"]) == (10, 2, 8, 20)
    assert c["mcnemar_p"] == pytest.approx(2 * (1 + 12 + 66) / 4096)  # 10 vs 2 discordant: 0.0386
    assert 0 < c["low"] < 0.4 < c["high"] and c["significant"]


def test_compare_swapped_is_the_mirror_image() -> None:
    ab, ba = (
        compare(items("t", FINE_TUNED), items("t", BASE), **STATS),
        compare(items("t", BASE), items("t", FINE_TUNED), **STATS),
    )
    assert ba["delta"] == pytest.approx(-ab["delta"]) and (ba["won"], ba["lost"]) == (ab["lost"], ab["won"])
    assert ba["mcnemar_p"] == ab["mcnemar_p"] and ba["high"] < 0


def test_compare_refuses_different_items() -> None:
    with pytest.raises(ValueError, match="same items"):
        compare(items("t", [True, False]), items("t", [True, False, True]), **STATS)


def test_summary_accuracy_comparisons_and_size_weighted_aggregate() -> None:
    scored = {
        "fine-tuned": {
            "small": items("small", [True] * 4),
            "large": items("large", [True] * 3 + [False] * 9),
        },
        "base": {"small": items("small", [False] * 4), "large": items("large", [True] * 3 + [False] * 9)},
    }
    summary = summarize(scored, ["small", "large"], **STATS)
    small = summary["tasks"]["small"]
    assert small["fine-tuned"] == {"accuracy": 1.0, "low": 1.0, "high": 1.0, "n": 4}
    assert summary["tasks"]["large"]["base"]["accuracy"] == 0.25
    assert summary["comparisons"]["large"]["delta"] == 0 and summary["comparisons"]["small"]["delta"] == 1
    aggregate = summary["aggregate"]
    # weighted by size: (4 + 3) / 16, not the mean of the task accuracies (1.0 + 0.25) / 2
    assert aggregate["fine-tuned"]["accuracy"] == pytest.approx(7 / 16) and aggregate["fine-tuned"]["n"] == 16
    assert aggregate["name"] == "selected tasks" and aggregate["tasks"] == ["small", "large"]
    assert aggregate["comparison"]["won"] == 4 and aggregate["comparison"]["tied"] == 12
    assert regressions(summary) == []


def test_regressions_lists_tasks_whose_delta_ci_is_wholly_below_zero() -> None:
    scored = {
        "fine-tuned": {"worse": items("worse", BASE), "same": items("same", FINE_TUNED)},
        "base": {"worse": items("worse", FINE_TUNED), "same": items("same", FINE_TUNED)},
    }
    assert regressions(summarize(scored, ["worse", "same"], **STATS)) == ["worse"]


def test_one_system_has_no_comparisons_and_one_task_no_aggregate() -> None:
    summary = summarize({"fine-tuned": {"t": items("t", FINE_TUNED)}}, ["t"], **STATS)
    assert summary["comparisons"] == {} and "aggregate" not in summary and regressions(summary) == []
    assert summary["tasks"]["t"]["fine-tuned"]["accuracy"] == 0.8
