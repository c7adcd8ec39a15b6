"""Text hygiene for scraped Q&A: the scraper's "ChatDoctor", encodings, truncation, duplicates.

Rules (each is counted in ``data_card.json`` and switchable in ``[data]``):

- **ChatDoctor** (``strip_chatdoctor``). The HealthCareMagic scraper wrote "ChatDoctor" or
  "Chat Doctor" over parts of the text. As a word of its own ("Hi, ChatDoctor. Thanks") it
  is deleted with the space before it (punctuation left dangling is tidied: "Hi. Thanks").
  Inside a word the scraper either *inserted* it ("treaChatDoctortment") or *overwrote*
  letters across a word boundary ("fresh gel" -> "fresChatDoctorel"); the lost letters
  cannot be recovered, so: if prefix + suffix is a word of the corpus' vocabulary the two
  are joined ("treatment"); else if both halves are words they are kept as two words;
  else they are joined and the record is flagged ``chatdoctor_unrepaired``. Joined by a
  hyphen to a word ("ChatDoctor-PPC 10000", "Tab-ChatDoctor"), it overwrote part of a
  hyphenated name, usually a brand: the token and its hyphen go, the surviving part stays
  as a word of its own ("PPC 10000", never a dangling "-PPC" or "Take-PPC"), and the record
  is flagged ``chatdoctor_unrepaired`` too, since the name is lost (drop flagged rows if a
  partial drug name is worse than none). The vocabulary is the lower-cased words of the
  first :data:`VOCAB_ROWS` token-free texts.
- **Normalisation** (``normalize_text``). cp1252 mojibake of UTF-8 ("donâ€™t") is decoded
  back; curly quotes become ASCII quotes; non-breaking, zero-width and control characters
  go; every whitespace run becomes one space.
- **Truncation**. An answer is *cut off* when it does not end in ``. ! ? … ) ] " '`` (or a
  typographic closing quote: model output is not normalised) and its tail
  is not a sign-off ("Regards, Dr. Rao", "Take care", "Thanks", "Good luck", ...).
- **Duplicates**. The question key is the lower-cased text without ASCII whitespace and
  punctuation (non-ASCII letters stay), so case, spacing and punctuation variants collide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TOKEN = re.compile(r"Chat ?Doctor(?:'s)?")
_PUNCTUATION = frozenset(".,!?;:")
_WORDS = re.compile(r"[a-z]+")
VOCAB_ROWS = 20_000

# cp1252 bytes 0x80-0x9f decode to these characters; mojibake is a lead byte (Â..ô) followed
# by continuation characters from that set or Latin-1's 0xa0-0xbf.
_CP1252_HIGH = "€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ"
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{re.escape(_CP1252_HIGH)}\u00a0-\u00bf]{{1,3}}")
_PUNCT = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "})
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]")
_ODD_SPACE = re.compile(r"\s\s|[^\S ]")  # a whitespace run, or whitespace other than " "
_KEY_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789"
_KEY_DROP = bytes(b for b in range(128) if b not in _KEY_KEEP)

_ENDINGS = tuple(".!?…)]\"'”’»")
_SIGN_OFF = re.compile(
    r"(?:regards|thanks|thank you|take care|best wishes|good luck|get well soon|good health|"
    r"wish(?:ing)? you[\w ]*|dr\.? ?[a-z]+(?: [a-z]+)?|cheers|bye)\W*$",
    re.IGNORECASE,
)


def vocabulary(texts: Iterable[str], limit: int = VOCAB_ROWS) -> frozenset[str]:
    """Lower-cased words of the first ``limit`` texts that hold no ChatDoctor token."""
    words: set[str] = set()
    seen = 0
    for text in texts:
        if "Doctor" in text:
            continue
        words.update(_WORDS.findall(text.lower()))
        seen += 1
        if seen >= limit:
            break
    return frozenset(words)


def _letters_before(text: str, stop: int, start: int) -> int:
    while start > stop and text[start - 1].isascii() and text[start - 1].isalpha():
        start -= 1
    return start


def _letters_after(text: str, end: int) -> int:
    while end < len(text) and text[end].isascii() and text[end].isalpha():
        end += 1
    return end


def _hyphenated(text: str, start: int, end: int) -> bool:
    """Whether the token at ``start:end`` is joined by a hyphen to a word ("ChatDoctor-PPC")."""
    after = text[end : end + 2]
    before = text[max(start - 2, 0) : start]
    return (len(after) == 2 and after[0] == "-" and after[1].isalnum()) or (
        len(before) == 2 and before[1] == "-" and before[0].isalnum()
    )


def _rejoin(prefix: str, suffix: str, vocab: frozenset[str]) -> tuple[str, bool]:
    """Repair a word the token was written into; (text, repaired)."""
    joined = prefix + suffix
    if not prefix or not suffix or joined.lower() in vocab:
        return joined, True
    if prefix.lower() in vocab and suffix.lower() in vocab:
        return f"{prefix} {suffix}", True
    return joined, False


def strip_chatdoctor(text: str, vocab: frozenset[str]) -> tuple[str, int, bool]:
    """Remove the scraper's token; return (text, tokens removed, any in-word repair failed)."""
    if "Doctor" not in text:
        return text, 0, False
    out: list[str] = []
    pos = hits = 0
    unrepaired = False
    for match in TOKEN.finditer(text):
        start, end = match.span()
        if start < pos:
            continue
        word_start, word_end = _letters_before(text, pos, start), _letters_after(text, end)
        hits += 1
        before = text[pos:word_start]
        if word_start < start or end < word_end:  # inside a word
            repaired, ok = _rejoin(text[word_start:start], text[end:word_end], vocab)
            unrepaired |= not ok
            out += [before, repaired]
            pos = word_end
            continue
        if text[end : end + 1] == "-" and (end + 1 == len(text) or text[end + 1].isspace()):
            end += 1  # "Hi ChatDoctor- ..." leaves no dangling dash
        if _hyphenated(text, start, end):  # part of a hyphenated name: its other part stays, flagged
            unrepaired = True
            if text[start - 1 : start] == "-":
                out.append(before[:-1])
                pos = end
            else:
                out.append(before)
                pos = end + 1
            continue
        # a word of its own: drop it with the space before; tidy the punctuation it leaves
        before = before.rstrip()
        if not any(out) and not before:
            while end < len(text) and (text[end] in _PUNCTUATION or text[end].isspace()):
                end += 1
        elif end < len(text) and text[end] in _PUNCTUATION and before[-1:] in (",", ";", ":"):
            before = before[:-1]
        out.append(before)
        pos = end
    out.append(text[pos:])
    return "".join(out), hits, unrepaired


