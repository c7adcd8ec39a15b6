"""What each sentence of a doctor's answer does: the one sentence-role classifier that
Diagnosis/Treatment structuring (:mod:`.structure`) and the diagnosis/treatment detectors
(:mod:`.answers`) share, so they never disagree.

:func:`read` splits an answer into sentences (:func:`medtune.text.sentences`) and gives
each one a :class:`Sentence`: its role, one of :data:`ROLES` (the roles of the labelling
guide), whether it commits to a diagnosis, whether it advises a concrete treatment, and
whether it is kept when the answer is restructured. Results are cached, so an audit asking
for diagnosis and treatment presence and ``data prepare`` structuring the same answer read
it once. Matching runs on tokens (:mod:`.phrases`), one dictionary look-up per word.

**Commits to a diagnosis** (``Sentence.diagnosis``): a cue followed, in the same clause and
within :data:`WINDOW` tokens, by a condition. Cues are hedged or direct ("could be", "may
have", "looks like", "suggestive of", "consistent with", "you have", "is a case of", "I think",
"the possibility of", "the cause is"...), causal ("due to", "caused by", "because of",
"secondary to", where any specific cause counts: "due to smoking"), or follow a condition
("sciatica can cause...", "hypotension should be considered"). A condition is a phrase of
``lexicons.CONDITIONS`` ("infection", "reflux", "sprain"...), a word with a disease ending
(-itis, -osis, -emia, -oma, -pathy...), an abnormal level ("high prolactin levels"), or a
generic head with a specific modifier ("autoimmune disease"; "heart disease", "some
problem" are categories and do not count). Not counted: a condition negated or ruled out
("it is not an infection", "rule out diabetes", "cancer is unlikely", "not related to
stress"), named as a test target ("an x-ray to check for a fracture"), inside a condition
("if you have diabetes", "whether it is a hernia"; the consequent of "if ..., then it is"
counts), generic causes ("many reasons", "various causes", unless a list follows: "many causes
like anemia"), a causal cue naming no cause ("due to a lot", "due to keep ...", "due to the
reports": garbled model output), a restated symptom ("due to pain in the muscles"), past history ("typhoid
two years ago"), the part of a sentence up to its last question mark, and a general
statement ("pneumonia can cause weakness", "because X can ...") about a condition the
answer rules out or tests for elsewhere (named only to rule it out).

**Advises a concrete treatment** (``Sentence.treatment``): in a sentence that gives advice
("you should", "I suggest", "is recommended", "will help", an imperative...), a named drug
or brand (``lexicons.DRUGS``), a drug class or purpose ("antibiotics", "anti-inflammatory
medicines", "a muscle relaxant"), a form or procedure (``lexicons.TREATMENT_TERMS``:
"ointment", "root canal", "physiotherapy", "sitz bath", "-ectomy"), a dose ("500 mg",
"twice a day", which is advice on its own), or a specific self-care step (rest, ice, fluids,
a named diet change, avoiding a named trigger, stopping or reducing a drug, exercise,
weight loss, hygiene, positioning, continuing or adjusting the current treatment). Not
counted: treatment said to be unneeded or useless ("antibiotics are not required",
"painkillers won't help"), taken in the past ("he was given antibiotics"), a drug as a
cause ("ibuprofen can cause bleeding"), a drug's level ("vitamin D levels"), vague advice
("take treatment accordingly", "a healthy diet", "appropriate antibiotics", "avoid stress"),
treatment that waits on a test ("if blocks are found, stenting"), and questions. A
prohibition of something specific ("don't take aspirin", "avoid spicy food") is advice.

**Role** (for structuring): a sentence with both a diagnosis and a treatment is cut at the
phrase break between them, each part with its role (no break: the one named first); else
diagnosis, advised treatment, referral (see a doctor, a specialist, the emergency room), a
treatment mentioned without advice, investigation (tests, scans, examinations; a test
result read without advice, "your ECG is normal", is a diagnosis sentence), then weaker
hints (diagnosis words, treatment words), else other. Greetings, thanks, sign-offs ("Hi",
"Thanks for the query", "Hope this helps", "Regards") and questions back to the patient
are other and not kept; a courtesy glued to medical text ("Thanks for the query If you
have...") is split off and the rest read on its own. Repetition loops ("to be due to be
due to...") and repeated sentences are other, not kept, and count for nothing.

The patterns are in :mod:`.cues`, the word lists in :mod:`.lexicons`. Agreement with the
human labels is measured by ``bench/detectors.py`` (figures in :mod:`.answers` and
:mod:`.structure`).
"""

