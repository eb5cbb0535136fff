"""The one text normalisation behind the search index, the queries and the highlights.

`tokens()` turns text into the terms both engines index, each with its offsets
in the original text (so snippets are cut from what the author wrote):

- words are folded: NFKD, combining marks dropped, case folded, and the
  letters that do not decompose (Polish ł, Danish ø, German ß, …) mapped by
  hand, so "zazolc" and "zażółć" are the same term;
- runs of Han, kana and Hangul have no spaces between words, so they become
  overlapping bigrams, in order, plus the run's last character: a query run is
  then a phrase of its bigrams (an exact substring match) and a single
  character a prefix query;
- English stemming is left to the engines (FTS5's porter tokenizer, the
  `english` text search configuration), which stem both index and query.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Letters NFKD leaves alone; without these "łódź" would never match "lodz".
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
    }
)
_CJK_RANGES = (
    "\u1100-\u11ff"  # Hangul jamo
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u312f"  # Bopomofo
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B–H
)
# A run of word characters (letters, digits, combining marks; no underscore).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_CJK_SPLIT = re.compile(f"([{_CJK_RANGES}]+)")
_IS_CJK = re.compile(f"[{_CJK_RANGES}]")


@dataclass(frozen=True, slots=True)
class Token:
    """One indexed term and where it came from in the original text."""

    term: str
    start: int
    end: int
    cjk: bool = False


def is_cjk(text: str) -> bool:
    return bool(_IS_CJK.match(text))


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case `word` and strip its diacritics: "Zażółć" → "zazolc"."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().translate(_FOLD)


def _cjk_tokens(run: str, offset: int) -> list[Token]:
    found = [Token(run[i : i + 2], offset + i, offset + i + 2, True) for i in range(len(run) - 1)]
    last = len(run) - 1
    found.append(Token(run[last], offset + last, offset + last + 1, True))
    return found


def tokens(text: str) -> list[Token]:
    """Every term of `text` in order, with its span in `text`."""
    found: list[Token] = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if not _IS_CJK.search(word):
            folded = fold(word)
            # Folding may reveal separators (a fullwidth "Ａ－Ｂ" → "a-b"); split on them.
            found.extend(Token(part, start, match.end()) for part in _WORD.findall(folded))
            continue
        position = start
        for piece in _CJK_SPLIT.split(word):
            if not piece:
                continue
            if _IS_CJK.match(piece):
                found.extend(_cjk_tokens(piece, position))
            else:
                found.extend(
                    Token(part, position, position + len(piece))
                    for part in _WORD.findall(fold(piece))
                )
            position += len(piece)
    return found


def index_text(text: str) -> str:
    """What the engines index for `text`: its terms separated by spaces."""
    return " ".join(t.term for t in tokens(text))


def clean_input(text: str) -> str:
    """Composed Unicode (NFC), so offsets and word boundaries are stable."""
    return unicodedata.normalize("NFC", text or "")
