"""Restructure a doctor's answer into labelled ``Diagnosis:`` / ``Treatment:`` sections.

The rules are deterministic and use only the answer's own sentences (no words are added):

1. Split the answer into sentences at ``.``, ``!`` or ``?`` followed by a space and a capital,
   digit, quote or bracket (not after "Dr.", "Mr.", "Mrs.", "Ms.", "vs.", "e.g.", "i.e.").
2. A sentence that opens with a courtesy ("Hi", "Hello", "Thanks", "Welcome", "Hope",
   "Regards", "Take care", "I have gone through", "Wish you", ...) is left out of the
   sections (the full answer stays in ``original_output``).
3. Every other sentence counts its cue words: **diagnosis cues** name or explain a condition
   or how to find it (``suggestive of``, ``could be``, ``likely``, ``due to``, ``diagnos``,
   ``caused by``, ``sign(s) of``, ``looks like``, ``rule out``, ``infection``, ``test``,
   ``scan``, ``x-ray``, ``ECG``, ...); **treatment cues** say what to do (``take``, ``apply``,
   ``prescribe``, ``recommend``, ``suggest``, ``advise``, ``consult``, ``tablet``, ``mg``,
   ``avoid``, ``drink``, ``use``, ``go to``, ``emergency``, ...); the full lists are
   :data:`DIAGNOSIS_WORDS`, :data:`TREATMENT_WORDS`, the ``*_PREFIXES`` and :data:`PAIRS`.
   Words are matched lower-cased. The side with more cues wins; a tie goes to the cue that
   comes first.
4. A sentence with no cue joins the section of the sentence before it (Diagnosis if it
   comes first).
5. The answer becomes ``"Diagnosis: <sentences>\\nTreatment: <sentences>"`` only when both
   sections have a sentence with a cue. Otherwise it is left as it was and flagged
   ``unstructured:no_diagnosis`` or ``unstructured:no_treatment``.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ABBREVIATIONS = (" Dr.", " Mr.", " Mrs.", " Ms.", " vs.", "e.g.", "i.e.")
_COURTESY = re.compile(
    r"^(?:hi|hello|hey|dear|greetings|thanks?|thank you|welcome|hope|regards|take care|wish|"
    r"best wishes|good luck|feel free|let me know|i have (?:gone through|read|understood)|"
    r"i can understand|i understand your|get well)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
#: Cue words, cue prefixes and two-word cues, by section.
DIAGNOSIS_WORDS = frozenset(
    [
        "suggests",
        "likely",
        "possibly",
        "probably",
        "infection",
        "inflammation",
        "condition",
        "disease",
        "disorder",
        "syndrome",
        "test",
        "tests",
        "scan",
        "ultrasound",
        "ecg",
        "mri",
        "ct",
        "biopsy",
        "report",
        "reports",
        "examination",
        "seem",
        "seems",
    ]
)
TREATMENT_WORDS = frozenset(
    [
        "take",
        "taking",
        "apply",
        "suggest",
        "suggested",
        "tablet",
        "tablets",
        "capsule",
        "capsules",
        "syrup",
        "mg",
        "mcg",
        "dose",
        "ointment",
        "cream",
        "gel",
        "spray",
        "inhaler",
        "injection",
        "avoid",
        "drink",
        "use",
        "call",
        "emergency",
        "surgery",
        "therapy",
        "exercise",
        "exercises",
        "rest",
        "diet",
        "physiotherapy",
        "antibiotic",
        "antibiotics",
        "medicine",
        "medicines",
        "medication",
    ]
)
DIAGNOSIS_PREFIXES = ("diagnos", "indicat")
TREATMENT_PREFIXES = ("prescri", "recommend", "advis", "consult", "treat")
PAIRS = {
    **dict.fromkeys(
        [
            ("suggestive", "of"),
            ("could", "be"),
            ("may", "be"),
            ("might", "be"),
            ("can", "be"),
            ("due", "to"),
            ("caused", "by"),
            ("cause", "of"),
            ("sign", "of"),
            ("signs", "of"),
            ("symptom", "of"),
            ("symptoms", "of"),
            ("look", "like"),
            ("looks", "like"),
            ("sound", "like"),
            ("sounds", "like"),
            ("consistent", "with"),
            ("rule", "out"),
            ("ruled", "out"),
            ("rules", "out"),
            ("x", "ray"),
        ],
        "diagnosis",
    ),
    ("go", "to"): "treatment",
    ("follow", "up"): "treatment",
}
_HEADS = frozenset(first for first, _ in PAIRS)
_KIND: dict[str, str | None] = {}  # word -> "diagnosis" | "treatment" | "pair" | None, filled lazily


def _kind(word: str) -> str | None:
    if word in DIAGNOSIS_WORDS or word.startswith(DIAGNOSIS_PREFIXES):
        return "diagnosis"
    if word in TREATMENT_WORDS or word.startswith(TREATMENT_PREFIXES):
        return "treatment"
    return "pair" if word in _HEADS else None


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (rule 1)."""
    out: list[str] = []
    glue = False
    for piece in _SENTENCE.split(text):
        if glue:
            out[-1] = f"{out[-1]} {piece}"
        elif piece:
            out.append(piece)
        glue = f" {piece}".endswith(_ABBREVIATIONS)
    return out


def classify(sentence: str) -> str | None:
    """ "diagnosis", "treatment", "courtesy", or None when the sentence has no cue."""
    if _COURTESY.match(sentence):
        return "courtesy"
    diagnosis = treatment = 0
    first = None
    words = _WORD.findall(sentence.lower())
    for i, word in enumerate(words):
        kind = _KIND.get(word, "?")
        if kind == "?":
            kind = _KIND[word] = _kind(word)
        if kind == "pair":
            kind = PAIRS.get((word, words[i + 1])) if i + 1 < len(words) else None
        if kind is None:
            continue
        first = first or kind
        if kind == "diagnosis":
            diagnosis += 1
        else:
            treatment += 1
    if diagnosis == treatment:
        return first
    return "diagnosis" if diagnosis > treatment else "treatment"


def assign(answer: str) -> list[tuple[str, str | None]]:
    """Each sentence of ``answer`` with the section it goes to: "diagnosis", "treatment",
    or None when it is left out (rules 1-4)."""
    out: list[tuple[str, str | None]] = []
    current = "diagnosis"
    for sentence in sentences(answer):
        kind = classify(sentence)
        if kind == "courtesy":
            out.append((sentence, None))
            continue
        if kind is not None:
            current = kind
        out.append((sentence, current))
    return out


def structure(answer: str) -> tuple[str, str | None]:
    """(structured answer, None) or (``answer`` unchanged, reason flag) — see the rules."""
    assigned = assign(answer)
    cued = {classify(sentence) for sentence, _ in assigned}
    if "diagnosis" not in cued:
        return answer, "unstructured:no_diagnosis"
    if "treatment" not in cued:
        return answer, "unstructured:no_treatment"
    sections = {
        name: " ".join(sentence for sentence, section in assigned if section == name)
        for name in ("diagnosis", "treatment")
    }
    return f"Diagnosis: {sections['diagnosis']}\nTreatment: {sections['treatment']}", None
