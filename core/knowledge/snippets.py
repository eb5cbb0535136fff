"""Highlighted titles and snippets, cut from the original text.

The engines decide what matches and how well; this module only shows where.
It folds the original text character by character (the same `fold` the
index uses, length-preserving so offsets carry over) and finds the query's
terms in it, so "zazolc" highlights "Zażółć" and "密码" highlights inside
"重置密码的步骤". English stems are approximated (a few suffixes), which can
only cost a highlight, never a result. Everything else is HTML-escaped.
"""

from __future__ import annotations

import functools
import html
import re

from polydesk.core.knowledge.query import Query
from polydesk.core.knowledge.text import fold, is_cjk

SNIPPET_CHARS = 180
#: Matches looked at per term: plenty to place a snippet, bounded on long texts.
MAX_MATCHES = 64
_SUFFIXES = ("ies", "ing", "ed", "es", "s", "ly")
_SPACE = re.compile(r"\s+")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # "resetting" → "reset"
            return word
    return word


@functools.cache
def _fold_table() -> dict[int, str]:
    """Per character, what `fold` makes of it, where that is one character: text
    translated with it keeps its length, so offsets in it are offsets in the original."""
    table: dict[int, str] = {}
    for code in (*range(0x20, 0x2500), *range(0x3000, 0x3100), *range(0xFF00, 0xFFF0)):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded != char:
            table[code] = folded
    return table


_WORD_REST = re.compile(r"[^\W_]*")


def _spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Character spans of `text` that match a term of `query`, merged."""
    folded = text.translate(_fold_table())
    found: list[tuple[int, int]] = []
    for term in query.terms:
        if is_cjk(term.parts[0]):
            needle = term.text
            at = folded.find(needle)
            while at != -1 and len(found) < MAX_MATCHES * len(query.terms):
                found.append((at, at + len(needle)))
                at = folded.find(needle, at + 1)
            continue
        word = term.parts[0]
        stem = _stem(word)
        at, count = folded.find(stem), 0
        while at != -1 and count < MAX_MATCHES:
            end = _WORD_REST.match(folded, at + len(stem)).end()  # type: ignore[union-attr]
            if at == 0 or not folded[at - 1].isalnum():
                candidate = folded[at:end]
                if _stem(candidate) == stem or (term.prefix and candidate.startswith(word)):
                    found.append((at, end))
                    count += 1
            at = folded.find(stem, end)
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    position = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(html.escape(text[position:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        position = e
    out.append(html.escape(text[position:end]))
    return "".join(out)


def highlight(text: str, query: Query) -> str:
    """All of `text`, escaped, with the matches in <mark>."""
    return _marked(text, _spans(text, query), 0, len(text))


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The stretch of `width` characters holding the most matches, on word boundaries."""
    if not spans:
        start = 0
    else:
        best = max(
            range(len(spans)),
            key=lambda i: (sum(1 for s, _ in spans[i:] if s < spans[i][0] + width), -i),
        )
        start = max(0, spans[best][0] - width // 4)
        space = text.rfind(" ", max(0, start - 15), start + 1)
        start = space + 1 if space != -1 and start > 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", end - 15, end)
        end = space if space > start else end
    return start, end


def snippet(text: str, query: Query, width: int = SNIPPET_CHARS) -> str:
    """A short, escaped excerpt of `text` around its best matches, with <mark>s."""
    text = _SPACE.sub(" ", text).strip()
    spans = _spans(text, query)
    start, end = _window(text, spans, width)
    body = _marked(text, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
