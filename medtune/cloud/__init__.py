"""Run ``medtune train`` as an Amazon SageMaker training job.

``plan_job(settings)`` validates offline and returns a :class:`JobPlan` (what ``--dry-run``
shows); ``submit(plan)`` stages the code and creates the job with the SDK's v3
``ModelTrainer``; ``describe``/``wait``/``logs``/``download`` follow it. The SageMaker SDK
and boto3 are imported only inside the functions that call AWS.
"""

from medtune.cloud.job import JobPlan, plan_job
from medtune.cloud.jobs import JobStatus, describe, download, logs, wait
from medtune.cloud.submit import submit

__all__ = ["JobPlan", "JobStatus", "describe", "download", "logs", "plan_job", "submit", "wait"]
