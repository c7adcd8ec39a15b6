"""Words and sentences: the one tokenisation medtune's text rules share.

Words are letters and digits, with inner apostrophes and hyphens ("don't", "x-ray", "µg").
Sentences end at ``.``, ``!`` or ``?`` followed by whitespace, or at a line break, as the
labelled data is split; a full stop after a common abbreviation ("Dr.", "e.g.", "tab.")
does not end one. Sentences are returned exactly as written (stripped of surrounding
space), so each is a substring of the input.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
#: :data:`WORD` for ASCII text, where it finds the same words (ranges are faster in ``re`` than
#: Unicode categories).
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*")
#: Where a sentence may end: after ``. ! ?`` and whitespace, or at line breaks. (Both start
#: with whitespace; saying so first lets ``re`` pass other characters by faster.)
SENTENCE_SPLIT = re.compile(r"(?=\s)(?:(?<=[.!?])\s+|\n+)")
#: Endings after which a full stop does not end a sentence (matched lower-cased).
ABBREVIATIONS = (" dr.", " mr.", " mrs.", " ms.", " vs.", "e.g.", "i.e.", " tab.", " cap.", " inj.", " no.")
_SPLIT_KEEP = re.compile(f"({SENTENCE_SPLIT.pattern})")


def words(text: str) -> list[str]:
    """The words of ``text``, as written."""
    return (_ASCII_WORD if text.isascii() else WORD).findall(text)


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, each as written (see the module rules)."""
    parts = _SPLIT_KEEP.split(text)
    out: list[str] = []
    glue = ""  # the previous sentence and its separator, when it ended in an abbreviation
    for i in range(0, len(parts), 2):
        piece = parts[i].strip()
        if not piece:
            continue
        if glue:
            piece = (glue + parts[i]).rstrip()
            out.pop()
        out.append(piece)
        glue = piece + parts[i + 1] if i + 1 < len(parts) and _abbreviated(piece) else ""
    return out


def _abbreviated(piece: str) -> bool:
    return piece[-1] == "." and f" {piece[-5:].lower()}".endswith(ABBREVIATIONS)
