"""Settings: one validated model per job, layered from four sources.

Lowest to highest: field defaults < TOML file (``--config PATH``, else ``$MEDTUNE_CONFIG``,
else ``./medtune.toml``) < ``MEDTUNE_<SECTION>__<KEY>`` environment variables < CLI flags.
The layers are merged into one dict and validated once with ``extra="forbid"``, so a
typo'd key, a wrong type or an impossible value is a :class:`ConfigError` naming the key
and where it came from. Secrets are never settings: see :class:`Secrets`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from medtune.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ENV_PREFIX = "MEDTUNE_"
DEFAULT_CONFIG = Path("medtune.toml")
#: Environment variables with the prefix that are not settings.
RESERVED_ENV = {"MEDTUNE_CONFIG", "MEDTUNE_DEBUG"}

LLAMA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class Section(BaseModel):
    """A settings section: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, protected_namespaces=())


class ModelSettings(Section):
    """[model]: which base model to load and how."""

    model_name: str = Field(
        "meta-llama/Llama-3.1-8B-Instruct", description="Hub repo id or local folder of the base model."
    )
    tokenizer_name: str | None = Field(
        None, examples=["models/llama31-8b"], description="Tokenizer repo/folder; default: model_name."
    )
    revision: str | None = Field(None, examples=["main"], description="Hub revision (branch, tag or commit).")
    cache_dir: str | None = Field(
        None, examples=["~/.cache/huggingface/hub"], description="Hub download cache; default: the HF cache."
    )
    trust_remote_code: bool = Field(False, description="Run modelling code shipped with the repo.")
    use_local_model: bool = Field(False, description="Never touch the hub; model_name must be local.")
    precision: Literal["fp32", "fp16", "bf16"] = Field(
        "bf16", description="Dtype of non-quantized weights and 4-bit compute."
    )
    bits: Literal[4, 8, 16] = Field(4, description="4 = QLoRA (nf4), 8 = LLM.int8, 16 = no quantization.")
    attn_implementation: Literal["auto", "sdpa", "eager", "flash_attention_2"] = Field(
        "auto", description="auto = flash_attention_2 when installed on a GPU, else sdpa."
    )
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="auto = CUDA when present.")

    @field_validator("bits", mode="before")
    @classmethod
    def _bits_from_text(cls, value: Any) -> Any:
        """``MEDTUNE_MODEL__BITS=8`` arrives as text; a Literal of ints takes no text."""
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value


class LoraSettings(Section):
    """[lora]: the LoRA adapter (off = full fine-tuning)."""

    use_lora: bool = Field(True, description="Train a LoRA adapter; false = full fine-tuning.")
    r: int = Field(16, gt=0, description="Rank: higher increases capacity and memory.")
    alpha: int = Field(32, gt=0, description="Scaling numerator (scale = alpha / r).")
    dropout: float = Field(0.05, ge=0.0, lt=1.0, description="Dropout on the LoRA path.")
    bias: Literal["none", "all", "lora_only"] = Field("none", description="Which biases train.")
    target_modules: list[str] = Field(
        default_factory=lambda: list(LLAMA_TARGETS), description="Linear layers that get adapters."
    )
    use_dora: bool = Field(False, description="DoRA: weight-decomposed LoRA (better at low rank, slower).")
    use_rslora: bool = Field(False, description="rsLoRA: scale alpha / sqrt(r) instead of alpha / r.")


