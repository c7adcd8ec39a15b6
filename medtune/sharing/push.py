"""``medtune push``: a trained model and its generated card on the Hugging Face Hub.

The upload folder (``README.md`` card + the adapter, or the merged model with ``merged``) is
written first and kept, so a dry run shows exactly what a push sends. The push itself goes
through huggingface_hub: ``whoami`` (the token works), ``create_repo``, ``create_branch``
for ``revision``, ``upload_folder``. The token comes from ``$HF_TOKEN`` only and is never
printed; hub failures are one line (:func:`medtune.modeling.hub.hub_errors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from medtune.config import ModelSettings
from medtune.errors import UsageError
from medtune.io import atomic_dir, write_text
from medtune.modeling.hub import check_repo_id, hub_errors, hub_offline, hub_token
from medtune.modeling.merge import merge_adapter
from medtune.sharing.card import CardSources, model_card
from medtune.sharing.model import copy_model_files

CARD = "README.md"
UNREACHABLE = "the Hugging Face hub is unreachable; check the network, or use --dry-run"


@dataclass(frozen=True)
class PushResult:
    """The folder sent (or that would be), its files and sizes, and the commit URL."""

    folder: Path
    files: list[tuple[str, int]]
    url: str | None = None


def stage(
    sources: CardSources,
    repo_id: str,
    folder: str | Path,
    *,
    merged: bool = False,
    base_model: str | None = None,
    model_settings: ModelSettings | None = None,
) -> PushResult:
    """Write the upload folder: the card and the adapter, or (``merged``) the adapter
    merged into its 16-bit base. A full model is sent as it is."""
    check_repo_id(repo_id)
    model = sources.model
    folder = Path(folder)
    with atomic_dir(folder, replaces=(CARD,)) as tmp:
        if merged and model.is_adapter:
            merge_adapter(model.path, tmp, base_model=base_model, model_settings=model_settings)
        else:
            copy_model_files(model.path, tmp)
        write_text(tmp / CARD, str(model_card(sources, repo_id, merged=merged and model.is_adapter)))
    files = [
        (p.relative_to(folder).as_posix(), p.stat().st_size) for p in sorted(folder.rglob("*")) if p.is_file()
    ]
    return PushResult(folder, files)


def upload(
    staged: PushResult, repo_id: str, *, private: bool = False, revision: str | None = None
) -> PushResult:
    """Send a staged folder to ``repo_id`` (created if needed) on ``revision`` (default main).

    Raises:
        UsageError: No ``$HF_TOKEN``, offline mode, or ``private`` asked of a public repo.
        ModelError: The hub refused the token or the request, or cannot be reached.
    """
    from huggingface_hub import HfApi

    token = hub_token()
    if not token:
        raise UsageError(
            "HF_TOKEN is not set: create a write token at https://huggingface.co/settings/tokens"
        )
    if hub_offline():
        raise UsageError("HF_HUB_OFFLINE=1: cannot push; unset it, or use --dry-run")
    api = HfApi(token=token)
    with hub_errors(repo_id, unreachable=UNREACHABLE):
        api.whoami()
        api.create_repo(repo_id, private=private, exist_ok=True)
        if private and not api.model_info(repo_id).private:
            raise UsageError(f"{repo_id} exists and is public; not uploading what was asked to be private")
        if revision:
            api.create_branch(repo_id, branch=revision, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo_id,
            folder_path=staged.folder,
            revision=revision,
            commit_message="Upload model and card with medtune push",
        )
    return PushResult(staged.folder, staged.files, commit.commit_url)