from __future__ import annotations

import bisect
import functools
from typing import NamedTuple, cast

from medtune.evaluation.repetition import is_loop
from medtune.medical import cues, lexicons
from medtune.medical.phrases import TOKEN, Hit, tokens
from medtune.text import sentences

ROLES = ("diagnosis", "investigation", "treatment", "referral", "other")
#: Tokens after a diagnosis cue searched for a condition (``NEAR`` after "the possibility of").
WINDOW = 12
NEAR = 5
#: Tokens before a cue searched for a negation, and before a treatment.
DX_NEGATION_WINDOW = 4
#: Tokens between a rule-out cue and the condition it rules out.
RULE_OUT_WINDOW = 6
CAUSAL_NEGATION_WINDOW = 1  # "is not due to"; "may not occur owing to X" still names X
TX_NEGATION_WINDOW = 6
#: A sentence of at most this many words that names a treatment is advice ("Soft, bland diet.").
SHORT = 8
#: A sentence of at most this many words that names a condition states it ("Viral fever.").
SHORT_DIAGNOSIS = 5
#: Answers whose reading is cached.
CACHE_SIZE = 4096


class _Commit(NamedTuple):
    """Where a sentence commits to a diagnosis, naming what; ``weak`` for a general
    statement ("pneumonia can cause weakness", "because X can ...")."""

    start: int
    condition: str
    weak: bool


class Sentence(NamedTuple):
    """One sentence of an answer and what it does."""

    text: str
    role: str
    diagnosis: bool = False
    treatment: bool = False
    kept: bool = True


# -- per-token properties (memoised: the vocabulary repeats) -----------------------------------

_WORD, _DISEASE, _PROCEDURE, _DOSE_TOKEN, _WEAK_DX, _WEAK_TX = 1, 2, 4, 8, 16, 32
_PROCEDURE_SUFFIXES = ("ectomy", "ectomies", "otomy", "ostomy", "plasty", "pexy")
_DOSE_UNITS = ("mg", "mcg", "gm", "iu", "units", "puffs", "ml")
_KINDS: dict[str, int] = {}


def _kind(token: str) -> int:
    kind = _KINDS.get(token)
    if kind is None:
        kind = 0
        if token[0].isalpha():
            kind |= _WORD
            if (
                len(token) > 5
                and token.endswith(lexicons.DISEASE_SUFFIXES)
                and token not in lexicons.NOT_DISEASES
            ):
                kind |= _DISEASE
            if len(token) > 7 and token.endswith(_PROCEDURE_SUFFIXES):
                kind |= _PROCEDURE
            if token in cues.WEAK_DX_WORDS or token.startswith("diagnos"):
                kind |= _WEAK_DX
            if token in cues.WEAK_TX_WORDS or token.startswith(cues.WEAK_TX_PREFIXES):
                kind |= _WEAK_TX
        elif token[0].isdigit() and token.endswith(_DOSE_UNITS) and not token[-1].isdigit():
            kind |= _DOSE_TOKEN
        if len(_KINDS) > 200_000:
            _KINDS.clear()
        _KINDS[token] = kind
    return kind


# -- one sentence ------------------------------------------------------------------------------


#: (tag, the cue it counts as, the words that own it): "your son has", "his x-ray shows".
_OWNED = (("owned_hedge", "hedge", cues.POSSESSIVES), ("owned_advice", "advice", cues.OWNERS))


