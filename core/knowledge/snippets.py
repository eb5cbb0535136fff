"""Highlighted titles and snippets, cut from the original text.

The engines decide what matches and how well; this module only shows where.
It runs the same `tokens()` over the original text and marks the terms that
match the query, so "zazolc" highlights "Zażółć" and "密码" highlights inside
"重置密码的步骤". English stems are approximated (a few suffixes), which can
only cost a highlight, never a result. Everything else is HTML-escaped.
"""

from __future__ import annotations

import html
import re

from polydesk.core.knowledge.query import Query, Term
from polydesk.core.knowledge.text import is_cjk, tokens

SNIPPET_CHARS = 180
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


def _spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Character spans of `text` that match a term of `query`, merged."""
    words: list[Term] = [t for t in query.terms if len(t.parts) == 1 and not _is_cjk_term(t)]
    found: list[tuple[int, int]] = []
    if words:
        stems = {_stem(t.parts[0]) for t in words}
        prefixes = tuple(t.parts[0] for t in words if t.prefix)
        for token in tokens(text):
            if token.cjk:
                continue
            if _stem(token.term) in stems or (prefixes and token.term.startswith(prefixes)):
                found.append((token.start, token.end))
    for term in query.terms:
        if _is_cjk_term(term):
            needle = term.text
            at = text.find(needle)
            while at != -1:
                found.append((at, at + len(needle)))
                at = text.find(needle, at + 1)
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _is_cjk_term(term: Term) -> bool:
    return is_cjk(term.parts[0])


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
