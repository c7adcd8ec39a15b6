"""Markdown reports and the number formats shared with the terminal table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.evaluation.specs import MIN_RATE_N, SPECS, fmt
from medtune.io import write_json, write_jsonl, write_text

if TYPE_CHECKING:
    from medtune.evaluation.run import Row
    from medtune.evaluation.stats import Comparison, Interval

#: Below this many examples the report warns that bootstrap intervals are optimistic.
SMALL_SAMPLE = 30
#: A system whose share of looping answers reaches this gets a warning.
LOOP_WARNING = 0.2
_DIRECTION = {True: "higher is better", False: "lower is better", None: "no better direction"}
_ARROW = {"better": "▲ better", "worse": "▼ worse"}


def fmt_interval(metric: str, interval: Interval | dict[str, Any]) -> str:
    """``mean [low, high]`` of an Interval or its dict, with the n of rates (and a mark when
    too few to judge)."""
    i = interval if isinstance(interval, dict) else interval.to_dict()
    text = f"{fmt(metric, i['mean'])} [{fmt(metric, i['low'])}, {fmt(metric, i['high'])}]"
    return text + rate_n(metric, i["n"])


def rate_n(metric: str, n: int) -> str:
    """`` (n = 12, too few to judge)`` for a rate, else empty."""
    spec = SPECS.get(metric)
    if spec is None or not spec.rate:
        return ""
    return f" (n = {n}{', too few to judge' if n < MIN_RATE_N else ''})"


def verdict(metric: str, comparison: Comparison | dict[str, Any]) -> str:
    """better / worse / changed / no clear change / too few to judge (see MetricSpec.verdict)."""
    c = comparison if isinstance(comparison, dict) else comparison.to_dict()
    return SPECS[metric].verdict(c["delta"], c["significant"], c["n"])


def loop_warnings(summary: dict[str, Any], names: Mapping[str, str] | None = None) -> list[str]:
    """One warning per system whose answers often loop (content metrics then mean little);
    ``names`` shows systems under other names."""
    out = []
    for name, metrics in summary["systems"].items():
        loops = metrics.get("repetition")
        if loops and loops["mean"] >= LOOP_WARNING:
            shown = (names or {}).get(name, name)
            out.append(
                f"{round(loops['mean'] * loops['n'])} of {loops['n']} {shown} answers "
                f"({loops['mean']:.0%}) are repetition loops: read their other metrics with care"
            )
    return out


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


def weights_line(weights: dict[str, Any]) -> str:
    """``fp32, 16-bit (as the run trained)``: how the models were loaded."""
    bits = {4: "4-bit (nf4)", 8: "8-bit", 16: "16-bit"}[weights["bits"]]
    taken = weights["from_run"]
    source = "as the run trained" if len(taken) == 2 else f"{' and '.join(taken)} as the run trained"
    return f"{weights['precision']}, {bits}" + (f" ({source})" if taken else " (from the settings)")


def header(summary: dict[str, Any]) -> list[str]:
    """The facts every report opens with: model, data, decoding, backends."""
    data = summary["data"]
    if summary["model_path"] is None:  # eval --predictions-file
        source = f"`{data['path']}` (sha256 `{data['sha256']}`)"
        made = [f"- **Answers**: {data['num_examples']} read from {source}"]
    else:
        made = [
            f"- **Model**: `{summary['model_path']}`",
            *([f"- **Base model**: `{summary['base_model']}`"] if summary.get("base_model") else []),
            f"- **Data**: `{data['path']}` (sha256 `{data['sha256']}`), {data['num_examples']} examples",
            f"- **Weights**: {weights_line(summary['weights'])}",
            f"- **Decoding**: {_decoding(summary)}",
        ]
    lines = [
        *made,
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
        *(f"- **Warning**: {w}" for w in loop_warnings(summary)),
        "",
        f"## Results (mean [95% CI]; rates with their n, under {MIN_RATE_N} too few to judge)",
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
        *(
            f"- **{r.metric}** ({_DIRECTION[SPECS[r.metric].higher_is_better]}): {SPECS[r.metric].definition}"
            for r in rows
        ),
        "",
        f"The references themselves: diagnosis {rates['diagnosis']:.1%}, treatment {rates['treatment']:.1%}, "
        f"structure {rates['structure']:.1%}, urgent care {rates['urgent_care']:.1%}; "
        f"{rates['red_flag_questions']} of {summary['data']['num_examples']} questions describe "
        "emergency signs.",
        "",
    ]
    return "\n".join(lines)


def comparison_report(summary: dict[str, Any], rows: Sequence[Row]) -> str:
    """model_comparison.md: fine-tuned minus each other system, with CIs, p-values and a
    verdict that reads the metric's direction (a regression says "worse")."""
    lines = [
        "# Model comparison",
        "",
        *header(summary),
        *(f"- **Warning**: {w}" for w in loop_warnings(summary)),
    ]
    lines.append("")
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
            said = verdict(r.metric, c)
            body.append(
                [
                    r.metric,
                    fmt(r.metric, a.mean),
                    fmt(r.metric, b.mean),
                    fmt_delta(r.metric, c),
                    f"{c['p_value']:.4f}",
                    f"{c['won']}/{c['lost']}/{c['tied']}",
                    str(c["n"]),
                    f"**{_ARROW[said]}**" if said in _ARROW else said,
                ]
            )
        lines += [
            f"## {label}",
            "",
            *markdown_table(
                ["metric", "fine-tuned", other, "delta [95% CI]", "p", "won/lost/tied", "n", "verdict"], body
            ),
            "",
            "Verdict: better or worse when the 95% CI of the delta excludes zero, read in the metric's "
            f"direction; rates over fewer than {MIN_RATE_N} answers are too few to judge. Won/lost/tied: "
            f"answers where the fine-tuned one scored higher / lower / the same as {other}'s.",
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
