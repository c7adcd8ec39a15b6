"""Planning a job offline: the request, the cost, and every bad input, with no AWS at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import SecretStr
from sm_helpers import HF_TOKEN, REGION, WANDB_KEY, write_processed

from medtune.cloud import images, plan_job, pricing
from medtune.config import Secrets, load_settings
from medtune.errors import ConfigError, DataError

pytestmark = pytest.mark.usefixtures("no_aws")


def secrets() -> Secrets:
    return Secrets(HF_TOKEN=SecretStr(HF_TOKEN), WANDB_API_KEY=SecretStr(WANDB_KEY))


def test_plan_needs_no_credentials_and_holds_no_secret(make_settings) -> None:
    settings = make_settings(
        sagemaker={"instance_type": "ml.p4d.24xlarge", "instance_count": 2, "use_spot": True},
        train={"deepspeed": "zero3"},
    )
    plan = plan_job(settings, secrets())
    request = plan.to_dict()
    text = json.dumps(request) + repr(plan) + plan.settings_toml

    assert HF_TOKEN not in text and WANDB_KEY not in text
    assert request["environment"] == {}  # DescribeTrainingJob would show any value put there
    assert any("HF_TOKEN and WANDB_API_KEY set here but not sent" in n for n in request["notes"])
    assert request["hyperparameters"] == {"deepspeed": "zero3"}
    assert request["distribution"] == {
        "type": "torchrun",
        "nodes": 2,
        "processes_per_node": 8,
        "world_size": 16,
    }
    assert request["image_uri"].endswith(
        "huggingface-pytorch-training:2.8.0-transformers4.56.2-gpu-py312-cu129-ubuntu22.04"
    )
    assert f".ecr.{REGION}." in request["image_uri"]
    assert request["uploads"] == {settings.data.data_dir: request["channels"]["data"]}
    assert request["checkpoint"]["local_path"] == "/opt/ml/checkpoints"
    assert request["stopping_condition"] == {
        "max_runtime_seconds": round(settings.sagemaker.max_run_hours * 3600),
        "max_wait_seconds": round(settings.sagemaker.max_wait_hours * 3600),
    }
    assert request["job_name"].startswith("medtune-")
    assert any(r.startswith("deepspeed") for r in request["requirements"])
    assert any(r.startswith("trl") for r in request["requirements"])


def test_a_token_secret_is_named_in_the_environment_and_no_token_is(make_settings) -> None:
    plan = plan_job(make_settings(sagemaker={"token_secret": "medtune/tokens"}), secrets())
    request = plan.to_dict()
    assert request["environment"] == {"MEDTUNE_TOKEN_SECRET": "medtune/tokens"}
    assert any("from the secret 'medtune/tokens'" in n for n in request["notes"])
    assert HF_TOKEN not in json.dumps(request) + plan.settings_toml


def test_shipped_settings_round_trip(make_settings, tmp_path: Path) -> None:
    settings = make_settings(train={"deepspeed": "zero2", "max_steps": 7})
    shipped = tmp_path / "shipped.toml"
    shipped.write_text(plan_job(settings).settings_toml)
    assert load_settings(shipped) == settings


def test_preference_job_carries_the_method_and_the_adapter_it_continues(
    make_settings, tmp_path: Path
) -> None:
    adapter = tmp_path / "sft" / "final"
    adapter.mkdir(parents=True)
    config = {"base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct", "r": 16}
    (adapter / "adapter_config.json").write_text(json.dumps(config))
    settings = make_settings(train={"method": "dpo", "init_adapter": str(adapter)}, preference={"beta": 0.2})
    plan = plan_job(settings)
    request = plan.to_dict()
    assert request["hyperparameters"] == {"method": "dpo", "init-adapter": "/opt/ml/input/data/adapter"}
    assert request["uploads"][str(adapter)] == request["channels"]["adapter"]
    shipped = tmp_path / "shipped.toml"
    shipped.write_text(plan.settings_toml)
    loaded = load_settings(shipped)
    assert loaded.train.method == "dpo" and loaded.preference.beta == 0.2
    assert loaded.train.init_adapter is None  # the job reads the adapter from its channel
    config["base_model_name_or_path"] = str(tmp_path)
    (adapter / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(ConfigError, match=r"base model: .* is a local folder"):
        plan_job(settings)


def test_user_deepspeed_file_ships_under_a_fixed_name(make_settings, tmp_path: Path) -> None:
    ds = tmp_path / "my_ds.json"
    ds.write_text('{"zero_optimization": {"stage": 3}}')
    plan = plan_job(make_settings(train={"deepspeed": str(ds)}))
    assert plan.hyperparameters == {"deepspeed": "deepspeed.json"}
    assert plan.deepspeed_file == ds
    assert 'deepspeed = "deepspeed.json"' in plan.settings_toml


def test_s3_data_is_used_as_is(make_settings) -> None:
    plan = plan_job(make_settings(data={"data_dir": "s3://other-bucket/processed"}))
    assert plan.channels["data"] == "s3://other-bucket/processed/"
    assert plan.to_dict()["uploads"] == {}


def test_cost_is_price_times_instances_times_hours(make_settings) -> None:
    on_demand = plan_job(make_settings(sagemaker={"instance_type": "ml.g5.12xlarge", "instance_count": 3}))
    spot = plan_job(
        make_settings(sagemaker={"instance_type": "ml.g5.12xlarge", "instance_count": 3, "use_spot": True})
    )
    hours = on_demand.max_run_seconds / 3600
    price = pricing.INSTANCES["ml.g5.12xlarge"].usd_per_hour
    assert on_demand.cost.on_demand_usd == pytest.approx(price * 3 * hours, abs=0.01)
    assert on_demand.cost.spot_usd is None
    low, high = spot.cost.spot_usd
    assert 0 < low < high < spot.cost.on_demand_usd
    assert on_demand.cost.prices_as_of == pricing.PRICES_AS_OF


@pytest.mark.parametrize(
    ("sections", "error", "fix"),
    [
        ({"role": None}, ConfigError, "--role"),
        ({"role": "SageMakerRole"}, ConfigError, "arn:aws:iam::"),
        ({"sagemaker": {"bucket": None}}, ConfigError, "--bucket"),
        ({"sagemaker": {"region": "us-middle-9"}}, ConfigError, "unknown region"),
        ({"sagemaker": {"region": None}}, ConfigError, "AWS_DEFAULT_REGION"),
        ({"sagemaker": {"instance_type": "ml.p4d.48xlarge"}}, ConfigError, "did you mean ml.p4d.24xlarge"),
        ({"sagemaker": {"instance_type": "ml.m5.xlarge"}}, ConfigError, "not a GPU training instance"),
        ({"sagemaker": {"use_spot": True, "max_wait_hours": 1.0}}, ConfigError, "max_wait_hours"),
        ({"sagemaker": {"job_name_prefix": "my_job"}}, ConfigError, "job_name_prefix"),
        ({"sagemaker": {"max_run_hours": 1000.0}}, ConfigError, "28 days"),
        ({"sagemaker": {"checkpoint_s3_uri": "bucket/ckpt"}}, ConfigError, "not an s3:// URI"),
        ({"train": {"deepspeed": "zero4"}}, ConfigError, "zero2, zero3"),
        ({"model": {"model_name": "."}}, ConfigError, "Hub repo id"),
        ({"train": {"optim": "adamw_typo"}}, ConfigError, "train.optim: unknown optimizer"),
    ],
)
def test_bad_input_is_one_line_naming_the_fix(make_settings, sections, error, fix) -> None:
    with pytest.raises(error) as info:
        plan_job(make_settings(**sections))
    assert fix in str(info.value) and "\n" not in str(info.value)


def test_data_folder_without_splits(make_settings, tmp_path: Path) -> None:
    only_train = write_processed(tmp_path / "partial", splits=("train",))
    with pytest.raises(DataError, match=r"no validation\.jsonl; run `medtune data prepare`"):
        plan_job(make_settings(data={"data_dir": str(only_train)}))


def test_unsupported_image_versions_list_the_nearest_supported(make_settings) -> None:
    with pytest.raises(ConfigError) as info:
        plan_job(make_settings(sagemaker={"transformers_version": "4.57.1"}))
    message = str(info.value)
    assert "nearest supported: transformers 4.56.2 / pytorch 2.8.0 / py312" in message
    for tf, pt, py in images.nearest_versions("4.57.1", "2.8.0"):
        settings = make_settings(
            sagemaker={"transformers_version": tf, "pytorch_version": pt, "py_version": py}
        )
        assert f"transformers{tf}" in images.image_uri(settings.sagemaker, REGION, "ml.g5.2xlarge")


def test_image_uri_override_skips_the_table(make_settings) -> None:
    uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-trainer:latest"
    plan = plan_job(make_settings(sagemaker={"image_uri": uri, "transformers_version": "0.0.1"}))
    assert plan.image_uri == uri


def test_gpu_counts_agree_with_the_sdk_table() -> None:
    from sagemaker.core import instance_types_gpu_info

    sdk = instance_types_gpu_info.retrieve(REGION)
    shared = set(sdk) & set(pricing.INSTANCES)
    assert len(shared) >= 10
    for name in shared:
        assert pricing.INSTANCES[name].gpus == sdk[name]["Count"], name
