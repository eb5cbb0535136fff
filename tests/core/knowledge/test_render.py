"""Markdown to sanitised HTML, and to the plain text the index holds."""

from __future__ import annotations

from polydesk.core.knowledge.render import plain_text, render_markdown


def test_script_event_handlers_and_javascript_links_are_gone():
    html = render_markdown(
        "<script>alert(1)</script>\n\n"
        '<img src="x.png" onerror="alert(1)">\n\n'
        "[click](javascript:alert(1)) and "
        '<a href="javascript:alert(2)" onclick="x()">raw</a>\n\n'
        '<p onmouseover="steal()" style="color:red">styled</p>\n\n'
        "<iframe src=https://evil.example></iframe><object data=x></object>"
    )
    lowered = html.lower()
    for banned in ("<script", "alert(1)</", "onerror", "onclick", "onmouseover", 'href="java'):
        assert banned not in lowered, banned
    # markdown-it refuses to link a javascript: URL; it stays visible as harmless text.
    assert '<p>[click](javascript:alert(1)) and <a rel="noopener noreferrer">raw</a></p>' in html
    assert "<iframe" not in lowered and "<object" not in lowered and "style=" not in lowered
    assert '<img src="x.png">' in html


def test_raw_html_cannot_add_classes_beyond_the_alignment_ones():
    html = render_markdown('<table><tr><td class="evil align-right">x</td></tr></table>')
    assert 'class="align-right"' in html and "evil" not in html


def test_links_images_code_tables_and_headings_survive():
    html = render_markdown(
        "# Title\n\n## Part\n\n[docs](https://example.org/a?b=1) ![logo](/static/logo.png)\n\n"
        "```python\nprint('hi')\n```\n\nUse `code` here.\n\n"
        "| a | b |\n|:-:|---|\n| 1 | 2 |\n\n~~old~~ **bold** *em*\n"
    )
    assert "<h1>Title</h1>" in html and "<h2>Part</h2>" in html
    assert '<a href="https://example.org/a?b=1" rel="noopener noreferrer">docs</a>' in html
    assert '<img src="/static/logo.png" alt="logo">' in html
    assert '<code class="language-python">' in html and "<code>code</code>" in html
    # Alignment as a class: the Content-Security-Policy refuses style attributes.
    assert "<table>" in html and '<th class="align-center">a</th>' in html
    assert "<s>old</s>" in html and "<strong>bold</strong>" in html


def test_plain_text_drops_markup_but_keeps_words():
    text = plain_text(
        "# Printing\n\nTap your **badge** on [the printer](https://x).\n\n"
        "| Problem | Fix |\n|---|---|\n| Jam | Open the tray |\n\n```\ncode block\n```\n"
    )
    assert text.splitlines()[:2] == ["Printing", "Tap your badge on the printer."]
    assert "Open the tray" in text and "code block" in text
    assert "**" not in text and "https://x" not in text and "|" not in text
