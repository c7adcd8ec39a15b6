"""The word patterns of the sentence-role classifier (:mod:`.roles`), in the syntax of
:mod:`.phrases`, by tag:

- diagnosis: ``hedge`` ("could be", "you have", "suggestive of"), ``near`` ("the possibility
  of"), ``causal`` ("due to"), ``subject`` (after a condition: "can cause", "should be
  considered"), ``condition`` (``lexicons.CONDITIONS``, abnormal levels), ``head`` (generic
  heads), ``dxneg`` / ``cond`` / ``doubt`` / ``dxpost`` / ``ruleout`` (negation before, a
  conditional, a doubted clause, negation after, ruling out), ``list`` / ``listed`` (a
  differential list);
- treatment: ``item`` (drugs, classes, forms, procedures), ``dose``, ``care`` (self-care),
  ``medicate`` (unnamed medicine), ``advice`` (the sentence advises), ``txneg`` / ``vague`` /
  ``prohibit`` / ``txpost`` / ``contingent`` (not needed, unnamed, a prohibition, useless or
  harmful, waiting on a test);
- ``referral``, ``test``, ``break`` / ``comma`` (clause and phrase ends).

Word sets the classifier checks around a match are here too. Extend a list and every
detector and the structuring follow; ``bench/detectors.py`` shows the effect on real rows.
"""

from __future__ import annotations

import functools
import re

from medtune.medical import lexicons
from medtune.medical.phrases import Phrases


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _alts(words: str) -> str:
    """``"a b c"`` -> ``"a|b|c"`` (pattern alternatives from a word list)."""
    return "|".join(words.split())


def _with_plurals(phrases: frozenset[str] | tuple[str, ...] | list[str]) -> list[str]:
    out = []
    for phrase in phrases:
        out.append(phrase)
        if phrase[-1].isalpha() and not phrase.endswith("s"):
            out.append(phrase + "s")
    return out


# -- the patterns ------------------------------------------------------------------------------

