"""The causal-LM loss without a [tokens, vocabulary] logits tensor.

transformers computes logits for every position (one packed 2048-token row of Llama 3.1:
2048 x 128,256, 0.5 GiB in bf16), upcasts them to fp32 and keeps the softmax for backward:
gigabytes at the peak of an 8B QLoRA step, for the one layer that is frozen. Here the
decoder's last hidden states go straight to the loss instead. Only positions that have a
target are projected (answer tokens; prompts and padding carry -100), a chunk of rows at a
time, and each chunk's gradient is computed in the same pass, as Liger's fused linear
cross-entropy does but in plain torch, so it runs on the CPU too: no chunk's logits
outlive their loop iteration and no projection is recomputed. The loss and gradients
equal transformers' (tests/training/test_loss.py); ``bench/loss_memory.py`` measures the
memory.

The model still runs through its own (DDP/DeepSpeed-wrapped) forward; a hook on the output
layer hands its input to the loss and lets it project one position per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch

from medtune.training.dataset import IGNORE_INDEX

#: Logits computed at once: 2**25 fp32 values = 128 MiB (261 rows of Llama 3's vocabulary).
CHUNK_ELEMENTS = 2**25
#: Config keys of models that transform logits after the projection (softcapping, scaling).
LOGIT_TRANSFORMS = ("final_logit_softcapping", "logit_scale", "logits_scaling")


def linear_cross_entropy(
    hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, *, chunk_rows: int
) -> torch.Tensor:
    """Summed cross-entropy of the logits ``hidden @ weight.T`` (rows x vocab) against
    ``targets``, computed ``chunk_rows`` rows at a time in fp32; differentiable in
    ``hidden`` and ``weight``."""
    if torch.is_grad_enabled() and (hidden.requires_grad or weight.requires_grad):
        return _LinearCrossEntropy.apply(hidden, weight, targets, chunk_rows)
    return _chunked(hidden, weight, targets, chunk_rows, hidden_grad=False, weight_grad=False)[0]


class _LinearCrossEntropy(torch.autograd.Function):
    """Forward computes the loss and both gradients chunk by chunk; backward scales them."""

    @staticmethod
    def forward(
        ctx: Any, hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, chunk_rows: int
    ) -> torch.Tensor:
        loss, ctx.grad_hidden, ctx.grad_weight = _chunked(
            hidden,
            weight,
            targets,
            chunk_rows,
            hidden_grad=ctx.needs_input_grad[0],
            weight_grad=ctx.needs_input_grad[1],
        )
        ctx.weight_dtype = weight.dtype
        return loss

    @staticmethod
    def backward(ctx: Any, grad_loss: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        grad_hidden, grad_weight = ctx.grad_hidden, ctx.grad_weight
        ctx.grad_hidden = ctx.grad_weight = None  # the graph node outlives backward: free them
        if grad_hidden is not None:
            grad_hidden = grad_hidden * grad_loss.to(grad_hidden.dtype)
        if grad_weight is not None:
            grad_weight = (grad_weight * grad_loss).to(ctx.weight_dtype)
        return grad_hidden, grad_weight, None, None


def _chunked(
    hidden: torch.Tensor,
    weight: torch.Tensor,
    targets: torch.Tensor,
    chunk_rows: int,
    *,
    hidden_grad: bool,
    weight_grad: bool,
) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
    """(summed loss, d loss / d hidden, d loss / d weight in fp32) over row chunks."""
    loss = torch.zeros((), dtype=torch.float32, device=hidden.device)
    grad_hidden = torch.empty_like(hidden) if hidden_grad else None
    grad_weight = torch.zeros_like(weight, dtype=torch.float32) if weight_grad else None
    for start in range(0, hidden.shape[0], chunk_rows):
        rows = slice(start, start + chunk_rows)
        h, y = hidden[rows], targets[rows]
        logits = (h @ weight.T).float()
        norm = torch.logsumexp(logits, dim=-1)
        loss += (norm - logits.gather(1, y[:, None]).squeeze(1)).sum()
        if not (hidden_grad or weight_grad):
            continue
        grad = logits.sub_(norm[:, None]).exp_()  # softmax, in place of the logits
        grad[torch.arange(len(y), device=y.device), y] -= 1.0  # d loss / d logits
        grad = grad.to(weight.dtype)
        if grad_hidden is not None:
            grad_hidden[rows] = grad @ weight
        if grad_weight is not None:
            grad_weight += grad.T @ h
    return loss, grad_hidden, grad_weight


def causal_lm_loss(
    hidden: torch.Tensor,
    weight: torch.Tensor,
    labels: torch.Tensor,
    num_items_in_batch: torch.Tensor | int | None = None,
    *,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """transformers' causal-LM loss (position t predicts label t+1; -100 ignored; summed and
    divided by ``num_items_in_batch`` when given, else averaged) from the last hidden
    states [..., positions, hidden] and the output layer's weight [vocab, hidden].

    ``dtype`` is what the projection computes in (softmax is always fp32); default: the
    autocast dtype when autocast is on here, else the weight's."""
    targets = torch.nn.functional.pad(labels, (0, 1), value=IGNORE_INDEX)[..., 1:].to(hidden.device)
    keep = targets != IGNORE_INDEX
    dtype = dtype or _compute_dtype(hidden.device.type, weight.dtype)
    with torch.autocast(hidden.device.type, enabled=False):  # cast once, not once per chunk
        total = linear_cross_entropy(
            hidden[keep].to(dtype),
            weight.to(dtype),
            targets[keep],
            chunk_rows=max(1, CHUNK_ELEMENTS // weight.shape[0]),
        )
    count = num_items_in_batch if num_items_in_batch is not None else keep.sum()
    if torch.is_tensor(count):
        return total / count.to(total.device).clamp(min=1)
    return total / max(count, 1)


def _compute_dtype(device_type: str, default: torch.dtype) -> torch.dtype:
    """The autocast dtype when autocast is on for ``device_type``, else ``default``."""
    return torch.get_autocast_dtype(device_type) if torch.is_autocast_enabled(device_type) else default


class ChunkedLoss:
    """A Trainer ``compute_loss_func``: while :meth:`attached`, the output layer hands its
    input (the decoder's last hidden states) to :func:`causal_lm_loss` and projects only
    the last position of each row. The projection computes in the dtype the output layer
    would have used (accelerate's autocast is on inside the model's forward only). Called
    without ``num_items_in_batch`` the loss is a per-batch mean, which the Trainer would not
    divide by the accumulation steps; the Trainer always passes it for batches with labels.

    Args:
        model: The causal LM, or its peft wrapper (LoRA must leave the output layer alone).
    """

    def __init__(self, model: Any) -> None:
        self.head = _unwrapped(model).get_output_embeddings()
        self._captured: tuple[torch.Tensor, torch.dtype] | None = None

    @contextmanager
    def attached(self) -> Iterator[ChunkedLoss]:
        """Hook the output layer for the duration of the block."""
        handle = self.head.register_forward_pre_hook(self._capture)
        try:
            yield self
        finally:
            handle.remove()
            self._captured = None

    def _capture(self, module: Any, args: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        (hidden,) = args
        self._captured = hidden, _compute_dtype(hidden.device.type, self.head.weight.dtype)
        return (hidden[..., -1:, :],)

    def __call__(
        self, outputs: Any, labels: torch.Tensor, num_items_in_batch: torch.Tensor | int | None = None
    ) -> torch.Tensor:
        if self._captured is None:
            raise RuntimeError("ChunkedLoss used outside attached(): no hidden states were captured")
        (hidden, dtype), self._captured = self._captured, None
        return causal_lm_loss(hidden, self.head.weight, labels, num_items_in_batch, dtype=dtype)


def chunked_loss_blocker(model: Any, *, zero3: bool, data_parallel: bool) -> str | None:
    """Why :class:`ChunkedLoss` cannot train ``model`` (None when it can)."""
    lm = _unwrapped(model)
    head = lm.get_output_embeddings()
    if type(head) is not torch.nn.Linear or head.bias is not None:
        return "the output layer is adapted or has a bias"
    configs = (lm.config, lm.config.get_text_config())  # multimodal models nest the text model's
    if any(getattr(c, key, None) not in (None, 1, 1.0) for c in configs for key in LOGIT_TRANSFORMS):
        return "the model transforms its logits after the output layer"
    if any(getattr(c, "output_router_logits", False) for c in configs):
        return "the model adds a router loss when given labels (mixture of experts)"
    if zero3:
        return "DeepSpeed ZeRO-3 shards the output layer"
    if data_parallel:
        return "torch DataParallel replicates the model per GPU; use --gpus N (DDP)"
    return None


def _unwrapped(model: Any) -> Any:
    """The transformers model inside a peft wrapper (or the model itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model
