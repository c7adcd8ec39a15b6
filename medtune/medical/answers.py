"""What a doctor's answer does: names a diagnosis, recommends a treatment, keeps the
``Diagnosis:`` / ``Treatment:`` sections, how technical it is.

Pure functions on strings: rules over lower-cased text plus the word lists in
:mod:`medtune.medical.lexicons`, with negation handled by :mod:`medtune.medical.negation`.
Answers' own questions ("Have you tried ibuprofen?") never count as advice.
"""

from __future__ import annotations

import functools
import re

from medtune.medical import lexicons
from medtune.medical.negation import (
    DIAGNOSIS_NEGATION,
    QUESTION,
    TREATMENT_NEGATION,
    WORD,
    affirmed,
    alternation,
    negated,
    sentences,
)

# -- structure ---------------------------------------------------------------------------------

_LABEL = r"(?:^|(?<=[.!?\n])\s*)[\W_]{{0,3}}{label}[\s*_]*:"
_DIAGNOSIS_LABEL = re.compile(_LABEL.format(label=r"(?:provisional |probable |likely )?diagnos[ie]s"), re.M)
_TREATMENT_LABEL = re.compile(_LABEL.format(label=r"(?:treatment|treatment plan)"), re.M)


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
    sentence (markdown bold or bullets around the label are fine), each with some text."""
    lowered = text.lower()
    dx, tx = _DIAGNOSIS_LABEL.search(lowered), _TREATMENT_LABEL.search(lowered)
    if dx is None or tx is None or tx.start() < dx.end():
        return False
    return bool(_section(_DIAGNOSIS_LABEL, lowered)) and bool(_section(_TREATMENT_LABEL, lowered))


def strip_sections(text: str) -> str:
    """``text`` with its "Diagnosis:" / "Treatment:" headers removed (the content stays)."""
    for label in (_DIAGNOSIS_LABEL, _TREATMENT_LABEL):  # matched on lower case, cut from the text
        for start, end in reversed([m.span() for m in label.finditer(text.lower())]):
            text = f"{text[:start]} {text[end:]}"
    return " ".join(text.split())


# -- diagnosis ---------------------------------------------------------------------------------

_EMPTY_SECTION = re.compile(
    r"^\W*(?:no|not|none|nothing|n/?a|cannot|can't|unclear|uncertain|unknown|difficult|hard|"
    r"impossible|needs?|requires?|pending|to be|awaiting|depends)\b"
)
#: A cue that states a diagnosis on its own.
_DIAGNOSIS_CUE = re.compile(
    r"\b(?:suggestive of|indicative of|consistent with|compatible with|typical of|"
    r"characteristic of|(?:classic |typical )?(?:sign|symptom|feature)s? of (?:an? )?(?=\w+(?:itis|osis)\b)|"
    r"suggests? (?:an?|some|that this|that it)|points? (?:to|towards)|diagnosed (?:as|with)|"
    r"(?:the |your |my |likely |probable )?diagnosis (?:is|would be|could be|seems|appears)|"
    r"(?:an? )?case of|my impression is|i suspect|"
    r"(?:is|are|was|were) (?:\w+ ){0,2}?(?:due to|caused by|a result of|the result of|a sign of|"
    r"a symptom of|related to|secondary to|because of))\b"
)
#: A cue that states a diagnosis only when a condition word follows (see :func:`_condition`).
_WEAK_CUE = re.compile(
    r"\b(?:(?:you|she|he|it|this|these|they|that|your \w+|the \w+) (?:may|might|could|can|must|"
    r"probably|likely|possibly|most likely|seems? to|appears? to) (?:be )?(?:have|has|having|be|be having|"
    r"suffering from|suffer from)(?! to)|you (?:have|are having|have got|got|are suffering from)|"
    r"(?:she|he|your \w+) (?:has|is having|has got|is suffering from)|"
    r"(?:it|this|that) (?:is|seems to be|appears to be|looks like|sounds like|seems like|could be|"
    r"may be|might be|is probably|is likely|is most likely)|(?:sounds|looks|seems) like|"
    r"i (?:think|feel|believe) (?:it|this|you)|most likely|possibly|probably|suffering from|"
    r"(?:is|are) (?:usually |often |commonly )?(?:an?|the|probably|likely|just|only|simply)|"
    r"(?:shows?|showing|reveals?|revealed|confirms?|indicates?|indicating)|"
    r"having)\b"
)
_DISEASE_SUFFIX = re.compile(r"^[a-z]{3,}(?:itis|osis|emia|aemia|oma|pathy|algia|iasis|ectasia|megaly)$")
_NOT_DISEASE = frozenset({"diagnosis", "prognosis"})
#: Words after a hedged cue searched for a condition.
CONDITION_WINDOW = 8


def _is_condition(word: str) -> bool:
    return word in lexicons.CONDITIONS or (word not in _NOT_DISEASE and bool(_DISEASE_SUFFIX.match(word)))


def _names_condition(after: str) -> bool:
    """Whether a condition word follows within :data:`CONDITION_WINDOW` words, with no
    negation between ("it is not an infection" names none)."""
    for match in list(WORD.finditer(after))[:CONDITION_WINDOW]:
        if _is_condition(match.group(0)):
            return not DIAGNOSIS_NEGATION.search(after[: match.start()])
    return False


def has_diagnosis(text: str) -> bool:
    """True when the answer commits to a diagnosis or likely cause.

    Counts: a non-empty "Diagnosis:" section ("Diagnosis: cannot be made online" is
    empty); a direct cue ("suggestive of", "consistent with", "diagnosis is", "is due to",
    "a case of", "I suspect"); or a hedged cue ("you may have", "it is", "sounds like",
    "most likely") followed within six words by a condition (a word from
    ``lexicons.CONDITIONS`` or ending in -itis, -osis, -emia, -oma, -pathy, -algia...).
    Not counted: negated cues ("it is not an infection", "rule out a diagnosis of",
    "difficult to diagnose without"), and sentences that are questions.
    """
    lowered = text.lower()
    section = _section(_DIAGNOSIS_LABEL, lowered)
    if section is not None:
        return bool(section) and not _EMPTY_SECTION.match(section)
    for sentence in sentences(lowered):
        if QUESTION.search(sentence):
            continue
        if affirmed(_DIAGNOSIS_CUE, sentence, DIAGNOSIS_NEGATION):
            return True
        for match in _WEAK_CUE.finditer(sentence):
            if negated(sentence, match.start(), match.end(), DIAGNOSIS_NEGATION):
                continue
            if _names_condition(sentence[match.end() :]):
                return True
    return False


# -- treatment ---------------------------------------------------------------------------------


@functools.cache
def _drug_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(lexicons.DRUGS)})\b")


@functools.cache
def _therapy_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation([*lexicons.DRUG_CLASSES, *lexicons.THERAPIES])})\b")


_DOSE = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|g|ml|iu|units)\b"
    r"|\b(?:once|twice|thrice|three times|four times) (?:a|per|daily|every)\b"
)


def medications(text: str) -> set[str]:
    """Canonical generic names of the medicines named in ``text`` (from ``lexicons.DRUGS``:
    generics, common brands and spelling variants; "Tylenol" -> "paracetamol"). Every
    mention counts, negated or not: this names drugs, it does not judge advice."""
    return {lexicons.DRUGS[m.group(0)] for m in _drug_pattern().finditer(text.lower())}


def has_treatment(text: str) -> bool:
    """True when the answer recommends a concrete treatment.

    Counts: a non-empty "Treatment:" section ("Treatment: none needed" is empty); or, in
    a sentence that is not a question, a non-negated mention of a named drug
    (``lexicons.DRUGS``), a class or form of medicine ("antibiotics", "an ointment"), a
    procedure or measure (``lexicons.THERAPIES``: "physiotherapy", "warm compresses"),
    or a dose ("500 mg", "twice a day"). Not counted: "no treatment is needed",
    "antibiotics are not required", "avoid ibuprofen", "stop taking aspirin", and generic
    words with nothing concrete ("you need medicine", "see a doctor").
    """
    lowered = text.lower()
    section = _section(_TREATMENT_LABEL, lowered)
    if section is not None:
        return bool(section) and not _EMPTY_SECTION.match(section)
    for sentence in sentences(lowered):
        if QUESTION.search(sentence):
            continue
        if _DOSE.search(sentence):
            return True
        for pattern in (_drug_pattern(), _therapy_pattern()):
            if affirmed(pattern, sentence, TREATMENT_NEGATION):
                return True
    return False


# -- terminology -------------------------------------------------------------------------------


def _is_medical(word: str) -> bool:
    return (
        word in lexicons.MEDICAL_TERMS
        or word in lexicons.DRUGS
        or word in lexicons.DRUG_CLASSES
        or (len(word) >= 6 and word.endswith(lexicons.MEDICAL_SUFFIXES))
    )


def _term_counts(text: str) -> tuple[int, int]:
    words = [w.removesuffix("'s") for w in WORD.findall(text.lower())]
    return sum(map(_is_medical, words)), len(words)


def medical_term_density(text: str) -> float:
    """Share of the words in ``text`` that are medical terms: words in
    ``lexicons.MEDICAL_TERMS``, drug names or classes, or words of six letters or more
    ending in a medical suffix (``lexicons.MEDICAL_SUFFIXES``: -itis, -ectomy, -ology...).
    0.0 for text without words."""
    terms, words = _term_counts(text)
    return terms / words if words else 0.0


def medical_term_ratio(prediction: str, reference: str) -> float:
    """Medical terminology ratio: the prediction's term density over the reference's.

    1.0 = as technical as the doctor's answer; < 1 plainer, > 1 denser. Both densities
    are add-one smoothed, ``(terms + 1) / (words + 1)``, so the ratio is finite when a
    reference has no medical term (and nearly unchanged for answers of normal length).
    """
    p_terms, p_words = _term_counts(prediction)
    r_terms, r_words = _term_counts(reference)
    return ((p_terms + 1) / (p_words + 1)) / ((r_terms + 1) / (r_words + 1))
