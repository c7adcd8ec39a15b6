"""Settings: precedence, validation messages, provenance, secrets and the TOML round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtune.config import Secrets, Settings, load_settings, redact, resolve, to_toml
from medtune.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "run.toml"
    path.write_text(text)
    return path


def test_defaults_reproduce_the_seed_example() -> None:
    s = Settings()
    assert s.model.model_name.startswith("meta-llama/Llama-3.1-8B")
    assert (s.lora.r, s.lora.alpha, s.lora.dropout) == (16, 32, 0.05)
    assert s.lora.target_modules == [
        "q_proj",
        "k_proj",
        "v_proj",
        "o_proj",
        "gate_proj",
        "up_proj",
        "down_proj",
    ]
    assert (s.train.learning_rate, s.train.num_train_epochs, s.train.warmup_ratio) == (2e-4, 3, 0.1)
    assert (s.data.max_seq_length, s.data.per_device_train_batch_size) == (4096, 2)
    assert s.train.gradient_accumulation_steps == 4 and s.train.bf16 and not s.train.fp16


def test_precedence_flags_over_env_over_file_over_defaults(tmp_path: Path) -> None:
    cfg = write(tmp_path, "[train]\nlearning_rate = 1e-3\nmax_steps = 7\nseed = 1\n")
    env = {"MEDTUNE_TRAIN__MAX_STEPS": "9", "MEDTUNE_TRAIN__SEED": "2"}
    s, origin = resolve(cfg, {"train": {"seed": 3}}, environ=env)
    assert s.train.learning_rate == 1e-3  # file over default
    assert s.train.max_steps == 9  # env over file
    assert s.train.seed == 3  # flag over env
    assert s.train.warmup_ratio == 0.1  # default
    assert origin["train.learning_rate"] == str(cfg)
    assert origin["train.max_steps"] == "env MEDTUNE_TRAIN__MAX_STEPS"
    assert origin["train.seed"] == "flag"
    assert "train.warmup_ratio" not in origin


def test_none_flags_do_not_override(tmp_path: Path) -> None:
    cfg = write(tmp_path, "[train]\nmax_steps = 7\n")
    assert load_settings(cfg, {"train": {"max_steps": None}}, environ={}).train.max_steps == 7


def test_env_lists_parse_as_json() -> None:
    env = {"MEDTUNE_LORA__TARGET_MODULES": '["q_proj", "v_proj"]'}
    assert load_settings(None, environ=env).lora.target_modules == ["q_proj", "v_proj"]


def test_config_env_var_points_at_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = write(tmp_path, "[lora]\nr = 4\n")
    monkeypatch.setenv("MEDTUNE_CONFIG", str(cfg))
    assert load_settings(environ={}).lora.r == 4


def test_cwd_medtune_toml_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "medtune.toml").write_text("[lora]\nr = 8\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}).lora.r == 8


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ('[train]\nlearning_rate = "fast"\n', "train.learning_rate: Input should be a valid number"),
        ("[train]\nlearnin_rate = 1\n", "train.learnin_rate: unknown key"),
        ("[trian]\nseed = 1\n", "trian: unknown key"),
        ("[lora]\nr = 0\n", "lora.r: Input should be greater than 0"),
        ("[model]\nbits = 3\n", "model.bits: Input should be 4, 8 or 16"),
        ("[data]\ntrain_ratio = 0.9\n", "data: train_ratio + val_ratio + test_ratio must be 1"),
        ("[train]\nfp16 = true\n", "train: fp16 and bf16 cannot both be true"),
    ],
)
def test_invalid_file_values_name_file_and_key(tmp_path: Path, toml: str, needle: str) -> None:
    cfg = write(tmp_path, toml)
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, environ={})
    message = str(info.value)
    assert needle in message
    assert "\n" not in message


def test_invalid_value_from_file_is_attributed_to_file(tmp_path: Path) -> None:
    cfg = write(tmp_path, '[train]\nlearning_rate = "fast"\n')
    with pytest.raises(ConfigError, match=rf"^{cfg}: train\.learning_rate"):
        load_settings(cfg, environ={})


def test_env_bits_take_the_quantization_choices_as_text() -> None:
    assert load_settings(None, environ={"MEDTUNE_MODEL__BITS": "16"}).model.bits == 16
    with pytest.raises(ConfigError, match=r"MEDTUNE_MODEL__BITS: model\.bits: Input should be 4, 8 or 16"):
        load_settings(None, environ={"MEDTUNE_MODEL__BITS": "12"})


def test_invalid_env_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"env MEDTUNE_TRAIN__SEED: train\.seed"):
        load_settings(environ={"MEDTUNE_TRAIN__SEED": "abc"})
    with pytest.raises(ConfigError, match="MEDTUNE_TRAIN__SEEED is not a medtune setting"):
        load_settings(environ={"MEDTUNE_TRAIN__SEEED": "1"})
    with pytest.raises(ConfigError, match="MEDTUNE_NOPE is not a medtune setting"):
        load_settings(environ={"MEDTUNE_NOPE": "1"})


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml", environ={})
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(write(tmp_path, "[train\n"), environ={})
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[model]\nmodel_name = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"latin1\.toml: not UTF-8 text \(byte 25\)"):
        load_settings(latin1, environ={})


def test_to_toml_round_trips_and_teaches(tmp_path: Path) -> None:
    s = load_settings(None, {"train": {"max_steps": 11}, "model": {"tokenizer_name": "tok"}}, environ={})
    text = to_toml(s)
    assert "# Peak learning rate." in text
    assert "# revision =" in text  # unset optional keys are shown, commented out
    again = load_settings(write(tmp_path, text), environ={})
    assert again == s


def test_secrets_are_not_settings_and_get_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefghijklmnopqrstuvwxyz123456")
    monkeypatch.setenv("WANDB_API_KEY", "wandb-secret-value-123")
    secrets = Secrets()
    assert "hf_abc" not in repr(secrets)
    text = (
        "token=hf_abcdefghijklmnopqrstuvwxyz123456 key=wandb-secret-value-123"
        " other=hf_zzzzzzzzzzzzzzzzzzzzzzzz"
    )
    cleaned = redact(text, secrets)
    assert "hf_abc" not in cleaned and "wandb-secret" not in cleaned and "hf_zzz" not in cleaned
    assert cleaned.count("***") == 3
    assert "hf_abc" not in to_toml(Settings())


def test_environ_argument_isolates_from_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDTUNE_TRAIN__MAX_STEPS", "7")
    assert load_settings(None, {"train": {"seed": 3}}, environ={}).train.max_steps == -1
    assert load_settings(None, {}).train.max_steps == 7


def test_scalar_section_and_bad_env_list_are_config_errors(tmp_path: Path) -> None:
    cfg = write(tmp_path, 'model = "x"\n')
    with pytest.raises(ConfigError, match="model"):
        load_settings(cfg, environ={"MEDTUNE_MODEL__BITS": "8"})
    with pytest.raises(ConfigError, match="list settings take JSON"):
        load_settings(environ={"MEDTUNE_TRAIN__REPORT_TO": "wandb"})
