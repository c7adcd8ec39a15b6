"""Run folders and manifests: what ran, on what, with which settings and data."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from medtune.config import redact
from medtune.errors import ModelError
from medtune.io import write_json

PACKAGES = (
    "medtune",
    "torch",
    "transformers",
    "peft",
    "trl",
    "bitsandbytes",
    "accelerate",
    "datasets",
    "deepspeed",
    "bert-score",
    "rouge-score",
    "sacrebleu",
    "lm-eval",
    "sagemaker",
)


def stamp(now: dt.datetime | None = None) -> str:
    """A sortable UTC time stamp for folder names: ``20261127-101500``."""
    return (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%d-%H%M%S")


def stamped_dir(parent: str | Path) -> Path:
    """A new ``<parent>/<stamp>`` folder (suffixed if two runs share a second)."""
    parent = Path(parent)
    base = parent / stamp()
    path, n = base, 1
    while path.exists():
        path, n = Path(f"{base}-{n}"), n + 1
    path.mkdir(parents=True)
    return path


def point_latest(run_dir: str | Path, name: str = "latest") -> Path:
    """Make ``<parent>/latest`` a relative symlink to ``run_dir`` (atomically replaced)."""
    run_dir = Path(run_dir)
    link = run_dir.parent / name
    tmp = run_dir.parent / f".{name}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(tmp, link)
    return link


def training_manifest(model_path: str | Path) -> dict[str, Any] | None:
    """The ``manifest.json`` of the training run that made ``model_path`` (a run's
    ``final/`` folder, with the manifest one level up, or a downloaded model with it
    inside), or None for a model from elsewhere."""
    path = Path(model_path)
    for folder in (path, path.parent):
        file = folder / "manifest.json"
        if not file.is_file():
            continue
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{file}: unreadable run manifest ({type(exc).__name__})") from None
        if isinstance(data, dict) and data.get("command") == "train":
            return data
    return None


def trained_settings(model_path: str | Path, section: str) -> dict[str, Any]:
    """One settings section (``"model"``, ``"data"``...) as the run that made ``model_path``
    resolved it; empty without a training manifest."""
    manifest = training_manifest(model_path) or {}
    found = (manifest.get("settings") or {}).get(section)
    return found if isinstance(found, dict) else {}


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that decide a run's results."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def git_commit(path: str | Path = ".") -> str | None:
    """The checked-out commit of the repo holding ``path`` (None outside git)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def hardware() -> dict[str, Any]:
    """CPU, memory and GPUs of this machine (torch only if already imported elsewhere)."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }
    import sys

    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return info


def write_manifest(run_dir: str | Path, **sections: Any) -> Path:
    """Write ``manifest.json``: the given sections plus versions, git commit and hardware,
    every string through :func:`medtune.config.redact` (a token pasted into a URL or a
    path stays out of it)."""
    manifest = {
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": package_versions(),
        "git_commit": git_commit(),
        "hardware": hardware(),
        **sections,
    }
    return write_json(Path(run_dir) / "manifest.json", json.loads(redact(json.dumps(manifest, default=str))))
