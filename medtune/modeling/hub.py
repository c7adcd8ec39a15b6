"""The Hugging Face hub: models from it or a local folder, one-line errors, no silent waits.

Anywhere medtune accepts a model (or dataset) name, an existing local folder is used as is
and the hub is never contacted. Before the first hub request of a command, one short probe
(:data:`PROBE_TIMEOUT` seconds) checks the hub answers; if it does not, the process goes
offline (huggingface_hub, transformers and datasets use local files and the hub cache only,
without retries) and one warning says so. :func:`hub_offline` is the one offline check.
Tokens come from ``--token`` or ``$HF_TOKEN`` and are never logged.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from medtune.config import Secrets
from medtune.errors import ModelError, UsageError

log = logging.getLogger("medtune.hub")
PROBE_TIMEOUT = 3.0

#: What ``pull`` fetches: safetensors weights (never .bin/.pth duplicates), configs, tokenizer.
MODEL_FILES = (
    "*.safetensors",
    "*.safetensors.index.json",
    "config.json",
    "generation_config.json",
    "tokenizer*",
    "special_tokens_map.json",
    "chat_template.jinja",
    "*.tiktoken",
)
#: A folder holds a tokenizer when it has one of these.
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "vocab.json", "tokenizer.tiktoken")
UNREACHABLE = "the Hugging Face hub is unreachable; pass a local folder"


def pull(
    repo_id: str,
    output_dir: str | Path,
    revision: str | None = None,
    token: str | None = None,
    allow_patterns: Sequence[str] = MODEL_FILES,
) -> Path:
    """Download a model repo's weights, config and tokenizer into ``output_dir`` and verify them.

    An interrupted download resumes where it stopped (huggingface_hub keeps partial files
    under ``output_dir/.cache``); :func:`verify_model_dir` then checks the folder is whole.
    """
    from huggingface_hub import snapshot_download

    with hub_errors(repo_id):
        path = snapshot_download(
            repo_id,
            revision=revision,
            local_dir=output_dir,
            token=hub_token(token),
            allow_patterns=list(allow_patterns),
        )
    return verify_model_dir(path)


def resolve_model(
    name_or_path: str | Path,
    cache_dir: str | Path | None = None,
    revision: str | None = None,
    local_only: bool = False,
) -> str:
    """What to pass to ``from_pretrained``: a local folder as is, else a hub repo id.

    With ``local_only`` (or ``HF_HUB_OFFLINE=1``) a repo id must already be in the hub cache,
    and its cached folder is returned; otherwise the id is returned for ``from_pretrained``
    to download. Anything else is a one-line :class:`ModelError`.
    """
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return str(path)
    name = str(name_or_path)
    if path.exists() or _looks_like_path(name):
        raise ModelError(f"{name}: not a model folder ({'a file' if path.exists() else 'no such directory'})")
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    try:
        validate_repo_id(name)
    except HFValidationError:
        raise ModelError(f"{name!r} is neither a local folder nor a hub repo id (owner/name)") from None
    if not local_only and hub_reachable():
        return name
    from huggingface_hub import snapshot_download

    with hub_errors(name):
        return snapshot_download(name, revision=revision, cache_dir=cache_dir, local_files_only=True)


def verify_model_dir(path: str | Path) -> Path:
    """Check a model folder is whole: config, safetensors weights (every indexed shard), tokenizer."""
    path = Path(path)
    if not (path / "config.json").is_file():
        raise ModelError(f"{path}: config.json is missing; not a complete model folder")
    if not any(path.glob("*.safetensors")):
        raise ModelError(f"{path}: no *.safetensors weights (medtune loads safetensors only)")
    for index in path.glob("*.safetensors.index.json"):
        try:
            shards = set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values())
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise ModelError(f"{index}: unreadable shard index (no weight_map)") from None
        missing = sorted(s for s in shards if not (path / s).is_file())
        if missing:
            raise ModelError(
                f"{index}: {len(missing)} shard(s) missing, e.g. {missing[0]}; pull again to resume"
            )
    if not any((path / name).is_file() for name in TOKENIZER_FILES):
        raise ModelError(f"{path}: no tokenizer ({' or '.join(TOKENIZER_FILES)})")
    return path


@contextlib.contextmanager
def hub_errors(repo_id: str, unreachable: str = UNREACHABLE) -> Iterator[None]:
    """Turn huggingface_hub failures inside the block into one-line :class:`ModelError` s
    (``unreachable`` says what to do when the hub cannot be reached)."""
    from huggingface_hub import errors

    try:
        yield
    except errors.GatedRepoError:
        raise ModelError(
            f"{repo_id} is gated and this token has no access: accept its licence at "
            f"https://huggingface.co/{repo_id}, then pass --token or set HF_TOKEN"
        ) from None
    except errors.RevisionNotFoundError:
        raise ModelError(f"{repo_id}: no such revision (branch, tag or commit)") from None
    except errors.RepositoryNotFoundError as exc:
        hint = "; if it is private, pass --token or set HF_TOKEN" if _status(exc) == 401 else ""
        raise ModelError(f"{repo_id}: repository not found on the hub{hint}") from None
    except errors.LocalEntryNotFoundError:
        if hub_offline():
            raise ModelError(
                f"{repo_id}: not in the hub cache while offline ({offline_reason()}); pass a local folder "
                "(e.g. --model-name models/tiny-llama, which 'medtune model tiny' builds offline)"
            ) from None
        raise ModelError(f"{repo_id}: {unreachable}") from None
    except errors.HfHubHTTPError as exc:
        if _status(exc) in (401, 403):
            raise ModelError(
                f"{repo_id}: the hub refused the token (HTTP {_status(exc)}); check HF_TOKEN"
            ) from None
        raise ModelError(f"{repo_id}: hub request failed (HTTP {_status(exc)})") from None
    except _transport_errors() as exc:
        raise ModelError(f"{repo_id}: {unreachable} ({type(exc).__name__})") from None


def check_repo_id(repo_id: str) -> str:
    """``repo_id`` when it is an ``owner/name`` the hub accepts, else a one-line UsageError."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    try:
        validate_repo_id(repo_id)
        valid = repo_id.count("/") == 1
    except HFValidationError:
        valid = False
    if not valid:
        raise UsageError(f"--repo-id {repo_id!r}: expected owner/name, e.g. my-org/llama31-8b-medical")
    return repo_id