class DataSettings(Section):
    """[data]: raw source, hygiene, split and sequence limits."""

    dataset: str = Field(
        "lavita/ChatDoctor-HealthCareMagic-100k", description="Hub dataset id used with --download."
    )
    raw_dir: str = Field("data/raw", description="Local raw files (json/jsonl/csv/parquet).")
    data_dir: str = Field("data/processed", description="Processed splits + data_card.json.")
    question_field: str | None = Field(
        None, examples=["question"], description="Question column for custom schemas."
    )
    answer_field: str | None = Field(
        None, examples=["answer"], description="Answer column for custom schemas."
    )
    strip_chatdoctor: bool = Field(True, description="Remove the scraper's inserted 'Chat Doctor'.")
    normalize_text: bool = Field(True, description="Fix whitespace and stray encodings (mojibake).")
    min_answer_words: int = Field(5, ge=0, description="Drop answers shorter than this.")
    min_question_words: int = Field(3, ge=0, description="Drop questions shorter than this.")
    drop_truncated: bool = Field(False, description="Drop answers cut off mid-sentence (else flag).")
    dedupe: bool = Field(True, description="Drop exact and normalised-question duplicates.")
    structure_answers: bool = Field(True, description="Rewrite answers as Diagnosis:/Treatment:.")
    safety: Literal["flag", "drop", "augment"] = Field(
        "flag",
        description="Under-triaged rows (red-flag question, no urgent advice): flag them, drop them from "
        "training, or augment the answer with an urgent-care sentence naming the warning signs.",
    )
    max_samples: int | None = Field(
        None, examples=[10000], gt=0, description="Keep at most this many rows (after hygiene)."
    )
    contamination_dir: str | None = Field(
        None,
        examples=["data/benchmarks"],
        description="Benchmark releases ([benchmark] data_dir layout) to check questions against.",
    )
    contamination_action: Literal["flag", "drop"] = Field(
        "flag", description="flag = count and flag benchmark near-duplicates; drop = also remove them."
    )
    train_ratio: float = Field(0.8, gt=0.0, lt=1.0, description="Share of questions for training.")
    val_ratio: float = Field(0.1, ge=0.0, lt=1.0, description="Share for validation.")
    test_ratio: float = Field(0.1, ge=0.0, lt=1.0, description="Share for test.")
    split_seed: int = Field(42, description="Seed of the deterministic split.")
    max_seq_length: int = Field(4096, gt=0, description="Tokens per training example (longer = truncated).")
    per_device_train_batch_size: int = Field(2, gt=0, description="Examples per device per step.")
    per_device_eval_batch_size: int = Field(2, gt=0, description="Examples per device in evaluation.")

    @model_validator(mode="after")
    def _ratios_sum_to_one(self) -> DataSettings:
        total = self.train_ratio + self.val_ratio + self.test_ratio
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"train_ratio + val_ratio + test_ratio must be 1, got {total:g}")
        return self


class TrainSettings(Section):
    """[train]: the optimisation run."""

    method: Literal["sft", "dpo", "orpo", "kto"] = Field(
        "sft",
        description="sft = supervised fine-tuning on answers; dpo, orpo = preference tuning on chosen/"
        "rejected pairs, kto = on answers labelled desirable or not (TRL's trainers; see [preference]).",
    )
    init_adapter: str | None = Field(
        None,
        examples=["outputs/llama31-8b-medical/final"],
        description="LoRA adapter folder to continue training (e.g. an SFT run's final/); the base model "
        "is the adapter's own, its LoRA settings replace [lora].",
    )
    output_dir: str = Field("outputs/llama31-8b-medical", description="Checkpoints, final/, manifest.")
    learning_rate: float = Field(2e-4, gt=0.0, description="Peak learning rate.")
    num_train_epochs: float = Field(3.0, gt=0.0, description="Passes over the training split.")
    max_steps: int = Field(-1, description="Stop after this many optimizer steps (-1 = epochs decide).")
    warmup_ratio: float = Field(0.1, ge=0.0, lt=1.0, description="Share of steps spent warming up.")
    lr_scheduler_type: str = Field("cosine", description="transformers scheduler name.")
    weight_decay: float = Field(0.0, ge=0.0, description="AdamW weight decay.")
    max_grad_norm: float = Field(1.0, ge=0.0, description="Gradient clipping (0 = off).")
    optim: str = Field(
        "auto",
        description="auto = paged 8-bit AdamW for 4/8-bit on GPU, else fused AdamW; or a transformers name.",
    )
    neftune_noise_alpha: float | None = Field(
        None,
        gt=0.0,
        examples=[5.0],
        description="NEFTune: noise on the embeddings while training (5 is usual).",
    )
    gradient_accumulation_steps: int = Field(4, gt=0, description="Micro-batches per optimizer step.")
    gradient_checkpointing: bool = Field(True, description="Recompute activations: less memory, ~30% slower.")
    packing: Literal["auto", "true", "false"] = Field(
        "auto", description="auto packs on CUDA GPUs (5x on an H100) and pads on the CPU."
    )
    train_on_inputs: bool = Field(False, description="Also compute loss on prompt tokens.")
    chunked_cross_entropy: bool = Field(
        True, description="Loss from hidden states a chunk at a time: no full-vocabulary logits tensor."
    )
    torch_compile: bool = Field(
        False,
        description="torch.compile the model: ~10% faster CPU steps after ~1.5 min of compiling on first "
        "use (seconds once cached), so short runs lose (bench/train_throughput.py).",
    )
    logging_steps: int = Field(10, gt=0, description="Log every N steps.")
    eval_steps: int = Field(200, gt=0, description="Evaluate on validation every N steps.")
    save_steps: int = Field(200, gt=0, description="Checkpoint every N steps.")
    save_total_limit: int = Field(3, gt=0, description="Keep the newest K checkpoints.")
    deepspeed: str | None = Field(
        None, examples=["zero3"], description="zero2, zero3 or a DeepSpeed JSON path."
    )
    gpus: int = Field(1, ge=1, description="Processes to launch (torchrun) on this node.")
    fp16: bool = Field(False, description="fp16 mixed precision (GPU only).")
    bf16: bool = Field(True, description="bf16 mixed precision where supported.")
    seed: int = Field(42, description="Seed for data order, dropout and init.")
    report_to: list[str] = Field(
        default_factory=lambda: ["tensorboard"], description="tensorboard, wandb and/or none."
    )
    resume_from_checkpoint: str | None = Field(
        None, examples=["auto"], description="Checkpoint folder or 'auto'."
    )

    @model_validator(mode="after")
    def _one_mixed_precision(self) -> TrainSettings:
        if self.fp16 and self.bf16:
            raise ValueError("fp16 and bf16 cannot both be true")
        return self


