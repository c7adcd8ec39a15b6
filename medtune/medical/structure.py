"""Restructure a doctor's answer into labelled ``Diagnosis:`` / ``Treatment:`` sections.

The rules are deterministic and use only the answer's own sentences (no words are added):

1. The answer is read by :func:`medtune.medical.roles.read`, the classifier the diagnosis
   and treatment detectors share: each sentence gets a role (diagnosis, investigation,
   treatment, referral, other).
2. **Diagnosis** holds the diagnosis and investigation sentences: tests and scans are the
   work-up towards the diagnosis ("an ultrasound will confirm it"), and the diagnosis
   section is where a reader looks for them. **Treatment** holds the treatment and referral
   sentences (what to do, whom to see).
3. Greetings, thanks, sign-offs and questions back to the patient are left out (a courtesy
   glued to medical text is split off and the text kept), as are repetition loops. Any
   other sentence (reassurance, explanation) stays with the section of the sentence before
   it, or of the one after it when it comes first.
4. A sentence that both names a diagnosis and advises a treatment is cut at the phrase
   break between them ("It is likely a sprain, | so rest and apply ice").
5. The answer becomes ``"Diagnosis: <sentences>\\nTreatment: <sentences>"`` only when both
   sections hold a sentence of their own roles. Otherwise it is left as it was and flagged
   ``unstructured:no_diagnosis`` or ``unstructured:no_treatment``. A committed diagnosis
   (treatment) always gets a section of its own, so the detectors and the flags agree.

On 252 hand-labelled sentences of 40 real answers (``bench/detectors.py``): 95.9% of the
diagnosis sentences go under Diagnosis, 95.2% of the treatment and referral sentences under
Treatment, 100% of the medical sentences are kept (courtesy, questions and loops are left
out); 80% of 400 real answers are structured (321; the rest lack one side).
"""

from __future__ import annotations

from medtune.medical.roles import read

#: The section each role goes to (None: the section of the neighbouring sentence).
SECTION: dict[str, str | None] = {
    "diagnosis": "diagnosis",
    "investigation": "diagnosis",
    "treatment": "treatment",
    "referral": "treatment",
    "other": None,
}


def assign(answer: str) -> list[tuple[str, str | None]]:
    """Each sentence of ``answer`` with the section it goes to: "diagnosis", "treatment",
    or None when it is left out (rules 1-4)."""
    read_ = read(answer)
    first = next((SECTION[s.role] for s in read_ if s.kept and SECTION[s.role]), "diagnosis")
    out: list[tuple[str, str | None]] = []
    current = first
    for s in read_:
        if not s.kept:
            out.append((s.text, None))
            continue
        current = SECTION[s.role] or current
        out.append((s.text, current))
    return out


def structure(answer: str) -> tuple[str, str | None]:
    """(structured answer, None) or (``answer`` unchanged, reason flag) — see the rules."""
    own = {SECTION[s.role] for s in read(answer) if s.kept}
    if "diagnosis" not in own:
        return answer, "unstructured:no_diagnosis"
    if "treatment" not in own:
        return answer, "unstructured:no_treatment"
    assigned = assign(answer)
    sections = {
        name: " ".join(sentence for sentence, section in assigned if section == name)
        for name in ("diagnosis", "treatment")
    }
    return f"Diagnosis: {sections['diagnosis']}\nTreatment: {sections['treatment']}", None
