"""Token phrase patterns: find many word patterns in a tokenised sentence in one pass.

A pattern is written as space-separated slots; each slot matches one token:

- ``a|b|c``: one of these words; ``treat~`` a word starting with "treat", ``~ologist`` a word
  ending in "ologist"; ``*`` any word, ``#`` a number;
- a slot ending in ``?`` is optional; ``*{0,3}`` is zero to three words;
- ``!a|b`` (zero-width) the next token is none of these words (or there is none);
- a single punctuation character stands for itself (``,``, ``?``).

Words never match punctuation tokens, so a pattern does not run across a comma unless it
says so (``,``). The first slot must list plain words or be ``#``: :class:`Phrases` indexes
patterns by them, so a token is looked up once, and only the patterns it can start are tried. This is
what keeps the medical detectors fast (``re`` alternations of hundreds of branches cost
about a microsecond per character in CPython).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

#: Tokens of lower-cased text: numbers, words (with inner apostrophes and hyphens), punctuation
#: (a full stop only where a space or the end follows: "...-" and "e.g." are no full stops).
#: Words come first, the common case (no other alternative can start with a-z, so order is moot).
TOKEN = re.compile(r"[a-z][a-z0-9]*(?:['-][a-z0-9]+)*|\d+(?:\.\d+)?[a-z]*|\.(?=\s|$)|[^\sa-z0-9.]")


_NUMBER = "#"


def tokens(lowered: str) -> list[str]:
    """The tokens of lower-cased text."""
    return TOKEN.findall(lowered)


class _Slot(NamedTuple):
    words: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    any_word: bool
    number: bool
    low: int
    high: int
    negative: bool
    plain: bool  # required, plain words only


class Hit(NamedTuple):
    """A pattern found at tokens ``start:end``, with its tag."""

    start: int
    end: int
    tag: str


#: ``_hit((start, end, tag))`` makes a :class:`Hit` without the NamedTuple's ``__new__``, which
#: is Python code (a scan makes a few per sentence, over 100k answers).
_hit = partial(tuple.__new__, Hit)


def _slot(text: str) -> _Slot:
    if len(text) == 1 and not text.isalnum() and text not in "*#":  # a punctuation token, as itself
        return _Slot(frozenset([text]), (), (), False, False, 1, 1, False, True)
    negative = text.startswith("!")
    text = text.removeprefix("!")
    low = high = 1
    if text.endswith("?"):
        text, low = text[:-1], 0
    elif text.endswith("}"):
        text, _, span = text[:-1].partition("{")
        low, high = (int(n) for n in span.split(","))
    alternatives = text.split("|")
    words = frozenset(a for a in alternatives if a and "~" not in a and a not in ("*", "#"))
    prefixes = tuple(a[:-1] for a in alternatives if a.endswith("~") and len(a) > 1)
    suffixes = tuple(a[1:] for a in alternatives if a.startswith("~"))
    any_word, number = "*" in alternatives, "#" in alternatives
    plain = low == high == 1 and not (negative or prefixes or suffixes or any_word or number)
    return _Slot(words, prefixes, suffixes, any_word, number, low, high, negative, plain)


def _fits(slot: _Slot, token: str) -> bool:
    if token in slot.words:
        return True
    if not (slot.any_word or slot.number or slot.prefixes or slot.suffixes) or not token[0].isalnum():
        return False
    if slot.any_word and token[0].isalpha():
        return True
    if slot.number and token[0].isdigit():
        return True
    return bool(slot.prefixes and token.startswith(slot.prefixes)) or bool(
        slot.suffixes and token.endswith(slot.suffixes)
    )


def _match(toks: list[str], i: int, slots: tuple[_Slot, ...], k: int) -> int:
    """End of a match of ``slots[k:]`` at token ``i`` (longest first), or -1."""
    n = len(toks)
    while k < len(slots) and slots[k].plain:  # the common case, without recursion
        if i >= n or toks[i] not in slots[k].words:
            return -1
        i += 1
        k += 1
    if k == len(slots):
        return i
    slot = slots[k]
    if slot.negative:
        if i < n and _fits(slot, toks[i]):
            return -1
        return _match(toks, i, slots, k + 1)
    count = 0
    while count < slot.high and i + count < n and _fits(slot, toks[i + count]):
        count += 1
    while count >= slot.low:
        end = _match(toks, i + count, slots, k + 1)
        if end >= 0:
            return end
        count -= 1
    return -1


# (slots after the indexed ones, tag, words one of which the sentence must hold, or None)
_Entries = list[tuple[tuple[_Slot, ...], str, frozenset[str] | None]]


class Phrases:
    """Tagged patterns, indexed by the words that can start them (and, where the second slot
    lists plain words, by the second token too)."""

    def __init__(self) -> None:
        # first token -> (tags of one-word patterns, patterns tried from the second token,
        #                 {second token: patterns tried from the third})
        self._index: dict[str, tuple[list[str], _Entries, dict[str, _Entries]]] = {}

    def add(self, tag: str, patterns: Iterable[str]) -> Phrases:
        """Add ``patterns`` (see the module syntax) under ``tag``; returns self."""
        for pattern in patterns:
            for slots in _variants(tuple(_slot(s) for s in pattern.split())):
                self._add(tag, pattern, slots)
        return self

    def _add(self, tag: str, pattern: str, slots: tuple[_Slot, ...]) -> None:
        first = slots[0]
        if not first.plain and not (first.number and not first.words and first.low == first.high == 1):
            raise ValueError(f"{pattern!r}: the first slot must list plain words or be #")
        second = slots[1] if len(slots) > 1 else None
        for word in first.words or {_NUMBER}:
            single, one, two = self._index.setdefault(word, ([], [], {}))
            if second is None:
                if tag not in single:
                    single.append(tag)
            elif second.plain:
                for next_word in second.words:
                    _insert(two.setdefault(next_word, []), slots[2:], tag)
            else:
                _insert(one, slots[1:], tag)

    def scan(self, toks: list[str]) -> dict[str, list[Hit]]:
        """Every pattern found in ``toks``, by tag: at each start token, the longest pattern of
        each tag; hits in token order."""
        hits: dict[str, list[Hit]] = {}
        index = self._index
        n = len(toks)
        present: frozenset[str] | None = None  # the sentence's words, once a pattern needs them
        for i, token in enumerate(toks):
            entry = index.get(token)
            if entry is None and (not token[0].isdigit() or (entry := index.get(_NUMBER)) is None):
                continue
            single, one, two = entry
            pairs = two.get(toks[i + 1]) if two and i + 1 < n else None
            if not (one or pairs):
                for tag in single:
                    _add_hit(hits, tag, i, i + 1)
                continue
            found = dict.fromkeys(single, i + 1)
            for slots, tag, needed in pairs or ():
                if needed is not None and needed.isdisjoint(present := present or frozenset(toks)):
                    continue
                if found.get(tag, 0) <= i + 1 and (end := _match(toks, i + 2, slots, 0)) >= 0:
                    found[tag] = end
            for slots, tag, needed in one:
                if needed is not None and needed.isdisjoint(present := present or frozenset(toks)):
                    continue
                if (end := _match(toks, i + 1, slots, 0)) > found.get(tag, -1):
                    found[tag] = end
            for tag, end in found.items():
                _add_hit(hits, tag, i, end)
        return hits


def _add_hit(hits: dict[str, list[Hit]], tag: str, start: int, end: int) -> None:
    hit = _hit((start, end, tag))
    if tag in hits:
        hits[tag].append(hit)
    else:
        hits[tag] = [hit]


def _variants(slots: tuple[_Slot, ...]) -> list[tuple[_Slot, ...]]:
    """``slots`` with an optional plain second slot written out both ways (so both index)."""
    second = slots[1] if len(slots) > 1 else None
    if (
        second is not None
        and second.low == 0
        and second.high == 1
        and second.words
        and not (second.negative or second.prefixes or second.suffixes or second.any_word or second.number)
    ):
        required = second._replace(low=1, plain=True)
        return [*_variants((slots[0], *slots[2:])), (slots[0], required, *slots[2:])]
    return [slots]


def _insert(entries: _Entries, slots: tuple[_Slot, ...], tag: str) -> None:
    needed = next((slot.words for slot in reversed(slots) if slot.plain), None)
    entries.append((slots, tag, needed))
    entries.sort(key=lambda entry: -len(entry[0]))  # longest pattern first