class PreferenceSettings(Section):
    """[preference]: DPO, ORPO and KTO (train.method), run by TRL's trainers."""

    beta: float = Field(
        0.1,
        gt=0.0,
        description="DPO/KTO: how far from the reference model training may move (higher = closer); ORPO: "
        "weight of the odds-ratio term.",
    )
    loss_type: str | None = Field(
        None,
        examples=["sigmoid"],
        description="DPO: sigmoid (default), ipo, hinge, robust, ... (TRL's DPO losses); KTO: kto "
        "(default) or apo_zero_unpaired; ORPO has one loss.",
    )


class EvalSettings(Section):
    """[eval]: generation and scoring."""

    model_path: str | None = Field(
        None,
        examples=["outputs/llama31-8b-medical/final"],
        description="Adapter or merged model to evaluate.",
    )
    base_model: str | None = Field(
        None,
        examples=["meta-llama/Llama-3.1-8B-Instruct"],
        description="Base for --baseline; default: the adapter's.",
    )
    data_path: str | None = Field(
        None, examples=["data/processed/test.jsonl"], description="Test file; default: <data_dir>/test.jsonl."
    )
    output_dir: str = Field("outputs/evaluation", description="A stamped folder per run goes here.")
    run_dir: str | None = Field(
        None,
        examples=["outputs/evaluation/my-run"],
        description="Exact folder for this evaluation; reuse it to resume. Default: output_dir/<stamp>.",
    )
    predictions_file: str | None = Field(
        None,
        examples=["answers.jsonl"],
        description="Score answers made elsewhere (JSONL: question, reference, prediction, optional id, "
        "baseline_prediction) instead of generating; no model is loaded.",
    )
    baseline: bool = Field(False, description="Also evaluate the base model and compare.")
    num_samples: int | None = Field(None, examples=[200], gt=0, description="Evaluate the first N examples.")
    temperature: float = Field(0.0, ge=0.0, description="0 = greedy decoding.")
    top_p: float = Field(0.9, gt=0.0, le=1.0, description="Nucleus sampling mass.")
    max_new_tokens: int = Field(256, gt=0, description="Generation length cap.")
    batch_size: int = Field(8, gt=0, description="Prompts per generation batch.")
    seed: int = Field(42, description="Seed for sampling and bootstrap.")
    bertscore_model: str = Field("roberta-large", description="BERTScore encoder (name or folder).")
    metrics: list[str] = Field(
        default_factory=lambda: ["rouge", "bleu", "chrf", "bertscore", "repetition", "medical"],
        description="Metric groups (rouge, bleu, chrf, bertscore, repetition, medical) or metric names.",
    )
    bootstrap_samples: int = Field(1000, gt=0, description="Resamples for confidence intervals.")


