"""Medical judgement: the detectors that data hygiene, the audit, evaluation and analysis
share, so they never disagree on what counts as, say, "names a diagnosis".

Pure functions on strings, deterministic rules and word lists, no heavy dependency:

- :mod:`.answers`: what an answer does (diagnosis, treatment, sections, terminology);
- :mod:`.red_flags`: emergency signs in a question;
- :mod:`.urgency`: urgent-care advice in an answer;
- :mod:`.specialty`: the specialty a question belongs to;
- :mod:`.structure`: an answer rewritten as ``Diagnosis:`` / ``Treatment:`` sections;
- :mod:`.roles`: the sentence-role classifier that :mod:`.answers` and :mod:`.structure`
  share (patterns in :mod:`.cues`, matched by :mod:`.phrases`; word lists in :mod:`.lexicons`).
"""

from medtune.medical.answers import (
    has_diagnosis,
    has_structure,
    has_treatment,
    medical_term_density,
    medical_term_ratio,
    medications,
    strip_sections,
)
from medtune.medical.red_flags import RED_FLAGS, is_red_flag_question, red_flags
from medtune.medical.specialty import SPECIALTIES, classify_specialty
from medtune.medical.urgency import advises_urgent_care, urgent_care_sentence

__all__ = [
    "RED_FLAGS",
    "SPECIALTIES",
    "advises_urgent_care",
    "classify_specialty",
    "has_diagnosis",
    "has_structure",
    "has_treatment",
    "is_red_flag_question",
    "medical_term_density",
    "medical_term_ratio",
    "medications",
    "red_flags",
    "strip_sections",
    "urgent_care_sentence",
]
