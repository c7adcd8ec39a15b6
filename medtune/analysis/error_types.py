"""Error types: what is wrong with one prediction, judged against its question and reference.

Every type is a plain rule with its threshold here, so a flag can be checked by hand. The
medical detectors (diagnosis, treatment, structure, red flags, urgent-care advice,
medications) are the evaluation's own (:mod:`medtune.medical`), so analysis and
metrics never disagree on what counts as, say, "names a diagnosis".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from medtune import medical
from medtune.data.clean import is_truncated
from medtune.evaluation.repetition import LOOP_MIN_NGRAMS, LOOP_N, LOOP_SHARE, is_loop
from medtune.text import words

#: too_short: the prediction has fewer than this share of the reference's words.
SHORT_RATIO = 0.5
#: too_long: the prediction has more than this multiple of the reference's words.
LONG_RATIO = 2.0
#: off_topic: less than this share of the prediction's content words occur in the question
#: or the reference (doctors' answers share few exact words with the question alone) ...
TOPIC_SHARE = 0.25
#: ... judged only for predictions with at least this many content words.
TOPIC_MIN_WORDS = 3
#: Content words are compared by their first letters, so "headaches" meets "headache".
STEM_CHARS = 6


@dataclass(frozen=True)
class ErrorType:
    """One kind of error: its key in ``categories.jsonl``, a title and the rule."""

    name: str
    title: str
    rule: str


ERROR_TYPES: tuple[ErrorType, ...] = (
    ErrorType("empty", "Empty output", "The prediction has no words (every other check is skipped)."),
    ErrorType(
        "cut_off",
        "Cut off",
        "Generation stopped without EOS (max_new_tokens hit); when the file does not say, the text "
        "ends without . ! ? or a closing bracket/quote.",
    ),
    ErrorType(
        "repetition",
        "Repetition loop",
        f"At least {LOOP_SHARE:.0%} of the word {LOOP_N}-grams are repeats "
        f"(needs >= {LOOP_MIN_NGRAMS} of them).",
    ),
    ErrorType("too_short", "Far shorter", f"Fewer than {SHORT_RATIO:g}x the reference's words."),
    ErrorType("too_long", "Far longer", f"More than {LONG_RATIO:g}x the reference's words."),
    ErrorType(
        "off_topic",
        "Off-topic",
        f"Under {TOPIC_SHARE:.0%} of the prediction's content words (stop words and greetings "
        f"removed, >= {TOPIC_MIN_WORDS} of them) occur in the question or the reference.",
    ),
    ErrorType(
        "missing_diagnosis", "Missing diagnosis", "The reference names a diagnosis; the prediction does not."
    ),
    ErrorType(
        "missing_treatment",
        "Missing treatment",
        "The reference recommends a treatment; the prediction does not.",
    ),
    ErrorType(
        "lost_structure",
        "Lost structure",
        "The reference has the Diagnosis/Treatment structure; the prediction does not.",
    ),
    ErrorType(
        "missed_red_flag",
        "Missed red flag",
        "The question describes emergency signs; the prediction does not advise urgent care.",
    ),
)
ERROR_NAMES: tuple[str, ...] = tuple(t.name for t in ERROR_TYPES)

#: Words that say nothing about the topic (English function words, greetings, filler).
_STOP_TEXT = (
    "a about above after again against all also am an and any are as at be because been before being "
    "below between both but by can could did do does doing done down during each few for from further "
    "get got had has have having he her here hers him his how i if in into is it its itself just let "
    "me more most my myself no nor not now of off on once only or other our ours out over own same "
    "she should so some such than that the their them then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with would you "
    "your yours yourself dear hello hi doctor dr sir madam thanks thank regards please query question "
    "help problem kindly advise advice suggest tell know need want take taking since days day weeks "
    "week months month years year old time times like feel feeling getting today yesterday ago one "
    "two three well much many"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


def content_stems(text: str) -> set[str]:
    """Lower-cased content words of ``text`` (no stop words, >= 3 letters), cut to stems."""
    return {w[:STEM_CHARS] for w in (w.lower() for w in words(text)) if len(w) >= 3 and w not in STOP_WORDS}


def topic_share(question: str, reference: str, prediction: str) -> float | None:
    """Share of the prediction's content stems found in the question or the reference
    (None when the prediction has fewer than :data:`TOPIC_MIN_WORDS` of them)."""
    said = content_stems(prediction)
    if len(said) < TOPIC_MIN_WORDS:
        return None
    return len(said & (content_stems(question) | content_stems(reference))) / len(said)


def is_cut_off(prediction: str, finished: bool | None) -> bool:
    """True when generation hit the token limit (``finished`` false) or, when unknown, the
    text stops mid-sentence by the data pipeline's rule (:func:`medtune.data.clean.is_truncated`)."""
    if finished is not None:
        return not finished
    return is_truncated(prediction)


def unsupported_medications(question: str, reference: str, prediction: str) -> list[str]:
    """Medications the prediction names that neither the question nor the reference does: a
    list for a clinician to review, not an error (an answer may rightly name another drug)."""
    return sorted(
        medical.medications(prediction) - medical.medications(question) - medical.medications(reference)
    )


def detect_errors(question: str, reference: str, prediction: str, finished: bool | None = None) -> list[str]:
    """The names of the error types that apply, in :data:`ERROR_TYPES` order."""
    pred_words = len(words(prediction))
    if pred_words == 0:
        return ["empty"]
    ref_words = len(words(reference))
    share = topic_share(question, reference, prediction)
    found = {
        "cut_off": is_cut_off(prediction, finished),
        "repetition": is_loop(prediction),
        "too_short": pred_words < SHORT_RATIO * ref_words,
        "too_long": pred_words > LONG_RATIO * ref_words,
        "off_topic": share is not None and share < TOPIC_SHARE,
        "missing_diagnosis": medical.has_diagnosis(reference) and not medical.has_diagnosis(prediction),
        "missing_treatment": medical.has_treatment(reference) and not medical.has_treatment(prediction),
        "lost_structure": medical.has_structure(reference) and not medical.has_structure(prediction),
        "missed_red_flag": medical.is_red_flag_question(question)
        and not medical.advises_urgent_care(prediction),
    }
    return [name for name in ERROR_NAMES if found.get(name)]


def fixed_and_introduced(baseline: Iterable[str], finetuned: Iterable[str]) -> tuple[list[str], list[str]]:
    """Error types the fine-tuned prediction fixed (base had, it has not) and introduced."""
    base, tuned = set(baseline), set(finetuned)
    return [n for n in ERROR_NAMES if n in base - tuned], [n for n in ERROR_NAMES if n in tuned - base]
