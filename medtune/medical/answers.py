"""What a doctor's answer does: names a diagnosis, recommends a treatment, keeps the
``Diagnosis:`` / ``Treatment:`` sections, how technical it is.

Diagnosis and treatment presence are judged on content: the section headers are removed
(:func:`strip_sections`) and the sentences read by the one sentence-role classifier,
:func:`medtune.medical.roles.read` (its docstring has the rules), that structuring also
uses. ``has_structure`` is the format metric. Answers' own questions ("Have you tried
ibuprofen?") never count.

Agreement with careful human labels on real HealthCareMagic answers (a development set
of 400; two humans agree at 0.96 / 0.99), measured by ``bench/detectors.py``:

=================  =======================  =======================
detector           random rows (n = 300)    all rows (n = 400)
=================  =======================  =======================
``has_diagnosis``  acc 0.927, P 0.95, R 0.95  acc 0.920, P 0.96, R 0.94
``has_treatment``  acc 0.940, P 0.95, R 0.95  acc 0.945, P 0.95, R 0.96
=================  =======================  =======================

The rules were written from the errors on half the rows (even ids: diagnosis 0.917,
treatment 0.942) and hold on the other half (diagnosis 0.923, treatment 0.948).
"""

from __future__ import annotations

import functools
import re

from medtune.medical import lexicons, roles
from medtune.medical.negation import alternation
from medtune.text import words

# -- structure ---------------------------------------------------------------------------------

_LABEL = r"(?:^|(?<=[.!?\n])\s*)[\W_]{{0,3}}{label}[\s*_]*:[*_]*"
_DIAGNOSIS_NAME = r"(?:provisional |probable |likely |differential )?diagnos[ie]s"
_TREATMENT_NAME = r"(?:treatment|treatment plan)"
_DIAGNOSIS_LABEL = re.compile(_LABEL.format(label=_DIAGNOSIS_NAME), re.M)
_TREATMENT_LABEL = re.compile(_LABEL.format(label=_TREATMENT_NAME), re.M)
_ANY_NAME = f"(?:{_DIAGNOSIS_NAME}|{_TREATMENT_NAME})"
_ANY_LABEL = re.compile(_LABEL.format(label=_ANY_NAME) + "[ \t]*", re.M | re.I)


def _section(label: re.Pattern[str], text: str) -> str | None:
    """The text after a ``Label:`` header up to the next header or end (None if absent)."""
    match = label.search(text)
    if match is None:
        return None
    rest = text[match.end() :]
    nxt = min(
        (m.start() for lb in (_DIAGNOSIS_LABEL, _TREATMENT_LABEL) if (m := lb.search(rest))),
        default=len(rest),
    )
    return rest[:nxt].strip()


def has_structure(text: str) -> bool:
    """True when the answer keeps the training data's labelled sections: a "Diagnosis:"
    header followed later by a "Treatment:" header, each at the start of a line or
    sentence (markdown bold or bullets around the label are fine), each with some text.
    A format metric: whether the sections say anything is for :func:`has_diagnosis` and
    :func:`has_treatment`."""
    lowered = text.lower()
    dx, tx = _DIAGNOSIS_LABEL.search(lowered), _TREATMENT_LABEL.search(lowered)
    if dx is None or tx is None or tx.start() < dx.end():
        return False
    return bool(_section(_DIAGNOSIS_LABEL, lowered)) and bool(_section(_TREATMENT_LABEL, lowered))


def strip_sections(text: str) -> str:
    """``text`` without its "Diagnosis:" / "Treatment:" headers (each becomes a line break),
    so that content, not format, is judged; text without headers is returned as it is."""
    if ":" not in text or not _ANY_LABEL.search(text):
        return text
    return _ANY_LABEL.sub("\n", text).strip()


# -- diagnosis and treatment -------------------------------------------------------------------


def has_diagnosis(text: str) -> bool:
    """True when the answer commits to a specific likely cause, condition or diagnosis:
    some sentence of it, headers removed (:func:`strip_sections`), is a diagnosis by
    :mod:`medtune.medical.roles` ("could be just an infection", "suggestive of gastritis",
    "this is due to your kidney stone", a differential list, a short statement naming one:
    "Diagnosis: Tension headache."). Not counted: a condition only ruled out or asked
    about, generic causes ("many reasons"), a restated symptom, tests without a cause, a
    header with nothing specific after it, repetition loops."""
    return any(s.diagnosis for s in roles.read(strip_sections(text)))


def has_treatment(text: str) -> bool:
    """True when the answer advises a concrete management step: a named drug or class, a
    procedure, a specific self-care measure, physiotherapy, continuing or adjusting the
    current treatment (see :mod:`medtune.medical.roles`; headers removed first). Not
    counted: tests or a referral alone, "no treatment is needed", vague advice ("take
    treatment accordingly", "a healthy diet"), questions, a header with nothing after it."""
    return any(s.treatment for s in roles.read(strip_sections(text)))


@functools.cache
def _drug_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(lexicons.DRUGS)})\b")


def medications(text: str) -> set[str]:
    """Canonical generic names of the medicines named in ``text`` (from ``lexicons.DRUGS``:
    generics, common brands and spelling variants; "Tylenol" -> "paracetamol"). Every
    mention counts, negated or not: this names drugs, it does not judge advice."""
    return {lexicons.DRUGS[m.group(0)] for m in _drug_pattern().finditer(text.lower())}


# -- terminology -------------------------------------------------------------------------------


def _is_medical(word: str) -> bool:
    return (
        word in lexicons.MEDICAL_TERMS
        or word in lexicons.DRUGS
        or word in lexicons.DRUG_CLASSES
        or (len(word) >= 6 and word.endswith(lexicons.MEDICAL_SUFFIXES))
    )


def _term_counts(text: str) -> tuple[int, int]:
    found = [w.removesuffix("'s") for w in words(text.lower())]
    return sum(map(_is_medical, found)), len(found)


def medical_term_density(text: str) -> float:
    """Share of the words in ``text`` that are medical terms: words in
    ``lexicons.MEDICAL_TERMS``, drug names or classes, or words of six letters or more
    ending in a medical suffix (``lexicons.MEDICAL_SUFFIXES``: -itis, -ectomy, -ology...).
    0.0 for text without words."""
    terms, total = _term_counts(text)
    return terms / total if total else 0.0


def medical_term_ratio(prediction: str, reference: str) -> float:
    """Medical terminology ratio: the prediction's term density over the reference's.

    1.0 = as technical as the doctor's answer; < 1 plainer, > 1 denser. Both densities
    are add-one smoothed, ``(terms + 1) / (words + 1)``, so the ratio is finite when a
    reference has no medical term (and nearly unchanged for answers of normal length).
    """
    p_terms, p_words = _term_counts(prediction)
    r_terms, r_words = _term_counts(reference)
    return ((p_terms + 1) / (p_words + 1)) / ((r_terms + 1) / (r_words + 1))