class _Parse:
    """A sentence's tokens, pattern hits by tag, and clause and phrase breaks."""

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        self.toks = toks = tokens(lowered)
        known = list(map(_KINDS.get, toks))
        if None in known:  # a token not seen before
            known = [_kind(t) if k is None else k for t, k in zip(toks, known, strict=True)]
        self.kinds = kinds = cast("list[int]", known)  # no None left
        self.hits = hits = cues.phrases().scan(toks)
        for tag, cue, owners in _OWNED:
            if tag not in hits:
                continue
            owned = [h for h in hits.pop(tag) if self._owned(h.start, owners)]
            if owned:
                hits[cue] = sorted(hits.get(cue, []) + owned)
        self.clause_breaks = [h.start for h in hits.get("break", ())]
        self.phrase_breaks = sorted(self.clause_breaks + [h.start for h in hits.get("comma", ())])
        # tokens that are more than a plain word (none in half the sentences: max() says so at once)
        self.special = (
            [(i, k) for i, k in enumerate(kinds) if k > _WORD] if max(kinds, default=0) > _WORD else []
        )
        self.conditions = self._conditions()
        self.items = self._items()
        self.diagnosis = (
            self._diagnosis() if self.conditions or "causal" in hits or "listed" in hits else None
        )
        self.treatment = self._treatment() if self.items and "contingent" not in hits else None

    def _owned(self, i: int, owners: frozenset[str] = cues.POSSESSIVES) -> bool:
        """Whether the verb at ``i`` has a possessive subject ("your son has", "his x-ray shows")."""
        for j in (i - 2, i - 3):
            if j < 0 or not all(self.kinds[k] & _WORD for k in range(j, i)):
                return False
            if self.toks[j] in owners:
                return True
        return False

    def clause_start(self, i: int, breaks: list[int] | None = None) -> int:
        breaks = self.clause_breaks if breaks is None else breaks
        k = bisect.bisect_left(breaks, i)
        return breaks[k - 1] + 1 if k else 0

    def clause_end(self, i: int) -> int:
        k = bisect.bisect_left(self.clause_breaks, i)
        return self.clause_breaks[k] if k < len(self.clause_breaks) else len(self.toks)

    def within(self, tag: str, lo: int, hi: int) -> list[Hit]:
        """Hits of ``tag`` lying inside tokens ``lo:hi``."""
        return [h for h in self.hits.get(tag, ()) if lo <= h.start and h.end <= hi]

    def starts(self, tag: str, lo: int, hi: int) -> bool:
        """Whether a hit of ``tag`` starts in tokens ``lo:hi`` (``hi`` included)."""
        return any(lo <= h.start <= hi for h in self.hits.get(tag, ()))

    # diagnosis

    def _conditions(self) -> list[tuple[int, int]]:
        found = [(h.start, h.end) for h in self.hits.get("condition", ())]
        if self.special:
            found += [(i, i + 1) for i, k in self.special if k & _DISEASE]
        for h in self.hits.get("head", ()):
            for j in (h.start - 1, h.start - 2):  # a specific modifier before any function word
                word = self.toks[j] if j >= 0 and self.kinds[j] & _WORD else ""
                if not word or word in lexicons.FUNCTION_WORDS:
                    break
                if word not in lexicons.GENERIC_MODIFIERS and word not in lexicons.GENERIC_HEADS:
                    found.append((h.start, h.end))
                    break
        return sorted(found)

    def negates(self, lo: int, hi: int) -> bool:
        """A negation in tokens ``lo:hi`` reaching ``hi``: a conditional ("if", "whether")
        ends at a comma or "then", and so does any negation inside it."""
        marks = sorted(self.within("dxneg", lo, hi) + self.within("cond", lo, hi))
        for cue in reversed(marks):
            if cue.tag == "cond":
                close = next((j for j in range(cue.end, hi) if self.toks[j] in (",", "then")), None)
                if close is not None:
                    return any(c.start > close for c in marks)
                return True
        return bool(marks)

    def negated_before(self, i: int, causal: bool = False) -> bool:
        """A negation (or an open conditional) before the cue at ``i`` in its phrase; for a
        causal cue a plain negation must be right before it ("is not due to")."""
        lo = max(self.clause_start(i, self.phrase_breaks), i - DX_NEGATION_WINDOW)
        if self.negates(lo, i):
            if not causal or self.negates(max(lo, i - CAUSAL_NEGATION_WINDOW), i):
                return True
            if any(lo <= h.start and h.end <= i for h in self.hits.get("cond", ())):
                return True
        start = self.clause_start(i)
        return any(start <= h.start <= start + 3 and h.end <= i for h in self.hits.get("doubt", ()))

    def names(self, lo: int, hi: int, causal: bool) -> str | None:
        """The specific, non-negated condition tokens ``lo:hi`` (after a cue) name, or None
        (after a causal cue, any specific cause counts: "" then)."""
        toks = self.toks
        if not causal and lo < hi and toks[lo] == "that":  # "suggests that ...": a complementiser
            lo += 1
        j, causal_words = lo, causal
        if not causal:  # "this is (most likely) due to" + what follows: the cause decides
            for cue in self.within("causal", lo, hi):
                if not any(lo <= c_start < cue.start for c_start, _ in self.conditions):
                    j, causal_words = cue.end, True
                break
        while j < hi and toks[j] in cues.QUANTIFIERS:
            j += 1
        if causal_words and (j == hi or toks[j] in cues.NOT_CAUSES):
            return None  # "due to a lot", "due to keep ...", "due to the reports": no cause named
        generic = j < hi and toks[j] in cues.GENERIC_NOUNS
        start = lo
        if generic:
            listing = [h for h in self.within("list", j, hi)]
            if not listing:
                return None
            start = listing[0].end
        else:
            k = lo + (lo < hi and toks[lo] in cues.DETERMINERS)
            if k < hi and toks[k] in cues.SYMPTOMS:
                return None
        for c_start, c_end in self.conditions:
            if c_start < start or c_end > hi:
                continue
            if self.negates(lo, c_start):
                return None
            if c_end < len(toks) and toks[c_end] in cues.ATTRIBUTES:
                continue
            return None if self.starts("dxpost", c_end, c_end + 2) else " ".join(toks[c_start:c_end])
        if causal and not generic and any(self.kinds[k] & _WORD for k in range(lo, hi)):
            if any(lo <= h.start < hi for h in self.hits.get("head", ())):
                return None
            if not self.negates(lo, min(lo + 4, hi)) and not self.starts("dxpost", lo, lo + 2):
                return ""
        return None

    def _diagnosis(self) -> _Commit | None:
        """The first committed diagnosis, or None."""
        hits = self.hits
        marks = sorted(hits.get("hedge", []) + hits.get("near", []) + hits.get("causal", []))
        for cue in marks:
            if cue.start and self.toks[cue.start - 1] == "in" and self.toks[cue.start] == "case":
                continue
            if self.negated_before(cue.start, causal=cue.tag == "causal"):
                continue
            size = NEAR if cue.tag == "near" and not self.starts("list", cue.end, cue.end + 1) else WINDOW
            named = self.names(cue.end, min(self.clause_end(cue.end), cue.end + size), cue.tag == "causal")
            if named is not None:
                return _Commit(cue.start, named, self.toks[cue.start] == "because")
        for cue in hits.get("subject", ()):
            lo = max(self.clause_start(cue.start), cue.start - 25)
            if self.negates(lo, cue.start) or self.starts("dxpost", cue.start, cue.start):
                continue
            if (
                cue.end < len(self.toks) and self.toks[cue.end] in cues.CONDITIONAL_AFTER
            ):  # "is possible if ..."
                continue
            before = [" ".join(self.toks[s:e]) for s, e in self.conditions if lo <= s and e <= cue.start]
            if before or self.within("listed", lo, cue.start):
                return _Commit(cue.start, before[-1] if before else "", True)
        if self.conditions and not self.items and sum(1 for k in self.kinds if k & _WORD) <= SHORT_DIAGNOSIS:
            named = self.names(0, len(self.toks), causal=False)  # a bare statement: "Viral fever."
            if named:
                return _Commit(0, named, False)
        return None

    def ruled_out(self) -> set[str]:
        """Conditions this sentence rules out, tests for or excludes."""
        marks = self.hits.get("ruleout", ())
        toks = self.toks
        return {
            " ".join(toks[s:e])
            for s, e in self.conditions
            if any(
                c.end <= s <= c.end + RULE_OUT_WINDOW
                and c.start >= self.clause_start(s)
                and not cues.CAUSE_WORDS.intersection(toks[c.end : s])  # "rule out the cause of X": X stands
                for c in marks
            )
        }

    # treatment

    def _items(self) -> list[Hit]:
        found = self.hits.get("item", []) + self.hits.get("dose", []) + self.hits.get("care", [])
        if self.special:
            found += [Hit(i, i + 1, "item") for i, k in self.special if k & _PROCEDURE]
            found += [Hit(i, i + 1, "dose") for i, k in self.special if k & _DOSE_TOKEN]
        return sorted(found) if found else found

    def _not_advice(self, item: Hit) -> bool:
        toks, end = self.toks, item.end
        following = toks[end : end + 3]
        if following[:1] and following[0] in cues.NOT_ADVICE:
            return True
        if (
            len(following) > 1
            and following[0] in ("plasma", "serum", "blood")
            and following[1] in cues.NOT_ADVICE
        ):
            return True
        if len(following) > 2 and following[0] in ("and", "&", "or", ",") and following[2] in cues.NOT_ADVICE:
            return True
        return item.tag == "dose" and any(t in cues.LAB for t in toks[end : end + 7])

    def _tx_negated(self, item: Hit) -> bool:
        if item.tag == "item" and self.starts("vague", item.start - 2, item.start - 1):
            return True
        lo = max(self.clause_start(item.start), item.start - TX_NEGATION_WINDOW)
        negations = self.within("txneg", lo, item.start)
        if negations:
            last = max(negations)
            prohibits = any(h.start == last.start for h in self.hits.get("prohibit", ()))
            if not prohibits and not (item.tag == "care" and self.toks[item.start] in cues.SELF_PROHIBITING):
                return True
        return False

    def _advice(self) -> bool:
        if "advice" in self.hits or sum(1 for k in self.kinds if k & _WORD) <= SHORT:
            return True
        toks = self.toks
        return not cues.IMPERATIVES.isdisjoint(toks) and any(
            t in cues.IMPERATIVES and (i == 0 or toks[i - 1] in cues.CLAUSE_OPENERS)
            for i, t in enumerate(toks)
        )

    def _treatment(self) -> int | None:
        """Token where the first concrete advised treatment starts, or None."""
        advice = self._advice()
        for item in self.items:
            if not advice and item.tag != "dose":
                continue
            if self._not_advice(item) or self._tx_negated(item):
                continue
            end = min(self.clause_end(item.end), item.end + 5)
            prohibited = any(t in cues.PROHIBITORS for t in self.toks[max(item.start - 3, 0) : item.start])
            if not prohibited and self.starts("txpost", item.end, end - 1):  # "avoid X as it can worsen ..."
                continue
            return item.start
        return None

    def _mention(self) -> int | None:
        """Token of the first treatment named (advised or not, not negated), or None."""
        for item in self.items:
            if not self._not_advice(item) and not self._tx_negated(item):
                return item.start
        return None

    def cut(self) -> int | None:
        """Character offset of the last phrase break between the diagnosis and the
        treatment, or None when there is none (or not both)."""
        if self.diagnosis is None or self.treatment is None:
            return None
        lo, hi = sorted((self.diagnosis.start, self.treatment))
        breaks = [b for b in self.phrase_breaks if lo < b < hi]
        breaks += [i for i in range(lo + 1, hi) if self.toks[i] in ("so", "and", "then")]
        if not breaks:
            return None
        spans = [m.start() for m in TOKEN.finditer(self.lowered)]
        return spans[max(breaks)]

    def role(self) -> tuple[str, bool, bool]:
        commit, tx = self.diagnosis, self.treatment
        dx = None if commit is None else commit.start
        if dx is not None and (tx is None or dx <= tx):
            return "diagnosis", True, tx is not None
        if tx is not None:
            return "treatment", dx is not None, True
        if "referral" in self.hits:
            return "referral", False, False
        if "medicate" in self.hits or self._mention() is not None:
            return "treatment", False, False
        if "test" in self.hits and ("advice" in self.hits or not any(k & _WEAK_DX for _, k in self.special)):
            return "investigation", False, False  # (a test read without advice is a finding: diagnosis)
        weak_dx = next((i for i, k in self.special if k & _WEAK_DX), None)
        if self.conditions:
            weak_dx = min(weak_dx if weak_dx is not None else len(self.toks), self.conditions[0][0])
        weak_tx = next((i for i, k in self.special if k & _WEAK_TX), None)
        if weak_dx is not None and (weak_tx is None or weak_dx <= weak_tx):
            return "diagnosis", False, False
        if weak_tx is not None:
            return "treatment", False, False
        return "other", False, False