class BenchmarkSettings(Section):
    """[benchmark]: MultiMedQA accuracy through lm-evaluation-harness, fine-tuned vs base."""

    model_path: str | None = Field(
        None, examples=["outputs/llama31-8b-medical/final"], description="Adapter or full model to benchmark."
    )
    base_model: str | None = Field(
        None,
        examples=["meta-llama/Llama-3.1-8B-Instruct"],
        description="Base for --baseline; default: the adapter's, else the training run's manifest.",
    )
    baseline: bool = Field(False, description="Also benchmark the base model and compare on the same items.")
    tasks: list[str] = Field(
        default_factory=lambda: ["multimedqa"],
        description="multimedqa or lm-eval task names (medqa_4options, medmcqa, pubmedqa, mmlu_*, ...).",
    )
    limit: int | None = Field(None, gt=0, examples=[200], description="Score the first N items of each task.")
    num_fewshot: int = Field(0, ge=0, description="Solved examples before each question.")
    batch_size: int = Field(8, gt=0, description="Sequences per forward pass.")
    data_dir: str = Field(
        "data/benchmarks", description="Original releases: pubmedqa/, medqa/, medmcqa/, mmlu/ (else the hub)."
    )
    output_dir: str = Field("outputs/benchmark", description="A stamped folder per run goes here.")
    run_dir: str | None = Field(
        None,
        examples=["outputs/benchmark/my-run"],
        description="Exact folder for this run. Default: output_dir/<stamp>.",
    )
    fail_on_regression: bool = Field(
        False, description="Exit 3 when a task's fine-tuned minus base CI lies wholly below zero."
    )
    bootstrap_samples: int = Field(1000, gt=0, description="Resamples for confidence intervals.")
    seed: int = Field(42, description="Seed of the bootstrap.")


class AnalyzeSettings(Section):
    """[analyze]: error analysis of an evaluation's predictions."""

    predictions_file: str | None = Field(
        None,
        examples=["outputs/evaluation/latest/predictions.jsonl"],
        description="Default: the latest evaluation's.",
    )
    output_dir: str = Field("outputs/error_analysis", description="A stamped folder per run goes here.")
    run_dir: str | None = Field(
        None,
        examples=["outputs/error_analysis/my-run"],
        description="Exact folder for this analysis (replaced if it holds an earlier one). Default: "
        "output_dir/<stamp>.",
    )


class SageMakerSettings(Section):
    """[sagemaker]: managed training jobs."""

    role: str | None = Field(
        None,
        examples=["arn:aws:iam::123456789012:role/SageMakerExecution"],
        description="IAM role ARN the job runs as.",
    )
    bucket: str | None = Field(
        None, examples=["my-medtune-bucket"], description="S3 bucket for code, data, checkpoints, output."
    )
    region: str | None = Field(
        None, examples=["us-east-1"], description="AWS region; default: AWS env/profile."
    )
    instance_type: str = Field("ml.g5.2xlarge", description="Training instance type.")
    instance_count: int = Field(1, ge=1, description="Instances (nodes).")
    volume_size_gb: int = Field(200, ge=1, description="EBS volume per instance.")
    max_run_hours: float = Field(24.0, gt=0.0, description="Stop the job after this long.")
    use_spot: bool = Field(False, description="Managed spot training (resumes from checkpoints).")
    max_wait_hours: float = Field(48.0, gt=0.0, description="Spot: total time incl. waiting.")
    job_name_prefix: str = Field("medtune", description="Job names are <prefix>-<stamp>.")
    transformers_version: str = Field("4.56.2", description="HF training container version.")
    pytorch_version: str = Field("2.8.0", description="PyTorch in the container.")
    py_version: str = Field("py312", description="Python in the container.")
    image_uri: str | None = Field(
        None,
        examples=["123456789012.dkr.ecr.us-east-1.amazonaws.com/medtune:latest"],
        description="Use this image instead of the HF container.",
    )
    checkpoint_s3_uri: str | None = Field(
        None,
        examples=["s3://my-medtune-bucket/medtune/shared-checkpoints"],
        description="S3 prefix synced with checkpoints; default s3://<bucket>/<prefix>/<job>/checkpoints.",
    )
    token_secret: str | None = Field(
        None,
        examples=["medtune/tokens"],
        description="AWS Secrets Manager secret (name or ARN) the job reads HF_TOKEN/WANDB_API_KEY from "
        "(medtune sagemaker store-tokens); tokens never go in the job's environment.",
    )
    output_s3_uri: str | None = Field(
        None,
        examples=["s3://my-medtune-bucket/models"],
        description="Where model.tar.gz goes; default s3://<bucket>/<prefix>.",
    )


