"""Numbers over all analysed predictions: error counts, fixed/introduced, metric means,
specialties and the worst examples. Pure computation, no files."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from medtune.analysis.error_types import ERROR_NAMES, fixed_and_introduced
from medtune.analysis.records import Analysed
from medtune.medical.specialty import SPECIALTIES

#: Metrics tried in turn as the one that ranks examples and specialties.
PRIMARY_METRICS = ("rougel", "rougelsum", "bertscoref1", "chrf", "bleu")
#: Order of metrics in the distribution plot (after the primary one; others follow by name).
PLOT_ORDER = ("rougel", "bertscoref1", "chrf", "bleu", "rouge1", "rouge2", "rougelsum", "termratio")
#: Metrics shown at most in the distribution plot.
MAX_PLOTTED_METRICS = 6
WORST_COUNT = 3


@dataclass
class SpecialtyStat:
    """One specialty: how many examples, their mean primary metric, and their error share."""

    specialty: str
    count: int
    score: float | None
    baseline_score: float | None
    error_share: float


@dataclass
class Summary:
    """Everything the report, the plots and the terminal show."""

    n_examples: int
    n_baseline: int
    primary_metric: str | None
    metric_means: dict[str, tuple[float, float | None]]
    error_counts: dict[str, int]
    baseline_error_counts: dict[str, int]
    fixed: dict[str, int]
    introduced: dict[str, int]
    specialties: list[SpecialtyStat]
    worst: list[Analysed] = field(default_factory=list)
    #: Medications named in neither the question nor the reference, with how many answers
    #: name each (for review, not counted as errors).
    review_medications: dict[str, int] = field(default_factory=dict)
    answers_to_review: int = 0

    @property
    def top_errors(self) -> list[tuple[str, int]]:
        """Error types by count, most frequent first (zeros dropped)."""
        return [(n, c) for n, c in sorted(self.error_counts.items(), key=lambda kv: -kv[1]) if c]

    @property
    def weakest_specialties(self) -> list[SpecialtyStat]:
        """Specialties by mean primary metric, lowest first (else by error share)."""
        if self.primary_metric is None:
            return sorted(self.specialties, key=lambda s: -s.error_share)
        return sorted(self.specialties, key=lambda s: (s.score is None, s.score))


def _normalised(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def primary_metric(records: list[Analysed]) -> str | None:
    """The metric that ranks examples: the first of :data:`PRIMARY_METRICS` present."""
    names = {_normalised(n): n for r in records for n in r.scores}
    for wanted in PRIMARY_METRICS:
        if wanted in names:
            return names[wanted]
    return min(names.values(), default=None)


def plotted_metrics(records: list[Analysed], primary: str | None) -> list[str]:
    """Metrics with a distribution worth plotting (not 0/1 flags), primary first, then in
    :data:`PLOT_ORDER`."""
    values: dict[str, set[float]] = {}
    for r in records:
        for name, value in r.scores.items():
            values.setdefault(name, set()).add(value)
    graded = [n for n, v in values.items() if not v <= {0.0, 1.0}]

    def rank(name: str) -> tuple[int, str]:
        key = _normalised(name)
        order = PLOT_ORDER.index(key) if key in PLOT_ORDER else len(PLOT_ORDER)
        return (-1 if name == primary else order), name

    return sorted(graded, key=rank)[:MAX_PLOTTED_METRICS]


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def metric_means(records: list[Analysed]) -> dict[str, tuple[float, float | None]]:
    """Mean of every metric, fine-tuned and (where scored) baseline."""
    names = sorted({n for r in records for n in r.scores})
    means = {}
    for name in names:  # every name comes from some record's scores: its mean exists
        tuned = statistics.fmean(r.scores[name] for r in records if name in r.scores)
        base = _mean([r.baseline_scores[name] for r in records if name in r.baseline_scores])
        means[name] = (tuned, base)
    return means


def _specialty_stats(records: list[Analysed], metric: str | None) -> list[SpecialtyStat]:
    stats = []
    for specialty in SPECIALTIES:
        group = [r for r in records if r.specialty == specialty]
        if not group:
            continue
        stats.append(
            SpecialtyStat(
                specialty=specialty,
                count=len(group),
                score=_mean([r.scores[metric] for r in group if metric in r.scores]) if metric else None,
                baseline_score=_mean(
                    [r.baseline_scores[metric] for r in group if metric in r.baseline_scores]
                )
                if metric
                else None,
                error_share=sum(bool(r.errors) for r in group) / len(group),
            )
        )
    return stats


def worst_examples(records: list[Analysed], metric: str | None, k: int = WORST_COUNT) -> list[Analysed]:
    """The ``k`` examples with the lowest primary metric (ties: more error types first)."""

    def badness(r: Analysed) -> tuple[float, int]:
        score = r.scores.get(metric, float("inf")) if metric else 0.0
        return score, -len(r.errors)

    return sorted(records, key=badness)[:k]


def summarize(records: list[Analysed]) -> Summary:
    """Count and rank everything in ``records``."""
    metric = primary_metric(records)
    with_base = [r for r in records if r.baseline_errors is not None]
    fixed: Counter[str] = Counter()
    introduced: Counter[str] = Counter()
    for r in with_base:
        f, i = fixed_and_introduced(r.baseline_errors or [], r.errors)
        fixed.update(f)
        introduced.update(i)
    tuned = Counter(e for r in records for e in r.errors)
    base = Counter(e for r in with_base for e in r.baseline_errors or [])
    return Summary(
        n_examples=len(records),
        n_baseline=len(with_base),
        primary_metric=metric,
        metric_means=metric_means(records),
        error_counts={n: tuned[n] for n in ERROR_NAMES},
        baseline_error_counts={n: base[n] for n in ERROR_NAMES} if with_base else {},
        fixed={n: fixed[n] for n in ERROR_NAMES} if with_base else {},
        introduced={n: introduced[n] for n in ERROR_NAMES} if with_base else {},
        specialties=_specialty_stats(records, metric),
        worst=worst_examples(records, metric),
        review_medications=dict(Counter(m for r in records for m in r.unsupported_medications).most_common()),
        answers_to_review=sum(bool(r.unsupported_medications) for r in records),
    )