# -- an answer ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=CACHE_SIZE)
def read(answer: str) -> tuple[Sentence, ...]:
    """The answer's sentences with their roles (see the module rules); cached."""
    out: list[Sentence] = []
    parses: list[_Parse | None] = []
    seen: set[str] = set()
    for text in sentences(answer):
        lowered = text.lower()
        if lowered in seen or is_loop(lowered):
            out.append(Sentence(text, "other", kept=False))
            parses.append(None)
            continue
        seen.add(lowered)
        for sentence, parse in _courtesy_split(text, lowered):
            out.append(sentence)
            parses.append(parse)
    ruled = set().union(*(p.ruled_out() for p in parses if p is not None and "ruleout" in p.hits))
    if ruled:  # a condition named in general terms and ruled out elsewhere is not committed to
        for i, parse in enumerate(parses):
            commit = parse.diagnosis if parse is not None else None
            if commit is not None and commit.weak and commit.condition in ruled:
                out[i] = out[i]._replace(diagnosis=False)
    return _ensure_sections(out)


def _courtesy_split(text: str, lowered: str) -> list[tuple[Sentence, _Parse | None]]:
    """``text`` classified, with a leading courtesy left out (split off when medical text
    follows it)."""
    pieces: list[tuple[Sentence, _Parse | None]] = []
    offset = 0
    while len(lowered) == len(text):
        match = cues.COURTESY.match(lowered, offset)
        if match is None or match.end() == offset:
            break
        gap = cues.AFTER_COURTESY.match(lowered, match.end())  # punctuation, maybe none
        rest = gap.end() if gap else match.end()
        if rest == len(lowered):
            return [*pieces, (Sentence(text[offset:].strip(), "other", kept=False), None)]
        if rest == match.end() and not text[rest].isupper():
            break  # "take care of your diet": not a courtesy
        pieces.append((Sentence(text[offset : match.end()].strip(), "other", kept=False), None))
        offset = rest
    classified = _classify(text[offset:], lowered[offset:])
    if pieces and classified[0][0].role == "other":
        return [(Sentence(text, "other", kept=False), None)]
    return [*pieces, *classified]


