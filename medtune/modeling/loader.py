"""Load a base model and tokenizer for training or inference.

One place decides quantization (4-bit nf4 QLoRA, 8-bit LLM.int8 or plain weights), the
compute dtype, the attention kernel, k-bit preparation and the LoRA adapter, so training,
evaluation, chat and merge all load models the same way.

Precision on the CPU: weights and compute stay fp32. bf16 autocast on CPUs without native
bf16 units is several times slower than fp32 and gains nothing at the model sizes a CPU
trains, so a ``bf16`` setting means bf16 on GPUs that support it and fp32 elsewhere.

The bitsandbytes CPU trap: on CPUs with AVX512-BF16, the first no-grad forward through a
``Linear4bit`` repacks its weight into an inference-only layout, and later backward passes
lose gradient silently. :func:`load_model` turns that repacking off for training.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from medtune.config import LoraSettings, ModelSettings, Secrets
from medtune.data.template import ensure_chat_template
from medtune.errors import HardwareError, ModelError, UsageError
from medtune.io import read_json_object
from medtune.modeling.device import cuda_bf16, pick_device
from medtune.modeling.hub import hub_offline, resolve_model
from medtune.runs import trained_settings

if TYPE_CHECKING:
    import torch
    from peft import LoraConfig, PeftModel
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    #: A causal LM as loaded: plain, or wrapped in a (LoRA) adapter.
    LoadedModel: TypeAlias = PreTrainedModel | PeftModel

ADAPTER_CONFIG = "adapter_config.json"


def load_tokenizer(model: ModelSettings, path: str | Path | None = None) -> PreTrainedTokenizerBase:
    """The tokenizer of ``path`` (default: ``tokenizer_name`` or ``model_name``), with a pad
    token and the chat template set. Padding side is left to callers."""
    from transformers import AutoTokenizer

    name = str(path or model.tokenizer_name or model.model_name)
    tokenizer = _from_pretrained(AutoTokenizer, name, model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    return ensure_chat_template(tokenizer)


def compute_dtype(model: ModelSettings, device: str) -> torch.dtype:
    """The dtype of non-quantized weights and 4-bit compute on ``device`` (see module doc)."""
    import torch

    if device == "cpu":
        if model.precision == "fp16":
            raise HardwareError("model.precision = 'fp16' needs a GPU; use 'fp32' or 'bf16' on the CPU")
        return torch.float32
    if model.precision == "bf16" and cuda_bf16():
        return torch.bfloat16
    return torch.float16 if model.precision in ("fp16", "bf16") else torch.float32


def attention_implementation(model: ModelSettings, device: str) -> str:
    """``auto`` = flash_attention_2 on CUDA when flash_attn is installed, else sdpa."""
    if model.attn_implementation != "auto":
        return model.attn_implementation
    if device == "cuda":
        import importlib.util

        if importlib.util.find_spec("flash_attn") is not None:
            return "flash_attention_2"
    return "sdpa"


def load_model(
    model: ModelSettings,
    lora: LoraSettings | None = None,
    *,
    for_training: bool,
    device: str,
    adapter: str | Path | None = None,
    new_adapter: bool = True,
) -> LoadedModel:
    """Load ``model.model_name`` quantized to ``model.bits`` on ``device`` ("cpu"/"cuda").

    With ``for_training``, k-bit models are prepared for training and wrapped in a LoRA
    adapter: the trained one in the folder ``adapter`` (training continues it, with its own
    LoRA settings), else a new one from ``lora`` (full fine-tuning when ``lora.use_lora``
    is false; not possible for 4/8-bit weights), unless ``new_adapter`` is false: then the
    caller attaches it (TRL's trainers, given :func:`lora_config`). Without
    ``for_training`` the model is returned in eval mode.
    """
    import torch
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    lora = lora or LoraSettings()
    if for_training:
        check_trainable(model, lora)
    dtype = compute_dtype(model, device)
    if for_training and not lora.use_lora and dtype == torch.float16:
        dtype = torch.float32  # fp16 mixed precision steps fp32 weights; fp16 ones cannot be unscaled
    kwargs: dict[str, Any] = {"dtype": dtype, "attn_implementation": attention_implementation(model, device)}
    if model.bits == 4:
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=dtype,
        )
    elif model.bits == 8:
        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
    if model.bits in (4, 8):
        kwargs["device_map"] = {"": _device_index(device)}
    loaded = _from_pretrained(AutoModelForCausalLM, model.model_name, model, **kwargs)
    if not for_training:  # (training leaves placement to the Trainer, DDP and DeepSpeed)
        return (loaded if model.bits in (4, 8) else loaded.to(device)).eval()
    loaded.config.use_cache = False  # a cache also disables transformers' packed-sequence masks
    if model.bits == 4 and device == "cpu":
        keep_4bit_gradients_exact(loaded)
    if model.bits in (4, 8):
        from peft import prepare_model_for_kbit_training

        loaded = prepare_model_for_kbit_training(loaded, use_gradient_checkpointing=False)
        if dtype == torch.bfloat16:
            keep_frozen_weights_in(loaded, dtype)
    if adapter is not None:
        from peft import PeftModel

        return PeftModel.from_pretrained(loaded, str(adapter), is_trainable=True)
    return add_lora(loaded, lora) if lora.use_lora and new_adapter else loaded


def keep_frozen_weights_in(model: PreTrainedModel, dtype: torch.dtype) -> int:
    """Undo peft's fp32 upcast of the weights bitsandbytes leaves unquantized (embeddings,
    lm_head, norms); returns how many tensors were cast.

    They are frozen under LoRA, and bf16 autocast computes in bf16 anyway, so fp32 copies
    only cost memory: 2 GiB for Llama-3.1-8B's embeddings and head (bench/gpu_qlora.py:
    12.0 -> 9.2 GiB peak on an H100)."""
    import torch

    cast = 0
    for param in model.parameters():
        if param.dtype == torch.float32 and not param.requires_grad:
            param.data = param.data.to(dtype)
            cast += 1
    return cast


def check_trainable(model: ModelSettings, lora: LoraSettings) -> None:
    """Refuse full fine-tuning of quantized weights (UsageError, exit 2)."""
    if not lora.use_lora and model.bits in (4, 8):
        raise UsageError(
            f"full fine-tuning (lora.use_lora = false) cannot update {model.bits}-bit weights; "
            "use --bits 16, or --lora (QLoRA) for 4/8-bit"
        )


def keep_4bit_gradients_exact(model: torch.nn.Module) -> int:
    """Turn off bitsandbytes' AVX512-BF16 inference repacking on every ``Linear4bit``
    (it silently corrupts later gradients on the CPU). Returns how many layers changed."""
    import bitsandbytes as bnb

    layers = [m for m in model.modules() if isinstance(m, bnb.nn.Linear4bit)]
    for layer in layers:
        layer.support_avx512bf16_for_cpu = False
    return len(layers)


def linear_names(model: torch.nn.Module) -> list[str]:
    """Leaf names of the model's Linear layers (LoRA target candidates), lm_head excluded."""
    import torch

    names = {
        name.rsplit(".", 1)[-1]
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear) and not name.endswith("lm_head")
    }
    return sorted(names)


