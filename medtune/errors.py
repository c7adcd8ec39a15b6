"""One flat hierarchy of user-facing errors.

Each carries a one-line message that names the file, line or key at fault and, where
there is one, the fix. The CLI maps them to a red line on stderr and an exit code; the
library raises them and never prints.
"""

from __future__ import annotations


class MedtuneError(Exception):
    """Base class: a problem the user can fix, reported in one line."""

    exit_code = 1


class ConfigError(MedtuneError):
    """A setting has a wrong type, an unknown key or an impossible value."""

    exit_code = 2


class UsageError(MedtuneError):
    """A combination of options that cannot work (e.g. fp16 on a CPU)."""

    exit_code = 2


class DataError(MedtuneError):
    """Input data is missing, unreadable, malformed or empty."""


class ModelError(MedtuneError):
    """A model, tokenizer or adapter cannot be found, downloaded or loaded."""


class HardwareError(MedtuneError):
    """The requested hardware feature is not available on this machine."""

    exit_code = 2


class CloudError(MedtuneError):
    """A cloud (SageMaker/S3/IAM) request cannot be made or was refused."""


class RegressionFound(MedtuneError):
    """A do-no-harm gate failed: the fine-tuned model is worse than its base beyond chance."""

    exit_code = 3


class Problems(MedtuneError):
    """Several problems found at once (a dry run reports them all), on one line."""

    def __init__(self, problems: list[MedtuneError]) -> None:
        super().__init__(f"{len(problems)} problems: " + "; ".join(map(str, problems)))
        self.exit_code = max(p.exit_code for p in problems)
