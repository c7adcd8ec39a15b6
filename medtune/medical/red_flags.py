"""Red-flag questions: the emergency signs a patient's question describes."""

from __future__ import annotations

import re

from medtune.medical.negation import SYMPTOM_NEGATION, affirmed


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


_CHEST_PAIN = _rx(
    r"chest (?:pain|pressure|tightness|heaviness|discomfort)|pain in (?:my |the |his |her )?chest"
    r"|(?:tight|heavy|crushing|squeezing) (?:feeling in (?:my |the )?)?chest"
)
_SWEATING = _rx(r"sweat(?:ing|y|s)?|perspir\w+|clammy|drenched")
_BREATHLESS = _rx(
    r"short(?:ness)? of breath|breathless\w*|(?:difficulty|trouble|difficult|hard|struggling|unable|"
    r"can't|cannot|can not) (?:in |with )?(?:breathing|to breathe|breathe)|gasping|breathing (?:difficulty|"
    r"problems?|trouble)|(?:can't|cannot) catch (?:my|his|her) breath|out of breath"
)
_RADIATING = _rx(
    r"(?:radiat\w+|spread\w*|going|goes|moving|shoots?|shooting) (?:to|into|down|up) (?:my |the |his |her )?"
    r"(?:left )?(?:arm|jaw|shoulder|neck)"
)
_SEVERE_BREATHING = _rx(
    r"(?:can't|cannot|can not|unable to|struggling to|barely) breathe|(?:severe|extreme|great|serious) "
    r"(?:difficulty|trouble|shortness) (?:in |of |with )?breath\w*|lips? (?:are |is |turning |turned |went )?"
    r"(?:blue|bluish)|blue lips|gasping for (?:air|breath)"
)
_STROKE = _rx(
    r"face (?:is )?(?:drooping|droops|drooped)|droop\w* (?:of )?(?:the |my |his |her )?(?:face|mouth)"
    r"|(?:face|mouth) (?:is )?droop\w*|slurred speech|slurring|speech (?:is |became |got )?slurred"
    r"|(?:sudden|suddenly)\b[^.;!?]{0,40}?\b(?:weakness|numbness|numb|paralys\w+|(?:can't|cannot|unable to) "
    r"(?:move|speak|talk|see)|lost (?:my |his |her )?vision|loss of vision|confus\w+|difficulty speaking)"
    r"|(?:weakness|numbness|paralysis) (?:on|of|in) (?:the |my |his |her )?(?:one|left|right) side"
    r"|one side of (?:the |my |his |her )?(?:face|body)|worst headache|thunderclap"
)
_SUICIDAL = _rx(
    r"suicid\w+|kill(?:ing)? (?:myself|himself|herself)|end (?:my|his|her) (?:own )?life"
    r"|ending (?:my|his|her) life"
    r"|(?:want|wanted|wanting|wish|wishing) to die|(?:hurt|harm|cut)(?:ting)? (?:myself|himself|herself)"
    r"|self[- ]harm\w*|no reason to live|better off dead|take (?:my|his|her) (?:own )?life|overdos\w+"
)
_SEVERE_BLEEDING = _rx(
    r"(?:heavy|heavily|severe|profuse|excessive|massive|uncontrolled|continuous|non[- ]stop|"
    r"a lot of|lots of) bleeding|bleeding (?:heavily|profusely|a lot|non[- ]stop|continuously)"
    r"|bleeding[^.;!?]{0,30}?(?:won't|will not|doesn't|does not|isn't|is not|wont|not) stop"
    r"|(?:vomit\w*|throw\w* up|threw up|cough\w* up|spit\w* up) "
    r"(?:bright red |fresh |a lot of |lots of )?blood"
    r"|blood in (?:my |the |his |her )?vomit|ha?ematemesis|(?:black,? )?tarry stools?"
    r"|soak\w* (?:through )?(?:a |one )?(?:pad|pads)"
)
_THROAT_SWELLING = _rx(
    r"anaphyla\w+|(?:swelling|swollen|swell\w*) (?:of |in |up )?(?:my |the |his |her )?(?:throat|tongue)"
    r"|(?:throat|tongue) (?:is |was |started |began |feels )?(?:swell\w*|swollen|closing|tight\w*)"
    r"|throat (?:is )?closing"
)
_FACE_SWELLING = _rx(
    r"(?:swelling|swollen|swell\w*|puffy|puffed) (?:of |in |up )?(?:my |the |his |her )?(?:lips?|face|eyes)"
    r"|(?:lips?|face|eyes)(?: and (?:lips?|face|eyes|tongue))? (?:are |is |was |were |started |began )?"
    r"(?:swell\w*|swollen|puffy)"
)
_FEVER = _rx(r"fever\w*|febrile|temperature|\d{3}(?:\.\d)? ?(?:f|degrees)|3[89](?:\.\d)? ?(?:c|degrees)")
_STIFF_NECK = _rx(
    r"stiff neck|neck (?:is |was |feels )?(?:stiff|rigid)|neck stiffness"
    r"|stiffness (?:in|of) (?:the |my |his |her )?neck"
    r"|(?:can't|cannot|unable to) (?:bend|move) (?:my |his |her |the )?(?:neck|head forward)"
    r"|rash (?:that )?(?:doesn't|does not|won't|did not|didn't) fade|non[- ]blanching"
)
_UNCONSCIOUS = _rx(
    r"(?:lost|loses|losing|loss of) consciousness|passed out|unconscious|unresponsive|collapsed"
    r"|(?:not|isn't|is not|hasn't) waking up|(?:first|first-ever) (?:ever )?(?:seizure|fit|convulsion)"
    r"|seizure (?:lasting|that lasted|for) (?:more than |over )?(?:\d+|five|ten) minutes"
    r"|(?:seizure|fit|convulsion)s? for the first time"
)

