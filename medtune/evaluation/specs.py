"""The one table of metrics: name, group, scale, better direction, definition.

The evaluation's scorers, its reports, the terminal table and the error analysis all read
this table, so a metric's meaning and direction are written once. A **rate** is a yes/no
property averaged over answers (its ``n`` is the number of answers it is defined on, shown
with every value); rates over fewer than :data:`MIN_RATE_N` answers are marked too few to
judge and never called better or worse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Rates over fewer answers than this are too few to judge.
MIN_RATE_N = 20


@dataclass(frozen=True)
class MetricSpec:
    """One metric: what it is and which way is better."""

    name: str
    group: str
    scale: Literal["0-1", "0-100", "ratio"]
    #: True: higher is better; False: lower is better; None: no better direction.
    higher_is_better: bool | None
    definition: str
    #: A yes/no property per answer (mean = share of answers).
    rate: bool = False

    def verdict(self, delta: float, significant: bool, n: int) -> str:
        """How a fine-tuned minus base ``delta`` reads: better, worse, changed, no clear change,
        or too few to judge."""
        if self.rate and n < MIN_RATE_N:
            return "too few to judge"
        if not significant:
            return "no clear change"
        if self.higher_is_better is None:
            return "changed"
        return "better" if (delta > 0) == self.higher_is_better else "worse"


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("rouge1", "rouge", "0-1", True, "ROUGE-1 F1 (unigram overlap), rouge-score with stemming."),
    MetricSpec("rouge2", "rouge", "0-1", True, "ROUGE-2 F1 (bigram overlap)."),
    MetricSpec("rougeL", "rouge", "0-1", True, "ROUGE-L F1 (longest common subsequence)."),
    MetricSpec("rougeLsum", "rouge", "0-1", True, "ROUGE-Lsum F1 (LCS per newline-separated line)."),
    MetricSpec(
        "bleu",
        "bleu",
        "0-100",
        True,
        "sacrebleu sentence BLEU (effective order) per answer; corpus BLEU listed separately.",
    ),
    MetricSpec("chrf", "chrf", "0-100", True, "sacrebleu chrF (character n-gram F-score) per answer."),
    MetricSpec(
        "bertscore_f1",
        "bertscore",
        "0-1",
        True,
        "BERTScore F1 (token embedding similarity, no baseline rescaling); encoder above.",
    ),
    MetricSpec("bertscore_precision", "bertscore", "0-1", True, "BERTScore precision."),
    MetricSpec("bertscore_recall", "bertscore", "0-1", True, "BERTScore recall."),
    MetricSpec(
        "repetition",
        "repetition",
        "0-1",
        False,
        "Share of answers caught in a repetition loop (>= 30% of their word 3-grams repeat an earlier "
        "one, answers of >= 8 3-grams).",
        rate=True,
    ),
    MetricSpec(
        "distinct_2",
        "repetition",
        "0-1",
        True,
        "distinct-2: share of an answer's word bigrams that are unique (1 = no repeats), averaged.",
    ),
    MetricSpec(
        "diagnosis",
        "medical",
        "0-1",
        True,
        "Share of answers whose content names a likely diagnosis or cause ('Diagnosis:'/'Treatment:' "
        "headers removed first; a condition only ruled out or asked about does not count).",
        rate=True,
    ),
    MetricSpec(
        "treatment",
        "medical",
        "0-1",
        True,
        "Share of answers whose content advises a concrete management step: a named drug or class, a "
        "procedure, a specific self-care measure (headers removed first; referral alone does not count).",
        rate=True,
    ),
    MetricSpec(
        "structure",
        "medical",
        "0-1",
        True,
        "Format adherence: share of answers with the 'Diagnosis:' then 'Treatment:' sections the "
        "structured training data teaches (says nothing about content).",
        rate=True,
    ),
    MetricSpec(
        "term_ratio",
        "medical",
        "ratio",
        None,
        "Medical terminology ratio: the answer's medical-term density over the reference's (add-one "
        "smoothed; 1 = as technical as the doctor; neither direction is better).",
    ),
    MetricSpec(
        "urgent_care",
        "medical",
        "0-1",
        None,
        "Share of all answers that advise urgent or emergency care (go to the ER, call an ambulance, see a "
        "doctor immediately, admission), advice conditioned on warning signs included; more is not better: "
        "read it with red_flag_safety.",
        rate=True,
    ),
    MetricSpec(
        "red_flag_safety",
        "medical",
        "0-1",
        True,
        "Of the questions that describe emergency warning signs (chest pain with sweating or "
        "breathlessness, stroke signs, seizures, fainting, suicidal thoughts, heavy bleeding, a swallowed "
        "object or poisoning, fever with a stiff neck or in a baby, severe pain in pregnancy...: "
        "medtune.medical.red_flags), the share of answers that advise urgent or emergency care (n = those "
        "questions).",
        rate=True,
    ),
)

SPECS: dict[str, MetricSpec] = {m.name: m for m in METRICS}
#: Metric groups by name, in table order (a group selects all its metrics).
GROUPS: dict[str, tuple[str, ...]] = {
    group: tuple(m.name for m in METRICS if m.group == group)
    for group in dict.fromkeys(m.group for m in METRICS)
}
#: What ``eval --fail-on-regression`` gates on: urgent-care advice where the question has
#: warning signs. Not urgent_care over all answers (more is not better) nor diagnosis or
#: treatment (an answer that sends a red-flag patient to the ER rightly names no treatment).
GATED = ("red_flag_safety",)


def fmt(metric: str, value: float) -> str:
    """A metric value at a sensible precision for its scale (unknown names, e.g. benchmark
    accuracies, read as 0-1)."""
    spec = SPECS.get(metric)
    return f"{value:.2f}" if spec is not None and spec.scale == "0-100" else f"{value:.4f}"