def _classify(text: str, lowered: str) -> list[tuple[Sentence, _Parse | None]]:
    """``text`` with its role; a sentence that both names a diagnosis and advises a
    treatment is cut in two at the clause or phrase break between them ("It is likely a
    sprain, | so rest and apply ice"), so each part goes to its own section."""
    if "?" in lowered:
        if lowered.rstrip(" )\"'").endswith("?"):
            return [(Sentence(text, "other", kept=False), None)]  # a question back to the patient
        lowered = lowered[lowered.rfind("?") + 1 :]  # a question glued to advice: read the advice
    parse = _Parse(lowered)
    role, diagnosis, treatment = parse.role()
    cut = parse.cut() if diagnosis and treatment and len(lowered) == len(text) else None
    if cut is None:
        return [(Sentence(text, role, diagnosis, treatment), parse)]
    first, second = ("diagnosis", "treatment") if role == "diagnosis" else ("treatment", "diagnosis")
    return [
        (Sentence(text[:cut].rstrip(), first, first == "diagnosis", first == "treatment"), parse),
        (Sentence(text[cut:].lstrip(" ,;:"), second, second == "diagnosis", second == "treatment"), None),
    ]


def _ensure_sections(sentences: list[Sentence]) -> tuple[Sentence, ...]:
    """Give a committed diagnosis (treatment) its own role when no sentence has that role,
    so structuring never leaves out what the detectors count."""
    for role, flag in (("diagnosis", 2), ("treatment", 3)):
        if any(s.role == role for s in sentences):
            continue
        for i, s in enumerate(sentences):
            if s[flag] and sum(t.role == s.role for t in sentences) > 1:
                sentences[i] = s._replace(role=role)
                break
    return tuple(sentences)
