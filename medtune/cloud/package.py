"""The job's source code folder: the medtune package, its entry script, settings and pins."""

from __future__ import annotations

import shutil
from pathlib import Path

import medtune
from medtune.cloud import entry
from medtune.cloud.job import DEEPSPEED_FILE, ENTRY_SCRIPT, SETTINGS_FILE, JobPlan
from medtune.io import write_text

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def stage_source(plan: JobPlan, dest: Path) -> Path:
    """Fill ``dest`` with what the job's ``code`` channel carries; returns ``dest``.

    The ``medtune`` package is copied as source (with its resources, e.g. the DeepSpeed
    presets), so the job runs exactly the code that planned it. Secrets are not settings,
    so the settings file holds none.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(Path(medtune.__file__).parent, dest / "medtune", ignore=IGNORE, dirs_exist_ok=True)
    shutil.copy2(entry.__file__, dest / ENTRY_SCRIPT)
    write_text(dest / SETTINGS_FILE, plan.settings_toml)
    write_text(dest / "requirements.txt", "\n".join(plan.requirements) + "\n")
    if plan.deepspeed_file is not None:
        shutil.copy2(plan.deepspeed_file, dest / DEEPSPEED_FILE)
    return dest