def hub_offline() -> bool:
    """Whether this process works offline: ``HF_HUB_OFFLINE`` is set, or the probe failed."""
    from huggingface_hub import constants

    return constants.is_offline_mode()


def offline_reason() -> str:
    """Why :func:`hub_offline` is true, for messages."""
    return "the hub did not answer" if _went_offline else "HF_HUB_OFFLINE=1"


_went_offline = False


@functools.cache
def hub_reachable() -> bool:
    """Whether the hub answers: one probe per process, skipped when already offline. A
    failed probe switches the process offline (see the module docstring)."""
    if hub_offline():
        return False
    from huggingface_hub import constants, get_session

    try:
        get_session().head(constants.ENDPOINT, timeout=PROBE_TIMEOUT)
    except Exception as exc:  # any transport failure means: not reachable now
        go_offline()
        log.warning(
            "the Hugging Face hub did not answer within %.0f s (%s): working offline, from local "
            "folders and the hub cache",
            PROBE_TIMEOUT,
            type(exc).__name__,
        )
        return False
    return True


def go_offline() -> None:
    """Make huggingface_hub, transformers and datasets use local files only in this process
    (and in the processes it starts)."""
    global _went_offline
    from huggingface_hub import constants

    _went_offline = True
    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ[name] = "1"
    constants.HF_HUB_OFFLINE = True
    if (datasets_config := sys.modules.get("datasets.config")) is not None:
        datasets_config.HF_HUB_OFFLINE = True  # type: ignore[attr-defined]


def hub_token(token: str | None = None) -> str | None:
    """``token``, else ``$HF_TOKEN`` (via :class:`medtune.config.Secrets`), else None."""
    if token:
        return token

    secret = Secrets().hf_token
    return secret.get_secret_value() if secret is not None else None


def _status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or name.count("/") > 1


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Connection failures, whichever HTTP client this huggingface_hub uses (httpx2 or httpx)."""
    found: list[type[BaseException]] = [ConnectionError, TimeoutError]
    for module in ("httpx2", "httpx"):
        with contextlib.suppress(ImportError):
            found.append(importlib.import_module(module).TransportError)
    return tuple(found)
