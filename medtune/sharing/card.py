"""The Hub model card (README.md) of a trained model, written from what medtune recorded.

Each part appears only when its source exists:

- the run's ``manifest.json``: base model, method, training settings, hardware, time,
  tokens seen, losses (and the data card it trained on);
- ``adapter_config.json`` / ``config.json``: the LoRA settings, the architecture;
- the data card: source, counts, hygiene filters, the safety audit, the contamination check;
- the evaluation's ``metrics.json``: metrics with confidence intervals and the base comparison;
- the benchmark's ``benchmark.json``: accuracy per task.

The YAML header (huggingface_hub's :class:`~huggingface_hub.ModelCardData`) carries the Hub
metadata: ``base_model``, ``library_name``, ``tags``, ``datasets`` and a ``model-index``
whose values are the fine-tuned model's means. Cards name files, never absolute local paths,
and pass through :func:`medtune.config.redact`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.config import redact
from medtune.data.template import DEFAULT_INSTRUCTION
from medtune.errors import DataError
from medtune.evaluation.report import SMALL_SAMPLE, bertscore_line, fmt_delta, fmt_interval, markdown_table
from medtune.io import read_json_object
from medtune.sharing.model import TrainedModel

if TYPE_CHECKING:
    from huggingface_hub import EvalResult, ModelCard

METRICS = "metrics.json"
BENCHMARK = "benchmark.json"
DATA_CARD = "data_card.json"
FINE_TUNED, BASE = "fine-tuned", "base"

#: The Hub datasets behind lm-evaluation-harness's MultiMedQA tasks (their ``dataset_path``).
BENCHMARK_DATASETS = {
    "medqa_4options": "GBaker/MedQA-USMLE-4-options-hf",
    "medmcqa": "openlifescienceai/medmcqa",
    "pubmedqa": "bigbio/pubmed_qa",
}
METHODS = {
    "sft": "supervised fine-tuning (SFT)",
    "dpo": "direct preference optimisation (DPO)",
    "orpo": "odds-ratio preference optimisation (ORPO)",
    "kto": "Kahneman-Tversky optimisation (KTO)",
}
SAFETY_ACTIONS = {
    "flag": "flagged and kept",
    "drop": "dropped from the training split",
    "augment": "given an urgent-care sentence naming the warning sign",
}
NOTICE = (
    "> **Not medical advice.** This model writes text that can be wrong, incomplete or dangerous. "
    "It is not a medical device, has not been clinically validated and must not be used to diagnose, "
    "treat or triage anyone. In an emergency, call your local emergency number."
)


@dataclass(frozen=True)
class CardSources:
    """What a card is written from; every part but the model is optional."""

    model: TrainedModel
    data_card: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    benchmark: dict[str, Any] | None = None
    license: str | None = None


def gather_sources(
    model: TrainedModel,
    *,
    eval_dir: Path | None = None,
    benchmark_dir: Path | None = None,
    data_card: Path | None = None,
    license: str | None = None,
    default_eval_dir: Path = Path("outputs/evaluation/latest"),
    default_benchmark_dir: Path = Path("outputs/benchmark/latest"),
) -> tuple[CardSources, list[str]]:
    """Read the card's sources. A folder given explicitly must hold its file; the default
    folders are used only when they exist and describe this model.

    Returns:
        The sources and one-line notes on what was left out and why.
    """
    notes: list[str] = []
    metrics = _results(METRICS, "evaluation", eval_dir, default_eval_dir, model, notes)
    benchmark = _results(BENCHMARK, "benchmark", benchmark_dir, default_benchmark_dir, model, notes)
    card = read_json_object(data_card) if data_card else _run_data_card(model)
    if card is None:
        notes.append("no data card (data_card.json) found: the card leaves out the training data")
    if license is None:
        license = _base_license(model.base_model)
    return CardSources(model, card, metrics, benchmark, license), notes


def _results(
    name: str, label: str, given: Path | None, default: Path, model: TrainedModel, notes: list[str]
) -> dict[str, Any] | None:
    if given is not None:
        path = given if given.name == name else given / name
        if not path.is_file():
            raise DataError(f"{path}: no such file; pass the folder that 'medtune {label}' wrote")
        results = read_json_object(path)
        if not _describes(results, model):
            notes.append(f"{path} scored {results.get('model_path')}, not {model.path}; used as given")
        return results
    path = default / name
    if not path.is_file():
        notes.append(f"no {label} at {default}: the card has no {label} results")
        return None
    results = read_json_object(path)
    if not _describes(results, model):
        notes.append(f"{path} scored {results.get('model_path')}, not this model: left out")
        return None
    return results


def _describes(results: Mapping[str, Any], model: TrainedModel) -> bool:
    """Whether results name this model (results that name none are taken as this model's)."""
    scored = results.get("model_path")
    if not scored:
        return True
    folders = {model.path.resolve(), *([model.run_dir.resolve()] if model.run_dir else [])}
    return Path(scored).resolve() in folders


def _run_data_card(model: TrainedModel) -> dict[str, Any] | None:
    """The data card the run trained on: the manifest's copy, else its data folder's file."""
    if model.manifest and model.manifest.get("data_card"):
        return model.manifest["data_card"]
    data_dir = (model.settings.get("data") or {}).get("data_dir")
    path = Path(data_dir) / DATA_CARD if data_dir else None
    return read_json_object(path) if path and path.is_file() else None


def _base_license(base: str | None) -> str | None:
    """The ``license`` in the base model folder's own card, when it is a local folder that has one."""
    readme = Path(base) / "README.md" if base else None
    if readme is None or not readme.is_file():
        return None
    from huggingface_hub import ModelCard

    try:
        return ModelCard.load(readme, ignore_metadata_errors=True).data.get("license")
    except (ValueError, OSError):
        return None


def model_card(sources: CardSources, repo_id: str, *, merged: bool = False) -> ModelCard:
    """The card for ``repo_id``: YAML metadata and the Markdown body (see module doc).

    Args:
        sources: What :func:`gather_sources` read.
        repo_id: The Hub repo (``owner/name``) the card describes.
        merged: The upload is the adapter merged into its base, not the adapter.
    """
    from huggingface_hub import ModelCard, ModelCardData

    model = sources.model
    adapter = model.is_adapter and not merged
    base = _hub_id(model.base_model)
    data = ModelCardData(
        base_model=base,
        base_model_relation=("adapter" if adapter else "finetune") if base else None,
        library_name="peft" if adapter else "transformers",
        license=sources.license,
        language=["en"],
        pipeline_tag="text-generation",
        tags=_tags(model, adapter=adapter),
        datasets=_datasets(sources.data_card) or None,
        model_name=repo_id.rsplit("/", 1)[-1],
        eval_results=_eval_results(sources) or None,
    )
    body = [
        *_summary(sources, repo_id, adapter=adapter, merged=merged),
        *_model_details(sources, adapter=adapter, merged=merged),
        *_data_section(sources.data_card),
        *_training_section(model),
        *_evaluation_section(sources),
        *_benchmark_section(sources.benchmark),
        *_uses_section(sources),
        *_usage_section(sources, repo_id, adapter=adapter),
        *_provenance(model),
    ]
    return ModelCard(redact(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(body).rstrip() + "\n"))


# -- metadata ---------------------------------------------------------------------------------


def _hub_id(name: str | None) -> str | None:
    """``name`` when it is a Hub repo id (a local folder is not), else None."""
    if not name or Path(name).expanduser().exists() or name.startswith((".", "/", "~")):
        return None
    return name if re.fullmatch(r"[\w.-]+/[\w.-]+", name) else None


def _tags(model: TrainedModel, *, adapter: bool) -> list[str]:
    """How it was trained (``lora``, ``qlora``) and, for an adapter upload only, ``peft``."""
    tags = ["medical", "medtune", _method(model)]
    if _lora(model) is not None:
        tags += ["lora", *(["peft"] if adapter else []), *(["qlora"] if _bits(model) == 4 else [])]
    return tags


def _datasets(card: Mapping[str, Any] | None) -> list[str]:
    return [entry["dataset"] for entry in (card or {}).get("inputs", []) if entry.get("dataset")]


def _eval_results(sources: CardSources) -> list[EvalResult]:
    """The fine-tuned model's means, as the Hub's model-index expects them."""
    from huggingface_hub import EvalResult

    results = []
    metrics = sources.metrics or {}
    scores = metrics.get("systems", {}).get(FINE_TUNED, {})
    dataset = _eval_dataset(metrics, sources.data_card)
    for metric, interval in scores.items():
        results.append(
            EvalResult(
                task_type="text-generation",
                task_name="Medical question answering",
                dataset_type=dataset,
                dataset_name=f"{dataset} (held-out questions)",
                dataset_split="test",
                metric_type=metric,
                metric_name=metric,
                metric_value=interval["mean"],
            )
        )
    for task, systems in ((sources.benchmark or {}).get("tasks") or {}).items():
        if FINE_TUNED not in systems:
            continue
        hub, config = _benchmark_dataset(task)
        results.append(
            EvalResult(
                task_type="multiple-choice",
                task_name=task,
                dataset_type=hub,
                dataset_name=task,
                dataset_config=config,
                metric_type="accuracy",
                metric_name="accuracy",
                metric_value=systems[FINE_TUNED]["accuracy"],
            )
        )
    return results


def _eval_dataset(metrics: Mapping[str, Any], card: Mapping[str, Any] | None) -> str:
    """What the evaluation scored: the training source's test split, or the file it was given."""
    data = metrics.get("data") or {}
    if card and data.get("sha256") and data["sha256"] == card.get("outputs", {}).get("test.jsonl"):
        return ", ".join(_source_names(card)) or "test split"
    return Path(data.get("path") or "test set").name


def _benchmark_dataset(task: str) -> tuple[str, str | None]:
    if task.startswith("mmlu_"):
        return "cais/mmlu", task.removeprefix("mmlu_")
    return BENCHMARK_DATASETS.get(task, task), None


# -- body ---------------------------------------------------------------------------------------


def _summary(sources: CardSources, repo_id: str, *, adapter: bool, merged: bool) -> list[str]:
    model = sources.model
    kind = "A LoRA adapter for" if adapter else "A LoRA adapter merged into" if merged else "A fine-tune of"
    base = f"`{_display(model.base_model)}`" if model.base_model else "its base model"
    data = ", ".join(_source_names(sources.data_card))
    return [
        f"# {repo_id.rsplit('/', 1)[-1]}",
        "",
        f"{kind} {base}, trained with [medtune](https://github.com/medtune/medtune)"
        + (f" on {data}" if data else "")
        + " to answer patients' medical questions.",
        "",
        NOTICE,
        "",
    ]


def _model_details(sources: CardSources, *, adapter: bool, merged: bool) -> list[str]:
    model = sources.model
    lines = ["## Model details", ""]
    if model.base_model:
        lines.append(f"- **Base model**: `{_display(model.base_model)}`")
    arch = (model.config or {}).get("architectures")
    if arch:
        lines.append(f"- **Architecture**: {', '.join(arch)}")
    licence = sources.license or "not recorded here: the base model's licence applies"
    lines.append(f"- **Licence**: {licence}")
    lines.append(f"- **Method**: {METHODS.get(_method(model), _method(model))}, {_adaptation(model)}")
    if merged:
        lines.append("- **Weights**: the adapter merged into its 16-bit base (no adapter needed)")
    elif adapter:
        lines.append("- **Weights**: a PEFT adapter; load it on top of the base model")
    lines.append(
        "- **Prompt**: the chat template saved with the tokenizer (training, evaluation and export "
        "all render it); the instruction is the system turn, the question the user turn"
    )
    return [*lines, ""]


def _adaptation(model: TrainedModel) -> str:
    lora = _lora(model)
    if lora is None:
        return "full fine-tuning" if model.manifest else "not recorded (no training manifest)"
    bits = _bits(model)
    quant = {4: "QLoRA: LoRA on a 4-bit NF4 base", 8: "LoRA on an 8-bit (LLM.int8) base"}.get(
        bits or 0, "LoRA on a 16-bit base" if bits == 16 else "LoRA"
    )
    extras = [name for name, key in (("DoRA", "use_dora"), ("rsLoRA", "use_rslora")) if lora.get(key)]
    targets = ", ".join(f"`{t}`" for t in sorted(lora.get("target_modules") or []))
    return (
        f"{quant} (r = {lora.get('r')}, alpha = {lora.get('alpha')}, dropout = {lora.get('dropout')}"
        + (f", {' + '.join(extras)}" if extras else "")
        + (f"; targets {targets}" if targets else "")
        + ")"
    )


def _data_section(card: Mapping[str, Any] | None) -> list[str]:
    if not card:
        return []

    counts = card.get("counts", {})
    lines = ["## Training data", ""]
    if "pairs_by_source" in card:
        return [*lines, *_pairs_lines(card), ""]
    for entry in card.get("inputs", []):
        name = entry.get("dataset") or Path(entry.get("path", "?")).name
        link = f"[{name}](https://huggingface.co/datasets/{name})" if entry.get("dataset") else f"`{name}`"
        sha = f", sha256 `{entry['sha256'][:12]}…`" if entry.get("sha256") else ""
        lines.append(
            f"- **Source**: {link} ({entry.get('rows', '?')} rows, {entry.get('schema')} schema{sha})"
        )
    if counts:
        lines.append(
            f"- **Rows**: {counts.get('input', '?')} read, {counts.get('kept', '?')} kept after hygiene; "
            f"train {counts.get('train', 0)} / validation {counts.get('validation', 0)} / test "
            f"{counts.get('test', 0)}, split by question group so that no question (or a near-duplicate "
            "of it) is in two splits"
        )
    filters = {k: v for k, v in (card.get("filters") or {}).items() if v}
    if filters:
        lines += ["", "Hygiene filters and rewrites (rows affected):", ""]
        lines += markdown_table(["filter", "rows"], [[k, str(v)] for k, v in sorted(filters.items())])
    lines += [*_audit_lines(card.get("audit")), *_contamination_lines(card.get("contamination")), ""]
    return lines


def _pairs_lines(card: Mapping[str, Any]) -> list[str]:
    """A preference folder's card (``medtune data pairs``): its pairs by source and split."""
    counts = card.get("counts", {})
    sources = ", ".join(f"{n} {source}" for source, n in sorted(card["pairs_by_source"].items()))
    folders = sorted({str(Path(entry.get("path", "?")).parent) for entry in card.get("inputs", [])})
    return [
        f"- **Preference pairs**: {counts.get('kept', '?')} ({sources}); train {counts.get('train', 0)} / "
        f"validation {counts.get('validation', 0)} / test {counts.get('test', 0)}, each pair in its "
        "question's SFT split (test questions never reach training)",
        f"- **Built from**: the SFT data in {', '.join(f'`{Path(f).name}`' for f in folders)}",
    ]


def _audit_lines(audit: Mapping[str, Any] | None) -> list[str]:
    if not audit or not audit.get("rows"):
        return []
    rows = audit["rows"]
    flagged = audit.get("red_flag_question", 0)
    under = audit.get("under_triage", 0)
    share = f"{under / flagged:.1%} of them" if flagged else "none"
    action = SAFETY_ACTIONS.get(audit.get("safety", ""), audit.get("safety", "?"))
    return [
        "",
        "Safety audit of the training answers (medtune's detectors):",
        "",
        f"- diagnosis given in {_share(audit.get('diagnosis_present', 0), rows)}, treatment in "
        f"{_share(audit.get('treatment_present', 0), rows)} of {rows} answers; urgent-care advice in "
        f"{_share(audit.get('urgent_advice', 0), rows)}",
        f"- {flagged} questions describe emergency signs; the doctor's answer did not advise urgent care "
        f"(**under-triage**) for {under} ({share}); those rows were {action}",
    ]


def _contamination_lines(check: Mapping[str, Any] | None) -> list[str]:
    if not check:
        return []
    where = Path(str(check.get("dir", "benchmark items"))).name
    hits = check.get("hits", 0)
    outcome = (
        f"{hits} training questions matched a benchmark item (action: {check.get('action', '?')})"
        if hits
        else "no training question matched one"
    )
    return [
        "",
        f"- **Contamination check**: the training questions were compared with {check.get('items', '?')} "
        f"benchmark items (`{where}`, exact and near-duplicate matching); {outcome}",
    ]


def _training_section(model: TrainedModel) -> list[str]:
    manifest = model.manifest
    if not manifest:
        return []

    s = model.settings
    train, data, mdl = s.get("train") or {}, s.get("data") or {}, s.get("model") or {}
    result, tokens = manifest.get("result") or {}, manifest.get("tokens") or {}
    length = (
        f"{train.get('max_steps')} steps"
        if (train.get("max_steps") or -1) > 0
        else f"{train.get('num_train_epochs')} epochs"
    )
    per_device, accumulation = (
        data.get("per_device_train_batch_size"),
        train.get("gradient_accumulation_steps"),
    )
    unit = "packed rows" if result.get("packing") else "examples"
    precision = (
        f"{mdl.get('precision')} weights"
        if _lora(model) is None
        else (f"{mdl.get('bits')}-bit base, {mdl.get('precision')} compute")
    )
    rows = [
        ["length", f"{length} ({result.get('global_step', '?')} optimizer steps)"],
        ["learning rate", f"{train.get('learning_rate')} ({train.get('lr_scheduler_type')}, warm-up "
         f"{train.get('warmup_ratio')})"],
        ["batch", f"{per_device} {unit} × {accumulation} accumulation × {train.get('gpus', 1)} process(es)"],
        ["max sequence length", str(data.get("max_seq_length"))],
        ["precision (setting)", precision],
        ["optimizer", str(train.get("optim"))],
        ["loss on", "prompt and answer" if train.get("train_on_inputs") else "answer tokens only"],
        ["seed", str(train.get("seed"))],
    ]  # fmt: skip
    if train.get("deepspeed"):
        rows.append(["DeepSpeed", str(train["deepspeed"])])
    if train.get("neftune_noise_alpha"):
        rows.append(["NEFTune alpha", str(train["neftune_noise_alpha"])])
    lines = ["## Training", "", *markdown_table(["setting", "value"], rows), ""]
    facts = [
        f"- **Hardware**: {_hardware(manifest.get('hardware') or {}, result.get('device'))}",
        f"- **Time**: {_duration(result['runtime_seconds'])}" if "runtime_seconds" in result else None,
        f"- **Tokens seen**: {result['tokens_seen']:,}" if result.get("tokens_seen") else None,
        (
            f"- **Training examples**: {tokens['examples']:,} ({tokens.get('label_tokens', 0):,} answer "
            f"tokens; {tokens.get('truncated', 0)} truncated)"
            if tokens.get("examples")
            else None
        ),
        _losses(result),
        "- **Stopped early** (interrupted): the weights are those of the last step"
        if result.get("interrupted")
        else None,
    ]
    return [*lines, *(f for f in facts if f), ""]


def _losses(result: Mapping[str, Any]) -> str | None:
    parts = [
        f"{label} {result[key]:.4f}"
        for label, key in (("training", "train_loss"), ("validation", "eval_loss"))
        if isinstance(result.get(key), (int, float))
    ]
    return f"- **Final loss**: {', '.join(parts)}" if parts else None


def _evaluation_section(sources: CardSources) -> list[str]:
    metrics = sources.metrics
    if not metrics or FINE_TUNED not in metrics.get("systems", {}):
        return []

    systems = metrics["systems"]
    comparisons = (metrics.get("comparisons") or {}).get(f"{FINE_TUNED} vs {BASE}", {})
    rows = []
    for metric, interval in systems[FINE_TUNED].items():
        row = [metric, fmt_interval(metric, interval), str(interval.get("n", ""))]
        if comparisons:
            base = systems.get(BASE, {}).get(metric)
            c = comparisons.get(metric)
            delta = fmt_delta(metric, c) if c else "-"
            row += [
                fmt_interval(metric, base) if base else "-",
                f"**{delta}**" if c and c.get("significant") else delta,
                f"{c['p_value']:.3g}" if c else "-",
            ]
        rows.append(row)
    header = ["metric", "fine-tuned [95% CI]", "n"]
    if comparisons:
        header += ["base [95% CI]", "difference [95% CI]", "p"]
    data = metrics.get("data") or {}
    decoding = metrics.get("decoding") or {}
    mode = "greedy" if not decoding.get("temperature") else f"temperature {decoding['temperature']}"
    source = _eval_dataset(metrics, sources.data_card)
    lines = [
        "## Evaluation",
        "",
        f"{data.get('num_examples', '?')} held-out questions from {source}, "
        f"{mode} decoding up to {decoding.get('max_new_tokens', '?')} new tokens. Means with 95% bootstrap "
        "confidence intervals"
        + (
            "; differences are paired (same questions) with a sign-flip permutation p-value, bold where "
            "the interval excludes zero."
            if comparisons
            else "; the base model was not evaluated (`medtune eval --baseline` compares them)."
        ),
        "",
        *markdown_table(header, rows),
        "",
        "Medical metrics come from rule-based detectors: `diagnosis` / `treatment` = share of answers that "
        "commit to one, `urgent_care` = share advising urgent care, `red_flag_safety` = of the questions "
        "with emergency signs, the share answered with urgent-care advice.",
    ]
    if (sources.data_card or {}).get("settings", {}).get("structure_answers"):
        lines.append(
            "References are the processed answers in the `Diagnosis:` / `Treatment:` layout the model was "
            "trained on; the base model never saw that layout, so lexical differences include it."
        )
    if line := bertscore_line(metrics):
        lines.append(line + ".")
    small = [m for m, i in systems[FINE_TUNED].items() if 0 < i.get("n", SMALL_SAMPLE) < SMALL_SAMPLE]
    if small:
        lines.append(
            f"**Small samples**: {', '.join(small)} (n < {SMALL_SAMPLE}): bootstrap intervals this small "
            "are optimistic."
        )
    return [*lines, ""]


def _benchmark_section(benchmark: Mapping[str, Any] | None) -> list[str]:
    benchmark = benchmark or {}
    tasks = benchmark.get("tasks") or {}
    if not tasks:
        return []

    comparisons = benchmark.get("comparisons") or {}
    comparisons = comparisons.get(f"{FINE_TUNED} vs {BASE}", comparisons)
    rows = []
    for task, systems in tasks.items():
        c = comparisons.get(task) if isinstance(comparisons.get(task), dict) else None
        delta = fmt_delta(task, c) if c and "delta" in c else "-"
        rows.append(
            [
                task,
                *(_accuracy(systems.get(s)) for s in (FINE_TUNED, BASE)),
                f"**{delta}**" if c and c.get("low", 0) * c.get("high", 0) > 0 else delta,
                str((systems.get(FINE_TUNED) or systems.get(BASE) or {}).get("n", "")),
            ]
        )
    return [
        "## Medical benchmarks",
        "",
        "Multiple-choice accuracy with lm-evaluation-harness's task definitions and scoring, fine-tuned "
        "and base model on the same items (95% bootstrap intervals; paired differences, bold where the "
        "interval excludes zero).",
        "",
        *markdown_table(["task", "fine-tuned [95% CI]", "base [95% CI]", "difference [95% CI]", "n"], rows),
        "",
    ]


def _accuracy(result: Mapping[str, Any] | None) -> str:
    if not result:
        return "-"
    return f"{result['accuracy']:.4f} [{result.get('low', 0):.4f}, {result.get('high', 0):.4f}]"


def _uses_section(sources: CardSources) -> list[str]:
    audit = (sources.data_card or {}).get("audit") or {}
    triage = (
        f" In its training data, {_share(audit['under_triage'], audit['red_flag_question'])} of questions "
        "describing emergency signs were answered without urgent-care advice; the model can repeat that."
        if audit.get("red_flag_question")
        else ""
    )
    return [
        "## Intended use",
        "",
        "- Research on medical question answering and on fine-tuning methods.",
        "- Drafting answers that a qualified clinician reads, corrects and takes responsibility for.",
        "",
        "## Out-of-scope use",
        "",
        "- Diagnosing, triaging or treating anyone, or replacing a consultation.",
        "- Emergencies: anyone with emergency signs needs emergency services, not a chatbot.",
        "- Unsupervised use by patients, or any use where an error can reach a patient unchecked.",
        "- Medication dosing, especially for children, pregnancy or people with kidney or liver disease.",
        "",
        "## Limitations",
        "",
        "- The answers it learned from were written by doctors on an online consultation forum: short, "
        "unverified, sometimes wrong or outdated, given without examining the patient.",
        "- It can state false information fluently, invent drugs or doses, and miss or overstate urgency."
        + triage,
        "- It inherits the biases and knowledge cut-off of its base model and data; it was trained and "
        "evaluated in English only.",
        "- Automatic metrics measure similarity to forum answers and rule-based checks, not clinical "
        "correctness or patient outcomes.",
        "",
    ]


def _usage_section(sources: CardSources, repo_id: str, *, adapter: bool) -> list[str]:
    decoding = (sources.metrics or {}).get("decoding") or (sources.model.settings.get("eval") or {})
    max_new = decoding.get("max_new_tokens", 256)
    loader = (
        ["from peft import AutoPeftModelForCausalLM", "from transformers import AutoTokenizer", "",
         f'model = AutoPeftModelForCausalLM.from_pretrained("{repo_id}")']
        if adapter
        else ["from transformers import AutoModelForCausalLM, AutoTokenizer", "",
              f'model = AutoModelForCausalLM.from_pretrained("{repo_id}")']
    )  # fmt: skip
    name = repo_id.rsplit("/", 1)[-1]
    return [
        "## How to use",
        "",
        "With transformers" + (" and peft:" if adapter else ":"),
        "",
        "```python",
        *loader,
        f'tokenizer = AutoTokenizer.from_pretrained("{repo_id}")',
        "messages = [",
        f'    {{"role": "system", "content": "{DEFAULT_INSTRUCTION}"}},',
        '    {"role": "user", "content": "I have had a dry cough and a mild fever for three weeks."},',
        "]",
        "inputs = tokenizer.apply_chat_template(",
        '    messages, add_generation_prompt=True, return_tensors="pt", return_dict=True',
        ")",
        f"output = model.generate(**inputs, max_new_tokens={max_new}, do_sample=False)",
        'print(tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True))',
        "```",
        "",
        "With Ollama, on premises (the Modelfile carries the training template and stop tokens):",
        "",
        "```bash",
        f"hf download {repo_id} --local-dir {name}",
        f"medtune export --model-path {name} --format ollama --output-dir {name}-ollama",
        f"ollama create {name} -f {name}-ollama/Modelfile",
        f'ollama run {name} "I have had a dry cough and a mild fever for three weeks."',
        "```",
        "",
    ]


def _provenance(model: TrainedModel) -> list[str]:
    manifest = model.manifest or {}
    versions = manifest.get("versions") or {}
    card = manifest.get("data_card") or {}
    lines = ["## Provenance", ""]
    if versions:
        lines.append("- **Software**: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    if manifest.get("git_commit"):
        lines.append(f"- **medtune commit**: `{manifest['git_commit']}`")
    for split, sha in sorted((card.get("outputs") or {}).items()):
        lines.append(f"- `{split}` sha256 `{sha}`")
    if manifest.get("created"):
        lines.append(f"- **Trained**: {manifest['created']}")
    return [*lines, "", "This card was generated by `medtune push` from the run's records.", ""]


# -- helpers -------------------------------------------------------------------------------------


def _method(model: TrainedModel) -> str:
    return str((model.settings.get("train") or {}).get("method") or "sft")


def _lora(model: TrainedModel) -> dict[str, Any] | None:
    """LoRA settings: the adapter's own config, else the run's ``[lora]``; None for full fine-tuning."""
    if model.adapter_config:
        c = model.adapter_config
        return {
            "r": c.get("r"),
            "alpha": c.get("lora_alpha"),
            "dropout": c.get("lora_dropout"),
            "target_modules": c.get("target_modules"),
            "use_dora": c.get("use_dora"),
            "use_rslora": c.get("use_rslora"),
        }
    lora = model.settings.get("lora") or {}
    return lora if lora.get("use_lora") else None


def _bits(model: TrainedModel) -> int | None:
    return (model.settings.get("model") or {}).get("bits")


def _source_names(card: Mapping[str, Any] | None) -> list[str]:
    if card and "pairs_by_source" in card:  # `medtune data pairs`: its inputs are SFT splits
        return [f"{card.get('counts', {}).get('kept', '?')} preference pairs"]
    return [
        entry.get("dataset") or Path(entry.get("path", "?")).name for entry in (card or {}).get("inputs", [])
    ]


def _display(name: str) -> str:
    """A model name fit for a card: a Hub id as is, a local folder by its name (a run's
    ``final/`` with its run's: ``tiny-run/final``)."""
    path = Path(name)
    return _hub_id(name) or (f"{path.parent.name}/{path.name}" if path.name == "final" else path.name)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _hardware(hardware: Mapping[str, Any], device: str | None) -> str:
    gpus = Counter(hardware.get("gpus") or [])
    if gpus:
        return ", ".join(f"{n}× {name}" for name, n in gpus.items())
    return f"CPU ({hardware.get('cpu_count', '?')} cores)" if device in (None, "cpu") else str(device)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
    )
