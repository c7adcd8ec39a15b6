"""``medtune push``: the dry run writes and lists the folder a push sends, offline; the push
goes through huggingface_hub with $HF_TOKEN, and every failure is one line without the token."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx2
import pytest
from huggingface_hub import HfApi, ModelCard, constants, errors
from shared_runs import Workspace  # beside this file
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.errors import ModelError, UsageError
from medtune.sharing.card import gather_sources
from medtune.sharing.model import locate
from medtune.sharing.push import stage, upload

TOKEN = "hf_" + "Push1234567890abcdefghijklmn"


def push_cli(*args: str) -> Any:
    return CliRunner().invoke(app, ["push", "--repo-id", "my-org/tiny-medical", *args])


def test_dry_run_writes_and_lists_the_adapter_folder(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "upload"
    result = push_cli(
        "--model-path", str(workspace.lora_run), "--dry-run", "-o", str(out),
        "--eval-dir", str(workspace.eval_dir), "--benchmark-dir", str(tmp_path / "none"),
    )  # fmt: skip
    assert result.exit_code != 0 and "benchmark.json: no such file" in result.output
    assert not out.exists()
    result = push_cli(
        "--model-path", str(workspace.lora_run), "--dry-run", "-o", str(out),
        "--eval-dir", str(workspace.eval_dir),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"README.md", "adapter_model.safetensors", "adapter_config.json", "tokenizer.json"} <= names
    assert "training_args.bin" not in names
    assert all(name in result.output for name in names) and "nothing uploaded" in result.output
    card = ModelCard.load(out / "README.md")
    assert card.data.library_name == "peft" and card.data.eval_results


def test_merged_dry_run_sends_a_standalone_model(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "merged"
    result = push_cli(
        "--model-path", str(workspace.lora_run / "final"), "--merged", "--dry-run", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"README.md", "model.safetensors", "config.json", "tokenizer.json"} <= names
    assert "adapter_config.json" not in names
    card = ModelCard.load(out / "README.md")
    assert card.data.library_name == "transformers" and "merged into its 16-bit base" in card.text
    assert "lora" in card.data.tags and "peft" not in card.data.tags  # trained with LoRA, loads without peft


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"HF_TOKEN": TOKEN}, "HF_HUB_OFFLINE=1: cannot push"), ({}, "HF_TOKEN is not set")],
)
def test_push_without_hub_or_token_is_one_line(
    env: dict[str, str], expected: str, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = push_cli("--model-path", str(workspace.full_run), "-o", str(tmp_path / "up"))
    lines = result.output.strip().splitlines()
    assert result.exit_code == UsageError.exit_code
    assert lines[-1].startswith("error: ") and expected in lines[-1]
    assert TOKEN not in result.output


@pytest.fixture
def staged(workspace: Workspace, tmp_path: Path) -> Any:
    sources, _ = gather_sources(
        locate(workspace.full_run), default_eval_dir=tmp_path / "x", default_benchmark_dir=tmp_path / "x"
    )
    return stage(sources, "my-org/tiny-medical", tmp_path / "upload")


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A hub that answers: records the calls medtune makes."""
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    calls: dict[str, Any] = {"private_repo": True}

    def record(name: str, result: Any = None):
        def method(self: HfApi, *args: Any, **kwargs: Any) -> Any:
            assert self.token == TOKEN
            calls[name] = (args, kwargs)
            return result

        return method

    monkeypatch.setattr(HfApi, "whoami", record("whoami", {"name": "me"}))
    monkeypatch.setattr(HfApi, "create_repo", record("create_repo"))
    monkeypatch.setattr(HfApi, "create_branch", record("create_branch"))
    monkeypatch.setattr(
        HfApi, "model_info", lambda self, repo_id: SimpleNamespace(private=calls["private_repo"])
    )
    commit = SimpleNamespace(commit_url="https://huggingface.co/my-org/tiny-medical/commit/abc")
    monkeypatch.setattr(HfApi, "upload_folder", record("upload_folder", commit))
    return calls


def test_push_creates_the_repo_branch_and_uploads_the_staged_folder(
    staged: Any, online: dict[str, Any]
) -> None:
    pushed = upload(staged, "my-org/tiny-medical", private=True, revision="v1")
    assert pushed.url.endswith("/commit/abc")
    assert online["create_repo"] == (("my-org/tiny-medical",), {"private": True, "exist_ok": True})
    assert online["create_branch"][1] == {"branch": "v1", "exist_ok": True}
    upload_kwargs = online["upload_folder"][1]
    assert upload_kwargs["folder_path"] == staged.folder and upload_kwargs["revision"] == "v1"
    assert (staged.folder / "README.md").is_file() and (staged.folder / "model.safetensors").is_file()


def test_private_push_to_a_public_repo_is_refused(staged: Any, online: dict[str, Any]) -> None:
    online["private_repo"] = False
    with pytest.raises(UsageError, match="exists and is public"):
        upload(staged, "my-org/tiny-medical", private=True)
    assert "upload_folder" not in online


def _refuse(self: HfApi, *args: Any, **kwargs: Any) -> Any:
    response = httpx2.Response(401, request=httpx2.Request("GET", "https://huggingface.co/api/whoami-v2"))
    raise errors.HfHubHTTPError(f"401 Client Error for token {TOKEN}", response=response)


def _unreachable(self: HfApi, *args: Any, **kwargs: Any) -> Any:
    raise ConnectionError(f"cannot connect (token {TOKEN})")


@pytest.mark.parametrize(
    ("whoami", "expected"), [(_refuse, "refused the token (HTTP 401)"), (_unreachable, "unreachable")]
)
def test_hub_failures_are_one_line_without_the_token(
    whoami: Any, expected: str, staged: Any, online: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HfApi, "whoami", whoami)
    with pytest.raises(ModelError) as caught:
        upload(staged, "my-org/tiny-medical")
    message = str(caught.value)
    assert expected in message and "\n" not in message and TOKEN not in message
    assert "upload_folder" not in online


def test_a_malformed_repo_id_is_refused_before_anything_is_written(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app, ["push", "--model-path", str(workspace.full_run), "--repo-id", "no-owner", "--dry-run",
              "-o", str(tmp_path / "up")],
    )  # fmt: skip
    assert result.exit_code == UsageError.exit_code and "expected owner/name" in result.output
    assert not (tmp_path / "up").exists()


def test_staged_card_matches_the_manifest(staged: Any, workspace: Workspace) -> None:
    manifest = json.loads((workspace.full_run / "manifest.json").read_text())
    card = ModelCard.load(staged.folder / "README.md")
    assert f"{manifest['result']['tokens_seen']:,}" in card.text
    assert dict(staged.files)["README.md"] == (staged.folder / "README.md").stat().st_size