_MODALS = "could may might can would must will should"
_ADVERBS = (
    "well also possibly probably simply just only definitely likely even perhaps still certainly actually"
)
_NOT_AFTER_MODAL = _alts(
    "seen found observed noticed present given used taken done treated managed cured prevented controlled "
    "avoided removed confirmed diagnosed excluded ruled checked tested helpful useful sure able advisable "
    "better best necessary needed required to"
)
_SUBJECTS = (
    "you u he she they we it this that patient baby child kid son daughter husband wife "
    "mother father mom mum dad"
)
_HAVE = "have has had got get gets"
_NOT_AFTER_HAVE = _alts(
    "to been done taken tried used not no mentioned said asked written described given already"
)
_NOT_AFTER_IS = _alts(
    "good important necessary better best advisable advised recommended essential difficult hard impossible "
    "not also very unlikely true fine ok okay safe always mandatory wise helpful useful worth time nothing no"
)
_HEDGE = [
    f"{_alts(_MODALS)} {_alts(_ADVERBS)}? be|have|represent|indicate|suggest !{_NOT_AFTER_MODAL}",
    "could|may|might as well",
    "likely|probably|possibly|perhaps|presumably|apparently|definitely !to",
    "likely|probably to be|have",
    _alts(
        "looks look looking looked sounds sound sounding seems seem seemed seeming appears appear appeared"
    ),
    "suggest|suggests|suggested|suggestive|suggesting !you|to",
    _alts(
        "indicate indicates indicated indicative indicating reveal reveals revealed revealing show shows "
        "showed"
    )
    + "|showing|shown|confirms|confirm|confirmed|means|mean|implies|evident",
    "consistent|compatible with",
    "typical|characteristic|evidence|manifestation|picture|episode|attack|form|type|kind|variant of",
    "signs|sign|sings|symptoms|symptom|features|feature of",
    "case of",
    "in favour|favor of",
    "points|point|pointing to|towards",
    "called|termed|named",
    "known as",
    "diagnosed|diagnosis as|with|of|is|was",
    "diagnosis would|could be",
    "impression is|of",
    "differential diagnosis",
    "differential|differentials are|is|include|includes|including",
    "related to",
    "associated with",
    "because",
    "explained by",
    f"{_alts(_SUBJECTS)} still|also|already|now|definitely|certainly|clearly|obviously? {_alts(_HAVE)} "
    f"!{_NOT_AFTER_HAVE}",
    f"{_alts(_SUBJECTS)} are|is|was|were having|experiencing|undergoing",
    f"{_alts(_SUBJECTS)} are|is|was|were suffering from",
    "suffer|suffers|suffering from",
    f"{_alts(_SUBJECTS)} have|has developed",
    "developed",
    f"{_alts(_SUBJECTS)} are|is going through",
    "having",
    "affected by|with",
    f"it|this|that|these|those|which|there|they is|are|was|were|'s|s !{_NOT_AFTER_IS}",
    f"it's|its|thats|that's !{_NOT_AFTER_IS}",
    "is|are|was|were a|an|the|just|only|simply|mostly|mainly|basically|usually|commonly|definitely|either",
    "is|are seen in",
    "others|other include|includes|are",
    "other causes include|includes|are",
    "causes|possibilities|differentials include|includes|are",
    "diseases|disease|conditions|condition|disorders|disorder|causes|possibilities *{0,4} are|include|"
    "includes",
    "can|may|could|might also? happen|occur with|in",
    "can|may|could|might also? be seen with|in",
    "happens|happen with|in",
    "i think|feel|suspect|believe|guess",
    "i would say",
    "i am sure|afraid",
    "in my opinion|view|experience",
    "my opinion|impression|guess|diagnosis",
    "according to me",
    "possibility|possibilities *{0,5} is|are|would",
    "suspect|suspected",
    "cause|causes|reason|reasons|explanation|culprit|source|origin|etiology|aetiology *{0,5} "
    "is|are|was|could|may|might|seems|would|appears",
]
#: "your son has ...": a verb whose subject is a possessive phrase (checked in code).
_OWNED_HEDGE = [f"{_alts(_HAVE)} !{_NOT_AFTER_HAVE}", "are|is|was|were having|experiencing|undergoing"]
_OWNED_ADVICE = ["should|must|need|needs|require|requires"]
POSSESSIVES = _set("your ur his her the their my")
OWNERS = _set("your ur his her their")  # "your son should ...": advice
_NEAR = ["possibility|possibilities", "chance|chances of|are|is", "suspicion", "likelihood", "probability"]
_CAUSAL = [
    "due to",
    "caused|triggered|induced by",
    "brought on by",
    "because of",
    "secondary to",
    "result of",
    "resulting|results|result from",
    "attributed|attributable to",
    "originates|originating|originate|stems|stem|stemming|comes|coming|arises|arising from",
    "owing to",
]
_SUBJECT_CUES = [
    "cause|causes|caused|causing|produce|produces|explain|explains",
    "lead|leads|leading to",
    "give|gives rise to",
    "result|results in",
    "is|are responsible",
    "should be considered|suspected",
    "is|are suspected|indicated|suggested|evident|present|seen|noted|confirmed",
    "is|are the? most|more? likely|probable|possible",
    "is a possibility",
    "is|are more",
    "is|are|may|might|could|can|will|would be? one? of? the|a|an? most|more? "
    "common|likely|probable|possible|usual|frequent|main|major? cause|causes|reason|reasons|culprit|"
    "diagnosis",
    "can|may|might|could also? have such",
    "can|may|might|could also? present like|as|with",
    "can|may|might|could also? manifest",
]
_DX_NEGATION = [
    _alts(
        "not no never nor neither none nothing without isn't isnt aren't wasn't weren't doesn't doesnt "
        "don't dont "
        "didn't cannot can't cant unlikely rare rarely unusual uncommon exclude excluded excludes excluding "
        "exclusion "
        "prevent prevents preventing prevention avoid doubt doubtful rather shouldn't mustn't past minimal "
        "minimum "
        "negligible remote slim people patients persons individuals someone anyone"
    ),
    "less|least likely",
    "rule|ruled|rules|ruling out",
    "to rule|make|reach|establish|confirm|diagnose|check|see|know|find|look|detect|identify|evaluate|assess",
    "to investigate|screen",
    "to arrive at",
    "rather|instead|other than|of",
    "apart from",
    "difficult|hard|impossible|unable to",
    "free from|of",
    "negative for",
    "absence|lack of",
    "risk of|for",
    "at risk",
    "for diagnosis",
    "screen|screening|check|checked|test|tests|tested|testing|looking|look|evaluate for",
    "sure that",
    "in cases|case of",
    "history of",
    "low|less|small chance|chances|possibility",
    "low risk",
    "cure|treatment|management of",
    "recovery from",
    "used|indicated for|in",
]
_CONDITIONAL = ["if", "unless", "whether", "incase", "suppose", "in case"]
CONDITIONAL_AFTER = _set("if unless when only")
CAUSE_WORDS = _set("cause causes reason reasons etiology aetiology origin source")
_RULE_OUT = [
    "rule|ruled|rules|ruling out",
    "to rule",
    "exclude|excluded|excludes|excluding|exclusion",
    "screen|screening|test|tests|tested|testing|check|checked for",
]
_DOUBTED = [
    "it|this|that is|'s very|quite|highly|rather? unusual|unlikely|rare|uncommon|impossible|doubtful",
    "it's very|quite|highly|rather? unusual|unlikely|rare|uncommon|impossible|doubtful",
    "it|this|that is not likely",
]
_BE = "is are was were seems seem appears appear looks look"
_DX_POST = [
    f"{_alts(_BE)} not the|a|an|likely|present|there|seen|found|related|responsible|due|evident|consistent|"
    "suggestive|indicated|possible|probable|cause|reason",
    f"{_alts(_BE)} very? unlikely|rare|remote|less|low|minimal|negligible|excluded|resolved|cured",
    f"{_alts(_BE)} ruled out",
    f"{_alts(_BE)} under control",
    "isn't|aren't|wasn't the|a|an|likely|present|there|related|responsible",
    "should|must|can|will|to be ruled|excluded",
    "needs|need|has|have to be ruled|excluded",
    "less|least likely",
    "unlikely|excluded|ago|previously",
    "ruled out",
    "before|since #",
    "# days|day|weeks|week|months|month|years|year ago|back|before",
    "in the past",
]
_LIST = [
    "like",
    "such as",
    "including",
    "include",
    "includes",
    "viz",
    "namely",
    "for example|instance",
    ":",
    "-",
]
_LISTED = [
    "conditions|condition|diseases|disease|disorders|disorder|causes|cause|problems|problem like|including",
    "conditions|condition|diseases|disease|disorders|disorder|causes|cause|problems|problem such as",
]
_CONDITION_PATTERNS = [
    "hand ,? foot and mouth",
    "high|low|raised|elevated|increased|decreased|reduced|deranged|abnormal|excess|excessive *? "
    "levels|level|count|counts|values",
]
QUANTIFIERS = _set(
    "a an the some any many various several different multiple numerous number of lot lots variety other "
    "unknown certain such these those more few possible"
)
GENERIC_NOUNS = _set(
    "reasons reason causes cause factors factor things thing conditions condition problems problem issues "
    "issue "
    "possibilities etiology etiologies aetiology something anything that this it them which what same"
)
#: First words after "due to" that name no cause: a verb ("due to keep stress under
#: control", "due to be ...": a garbled sentence) or a document ("due to the reports").
NOT_CAUSES = _set("be keep take avoid get have do use report reports result results")
DETERMINERS = _set("the your a an this that some")
SYMPTOMS = _set(
    "pain ache aches aching swelling discomfort symptom symptoms itching bleeding numbness tingling burning "
    "soreness tenderness problem complaint complaints feeling"
)
ATTRIBUTES = _set(
    "treatment therapy medicine medicines medication medications drug drugs tablet tablets specialist doctor "
    "clinic test tests evaluation examination workup work levels level history patient patients profile "
    "screening panel risk prevention like type"
)

