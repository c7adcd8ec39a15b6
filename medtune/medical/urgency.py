"""Urgent-care advice: whether an answer sends the patient to emergency or same-day care, and
the one sentence medtune adds when an answer to a red-flag question does not.

What counts (the labelling guide's definition), unless negated ("no need to go to the ER",
"this is not an emergency", "emergency treatment is not needed"):

- going to an emergency destination: "go to / rush to / visit / take him to" the emergency
  room, ER, A&E, casualty, urgent care or the hospital; "this is an emergency";
- an ambulance or an emergency number (911, 999, 112, 108), a suicide or crisis line;
- immediate, urgent or prompt attention, care, evaluation or treatment;
- seeing, consulting or contacting a doctor or specialist immediately, urgently, right away,
  without delay, as soon as possible, today or tonight ("consult a pulmonologist
  immediately", "urgently see your doctor");
- admission: "get him admitted", "needs hospitalisation", "should be admitted";
- "rush him to" anyone.

Conditional advice stated for warning signs counts too ("if the pain increases, go to the
emergency room immediately"). What does not: routine referral ("consult a doctor", "meet a
dermatologist"), "at the earliest" / "as early as possible" (the labellers read them as
routine), "do not wait longer" without urgent-care wording, emergency contraception, hedged
generic statements ("may require hospitalisation"), and mentions that are not advice ("tests
were done in the ER").

Agreement with careful human labels on 400 real HealthCareMagic answers (25 urgent, ``python
bench/detectors.py``): precision 1.00, recall 0.96 (24 of 25); on the random subset of 300 (10
urgent) precision 1.00, recall 1.00. Few examples: expect lower figures on unseen answers.

:func:`urgent_care_sentence` is the sentence ``data prepare`` (``safety = "augment"``) and
``data pairs --safety`` add to an under-triaged answer::

    Because you describe {sign}[, {sign}... and {sign}], please go to the nearest emergency
    department now or call an ambulance; do not wait for an online answer.

where each ``{sign}`` is a name from :data:`medtune.medical.red_flags.RED_FLAGS`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medtune.medical.negation import ADVICE_BREAK, negated
from medtune.medical.red_flags import RED_FLAGS

_TEMPLATE = (
    "Because you describe {signs}, please go to the nearest emergency department now or call an ambulance; "
    "do not wait for an online answer."
)

#: "ER" / "E.R." written in capitals (not "er" the hesitation): read as "emergency room".
_ER = re.compile(r"(?<![A-Za-z])E\.?R\b\.?(?!\s*(?:\(|[+/-]|and PR|receptors?|status|positive|negative))")
#: Every urgent-advice phrase holds one of these: an answer without them is not searched.
_CUE_WORDS = (
    "emergenc", "immediat", "urgen", "asap", "a.s.a.p", "as soon as", "right away", "right now", "at once",
    "straight away", "delay", "today", "tonight", "this very", "this evening", "this night", "ambulance",
    "911", "999", "112", "108", "000", "admi", "hospital", "rush", "casualty", "a&e", "a & e", "helpline",
    "help line", "hotline", "crisis", "suicide", "mental health", "intensive care", "icu", "prompt",
)  # fmt: skip
_NEGATION = re.compile(
    r"\b(?:no need|not need|don'?t need|do not need|doesn'?t need|does not need|needn'?t|need not"
    r"|not necessary|unnecessary|no reason|not required|not needed|is not|isn'?t|not an?|nothing|never|no"
    r"|don'?t have to|do not have to|doesn'?t have to|don'?t go|do not go|not go|don'?t rush|do not rush"
    r"|don'?t call|do not call|not to go|not to rush|rather than|instead of"
    r"|(?:do|does|did|will|would|should)(?:n'?t| not) (?:\w+ )?(?:require|need|warrant)\w*)\b"
)

_ADVERB = (
    r"immediately(?! (?:after|before|following|upon|on|when|with))|immediate|urgently|right away|right now"
    r"|at once|straight away|without (?:any )?(?:further )?delay|asap|a\.s\.a\.p\.?|as soon as possible"
    r"|today(?: itself)?|tonight|right now|this (?:very )?(?:day"
    r"|evening|night)|promptly|emergently"
)
_CARE_VERB = (
    r"see|consult|visit|meet|contact|call|show (?:\w+ )?to|discuss (?:\w+ )?with|report to|go to|reach|seek"
    r"|get (?:medical )?(?:help|attention|care)"
    r"|get (?:\w+ )?(?:seen|checked|examined|evaluated|assessed|reviewed)|be (?:seen|examined|evaluated"
    r"|assessed|reviewed)|have (?:a |an |proper |the )?(?:diagnosis|evaluation|examination|check ?up)"
)
_DESTINATION = r"emergency(?! contracepti\w*| pills?)|casualty|a ?& ?e|urgent care|intensive care|icu"
_URGENT = re.compile(
    rf"\b(?:"
    # going to an emergency destination (conditional advice included)
    rf"(?:go|goes|going|rush\w*|head|proceed|report|visit|attend|present|reach|come|get|take|taking|bring|shift"
    rf"|carry|call|contact|consult|seek|be (?:taken|seen|brought|evaluated|examined|treated)|admitted)"
    rf"\b[^.;!?\n]{{0,50}}?\b(?:{_DESTINATION})"
    rf"|(?:go|rush\w*|head|proceed|report|shift|be taken|be brought|take (?:him|her|them|it|the \w+|your \w+"
    rf"|yourself)|bring (?:him|her|them|the \w+|your \w+)|get (?:him|her|them|the \w+|your \w+|yourself))"
    rf" (?:\w+ ){{0,2}}?(?:to|into) (?:the |a |an |your |any |nearest |nearby |closest |local |good |big )*"
    rf"(?:\w+ )?hospital"
    # "this is an emergency", "a medical emergency"
    rf"|(?:is|be|as|an?|medical|real) (?:(?!no |not )\w+ )?emergency(?! contracepti\w*| pills?| medicine)"
    # ambulance, emergency numbers, crisis lines
    rf"|ambulance|(?:call|dial|ring|phone) (?:\w+ ){{0,2}}?(?:911|999|112|108|000)"
    rf"|(?:suicide|crisis|mental health) (?:hotline|helpline|help line|line|prevention|team|service"
    rf"|cent(?:er|re))"
    rf"|hotline|helpline"
    # immediate / urgent attention, care, evaluation...
    rf"|(?:immediate(?:ly)?|urgent(?:ly)?|emergent|prompt|emergency) (?:\w+ ){{0,2}}?(?:medical )?"
    rf"(?:attention|care|help|evaluation|assessment|examination|consultation|review|visit|treatment|intervention"
    rf"|management|admission|hospitali[sz]ation|referral)"
    # seeing a doctor urgently
    rf"|(?:{_CARE_VERB})\b(?:(?!\band\b)[^.;!?\n]){{0,45}}?\b(?:{_ADVERB})"
    rf"|(?:immediately|urgently|right away|without delay|asap|promptly) (?:\w+ )?(?:{_CARE_VERB})"
    # admission
    rf"|(?:get|be|being|to be) (?:\w+ )?(?:admitted|hospitali[sz]ed)|admit (?:him|her|them|the \w+|your \w+)"
    rf"|(?<!may )(?<!might )(?<!could )(?<!can )(?:needs?|requires?|required|warrants?) (?:\w+ ){{0,2}}?"
    rf"(?:admission|hospitali[sz]ation)|hospitali[sz]e (?:him|her|them)"
    # rushing to anyone
    rf"|rush(?:ed)? (?:\w+ ){{0,2}}?to"
    rf")\b"
)


def advises_urgent_care(answer: str) -> bool:
    """True when the answer advises emergency or same-day care (see the module docstring)."""
    text = _spell_out_er(answer).lower()
    return any(word in text for word in _CUE_WORDS) and any(
        not negated(text, m.start(), m.end(), _NEGATION, breaks=ADVICE_BREAK) for m in _URGENT.finditer(text)
    )


def _spell_out_er(answer: str) -> str:
    """``answer`` with "ER" / "E.R." as "emergency room" (:data:`_ER`; looked for only where
    "ER" or "E.R" occurs, as in every match)."""
    return _ER.sub("emergency room", answer) if "ER" in answer or "E.R" in answer else answer


def urgent_care_sentence(signs: Sequence[str]) -> str:
    """The urgent-care sentence naming ``signs`` (names from
    :data:`~medtune.medical.red_flags.RED_FLAGS`, as :func:`~medtune.medical.red_flags.red_flags`
    returns them), following the template in the module docstring."""
    names = list(dict.fromkeys(signs))
    unknown = [name for name in names if name not in RED_FLAGS]
    if not names or unknown:
        raise ValueError(f"urgent_care_sentence needs red-flag names from RED_FLAGS, got {list(signs)!r}")
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return _TEMPLATE.format(signs=listed)
