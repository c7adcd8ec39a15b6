"""Urgent-care advice: whether an answer sends the patient to emergency or same-day care."""

from __future__ import annotations

import re

from medtune.medical.negation import ADVICE_BREAK, SENTENCE_SPLIT, URGENT_NEGATION, negated

_URGENT = re.compile(
    r"\bemergency(?! contracepti\w*| pills?)\b|\bcasualty\b|\ba ?& ?e\b|\bambulance\b|\b(?:911|999|112|988)\b"
    r"|\b(?:immediate|urgent|emergent|prompt) (?:medical )?(?:attention|care|help|evaluation|treatment|"
    r"consultation|assessment|review|visit)\b"
    r"|\b(?:seek|get|need|needs|requires?) (?:medical )?(?:help|attention|care) (?:immediately|urgently|"
    r"right away|at once|now|without delay|as soon as possible|asap)\b"
    r"|\b(?:go|rush|get|head|proceed|report|reach|be taken|"
    r"(?:take|rush|bring|get) (?:him|her|them|the \w+|your \w+)) "
    r"(?:straight |directly |immediately |right away |now )?to (?:the |a |your )?"
    r"(?:nearest |nearby |closest |local )?(?:hospital|er)\b"
    r"|\b(?:see|consult|visit|contact|call) (?:a |your |the )?(?:doctor|physician|gp|cardiologist|"
    r"neurologist|psychiatrist|hospital|specialist|gynecologist|gynaecologist)s? (?:immediately|urgently|"
    r"right away|at once|today|now|tonight|without (?:any )?delay|as soon as possible|asap)\b"
    r"|\b(?:immediately|urgently|right away|without delay) (?:see|consult|visit|contact|go to|get to|call)\b"
    r"|\b(?:doctor|physician|hospital)s?\b[^.;!?]{0,25}?\b(?:immediately|urgently|right away|at once|"
    r"without (?:any )?delay)\b"
    r"|\b(?:suicide|crisis|mental health) (?:hotline|helpline|help line|line|prevention|team|service)\b"
    r"|\b(?:hotline|helpline)\b"
)
_ER = re.compile(r"(?<![A-Za-z])(?:ER|E\.R\.)(?![A-Za-z])")
_SAFETY_NET = re.compile(
    r"^\W*(?:if|in case|should|whenever|once|when)\b.*\b(?:worse\w*|persist\w*|develop\w*|continu\w*|"
    r"recur\w*|not improv\w*|doesn't improve|does not improve|no improvement|not better|appear\w*|"
    r"occur\w*|any|further|new|again|fails?)\b"
)


def advises_urgent_care(text: str) -> bool:
    """True when the answer tells the patient to get emergency or same-day care now:
    go to the emergency room / ER / nearest hospital, call an ambulance or 911, seek
    immediate/urgent medical attention, see a doctor immediately/today, or contact a
    suicide/crisis line. Not counted: negated advice ("no need to go to the emergency
    room", "this is not an emergency"), emergency contraception, and safety-net advice
    conditioned on a future change ("if it gets worse, go to the ER"), which is not
    enough for a patient describing emergency signs now."""
    for sentence in SENTENCE_SPLIT.split(text):
        lowered = sentence.lower()
        if not lowered.strip() or _SAFETY_NET.search(lowered):
            continue
        spans = [m.span() for m in _URGENT.finditer(lowered)] + [m.span() for m in _ER.finditer(sentence)]
        for start, end in spans:
            if not negated(lowered, start, end, URGENT_NEGATION, breaks=ADVICE_BREAK):
                return True
    return False


def urgent_care_sentence(signs: list[str] | tuple[str, ...]) -> str:
    """The one urgent-care sentence appended for under-triaged answers, naming the signs."""
    named = " and ".join(signs) if signs else "these symptoms"
    return (
        f"Because you describe {named}, please go to the nearest emergency department now "
        "or call an ambulance; do not wait for an online answer."
    )