def add_lora(model: PreTrainedModel, lora: LoraSettings) -> PeftModel:
    """Wrap ``model`` in a LoRA adapter on the configured target modules that exist."""
    from peft import get_peft_model

    return get_peft_model(model, lora_config(model, lora))


def lora_config(model: torch.nn.Module, lora: LoraSettings) -> LoraConfig:
    """peft's LoraConfig for ``lora`` on the configured target modules that ``model`` has."""
    from peft import LoraConfig

    available = linear_names(model)
    targets = [name for name in lora.target_modules if name in available]
    if not targets:
        raise ModelError(
            f"lora.target_modules {lora.target_modules} match no Linear layer of this model; "
            f"available: {available}"
        )
    return LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        bias=lora.bias,
        target_modules=targets,
        use_dora=lora.use_dora,
        use_rslora=lora.use_rslora,
        task_type="CAUSAL_LM",
    )


def adapter_base(adapter_dir: str | Path) -> str:
    """The base model an adapter folder was trained on (``base_model_name_or_path``)."""
    config = Path(adapter_dir) / ADAPTER_CONFIG
    if not config.is_file():
        raise ModelError(
            f"{adapter_dir}: no {ADAPTER_CONFIG}; expected a LoRA adapter folder (e.g. <run>/final)"
        )
    base = read_json_object(config).get("base_model_name_or_path")
    if not base:
        raise ModelError(f"{config}: no base_model_name_or_path; pass --base-model")
    return base


