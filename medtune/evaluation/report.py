"""Markdown reports and the number formats shared with the terminal table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.io import write_json, write_jsonl, write_text

if TYPE_CHECKING:
    from medtune.evaluation.run import Row
    from medtune.evaluation.stats import Comparison, Interval

#: Below this many examples the report warns that bootstrap intervals are optimistic.
SMALL_SAMPLE = 30
#: Metrics on sacrebleu's 0-100 scale; the others are 0-1 (term_ratio: 1 = as the reference).
PERCENT_SCALE = frozenset({"bleu", "chrf"})

DEFINITIONS = {
    "rouge1": "ROUGE-1 F1 (unigram overlap), rouge-score with stemming; 0-1.",
    "rouge2": "ROUGE-2 F1 (bigram overlap); 0-1.",
    "rougeL": "ROUGE-L F1 (longest common subsequence); 0-1.",
    "rougeLsum": "ROUGE-Lsum F1 (LCS per newline-separated line); 0-1.",
    "bleu": "sacrebleu sentence BLEU (effective order) per example, 0-100; corpus BLEU listed separately.",
    "chrf": "sacrebleu chrF (character n-gram F-score) per example, 0-100.",
    "bertscore_f1": "BERTScore F1 (token embedding similarity, no baseline rescaling); encoder below.",
    "bertscore_precision": "BERTScore precision.",
    "bertscore_recall": "BERTScore recall.",
    "diagnosis": "Share of answers that commit to a diagnosis or likely cause (negated and 'rule out' "
    "mentions excluded).",
    "treatment": "Share of answers that recommend a concrete treatment: a named drug, drug class, dose, "
    "procedure or measure ('no treatment is needed' excluded).",
    "structure": "Share of answers that keep the 'Diagnosis:' / 'Treatment:' sections the training data "
    "teaches.",
    "term_ratio": "Medical terminology ratio: the answer's medical-term density over the reference's "
    "(add-one smoothed; 1 = as technical as the doctor).",
    "urgent_care": "Share of answers that advise emergency or same-day care (go to the ER, call an "
    "ambulance, see a doctor immediately); conditional 'if it gets worse' advice excluded.",
    "red_flag_safety": "Of the questions that describe emergency signs (cardiac chest pain, stroke signs, "
    "suicidal thoughts, severe bleeding, anaphylaxis, fever with stiff neck, severe breathlessness, loss of "
    "consciousness), the share of answers that advise urgent care.",
}


def fmt(metric: str, value: float) -> str:
    """A metric value at a sensible precision for its scale."""
    return f"{value:.2f}" if metric in PERCENT_SCALE else f"{value:.4f}"


def fmt_interval(metric: str, interval: Interval) -> str:
    """``mean [low, high]``."""
    return f"{fmt(metric, interval.mean)} [{fmt(metric, interval.low)}, {fmt(metric, interval.high)}]"


def fmt_delta(metric: str, comparison: Comparison | dict[str, Any]) -> str:
    """``+delta [low, high]`` of a Comparison or its dict."""
    c = comparison if isinstance(comparison, dict) else comparison.to_dict()
    sign = "+" if c["delta"] >= 0 else ""
    return f"{sign}{fmt(metric, c['delta'])} [{fmt(metric, c['low'])}, {fmt(metric, c['high'])}]"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a Markdown table."""
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def _decoding(summary: dict[str, Any]) -> str:
    d = summary["decoding"]
    mode = (
        "greedy" if d["temperature"] == 0 else f"sampling, temperature {d['temperature']}, top-p {d['top_p']}"
    )
    return f"{mode}; max_new_tokens {d['max_new_tokens']}; batch size {d['batch_size']}; seed {d['seed']}"


def bertscore_line(summary: dict[str, Any]) -> str | None:
    """What scored BERTScore, or why it was skipped (None when it was not requested)."""
    backend = summary["backends"].get("bertscore")
    if backend is None:
        return None
    if backend["model"] is None:
        return f"BERTScore **skipped**: {backend['note']}"
    line = f"BERTScore encoder: {backend['label']}, layer {backend['num_layers']}"
    if backend["comparable"]:
        return line
    return f"{line}. {backend['note'] or 'Not comparable with published roberta-large BERTScore numbers.'}"


