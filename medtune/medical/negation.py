"""Negation and clauses for the regex detectors (red flags, urgent advice): when a matched
phrase does not count.

A match does not count when a negation cue ("no", "not", "without", ...) stands at most
:data:`NEGATION_WINDOW` words before it in the same clause (clauses end at ``. ; : ! ?``, a
line break, or "but", "however", "although"...), or, unless ``post=False``, when a negated
verb follows it ("... is not needed"). Each detector passes its own cue set: "cannot" is no
negation for a symptom ("cannot breathe"). The diagnosis and treatment detectors work on
tokens instead and keep their negation cues with their other patterns
(:mod:`medtune.medical.cues`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from medtune.text import SENTENCE_SPLIT as SENTENCE_SPLIT  # urgency splits with it

#: Words before a match that are searched for a negation cue.
NEGATION_WINDOW = 6

CLAUSE_BREAK = re.compile(
    r"[.;:!?\n]|\b(?:but|however|although|though|except|whereas|yet)\b"
    r"|\band (?:i|my|he|she|it|his|her|their|your|the|now|then|also|there|since|take|use|apply|start|try|"
    r"switch|continue)\b"
)
#: Breaks for advice, where "Don't wait, go to the ER" must not negate the advice.
ADVICE_BREAK = re.compile(CLAUSE_BREAK.pattern + r"|,|\band\b|\bso\b")

_NEGATION = (
    r"no|not|never|without|none|nor|neither|don't|do not|doesn't|does not|didn't|did not|isn't|is not|"
    r"aren't|are not|wasn't|weren't|won't|haven't|hasn't"
)
#: "cannot" is no negation for symptoms: "cannot breathe", "cannot speak" are the symptom.
SYMPTOM_NEGATION = re.compile(
    rf"\b(?:{_NEGATION}|denies|denied|deny|denying|free of|absence of|negative for)\b"
)
URGENT_NEGATION = re.compile(
    r"\b(?:no need|not need|don't need|do not need|doesn't need|does not need|needn't|need not|"
    r"not necessary|unnecessary|no reason|not required|not needed|isn't|is not|not an?|not"
    r"|nothing|never|no|don't have to|do not have to|doesn't have to|don't go|do not go|"
    r"don't rush|do not rush|don't call|do not call|not go)\b"
)
#: "... is not needed", "... are unlikely": a negation right after the match.
_POST_NEGATION = re.compile(
    r"^\W*(?:[\w'-]+\s+){0,3}?"
    r"(?:(?:is|are|was|were|will|would|does|do|should|may|might|could|has|have|seems?)\s+"
    r"(?:not|never|unlikely|unnecessary|ruled out|excluded)\b"
    r"|(?:isn't|aren't|won't|doesn't|don't|shouldn't|wouldn't|wasn't)\b)"
)


def negated(
    text: str,
    start: int,
    end: int,
    cues: re.Pattern[str],
    breaks: re.Pattern[str] = CLAUSE_BREAK,
    post: bool = True,
) -> bool:
    """Whether ``text[start:end]`` is negated: a cue in the words before it in its clause,
    or (``post``) a negated verb right after it ("antibiotics are not needed")."""
    before = text[:start]
    cut = [m.end() for m in breaks.finditer(before)]
    clause = before[cut[-1] if cut else 0 :]
    window = " ".join(clause.split()[-NEGATION_WINDOW:])
    if cues.search(window):
        return True
    if not post:
        return False
    after = text[end:]
    stop = breaks.search(after)
    return bool(_POST_NEGATION.search(after[: stop.start()] if stop else after))


def affirmed(pattern: re.Pattern[str], text: str, cues: re.Pattern[str], **kwargs: Any) -> list[str]:
    """The non-negated matches of ``pattern`` in ``text`` (already lower-cased)."""
    return [
        m.group(0) for m in pattern.finditer(text) if not negated(text, m.start(), m.end(), cues, **kwargs)
    ]


def alternation(phrases: Iterable[str]) -> str:
    """A regex matching any of ``phrases`` literally, the longest where several match.

    Built as a character trie ("ab(?:c|d)"), which ``re`` matches far faster than a flat
    list of alternatives when there are hundreds of phrases."""
    trie: dict = {}
    for phrase in set(phrases):
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(trie)


def _pattern(node: dict) -> str:
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) > 1 or len(branches[0]) > 1 else f"{body}?"
