"""Fold a LoRA adapter into its base model and save a standalone model.

The base is always loaded unquantized (bf16 on a GPU that has it, fp32 on the CPU): a
4-bit base would round the merged weights back to nf4 and lose the adapter's update. The
result is safetensors + the adapter folder's tokenizer (its chat template is the one
training used) + the generation config, written to a temporary folder and swapped in.
"""

from __future__ import annotations

from pathlib import Path

from medtune.config import ModelSettings
from medtune.errors import ModelError
from medtune.io import atomic_dir
from medtune.modeling.device import pick_device
from medtune.modeling.loader import adapter_base, load_model, load_tokenizer


def merge_adapter(
    adapter_dir: str | Path,
    output_dir: str | Path,
    *,
    base_model: str | None = None,
    model_settings: ModelSettings | None = None,
) -> Path:
    """Merge the LoRA adapter in ``adapter_dir`` into its 16-bit base; save to ``output_dir``.

    Args:
        adapter_dir: A PEFT adapter folder (``adapter_config.json`` + weights).
        output_dir: Where the merged model goes (replaced atomically if it exists).
        base_model: Base model id or folder; default: the one the adapter names.
        model_settings: Hub options and device (``bits``/``model_name`` are overridden).

    Returns:
        ``output_dir`` as a Path.
    """
    from peft import PeftModel

    adapter_dir = Path(adapter_dir)
    base = base_model or adapter_base(adapter_dir)
    settings = (model_settings or ModelSettings()).model_copy(
        update={"model_name": base, "bits": 16, "precision": "bf16"}
    )
    device = pick_device(settings.device)
    model = load_model(settings, for_training=False, device=device)
    try:
        model = PeftModel.from_pretrained(model, str(adapter_dir))
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelError(f"{adapter_dir}: adapter does not fit base {base!r} ({exc})") from None
    merged = model.merge_and_unload()
    merged.config.use_cache = True
    has_tokenizer = (adapter_dir / "tokenizer_config.json").is_file()
    tokenizer = load_tokenizer(settings, adapter_dir if has_tokenizer else None)
    output_dir = Path(output_dir)
    with atomic_dir(output_dir, replaces=("config.json",)) as tmp:
        merged.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    return output_dir