# treatment
_ANTI = _set(
    "inflammatory inflammatories allergic allergics biotic biotics fungal fungals histamine histamines viral "
    "virals spasmodic spasmodics emetic emetics anxiety depressant depressants psychotic psychotics "
    "epileptic "
    "epileptics hypertensive hypertensives platelet platelets coagulant coagulants oxidant oxidants septic "
    "septics pyretic pyretics bacterial bacterials diabetic diabetics tb tubercular thyroid acid acids "
    "hemorrhoidal parasitic parasitics lice"
)
_PURPOSE_HEADS = (
    "medicines medicine medications medication drug drugs tablets tablet pills pill relievers reliever "
    "killers "
    "killer syrups syrup creams cream gels gel ointments ointment drops supplements supplement injections "
    "injection sprays spray relaxants relaxant softeners softener"
)
_ITEM_PATTERNS = [
    "pain|fever|cough|cold|allergy|sleeping|sleep|acidity|acid|gas|thyroid|sugar|diabetes|bp|heart|"
    "cholesterol|"
    "iron|calcium|zinc|hormonal|hormone|contraceptive|herbal|homeopathic|homoeopathic|ayurvedic|local|"
    "topical|"
    "oral|nasal|eye|ear|numbing|anesthetic|anaesthetic|laxative|deworming|antibiotic|steroid|medicated|"
    "muscle|"
    f"nerve|mild|prescription|stool {_alts(_PURPOSE_HEADS)}",
    f"blood pressure {_alts(_PURPOSE_HEADS)}",
    f"birth control {_alts(_PURPOSE_HEADS)}",
    f"pain relief|relieving {_alts(_PURPOSE_HEADS)}",
    f"vitamin * {_alts(_PURPOSE_HEADS)}",
    "vitamin a|b|c|d|e|k|b12|b6|b1|d3|b-complex complex?",
    "pain killer|killers|reliever|relievers",
    f"anti {_alts(' '.join(_ANTI))}",
]
_DOSES = [
    "# mg|mcg|µg|gm|iu|units|unit|puffs|puff !/|%|per",
    "once|twice|thrice a|per|every? day|daily|week|weekly|month|night|morning|evening|hour",
    "once|twice|thrice in a day|week|month",
    "two|three|four times a|per|every|in? a? day|daily|week|weekly|month|night",
    "# times a|per|every|in? a? day|daily|week|weekly|month|night",
]
_FOODS = (
    "spicy oily fried fatty junk sugary sweets salt salty caffeine coffee tea alcohol smoking cigarette "
    "cigarettes "
    "tobacco drinking chocolate dairy milk gluten meat non-veg nonveg sugar spice spices outside heavy "
    "lifting "
    "strenuous straining scratching squeezing picking shaving tight pillow prolonged exposure sun dust "
    "allergen "
    "allergens trigger triggers perfume perfumes cosmetics soap soaps irritant irritants masturbation sex "
    "intercourse late screen pressing touching rubbing chewing sticky carbonated soda aerated"
)
_AVOID = (
    "avoid avoiding stop stopping quit quitting reduce reducing cut limit limiting "
    "restrict restricting abstain"
)
_MEDS = "medicine medicines medication medications treatment tablet tablets drug drugs therapy pill pills"
_CARE = [
    "take|taking|get|getting|have|need|needs|give|giving|adequate|proper|complete|enough|good|some|absolute|"
    "voice|sufficient|bed rest",
    "plenty of rest",
    "rest your|the|it|well|for|as|and",
    "ice !cream|creams",
    "drink|drinking|take|taking|have|increase|increasing|more|adequate|enough|sufficient|intake *{0,3} "
    "water|fluids|fluid|liquids|juice|juices|ors",
    "plenty|lots of *{0,2} water|fluids|fluid|liquids|juice|juices",
    "low|high|reduced|reduce|less|bland|soft|liquid|light|semi-solid|fiber-rich|fibre-rich|diabetic|"
    "gluten-free|"
    "lactose-free|salt-free|sugar-free|protein-rich|iron-rich|calcium-rich salt|fat|fiber|fibre|sugar|carb|"
    "carbs|"
    "carbohydrate|protein|calorie|cholesterol|purine|oxalate|residue|oil? diet|food|foods|meals",
    "diet rich|low|high in",
    "diet with|containing|control|modification|change|changes|plan",
    "eat|eating|have|include|including|take|add|consume|more|green *{0,4} fruits|fruit|vegetables|veggies|"
    "fiber|"
    "fibre|salad|salads|roughage|protein|proteins|yogurt|yoghurt|curd|nuts|grains|leafy",
    "plenty|lots of *{0,3} fruits|fruit|vegetables|veggies|fiber|fibre|salad|salads|roughage|protein",
    "small and? frequent meals",
    "frequent small meals",
    "smaller meals",
    f"{_alts(_AVOID)} *{{0,4}} {_alts(_FOODS)}",
    f"cut down|on? *{{0,3}} {_alts(_FOODS)}",
    f"give up *{{0,3}} {_alts(_FOODS)}",
    "stop|stopping|discontinue|quit using|taking|applying",
    "hold|keep *{0,3} upright|erect",
    f"refrain|abstain from *{{0,3}} {_alts(_FOODS)}",
    f"don't|dont|never *{{0,4}} {_alts(_FOODS)}",
    f"do|not not|to *{{0,4}} {_alts(_FOODS)}",
    "exercise|exercises|exercising|exercised !test|tolerance|intolerance|stress|ecg|induced|capacity",
    "regular|daily|brisk|morning|evening|short|long walk|walks|walking",
    "walking daily|regularly|every|for|after|#",
    "walk for|daily|regularly|every|#",
    "go for? a? brisk? walk|walks|walking",
    "swimming|cycling|jogging|stretching|stretches|aerobics|aerobic|strengthening",
    "physical activity",
    "lose|losing|reduce|reducing|cut|shed|control|controlling *{0,2} weight",
    "weight loss|reduction|control|management",
    "hygiene",
    "keep *{0,3} clean|dry",
    "wash *{0,3} with|twice|daily|regularly|gently",
    "brush|brushing *{0,2} teeth|twice",
    "floss|flossing",
    "elevate|elevated|elevating|elevation|raise|raising|prop|propping *{0,3} head|leg|legs|feet|foot|limb|"
    "arm|hand|bed",
    "head end? elevation|elevated",
    "sleep on|with|in|propped|well|adequately|early",
    "sleeping|sitting|upright position",
    "straight|correct|good|proper|upright posture",
    "sit|stand|sleep straight|upright",
    "warm|hot|cold|cool|lukewarm|tepid *? compress|compresses|compression|fomentation|pack|packs|soak|soaks|"
    "bath|"
    "baths|sponging|shower|showers",
    "warm|hot|cold|cool|lukewarm|tepid *? water bag|bottle|pad|soak|soaks|bath|wash|sponging|gargle|gargles|"
    "gargling|"
    "rinse|rinses",
    "heat therapy|application|pad",
    "apply|applying heat|warmth|pressure",
    "apply firm|gentle|direct pressure",
    "salt|saline|saltwater|warm water? gargle|gargles|gargling|rinse|rinses|mouthwash|irrigation|nasal|"
    "drops|spray|wash",
    "gargle|gargles|gargling|steam|burp|burping|sponge|sponging|moisturize|moisturise|moisturizer|"
    "moisturiser|"
    "sunscreen|massage|massaging|kegel|kegels",
    "breastfeed|feed|feeding in a? sitting|upright",
    "loose cotton? clothes|clothing|underwear|garments",
    "cotton underwear|clothes|innerwear",
    "condom|condoms",
    "adequate|proper|enough|good|sound|sufficient sleep",
    "relaxation|relaxing techniques|exercises",
    "sun protection",
    "continue with|taking|using|to|on? take|use? the|your|his|her|same|current|this|these|those|all? *{0,2} "
    f"{_alts(_MEDS)}|exercises|exercise|it|them|course|dose|lifestyle|diet|routine|regimen",
    "increase|increasing|reduce|reducing|decrease|decreasing|adjust|adjusting|change|changing|modify|"
    "modifying|"
    "modulation|titrate|taper|tapering|switch|switching|restart|restarting|stop|stopping|discontinue|"
    f"discontinuing *{{0,3}} dose|dosage|doses|insulin|{_alts(_MEDS)}",
    "complete|full|finish the? *? course|dose",
    "take|continue|use *{0,3} for #|a|few|one|two|three|four|five|six|several to? #? days|weeks|months",
    "your|his|her|the current|prescribed|regular? medicines|medicine|medications|medication|tablets|"
    "treatment|"
    "antibiotics properly|regularly|on|without|as",
    f"{_alts(_MEDS)} *{{0,3}} be? continued",
    "fruits|fruit|vegetables|veggies|fiber|fibre|salad|salads|water|fluids *{0,2} taken|intake more",
    "maintain a|an|your? healthy|ideal|normal? bmi|weight",
    "medicine|medicines to|for control|reduce|bring|relieve|treat? down? the? fever|pain|cough|acidity|"
    "itching|allergy|"
    "vomiting|nausea|constipation|diarrhea|diarrhoea",
]
_TX_NEGATION = [
    _alts(
        "no none nothing without cannot can't cant won't isn't aren't wasn't weren't not never nor didn't "
        "doesn't "
        "don't dont needn't unnecessary tried misconception myth after post following previous prior "
        "underwent "
        "undergone despite whether sometimes occasionally precautions post-operative postoperative post-op"
    ),
    "no need",
    "not need|needed|necessary|required",
    "need not",
    "unable to",
    "will|would not",
    "instead of",
    "rather than",
    "allergic|reaction|allergy to",
    "overuse|misuse|abuse of",
    "excess|excessive|excessively use|usage|intake|dose of",
    "side effect|effects of",
    "effect|effects|dose of",
    "history of",
    "was|were given|prescribed",
    "was|were put on",
    "had|have|has taken",
    "have|has|had been taking|on",
    "been on",
    "already taking|on|tried",
    "after|since taking|starting|using",
    "in spite of",
    "respond|responded to",
    "are|is|was|were on",
    "while on",
    "planning to",
    "site of",
    "in some cases",
    "some people|patients",
    "since the|your|his|her",
]
#: Right before a treatment, a word that leaves it unnamed ("appropriate antibiotics").
_VAGUE = [
    "appropriate|suitable|proper|right|specific|required|necessary|relevant|needed|further|check|checking|"
    "checked|test|testing|measure|measuring|assess|of|ice"
]
#: Taking medicine without naming it: a treatment sentence, not a concrete treatment.
_MEDICATE = [
    "take|taking|give|giving|start|starting|prescribe|prescribed|use|using|continue some|the|these|those|"
    "this|"
    "any|your|his|her? medicine|medicines|medication|medications|tablets|tablet|pills|drugs|treatment",
    "treated|treat|treatment with",
]
_PROHIBITION = [
    "don't|dont|never|not ever|even|just|to|again|you|forget|try? take|taking|use|using|apply|applying|eat|"
    "eating|drink|drinking|consume|smoke|smoking|"
    "give|put|lift|lifting|scratch|squeeze|pick|touch|rub|wear|sit|stand|bend|strain|skip|stop|miss|do|"
    "self-medicate",
    "do not ever|even|just|to|again|you|forget|try? take|taking|use|using|apply|applying|eat|eating|drink|"
    "drinking|consume|smoke|smoking|give|put|lift|"
    "lifting|scratch|squeeze|pick|touch|rub|wear|sit|stand|bend|strain|skip|stop|miss|do|self-medicate",
]
#: Words that make what follows a prohibition ("avoid aspirin", "stop taking ibuprofen").
PROHIBITORS = _set("avoid avoiding stop stopping quit quitting don't dont never discontinue")
SELF_PROHIBITING = (
    "don't",
    "dont",
    "do",
    "never",
    "not",
    "avoid",
    "avoiding",
    "stop",
    "stopping",
    "quit",
    "quitting",
)
_TX_POST = [
    "is|are|was|were|will|would|does|do|did|should|may|might|could|has|have not|never|no",
    "isn't|aren't|won't|wouldn't|doesn't|don't|didn't|shouldn't|wasn't",
    "not necessary|needed|required|advisable|advised|recommended|indicated|helpful|useful|effective|safe",
    "unnecessary|toxic|harmful|dangerous|unsafe|mask|masks|masking|hide|hides|delay|delays",
    "of|no no? use",
    "cause|causes|causing|induce|induces|trigger|triggers|worsen|worsens|worsening|"
    "aggravate|aggravates|precipitate|precipitates",
    "caused|induced|triggered !by",
    "lead|leads to",
    "increase|increases the risk",
]
NOT_ADVICE = _set(
    "levels level tests test studies study estimation deficiency sensitivity susceptibility insufficiency "
    "assay "
    "status profile reports report counts count values value toxicity overdose allergy allergies intolerance "
    "resistance abuse addiction dependence withdrawal induced related site mark marks reaction one opinion "
    "consultation team department history agents agent"
)
LAB = _set(
    "protein proteins albumin creatinine glucose sugar cholesterol hemoglobin haemoglobin excreted "
    "excretion urine "
    "level levels"
)
_WHO = "you u he she they we one patient child baby kid him her"
_ADVERB = "also|then|now|still|really|definitely|certainly|just|only|probably|surely|first|all|both?"
_ADVICE = [
    f"{_alts(_WHO)} {_ADVERB} should|can|could|may|might|must|need|needs|require|requires|ought",
    f"{_alts(_WHO)} {_ADVERB} have|has|had to",
    f"{_alts(_WHO)} {_ADVERB} will|would need|require",
    f"{_alts(_WHO)} {_ADVERB} are|is advised",
    "should|must|can|could|may|might|will|would|to also|then|now|still|safely|easily? be given|taken|used|"
    "applied|done|"
    "started|tried|continued|added|prescribed|removed|operated|treated|managed|corrected|excised|extracted|"
    "drained|"
    "considered|kept|put|avoided|stopped|reduced|increased|changed|replaced|repaired|performed|undertaken|"
    "instilled|inserted",
    "has|have|need|needs|is|are to be given|taken|used|applied|done|started|tried|continued|removed|"
    "operated|treated",
    "i would|will|usually|generally|strongly|highly|also? suggest|advise|advice|recommend|prescribe|prefer|"
    "ask",
    "i would? want|like you",
    "is|are|was usually|generally|often|also|highly|strongly? advised|advisable|recommended|suggested|"
    "indicated|"
    "needed|required|necessary|essential|must|mandatory|helpful|useful|beneficial|effective|safe",
    "is|are|was the best|only|first|next|main|mainstay|ideal|definitive|definite|standard|usual|preferred|"
    "recommended|option|treatment|cure|solution|answer",
    "is|are an|the option",
    "is|are good for",
    "is|are fine|ok|okay to",
    "treatment|treatments|management|therapy|cure|remedy|solution|solutions *{0,4} is|are|includes|include|"
    "consists|would|will|should|can|may",
    "treatment of choice",
    "a|short|full|complete course of",
    "course of",
    "best|only|next|first|ideal|better|good|right|other option|treatment|choice|line|step|thing|way|"
    "approach|course",
    "advisable|advised|better|best|important|good|necessary|essential|recommended|wise|helpful|useful|"
    "beneficial to "
    "take|use|apply|start|continue|avoid|do|have|get|keep|maintain|drink|eat|undergo|go|stop|reduce|try|"
    "give|wear",
    "advisable|advised|recommended|advisory",
    "come|comes down",
    "go|goes away",
    "get|gets better",
    "subside|subsides",
    _alts(
        "help helps helped helping relieve relieves reduce reduces ease eases soothe soothes control "
        "controls heal "
        "heals cure cures treat treats improve improves benefit benefits settle settles resolve resolves "
        "prevent "
        "prevents correct corrects work works clear clears helpful useful beneficial please meanwhile start "
        "starting try trying consider undergo"
    ),
    "give|gives relief",
    "feel better",
    "let him|her|them|the",
    "in the meantime",
    "till|until then",
    "for now",
    "for the time being",
    "for the? pain|fever|relief|itching|swelling|acidity|cough|cold|constipation|infection|symptoms|"
    "symptomatic",
    "go|opt for",
    "in this|such|your case|cases",
    "may|will|might|would require|need",
]
IMPERATIVES = _set(
    "take apply use give do avoid drink eat have get keep maintain continue stop quit reduce increase limit "
    "wear "
    "sleep rest gargle wash follow include add massage elevate lose cut restart switch change put instil "
    "insert "
    "rinse brush walk exercise practice practise lie sit stay remain prefer consume chew swallow spray "
    "inhale soak "
    "clean dry cover protect refrain abstain skip discontinue taper tell encourage feed burp hold consult "
    "see "
    "visit ask discuss"
)
CLAUSE_OPENERS = frozenset([",", ";", ":", "and", "then", "also", "just", "so", "please"])
_CONTINGENT = [
    "if *{0,4} is|are present|detected|found|positive|confirmed",
    "depending upon|on the? findings|result|results|report|reports",
    "based on the? results|result|reports|report|findings",
    "according to the? results|result|reports|report|findings|culture|sensitivity",
    "so that *{0,3} can be started",
    "if it|this|that|they|these shows|show|reveals|reveal|confirms|confirm",
    "if the * shows|show|reveals|reveal|confirms|confirm",
]
_SPECIALISTS = (
    "doctor doctors dr physician physicians specialist specialists gp surgeon surgeons dentist dentists "
    "~ologist "
    "~ologists ~ician ~icians gyn~ obgyn ob-gyn orthop~ ent expert experts consultant consultants therapist "
    "therapists psychotherapist counsellor counselor counsellors counselors psychiatrist psychiatrists "
    "nutritionist "
    "dietician dietitian ~odontist optometrist hospital hospitals emergency er clinic casualty ambulance 911 "
    "provider providers practitioner practitioners chiropractor podiatrist midwife nurse pediatrician "
    "paediatrician"
)
_REFERRAL = [
    _alts(
        "consult consults consulted consulting consultation see seeing visit visits visiting meet meeting "
        "contact "
        "contacting approach refer referred referral go going report rush take bring seek seeking discuss "
        "discussing opinion under follow examined evaluated checked assessed treated reviewed show call"
    )
    + f" *{{0,4}} {_alts(_SPECIALISTS)}",
    "consult|consults|consulted|consulting|consultation|consultations",
    "second opinion",
    "seek medical|immediate|urgent|emergency|professional help|attention|advice|care",
    "emergency room",
]
WEAK_DX_WORDS = _set(
    "normal abnormal finding findings cause causes due suggests suggestive likely probably possibly "
    "possibility "
    "seems appears"
)
WEAK_TX_WORDS = _set("dose dosage relief regimen lifestyle diet avoid help heal heals healed healing")
WEAK_TX_PREFIXES = (
    "treat",
    "medicin",
    "medication",
    "manag",
    "cure",
    "remed",
    "therap",
    "prescri",
    "reliev",
    "recover",
    "prevent",
    "drug",
    "improv",
)
_BREAK_WORDS = _set("but however although though whereas unless otherwise")
_CLAUSE_PUNCTUATION = frozenset(".;!?")
COURTESY = re.compile(
    r"^\W*(?:(?:hi+|hello|helo|hey|dear|greetings|good (?:morning|afternoon|evening|day)|namaste)\b"
    r"(?:\W+(?:there|dear|sir|madam|ma'?am|friend|user|patient|mr|mrs|ms|miss|buddy)\b)*"
    r"|thanks?\b(?: (?:you|u))?(?: (?:so much|very much|a lot))?(?: for (?:[\w'-]+ ){0,5}?(?:query|queries|"
    r"question|questions|concern|details|information|info|history|writing|asking|posting|contacting|"
    r"consulting|choosing|using|trusting|sharing|forum|us|here|patience|doctor|service)\b)?"
    r"|welcome\b(?: to(?: [\w'-]+){1,3})?|forum\b"
    r"|(?:i )?hope (?:this|that|it|i|my|you|the|u)\b.*|(?:with )?(?:best |kind |warm )?regards\b.*"
    r"|take care\b(?! (?:of|to|that|not|while|when))|wish(?:ing)? you\b.*|best wishes\b.*|good luck\b.*"
    r"|get well soon\b.*|all the best\b.*|have a (?:nice|good|great|healthy|happy) day\b.*|god bless\b.*"
    r"|stay (?:safe|healthy|blessed)\b.*|cheers\b.*|bye\b.*|feel free\b.*|let me know\b.*"
    r"|(?:please )?(?:do )?(?:write|revert|get) back\b.*|you (?:can|may) (?:ask|contact|write|reach)\b.*"
    r"|(?:for|if you have) (?:any )?(?:further|more|other) "
    r"(?:queries|query|questions|doubts|clarifications?)\b.*"
    r"|i (?:will|would) be (?:happy|glad|available)\b.*|(?:i am |i'm )?(?:happy|glad) to help\b.*"
    r"|i (?:have|had|'ve) (?:carefully )?(?:gone|read|been|passed) through\b[^.!?]*?(?=\band\b|[.,!?]|$)"
    r"|i (?:have )?(?:carefully )?(?:read|studied|reviewed|understood|noted|went through)(?: [\w'-]+){0,3}"
    r" (?:query|question|history|case|concern|details|complaint|problem|letter)s?\b"
    r"|(?:i )?(?:can |do |fully )?understand your "
    r"(?:concerns?|worry|worries|situation|query|anxiety|problem)\b"
    r"|i appreciate your (?:[\w'-]+ ){0,6}?(?:concern|query|question)s?\b"
    r"|(?:i am |i'm )?sorry (?:to hear|for)\b[^.!?]*|(?:it is |it's )?good to see\b[^.!?]*)"
)
AFTER_COURTESY = re.compile(r"[\s,.:;!\-]*")


