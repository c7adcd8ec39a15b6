"""Medical specialty of a question, from a weighted lexicon (offline, deterministic).

How it decides:

1. Each specialty has a lexicon of terms with weights: 3 = names the specialty on its own
   ("migraine", "root canal"), 2 = strong hint ("headache", "gums"), 1 = weak hint shared
   with other fields ("nerve", "infection"). A term ending in ``*`` is a stem
   ("dermat*" matches dermatitis, dermatologist); other terms match whole words, plural
   "s"/"es" included. Each distinct term counts once, however often it appears.
2. The question scores at full weight; the reference answer, which often names the
   condition, at :data:`REFERENCE_WEIGHT`.
3. A term does not count when negated ("I am not diabetic", "no fever") or declared
   normal ("my blood pressure is normal"). Sentences about the past or a standing
   condition ("I was treated for typhoid", "I take thyroxine daily", "history of") count at
   :data:`BACKGROUND_WEIGHT`: the question's present complaint decides.
4. A child's age in the question ("my 4 year old", "8 months old", "newborn") adds
   :data:`CHILD_WEIGHT` to pediatrics, so a child's fever or cough goes to pediatrics while
   a child's toothache ("tooth" 3 + "toothache" 3) still goes to dentistry.
5. The top score wins if it reaches :data:`MIN_SCORE`, else ``general`` (tiredness,
   check-ups, lab values without an organ). Ties go to the higher question-only score,
   then to the earlier specialty in :data:`SPECIALTIES`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

#: Score the winner needs; below it the question is ``general``.
MIN_SCORE = 2.0
#: Weight of the reference answer's terms relative to the question's.
REFERENCE_WEIGHT = 0.5
#: Weight of a background sentence's terms (history, long-standing medication).
BACKGROUND_WEIGHT = 0.25
#: Pediatrics bonus for a stated child age (under 13 years, months, newborn).
CHILD_WEIGHT = 3.0
CHILD_MAX_YEARS = 12
GENERAL = "general"

LEXICON: dict[str, dict[str, float]] = {
    "cardiology": {
        "heart attack": 3, "chest pain": 3, "palpitation": 3, "angina": 3, "cardi*": 3, "ecg": 3, "ekg": 3,
        "echocardiogra*": 3, "arrhythmia": 3, "tachycardia": 3, "bradycardia": 3, "angiogra*": 3,
        "stent": 3, "hypertension": 3, "blood pressure": 3, "heart": 2, "cholesterol": 2, "bp": 2,
        "heartbeat": 2, "pulse": 1, "triglyceride": 1, "left arm": 2,
    },
    "dermatology": {
        "dermat*": 3, "acne": 3, "pimple": 3, "eczema": 3, "psoriasis": 3, "rash": 3, "hives": 3,
        "itching": 2, "itchy": 2, "skin": 2, "mole": 2, "wart": 3, "pigmentation": 3, "dandruff": 3,
        "hair loss": 3, "hair fall": 3, "ringworm": 3, "blackhead": 3, "whitehead": 3, "blister": 2,
        "vitiligo": 3, "scalp": 2, "fungal": 1, "patch": 1, "spots": 1,
    },
    "gastroenterology": {
        "gastr*": 3, "acidity": 3, "acid reflux": 3, "gerd": 3, "heartburn": 3, "constipation": 3,
        "diarrhea": 3, "loose motion": 3, "diarrhoea": 3, "stool": 3, "bowel": 3, "ibs": 3, "liver": 3,
        "gallbladder": 3, "gallstone": 3, "jaundice": 3, "hemorrhoid": 3, "piles": 3, "colonoscopy": 3,
        "endoscopy": 3, "sgpt": 3, "bilirubin": 3, "stomach": 2, "abdomen": 2, "abdominal": 2,
        "vomiting": 2, "nausea": 1, "bloating": 2, "indigestion": 2, "appendi*": 2, "ulcer": 1,
        "hepatitis": 1,
    },
    "neurology": {
        "neurolog*": 3, "migraine": 3, "seizure": 3, "epilep*": 3, "stroke": 3, "paralysis": 3,
        "numbness": 3, "tingling": 3, "tremor": 3, "parkinson": 3, "brain": 3, "headache": 2,
        "dizziness": 2, "dizzy": 2, "fainting": 2, "memory loss": 2, "shaking": 2, "mri": 1, "nerve": 1,
        "neuropathy": 3, "drooping": 3, "droop": 3, "slurred": 3, "one side of my head": 2, "concussion": 3,
        "vertigo": 1,
    },
    "psychiatry": {
        "psychiatr*": 3, "anxiety": 3, "depression": 3, "depressed": 3, "panic attack": 3, "suicid*": 3,
        "bipolar": 3, "schizophren*": 3, "ocd": 3, "hallucination": 3, "antidepressant": 3, "sertraline": 3,
        "escitalopram": 3, "fluoxetine": 3, "addiction": 3, "insomnia": 2, "stress": 1, "mood": 2,
        "anxious": 2, "worried": 1, "lost interest": 2, "crying": 1, "cry": 1, "hopeless": 3,
        "kill myself": 3, "end my life": 3, "ending my life": 3, "burden": 1, "sleep": 1, "alcohol": 1,
    },
    "obstetrics & gynecology": {
        "pregnan*": 3, "gynec*": 3, "gynaec*": 3, "menstrua*": 3, "period": 2, "pcos": 3, "pcod": 3,
        "ovar*": 3, "uterus": 3, "uterine": 3, "vagina*": 3, "miscarriage": 3, "conceive": 3, "ivf": 3,
        "fertility": 2, "ovulation": 3, "pap smear": 3, "fibroid": 3, "cervix": 3, "trimester": 3,
        "spotting": 2, "contracepti*": 3, "birth control": 3, "menopause": 3, "breast": 2,
        "white discharge": 3, "discharge": 1, "intercourse": 1, "ultrasound": 1,
    },
    "pediatrics": {
        "pediatric*": 3, "paediatric*": 3, "baby": 3, "infant": 3, "newborn": 3, "toddler": 3, "vaccin*": 2,
        "immuni*": 1, "breastfe*": 2, "formula milk": 2, "teething": 2, "kid": 1, "child": 2, "children": 2,
        "my son": 1, "my daughter": 1, "school": 1,
    },
    "orthopedics": {
        "orthop*": 3, "orthopaed*": 3, "fracture": 3, "knee": 3, "back pain": 3, "lower back": 3,
        "shoulder": 3, "spine": 3, "spinal": 2, "slip disc": 3, "disc bulge": 3, "sciatica": 3,
        "ligament": 3, "sprain": 3, "ankle": 3, "wrist": 3, "elbow": 3, "hip": 3, "joint pain": 3,
        "stiffness": 1, "arthritis": 3, "tendon": 3, "bone": 2, "neck pain": 2, "muscle": 1,
        "physiotherapy": 2, "swelling": 1,
    },
    "ENT": {
        "ear": 3, "earache": 3, "throat": 3, "tonsil*": 3, "sinus*": 3, "nose": 3, "nasal": 3, "hearing": 3,
        "tinnitus": 3, "ear wax": 3, "adenoid*": 3, "hoarse*": 3, "nosebleed": 3, "voice": 2, "swallow*": 2,
        "snoring": 2, "sneez*": 2, "mucus": 1, "vertigo": 2, "ent": 3,
    },
    "urology/nephrology": {
        "urolog*": 3, "nephro*": 3, "kidney": 3, "renal": 3, "urine": 3, "urinary": 3, "urinat*": 3,
        "bladder": 3, "prostate": 3, "creatinine": 3, "dialysis": 3, "uti": 3, "testicle": 3, "testis": 3,
        "scrotum": 3, "scrotal": 3, "penis": 3, "foreskin": 3, "erectile": 3, "erection": 3, "hematuria": 3,
        "psa": 2, "semen": 2, "sperm": 2, "pee": 2, "flank": 3, "groin": 1,
    },
    "endocrinology": {
        "endocrin*": 3, "diabet*": 3, "thyroid": 3, "hypothyroid*": 3, "hyperthyroid*": 3, "tsh": 3,
        "insulin": 3, "hba1c": 3, "metformin": 3, "blood sugar": 3, "sugar level": 3, "glucose": 2,
        "pituitary": 3, "cortisol": 3, "hormone": 1, "t3": 2, "t4": 2, "thyroxine": 3, "goiter": 3,
        "prolactin": 2, "thirst*": 2, "sugar": 2, "neck swelling": 2,
    },
    "pulmonology": {
        "pulmon*": 3, "asthma": 3, "lung": 3, "breathless*": 3, "shortness of breath": 3, "wheez*": 3,
        "pneumonia": 3, "copd": 3, "inhaler": 3, "bronch*": 3, "sputum": 3, "phlegm": 2, "cough": 2,
        "coughing": 2, "breathing": 2, "chest x-ray": 2, "spirometry": 3, "smoking": 1, "tb": 1,
    },
    "infectious disease": {
        "hiv": 3, "aids": 1, "std": 3, "sti": 3, "syphilis": 3, "gonorrh*": 3, "chlamydia": 3, "herpes": 3,
        "malaria": 3, "dengue": 3, "typhoid": 3, "tuberculosis": 3, "lyme": 3, "covid": 3, "hepatitis b": 3,
        "hepatitis c": 3, "unprotected": 2, "fever": 1, "chills": 1, "infection": 1, "viral": 1, "widal": 3,
        "platelet": 1, "stiff neck": 2, "neck is stiff": 2, "travelled": 1, "shivering": 1,
    },
    "dentistry": {
        "dent*": 3, "tooth": 3, "teeth": 3, "toothache": 3, "gum": 2, "gums": 2, "root canal": 3,
        "wisdom": 2, "cavity": 2, "braces": 3, "molar": 3, "filling": 1, "jaw": 1, "mouth ulcer": 2,
        "orthodont*": 3, "crown": 1, "tongue": 1,
    },
}  # fmt: skip

#: Specialties in tie-break order, then the fallback.
SPECIALTIES: tuple[str, ...] = (*LEXICON, GENERAL)

_AGE = re.compile(
    r"\b(\d{1,2})\s*(?:-\s*)?(?:and a half\s+)?(years?|yrs?|months?|weeks?|days?)[\s-]*old\b"
    r"|\b(newborn|new born|infant)\b"
)


_WORD = re.compile(r"\w+")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
#: A sentence about the past or a long-standing condition counts at BACKGROUND_WEIGHT.
_BACKGROUND = re.compile(
    r"\b(?:(?<!no )history of|known case of|(?:was|were|got) treated|treated for|in the past"
    r"|years? (?:ago|back)|(?:take|taking|am on|on) [\w\s-]{0,30}\bdaily)\b"
)
#: A term is ignored after one of these within NEGATION_WORDS words ("not diabetic") ...
_NEGATION = re.compile(r"\b(?:no|not|non|never|without|denies|denied|nor|free of)\b")
NEGATION_WORDS = 3
#: ... or when followed by "is normal" ("my blood pressure is normal").
_NORMAL_AFTER = re.compile(
    r"^\W*(?:[\w-]+\s+){0,2}?(?:is|are|was|were|came|seems?)\s+(?:normal|fine|ok|okay)\b"
)


def _term_pattern(term: str) -> str:
    if term.endswith("*"):
        return r"\b" + re.escape(term[:-1]) + r"\w*"
    return r"\b" + re.escape(term) + r"(?:s|es)?\b"


#: (specialty, term, compiled pattern, weight)
Matcher = tuple[str, str, re.Pattern[str], float]


@functools.cache
def _matchers() -> tuple[dict[str, list[Matcher]], list[tuple[str, Matcher]]]:
    """Whole-word terms indexed by their first word, and stems with their prefix, so each
    sentence runs only the patterns whose first word it contains."""
    by_word: dict[str, list[Matcher]] = {}
    stems: list[tuple[str, Matcher]] = []
    for specialty, terms in LEXICON.items():
        for term, weight in terms.items():
            matcher = (specialty, term, re.compile(_term_pattern(term)), float(weight))
            if term.endswith("*"):
                stems.append((term[:-1], matcher))
            else:
                by_word.setdefault(term.split()[0], []).append(matcher)
    return by_word, stems


def _candidates(sentence: str) -> list[Matcher]:
    by_word, stems = _matchers()
    words = set(_WORD.findall(sentence))
    keys = words | {w[:-1] for w in words if w.endswith("s")} | {w[:-2] for w in words if w.endswith("es")}
    found = [m for key in keys for m in by_word.get(key, ())]
    return found + [m for prefix, m in stems if any(w.startswith(prefix) for w in words)]


def _child_age(text: str) -> bool:
    for match in _AGE.finditer(text):
        if match.group(3):
            return True
        unit = match.group(2)
        if not unit.startswith(("year", "yr")) or int(match.group(1)) <= CHILD_MAX_YEARS:
            return True
    return False


def _negated(sentence: str, start: int, end: int) -> bool:
    before = " ".join(re.split(r"[,;]", sentence[:start])[-1].split()[-NEGATION_WORDS:])
    return bool(_NEGATION.search(before) or _NORMAL_AFTER.match(sentence[end:]))


def _text_scores(text: str) -> dict[str, float]:
    """Per specialty, the sum over distinct matched terms of weight x sentence weight."""
    best: dict[tuple[str, str], float] = {}
    child = 0.0
    for sentence in _SENTENCES.split(text.lower()):
        weight = BACKGROUND_WEIGHT if _BACKGROUND.search(sentence) else 1.0
        for specialty, term, pattern, term_weight in _candidates(sentence):
            if any(not _negated(sentence, m.start(), m.end()) for m in pattern.finditer(sentence)):
                key = (specialty, term)
                best[key] = max(best.get(key, 0.0), weight * term_weight)
        if _child_age(sentence):
            child = max(child, weight * CHILD_WEIGHT)
    scores: dict[str, float] = {}
    for (specialty, _), score in best.items():
        scores[specialty] = scores.get(specialty, 0.0) + score
    if child:
        scores["pediatrics"] = scores.get("pediatrics", 0.0) + child
    return scores


def specialty_scores(question: str, reference: str = "") -> dict[str, float]:
    """Each specialty's score for a question (and its reference answer), highest first."""
    scores = dict.fromkeys(LEXICON, 0.0)
    for weight, text in ((1.0, question), (REFERENCE_WEIGHT, reference)):
        for specialty, score in _text_scores(text).items():
            scores[specialty] += weight * score
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))


def classify_specialty(question: str, reference: str = "") -> str:
    """The specialty a question belongs to (see the module docstring for the rules)."""
    scores = specialty_scores(question, reference)
    best = max(scores.values())
    if best < MIN_SCORE:
        return GENERAL
    tied = [s for s, score in scores.items() if score == best]
    if len(tied) == 1:
        return tied[0]
    question_only = _text_scores(question)
    return max(tied, key=lambda s: (question_only.get(s, 0.0), -SPECIALTIES.index(s)))


def specialty_counts(labels: Iterable[str]) -> dict[str, int]:
    """How many of ``labels`` fall in each specialty, in :data:`SPECIALTIES` order."""
    counts = Counter(labels)
    return {s: counts[s] for s in SPECIALTIES if counts[s]}
