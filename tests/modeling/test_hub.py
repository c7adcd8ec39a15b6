"""Hub access: failures become one-line ModelErrors, downloads are verified, local folders win."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx2
import huggingface_hub
import pytest
from huggingface_hub import constants, errors

from medtune.errors import ModelError
from medtune.modeling import hub

REPO = "meta-llama/Llama-3.1-8B-Instruct"
TOKEN = "hf_" + "x" * 34


def _response(status: int) -> httpx2.Response:
    return httpx2.Response(status, request=httpx2.Request("GET", f"https://huggingface.co/api/models/{REPO}"))


def _fake_model(folder: Path, shards: int = 1, tokenizer: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text("{}")
    names = [f"model-{i:05d}-of-{shards:05d}.safetensors" for i in range(1, shards + 1)]
    if shards == 1:
        names = ["model.safetensors"]
    else:
        weight_map = {f"layer.{i}.weight": name for i, name in enumerate(names)}
        (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}))
    for name in names:
        (folder / name).write_bytes(b"\0")
    if tokenizer:
        (folder / "tokenizer.json").write_text("{}")
    return folder


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (errors.GatedRepoError("gated", response=_response(403)), "is gated"),
        (errors.RepositoryNotFoundError("nope", response=_response(401)), "repository not found"),
        (errors.RevisionNotFoundError("nope", response=_response(404)), "no such revision"),
        (errors.HfHubHTTPError("bad token", response=_response(401)), "refused the token"),
        (errors.HfHubHTTPError("down", response=_response(503)), "HTTP 503"),
        (errors.LocalEntryNotFoundError("no connection"), "hub is unreachable; pass a local folder"),
        (httpx2.ConnectError("dns failure"), "hub is unreachable; pass a local folder"),
    ],
)
def test_pull_maps_hub_failures_to_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, exc: Exception, expected: str
) -> None:
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    seen: dict = {}

    def fail(repo_id: str, **kwargs) -> str:
        seen.update(kwargs)
        raise exc

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fail)
    with pytest.raises(ModelError) as info:
        hub.pull(REPO, tmp_path / "m", token=TOKEN)
    message = str(info.value)
    assert expected in message and REPO in message
    assert "\n" not in message and TOKEN not in message
    assert info.value.__cause__ is None
    assert seen["token"] == TOKEN


def test_pull_takes_the_token_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    seen: dict = {}

    def download(repo_id: str, **kwargs) -> str:
        seen.update(kwargs)
        return str(_fake_model(Path(kwargs["local_dir"])))

    monkeypatch.setattr(huggingface_hub, "snapshot_download", download)
    assert hub.pull(REPO, tmp_path / "m") == tmp_path / "m"
    assert seen["token"] == TOKEN
    patterns = seen["allow_patterns"]
    assert "*.safetensors" in patterns and not any(p.endswith((".bin", ".pth")) for p in patterns)


def test_real_offline_pull_fails_fast_with_one_line(tmp_path: Path) -> None:
    assert constants.HF_HUB_OFFLINE  # conftest turns the hub off before anything imports it
    with pytest.raises(ModelError, match=r"not in the hub cache while offline \(HF_HUB_OFFLINE=1\)"):
        hub.pull("medtune-tests/never-cached-model", tmp_path / "m")


def test_verify_accepts_a_whole_sharded_folder(tmp_path: Path) -> None:
    folder = _fake_model(tmp_path / "m", shards=3)
    assert hub.verify_model_dir(folder) == folder


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda f: (f / "config.json").unlink(), "config.json is missing"),
        (lambda f: [p.unlink() for p in f.glob("*.safetensors")], "no *.safetensors"),
        (lambda f: (f / "model-00002-of-00003.safetensors").unlink(), "1 shard(s) missing"),
        (lambda f: (f / "tokenizer.json").unlink(), "no tokenizer"),
        (lambda f: (f / "model.safetensors.index.json").write_text("[]"), "unreadable shard index"),
    ],
)
def test_verify_rejects_an_incomplete_folder(tmp_path: Path, breakage, expected: str) -> None:
    folder = _fake_model(tmp_path / "m", shards=3)
    breakage(folder)
    with pytest.raises(ModelError, match=re.escape(expected)):
        hub.verify_model_dir(folder)


def test_resolve_uses_a_local_folder_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _fake_model(tmp_path / "my-model")
    monkeypatch.chdir(tmp_path)
    assert hub.resolve_model(folder) == str(folder)
    assert hub.resolve_model("my-model", local_only=True) == "my-model"


def test_resolve_passes_a_repo_id_through_when_online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hub, "hub_reachable", lambda: True)
    assert hub.resolve_model(REPO) == REPO


def test_an_unreachable_hub_is_probed_once_then_the_process_works_offline(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    probes = []

    class Session:
        def head(self, url: str, timeout: float) -> None:
            probes.append(timeout)
            raise httpx2.ConnectTimeout("no answer")

    monkeypatch.setattr(huggingface_hub, "get_session", Session)
    for _ in range(3):
        with pytest.raises(
            ModelError, match=r"not in the hub cache while offline \(the hub did not answer\)"
        ):
            hub.resolve_model(REPO)
    assert probes == [hub.PROBE_TIMEOUT]  # one short probe, then offline without retries
    assert constants.HF_HUB_OFFLINE and hub.hub_offline()
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "working offline" in caplog.records[0].message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("./models/missing", "not a model folder"),
        ("/no/such/model", "not a model folder"),
        ("bad name with spaces", "neither a local folder nor a hub repo id"),
        (REPO, r"not in the hub cache while offline \(HF_HUB_OFFLINE=1\)"),
    ],
)
def test_resolve_rejects_what_it_cannot_find_offline(name: str, expected: str) -> None:
    with pytest.raises(ModelError, match=expected):
        hub.resolve_model(name)


def test_resolve_finds_a_cached_snapshot_offline(tmp_path: Path) -> None:
    commit = "0" * 40
    storage = tmp_path / "models--medtune--cached"
    snapshot = _fake_model(storage / "snapshots" / commit)
    (storage / "refs").mkdir()
    (storage / "refs" / "main").write_text(commit)
    assert Path(hub.resolve_model("medtune/cached", cache_dir=tmp_path)) == snapshot


def test_cli_pull_defaults_to_models_slash_repo_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from medtune.cli.app import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        huggingface_hub, "snapshot_download", lambda repo_id, **kw: str(_fake_model(kw["local_dir"]))
    )
    result = CliRunner().invoke(app, ["model", "pull", "medtune/Some-Model", "--token", TOKEN])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "models" / "Some-Model" / "config.json").is_file()
    assert TOKEN not in result.output

    monkeypatch.undo()  # the real snapshot_download, offline
    result = CliRunner().invoke(app, ["model", "pull", "medtune/never-cached", "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: medtune/never-cached: not in the hub cache")
    assert len(result.stderr.strip().splitlines()) == 1


def test_hub_reachable_is_false_at_once_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "ENDPOINT", "http://203.0.113.1")  # would hang if it were asked
    monkeypatch.setattr(hub, "PROBE_TIMEOUT", 30.0)
    assert hub.hub_reachable() is False


def test_hub_reachable_asks_once_and_reads_any_answer_as_reachable(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class NotFound(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.handle_request, daemon=True).start()
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    try:
        assert hub.hub_reachable() is True
        assert hub.hub_reachable() is True  # asked once: the server answered one request only
    finally:
        server.server_close()
    hub.hub_reachable.cache_clear()
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    assert hub.hub_reachable() is False and hub.hub_offline()
