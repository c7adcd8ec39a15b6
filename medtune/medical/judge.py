"""Every detector on one question/answer pair: what the audit, ``data prepare`` and the
preference pairs read."""

from __future__ import annotations

from dataclasses import dataclass

from medtune.medical.answers import has_diagnosis, has_treatment
from medtune.medical.red_flags import red_flags
from medtune.medical.specialty import classify_specialty
from medtune.medical.urgency import advises_urgent_care


@dataclass(frozen=True)
class Judgement:
    """What the detectors find in one pair (see each detector for its rules)."""

    diagnosis_present: bool
    treatment_present: bool
    red_flags: tuple[str, ...]
    urgent_advice: bool
    specialty: str

    @property
    def red_flag_question(self) -> bool:
        """The question describes at least one emergency sign."""
        return bool(self.red_flags)

    @property
    def under_triage(self) -> bool:
        """A red-flag question whose answer does not advise urgent care."""
        return self.red_flag_question and not self.urgent_advice


def judge(pair: tuple[str, str]) -> Judgement:
    """Run every detector on ``(question, answer)`` (one argument, so pools can map it)."""
    question, answer = pair
    return Judgement(
        diagnosis_present=has_diagnosis(answer),
        treatment_present=has_treatment(answer),
        red_flags=tuple(red_flags(question)),
        urgent_advice=advises_urgent_care(answer),
        specialty=classify_specialty(question, answer),
    )
