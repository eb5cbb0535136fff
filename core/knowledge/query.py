"""A reader's search words, parsed once and written for FTS5 or for tsquery.

The words go through `text.tokens`, exactly like the indexed text, so both
sides agree on folding and on CJK bigrams. Nothing the reader types reaches
either engine's query syntax: terms are rebuilt from folded letters and
digits only, and quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from polydesk.core.knowledge.text import Token, clean_input, is_cjk, tokens

MAX_TERMS = 12
# Snowball's English stop words (what PostgreSQL's `english` configuration
# drops); dropped on both engines so they answer the same.
_STOP_WORDS = """
a about above after again against all am an and any are as at be because been before
being below between both but by can did do does doing don down during each few for
from further had has have having he her here hers herself him himself his how i if
in into is it its itself just me more most my myself no nor not now of off on once
only or other our ours ourselves out over own same she should so some such t than
that the their theirs them themselves then there these they this those through to
too under until up very was we were what when where which while who whom why will
with you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Term:
    """One thing to find: a word (maybe a prefix) or a phrase of CJK bigrams."""

    parts: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        """The original run for a CJK phrase ("密码重置"), the word otherwise."""
        if len(self.parts) == 1:
            return self.parts[0]
        return "".join(p[0] for p in self.parts) + self.parts[-1][1:]


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    any_term: bool = False  # OR instead of AND (suggestions while typing)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        """The FTS5 MATCH expression: `"printer" AND "重置 置密 密码" AND "vp"*`."""
        parts = [f'"{" ".join(t.parts)}"' + ("*" if t.prefix else "") for t in self.terms]
        return (" OR " if self.any_term else " AND ").join(parts)

    def tsquery(self, *, phrases: bool = True) -> str:
        """The `to_tsquery` text: `'printer' & ('重置' <-> '密码') & 'vp':*`. Without
        `phrases`, a CJK run's bigrams are merely all required (`&`): the GIN index
        answers that alone, where a phrase makes PostgreSQL read every candidate."""
        joiner = " <-> " if phrases else " & "
        parts = []
        for t in self.terms:
            if len(t.parts) > 1:
                parts.append("(" + joiner.join(f"'{p}'" for p in t.parts) + ")")
            else:
                parts.append(f"'{t.parts[0]}'" + (":*" if t.prefix else ""))
        return (" | " if self.any_term else " & ").join(parts)


def _group(found: list[Token]) -> list[list[Token]]:
    """Adjacent CJK tokens of one run form one group; each word its own."""
    groups: list[list[Token]] = []
    for token in found:
        previous = groups[-1][-1] if groups else None
        if (
            token.cjk
            and previous is not None
            and previous.cjk
            and token.start == previous.start + 1
        ):
            groups[-1].append(token)
        else:
            groups.append([token])
    return groups


def parse_query(text: str, *, prefix_last: bool = False, any_term: bool = False) -> Query:
    """Parse what a reader typed.

    `prefix_last` treats the last word as unfinished ("vp" finds "VPN"), for
    suggestions while typing; `any_term` matches articles with any of the
    words, best first, instead of all of them. Stop words are dropped unless
    nothing else is left (suggestions then find nothing).
    """
    text = clean_input(text)
    terms: list[Term] = []
    for group in _group(tokens(text)):
        if group[0].cjk:
            # "密码" → its bigram; a lone "码" → every bigram starting with it.
            bigrams = tuple(t.term for t in group if len(t.term) == 2)
            terms.append(Term(bigrams) if bigrams else Term((group[0].term,), prefix=True))
        else:
            terms.append(Term((group[0].term,)))
    ends_mid_word = bool(text) and not text[-1].isspace()
    if prefix_last and terms and ends_mid_word and len(terms[-1].parts) == 1:
        last = terms[-1]
        if len(last.parts[0]) >= 2 or last.prefix:
            terms[-1] = Term(last.parts, prefix=True)
    useful = [t for t in terms if t.prefix or len(t.parts) > 1 or t.parts[0] not in STOP_WORDS]
    if any_term:
        # Suggestions: words like "the" or "a" match everything and suggest nothing.
        useful = [t for t in useful if len(t.text) > 1 or is_cjk(t.text)]
    elif not useful:
        useful = terms  # a search for "the who" still searches
    unique = list(dict.fromkeys(useful))
    return Query(tuple(unique[:MAX_TERMS]), any_term=any_term)
