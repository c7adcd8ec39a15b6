"""Preference tuning on the tiny model: DPO learns the preferred answer, ORPO and KTO train,
the token ids are SFT's, resume and --init-adapter behave as for SFT."""

from __future__ import annotations

import json
import os
import random
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from safetensors.torch import load_file

from medtune.config import Settings
from medtune.data.template import DEFAULT_INSTRUCTION
from medtune.errors import ConfigError, DataError
from medtune.training import TrainPlan, TrainResult, train
from medtune.training import plan as plan_run
from medtune.training.callbacks import InterruptCallback
from medtune.training.dataset import tokenize_records
from medtune.training.preference import tokenize

SIGNS = ["chest pain", "severe bleeding", "trouble breathing", "fainting", "a seizure", "slurred speech"]


def pair_records(n: int, seed: int) -> list[dict[str, Any]]:
    """Red-flag questions; ``chosen`` is ``rejected`` plus advice to go to the emergency room."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        sign = rng.choice(SIGNS)
        answer = f"Hello. This may be viral. Please rest and drink fluids for {rng.randint(2, 5)} days."
        records.append(
            {
                "id": f"p{seed}-{i}",
                "instruction": DEFAULT_INSTRUCTION,
                "input": f"Hi doctor, I have {sign} since {rng.randint(1, 9)} hours. What should I do?",
                "chosen": f"{answer} Because you have {sign}, go to the emergency room now.",
                "rejected": answer,
            }
        )
    return records


@pytest.fixture(scope="module")
def pairs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pairs")
    for name, records in (("train", pair_records(16, seed=0)), ("validation", pair_records(4, seed=1))):
        (path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture
def pref_settings(make_settings: Callable[..., Settings], pairs_dir: Path) -> Callable[..., Settings]:
    def build(method: str = "dpo", **sections: dict[str, Any]) -> Settings:
        data = {"data_dir": str(pairs_dir), "max_seq_length": 128, **sections.pop("data", {})}
        train_section = {"method": method, **sections.pop("train", {})}
        return make_settings(data=data, train=train_section, **sections)

    return build


def margin(model: Any, tokenizer: Any, records: list[dict[str, Any]]) -> float:
    """Mean over ``records`` of log p(chosen | prompt) - log p(rejected | prompt)."""
    examples, _ = tokenize(tokenizer, records, "dpo", max_length=512)
    total = 0.0
    with torch.no_grad():
        for example in examples:
            for key, sign in (("chosen_ids", 1), ("rejected_ids", -1)):
                prompt, answer = example["prompt_ids"], example[key]
                ids = torch.tensor([prompt + answer])
                logps = model(input_ids=ids).logits[0, :-1].float().log_softmax(-1)
                targets = ids[0, 1:]
                total += (
                    sign * logps[len(prompt) - 1 :].gather(1, targets[len(prompt) - 1 :, None]).sum().item()
                )
    return total / len(examples)


def test_token_ids_are_the_sft_template_with_one_bos(
    pref_settings: Callable[..., Settings], tiny_model: Path
) -> None:
    from medtune.modeling.loader import load_tokenizer
    from medtune.training.preference import arguments, load_policy, make_trainer

    settings = pref_settings(data={"max_seq_length": 512})
    tokenizer = load_tokenizer(settings.model)
    records = pair_records(2, seed=5)
    examples, stats = tokenize(tokenizer, records, "dpo", max_length=512)
    model, peft_config, _ = load_policy(settings, "cpu")
    trainer = make_trainer(
        settings, model, arguments(settings, "cpu", has_eval=False), tokenizer, examples, [], [], peft_config
    )
    batch = next(iter(trainer.get_train_dataloader()))
    for side, offset in (("chosen", 0), ("rejected", 2)):
        sft, _ = tokenize_records(tokenizer, [{**r, "output": r[side]} for r in records], max_seq_length=512)
        for i, example in enumerate(sft):
            row = batch["input_ids"][offset + i][batch["attention_mask"][offset + i].bool()].tolist()
            assert row == example["input_ids"]  # SFT's ids: prompt from the one template, answer + EOS
            assert row.count(tokenizer.bos_token_id) == 1 and row[-1] == tokenizer.eos_token_id
            trained = batch["completion_mask"][offset + i][: len(row)].tolist()
            assert trained == [label != -100 for label in example["labels"]]  # answer only
    assert stats.examples == 2 and stats.truncated == stats.dropped == 0


def test_dpo_raises_the_margin_on_held_out_pairs(
    pref_settings: Callable[..., Settings], tiny_model: Path
) -> None:
    from medtune.modeling.loader import load_for_inference, load_model, load_tokenizer

    settings = pref_settings(
        lora={"r": 8, "alpha": 16, "dropout": 0.0},
        train={"max_steps": 10, "learning_rate": 5e-3, "logging_steps": 5, "report_to": ["tensorboard"]},
    )
    held_out = pair_records(6, seed=99)
    tokenizer = load_tokenizer(settings.model)
    before = margin(load_model(settings.model, for_training=False, device="cpu"), tokenizer, held_out)
    result = train(settings)
    assert isinstance(result, TrainResult) and result.global_step == 10
    model, tokenizer = load_for_inference(result.final_dir)
    after = margin(model, tokenizer, held_out)
    assert after > before + 1.0, (before, after)
    assert result.figures["rewards/margins"] > 0 and "eval_rewards/accuracies" in result.figures
    manifest = json.loads((result.output_dir / "manifest.json").read_text())
    assert manifest["settings"]["train"]["method"] == "dpo"
    assert manifest["result"]["figures"] == pytest.approx(result.figures)
    assert any("adapter disabled" in note for note in manifest["result"]["notes"])
    log = next((result.output_dir / "logs").glob("training_*.log")).read_text()
    assert '"rewards/margins"' in log and '"rewards/accuracies"' in log
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    (events,) = (result.output_dir / "runs").rglob("events.out.tfevents.*")
    tags = EventAccumulator(str(events)).Reload().Tags()["scalars"]
    assert {"train/rewards/margins", "train/rewards/accuracies", "eval/rewards/chosen"} <= set(tags)
    assert not (result.output_dir / "README.md").exists()  # no TRL model card in the run folder


@pytest.mark.parametrize(("method", "bits"), [("orpo", 16), ("kto", 4)])
def test_orpo_and_kto_save_a_loadable_adapter(
    method: str, bits: int, pref_settings: Callable[..., Settings], tiny_model: Path
) -> None:
    from medtune.data.template import render_prompt
    from medtune.evaluation.generate import generate
    from medtune.modeling.loader import load_for_inference

    result = train(pref_settings(method, model={"bits": bits}))
    assert isinstance(result, TrainResult) and result.global_step == 2 and result.tokens_seen > 0
    assert {"rewards/chosen", "rewards/rejected"} <= result.figures.keys()
    model, tokenizer = load_for_inference(result.final_dir)
    record = pair_records(1, seed=3)[0]
    [[(_, answer)]] = list(generate(model, tokenizer, [render_prompt(tokenizer, record)], max_new_tokens=4))
    assert answer.num_new_tokens > 0
    weights = load_file(result.final_dir / "adapter_model.safetensors")
    assert all(t.dtype == torch.float32 for t in weights.values())  # TRL's bf16 cast of 4-bit adapters undone


def test_interrupted_then_resumed_equals_uninterrupted(
    pref_settings: Callable[..., Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    common = {"max_steps": 4, "save_steps": 4, "logging_steps": 1}
    straight = train(pref_settings(train={**common, "output_dir": str(tmp_path / "straight")}))
    assert isinstance(straight, TrainResult)
    original = InterruptCallback.on_step_end

    def ctrl_c_at_step_2(self: InterruptCallback, args: Any, state: Any, control: Any, **kw: Any) -> None:
        if state.global_step == 2 and not self.interrupted:
            os.kill(os.getpid(), signal.SIGINT)
        original(self, args, state, control, **kw)

    monkeypatch.setattr(InterruptCallback, "on_step_end", ctrl_c_at_step_2)
    split = pref_settings(train={**common, "output_dir": str(tmp_path / "split")})
    first = train(split)
    assert isinstance(first, TrainResult) and first.interrupted and first.global_step == 2
    assert first.final_dir is None and (tmp_path / "split" / "checkpoint-2").is_dir()
    monkeypatch.setattr(InterruptCallback, "on_step_end", original)
    resumed = train(
        pref_settings(
            train={**common, "output_dir": str(tmp_path / "split"), "resume_from_checkpoint": "auto"}
        )
    )
    assert isinstance(resumed, TrainResult) and resumed.global_step == 4
    assert resumed.train_loss == pytest.approx(straight.train_loss, abs=1e-5)
    assert resumed.figures["rewards/margins"] == pytest.approx(straight.figures["rewards/margins"], abs=1e-5)


def test_dpo_continues_an_sft_adapter_and_records_the_chain(
    make_settings: Callable[..., Settings], pref_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    sft = train(make_settings(train={"output_dir": str(tmp_path / "sft")}))
    assert isinstance(sft, TrainResult) and sft.final_dir is not None
    settings = pref_settings(
        model={"model_name": "not/used-the-adapter-names-its-base"},
        lora={"r": 2},  # replaced by the adapter's own settings
        train={"init_adapter": str(sft.final_dir), "output_dir": str(tmp_path / "dpo")},
    )
    dpo = train(settings)
    assert isinstance(dpo, TrainResult) and dpo.final_dir is not None
    config = json.loads((dpo.final_dir / "adapter_config.json").read_text())
    assert config["r"] == 4  # the SFT adapter's rank, continued
    assert not (dpo.final_dir / "ref").exists()  # TRL's frozen reference copy is not saved
    sft_weights = load_file(sft.final_dir / "adapter_model.safetensors")
    dpo_weights = load_file(dpo.final_dir / "adapter_model.safetensors")
    assert sft_weights.keys() == dpo_weights.keys()
    assert any(not torch.equal(sft_weights[k], dpo_weights[k]) for k in sft_weights)
    manifest = json.loads((dpo.output_dir / "manifest.json").read_text())
    base = make_settings().model.model_name
    assert manifest["lineage"] == [
        {"base_model": base},
        {"method": "sft", "run": str(tmp_path / "sft"), "continued": str(sft.final_dir)},
        {"method": "dpo", "run": str(tmp_path / "dpo")},
    ]
    assert manifest["settings"]["model"]["model_name"] == base
    assert any("a frozen copy" in note for note in dpo.notes)


def test_smoke_runs_the_preference_config_on_a_tiny_model(pref_settings: Callable[..., Settings]) -> None:
    settings = pref_settings("kto", model={"bits": 4}, train={"max_steps": 50})
    result = train(settings, smoke=True)
    assert isinstance(result, TrainResult) and result.global_step == 3
    assert result.output_dir == Path(settings.train.output_dir) / "smoke"
    assert (result.final_dir / "adapter_model.safetensors").is_file()
    manifest = json.loads((result.output_dir / "manifest.json").read_text())
    assert manifest["settings"]["train"]["method"] == "kto" and manifest["settings"]["model"]["bits"] == 4


def test_dry_run_shows_both_answers_and_trains_nothing(pref_settings: Callable[..., Settings]) -> None:
    settings = pref_settings()
    plan = plan_run(settings)
    assert isinstance(plan, TrainPlan)
    assert plan.example_titles[:2] == ["example 1, chosen", "example 1, rejected"]
    chosen, rejected = plan.examples[:2]
    assert chosen[0] == rejected[0] and not chosen[0][1]  # one prompt, masked
    assert chosen[1][1] and "emergency room" in chosen[1][0] and "emergency room" not in rejected[1][0]
    assert 0 < plan.trainable_parameters < plan.parameters and plan.estimated_seconds > 0
    assert plan.train_tokens["examples"] == 16
    assert not Path(settings.train.output_dir).exists()


def test_wrong_data_or_loss_is_one_line(
    pref_settings: Callable[..., Settings], make_settings: Callable[..., Settings], data_dir: Path
) -> None:
    with pytest.raises(ConfigError, match="'kto' is not a DPO loss; use one of sigmoid"):
        train(pref_settings(preference={"loss_type": "kto"}))
    with pytest.raises(ConfigError, match="KTO estimates its KL term"):
        train(pref_settings("kto", data={"per_device_train_batch_size": 1}))
    with pytest.raises(DataError, match="--method dpo trains on preference data"):
        train(pref_settings(data={"data_dir": str(data_dir)}))
    with pytest.raises(DataError, match="preference data\\? --method dpo"):
        train(make_settings(data={"data_dir": pref_settings().data.data_dir}))


def test_cli_flags_dry_run_and_refusals(pref_settings: Callable[..., Settings], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from medtune.cli.app import app
    from medtune.config import to_toml

    config = tmp_path / "medtune.toml"
    config.write_text(to_toml(pref_settings(method="sft")))
    runner = CliRunner()
    result = runner.invoke(
        app, ["train", "--config", str(config), "--method", "dpo", "--beta", "0.3", "--dry-run", "--verbose"]
    )
    assert result.exit_code == 0, result.output
    assert "example 1, chosen" in result.output and "example 1, rejected" in result.output
    assert '"beta": 0.3' in result.output and '"method": "dpo"' in result.output
    for args, env, message in (
        (["--beta", "0"], {}, "preference.beta: Input should be greater than 0"),
        (["--method", "rlhf"], {}, "train.method: Input should be 'sft', 'dpo', 'orpo' or 'kto'"),
        (["--method", "orpo"], {"MEDTUNE_PREFERENCE__LOSS_TYPE": "ipo"}, "ORPO has one loss"),
        # checked before --gpus 2 starts any process
        (["--method", "dpo", "--gpus", "2"], {"MEDTUNE_PREFERENCE__LOSS_TYPE": "kto"}, "not a DPO loss"),
    ):
        result = runner.invoke(app, ["train", "--config", str(config), *args], env=env)
        assert result.exit_code == 2, result.output
        (line,) = [ln for ln in result.output.splitlines() if ln.strip()]
        assert message in line, line


@pytest.mark.parametrize("method", ["dpo", "orpo", "kto"])
def test_medtune_settings_win_over_trl_defaults(method: str, pref_settings: Callable[..., Settings]) -> None:
    from medtune.training.preference import arguments

    settings = pref_settings(method, train={"gradient_checkpointing": True}, preference={"beta": 0.25})
    args = arguments(settings, "cpu", has_eval=False)
    assert type(args).__name__ == {"dpo": "DPOConfig", "orpo": "ORPOConfig", "kto": "KTOConfig"}[method]
    assert not args.bf16 and not args.fp16 and args.use_cpu  # TRL defaults to bf16
    assert args.learning_rate == settings.train.learning_rate  # TRL defaults to 1e-6
    assert args.gradient_checkpointing and args.beta == 0.25 and args.max_length == 128
    assert args.logging_steps == settings.train.logging_steps and args.seed == settings.train.seed
    assert not arguments(
        pref_settings(method, train={"gradient_checkpointing": False}), "cpu", has_eval=False
    ).gradient_checkpointing
