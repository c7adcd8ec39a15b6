"""The task configs medtune writes: lm-eval's official config with only the dataset swapped
for the local files (prompt, choices, target and metrics untouched), or unchanged for the hub."""

from __future__ import annotations

from pathlib import Path

from lm_eval.tasks._yaml_loader import load_yaml

from medtune.benchmark.harness import tasks_root, write_tasks
from medtune.benchmark.sources import TaskData, resolve
from medtune.benchmark.tasks import MULTIMEDQA, TASKS

DATASET_KEYS = {"dataset_path", "dataset_name", "dataset_kwargs", "training_split", "validation_split"}
DATASET_KEYS |= {"test_split", "fewshot_split", "task", "tag", "task_alias"}


def test_local_configs_are_the_official_ones_over_local_files(releases: Path, tmp_path: Path) -> None:
    write_tasks(resolve(MULTIMEDQA, releases, fewshot=True, hub_reachable=lambda: False), tmp_path)
    for name in MULTIMEDQA:
        ours = load_yaml(tmp_path / f"{name}.yaml", resolve_func=False)
        official = load_yaml(tasks_root() / TASKS[name].official, resolve_func=False)
        assert ours["task"] == name and ours["dataset_path"] == "json" and ours["dataset_name"] is None
        same = {k: v for k, v in official.items() if k not in DATASET_KEYS}
        assert {k: ours[k] for k in same} == same  # prompt, choices, target, metrics, description
        assert ours["test_split"] == official["test_split"]
        files = ours["dataset_kwargs"]["data_files"]
        assert all(Path(path).is_file() for path in files.values())
    assert set(load_yaml(tmp_path / "medmcqa.yaml")["dataset_kwargs"]["data_files"]) == {
        "validation",
        "train",
    }
    mmlu = load_yaml(tmp_path / "mmlu_anatomy.yaml", resolve_func=False)
    assert mmlu["fewshot_split"] == "dev" and mmlu["training_split"] is None


def test_a_hub_task_is_the_official_config_unchanged(tmp_path: Path) -> None:
    write_tasks([TaskData(TASKS["mmlu_anatomy"], "hub")], tmp_path)
    ours = load_yaml(tmp_path / "mmlu_anatomy.yaml", resolve_func=False)
    assert ours == load_yaml(tasks_root() / TASKS["mmlu_anatomy"].official, resolve_func=False)
    assert ours["dataset_path"] == "cais/mmlu" and not (tmp_path / "data").exists()