class Settings(BaseSettings):
    """All of medtune's settings. ``Settings()`` reads defaults and ``MEDTUNE_*`` env vars;
    :func:`load_settings` adds the TOML file and CLI overrides with provenance."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        protected_namespaces=(),
        nested_model_default_partial_update=True,
    )

    model: ModelSettings = Field(default_factory=ModelSettings)
    lora: LoraSettings = Field(default_factory=LoraSettings)
    data: DataSettings = Field(default_factory=DataSettings)
    train: TrainSettings = Field(default_factory=TrainSettings)
    preference: PreferenceSettings = Field(default_factory=PreferenceSettings)
    eval: EvalSettings = Field(default_factory=EvalSettings)
    benchmark: BenchmarkSettings = Field(default_factory=BenchmarkSettings)
    analyze: AnalyzeSettings = Field(default_factory=AnalyzeSettings)
    sagemaker: SageMakerSettings = Field(default_factory=SageMakerSettings)


class _Merged(Settings):
    """Settings validated from the merged layers alone: the environment was read once
    already (as its own layer), so validation must not read it again."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class Secrets(BaseSettings):
    """Credentials read from the usual environment variables. Never printed or written."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    hf_token: SecretStr | None = Field(None, validation_alias="HF_TOKEN")
    wandb_api_key: SecretStr | None = Field(None, validation_alias="WANDB_API_KEY")
    aws_access_key_id: SecretStr | None = Field(None, validation_alias="AWS_ACCESS_KEY_ID")
    aws_secret_access_key: SecretStr | None = Field(None, validation_alias="AWS_SECRET_ACCESS_KEY")
    aws_session_token: SecretStr | None = Field(None, validation_alias="AWS_SESSION_TOKEN")

    def job_tokens(self) -> dict[str, str]:
        """The tokens a training job needs that are set here, by variable (HF_TOKEN, WANDB_API_KEY)."""
        pairs = (("HF_TOKEN", self.hf_token), ("WANDB_API_KEY", self.wandb_api_key))
        return {name: v.get_secret_value() for name, v in pairs if v is not None and v.get_secret_value()}

    def values(self) -> list[str]:
        """The secret strings that are set (for redaction)."""
        fields = (getattr(self, name) for name in type(self).model_fields)
        return [s.get_secret_value() for s in fields if s is not None and s.get_secret_value()]


def redact(text: str, secrets: Secrets | None = None) -> str:
    """Replace every secret value set here (:class:`Secrets`), and anything shaped like a
    Hugging Face token (``hf_…``) or an AWS access key id (``AKIA…``/``ASIA…``), with ***.
    W&B keys and AWS secret keys look like hashes (which manifests hold), so only their
    values set here are caught."""
    for value in (secrets or Secrets()).values():
        text = text.replace(value, "***")
    return _TOKEN_SHAPES.sub("***", text)


_TOKEN_SHAPES = re.compile(r"\bhf_[A-Za-z0-9]{20,}\b|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")


# -- loading --------------------------------------------------------------------------------


def find_config(path: str | Path | None = None) -> Path | None:
    """The TOML file to read: ``path``, else ``$MEDTUNE_CONFIG``, else ./medtune.toml if any."""
    if path is not None:
        return Path(path)
    if env := os.environ.get("MEDTUNE_CONFIG"):
        return Path(env)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML settings file; a missing or malformed file is a ConfigError."""
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None


def read_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``MEDTUNE_<SECTION>__<KEY>`` layer, via pydantic-settings' own env source."""
    environ = os.environ if environ is None else environ
    for name in environ:
        if name.startswith(ENV_PREFIX) and name not in RESERVED_ENV:
            _check_env_name(name)
    source = EnvSettingsSource(Settings, case_sensitive=False)
    source.env_vars = {k.lower(): v for k, v in environ.items()}
    try:
        return source()
    except Exception as exc:  # pydantic-settings raises SettingsError for bad JSON values
        hint = 'list settings take JSON, e.g. MEDTUNE_TRAIN__REPORT_TO=\'["tensorboard", "wandb"]\''
        raise ConfigError(f"environment: {exc}; {hint}") from None


def _check_env_name(name: str) -> None:
    section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
    if section not in Settings.model_fields or (key and key not in section_fields(section)):
        near = closest(f"{section}.{key}", all_keys())
        hint = f"; did you mean {env_name(near)}?" if near else " (use MEDTUNE_<SECTION>__<KEY>)"
        raise ConfigError(f"environment: {name} is not a medtune setting{hint}")


