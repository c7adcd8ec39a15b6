"""Data: sources, hygiene, the prompt template, Diagnosis/Treatment structuring and the split.

Notebook use: ``from medtune.data import prepare; prepare(load_settings())``.
"""

from medtune.data.prepare import prepare

__all__ = ["prepare"]
