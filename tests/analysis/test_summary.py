"""Summary numbers on hand-built records: which metric ranks, what is plotted, who is worst."""

from __future__ import annotations

from medtune.analysis.records import Analysed
from medtune.analysis.summary import plotted_metrics, primary_metric, summarize, worst_examples


def record(i: int, scores: dict[str, float], errors: list[str], specialty: str = "general", **kw) -> Analysed:
    return Analysed(
        id=str(i),
        question="q",
        reference="r",
        prediction="p",
        scores=scores,
        specialty=specialty,
        errors=errors,
        **kw,
    )


def test_primary_metric_prefers_rouge_l_in_any_spelling() -> None:
    assert primary_metric([record(0, {"bleu": 1, "rouge_l": 0.2, "chrf": 3}, [])]) == "rouge_l"
    assert primary_metric([record(0, {"bleu": 1, "chrF": 3}, [])]) == "chrF"
    assert primary_metric([record(0, {"zeta": 1, "alpha": 2}, [])]) == "alpha"
    assert primary_metric([record(0, {}, [])]) is None


def test_plotted_metrics_skip_yes_no_flags_and_lead_with_primary() -> None:
    records = [record(i, {"bleu": i / 3, "rougeL": i / 4, "has_dx": float(i % 2)}, []) for i in range(4)]
    assert plotted_metrics(records, "rougeL") == ["rougeL", "bleu"]


def test_worst_breaks_score_ties_by_error_count() -> None:
    records = [
        record(0, {"m": 0.1}, ["cut_off"]),
        record(1, {"m": 0.1}, ["cut_off", "empty"]),
        record(2, {"m": 0.0}, []),
    ]
    assert [r.id for r in worst_examples(records, "m")] == ["2", "1", "0"]
    assert [r.id for r in worst_examples(records, None, k=1)] == ["1"]


def test_counts_fixed_introduced_and_specialties() -> None:
    records = [
        record(
            0, {"m": 0.5}, ["cut_off"], "ent", baseline_prediction="b", baseline_errors=["cut_off", "empty"]
        ),
        record(1, {"m": 0.1}, ["too_long"], "ent", baseline_prediction="b", baseline_errors=[]),
        record(2, {"m": 0.9}, [], "dentistry"),  # no baseline: counted for the model only
    ]
    s = summarize(records)
    assert s.n_examples == 3 and s.n_baseline == 2
    assert s.error_counts["cut_off"] == 1 and s.baseline_error_counts["cut_off"] == 1
    assert s.fixed["empty"] == 1 and s.fixed["cut_off"] == 0
    assert s.introduced["too_long"] == 1 and sum(s.introduced.values()) == 1
    assert [(st.specialty, st.count) for st in s.weakest_specialties] == [("ent", 2), ("dentistry", 1)]
    ent = s.specialties[0]
    assert abs(ent.score - 0.3) < 1e-9 and ent.error_share == 1.0
    assert s.top_errors == [("cut_off", 1), ("too_long", 1)]


def test_plotted_metrics_follow_the_documented_order() -> None:
    names = ["zeta", "bertscore_recall", "bleu", "chrf", "rouge1", "bertscore_f1", "rougeL", "term_ratio"]
    records = [record(i, {n: i / 3 for n in names}, []) for i in range(3)]
    assert plotted_metrics(records, "rougeL") == [
        "rougeL",
        "bertscore_f1",
        "chrf",
        "bleu",
        "rouge1",
        "term_ratio",
    ]
    assert plotted_metrics(records, "bleu")[:2] == ["bleu", "rougeL"]