def section_fields(section: str) -> dict[str, Any]:
    """The fields of one settings section (empty for an unknown section)."""
    field = Settings.model_fields.get(section)
    model = field.annotation if field is not None else None
    return model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}


def all_keys() -> list[str]:
    """Every setting as ``section.key``."""
    return [f"{section}.{key}" for section in Settings.model_fields for key in section_fields(section)]


def env_name(key: str) -> str:
    """The environment variable of ``section.key``."""
    section, _, name = key.partition(".")
    return f"{ENV_PREFIX}{section.upper()}__{name.upper()}"


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate ``name`` was most likely meant to be (did-you-mean), if any is close."""
    import difflib

    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return found[0] if found else None


def load_settings(
    config: str | Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from defaults < TOML < env < ``overrides`` (CLI flags)."""
    return resolve(config, overrides, environ)[0]


def resolve(
    config: str | Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Settings, dict[str, str]]:
    """Like :func:`load_settings`, also returning where each ``section.key`` came from."""
    path = find_config(config)
    layers: list[tuple[str, dict[str, Any]]] = []
    if path is not None:
        layers.append((str(path), read_toml(path)))
    layers.append(("env", read_env(environ)))
    flags = {
        section: {key: value for key, value in values.items() if value is not None}
        for section, values in (overrides or {}).items()
    }
    layers.append(("flag", flags))
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for label, layer in layers:
        for section, values in layer.items():
            if not isinstance(values, Mapping):
                merged[section] = values
                origin[section] = label
                continue
            current = merged.setdefault(section, {})
            if isinstance(current, dict):  # else a scalar section: left for validation to report
                current.update(values)
            for key in values:
                origin[f"{section}.{key}"] = _origin_label(label, section, key)
    try:
        settings = _Merged.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, origin)) from None
    return settings, origin


def _origin_label(label: str, section: str, key: str) -> str:
    if label == "env":
        return f"env {ENV_PREFIX}{section.upper()}__{key.upper()}"
    return label


def _explain(exc: ValidationError, origin: Mapping[str, str]) -> str:
    """One line per problem: where it came from, the key, what is wrong, the bad value."""
    lines = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        key = ".".join(loc[:2]) or "settings"
        prefix = f"{loc[0]}." if loc else ""
        inner = next((v for k, v in origin.items() if prefix and k.startswith(prefix)), None)
        where = origin.get(key) or (origin.get(loc[0]) if loc else None) or inner or "settings"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            near = closest(key, all_keys() if len(loc) > 1 else list(Settings.model_fields))
            msg = "unknown key" + (f"; did you mean {near}?" if near else "")
        bad = err.get("input")
        hidden = err["type"] in ("extra_forbidden", "missing") or isinstance(bad, dict)
        lines.append(f"{where}: {key}: {msg}" + ("" if hidden else f" (got {bad!r})"))
    return "; ".join(lines)


def settings_dict(settings: Settings) -> dict[str, Any]:
    """A plain, JSON-safe dict of ``settings`` (what manifests and dry runs show)."""
    return settings.model_dump(mode="json")


def to_toml(settings: Settings | None = None, origin: Mapping[str, str] | None = None) -> str:
    """Render settings as a TOML file that teaches: each key with its description as a
    comment (and, given ``origin``, where the value came from: ``[default]`` when it equals
    the default, wherever it was written). Unset optional keys are written commented out
    with an example value, so uncommenting one gives a valid setting."""
    import tomli_w

    settings = settings or Settings()
    out = ["# medtune settings. Precedence: defaults < this file < MEDTUNE_* env < CLI flags.", ""]
    for section in Settings.model_fields:
        sub = getattr(settings, section)
        out.append(f"[{section}]  # {(type(sub).__doc__ or '').split(':', 1)[-1].strip()}")
        for key, info in type(sub).model_fields.items():
            value = getattr(sub, key)
            comment = info.description or ""
            if origin is not None:
                where = origin.get(f"{section}.{key}", "default")
                same = value == info.get_default(call_default_factory=True)
                comment += "  [default]" if where == "default" or same else f"  [from {where}]"
            if value is None:  # commented out, with an example value: uncommented it is valid
                example = tomli_w.dumps({key: (info.examples or [""])[0]}).strip()
                out.append(f"# {example}  # {comment}")
            else:
                rendered = tomli_w.dumps({key: value}).strip()
                out.append(f"{rendered}  # {comment}")
        out.append("")
    return "\n".join(out)