#: How a trained model loads unless the user sets it: as its training run did.
AS_TRAINED = ("precision", "bits")
#: Inference without settings: 16-bit weights, none of them marked as set by the user.
_INFERENCE_DEFAULTS = ModelSettings.model_construct(
    _fields_set=set(), **{**ModelSettings().model_dump(), "bits": 16}
)


def as_trained(model_path: str | Path, settings: ModelSettings) -> tuple[ModelSettings, list[str]]:
    """``settings`` with the precision and bits the run that made ``model_path`` trained
    with (from its ``manifest.json``), for each of them the user did not set; and which
    were taken from the run."""
    trained = trained_settings(model_path, "model")
    taken = [key for key in AS_TRAINED if key in trained and key not in settings.model_fields_set]
    return settings.model_copy(update={key: trained[key] for key in taken}), taken


def base_model_of(model_path: str | Path) -> str | None:
    """The base a fine-tuned model started from: an adapter's ``base_model_name_or_path``,
    else ``[model] model_name`` in the run's ``manifest.json`` (see
    :func:`medtune.runs.training_manifest`); None when neither says."""
    path = Path(model_path)
    if (path / ADAPTER_CONFIG).is_file():
        return adapter_base(path)
    name = trained_settings(path, "model").get("model_name")
    return str(name) if name else None


def load_for_inference(
    model_path: str | Path,
    base_model: str | None = None,
    model_settings: ModelSettings | None = None,
) -> tuple[LoadedModel, PreTrainedTokenizerBase]:
    """Load a trained model for generation: a PEFT adapter folder (its base read from
    ``adapter_config.json`` unless ``base_model`` is given) or a full/merged model folder.

    Precision and bits are the training run's unless ``model_settings`` sets them
    (:func:`as_trained`). Returns the eval-mode model on the configured device and the
    tokenizer saved with it (so the chat template is the one training used)."""
    path = Path(model_path)
    if not path.is_dir():
        raise ModelError(f"{path}: no such model folder (expected an adapter or a saved model)")
    settings, _ = as_trained(path, model_settings or _INFERENCE_DEFAULTS)
    device = pick_device(settings.device)
    adapter = path / ADAPTER_CONFIG
    tokenizer_path = path if has_tokenizer(path) else None
    if not adapter.is_file():
        settings = settings.model_copy(update={"model_name": str(path)})
        return load_model(settings, for_training=False, device=device), load_tokenizer(
            settings, tokenizer_path
        )
    from peft import PeftModel

    settings = settings.model_copy(update={"model_name": base_model or adapter_base(path)})
    try:
        model = load_model(settings, for_training=False, device=device)
    except ModelError as exc:
        raise ModelError(
            f"{path}: base model {settings.model_name!r} of this adapter cannot be loaded ({exc})"
        ) from None
    model = PeftModel.from_pretrained(model, str(path), is_trainable=False)
    return model.eval(), load_tokenizer(settings, tokenizer_path)


def has_tokenizer(path: Path) -> bool:
    """Whether a model or adapter folder has its own tokenizer saved with it."""
    return (path / "tokenizer_config.json").is_file() or (path / "tokenizer.json").is_file()


def _device_index(device: str) -> int | str:
    """Where quantized weights go: this process's GPU under torchrun, else ``device``."""
    return int(os.environ.get("LOCAL_RANK", 0)) if device == "cuda" else device


def _from_pretrained(cls: Any, name: str, model: ModelSettings, **kwargs: Any) -> Any:
    """``cls.from_pretrained`` with the settings' hub options; failures become ModelError.
    A local folder loads as is; a hub id loads from the hub when it answers (one short
    probe, :func:`medtune.modeling.hub.hub_reachable`), else from the hub cache at once."""
    if model.use_local_model and not Path(name).expanduser().is_dir():
        raise ModelError(f"model.use_local_model is set but {name!r} is not a local folder")
    source = resolve_model(name, model.cache_dir, model.revision)
    token = Secrets().hf_token
    try:
        return cls.from_pretrained(
            source,
            revision=model.revision,
            cache_dir=model.cache_dir,
            trust_remote_code=model.trust_remote_code,
            local_files_only=hub_offline(),
            token=token.get_secret_value() if token else None,
            **kwargs,
        )
    except (OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(
            f"cannot load {name!r}: {reason} (pass a local folder or run 'medtune model pull')"
        ) from None
