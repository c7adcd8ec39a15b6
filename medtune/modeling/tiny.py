"""A tiny random-weight Llama and a BPE tokenizer, built offline in seconds.

This is what CI, tests and ``medtune quickstart`` train: the same architecture family as
Llama 3 (RMSNorm, RoPE, SwiGLU, grouped-query attention, untied embeddings) at about a
million parameters, with a byte-level BPE tokenizer trained on medical Q&A text so that
sequence lengths look like the real thing. Weights are random: it learns, it does not know.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from medtune.data.sample import load_sample
from medtune.data.template import ensure_chat_template
from medtune.errors import DataError, UsageError
from medtune.io import atomic_dir, iter_jsonl, write_json

BOS_TOKEN = "<|begin_of_text|>"
EOS_TOKEN = "<|end_of_text|>"
PAD_TOKEN = "<|pad|>"
UNK_TOKEN = "<|unk|>"
SPECIAL_TOKENS = [BOS_TOKEN, EOS_TOKEN, PAD_TOKEN, UNK_TOKEN]
#: The 256 byte symbols plus the special tokens: the smallest vocabulary there is.
MIN_VOCAB = 256 + len(SPECIAL_TOKENS)

#: Architecture of the tiny model (LlamaConfig keys); ~0.9M parameters at a 2,048 vocab.
TINY_LLAMA: dict[str, Any] = {
    "hidden_size": 128,
    "intermediate_size": 384,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 2048,
    "rope_theta": 500000.0,
    "rms_norm_eps": 1e-5,
    "tie_word_embeddings": False,
}

#: Record fields whose text trains the tokenizer (raw lavita, processed and iCliniq schemas).
TEXT_FIELDS = ("instruction", "input", "output", "answer_icliniq", "answer_chatgpt", "answer_chatdoctor")


def build_tiny_model(
    output_dir: str | Path,
    texts: Iterable[str] | None = None,
    *,
    vocab_size: int = 2048,
    seed: int = 0,
    model_max_length: int = 2048,
) -> Path:
    """Build and save a tiny Llama + tokenizer that ``from_pretrained(output_dir)`` loads.

    Args:
        output_dir: Folder to write (replaced atomically if it exists).
        texts: Text that trains the tokenizer; default: the bundled sample's questions and
            answers (see :func:`sample_texts`).
        vocab_size: Target vocabulary size; the model's embedding matches the tokenizer's
            actual size, which is smaller when the text is too small to reach it.
        seed: Seeds the weights. The same seed and text give byte-identical files.
        model_max_length: Longest sequence the tokenizer and model accept.

    Returns:
        ``output_dir`` as a Path.
    """
    if vocab_size < MIN_VOCAB:
        raise UsageError(
            f"vocab_size must be at least {MIN_VOCAB} (256 bytes + special tokens), got {vocab_size}"
        )
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    tokenizer = train_tokenizer(sample_texts() if texts is None else texts, vocab_size, model_max_length)
    config = LlamaConfig(
        **{**TINY_LLAMA, "max_position_embeddings": model_max_length},
        vocab_size=len(tokenizer),
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = LlamaForCausalLM(config)
    generation = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    output_dir = Path(output_dir)
    with atomic_dir(output_dir, replaces=("config.json",)) as tmp:
        _save_model(model, generation, tmp)
        tokenizer.save_pretrained(tmp)
        _portable_tokenizer_class(tmp / "tokenizer_config.json")
    return output_dir


def train_tokenizer(texts: Iterable[str], vocab_size: int = 2048, model_max_length: int = 2048) -> Any:
    """Train a byte-level BPE tokenizer (like Llama 3's) with the chat template installed.

    BOS is prepended by the tokenizer, as Llama 3's does; PAD is its own token, so padding
    is never mistaken for the end of an answer.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.BPE(unk_token=None, byte_fallback=False))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    backend.train_from_iterator(texts, trainer=trainer)
    bos_id = backend.token_to_id(BOS_TOKEN)
    backend.post_processor = processors.TemplateProcessing(
        single=f"{BOS_TOKEN} $A",
        pair=f"{BOS_TOKEN} $A {BOS_TOKEN} $B",
        special_tokens=[(BOS_TOKEN, bos_id)],
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token=BOS_TOKEN,
        eos_token=EOS_TOKEN,
        pad_token=PAD_TOKEN,
        unk_token=UNK_TOKEN,
        model_max_length=model_max_length,
        padding_side="right",
    )
    return ensure_chat_template(tokenizer)


def _save_model(model: Any, generation: Any, folder: Path) -> None:
    """Write what ``model.save_pretrained`` writes for an unsharded model, without its
    unwrapping step, which imports DeepSpeed (5-15 s) just to check for an engine."""
    from safetensors.torch import save_file

    model.config.architectures = [type(model).__name__]
    model.config.dtype = next(model.parameters()).dtype
    model.config.save_pretrained(folder)
    generation.save_pretrained(folder)
    state = {name: tensor.contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, folder / "model.safetensors", metadata={"format": "pt"})


def _portable_tokenizer_class(path: Path) -> None:
    """Name the generic fast tokenizer class, which transformers 4.x and 5.x both load
    (5.x writes its own ``TokenizersBackend``, unknown to the 4.x training containers)."""
    config = json.loads(path.read_text(encoding="utf-8"))
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    write_json(path, config)


def record_texts(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The question and answer texts of raw or processed records (see :data:`TEXT_FIELDS`)."""
    for record in records:
        for field in TEXT_FIELDS:
            value = record.get(field)
            if isinstance(value, str) and value.strip():
                yield value


def file_texts(path: str | Path) -> list[str]:
    """The question and answer texts of a raw or processed JSONL file."""
    texts = list(record_texts(iter_jsonl(path)))
    if not texts:
        raise DataError(f"{path}: no text in any of the fields {', '.join(TEXT_FIELDS)}")
    return texts


def sample_texts() -> list[str]:
    """The questions and answers of the bundled synthetic sample."""
    return list(record_texts(load_sample()))
