"""Red-flag questions: the emergency signs a patient's question describes.

A question is a red-flag question when it describes signs that warrant same-day or emergency
assessment. Each sign is an entry of :data:`RED_FLAGS`, named as it reads inside a sentence
("chest pain with sweating", "a seizure"), so that
:func:`medtune.medical.urgency.urgent_care_sentence` can name it back to the patient.

What counts: chest pain or pressure with sweating, breathlessness, spreading pain, a numb arm,
high blood pressure or an electric shock, or chest pain that is severe or persistent; blood
pressure of 180/110 or more with symptoms; sudden or one-sided weakness, numbness or
paralysis, a drooping face, slurred or lost speech, a sudden loss of vision, movement or
function; limbs too weak to use or weakness worsening fast; a sudden severe headache;
drowsiness or vomiting after a head injury; a seizure; fainting, collapse, loss of
consciousness; confusion, disorientation, amnesia, a change in behaviour; severe
breathlessness (can't breathe, too breathless to talk, at rest or lying down, blue lips);
coughing or vomiting blood, black stools, heavy or unstoppable bleeding; a swallowed or
inhaled object, a poisoning, an overdose, toxic fumes; fever with a stiff neck or a rash that
does not fade, high fever with drowsiness, fever in a baby under a year, bleeding in or poor
feeding of a newborn; severe abdominal pain with a hard or tender belly, vomiting, bloody
stools, after a procedure, or stopping the patient standing; abdominal pain that painkillers
do not relieve; severe pain with non-stop vomiting; bloody stools with weakness or dizziness;
fever or bleeding during chemotherapy; a very low body temperature; a cold or discoloured limb
after an injury; being unable to pass urine; suicidal thoughts or self-harm; a severe allergic
reaction, swelling of the tongue or throat, of the face with breathlessness or a swollen
throat; heavy bleeding or severe or worsening pain in or after pregnancy, any bleeding late in
pregnancy, reduced baby movements, pre-eclampsia signs late in pregnancy (upper abdominal
pain, raised liver tests, blurred vision, severe headache); sudden severe testicular pain.

What does not: a negated sign ("no chest pain", "denies suicidal thoughts", "dont have
fever"); a sign described nearby in its sentence as long-standing, recurrent, past or
resolved ("for 3 months", "since 2015", "on and off", "2 years ago", "as a child", "she is
fine now"; a "but" or "now" in between turns back to the present), except suicidal thoughts,
a loss of movement and reduced baby movements; chest pain and breathlessness also not when
brief ("lasted a few seconds"), coughed or vomited blood not in small amounts ("a streak"),
black stools not on iron, heavy bleeding not in periods. Patients' spellings are matched:
plurals ("chest pains"), apostrophe-less forms ("cant", "can t breathe"), common misspellings
("sucide", "servere") and other word orders ("my heart starts paining").

Agreement with careful human labels on 400 real HealthCareMagic questions (92 red-flag, ``python
bench/detectors.py``): precision 0.91, recall 0.90 (83 of 92); on the random subset of 300 (36
red-flag) precision 0.91, recall 0.86. Most misses are judgement calls the guide does not list
(lithium with vomiting, paracetamol taken at 6 g a day); most false alarms are signs the
labellers judged already assessed or remote.

Speed: one scan finds which word stems (``Words.stems``) each sentence holds; a pattern is
searched only in the sentences holding its stems, so most questions cost that one scan.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_NEGATION = re.compile(
    r"\b(?:no(?! (?:idea|one|doubt|matter|longer|more than|sooner))|not(?! (?:sure|only|just|know|able))"
    r"|never|without|none|nor|neither|denies|denied|deny|denying|free of|absence of|negative for"
    r"|(?:do|does|did|is|was|are|were|have|has|had)(?:n'?t|n t| not)(?! (?:know|understand|think|want to))"
    r"|dont|didnt|doesnt|isnt|wasnt|havent|hasnt)\b"
)
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|\b(?:but|however|although|though|except|whereas|yet|now|then)\b")
#: Words that turn a narrative to the present: a past course before them is not this sign's.
_NOW = re.compile(
    r"\b(?:but|however|although|though|yet|now|currently|today|tonight|this morning|since yesterday"
    r"|these days|this time)\b"
)
#: A sentence ends at . ! ? ; (not after a lone letter, as in "a.m.") or a line break.
_SENTENCE_END = re.compile(r"[.!?;](?<![^a-z][a-z].)[.!?;]*(?=\s|$)|\n")
#: Words before a sign searched for a negation cue.
_WINDOW = 5
#: Characters before and after a sign (within its sentence) searched for a reason not to count it.
_UNLESS_BEFORE, _UNLESS_AFTER = 80, 40
#: Characters before and after a sign (within its sentence) searched for its qualifier.
_NEAR = 40


@dataclass(frozen=True, eq=False)
class Words:
    """A pattern of words, and the word beginnings ("stems") any match holds: one of ``stems``
    and, when given, one of ``also`` (a quick pre-check; each stem is a word start, "_" a space)."""

    pattern: re.Pattern[str]
    stems: tuple[str, ...]
    also: tuple[str, ...] = ()


def _stems(words: str) -> tuple[str, ...]:
    return tuple(word.replace("_", " ") for word in words.split())


def _w(pattern: str, stems: str, also: str = "") -> Words:
    return Words(re.compile(rf"\b(?:{pattern})\b"), _stems(stems), _stems(also))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


# -- vocabulary ------------------------------------------------------------------------------------

_CANT = r"(?:can'?t|can t|cannot|can not|could ?n'?t|couldn t|could not|unable to|not able to|wasnt able to)"
_WHOSE = r"(?:my |his |her |the |their |your |both |a )?"
_SEVERE = (
    r"(?:severe|sever|servere|severly|severely|seveir|sevier|sevre|svere|extreme|extremely|excruciating"
    r"|unbearable|unbearably|intense|terrible|horrible|horrendous|agoni[sz]ing|worst|crippling|debilitating"
    r"|very bad|really bad|awful|killing|strong|major)"
)
_SEVERE_STEMS = (
    "sev servere svere extrem excruciat unbearab intense terribl horribl horrend agoni worst crippl "
    "debilitat very_bad really_bad awful killing strong major"
)
_PAIN = (
    r"(?:(?:stomach|tummy|belly|abdominal|chest|back)?pains?|paining|aches?|aching|hurts?|hurting|cramps?"
    r"|cramping|discomfort)"
)
_PAIN_STEMS = (
    "pain ach hurt cramp discomfort stomachpain tummypain bellypain abdominalpain chestpain backpain"
)
_BLOOD = (
    r"(?:blood(?!\w| (?:pressure|sugar|glucose|tests?|work|reports?|counts?|group|levels?|clots? in"
    r"|thinners?|transfusions?|cells?|donation|vessels?|flow|type|circulation))|bloody)"
)
_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few|a few|couple of)"
_SUDDEN = r"sudden\w*|all of a sudden|out of (?:the )?(?:blue|nowhere)|abrupt\w*|of sudden"
_SUDDEN_STEMS = "sudden abrupt blue nowhere"
_BELLY = r"abdom\w+|abdon\w+|stomach|tummy|belly|pelvi\w+|intestin\w+|bowel"
_BELLY_STEMS = "abdom abdon stomach tummy belly pelvi intestin bowel"
_HEADACHE = (
    r"head ?aches?|headache|migraine|(?:pain|ache) (?:\w+ ){0,3}?(?:in|at|on|of) (?:the )?(?:back |base "
    r"|top )?(?:of )?(?:my |his |her |the )?(?:head|skull)"
)
_WEAK = (
    rf"weak\w*|numb\w*|paraly\w+(?<!sleep paralysis)|{_CANT} (?:\w+ ){{0,1}}?(?:move|lift|feel|use) {_WHOSE}"
    r"(?:left |right )?(?:arms?|legs?|hands?|limbs?|side|face|body|fingers?)|(?:lost|loss of|losing) "
    r"(?:\w+ ){0,2}?(?:strength|power|movement|control|sensation|feeling)"
)
_INFANT_AGE = (
    r"(?:\d|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|couple of)"
)
_INFANT = (
    rf"(?:baby|son|daughter|kid|child|boy|girl|infant) (?:is |of )?(?:{_INFANT_AGE} ?(?:months?|mo)|\d+ ?"
    rf"(?:days?|weeks?))\b|(?:{_INFANT_AGE}[- ]?(?:months?|mos?|mths?)|(?:\d+|{_INFANT_AGE})[- ]?(?:days?"
    r"|weeks?|wks?))[- ]old|new ?born|neonat\w+|infant"
)
_NEWBORN = (
    r"(?:\d+|one|two|three|four|five|six|a few|few)[- ]?(?:days?|weeks?|wks?)[- ]old|new ?born|neonat\w+"
)

# -- reasons not to count a sign -------------------------------------------------------------------

_LONG_STANDING = (
    r"(?:for|since|from|over) (?:the )?(?:past |last |about |almost |nearly |over |more than |around "
    rf"|approx\w* )*{_NUMBER}? ?(?:months?|years?|yrs?|mths?)\b|since (?:19|20)\d\d|in (?:19|20)\d\d"
    rf"|{_NUMBER} (?:months?|years?|yrs?) (?:ago|back|now)|last (?:year|month|jan\w*|feb\w*|march|april|may"
    r"|june|july|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|winter|summer|spring)|chronic|long[- ]standing"
    r"|all (?:my|his|her) life|since (?:childhood|birth|i was|he was|she was)|childhood"
    r"|as a (?:child|kid|teen\w*)|at (?:the )?age of|at (?:the|that) time|used to|in the past|history of"
    r"|off and on|on and off|from time to time|every now and then|once in a while|occasional\w*"
    r"|sporadic\w*|all the time|intermittent\w*|frequently|recurr\w+|earlier"
    r"|(?:i am|i'm|im|he is|he's|hes|she is|she's|shes|i feel|feeling|felt) (?:now |completely |totally )?"
    r"(?:fine|better|ok|okay|normal|alright)|back to normal|(?:has|have|had) recovered"
)
_BRIEF = (
    r"(?:few|couple of|\d+|one|two|a|split) seconds?|a second|momentar\w+|brief\w*|fleeting|twinges?"
    r"|random\w*|(?:lasts?|lasted|lasting) (?:for )?(?:only )?(?:a )?(?:few |couple of |\d+ )?(?:seconds?"
    r"|minutes?)|(?:don'?t|dont|doesn'?t|doesnt|do not|does not) last (?:long|more than)"
)
_SMALL_AMOUNT = r"little|small|tiny|slight|bit of|traces?|tinge\w*|spots?|specks?|flecks?|streak\w*|drops?"
_PAST = _rx(_LONG_STANDING)
_PAST_OR_BRIEF = _rx(f"{_LONG_STANDING}|{_BRIEF}")
_PAST_OR_SMALL = _rx(f"{_LONG_STANDING}|{_SMALL_AMOUNT}")

# -- words shared by several signs -----------------------------------------------------------------

_CHEST = _w(
    rf"chest ?{_PAIN}|chest (?:pressure|tightness|tight|heaviness|burning|squeez\w*|crushing|stabbing)"
    r"|press\w* (?:down )?on (?:my |his |her |the )?chest"
    rf"|(?:{_PAIN}|pressure|tightness|heaviness|squeezing|crushing|stabbing|burning)\b[^.;!?]{{0,25}}?"
    rf"\b(?:in|on|at|across|around|over|of) {_WHOSE}(?:left |right |upper |lower |middle |centre |center "
    r"|central )?(?:side of |part of |center of |middle of )?(?:my |his |her |the )?(?:chest|heart)"
    r"|(?:chest|heart)s? (?:is |was |has been |keeps |starts? |started |starting |begins? |began |feels "
    rf"|felt )?(?:{_PAIN}|paining|tight\w*|heavy|squeez\w*)|(?:tight|heavy|crushing|squeezing) "
    rf"(?:feeling )?(?:in )?{_WHOSE}chest|heart ?{_PAIN}",
    "chest heart",
)
_BREATHLESS = _w(
    r"short(?:ness)? (?:of|in) breath\w*|sob|breathless\w*|out of breath|dyspn\w+|gasp\w*|suffocat\w*"
    r"|air hunger|(?:difficult\w*|trouble|problems?|hard|struggl\w*|labou?red|issues?|distress) (?:in |with "
    r"|while |when |to |for )?breath\w*|breath\w* (?:is |was |became |becomes |got |gets |has become )?"
    rf"(?:more )?(?:difficult\w*|problems?|trouble|issues?|hard|labou?red|distress)|{_CANT} (?:\w+ ){{0,2}}?"
    rf"(?:breath\w*|catch {_WHOSE}breath|get (?:enough )?(?:air|breath))|(?:lost|losing|lose) (?:my |his "
    r"|her |me )?breath|not getting (?:enough )?(?:air|oxygen)",
    "breath sob dyspn gasp suffocat air oxygen",
)
_VOMITING = _w(
    r"vomit\w*|vomt\w*|throw\w* up|threw up|puk\w+|cant keep (?:\w+ )?down",
    "vomit vomt throw threw puk keep",
)
_FEVER = _w(
    r"f(?<!low grade f)(?<!low-grade f)(?<!mild f)(?<!slight f)(?:ever\w*|evr\w*|ebrile)|temp(?:\w*tu?re|s)?"
    r"|\d{3}(?:\.\d)? ?(?:f|degrees|deg|°)|3[89](?:\.\d)? ?(?:c|degrees|°)",
    "fever fevr febrile temp deg 10 99 38 39 40 41",
)
_PREGNANT = _w(
    r"pregn\w+|pragnan\w+|preganan\w+|\d+ ?(?:weeks?|wks?|months?) (?:along|gestation)"
    r"|(?:first|second|third|1st|2nd|3rd) trimester|postpartum|post[- ]partum|after (?:my |her )?"
    r"(?:delivery|giving birth|child ?birth|c[- ]?section)|miscarr\w+|ectopic",
    "pregn pragn pregan along gestation trimester postpartum post-partum post_partum deliver birth section "
    "miscarr ectopic",
)
_SEVERE_BELLY = _w(
    rf"{_SEVERE} (?:\w+ ){{0,3}}?{_PAIN} (?:\w+ ){{0,6}}?(?:{_BELLY})|{_SEVERE} (?:\w+ ){{0,2}}?(?:{_BELLY})"
    rf"(?: |-)?(?:\w+ )?{_PAIN}|(?:{_BELLY}) ?{_PAIN} (?:\w+ ){{0,3}}?(?:is |are |so ){_SEVERE}"
    rf"|{_PAIN} (?:is|was|are|gets|got|became|becomes) (?:so |very |really )?{_SEVERE}\b[^.;!?]{{0,80}}"
    rf"\b(?:{_BELLY})",
    _BELLY_STEMS,
    also=_SEVERE_STEMS,
)
_HEAVY_BLEED = _w(
    r"(?:heavy|heavily|severe|profuse\w*|excessive\w*|massive|uncontroll\w+|continuous\w*|non[- ]?stop"
    rf"|a lot of|lots of|so much|too much|gushing|pouring|large amounts? of) (?:\w+ ){{0,2}}?(?:bleed\w*"
    rf"|{_BLOOD}|ha?emorrha\w+)|bleed\w* (?:(?!not |but )\w+ ){{0,2}}?(?:heavily|profusely|a lot|non[- ]?stop"
    r"|continuously|excessively|like a tap)|bleed\w*\b[^.;!?]{0,40}?\b(?:won'?t|wont|will not|doesn'?t"
    r"|doesnt|does not|did not|didn'?t|didnt|wouldn'?t|wouldnt|would not|not|never|cannot be|can'?t be) "
    rf"(?:\w+ )?stop\w*|(?:won'?t|wont|will not|doesn'?t|doesnt|does not|didn'?t|didnt|did not|{_CANT}) "
    r"(?:\w+ )?stop (?:the )?bleed\w*|soak\w* (?:\w+ ){0,3}?(?:pads?|towels?|tampons?|clothes|sheets?)"
    r"|clots? (?:the size of|as big as)|(?:large|big|huge) (?:\w+ )?clots",
    "bleed blood haemorrh hemorrh soak clot",
    also="heav sev profuse excessive massive uncontrol continu non lot much gush pour large stop soak tap "
    "clot big huge",
)
_BLOODY_STOOL = _w(
    rf"{_BLOOD} (?:\w+ ){{0,2}}?(?:stools?|diarrh\w+|diahr\w+|dysentery|motions?|poo\w*)|(?:stools?"
    rf"|diarrh\w+|diahr\w+|motions?|poo\w*) (?:\w+ ){{0,3}}?(?:with |of )?{_BLOOD}|rectal bleed\w*"
    r"|bleed\w* (?:from|in) (?:the |my |his |her )?(?:rectum|anus|back passage|bottom|bum)",
    "blood rectal bleed",
    also="stool diarrh diahr dysentery motion poo rectal rectum anus passage bottom bum",
)
_HEAD_INJURY = _w(
    r"(?:hit|banged|bumped|struck|injured|hurt) (?:\w+ ){0,2}?head|head (?:injury|injuries|trauma|hit"
    r"|struck|bang\w*)|fell (?:\w+ ){0,3}?(?:on|onto) (?:\w+ )?head|concuss\w+|skull fracture",
    "head concuss skull",
)
_DROWSY = _w(
    r"drows\w+|letharg\w+|hard to wake|difficult to wake|not waking|sleeping (?:a lot|all day|too much"
    r"|most of)|floppy|limp|very sleepy|extremely (?:weak|tired|sleepy)|(?:difficulty|trouble) standing",
    "drows letharg wak sleep floppy limp extremely standing",
)
_FACE_SWELLING = _w(
    r"(?:swelling|swollen|swell\w*|puffy|puffed) (?:of |in |up )?(?:my |the |his |her )?(?:lips?|face|eyes)"
    r"|(?:lips?|face|eyes)(?: and (?:lips?|face|eyes|tongue))? (?:\w+ ){0,2}?(?:swell\w*|swollen|puffy)",
    "swell swollen puff",
)

# -- the words of one sign -------------------------------------------------------------------------

_SWEATING = _w(
    r"sweat(?:ing|y|s|ed)?|perspir\w+|clammy|drenched|diaphore\w+", "sweat perspir clammy drench diaphore"
)
_SPREADING = _w(
    r"(?:radiat|spread|go|goes|going|went|travel|mov|shoot|extend|run|runs|running|flow)\w* "
    r"(?:\w+ ){0,3}?(?:to|into|down|up|through|towards?|along) (?:my |the |his |her |both )?(?:left |right )?"
    r"(?:arms?|jaw|shoulders?|neck|back)",
    "arm jaw shoulder neck back",
)
_ARM_NUMB = _w(
    r"(?:numb\w*|tingl\w*|pins and needles) (?:(?:\w+ ){0,2}?(?:in|of|on|down) )?(?:my |his |her |the "
    r"|both )?(?:left |right )?arms?|(?:left |right )?arms? (?:\w+ ){0,2}?(?:numb\w*|tingl\w*)",
    "numb tingl pins",
)
_PERSISTENT = _w(
    rf"{_SEVERE}|constant\w*|persist\w*|continu\w+|non[- ]?stop|worsen\w*|getting worse|(?:for|since) "
    r"(?:the )?(?:past |last )?(?:\d|two|three|four|five|six|several|few|couple of) days|since (?:yesterday"
    r"|last night|this morning)|remains|unchanged|won'?t go away|not going away",
    f"{_SEVERE_STEMS} constant persist continu non worse days yesterday night morning remains unchanged away",
)
_HIGH_BP = _w(
    r"(?:high|raised|elevated|very high) (?:blood pressure|bp|b\.p)|(?:blood pressure|bp|b\.p) "
    r"(?:\w+ ){0,2}?(?:high|raised|elevated|shot up|went up)|hypertensive crisis",
    "high raised elevated blood_pressure bp b.p hypertensive",
    also="pressure bp b.p hypertensive",
)
_SHOCK = _w(
    r"electr\w+ (?:shock|current)|electrocut\w+|(?:shock|current) from (?:a |an |the )?(?:electric\w*|wire"
    r"|socket)",
    "electr shock current",
)
_BP_READING = _w(
    r"(?:1[89]\d|2\d\d) ?(?:/|over|by|\\) ?\d{2,3}|1[4-7]\d ?(?:/|over|by|\\) ?1[1-9]\d"
    r"|(?:bp|blood pressure|pressure) (?:\w+ ){0,3}?(?:1[89]\d|2\d\d)(?! ?(?:mg|/))",
    "/ \\ bp pressure",
)
_BP_SYMPTOM = _w(
    r"head ?aches?|headache|chest|dizz\w+|giddi\w+|blur\w*|vision|confus\w+|vomit\w*|breath\w*|nose ?bleed"
    r"|numb\w*|weak\w*|faint\w*|pain",
    "head chest dizz giddi blur vision confus vomit breath nose numb weak faint pain",
)
_ONE_SIDE = _w(
    r"(?:weak\w*|numb\w*|paraly\w+) (?:\w+ ){0,2}?(?:on|of|in|down) (?:the |my |his |her )?(?:one|left"
    r"|right|whole) side|(?:one|left|right)[- ]sided (?:weak\w*|numb\w*|paraly\w+)|(?:half|one side) of "
    r"(?:the |my |his |her )?(?:body|face) (?:\w+ ){0,2}?(?:weak\w*|numb\w*|paraly\w+|droop\w*|not moving)"
    r"|hemipleg\w+|hemipar\w+|(?:left|right) (?:arm|leg|hand|side)(?: and (?:arm|leg|hand))? (?:\w+ ){0,2}?"
    r"(?:paraly\w+|numb\w*|dead|not moving|lifeless)",
    "weak numb paraly sided hemip dead lifeless droop moving",
)
_FACE_DROOP = _w(
    r"(?:face|mouth|lips?|eye ?lids?|smile) (?:\w+ ){0,3}?(?:droop\w*|sag\w*|deviat\w*|twisted|crooked"
    r"|drawn to)|droop\w* (?:\w+ ){0,3}?(?:face|mouth|lips?|smile)|facial (?:droop\w*|paraly\w+|weakness"
    r"|numbness)",
    "droop sag deviat twisted crooked drawn facial",
)
_SPEECH = _w(
    r"slurr\w+|(?:speech|talking|words?|voice) (?:\w+ ){0,2}?(?:slurr\w*|garbled|jumbled|incoherent"
    r"|not clear|unclear)|(?:lost|loss of|losing) (?:\w+ ){0,1}?(?:speech|ability to (?:speak|talk))"
    rf"|{_CANT} (?:speak|talk|say words|get (?:the |his |her |my )?words out)(?! (?:to|with|about))"
    r"|(?:difficulty|trouble|problems?) (?:in |with )?(?:speaking|talking|speech|finding words)|aphasi\w+",
    "slur speech talk speak word voice aphas",
)
_VISION_LOSS = _w(
    r"(?:lost|loss of|losing|lose) (?:my |his |her |the )?(?:vision|sight|eyesight)|went blind"
    rf"|(?:{_SUDDEN}) (?:\w+ ){{0,3}}?(?:blind\w*|can'?t see|cannot see)|(?:vision|sight|eyes?) "
    r"(?:\w+ ){0,2}?(?:went|goes|gone|going) (?:black|dark|blank|out)",
    "vision sight blind see",
)
_MOVEMENT_LOSS = _w(
    r"(?:lost|loss of|losing) (?:\w+ ){0,2}?(?:use of|function|funtion|functon|movement|power)"
    rf"|{_CANT} (?:\w+ ){{0,1}}?(?:move|speak|talk|see|walk|stand) (?:\w+ ){{0,3}}?for (?:a |few |a few "
    r"|couple of |\d+ |some )?(?:little )?(?:seconds|minutes|while|moment)",
    "lost loss losing can could unable not_able wasnt",
    also="use_of function funtion functon movement power second minute while moment",
)
_LIMBS_FAIL = _w(
    rf"(?:legs?|arms?|limbs?) (?:\w+ ){{0,2}}?(?:so|too|very|extremely|really) weak (?:\w+ ){{0,3}}?{_CANT}"
    r"|(?:too|so) weak to (?:walk|stand|move)|(?:legs?|limbs?) (?:\w+ ){0,2}?(?:not (?:properly )?working"
    r"|stopped working|gave way|giving way|gave out|gives way|not moving)|(?:rapid\w*|quick\w*|fast"
    r"|progressive\w*|worsening) (?:\w+ ){0,2}?(?:weakness|decline|deteriorat\w*|paraly\w*|loss of "
    rf"(?:strength|power))|{_CANT} (?:stand|walk)(?:,| or| and| nor) (?:\w+ ){{0,2}}?(?:stand|walk|move|sit)",
    "weak working gave giving gives_way not_moving decline deteriorat paraly stand_or stand, stand_and "
    "stand_nor walk_or walk, walk_and walk_nor",
)
_SEVERE_HEADACHE = _w(
    rf"thunderclap|{_SEVERE} (?:\w+ ){{0,2}}?(?:{_HEADACHE})",
    f"thunderclap {_SEVERE_STEMS}",
    also="thunderclap head skull migraine",
)
_HEADACHE_ONSET = _w(
    rf"{_SUDDEN}|worst|thunderclap|during sex|orgasm|climax|when (?:i'?m |im )?coming|of my life",
    f"{_SUDDEN_STEMS} worst thunderclap sex orgasm climax coming of_my_life",
)
_SEIZURE = _w(
    r"seizures?|seizured|convul\w+|convension|fitting|(?:had|having|has|get|gets|got|getting) "
    r"(?:a |an |his |her |two |\d+ )?(?:\w+ )?fits?|(?:epileptic|febrile) (?:attack|fit|episode)s?"
    r"|grand ?mal|gran mal"
    r"|tonic[- ]clonic|eyes? (?:\w+ ){0,2}?(?:rolled|rolling|rolls|roll|stuck|fixed|deviat\w*) (?:up|back"
    r"|to one side|on one side)|(?:jerk\w*|twitch\w*) (?:of |in )?(?:the |his |her |my )?(?:whole )?"
    r"(?:body|limbs|arms|legs)|(?:body|limbs|arms|legs) (?:\w+ ){0,2}?(?:jerk\w*|stiffen\w*)",
    "seiz convul convens fit epilep febrile gran tonic eye jerk twitch stiffen",
)
_FAINT = _w(
    r"faint(?:ed|ing|s)?(?! (?:line|positive|pink|smell|mark|lines|colou?r|taste|sound|red|brown|yellow"
    r"|spots?|feeling|heart ?beat))|pass(?:ed|es|ing)? out|black ?outs?|blacked out|collaps(?:ed|es|ing|e)"
    r"(?! (?:lung|vein))|went limp|fell (?:down )?unconscious|dropped to the (?:floor|ground)"
    r"|ended on the floor",
    "faint pass black collaps limp unconscious dropped floor",
)
_UNCONSCIOUS = _w(
    r"(?:lost|loses|losing|loss of|lose) (?:his |her |my )?consciousness|unconscious\w*|unresponsive"
    r"|not responding|comatose|came (?:round|around)|came to (?:after|again|consciousness)"
    r"|regained consciousness|(?:can'?t|cannot|unable to) (?:even )?open (?:his|her|my) eyes"
    r"|(?:in|into) (?:a )?coma|coma (?:was )?induced|induced coma|(?:not|isnt|isn't|hasnt|hasn't) wak\w+ up",
    "conscious unconscious respons unrespons respond coma came eyes wak",
)
_CONFUSION = _w(
    r"c(?<!i am c)(?<!i'm c)(?<!im c)(?<!am c)(?<!are c)(?<!really c)(?<!so c)(?<!very c)(?<!bit c)"
    r"(?<!little c)onfus(?:ed|ion)(?! (?:about|whether|if|as to|regarding|which|what|why|by|on|over|with"
    r"|between|and (?:worried|scared|concerned)))|disorient\w+|delirious|delirium|amnesia|(?:lost|loss of"
    r"|losing) (?:his |her |my )?memory|not (?:making sense|recogni[sz]\w+ (?:anyone|us|me|people|family))"
    r"|incoheren\w+|(?:thinking|mind|head) (?:\w+ ){0,2}?(?:unclear|not clear|foggy)|brain (?:is )?(?:not"
    r"|non) ?working|altered (?:mental|sensorium|consciousness)|does(?:nt|n't| not) (?:know|recogni[sz]e) "
    r"where (?:he|she|i) (?:is|am)",
    "confus disorient delir amnesia memory making_sense recogni incoheren unclear not_clear foggy brain "
    "altered where_he_is where_she_is where_i_am",
)
_BEHAVIOUR = _w(
    r"psychotic (?:behaviou?r|episode|symptoms)|acute psychosis|personality (?:\w+ ){0,2}?chang\w+"
    r"|behaviou?r (?:\w+ ){0,2}?(?:chang\w+|strange|abnormal|odd|weird|bizarre)|acting (?:very )?"
    r"(?:strange\w*|weird\w*|odd\w*|abnormal\w*|bizarre\w*|drunk)",
    "psycho personality behav acting",
)
_SEVERE_BREATHLESS = _w(
    rf"{_SEVERE} (?:\w+ )?(?:shortness of breath|breathless\w*|difficulty (?:in )?breathing|breathing "
    rf"(?:difficulty|problems?|trouble)|dyspn\w+)|{_CANT} (?:\w+ ){{0,2}}?breath\w*(?! (?:through|from"
    r"|out of|in through) (?:my |his |her |the )?nos)|gasping|(?:lips?|face|fingers?|finger ?nails?|skin"
    r"|tongue) (?:\w+ ){0,2}?(?:blue|bluish|purple)|cyano\w*|turn\w* blue|struggl\w+ (?:to|for) (?:breath\w*"
    r"|air)|fighting for (?:breath|air)|(?:very|extremely|really|so|too) breathless|(?:breathless\w*"
    rf"|short(?:ness)? of breath)\b[^.;!?]{{0,30}}?\b{_CANT} (?:even )?(?:talk|speak|finish|complete)"
    r"|(?:breathless\w*|short(?:ness)? of breath|difficulty (?:in )?"
    r"breathing|breathing (?:difficulty|problems?))\b[^.;!?]{0,30}?\b(?:at rest|while resting|when resting"
    r"|lying down|lie down|laying down|lay down|lying flat|even (?:when |while )?sitting|sitting still)",
    "breath dyspn gasp blue purple cyano air",
)
_COUGH_BLOOD = _w(
    rf"(?:cough|spit|hack|bring|brought)\w* (?:up |out )?(?:\w+ ){{0,3}}?(?:with |of |and )?{_BLOOD}"
    rf"|ha?emoptysis|{_BLOOD} (?:\w+ ){{0,2}}?(?:while|when|on|after|in) (?:\w+ )?cough\w*"
    rf"|(?:phle\w*|phlem|sputum|mucus|mucous|spit)\w* (?:\w+ ){{0,2}}?(?:with |of |has |had |containing )?"
    rf"{_BLOOD}|{_BLOOD} (?:\w+ )?(?:phle\w*|sputum|mucus|cough)",
    "cough spit hack bring brought haemoptys hemoptys phle sputum mucus mucous",
    also="blood haemoptys hemoptys",
)
_VOMIT_BLOOD = _w(
    rf"(?:vomit\w*|vomt\w*|throw\w* up|threw up|puk\w+) (?:\w+ ){{0,3}}?{_BLOOD}|{_BLOOD} (?:\w+ ){{0,2}}?"
    r"(?:in (?:the |his |her |my )?)?(?:vomit\w*)|ha?ematemesis|coffee[- ]grounds?",
    "vomit vomt throw threw puk haematemesis hematemesis coffee",
    also="blood haematemesis hematemesis coffee",
)
_BLACK_STOOL = _w(
    r"(?:black|tarry|tar[- ]like|maroon)\w* (?:\w+ ){0,2}?(?:stools?|poo\w*|motions?|feces|faeces"
    r"|bowel movements?|clots?)|(?:stools?|poo\w*|motions?|feces|faeces) (?:\w+ ){0,3}?(?:black|tarry"
    r"|like tar)|mela?ena",
    "black tar maroon mel",
    also="stool poo motion feces faeces bowel clot tar mel",
)
_SWALLOWED = _w(
    r"(?:swallow\w*|swallo\w*|ate|eaten|gulped|put (?:\w+ )?in (?:his|her) mouth) (?:\w+ ){0,5}?(?:coins?"
    r"|batter(?:y|ies)|magnets?|pins?|needles?|bones?|toys?|objects?|stones?|marbles?|buttons?|screws?"
    r"|nails?|glass|keys?|rings?|earrings?|beads?|plastic|metal|blades?|dentures?|tooth ?picks?|foreign)"
    r"|(?:stuck|lodged) (?:in|down) (?:\w+ ){0,2}?(?:wind ?pipe|airway|trachea|lungs?|bronch\w+)"
    r"|(?:sucked|inhal\w+|aspirat\w+|went|gone) (?:\w+ ){0,2}?(?:into|in|down) (?:\w+ ){0,2}?(?:lungs?"
    r"|wind ?pipe|airway|trachea|wrong (?:pipe|way))|foreign (?:body|object)",
    "swallo ate eaten gulp mouth stuck lodged sucked inhal aspirat went gone foreign",
    also="coin batter magnet pin needle bone toy object stone marble button screw nail glass key ring "
    "earring bead plastic metal blade denture tooth foreign pipe airway trachea lung bronch wrong",
)
_POISON = _w(
    r"p(?<!food p)oison\w*(?! (?:ivy|oak|sumac|plants?))|(?:drank|drunk|drink\w*|swallow\w*|ingest\w*|ate"
    r"|eaten|consumed|licked) (?:\w+ ){0,4}?(?:bleach|kerosene|kerosine|phenyl\w*|detergent|pesticide"
    r"|insecticide|rat ?poison|rat kill\w*|acid|chemicals?|cleaner|antifreeze|paint|thinner|petrol"
    r"|gasoline|mothballs?|battery acid|weed ?killer|dettol|harpic)",
    "poison bleach kerosene kerosine phenyl detergent pesticide insecticide rat acid chemical cleaner "
    "antifreeze paint thinner petrol gasoline mothball weed dettol harpic",
)
_OVERDOSE = _w(
    r"overdos\w+|(?:too many|whole bottle of|handful of|bunch of) (?:\w+ ){0,2}?(?:pills|tablets|capsules)"
    r"|(?:took|taken|swallowed|ate|consumed|popped|drank) (?:\w+ )?(?:[1-9]\d|\d{3}|an? (?:whole |entire )?"
    r"(?:bottle|strip|packet|pack)|all (?:the|his|her|my)) (?:\w+ ){0,2}?(?:pills|tablets|capsules|tabs"
    r"|of (?:\w+ ){0,2}?(?:pills|tablets|medicines?|syrup))|(?:accidentally|by mistake|mistakenly) "
    r"(?:\w+ ){0,2}?(?:took|taken|swallowed|ate|drank|given|gave) (?:\w+ ){0,3}?(?:pills?|tablets?"
    r"|medicines?|medications?|doses?)",
    "overdos too_many whole handful bunch took taken swallo ate consumed popped drank accident mistak",
    also="overdos pill tablet capsule tabs medicine medication dose syrup",
)
_FUMES = _w(
    r"(?:inhal\w+|breath\w* in|exposed to|exposure to|smell\w*) (?:\w+ ){0,4}?(?:fumes?|gas|carbon "
    r"monoxide|chemicals?|chlorine|ammonia|bleach|pesticides?|insecticides?|paint|vapou?rs?|smoke from "
    r"(?:a |the )?fire)|carbon monoxide|gas leak|(?:fumes?|smoke) inhalation|toxic (?:fumes?|gas|smoke)",
    "inhal breath expos smell carbon gas fume smoke toxic",
)
_STIFF_NECK = _w(
    r"stiff neck|neck (?:is |was |feels |became )?(?:stiff|rigid)|neck stiffness|stiffness (?:in|of) "
    rf"(?:the |my |his |her )?neck|{_CANT} (?:bend|move) (?:my |his |her |the )?(?:neck|head forward|chin)",
    "neck chin",
)
_NON_BLANCHING = _w(
    r"rash\w* (?:that |which )?(?:\w+ ){0,2}?(?:doesn'?t|doesnt|does not|won'?t|wont|did not|didn'?t|not) "
    r"(?:fade|blanch|go away when pressed|disappear when pressed)|non[- ]?blanch\w*|purpur\w*|petechia\w*",
    "rash blanch purpur petechi",
)
_HIGH_FEVER = _w(
    r"(?:high|very high|burning|raging|spiking) (?:grade )?(?:fever|temperature|temp)|(?:fever|temp\w*) "
    r"(?:\w+ ){0,3}?(?:10[2-9]|39|40|41|42)|(?:10[2-9]|11\d|39|40|41)(?:\.\d)? ?(?:f|°|degrees?|deg)",
    "high raging burning spiking fever temp 10 11 39 40 41",
)
_INFANT_WORDS = _w(_INFANT, "baby son daughter kid child boy girl infant old born newborn new_born neonat")
_BLEEDING = _w(rf"bleed\w*|{_BLOOD}", "bleed blood")
_NEWBORN_WORDS = _w(_NEWBORN, "old born newborn new_born neonat")
_RIGID_BELLY = _w(
    r"(?:abdom\w+|stomach|tummy|belly|pelvi\w+) (?:\w+ ){0,4}?(?:rigid|hard|board|tense|distended|swollen)"
    r"|(?:rigid|hard|distended|swollen|bloated) (?:\w+ ){0,2}?(?:abdom\w+|stomach|tummy|belly)|rigidity"
    r"|guarding|tender\w*|hurts? (?:\w+ ){0,2}?(?:touch|press)\w*",
    "rigid hard board tense distend swollen bloat guarding tender touch press",
)
_NON_STOP_VOMITING = _w(
    r"(?:non[- ]?stop|continuous\w*|persistent\w*|constant\w*|repeated\w*|uncontroll\w+) (?:\w+ )?vomit\w*"
    r"|vomit\w* (?:\w+ ){0,2}?(?:non[- ]?stop|continuously|repeatedly|constantly|every (?:\w+ )?(?:hour|few)"
    rf"|(?:\d+|several|many|multiple|ten|\w+ or \w+) times)|{_CANT} keep (?:anything|any ?thing|nothing"
    r"|water|fluids|liquids|food) down",
    "vomit keep",
    also="non continu persist constant repeat uncontrol every times keep",
)
_SEVERE_PAIN = _w(rf"{_SEVERE} (?:\w+ ){{0,3}}?{_PAIN}|agony", f"{_SEVERE_STEMS} agony")
_CHEMOTHERAPY = _w(r"chemo\w*|(?:on|having|receiving|undergoing) (?:\w+ )?chemo", "chemo")
_LATE_PREGNANCY = _w(
    r"(?:2\d|3\d|4[0-2]) (?:weeks?|wks?)(?: pregn\w*| along| of pregnancy| gestation|\b)"
    r"|(?:[5-9]|five|six|seven|eight|nine)(?:th)? months? (?:pregn\w*|of pregnancy|along)"
    r"|(?:in|into) (?:her |my |the )?(?:[5-9]|fifth|sixth|seventh|eighth|ninth)(?:th)? month"
    r"|(?:third|3rd|last) trimester",
    "week wk month trimester",
)
_PRE_ECLAMPSIA_SIGN = _w(
    r"(?:pain|ache|discomfort) (?:in|on|under|at) (?:the |her |my )?(?:upper|right upper|upper right|right "
    r"upper|top)(?: right| side| part)* (?:of )?(?:the |her |my )?(?:abdom\w*|stomach|belly|tummy|side|ribs?)"
    r"|(?:epigastric|upper abdominal|upper stomach|right upper quadrant|ruq) (?:pain|ache)|pain under (?:the "
    r"|her |my )?(?:right )?ribs|liver (?:function )?(?:tests?|enzymes?) (?:\w+ ){0,4}?(?:high\w*|raised"
    r"|elevated|increased|abnormal)|(?:high|raised|elevated|increased) liver (?:function|enzymes?)"
    r"|(?:sgpt|sgot|alt|ast) (?:\w+ ){0,4}?(?:high\w*|raised|elevated|increased|[1-9]\d{2,})|hellp"
    r"|(?:blurred|blurry|blurring of|double) vision|(?:flashing lights|spots) (?:\w+ ){0,2}?(?:eyes?|vision)"
    rf"|{_SEVERE} (?:\w+ )?head ?aches?|(?:face|hands|fingers) (?:\w+ ){{0,2}}?(?:suddenly )?(?:swollen"
    r"|swelling|puffy)",
    f"pain ache discomfort epigastric upper ruq liver high raised elevated increased sgpt sgot alt ast hellp "
    f"blur double flashing spots face hands fingers {_SEVERE_STEMS}",
)
_HYPOTHERMIA = _w(
    r"hypotherm\w+|(?:temp\w*|temperature) (?:\w+ ){0,4}?(?:8\d|9[0-5])(?:\.\d)? ?(?:f|°|deg\w*)\b"
    r"|(?:low|dropped|falling) (?:body )?temp\w* (?:\w+ ){0,6}?(?:8\d|9[0-5])(?:\.\d)?"
    r"|(?:temp\w*|temperature) (?:\w+ ){0,4}?3[0-4](?:\.\d)? ?(?:°|deg\w*|c)\b",
    "hypotherm temp low dropped falling",
)
_BELLY_PAIN = _w(rf"(?:{_BELLY}) ?{_PAIN}|{_PAIN} (?:\w+ ){{0,6}}?(?:{_BELLY})", _BELLY_STEMS)
_UNRELIEVED = _w(
    r"nothing (?:\w+ ){0,3}?(?:help\w*|work\w*|relie\w+)|no relief|not (?:\w+ )?(?:relieved|helping"
    r"|working)|(?:pain ?killers?|medicines?|medications?|tablets?|pills?) (?:\w+ ){0,2}?(?:not|n'?t|nt) "
    r"(?:\w+ )?(?:help\w*|work\w*)",
    "nothing no_relief not killer medic tablet pill",
)
_PROCEDURE = _w(
    r"surger\w*|operat\w+|colonoscop\w+|endoscop\w+|laparoscop\w+|biops\w+|procedure|polyps? (?:were "
    r"|was )?removed|repair\w*|c[- ]?section|caesarean|cesarean|stent",
    "surger operat colonoscop endoscop laparoscop biops procedure removed repair section c-section "
    "caesarean cesarean stent",
)
_CANT_STAND = _w(
    rf"{_CANT} (?:\w+ ){{0,1}}?(?:stand|walk|move|get up|sit)|(?:not|doesn'?t|doesnt|dosent|does not) "
    r"allow\w* (?:me|him|her) (?:to )?(?:move|walk|stand|sit)|(?:trouble|difficulty|problems?) (?:\w+ )?"
    r"(?:standing|walking|moving|bending|sitting)",
    "stand walk move moving get_up sit allow bend",
)
_WEAK_OR_DIZZY = _w(
    r"(?:very|so|extremely|really) weak|dizz\w+|giddi\w+|light ?head\w*|faint\w*|pale",
    "weak dizz giddi light faint pale",
)
_COLD_LIMB = _w(
    r"(?:cold|freezing|icy|ice cold) (?:\w+ ){0,2}?to (?:the )?touch|(?:foot|feet|toes?|hands?|fingers?"
    r"|legs?|arms?|limbs?) (?:\w+ ){0,4}?(?:ice cold|icy|freezing|cold|pale|white|blue|bluish|purple|dusky"
    r"|grey|gray|discolou?r\w*)|(?:cold|pale|white|blue|bluish|purple|dusky|discolou?red) (?:and \w+ )?"
    r"(?:foot|feet|toes?|hands?|fingers?|legs?|arms?|limbs?)|(?:keep|get) (?:it|them) warm",
    "cold freez icy pale white blue purple dusky grey gray discolo warm",
)
_INJURY = _w(
    r"injur\w+|fell (?:down|off|from|on|over)|(?:a|the|bad|after) fall|accident|hit by|crush\w*|fractur\w+"
    r"|broken|broke (?:my|his|her)|sprain\w*|twisted|trauma|(?:in a|plaster|the) cast|dislocat\w+"
    r"|bitten|(?:snake|dog|animal) bite",
    "injur fell fall accident hit crush fractur broke sprain twist trauma cast dislocat bit",
)
_NO_URINE = _w(
    rf"{_CANT} (?:\w+ )?(?:pass|pee|urinate|void)(?! (?:stool|motion|gas|wind))|not (?:\w+ )?(?:passed|peed"
    r"|urinated) (?:any )?(?:urine )?(?:since|for|in)",
    "pass pee urinat void",
)
_SUICIDAL = _w(
    r"suicid\w*|sucid\w*|suicd\w*|suisid\w*|suiside\w*|sucide\w*|kill(?:ing)? (?:my|him|her|them) ?sel(?:f"
    r"|ves)|end(?:ing)? (?:my|his|her) (?:own )?life|take (?:my|his|her) (?:own )?life|end(?:ing)? it all"
    r"|(?:want|wanted|wanting|wish|wishing|going) to die|(?:don'?t|dont|do not|doesn'?t) want to live"
    r"|(?:want\w*|urges?|thoughts? of|thinking of|feel like|going to|tried to|try to|trying to)\b[^.;!?]"
    r"{0,25}?\b(?:hurt|harm|cut|injure|burn)\w* (?:my|him|her|them) ?sel(?:f|ves)|(?:hurting|harming"
    r"|cutting|burning) (?:my|him|her|them) ?sel(?:f|ves)|self[- ]?harm\w*|no (?:reason|point) (?:to |in )?"
    r"liv\w+|better off dead|slit\w* (?:my |his |her )?wrists?",
    "suic sucid suisid kill life die live sel harm dead wrist end_it ending_it myself himself herself "
    "themselves my_self him_self her_self",
)
_THROAT_SWELLING = _w(
    r"tongue (?:\w+ ){0,2}?(?:swell\w*|swollen)|(?:swelling|swollen|swell\w*) (?:of |in |up )?(?:my |the "
    r"|his |her )?tongue|throat (?:\w+ ){0,2}?(?:closing|closed up|tight\w*|swelling up|swelled up"
    r"|swollen shut)",
    "tongue throat",
)
_ANAPHYLAXIS = _w(
    r"anaphyla\w+|(?:severe|serious|bad|major|strong|massive) allergic reaction|allergic shock",
    "anaphyla allergic",
)
_THROAT_SWOLLEN = _w(
    r"(?:throat|tonsils?|tongue) (?:\w+ ){0,2}?(?:swell\w*|swollen)|(?:swollen |swelling of (?:the |her "
    r"|his |my )?)(?:\w+ )?(?:throat|tonsils?|tongue)",
    "throat tonsil tongue",
)
_BAD_PAIN = _w(
    rf"{_SEVERE} (?:\w+ ){{0,3}}?(?:{_PAIN}|headache|cramps?)|(?:{_PAIN}) (?:\w+ ){{0,2}}?(?:is |are |so "
    rf"|very ){_SEVERE}|agony|{_PAIN} (?:\w+ ){{0,3}}?(?:worsen\w*|getting worse|got worse|(?:has|have"
    r"|had) not gone away|hasn'?t gone away|won'?t go away|not going away)",
    f"{_PAIN_STEMS} head agony",
)
_FEWER_MOVEMENTS = _w(
    r"(?:baby|babies|fetus|foetus) (?:\w+ ){0,2}?(?:not|stopped|hasn'?t|has not|isn'?t|is not|no longer) "
    r"(?:been )?(?:moving|moved|kicking|kicked|move|kick)|(?:no|reduced|decreased|less|fewer|lesser) "
    r"(?:fetal |foetal |baby |babys |baby's )?(?:movements?|kicks?)",
    "baby babies fetus foetus no_fetal no_foetal no_baby no_movement no_kick reduced decreased less fewer",
    also="moving kicking move kick movement",
)
_TORSION = _w(
    rf"(?:{_SUDDEN}|{_SEVERE}) (?:\w+ ){{0,3}}?(?:{_PAIN}|swelling|swollen) (?:\w+ ){{0,4}}?(?:testic\w+"
    rf"|testis|testes|scrot\w+|balls?|nuts|groin)|(?:testic\w+|testis|testes|scrot\w+|balls?) "
    rf"(?:\w+ ){{0,4}}?(?:{_SUDDEN}|{_SEVERE}|twist\w*|(?:very|extremely|really|so) (?:painful|swollen))"
    r"|torsion",
    "testi testes scrot ball nuts groin torsion",
)


@dataclass(frozen=True)
class RedFlag:
    """One emergency sign: present when ``sign`` has a match that is not negated, has
    ``near`` close to it (when given) and no ``unless`` (a long-standing course, a small
    amount...) since the last "but" or "now" before it or just after it, both looked for
    within its sentence, and every pattern of ``context`` has a match that is not negated
    anywhere in the question."""

    sign: Words
    context: tuple[Words, ...] = ()
    unless: re.Pattern[str] | None = _PAST
    near: Words | None = None


#: The emergency signs by the name :func:`red_flags` reports: lower case, reading naturally
#: inside "Because you describe {name}, ..."; no name holds another.
RED_FLAGS: dict[str, RedFlag] = {
    "chest pain with sweating": RedFlag(_CHEST, (_SWEATING,), _PAST_OR_BRIEF),
    "chest pain with breathlessness": RedFlag(_CHEST, (_BREATHLESS,), _PAST_OR_BRIEF),
    "chest pain spreading to the arm, jaw or back": RedFlag(_CHEST, (_SPREADING,), _PAST_OR_BRIEF),
    "chest pain with a numb arm": RedFlag(_CHEST, (_ARM_NUMB,), _PAST_OR_BRIEF),
    "severe or persistent chest pain": RedFlag(_CHEST, unless=_PAST_OR_BRIEF, near=_PERSISTENT),
    "chest pain with high blood pressure": RedFlag(_CHEST, (_HIGH_BP,), _PAST_OR_BRIEF),
    "chest pain after an electric shock": RedFlag(_CHEST, (_SHOCK,), _PAST_OR_BRIEF),
    "very high blood pressure with symptoms": RedFlag(_BP_READING, (_BP_SYMPTOM,)),
    "sudden weakness or numbness": RedFlag(
        _w(_WEAK, "weak numb paraly move lift feel use lost loss losing"),
        near=_w(_SUDDEN, _SUDDEN_STEMS),
    ),
    "one-sided weakness or numbness": RedFlag(_ONE_SIDE),
    "a drooping face": RedFlag(_FACE_DROOP),
    "slurred or lost speech": RedFlag(_SPEECH),
    "sudden loss of vision": RedFlag(_VISION_LOSS),
    "a sudden loss of movement or function": RedFlag(_MOVEMENT_LOSS, unless=None),
    "severe or rapidly worsening weakness": RedFlag(_LIMBS_FAIL),
    "a sudden severe headache": RedFlag(_SEVERE_HEADACHE, near=_HEADACHE_ONSET),
    "drowsiness after a head injury": RedFlag(_DROWSY, (_HEAD_INJURY,)),
    "vomiting after a head injury": RedFlag(_VOMITING, (_HEAD_INJURY,)),
    "a seizure": RedFlag(_SEIZURE),
    "fainting or collapse": RedFlag(_FAINT),
    "loss of consciousness": RedFlag(_UNCONSCIOUS),
    "confusion or disorientation": RedFlag(_CONFUSION),
    "a change in behaviour": RedFlag(_BEHAVIOUR),
    "severe breathlessness": RedFlag(_SEVERE_BREATHLESS, unless=_PAST_OR_BRIEF),
    "coughing up blood": RedFlag(_COUGH_BLOOD, unless=_PAST_OR_SMALL),
    "vomiting blood": RedFlag(_VOMIT_BLOOD, unless=_PAST_OR_SMALL),
    "black stools": RedFlag(_BLACK_STOOL, unless=_rx(f"{_LONG_STANDING}|iron|bismuth|pepto|beetroot")),
    "heavy or unstoppable bleeding": RedFlag(
        _HEAVY_BLEED, unless=_rx(rf"{_LONG_STANDING}|periods?|menstru\w*|menses|cycle")
    ),
    "a swallowed or inhaled object": RedFlag(_SWALLOWED),
    "a possible poisoning": RedFlag(_POISON),
    "a possible overdose": RedFlag(_OVERDOSE),
    "breathing in toxic fumes": RedFlag(_FUMES),
    "fever with a stiff neck": RedFlag(_STIFF_NECK, (_FEVER,)),
    "fever with a rash that does not fade": RedFlag(_NON_BLANCHING, (_FEVER,)),
    "high fever with drowsiness or weakness": RedFlag(_HIGH_FEVER, (_DROWSY,)),
    "fever in a baby": RedFlag(_FEVER, (_INFANT_WORDS,)),
    "bleeding in a newborn": RedFlag(_BLEEDING, (_NEWBORN_WORDS,)),
    "a newborn not feeding": RedFlag(
        _w(
            r"not (?:\w+ )?(?:feeding|sucking|feed|suck|breast ?feeding)|(?:refus\w+|stopped|stops) (?:to )?"
            r"(?:feed\w*|suck\w*|drink\w* milk|breast ?feed\w*)|poor (?:feeding|sucking)",
            "not refus stopped stops poor",
            also="feed suck drink breast",
        ),
        (_NEWBORN_WORDS,),
    ),
    "severe abdominal pain with a hard, swollen or tender belly": RedFlag(_SEVERE_BELLY, (_RIGID_BELLY,)),
    "severe abdominal pain with vomiting": RedFlag(_SEVERE_BELLY, (_VOMITING,)),
    "severe pain with non-stop vomiting": RedFlag(_NON_STOP_VOMITING, (_SEVERE_PAIN,)),
    "severe abdominal pain with bloody stools": RedFlag(_SEVERE_BELLY, (_BLOODY_STOOL,)),
    "abdominal pain that painkillers do not relieve": RedFlag(_BELLY_PAIN, (_UNRELIEVED,)),
    "severe abdominal pain after a procedure or surgery": RedFlag(_SEVERE_BELLY, (_PROCEDURE,)),
    "severe abdominal pain with trouble standing or walking": RedFlag(_SEVERE_BELLY, (_CANT_STAND,)),
    "bloody stools with weakness or dizziness": RedFlag(_BLOODY_STOOL, (_WEAK_OR_DIZZY,)),
    "a cold or discoloured limb after an injury": RedFlag(_COLD_LIMB, (_INJURY,)),
    "being unable to pass urine": RedFlag(_NO_URINE),
    "suicidal thoughts or self-harm": RedFlag(_SUICIDAL, unless=None),
    "swelling of the tongue or throat": RedFlag(_THROAT_SWELLING),
    "a severe allergic reaction": RedFlag(_ANAPHYLAXIS),
    "facial swelling with breathlessness": RedFlag(_FACE_SWELLING, (_BREATHLESS,)),
    "swelling of the lips or face with a swollen throat": RedFlag(_FACE_SWELLING, (_THROAT_SWOLLEN,)),
    "heavy bleeding in or after pregnancy": RedFlag(_HEAVY_BLEED, (_PREGNANT,)),
    "bleeding late in pregnancy": RedFlag(_w(r"bleed\w*", "bleed"), (_LATE_PREGNANCY, _PREGNANT)),
    "severe or worsening pain in or after pregnancy": RedFlag(_BAD_PAIN, (_PREGNANT,)),
    "reduced baby movements in pregnancy": RedFlag(_FEWER_MOVEMENTS, (_PREGNANT,), unless=None),
    "possible pre-eclampsia signs late in pregnancy": RedFlag(
        _PRE_ECLAMPSIA_SIGN, (_LATE_PREGNANCY, _PREGNANT)
    ),
    "fever during chemotherapy": RedFlag(_FEVER, (_CHEMOTHERAPY,)),
    "bleeding during chemotherapy": RedFlag(_BLEEDING, (_CHEMOTHERAPY,)),
    "a very low body temperature": RedFlag(_HYPOTHERMIA),
    "sudden severe testicular pain": RedFlag(_TORSION),
}


def _trie(stems: set[str]) -> str:
    """One regex alternation matching any of ``stems``, the longest where several match,
    factored by common prefixes (much faster than a flat alternation)."""
    branches: dict[str, set[str]] = {}
    for stem in stems:
        branches.setdefault(stem[:1], set()).add(stem[1:])
    parts = []
    for first, rests in sorted(branches.items()):
        longer = rests - {""}
        if not longer:
            parts.append(re.escape(first))
        else:
            inner = _trie(longer)
            parts.append(re.escape(first) + (f"(?:{inner})?" if "" in rests else inner))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


_ALL_WORDS = {w for flag in RED_FLAGS.values() for w in (flag.sign, *flag.context, flag.near) if w}
_STEMS = {stem for words in _ALL_WORDS for stem in (*words.stems, *words.also)}
_STEM_STARTS = re.escape("".join(sorted({stem[0] for stem in _STEMS})))
#: At every word start, the longest stem found there (overlapping: "blood pressure", "pressure");
#: the first look-ahead lets ``re`` pass positions no stem starts at by faster.
_STEM_SCAN = re.compile(rf"(?=[{_STEM_STARTS}])\b(?=({_trie(_STEMS)}))")
#: Each stem with the stems it begins with ("blood pressure" -> "blood", "blood pressure").
_PREFIXES = {stem: [s for s in _STEMS if stem.startswith(s)] for stem in _STEMS}
_GATES = {
    words: tuple(frozenset(group) for group in (words.stems, words.also) if group) for words in _ALL_WORDS
}
#: For each stem, the red flags whose sign may hold it.
_SIGNS_WITH: dict[str, set[str]] = {}
for _name, _flag in RED_FLAGS.items():
    for _stem in _flag.sign.stems:
        _SIGNS_WITH.setdefault(_stem, set()).add(_name)


class _Question:
    """A lower-cased question: its sentences, the sentences each stem occurs in, and each
    pattern's non-negated matches (searched only in the sentences holding its stems)."""

    def __init__(self, text: str) -> None:
        self.text = text.lower().replace("\u2019", "'").replace("`", "'")
        self.ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        self.ends.append(len(self.text))
        self.where: dict[str, set[int]] = {}
        start = 0
        for sentence, end in enumerate(self.ends):
            for found in _STEM_SCAN.findall(self.text, start, end):
                for stem in _PREFIXES[found]:
                    self.where.setdefault(stem, set()).add(sentence)
            start = end
        self._matches: dict[Words, list[tuple[int, int]]] = {}
        self._sentences: dict[Words, set[int]] = {}

    def sentences(self, words: Words) -> set[int]:
        """The sentences that may hold a match of ``words``: those holding its stems."""
        if words not in self._sentences:
            self._sentences[words] = self._holding(words)
        return self._sentences[words]

    def _holding(self, words: Words) -> set[int]:
        found: set[int] | None = None
        for gate in _GATES[words]:
            here: set[int] = set()
            for stem in gate.intersection(self.where):
                here |= self.where[stem]
            found = here if found is None else found & here
            if not found:
                break
        return found if found is not None else set(range(len(self.ends)))

    def matches(self, words: Words) -> list[tuple[int, int]]:
        if words not in self._matches:
            self._matches[words] = [
                m.span()
                for i in sorted(self.sentences(words))
                for m in words.pattern.finditer(self.text, self.ends[i - 1] if i else 0, self.ends[i])
                if not self._negated(m.start())
            ]
        return self._matches[words]

    def _negated(self, start: int) -> bool:
        before = self.text[max(0, start - 80) : start]
        cut = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
        words = before[cut[-1] if cut else 0 :].split()[-_WINDOW:]
        return bool(words) and bool(_NEGATION.search(" ".join(words)))

    def around(
        self, pattern: re.Pattern[str], span: tuple[int, int], before: int, after: int, clause: bool = False
    ) -> bool:
        """Whether ``pattern`` occurs from ``before`` characters before ``span`` (with ``clause``,
        not before a word such as "but" or "now") to ``after`` characters after it, within its
        sentence."""
        start, end = span
        i = bisect.bisect_right(self.ends, start)
        first = max(self.ends[i - 1] if i else 0, start - before)
        if clause:
            first = max([first, *(m.end() for m in _NOW.finditer(self.text, first, start))])
        last = min(self.ends[i] if i < len(self.ends) else len(self.text), end + after)
        return pattern.search(self.text, first, last) is not None

    def has(self, flag: RedFlag) -> bool:
        words = (flag.sign, *flag.context) if flag.near is None else (flag.sign, flag.near, *flag.context)
        if not all(self.sentences(w) for w in words):
            return False
        return any(
            (flag.near is None or self.around(flag.near.pattern, span, _NEAR, _NEAR))
            and (
                flag.unless is None
                or not self.around(flag.unless, span, _UNLESS_BEFORE, _UNLESS_AFTER, clause=True)
            )
            for span in self.matches(flag.sign)
        ) and all(self.matches(w) for w in flag.context)


def red_flags(question: str) -> list[str]:
    """The emergency signs ``question`` describes, by name (keys of :data:`RED_FLAGS`, in
    registry order); empty when it describes none (see the module docstring)."""
    q = _Question(question)
    candidates = set().union(*(_SIGNS_WITH.get(stem, ()) for stem in q.where))
    return [name for name, flag in RED_FLAGS.items() if name in candidates and q.has(flag)]


def is_red_flag_question(question: str) -> bool:
    """True when the question describes at least one emergency sign (see :func:`red_flags`)."""
    return bool(red_flags(question))