#: Red-flag names: each is a list of symptom groups that must all be present (non-negated).
RED_FLAGS: dict[str, tuple[tuple[re.Pattern[str], ...], ...]] = {
    "cardiac chest pain": ((_CHEST_PAIN, _SWEATING), (_CHEST_PAIN, _BREATHLESS), (_CHEST_PAIN, _RADIATING)),
    "stroke signs": ((_STROKE,),),
    "suicidal thoughts": ((_SUICIDAL,),),
    "severe bleeding": ((_SEVERE_BLEEDING,),),
    "anaphylaxis": ((_THROAT_SWELLING,), (_FACE_SWELLING, _BREATHLESS)),
    "meningitis signs": ((_FEVER, _STIFF_NECK),),
    "severe breathing difficulty": ((_SEVERE_BREATHING,),),
    "loss of consciousness": ((_UNCONSCIOUS,),),
}


def red_flags(text: str) -> list[str]:
    """The emergency signs a question describes, by name (keys of :data:`RED_FLAGS`):
    chest pain with sweating, breathlessness or pain spreading to the arm/jaw; stroke signs
    (face droop, slurred speech, sudden one-sided weakness, worst-ever headache); suicidal
    thoughts or self-harm; severe bleeding (vomiting blood, bleeding that won't stop);
    anaphylaxis (throat/tongue swelling, facial swelling with breathlessness); high fever
    with a stiff neck; severe breathing difficulty; loss of consciousness or a first seizure.
    Negated symptoms ("no chest pain", "denies suicidal thoughts") do not count."""
    lowered = text.lower()
    found = []
    for name, alternatives in RED_FLAGS.items():
        for groups in alternatives:
            if all(affirmed(group, lowered, SYMPTOM_NEGATION, post=False) for group in groups):
                found.append(name)
                break
    return found


def is_red_flag_question(text: str) -> bool:
    """True when the question describes at least one emergency sign (see :func:`red_flags`)."""
    return bool(red_flags(text))