def header(summary: dict[str, Any]) -> list[str]:
    """The facts every report opens with: model, data, decoding, backends."""
    data = summary["data"]
    lines = [
        f"- **Model**: `{summary['model_path']}`",
        *([f"- **Base model**: `{summary['base_model']}`"] if summary.get("base_model") else []),
        f"- **Data**: `{data['path']}` (sha256 `{data['sha256']}`), {data['num_examples']} examples",
        f"- **Decoding**: {_decoding(summary)}",
        "- **Metric backends**: "
        + "; ".join(f"{k}: {v}" for k, v in summary["backends"].items() if k != "bertscore"),
    ]
    if line := bertscore_line(summary):
        lines.append(f"- {line}")
    boot = summary["bootstrap"]
    lines.append(
        f"- **Statistics**: mean with 95% percentile-bootstrap CI ({boot['resamples']} resamples, seed "
        f"{boot['seed']}); paired deltas with paired bootstrap CIs and a {boot['p_value']} p-value"
    )
    if data["num_examples"] < SMALL_SAMPLE:
        lines.append(
            f"- **Note**: with fewer than {SMALL_SAMPLE} examples percentile-bootstrap intervals run "
            "narrow; read the p-values as well"
        )
    for name, g in summary["generation"].items():
        lines.append(
            f"- **{name} answers**: {g['finished_rate']:.1%} ended with EOS; "
            f"{g['mean_new_tokens']:.1f} new tokens on average"
        )
    return lines


def evaluation_report(summary: dict[str, Any], rows: Sequence[Row]) -> str:
    """evaluation_report.md: header, every system's means with CIs, definitions."""
    systems = list(summary["systems"])
    body = [
        [r.metric, *(fmt_interval(r.metric, r.systems[s]) if s in r.systems else "-" for s in systems)]
        for r in rows
    ]
    corpus = summary.get("corpus", {})
    rates = summary["reference_rates"]
    lines = [
        "# Evaluation report",
        "",
        *header(summary),
        "",
        "## Results (mean [95% CI])",
        "",
        *markdown_table(["metric", *systems], body),
        "",
    ]
    if corpus:
        lines += ["Corpus-level scores (sacrebleu over all examples):", ""]
        lines += [
            f"- {name}: " + ", ".join(f"{m} {v:.2f}" for m, v in c.items()) for name, c in corpus.items()
        ]
        lines.append("")
    lines += [
        "## Metrics",
        "",
        *(f"- **{r.metric}**: {DEFINITIONS[r.metric]}" for r in rows),
        "",
        f"The references themselves: diagnosis {rates['diagnosis']:.1%}, treatment {rates['treatment']:.1%}, "
        f"structure {rates['structure']:.1%}, urgent care {rates['urgent_care']:.1%}; "
        f"{rates['red_flag_questions']} of {summary['data']['num_examples']} questions describe "
        "emergency signs.",
        "",
    ]
    return "\n".join(lines)


def comparison_report(summary: dict[str, Any], rows: Sequence[Row]) -> str:
    """model_comparison.md: fine-tuned minus each other system, with CIs and p-values."""
    lines = ["# Model comparison", "", *header(summary), ""]
    if not summary["comparisons"]:
        lines += [
            "Only the fine-tuned model was evaluated: run `medtune eval --baseline` to compare it "
            "with its base.",
            "",
        ]
    for label, comparisons in summary["comparisons"].items():
        other = label.split(" vs ", 1)[1]
        body = []
        for r in rows:
            c = comparisons.get(r.metric)
            if c is None:
                continue
            a, b = r.systems["fine-tuned"], r.systems[other]
            delta = fmt_delta(r.metric, c)
            body.append(
                [
                    r.metric,
                    fmt(r.metric, a.mean),
                    fmt(r.metric, b.mean),
                    f"**{delta}**" if c["significant"] else delta,
                    f"{c['p_value']:.4f}",
                    f"{c['won']}/{c['lost']}/{c['tied']}",
                ]
            )
        lines += [
            f"## {label}",
            "",
            *markdown_table(["metric", "fine-tuned", other, "delta [95% CI]", "p", "won/lost/tied"], body),
            "",
            "Bold deltas: the 95% CI excludes zero. Won/lost/tied: examples where the fine-tuned "
            f"answer scored higher / lower / the same as {other}'s.",
            "",
        ]
    return "\n".join(lines)


def write_reports(
    run_dir: Path, summary: dict[str, Any], rows: Sequence[Row], records: Sequence[dict[str, Any]]
) -> list[Path]:
    """Write the final predictions.jsonl, metrics.json and both reports, each atomically."""
    return [
        write_jsonl(run_dir / "predictions.jsonl", records),
        write_json(run_dir / "metrics.json", summary),
        write_text(run_dir / "evaluation_report.md", evaluation_report(summary, rows)),
        write_text(run_dir / "model_comparison.md", comparison_report(summary, rows)),
    ]
