"""Error analysis of an evaluation's predictions: specialties, error types, plots, report.

>>> from medtune.analysis import analyze
>>> result = analyze("outputs/evaluation/latest/predictions.jsonl", "outputs/error_analysis")
>>> result.report_html
"""

from medtune.analysis.error_types import ERROR_NAMES, ERROR_TYPES, ErrorType, detect_errors
from medtune.analysis.records import Analysed, load_predictions
from medtune.analysis.run import AnalysisResult, analyze, default_predictions
from medtune.analysis.summary import Summary, summarize
from medtune.medical.specialty import SPECIALTIES, classify_specialty

__all__ = [
    "ERROR_NAMES",
    "ERROR_TYPES",
    "SPECIALTIES",
    "Analysed",
    "AnalysisResult",
    "ErrorType",
    "Summary",
    "analyze",
    "classify_specialty",
    "default_predictions",
    "detect_errors",
    "load_predictions",
    "summarize",
]