def _unmojibake(match: re.Match[str]) -> str:
    chunk = match.group(0)
    try:
        raw = bytes(ord(c) if ord(c) < 256 else _cp1252_byte(c) for c in chunk)
        return raw.decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return chunk


def _cp1252_byte(char: str) -> int:
    """The cp1252 byte that decodes to ``char`` (ValueError when there is none)."""
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        raise ValueError(char) from None


def normalize(text: str) -> str:
    """Fix mojibake, ASCII-fy quotes, drop invisible characters, collapse whitespace."""
    if not text.isascii():
        text = _MOJIBAKE.sub(_unmojibake, text).translate(_PUNCT)
        text = _INVISIBLE.sub("", text)
    if _ODD_SPACE.search(text) or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())
    return text


def is_truncated(answer: str) -> bool:
    """True when ``answer`` stops mid-sentence (see the module rules)."""
    text = answer.rstrip()
    if not text or text.endswith(_ENDINGS):
        return False
    return _SIGN_OFF.search(text[-60:]) is None


def question_key(question: str) -> bytes:
    """Duplicate key: the lower-cased UTF-8 text without ASCII spaces and punctuation."""
    return question.lower().encode("utf-8", "surrogatepass").translate(None, _KEY_DROP)


def word_count(text: str) -> int:
    """Whitespace-separated words."""
    return len(text.split())


def spaced_word_count(text: str) -> int:
    """Words of text that :func:`normalize` has already single-spaced."""
    return text.count(" ") + 1 if text else 0


def clean_pair(
    pair: tuple[str, str], strip: bool, normalize_text: bool, vocab: frozenset[str]
) -> tuple[str, str, int, bool, bool]:
    """One row as ``data prepare`` cleans it: (question, answer, ChatDoctor hits, unrepaired,
    text changed)."""
    question, answer = pair
    hits = 0
    unrepaired = changed = False
    if strip:
        question, hits_q, bad_q = strip_chatdoctor(question, vocab)
        answer, hits_a, bad_a = strip_chatdoctor(answer, vocab)
        hits, unrepaired = hits_q + hits_a, bad_q or bad_a
    if normalize_text:
        fixed_q, fixed_a = normalize(question), normalize(answer)
        changed = fixed_q != question or fixed_a != answer
        question, answer = fixed_q, fixed_a
    return question, answer, hits, unrepaired, changed