@functools.cache
def phrases() -> Phrases:
    """All the patterns, compiled once."""
    conditions = [*lexicons.CONDITIONS, *lexicons.GENERIC_HEADS]
    items = [*lexicons.DRUGS, *lexicons.DRUG_CLASSES, *lexicons.TREATMENT_TERMS]
    return (
        Phrases()
        .add("condition", _with_plurals([c for c in conditions if c not in lexicons.GENERIC_HEADS]))
        .add("condition", _CONDITION_PATTERNS)
        .add("head", lexicons.GENERIC_HEADS)
        .add("hedge", _HEDGE)
        .add("owned_hedge", _OWNED_HEDGE)
        .add("owned_advice", _OWNED_ADVICE)
        .add("near", _NEAR)
        .add("causal", _CAUSAL)
        .add("subject", _SUBJECT_CUES)
        .add("dxneg", _DX_NEGATION)
        .add("cond", _CONDITIONAL)
        .add("ruleout", _RULE_OUT)
        .add("doubt", _DOUBTED)
        .add("dxpost", _DX_POST)
        .add("list", _LIST)
        .add("listed", _LISTED)
        .add("item", _with_plurals(items))
        .add("item", _ITEM_PATTERNS)
        .add("item", [f"anti-{w}" for w in _ANTI] + [f"anti{w}" for w in _ANTI])
        .add("dose", _DOSES)
        .add("care", _CARE)
        .add("txneg", _TX_NEGATION)
        .add("prohibit", _PROHIBITION)
        .add("vague", _VAGUE)
        .add("medicate", _MEDICATE)
        .add("txpost", _TX_POST)
        .add("advice", _ADVICE)
        .add("contingent", _CONTINGENT)
        .add("referral", _REFERRAL)
        .add("test", lexicons.TESTS)
        .add("break", ["so that", "in order to", *_BREAK_WORDS, *_CLAUSE_PUNCTUATION])
        .add("comma", [","])
    )
