"""The MultiMedQA tasks: their lm-evaluation-harness names, official task configs, hub
datasets and the original releases medtune reads offline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from medtune.errors import ConfigError

GROUP = "multimedqa"
MMLU_SUBJECTS = (
    "anatomy",
    "clinical_knowledge",
    "college_biology",
    "college_medicine",
    "medical_genetics",
    "professional_medicine",
)
MMLU_URL = "MMLU's data.tar, https://people.eecs.berkeley.edu/~hendrycks/data.tar"


@dataclass(frozen=True)
class TaskSpec:
    """One lm-eval task and where its data lives.

    ``official`` is the task's YAML under ``lm_eval/tasks``; ``test_file`` the original
    release's evaluated file under ``--data-dir`` (``fewshot_file`` its solved examples);
    ``origin`` names where that file comes from. ``test_split`` and ``fewshot_split`` are the
    split names the official config reads them as."""

    name: str
    family: str
    official: str
    hub: str
    test_file: str
    fewshot_file: str
    origin: str
    test_split: str = "test"
    fewshot_split: str = "train"

    @property
    def subject(self) -> str | None:
        """The MMLU subject (None for the other families)."""
        return self.name.removeprefix("mmlu_") if self.family == "mmlu" else None


def _mmlu(subject: str) -> TaskSpec:
    return TaskSpec(
        name=f"mmlu_{subject}",
        family="mmlu",
        official=f"mmlu/default/mmlu_{subject}.yaml",
        hub=f"cais/mmlu ({subject})",
        test_file=f"mmlu/{subject}_test.csv",
        fewshot_file=f"mmlu/{subject}_dev.csv",
        origin=f"data/test/ and data/dev/ of {MMLU_URL}",
        fewshot_split="dev",
    )


TASKS: dict[str, TaskSpec] = {
    spec.name: spec
    for spec in (
        TaskSpec(
            name="medqa_4options",
            family="medqa",
            official="medqa/medqa.yaml",
            hub="GBaker/MedQA-USMLE-4-options-hf",
            test_file="medqa/phrases_no_exclude_test.jsonl",
            fewshot_file="medqa/phrases_no_exclude_train.jsonl",
            origin="data_clean/questions/US/4_options/ of MedQA, https://github.com/jind11/MedQA",
        ),
        TaskSpec(
            name="medmcqa",
            family="medmcqa",
            official="medmcqa/medmcqa.yaml",
            hub="openlifescienceai/medmcqa",
            test_file="medmcqa/dev.json",
            fewshot_file="medmcqa/train.json",
            origin="MedMCQA's data release, https://github.com/medmcqa/medmcqa",
            test_split="validation",
        ),
        TaskSpec(
            name="pubmedqa",
            family="pubmedqa",
            official="pubmedqa/pubmedqa.yaml",
            hub="bigbio/pubmed_qa (pubmed_qa_labeled_fold0_source)",
            test_file="pubmedqa/ori_pqal.json",
            fewshot_file="pubmedqa/ori_pqal.json",
            origin="data/ of PubMedQA, https://github.com/pubmedqa/pubmedqa",
        ),
        *(_mmlu(subject) for subject in MMLU_SUBJECTS),
    )
}
#: The multiple-choice MultiMedQA, as lm-eval's ``multimedqa`` group defines it.
MULTIMEDQA: tuple[str, ...] = tuple(TASKS)


def select(names: Sequence[str]) -> list[str]:
    """Task names from ``names`` (each may be a comma list; ``multimedqa`` = all nine), in
    MultiMedQA order without repeats; an unknown name is a ConfigError listing the valid ones."""
    wanted: set[str] = set()
    for raw in names:
        for name in (part.strip() for part in raw.split(",")):
            if name == GROUP:
                wanted.update(MULTIMEDQA)
            elif name in TASKS:
                wanted.add(name)
            elif name:
                raise ConfigError(
                    f"benchmark.tasks: unknown task {name!r} (choose from {GROUP}, {', '.join(MULTIMEDQA)})"
                )
    if not wanted:
        raise ConfigError("benchmark.tasks: no task selected")
    return [name for name in MULTIMEDQA if name in wanted]
